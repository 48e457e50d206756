"""Dashboard: the as-of day's figures per facility, the trends behind them, what needs attention.

The figures come from `reporting.dashboard.collect_dashboard`, gathered off the UI thread;
the tiles write them the way the monthly report does.
"""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QDateTimeAxis,
    QHorizontalBarSeries,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, Qt, QTime
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from camp_manager.db.engine import unit_of_work
from camp_manager.db.models import BusinessField, ExitReason, RequestKind
from camp_manager.i18n import tr
from camp_manager.labels import label_of
from camp_manager.reporting.dashboard import DashboardData, FacilityFigures, collect_dashboard
from camp_manager.reporting.monthly import FigureKind, contract_alert_label, format_figure
from camp_manager.services.occupancy import contract_alert
from camp_manager.services.outcome_figures import SubsidyStatus
from camp_manager.ui.context import AppContext
from camp_manager.ui.models.table import Column
from camp_manager.ui.pages.base import Page, page_heading
from camp_manager.ui.widgets.charts import ChartView, app_font, colour
from camp_manager.ui.widgets.dates import to_qdate
from camp_manager.ui.widgets.kpi import KpiTile
from camp_manager.ui.widgets.table_view import DataTable
from camp_manager.ui.workers import BackgroundQuery

FIELD_BARS = 8
OTHER_FIELDS = "*"
TILE_KEYS = ("residents", "rooms", "occupancy", "seats", "employees", "mentoring", "exits")


def _tile_titles() -> dict[str, str]:
    return {
        "residents": tr("입주기업"),
        "rooms": tr("사무실 사용"),
        "occupancy": tr("입주율"),
        "seats": tr("공유 좌석"),
        "employees": tr("고용인원"),
        "mentoring": tr("이달 멘토링"),
        "exits": tr("올해 퇴거"),
    }


def tile_texts(figures: FacilityFigures) -> dict[str, tuple[str, str]]:
    """Each tile's value and note, written the way the report writes its figures."""
    s = figures.summary
    count = lambda value: format_figure(value, FigureKind.COUNT)  # noqa: E731
    return {
        "residents": (
            count(s.residents),
            tr("이달 입주 {move_ins} · 퇴거 {exits}", move_ins=s.move_ins, exits=s.exits),
        ),
        "rooms": (f"{count(s.rooms_occupied)} / {count(s.rooms_total)}", tr("개별 사무실")),
        "occupancy": (format_figure(s.occupancy_rate, FigureKind.PERCENT), tr("사무실 기준")),
        "seats": (f"{count(s.seats_used)} / {count(s.seats_total)}", tr("공유 좌석존")),
        "employees": (
            count(s.employees),
            tr("전월 말 대비 {change}", change=format_figure(s.employees_change, FigureKind.CHANGE)),
        ),
        "mentoring": (count(s.mentoring_sessions), tr("{companies}개 기업 참여", companies=s.companies_reached)),
        "exits": (count(figures.exits_this_year), tr("1월 1일부터")),
    }


# The colour of a contract's days left at each alert level (services.occupancy.contract_alert).
ALERT_COLOURS = {30: QColor("#B3261E"), 60: QColor("#B7791F")}


TOOLTIP_NAMES = 30  # a watch line's tooltip names this many, then how many more


def first_names(names: list[str], shown: int = 2) -> str:
    """The first few distinct names, and how many more."""
    distinct = list(dict.fromkeys(names))
    rest = len(distinct) - shown
    return ", ".join(distinct[:shown]) + (tr(" 외 {count}곳", count=rest) if rest > 0 else "")


def _value_axis(highest: float) -> QValueAxis:
    axis = QValueAxis()
    axis.setLabelFormat("%d")
    axis.setRange(0, max(5.0, highest * 1.15))
    axis.applyNiceNumbers()
    return axis


def _label_bars(bars: QBarSet) -> None:
    bars.setLabelFont(app_font(7.5))
    bars.setLabelColor(QColor("#1F2A3C"))


def _msecs(day: date) -> float:
    return float(QDateTime(to_qdate(day), QTime(0, 0)).toMSecsSinceEpoch())


class DashboardPage(Page):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.data: DashboardData | None = None
        self.tiles: dict[int, dict[str, KpiTile]] = {}
        self._query = BackgroundQuery(self)

        heading_row, self.subtitle = page_heading(tr("대시보드"))

        self.tile_grid = QGridLayout()
        self.tile_grid.setHorizontalSpacing(8)
        self.tile_grid.setVerticalSpacing(8)
        self.empty_note = QLabel(
            tr("아직 시설이 없습니다. 설정에서 시설과 호실을 만들거나, 첫 화면에서 데모 데이터를 넣으세요.")
        )
        self.empty_note.setObjectName("hint")
        self.empty_note.hide()

        self.occupancy_chart = ChartView(tr("입주율 추이 (최근 24개월, 월말)"))
        self.year_end_chart = ChartView(tr("연말 입주기업 수"))
        self.exit_chart = ChartView(tr("연도별 퇴거 사유"))
        self.field_chart = ChartView(tr("분야별 입주기업"))
        charts = QVBoxLayout()
        charts.setSpacing(8)
        for stretches in (
            ((self.occupancy_chart, 1), (self.year_end_chart, 1)),
            ((self.exit_chart, 4), (self.field_chart, 3)),
        ):
            line = QHBoxLayout()
            line.setSpacing(8)
            for chart_view, stretch in stretches:
                line.addWidget(chart_view, stretch)
            charts.addLayout(line, 1)

        self.over_table = DataTable(
            [
                Column(title=lambda: tr("기업"), text=lambda r: r.name),
                Column(title=lambda: tr("시설"), text=lambda r: self._facility(r.facility_id)),
                Column(
                    title=lambda: tr("고용/좌석"),
                    text=lambda r: f"{r.employees} / {r.seats_held}",
                    sort_key=lambda r: r.employees - r.seats_held,
                    align_right=True,
                ),
            ],
            name="dashboard_over_capacity",
            widths=(150, 90, 70),
            empty_text=lambda: tr("정원을 넘은 기업이 없습니다."),
        )
        self.contract_table = DataTable(
            [
                Column(title=lambda: tr("기업"), text=lambda r: r.name),
                Column(
                    title=lambda: tr("만료일"),
                    text=lambda r: r.contract_end.isoformat(),
                    sort_key=lambda r: r.contract_end,
                ),
                Column(
                    title=lambda: tr("남은 일"),
                    text=lambda r: tr("{days}일", days=(r.contract_end - self.context.as_of).days),
                    sort_key=lambda r: r.contract_end,
                    align_right=True,
                    # The alert level (30 or 60 days) as a colour; the title's tooltip counts each level.
                    foreground=lambda r: ALERT_COLOURS.get(contract_alert((r.contract_end - self.context.as_of).days)),
                ),
            ],
            name="dashboard_contracts",
            widths=(150, 86, 60),
            empty_text=lambda: tr("90일 안에 끝나는 계약이 없습니다."),
        )
        self.request_table = DataTable(
            [
                Column(title=lambda: tr("기업"), text=lambda r: r[1].name),
                Column(title=lambda: tr("유형"), text=lambda r: label_of(RequestKind, r[0].kind), codes=RequestKind),
                Column(
                    title=lambda: tr("대기"),
                    text=lambda r: tr("{days}일", days=(self.context.as_of - r[0].requested_on).days),
                    sort_key=lambda r: r[0].requested_on,
                    align_right=True,
                ),
            ],
            name="dashboard_requests",
            widths=(150, 80, 60),
            empty_text=lambda: tr("열린 신청이 없습니다."),
        )
        self.over_table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
        self.contract_table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        self.request_table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
        self.over_title, self.contract_title, self.request_title = QLabel(), QLabel(), QLabel()
        watch = QVBoxLayout()
        watch.setSpacing(4)
        for title, table in (
            (self.over_title, self.over_table),
            (self.contract_title, self.contract_table),
            (self.request_title, self.request_table),
        ):
            title.setObjectName("sectionTitle")
            title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # the tables set the width
            table.rowActivated.connect(self._open_company)
            table.fit_columns()
            table.setMinimumHeight(96)
            watch.addWidget(title)
            watch.addWidget(table, 1)

        # Things to do, a line each with the first few names (room below for more such lines).
        self.follow_up_note, self.support_note, self.subsidy_note = QLabel(), QLabel(), QLabel()
        self.follow_up_note.linkActivated.connect(lambda _link: self.context.navigate("exits"))
        self.support_note.linkActivated.connect(lambda _link: self.context.navigate("support"))
        self.subsidy_note.linkActivated.connect(lambda _link: self.context.navigate("outcomes"))
        for index, note in enumerate((self.follow_up_note, self.support_note, self.subsidy_note)):
            note.setObjectName("watchNote")
            # Never wider than the column: the full list is in the tooltip.
            note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            watch.insertWidget(index, note)

        lower = QHBoxLayout()
        lower.setSpacing(10)
        lower.addLayout(charts, 3)
        lower.addLayout(watch, 1)

        content = QWidget()
        content.setObjectName("dashboardContent")
        layout = QVBoxLayout(content)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(8)
        layout.addLayout(heading_row)
        layout.addLayout(self.tile_grid)
        layout.addWidget(self.empty_note)
        layout.addLayout(lower, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        content.setMinimumHeight(630)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self._set_watch_titles()

    def title(self) -> str:
        return tr("대시보드")

    @property
    def busy(self) -> bool:
        return self._query.busy

    def refresh(self) -> None:
        on = self.context.as_of
        self.subtitle.setText(tr("{date} 기준 · 계산 중…", date=on.isoformat()))
        engine = self.context.engine

        def job() -> DashboardData:
            with unit_of_work(engine) as session:
                return collect_dashboard(session, on=on)

        self._query.run(job, self._show)

    # --- showing ----------------------------------------------------------------------
    def _facility(self, facility_id: int) -> str:
        return self.data.facility_names.get(facility_id, "") if self.data else ""

    def _show(self, data: DashboardData) -> None:
        self.data = data
        self.subtitle.setText(tr("{date} 기준 · 이달 멘토링과 올해 퇴거는 기준일까지 누적", date=data.on.isoformat()))
        self._show_tiles(data)
        self._show_occupancy(data)
        self._show_year_ends(data)
        self._show_exits(data)
        self._show_fields(data)
        self.over_table.set_rows(data.over_capacity)
        self.contract_table.set_rows(data.contracts_ending)
        self.request_table.set_rows(data.open_requests)
        self._set_watch_titles()

    def _set_watch_titles(self) -> None:
        data = self.data
        self.over_title.setText(tr("정원 초과 기업 ({count})", count=len(data.over_capacity) if data else 0))
        ending = data.contracts_ending if data else []
        alerts = [contract_alert((r.contract_end - self.context.as_of).days) for r in ending]
        self.contract_title.setText(tr("90일 안에 계약 만료 ({count})", count=len(ending)))
        self.contract_title.setToolTip(
            "\n".join(f"{contract_alert_label(level)}: {alerts.count(level)}" for level in (30, 60) if level in alerts)
        )
        self.request_title.setText(tr("오래 기다린 신청 ({count})", count=len(data.open_requests) if data else 0))
        due = data.follow_up_companies if data else []
        asking = [r.company_name for r in data.open_support] if data else []
        subsidy = data.subsidy if data else []
        meets = [w.company for w in subsidy if w.status == SubsidyStatus.MEETS]
        near = [w.company for w in subsidy if w.status == SubsidyStatus.NEAR]
        subsidy_text = tr("보조금 기준 충족 {meets}곳 · 근접 {near}곳", meets=len(meets), near=len(near))
        subsidy_tip = [
            *([tr("충족: {names}", names=", ".join(meets))] if meets else []),
            *([tr("근접: {names}", names=", ".join(near))] if near else []),
        ]
        for note, text, names, tip in (
            # A company may have two check-ins due (a year's missed, the next near): counted once.
            (
                self.follow_up_note,
                tr("후속 조사 예정 {count}곳", count=len(dict.fromkeys(due))),
                due,
                first_names(due, shown=TOOLTIP_NAMES),
            ),
            (
                self.support_note,
                tr("지원 요청 진행 중 {count}건", count=len(asking)),
                asking,
                first_names(asking, shown=TOOLTIP_NAMES),
            ),
            (self.subsidy_note, subsidy_text, meets + near, "\n".join(subsidy_tip)),  # those that meet it first
        ):
            # One line, never wrapped (a wrapping label would make the scroll area size the page by its
            # height); the first names follow the count, the whole list is in the tooltip.
            note.setText(
                f"<a href='go'>{escape(text)}</a>" + (f" · {escape(first_names(names, shown=1))}" if names else "")
            )
            note.setToolTip(tip)

    def _show_tiles(self, data: DashboardData) -> None:
        ids = [f.facility_id for f in data.facilities]
        if ids != list(self.tiles):
            self._build_tiles(data.facilities)
        for figures in data.facilities:
            for key, (value, caption) in tile_texts(figures).items():
                self.tiles[figures.facility_id][key].set_value(value, caption)
        self.empty_note.setVisible(not data.facilities)

    def _build_tiles(self, facilities: list[FacilityFigures]) -> None:
        while self.tile_grid.count():
            widget = self.tile_grid.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.tiles = {}
        titles = _tile_titles()
        for row, figures in enumerate(facilities):
            name = QLabel(figures.name)
            name.setObjectName("facilityName")
            # No word wrap here: a wrapping label makes the scroll area size the page by its
            # height-for-width and push the charts below the fold.
            name.setFixedWidth(96)
            self.tile_grid.addWidget(name, row, 0)
            self.tiles[figures.facility_id] = {}
            for column, key in enumerate(TILE_KEYS, start=1):
                tile = KpiTile(titles[key])
                tile.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
                self.tile_grid.addWidget(tile, row, column)
                self.tiles[figures.facility_id][key] = tile

    def _show_occupancy(self, data: DashboardData) -> None:
        chart = self.occupancy_chart.clear()
        x_axis = QDateTimeAxis()
        x_axis.setFormat("yy.MM")
        x_axis.setTickCount(7)
        y_axis = QValueAxis()
        y_axis.setLabelFormat("%d%%")
        rates = [rate for values in data.occupancy_trend.values() for rate in values]
        lowest = min(rates, default=0.0) * 100
        y_axis.setRange(max(0, (int(lowest) // 10) * 10 - 10), 100)
        y_axis.setTickCount(5)
        for index, (name, values) in enumerate(data.occupancy_trend.items()):
            series = QLineSeries()
            series.setName(name)
            series.setPen(QPen(colour(index), 2.2))
            series.setPointsVisible(True)
            for day, rate in zip(data.trend_days, values, strict=True):
                series.append(_msecs(day), rate * 100)
            self.occupancy_chart.attach(
                series, (x_axis, Qt.AlignmentFlag.AlignBottom), (y_axis, Qt.AlignmentFlag.AlignLeft)
            )
        if data.trend_days:
            x_axis.setRange(
                QDateTime(to_qdate(data.trend_days[0]), QTime(0, 0)),
                QDateTime(to_qdate(data.trend_days[-1]), QTime(0, 0)),
            )
        chart.legend().setVisible(len(data.occupancy_trend) > 0)

    def _show_year_ends(self, data: DashboardData) -> None:
        chart = self.year_end_chart.clear()
        years = sorted({year for counts in data.year_ends.values() for year in counts})
        series = QBarSeries()
        series.setLabelsVisible(True)
        series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
        highest = 0
        for index, (name, counts) in enumerate(data.year_ends.items()):
            bars = QBarSet(name)
            bars.setColor(colour(index))
            bars.setBorderColor(colour(index))
            _label_bars(bars)
            bars.append([float(counts.get(year, 0)) for year in years])
            highest = max([highest, *counts.values()])
            series.append(bars)
        categories = QBarCategoryAxis()
        categories.append([str(year) for year in years])
        values = _value_axis(highest)
        self.year_end_chart.attach(
            series, (categories, Qt.AlignmentFlag.AlignBottom), (values, Qt.AlignmentFlag.AlignLeft)
        )
        chart.legend().setVisible(bool(data.year_ends))

    def _show_exits(self, data: DashboardData) -> None:
        chart = self.exit_chart.clear()
        years = list(data.exits_by_year)
        series = QStackedBarSeries()
        present = [
            reason for reason in ExitReason if any(counts[reason.value] for counts in data.exits_by_year.values())
        ]
        for index, reason in enumerate(present):
            bars = QBarSet(label_of(ExitReason, reason.value))
            bars.setColor(colour(index))
            bars.setBorderColor(colour(index))
            bars.append([float(data.exits_by_year[year][reason.value]) for year in years])
            series.append(bars)
        categories = QBarCategoryAxis()
        categories.append([str(year) for year in years])
        values = _value_axis(max((sum(c.values()) for c in data.exits_by_year.values()), default=0))
        self.exit_chart.attach(series, (categories, Qt.AlignmentFlag.AlignBottom), (values, Qt.AlignmentFlag.AlignLeft))
        # Nine reasons do not fit under the bars without being cut; beside them they do,
        # and the years then need short labels.
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        categories.setLabelsFont(app_font(7))
        chart.legend().setVisible(bool(present))

    def _show_fields(self, data: DashboardData) -> None:
        chart = self.field_chart.clear()
        ordered = sorted(data.residents_by_field.items(), key=lambda item: (item[1], item[0]))
        if len(ordered) > FIELD_BARS:
            # The smallest fields share one bar, so every label stays readable.
            rest = sum(count for _, count in ordered[: len(ordered) - FIELD_BARS + 1])
            ordered = [(OTHER_FIELDS, rest), *ordered[len(ordered) - FIELD_BARS + 1 :]]
        bars = QBarSet(tr("입주기업"))
        bars.setColor(colour(0))
        bars.setBorderColor(colour(0))
        _label_bars(bars)
        bars.append([float(count) for _, count in ordered])
        series = QHorizontalBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsOutsideEnd)
        series.setBarWidth(0.7)
        categories = QBarCategoryAxis()
        categories.append(
            [tr("그 밖의 분야") if code == OTHER_FIELDS else label_of(BusinessField, code) for code, _ in ordered]
        )
        values = _value_axis(max((count for _, count in ordered), default=0))
        self.field_chart.attach(
            series, (values, Qt.AlignmentFlag.AlignBottom), (categories, Qt.AlignmentFlag.AlignLeft)
        )
        # Each bar is labelled with its count, so the value axis needs no numbers; QtCharts
        # elides a category label to "…" once its line is taller than the bar's band, which a
        # 1366×768 screen leaves at about 24 px for eight bars: a smaller font keeps them whole.
        values.setLabelsVisible(False)
        categories.setLabelsFont(app_font(7))
        chart.legend().setVisible(False)

    def _open_company(self, row) -> None:
        company_id = row[1].id if isinstance(row, tuple) else row.company_id
        self.context.navigate("residents", company_id)
