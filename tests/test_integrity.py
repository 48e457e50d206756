"""`find_violations` and `camp-manager check`: each rule of the data, broken by plain SQL (with the
database's own constraint switched off where it has one), is found and named; sound data is clean."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session

from camp_manager.cli import main
from camp_manager.db.engine import make_engine, unit_of_work
from camp_manager.db.models import (
    OFFICE_ONCE,
    ONE_OPEN_RESIDENCY,
    ExitReason,
    RequestKind,
)
from camp_manager.services import allocations, exits, integrity, mentoring, requests
from tests.conftest import on_every_backend
from tests.factories import facility_with_rooms, resident
from tools import scale_demo


@pytest.fixture
def world(db_path: Path) -> Path:
    """가온 in office 301 since 2024-01-02; 나래 with 4 seats of the lounge, gone on 2024-06-01;
    가온's expansion request, declined. Two rooms per company, one mentor."""
    engine = make_engine(f"sqlite:///{db_path}")
    with unit_of_work(engine) as session:
        facility, offices, zone = facility_with_rooms(session, offices=2, zone_seats=10, max_rooms=2)
        gaon, narae = resident(session, facility, name="가온"), resident(session, facility, name="나래")
        allocations.allocate_room(session=session, company_id=gaon.id, room_id=offices[0].id, start_on=date(2024, 1, 2))
        allocations.allocate_room(
            session=session, company_id=narae.id, room_id=zone.id, start_on=date(2024, 1, 2), seats=4
        )
        mentor = mentoring.add_mentor(session=session, name="김멘토", field="technology")
        mentoring.log_held_session(session=session, mentor_id=mentor.id, company_id=narae.id, held_on=date(2024, 3, 1))
        request = requests.file_request(
            session=session,
            company_id=gaon.id,
            facility_id=facility.id,
            kind=RequestKind.EXPANSION.value,
            requested_on=date(2024, 3, 1),
        )
        requests.decline_request(session=session, request_id=request.id, on=date(2024, 3, 5))
        exits.record_exit(
            session=session, company_id=narae.id, exit_on=date(2024, 6, 1), reason=ExitReason.GRADUATED.value
        )
    engine.dispose()
    return db_path


def break_rules(path: Path, *statements: str) -> None:
    """Plain SQL with the database's own guards off: CHECKs, foreign keys, the office trigger, the open-stay index."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA foreign_keys = OFF")
        connection.execute("PRAGMA ignore_check_constraints = ON")
        for event in ("INSERT", "UPDATE"):
            connection.execute(f"DROP TRIGGER IF EXISTS {OFFICE_ONCE}_{event}")
        connection.execute(f"DROP INDEX IF EXISTS {ONE_OPEN_RESIDENCY}")
        for statement in statements:
            connection.execute(statement)
    finally:
        connection.close()


def violations(path: Path) -> list[integrity.Violation]:
    engine = make_engine(f"sqlite:///{path}")
    try:
        with Session(engine) as session:
            return integrity.find_violations(session)
    finally:
        engine.dispose()


GAON, NARAE = "(SELECT id FROM company WHERE name = '가온')", "(SELECT id FROM company WHERE name = '나래')"
OFFICE, SECOND_OFFICE, LOUNGE = (
    "(SELECT id FROM room WHERE code = '301')",
    "(SELECT id FROM room WHERE code = '302')",
    "(SELECT id FROM room WHERE code = '라운지')",
)

# (rule, statements that break it, the table of the record named, words the message shows)
BROKEN = [
    (
        "overlapping_offices",
        [
            (
                "INSERT INTO allocation (company_id, room_id, room_kind, start_on, end_on, seats, override_reason) "
                f"VALUES ({NARAE}, {OFFICE}, 'private_office', '2024-02-01', '2024-03-01', 4, 'x')"
            ),
        ],
        "allocation",
        ["301", "'나래'", "'가온'", "2024-02-01"],
    ),
    (
        "overfull_shared_zones",
        [f"UPDATE allocation SET seats = 11 WHERE room_id = {LOUNGE}"],
        "room",
        ["라운지", "2024-01-02", "10석 중 11석"],
    ),
    (
        "allocations_outside_a_stay",
        [f"UPDATE allocation SET start_on = '2023-12-01' WHERE company_id = {GAON}"],
        "allocation",
        ["'가온'", "2023-12-01"],
    ),
    (
        "allocations_outside_a_stay",
        [f"UPDATE allocation SET end_on = NULL WHERE company_id = {NARAE}"],
        "allocation",
        ["'나래'", "라운지"],
    ),
    (
        "allocations_in_retired_rooms",
        [f"UPDATE room SET retired_on = '2024-05-01' WHERE id = {OFFICE}"],
        "allocation",
        ["'가온'", "301", "2024-05-01"],
    ),
    (
        "records_after_an_exit",
        [
            f"INSERT INTO headcountrecord (company_id, as_of, employees) VALUES ({NARAE}, '2024-06-02', 3)",
        ],
        "headcountrecord",
        ["'나래'", "고용인원 기록", "2024-06-02", "2024-06-01"],
    ),
    (
        "records_after_an_exit",
        [
            (
                f"INSERT INTO roomrequest (company_id, facility_id, kind, rooms_wanted, seats_wanted, requested_on, status) "
                f"VALUES ({NARAE}, 1, 'waitlist', 1, 0, '2024-07-01', 'open')"
            ),
        ],
        "roomrequest",
        ["'나래'", "공간 신청", "2024-07-01"],
    ),
    (
        "records_after_an_exit",
        ["UPDATE mentoringsession SET held_on = '2024-06-01'"],
        "mentoringsession",
        ["'나래'", "멘토링", "2024-06-01"],
    ),
    (
        "sessions_outside_a_stay",
        [
            (
                f"INSERT INTO mentoringsession (mentor_id, company_id, held_on, minutes, topic, mode, status, notes) "
                f"VALUES (1, {GAON}, '2023-05-01', 60, '', 'online', 'planned', '')"
            ),
        ],
        "mentoringsession",
        ["'가온'", "2023-05-01"],
    ),
    (
        "two_open_stays",
        [
            f"INSERT INTO residency (company_id, facility_id, move_in) VALUES ({GAON}, 1, '2024-05-01')",
        ],
        "residency",
        ["'가온'"],
    ),
    (
        "exits_apart_from_their_stay",
        ["UPDATE exit SET exit_on = '2024-05-20'"],
        "exit",
        ["'나래'", "2024-05-20", "2024-06-01"],
    ),
    (
        "exits_apart_from_their_stay",
        ["DELETE FROM exit"],
        "residency",
        ["'나래'", "2024-06-01", "퇴거 기록이 없습니다"],
    ),
    (
        "dates_out_of_order",
        ["UPDATE roomrequest SET decided_on = '2024-02-01'"],
        "roomrequest",
        ["공간 신청", "2024-02-01", "2024-03-01"],
    ),
    (
        "rooms_beyond_the_policy",
        [
            "UPDATE facility SET max_rooms_per_company = 1",
            (
                "INSERT INTO allocation (company_id, room_id, room_kind, start_on, end_on, seats, override_reason) "
                f"VALUES ({GAON}, {SECOND_OFFICE}, 'private_office', '2024-03-01', NULL, 4, '')"
            ),
        ],
        "allocation",
        ["'가온'", "302", "1개"],
    ),
    (
        "records_after_an_exit",
        [
            (
                f"INSERT INTO investmentround (company_id, invested_on, amount_krw, investor, kind) "
                f"VALUES ({NARAE}, '2024-06-15', 50000000, '', 'equity')"
            ),
        ],
        "investmentround",
        ["'나래'", "투자유치", "2024-06-15"],
    ),
    (
        "evidence_without_its_record",
        [
            (
                "INSERT INTO evidence (record_kind, record_id, file_name, media_type, size_bytes, sha256, content, attached_at) "
                "VALUES ('certification', 999, '인증서.pdf', 'application/pdf', 4, 'x', X'25504446', '2024-01-01 00:00:00')"
            ),
        ],
        "evidence",
        ["인증서.pdf", "999"],
    ),
    (
        "invalid_business_numbers",
        [f"UPDATE company SET biz_reg_no = '1234567890' WHERE id = {GAON}"],
        "company",
        ["'가온'", "1234567890"],
    ),
]


def test_the_world_is_sound(world):
    assert violations(world) == []


@pytest.mark.parametrize(
    ("rule", "statements", "table", "words"), BROKEN, ids=[f"{case[0]}-{case[2]}" for case in BROKEN]
)
def test_a_broken_rule_is_found_and_named(world, rule, statements, table, words):
    break_rules(world, *statements)
    found = violations(world)
    assert {(v.rule, v.table) for v in found} == {(rule, table)}, [v.message for v in found]
    for word in words:
        assert any(word in v.message for v in found), (word, [v.message for v in found])


def test_every_rule_has_a_case_that_breaks_it():
    assert {check.__name__ for check in integrity.CHECKS} == {case[0] for case in BROKEN}


@on_every_backend
def test_the_demo_data_obeys_every_rule(demo_session):
    assert integrity.find_violations(demo_session) == []


def test_check_command_reports_and_exits_1_when_a_rule_is_broken(world, capsys):
    assert main(["--db", str(world), "check"]) == 0
    assert "모든 자료가 규칙에 맞습니다" in capsys.readouterr().out
    break_rules(world, f"UPDATE room SET retired_on = '2024-05-01' WHERE id = {OFFICE}")
    assert main(["--db", str(world), "check"]) == 1
    out = capsys.readouterr().out
    assert "호실 301의 사용 종료일(2024-05-01)" in out and "규칙에 맞지 않는 자료 1건" in out


# --- the generators of demo, benchmark and scale data make only data that obeys every rule ------------


@on_every_backend
def test_the_scale_demo_data_obeys_every_rule(engine):
    figures = scale_demo.build_scale_database(
        engine, today=date(2026, 11, 22), companies=300, facilities=2, floors=1, rooms_per_floor=12
    )
    assert figures.stays > 100
    with Session(engine) as session:
        assert integrity.find_violations(session) == []
