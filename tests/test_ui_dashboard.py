"""The Dashboard: the report's own figures per facility, following the as-of date; trends; the watch list."""

from __future__ import annotations

from datetime import date

import pytest

from camp_manager.reporting.build import build_summary
from camp_manager.reporting.monthly import FigureKind, ReportMonth, format_figure
from camp_manager.services import movements, occupancy
from camp_manager.ui.pages.dashboard_page import DashboardPage
from camp_manager.ui.workers import wait_for_background
from tests.conftest import DEMO_TODAY
from tests.ui_helpers import app_context, wired


@pytest.fixture
def page(qtbot, demo_engine, tmp_path):
    dashboard = DashboardPage(app_context(demo_engine, tmp_path, DEMO_TODAY))
    qtbot.addWidget(dashboard)
    dashboard.resize(1200, 800)
    wired(dashboard)
    wait_for_background()
    yield dashboard
    wait_for_background()


def tile(page: DashboardPage, facility_id: int, key: str) -> str:
    return page.tiles[facility_id][key].value()


def bar_values(chart_view) -> dict[str, list[float]]:
    [series] = chart_view.chart().series()
    return {bars.label(): [bars.at(i) for i in range(bars.count())] for bars in series.barSets()}


def test_resident_tiles_show_the_count_on_the_as_of_date(page, demo_session):
    facilities = [f.facility for f in occupancy.occupancy(demo_session, on=DEMO_TODAY)]
    assert list(page.tiles) == [f.id for f in facilities]
    for facility in facilities:
        assert (
            tile(page, facility.id, "residents")
            == f"{occupancy.resident_count(demo_session, on=DEMO_TODAY, facility_id=facility.id):,}"
        )

    page.context.set_as_of(date(2024, 12, 31))
    wait_for_background()
    camp = facilities[0]
    assert tile(page, camp.id, "residents") == "84"
    assert tile(page, camp.id, "residents") == str(
        occupancy.resident_count(demo_session, on=date(2024, 12, 31), facility_id=camp.id)
    )
    assert "2024-12-31" in page.subtitle.text()


def test_tiles_are_the_monthly_reports_figures(page, demo_session):
    for figures in page.data.facilities:
        summary = build_summary(
            demo_session, month=ReportMonth.of(DEMO_TODAY), facility_id=figures.facility_id, on=DEMO_TODAY
        )
        assert tile(page, figures.facility_id, "occupancy") == format_figure(summary.occupancy_rate, FigureKind.PERCENT)
        assert tile(page, figures.facility_id, "rooms") == f"{summary.rooms_occupied} / {summary.rooms_total}"
        assert tile(page, figures.facility_id, "seats") == f"{summary.seats_used} / {summary.seats_total}"
        assert tile(page, figures.facility_id, "employees") == format_figure(summary.employees, FigureKind.COUNT)
        assert tile(page, figures.facility_id, "mentoring") == str(summary.mentoring_sessions)
        exits = movements.movements(
            demo_session, start=date(2026, 1, 1), end=date(2026, 11, 23), facility_id=figures.facility_id
        ).exits
        assert tile(page, figures.facility_id, "exits") == str(len(exits))


def test_year_end_bars_show_the_decline(page):
    bars = bar_values(page.year_end_chart)
    camp = bars["AI 창업캠프"]
    years = [int(label) for label in page.year_end_chart.chart().axes()[0].categories()]
    assert [camp[years.index(year)] for year in (2022, 2023, 2024)] == [107, 96, 84]
    assert years[-1] == DEMO_TODAY.year - 1  # full years only


def test_exit_bars_stack_to_each_years_exits(page, demo_session):
    stacked = bar_values(page.exit_chart)
    by_year = movements.exits_by_year_and_reason(demo_session, until=DEMO_TODAY)
    for index, year in enumerate(by_year):
        assert sum(values[index] for values in stacked.values()) == sum(by_year[year].values())


def test_occupancy_line_has_24_points_per_facility(page):
    series = page.occupancy_chart.chart().series()
    assert [s.name() for s in series] == ["AI 창업캠프", "아이플렉스"]
    assert all(s.count() == 24 for s in series)
    last = series[0].at(23).y()
    assert last == pytest.approx(page.data.facilities[0].summary.occupancy_rate * 100)


def test_field_bars_count_every_resident(page, demo_session):
    [values] = bar_values(page.field_chart).values()
    assert sum(values) == occupancy.resident_count(demo_session, on=DEMO_TODAY)


def test_watch_list_matches_the_queries_and_opens_the_company(page, demo_session):
    assert len(page.over_table.visible_rows()) == len(occupancy.over_capacity(demo_session, on=DEMO_TODAY))
    assert len(page.contract_table.visible_rows()) == len(
        occupancy.contracts_ending(demo_session, on=DEMO_TODAY, within_days=90)
    )
    assert len(page.request_table.visible_rows()) == len(occupancy.open_requests(demo_session, on=DEMO_TODAY))
    first = page.over_table.visible_rows()[0]
    assert first.employees - first.seats_held == max(r.employees - r.seats_held for r in page.over_table.visible_rows())
    asked = []
    page.context.navigateRequested.connect(lambda key, item: asked.append((key, item)))
    page.over_table.rowActivated.emit(first)
    assert asked == [("residents", first.company_id)]
