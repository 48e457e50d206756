"""The database refuses by itself what the use cases refuse: each rule, broken by plain SQL that
bypasses the use cases, on SQLite and on PostgreSQL, is refused by the constraint that holds it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from camp_manager.db.models import OFFICE_ONCE, ONE_OPEN_RESIDENCY
from camp_manager.errors import RuleViolation
from camp_manager.services import allocations, companies, residency
from camp_manager.services.refusals import REFUSALS, refused_constraint, rule_violation
from tests.conftest import on_every_backend
from tests.factories import valid_bizno

pytestmark = on_every_backend

# A small valid world: an office held by 가온 since 2024, a shared zone, a meeting room; 나래 left on 2024-06-01.
SEED = [
    "INSERT INTO facility (id, name, max_rooms_per_company) VALUES (1, '캠프', 2)",
    (
        "INSERT INTO room (id, facility_id, floor, code, kind, seats, area_m2) VALUES "
        "(1, 1, 3, '301', 'private_office', 4, 20), (2, 1, 1, '라운지', 'shared_zone', 10, 80), (3, 1, 1, '회의실', 'meeting_room', 8, 30)"
    ),
    "INSERT INTO company (id, name, biz_reg_no) VALUES (1, '가온', '1168200276'), (2, '나래', '2208162517')",
    (
        "INSERT INTO residency (id, company_id, facility_id, move_in, contract_end, ended_on) VALUES "
        "(1, 1, 1, '2024-01-01', '2025-01-01', NULL), (2, 2, 1, '2024-01-01', NULL, '2024-06-01')"
    ),
    "INSERT INTO exit (id, company_id, residency_id, exit_on, reason) VALUES (1, 2, 2, '2024-06-01', 'graduated')",
    "INSERT INTO contractextension (id, residency_id, extended_on, previous_end, new_end) VALUES (1, 1, '2024-03-01', '2025-01-01', '2026-01-01')",
    (
        "INSERT INTO allocation (id, company_id, room_id, room_kind, start_on, end_on, seats) VALUES "
        "(1, 1, 1, 'private_office', '2024-01-01', NULL, 4), (2, 2, 2, 'shared_zone', '2024-01-01', '2024-06-01', 3)"
    ),
    "INSERT INTO headcountrecord (id, company_id, as_of, employees) VALUES (1, 1, '2024-01-01', 3)",
    (
        "INSERT INTO roomrequest (id, company_id, facility_id, kind, rooms_wanted, seats_wanted, requested_on, status) VALUES "
        "(1, 1, 1, 'expansion', 1, 0, '2024-02-01', 'open')"
    ),
    "INSERT INTO mentor (id, name, field) VALUES (1, '김멘토', 'technology')",
    "INSERT INTO mentoringsession (id, mentor_id, company_id, held_on, minutes, mode, status) VALUES (1, 1, 1, '2024-02-01', 60, 'online', 'held')",
    (
        "INSERT INTO importbatch (id, file_name, file_sha256, imported_at, created, updated, unchanged, skipped, errors) "
        "VALUES (1, 'a.xlsx', 'x', '2024-01-01 09:00:00', 1, 0, 0, 0, 0)"
    ),
]


def allocation(row_id: int, room: int, kind: str, start: str, end: str | None, seats: int = 4, company: int = 1) -> str:
    end_sql = f"'{end}'" if end else "NULL"
    return (
        "INSERT INTO allocation (id, company_id, room_id, room_kind, start_on, end_on, seats) "
        f"VALUES ({row_id}, {company}, {room}, '{kind}', '{start}', {end_sql}, {seats})"
    )


FK_EXIT = "fk_exit_residency_id_residency"
FK_ROOM = "fk_allocation_room_id_room"

# (what, statements — the last one breaks the rule —, the constraint that refuses it)
REFUSED = [
    (
        "policy below one room",
        ["UPDATE facility SET max_rooms_per_company = 0"],
        "ck_facility_max_rooms_per_company_at_least_1",
    ),
    ("unknown room kind", ["UPDATE room SET kind = 'storage' WHERE id = 3"], "ck_room_kind_known"),
    ("negative seats", ["UPDATE room SET seats = -1 WHERE id = 1"], "ck_room_seats_at_least_0"),
    ("negative area", ["UPDATE room SET area_m2 = -1 WHERE id = 1"], "ck_room_area_m2_at_least_0"),
    ("shared zone without seats", ["UPDATE room SET seats = 0 WHERE id = 2"], "ck_room_shared_zone_seats_at_least_1"),
    ("unknown business field", ["UPDATE company SET field = 'mining' WHERE id = 1"], "ck_company_field_known"),
    (
        "business number not 10 digits",
        ["UPDATE company SET biz_reg_no = '116820027' WHERE id = 1"],
        "ck_company_biz_reg_no_10_digits",
    ),
    (
        "same business number twice",
        ["UPDATE company SET biz_reg_no = '1168200276' WHERE id = 2"],
        "uq_company_biz_reg_no",
    ),
    (
        "negative investment",
        ["UPDATE company SET investment_krw = -1 WHERE id = 1"],
        "ck_company_investment_krw_at_least_0",
    ),
    ("negative headcount", ["UPDATE headcountrecord SET employees = -1"], "ck_headcountrecord_employees_at_least_0"),
    (
        "two headcounts of one day",
        ["INSERT INTO headcountrecord (company_id, as_of, employees) VALUES (1, '2024-01-01', 4)"],
        "uq_headcountrecord_company_id_as_of",
    ),
    (
        "stay ends before it starts",
        ["UPDATE residency SET ended_on = '2023-12-31', contract_end = NULL WHERE id = 1"],
        "ck_residency_ended_on_not_before_move_in",
    ),
    (
        "contract ends before the move-in",
        ["UPDATE residency SET contract_end = '2023-12-31' WHERE id = 1"],
        "ck_residency_contract_end_not_before_move_in",
    ),
    (
        "two open stays",
        ["INSERT INTO residency (company_id, facility_id, move_in) VALUES (1, 1, '2024-05-01')"],
        ONE_OPEN_RESIDENCY,
    ),
    (
        "extension not later",
        ["UPDATE contractextension SET new_end = '2025-01-01'"],
        "ck_contractextension_new_end_after_previous_end",
    ),
    (
        "allocation ends before it starts",
        ["UPDATE allocation SET end_on = '2023-12-31' WHERE id = 1"],
        "ck_allocation_end_on_not_before_start_on",
    ),
    ("negative allocated seats", ["UPDATE allocation SET seats = -1 WHERE id = 1"], "ck_allocation_seats_at_least_0"),
    (
        "no seat in a shared zone",
        [allocation(9, 2, "shared_zone", "2024-02-01", None, seats=0)],
        "ck_allocation_shared_zone_seats_at_least_1",
    ),
    (
        "a company in a meeting room",
        [allocation(9, 3, "meeting_room", "2024-02-01", None, seats=1)],
        "ck_allocation_not_a_meeting_room",
    ),
    ("allocation lying about its room's kind", [allocation(9, 2, "private_office", "2024-02-01", None)], FK_ROOM),
    (
        "second company in an office",
        [allocation(9, 1, "private_office", "2024-05-01", "2024-06-01", company=2)],
        OFFICE_ONCE,
    ),
    (
        "office booking moved onto another",
        [
            allocation(9, 1, "private_office", "2023-01-01", "2023-06-01"),
            "UPDATE allocation SET end_on = '2024-01-02' WHERE id = 9",
        ],
        OFFICE_ONCE,
    ),
    ("open-ended booking before a held office", [allocation(9, 1, "private_office", "2023-01-01", None)], OFFICE_ONCE),
    (
        "a shared zone that overlaps becomes an office",
        [
            allocation(9, 2, "shared_zone", "2024-02-01", None, seats=2),
            "UPDATE room SET kind = 'private_office' WHERE id = 2",
        ],
        OFFICE_ONCE,
    ),
    ("exit day is not the stay's end", ["UPDATE exit SET exit_on = '2024-07-01'"], FK_EXIT),
    ("stay's end moved under its exit", ["UPDATE residency SET ended_on = '2024-07-01' WHERE id = 2"], FK_EXIT),
    (
        "exit of an open stay",
        ["INSERT INTO exit (company_id, residency_id, exit_on, reason) VALUES (1, 1, '2024-07-01', 'other')"],
        FK_EXIT,
    ),
    ("unknown exit reason", ["UPDATE exit SET reason = 'bored'"], "ck_exit_reason_known"),
    ("unknown request kind", ["UPDATE roomrequest SET kind = 'upgrade'"], "ck_roomrequest_kind_known"),
    (
        "unknown request status",
        ["UPDATE roomrequest SET status = 'lost', decided_on = '2024-03-01'"],
        "ck_roomrequest_status_known",
    ),
    (
        "negative rooms wanted",
        ["UPDATE roomrequest SET rooms_wanted = -1, seats_wanted = 2"],
        "ck_roomrequest_rooms_wanted_at_least_0",
    ),
    (
        "negative seats wanted",
        ["UPDATE roomrequest SET seats_wanted = -1, rooms_wanted = 2"],
        "ck_roomrequest_seats_wanted_at_least_0",
    ),
    ("nothing wanted", ["UPDATE roomrequest SET rooms_wanted = 0"], "ck_roomrequest_something_wanted"),
    (
        "decided before requested",
        ["UPDATE roomrequest SET status = 'declined', decided_on = '2024-01-15'"],
        "ck_roomrequest_decided_on_not_before_requested_on",
    ),
    ("open but decided", ["UPDATE roomrequest SET decided_on = '2024-03-01'"], "ck_roomrequest_decided_unless_open"),
    ("decided without a day", ["UPDATE roomrequest SET status = 'approved'"], "ck_roomrequest_decided_unless_open"),
    ("unknown mentor field", ["UPDATE mentor SET field = 'law'"], "ck_mentor_field_known"),
    ("unknown session mode", ["UPDATE mentoringsession SET mode = 'phone'"], "ck_mentoringsession_mode_known"),
    ("unknown session status", ["UPDATE mentoringsession SET status = 'lost'"], "ck_mentoringsession_status_known"),
    ("session of no minutes", ["UPDATE mentoringsession SET minutes = 0"], "ck_mentoringsession_minutes_within_a_day"),
    (
        "session longer than a day",
        ["UPDATE mentoringsession SET minutes = 1441"],
        "ck_mentoringsession_minutes_within_a_day",
    ),
    ("negative import count", ["UPDATE importbatch SET skipped = -1"], "ck_importbatch_skipped_at_least_0"),
]

ACCEPTED = [
    (
        "the office again from the day it is free",
        [
            "UPDATE allocation SET end_on = '2024-05-01' WHERE id = 1",
            allocation(9, 1, "private_office", "2024-05-01", None, company=2),
        ],
    ),
    ("an empty booking shares no day", [allocation(9, 1, "private_office", "2024-05-01", "2024-05-01", company=2)]),
    ("shared seats overlap", [allocation(9, 2, "shared_zone", "2024-02-01", None, seats=5)]),
    (
        "a move-in again after the exit",
        ["INSERT INTO residency (company_id, facility_id, move_in) VALUES (2, 1, '2024-07-01')"],
    ),
    ("a room's kind followed by its allocations", ["UPDATE room SET kind = 'private_office' WHERE id = 2"]),
]


@pytest.fixture
def seeded(engine) -> sa.Engine:
    with engine.begin() as connection:
        for statement in SEED:
            connection.exec_driver_sql(statement)
        if engine.dialect.name == "postgresql":  # the rows came with their ids: new ones follow them
            for table in (
                "facility",
                "room",
                "company",
                "residency",
                "exit",
                "allocation",
                "headcountrecord",
                "roomrequest",
            ):
                connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                )
    return engine


def names_constraints(engine: sa.Engine, constraint: str) -> bool:
    """SQLite's foreign key errors name no constraint; everything else is reported by name on both."""
    return engine.dialect.name == "postgresql" or not constraint.startswith("fk_")


@pytest.mark.parametrize(("what", "statements", "constraint"), REFUSED, ids=[case[0] for case in REFUSED])
def test_the_database_refuses_a_broken_rule(seeded, what, statements, constraint):
    with seeded.connect() as connection, connection.begin():
        for statement in statements[:-1]:
            connection.exec_driver_sql(statement)
        with pytest.raises(IntegrityError) as raised, connection.begin_nested():
            connection.exec_driver_sql(statements[-1])
    expected = constraint if names_constraints(seeded, constraint) else None
    assert refused_constraint(raised.value) == expected, str(raised.value.orig)


@pytest.mark.parametrize(("what", "statements"), ACCEPTED, ids=[case[0] for case in ACCEPTED])
def test_the_database_accepts_what_the_rules_allow(seeded, what, statements):
    with seeded.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)
    if what == "a room's kind followed by its allocations":
        with seeded.connect() as connection:
            assert connection.exec_driver_sql(
                "SELECT DISTINCT room_kind FROM allocation WHERE room_id = 2"
            ).scalars().all() == ["private_office"]


def test_every_refusal_a_use_case_can_meet_has_its_message(seeded):
    """Each entry of the table names a constraint the database really reports."""
    reported = {constraint for _, _, constraint in REFUSED}
    assert set(REFUSALS) <= reported
    with seeded.connect() as connection, pytest.raises(IntegrityError) as raised:
        connection.exec_driver_sql(allocation(9, 1, "private_office", "2024-05-01", None, company=2))
    violation = rule_violation(raised.value, index=3)
    assert isinstance(violation, RuleViolation) and violation.field == "room" and violation.index == 3
    assert violation.message == REFUSALS[OFFICE_ONCE].message()


@contextmanager
def written_just_before_the_insert(session: Session, statement: str) -> Iterator[None]:
    """`statement` runs on the session's connection as the use case opens the savepoint it inserts in:
    as if another PC had committed it after the use case checked its rules."""
    written = []

    def write_first(conn, cursor, sql, parameters, context, executemany):
        if sql.startswith("SAVEPOINT") and not written:
            written.append(statement)
            cursor.execute(statement)

    sa.event.listen(session.connection(), "before_cursor_execute", write_first)
    yield
    assert written == [statement]


def test_an_office_booked_between_the_check_and_the_insert_gets_the_use_case_message(seeded):
    """The database refuses the second booking; the check runs again and names the holder."""
    with Session(seeded) as session:
        session.execute(sa.text("UPDATE allocation SET end_on = '2024-12-01' WHERE id = 1"))
        other_pc = allocation(9, 1, "private_office", "2025-01-01", None, company=2)
        with written_just_before_the_insert(session, other_pc), pytest.raises(RuleViolation) as raised:
            allocations.allocate_rooms(
                session=session, requests=[allocations.RoomBooking(company_id=1, room_id=1, start_on=date(2025, 3, 1))]
            )
    assert raised.value.field == "room" and "'나래'" in raised.value.message and "301" in raised.value.message


def test_a_stay_begun_meanwhile_gets_the_use_case_message(seeded):
    with Session(seeded) as session:
        other_pc = "INSERT INTO residency (id, company_id, facility_id, move_in) VALUES (9, 2, 1, '2024-07-01')"
        with written_just_before_the_insert(session, other_pc), pytest.raises(RuleViolation) as raised:
            residency.move_in_many(session=session, requests=[residency.MoveIn(2, 1, date(2024, 8, 1))])
    assert raised.value.field == "move_in" and "2024-07-01" in raised.value.message


def test_a_business_number_registered_meanwhile_gets_the_use_case_message(seeded):
    number = valid_bizno(424242)
    with Session(seeded) as session:
        other_pc = f"INSERT INTO company (id, name, biz_reg_no) VALUES (9, '다온', '{number}')"
        with written_just_before_the_insert(session, other_pc), pytest.raises(RuleViolation) as raised:
            companies.register_companies(
                session=session, inputs=[companies.CompanyInput(name="라온", biz_reg_no=number)]
            )
    assert raised.value.field == "biz_reg_no" and "'다온'" in raised.value.message
