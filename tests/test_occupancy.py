"""As-of queries, checked against independent recounts written directly in SQL.

The recounts read the raw rows with their own SQL (no code of the queries under test),
on the demo database and for several dates across its history.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from camp_manager.db.models import ExitReason, RoomKind
from camp_manager.services import allocations, exits, facilities, movements, occupancy
from tests.conftest import DEMO_TODAY, on_every_backend
from tests.factories import facility_with_rooms, resident

DATES = [
    date(2020, 12, 31),
    date(2022, 6, 15),
    date(2022, 12, 31),
    date(2023, 12, 31),
    date(2024, 12, 31),
    date(2025, 7, 1),
    DEMO_TODAY - timedelta(days=3),
    DEMO_TODAY,
]
ALIVE_RESIDENCY = "res.move_in <= :on AND (res.ended_on IS NULL OR res.ended_on > :on)"
ALIVE_ALLOCATION = "a.start_on <= :on AND (a.end_on IS NULL OR a.end_on > :on)"
ROOM_COUNTS = "(r.retired_on IS NULL OR r.retired_on > :on)"
LATEST_HEADCOUNT = (
    "h.as_of = (SELECT MAX(h2.as_of) FROM headcountrecord h2 WHERE h2.company_id = h.company_id AND h2.as_of <= :on)"
)


def sql(session, query: str, **params) -> list[tuple]:
    """Runs hand-written SQL; date parameters are bound as dates on every backend."""
    statement = sa.text(query).bindparams(
        *(sa.bindparam(name, type_=sa.Date) for name, value in params.items() if isinstance(value, date))
    )
    return [tuple(row) for row in session.execute(statement, params)]


def facility_ids(session) -> dict[str, int]:
    return {name: facility_id for facility_id, name in sql(session, "SELECT id, name FROM facility")}


@on_every_backend
def test_resident_counts(demo_session):
    for on in DATES:
        expected = dict(
            sql(
                demo_session,
                f"SELECT res.facility_id, COUNT(DISTINCT res.company_id) FROM residency res WHERE {ALIVE_RESIDENCY} GROUP BY res.facility_id",
                on=on,
            )
        )
        for facility_id in facility_ids(demo_session).values():
            assert occupancy.resident_count(demo_session, on=on, facility_id=facility_id) == expected.get(
                facility_id, 0
            ), on
        assert occupancy.resident_count(demo_session, on=on) == sum(expected.values())


@on_every_backend
def test_year_end_residents_are_the_real_figures(demo_session):
    camp = facility_ids(demo_session)["AI 창업캠프"]
    figures = occupancy.year_end_residents(demo_session, years=[2022, 2023, 2024], facility_id=camp)
    recount = {
        year: sql(
            demo_session,
            f"SELECT COUNT(*) FROM residency res WHERE res.facility_id = :f AND {ALIVE_RESIDENCY}",
            f=camp,
            on=date(year, 12, 31),
        )[0][0]
        for year in (2022, 2023, 2024)
    }
    assert figures == recount == {2022: 107, 2023: 96, 2024: 84}


@on_every_backend
def test_occupancy_per_facility_and_floor(demo_session):
    tallies = f"""
        SELECT r.facility_id, r.floor,
            SUM(CASE WHEN r.kind = 'private_office' THEN 1 ELSE 0 END),
            SUM(CASE WHEN r.kind = 'private_office' AND EXISTS (
                SELECT 1 FROM allocation a WHERE a.room_id = r.id AND {ALIVE_ALLOCATION}) THEN 1 ELSE 0 END),
            SUM(CASE WHEN r.kind = 'shared_zone' THEN r.seats ELSE 0 END),
            SUM(CASE WHEN r.kind = 'shared_zone' THEN (
                SELECT COALESCE(SUM(a.seats), 0) FROM allocation a WHERE a.room_id = r.id AND {ALIVE_ALLOCATION}) ELSE 0 END),
            SUM(CASE WHEN r.kind = 'private_office' THEN r.area_m2 ELSE 0 END)
        FROM room r WHERE {ROOM_COUNTS}
        GROUP BY r.facility_id, r.floor
    """
    employees = f"""
        SELECT res.facility_id, SUM(h.employees) FROM residency res
        JOIN headcountrecord h ON h.company_id = res.company_id
        WHERE {ALIVE_RESIDENCY} AND {LATEST_HEADCOUNT} GROUP BY res.facility_id
    """
    busy_floor_seen = False
    for on in DATES:
        expected_floors = {(f, floor): rest for f, floor, *rest in sql(demo_session, tallies, on=on)}
        expected_staff = dict(sql(demo_session, employees, on=on))
        for figures in occupancy.occupancy(demo_session, on=on):
            fid = figures.facility.id
            floors = {floor: tally for (f, floor), tally in expected_floors.items() if f == fid}
            assert sorted(figures.floors) == sorted(floors), on
            for floor, (rooms, occupied, seats, used, area) in floors.items():
                tally = figures.floors[floor]
                assert (tally.rooms_total, tally.rooms_occupied, tally.seats_total, tally.seats_used) == (
                    rooms,
                    occupied,
                    seats,
                    used,
                ), (on, floor)
                assert tally.area_total == pytest.approx(area)
                busy_floor_seen |= 0 < occupied < rooms
            totals = [sum(values[i] for values in floors.values()) for i in range(4)]
            assert [
                figures.total.rooms_total,
                figures.total.rooms_occupied,
                figures.total.seats_total,
                figures.total.seats_used,
            ] == totals
            assert figures.total.occupancy_rate == pytest.approx(totals[1] / totals[0])
            assert figures.employees == expected_staff.get(fid, 0)
            assert figures.residents == occupancy.resident_count(demo_session, on=on, facility_id=fid)
    assert busy_floor_seen


@on_every_backend
def test_room_states_and_residents_on(demo_session):
    for on in DATES:
        holders = set(
            sql(
                demo_session,
                f"SELECT a.room_id, a.company_id FROM allocation a JOIN room r ON r.id = a.room_id WHERE {ALIVE_ALLOCATION} AND {ROOM_COUNTS}",
                on=on,
            )
        )
        rooms = {row[0] for row in sql(demo_session, f"SELECT r.id FROM room r WHERE {ROOM_COUNTS}", on=on)}
        states = occupancy.room_states(demo_session, on=on)
        assert {state.room.id for state in states} == rooms
        assert {(state.room.id, company.id) for state in states for _, company in state.holders} == holders
        residents = set(
            sql(
                demo_session,
                f"SELECT res.company_id, res.facility_id FROM residency res WHERE {ALIVE_RESIDENCY}",
                on=on,
            )
        )
        rows = occupancy.residents_on(demo_session, on=on)
        assert {(row.company.id, row.residency.facility_id) for row in rows} == residents
        resident_ids = {company_id for company_id, _ in residents}
        rooms_held = Counter(company_id for _, company_id in holders if company_id in resident_ids)
        assert {row.company.id: len(row.holdings) for row in rows if row.holdings} == rooms_held


@on_every_backend
def test_over_capacity(demo_session):
    query = f"""
        SELECT res.company_id FROM residency res
        JOIN headcountrecord h ON h.company_id = res.company_id
        JOIN (SELECT a.company_id, SUM(a.seats) AS seats FROM allocation a WHERE {ALIVE_ALLOCATION} GROUP BY a.company_id) held
            ON held.company_id = res.company_id
        WHERE {ALIVE_RESIDENCY} AND {LATEST_HEADCOUNT} AND h.employees > held.seats
    """
    seen = 0
    for on in DATES:
        expected = {row[0] for row in sql(demo_session, query, on=on)}
        assert {row.company.id for row in occupancy.over_capacity(demo_session, on=on)} == expected, on
        seen += len(expected)
    assert seen > 0


@on_every_backend
def test_contracts_ending(demo_session):
    seen = 0
    for on in DATES:
        for days in (30, 90):
            # The end that stood on :on: the latest extension made by then, else the end the first one replaced.
            expected = sql(
                demo_session,
                f"""SELECT company_id, contract_end FROM (
                      SELECT res.company_id, COALESCE(
                        (SELECT ce.new_end FROM contractextension ce WHERE ce.residency_id = res.id AND ce.extended_on <= :on
                          ORDER BY ce.extended_on DESC, ce.id DESC LIMIT 1),
                        CASE WHEN EXISTS (SELECT 1 FROM contractextension ce WHERE ce.residency_id = res.id)
                          THEN (SELECT ce.previous_end FROM contractextension ce WHERE ce.residency_id = res.id
                                ORDER BY ce.extended_on, ce.id LIMIT 1)
                          ELSE res.contract_end END) AS contract_end
                      FROM residency res WHERE {ALIVE_RESIDENCY}) stood
                    WHERE contract_end >= :on AND contract_end <= :horizon""",
                on=on,
                horizon=on + timedelta(days=days),
            )
            rows = occupancy.contracts_ending(demo_session, on=on, within_days=days)
            stood = {
                (company_id, end if isinstance(end, date) else date.fromisoformat(end)) for company_id, end in expected
            }
            assert {(row.company.id, row.contract_end) for row in rows} == stood  # SQLite gives the dates back as text
            ends = [row.contract_end for row in rows]
            assert ends == sorted(ends)
            seen += len(expected)
    assert seen > 0


@on_every_backend
def test_movements(demo_session):
    periods = [
        (date(2022, 1, 1), date(2023, 1, 1)),
        (date(2023, 1, 1), date(2024, 1, 1)),
        (date(2024, 6, 1), date(2024, 7, 1)),
        (DEMO_TODAY - timedelta(days=60), DEMO_TODAY),
    ]
    for start, end in periods:
        for fid in facility_ids(demo_session).values():
            found = movements.movements(demo_session, start=start, end=end, facility_id=fid)
            move_ins = {
                row[0]
                for row in sql(
                    demo_session,
                    "SELECT id FROM residency WHERE facility_id = :f AND move_in >= :s AND move_in < :e",
                    f=fid,
                    s=start,
                    e=end,
                )
            }
            assert {residency.id for _, residency in found.move_ins} == move_ins
            reasons = dict(
                sql(
                    demo_session,
                    "SELECT x.reason, COUNT(*) FROM exit x JOIN residency res ON res.id = x.residency_id WHERE res.facility_id = :f AND x.exit_on >= :s AND x.exit_on < :e GROUP BY x.reason",
                    f=fid,
                    s=start,
                    e=end,
                )
            )
            assert dict(found.exits_by_reason()) == reasons
            started = {
                row[0]
                for row in sql(
                    demo_session,
                    "SELECT a.id FROM allocation a JOIN room r ON r.id = a.room_id WHERE r.facility_id = :f AND a.start_on >= :s AND a.start_on < :e",
                    f=fid,
                    s=start,
                    e=end,
                )
            }
            assert {allocation.id for _, allocation in found.room_changes} == started
    year = movements.movements(demo_session, start=date(2023, 1, 1), end=date(2024, 1, 1))
    assert year.exits and year.move_ins and year.room_changes


@on_every_backend
def test_exits_by_year_and_reason(demo_session):
    expected = Counter()
    for exit_on, reason in sql(demo_session, "SELECT exit_on, reason FROM exit"):
        expected[(date.fromisoformat(str(exit_on)).year, reason)] += 1
    found = movements.exits_by_year_and_reason(demo_session)
    assert {(year, reason): n for year, counts in found.items() for reason, n in counts.items()} == dict(expected)


@on_every_backend
def test_exit_day_retired_and_meeting_rooms(session):
    """The edges, on a hand-made history: exit day, retirement day, meeting rooms."""
    facility, offices, zone = facility_with_rooms(session, offices=3, zone_seats=6)
    facilities.create_room(
        session=session, facility_id=facility.id, floor=2, code="회의실", kind=RoomKind.MEETING_ROOM, seats=10
    )
    company = resident(session, facility, move_in_on=date(2024, 1, 2))
    allocations.allocate_room(session=session, company_id=company.id, room_id=offices[0].id, start_on=date(2024, 1, 2))
    allocations.allocate_room(
        session=session,
        company_id=company.id,
        room_id=zone.id,
        start_on=date(2024, 1, 2),
        seats=2,
        override_reason="좌석 추가",
    )
    facilities.deactivate_room(session=session, room_id=offices[2].id, on=date(2024, 3, 1))
    exits.record_exit(
        session=session, company_id=company.id, exit_on=date(2024, 6, 1), reason=ExitReason.GRADUATED.value
    )

    def figures(on):
        (result,) = occupancy.occupancy(session, on=on)
        return (
            result.residents,
            result.total.rooms_occupied,
            result.total.rooms_total,
            result.total.seats_used,
            result.total.seats_total,
        )

    assert figures(date(2024, 1, 1)) == (0, 0, 3, 0, 6)
    assert figures(date(2024, 1, 2)) == (1, 1, 3, 2, 6)
    assert figures(date(2024, 3, 1)) == (1, 1, 2, 2, 6)  # the retired office no longer counts
    assert figures(date(2024, 5, 31)) == (1, 1, 2, 2, 6)
    assert figures(date(2024, 6, 1)) == (0, 0, 2, 0, 6)  # the exit day is the first day gone


def test_month_ends():
    assert occupancy.month_ends(date(2024, 3, 15), 4) == [
        date(2023, 12, 31),
        date(2024, 1, 31),
        date(2024, 2, 29),
        date(2024, 3, 31),
    ]


def _row_by_row(session, on) -> dict[int, tuple]:
    """Each facility's residents, employees and tallies on `on`, counted one room and one resident at a time."""
    figures: dict[int, tuple] = {}
    for state in occupancy.room_states(session, on=on):
        _, _, total, floors = figures.setdefault(state.room.facility_id, (0, 0, occupancy.Tally(), {}))
        total.add(state)
        floors.setdefault(state.room.floor, occupancy.Tally()).add(state)
    for row in occupancy.residents_on(session, on=on):
        residents, employees, total, floors = figures.setdefault(
            row.residency.facility_id, (0, 0, occupancy.Tally(), {})
        )
        figures[row.residency.facility_id] = (residents + 1, employees + (row.employees or 0), total, floors)
    return figures


def _plain(tally: occupancy.Tally) -> tuple:
    return (
        tally.rooms_total,
        tally.rooms_occupied,
        tally.seats_total,
        tally.seats_used,
        round(tally.area_total, 6),
        round(tally.area_occupied, 6),
    )


@on_every_backend
def test_the_set_based_trend_equals_a_row_by_row_count_and_occupancy_on_each_day(demo_session):
    days = [*occupancy.month_ends(DEMO_TODAY, 24), date(2019, 1, 1)]
    trend = occupancy.occupancy_on_days(demo_session, days=days)
    assert list(trend) == days
    for day, figures in trend.items():
        counted = _row_by_row(demo_session, day)
        assert {
            f.facility.id: (
                f.residents,
                f.employees,
                _plain(f.total),
                {floor: _plain(t) for floor, t in f.floors.items()},
            )
            for f in figures
            if f.facility.id in counted
        } == {
            fid: (residents, employees, _plain(total), {floor: _plain(t) for floor, t in sorted(floors.items())})
            for fid, (residents, employees, total, floors) in counted.items()
        }, day
        assert [_plain(f.total) for f in figures] == [
            _plain(f.total) for f in occupancy.occupancy(demo_session, on=day)
        ]
    assert sum(0 < f.total.rooms_occupied < f.total.rooms_total for figures in trend.values() for f in figures) > 20
    one = next(iter(facility_ids(demo_session).values()))
    alone = occupancy.occupancy_on_days(demo_session, days=days, facility_id=one, employees=False)
    assert {day: [(f.residents, _plain(f.total)) for f in figures] for day, figures in alone.items()} == {
        day: [(f.residents, _plain(f.total)) for f in figures if f.facility.id == one] for day, figures in trend.items()
    }


@on_every_backend
def test_year_end_residents_in_one_query_match_each_day_counted_alone(demo_session):
    years = list(range(2018, 2027))
    assert occupancy.year_end_residents(demo_session, years=years) == {
        year: occupancy.resident_count(demo_session, on=date(year, 12, 31)) for year in years
    }
