"""The floor plan behind the Rooms page and the lists behind Requests, Mentoring and Exits (headless)."""

from __future__ import annotations

from datetime import date

import pytest

from camp_manager.db.models import ExitReason, RequestKind, RequestStatus, RoomKind, SessionStatus
from camp_manager.services import (
    allocations,
    companies,
    exits,
    facilities,
    floorplan,
    listings,
    mentoring,
    occupancy,
    requests,
    residency,
)
from camp_manager.services.floorplan import TileState
from camp_manager.services.occupancy import room_states
from tests.conftest import DEMO_TODAY, on_every_backend
from tests.factories import facility_with_rooms, resident, valid_bizno

pytestmark = on_every_backend

MOVE_IN = date(2024, 1, 2)


@pytest.fixture
def camp(session):
    facility, offices, zone = facility_with_rooms(session, offices=4, zone_seats=10)
    return facility, offices, zone


def tiles_by_code(plan) -> dict[str, floorplan.RoomTile]:
    return {tile.code: tile for tile in plan.tiles}


def test_states_on_a_day_follow_headcount_contract_and_kind(session, camp):
    facility, offices, zone = camp
    crowded = resident(session, facility, name="붐비는랩스", move_in_on=MOVE_IN)
    ending = resident(session, facility, name="만료임박테크", move_in_on=MOVE_IN)
    calm = resident(session, facility, name="여유소프트", move_in_on=MOVE_IN)
    residency.extend_contract(
        session=session,
        residency_id=residency.open_residency(session, ending.id).id,
        new_end=date(2024, 6, 30),
        on=MOVE_IN,
    )
    companies.record_headcount(session=session, company_id=crowded.id, as_of=MOVE_IN, employees=7)  # offices seat 4
    companies.record_headcount(session=session, company_id=calm.id, as_of=MOVE_IN, employees=2)
    for company, office in ((crowded, offices[0]), (ending, offices[1]), (calm, offices[2])):
        allocations.allocate_room(session=session, company_id=company.id, room_id=office.id, start_on=MOVE_IN)
    allocations.allocate_room(
        session=session, company_id=calm.id, room_id=zone.id, start_on=MOVE_IN, seats=3, override_reason="테스트"
    )

    plan = floorplan.floor_plan(session, on=date(2024, 5, 1), facility_id=facility.id)
    tiles = tiles_by_code(plan)
    assert tiles["301"].state == TileState.OVER_CAPACITY
    assert tiles["302"].state == TileState.ENDING_SOON  # 60 days before the contract ends
    assert tiles["303"].state == TileState.OCCUPIED
    assert tiles["304"].state == TileState.VACANT and tiles["304"].assignable
    assert tiles["라운지"].state == TileState.SHARED and (tiles["라운지"].seats_used, tiles["라운지"].seats_free) == (
        3,
        7,
    )
    calm_holder = tiles["303"].holders[0]
    assert (calm_holder.rooms_held, calm_holder.seats_held, calm_holder.employees) == (2, 4 + 3, 2)
    assert plan.residents == 3
    assert plan.state_counts() == {
        TileState.OVER_CAPACITY: 1,
        TileState.ENDING_SOON: 1,
        TileState.OCCUPIED: 1,
        TileState.VACANT: 1,
        TileState.SHARED: 1,
    }
    assert (plan.total.rooms_occupied, plan.total.rooms_total) == (3, 4)
    assert plan.floor_numbers() == [1, 3] and len(plan.tiles_on(3)) == 4

    # Long before the contract end, the same room is only occupied; so is it past its end, which the
    # contracts-ending watch (Dashboard, report) does not list either.
    assert (
        tiles_by_code(floorplan.floor_plan(session, on=date(2024, 2, 1), facility_id=facility.id))["302"].state
        == TileState.OCCUPIED
    )
    assert (
        tiles_by_code(floorplan.floor_plan(session, on=date(2024, 8, 1), facility_id=facility.id))["302"].state
        == TileState.OCCUPIED
    )


def test_a_room_whose_holder_is_renewing_is_not_shown_as_ending(session, camp):
    facility, offices, _ = camp
    company = resident(session, facility, name="재계약랩스", move_in_on=MOVE_IN)
    stay = residency.open_residency(session, company.id)
    residency.extend_contract(session=session, residency_id=stay.id, new_end=date(2024, 6, 30), on=MOVE_IN)
    allocations.allocate_room(session=session, company_id=company.id, room_id=offices[0].id, start_on=MOVE_IN)
    renewal = residency.start_renewal(session=session, residency_id=stay.id, on=date(2024, 5, 10))

    def seen(on: date) -> tuple[TileState, bool]:
        tile = tiles_by_code(floorplan.floor_plan(session, on=on, facility_id=facility.id))["301"]
        watched = [row.company.name for row in occupancy.contracts_ending(session, on=on)]
        return tile.state, watched == [company.name]

    # The map flags the room exactly when the Dashboard's watch lists its holder: one rule.
    assert seen(date(2024, 5, 9)) == (TileState.ENDING_SOON, True)
    assert seen(date(2024, 5, 10)) == (TileState.OCCUPIED, False)  # the renewal's first day
    residency.drop_renewal(session=session, renewal_id=renewal.id, on=date(2024, 6, 1))
    assert seen(date(2024, 5, 31)) == (TileState.OCCUPIED, False)
    assert seen(date(2024, 6, 1)) == (TileState.ENDING_SOON, True)  # dropped: on the watch again
    assert seen(date(2024, 3, 31)) == (TileState.OCCUPIED, False)  # 91 days before the end: not yet
    assert seen(date(2024, 4, 1)) == (TileState.ENDING_SOON, True)  # 90 days


def test_a_day_before_the_allocation_shows_the_room_vacant(session, camp):
    facility, offices, _ = camp
    company = resident(session, facility, move_in_on=MOVE_IN)
    allocations.allocate_room(session=session, company_id=company.id, room_id=offices[0].id, start_on=date(2024, 3, 1))
    before = tiles_by_code(floorplan.floor_plan(session, on=date(2024, 2, 29), facility_id=facility.id))["301"]
    after = tiles_by_code(floorplan.floor_plan(session, on=date(2024, 3, 1), facility_id=facility.id))["301"]
    assert before.state == TileState.VACANT and not before.holders
    assert after.state == TileState.OCCUPIED and after.holders[0].company_name == company.name


def test_plan_tiles_agree_with_room_states_on_the_demo(demo_session):
    for facility in listings.facilities_in_order(demo_session):
        plan = floorplan.floor_plan(demo_session, on=DEMO_TODAY, facility_id=facility.id)
        states = room_states(demo_session, on=DEMO_TODAY, facility_id=facility.id)
        assert [t.room_id for t in plan.tiles] == [s.room.id for s in states]
        assert [len(t.holders) for t in plan.tiles] == [len(s.holders) for s in states]
        meeting = [t for t in plan.tiles if t.kind == RoomKind.MEETING_ROOM]
        assert all(t.state == TileState.MEETING and not t.assignable for t in meeting)
    camp = floorplan.floor_plan(
        demo_session, on=DEMO_TODAY, facility_id=listings.facilities_in_order(demo_session)[0].id
    )
    assert camp.state_counts()[TileState.OVER_CAPACITY] > 0  # the demo's crowded residents


def test_room_history_keeps_every_allocation_latest_first(session, camp):
    facility, offices, _ = camp
    first = resident(session, facility, name="첫기업", move_in_on=MOVE_IN)
    second = resident(session, facility, name="둘째기업", move_in_on=MOVE_IN)
    moved = allocations.allocate_room(session=session, company_id=first.id, room_id=offices[0].id, start_on=MOVE_IN)
    allocations.move_to_room(session=session, allocation_id=moved.id, to_room_id=offices[1].id, on=date(2024, 3, 1))
    allocations.allocate_room(
        session=session, company_id=second.id, room_id=offices[0].id, start_on=date(2024, 4, 1), override_reason=""
    )
    history = floorplan.room_history(session, room_id=offices[0].id)
    assert [(e.company_name, e.start_on, e.end_on) for e in history] == [
        ("둘째기업", date(2024, 4, 1), None),
        ("첫기업", MOVE_IN, date(2024, 3, 1)),
    ]
    assert history[1].days(date(2030, 1, 1)) == (date(2024, 3, 1) - MOVE_IN).days
    assert floorplan.room_history(session, room_id=offices[3].id) == []


def test_request_log_shows_the_status_as_it_stood_on_the_day(session, camp):
    facility, _offices, _ = camp
    waiting = [
        companies.register_company(session=session, data=companies.CompanyInput(name=name, biz_reg_no=valid_bizno()))
        for name in ("대기일호", "대기이호")
    ]
    first = requests.file_request(
        session=session,
        company_id=waiting[0].id,
        facility_id=facility.id,
        kind=RequestKind.WAITLIST.value,
        requested_on=date(2024, 1, 10),
    )
    requests.file_request(
        session=session,
        company_id=waiting[1].id,
        facility_id=facility.id,
        kind=RequestKind.WAITLIST.value,
        requested_on=date(2024, 1, 20),
    )
    requests.decline_request(session=session, request_id=first.id, on=date(2024, 2, 1), note="공실 없음")

    before = listings.request_log(session, on=date(2024, 1, 25))
    assert [(r.company_name, r.status, r.queue_position, r.age_days) for r in before] == [
        ("대기일호", RequestStatus.OPEN, 1, 15),
        ("대기이호", RequestStatus.OPEN, 2, 5),
    ]
    after = listings.request_log(session, on=date(2024, 3, 1))
    assert [(r.status, r.queue_position, r.age_days, r.decided_on) for r in after] == [
        (RequestStatus.DECLINED, None, 22, date(2024, 2, 1)),
        (RequestStatus.OPEN, 1, 41, None),
    ]
    assert listings.request_log(session, on=date(2024, 1, 15))[0].company_name == "대기일호"
    assert len(listings.request_log(session, on=date(2024, 1, 15))) == 1
    assert {c.name for c in listings.companies_not_resident(session, on=date(2024, 3, 1))} == {"대기일호", "대기이호"}


def test_mentor_pool_counts_held_sessions_of_the_year_up_to_the_day(session, camp):
    facility, _, _ = camp
    company = resident(session, facility, move_in_on=date(2023, 1, 2))
    busy = mentoring.add_mentor(session=session, name="김멘토", field="finance")
    idle = mentoring.add_mentor(session=session, name="이멘토", field="business")
    for held_on in (date(2023, 12, 20), date(2024, 1, 5), date(2024, 2, 5), date(2024, 3, 5)):
        mentoring.log_held_session(session=session, mentor_id=busy.id, company_id=company.id, held_on=held_on)
    planned = mentoring.plan_session(
        session=session, mentor_id=busy.id, company_id=company.id, held_on=date(2024, 2, 20)
    )
    assert planned.status == SessionStatus.PLANNED
    pool = {m.name: m.sessions_this_year for m in listings.mentor_pool(session, on=date(2024, 2, 10))}
    assert pool == {"김멘토": 2, "이멘토": 0}
    mentoring.set_mentor_active(session=session, mentor_id=idle.id, active=False)
    assert [m.name for m in listings.active_mentors(session)] == ["김멘토"]


def test_exit_log_and_preview_name_rooms_and_mentors(session, camp):
    facility, offices, zone = camp
    facilities.set_room_policy(session=session, facility_id=facility.id, max_rooms_per_company=2)
    company = resident(session, facility, name="떠나는랩스", move_in_on=MOVE_IN)
    allocations.allocate_room(session=session, company_id=company.id, room_id=offices[0].id, start_on=MOVE_IN)
    allocations.allocate_room(session=session, company_id=company.id, room_id=zone.id, start_on=MOVE_IN, seats=2)
    mentor = mentoring.add_mentor(session=session, name="박멘토", field="technology")
    mentoring.plan_session(session=session, mentor_id=mentor.id, company_id=company.id, held_on=date(2024, 7, 1))

    preview = listings.exit_preview(session, company_id=company.id, exit_on=date(2024, 6, 1))
    assert preview.company_name == "떠나는랩스" and preview.facility_name == facility.name
    assert sorted(preview.room_codes.values()) == ["301", "라운지"]
    assert list(preview.mentor_names.values()) == ["박멘토"]

    exits.record_exit(
        session=session,
        company_id=company.id,
        exit_on=date(2024, 6, 1),
        reason=ExitReason.GRADUATED.value,
        destination="자체 사옥",
    )
    assert listings.exit_log(session, until=date(2024, 5, 31)) == []
    [row] = listings.exit_log(session, until=date(2024, 6, 1))
    assert (row.company_name, row.facility_id, row.move_in, row.reason, row.destination) == (
        "떠나는랩스",
        facility.id,
        MOVE_IN,
        ExitReason.GRADUATED,
        "자체 사옥",
    )
