"""Mentors and mentoring sessions: plan, record as held, cancel."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from camp_manager.db.models import (
    MAX_SESSION_MINUTES,
    Company,
    Mentor,
    MentorField,
    MentoringSession,
    SessionMode,
    SessionStatus,
)
from camp_manager.errors import DomainError
from camp_manager.i18n import tr
from camp_manager.services import audit
from camp_manager.services.common import fetch, fetch_to_change, require_text, today
from camp_manager.services.inputs import checked_input
from camp_manager.services.residency import residency_on


@checked_input
def add_mentor(*, session: Session, name: str, field: str, affiliation: str = "", contact: str = "") -> Mentor:
    name = require_text(name, field="name", what=tr("멘토 이름"))
    if field not in set(MentorField):
        raise DomainError(
            tr("멘토 분야 '{value}'는 목록에 없습니다. 네 분야 중에서 고르세요.", value=field), field="field"
        )
    mentor = Mentor(name=name, field=field, affiliation=affiliation.strip(), contact=contact.strip())
    audit.record(session, action="create", row=mentor)
    return mentor


@checked_input
def set_mentor_active(*, session: Session, mentor_id: int, active: bool, seen_version: int | None = None) -> Mentor:
    mentor = fetch_to_change(session, Mentor, mentor_id, what=tr("멘토"), seen_version=seen_version)
    before = audit.snapshot(mentor)
    mentor.active = active
    audit.record(session, action="update", row=mentor, before=before)
    return mentor


def _check_minutes(minutes: int) -> None:
    if not 1 <= minutes <= MAX_SESSION_MINUTES:
        raise DomainError(
            tr("멘토링 시간(분)은 1분에서 {max}분 사이여야 합니다. 예: 60", max=MAX_SESSION_MINUTES), field="minutes"
        )


def _session_for(
    session: Session,
    *,
    mentor_id: int,
    company_id: int,
    held_on: date,
    minutes: int,
    topic: str,
    mode: str,
    status: SessionStatus,
) -> MentoringSession:
    mentor = fetch(session, Mentor, mentor_id, what=tr("멘토"))
    company = fetch(session, Company, company_id, what=tr("입주기업"))
    if not mentor.active:
        raise DomainError(
            tr("멘토 '{name}'은(는) 활동 중이 아닙니다. 다른 멘토를 고르세요.", name=mentor.name), field="mentor"
        )
    _check_minutes(minutes)
    if mode not in set(SessionMode):
        raise DomainError(
            tr("진행 방식 '{value}'는 목록에 없습니다. 대면이나 온라인 중에서 고르세요.", value=mode), field="mode"
        )
    if residency_on(session, company_id, held_on) is None:
        raise DomainError(
            tr(
                "'{name}'은(는) {date}에 입주 중이 아닙니다. 입주 기간 안의 날짜를 입력하세요.",
                name=company.name,
                date=held_on,
            ),
            field="held_on",
        )
    if status == SessionStatus.HELD and held_on > today(session):
        raise DomainError(
            tr("아직 오지 않은 날짜({date})의 멘토링은 '예정'으로 등록하세요.", date=held_on), field="held_on"
        )
    return MentoringSession(
        mentor_id=mentor_id,
        company_id=company_id,
        held_on=held_on,
        minutes=minutes,
        topic=topic.strip(),
        mode=mode,
        status=status.value,
    )


@checked_input
def plan_session(
    *,
    session: Session,
    mentor_id: int,
    company_id: int,
    held_on: date,
    minutes: int = 60,
    topic: str = "",
    mode: str = SessionMode.IN_PERSON.value,
) -> MentoringSession:
    row = _session_for(
        session,
        mentor_id=mentor_id,
        company_id=company_id,
        held_on=held_on,
        minutes=minutes,
        topic=topic,
        mode=mode,
        status=SessionStatus.PLANNED,
    )
    audit.record(session, action="plan", row=row)
    return row


@checked_input
def log_held_session(
    *,
    session: Session,
    mentor_id: int,
    company_id: int,
    held_on: date,
    minutes: int = 60,
    topic: str = "",
    mode: str = SessionMode.IN_PERSON.value,
    notes: str = "",
) -> MentoringSession:
    """Record a session that took place (one dialog in the UI)."""
    row = _session_for(
        session,
        mentor_id=mentor_id,
        company_id=company_id,
        held_on=held_on,
        minutes=minutes,
        topic=topic,
        mode=mode,
        status=SessionStatus.HELD,
    )
    row.notes = notes
    audit.record(session, action="hold", row=row)
    return row


def _planned(session: Session, session_id: int, seen_version: int | None) -> MentoringSession:
    row = fetch_to_change(session, MentoringSession, session_id, what=tr("멘토링"), seen_version=seen_version)
    if row.status != SessionStatus.PLANNED:
        raise DomainError(tr("예정된 멘토링만 완료하거나 취소할 수 있습니다."), field="status")
    return row


@checked_input
def mark_held(
    *, session: Session, session_id: int, minutes: int | None = None, notes: str = "", seen_version: int | None = None
) -> MentoringSession:
    row = _planned(session, session_id, seen_version)
    if row.held_on > today(session):
        raise DomainError(
            tr("아직 오지 않은 날짜({date})의 멘토링은 완료로 기록할 수 없습니다.", date=row.held_on), field="held_on"
        )
    if minutes is not None:
        _check_minutes(minutes)
    before = audit.snapshot(row)
    row.status = SessionStatus.HELD.value
    if minutes is not None:
        row.minutes = minutes
    if notes:
        row.notes = notes
    audit.record(session, action="hold", row=row, before=before)
    return row


@checked_input
def cancel_session(*, session: Session, session_id: int, seen_version: int | None = None) -> MentoringSession:
    row = _planned(session, session_id, seen_version)
    before = audit.snapshot(row)
    row.status = SessionStatus.CANCELLED.value
    audit.record(session, action="cancel", row=row, before=before)
    return row
