"""The first second of the app: the QApplication with its font and style, and a window painted
at once, before the database modules load (SQLAlchemy, SQLModel and the pages take about a second)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from camp_manager import APP_NAME, __version__
from camp_manager.resources import resource_path
from camp_manager.ui.style import app_icon, apply_style

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


def create_application(argv: list[str]) -> QApplication:
    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    app.setFont(QFont(register_fonts(), 10))
    apply_style(app)
    return app


def show_start_window(argv: list[str]) -> QMainWindow:
    """The app's name in a small window, painted now; the main window replaces it once the database is open.

    No translated words: the language is a setting, read with the database modules."""
    app = create_application(argv)
    window = QMainWindow()
    window.setWindowTitle(f"Camp Manager {__version__}")
    label = QLabel(f"Camp Manager\n캠프 매니저 {__version__}")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    window.setCentralWidget(label)
    window.resize(420, 240)
    window.show()
    app.processEvents()  # shown and painted before the imports that follow hold the thread
    return window
