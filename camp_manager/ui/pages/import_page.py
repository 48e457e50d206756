"""Import (가져오기): a resident or room list from a spreadsheet, as a wizard.

File → sheet → column mapping → preview → confirm → summary. Reading, checking and
writing run off the UI thread with progress and cancel; each job opens its own unit of
work. Nothing is written before the confirm step, and the import itself checks the rows
again and refuses if the database changed since the preview.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFileDialog, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton,
    QScrollArea, QSpinBox, QStackedWidget, QVBoxLayout, QWidget,
)

from camp_manager.db.engine import unit_of_work
from camp_manager.i18n import tr
from camp_manager.importing.actions import Action, action_label
from camp_manager.importing.commit import ImportResult, run_import
from camp_manager.importing.undo import last_import, undo_last_import
from camp_manager.importing.errors_report import write_error_report
from camp_manager.importing.mapping import ColumnMapping, ListKind, MappingStore, choose_sheet, field_label, fields_for, mapping_at
from camp_manager.importing.normalize import Severity, column_letter, display
from camp_manager.importing.read import Sheet, SourceFile, open_file
from camp_manager.importing.template import save_template
from camp_manager.importing.plan import ImportOptions, ImportPlan
from camp_manager.importing.verdicts import check
from camp_manager.progress import Progress
from camp_manager.services import listings
from camp_manager.ui.context import AppContext
from camp_manager.ui.models.table import Column
from camp_manager.ui.pages.base import Page
from camp_manager.ui.style import make_primary
from camp_manager.ui.widgets.table_view import DataTable
from camp_manager.ui.workers import run_in_background, show_error

SPREADSHEET_FILTER = "*.xlsx *.xls *.xlsm *.ods *.csv *.txt *.tsv"
FROM_FILE_COLUMN = ""  # the facility combo's entry for "the file's facility column decides"
SAMPLE_ROWS = 3
RAW_COLUMNS = 30  # the sheet step shows the first columns and rows of the sheet as read
RAW_ROWS = 200
ERROR_COLOUR = QColor("#B3261E")
WARNING_COLOUR = QColor("#B7791F")
SKIPPED_COLOUR = QColor("#6B7785")


@dataclass(frozen=True)
class PreviewRow:
    """One line of the preview: a row's verdict, or a row that was skipped."""

    row: int
    status: str  # an Action value or "skipped"
    title: str
    key: str
    changes: str
    problems: str
    has_warnings: bool = False


def preview_rows(plan: ImportPlan) -> list[PreviewRow]:
    rows = [
        PreviewRow(
            row=v.row, status=v.action.value, title=v.title, key=v.key,
            changes="; ".join(str(c) for c in v.changes),
            problems="  ".join(f"[{p.header or '-'}] {p.message}" if p.severity == Severity.ERROR else tr("주의: [{header}] {message}", header=p.header or "-", message=p.message) for p in v.problems),
            has_warnings=bool(v.warnings),
        )
        for v in plan.verdicts
    ]
    rows += [PreviewRow(row=s.row, status="skipped", title="", key="", changes="", problems=s.reason) for s in plan.skipped]
    return sorted(rows, key=lambda r: r.row)


def status_label(status: str) -> str:
    return tr("건너뜀") if status == "skipped" else action_label(Action(status))


def _status_colour(row: PreviewRow) -> QColor | None:
    if row.status == Action.ERROR:
        return ERROR_COLOUR
    if row.status == "skipped":
        return SKIPPED_COLOUR
    return WARNING_COLOUR if row.has_warnings else None


def preview_columns() -> list[Column[PreviewRow]]:
    return [
        Column(title=lambda: tr("행"), text=lambda r: str(r.row), sort_key=lambda r: r.row, align_right=True),
        Column(title=lambda: tr("결과"), text=lambda r: status_label(r.status), foreground=_status_colour),
        Column(title=lambda: tr("이름·호실"), text=lambda r: r.title, searchable=True),
        Column(title=lambda: tr("사업자등록번호·시설"), text=lambda r: r.key, searchable=True, search_text=lambda r: r.key + " " + r.key.replace("-", "")),
        Column(title=lambda: tr("바뀌는 내용"), text=lambda r: r.changes, searchable=True),
        Column(title=lambda: tr("확인할 내용"), text=lambda r: r.problems, searchable=True, foreground=_status_colour),
    ]


FILTERS = {
    "all": lambda: (tr("모든 행"), None),
    Action.CREATE.value: lambda: (action_label(Action.CREATE), lambda r: r.status == Action.CREATE),
    Action.UPDATE.value: lambda: (action_label(Action.UPDATE), lambda r: r.status == Action.UPDATE),
    Action.UNCHANGED.value: lambda: (action_label(Action.UNCHANGED), lambda r: r.status == Action.UNCHANGED),
    Action.ERROR.value: lambda: (action_label(Action.ERROR), lambda r: r.status == Action.ERROR),
    "warnings": lambda: (tr("주의 있음"), lambda r: r.has_warnings),
    "skipped": lambda: (tr("건너뜀"), lambda r: r.status == "skipped"),
}


def _plain_label(text: str) -> QLabel:
    """Text from the user's file, shown as it is (never read as HTML)."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def _step(title: str) -> tuple[QWidget, QVBoxLayout]:
    widget = QWidget()
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(0, 0, 0, 0)
    heading = QLabel(title)
    heading.setObjectName("sectionTitle")
    layout.addWidget(heading)
    return widget, layout


class ImportPage(Page):
    STEPS = ("file", "sheet", "mapping", "preview", "confirm", "summary")

    def __init__(self, context: AppContext, parent: QWidget | None = None, *, store: MappingStore | None = None) -> None:
        super().__init__(context, parent)
        self.store = store or MappingStore()
        self.source: SourceFile | None = None
        self.sheet: Sheet | None = None
        self.mapping: ColumnMapping | None = None
        self.plan: ImportPlan | None = None
        self.result: ImportResult | None = None
        self._header_by_hand = False  # the user pointed at the header row: remember the mapping as it is
        self._field_combos: list[QComboBox | None] = []
        self._facilities: list[str] = []
        self.saved_report: Path | None = None

        heading = QLabel(tr("가져오기"))
        heading.setObjectName("pageTitle")
        self.subtitle = QLabel(tr("입주기업 명단이나 호실 목록을 스프레드시트에서 가져옵니다. 확인하기 전에는 아무것도 바뀌지 않습니다."))
        self.subtitle.setObjectName("pageSubtitle")
        self.subtitle.setWordWrap(True)
        self.steps = QStackedWidget()
        self.steps.addWidget(self._file_step())
        self.steps.addWidget(self._sheet_step())
        self.steps.addWidget(self._mapping_step())
        self.steps.addWidget(self._preview_step())
        self.steps.addWidget(self._confirm_step())
        self.steps.addWidget(self._summary_step())

        self.back_button = QPushButton(tr("< 이전"))
        self.back_button.clicked.connect(self.back)
        self.next_button = make_primary(QPushButton(tr("다음 >")))
        self.next_button.clicked.connect(self.next)
        self.step_label = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.step_label)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addWidget(heading)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.steps, 1)
        layout.addLayout(buttons)
        self._show("file")

    # --- the page contract ----------------------------------------------------------------
    def title(self) -> str:
        return tr("가져오기")

    def refresh(self) -> None:
        with self.context.unit_of_work() as session:
            batch = last_import(session)
            facilities = [f.name for f in listings.facilities_in_order(session)]
        self._facilities = facilities
        if batch is None:
            self.last_import_label.setText(tr("아직 가져온 파일이 없습니다."))
        else:
            self.last_import_label.setText(
                tr("마지막 가져오기: '{file}' ({when}, {who}) — 새로 {created}, 수정 {updated}", file=batch.file_name, when=batch.imported_at.astimezone().strftime("%Y-%m-%d %H:%M"), who=batch.imported_by, created=batch.created, updated=batch.updated)
            )
        for button in (self.undo_button, self.summary_undo_button):
            button.setEnabled(batch is not None)

    # --- steps ------------------------------------------------------------------------------
    def _file_step(self) -> QWidget:
        widget, layout = _step(tr("1. 파일"))
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(tr(".xlsx, .xls, .ods, .csv 파일"))
        self.path_edit.returnPressed.connect(self.next)
        browse = QPushButton(tr("파일 고르기…"))
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        layout.addLayout(row)
        self.rooms_check = QCheckBox(tr("호실 목록입니다 (층, 호실, 유형, 좌석 수, 면적)"))
        layout.addWidget(self.rooms_check)
        template = QPushButton(tr("빈 양식 저장…"))
        template.clicked.connect(self.save_template)
        layout.addWidget(template, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addSpacing(16)
        self.last_import_label = _plain_label("")
        self.last_import_label.setWordWrap(True)
        self.undo_button = QPushButton(tr("마지막 가져오기 되돌리기…"))
        self.undo_button.clicked.connect(self.undo)
        layout.addWidget(self.last_import_label)
        layout.addWidget(self.undo_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        return widget

    def _sheet_step(self) -> QWidget:
        widget, layout = _step(tr("2. 시트"))
        self.sheet_combo = QComboBox()
        self.sheet_combo.activated.connect(lambda _i: self._sheet_chosen())
        self.header_spin = QSpinBox()
        self.header_spin.setRange(1, 30)
        self.header_spin.valueChanged.connect(lambda _v: self._header_row_chosen())
        self.sheet_note = _plain_label("")
        self.sheet_note.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("시트")))
        row.addWidget(self.sheet_combo, 1)
        row.addSpacing(12)
        row.addWidget(QLabel(tr("열 제목이 있는 행")))
        row.addWidget(self.header_spin)
        layout.addLayout(row)
        layout.addWidget(self.sheet_note)
        raw_columns = [Column(title=lambda: tr("행"), text=lambda r: str(r[0]), sort_key=lambda r: r[0], align_right=True)]
        raw_columns += [
            Column(title=lambda c=c: column_letter(c), text=lambda r, c=c: display(r[1][c]) if c < len(r[1]) else "") for c in range(RAW_COLUMNS)
        ]
        self.raw_table = DataTable(raw_columns, name="import_raw_table", widths=(56,), empty_text=lambda: tr("빈 시트입니다."))
        self.raw_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        layout.addWidget(self.raw_table, 1)
        return widget

    def _mapping_step(self) -> QWidget:
        widget, layout = _step(tr("3. 열 연결"))
        kind_row = QHBoxLayout()
        self.kind_combo = QComboBox()
        self.kind_combo.addItem(tr("입주기업 목록"), ListKind.RESIDENTS)
        self.kind_combo.addItem(tr("호실 목록"), ListKind.ROOMS)
        self.kind_combo.activated.connect(lambda _i: self._kind_chosen())
        kind_row.addWidget(QLabel(tr("목록 종류")))
        kind_row.addWidget(self.kind_combo)
        kind_row.addStretch(1)
        layout.addLayout(kind_row)
        note = QLabel(tr("각 열에 어떤 값이 있는지 고르세요. '가져오지 않음'인 열은 무시합니다. 고친 연결은 같은 제목의 파일에 다시 씁니다."))
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
        return widget

    def _preview_step(self) -> QWidget:
        widget, layout = _step(tr("4. 미리보기"))
        self.counts_label = _plain_label("")
        self.counts_label.setObjectName("importCounts")
        self.counts_label.setWordWrap(True)
        layout.addWidget(self.counts_label)
        controls = QHBoxLayout()
        self.filter_combo = QComboBox()
        for key, describe in FILTERS.items():
            self.filter_combo.addItem(describe()[0], key)
        self.filter_combo.currentIndexChanged.connect(lambda _i: self._filter_chosen())
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(tr("이름·번호·내용 검색"))
        self.search_edit.setClearButtonEnabled(True)
        report = QPushButton(tr("오류 표시 파일 저장…"))
        report.clicked.connect(self.save_error_report)
        controls.addWidget(self.filter_combo)
        controls.addWidget(self.search_edit, 1)
        controls.addWidget(report)
        layout.addLayout(controls)
        self.preview_table = DataTable(preview_columns(), name="import_preview_table", widths=(48, 80, 160, 130, 260), empty_text=lambda: tr("보여 줄 행이 없습니다."))
        self.preview_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.search_edit.textChanged.connect(self.preview_table.proxy.set_search)
        layout.addWidget(self.preview_table, 1)
        self.detail_label = _plain_label("")
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview_table.currentRowChanged.connect(self._show_detail)
        layout.addWidget(self.detail_label)
        return widget

    def _confirm_step(self) -> QWidget:
        widget, layout = _step(tr("5. 확인"))
        self.confirm_label = _plain_label("")
        self.confirm_label.setWordWrap(True)
        self.skip_invalid_check = QCheckBox()
        self.skip_invalid_check.toggled.connect(lambda _c: self._update_buttons())
        layout.addWidget(self.confirm_label)
        layout.addWidget(self.skip_invalid_check)
        layout.addStretch(1)
        return widget

    def _summary_step(self) -> QWidget:
        widget, layout = _step(tr("6. 결과"))
        self.summary_label = _plain_label("")
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        buttons = QHBoxLayout()
        report = QPushButton(tr("오류 표시 파일 저장…"))
        report.clicked.connect(self.save_error_report)
        self.summary_undo_button = QPushButton(tr("마지막 가져오기 되돌리기…"))
        self.summary_undo_button.clicked.connect(self.undo)
        again = QPushButton(tr("다른 파일 가져오기"))
        again.clicked.connect(self.restart)
        for button in (report, self.summary_undo_button, again):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(1)
        return widget

    # --- navigation ------------------------------------------------------------------------
    def current_step(self) -> str:
        return self.STEPS[self.steps.currentIndex()]

    def _show(self, step: str) -> None:
        self.steps.setCurrentIndex(self.STEPS.index(step))
        self.step_label.setText(tr("{number} / {total} 단계", number=self.STEPS.index(step) + 1, total=len(self.STEPS)))
        self.next_button.setText(tr("가져오기") if step == "confirm" else tr("다음 >"))
        self._update_buttons()

    def _update_buttons(self) -> None:
        step = self.current_step()
        self.back_button.setEnabled(step not in ("file", "summary"))
        enabled = step != "summary"
        if step == "mapping":
            enabled = self.mapping is not None and not self.mapping.missing_required()
        if step == "confirm" and self.plan is not None:
            writes = self.plan.count(Action.CREATE) + self.plan.count(Action.UPDATE)
            enabled = writes > 0 and (not self.plan.error_rows or self.skip_invalid_check.isChecked())
        self.next_button.setEnabled(enabled)

    def back(self) -> None:
        index = self.STEPS.index(self.current_step())
        if index > 0:
            self._show(self.STEPS[index - 1])

    def next(self) -> None:
        step = self.current_step()
        if step == "file":
            self.open_chosen_file()
        elif step == "sheet":
            self._show_mapping()
        elif step == "mapping":
            self.check_rows()
        elif step == "preview":
            self._show_confirm()
        elif step == "confirm":
            self.import_rows()

    def restart(self) -> None:
        self.source = self.sheet = self.mapping = self.plan = self.result = None
        self.path_edit.clear()
        self.refresh()
        self._show("file")

    # --- 1. file ---------------------------------------------------------------------------
    def browse(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, tr("가져올 파일"), str(self.context.export_folder()), tr("스프레드시트 ({patterns})", patterns=SPREADSHEET_FILTER))
        if chosen:
            self.path_edit.setText(chosen)
            self.open_chosen_file()

    def open_chosen_file(self) -> None:
        text = self.path_edit.text().strip()
        if not text:
            return
        path, kind, store = Path(text), (ListKind.ROOMS if self.rooms_check.isChecked() else None), self.store

        def job(progress: Progress) -> tuple[SourceFile, Sheet, ColumnMapping | None]:
            source = open_file(path, progress)
            return (source, *choose_sheet(source, kind=kind, store=store, progress=progress))

        run_in_background(self, title=tr("파일을 읽는 중…"), job=job, on_success=self._file_opened)

    def _file_opened(self, opened: tuple[SourceFile, Sheet, ColumnMapping | None]) -> None:
        self.source, sheet, mapping = opened
        self.sheet_combo.clear()
        self.sheet_combo.addItems(self.source.sheet_names)
        self._sheet_read(sheet, mapping)
        self._show("sheet")

    # --- 2. sheet --------------------------------------------------------------------------
    def _sheet_chosen(self) -> None:
        name, source, store = self.sheet_combo.currentText(), self.source, self.store
        kind = ListKind.ROOMS if self.rooms_check.isChecked() else None
        run_in_background(
            self, title=tr("시트를 읽는 중…"),
            job=lambda progress: choose_sheet(source, name, kind=kind, store=store, progress=progress),
            on_success=lambda read: self._sheet_read(*read),
        )

    def _sheet_read(self, sheet: Sheet, mapping: ColumnMapping | None) -> None:
        self.sheet, self.mapping = sheet, mapping
        self._header_by_hand = False
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
            kind = tr("입주기업 목록") if mapping.kind == ListKind.RESIDENTS else tr("호실 목록")
            self.sheet_note.setText(tr("{row}행을 열 제목으로 읽었습니다 ({kind}). 데이터 {count}행.", row=mapping.header_row, kind=kind, count=max(len(sheet.rows) - mapping.header_row, 0)))

    def _header_row_chosen(self) -> None:
        if self.sheet is None:
            return
        kind = self.mapping.kind if self.mapping else (ListKind.ROOMS if self.rooms_check.isChecked() else ListKind.RESIDENTS)
        self.mapping = mapping_at(self.sheet, self.header_spin.value(), kind)
        self._header_by_hand = True
        self.sheet_note.setText(tr("{row}행을 열 제목으로 씁니다.", row=self.mapping.header_row))

    # --- 3. mapping -----------------------------------------------------------------------
    def _show_mapping(self) -> None:
        if self.mapping is None:
            self._header_row_chosen()
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(self.mapping.kind))
        self._fill_mapping_grid()
        self._fill_facilities()
        self._show("mapping")

    def _kind_chosen(self) -> None:
        kind = self.kind_combo.currentData()
        if self.mapping is not None and kind != self.mapping.kind:
            self.mapping = mapping_at(self.sheet, self.mapping.header_row, kind)
            self._fill_mapping_grid()
            self._fill_facilities()

    def _fill_mapping_grid(self) -> None:
        while self.mapping_grid.count():
            self.mapping_grid.takeAt(0).widget().deleteLater()
        for row in range(self.mapping_grid.rowCount()):
            self.mapping_grid.setRowStretch(row, 0)
        for column, title in enumerate((tr("열"), tr("열 제목"), tr("예시 값"), tr("넣을 항목"))):
            label = QLabel(f"<b>{title}</b>")
            self.mapping_grid.addWidget(label, 0, column)
        samples = self.sheet.rows[self.mapping.header_row : self.mapping.header_row + SAMPLE_ROWS]
        choices = [(tr("(가져오지 않음)"), None)] + [(spec.label, spec.key) for spec in fields_for(self.mapping.kind)]
        self._field_combos = []
        for index, header in enumerate(self.mapping.headers):
            values = [display(row[index]) for row in samples if index < len(row) and display(row[index])]
            if not header and not values:
                self._field_combos.append(None)
                continue
            combo = QComboBox()
            combo.setObjectName(f"map_column_{index}")
            for text, key in choices:
                combo.addItem(text, key)
            combo.setCurrentIndex(combo.findData(self.mapping.columns.get(index)))
            combo.activated.connect(lambda _i, column=index, box=combo: self._field_chosen(column, box.currentData()))
            row = index + 1
            self.mapping_grid.addWidget(QLabel(column_letter(index)), row, 0)
            self.mapping_grid.addWidget(_plain_label(header or "-"), row, 1)
            self.mapping_grid.addWidget(_plain_label(", ".join(v[:30] for v in values)), row, 2)
            self.mapping_grid.addWidget(combo, row, 3)
            self._field_combos.append(combo)
        # Rows keep their height at the top; the samples take the spare width.
        self.mapping_grid.setRowStretch(self.mapping_grid.rowCount(), 1)
        self.mapping_grid.setColumnStretch(2, 1)
        self._mapping_changed()

    def _field_chosen(self, column: int, key: str | None) -> None:
        self.mapping = self.mapping.with_field(column, key)
        for index, combo in enumerate(self._field_combos):
            if combo is not None:
                combo.setCurrentIndex(combo.findData(self.mapping.columns.get(index)))
        self._mapping_changed()
        self._fill_facilities()

    def set_column_field(self, column: int, key: str | None) -> None:
        """Map a column as if the user chose it in its combo box."""
        combo = self._field_combos[column]
        combo.setCurrentIndex(combo.findData(key))
        combo.activated.emit(combo.currentIndex())

    def _mapping_changed(self) -> None:
        missing = self.mapping.missing_required()
        self.missing_label.setText(tr("꼭 필요한 항목의 열을 고르세요: {fields}", fields=", ".join(field_label(k) for k in missing)) if missing else "")
        self._update_buttons()

    def _fill_facilities(self) -> None:
        current = self.facility_combo.currentText()
        self.facility_combo.clear()
        if self.mapping.column_of("facility") is not None and len(self._facilities) > 1:
            self.facility_combo.addItem(tr("파일의 '시설' 열에 따름"), FROM_FILE_COLUMN)
        for name in self._facilities:
            self.facility_combo.addItem(name, name)
        self.facility_combo.lineEdit().setPlaceholderText(tr("새 시설 이름") if not self._facilities else "")
        if current and self.facility_combo.findText(current) >= 0:
            self.facility_combo.setCurrentText(current)
        self.create_rooms_check.setVisible(self.mapping.kind == ListKind.RESIDENTS)

    def options(self) -> ImportOptions:
        chosen = self.facility_combo.currentText().strip()
        index = self.facility_combo.findText(chosen)
        facility = self.facility_combo.itemData(index) if index >= 0 else chosen  # a typed name: a new facility
        return ImportOptions(
            facility=facility if facility and facility != FROM_FILE_COLUMN else None,
            create_rooms=self.create_rooms_check.isChecked(),
            as_of=self.context.as_of,
        )

    # --- 4. preview ------------------------------------------------------------------------
    def check_rows(self) -> None:
        self.store.remember(self.mapping, keep=self._header_by_hand)
        source, sheet, mapping, options, engine = self.source, self.sheet, self.mapping, self.options(), self.context.engine

        def job(progress: Progress) -> ImportPlan:
            with unit_of_work(engine) as session:
                return check(session=session, source=source, sheet=sheet, mapping=mapping, options=options, progress=progress)

        run_in_background(self, title=tr("행을 확인하는 중…"), job=job, on_success=self._checked)

    def _checked(self, plan: ImportPlan) -> None:
        self.plan = plan
        counts = plan.counts()
        parts = [f"{action_label(action)} {counts[action.value]:,}" for action in Action] + [tr("건너뜀 {count:,}", count=counts["skipped"])]
        text = " · ".join(parts)
        if plan.rooms_to_create:
            text += "\n" + tr("새로 만들 호실: {rooms}", rooms=", ".join(r.code for r in plan.rooms_to_create))
        if plan.facility_to_create:
            text += "\n" + tr("새로 만들 시설: {name}", name=plan.facility_to_create)
        self.counts_label.setText(text)
        self.preview_table.set_rows(preview_rows(plan))
        self.filter_combo.setCurrentIndex(self.filter_combo.findData(Action.ERROR.value if plan.error_rows else "all"))
        self._filter_chosen()
        self._show("preview")

    def _filter_chosen(self) -> None:
        key = self.filter_combo.currentData()
        self.preview_table.proxy.set_predicate("status", FILTERS[key]()[1] if key else None)

    def _show_detail(self, row: PreviewRow | None) -> None:
        """The whole of the selected row's changes and problems, which the table cuts short."""
        if row is None:
            self.detail_label.clear()
            return
        parts = [tr("{row}행 · {status}", row=row.row, status=status_label(row.status))]
        parts += [text for text in (row.changes, row.problems) if text]
        self.detail_label.setText("\n".join(parts))

    def visible_preview_rows(self) -> list[PreviewRow]:
        return self.preview_table.visible_rows()

    # --- 5. confirm ------------------------------------------------------------------------
    def _show_confirm(self) -> None:
        plan = self.plan
        writes = plan.count(Action.CREATE) + plan.count(Action.UPDATE)
        lines = [tr("{file} · 시트 '{sheet}'", file=plan.file_name, sheet=plan.sheet)]
        lines.append(tr("새로 등록 {created:,}행, 수정 {updated:,}행을 한 번에 씁니다. 변경 없음 {unchanged:,}행과 건너뛴 {skipped:,}행은 그대로 둡니다.", created=plan.count(Action.CREATE), updated=plan.count(Action.UPDATE), unchanged=plan.count(Action.UNCHANGED), skipped=len(plan.skipped)))
        if plan.mapping.column_of("employees") is not None:
            lines.append(tr("고용인원은 기준일 {date} 자로 기록합니다.", date=plan.options.as_of.isoformat()))
        if not writes:
            lines.append(tr("바꿀 내용이 없습니다."))
        if plan.error_rows:
            lines.append(tr("오류가 있는 행이 {count:,}개 있습니다. 파일을 고쳐 다시 가져오거나, 아래를 켜서 올바른 행만 가져오세요.", count=len(plan.error_rows)))
        self.confirm_label.setText("\n".join(lines))
        self.skip_invalid_check.setText(tr("오류가 있는 {errors:,}행은 빼고 올바른 {valid:,}행만 가져오기", errors=len(plan.error_rows), valid=writes))
        self.skip_invalid_check.setVisible(bool(plan.error_rows))
        self.skip_invalid_check.setChecked(False)
        self._show("confirm")

    def import_rows(self) -> None:
        source, sheet, mapping, options, engine = self.source, self.sheet, self.plan.mapping, self.plan.options, self.context.engine
        confirmed, skip_invalid = self.plan, self.skip_invalid_check.isChecked()

        def job(progress: Progress) -> ImportResult:
            with unit_of_work(engine) as session:
                return run_import(session=session, source=source, sheet=sheet, mapping=mapping, options=options, skip_invalid=skip_invalid, confirmed=confirmed, progress=progress)

        self.next_button.setEnabled(False)
        run_in_background(
            self, title=tr("가져오는 중…"), job=job, on_success=self._imported,
            on_error=self._import_failed, on_cancelled=self._import_cancelled,
        )

    def _import_failed(self, error: BaseException) -> None:
        self._update_buttons()
        show_error(self, error)

    def _import_cancelled(self) -> None:
        self._update_buttons()
        QMessageBox.information(self, tr("가져오기"), tr("가져오기를 취소했습니다. 아무것도 바뀌지 않았습니다."))

    # --- 6. summary ------------------------------------------------------------------------
    def _imported(self, result: ImportResult) -> None:
        self.result = result
        batch = result.batch
        if batch is None:
            text = tr("바꿀 내용이 없어 아무것도 쓰지 않았습니다.")
        else:
            text = tr("가져왔습니다 (가져오기 {id}번): 새로 등록 {created:,}, 수정 {updated:,}, 변경 없음 {unchanged:,}, 건너뜀 {skipped:,}, 오류로 뺀 행 {errors:,}.", id=batch.id, created=batch.created, updated=batch.updated, unchanged=batch.unchanged, skipped=batch.skipped, errors=batch.errors)
        self.summary_label.setText(text)
        self._show("summary")
        self.context.notify_changed()
        self.refresh()

    def undo(self) -> None:
        answer = QMessageBox.question(self, tr("가져오기 되돌리기"), tr("마지막 가져오기로 들어온 기업·입주·호실 배정·고용인원을 지우고, 바꾼 값은 이전 값으로 되돌립니다. 계속할까요?"))
        if answer != QMessageBox.StandardButton.Yes:
            return
        engine = self.context.engine

        def job(progress: Progress):
            with unit_of_work(engine) as session:
                return undo_last_import(session=session, progress=progress)

        run_in_background(self, title=tr("되돌리는 중…"), job=job, on_success=self._undone)

    def _undone(self, batch) -> None:
        self.summary_label.setText(tr("가져오기 {id}번('{file}')을 되돌렸습니다.", id=batch.id, file=batch.file_name))
        self.context.notify_changed()
        self.refresh()

    # --- files -----------------------------------------------------------------------------
    def save_template(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(self, tr("빈 양식 저장"), str(self.context.export_folder() / tr("가져오기_양식.xlsx")), "*.xlsx")
        if chosen:
            try:
                save_template(chosen)
            except OSError as error:
                show_error(self, error)

    def save_error_report(self) -> None:
        if self.plan is None or self.sheet is None:
            return
        suggested = self.context.export_folder() / tr("{stem}_오류표시.xlsx", stem=Path(self.plan.file_name).stem)
        chosen, _ = QFileDialog.getSaveFileName(self, tr("오류 표시 파일 저장"), str(suggested), "*.xlsx")
        if chosen:
            plan, sheet = self.plan, self.sheet
            run_in_background(self, title=tr("오류 표시 파일을 만드는 중…"), job=lambda _progress: write_error_report(plan, sheet, chosen), on_success=self._report_saved)

    def _report_saved(self, path: Path) -> None:
        self.saved_report = path
