"""The application's look: the stylesheet in resources/style.qss and the sidebar icons."""

from __future__ import annotations

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QPushButton

from camp_manager.resources import resource_path


def apply_style(app: QApplication) -> None:
    app.setStyle("Fusion")  # the same look on every PC, which the stylesheet builds on
    sheet = resource_path("style.qss").read_text(encoding="utf-8")
    # The sheet names its arrow images relative to the icons folder, wherever that is installed.
    app.setStyleSheet(sheet.replace("@ICONS@", resource_path("icons").as_posix()))


def icon(name: str) -> QIcon:
    """A bundled SVG icon (resources/icons/<name>.svg); an empty icon if there is none."""
    path = resource_path("icons", f"{name}.svg")
    return QIcon(str(path)) if path.exists() else QIcon()


APP_ICON = "camp-manager"


def app_icon() -> QIcon:
    """The application's icon from its PNG sizes (resources/icons/camp-manager-<size>.png), no SVG plugin needed."""
    result = QIcon()
    for path in sorted(resource_path("icons").glob(f"{APP_ICON}-*.png")):
        result.addFile(str(path))
    return result


def make_primary(button: QPushButton) -> QPushButton:
    """The one main action of a page or dialog, drawn in the accent colour."""
    button.setProperty("primary", True)
    return button
