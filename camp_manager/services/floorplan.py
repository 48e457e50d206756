"""The floor map of a facility on a day: one tile per room, with its state and holders.

One call gathers everything the Rooms page draws (rooms, holders, their headcount and
contract ends) in five small queries for the one facility, so switching the as-of date
redraws without a query per tile.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import NamedTuple

import sqlalchemy as sa
from sqlmodel import Session, col, select

from camp_manager.db.models import Allocation, Company, Facility, Residency, Room, RoomKind
from camp_manager.i18n import tr
from camp_manager.services.common import fetch, id_column, stored_id

# The as-of conditions are shared with the occupancy queries, so both count the same rooms.
from camp_manager.services.occupancy import (
    Tally,
    contract_watched,
    employees_by_company,
    resident_count,
    short_of_seats,
)
from camp_manager.services.residency import contract_end_on, renewing_on


class TileState(StrEnum):
    """How a room looks on the map, the most urgent state first."""

    OVER_CAPACITY = "over_capacity"
    ENDING_SOON = "ending_soon"
    OCCUPIED = "occupied"
    VACANT = "vacant"
    SHARED = "shared"
    MEETING = "meeting"


@dataclass(frozen=True)
class TileHolder:
    """A company holding (part of) a room on the day, with what the map needs to know."""

    allocation_id: int
    company_id: int
    company_name: str
    seats: int
    start_on: date
    end_on: date | None
    override_reason: str
    employees: int | None
    seats_held: int  # all the company's seats in the facility on the day
    rooms_held: int
    contract_end: date | None
    version: int  # the allocation's saves so far: a release or move from an older map is refused
    renewing: bool = False  # a renewal of the company's contract in progress on the day

    @property
    def over_capacity(self) -> bool:
        return short_of_seats(self.employees, seats_held=self.seats_held, holds_rooms=True)  # it holds this one

    def contract_days_left(self, on: date) -> int | None:
        return None if self.contract_end is None else (self.contract_end - on).days

    def contract_ending_soon(self, on: date) -> bool:
        """On the contracts-ending watch on `on` (the Dashboard's and the report's rule)."""
        return contract_watched(self.contract_end, renewing=self.renewing, on=on)


@dataclass(frozen=True)
class RoomTile:
    room_id: int
    code: str
    floor: int
    kind: str
    seats: int
    area_m2: float
    holders: tuple[TileHolder, ...]
    state: TileState
    version: int  # the room's saves so far

    @property
    def seats_used(self) -> int:
        return sum(h.seats for h in self.holders)

    @property
    def seats_free(self) -> int:
        return max(0, self.seats - self.seats_used)

    @property
    def assignable(self) -> bool:
        """Can take another company on the day: a vacant office or a zone with free seats."""
        if self.kind == RoomKind.PRIVATE_OFFICE:
            return not self.holders
        return self.kind == RoomKind.SHARED_ZONE and self.seats_free > 0


@dataclass
class FloorPlan:
    facility_id: int
    facility_name: str
    max_rooms_per_company: int
    on: date
    residents: int
    tiles: list[RoomTile]
    total: Tally
    floors: dict[int, Tally] = field(default_factory=dict)

    def floor_numbers(self) -> list[int]:
        return sorted(self.floors)

    def tiles_on(self, floor: int | None) -> list[RoomTile]:
        """The tiles of one floor, or all of them for None (already in floor, code order)."""
        return self.tiles if floor is None else [t for t in self.tiles if t.floor == floor]

    def tile(self, room_id: int) -> RoomTile | None:
        return next((t for t in self.tiles if t.room_id == room_id), None)

    def state_counts(self) -> dict[TileState, int]:
        counts: dict[TileState, int] = defaultdict(int)
        for tile in self.tiles:
            counts[tile.state] += 1
        return dict(counts)


def _tile_state(kind: str, holders: tuple[TileHolder, ...], on: date) -> TileState:
    if kind == RoomKind.MEETING_ROOM:
        return TileState.MEETING
    if kind == RoomKind.SHARED_ZONE:
        return TileState.SHARED
    if not holders:
        return TileState.VACANT
    if any(h.over_capacity for h in holders):
        return TileState.OVER_CAPACITY
    if any(h.contract_ending_soon(on) for h in holders):
        return TileState.ENDING_SOON
    return TileState.OCCUPIED


class _Contract(NamedTuple):
    end: date | None
    renewing: bool


_NO_CONTRACT = _Contract(None, False)


def _contracts(session: Session, company_ids: set[int], on: date) -> dict[int, _Contract]:
    """Each company's contract end as it stood on `on`, and whether a renewal of it was in progress then."""
    if not company_ids:
        return {}
    rows = session.exec(
        select(Residency.company_id, contract_end_on(on), renewing_on(on)).where(
            col(Residency.company_id).in_(company_ids), Residency.covers(on)
        )
    )
    return {company_id: _Contract(end, bool(renewing)) for company_id, end, renewing in rows}


# A holder as `floor_plan` reads it: allocation id, room id, company id, seats, start, end, override reason, company name.
_HeldRow = sa.Row[int, int, int, int, date, date | None, str, str]


def floor_plan(session: Session, *, on: date, facility_id: int) -> FloorPlan:
    """Every room of the facility counting on `on`, with its holders and state.

    The same rooms and holders as `occupancy.room_states`, read as plain columns: an as-of
    switch builds no ORM objects, which keeps the redraw fast at 10,000 companies.
    """
    facility = fetch(session, Facility, facility_id, what=tr("시설"))
    rooms = session.execute(
        sa.select(
            id_column(Room),
            col(Room.floor),
            col(Room.code),
            col(Room.kind),
            col(Room.seats),
            col(Room.area_m2),
            col(Room.version),
        )
        .where(col(Room.facility_id) == facility_id, Room.in_use_on(on))
        .order_by(col(Room.floor), col(Room.code))
    ).all()
    held = session.execute(
        sa.select(
            id_column(Allocation),
            col(Allocation.room_id),
            col(Allocation.company_id),
            col(Allocation.seats),
            col(Allocation.start_on),
            col(Allocation.end_on),
            col(Allocation.override_reason),
            col(Allocation.version),
            col(Company.name),
        )
        .join(Room, col(Room.id) == col(Allocation.room_id))
        .join(Company, col(Company.id) == col(Allocation.company_id))
        .where(col(Room.facility_id) == facility_id, Room.in_use_on(on), Allocation.covers(on))
        .order_by(col(Allocation.start_on), col(Company.name))
    ).all()
    holder_ids = {row.company_id for row in held}
    staff = employees_by_company(session, on, sorted(holder_ids)) if holder_ids else {}
    contracts = _contracts(session, holder_ids, on)
    seats_held: dict[int, int] = defaultdict(int)
    rooms_held: dict[int, int] = defaultdict(int)
    by_room: dict[int, list[_HeldRow]] = defaultdict(list)
    for row in held:
        seats_held[row.company_id] += row.seats
        rooms_held[row.company_id] += 1
        by_room[row.room_id].append(row)

    tiles: list[RoomTile] = []
    total, floors = Tally(), defaultdict[int, Tally](Tally)
    for room in rooms:
        holders = tuple(
            TileHolder(
                allocation_id=row.id,
                company_id=row.company_id,
                company_name=row.name,
                seats=row.seats,
                start_on=row.start_on,
                end_on=row.end_on,
                override_reason=row.override_reason,
                employees=staff.get(row.company_id),
                seats_held=seats_held[row.company_id],
                rooms_held=rooms_held[row.company_id],
                contract_end=contracts.get(row.company_id, _NO_CONTRACT).end,
                version=row.version,
                renewing=contracts.get(row.company_id, _NO_CONTRACT).renewing,
            )
            for row in by_room.get(room.id, ())
        )
        tile = RoomTile(
            room_id=room.id,
            code=room.code,
            floor=room.floor,
            kind=room.kind,
            seats=room.seats,
            area_m2=room.area_m2,
            holders=holders,
            state=_tile_state(room.kind, holders, on),
            version=room.version,
        )
        tiles.append(tile)
        for tally in (total, floors[room.floor]):
            tally.count(
                kind=room.kind,
                seats=room.seats,
                area_m2=room.area_m2,
                occupied=bool(holders),
                seats_used=tile.seats_used,
            )
    return FloorPlan(
        facility_id=stored_id(facility),
        facility_name=facility.name,
        max_rooms_per_company=facility.max_rooms_per_company,
        on=on,
        residents=resident_count(session, on=on, facility_id=facility_id),
        tiles=tiles,
        total=total,
        floors=dict(sorted(floors.items())),
    )


@dataclass(frozen=True)
class RoomHistoryEntry:
    allocation_id: int
    company_id: int
    company_name: str
    start_on: date
    end_on: date | None
    seats: int
    override_reason: str

    def days(self, on: date) -> int:
        """How long the company held the room (up to `on` while it still does)."""
        return ((self.end_on or on) - self.start_on).days


def room_history(session: Session, *, room_id: int) -> list[RoomHistoryEntry]:
    """Every allocation the room ever had, latest first."""
    fetch(session, Room, room_id, what=tr("호실"))
    rows = session.exec(
        select(Allocation, col(Company.name))
        .join(Company, col(Company.id) == col(Allocation.company_id))
        .where(col(Allocation.room_id) == room_id)
        .order_by(col(Allocation.start_on).desc(), col(Allocation.id).desc())
    )
    return [
        RoomHistoryEntry(
            allocation_id=stored_id(allocation),
            company_id=allocation.company_id,
            company_name=name,
            start_on=allocation.start_on,
            end_on=allocation.end_on,
            seats=allocation.seats,
            override_reason=allocation.override_reason,
        )
        for allocation, name in rows
    ]
