"""The lists the Requests, Mentoring and Exits screens show, as plain rows, as of a day.

Each function answers one screen's question in a few queries and returns frozen rows
with names already resolved, so a table model only formats them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, col, select

from camp_manager.db.models import (
    Company,
    Exit,
    Facility,
    Mentor,
    MentoringSession,
    RequestStatus,
    Residency,
    Room,
    RoomRequest,
    SessionStatus,
)
from camp_manager.i18n import tr
from camp_manager.services.common import fetch, id_column, one_of_each, stored_id
from camp_manager.services.exits import ExitPlan, plan_exit


def facilities_in_order(session: Session) -> list[Facility]:
    return list(session.exec(select(Facility).order_by(col(Facility.id))))


def companies_not_resident(session: Session, *, on: date) -> list[Company]:
    """Companies with no residency covering `on` (candidates for the move-in waitlist)."""
    resident = select(Residency.company_id).where(Residency.covers(on))
    return list(session.exec(select(Company).where(col(Company.id).not_in(resident)).order_by(col(Company.name))))


# --- requests ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class RequestRow:
    request_id: int
    company_id: int
    company_name: str
    facility_id: int
    facility_name: str
    kind: str
    rooms_wanted: int
    seats_wanted: int
    requested_on: date
    status: str  # as it stood on the day asked about
    decided_on: date | None
    note: str
    age_days: int  # days open so far, or days it waited for its decision
    queue_position: int | None  # place among the open requests of its facility and kind
    version: int  # the request's saves so far: a decision from an older list is refused

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.OPEN


def request_log(session: Session, *, on: date) -> list[RequestRow]:
    """Every request filed by `on`, with its status on `on` (a later decision is still open), oldest first."""
    rows = session.exec(
        select(RoomRequest, col(Company.name), col(Facility.name))
        .join(Company, col(Company.id) == col(RoomRequest.company_id))
        .join(Facility, col(Facility.id) == col(RoomRequest.facility_id))
        .where(col(RoomRequest.requested_on) <= on)
        .order_by(col(RoomRequest.requested_on), col(RoomRequest.id))
    )
    queue: dict[tuple[int, str], int] = defaultdict(int)
    result = []
    for request, company_name, facility_name in rows:
        decided = request.decided_on is not None and request.decided_on <= on
        status = request.status if decided or request.status == RequestStatus.OPEN else RequestStatus.OPEN.value
        position = None
        if status == RequestStatus.OPEN:
            queue[request.facility_id, request.kind] += 1
            position = queue[request.facility_id, request.kind]
        result.append(
            RequestRow(
                request_id=stored_id(request),
                company_id=request.company_id,
                company_name=company_name,
                facility_id=request.facility_id,
                facility_name=facility_name,
                kind=request.kind,
                rooms_wanted=request.rooms_wanted,
                seats_wanted=request.seats_wanted,
                requested_on=request.requested_on,
                status=status,
                decided_on=request.decided_on if decided else None,
                note=request.note,
                age_days=((request.decided_on if decided and request.decided_on else on) - request.requested_on).days,
                queue_position=position,
                version=request.version,
            )
        )
    return result


# --- mentoring --------------------------------------------------------------------------
@dataclass(frozen=True)
class MentorRow:
    mentor_id: int
    name: str
    field: str
    affiliation: str
    contact: str
    active: bool
    sessions_this_year: int  # held from 1 January of the year of the day asked about, up to that day


def mentor_pool(session: Session, *, on: date) -> list[MentorRow]:
    held = (
        select(col(MentoringSession.mentor_id), sa.func.count().label("held"))
        .where(
            col(MentoringSession.status) == SessionStatus.HELD.value,
            col(MentoringSession.held_on) >= date(on.year, 1, 1),
            col(MentoringSession.held_on) <= on,
        )
        .group_by(col(MentoringSession.mentor_id))
        .subquery()
    )
    rows = session.exec(
        select(Mentor, sa.func.coalesce(held.c.held, 0))
        .outerjoin(held, held.c.mentor_id == Mentor.id)
        .order_by(Mentor.name, col(Mentor.id))
    )
    return [
        MentorRow(
            mentor_id=stored_id(mentor),
            name=mentor.name,
            field=mentor.field,
            affiliation=mentor.affiliation,
            contact=mentor.contact,
            active=mentor.active,
            sessions_this_year=count,
        )
        for mentor, count in rows
    ]


@dataclass(frozen=True, slots=True)
class SessionLogRow:
    """A mentoring session as the log lists it."""

    session_id: int
    version: int
    held_on: date
    status: str
    mentor_id: int
    mentor: str
    field: str
    company: str
    topic: str
    minutes: int
    mode: str


def session_log(session: Session, *, start: date, end: date) -> list[SessionLogRow]:
    """Every session within [start, end), whatever its status, in date order; plain columns, since a
    year holds about 10,000 and loading each as three objects took most of a second."""
    query = (
        sa.select(
            id_column(MentoringSession),
            col(MentoringSession.version),
            col(MentoringSession.held_on),
            col(MentoringSession.status),
            col(MentoringSession.mentor_id),
            col(Mentor.name),
            col(Mentor.field),
            col(Company.name),
            col(MentoringSession.topic),
            col(MentoringSession.minutes),
            col(MentoringSession.mode),
        )
        .join(Mentor, col(Mentor.id) == col(MentoringSession.mentor_id))
        .join(Company, col(Company.id) == col(MentoringSession.company_id))
        .where(col(MentoringSession.held_on) >= start, col(MentoringSession.held_on) < end)
        .order_by(col(MentoringSession.held_on), id_column(MentoringSession))
    )
    shared = one_of_each()
    return [
        SessionLogRow(
            session_id,
            version,
            shared(held_on),
            shared(status),
            mentor_id,
            shared(mentor),
            shared(field),
            shared(company),
            topic,
            minutes,
            shared(mode),
        )
        for session_id, version, held_on, status, mentor_id, mentor, field, company, topic, minutes, mode in (
            session.execute(query)
        )
    ]


def active_mentors(session: Session) -> list[Mentor]:
    return list(
        session.exec(select(Mentor).where(col(Mentor.active).is_(True)).order_by(col(Mentor.name), col(Mentor.id)))
    )


# --- exits ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ExitRow:
    exit_id: int
    company_id: int
    company_name: str
    facility_id: int
    facility_name: str
    move_in: date
    exit_on: date
    reason: str
    destination: str
    notes: str


def exit_log(session: Session, *, until: date) -> list[ExitRow]:
    """Exits on or before `until`, latest first; plain columns (about 8,000 exits at ten times the camp)."""
    rows = session.execute(
        sa.select(
            id_column(Exit),
            col(Exit.company_id),
            col(Company.name),
            id_column(Facility),
            col(Facility.name),
            col(Residency.move_in),
            col(Exit.exit_on),
            col(Exit.reason),
            col(Exit.destination),
            col(Exit.notes),
        )
        .join(Company, col(Company.id) == col(Exit.company_id))
        .join(Residency, col(Residency.id) == col(Exit.residency_id))
        .join(Facility, col(Facility.id) == col(Residency.facility_id))
        .where(col(Exit.exit_on) <= until)
        .order_by(col(Exit.exit_on).desc(), id_column(Exit).desc())
    )
    shared = one_of_each()
    return [
        ExitRow(
            exit_id,
            company_id,
            shared(company),
            facility_id,
            shared(facility),
            shared(move_in),
            shared(exit_on),
            shared(reason),
            shared(destination),
            shared(notes),
        )
        for exit_id, company_id, company, facility_id, facility, move_in, exit_on, reason, destination, notes in rows
    ]


@dataclass
class ExitPreview:
    """An exit plan with the names a manager reads: rooms by code, mentors by name."""

    company_name: str
    facility_name: str
    plan: ExitPlan
    room_codes: dict[int, str]
    mentor_names: dict[int, str]


def exit_preview(session: Session, *, company_id: int, exit_on: date) -> ExitPreview:
    """What `record_exit` would close on `exit_on` (raises the same domain errors)."""
    company = fetch(session, Company, company_id, what=tr("입주기업"))
    plan = plan_exit(session=session, company_id=company_id, exit_on=exit_on)
    room_ids = {a.room_id for a in plan.allocations}
    mentor_ids = {s.mentor_id for s in plan.planned_sessions}
    rooms = (
        dict(session.exec(select(id_column(Room), col(Room.code)).where(col(Room.id).in_(room_ids))).all())
        if room_ids
        else {}
    )
    mentors = (
        dict(session.exec(select(id_column(Mentor), col(Mentor.name)).where(col(Mentor.id).in_(mentor_ids))).all())
        if mentor_ids
        else {}
    )
    facility = fetch(session, Facility, plan.residency.facility_id, what=tr("시설"))
    return ExitPreview(
        company_name=company.name,
        facility_name=facility.name,
        plan=plan,
        room_codes=rooms,
        mentor_names=mentors,
    )
