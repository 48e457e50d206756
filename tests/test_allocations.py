"""Room allocations: [start, end) ranges, one company per office, seats in shared zones,
the room policy with its override, moves and releases."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from camp_manager.db.models import Allocation, AuditEntry, ExitReason, RoomKind
from camp_manager.errors import DomainError
from camp_manager.services import allocations, exits, facilities
from tests.conftest import on_every_backend
from tests.factories import database_rows, facility_with_rooms, refused, resident

pytestmark = on_every_backend

JAN, FEB, MAR, APR, MAY = (date(2024, m, 1) for m in range(1, 6))


@pytest.fixture
def camp(session):
    facility, offices, zone = facility_with_rooms(session, offices=4, zone_seats=10)
    first = resident(session, facility, name="딥러닝랩스", move_in_on=date(2024, 1, 1))
    second = resident(session, facility, name="뉴로웍스", move_in_on=date(2024, 1, 1))
    third = resident(session, facility, name="스마트솔루션", move_in_on=date(2024, 1, 1))
    return facility, offices, zone, (first, second, third)


def test_end_before_start_is_refused(session, camp):
    _, offices, _, (a, _, _) = camp
    error = refused(
        allocations.allocate_room, session=session, company_id=a.id, room_id=offices[0].id, start_on=MAR, end_on=FEB
    )
    assert error.field == "end_on"


def test_private_office_cannot_be_double_booked(session, camp):
    _, offices, _, (a, b, _) = camp
    office = offices[0]
    allocations.allocate_room(session=session, company_id=a.id, room_id=office.id, start_on=FEB, end_on=APR)
    for start, end in [
        (FEB, APR),
        (JAN, date(2024, 2, 2)),
        (date(2024, 3, 31), None),
        (JAN, None),
        (date(2024, 2, 15), MAR),
    ]:
        error = refused(
            allocations.allocate_room, session=session, company_id=b.id, room_id=office.id, start_on=start, end_on=end
        )
        assert error.field == "room" and "딥러닝랩스" in error.message
    assert len(session.exec(select(Allocation).where(Allocation.room_id == office.id)).all()) == 1


def test_open_ended_allocation_blocks_every_later_start(session, camp):
    _, offices, _, (a, b, _) = camp
    allocations.allocate_room(session=session, company_id=a.id, room_id=offices[0].id, start_on=FEB)
    error = refused(
        allocations.allocate_room, session=session, company_id=b.id, room_id=offices[0].id, start_on=date(2030, 1, 1)
    )
    assert error.field == "room"


def test_back_to_back_ranges_share_an_office(session, camp):
    _, offices, _, (a, b, c) = camp
    office = offices[0]
    allocations.allocate_room(session=session, company_id=a.id, room_id=office.id, start_on=FEB, end_on=MAR)
    # [Feb, Mar) then [Mar, …): the end day is the first day the room is free.
    allocations.allocate_room(session=session, company_id=b.id, room_id=office.id, start_on=MAR)
    # …and the other way round: a range that ends exactly where the first one starts.
    allocations.allocate_room(session=session, company_id=c.id, room_id=office.id, start_on=JAN, end_on=FEB)
    assert len(session.exec(select(Allocation).where(Allocation.room_id == office.id)).all()) == 3


def test_shared_zone_capacity_holds_at_every_point_in_time(session, camp):
    _, _, zone, (a, b, c) = camp
    allocations.allocate_room(session=session, company_id=a.id, room_id=zone.id, start_on=JAN, end_on=MAR, seats=4)
    allocations.allocate_room(session=session, company_id=b.id, room_id=zone.id, start_on=FEB, end_on=APR, seats=4)
    # From 15 January only 4 seats are taken, but from 1 February 8 would be: 8 + 3 > 10.
    error = refused(
        allocations.allocate_room,
        session=session,
        company_id=c.id,
        room_id=zone.id,
        start_on=date(2024, 1, 15),
        seats=3,
    )
    assert error.field == "seats" and "10" in error.message
    # Ending before February it fits.
    allocations.allocate_room(
        session=session, company_id=c.id, room_id=zone.id, start_on=date(2024, 1, 15), end_on=FEB, seats=3
    )
    # From March the first company's 4 seats are free again: 4 + 6 = 10 fits exactly.
    allocations.allocate_room(session=session, company_id=c.id, room_id=zone.id, start_on=MAR, seats=6)


def test_shared_zone_refuses_a_later_start_that_overfills_an_open_range(session, camp):
    _, _, zone, (a, b, _) = camp
    allocations.allocate_room(session=session, company_id=a.id, room_id=zone.id, start_on=MAR, seats=7)
    error = refused(allocations.allocate_room, session=session, company_id=b.id, room_id=zone.id, start_on=JAN, seats=4)
    assert error.field == "seats"
    allocations.allocate_room(session=session, company_id=b.id, room_id=zone.id, start_on=JAN, end_on=MAR, seats=4)


def test_shared_zone_needs_seats(session, camp):
    _, _, zone, (a, _, _) = camp
    assert (
        refused(allocations.allocate_room, session=session, company_id=a.id, room_id=zone.id, start_on=FEB).field
        == "seats"
    )


def test_meeting_rooms_are_not_allocated(session, camp):
    facility, _, _, (a, _, _) = camp
    meeting = facilities.create_room(
        session=session, facility_id=facility.id, floor=2, code="회의실A", kind=RoomKind.MEETING_ROOM, seats=8
    )
    error = refused(allocations.allocate_room, session=session, company_id=a.id, room_id=meeting.id, start_on=FEB)
    assert error.field == "room" and "회의실" in error.message


def test_retired_room_is_not_allocated_on_or_after_its_retirement(session, camp):
    _, offices, _, (a, b, _) = camp
    facilities.deactivate_room(session=session, room_id=offices[0].id, on=APR)
    assert (
        refused(allocations.allocate_room, session=session, company_id=a.id, room_id=offices[0].id, start_on=APR).field
        == "room"
    )
    # Starting before the retirement but running on past it is just as wrong.
    assert (
        refused(allocations.allocate_room, session=session, company_id=a.id, room_id=offices[0].id, start_on=FEB).field
        == "room"
    )
    assert (
        refused(
            allocations.allocate_room, session=session, company_id=a.id, room_id=offices[0].id, start_on=FEB, end_on=MAY
        ).field
        == "room"
    )
    allocations.allocate_room(session=session, company_id=b.id, room_id=offices[0].id, start_on=FEB, end_on=APR)


def test_a_retired_room_keeps_its_retirement_day(session, camp):
    _, offices, _, _ = camp
    facilities.deactivate_room(session=session, room_id=offices[0].id, on=APR)
    for on in (MAR, MAY):
        assert refused(facilities.deactivate_room, session=session, room_id=offices[0].id, on=on).field == "room"
    assert offices[0].retired_on == APR


def test_a_room_still_held_cannot_be_retired(session, camp):
    _, offices, _, (a, _, _) = camp
    allocations.allocate_room(session=session, company_id=a.id, room_id=offices[0].id, start_on=FEB)
    assert refused(facilities.deactivate_room, session=session, room_id=offices[0].id, on=APR).field == "room"


def test_allocation_starts_on_or_after_move_in(session, camp):
    facility, offices, _, _ = camp
    late = resident(session, facility, name="늦게온회사", move_in_on=MAR)
    error = refused(
        allocations.allocate_room,
        session=session,
        company_id=late.id,
        room_id=offices[0].id,
        start_on=date(2024, 2, 29),
    )
    assert error.field == "start_on"
    allocations.allocate_room(session=session, company_id=late.id, room_id=offices[0].id, start_on=MAR)


def test_allocation_in_another_facility_is_refused(session, camp):
    _, _, _, (a, _, _) = camp
    _, other_offices, _ = facility_with_rooms(session, name="아이플렉스", offices=1)
    assert (
        refused(
            allocations.allocate_room, session=session, company_id=a.id, room_id=other_offices[0].id, start_on=FEB
        ).field
        == "start_on"
    )


def test_allocation_cannot_outlive_the_residency(session, camp):
    _, offices, _, (a, _, _) = camp
    exits.record_exit(session=session, company_id=a.id, exit_on=APR, reason=ExitReason.GRADUATED.value)
    for end in (None, MAY, date(2024, 4, 2)):
        error = refused(
            allocations.allocate_room, session=session, company_id=a.id, room_id=offices[1].id, start_on=FEB, end_on=end
        )
        assert error.field == "end_on" and "2024-04-01" in error.message
    allocations.allocate_room(session=session, company_id=a.id, room_id=offices[1].id, start_on=FEB, end_on=APR)


def test_second_room_needs_an_override_beyond_the_policy(session, camp):
    _, offices, _, (a, _, _) = camp
    allocations.allocate_room(session=session, company_id=a.id, room_id=offices[0].id, start_on=JAN)
    error = refused(allocations.expand_into_room, session=session, company_id=a.id, room_id=offices[1].id, start_on=MAR)
    assert error.field == "override_reason" and "1" in error.message
    assert (
        refused(
            allocations.expand_into_room,
            session=session,
            company_id=a.id,
            room_id=offices[1].id,
            start_on=MAR,
            override_reason="   ",
        ).field
        == "override_reason"
    )
    expanded = allocations.expand_into_room(
        session=session,
        company_id=a.id,
        room_id=offices[1].id,
        start_on=MAR,
        override_reason=" 고용 10명, 운영위원회 승인 ",
    )
    assert expanded.override_reason == "고용 10명, 운영위원회 승인"
    entry = session.exec(
        select(AuditEntry).where(AuditEntry.entity == "Allocation", AuditEntry.entity_id == expanded.id)
    ).one()
    assert entry.action == "expand" and entry.after["override_reason"] == "고용 10명, 운영위원회 승인"


def test_policy_counts_rooms_held_at_the_same_time(session, camp):
    facility, offices, zone, (a, _, _) = camp
    facilities.set_room_policy(session=session, facility_id=facility.id, max_rooms_per_company=2)
    allocations.allocate_room(session=session, company_id=a.id, room_id=offices[0].id, start_on=JAN)
    second = allocations.expand_into_room(session=session, company_id=a.id, room_id=offices[1].id, start_on=FEB)
    assert second.override_reason == ""
    # A shared zone seat counts as a room too.
    assert (
        refused(
            allocations.expand_into_room, session=session, company_id=a.id, room_id=zone.id, start_on=MAR, seats=2
        ).field
        == "override_reason"
    )
    # Once one room is given up, a third fits within the policy again.
    allocations.release_room(session=session, allocation_id=second.id, on=APR)
    allocations.expand_into_room(session=session, company_id=a.id, room_id=offices[2].id, start_on=APR)


def test_expansion_needs_a_room_already(session, camp):
    _, offices, _, (a, _, _) = camp
    assert (
        refused(
            allocations.expand_into_room, session=session, company_id=a.id, room_id=offices[0].id, start_on=FEB
        ).field
        == "company"
    )


def test_the_same_room_twice_is_refused(session, camp):
    _, _, zone, (a, _, _) = camp
    allocations.allocate_room(session=session, company_id=a.id, room_id=zone.id, start_on=JAN, seats=2)
    error = refused(
        allocations.allocate_room,
        session=session,
        company_id=a.id,
        room_id=zone.id,
        start_on=FEB,
        seats=2,
        override_reason="x",
    )
    assert error.field == "room"


def test_move_ends_one_allocation_and_starts_another(session, camp):
    _, offices, _, (a, _, _) = camp
    first = allocations.allocate_room(session=session, company_id=a.id, room_id=offices[0].id, start_on=JAN)
    moved = allocations.move_to_room(session=session, allocation_id=first.id, to_room_id=offices[1].id, on=MAR)
    session.refresh(first)
    assert (first.start_on, first.end_on) == (JAN, MAR)
    assert (moved.room_id, moved.start_on, moved.end_on) == (offices[1].id, MAR, None)
    actions = session.exec(
        select(AuditEntry.action).where(AuditEntry.entity == "Allocation").order_by(AuditEntry.id)
    ).all()
    assert actions[-2:] == ["release", "move"]


def test_move_keeps_a_bounded_end_and_the_override(session, camp):
    _, offices, _, (a, _, _) = camp
    first = allocations.allocate_room(session=session, company_id=a.id, room_id=offices[0].id, start_on=JAN)
    second = allocations.expand_into_room(
        session=session, company_id=a.id, room_id=offices[1].id, start_on=JAN, override_reason="예외 승인"
    )
    allocations.release_room(session=session, allocation_id=first.id, on=MAY)
    moved = allocations.move_to_room(session=session, allocation_id=second.id, to_room_id=offices[2].id, on=FEB)
    assert moved.override_reason == "예외 승인"


def test_a_failing_move_leaves_everything_as_it_was(session, camp):
    _, offices, _, (a, b, _) = camp
    mine = allocations.allocate_room(session=session, company_id=a.id, room_id=offices[0].id, start_on=JAN)
    allocations.allocate_room(session=session, company_id=b.id, room_id=offices[1].id, start_on=JAN)
    before = database_rows(session)
    for target, on in [(offices[1].id, MAR), (offices[0].id, MAR), (offices[2].id, date(2023, 12, 1))]:
        with pytest.raises(DomainError):
            allocations.move_to_room(session=session, allocation_id=mine.id, to_room_id=target, on=on)
        assert database_rows(session) == before


def test_move_into_a_full_zone_is_refused(session, camp):
    _, offices, zone, (a, b, _) = camp
    allocations.allocate_room(session=session, company_id=a.id, room_id=zone.id, start_on=JAN, seats=9)
    mine = allocations.allocate_room(session=session, company_id=b.id, room_id=offices[0].id, start_on=JAN)
    assert (
        refused(
            allocations.move_to_room, session=session, allocation_id=mine.id, to_room_id=zone.id, on=MAR, seats=2
        ).field
        == "seats"
    )
    moved = allocations.move_to_room(session=session, allocation_id=mine.id, to_room_id=zone.id, on=MAR, seats=1)
    assert moved.seats == 1


def test_release_ends_the_allocation_on_the_day_the_room_is_free(session, camp):
    _, offices, _, (a, b, _) = camp
    held = allocations.allocate_room(session=session, company_id=a.id, room_id=offices[0].id, start_on=JAN)
    assert (
        refused(allocations.release_room, session=session, allocation_id=held.id, on=date(2023, 12, 31)).field == "on"
    )
    allocations.release_room(session=session, allocation_id=held.id, on=MAR)
    assert held.end_on == MAR
    assert refused(allocations.release_room, session=session, allocation_id=held.id, on=APR).field == "allocation"
    allocations.allocate_room(session=session, company_id=b.id, room_id=offices[0].id, start_on=MAR)


def test_open_allocation_queries(session, camp):
    _, offices, _, (a, b, _) = camp
    ended = allocations.allocate_room(session=session, company_id=a.id, room_id=offices[0].id, start_on=JAN, end_on=FEB)
    running = allocations.allocate_room(session=session, company_id=a.id, room_id=offices[1].id, start_on=FEB)
    other = allocations.allocate_room(session=session, company_id=b.id, room_id=offices[2].id, start_on=MAR)
    assert [x.id for x in allocations.open_allocations(session, a.id, FEB)] == [running.id]
    assert [x.id for x in allocations.open_allocations_on(session, date(2024, 1, 15))] == [ended.id]
    assert {x.id for x in allocations.open_allocations_on(session, MAR)} == {running.id, other.id}
