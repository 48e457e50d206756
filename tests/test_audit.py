"""The audit trail: every use case records who did what to which row, before and after."""

from __future__ import annotations

import getpass
import socket
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from camp_manager.db.engine import unit_of_work
from camp_manager.db.models import AuditEntry, ExitReason, MentorField, RequestKind
from camp_manager.errors import DomainError
from camp_manager.services import allocations, audit, companies, exits, facilities, mentoring, requests, residency
from camp_manager.services.companies import CompanyInput
from tests.conftest import on_every_backend
from tests.factories import facility_with_rooms, resident, valid_bizno


@dataclass
class World:
    facility: object
    offices: list
    zone: object
    company: object
    allocation: object
    mentor: object


@pytest.fixture
def world(session):
    facility, offices, zone = facility_with_rooms(session, offices=4, max_rooms=2)
    company = resident(session, facility, move_in_on=date(2024, 1, 2))
    allocation = allocations.allocate_room(
        session=session, company_id=company.id, room_id=offices[0].id, start_on=date(2024, 1, 2)
    )
    mentor = mentoring.add_mentor(session=session, name="정멘토", field=MentorField.MARKETING.value)
    session.flush()
    return World(facility, offices, zone, company, allocation, mentor)


def planned(s, w):
    return mentoring.plan_session(session=s, mentor_id=w.mentor.id, company_id=w.company.id, held_on=date(2024, 5, 1))


def expansion_request(s, w):
    return requests.file_request(
        session=s,
        company_id=w.company.id,
        facility_id=w.facility.id,
        kind=RequestKind.EXPANSION.value,
        requested_on=date(2024, 4, 1),
    )


# (use case, what it returns the row of, entity, action, does it change an existing row?)
USE_CASES = {
    "register company": (
        lambda s, w: companies.register_company(session=s, data=CompanyInput(name="새회사", biz_reg_no=valid_bizno())),
        "Company",
        "create",
        False,
    ),
    "edit company": (
        lambda s, w: companies.edit_company(
            session=s, company_id=w.company.id, data=CompanyInput(name="새이름", biz_reg_no=w.company.biz_reg_no)
        ),
        "Company",
        "update",
        True,
    ),
    "record headcount": (
        lambda s, w: companies.record_headcount(
            session=s, company_id=w.company.id, as_of=date(2024, 2, 1), employees=6
        ),
        "HeadcountRecord",
        "create",
        False,
    ),
    "create facility": (
        lambda s, w: facilities.create_facility(session=s, name="아이플렉스"),
        "Facility",
        "create",
        False,
    ),
    "set room policy": (
        lambda s, w: facilities.set_room_policy(session=s, facility_id=w.facility.id, max_rooms_per_company=3),
        "Facility",
        "update",
        True,
    ),
    "create room": (
        lambda s, w: facilities.create_room(session=s, facility_id=w.facility.id, floor=4, code="401호"),
        "Room",
        "create",
        False,
    ),
    "create floor": (
        lambda s, w: facilities.create_floor_rooms(
            session=s, facility_id=w.facility.id, floor=5, first_number=501, last_number=503
        )[-1],
        "Room",
        "create",
        False,
    ),
    "retire room": (
        lambda s, w: facilities.deactivate_room(session=s, room_id=w.offices[3].id, on=date(2024, 6, 1)),
        "Room",
        "deactivate",
        True,
    ),
    "move in": (
        lambda s, w: residency.move_in(
            session=s,
            company_id=companies.register_company(
                session=s, data=CompanyInput(name="입주사", biz_reg_no=valid_bizno())
            ).id,
            facility_id=w.facility.id,
            move_in_on=date(2024, 3, 1),
        ),
        "Residency",
        "move_in",
        False,
    ),
    "extend contract": (
        lambda s, w: residency.extend_contract(
            session=s,
            residency_id=residency.open_residency(s, w.company.id).id,
            new_end=date(2026, 1, 1),
            on=date(2024, 12, 1),
        ),
        "Residency",
        "extend",
        True,
    ),
    "allocate": (
        lambda s, w: allocations.allocate_room(
            session=s, company_id=w.company.id, room_id=w.zone.id, start_on=date(2024, 2, 1), seats=2
        ),
        "Allocation",
        "allocate",
        False,
    ),
    "expand": (
        lambda s, w: allocations.expand_into_room(
            session=s, company_id=w.company.id, room_id=w.offices[1].id, start_on=date(2024, 2, 1)
        ),
        "Allocation",
        "expand",
        False,
    ),
    "move": (
        lambda s, w: allocations.move_to_room(
            session=s, allocation_id=w.allocation.id, to_room_id=w.offices[2].id, on=date(2024, 3, 1)
        ),
        "Allocation",
        "move",
        False,
    ),
    "release": (
        lambda s, w: allocations.release_room(session=s, allocation_id=w.allocation.id, on=date(2024, 3, 1)),
        "Allocation",
        "release",
        True,
    ),
    "exit": (
        lambda s, w: exits.record_exit(
            session=s, company_id=w.company.id, exit_on=date(2024, 9, 1), reason=ExitReason.GRADUATED.value
        ),
        "Exit",
        "create",
        False,
    ),
    "file request": (expansion_request, "RoomRequest", "create", False),
    "approve request": (
        lambda s, w: requests.approve_request(
            session=s, request_id=expansion_request(s, w).id, room_id=w.offices[1].id, on=date(2024, 4, 2)
        ),
        "Allocation",
        "expand",
        False,
    ),
    "decline request": (
        lambda s, w: requests.decline_request(session=s, request_id=expansion_request(s, w).id, on=date(2024, 4, 2)),
        "RoomRequest",
        "declined",
        True,
    ),
    "withdraw request": (
        lambda s, w: requests.withdraw_request(session=s, request_id=expansion_request(s, w).id, on=date(2024, 4, 2)),
        "RoomRequest",
        "withdrawn",
        True,
    ),
    "add mentor": (
        lambda s, w: mentoring.add_mentor(session=s, name="한멘토", field=MentorField.FINANCE.value),
        "Mentor",
        "create",
        False,
    ),
    "deactivate mentor": (
        lambda s, w: mentoring.set_mentor_active(session=s, mentor_id=w.mentor.id, active=False),
        "Mentor",
        "update",
        True,
    ),
    "plan session": (planned, "MentoringSession", "plan", False),
    "log held session": (
        lambda s, w: mentoring.log_held_session(
            session=s, mentor_id=w.mentor.id, company_id=w.company.id, held_on=date(2024, 5, 1)
        ),
        "MentoringSession",
        "hold",
        False,
    ),
    "mark held": (
        lambda s, w: mentoring.mark_held(session=s, session_id=planned(s, w).id, minutes=45),
        "MentoringSession",
        "hold",
        True,
    ),
    "cancel session": (
        lambda s, w: mentoring.cancel_session(session=s, session_id=planned(s, w).id),
        "MentoringSession",
        "cancel",
        True,
    ),
}


@pytest.mark.parametrize("name", USE_CASES)
def test_every_use_case_writes_the_audit_trail(session, world, name):
    use_case, entity, action, changes_existing = USE_CASES[name]
    last_id = session.exec(select(AuditEntry.id).order_by(AuditEntry.id.desc())).first()
    row = use_case(session, world)
    session.flush()
    entries = session.exec(
        select(AuditEntry).where(
            AuditEntry.id > last_id,
            AuditEntry.entity == entity,
            AuditEntry.entity_id == row.id,
            AuditEntry.action == action,
        )
    ).all()
    assert len(entries) == 1, [
        (e.entity, e.entity_id, e.action) for e in session.exec(select(AuditEntry).where(AuditEntry.id > last_id))
    ]
    (entry,) = entries
    assert entry.actor == getpass.getuser()
    assert entry.after == audit.snapshot(row)
    if changes_existing:
        assert entry.before is not None and entry.before["id"] == row.id and entry.before != entry.after
    else:
        assert entry.before is None
    assert abs(entry.at - datetime.now(UTC)) < timedelta(minutes=5)


def test_an_exit_records_everything_it_closed(session, world):
    planned(session, world)
    request = expansion_request(session, world)
    last_id = session.exec(select(AuditEntry.id).order_by(AuditEntry.id.desc())).first()
    exits.record_exit(
        session=session, company_id=world.company.id, exit_on=date(2024, 4, 15), reason=ExitReason.LACK_OF_SPACE.value
    )
    logged = {
        (e.entity, e.action, e.entity_id) for e in session.exec(select(AuditEntry).where(AuditEntry.id > last_id))
    }
    assert ("Allocation", "release", world.allocation.id) in logged
    assert ("RoomRequest", "withdraw", request.id) in logged
    assert {("MentoringSession", "cancel"), ("Residency", "end"), ("Exit", "create")} <= {(e, a) for e, a, _ in logged}
    ended = session.exec(select(AuditEntry).where(AuditEntry.id > last_id, AuditEntry.entity == "Residency")).one()
    assert ended.before["ended_on"] is None and ended.after["ended_on"] == "2024-04-15"


def test_audit_entries_roll_back_with_a_failed_unit_of_work(engine):
    with unit_of_work(engine) as session:
        facility, _, _ = facility_with_rooms(session)
        company = resident(session, facility)
    with unit_of_work(engine) as session:
        count = len(session.exec(select(AuditEntry)).all())
    with pytest.raises(DomainError):
        with unit_of_work(engine) as session:
            companies.edit_company(
                session=session,
                company_id=company.id,
                data=CompanyInput(name="바뀐이름", biz_reg_no=company.biz_reg_no),
            )
            exits.record_exit(
                session=session, company_id=company.id, exit_on=date(2020, 1, 1), reason=ExitReason.OTHER.value
            )
    with unit_of_work(engine) as session:
        assert len(session.exec(select(AuditEntry)).all()) == count


@on_every_backend
def test_actor_is_the_os_user_on_sqlite_and_the_database_user_on_a_server(session, backend):
    facility = facilities.create_facility(session=session, name="감사테스트")
    entry = session.exec(
        select(AuditEntry).where(AuditEntry.entity == "Facility", AuditEntry.entity_id == facility.id)
    ).one()
    expected = getpass.getuser() if backend == "sqlite" else session.get_bind().url.username
    assert entry.actor == expected


@on_every_backend
def test_each_entry_names_the_pc_its_login_and_the_database_role(session, backend):
    facility = facilities.create_facility(session=session, name="감사테스트")
    facilities.create_floor_rooms(
        session=session, facility_id=facility.id, floor=2, first_number=201, last_number=203, seats=4
    )
    entries = session.exec(select(AuditEntry)).all()
    assert len(entries) == 4  # the facility by `record`, three rooms by the bulk path
    role = "" if backend == "sqlite" else session.get_bind().url.username
    for entry in entries:
        assert (entry.os_user, entry.machine, entry.db_user) == (getpass.getuser(), socket.gethostname(), role)


@on_every_backend
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE auditentry SET actor = 'someone else'",
        "DELETE FROM auditentry",
        "DELETE FROM auditentry WHERE id = (SELECT max(id) FROM auditentry)",
    ],
)
def test_the_audit_trail_is_append_only(engine, backend, statement):
    with unit_of_work(engine) as session:
        facilities.create_facility(session=session, name="감사테스트")
    with unit_of_work(engine) as session:
        kept = [tuple(row) for row in session.connection().execute(sa.text("SELECT * FROM auditentry ORDER BY id"))]
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        with unit_of_work(engine) as session:
            session.connection().execute(sa.text(statement))
    if backend == "postgres":
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            with unit_of_work(engine) as session:
                session.connection().execute(sa.text("TRUNCATE auditentry"))
    with unit_of_work(engine) as session:
        assert [
            tuple(row) for row in session.connection().execute(sa.text("SELECT * FROM auditentry ORDER BY id"))
        ] == kept
