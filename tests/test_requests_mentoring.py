"""Room requests (waitlist and expansion) and mentoring (plan, held, cancel, counts)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from camp_manager.db.models import (
    AuditEntry,
    ExitReason,
    MentorField,
    RequestKind,
    RequestStatus,
    SessionStatus,
)
from camp_manager.services import allocations, companies, exits, mentoring, requests, residency
from camp_manager.services.mentoring_figures import mentoring_summary
from camp_manager.services.occupancy import open_requests
from tests.factories import database_rows, facility_with_rooms, refused, resident, valid_bizno

START = date(2024, 1, 2)


@pytest.fixture
def camp(session):
    facility, offices, zone = facility_with_rooms(session, offices=4, zone_seats=10)
    company = resident(session, facility, move_in_on=START)
    allocations.allocate_room(session=session, company_id=company.id, room_id=offices[0].id, start_on=START)
    return facility, offices, zone, company


def outsider(session, name="대기기업"):
    return companies.register_company(session=session, data=companies.CompanyInput(name=name, biz_reg_no=valid_bizno()))


# --- requests ----------------------------------------------------------------------


def test_waitlist_is_for_companies_not_in_residence(session, camp):
    facility, _, _, company = camp
    error = refused(
        requests.file_request,
        session=session,
        company_id=company.id,
        facility_id=facility.id,
        kind=RequestKind.WAITLIST.value,
        requested_on=date(2024, 3, 1),
    )
    assert error.field == "kind" and "확장" in error.message
    waiting = outsider(session)
    request = requests.file_request(
        session=session,
        company_id=waiting.id,
        facility_id=facility.id,
        kind=RequestKind.WAITLIST.value,
        requested_on=date(2024, 3, 1),
    )
    assert (request.status, request.kind) == (RequestStatus.OPEN, RequestKind.WAITLIST)


def test_expansion_is_for_residents_of_that_facility_on_the_request_date(session, camp):
    facility, _, _, company = camp
    other, _, _ = facility_with_rooms(session, name="아이플렉스", offices=1)
    waiting = outsider(session)
    for company_id, facility_id, on in [
        (waiting.id, facility.id, date(2024, 3, 1)),  # not resident at all
        (company.id, other.id, date(2024, 3, 1)),  # resident elsewhere
        (company.id, facility.id, date(2023, 12, 1)),  # before its move-in
    ]:
        error = refused(
            requests.file_request,
            session=session,
            company_id=company_id,
            facility_id=facility_id,
            kind=RequestKind.EXPANSION.value,
            requested_on=on,
        )
        assert error.field == "requested_on"
    requests.file_request(
        session=session,
        company_id=company.id,
        facility_id=facility.id,
        kind=RequestKind.EXPANSION.value,
        requested_on=date(2024, 3, 1),
    )


@pytest.mark.parametrize(
    ("kind", "rooms", "seats", "field"),
    [("sublet", 1, 0, "kind"), ("expansion", 0, 0, "rooms_wanted"), ("expansion", -1, 3, "rooms_wanted")],
)
def test_bad_request_values(session, camp, kind, rooms, seats, field):
    facility, _, _, company = camp
    error = refused(
        requests.file_request,
        session=session,
        company_id=company.id,
        facility_id=facility.id,
        kind=kind,
        requested_on=date(2024, 3, 1),
        rooms_wanted=rooms,
        seats_wanted=seats,
    )
    assert error.field == field


def test_approving_an_expansion_allocates_a_room_under_the_policy(session, camp):
    facility, offices, _, company = camp
    request = requests.file_request(
        session=session,
        company_id=company.id,
        facility_id=facility.id,
        kind=RequestKind.EXPANSION.value,
        requested_on=date(2024, 3, 1),
    )
    before = database_rows(session)
    # One room per company: approval needs the override reason, and a refusal leaves the request open.
    assert (
        refused(
            requests.approve_request, session=session, request_id=request.id, room_id=offices[1].id, on=date(2024, 4, 1)
        ).field
        == "override_reason"
    )
    assert database_rows(session) == before
    allocation = requests.approve_request(
        session=session, request_id=request.id, room_id=offices[1].id, on=date(2024, 4, 1), override_reason="직원 10명"
    )
    assert (allocation.company_id, allocation.room_id, allocation.start_on, allocation.override_reason) == (
        company.id,
        offices[1].id,
        date(2024, 4, 1),
        "직원 10명",
    )
    assert (request.status, request.decided_on) == (RequestStatus.APPROVED, date(2024, 4, 1))
    actions = session.exec(
        select(AuditEntry.action).where(AuditEntry.entity_id.in_([allocation.id, request.id])).order_by(AuditEntry.id)
    ).all()
    assert "expand" in actions and "approved" in actions


def test_approving_a_waitlist_request_needs_the_move_in_first(session, camp):
    facility, offices, _, _ = camp
    waiting = outsider(session)
    request = requests.file_request(
        session=session,
        company_id=waiting.id,
        facility_id=facility.id,
        kind=RequestKind.WAITLIST.value,
        requested_on=date(2024, 2, 1),
    )
    assert (
        refused(
            requests.approve_request, session=session, request_id=request.id, room_id=offices[1].id, on=date(2024, 3, 1)
        ).field
        == "start_on"
    )
    assert request.status == RequestStatus.OPEN
    residency.move_in(session=session, company_id=waiting.id, facility_id=facility.id, move_in_on=date(2024, 3, 1))
    allocation = requests.approve_request(
        session=session, request_id=request.id, room_id=offices[1].id, on=date(2024, 3, 1)
    )
    assert allocation.company_id == waiting.id and request.status == RequestStatus.APPROVED


@pytest.mark.parametrize("decide", [requests.decline_request, requests.withdraw_request])
def test_decline_and_withdraw_are_final(session, camp, decide):
    facility, offices, _, company = camp
    request = requests.file_request(
        session=session,
        company_id=company.id,
        facility_id=facility.id,
        kind=RequestKind.EXPANSION.value,
        requested_on=date(2024, 3, 1),
        note="직원 증가",
    )
    assert refused(decide, session=session, request_id=request.id, on=date(2024, 2, 28)).field == "decided_on"
    decide(session=session, request_id=request.id, on=date(2024, 3, 10), note="1기업 1사무실 원칙")
    assert request.decided_on == date(2024, 3, 10) and request.note == "직원 증가\n1기업 1사무실 원칙"
    for again in (requests.decline_request, requests.withdraw_request):
        assert refused(again, session=session, request_id=request.id, on=date(2024, 3, 11)).field == "status"
    before = database_rows(session)
    assert (
        refused(
            requests.approve_request,
            session=session,
            request_id=request.id,
            room_id=offices[1].id,
            on=date(2024, 3, 11),
            override_reason="x",
        ).field
        == "status"
    )
    assert database_rows(session) == before


def test_open_requests_in_order_as_of_a_date(session, camp):
    facility, _, _, company = camp
    other, _, _ = facility_with_rooms(session, name="아이플렉스", offices=1)
    first, second, elsewhere = outsider(session, "가"), outsider(session, "나"), outsider(session, "다")
    # Filed out of order; the list is oldest first.
    late = requests.file_request(
        session=session,
        company_id=first.id,
        facility_id=facility.id,
        kind=RequestKind.WAITLIST.value,
        requested_on=date(2024, 5, 1),
    )
    early = requests.file_request(
        session=session,
        company_id=second.id,
        facility_id=facility.id,
        kind=RequestKind.WAITLIST.value,
        requested_on=date(2024, 2, 1),
    )
    expansion = requests.file_request(
        session=session,
        company_id=company.id,
        facility_id=facility.id,
        kind=RequestKind.EXPANSION.value,
        requested_on=date(2024, 3, 1),
    )
    remote = requests.file_request(
        session=session,
        company_id=elsewhere.id,
        facility_id=other.id,
        kind=RequestKind.WAITLIST.value,
        requested_on=date(2024, 1, 15),
    )
    requests.decline_request(session=session, request_id=expansion.id, on=date(2024, 6, 1))

    def ids(on, facility_id=facility.id):
        return [request.id for request, _ in open_requests(session, on=on, facility_id=facility_id)]

    assert ids(date(2024, 1, 31)) == []
    assert ids(date(2024, 3, 1)) == [early.id, expansion.id]
    # Declined on 1 June: still open the day before, gone on the day.
    assert ids(date(2024, 5, 31)) == [early.id, expansion.id, late.id]
    assert ids(date(2024, 6, 1)) == [early.id, late.id]
    assert ids(date(2024, 6, 1), None) == [remote.id, early.id, late.id]
    assert [c.name for _, c in open_requests(session, on=date(2024, 6, 1), facility_id=facility.id)] == ["나", "가"]


# --- mentoring ---------------------------------------------------------------------


@pytest.fixture
def mentor(session):
    return mentoring.add_mentor(
        session=session, name="이멘토", field=MentorField.FINANCE.value, affiliation=" △△벤처캐피탈 "
    )


def test_plan_then_hold_or_cancel(session, camp, mentor):
    _, _, _, company = camp
    planned = mentoring.plan_session(
        session=session, mentor_id=mentor.id, company_id=company.id, held_on=date(2024, 3, 5), topic=" IR 피칭 "
    )
    assert (planned.status, planned.topic, planned.minutes) == (SessionStatus.PLANNED, "IR 피칭", 60)
    held = mentoring.mark_held(session=session, session_id=planned.id, minutes=90, notes="후속 미팅 예정")
    assert (held.status, held.minutes, held.notes) == (SessionStatus.HELD, 90, "후속 미팅 예정")
    assert refused(mentoring.cancel_session, session=session, session_id=planned.id).field == "status"
    other = mentoring.plan_session(
        session=session, mentor_id=mentor.id, company_id=company.id, held_on=date(2024, 3, 6)
    )
    assert mentoring.cancel_session(session=session, session_id=other.id).status == SessionStatus.CANCELLED
    assert refused(mentoring.mark_held, session=session, session_id=other.id).field == "status"


def test_future_sessions_are_planned_not_held(session, camp, mentor):
    _, _, _, company = camp
    tomorrow = date.today() + timedelta(days=1)
    assert (
        refused(
            mentoring.log_held_session, session=session, mentor_id=mentor.id, company_id=company.id, held_on=tomorrow
        ).field
        == "held_on"
    )
    planned = mentoring.plan_session(session=session, mentor_id=mentor.id, company_id=company.id, held_on=tomorrow)
    assert refused(mentoring.mark_held, session=session, session_id=planned.id).field == "held_on"


@pytest.mark.parametrize("minutes", [0, -30, 24 * 60 + 1])
def test_minutes_are_checked_everywhere_and_nothing_changes(session, camp, mentor, minutes):
    _, _, _, company = camp
    for call in (mentoring.plan_session, mentoring.log_held_session):
        assert (
            refused(
                call,
                session=session,
                mentor_id=mentor.id,
                company_id=company.id,
                held_on=date(2024, 3, 5),
                minutes=minutes,
            ).field
            == "minutes"
        )
    planned = mentoring.plan_session(
        session=session, mentor_id=mentor.id, company_id=company.id, held_on=date(2024, 3, 5)
    )
    before = database_rows(session)
    assert refused(mentoring.mark_held, session=session, session_id=planned.id, minutes=minutes).field == "minutes"
    assert database_rows(session) == before
    assert planned.status == SessionStatus.PLANNED


def test_sessions_only_within_a_residency(session, camp, mentor):
    _, _, _, company = camp
    exits.record_exit(
        session=session, company_id=company.id, exit_on=date(2024, 9, 1), reason=ExitReason.GRADUATED.value
    )
    for on in (START - timedelta(days=1), date(2024, 9, 1), date(2024, 10, 1)):
        for call in (mentoring.plan_session, mentoring.log_held_session):
            assert (
                refused(call, session=session, mentor_id=mentor.id, company_id=company.id, held_on=on).field
                == "held_on"
            )
    mentoring.log_held_session(session=session, mentor_id=mentor.id, company_id=company.id, held_on=date(2024, 8, 31))


def test_inactive_mentor_is_refused(session, camp, mentor):
    _, _, _, company = camp
    mentoring.set_mentor_active(session=session, mentor_id=mentor.id, active=False)
    error = refused(
        mentoring.plan_session, session=session, mentor_id=mentor.id, company_id=company.id, held_on=date(2024, 3, 5)
    )
    assert error.field == "mentor" and "이멘토" in error.message
    mentoring.set_mentor_active(session=session, mentor_id=mentor.id, active=True)
    mentoring.plan_session(session=session, mentor_id=mentor.id, company_id=company.id, held_on=date(2024, 3, 5))


def test_mentor_values_are_checked(session, camp, mentor):
    _, _, _, company = camp
    assert refused(mentoring.add_mentor, session=session, name="박멘토", field="astrology").field == "field"
    assert refused(mentoring.add_mentor, session=session, name=" ", field=MentorField.FINANCE.value).field == "name"
    assert (
        refused(
            mentoring.plan_session,
            session=session,
            mentor_id=mentor.id,
            company_id=company.id,
            held_on=date(2024, 3, 5),
            mode="telepathy",
        ).field
        == "mode"
    )
    assert mentor.affiliation == "△△벤처캐피탈"


def test_mentoring_summary_counts_by_field_mentor_company_and_facility(session, camp, mentor):
    facility, _, _, company = camp
    iplex, _, _ = facility_with_rooms(session, name="아이플렉스", offices=2)
    second = resident(session, facility, name="두번째기업", move_in_on=START)
    tech = mentoring.add_mentor(session=session, name="최기술", field=MentorField.TECHNOLOGY.value)
    # The first company leaves the camp on 1 April and moves to 아이플렉스 on 1 May.
    exits.record_exit(
        session=session, company_id=company.id, exit_on=date(2024, 4, 1), reason=ExitReason.RELOCATED_OTHER.value
    )
    residency.move_in(session=session, company_id=company.id, facility_id=iplex.id, move_in_on=date(2024, 5, 1))

    def held(m, c, on, minutes=60):
        return mentoring.log_held_session(session=session, mentor_id=m.id, company_id=c.id, held_on=on, minutes=minutes)

    held(mentor, company, date(2024, 2, 1), 90)  # camp
    held(mentor, company, date(2024, 5, 2))  # 아이플렉스
    held(tech, second, date(2024, 2, 29), 120)  # camp
    held(tech, second, date(2024, 3, 1))  # camp, on the end of the period: not counted
    held(tech, company, date(2024, 1, 31))  # before the period
    planned = mentoring.plan_session(
        session=session, mentor_id=tech.id, company_id=second.id, held_on=date(2024, 2, 10)
    )
    cancelled = mentoring.plan_session(
        session=session, mentor_id=tech.id, company_id=second.id, held_on=date(2024, 2, 11)
    )
    mentoring.cancel_session(session=session, session_id=cancelled.id)
    assert planned.status == SessionStatus.PLANNED  # neither planned nor cancelled sessions count

    february = mentoring_summary(session, start=date(2024, 2, 1), end=date(2024, 3, 1))
    assert (february.sessions, february.minutes, february.companies_reached) == (2, 210, 2)
    assert february.by_field == {MentorField.FINANCE.value: 1, MentorField.TECHNOLOGY.value: 1}
    assert [(m.name, n, minutes) for m, n, minutes in february.by_mentor] == [("이멘토", 1, 90), ("최기술", 1, 120)]
    assert february.by_company == {company.id: 1, second.id: 1}

    spring = mentoring_summary(session, start=date(2024, 2, 1), end=date(2024, 6, 1))
    assert (spring.sessions, spring.companies_reached) == (4, 2)
    assert [(m.name, n) for m, n, _ in spring.by_mentor] == [("이멘토", 2), ("최기술", 2)]
    camp_only = mentoring_summary(session, start=date(2024, 2, 1), end=date(2024, 6, 1), facility_id=facility.id)
    assert (camp_only.sessions, camp_only.companies_reached) == (3, 2)
    iplex_only = mentoring_summary(session, start=date(2024, 2, 1), end=date(2024, 6, 1), facility_id=iplex.id)
    assert (iplex_only.sessions, iplex_only.by_company) == (1, {company.id: 1})
