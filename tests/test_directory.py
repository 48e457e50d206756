"""The company directory queries behind the Residents page, and the company checks its form uses."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from camp_manager.clock import FixedClock
from camp_manager.db.engine import unit_of_work
from camp_manager.db.models import AuditEntry, Company, ExitReason, HeadcountRecord, RequestKind
from camp_manager.errors import DomainError
from camp_manager.services import allocations, companies, directory, exits, facilities, mentoring, occupancy, requests
from camp_manager.services.companies import CompanyInput
from camp_manager.services.directory import CompanyStatus
from tests.conftest import BACKENDS, DEMO_TODAY
from tests.factories import facility_with_rooms, resident, valid_bizno

# The list is one hand-written statement: it must read the same on a PostgreSQL server.
on_both_databases = pytest.mark.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture
def camp(session):
    """A facility where one company is resident, one has left, one waits and one is only registered."""
    facility, rooms, _zone = facility_with_rooms(session)
    active = resident(session, facility, name="가온랩스", move_in_on=date(2024, 1, 2))
    allocations.allocate_room(session=session, company_id=active.id, room_id=rooms[0].id, start_on=date(2024, 1, 2))
    companies.record_headcount(session=session, company_id=active.id, as_of=date(2024, 1, 2), employees=3)
    companies.record_headcount(session=session, company_id=active.id, as_of=date(2025, 1, 2), employees=7)
    gone = resident(session, facility, name="나래소프트", move_in_on=date(2023, 3, 1))
    allocations.allocate_room(session=session, company_id=gone.id, room_id=rooms[1].id, start_on=date(2023, 3, 1))
    exits.record_exit(
        session=session,
        company_id=gone.id,
        exit_on=date(2024, 6, 30),
        reason=ExitReason.GRADUATED.value,
        destination="서울",
    )
    waiting = companies.register_company(session=session, data=CompanyInput(name="다온헬스", biz_reg_no=valid_bizno()))
    requests.file_request(
        session=session,
        company_id=waiting.id,
        facility_id=facility.id,
        kind=RequestKind.WAITLIST.value,
        requested_on=date(2024, 5, 1),
    )
    registered = companies.register_company(
        session=session, data=CompanyInput(name="라온에너지", biz_reg_no=valid_bizno())
    )
    session.flush()
    return {
        "facility": facility,
        "rooms": rooms,
        "active": active,
        "gone": gone,
        "waiting": waiting,
        "registered": registered,
    }


def by_name(rows):
    return {row.name: row for row in rows}


@on_both_databases
def test_list_gives_each_company_its_status_on_the_day(session, camp):
    rows = by_name(directory.company_list(session, on=date(2024, 6, 1)))
    assert rows["가온랩스"].status == CompanyStatus.ACTIVE
    assert rows["나래소프트"].status == CompanyStatus.ACTIVE  # still there before its exit
    assert rows["다온헬스"].status == CompanyStatus.WAITING
    assert rows["라온에너지"].status == CompanyStatus.REGISTERED

    later = by_name(directory.company_list(session, on=date(2024, 7, 1)))
    assert later["나래소프트"].status == CompanyStatus.EXITED
    assert later["나래소프트"].ended_on == date(2024, 6, 30)
    assert later["나래소프트"].rooms == ()

    before = by_name(directory.company_list(session, on=date(2023, 12, 31)))
    assert before["가온랩스"].status == CompanyStatus.REGISTERED
    assert before["다온헬스"].status == CompanyStatus.REGISTERED  # the request was filed later


@on_both_databases
def test_list_shows_rooms_headcount_and_facility_as_of_the_day(session, camp):
    rows = by_name(directory.company_list(session, on=date(2024, 6, 1)))
    active = rows["가온랩스"]
    assert active.rooms == (camp["rooms"][0].code,)
    assert active.employees == 3
    assert active.facility_name == camp["facility"].name
    assert rows["다온헬스"].facility_id == camp["facility"].id  # the facility it waits for
    assert by_name(directory.company_list(session, on=date(2025, 3, 1)))["가온랩스"].employees == 7


@on_both_databases
def test_list_agrees_with_the_resident_count(demo_session):
    for day in (date(2022, 12, 31), date(2024, 12, 31), DEMO_TODAY):
        rows = directory.company_list(demo_session, on=day)
        active = [row for row in rows if row.status == CompanyStatus.ACTIVE]
        assert len(active) == occupancy.resident_count(demo_session, on=day)
    assert len(rows) == len(demo_session.exec(select(Company.id)).all())


@on_both_databases
def test_status_of_one_company_matches_the_list(session, camp):
    for day in (date(2023, 12, 31), date(2024, 6, 1), date(2024, 7, 1)):
        listed = by_name(directory.company_list(session, on=day))
        for key in ("active", "gone", "waiting", "registered"):
            company = camp[key]
            assert directory.company_status(session, company_id=company.id, on=day) == listed[company.name].status


@on_both_databases
def test_detail_holds_the_whole_history(session, camp):
    gone = camp["gone"]
    mentor = mentoring.add_mentor(session=session, name="김멘토", field="business")
    mentoring.log_held_session(
        session=session, mentor_id=mentor.id, company_id=gone.id, held_on=date(2024, 2, 1), topic="IR"
    )
    detail = directory.company_detail(session, company_id=gone.id, on=date(2024, 7, 1))
    assert detail.status == CompanyStatus.EXITED
    assert [a.room.code for a in detail.allocations] == [camp["rooms"][1].code]
    assert detail.allocations[0].allocation.end_on == date(2024, 6, 30)
    assert len(detail.stays) == 1 and detail.stays[0].exit.reason == ExitReason.GRADUATED.value
    assert detail.stays[0].exit.destination == "서울"
    assert [s.mentor.name for s in detail.sessions] == ["김멘토"]

    active = directory.company_detail(session, company_id=camp["active"].id, on=date(2025, 3, 1))
    assert [h.employees for h in active.headcounts] == [7, 3]  # newest first
    assert active.employees_on(date(2024, 6, 1)) == 3
    assert [a.room.code for a in active.rooms_on(date(2025, 3, 1))] == [camp["rooms"][0].code]
    waiting = directory.company_detail(session, company_id=camp["waiting"].id, on=date(2024, 6, 1))
    assert [r.request.kind for r in waiting.requests] == [RequestKind.WAITLIST.value]


@on_both_databases
def test_detail_of_a_missing_company_is_a_domain_error(session):
    with pytest.raises(DomainError):
        directory.company_detail(session, company_id=999, on=date(2024, 1, 1))


@on_both_databases
def test_number_lookup_and_resident_counts(session, camp):
    assert directory.company_id_by_bizno(session, camp["active"].biz_reg_no) == (camp["active"].id, "가온랩스")
    assert directory.company_id_by_bizno(session, valid_bizno()) is None
    assert directory.resident_counts(session, on=date(2024, 6, 1)) == [(camp["facility"].name, 2)]
    assert directory.resident_counts(session, on=date(2024, 7, 1)) == [(camp["facility"].name, 1)]


@on_both_databases
def test_facility_rows_count_rooms_in_use(session, camp):
    facility = camp["facility"]
    facilities.deactivate_room(session=session, room_id=camp["rooms"][3].id, on=date(2025, 1, 1))
    [row] = directory.facility_rows(session, on=date(2025, 6, 1))
    assert (row.offices, row.shared_seats, row.rooms_retired) == (3, 10, 1)
    [earlier] = directory.facility_rows(session, on=date(2024, 6, 1))
    assert (earlier.offices, earlier.rooms_retired) == (4, 0)
    assert len(directory.facility_rooms(session, facility_id=facility.id)) == 5


# --- the checks the company form runs as the user types -------------------------------------
TODAY = date(2026, 11, 22)


def test_input_problems_names_every_bad_field_at_once():
    problems = companies.input_problems(
        CompanyInput(
            name=" ",
            biz_reg_no="123-45-67890",
            email="no-at-sign",
            investment_krw=-1,
            founded_on=TODAY + timedelta(days=1),
        ),
        today=TODAY,
    )
    assert set(problems) == {"name", "biz_reg_no", "email", "investment_krw", "founded_on"}
    assert "검증번호" in problems["biz_reg_no"]
    assert (
        companies.input_problems(CompanyInput(name="가온", biz_reg_no=valid_bizno(), founded_on=TODAY), today=TODAY)
        == {}
    )


@on_both_databases
def test_a_founding_date_is_checked_against_the_clock_of_the_unit_of_work(engine):
    tomorrow = CompanyInput(name="내일기업", biz_reg_no=valid_bizno(), founded_on=TODAY + timedelta(days=1))
    with pytest.raises(DomainError) as refused, unit_of_work(engine, clock=FixedClock(TODAY)) as session:
        companies.register_company(session=session, data=tomorrow)
    assert refused.value.field == "founded_on"
    with unit_of_work(engine, clock=FixedClock(TODAY + timedelta(days=1))) as session:
        assert companies.register_company(session=session, data=tomorrow).founded_on == TODAY + timedelta(days=1)


@on_both_databases
def test_input_problems_are_the_errors_registering_raises(session):
    data = CompanyInput(name="가온", biz_reg_no="12345")
    [(field, message)] = companies.input_problems(data, today=TODAY).items()
    with pytest.raises(DomainError) as raised:
        companies.register_company(session=session, data=data)
    assert (raised.value.field, raised.value.message) == (field, message)


@on_both_databases
def test_a_company_entered_by_mistake_can_be_deleted_with_its_headcount(session):
    company = companies.register_company(session=session, data=CompanyInput(name="오타기업", biz_reg_no=valid_bizno()))
    companies.record_headcount(session=session, company_id=company.id, as_of=date(2024, 1, 1), employees=2)
    companies.delete_company(session=session, company_id=company.id)
    assert session.get(Company, company.id) is None
    assert session.exec(select(HeadcountRecord).where(HeadcountRecord.company_id == company.id)).all() == []
    deleted = session.exec(
        select(AuditEntry).where(AuditEntry.entity == "Company", AuditEntry.action == "delete")
    ).all()
    assert [entry.entity_id for entry in deleted] == [company.id]
    assert deleted[0].before["name"] == "오타기업"


@on_both_databases
def test_a_company_with_history_cannot_be_deleted(session, camp):
    for key in ("active", "gone", "waiting"):
        with pytest.raises(DomainError) as raised:
            companies.delete_company(session=session, company_id=camp[key].id)
        assert raised.value.field == "company"
        assert session.get(Company, camp[key].id) is not None
