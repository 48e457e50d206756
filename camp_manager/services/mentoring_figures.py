"""Mentoring of a period: sessions held, summed per field, mentor and company; with a facility,
those of its residents on the session's day."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from camp_manager.db.models import Company, Mentor, MentoringSession, Residency, SessionStatus
from camp_manager.services.common import stored_id


@dataclass
class MentoringSummary:
    sessions: int
    minutes: int
    companies_reached: int
    by_field: dict[str, int]
    by_mentor: list[tuple[Mentor, int, int]]  # mentor, sessions, minutes
    by_company: dict[int, int]
    held: list[tuple[int, int, int]]  # each session counted: mentor id, company id, minutes


# A query over mentoring sessions (with their mentors, and companies), narrowed in place.
_SessionQuery = TypeVar("_SessionQuery", bound="Select[*tuple[Any, ...]]")


def _of_facility_residents(query: _SessionQuery, facility_id: int) -> _SessionQuery:
    """Keep the sessions of companies that were residents of the facility on the session's day."""
    return query.join(
        Residency,
        sa.and_(
            col(Residency.company_id) == col(MentoringSession.company_id),
            # `+ 0` keeps SQLite (no statistics) from starting at the facility's thousands of residencies
            # by their index instead of at the period's sessions by date: 25 ms instead of 1 ms a month.
            col(Residency.facility_id) + 0 == facility_id,
            Residency.covers(MentoringSession.held_on),
        ),
    )


def mentoring_summary(session: Session, *, start: date, end: date, facility_id: int | None = None) -> MentoringSummary:
    """Held sessions within [start, end); with a facility, those of its residents at the time.

    The sessions are read as plain columns and summed here (a year holds about 10,000); only the
    mentors who held one are loaded as objects.
    """
    query = select(
        col(MentoringSession.mentor_id), col(MentoringSession.company_id), col(MentoringSession.minutes)
    ).where(
        col(MentoringSession.status) == SessionStatus.HELD.value,
        col(MentoringSession.held_on) >= start,
        col(MentoringSession.held_on) < end,
    )
    if facility_id is not None:
        query = _of_facility_residents(query, facility_id)
    held = [(mentor_id, company_id, minutes) for mentor_id, company_id, minutes in session.exec(query)]
    sessions: Counter[int] = Counter()
    minutes: Counter[int] = Counter()
    by_company: Counter[int] = Counter()
    for mentor_id, company_id, length in held:
        sessions[mentor_id] += 1
        minutes[mentor_id] += length
        by_company[company_id] += 1
    mentors = list(session.exec(select(Mentor).where(col(Mentor.id).in_(sessions)))) if sessions else []
    by_field: Counter[str] = Counter()
    for mentor in mentors:
        by_field[mentor.field] += sessions[stored_id(mentor)]
    return MentoringSummary(
        sessions=len(held),
        minutes=sum(minutes.values()),
        companies_reached=len(by_company),
        by_field=dict(by_field),
        by_mentor=sorted(
            ((mentor, sessions[stored_id(mentor)], minutes[stored_id(mentor)]) for mentor in mentors),
            key=lambda v: (-v[1], v[0].name),
        ),
        by_company=dict(by_company),
        held=held,
    )


def mentoring_sessions(
    session: Session,
    *,
    start: date,
    end: date,
    facility_id: int | None = None,
    status: str | None = SessionStatus.HELD.value,
) -> list[tuple[MentoringSession, Mentor, Company]]:
    """Sessions within [start, end) (held ones unless told otherwise), in date order.

    With a facility, those of its residents at the time, as in `mentoring_summary`.
    """
    query = (
        select(MentoringSession, Mentor, Company)
        .join(Mentor, col(Mentor.id) == col(MentoringSession.mentor_id))
        .join(Company, col(Company.id) == col(MentoringSession.company_id))
        .where(col(MentoringSession.held_on) >= start, col(MentoringSession.held_on) < end)
        .order_by(col(MentoringSession.held_on), col(MentoringSession.id))
    )
    if status is not None:
        query = query.where(MentoringSession.status == status)
    if facility_id is not None:
        query = _of_facility_residents(query, facility_id)
    return list(session.exec(query))
