"""Property-based: random sequences of room operations never break the room rules, and the
as-of occupancy always equals a brute-force recount of the raw rows.

Each step runs in a SAVEPOINT; a domain error is expected now and then, and the use case
must have written nothing when it raises it (and the rollback leaves every table as it was). Each example runs in one outer transaction that is
rolled back, so the examples share one database holding the starting world.
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from camp_manager.db.engine import make_engine, unit_of_work
from camp_manager.db.models import ExitReason
from camp_manager.errors import DomainError
from camp_manager.services import allocations, companies, exits, facilities, integrity, occupancy, residency
from camp_manager.services.companies import CompanyInput
from tests.factories import database_rows, valid_bizno

DAY0 = date(2024, 1, 1)
HORIZON = 120  # days of history the operations play in
COMPANIES = 6
ROOMS = 7  # what build_world makes
ZONE_SEATS = 4
# Room indexes to pick from: the shared zones (2 and 5) twice, as their seat sums are the subtle rule.
room_picks = st.sampled_from([0, 1, 2, 2, 3, 4, 5, 5, 6])

move_in = st.tuples(st.just("move_in"), st.integers(0, COMPANIES - 1), st.integers(0, 1), st.integers(0, HORIZON))
allocate = st.tuples(
    st.just("allocate"),
    st.integers(0, COMPANIES - 1),
    room_picks,
    st.integers(0, HORIZON),
    st.integers(1, ZONE_SEATS),
    st.none() | st.integers(0, 60),
    st.booleans(),
)
expand = st.tuples(  # companies 0 and 1 start with an office to expand from
    st.just("expand"),
    st.integers(0, 1),
    room_picks,
    st.integers(0, HORIZON),
    st.integers(1, ZONE_SEATS),
    st.booleans(),
)
move = st.tuples(st.just("move"), st.integers(0, 50), room_picks, st.integers(0, HORIZON), st.integers(1, ZONE_SEATS))
release = st.tuples(st.just("release"), st.integers(0, 50), st.integers(0, HORIZON))
exit_ = st.tuples(st.just("exit"), st.integers(0, COMPANIES - 1), st.integers(0, HORIZON))
retire = st.tuples(st.just("retire"), room_picks, st.integers(HORIZON // 2, HORIZON))
# Repeats weight the mix towards the room operations.
operations = st.one_of(
    allocate, allocate, allocate, expand, expand, move, move, release, release, exit_, move_in, retire
)


@pytest.fixture(scope="module")
def world(tmp_path_factory, empty_template):
    """One database with the starting world committed; each example runs in a transaction rolled back."""
    path = tmp_path_factory.mktemp("properties") / "camp.sqlite3"
    shutil.copyfile(empty_template, path)
    engine = make_engine(f"sqlite:///{path}")
    with unit_of_work(engine) as session:
        room_ids, company_ids = build_world(session)
    yield engine, room_ids, company_ids
    engine.dispose()


def build_world(session: Session) -> tuple[list[int], list[int]]:
    """Two facilities (policy 2 and 1 rooms) with offices, a small shared zone and a meeting room; six residents."""
    rooms = []
    for name, policy in (("캠프", 2), ("아이플렉스", 1)):
        facility = facilities.create_facility(session=session, name=name, max_rooms_per_company=policy)
        rooms += facilities.create_floor_rooms(
            session=session,
            facility_id=facility.id,
            floor=3,
            first_number=301,
            last_number=302 if policy == 2 else 301,
            seats=3,
        )
        rooms.append(
            facilities.create_room(
                session=session, facility_id=facility.id, floor=1, code="라운지", kind="shared_zone", seats=ZONE_SEATS
            )
        )
        rooms.append(
            facilities.create_room(
                session=session, facility_id=facility.id, floor=1, code="회의실", kind="meeting_room", seats=8
            )
        )
    company_ids = [
        companies.register_company(session=session, data=CompanyInput(name=f"기업{i}", biz_reg_no=valid_bizno())).id
        for i in range(COMPANIES)
    ]
    # Half the companies start in each facility; exits and new move-ins change that.
    for index, company_id in enumerate(company_ids):
        residency.move_in(
            session=session, company_id=company_id, facility_id=facility_list(session)[index % 2], move_in_on=DAY0
        )
    # …and the first of each holds an office, so moves, releases and expansions have something to act on.
    allocations.allocate_room(session=session, company_id=company_ids[0], room_id=rooms[0].id, start_on=DAY0)
    allocations.allocate_room(session=session, company_id=company_ids[1], room_id=rooms[4].id, start_on=DAY0)
    assert len(rooms) == ROOMS
    return [room.id for room in rooms], company_ids


def facility_list(session: Session) -> list[int]:
    return [row[0] for row in session.execute(sa.text("SELECT id FROM facility ORDER BY id"))]


def apply(session: Session, operation: tuple, room_ids: list[int], company_ids: list[int]) -> bool:
    """Run one operation; False when there was nothing to run it on."""
    kind, *args = operation
    day = lambda offset: DAY0 + timedelta(days=offset)  # noqa: E731
    all_allocations = [row[0] for row in session.execute(sa.text("SELECT id FROM allocation ORDER BY id"))]
    if kind == "move_in":
        company, facility_index, offset = args
        residency.move_in(
            session=session,
            company_id=company_ids[company],
            facility_id=facility_list(session)[facility_index],
            move_in_on=day(offset),
        )
    elif kind == "allocate":
        company, room, offset, seats, length, override = args
        end = None if length is None else day(offset + length)
        allocations.allocate_room(
            session=session,
            company_id=company_ids[company],
            room_id=room_ids[room],
            start_on=day(offset),
            end_on=end,
            seats=seats,
            override_reason="예외 승인" if override else "",
        )
    elif kind == "expand":
        company, room, offset, seats, override = args
        allocations.expand_into_room(
            session=session,
            company_id=company_ids[company],
            room_id=room_ids[room],
            start_on=day(offset),
            seats=seats,
            override_reason="예외 승인" if override else "",
        )
    elif kind == "move":
        pick, room, offset, seats = args
        if not all_allocations:
            return False
        allocations.move_to_room(
            session=session,
            allocation_id=all_allocations[pick % len(all_allocations)],
            to_room_id=room_ids[room],
            on=day(offset),
            seats=seats,
        )
    elif kind == "release":
        pick, offset = args
        if not all_allocations:
            return False
        allocations.release_room(
            session=session, allocation_id=all_allocations[pick % len(all_allocations)], on=day(offset)
        )
    elif kind == "retire":
        room, offset = args
        facilities.deactivate_room(session=session, room_id=room_ids[room], on=day(offset))
    else:
        company, offset = args
        exits.record_exit(
            session=session, company_id=company_ids[company], exit_on=day(offset), reason=ExitReason.OTHER.value
        )
    return True


def brute_force_occupancy(session: Session, on: date) -> dict[int, tuple]:
    """Per facility: residents, offices occupied, offices, seats used, seats — from the raw rows."""

    def rows(table):
        return [dict(row._mapping) for row in session.execute(sa.text(f"SELECT * FROM {table}"))]

    def as_date(value):
        return value if value is None or isinstance(value, date) else date.fromisoformat(value)

    def alive(start, end):
        return as_date(start) <= on and (end is None or as_date(end) > on)

    rooms = {room["id"]: room for room in rows("room")}
    figures = {facility["id"]: [0, 0, 0, 0, 0] for facility in rows("facility")}
    for res in rows("residency"):
        if alive(res["move_in"], res["ended_on"]):
            figures[res["facility_id"]][0] += 1
    live = [a for a in rows("allocation") if alive(a["start_on"], a["end_on"])]
    for room in rooms.values():
        if room["retired_on"] is not None and as_date(room["retired_on"]) <= on:
            continue
        holders = [a for a in live if a["room_id"] == room["id"]]
        tally = figures[room["facility_id"]]
        if room["kind"] == "private_office":
            tally[2] += 1
            tally[1] += bool(holders)
        elif room["kind"] == "shared_zone":
            tally[4] += room["seats"]
            tally[3] += sum(a["seats"] for a in holders)
    return {facility_id: tuple(values) for facility_id, values in figures.items()}


@pytest.mark.slow
@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    steps=st.lists(operations, min_size=10, max_size=40),
    probe_days=st.lists(st.integers(-5, HORIZON + 70), min_size=3, max_size=6),
)
def test_random_room_operations_keep_every_rule(world, steps, probe_days):
    engine, room_ids, company_ids = world
    with engine.connect() as connection:
        outer = connection.begin()
        session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
        try:
            for step in steps:
                savepoint = session.begin_nested()
                try:
                    ran = apply(session, step, room_ids, company_ids)
                    savepoint.commit()
                    event(f"{step[0]} {'done' if ran else 'skipped'}")
                except DomainError as error:
                    event(f"{step[0]} refused {error.field}")
                    as_left = database_rows(session)
                    savepoint.rollback()
                    # The rollback restores the state before the step: the use case had written nothing.
                    assert database_rows(session) == as_left, step
                for check in (
                    integrity.overlapping_offices,
                    integrity.overfull_shared_zones,
                    integrity.allocations_outside_a_stay,
                ):
                    assert check(session) == [], step
            for offset in probe_days:
                on = DAY0 + timedelta(days=offset)
                expected = brute_force_occupancy(session, on)
                for figures in occupancy.occupancy(session, on=on):
                    found = (
                        figures.residents,
                        figures.total.rooms_occupied,
                        figures.total.rooms_total,
                        figures.total.seats_used,
                        figures.total.seats_total,
                    )
                    assert found == expected[figures.facility.id], on
        finally:
            session.close()
            outer.rollback()
