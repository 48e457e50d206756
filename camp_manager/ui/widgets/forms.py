"""Form fields that show their problem right next to the input, as the user types."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget
from sqlmodel import SQLModel

from camp_manager.services.inputs import max_length


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
        self.error_label.setText(message or "")
        self.error_label.setVisible(bool(message))
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
