"""As-of queries: who was where, how full, on any date — always from the history.

Definitions (also in reports/README.md):
- a company is a resident on day D when one of its residencies has move_in ≤ D and
  no end or an end after D (the exit date is the first day it is gone);
- a room is occupied on D when an allocation of it has start_on ≤ D < end_on (or no end);
- occupancy = occupied private offices / private offices in use on D (not retired);
- seats of shared zones are counted separately: seats used of seats.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from camp_manager.db.models import (
    Allocation,
    Company,
    Exit,
    Facility,
    HeadcountRecord,
    Mentor,
    MentoringSession,
    RequestStatus,
    Residency,
    Room,
    RoomKind,
    RoomRequest,
    SessionStatus,
)
from camp_manager.services.allocations import open_allocations_on
from camp_manager.services.book import among
from camp_manager.services.common import stored_id
from camp_manager.services.residency import contract_end_on


def employees_by_company(session: Session, on: date, company_ids: list[int] | None = None) -> dict[int, int]:
    """Each company's latest headcount on or before `on`."""
    latest = (
        select(col(HeadcountRecord.company_id), sa.func.max(col(HeadcountRecord.as_of)).label("as_of"))
        .where(col(HeadcountRecord.as_of) <= on)
        .group_by(col(HeadcountRecord.company_id))
    )
    if company_ids is not None:
        latest = latest.where(among(session, HeadcountRecord.company_id, company_ids))
    newest = latest.subquery()
    rows = session.exec(
        select(col(HeadcountRecord.company_id), col(HeadcountRecord.employees)).join(
            newest,
            sa.and_(col(HeadcountRecord.company_id) == newest.c.company_id, col(HeadcountRecord.as_of) == newest.c.as_of),
        )
    )
    return dict(rows.all())


@dataclass
class Holding:
    allocation: Allocation
    room: Room


@dataclass
class ResidentRow:
    company: Company
    residency: Residency
    contract_end: date | None = None  # as it stood on the day asked about (extensions made later do not count)
    holdings: list[Holding] = field(default_factory=list)
    employees: int | None = None

    @property
    def room_codes(self) -> list[str]:
        return [h.room.code for h in self.holdings]

    @property
    def seats_held(self) -> int:
        return sum(h.allocation.seats for h in self.holdings)

    @property
    def over_capacity(self) -> bool:
        return self.employees is not None and bool(self.holdings) and self.employees > self.seats_held


def residents_on(session: Session, *, on: date, facility_id: int | None = None) -> list[ResidentRow]:
    """Everyone in residence on `on`, with rooms held and headcount, ordered by name."""
    query = select(Company, Residency, contract_end_on(on)).join(Residency, col(Residency.company_id) == col(Company.id)).where(
        Residency.covers(on)
    )
    if facility_id is not None:
        query = query.where(Residency.facility_id == facility_id)
    rows = {
        stored_id(company): ResidentRow(company=company, residency=residency, contract_end=contract_end)
        for company, residency, contract_end in session.exec(query)
    }
    rooms = {room.id: room for room in session.exec(select(Room))}
    for allocation in open_allocations_on(session, on):
        row = rows.get(allocation.company_id)
        if row is not None:
            row.holdings.append(Holding(allocation=allocation, room=rooms[allocation.room_id]))
    staff = employees_by_company(session, on)
    for company_id, row in rows.items():
        row.employees = staff.get(company_id)
        row.holdings.sort(key=lambda h: h.room.code)
    return sorted(rows.values(), key=lambda r: r.company.name)


def resident_count(session: Session, *, on: date, facility_id: int | None = None) -> int:
    query = select(sa.func.count(sa.distinct(col(Residency.company_id)))).where(Residency.covers(on))
    if facility_id is not None:
        query = query.where(Residency.facility_id == facility_id)
    return session.exec(query).one()


@dataclass
class RoomState:
    room: Room
    holders: list[tuple[Allocation, Company]]

    @property
    def seats_used(self) -> int:
        return sum(a.seats for a, _ in self.holders)

    @property
    def occupied(self) -> bool:
        return bool(self.holders)


def room_states(session: Session, *, on: date, facility_id: int | None = None) -> list[RoomState]:
    """Every room counting on `on` with who holds it, ordered by floor and code."""
    query = select(Room).where(Room.in_use_on(on)).order_by(col(Room.facility_id), col(Room.floor), col(Room.code))
    if facility_id is not None:
        query = query.where(Room.facility_id == facility_id)
    rooms = list(session.exec(query))
    states = {stored_id(room): RoomState(room=room, holders=[]) for room in rooms}
    allocations = open_allocations_on(session, on, list(states))
    companies = {c.id: c for c in session.exec(select(Company).where(col(Company.id).in_({a.company_id for a in allocations})))}
    for allocation in allocations:
        states[allocation.room_id].holders.append((allocation, companies[allocation.company_id]))
    return list(states.values())


@dataclass
class Tally:
    """Rooms and seats in use, for a facility, a floor or everything."""

    rooms_total: int = 0
    rooms_occupied: int = 0
    seats_total: int = 0
    seats_used: int = 0
    area_total: float = 0.0
    area_occupied: float = 0.0

    @property
    def occupancy_rate(self) -> float:
        """Occupied private offices / private offices (0.0 when there are none)."""
        return self.rooms_occupied / self.rooms_total if self.rooms_total else 0.0

    def add(self, state: RoomState) -> None:
        room = state.room
        self.count(kind=room.kind, seats=room.seats, area_m2=room.area_m2, occupied=state.occupied, seats_used=state.seats_used)

    def count(self, *, kind: str, seats: int, area_m2: float, occupied: bool, seats_used: int) -> None:
        """Count one room from plain values (for callers that did not load a RoomState)."""
        if kind == RoomKind.PRIVATE_OFFICE:
            self.rooms_total += 1
            self.area_total += area_m2
            if occupied:
                self.rooms_occupied += 1
                self.area_occupied += area_m2
        elif kind == RoomKind.SHARED_ZONE:
            self.seats_total += seats
            self.seats_used += seats_used


@dataclass
class FacilityOccupancy:
    facility: Facility
    residents: int
    employees: int
    total: Tally
    floors: dict[int, Tally]


def occupancy(session: Session, *, on: date, facility_id: int | None = None) -> list[FacilityOccupancy]:
    """Per facility (and per floor): residents, rooms occupied of total, seats, area, employees."""
    query = select(Facility).order_by(col(Facility.id))
    if facility_id is not None:
        query = query.where(Facility.id == facility_id)
    facilities = list(session.exec(query))
    states = room_states(session, on=on, facility_id=facility_id)
    residents = residents_on(session, on=on, facility_id=facility_id)
    result = []
    for facility in facilities:
        total, floors = Tally(), defaultdict[int, Tally](Tally)
        for state in states:
            if state.room.facility_id == facility.id:
                total.add(state)
                floors[state.room.floor].add(state)
        mine = [r for r in residents if r.residency.facility_id == facility.id]
        result.append(
            FacilityOccupancy(
                facility=facility,
                residents=len(mine),
                employees=sum(r.employees or 0 for r in mine),
                total=total,
                floors=dict(sorted(floors.items())),
            )
        )
    return result


@dataclass
class Movements:
    move_ins: list[tuple[Company, Residency]]
    exits: list[tuple[Company, Exit]]
    room_changes: list[tuple[Company, Allocation]]

    def exits_by_reason(self) -> Counter[str]:
        return Counter(exit_row.reason for _, exit_row in self.exits)


def movements(session: Session, *, start: date, end: date, facility_id: int | None = None) -> Movements:
    """Move-ins, exits and allocations that started within [start, end)."""
    move_ins = select(Company, Residency).join(Residency, col(Residency.company_id) == col(Company.id)).where(
        Residency.move_in >= start, Residency.move_in < end
    )
    exits = (
        select(Company, Exit).join(Exit, col(Exit.company_id) == col(Company.id)).join(Residency, col(Residency.id) == col(Exit.residency_id))
        .where(Exit.exit_on >= start, Exit.exit_on < end)
    )
    changes = (
        select(Company, Allocation).join(Allocation, col(Allocation.company_id) == col(Company.id)).join(Room, col(Room.id) == col(Allocation.room_id))
        .where(Allocation.start_on >= start, Allocation.start_on < end)
    )
    if facility_id is not None:
        move_ins = move_ins.where(Residency.facility_id == facility_id)
        exits = exits.where(Residency.facility_id == facility_id)
        changes = changes.where(Room.facility_id == facility_id)
    return Movements(
        move_ins=list(session.exec(move_ins.order_by(col(Residency.move_in)))),
        exits=list(session.exec(exits.order_by(col(Exit.exit_on)))),
        room_changes=list(session.exec(changes.order_by(col(Allocation.start_on)))),
    )


def over_capacity(session: Session, *, on: date, facility_id: int | None = None) -> list[ResidentRow]:
    """Residents with more employees than the seats they hold."""
    return [row for row in residents_on(session, on=on, facility_id=facility_id) if row.over_capacity]


def contracts_ending(session: Session, *, on: date, within_days: int = 90, facility_id: int | None = None) -> list[ResidentRow]:
    """Residents whose contract ends within [on, on + within_days], soonest first."""
    horizon = on + timedelta(days=within_days)
    rows = [
        row for row in residents_on(session, on=on, facility_id=facility_id)
        if row.contract_end is not None and on <= row.contract_end <= horizon
    ]
    return sorted(rows, key=lambda r: r.contract_end or horizon)  # every row kept has one


def open_requests(session: Session, *, on: date, facility_id: int | None = None) -> list[tuple[RoomRequest, Company]]:
    """Requests filed by `on` and still open on `on` (decided later counts as open), oldest first."""
    query = (
        select(RoomRequest, Company).join(Company, col(Company.id) == col(RoomRequest.company_id))
        .where(col(RoomRequest.requested_on) <= on)
        .where(sa.or_(col(RoomRequest.status) == RequestStatus.OPEN.value, col(RoomRequest.decided_on) > on))
        .order_by(col(RoomRequest.requested_on), col(RoomRequest.id))
    )
    if facility_id is not None:
        query = query.where(RoomRequest.facility_id == facility_id)
    return list(session.exec(query))


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
    """Held sessions within [start, end); with a facility, those of its residents at the time."""
    query = (
        select(MentoringSession, Mentor).join(Mentor, col(Mentor.id) == col(MentoringSession.mentor_id))
        .where(MentoringSession.status == SessionStatus.HELD.value, MentoringSession.held_on >= start, MentoringSession.held_on < end)
    )
    if facility_id is not None:
        query = _of_facility_residents(query, facility_id)
    rows = list(session.exec(query))
    by_field: Counter[str] = Counter()
    mentors: dict[int, Mentor] = {}
    mentor_sessions: Counter[int] = Counter()
    mentor_minutes: Counter[int] = Counter()
    by_company: Counter[int] = Counter()
    for held, mentor in rows:
        by_field[mentor.field] += 1
        mentor_id = stored_id(mentor)
        mentors.setdefault(mentor_id, mentor)
        mentor_sessions[mentor_id] += 1
        mentor_minutes[mentor_id] += held.minutes
        by_company[held.company_id] += 1
    return MentoringSummary(
        sessions=len(rows),
        minutes=sum(held.minutes for held, _ in rows),
        companies_reached=len(by_company),
        by_field=dict(by_field),
        by_mentor=sorted(
            ((mentor, mentor_sessions[i], mentor_minutes[i]) for i, mentor in mentors.items()), key=lambda v: (-v[1], v[0].name)
        ),
        by_company=dict(by_company),
    )


def year_end_residents(session: Session, *, years: list[int], facility_id: int | None = None) -> dict[int, int]:
    return {year: resident_count(session, on=date(year, 12, 31), facility_id=facility_id) for year in years}


def month_ends(last: date, count: int) -> list[date]:
    """The last days of the `count` months ending with the month of `last`, oldest first."""
    ends = []
    year, month = last.year, last.month
    for _ in range(count):
        first_of_next = date(year + (month == 12), month % 12 + 1, 1)
        ends.append(first_of_next - timedelta(days=1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return ends[::-1]


def exits_by_year_and_reason(
    session: Session, *, facility_id: int | None = None, until: date | None = None
) -> dict[int, Counter[str]]:
    """Exits counted by year and reason; with `until`, only exits on or before that day."""
    query = select(col(Exit.exit_on), col(Exit.reason)).join(Residency, col(Residency.id) == col(Exit.residency_id))
    if facility_id is not None:
        query = query.where(Residency.facility_id == facility_id)
    if until is not None:
        query = query.where(Exit.exit_on <= until)
    result: dict[int, Counter[str]] = defaultdict(Counter)
    for exit_on, reason in session.exec(query):
        result[exit_on.year][reason] += 1
    return dict(sorted(result.items()))


def history_start(session: Session, *, facility_id: int | None = None) -> date | None:
    """The first move-in on record (of the facility), or None for an empty history."""
    query = select(sa.func.min(Residency.move_in))
    if facility_id is not None:
        query = query.where(Residency.facility_id == facility_id)
    return session.exec(query).one()


class RoomMovementKind(StrEnum):
    ALLOCATE = "allocate"  # a first room (usually with the move-in)
    MOVE = "move"  # one room given up for another on the same day
    EXPAND = "expand"  # an additional room while keeping the others


@dataclass
class RoomMovement:
    kind: RoomMovementKind
    company: Company
    allocation: Allocation
    room: Room
    previous_room: Room | None = None


def room_movements(session: Session, *, start: date, end: date, facility_id: int | None = None) -> list[RoomMovement]:
    """Allocations that started within [start, end), each told apart as first room, move or expansion."""
    started = movements(session, start=start, end=end, facility_id=facility_id).room_changes
    if not started:
        return []
    company_ids = {company.id for company, _ in started}
    held: defaultdict[int, list[Allocation]] = defaultdict(list)
    for allocation in session.exec(select(Allocation).where(col(Allocation.company_id).in_(company_ids))):
        held[allocation.company_id].append(allocation)
    room_ids = {a.room_id for allocations in held.values() for a in allocations}
    rooms = {room.id: room for room in session.exec(select(Room).where(col(Room.id).in_(room_ids)))}
    result = []
    for company, allocation in started:
        day = allocation.start_on
        others = [a for a in held[stored_id(company)] if a.id != allocation.id]
        left = next((a for a in others if a.end_on == day and a.start_on < day), None)
        if left is not None:
            kind, previous = RoomMovementKind.MOVE, rooms[left.room_id]
        elif any(a.start_on < day and a.covers(day) for a in others):
            kind, previous = RoomMovementKind.EXPAND, None
        else:
            kind, previous = RoomMovementKind.ALLOCATE, None
        result.append(RoomMovement(kind=kind, company=company, allocation=allocation, room=rooms[allocation.room_id], previous_room=previous))
    return result


def mentoring_sessions(
    session: Session, *, start: date, end: date, facility_id: int | None = None, status: str | None = SessionStatus.HELD.value
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
