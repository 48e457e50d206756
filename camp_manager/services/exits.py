"""Exits (퇴거·졸업): end the residency and every open allocation on one date, atomically."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlmodel import Session, col, select

from camp_manager.db.models import (
    Allocation,
    Certification,
    Company,
    Exit,
    ExitReason,
    GovernmentProject,
    HeadcountRecord,
    IntellectualProperty,
    InvestmentRound,
    MentoringSession,
    Region,
    RequestStatus,
    Residency,
    RoomRequest,
    SalesRecord,
    SessionStatus,
    SupportRequest,
)
from camp_manager.errors import DomainError
from camp_manager.i18n import tr
from camp_manager.services import audit
from camp_manager.services.allocations import open_allocations
from camp_manager.services.common import fetch, fetch_to_change, id_column, lock, stored_id
from camp_manager.services.inputs import checked_input
from camp_manager.services.outcomes import period_start
from camp_manager.services.residency import open_residency

# Records that may not be dated after an exit: (table, its date, whether the exit day itself
# is too late, further condition, message). The exit day is the first day the company is gone,
# so a session held that day is too late; a headcount or a request of that day still counts.
# (table, its day, whether that day is already gone on the exit day, which rows count, the refusal)
_RECORDS_AFTER_EXIT: tuple[
    tuple[
        type[
            MentoringSession
            | HeadcountRecord
            | RoomRequest
            | SupportRequest
            | InvestmentRound
            | IntellectualProperty
            | Certification
            | GovernmentProject
        ],
        Mapped[date] | sa.ColumnElement[date],
        bool,
        tuple[sa.ColumnElement[bool], ...],
        Callable[[date], str],
    ],
    ...,
] = (
    (
        MentoringSession,
        col(MentoringSession.held_on),
        True,
        (col(MentoringSession.status) == SessionStatus.HELD.value,),
        lambda day: tr(
            "퇴거일 이후({date})에 진행된 멘토링 기록이 있습니다. 퇴거일을 {date} 다음 날 이후로 하세요.", date=day
        ),
    ),
    (
        HeadcountRecord,
        col(HeadcountRecord.as_of),
        False,
        (),
        lambda day: tr("퇴거일 이후({date})의 고용인원 기록이 있습니다. 퇴거일을 {date} 이후로 하세요.", date=day),
    ),
    (
        RoomRequest,
        col(RoomRequest.requested_on),
        False,
        (),
        lambda day: tr("퇴거일 이후({date})에 접수된 공간 신청이 있습니다. 퇴거일을 {date} 이후로 하세요.", date=day),
    ),
    (
        InvestmentRound,
        col(InvestmentRound.invested_on),
        False,
        (),
        lambda day: tr("퇴거일 이후({date})의 투자유치 기록이 있습니다. 퇴거일을 {date} 이후로 하세요.", date=day),
    ),
    (
        IntellectualProperty,
        col(IntellectualProperty.dated_on),
        False,
        (),
        lambda day: tr("퇴거일 이후({date})의 지식재산권 기록이 있습니다. 퇴거일을 {date} 이후로 하세요.", date=day),
    ),
    (
        Certification,
        col(Certification.granted_on),
        False,
        (),
        lambda day: tr("퇴거일 이후({date})의 인증 기록이 있습니다. 퇴거일을 {date} 이후로 하세요.", date=day),
    ),
    (
        GovernmentProject,
        col(GovernmentProject.selected_on),
        False,
        (),
        lambda day: tr("퇴거일 이후({date})의 정부지원사업 기록이 있습니다. 퇴거일을 {date} 이후로 하세요.", date=day),
    ),
    (  # a support request's latest step: its close, else its start, else the day it was asked
        SupportRequest,
        sa.func.coalesce(col(SupportRequest.finished_on), col(SupportRequest.started_on), col(SupportRequest.asked_on)),
        False,
        (),
        lambda day: tr("퇴거일 이후({date})로 기록된 지원 요청이 있습니다. 퇴거일을 {date} 이후로 하세요.", date=day),
    ),
)


def region_of_reason(reason: str) -> str:
    """The region an exit's reason already tells: a move to the capital region; otherwise not known."""
    return Region.CAPITAL.value if reason == ExitReason.RELOCATED_CAPITAL.value else Region.UNKNOWN.value


@dataclass
class ExitPlan:
    """What an exit on a date will close: shown to the manager before confirming."""

    residency: Residency
    allocations: list[Allocation]
    planned_sessions: list[MentoringSession]
    open_requests: list[RoomRequest]


@checked_input
def plan_exit(*, session: Session, company_id: int, exit_on: date) -> ExitPlan:
    company = fetch(session, Company, company_id, what=tr("입주기업"))
    residency = open_residency(session, company_id)
    if residency is None:
        raise DomainError(
            tr("'{name}'은(는) 입주 중이 아니어서 퇴거 처리할 수 없습니다.", name=company.name), field="company"
        )
    if exit_on < residency.move_in:
        raise DomainError(
            tr(
                "퇴거일({exit})이 입주일({move_in})보다 빠릅니다. {move_in} 이후 날짜를 입력하세요.",
                exit=exit_on,
                move_in=residency.move_in,
            ),
            field="exit_on",
        )
    allocations = open_allocations(session, company_id, exit_on)
    late = [a for a in allocations if a.start_on > exit_on]
    if late:
        raise DomainError(
            tr(
                "{date}에 시작하는 호실 배정이 있어 그 전에 퇴거할 수 없습니다. 퇴거일을 {date} 이후로 하거나 배정을 먼저 해제하세요.",
                date=late[0].start_on,
            ),
            field="exit_on",
        )
    for model, day, first_day_gone, condition, message in _RECORDS_AFTER_EXIT:
        after = day >= exit_on if first_day_gone else day > exit_on
        later = session.exec(
            select(day).where(col(model.company_id) == company_id, after, *condition).order_by(day.desc()).limit(1)
        ).first()
        if later is not None:
            raise DomainError(message(later), field="exit_on")
    periods = session.exec(
        select(col(SalesRecord.year), col(SalesRecord.half)).where(col(SalesRecord.company_id) == company_id)
    )
    later_periods = [period_start(year, half) for year, half in periods if period_start(year, half) > exit_on]
    if later_periods:
        raise DomainError(
            tr(
                "퇴거일 이후({date})에 시작하는 기간의 매출 기록이 있습니다. 퇴거일을 {date} 이후로 하세요.",
                date=max(later_periods),
            ),
            field="exit_on",
        )
    planned = list(
        session.exec(
            select(MentoringSession).where(
                MentoringSession.company_id == company_id,
                MentoringSession.held_on >= exit_on,
                MentoringSession.status == SessionStatus.PLANNED.value,
            )
        )
    )
    requests = list(
        session.exec(
            select(RoomRequest).where(
                RoomRequest.company_id == company_id, RoomRequest.status == RequestStatus.OPEN.value
            )
        )
    )
    return ExitPlan(residency=residency, allocations=allocations, planned_sessions=planned, open_requests=requests)


@checked_input
def record_exit(
    *,
    session: Session,
    company_id: int,
    exit_on: date,
    reason: str,
    destination: str = "",
    region: str | None = None,
    notes: str = "",
    seen_version: int | None = None,
) -> Exit:
    """Close the residency, every room, planned mentoring and open requests on `exit_on`.

    `region`: where the company went (a Region code); by default what the reason tells, if anything.
    `seen_version`: the version of the company's latest stay as the exit form showed it; an
    exit or an extension saved on another PC since then is refused (EditConflict).
    """
    if reason not in set(ExitReason):
        raise DomainError(tr("퇴거 사유 '{value}'는 목록에 없습니다. 목록에서 고르세요.", value=reason), field="reason")
    region = region or region_of_reason(reason)
    if region not in set(Region):
        raise DomainError(tr("이전 지역 '{value}'는 목록에 없습니다. 목록에서 고르세요.", value=region), field="region")
    lock(session, fetch(session, Company, company_id, what=tr("입주기업")))
    if seen_version is not None:
        latest_stay = session.exec(
            select(id_column(Residency))
            .where(Residency.company_id == company_id)
            .order_by(col(Residency.move_in).desc(), id_column(Residency).desc())
            .limit(1)
        ).first()
        if latest_stay is not None:
            fetch_to_change(session, Residency, latest_stay, what=tr("입주 계약"), seen_version=seen_version)
    plan = plan_exit(session=session, company_id=company_id, exit_on=exit_on)
    for allocation in plan.allocations:
        before = audit.snapshot(allocation)
        allocation.end_on = exit_on
        audit.record(session, action="release", row=allocation, before=before)
    for planned in plan.planned_sessions:
        before = audit.snapshot(planned)
        planned.status = SessionStatus.CANCELLED.value
        audit.record(session, action="cancel", row=planned, before=before)
    for request in plan.open_requests:
        before = audit.snapshot(request)
        request.status = RequestStatus.WITHDRAWN.value
        request.decided_on = exit_on
        audit.record(session, action="withdraw", row=request, before=before)
    before = audit.snapshot(plan.residency)
    plan.residency.ended_on = exit_on
    audit.record(session, action="end", row=plan.residency, before=before)
    exit_row = Exit(
        company_id=company_id,
        residency_id=stored_id(plan.residency),
        exit_on=exit_on,
        reason=reason,
        destination=destination.strip(),
        region=region,
        notes=notes,
    )
    audit.record(session, action="create", row=exit_row)
    return exit_row
