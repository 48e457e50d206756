"""3. Column mapping: what each column holds, which facility the rows go to; 'Next' checks every row."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QLabel, QScrollArea, QWidget

from camp_manager.db.engine import unit_of_work
from camp_manager.i18n import tr
from camp_manager.importing.mapping import LIST_KINDS, ListKind, field_label, fields_for, mapping_at
from camp_manager.importing.normalize import column_letter, display
from camp_manager.importing.plan import ImportOptions, ImportPlan
from camp_manager.importing.verdicts import check
from camp_manager.labels import label
from camp_manager.progress import Progress
from camp_manager.ui.context import AppContext
from camp_manager.ui.pages.import_wizard.step import ERROR_COLOUR, ImportState, WizardStep, plain_label
from camp_manager.ui.workers import run_in_background

FROM_FILE_COLUMN = ""  # the facility combo's entry for "the file's facility column decides"
SAMPLE_ROWS = 3


class MappingStep(WizardStep):
    def __init__(self, context: AppContext, state: ImportState) -> None:
        super().__init__(context, state, tr("3. 열 연결"))
        self._field_combos: list[QComboBox | None] = []
        self._facilities: list[str] = []
        layout = self.body
        kind_row = QHBoxLayout()
        self.kind_combo = QComboBox()
        for kind in LIST_KINDS:
            self.kind_combo.addItem(label(kind), kind)
        self.kind_combo.activated.connect(lambda _i: self._kind_chosen())
        kind_row.addWidget(QLabel(tr("목록 종류")))
        kind_row.addWidget(self.kind_combo)
        kind_row.addStretch(1)
        layout.addLayout(kind_row)
        note = QLabel(
            tr(
                "각 열에 어떤 값이 있는지 고르세요. '가져오지 않음'인 열은 무시합니다. 고친 연결은 같은 제목의 파일에 다시 씁니다."
            )
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.mapping_grid_host = QWidget()
        self.mapping_grid = QGridLayout(self.mapping_grid_host)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.mapping_grid_host)
        layout.addWidget(scroll, 1)
        self.missing_label = QLabel()
        self.missing_label.setStyleSheet(f"color: {ERROR_COLOUR.name()}")
        layout.addWidget(self.missing_label)
        options = QHBoxLayout()
        self.facility_combo = QComboBox()
        self.facility_combo.setEditable(True)
        self.facility_combo.setMinimumWidth(220)
        self.create_rooms_check = QCheckBox(tr("없는 호실 만들기"))
        options.addWidget(QLabel(tr("가져올 시설")))
        options.addWidget(self.facility_combo)
        options.addSpacing(12)
        options.addWidget(self.create_rooms_check)
        options.addStretch(1)
        layout.addLayout(options)

    def set_facilities(self, names: list[str]) -> None:
        """The facilities the rows can go to (read by the page on every refresh)."""
        self._facilities = names

    def start(self) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(self.state.mapping.kind))
        self._fill_mapping_grid()
        self._fill_facilities()

    def can_go_on(self) -> bool:
        return self.state.mapping is not None and not self.state.mapping.missing_required()

    def go_on(self) -> None:
        """Check every row against the database, off the UI thread; nothing is written."""
        state = self.state
        state.store.remember(state.mapping, keep=state.header_by_hand)
        source, sheet, mapping, options, engine = (
            state.source,
            state.sheet,
            state.mapping,
            self.options(),
            self.context.engine,
        )

        def job(progress: Progress) -> ImportPlan:
            with unit_of_work(engine) as session:
                return check(
                    session=session, source=source, sheet=sheet, mapping=mapping, options=options, progress=progress
                )

        def checked(plan: ImportPlan) -> None:
            state.plan = plan
            self.finished.emit()

        run_in_background(self, title=tr("행을 확인하는 중…"), job=job, on_success=checked)

    def _kind_chosen(self) -> None:
        kind, mapping = self.kind_combo.currentData(), self.state.mapping
        if mapping is not None and kind != mapping.kind:
            self.state.mapping = mapping_at(self.state.sheet, mapping.header_row, kind)
            self._fill_mapping_grid()
            self._fill_facilities()

    def _fill_mapping_grid(self) -> None:
        mapping, sheet = self.state.mapping, self.state.sheet
        while self.mapping_grid.count():
            self.mapping_grid.takeAt(0).widget().deleteLater()
        for row in range(self.mapping_grid.rowCount()):
            self.mapping_grid.setRowStretch(row, 0)
        for column, title in enumerate((tr("열"), tr("열 제목"), tr("예시 값"), tr("넣을 항목"))):
            label = QLabel(f"<b>{title}</b>")
            self.mapping_grid.addWidget(label, 0, column)
        samples = sheet.rows[mapping.header_row : mapping.header_row + SAMPLE_ROWS]
        choices = [(tr("(가져오지 않음)"), None)] + [(spec.label, spec.key) for spec in fields_for(mapping.kind)]
        self._field_combos = []
        for index, header in enumerate(mapping.headers):
            values = [display(row[index]) for row in samples if index < len(row) and display(row[index])]
            if not header and not values:
                self._field_combos.append(None)
                continue
            combo = QComboBox()
            combo.setObjectName(f"map_column_{index}")
            for text, key in choices:
                combo.addItem(text, key)
            combo.setCurrentIndex(combo.findData(mapping.columns.get(index)))
            combo.activated.connect(lambda _i, column=index, box=combo: self._field_chosen(column, box.currentData()))
            row = index + 1
            self.mapping_grid.addWidget(QLabel(column_letter(index)), row, 0)
            self.mapping_grid.addWidget(plain_label(header or "-"), row, 1)
            self.mapping_grid.addWidget(plain_label(", ".join(v[:30] for v in values)), row, 2)
            self.mapping_grid.addWidget(combo, row, 3)
            self._field_combos.append(combo)
        # Rows keep their height at the top; the samples take the spare width.
        self.mapping_grid.setRowStretch(self.mapping_grid.rowCount(), 1)
        self.mapping_grid.setColumnStretch(2, 1)
        self._mapping_changed()

    def _field_chosen(self, column: int, key: str | None) -> None:
        self.state.mapping = self.state.mapping.with_field(column, key)
        for index, combo in enumerate(self._field_combos):
            if combo is not None:
                combo.setCurrentIndex(combo.findData(self.state.mapping.columns.get(index)))
        self._mapping_changed()
        self._fill_facilities()

    def set_column_field(self, column: int, key: str | None) -> None:
        """Map a column as if the user chose it in its combo box."""
        combo = self._field_combos[column]
        combo.setCurrentIndex(combo.findData(key))
        combo.activated.emit(combo.currentIndex())

    def _mapping_changed(self) -> None:
        missing = self.state.mapping.missing_required()
        self.missing_label.setText(
            tr("꼭 필요한 항목의 열을 고르세요: {fields}", fields=", ".join(field_label(k) for k in missing))
            if missing
            else ""
        )
        self.completeChanged.emit()

    def _fill_facilities(self) -> None:
        current = self.facility_combo.currentText()
        self.facility_combo.clear()
        if self.state.mapping.column_of("facility") is not None and len(self._facilities) > 1:
            self.facility_combo.addItem(tr("파일의 '시설' 열에 따름"), FROM_FILE_COLUMN)
        for name in self._facilities:
            self.facility_combo.addItem(name, name)
        self.facility_combo.lineEdit().setPlaceholderText(tr("새 시설 이름") if not self._facilities else "")
        if current and self.facility_combo.findText(current) >= 0:
            self.facility_combo.setCurrentText(current)
        self.create_rooms_check.setVisible(self.state.mapping.kind == ListKind.RESIDENTS)

    def options(self) -> ImportOptions:
        chosen = self.facility_combo.currentText().strip()
        index = self.facility_combo.findText(chosen)
        facility = self.facility_combo.itemData(index) if index >= 0 else chosen  # a typed name: a new facility
        return ImportOptions(
            facility=facility if facility and facility != FROM_FILE_COLUMN else None,
            create_rooms=self.create_rooms_check.isChecked(),
            as_of=self.context.as_of,
        )
