"""QApplication set-up: bundled Korean font, Qt's own Korean strings, logging, main window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import platformdirs
from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from camp_manager import __version__
from camp_manager.db.engine import APP_NAME
from camp_manager.db.migrate import open_database
from camp_manager.errors import DomainError
from camp_manager.i18n import current_language, set_language, tr
from camp_manager.resources import resource_path
from camp_manager.ui.context import AppContext, Settings
from camp_manager.ui.main_window import MainWindow

FONT_FILES = ("NanumGothic.ttf", "NanumGothicBold.ttf")
log = logging.getLogger(__name__)


def register_fonts() -> str:
    """Load the bundled NanumGothic so Hangul renders on a PC with no Korean font."""
    family = ""
    for name in FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", name)))
        if font_id < 0:
            raise RuntimeError(f"could not load bundled font {name}")
        family = QFontDatabase.applicationFontFamilies(font_id)[0]
    return family


def install_qt_translations(app: QApplication, language: str) -> list[QTranslator]:
    """Qt's own strings (standard buttons, dialogs) in the chosen language."""
    translators = []
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase", "qt"):
        translator = QTranslator(app)
        if translator.load(QLocale(language), name, "_", folder):
            app.installTranslator(translator)
            translators.append(translator)
    return translators


def log_file() -> Path:
    folder = Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "camp_manager.log"


def configure_logging() -> Path:
    path = log_file()
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=[logging.FileHandler(path, encoding="utf-8")],
    )
    return path


def install_excepthook(app: QApplication) -> None:
    """An unexpected exception is logged and shown as a friendly dialog, never a dead window."""

    def hook(kind, error, traceback) -> None:
        log.error("unexpected error", exc_info=(kind, error, traceback))
        QMessageBox.critical(
            app.activeWindow(),
            tr("예기치 않은 오류"),
            tr("예기치 않은 오류가 났습니다. 작업을 다시 시도해 주세요.\n자세한 내용은 로그 파일에 기록했습니다: {path}", path=log_file()),
        )

    sys.excepthook = hook


def create_application(argv: list[str]) -> QApplication:
    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setFont(QFont(register_fonts(), 10))
    return app


def run(*, db: str | None, argv: list[str]) -> int:
    app = create_application(argv)
    configure_logging()
    settings = Settings()
    set_language(settings.value("ui/language", current_language()))
    install_qt_translations(app, current_language())
    install_excepthook(app)
    try:
        engine = open_database(db or settings.value("database/url") or None)
    except DomainError as error:
        QMessageBox.critical(None, tr("데이터베이스를 열 수 없습니다"), error.message)
        return 2
    window = MainWindow(AppContext(engine, settings=settings))
    window.show()
    return app.exec()
