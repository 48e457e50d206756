"""The programme's outcome figures of a year (연간 보육 성과), for one facility or all.

Every figure is computed from the dated history as it stood on 31 December of the year; each is
defined in reports/README.md (Annual performance report). A dated record (a round, an IP right, a
project) counts for a facility when its company was that facility's resident on the record's day;
a year's sales count for the companies resident at some time in the year; headcounts and
certifications for the companies resident on 31 December. With `evidenced_only`, a record counts
only when at least one file of evidence is attached to it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, select

from camp_manager.db.models import (
    CAPITAL_KINDS,
    WHOLE_YEAR,
    Certification,
    Company,
    Evidence,
    Exit,
    ExitReason,
    FollowUp,
    FollowUpStatus,
    GovernmentProject,
    HeadcountRecord,
    IntellectualProperty,
    InvestmentRound,
    Region,
    Residency,
    Room,
    RoomKind,
    SalesRecord,
)
from camp_manager.services.book import among
from camp_manager.services.common import id_column, table_of
from camp_manager.services.mentoring_figures import mentoring_summary
from camp_manager.services.support import support_figures

SUBSIDY_CAPITAL_KRW = 100_000_000
SUBSIDY_EMPLOYEES = 5
NEAR_CAPITAL_KRW = 80_000_000  # within 20 % of the capital threshold
NEAR_EMPLOYEES = 4  # within 20 % of the employees threshold
SURVIVAL_YEARS = 3


def year_end(year: int) -> date:
    return date(year, 12, 31)


def _resident_on(company: Any, day: Any, facility_id: int | None) -> sa.ColumnElement[bool]:
    """The company was a resident (of the facility) on `day` (a date or a column)."""
    query = select(id_column(Residency)).where(col(Residency.company_id) == company, Residency.covers(day))
    if facility_id is not None:
        query = query.where(col(Residency.facility_id) == facility_id)
    return query.exists()


def _resident_during(company: Any, year: int, facility_id: int | None) -> sa.ColumnElement[bool]:
    """The company was a resident (of the facility) on at least one day of `year`."""
    query = select(id_column(Residency)).where(
        col(Residency.company_id) == company, Residency.overlaps(date(year, 1, 1), date(year + 1, 1, 1))
    )
    if facility_id is not None:
        query = query.where(col(Residency.facility_id) == facility_id)
    return query.exists()


def evidenced(model: type[SQLModel]) -> sa.ColumnElement[bool]:
    """The row of `model` has at least one file of evidence."""
    return (
        select(id_column(Evidence))
        .where(col(Evidence.record_kind) == table_of(model).name, col(Evidence.record_id) == id_column(model))
        .exists()
    )


def _kept(query: Any, model: type[SQLModel], evidenced_only: bool) -> Any:
    return query.where(evidenced(model)) if evidenced_only else query


def _latest_headcount_query(query: Any, *, on: date, companies: sa.ColumnElement[bool], evidenced_only: bool) -> Any:
    """`query` (of headcount records) kept to each company's latest record on or before `on`;
    with `evidenced_only`, only when that latest record has evidence."""
    newest = (
        select(col(HeadcountRecord.company_id), sa.func.max(col(HeadcountRecord.as_of)).label("as_of"))
        .where(col(HeadcountRecord.as_of) <= on)
        .group_by(col(HeadcountRecord.company_id))
        .subquery()
    )
    latest = query.join(
        newest,
        sa.and_(col(HeadcountRecord.company_id) == newest.c.company_id, col(HeadcountRecord.as_of) == newest.c.as_of),
    ).where(companies)
    return _kept(latest, HeadcountRecord, evidenced_only)


def _latest_headcounts(
    session: Session, *, on: date, companies: sa.ColumnElement[bool], evidenced_only: bool
) -> dict[int, int]:
    """Each company's latest headcount record on or before `on` (regular employees)."""
    query = select(col(HeadcountRecord.company_id), col(HeadcountRecord.employees))
    return dict(
        session.exec(_latest_headcount_query(query, on=on, companies=companies, evidenced_only=evidenced_only)).all()
    )


def counted_headcounts(session: Session, scope: YearScope) -> list[HeadcountRecord]:
    """The headcount records the year's employee figures count: each company's latest on 31 December
    of the year, for a resident that day, and its latest on 31 December of the year before (jobs created)."""
    only = scope.evidenced_only
    residents = _resident_on(col(HeadcountRecord.company_id), year_end(scope.year), scope.facility_id)
    latest = _latest_headcount_query(
        select(HeadcountRecord), on=year_end(scope.year), companies=residents, evidenced_only=only
    )
    now = list(session.exec(latest))
    companies = among(session, col(HeadcountRecord.company_id), [r.company_id for r in now])
    before = session.exec(
        _latest_headcount_query(
            select(HeadcountRecord), on=year_end(scope.year - 1), companies=companies, evidenced_only=only
        )
    )
    return [*now, *(r for r in before if r not in now)]


@dataclass(frozen=True)
class YearSales:
    """A company's sales and exports of a year, and whether the year is whole (one record for the
    whole year, or both halves)."""

    sales_krw: int
    exports_krw: int
    complete: bool


def sales_by_company(
    session: Session, *, year: int, companies: sa.ColumnElement[bool], evidenced_only: bool
) -> dict[int, YearSales]:
    query = (
        select(
            col(SalesRecord.company_id),
            sa.func.sum(col(SalesRecord.sales_krw)),
            sa.func.sum(col(SalesRecord.exports_krw)),
            # Whole: recorded for the whole year, or by both its halves.
            sa.or_(sa.func.min(col(SalesRecord.half)) == WHOLE_YEAR, sa.func.count() == 2),
        )
        .where(col(SalesRecord.year) == year, companies)
        .group_by(col(SalesRecord.company_id))
    )
    return {
        company_id: YearSales(int(sales), int(exports), bool(complete))
        for company_id, sales, exports, complete in session.exec(_kept(query, SalesRecord, evidenced_only))
    }


def growth(now: int, before: int) -> float | None:
    return (now - before) / before if before else None


@dataclass(frozen=True)
class CompanySales:
    """A company's sales of the year and of the year before; `compared` when the sales growth
    counts it (resident on 31 December, both years whole)."""

    company_id: int
    now: YearSales
    before: YearSales | None
    compared: bool

    def growth(self, field: str) -> float | None:
        """Growth of `field` ('sales_krw' or 'exports_krw') for a compared company, else None."""
        if not self.compared or self.before is None:
            return None
        return growth(getattr(self.now, field), getattr(self.before, field))


def company_sales(
    session: Session, *, year: int, facility_id: int | None, evidenced_only: bool
) -> dict[int, CompanySales]:
    """The companies the year's sales count (resident at some time in the year), by id."""
    company = col(SalesRecord.company_id)
    during = _resident_during(company, year, facility_id)
    now = sales_by_company(session, year=year, companies=during, evidenced_only=evidenced_only)
    before = sales_by_company(session, year=year - 1, companies=during, evidenced_only=evidenced_only)
    staying = set(
        session.exec(
            select(company).where(col(SalesRecord.year) == year, _resident_on(company, year_end(year), facility_id))
        )
    )
    return {
        c: CompanySales(c, s, before.get(c), c in staying and s.complete and c in before and before[c].complete)
        for c, s in now.items()
    }


@dataclass(frozen=True)
class Survival:
    operating: int
    closed: int
    unknown: int

    @property
    def rate(self) -> float | None:
        known = self.operating + self.closed
        return self.operating / known if known else None


@dataclass(frozen=True)
class OutcomeFigures:
    """One year's figures for a facility (or all); definitions in reports/README.md."""

    year: int
    facility_id: int | None
    evidenced_only: bool
    residents_during_year: int
    residents_at_year_end: int
    graduates: int
    sales_krw: int
    exports_krw: int
    sales_compared_now_krw: int  # over the companies the growth compares
    sales_compared_before_krw: int
    sales_growth: float | None
    employees_at_year_end: int
    employees_compared_before: int  # over the companies jobs created compares
    employees_compared_now: int
    investment_krw: int
    investment_rounds: int
    investment_by_kind: dict[str, tuple[int, int]]  # kind → (rounds, KRW)
    ip_by_kind: dict[str, int]
    certifications_by_kind: dict[str, int]
    projects: int
    projects_krw: int
    mentoring_sessions: int
    mentoring_companies: int
    support_asked: int
    support_done: int
    support_declined: int
    survival: Survival
    exits_region_known: int
    exits_stayed_gwangju: int
    rooms_in_use: int
    turnover: float | None
    stays_ended: int
    average_stay_days: float | None

    @property
    def jobs_created(self) -> int:
        return self.employees_compared_now - self.employees_compared_before

    @property
    def ip_total(self) -> int:
        return sum(self.ip_by_kind.values())

    @property
    def certifications_total(self) -> int:
        return sum(self.certifications_by_kind.values())

    @property
    def stayed_gwangju_share(self) -> float | None:
        return self.exits_stayed_gwangju / self.exits_region_known if self.exits_region_known else None


def _residents_during(session: Session, year: int, facility_id: int | None) -> int:
    query = select(sa.func.count()).select_from(Company).where(_resident_during(id_column(Company), year, facility_id))
    return session.exec(query).one()


def _residents_on(session: Session, day: date, facility_id: int | None) -> int:
    query = select(sa.func.count()).select_from(Company).where(_resident_on(id_column(Company), day, facility_id))
    return session.exec(query).one()


def _exits_in(year: int, facility_id: int | None) -> Any:
    query = (
        select(Exit)
        .join(Residency, id_column(Residency) == col(Exit.residency_id))
        .where(col(Exit.exit_on) >= date(year, 1, 1), col(Exit.exit_on) <= year_end(year))
    )
    return query.where(col(Residency.facility_id) == facility_id) if facility_id is not None else query


# The dated records a year counts: (table, the column of its day).
DATED: dict[type[SQLModel], Any] = {
    InvestmentRound: col(InvestmentRound.invested_on),
    IntellectualProperty: col(IntellectualProperty.dated_on),
    GovernmentProject: col(GovernmentProject.selected_on),
}


@dataclass(frozen=True)
class YearScope:
    year: int
    facility_id: int | None
    evidenced_only: bool = False


def counted(model: type[SQLModel], scope: YearScope) -> list[sa.ColumnElement[bool]]:
    """The conditions under which a record of `model` counts in the year's figures: a dated record
    dated in the year while its company was a resident; a certification valid on 31 December of a
    company resident that day."""
    company, year, facility_id = table_of(model).c.company_id, scope.year, scope.facility_id
    if model is Certification:
        day = year_end(year)
        conditions = [
            col(Certification.granted_on) <= day,
            sa.or_(col(Certification.valid_until).is_(None), col(Certification.valid_until) >= day),
            _resident_on(company, day, facility_id),
        ]
    else:
        dated_on = DATED[model]
        conditions = [
            dated_on >= date(year, 1, 1),
            dated_on <= year_end(year),
            _resident_on(company, dated_on, facility_id),
        ]
    return [*conditions, evidenced(model)] if scope.evidenced_only else conditions


def _by_kind(session: Session, model: type[SQLModel], conditions: list[sa.ColumnElement[bool]]) -> dict[str, int]:
    kind = table_of(model).c.kind
    rows = session.execute(sa.select(kind, sa.func.count()).where(*conditions).group_by(kind))
    return {code: count for code, count in rows}


def _investment(session: Session, conditions: list[sa.ColumnElement[bool]]) -> dict[str, tuple[int, int]]:
    query = (
        select(col(InvestmentRound.kind), sa.func.count(), sa.func.sum(col(InvestmentRound.amount_krw)))
        .where(*conditions)
        .group_by(col(InvestmentRound.kind))
    )
    return {kind: (rounds, int(amount)) for kind, rounds, amount in session.exec(query)}


def _projects(session: Session, conditions: list[sa.ColumnElement[bool]]) -> tuple[int, int]:
    query = select(sa.func.count(), sa.func.coalesce(sa.func.sum(col(GovernmentProject.amount_krw)), 0)).where(
        *conditions
    )
    count, amount = session.exec(query).one()
    return count, int(amount)


def survival(session: Session, *, year: int, facility_id: int | None) -> Survival:
    """Status three years on of the companies that left in `year` - 3 (see reports/README.md)."""
    report_day = year_end(year)
    exits = session.exec(_exits_in(year - SURVIVAL_YEARS, facility_id)).all()
    checks: dict[int, list[FollowUp]] = {}
    if exits:
        ids = [e.id for e in exits]
        for check in session.exec(
            select(FollowUp).where(among(session, col(FollowUp.exit_id), ids), col(FollowUp.checked_on) <= report_day)
        ):
            checks.setdefault(check.exit_id, []).append(check)
    tally: Counter[str] = Counter()
    for exit_row in exits:
        mine = checks.get(exit_row.id or 0, [])
        if exit_row.reason == ExitReason.CLOSED.value or any(c.status == FollowUpStatus.CLOSED.value for c in mine):
            tally[FollowUpStatus.CLOSED] += 1
        elif any(c.years_after == SURVIVAL_YEARS and c.status == FollowUpStatus.OPERATING.value for c in mine):
            tally[FollowUpStatus.OPERATING] += 1
        else:
            tally[FollowUpStatus.UNKNOWN] += 1
    return Survival(tally[FollowUpStatus.OPERATING], tally[FollowUpStatus.CLOSED], tally[FollowUpStatus.UNKNOWN])


def _regions(session: Session, year: int, facility_id: int | None) -> list[str]:
    """The region of each exit of the year: that of its latest check-in by 31 December that names one (a
    later check-in that could not tell does not erase it), else the exit's."""
    exits = session.exec(_exits_in(year, facility_id)).all()
    latest: dict[int, str] = {}
    if exits:
        for check in session.exec(
            select(FollowUp)
            .where(
                among(session, col(FollowUp.exit_id), [e.id for e in exits]),
                col(FollowUp.checked_on) <= year_end(year),
                col(FollowUp.region) != Region.UNKNOWN.value,
            )
            .order_by(col(FollowUp.checked_on), col(FollowUp.id))
        ):
            latest[check.exit_id] = check.region
    regions = []
    for exit_row in exits:
        regions.append(latest.get(exit_row.id or 0, exit_row.region))
    return regions


def _rooms_in_use(session: Session, day: date, facility_id: int | None) -> int:
    query = select(sa.func.count()).where(
        col(Room.kind).in_([RoomKind.PRIVATE_OFFICE.value, RoomKind.SHARED_ZONE.value]),
        sa.or_(col(Room.retired_on).is_(None), col(Room.retired_on) > day),
    )
    if facility_id is not None:
        query = query.where(col(Room.facility_id) == facility_id)
    return session.exec(query).one()


def _stays_ended(session: Session, year: int, facility_id: int | None) -> list[int]:
    query = select(col(Residency.move_in), col(Residency.ended_on)).where(
        col(Residency.ended_on) >= date(year, 1, 1), col(Residency.ended_on) <= year_end(year)
    )
    if facility_id is not None:
        query = query.where(col(Residency.facility_id) == facility_id)
    return [(ended - move_in).days for move_in, ended in session.exec(query) if ended is not None]


def outcome_figures(
    session: Session, *, year: int, facility_id: int | None = None, evidenced_only: bool = False
) -> OutcomeFigures:
    """Every outcome figure of `year` for a facility (None: all), as of 31 December."""
    day, before = year_end(year), year_end(year - 1)
    sales = company_sales(session, year=year, facility_id=facility_id, evidenced_only=evidenced_only).values()
    compared = [s for s in sales if s.compared]
    compared_now = sum(s.now.sales_krw for s in compared)
    compared_before = sum(s.before.sales_krw for s in compared if s.before)
    residents_now = _resident_on(col(HeadcountRecord.company_id), day, facility_id)
    staff_now = _latest_headcounts(session, on=day, companies=residents_now, evidenced_only=evidenced_only)
    staff_before = _latest_headcounts(session, on=before, companies=residents_now, evidenced_only=evidenced_only)
    both = staff_now.keys() & staff_before.keys()
    scope = YearScope(year, facility_id, evidenced_only)
    investment = _investment(session, counted(InvestmentRound, scope))
    projects, projects_krw = _projects(session, counted(GovernmentProject, scope))
    mentoring = mentoring_summary(session, start=date(year, 1, 1), end=date(year + 1, 1, 1), facility_id=facility_id)
    support = support_figures(session, year=year, facility_id=facility_id).total
    regions = [r for r in _regions(session, year, facility_id) if r != Region.UNKNOWN.value]
    rooms = _rooms_in_use(session, day, facility_id)
    during = _residents_during(session, year, facility_id)
    stays = _stays_ended(session, year, facility_id)
    return OutcomeFigures(
        year=year,
        facility_id=facility_id,
        evidenced_only=evidenced_only,
        residents_during_year=during,
        residents_at_year_end=_residents_on(session, day, facility_id),
        graduates=sum(
            1 for e in session.exec(_exits_in(year, facility_id)).all() if e.reason == ExitReason.GRADUATED.value
        ),
        sales_krw=sum(s.now.sales_krw for s in sales),
        exports_krw=sum(s.now.exports_krw for s in sales),
        sales_compared_now_krw=compared_now,
        sales_compared_before_krw=compared_before,
        sales_growth=growth(compared_now, compared_before),
        employees_at_year_end=sum(staff_now.values()),
        employees_compared_before=sum(staff_before[c] for c in both),
        employees_compared_now=sum(staff_now[c] for c in both),
        investment_krw=sum(amount for _, amount in investment.values()),
        investment_rounds=sum(rounds for rounds, _ in investment.values()),
        investment_by_kind=investment,
        ip_by_kind=_by_kind(session, IntellectualProperty, counted(IntellectualProperty, scope)),
        certifications_by_kind=_by_kind(session, Certification, counted(Certification, scope)),
        projects=projects,
        projects_krw=projects_krw,
        mentoring_sessions=mentoring.sessions,
        mentoring_companies=mentoring.companies_reached,
        support_asked=support.asked,
        support_done=support.done,
        support_declined=support.declined,
        survival=survival(session, year=year, facility_id=facility_id),
        exits_region_known=len(regions),
        exits_stayed_gwangju=regions.count(Region.GWANGJU.value),
        rooms_in_use=rooms,
        turnover=during / rooms if rooms else None,
        stays_ended=len(stays),
        average_stay_days=sum(stays) / len(stays) if stays else None,
    )


class SubsidyStatus(StrEnum):
    MEETS = "meets"
    NEAR = "near"


@dataclass(frozen=True)
class SubsidyWatch:
    company_id: int
    company: str
    facility_id: int
    capital_krw: int
    employees: int | None
    status: SubsidyStatus


def subsidy_status(capital_krw: int, employees: int | None) -> SubsidyStatus | None:
    """'meets' both thresholds, 'near' when one is met and the other within 20 %, else None."""
    staff = employees or 0
    capital_met, staff_met = capital_krw >= SUBSIDY_CAPITAL_KRW, staff >= SUBSIDY_EMPLOYEES
    if capital_met and staff_met:
        return SubsidyStatus.MEETS
    if (capital_met and staff >= NEAR_EMPLOYEES) or (staff_met and capital_krw >= NEAR_CAPITAL_KRW):
        return SubsidyStatus.NEAR
    return None


def subsidy_watch(session: Session, *, on: date, facility_id: int | None = None) -> list[SubsidyWatch]:
    """Residents on `on` that meet, or nearly meet, the subsidy thresholds, by name.

    Invested capital on a day = the investment known at registration + the equity and convertible
    rounds dated on or before that day; employees = the latest headcount on or before it.
    """
    rounds = (
        select(sa.func.coalesce(sa.func.sum(col(InvestmentRound.amount_krw)), 0))
        .where(
            col(InvestmentRound.company_id) == id_column(Company),
            col(InvestmentRound.kind).in_([k.value for k in CAPITAL_KINDS]),
            col(InvestmentRound.invested_on) <= on,
        )
        .scalar_subquery()
    )
    query = (
        select(id_column(Company), col(Company.name), col(Residency.facility_id), col(Company.investment_krw) + rounds)
        .join(Residency, col(Residency.company_id) == id_column(Company))
        .where(Residency.covers(on))
        .order_by(col(Company.name), id_column(Company))
    )
    if facility_id is not None:
        query = query.where(col(Residency.facility_id) == facility_id)
    rows = session.exec(query).all()
    staff = _latest_headcounts(
        session,
        on=on,
        companies=among(session, col(HeadcountRecord.company_id), [row[0] for row in rows]),
        evidenced_only=False,
    )
    watch = []
    for company_id, name, facility, capital in rows:
        status = subsidy_status(int(capital), staff.get(company_id))
        if status is not None:
            watch.append(SubsidyWatch(company_id, name, facility, int(capital), staff.get(company_id), status))
    return watch
