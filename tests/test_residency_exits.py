"""Residencies (move in, extend, move in again) and exits (everything ends on one date)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from camp_manager.db.models import (
    Allocation,
    ContractExtension,
    Exit,
    ExitReason,
    MentorField,
    RequestKind,
    RequestStatus,
    Residency,
    SessionStatus,
)
from camp_manager.errors import DomainError
from camp_manager.services import allocations, companies, exits, mentoring, requests, residency
from tests.conftest import on_every_backend
from tests.factories import database_rows, facility_with_rooms, refused, resident

pytestmark = on_every_backend

MOVE_IN = date(2024, 1, 2)
EXIT = date(2024, 9, 1)


@pytest.fixture
def camp(session):
    facility, offices, zone = facility_with_rooms(session, offices=4, zone_seats=10, max_rooms=2)
    company = resident(session, facility, move_in_on=MOVE_IN)
    mentor = mentoring.add_mentor(session=session, name="김멘토", field=MentorField.BUSINESS.value)
    return facility, offices, zone, company, mentor


# --- residency -------------------------------------------------------------------


def test_one_open_residency_at_a_time(session, camp):
    facility, _, _, company, _ = camp
    other, _, _ = facility_with_rooms(session, name="아이플렉스", offices=1)
    for facility_id in (facility.id, other.id):
        error = refused(
            residency.move_in,
            session=session,
            company_id=company.id,
            facility_id=facility_id,
            move_in_on=date(2024, 6, 1),
        )
        assert error.field == "move_in" and "2024-01-02" in error.message


def test_moving_in_again_after_an_exit(session, camp):
    facility, offices, _, company, _ = camp
    exits.record_exit(session=session, company_id=company.id, exit_on=EXIT, reason=ExitReason.SUSPENDED.value)
    # Not before the exit: that stay is over.
    assert (
        refused(
            residency.move_in,
            session=session,
            company_id=company.id,
            facility_id=facility.id,
            move_in_on=EXIT - timedelta(days=1),
        ).field
        == "move_in"
    )
    again = residency.move_in(
        session=session, company_id=company.id, facility_id=facility.id, move_in_on=date(2025, 3, 1)
    )
    assert residency.open_residency(session, company.id).id == again.id
    assert residency.residency_on(session, company.id, date(2024, 8, 31)).id != again.id
    assert residency.residency_on(session, company.id, EXIT) is None
    allocations.allocate_room(session=session, company_id=company.id, room_id=offices[0].id, start_on=date(2025, 3, 1))


def test_contract_end_before_move_in_is_refused(session, camp):
    facility, _, _, _, _ = camp
    newcomer = resident(session, facility, name="새기업", move_in_on=date(2024, 2, 1))
    exits.record_exit(session=session, company_id=newcomer.id, exit_on=date(2024, 3, 1), reason=ExitReason.OTHER.value)
    error = refused(
        residency.move_in,
        session=session,
        company_id=newcomer.id,
        facility_id=facility.id,
        move_in_on=date(2024, 5, 1),
        contract_end=date(2024, 4, 30),
    )
    assert error.field == "contract_end"


def test_extension_keeps_the_earlier_end(session, camp):
    facility, _, _, _, _ = camp
    company = resident(session, facility, name="연장기업")
    stay = residency.open_residency(session, company.id)
    stay.contract_end = date(2025, 12, 31)
    residency.extend_contract(
        session=session, residency_id=stay.id, new_end=date(2027, 12, 31), on=date(2025, 11, 1), note="심사 통과"
    )
    residency.extend_contract(session=session, residency_id=stay.id, new_end=date(2028, 6, 30), on=date(2027, 10, 1))
    history = session.exec(
        select(ContractExtension).where(ContractExtension.residency_id == stay.id).order_by(ContractExtension.id)
    ).all()
    assert [(h.previous_end, h.new_end) for h in history] == [
        (date(2025, 12, 31), date(2027, 12, 31)),
        (date(2027, 12, 31), date(2028, 6, 30)),
    ]
    assert stay.contract_end == date(2028, 6, 30)


def test_extension_must_move_the_end_later(session, camp):
    _, _, _, company, _ = camp
    stay = residency.open_residency(session, company.id)
    stay.contract_end = date(2025, 12, 31)
    for new_end in (date(2025, 12, 31), date(2025, 6, 30)):
        assert (
            refused(
                residency.extend_contract, session=session, residency_id=stay.id, new_end=new_end, on=date(2025, 1, 1)
            ).field
            == "contract_end"
        )


def test_ended_residency_is_not_extended(session, camp):
    _, _, _, company, _ = camp
    stay = residency.open_residency(session, company.id)
    exits.record_exit(session=session, company_id=company.id, exit_on=EXIT, reason=ExitReason.CLOSED.value)
    assert (
        refused(
            residency.extend_contract, session=session, residency_id=stay.id, new_end=date(2030, 1, 1), on=EXIT
        ).field
        == "contract_end"
    )


def test_extension_is_not_dated_before_the_move_in(session, camp):
    _, _, _, company, _ = camp
    stay = residency.open_residency(session, company.id)
    assert (
        refused(
            residency.extend_contract,
            session=session,
            residency_id=stay.id,
            new_end=date(2030, 1, 1),
            on=date(2023, 12, 1),
        ).field
        == "extended_on"
    )


# --- exit --------------------------------------------------------------------------


def test_exit_ends_the_residency_and_every_open_allocation_on_one_date(session, camp):
    _, offices, zone, company, _ = camp
    finished = allocations.allocate_room(
        session=session, company_id=company.id, room_id=offices[0].id, start_on=MOVE_IN, end_on=date(2024, 3, 1)
    )
    office = allocations.allocate_room(
        session=session, company_id=company.id, room_id=offices[1].id, start_on=date(2024, 3, 1)
    )
    seats = allocations.expand_into_room(
        session=session, company_id=company.id, room_id=zone.id, start_on=date(2024, 4, 1), seats=2
    )
    bounded = allocations.allocate_room(
        session=session,
        company_id=company.id,
        room_id=offices[2].id,
        start_on=date(2024, 5, 1),
        end_on=date(2024, 12, 1),
        override_reason="임시 확장",
    )
    exit_row = exits.record_exit(
        session=session,
        company_id=company.id,
        exit_on=EXIT,
        reason=ExitReason.RELOCATED_CAPITAL.value,
        destination=" 서울특별시 ",
    )
    assert (exit_row.exit_on, exit_row.reason, exit_row.destination) == (EXIT, "relocated_capital", "서울특별시")
    session.expire_all()
    assert session.get(Residency, exit_row.residency_id).ended_on == EXIT
    assert session.get(Allocation, finished.id).end_on == date(2024, 3, 1)
    for allocation in (office, seats, bounded):
        assert session.get(Allocation, allocation.id).end_on == EXIT
    assert allocations.open_allocations(session, company.id, EXIT) == []


def test_exit_not_before_move_in(session, camp):
    _, _, _, company, _ = camp
    error = refused(
        exits.record_exit,
        session=session,
        company_id=company.id,
        exit_on=MOVE_IN - timedelta(days=1),
        reason=ExitReason.OTHER.value,
    )
    assert error.field == "exit_on" and "2024-01-02" in error.message
    exits.record_exit(session=session, company_id=company.id, exit_on=MOVE_IN, reason=ExitReason.OTHER.value)


def test_exit_of_a_company_not_in_residence(session, camp):
    _, _, _, company, _ = camp
    exits.record_exit(session=session, company_id=company.id, exit_on=EXIT, reason=ExitReason.OTHER.value)
    assert (
        refused(
            exits.record_exit,
            session=session,
            company_id=company.id,
            exit_on=date(2025, 1, 1),
            reason=ExitReason.OTHER.value,
        ).field
        == "company"
    )


def test_unknown_exit_reason(session, camp):
    _, _, _, company, _ = camp
    assert (
        refused(exits.record_exit, session=session, company_id=company.id, exit_on=EXIT, reason="bored").field
        == "reason"
    )


def test_exit_cancels_planned_sessions_and_withdraws_open_requests(session, camp):
    facility, offices, _, company, mentor = camp
    allocations.allocate_room(session=session, company_id=company.id, room_id=offices[0].id, start_on=MOVE_IN)
    before_exit = mentoring.plan_session(
        session=session, mentor_id=mentor.id, company_id=company.id, held_on=EXIT - timedelta(days=1)
    )
    on_exit_day = mentoring.plan_session(session=session, mentor_id=mentor.id, company_id=company.id, held_on=EXIT)
    after_exit = mentoring.plan_session(
        session=session, mentor_id=mentor.id, company_id=company.id, held_on=EXIT + timedelta(days=10)
    )
    request = requests.file_request(
        session=session,
        company_id=company.id,
        facility_id=facility.id,
        kind=RequestKind.EXPANSION.value,
        requested_on=date(2024, 5, 1),
    )
    plan = exits.plan_exit(session=session, company_id=company.id, exit_on=EXIT)
    assert {s.id for s in plan.planned_sessions} == {on_exit_day.id, after_exit.id}
    assert [r.id for r in plan.open_requests] == [request.id]
    exits.record_exit(session=session, company_id=company.id, exit_on=EXIT, reason=ExitReason.GRADUATED.value)
    assert before_exit.status == SessionStatus.PLANNED
    assert on_exit_day.status == after_exit.status == SessionStatus.CANCELLED
    assert (request.status, request.decided_on) == (RequestStatus.WITHDRAWN, EXIT)


@pytest.mark.parametrize("blocker", ["allocation", "headcount", "held_session", "request"])
def test_nothing_may_be_dated_after_an_exit(session, camp, blocker):
    """One direction: an exit is refused while something of the company is dated after it."""
    facility, offices, _, company, mentor = camp
    later = EXIT + timedelta(days=5)
    if blocker == "allocation":
        allocations.allocate_room(session=session, company_id=company.id, room_id=offices[0].id, start_on=later)
    elif blocker == "headcount":
        companies.record_headcount(session=session, company_id=company.id, as_of=later, employees=4)
    elif blocker == "held_session":
        mentoring.log_held_session(session=session, mentor_id=mentor.id, company_id=company.id, held_on=later)
    else:
        requests.file_request(
            session=session,
            company_id=company.id,
            facility_id=facility.id,
            kind=RequestKind.EXPANSION.value,
            requested_on=later,
        )
    before = database_rows(session)
    error = refused(
        exits.record_exit, session=session, company_id=company.id, exit_on=EXIT, reason=ExitReason.CLOSED.value
    )
    assert error.field == "exit_on" and later.isoformat() in error.message
    assert database_rows(session) == before


def test_a_session_held_on_the_exit_day_blocks_the_exit(session, camp):
    # The exit day is the first day the company is gone.
    _, _, _, company, mentor = camp
    mentoring.log_held_session(session=session, mentor_id=mentor.id, company_id=company.id, held_on=EXIT)
    assert (
        refused(
            exits.record_exit, session=session, company_id=company.id, exit_on=EXIT, reason=ExitReason.CLOSED.value
        ).field
        == "exit_on"
    )


@pytest.mark.parametrize("late", ["allocation", "headcount", "held_session", "planned_session", "request"])
def test_after_an_exit_nothing_new_is_dated_later_until_the_company_moves_in_again(session, camp, late):
    """The other direction: after an exit, a new record dated after it is refused, until a new move-in."""
    facility, offices, _, company, mentor = camp
    exits.record_exit(session=session, company_id=company.id, exit_on=EXIT, reason=ExitReason.SUSPENDED.value)

    def attempt(on):
        if late == "allocation":
            return allocations.allocate_room(session=session, company_id=company.id, room_id=offices[0].id, start_on=on)
        if late == "headcount":
            return companies.record_headcount(session=session, company_id=company.id, as_of=on, employees=3)
        if late == "held_session":
            return mentoring.log_held_session(session=session, mentor_id=mentor.id, company_id=company.id, held_on=on)
        if late == "planned_session":
            return mentoring.plan_session(session=session, mentor_id=mentor.id, company_id=company.id, held_on=on)
        return requests.file_request(
            session=session,
            company_id=company.id,
            facility_id=facility.id,
            kind=RequestKind.EXPANSION.value,
            requested_on=on,
        )

    before = database_rows(session)
    with pytest.raises(DomainError):
        attempt(EXIT + timedelta(days=3))
    assert database_rows(session) == before
    residency.move_in(
        session=session, company_id=company.id, facility_id=facility.id, move_in_on=EXIT + timedelta(days=30)
    )
    attempt(EXIT + timedelta(days=40))


def test_a_failing_exit_changes_nothing(session, camp):
    facility, offices, _, company, mentor = camp
    allocations.allocate_room(session=session, company_id=company.id, room_id=offices[0].id, start_on=MOVE_IN)
    mentoring.plan_session(
        session=session, mentor_id=mentor.id, company_id=company.id, held_on=EXIT + timedelta(days=3)
    )
    requests.file_request(
        session=session,
        company_id=company.id,
        facility_id=facility.id,
        kind=RequestKind.EXPANSION.value,
        requested_on=date(2024, 5, 1),
    )
    # A room allocated from a later date makes the exit fail after the other checks passed.
    allocations.expand_into_room(
        session=session, company_id=company.id, room_id=offices[1].id, start_on=EXIT + timedelta(days=1)
    )
    before = database_rows(session)
    with pytest.raises(DomainError):
        exits.record_exit(session=session, company_id=company.id, exit_on=EXIT, reason=ExitReason.CLOSED.value)
    assert database_rows(session) == before
    assert session.exec(select(Exit)).all() == []
