"""Follow-up check-ins (후속 조사) on companies 1, 2 and 3 years after they left.

A check-in for year N is due on the anniversary of the exit (exit day + N years) and may be
made from 90 days before it; it says whether the company still operates, where it is and,
when known, its headcount and sales. A company that moved in again is back in the camp: its
earlier exit needs no more check-ins. The figures drawn from them (3-year survival, stayed in
Gwangju) are in `services.outcome_figures`, defined in reports/README.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from camp_manager.db.models import Company, Exit, ExitReason, FollowUp, FollowUpStatus, Region, Residency
from camp_manager.i18n import tr
from camp_manager.services import audit
from camp_manager.services.common import (
    fetch,
    fetch_to_change,
    id_column,
    lock,
    one_of_each,
    refuse_if_any,
    stored_id,
    today,
)
from camp_manager.services.inputs import checked_input, column_problems, dataclass_problems

CHECK_IN_YEARS = (1, 2, 3)
EARLY_DAYS = 90  # a check-in may be made this many days before its anniversary
DUE_SOON_DAYS = 30  # the list of due check-ins looks this far ahead
# The `seen_version` of a form that showed no check-in for that year: one a colleague recorded
# meanwhile (version 1 or more) is then refused as a newer save, not overwritten.
NONE_SEEN = 0


def anniversary(exit_on: date, years: int) -> date:
    """The day `years` years after `exit_on` (29 February → 28 February in other years)."""
    try:
        return exit_on.replace(year=exit_on.year + years)
    except ValueError:
        return exit_on.replace(year=exit_on.year + years, day=28)


@dataclass(frozen=True)
class FollowUpInput:
    exit_id: int
    years_after: int
    checked_on: date
    status: str
    region: str = Region.UNKNOWN.value
    employees: int | None = None
    sales_krw: int | None = None
    note: str = ""


def follow_up_problems(exit_on: date, data: FollowUpInput, *, today: date) -> dict[str, str]:
    """Field → problem of a check-in on a company that left on `exit_on`."""
    problems = dataclass_problems(data)
    if problems:
        return problems
    if data.years_after not in CHECK_IN_YEARS:
        problems["years_after"] = tr("조사 시점은 퇴거 후 1년, 2년, 3년 중에서 고르세요.")
    if data.status not in set(FollowUpStatus):
        problems["status"] = tr("운영 상태 '{value}'는 목록에 없습니다. 목록에서 고르세요.", value=data.status)
    if data.region not in set(Region):
        problems["region"] = tr("소재지 '{value}'는 목록에 없습니다. 목록에서 고르세요.", value=data.region)
    if data.employees is not None and data.employees < 0:
        problems["employees"] = tr("고용인원은 0 이상이어야 합니다.")
    if data.sales_krw is not None and data.sales_krw < 0:
        problems["sales_krw"] = tr("매출액은 0원 이상이어야 합니다.")
    if data.checked_on > today:
        problems["checked_on"] = tr(
            "조사일({date})이 오늘보다 늦습니다. 조사한 날짜를 입력하세요.", date=data.checked_on
        )
    elif data.years_after in CHECK_IN_YEARS:
        earliest = anniversary(exit_on, data.years_after) - timedelta(days=EARLY_DAYS)
        if data.checked_on < earliest:
            problems["checked_on"] = tr(
                "퇴거 {years}년 후 조사는 {earliest}부터 기록할 수 있습니다 (퇴거일 {exit}). 조사 시점이나 조사일을 고치세요.",
                years=data.years_after,
                earliest=earliest,
                exit=exit_on,
            )
    for name, problem in column_problems(FollowUp, {"note": data.note.strip()}).items():
        problems.setdefault(name, problem)
    return problems


@checked_input
def record_follow_up(*, session: Session, data: FollowUpInput, seen_version: int | None = None) -> FollowUp:
    """Record the check-in, or new findings for the check-in already recorded for that year.

    `seen_version`: the version of that year's check-in the form showed (NONE_SEEN: none was shown);
    None: read in this same unit of work (an import).
    """
    exit_row = fetch(session, Exit, data.exit_id, what=tr("퇴거 기록"))
    lock(session, exit_row)
    refuse_if_any(follow_up_problems(exit_row.exit_on, data, today=today(session)))
    values = {name: getattr(data, name) for name in FollowUpInput.__dataclass_fields__} | {"note": data.note.strip()}
    stored = session.exec(
        select(FollowUp).where(col(FollowUp.exit_id) == data.exit_id, col(FollowUp.years_after) == data.years_after)
    ).first()
    if stored is None:
        follow_up = FollowUp(**values)
        audit.record(session, action="create", row=follow_up)
        return follow_up
    follow_up = fetch_to_change(session, FollowUp, stored_id(stored), what=tr("후속 조사"), seen_version=seen_version)
    before = audit.snapshot(follow_up)
    for name, value in values.items():
        setattr(follow_up, name, value)
    audit.record(session, action="update", row=follow_up, before=before)
    return follow_up


@dataclass(frozen=True, slots=True)
class DueCheckIn:
    exit_id: int
    company_id: int
    company_name: str
    exit_on: date
    reason: str
    years_after: int
    due_on: date


def follow_ups_due(session: Session, *, on: date, within_days: int = DUE_SOON_DAYS) -> list[DueCheckIn]:
    """Check-ins due by `on` + `within_days` and not yet recorded, most overdue first.

    None is due for a company that closed (its exit reason, or an earlier check-in said so) or that
    moved in again after the exit.
    """
    horizon = on + timedelta(days=within_days)
    moved_in_again = sa.exists().where(
        col(Residency.company_id) == col(Exit.company_id), col(Residency.move_in) > col(Exit.exit_on)
    )
    found_closed = sa.exists().where(
        col(FollowUp.exit_id) == id_column(Exit), col(FollowUp.status) == FollowUpStatus.CLOSED.value
    )
    open_exits = (
        sa.select(id_column(Exit), col(Exit.company_id), col(Company.name), col(Exit.exit_on), col(Exit.reason))
        .join(Company, col(Company.id) == col(Exit.company_id))
        .where(col(Exit.exit_on) <= on, col(Exit.reason) != ExitReason.CLOSED.value, ~moved_in_again, ~found_closed)
    )
    exits = session.execute(open_exits).all()  # plain columns (about 6,000 at ten times the camp)
    recorded: dict[int, set[int]] = {}
    for exit_id, years_after in session.execute(
        sa.select(col(FollowUp.exit_id), col(FollowUp.years_after)).where(
            col(FollowUp.exit_id).in_(open_exits.with_only_columns(id_column(Exit)).scalar_subquery())
        )
    ):
        recorded.setdefault(exit_id, set()).add(years_after)
    due = []
    shared = one_of_each()  # reasons and days repeat down the list (17,000 check-ins at ten times the camp)
    for exit_id, company_id, name, exit_on, reason in exits:
        done = recorded.get(exit_id, set())
        for years in CHECK_IN_YEARS:
            due_on = anniversary(exit_on, years)
            if years not in done and due_on <= horizon:
                due.append(
                    DueCheckIn(exit_id, company_id, name, shared(exit_on), shared(reason), years, shared(due_on))
                )
    return sorted(due, key=lambda d: (d.due_on, d.company_name))


def follow_ups_of(session: Session, exit_id: int) -> list[FollowUp]:
    return list(
        session.exec(select(FollowUp).where(col(FollowUp.exit_id) == exit_id).order_by(col(FollowUp.years_after)))
    )


@checked_input
def set_exit_region(*, session: Session, exit_id: int, region: str, seen_version: int | None = None) -> Exit:
    """Where a company went when it left (광주 / 수도권 / 기타 지역 / 해외)."""
    exit_row = fetch_to_change(session, Exit, exit_id, what=tr("퇴거 기록"), seen_version=seen_version)
    if region not in set(Region):
        refuse_if_any({"region": tr("이전 지역 '{value}'는 목록에 없습니다. 목록에서 고르세요.", value=region)})
    before = audit.snapshot(exit_row)
    exit_row.region = region
    audit.record(session, action="update", row=exit_row, before=before)
    return exit_row
