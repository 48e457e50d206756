"""Form fields that show their problem right next to the input, as the user types."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QVBoxLayout, QWidget
from sqlmodel import SQLModel

from camp_manager.services.inputs import max_length


def show_message(label: QLabel, message: str | None) -> None:
    """Show `message` in a word-wrapped label of a dialog, or hide the label for None."""
    label.setText(message or "")
    show_note(label, bool(message))


def show_note(label: QLabel, shown: bool) -> None:
    """Show or hide a word-wrapped label of a dialog; shown, the dialog grows to make room for it.

    A window's minimum size ignores how tall wrapped text is, so a message that appears
    would squeeze the rows around it (the text over the input's border, a memo box down
    to one line): the dialog takes the height its rows need at its width instead.
    """
    label.setVisible(shown)
    window = label.window()
    layout = window.layout()
    if not shown or not isinstance(window, QDialog) or layout is None:
        return
    layout.activate()
    needed = (
        layout.totalHeightForWidth(window.width()) if layout.hasHeightForWidth() else layout.totalSizeHint().height()
    )
    if needed > window.minimumHeight():
        window.setMinimumHeight(needed)  # not smaller again while the message may come back
    if window.height() < needed:
        window.resize(window.width(), needed)


class FieldWithError(QWidget):
    """An input with a red line under it that names what is wrong and how to fix it."""

    def __init__(self, widget: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.widget = widget
        self.error_label = QLabel()
        self.error_label.setObjectName("fieldError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        layout.addWidget(self.error_label)

    def set_error(self, message: str | None) -> None:
        show_message(self.error_label, message)
        self.widget.setProperty("invalid", bool(message))
        # A dynamic property only restyles after a re-polish.
        self.widget.style().unpolish(self.widget)
        self.widget.style().polish(self.widget)

    @property
    def error(self) -> str:
        return self.error_label.text()


def column_edit(model: type[SQLModel], name: str) -> QLineEdit:
    """A line edit that takes no more characters than the column `name` of `model` holds (the use case's limit)."""
    edit = QLineEdit()
    edit.setMaxLength(max_length(model, name))
    return edit
