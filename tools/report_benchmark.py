"""How long the monthly report takes for a facility with 1,000 residents.

    python -m tools.report_benchmark [--residents 1000] [--runs 3]

Fills a temporary SQLite database by bulk inserts (a realistic history: move-ins over four
years, room changes, exits with reasons, headcounts, mentoring, open requests), then
times building the report object and rendering it as PDF (target ≤ 1.5 s) and as Excel
(target ≤ 1.0 s). Prints the numbers; it asserts nothing.
"""

from __future__ import annotations

import argparse
import heapq
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlmodel import Session

from camp_manager.db.engine import make_engine
from camp_manager.db.migrate import upgrade
from camp_manager.db.models import (
    Allocation,
    BusinessField,
    Company,
    Exit,
    ExitReason,
    Facility,
    HeadcountRecord,
    Mentor,
    MentorField,
    MentoringSession,
    RequestKind,
    Residency,
    Room,
    RoomKind,
    RoomRequest,
    SessionStatus,
)
from camp_manager.reporting.build import build_report
from camp_manager.reporting.monthly import ReportMonth
from camp_manager.reporting.pdf import render_pdf
from camp_manager.reporting.xlsx import render_xlsx
from camp_manager.services.bizno import check_digit

PDF_TARGET_S = 1.5
XLSX_TARGET_S = 1.0
MONTH = ReportMonth(2026, 10)
OFFICES_PER_FLOOR = 50


def _bizno(serial: int) -> str:
    head = f"{100_000_000 + serial:09d}"
    return head + str(check_digit(head))


@dataclass
class _Hold:
    """A company's stay in one office, before the office is chosen."""

    company: Company
    start_on: date
    end_on: date | None
    moved_from: _Hold | None = None  # the hold a room change ends: the new office is another one
    room: int = -1  # the office's place in the list of offices


def _assign_offices(holds: list[_Hold], offices: int, rng: random.Random) -> int:
    """Give each hold an office that is free from its first day, in order of the days; the number of
    offices used (more than `offices` when that many are held at once). A private office holds one
    company at a time: an office goes back to the pool on the day its hold ends, not before."""
    free = [(date.min, rng.random(), room) for room in range(offices)]  # (free from, a random order, office)
    heapq.heapify(free)
    used = offices
    for hold in sorted(holds, key=lambda h: h.start_on):
        set_aside = []
        if free and hold.moved_from is not None and free[0][2] == hold.moved_from.room:
            set_aside.append(heapq.heappop(free))  # a room change moves to another office
        if free and free[0][0] <= hold.start_on:
            hold.room = heapq.heappop(free)[2]
        else:
            hold.room, used = used, used + 1
        for item in set_aside:
            heapq.heappush(free, item)
        heapq.heappush(free, (hold.end_on or date.max, rng.random(), hold.room))
    return used


def _office(facility_id: int, n: int) -> Room:
    floor = 2 + n // OFFICES_PER_FLOOR
    return Room(facility_id=facility_id, floor=floor, code=f"{floor}{n % OFFICES_PER_FLOOR + 1:02d}", kind=RoomKind.PRIVATE_OFFICE.value, seats=4, area_m2=22.0)


def fill(session: Session, residents: int, seed: int = 7) -> int:
    """One facility whose residents on the report's snapshot date number `residents`; the data obeys
    every rule of the app (`camp_manager.services.integrity`)."""
    rng = random.Random(seed)
    snapshot = MONTH.last_day
    facility = Facility(name="벤치마크캠프", max_rooms_per_company=2)
    session.add(facility)
    session.flush()
    leavers = residents // 5
    mentors = [Mentor(name=f"멘토{n:03d}", field=rng.choice(list(MentorField)).value, affiliation="벤치마크") for n in range(90)]
    session.add_all(mentors)
    companies = [
        Company(name=f"{rng.choice(['딥', '뉴로', '스마트', '그린', '퀀텀'])}{rng.choice(['랩스', '테크', '소프트'])} {n:04d}", biz_reg_no=_bizno(n),
                representative=f"대표{n:04d}", field=rng.choice(list(BusinessField)).value)
        for n in range(residents + leavers)
    ]
    session.add_all(companies)
    session.flush()
    rows: list = []
    stays: list[tuple[Company, Residency]] = []
    for index, company in enumerate(companies):
        leaves = index >= residents
        move_in = snapshot - timedelta(days=rng.randint(10, 4 * 365))
        if not leaves and index % 40 == 0:
            move_in = MONTH.first_day + timedelta(days=rng.randint(0, 29))  # move-ins of the month
        stay = Residency(company_id=company.id, facility_id=facility.id, move_in=move_in, contract_end=move_in + timedelta(days=2 * 365 - 1))
        stays.append((company, stay))
        rows.append(stay)
    session.add_all(rows)
    session.flush()
    rows = []
    holds: list[_Hold] = []
    for index, (company, stay) in enumerate(stays):
        leaves = index >= residents
        exit_on = min(snapshot, stay.move_in + timedelta(days=rng.randint(30, 700))) if leaves else None
        if exit_on is not None:
            stay.ended_on = exit_on
            rows.append(Exit(company_id=company.id, residency_id=stay.id, exit_on=exit_on, reason=rng.choice(list(ExitReason)).value, destination="서울특별시"))
        if not leaves and index % 25 == 0 and stay.move_in < MONTH.first_day:
            # A room change within the month: the old allocation ends the day the new one starts.
            moved_on = MONTH.first_day + timedelta(days=rng.randint(0, 29))
            before = _Hold(company, stay.move_in, moved_on)
            holds += [before, _Hold(company, moved_on, None, moved_from=before)]
        else:
            holds.append(_Hold(company, stay.move_in, exit_on))
        employees = rng.choice([1, 2, 3, 3, 4, 5, 6, 8])
        rows.append(HeadcountRecord(company_id=company.id, as_of=stay.move_in, employees=employees))
        if not leaves and rng.random() < 0.5:
            rows.append(HeadcountRecord(company_id=company.id, as_of=max(stay.move_in + timedelta(days=1), snapshot - timedelta(days=rng.randint(1, 200))), employees=employees + rng.choice([-1, 1, 2])))
        if not leaves and index % 30 == 0:
            requested_on = max(stay.move_in, snapshot - timedelta(days=rng.randint(5, 120)))  # an expansion asks during the stay
            rows.append(RoomRequest(company_id=company.id, facility_id=facility.id, kind=RequestKind.EXPANSION.value, requested_on=requested_on, note="직원 증가로 추가 사무실 필요"))
    planned_offices = -(-(residents + leavers // 4 + 40) // OFFICES_PER_FLOOR) * OFFICES_PER_FLOOR
    offices = [_office(facility.id, n) for n in range(_assign_offices(holds, planned_offices, rng))]
    session.add_all([*offices, Room(facility_id=facility.id, floor=1, code="1F-라운지", kind=RoomKind.SHARED_ZONE.value, seats=60, area_m2=200.0)])
    session.flush()
    rows += [
        Allocation(company_id=h.company.id, room_id=offices[h.room].id, room_kind=RoomKind.PRIVATE_OFFICE.value, start_on=h.start_on, end_on=h.end_on, seats=4)
        for h in holds
    ]
    resident_ids = [company.id for company, stay in stays[:residents]]
    month_start = MONTH.first_day
    for _ in range(400):
        company_id = rng.choice(resident_ids)
        stay = stays[resident_ids.index(company_id)][1]
        held_on = max(stay.move_in, month_start) + timedelta(days=rng.randint(0, max(0, (snapshot - max(stay.move_in, month_start)).days)))
        rows.append(MentoringSession(mentor_id=rng.choice(mentors).id, company_id=company_id, held_on=held_on, minutes=rng.choice([60, 90, 120]), topic="투자 유치 전략", status=SessionStatus.HELD.value))
    for _ in range(30):
        outsider = Company(name=f"대기기업 {len(rows)}", biz_reg_no=_bizno(900_000 + len(rows)))
        session.add(outsider)
        session.flush()
        rows.append(RoomRequest(company_id=outsider.id, facility_id=facility.id, kind=RequestKind.WAITLIST.value, requested_on=snapshot - timedelta(days=rng.randint(1, 90))))
    session.add_all(rows)
    session.commit()
    return facility.id


def _timed(job) -> tuple[float, object]:
    started = time.perf_counter()
    result = job()
    return time.perf_counter() - started, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'benchmark.sqlite3'}")
        upgrade(engine)
        with Session(engine, expire_on_commit=False) as session:
            fill_s, facility_id = _timed(lambda: fill(session, args.residents))
        timings: dict[str, list[float]] = {"build": [], "pdf": [], "xlsx": []}
        for run in range(args.runs):
            with Session(engine) as session:
                seconds, report = _timed(lambda: build_report(session, month=MONTH, facility_id=facility_id))
                timings["build"].append(seconds)
            # The lambdas run at once, inside this iteration (B023 warns of later calls).
            timings["pdf"].append(_timed(lambda: render_pdf(report, Path(folder) / f"report{run}.pdf"))[0])  # noqa: B023
            timings["xlsx"].append(_timed(lambda: render_xlsx(report, Path(folder) / f"report{run}.xlsx"))[0])  # noqa: B023
        engine.dispose()
    print(f"facility with {len(report.roster):,} residents on {report.as_of} "
          f"({len(report.movements)} movements, {report.mentoring.sessions} mentoring sessions, "
          f"{len(report.watch.over_capacity) + len(report.watch.contracts_ending) + len(report.watch.waiting_requests)} watch-list rows); "
          f"database filled in {fill_s:.2f} s")
    for name, target in (("build", None), ("pdf", PDF_TARGET_S), ("xlsx", XLSX_TARGET_S)):
        values = timings[name]
        verdict = "" if target is None else f"  target ≤ {target:.1f} s: {'met' if statistics.median(values) <= target else 'MISSED'}"
        print(f"{name:5s} median {statistics.median(values):.3f} s  (runs: {', '.join(f'{v:.3f}' for v in values)}){verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
