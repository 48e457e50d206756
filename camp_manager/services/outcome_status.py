"""What is missing or unevidenced in a year's outcomes (성과 점검), company by company.

One row per company resident (of the facility) at some time in the year: its sales of the year, its
headcount at year end, the dated records the year's figures count (`outcome_figures.counted`: the
same rounds, IP rights, certifications and projects as the annual figures) and how many of those
records, sales and the year-end headcount included, have no file of evidence. A year's sales are
missing when nothing is recorded for the whole year or for both its halves; the year-end headcount
(the latest recorded in the year) is missing for a company resident on 31 December that has none.
A handful of set-based queries, whatever the number of companies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, select
from sqlmodel.sql.expression import SelectOfScalar

from camp_manager.db.models import (
    Certification,
    Company,
    Facility,
    GovernmentProject,
    HeadcountRecord,
    IntellectualProperty,
    InvestmentRound,
    Residency,
    SalesRecord,
)
from camp_manager.services.common import id_column, table_of
from camp_manager.services.outcome_figures import YearScope, counted, evidenced, sales_by_company, year_end


class OutcomeState(StrEnum):
    MISSING = "missing"  # sales of the year, or the year-end headcount, not recorded
    UNEVIDENCED = "unevidenced"  # everything recorded, some of it without evidence
    COMPLETE = "complete"


@dataclass(frozen=True)
class Tally:
    """The records of one kind a year counts for a company, and how many of them have no evidence."""

    records: int = 0
    unevidenced: int = 0


@dataclass(frozen=True, slots=True)
class OutcomeStatusRow:
    company_id: int
    company: str
    facility_id: int  # the facility of its last stay in the year
    facility: str
    resident_at_year_end: bool
    sales_krw: int | None  # None: no sales recorded for the year
    sales_complete: bool  # recorded for the whole year, or for both halves
    employees: int | None  # the latest headcount recorded in the year; None: none
    investment_rounds: int
    ip: int
    certifications: int
    projects: int
    unevidenced: int  # the year's records (sales, the year-end headcount, the counted ones) without evidence

    @property
    def headcount_missing(self) -> bool:
        return self.resident_at_year_end and self.employees is None

    @property
    def state(self) -> OutcomeState:
        if not self.sales_complete or self.headcount_missing:
            return OutcomeState.MISSING
        return OutcomeState.UNEVIDENCED if self.unevidenced else OutcomeState.COMPLETE


# The dated records a row counts, as the annual figures count them.
COUNTED: tuple[type[SQLModel], ...] = (InvestmentRound, IntellectualProperty, Certification, GovernmentProject)


def _tallies(session: Session, model: type[SQLModel], conditions: list[sa.ColumnElement[bool]]) -> dict[int, Tally]:
    company = table_of(model).c.company_id
    unproved = sa.func.sum(sa.case((evidenced(model), 0), else_=1))
    rows = session.execute(sa.select(company, sa.func.count(), unproved).where(*conditions).group_by(company))
    return {company_id: Tally(records, int(unevidenced)) for company_id, records, unevidenced in rows}


def _year_end_headcounts(session: Session, year: int, companies: sa.ColumnElement[bool]) -> dict[int, tuple[int, bool]]:
    """Company → (regular employees, evidenced) of its latest headcount recorded in `year`."""
    in_year = sa.and_(col(HeadcountRecord.as_of) >= date(year, 1, 1), col(HeadcountRecord.as_of) <= year_end(year))
    newest = (
        select(col(HeadcountRecord.company_id), sa.func.max(col(HeadcountRecord.as_of)).label("as_of"))
        .where(in_year, companies)
        .group_by(col(HeadcountRecord.company_id))
        .subquery()
    )
    query = select(col(HeadcountRecord.company_id), col(HeadcountRecord.employees), evidenced(HeadcountRecord)).join(
        newest,
        sa.and_(col(HeadcountRecord.company_id) == newest.c.company_id, col(HeadcountRecord.as_of) == newest.c.as_of),
    )
    return {company_id: (employees, bool(proved)) for company_id, employees, proved in session.exec(query)}


def _residents(stay: sa.ColumnElement[bool], facility_id: int | None) -> SelectOfScalar[int]:
    """The companies with a stay (in the facility) that meets `stay`."""
    query = select(col(Residency.company_id)).where(stay)
    return query if facility_id is None else query.where(col(Residency.facility_id) == facility_id)


def outcome_status(session: Session, *, year: int, facility_id: int | None = None) -> list[OutcomeStatusRow]:
    """The year's outcomes of every company resident (of the facility; None: any) at some time in `year`,
    by company name."""
    year_span = Residency.overlaps(date(year, 1, 1), date(year + 1, 1, 1))
    stays = sa.select(
        col(Residency.company_id),
        col(Company.name),
        col(Residency.facility_id),
        col(Facility.name),
        Residency.covers(year_end(year)),
    ).where(year_span)
    if facility_id is not None:
        stays = stays.where(col(Residency.facility_id) == facility_id)
    stays = (
        stays.join(Company, id_column(Company) == col(Residency.company_id))
        .join(Facility, id_column(Facility) == col(Residency.facility_id))
        .order_by(col(Residency.move_in))
    )
    last_stay: dict[int, tuple[str, int, str]] = {}
    at_year_end: set[int] = set()
    for company_id, name, stay_facility, facility_name, covers_year_end in session.execute(stays):
        last_stay[company_id] = (name, stay_facility, facility_name)
        if covers_year_end:
            at_year_end.add(company_id)

    sales_of = col(SalesRecord.company_id).in_(_residents(year_span, facility_id))
    sales = sales_by_company(session, year=year, companies=sales_of, evidenced_only=False)
    sales_unproved = _tallies(session, SalesRecord, [col(SalesRecord.year) == year, sales_of])
    at_end = Residency.covers(year_end(year))
    headcounts = _year_end_headcounts(
        session, year, col(HeadcountRecord.company_id).in_(_residents(at_end, facility_id))
    )
    scope = YearScope(year, facility_id)
    counts = {model: _tallies(session, model, counted(model, scope)) for model in COUNTED}

    rows = []
    for company_id, (name, stay_facility, facility_name) in last_stay.items():
        tallies = [counts[model].get(company_id, Tally()) for model in COUNTED]
        year_sales = sales.get(company_id)
        employees, headcount_proved = headcounts.get(company_id, (None, True))
        rows.append(
            OutcomeStatusRow(
                company_id=company_id,
                company=name,
                facility_id=stay_facility,
                facility=facility_name,
                resident_at_year_end=company_id in at_year_end,
                sales_krw=year_sales.sales_krw if year_sales else None,
                sales_complete=bool(year_sales and year_sales.complete),
                employees=employees,
                investment_rounds=tallies[0].records,
                ip=tallies[1].records,
                certifications=tallies[2].records,
                projects=tallies[3].records,
                unevidenced=sales_unproved.get(company_id, Tally()).unevidenced
                + (0 if headcount_proved else 1)
                + sum(t.unevidenced for t in tallies),
            )
        )
    return sorted(rows, key=lambda r: (r.company, r.company_id))
