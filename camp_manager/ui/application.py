"""QApplication start: Qt's own Korean strings, logging, the database chosen, the main window (the font and
style are `ui.start`'s, set before the window painted first)."""

from __future__ import annotations

import gc
import logging
import sys

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTimer, QTranslator
from PySide6.QtGui import QImageReader
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from camp_manager.db.backup import BackupPolicy, backup_at_start
from camp_manager.db.engine import default_db_path
from camp_manager.db.migrate import OpenedDatabase, newest_sound_backup, open_database_noting
from camp_manager.db.restore import restore_database
from camp_manager.errors import DatabaseFileError, DomainError, SettingsVersionError
from camp_manager.i18n import LANGUAGES, current_language, set_language, tr
from camp_manager.resources import resource_path
from camp_manager.ui.context import AppContext, SettingKey, Settings, backup_policy
from camp_manager.ui.dialogs.about_dialog import AboutDialog
from camp_manager.ui.dialogs.database_dialog import DatabaseChoice, DatabaseProblemDialog
from camp_manager.ui.logs import configure_logging, log_file
from camp_manager.ui.main_window import MainWindow
from camp_manager.ui.start import create_application
from camp_manager.ui.workers import BackgroundQuery, IdleCollections, forget_module_sources

log = logging.getLogger(__name__)


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


def install_excepthook(app: QApplication) -> None:
    """An unexpected exception is logged and shown as a friendly dialog, never a dead window."""

    def hook(kind, error, traceback) -> None:
        log.error("unexpected error", exc_info=(kind, error, traceback))
        QMessageBox.critical(
            app.activeWindow(),
            tr("예기치 않은 오류"),
            tr(
                "예기치 않은 오류가 났습니다. 작업을 다시 시도해 주세요.\n자세한 내용은 로그 파일에 기록했습니다: {path}",
                path=log_file(),
            ),
        )

    sys.excepthook = hook


def _recover(problem: DatabaseFileError, *, offer_default: bool, policy: BackupPolicy) -> DatabaseChoice:
    """Ask what to do about a missing or damaged file; a chosen restore is done here (a failed
    one is said, and the dialog comes back)."""
    backup = newest_sound_backup(problem.path, policy)
    dialog = DatabaseProblemDialog(problem, backup=backup, offer_default=offer_default)
    dialog.exec()
    if dialog.choice == DatabaseChoice.RESTORE and backup is not None:
        try:
            restore_database(problem.path, backup.path, policy=policy)
        except DomainError as error:
            QMessageBox.critical(None, tr("복원하지 못했습니다"), error.message)
    return dialog.choice


def open_chosen_database(db: str | None, settings: Settings) -> OpenedDatabase | None:
    """`--db`, else the database chosen in Settings. A missing or damaged file: the dialog offers
    its newest sound backup, a new database or the default file; a server that fails: the default file."""
    chosen = db or settings.value(SettingKey.DATABASE_URL) or None
    policy = backup_policy(settings)
    create = False
    while True:
        try:
            return open_database_noting(chosen, create=create, policy=policy)
        except DatabaseFileError as problem:
            log.warning("database file problem: %s", problem.message)
            choice = _recover(problem, offer_default=chosen is not None, policy=policy)
            if choice == DatabaseChoice.QUIT:
                return None
            create = choice == DatabaseChoice.NEW
            if choice == DatabaseChoice.DEFAULT:
                chosen = None
        except Exception as error:  # noqa: BLE001 (a server may be down: the user decides what next)
            return _offer_the_default_file(chosen, error, policy)


def _offer_the_default_file(chosen: str | None, error: Exception, policy: BackupPolicy) -> OpenedDatabase | None:
    message = error.message if isinstance(error, DomainError) else str(error)
    unexpected = not isinstance(error, DomainError)
    log.error("could not open %s", chosen, exc_info=(type(error), error, error.__traceback__) if unexpected else None)
    if chosen is None:
        QMessageBox.critical(None, tr("데이터베이스를 열 수 없습니다"), message)
        return None
    answer = QMessageBox.question(
        None,
        tr("데이터베이스를 열 수 없습니다"),
        tr(
            "선택한 데이터베이스를 열 수 없습니다:\n{message}\n\n이 PC의 기본 데이터베이스 파일({path})로 시작할까요? 설정에서 다시 바꿀 수 있습니다.",
            message=message,
            path=default_db_path(),
        ),
    )
    if answer != QMessageBox.StandardButton.Yes:
        return None
    try:
        return open_database_noting(None, policy=policy)
    except DomainError as error:
        QMessageBox.critical(None, tr("데이터베이스를 열 수 없습니다"), error.message)
        return None


def smoke_problems(window: MainWindow, qt_translators: list[QTranslator]) -> list[str]:
    """What an installed copy may lack although the code is right: icons, Qt's plugins and translations, the
    import template. Every page and the About dialog (the font licence) are painted; QtCharts draws the dashboard."""
    from camp_manager.importing.template import TEMPLATE_FILE  # noqa: PLC0415 (it loads openpyxl: not at every start)

    problems = []
    if not resource_path("templates", TEMPLATE_FILE).is_file():
        problems.append(f"the import template (resources/templates/{TEMPLATE_FILE})")
    if window.windowIcon().pixmap(32, 32).isNull():
        problems.append("application icon (resources/icons/camp-manager-*.png)")
    for row in range(window.sidebar.count()):
        item = window.sidebar.item(row)
        if item.icon().pixmap(20, 20).isNull():
            problems.append(f"sidebar icon of {item.data(Qt.ItemDataRole.UserRole)}")
    if b"svg" not in QImageReader.supportedImageFormats():
        problems.append("Qt's SVG image plugin")
    if current_language() != "en" and not qt_translators:
        problems.append("Qt's own translations (qtbase_ko.qm)")
    for key in window.pages:
        window.show_page(key)
        if window.grab().isNull():
            problems.append(f"painting the {key} page")
    if AboutDialog(window.context, window).grab().isNull():
        problems.append("painting the About dialog")
    return problems


def smoke_exit_code(window: MainWindow, qt_translators: list[QTranslator]) -> int:
    try:
        problems = smoke_problems(window, qt_translators)
    except Exception as error:
        log.error("smoke check failed", exc_info=True)
        problems = [f"something the start-up needs: {error}"]
    for problem in problems:
        print(f"smoke: missing {problem}", file=sys.stderr)
    if not problems:
        print(f"smoke: ok, {len(window.pages)} pages painted on the {QApplication.platformName()} platform")
    return 1 if problems else 0


def run(*, db: str | None, argv: list[str], smoke: bool = False, start_window: QMainWindow | None = None) -> int:
    """Start the app; with `smoke`, paint every page, report what is missing and quit (the frozen build's check).

    `start_window` (`ui.start.show_start_window`) closes once the main window shows."""
    app = create_application(argv)
    configure_logging()
    settings = Settings()
    language = settings.value(SettingKey.LANGUAGE, current_language())
    set_language(language if language in LANGUAGES else "ko")
    qt_translators = install_qt_translations(app, current_language())
    install_excepthook(app)
    try:
        settings.claim_format()
    except SettingsVersionError as error:
        QMessageBox.critical(None, tr("설정을 읽을 수 없습니다"), error.message)
        return 2
    opened = open_chosen_database(db, settings)
    if opened is None:
        return 2
    take_over_full_collections(app)  # before the first page starts its reads in the background
    context = AppContext(opened.engine, settings=settings)
    window = MainWindow(context)
    window.show()
    if start_window is not None:
        start_window.close()
    if opened.upgraded is not None:
        QMessageBox.information(window, tr("데이터베이스를 새 버전으로 올렸습니다"), opened.upgraded.message())
    start_the_daily_backup(window, context)
    if smoke:
        QTimer.singleShot(0, lambda: app.exit(smoke_exit_code(window, qt_translators)))
    return app.exec()


def start_the_daily_backup(window: MainWindow, context: AppContext) -> None:
    """The first start of a day backs the database file up, off the UI thread and without a dialog."""
    url, policy = context.engine.url, context.backup_policy()
    BackgroundQuery(window).run(
        lambda: backup_at_start(url, policy=policy), lambda path: log.info("start backup: %s", path) if path else None
    )


def take_over_full_collections(app: QApplication) -> None:
    """Objects made at start (the modules: SQLAlchemy, Qt, pydantic) live as long as the app: frozen, they
    stay out of every full collection, which the app then runs itself while idle (`IdleCollections`)."""
    forget_module_sources()  # not worth keeping, nor freezing
    gc.collect()
    gc.freeze()
    IdleCollections(app)
