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
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from camp_manager.db.models import (
    Allocation,
    Company,
    Facility,
    HeadcountRecord,
    RequestStatus,
    Residency,
    Room,
    RoomKind,
    RoomRequest,
    room_in_use_on,
)
from camp_manager.services.allocations import open_allocations_on
from camp_manager.services.book import among
from camp_manager.services.common import id_column, stored_id
from camp_manager.services.residency import contract_end_on, renewing_on


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
            sa.and_(
                col(HeadcountRecord.company_id) == newest.c.company_id, col(HeadcountRecord.as_of) == newest.c.as_of
            ),
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
    renewing: bool = False  # a renewal in progress on the day asked about (one started later does not count)

    @property
    def room_codes(self) -> list[str]:
        return [h.room.code for h in self.holdings]

    @property
    def seats_held(self) -> int:
        return sum(h.allocation.seats for h in self.holdings)

    @property
    def over_capacity(self) -> bool:
        return short_of_seats(self.employees, seats_held=self.seats_held, holds_rooms=bool(self.holdings))


def short_of_seats(employees: int | None, *, seats_held: int, holds_rooms: bool) -> bool:
    """The one rule of the over-capacity watch: a resident holding rooms has more employees (its latest
    headcount) than the seats it holds."""
    return employees is not None and holds_rooms and employees > seats_held


def residents_on(session: Session, *, on: date, facility_id: int | None = None) -> list[ResidentRow]:
    """Everyone in residence on `on`, with rooms held and headcount, ordered by name."""
    query = (
        select(Company, Residency, contract_end_on(on), renewing_on(on).label("renewing"))
        .join(Residency, col(Residency.company_id) == col(Company.id))
        .where(Residency.covers(on))
    )
    if facility_id is not None:
        query = query.where(Residency.facility_id == facility_id)
    rows = {
        stored_id(company): ResidentRow(
            company=company, residency=residency, contract_end=contract_end, renewing=bool(is_renewing)
        )
        for company, residency, contract_end, is_renewing in session.exec(query)
    }
    held = (
        select(Allocation, Room)
        .join(Room, col(Room.id) == col(Allocation.room_id))
        .where(Allocation.covers(on), among(session, Allocation.company_id, rows))
        .order_by(col(Allocation.id))
    )
    for allocation, room in session.exec(held):
        rows[allocation.company_id].holdings.append(Holding(allocation=allocation, room=room))
    staff = employees_by_company(session, on, list(rows))
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
    companies = {
        c.id: c for c in session.exec(select(Company).where(col(Company.id).in_({a.company_id for a in allocations})))
    }
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
        self.count(
            kind=room.kind, seats=room.seats, area_m2=room.area_m2, occupied=state.occupied, seats_used=state.seats_used
        )

    def count(self, *, kind: str, seats: int, area_m2: float, occupied: bool, seats_used: int) -> None:
        """Count one room from plain values (for callers that did not load a RoomState)."""
        self.count_group(
            kind=kind,
            rooms=1,
            seats=seats,
            area_m2=area_m2,
            occupied=int(occupied),
            area_occupied=area_m2 if occupied else 0.0,
            seats_used=seats_used,
        )

    def count_group(
        self, *, kind: str, rooms: int, seats: int, area_m2: float, occupied: int, area_occupied: float, seats_used: int
    ) -> None:
        """Count rooms of one kind at once, from their sums (as SQL adds them up): `occupied` of `rooms` are held."""
        if kind == RoomKind.PRIVATE_OFFICE:
            self.rooms_total += rooms
            self.area_total += area_m2
            self.rooms_occupied += occupied
            self.area_occupied += area_occupied
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


def days_table(days: list[date]) -> sa.CTE:
    """The days as a one-column table `days(day)` to join date ranges to: a UNION ALL of bound dates
    (portable, where a VALUES list with column names is not)."""
    rows = [sa.select(sa.literal(day, sa.Date).label("day")) for day in sorted(set(days))]
    return (sa.union_all(*rows) if len(rows) > 1 else rows[0]).cte("days")


def _room_tallies(
    session: Session, days: list[date], table: sa.CTE, facility_id: int | None
) -> dict[tuple[date, int, int, str], dict[str, Any]]:
    """Per day, facility, floor and kind: the rooms in use, their seats and area, how many are held and what of.

    Two grouped queries: the rooms by the day they were retired (a handful of groups, counted on each
    day here), and the rooms held on each day of `table` (the same `days`) — found from the allocations
    running then (by `ix_allocation_period`), so no room is looked at on a day nobody holds it.
    """
    facility, floor, kind, retired_on = col(Room.facility_id), col(Room.floor), col(Room.kind), col(Room.retired_on)
    rooms = sa.select(
        facility,
        floor,
        kind,
        retired_on,
        sa.func.count().label("rooms"),
        sa.func.sum(col(Room.seats)).label("seats"),
        sa.func.sum(col(Room.area_m2)).label("area"),
    ).group_by(facility, floor, kind, retired_on)
    held_rooms = (
        sa.select(table.c.day, col(Allocation.room_id), sa.func.sum(col(Allocation.seats)).label("seats_used"))
        .select_from(table)
        .join(Allocation, Allocation.covers(table.c.day))
        .group_by(table.c.day, col(Allocation.room_id))
        .subquery()
    )
    held = sa.select(
        held_rooms.c.day,
        facility,
        floor,
        kind,
        sa.func.count().label("occupied"),
        sa.func.sum(col(Room.area_m2)).label("area_occupied"),
        sa.func.sum(held_rooms.c.seats_used).label("seats_used"),
    ).join(Room, sa.and_(id_column(Room) == held_rooms.c.room_id, Room.in_use_on(held_rooms.c.day)))
    if facility_id is not None:
        rooms, held = rooms.where(facility == facility_id), held.where(facility == facility_id)
    groups: dict[tuple[date, int, int, str], dict[str, Any]] = {}
    for row in session.execute(rooms):
        for day in days:
            if room_in_use_on(row.retired_on, day):
                sums = groups.setdefault(
                    (day, row.facility_id, row.floor, row.kind),
                    {"rooms": 0, "seats": 0, "area_m2": 0.0, "occupied": 0, "area_occupied": 0.0, "seats_used": 0},
                )
                sums["rooms"] += row.rooms
                sums["seats"] += row.seats
                sums["area_m2"] += row.area
    for row in session.execute(held.group_by(held_rooms.c.day, facility, floor, kind)):
        groups[row[:4]].update(occupied=row.occupied, area_occupied=row.area_occupied, seats_used=row.seats_used)
    return groups


def _resident_tallies(
    session: Session, days: sa.CTE, facility_id: int | None, *, employees: bool
) -> dict[tuple[date, int], tuple[int, int]]:
    """Per day and facility: residents, and (when asked) their employees by each one's latest headcount."""
    facility = col(Residency.facility_id)
    columns: list[Any] = [days.c.day, facility, sa.func.count(sa.distinct(col(Residency.company_id)))]
    if employees:
        latest = (
            sa.select(col(HeadcountRecord.employees))
            .where(
                col(HeadcountRecord.company_id) == col(Residency.company_id), col(HeadcountRecord.as_of) <= days.c.day
            )
            .order_by(col(HeadcountRecord.as_of).desc())
            .limit(1)
            .scalar_subquery()
        )
        columns.append(sa.func.coalesce(sa.func.sum(latest), 0))
    query = sa.select(*columns).select_from(days).join(Residency, Residency.covers(days.c.day))
    if facility_id is not None:
        query = query.where(facility == facility_id)
    rows = session.execute(query.group_by(days.c.day, facility))
    return {(day, facility): (count, staff[0] if staff else 0) for day, facility, count, *staff in rows}


def occupancy_on_days(
    session: Session, *, days: list[date], facility_id: int | None = None, employees: bool = True
) -> dict[date, list[FacilityOccupancy]]:
    """`occupancy()` on each of `days` in a few set-based queries, however many days (a trend).

    Without `employees`, the headcounts are not looked up and count 0.
    """
    query = select(Facility).order_by(col(Facility.id))
    if facility_id is not None:
        query = query.where(Facility.id == facility_id)
    facilities = list(session.exec(query))
    if not days:
        return {}
    days = list(dict.fromkeys(days))  # a day asked twice is counted once
    table = days_table(days)
    tallies: dict[tuple[date, int], tuple[Tally, dict[int, Tally]]] = {}
    for (day, facility_key, floor, kind), sums in _room_tallies(session, days, table, facility_id).items():
        total, floors = tallies.setdefault((day, facility_key), (Tally(), defaultdict(Tally)))
        for tally in (total, floors[floor]):
            tally.count_group(kind=kind, **sums)
    residents = _resident_tallies(session, table, facility_id, employees=employees)
    result: dict[date, list[FacilityOccupancy]] = {}
    for day in days:
        result[day] = []
        for facility in facilities:
            total, floors = tallies.get((day, stored_id(facility)), (Tally(), {}))
            count, staff = residents.get((day, stored_id(facility)), (0, 0))
            result[day].append(
                FacilityOccupancy(
                    facility=facility,
                    residents=count,
                    employees=staff,
                    total=total,
                    floors=dict(sorted(floors.items())),
                )
            )
    return result


def occupancy(session: Session, *, on: date, facility_id: int | None = None) -> list[FacilityOccupancy]:
    """Per facility (and per floor): residents, rooms occupied of total, seats, area, employees."""
    return occupancy_on_days(session, days=[on], facility_id=facility_id)[on]


def resident_counts_on(
    session: Session, *, days: list[date], facility_id: int | None = None
) -> dict[date, dict[int, int]]:
    """Residents of each facility on each of `days`, in one query."""
    if not days:
        return {}
    counts: dict[date, dict[int, int]] = {day: {} for day in days}
    for (day, facility), (count, _) in _resident_tallies(
        session, days_table(days), facility_id, employees=False
    ).items():
        counts[day][facility] = count
    return counts


@dataclass(frozen=True, slots=True)
class WatchedResident:
    """A resident on one of the Dashboard's watch lists, in plain values."""

    company_id: int
    name: str
    facility_id: int
    employees: int | None  # latest headcount on or before the day
    seats_held: int  # of the rooms it holds on the day
    contract_end: date | None  # as it stood on the day


@dataclass(frozen=True)
class ResidentWatch:
    """What the Dashboard watches among the residents of a day."""

    by_field: Counter[str]  # residents per field
    over_capacity: list[WatchedResident]  # fewest seats for their staff first
    contracts_ending: list[WatchedResident]  # soonest first


def resident_watch(session: Session, *, on: date) -> ResidentWatch:
    """The residents on `on` by field, those over capacity (`short_of_seats`) and those whose contract is
    watched (`contract_watched`): plain columns, no resident loaded whole (a few MiB at ten times the camp)."""
    residents = session.execute(
        sa.select(
            id_column(Company),
            col(Company.name),
            col(Company.field),
            col(Residency.facility_id),
            contract_end_on(on),
            renewing_on(on),
        )
        .join(Residency, col(Residency.company_id) == col(Company.id))
        .where(Residency.covers(on))
        .order_by(col(Company.name))  # as `residents_on`: equal contract ends stay in name order
    ).all()
    # Grouped by an expression no index serves: SQLite then finds the day's allocations by their date
    # index (3 ms at ten times the camp), not all 55,000 through the company index (16 ms).
    company_of_allocation = (col(Allocation.company_id) + 0).label("company_id")
    seats: dict[int, int] = dict(
        session.execute(
            sa.select(company_of_allocation, sa.func.sum(col(Allocation.seats)))
            .where(Allocation.covers(on))
            .group_by(company_of_allocation)
        ).all()
    )
    staff = employees_by_company(session, on)
    over, ending = [], []
    for company_id, name, _field, facility_id, contract_end, renewing in residents:
        row = WatchedResident(
            company_id, name, facility_id, staff.get(company_id), seats.get(company_id, 0), contract_end
        )
        if short_of_seats(row.employees, seats_held=row.seats_held, holds_rooms=company_id in seats):
            over.append(row)
        if contract_watched(contract_end, renewing=bool(renewing), on=on):
            ending.append(row)
    return ResidentWatch(
        by_field=Counter(company_field for _id, _name, company_field, *_rest in residents),
        over_capacity=sorted(over, key=lambda r: (r.seats_held - (r.employees or 0), r.name)),
        contracts_ending=sorted(ending, key=lambda r: r.contract_end or on),  # every row kept has one
    )


def over_capacity(session: Session, *, on: date, facility_id: int | None = None) -> list[ResidentRow]:
    """Residents with more employees than the seats they hold."""
    return [row for row in residents_on(session, on=on, facility_id=facility_id) if row.over_capacity]


CONTRACT_WATCH_DAYS = 90  # a contract ending within this many days is watched (Dashboard, report, floor map)


def contract_watched(
    contract_end: date | None, *, renewing: bool, on: date, within_days: int = CONTRACT_WATCH_DAYS
) -> bool:
    """The one rule of the contracts-ending watch: the contract, as it stood on `on`, ends within
    [on, on + within_days] and no renewal of it is in progress on `on`."""
    return contract_end is not None and on <= contract_end <= on + timedelta(days=within_days) and not renewing


def contracts_ending(
    session: Session, *, on: date, within_days: int = CONTRACT_WATCH_DAYS, facility_id: int | None = None
) -> list[ResidentRow]:
    """Residents whose contract ends within [on, on + within_days], soonest first."""
    return contracts_ending_among(residents_on(session, on=on, facility_id=facility_id), on=on, within_days=within_days)


def contracts_ending_among(
    residents: list[ResidentRow], *, on: date, within_days: int = CONTRACT_WATCH_DAYS
) -> list[ResidentRow]:
    """`contracts_ending` of residents already loaded (as of `on`); a contract being renewed on `on` is left out."""
    rows = [
        row
        for row in residents
        if contract_watched(row.contract_end, renewing=row.renewing, on=on, within_days=within_days)
    ]
    return sorted(rows, key=lambda r: r.contract_end or on)  # every row kept has one


CONTRACT_ALERT_DAYS = (30, 60)  # the alert levels of a contract ending, tightest first


def contract_alert(days_left: int) -> int | None:
    """The alert level of a contract ending in `days_left` days: 30, 60, or None (further off)."""
    return next((days for days in CONTRACT_ALERT_DAYS if days_left <= days), None)


def open_requests(session: Session, *, on: date, facility_id: int | None = None) -> list[tuple[RoomRequest, Company]]:
    """Requests filed by `on` and still open on `on` (decided later counts as open), oldest first."""
    query = (
        select(RoomRequest, Company)
        .join(Company, col(Company.id) == col(RoomRequest.company_id))
        .where(col(RoomRequest.requested_on) <= on)
        .where(sa.or_(col(RoomRequest.status) == RequestStatus.OPEN.value, col(RoomRequest.decided_on) > on))
        .order_by(col(RoomRequest.requested_on), col(RoomRequest.id))
    )
    if facility_id is not None:
        query = query.where(RoomRequest.facility_id == facility_id)
    return list(session.exec(query))


def year_end_residents(session: Session, *, years: list[int], facility_id: int | None = None) -> dict[int, int]:
    """Residents on 31 December of each year (of the facility, or of all together), in one query."""
    counts = resident_counts_on(session, days=[date(year, 12, 31) for year in years], facility_id=facility_id)
    return {day.year: sum(per_facility.values()) for day, per_facility in counts.items()}


def month_ends(last: date, count: int) -> list[date]:
    """The last days of the `count` months ending with the month of `last`, oldest first."""
    ends = []
    year, month = last.year, last.month
    for _ in range(count):
        first_of_next = date(year + (month == 12), month % 12 + 1, 1)
        ends.append(first_of_next - timedelta(days=1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return ends[::-1]


def history_start(session: Session, *, facility_id: int | None = None) -> date | None:
    """The first move-in on record (of the facility), or None for an empty history."""
    query = select(sa.func.min(Residency.move_in))
    if facility_id is not None:
        query = query.where(Residency.facility_id == facility_id)
    return session.exec(query).one()
