"""Exits (퇴거·졸업): the exit history up to the as-of date and its reasons per year."""

from __future__ import annotations

from collections import Counter
from datetime import date

from PySide6.QtCharts import QBarCategoryAxis, QBarSet, QStackedBarSeries, QValueAxis
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from camp_manager.db.engine import unit_of_work
from camp_manager.db.models import ExitReason
from camp_manager.i18n import tr
from camp_manager.labels import label, label_of
from camp_manager.services import follow_ups, listings, movements
from camp_manager.services.follow_ups import DUE_SOON_DAYS, DueCheckIn
from camp_manager.services.listings import ExitRow
from camp_manager.ui.context import AppContext
from camp_manager.ui.dialogs.exit_dialog import ExitDialog
from camp_manager.ui.dialogs.follow_up_dialog import FollowUpDialog, years_label
from camp_manager.ui.dialogs.form import set_combo_items
from camp_manager.ui.list_export import export_button, export_shown_rows, filter_descriptions
from camp_manager.ui.models.table import Column
from camp_manager.ui.pages.base import Page, page_heading
from camp_manager.ui.style import make_primary
from camp_manager.ui.widgets.charts import ChartView, colour
from camp_manager.ui.widgets.table_view import DataTable
from camp_manager.ui.workers import BackgroundQuery


def _stay_days(row: ExitRow) -> int:
    return (row.exit_on - row.move_in).days


def exit_columns() -> list[Column[ExitRow]]:
    return [
        Column(
            title=lambda: tr("퇴거일"),
            text=lambda r: r.exit_on.isoformat(),
            sort_key=lambda r: (r.exit_on, r.exit_id),
            value=lambda r: r.exit_on,
        ),
        Column(title=lambda: tr("기업"), text=lambda r: r.company_name, searchable=True),
        Column(title=lambda: tr("시설"), text=lambda r: r.facility_name),
        Column(
            title=lambda: tr("입주일"),
            text=lambda r: r.move_in.isoformat(),
            sort_key=lambda r: r.move_in,
            value=lambda r: r.move_in,
        ),
        Column(
            title=lambda: tr("입주 기간(일)"),
            text=lambda r: f"{_stay_days(r):,}",
            sort_key=_stay_days,
            align_right=True,
            value=_stay_days,
        ),
        Column(
            title=lambda: tr("사유"), text=lambda r: label_of(ExitReason, r.reason), searchable=True, codes=ExitReason
        ),
        Column(title=lambda: tr("이전지"), text=lambda r: r.destination, searchable=True),
        Column(title=lambda: tr("메모"), text=lambda r: " / ".join(r.notes.splitlines()), searchable=True),
    ]


def fill_reason_chart(view: ChartView, by_year: dict[int, Counter[str]]) -> None:
    """Exits per year as stacked bars, one colour per reason (reasons that occur only)."""
    chart = view.clear()
    years = sorted(by_year)
    present = [reason for reason in ExitReason if any(by_year[year][reason.value] for year in years)]
    series = QStackedBarSeries()
    for index, reason in enumerate(present):
        bars = QBarSet(label(reason))
        bars.setColor(colour(index))
        bars.setBorderColor(colour(index))
        bars.append([float(by_year[year][reason.value]) for year in years])
        series.append(bars)
    categories = QBarCategoryAxis()
    categories.append([str(year) for year in years])
    values = QValueAxis()
    values.setLabelFormat("%d")
    highest = max((sum(counts.values()) for counts in by_year.values()), default=0)
    values.setRange(0, max(5, highest * 1.1))
    values.applyNiceNumbers()
    view.attach(series, (categories, Qt.AlignmentFlag.AlignBottom), (values, Qt.AlignmentFlag.AlignLeft))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
    chart.legend().setVisible(bool(present))


def due_columns() -> list[Column[DueCheckIn]]:
    return [
        Column(
            title=lambda: tr("조사 기한"),
            text=lambda d: d.due_on.isoformat(),
            sort_key=lambda d: (d.due_on, d.company_name),
            value=lambda d: d.due_on,
        ),
        Column(title=lambda: tr("기업"), text=lambda d: d.company_name, searchable=True),
        Column(title=lambda: tr("퇴거일"), text=lambda d: d.exit_on.isoformat(), sort_key=lambda d: d.exit_on),
        Column(title=lambda: tr("사유"), text=lambda d: label_of(ExitReason, d.reason)),
        Column(title=lambda: tr("시점"), text=lambda d: years_label(d.years_after), sort_key=lambda d: d.years_after),
    ]


class ExitsPage(Page):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.rows: list[ExitRow] = []
        self._query = BackgroundQuery(self)
        heading_row, self.subtitle = page_heading(tr("퇴거·졸업"))

        self.exit_button = make_primary(QPushButton(tr("퇴거 처리…")))
        self.exit_button.clicked.connect(self.create_new)
        self.facility_combo = QComboBox()
        self.facility_combo.addItem(tr("모든 시설"), None)
        self.reason_combo = QComboBox()
        self.reason_combo.addItem(tr("모든 사유"), None)
        for reason in ExitReason:
            self.reason_combo.addItem(label(reason), reason.value)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(tr("기업·이전지·메모 검색"))
        self.search_edit.setClearButtonEnabled(True)
        controls = QHBoxLayout()
        self.follow_up_button = QPushButton(tr("후속 조사…"))
        self.follow_up_button.setEnabled(False)
        self.follow_up_button.clicked.connect(self.follow_up_selected)
        controls.addWidget(self.exit_button)
        controls.addWidget(self.follow_up_button)
        controls.addSpacing(12)
        controls.addWidget(self.facility_combo)
        controls.addWidget(self.reason_combo)
        controls.addWidget(self.search_edit, 1)
        self.export_button = export_button()
        self.export_button.clicked.connect(self.export_list)
        controls.addWidget(self.export_button)

        self.table = DataTable(
            exit_columns(),
            name="exits_table",
            widths=(92, 170, 100, 92, 72, 120, 150),
            empty_text=lambda: tr("기준일까지 퇴거한 기업이 없습니다."),
        )
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.rowActivated.connect(lambda row: self.context.navigate("residents", row.company_id))
        self.chart = ChartView(tr("연도별 퇴거 사유"))
        self.chart.setMinimumHeight(260)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("exits_splitter")
        splitter.addWidget(self.table)
        splitter.addWidget(self.chart)
        splitter.setSizes([380, 300])
        self.table.currentRowChanged.connect(lambda row: self.follow_up_button.setEnabled(row is not None))

        self.due_table = DataTable(
            due_columns(),
            name="follow_ups_due",
            widths=(100, 200, 100, 120, 110),
            empty_text=lambda: tr("기준일로부터 {days}일 안에 할 후속 조사가 없습니다.", days=DUE_SOON_DAYS),
        )
        self.due_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # the most overdue first
        self.due_table.rowActivated.connect(self.follow_up_due)
        self.tabs = QTabWidget()
        self.tabs.addTab(splitter, tr("퇴거 기록"))
        self.tabs.addTab(self.due_table, tr("후속 조사 예정"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(8)
        layout.addLayout(heading_row)
        layout.addLayout(controls)
        layout.addWidget(self.tabs, 1)

        self.facility_combo.currentIndexChanged.connect(lambda _i: self._facility_chosen())
        self.reason_combo.currentIndexChanged.connect(lambda _i: self._reason_chosen())
        self.search_edit.textChanged.connect(self.table.proxy.set_search)

    # --- the page contract ------------------------------------------------------------
    def title(self) -> str:
        return tr("퇴거·졸업")

    def refresh(self) -> None:
        """Reads off the UI thread: the page stays as it is (its frame painted) until the rows arrive."""
        on, engine = self.context.as_of, self.context.engine
        facility_id = self.facility_combo.currentData()

        def job() -> tuple[list[tuple[int | None, str]], list[ExitRow], dict[int, Counter[str]], list[DueCheckIn]]:
            with unit_of_work(engine) as session:
                facilities = [(f.id, f.name) for f in listings.facilities_in_order(session)]
                return (
                    facilities,
                    listings.exit_log(session, until=on),
                    movements.exits_by_year_and_reason(session, facility_id=facility_id, until=on),
                    follow_ups.follow_ups_due(session, on=on),
                )

        self._query.run(job, lambda loaded: self._show(on, *loaded))

    def _show(
        self,
        on: date,
        facilities: list[tuple[int | None, str]],
        rows: list[ExitRow],
        by_year: dict[int, Counter[str]],
        due: list[DueCheckIn],
    ) -> None:
        self.rows = rows
        self.due_table.set_rows(due)
        self.tabs.setTabText(1, tr("후속 조사 예정 ({count})", count=len(due)))
        set_combo_items(self.facility_combo, facilities, fixed=1)
        self.table.set_rows(self.rows)
        self.follow_up_button.setEnabled(self.table.current_row() is not None)
        fill_reason_chart(self.chart, by_year)
        this_year = sum(by_year.get(on.year, Counter()).values())
        self.subtitle.setText(
            tr(
                "{date} 기준 · 누적 퇴거 {count}곳 · 올해 {this_year}곳",
                date=on.isoformat(),
                count=sum(sum(c.values()) for c in by_year.values()),
                this_year=this_year,
            )
        )

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def create_new(self) -> None:
        ExitDialog(self.context, parent=self).exec()

    def follow_up_selected(self) -> None:
        row = self.table.current_row()
        if row is not None:
            FollowUpDialog(
                self.context, exit_id=row.exit_id, company_name=row.company_name, exit_on=row.exit_on, parent=self
            ).exec()

    def follow_up_due(self, due: DueCheckIn) -> None:
        FollowUpDialog(
            self.context,
            exit_id=due.exit_id,
            company_name=due.company_name,
            exit_on=due.exit_on,
            years_after=due.years_after,
            parent=self,
        ).exec()

    def export_list(self) -> None:
        export_shown_rows(
            self,
            self.context,
            self.table,
            sheet_title=tr("퇴거"),
            file_name=tr("퇴거_{date}.xlsx", date=self.context.as_of.isoformat()),
            heading=tr("퇴거 목록 — {facility}", facility=self.facility_combo.currentText()),
            details=[
                tr("기준일 {date}까지", date=self.context.as_of.isoformat()),
                *filter_descriptions(self.reason_combo, search=self.search_edit),
            ],
        )

    def show_item(self, item: object) -> None:
        """`item` is a company id: select its exit (the latest, if it left more than once)."""
        self.table.select_first(lambda row: row.company_id == item)

    # --- filters -------------------------------------------------------------------------
    def _facility_chosen(self) -> None:
        facility_id = self.facility_combo.currentData()
        self.table.proxy.set_predicate(
            "facility", None if facility_id is None else (lambda r: r.facility_id == facility_id)
        )
        self.refresh()

    def _reason_chosen(self) -> None:
        reason = self.reason_combo.currentData()
        self.table.proxy.set_predicate("reason", None if reason is None else (lambda r: r.reason == reason))
