"""What 'in the month' means: the report month, its movements and its watch list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from camp_manager.db.models import ExitReason, RequestKind
from camp_manager.errors import DomainError
from camp_manager.reporting.build import build_report, build_summary
from camp_manager.reporting.monthly import MovementKind, ReportMonth
from camp_manager.services import allocations, companies, exits, requests, residency
from tests.factories import facility_with_rooms, resident

OCTOBER = ReportMonth(2026, 10)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2026-10", ReportMonth(2026, 10)), (" 2026-1 ", ReportMonth(2026, 1)), ("1999-12", ReportMonth(1999, 12))],
)
def test_month_parses(text, expected):
    assert ReportMonth.parse(text) == expected


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026/10", "10-2026", "", "2026-10-01"])
def test_a_bad_month_is_a_domain_error_that_names_the_format(text):
    with pytest.raises(DomainError) as caught:
        ReportMonth.parse(text)
    assert "YYYY-MM" in caught.value.message and caught.value.field == "month"


def test_month_bounds_and_neighbours():
    assert (OCTOBER.first_day, OCTOBER.last_day, OCTOBER.end) == (
        date(2026, 10, 1),
        date(2026, 10, 31),
        date(2026, 11, 1),
    )
    assert ReportMonth(2024, 2).last_day == date(2024, 2, 29)
    assert ReportMonth(2026, 1).previous() == ReportMonth(2025, 12)
    assert ReportMonth(2026, 12).end == date(2027, 1, 1)
    assert ReportMonth.before(date(2026, 1, 15)) == ReportMonth(2025, 12)
    assert str(ReportMonth(2026, 3)) == "2026-03"


@pytest.fixture
def october(session):
    """One of each movement in October 2026, and one just outside it."""
    facility, rooms, zone = facility_with_rooms(session, max_rooms=2)
    r301, r302, r303, r304 = rooms
    newcomer = resident(session, facility, name="가온랩스", move_in_on=date(2026, 10, 5))
    allocations.allocate_room(session=session, company_id=newcomer.id, room_id=r301.id, start_on=date(2026, 10, 5))
    mover = resident(session, facility, name="나래테크")
    moved = allocations.allocate_room(session=session, company_id=mover.id, room_id=r302.id, start_on=date(2024, 1, 2))
    allocations.move_to_room(session=session, allocation_id=moved.id, to_room_id=r303.id, on=date(2026, 10, 10))
    grower = resident(session, facility, name="다솜에이아이")
    allocations.allocate_room(session=session, company_id=grower.id, room_id=r304.id, start_on=date(2024, 1, 2))
    allocations.expand_into_room(
        session=session, company_id=grower.id, room_id=zone.id, start_on=date(2026, 10, 12), seats=2
    )
    leaver = resident(session, facility, name="라온소프트")
    allocations.allocate_room(
        session=session, company_id=leaver.id, room_id=zone.id, start_on=date(2024, 1, 2), seats=3
    )
    exits.record_exit(session=session, company_id=leaver.id, exit_on=date(2026, 10, 20), reason=ExitReason.CLOSED.value)
    latecomer = resident(session, facility, name="마루바이오")
    allocations.allocate_room(session=session, company_id=latecomer.id, room_id=r302.id, start_on=date(2026, 10, 15))
    november = resident(session, facility, name="바다로보틱스", move_in_on=date(2026, 11, 1))
    allocations.allocate_room(
        session=session, company_id=november.id, room_id=zone.id, start_on=date(2026, 11, 1), seats=1
    )
    session.commit()
    return facility


def test_movements_tell_move_ins_moves_expansions_allocations_and_exits_apart(session, october):
    report = build_report(session, month=OCTOBER, facility_id=october.id)
    rows = [(m.on, m.kind, m.company, m.rooms, m.detail) for m in report.movements]
    assert rows == [
        (date(2026, 10, 5), MovementKind.MOVE_IN, "가온랩스", "301", ""),
        (date(2026, 10, 10), MovementKind.MOVE, "나래테크", "303", "302 → 303"),
        (date(2026, 10, 12), MovementKind.EXPAND, "다솜에이아이", "라운지", ""),
        (date(2026, 10, 15), MovementKind.ALLOCATE, "마루바이오", "302", ""),
        (date(2026, 10, 20), MovementKind.EXIT, "라온소프트", "", "폐업"),
    ]
    assert (report.summary.move_ins, report.summary.exits) == (1, 1)
    assert [(r.label, r.count) for r in report.exits_by_reason] == [("폐업", 1)]


def test_the_snapshot_is_the_last_day_and_the_month_is_whole(session, october):
    report = build_report(session, month=OCTOBER, facility_id=october.id)
    assert report.as_of == date(2026, 10, 31)
    # 가온, 나래, 다솜, 마루 are resident on 31 October; 라온 left on the 20th, 바다 comes on 1 November.
    assert [row.company for row in report.roster] == ["가온랩스", "나래테크", "다솜에이아이", "마루바이오"]
    assert report.summary.rooms_occupied == 4 and report.summary.seats_used == 2
    assert [row.rooms for row in report.roster if row.company == "다솜에이아이"] == ["304, 라운지"]
    november = build_report(session, month=ReportMonth(2026, 11), facility_id=october.id)
    assert [m.company for m in november.movements] == ["바다로보틱스"] and november.summary.move_ins == 1


def test_month_to_date_summary_must_stay_inside_the_month(session, october):
    assert build_summary(session, month=OCTOBER, facility_id=october.id, on=date(2026, 10, 12)).move_ins == 1
    with pytest.raises(DomainError):
        build_summary(session, month=OCTOBER, facility_id=october.id, on=date(2026, 11, 1))


def test_watch_list_thresholds(session):
    facility, rooms, _ = facility_with_rooms(session)
    day = OCTOBER.last_day
    crowded = resident(session, facility, name="가득테크")
    allocations.allocate_room(session=session, company_id=crowded.id, room_id=rooms[0].id, start_on=date(2024, 1, 2))
    companies.record_headcount(session=session, company_id=crowded.id, as_of=date(2026, 9, 1), employees=6)
    requests.file_request(
        session=session,
        company_id=crowded.id,
        facility_id=facility.id,
        kind=RequestKind.EXPANSION.value,
        requested_on=day - timedelta(days=31),
    )
    snug = resident(session, facility, name="꼭맞춤")
    allocations.allocate_room(session=session, company_id=snug.id, room_id=rooms[1].id, start_on=date(2024, 1, 2))
    companies.record_headcount(session=session, company_id=snug.id, as_of=date(2026, 9, 1), employees=4)
    requests.file_request(
        session=session,
        company_id=snug.id,
        facility_id=facility.id,
        kind=RequestKind.EXPANSION.value,
        requested_on=day - timedelta(days=30),
    )
    for name, days in (("구십일", 90), ("구십일일", 91)):
        company = resident(session, facility, name=name)
        stay = residency.open_residency(session, company.id)
        residency.extend_contract(
            session=session, residency_id=stay.id, new_end=day + timedelta(days=days), on=date(2026, 1, 2)
        )
    session.commit()
    watch = build_report(session, month=OCTOBER, facility_id=facility.id).watch
    assert [(w.company, w.employees, w.seats_held, w.excess, w.open_request) for w in watch.over_capacity] == [
        ("가득테크", 6, 4, 2, True)
    ]
    assert [(w.company, w.days_left) for w in watch.contracts_ending] == [("구십일", 90)]
    assert [(w.company, w.days_waiting) for w in watch.waiting_requests] == [("가득테크", 31)]
