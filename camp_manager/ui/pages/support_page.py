"""Support requests (지원 요청): the ledger as of the day, and the year's figures per kind.

The list and the figures are read off the UI thread; each step (start, finish, cancel) opens
a small form whose OK runs the use case.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from camp_manager.db.engine import unit_of_work
from camp_manager.db.models import SupportKind, SupportStatus
from camp_manager.i18n import tr
from camp_manager.labels import label, label_of
from camp_manager.services import listings, support
from camp_manager.services.support import SupportCounts, SupportFigures, SupportRow
from camp_manager.ui.context import AppContext
from camp_manager.ui.dialogs.form import set_combo_items
from camp_manager.ui.dialogs.support_dialogs import SupportRequestDialog, SupportStepDialog
from camp_manager.ui.list_export import export_button, export_shown_rows, filter_descriptions
from camp_manager.ui.models.table import Column
from camp_manager.ui.pages.base import Page, page_heading, page_layout
from camp_manager.ui.style import make_primary
from camp_manager.ui.widgets.table_view import DataTable
from camp_manager.ui.workers import BackgroundQuery

OPEN = "open"  # the status filter's choice for received and in progress together


def support_columns(facility_names: dict[int, str]) -> list[Column[SupportRow]]:
    day = lambda value: value.isoformat() if value else ""  # noqa: E731
    return [
        Column(
            title=lambda: tr("요청일"),
            text=lambda r: r.asked_on.isoformat(),
            sort_key=lambda r: (r.asked_on, r.request_id),
        ),
        Column(
            title=lambda: tr("경과"),
            text=lambda r: tr("{days}일", days=r.age_days),
            sort_key=lambda r: r.age_days,
            align_right=True,
        ),
        Column(title=lambda: tr("지원 분야"), text=lambda r: label_of(SupportKind, r.kind), codes=SupportKind),
        Column(title=lambda: tr("기업"), text=lambda r: r.company_name, searchable=True),
        Column(title=lambda: tr("시설"), text=lambda r: facility_names.get(r.facility_id or 0, "")),
        Column(title=lambda: tr("상태"), text=lambda r: label_of(SupportStatus, r.status), codes=SupportStatus),
        Column(title=lambda: tr("시작일"), text=lambda r: day(r.started_on), sort_key=lambda r: r.started_on),
        Column(title=lambda: tr("종료일"), text=lambda r: day(r.finished_on), sort_key=lambda r: r.finished_on),
        Column(title=lambda: tr("요청 내용"), text=lambda r: r.description, searchable=True),
        Column(title=lambda: tr("지원 결과"), text=lambda r: " / ".join(r.outcome.splitlines()), searchable=True),
    ]


@dataclass(frozen=True)
class FigureRow:
    """One line of the year's figures: a kind, or every kind together."""

    order: int  # the kinds in the list's order, the total last
    title: str
    counts: SupportCounts


def figure_rows(figures: SupportFigures) -> list[FigureRow]:
    rows = [
        FigureRow(order, label_of(SupportKind, kind), counts)
        for order, (kind, counts) in enumerate(figures.by_kind.items())
    ]
    return [*rows, FigureRow(len(rows), tr("전체"), figures.total)]


def median_text(days: float | None) -> str:
    if days is None:
        return "–"
    return tr("{days}일", days=f"{days:g}")


def figure_columns() -> list[Column[FigureRow]]:
    def count(name: str) -> Column[FigureRow]:
        return Column(
            title=lambda: titles[name],
            text=lambda r: f"{getattr(r.counts, name):,}",
            sort_key=lambda r: getattr(r.counts, name),
            align_right=True,
        )

    titles = {
        "asked": tr("접수"),
        "done": tr("지원 완료"),
        "declined": tr("반려"),
        "cancelled": tr("취소"),
        "open_at_year_end": tr("연말 미완료"),
    }
    return [
        Column(title=lambda: tr("지원 분야"), text=lambda r: r.title, sort_key=lambda r: r.order),
        *(count(name) for name in titles),
        Column(
            title=lambda: tr("완료까지 일수(중앙값)"),
            text=lambda r: median_text(r.counts.median_days_to_done),
            sort_key=lambda r: r.counts.median_days_to_done,
            align_right=True,
        ),
    ]


@dataclass(frozen=True)
class SupportView:
    """What the page shows, read in one go off the UI thread."""

    facilities: list[tuple[int, str]]
    rows: list[SupportRow]
    figures: SupportFigures


class SupportPage(Page):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._query = BackgroundQuery(self)
        self._facility_names: dict[int, str] = {}
        self.figures: SupportFigures | None = None
        heading_row, self.subtitle = page_heading(tr("지원 요청"))

        self.kind_combo = QComboBox()
        self.kind_combo.addItem(tr("모든 지원 분야"), None)
        for kind in SupportKind:
            self.kind_combo.addItem(label(kind), kind.value)
        self.facility_combo = QComboBox()
        self.facility_combo.addItem(tr("모든 시설"), None)
        self.status_combo = QComboBox()
        self.status_combo.addItem(tr("모든 상태"), None)
        self.status_combo.addItem(tr("처리 중 (접수·진행)"), OPEN)
        for status in SupportStatus:
            self.status_combo.addItem(label(status), status.value)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(tr("기업·내용·결과 검색"))
        self.search_edit.setClearButtonEnabled(True)
        filters = QHBoxLayout()
        for widget in (self.kind_combo, self.facility_combo, self.status_combo):
            filters.addWidget(widget)
        filters.addWidget(self.search_edit, 1)

        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(context.as_of.year)
        self.figures_title = QLabel()
        self.figures_title.setObjectName("sectionTitle")
        figures_heading = QHBoxLayout()
        figures_heading.addWidget(self.figures_title)
        figures_heading.addWidget(self.year_spin)
        figures_heading.addStretch(1)
        self.figures_hint = QLabel(
            tr("접수는 요청일, 완료·반려·취소는 종료일이 그해인 요청을 셉니다. 정의는 보고서 설명서에 있습니다.")
        )
        self.figures_hint.setObjectName("hint")
        figures_heading.addWidget(self.figures_hint)
        self.figures_table = DataTable(
            figure_columns(),
            name="support_figures_table",
            widths=(150, 70, 80, 70, 70, 100),
            empty_text=lambda: tr("계산 중…"),
        )
        self.figures_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.figures_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.figures_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.figures_table.setFixedHeight(30 + 26 * (len(SupportKind) + 1))

        self.new_button = make_primary(QPushButton(tr("새 요청…")))
        self.start_button = QPushButton(tr("진행 시작…"))
        self.finish_button = QPushButton(tr("완료·반려…"))
        self.cancel_button = QPushButton(tr("요청 취소…"))
        actions = QHBoxLayout()
        for button in (self.new_button, self.start_button, self.finish_button, self.cancel_button):
            actions.addWidget(button)
        actions.addStretch(1)
        self.export_button = export_button()
        self.export_button.clicked.connect(self.export_list)
        actions.addWidget(self.export_button)

        self.table = DataTable(
            support_columns(self._facility_names),
            name="support_table",
            widths=(92, 60, 130, 150, 96, 76, 92, 92, 260),
            empty_text=lambda: tr("조건에 맞는 지원 요청이 없습니다."),
        )
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        page_layout(self, heading_row, figures_heading, self.figures_table, filters, actions, fill=self.table)

        self.kind_combo.currentIndexChanged.connect(
            lambda _i: self._filter("kind", self.kind_combo, lambda r, v: r.kind == v)
        )
        self.facility_combo.currentIndexChanged.connect(self._facility_changed)
        self.status_combo.currentIndexChanged.connect(
            lambda _i: self._filter("status", self.status_combo, _status_matches)
        )
        self.year_spin.valueChanged.connect(lambda _year: self.refresh())
        self.search_edit.textChanged.connect(self.table.proxy.set_search)
        self.table.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.table.rowActivated.connect(lambda _row: self.open_selected())
        self.new_button.clicked.connect(self.create_new)
        self.start_button.clicked.connect(lambda: self.take_step(SupportStatus.IN_PROGRESS))
        self.finish_button.clicked.connect(lambda: self.take_step(SupportStatus.DONE))
        self.cancel_button.clicked.connect(lambda: self.take_step(SupportStatus.CANCELLED))
        context.asOfChanged.connect(self._follow_as_of)
        self._set_figures_title()
        self._update_buttons()

    def _follow_as_of(self, day) -> None:
        """The figures move to the as-of date's year; the refresh that follows the date loads them."""
        self.year_spin.blockSignals(True)
        self.year_spin.setValue(day.year)
        self.year_spin.blockSignals(False)

    def _filter(self, name: str, combo: QComboBox, test) -> None:
        value = combo.currentData()
        self.table.proxy.set_predicate(name, None if value is None else (lambda row: test(row, value)))
        self._update_buttons()

    def _facility_changed(self, _index: int) -> None:
        self._filter("facility", self.facility_combo, lambda r, v: r.facility_id == v)
        self.refresh()  # the figures are the facility's

    # --- the page contract ------------------------------------------------------------
    def title(self) -> str:
        return tr("지원 요청")

    @property
    def busy(self) -> bool:
        return self._query.busy

    def refresh(self) -> None:
        on, year, facility_id = self.context.as_of, self.year_spin.value(), self.facility_combo.currentData()
        engine = self.context.engine
        self.subtitle.setText(tr("{date} 기준 · 불러오는 중…", date=on.isoformat()))

        def job() -> SupportView:
            with unit_of_work(engine) as session:
                return SupportView(
                    facilities=[(f.id, f.name) for f in listings.facilities_in_order(session)],
                    rows=support.support_log(session, on=on),
                    figures=support.support_figures(session, year=year, facility_id=facility_id),
                )

        self._query.run(job, self._show)

    def _show(self, view: SupportView) -> None:
        set_combo_items(self.facility_combo, view.facilities, fixed=1)
        self._facility_names.clear()
        self._facility_names.update(view.facilities)
        selected = self.table.current_row()
        self.table.set_rows(view.rows)
        if selected is not None:
            self.table.select_first(lambda r: r.request_id == selected.request_id)
        self.figures = view.figures
        self.figures_table.set_rows(figure_rows(view.figures))
        self._set_figures_title()
        waiting = [r for r in view.rows if r.is_open]
        self.subtitle.setText(
            tr(
                "{date} 기준 · 처리 중 {open}건 (접수 {received} · 진행 {running}) · 가장 오래된 요청 {days}일",
                date=self.context.as_of.isoformat(),
                open=len(waiting),
                received=sum(1 for r in waiting if r.status == SupportStatus.RECEIVED),
                running=sum(1 for r in waiting if r.status == SupportStatus.IN_PROGRESS),
                days=max((r.age_days for r in waiting), default=0),
            )
        )
        self._update_buttons()

    def _set_figures_title(self) -> None:
        facility = (
            self.facility_combo.currentText() if self.facility_combo.currentData() is not None else tr("모든 시설")
        )
        self.figures_title.setText(tr("연간 실적 · {facility}", facility=facility))

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def export_list(self) -> None:
        """The ledger as filtered (the year's figures are for a report)."""
        export_shown_rows(
            self,
            self.context,
            self.table,
            sheet_title=tr("지원 요청"),
            file_name=tr("지원요청_{date}.xlsx", date=self.context.as_of.isoformat()),
            heading=tr("지원 요청 목록 — {facility}", facility=self.facility_combo.currentText()),
            details=[
                tr("기준일 {date}", date=self.context.as_of.isoformat()),
                *filter_descriptions(self.kind_combo, self.status_combo, search=self.search_edit),
            ],
        )

    def create_new(self) -> None:
        SupportRequestDialog(self.context, parent=self).exec()

    def open_selected(self) -> None:
        row = self.table.current_row()
        if row is None or not row.is_open:
            return
        self.take_step(SupportStatus.IN_PROGRESS if row.status == SupportStatus.RECEIVED else SupportStatus.DONE)

    def delete_selected(self) -> None:
        self.take_step(SupportStatus.CANCELLED)

    def show_item(self, item: object) -> None:
        """`item` is a company id: select its latest request, whatever its status."""
        self.status_combo.setCurrentIndex(self.status_combo.findData(None))
        self.table.select_first(lambda row: row.company_id == item)

    def _update_buttons(self) -> None:
        row = self.table.current_row()
        status = row.status if row is not None else None
        self.start_button.setEnabled(status == SupportStatus.RECEIVED)
        self.finish_button.setEnabled(status in support.OPEN_STATUSES)
        self.cancel_button.setEnabled(status in support.OPEN_STATUSES)

    def take_step(self, to: SupportStatus) -> bool:
        row = self.table.current_row()
        if row is None or not row.is_open:
            return False
        return SupportStepDialog(self.context, row, to=to, parent=self).exec() == QDialog.DialogCode.Accepted


def _status_matches(row: SupportRow, wanted: str) -> bool:
    return row.is_open if wanted == OPEN else row.status == wanted
