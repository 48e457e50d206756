"""2. Sheet: which sheet of the file, and which row holds the column titles, with the sheet as read."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox

from camp_manager.i18n import tr
from camp_manager.importing.mapping import ColumnMapping, ListKind, choose_sheet, mapping_at
from camp_manager.importing.normalize import column_letter, display
from camp_manager.importing.read import Sheet
from camp_manager.labels import label
from camp_manager.ui.context import AppContext
from camp_manager.ui.models.table import Column
from camp_manager.ui.pages.import_wizard.step import ImportState, WizardStep, plain_label
from camp_manager.ui.widgets.table_view import DataTable
from camp_manager.ui.workers import run_in_background

RAW_COLUMNS = 30  # the first columns and rows of the sheet are shown as read
RAW_ROWS = 200


class SheetStep(WizardStep):
    def __init__(self, context: AppContext, state: ImportState) -> None:
        super().__init__(context, state, tr("2. 시트"))
        layout = self.body
        self.sheet_combo = QComboBox()
        self.sheet_combo.activated.connect(lambda _i: self._sheet_chosen())
        self.header_spin = QSpinBox()
        self.header_spin.setRange(1, 30)
        self.header_spin.valueChanged.connect(lambda _v: self._header_row_chosen())
        self.sheet_note = plain_label("")
        self.sheet_note.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("시트")))
        row.addWidget(self.sheet_combo, 1)
        row.addSpacing(12)
        row.addWidget(QLabel(tr("열 제목이 있는 행")))
        row.addWidget(self.header_spin)
        layout.addLayout(row)
        layout.addWidget(self.sheet_note)
        raw_columns = [
            Column(title=lambda: tr("행"), text=lambda r: str(r[0]), sort_key=lambda r: r[0], align_right=True)
        ]
        raw_columns += [
            Column(title=lambda c=c: column_letter(c), text=lambda r, c=c: display(r[1][c]) if c < len(r[1]) else "")
            for c in range(RAW_COLUMNS)
        ]
        self.raw_table = DataTable(
            raw_columns, name="import_raw_table", widths=(56,), empty_text=lambda: tr("빈 시트입니다.")
        )
        self.raw_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        layout.addWidget(self.raw_table, 1)

    def start(self) -> None:
        self.sheet_combo.clear()
        self.sheet_combo.addItems(self.state.source.sheet_names)
        self._sheet_read(self.state.sheet, self.state.mapping)

    def go_on(self) -> None:
        if self.state.mapping is None:
            self._header_row_chosen()
        self.finished.emit()

    def _sheet_chosen(self) -> None:
        name, source, store, kind = (
            self.sheet_combo.currentText(),
            self.state.source,
            self.state.store,
            self.state.requested_kind,
        )
        run_in_background(
            self,
            title=tr("시트를 읽는 중…"),
            job=lambda progress: choose_sheet(source, name, kind=kind, store=store, progress=progress),
            on_success=lambda read: self._sheet_read(*read),
        )

    def _sheet_read(self, sheet: Sheet, mapping: ColumnMapping | None) -> None:
        self.state.sheet, self.state.mapping = sheet, mapping
        self.state.header_by_hand = False
        self.sheet_combo.setCurrentText(sheet.name)
        for column in range(RAW_COLUMNS):
            self.raw_table.setColumnHidden(column + 1, column >= sheet.width)
        self.raw_table.set_rows([(number, row) for number, row in enumerate(sheet.rows[:RAW_ROWS], start=1)])
        self.header_spin.blockSignals(True)
        self.header_spin.setValue(mapping.header_row if mapping else 1)
        self.header_spin.blockSignals(False)
        if mapping is None:
            self.sheet_note.setText(tr("열 제목 행을 알아보지 못했습니다. 열 제목이 있는 행 번호를 고르세요."))
        else:
            self.sheet_note.setText(
                tr(
                    "{row}행을 열 제목으로 읽었습니다 ({kind}). 데이터 {count}행.",
                    row=mapping.header_row,
                    kind=label(mapping.kind),
                    count=max(len(sheet.rows) - mapping.header_row, 0),
                )
            )

    def _header_row_chosen(self) -> None:
        state = self.state
        if state.sheet is None:
            return
        kind = state.mapping.kind if state.mapping else (state.requested_kind or ListKind.RESIDENTS)
        state.mapping = mapping_at(state.sheet, self.header_spin.value(), kind)
        state.header_by_hand = True
        self.sheet_note.setText(tr("{row}행을 열 제목으로 씁니다.", row=state.mapping.header_row))
