"""Movements of a period: move-ins, exits and the rooms taken, each told apart as a first room,
a move or an expansion; exits counted by year, reason and facility."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from camp_manager.db.models import Allocation, Company, Exit, Residency, Room
from camp_manager.services.common import id_column, stored_id


@dataclass
class Movements:
    move_ins: list[tuple[Company, Residency]]
    exits: list[tuple[Company, Exit]]
    room_changes: list[tuple[Company, Allocation]]
    re_entries: set[int]  # ids of the move-ins' residencies that are re-entries
    exit_facilities: dict[int, int]  # each exit's id → the facility of the stay it ended

    def is_re_entry(self, residency: Residency) -> bool:
        return residency.id in self.re_entries

    def exits_by_reason(self) -> Counter[str]:
        return Counter(exit_row.reason for _, exit_row in self.exits)

    def of_facility(self, facility_id: int) -> Movements:
        """The move-ins and exits of one facility's stays (the room changes are left out)."""
        return Movements(
            move_ins=[(c, r) for c, r in self.move_ins if r.facility_id == facility_id],
            exits=[(c, e) for c, e in self.exits if self.exit_facilities[stored_id(e)] == facility_id],
            room_changes=[],
            re_entries=self.re_entries,
            exit_facilities=self.exit_facilities,
        )


def movements(
    session: Session, *, start: date, end: date, facility_id: int | None = None, room_changes: bool = True
) -> Movements:
    """Move-ins, exits and allocations that started within [start, end) (none without `room_changes`:
    a summary counts only move-ins and exits).

    A move-in is a re-entry when the company had another stay (in any facility) that ended
    on or before its move-in day."""
    earlier = aliased(Residency)
    returning = sa.exists().where(
        col(earlier.company_id) == col(Residency.company_id),
        col(earlier.id) != col(Residency.id),
        col(earlier.ended_on).is_not(None),
        col(earlier.ended_on) <= col(Residency.move_in),
    )
    move_ins = (
        select(Company, Residency, returning.label("re_entry"))
        .join(Residency, col(Residency.company_id) == col(Company.id))
        .where(Residency.move_in >= start, Residency.move_in < end)
    )
    exits = (
        select(Company, Exit, col(Residency.facility_id))
        .join(Exit, col(Exit.company_id) == col(Company.id))
        .join(Residency, col(Residency.id) == col(Exit.residency_id))
        .where(Exit.exit_on >= start, Exit.exit_on < end)
    )
    changes = (
        select(Company, Allocation)
        .join(Allocation, col(Allocation.company_id) == col(Company.id))
        .join(Room, col(Room.id) == col(Allocation.room_id))
        .where(Allocation.start_on >= start, Allocation.start_on < end)
    )
    if facility_id is not None:
        move_ins = move_ins.where(Residency.facility_id == facility_id)
        exits = exits.where(Residency.facility_id == facility_id)
        changes = changes.where(Room.facility_id == facility_id)
    moved_in = list(session.exec(move_ins.order_by(col(Residency.move_in))))
    left = list(session.exec(exits.order_by(col(Exit.exit_on))))
    return Movements(
        move_ins=[(company, residency) for company, residency, _ in moved_in],
        re_entries={stored_id(residency) for _, residency, re_entry in moved_in if re_entry},
        exits=[(company, exit_row) for company, exit_row, _ in left],
        exit_facilities={stored_id(exit_row): facility for _, exit_row, facility in left},
        room_changes=list(session.exec(changes.order_by(col(Allocation.start_on)))) if room_changes else [],
    )


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


def exits_by_facility(session: Session, *, start: date, end: date) -> dict[int, int]:
    """Exits within [start, end), counted by the facility of the stay they ended."""
    query = (
        select(col(Residency.facility_id), sa.func.count())
        .join(Exit, col(Exit.residency_id) == id_column(Residency))
        .where(col(Exit.exit_on) >= start, col(Exit.exit_on) < end)
        .group_by(col(Residency.facility_id))
    )
    return dict(session.exec(query).all())


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


def room_movements(session: Session, moves: Movements) -> list[RoomMovement]:
    """The allocations `moves` saw start (its room changes), each told apart as first room, move or expansion."""
    started = moves.room_changes
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
        result.append(
            RoomMovement(
                kind=kind,
                company=company,
                allocation=allocation,
                room=rooms[allocation.room_id],
                previous_room=previous,
            )
        )
    return result
