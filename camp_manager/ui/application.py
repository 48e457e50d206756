"""QApplication set-up: bundled Korean font, Qt's own Korean strings, the main window."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from camp_manager import __version__
from camp_manager.db.engine import describe
from camp_manager.db.migrate import open_database
from camp_manager.i18n import tr
from camp_manager.resources import resource_path

FONT_FILES = ("NanumGothic.ttf", "NanumGothicBold.ttf")


def register_fonts() -> str:
    """Load the bundled NanumGothic so Hangul renders on a PC with no Korean font."""
    family = ""
    for name in FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", name)))
        if font_id < 0:
            raise RuntimeError(f"could not load bundled font {name}")
        family = QFontDatabase.applicationFontFamilies(font_id)[0]
    return family


def run(*, db: str | None, argv: list[str]) -> int:
    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName("Camp Manager")
    app.setApplicationVersion(__version__)
    app.setFont(QFont(register_fonts(), 10))
    engine = open_database(db)
    window = QMainWindow()
    window.setWindowTitle(tr("Camp Manager — {where}", where=describe(engine)))
    window.setCentralWidget(QLabel(tr("입주기업 관리 화면을 준비 중입니다.")))
    window.resize(1280, 800)
    window.show()
    return app.exec()
