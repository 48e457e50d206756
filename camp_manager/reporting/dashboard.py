"""The Dashboard's figures for a day: each facility's headline figures, the trends behind them,
what needs attention.

The headline figures are the monthly report's own summary (`build_facility_summaries`, month-to-date
as of the day), so the Dashboard and the report never disagree. Qt-free: the page gathers
them off the UI thread (about 0.3 s on the demo data) and only draws them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session

from camp_manager.db.models import Company, RoomRequest
from camp_manager.reporting.build import build_facility_summaries
from camp_manager.reporting.monthly import ReportMonth, Summary
from camp_manager.services import follow_ups, movements, occupancy, support
from camp_manager.services.common import stored_id
from camp_manager.services.occupancy import WatchedResident
from camp_manager.services.outcome_figures import SubsidyWatch, subsidy_watch
from camp_manager.services.support import SupportRow

TREND_MONTHS = 24


@dataclass(frozen=True)
class FacilityFigures:
    facility_id: int
    name: str
    summary: Summary  # month-to-date as of the day, as in the monthly report
    exits_this_year: int


@dataclass(frozen=True)
class DashboardData:
    on: date
    facilities: list[FacilityFigures]
    trend_days: list[date]
    occupancy_trend: dict[str, list[float]]  # facility name → occupancy rate on each trend day
    year_ends: dict[str, dict[int, int]]  # facility name → year → residents on 31 December
    exits_by_year: dict[int, Counter[str]]
    residents_by_field: Counter[str]
    over_capacity: list[WatchedResident]
    contracts_ending: list[WatchedResident]
    open_requests: list[tuple[RoomRequest, Company]]
    facility_names: dict[int, str]
    # The company of each check-in due on companies that left, most overdue first: only the names, the
    # check-ins themselves being many (17,500 at ten times the camp) and on the Exits page.
    follow_up_companies: list[str]
    open_support: list[SupportRow]  # support requests asked and not yet closed, oldest first
    subsidy: list[SubsidyWatch]  # residents that meet or nearly meet the city's subsidy rule, by name


def trend_days(on: date, count: int = TREND_MONTHS) -> list[date]:
    """Month ends up to the as-of day; the current month is shown as of the day itself."""
    days = occupancy.month_ends(on, count)
    days[-1] = min(days[-1], on)
    return days


def collect_dashboard(session: Session, *, on: date) -> DashboardData:
    month = ReportMonth.of(on)
    now = occupancy.occupancy(session, on=on)
    names = {stored_id(f.facility): f.facility.name for f in now}
    exits_this_year = movements.exits_by_facility(session, start=date(on.year, 1, 1), end=on + timedelta(days=1))
    facilities = [
        FacilityFigures(
            facility_id=stored_id(figures.facility),
            name=figures.facility.name,
            summary=summary,
            exits_this_year=exits_this_year.get(stored_id(figures.facility), 0),
        )
        for figures, summary in zip(now, build_facility_summaries(session, month=month, on=on), strict=True)
    ]
    days = trend_days(on)
    trend: dict[str, list[float]] = {name: [] for name in names.values()}
    for figures_of_day in occupancy.occupancy_on_days(session, days=days, employees=False).values():
        for figures in figures_of_day:
            trend[figures.facility.name].append(figures.total.occupancy_rate)
    start = occupancy.history_start(session)
    full_years = [year for year in range(start.year, on.year + 1) if date(year, 12, 31) <= on] if start else []
    year_ends = {
        name: occupancy.year_end_residents(session, years=full_years, facility_id=facility_id)
        for facility_id, name in names.items()
    }
    watch = occupancy.resident_watch(session, on=on)
    return DashboardData(
        on=on,
        facilities=facilities,
        trend_days=days,
        occupancy_trend=trend,
        year_ends=year_ends,
        exits_by_year=movements.exits_by_year_and_reason(session, until=on),
        residents_by_field=watch.by_field,
        over_capacity=watch.over_capacity,
        contracts_ending=watch.contracts_ending,
        open_requests=occupancy.open_requests(session, on=on),
        facility_names=names,
        follow_up_companies=[due.company_name for due in follow_ups.follow_ups_due(session, on=on)],
        open_support=[row for row in support.support_log(session, on=on) if row.is_open],
        subsidy=subsidy_watch(session, on=on),
    )
