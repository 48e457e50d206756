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
from camp_manager.services.common import id_column


@dataclass
class MentoringSummary:
    sessions: int
    minutes: int
    companies_reached: int
    by_field: dict[str, int]
    by_mentor: list[tuple[Mentor, int, int]]  # mentor, sessions, minutes
    by_company: dict[int, int]


# A query over mentoring sessions (with their mentors, and companies), narrowed in place.
_SessionQuery = TypeVar("_SessionQuery", bound="Select[*tuple[Any, ...]]")


def _of_facility_residents(query: _SessionQuery, facility_id: int) -> _SessionQuery:
    """Keep the sessions of companies that were residents of the facility on the session's day."""
    return query.join(
        Residency,
        sa.and_(
            col(Residency.company_id) == col(MentoringSession.company_id),
            col(Residency.facility_id) == facility_id,
            Residency.covers(MentoringSession.held_on),
        ),
    )


def mentoring_summary(session: Session, *, start: date, end: date, facility_id: int | None = None) -> MentoringSummary:
    """Held sessions within [start, end); with a facility, those of its residents at the time.

    Counted and summed in SQL, per mentor and per company: no session is loaded as an object.
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
    held = query.subquery()
    per_mentor = list(
        session.exec(
            select(Mentor, sa.func.count(), sa.func.sum(held.c.minutes))
            .join(held, held.c.mentor_id == id_column(Mentor))
            .group_by(id_column(Mentor))
        )
    )
    by_company = dict(session.exec(select(held.c.company_id, sa.func.count()).group_by(held.c.company_id)).all())
    by_field: Counter[str] = Counter()
    for mentor, sessions, _ in per_mentor:
        by_field[mentor.field] += sessions
    return MentoringSummary(
        sessions=sum(sessions for _, sessions, _ in per_mentor),
        minutes=sum(minutes for _, _, minutes in per_mentor),
        companies_reached=len(by_company),
        by_field=dict(by_field),
        by_mentor=sorted(
            ((mentor, sessions, minutes) for mentor, sessions, minutes in per_mentor), key=lambda v: (-v[1], v[0].name)
        ),
        by_company=by_company,
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
