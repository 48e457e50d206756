"""What the rules of stays, rooms and headcounts need to know, loaded once for a batch.

A batch use case locks the companies and rooms it touches, loads a `Book` for them in a
few IN queries, checks each request with its module's pure `*_problems(book, request)`
function and claims it in the book, so the next request of the batch is checked as if
the first were already written. The import's preview loads a Book the same way and
checks the rows of a file with the same functions: each rule exists once.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlmodel import Session, col

from camp_manager.db.models import (
    Allocation,
    Company,
    Facility,
    HeadcountRecord,
    Residency,
    Room,
    range_covers,
    ranges_overlap,
    room_in_use_on,
)


def among(session: Session, column: Any, values: Iterable[int] | Iterable[str]) -> sa.ColumnElement[bool]:
    """`column IN (values)` with one bound parameter however many values there are: one short
    statement for 10,000 ids, under every backend's limit of parameters, compiled once.

    PostgreSQL: `= ANY(array)`; SQLite: `IN (SELECT value FROM json_each(...))`.
    """
    listed = sorted(set(values))  # type: ignore[type-var]
    if session.get_bind().dialect.name == "postgresql":
        any_of: sa.ColumnElement[bool] = column == sa.any_(
            sa.bindparam(None, listed, type_=postgresql.ARRAY(column.type))
        )
        return any_of
    each = sa.func.json_each(sa.bindparam(None, json.dumps(listed))).table_valued("value")
    within: sa.ColumnElement[bool] = column.in_(sa.select(each.c.value))
    return within


@dataclass(frozen=True, slots=True)
class Stay:
    """A residency as the rules see it; `residency_id` is None for one claimed in this batch."""

    residency_id: int | None
    company_id: int
    facility_id: int
    move_in: date
    contract_end: date | None
    ended_on: date | None

    def covers(self, day: date) -> bool:
        return range_covers(self.move_in, self.ended_on, day)


@dataclass(frozen=True, slots=True)
class Hold:
    """An allocation as the rules see it; `allocation_id` is None for one claimed in this batch."""

    allocation_id: int | None
    company_id: int
    room_id: int
    start_on: date
    end_on: date | None
    seats: int

    def covers(self, day: date) -> bool:
        return range_covers(self.start_on, self.end_on, day)

    def overlaps(self, start: date, end: date | None) -> bool:
        return ranges_overlap(self.start_on, self.end_on, start, end)


@dataclass(frozen=True, slots=True)
class RoomFacts:
    room_id: int
    facility_id: int
    code: str
    kind: str
    seats: int
    retired_on: date | None

    def in_use_on(self, day: date) -> bool:
        return room_in_use_on(self.retired_on, day)


@dataclass(frozen=True, slots=True)
class FacilityFacts:
    facility_id: int
    name: str
    max_rooms_per_company: int


@dataclass
class Book:
    company_names: dict[int, str] = field(default_factory=dict)
    facilities: dict[int, FacilityFacts] = field(default_factory=dict)
    rooms: dict[int, RoomFacts] = field(default_factory=dict)
    stays: dict[int, list[Stay]] = field(default_factory=lambda: defaultdict(list))
    holds_by_room: dict[int, list[Hold]] = field(default_factory=lambda: defaultdict(list))
    holds_by_company: dict[int, list[Hold]] = field(default_factory=lambda: defaultdict(list))
    # (company, day) → the id of the headcount record of that day (None: claimed in this batch)
    headcount_days: dict[tuple[int, date], int | None] = field(default_factory=dict)
    # business number → (company id, name); the id is None for a company claimed in this batch
    biz_numbers: dict[str, tuple[int | None, str]] = field(default_factory=dict)

    # --- what the rules ask ----------------------------------------------------------
    def company_name(self, company_id: int) -> str:
        return self.company_names.get(company_id, "?")

    def open_stay(self, company_id: int) -> Stay | None:
        return next((s for s in self.stays.get(company_id, ()) if s.ended_on is None), None)

    def stay_on(self, company_id: int, day: date) -> Stay | None:
        return next((s for s in self.stays.get(company_id, ()) if s.covers(day)), None)

    def last_exit(self, company_id: int) -> date | None:
        return max((s.ended_on for s in self.stays.get(company_id, ()) if s.ended_on is not None), default=None)

    def exit_before(self, company_id: int, day: date) -> date | None:
        """The exit that `day` comes after, when the company has not moved in again by `day`.

        Nothing of a company may be dated after its exit unless it moved in again; the exit
        day itself still belongs to the stay that ended.
        """
        begun = [s for s in self.stays.get(company_id, ()) if s.move_in <= day]
        latest = max(begun, key=lambda s: s.move_in, default=None)
        if latest is not None and latest.ended_on is not None and latest.ended_on < day:
            return latest.ended_on
        return None

    def holds_of_room(self, room_id: int, start: date, end: date | None) -> list[Hold]:
        return [h for h in self.holds_by_room.get(room_id, ()) if h.overlaps(start, end)]

    def holds_of_company(self, company_id: int, facility_id: int, start: date, end: date | None) -> list[Hold]:
        """The company's rooms in the facility at some time within [start, end)."""
        return [
            h
            for h in self.holds_by_company.get(company_id, ())
            if h.overlaps(start, end) and self.rooms[h.room_id].facility_id == facility_id
        ]

    # --- what a batch has accepted so far ---------------------------------------------
    def claim_stay(self, stay: Stay) -> None:
        self.stays[stay.company_id].append(stay)

    def claim_hold(self, hold: Hold) -> None:
        self.holds_by_room[hold.room_id].append(hold)
        self.holds_by_company[hold.company_id].append(hold)

    def claim_company(self, company_id: int | None, number: str, name: str) -> None:
        self.biz_numbers[number] = (company_id, name)
        if company_id is not None:
            self.company_names[company_id] = name


def load_book(
    session: Session,
    *,
    company_ids: Iterable[int] = (),
    room_ids: Iterable[int] = (),
    biz_numbers: Iterable[str] = (),
) -> Book:
    """The facts about these companies (stays, rooms held, headcount days), these rooms
    (and who holds them), and the holders of these business numbers.

    Plain columns, not ORM objects: read fresh after the caller's locks, and cheap for thousands.
    """
    book = Book()
    execute = session.execute
    companies, wanted_rooms, numbers = set(company_ids), set(room_ids), set(biz_numbers)
    for row in execute(sa.select(col(Facility.id), col(Facility.name), col(Facility.max_rooms_per_company))):
        book.facilities[row.id] = FacilityFacts(row.id, row.name, row.max_rooms_per_company)
    if numbers:
        for row in execute(
            sa.select(col(Company.id), col(Company.biz_reg_no), col(Company.name)).where(
                among(session, col(Company.biz_reg_no), numbers)
            )
        ):
            book.biz_numbers[row.biz_reg_no] = (row.id, row.name)
    if companies:
        stays = (
            sa.select(
                col(Residency.id),
                col(Residency.company_id),
                col(Residency.facility_id),
                col(Residency.move_in),
                col(Residency.contract_end),
                col(Residency.ended_on),
            )
            .where(among(session, col(Residency.company_id), companies))
            .order_by(col(Residency.move_in))
        )
        for row in execute(stays):
            book.stays[row.company_id].append(Stay(*row))
        days = sa.select(col(HeadcountRecord.id), col(HeadcountRecord.company_id), col(HeadcountRecord.as_of))
        for row in execute(days.where(among(session, HeadcountRecord.company_id, companies))):
            book.headcount_days[(row.company_id, row.as_of)] = row.id
    holds: dict[int, Hold] = {}
    columns = (
        col(Allocation.id),
        col(Allocation.company_id),
        col(Allocation.room_id),
        col(Allocation.start_on),
        col(Allocation.end_on),
        col(Allocation.seats),
    )
    for column, keys in ((Allocation.company_id, companies), (Allocation.room_id, wanted_rooms)):
        if keys:
            for row in execute(sa.select(*columns).where(among(session, column, keys))):
                holds[row.id] = Hold(*row)
    for hold in sorted(holds.values(), key=lambda h: (h.start_on, h.allocation_id or 0)):
        # Only complete lists: every hold of each company asked for, every hold of each room asked for.
        if hold.company_id in companies:
            book.holds_by_company[hold.company_id].append(hold)
        if hold.room_id in wanted_rooms:
            book.holds_by_room[hold.room_id].append(hold)
    rooms = wanted_rooms | {h.room_id for h in holds.values()}
    if rooms:
        facts = sa.select(
            col(Room.id), col(Room.facility_id), col(Room.code), col(Room.kind), col(Room.seats), col(Room.retired_on)
        )
        for row in execute(facts.where(among(session, Room.id, rooms))):
            book.rooms[row.id] = RoomFacts(*row)
    named = companies | {h.company_id for h in holds.values()}
    if named:
        book.company_names.update(
            dict(
                execute(
                    sa.select(col(Company.id), col(Company.name)).where(among(session, col(Company.id), named))
                ).all()
            )
        )
    return book
