"""The Dashboard's figures, gathered without any widget: the report's summary per facility, the trends, the watch list."""

from __future__ import annotations

from collections import Counter
from datetime import date

from camp_manager.reporting.build import build_summary
from camp_manager.reporting.dashboard import collect_dashboard, trend_days
from camp_manager.reporting.monthly import ReportMonth
from camp_manager.services import occupancy
from tests.conftest import DEMO_TODAY


def test_collected_figures_of_an_empty_database(session):
    data = collect_dashboard(session, on=date(2026, 1, 31))
    assert data.facilities == [] and data.year_ends == {} and data.residents_by_field == Counter()
    assert len(data.trend_days) == 24 and data.trend_days[-1] == date(2026, 1, 31)


def test_the_trend_ends_on_the_day_itself():
    days = trend_days(date(2026, 11, 22), count=3)
    assert days == [date(2026, 9, 30), date(2026, 10, 31), date(2026, 11, 22)]


def test_each_facility_has_the_reports_month_to_date_summary(demo_session):
    data = collect_dashboard(demo_session, on=DEMO_TODAY)
    assert [f.name for f in data.facilities] == ["AI 창업캠프", "아이플렉스"]
    for figures in data.facilities:
        assert figures.summary == build_summary(
            demo_session, month=ReportMonth.of(DEMO_TODAY), facility_id=figures.facility_id, on=DEMO_TODAY
        )
    assert sum(data.residents_by_field.values()) == occupancy.resident_count(demo_session, on=DEMO_TODAY)
    over = data.over_capacity
    assert over and all(r.employees is not None and r.employees > r.seats_held for r in over)
    assert over == sorted(over, key=lambda r: (r.seats_held - (r.employees or 0), r.name))  # the most crowded first


def watched(row: occupancy.ResidentRow) -> occupancy.WatchedResident:
    return occupancy.WatchedResident(
        company_id=row.company.id,
        name=row.company.name,
        facility_id=row.residency.facility_id,
        employees=row.employees,
        seats_held=row.seats_held,
        contract_end=row.contract_end,
    )


def test_the_watch_lists_in_plain_values_agree_with_the_residents_loaded_whole(demo_session):
    for on in (date(2022, 12, 31), date(2024, 6, 30), DEMO_TODAY):
        residents = occupancy.residents_on(demo_session, on=on)
        watch = occupancy.resident_watch(demo_session, on=on)
        over = [watched(r) for r in residents if r.over_capacity]
        assert over and sorted(watch.over_capacity, key=lambda r: r.company_id) == sorted(
            over, key=lambda r: r.company_id
        )
        ending = occupancy.contracts_ending_among(residents, on=on)
        assert ending and watch.contracts_ending == [watched(r) for r in ending]
        assert watch.by_field == Counter(r.company.field for r in residents)


def test_short_of_seats_only_with_rooms_and_a_known_headcount():
    assert occupancy.short_of_seats(5, seats_held=4, holds_rooms=True)
    assert not occupancy.short_of_seats(4, seats_held=4, holds_rooms=True)
    assert not occupancy.short_of_seats(5, seats_held=0, holds_rooms=False), "no room held: nothing to outgrow"
    assert not occupancy.short_of_seats(None, seats_held=4, holds_rooms=True), "no headcount: not judged"
