"""4. Preview: what each row would do, with filters, a search and the whole of the selected row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPushButton

from camp_manager.i18n import tr
from camp_manager.importing.actions import Action, action_label
from camp_manager.importing.normalize import Severity, SkippedRow
from camp_manager.importing.plan import ImportPlan, RowVerdict
from camp_manager.ui.context import AppContext
from camp_manager.ui.models.table import Column
from camp_manager.ui.pages.import_wizard.step import ERROR_COLOUR, ImportState, WizardStep, plain_label
from camp_manager.ui.widgets.table_view import DataTable

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
    sheet: str = ""  # a survey's rows come from several sheets
    sheet_order: int = 0


def verdict_rows(
    verdicts: list[RowVerdict], skipped: list[SkippedRow], *, sheet: str = "", sheet_order: int = 0
) -> list[PreviewRow]:
    """The lines of one sheet's verdicts and skipped rows."""
    rows = [
        PreviewRow(
            row=v.row,
            status=v.action.value,
            title=v.title,
            key=v.key,
            changes="; ".join(str(c) for c in v.changes),
            problems="  ".join(
                f"[{p.header or '-'}] {p.message}"
                if p.severity == Severity.ERROR
                else tr("주의: [{header}] {message}", header=p.header or "-", message=p.message)
                for p in v.problems
            ),
            has_warnings=bool(v.warnings),
            sheet=sheet,
            sheet_order=sheet_order,
        )
        for v in verdicts
    ]
    return rows + [
        PreviewRow(
            row=s.row,
            status="skipped",
            title="",
            key="",
            changes="",
            problems=s.reason,
            sheet=sheet,
            sheet_order=sheet_order,
        )
        for s in skipped
    ]


def preview_rows(plan: ImportPlan) -> list[PreviewRow]:
    return sorted(verdict_rows(plan.verdicts, plan.skipped), key=lambda r: r.row)


def counts_text(count: Callable[[Action], int], skipped: int) -> str:
    """The rows of each action, and those skipped, on one line."""
    parts = [f"{action_label(action)} {count(action):,}" for action in Action]
    return " · ".join([*parts, tr("건너뜀 {count:,}", count=skipped)])


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
        Column(
            title=lambda: tr("행"),
            text=lambda r: str(r.row),
            sort_key=lambda r: (r.sheet_order, r.row),
            align_right=True,
        ),
        Column(title=lambda: tr("결과"), text=lambda r: status_label(r.status), foreground=_status_colour),
        Column(title=lambda: tr("이름·호실"), text=lambda r: r.title, searchable=True),
        Column(
            title=lambda: tr("사업자등록번호·시설"),
            text=lambda r: r.key,
            searchable=True,
            search_text=lambda r: r.key + " " + r.key.replace("-", ""),
        ),
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


class PreviewStep(WizardStep):
    errorReportRequested = Signal()
    WIDTHS: tuple[int, ...] = (48, 80, 160, 130, 260)

    def __init__(self, context: AppContext, state: ImportState, title: str | None = None) -> None:
        super().__init__(context, state, title or tr("4. 미리보기"))
        layout = self.body
        self.counts_label = plain_label("")
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
        report.clicked.connect(self.errorReportRequested)
        controls.addWidget(self.filter_combo)
        controls.addWidget(self.search_edit, 1)
        controls.addWidget(report)
        layout.addLayout(controls)
        self.preview_table = DataTable(
            self.columns(),
            name="import_preview_table",
            widths=self.WIDTHS,
            empty_text=lambda: tr("보여 줄 행이 없습니다."),
        )
        self.preview_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.search_edit.textChanged.connect(self.preview_table.proxy.set_search)
        layout.addWidget(self.preview_table, 1)
        self.detail_label = plain_label("")
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview_table.currentRowChanged.connect(self._show_detail)
        layout.addWidget(self.detail_label)

    def columns(self) -> list[Column[PreviewRow]]:
        return preview_columns()

    def start(self) -> None:
        plan = self.state.plan
        text = counts_text(plan.count, len(plan.skipped))
        if plan.rooms_to_create:
            text += "\n" + tr("새로 만들 호실: {rooms}", rooms=", ".join(r.code for r in plan.rooms_to_create))
        if plan.facility_to_create:
            text += "\n" + tr("새로 만들 시설: {name}", name=plan.facility_to_create)
        self.show_rows(text, preview_rows(plan), errors=bool(plan.error_rows))

    def show_rows(self, counts: str, rows: list[PreviewRow], *, errors: bool) -> None:
        """The counts and the rows, the rows in error first when there are any."""
        self.counts_label.setText(counts)
        self.preview_table.set_rows(rows)
        self.filter_combo.setCurrentIndex(self.filter_combo.findData(Action.ERROR.value if errors else "all"))
        self._filter_chosen()

    def _filter_chosen(self) -> None:
        key = self.filter_combo.currentData()
        self.preview_table.proxy.set_predicate("status", FILTERS[key]()[1] if key else None)

    def _show_detail(self, row: PreviewRow | None) -> None:
        """The whole of the selected row's changes and problems, which the table cuts short."""
        if row is None:
            self.detail_label.clear()
            return
        parts = [tr("{row}행 · {status}", row=row.row, status=status_label(row.status))]
        if row.sheet:
            parts[0] = f"[{row.sheet}] {parts[0]}"
        parts += [text for text in (row.changes, row.problems) if text]
        self.detail_label.setText("\n".join(parts))

    def visible_rows(self) -> list[PreviewRow]:
        return self.preview_table.visible_rows()
