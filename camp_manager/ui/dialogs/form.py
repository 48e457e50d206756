"""A dialog whose OK runs one use case; a domain error appears next to the field it names.

Subclasses add rows with `add_row(label, widget, field, ...)` and implement `commit(session)`.
OK runs `commit` in one unit of work: on success the dialog closes and every page is told
the data changed; on a DomainError nothing is written and the message shows under the
field it names (`DomainError.field`) or at the top of the form.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from camp_manager.errors import DomainError, EditConflict
from camp_manager.ui.context import AppContext
from camp_manager.ui.style import make_primary
from camp_manager.ui.widgets.forms import FieldWithError, show_message
from camp_manager.ui.workers import show_error

if TYPE_CHECKING:
    from sqlmodel import Session


class FormDialog(QDialog):
    def __init__(self, context: AppContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.result_row: Any = None
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        self.general_error = QLabel()
        self.general_error.setObjectName("formError")
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        make_primary(self.ok_button)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(self.general_error)
        self.layout_.addLayout(self.form)
        self._fields: dict[str, FieldWithError] = {}

    @property
    def ok_button(self):
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def finish_layout(self) -> None:
        """Call once the rows are added: puts the buttons last."""
        self.layout_.addWidget(self.buttons)

    def add_row(self, label: str, widget: QWidget, *fields: str) -> FieldWithError:
        """A labelled row; an error about any of `fields` shows right under the input."""
        row = FieldWithError(widget)
        self.form.addRow(label, row)
        for name in fields:
            self._fields[name] = row
        return row

    def set_row_visible(self, widget: QWidget, visible: bool) -> None:
        row = widget.parentWidget()
        row.setVisible(visible)
        self.form.labelForField(row).setVisible(visible)

    # --- errors ------------------------------------------------------------------------
    def clear_errors(self) -> None:
        show_message(self.general_error, None)
        for row in set(self._fields.values()):
            row.set_error(None)

    def show_domain_error(self, error: DomainError) -> None:
        row = self._fields.get(error.field or "")
        if row is None:
            show_message(self.general_error, error.message)
            return
        row.set_error(error.message)
        row.widget.setFocus()

    def error_text(self, field: str | None = None) -> str:
        """The error shown for `field` (or at the top for None): what a manager reads."""
        if field is None:
            return "" if self.general_error.isHidden() else self.general_error.text()
        return self._fields[field].error

    # --- committing ----------------------------------------------------------------------
    def commit(self, session: Session) -> Any:
        raise NotImplementedError

    def reload(self) -> None:
        """After a colleague's newer save (EditConflict): read the record again, keeping what was typed,
        so that the next OK applies the user's change to it. A form that shows no stored record has none."""

    def submit(self) -> None:
        self.clear_errors()
        try:
            with self.context.unit_of_work() as session:
                self.result_row = self.commit(session)
        except DomainError as error:
            self.show_domain_error(error)
            if isinstance(error, EditConflict):
                self.context.notify_changed()  # the page behind shows the colleague's save
                self.reload()
            return
        except Exception as error:  # noqa: BLE001 (logged and shown as a friendly dialog; nothing was written)
            show_error(self, error)
            return
        self.accept()
        self.context.notify_changed()


def select_data(combo: QComboBox, value: Any) -> bool:
    """Select the item whose data is `value`; False when there is none."""
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)
    return index >= 0


def replace_choices(combo: QComboBox, items: list[tuple[Any, str]], *, keep: Any) -> None:
    """Replace every item; `keep` (an item's data) stays chosen if it is still there, else nothing is."""
    combo.clear()
    for data, text in items:
        combo.addItem(text, data)
    if keep is None or not select_data(combo, keep):
        combo.setCurrentIndex(-1)


def set_combo_items(combo: QComboBox, items: list[tuple[Any, str]], *, fixed: int = 0, prefer: Any = None) -> None:
    """Replace the items after the first `fixed` ones (e.g. 'all facilities'), quietly.

    The current choice is kept when it is still there (else `prefer`, else the first item);
    nothing is emitted, so a refresh that reloads the choices does not trigger itself.
    """
    current = [(combo.itemData(i), combo.itemText(i)) for i in range(fixed, combo.count())]
    if current == items:
        return
    keep = combo.currentData()
    combo.blockSignals(True)
    while combo.count() > fixed:
        combo.removeItem(fixed)
    for data, text in items:
        combo.addItem(text, data)
    index = combo.findData(keep) if keep is not None else -1
    if index < 0 and prefer is not None:
        index = combo.findData(prefer)
    combo.setCurrentIndex(max(index, 0) if combo.count() else -1)
    combo.blockSignals(False)
