"""The figures of the data layer, without Qt: occupancy on a day against a hand-written SQL count,
the monthly report object of a 1,000-resident facility, and that report as PDF and Excel."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from camp_manager.reporting.build import build_report
from camp_manager.reporting.monthly import ReportMonth
from camp_manager.services import occupancy
from tools.benchmarks import Figure, milliseconds, repeat

# Offices in use, offices occupied and residents of each facility on a day: the numbers `occupancy()`
# gives, as the database can count them by its indexes alone.
OCCUPANCY_COUNT = """
SELECT f.id,
  (SELECT COUNT(*) FROM room r WHERE r.facility_id = f.id AND r.kind = 'private_office'
     AND (r.retired_on IS NULL OR r.retired_on > :on)),
  (SELECT COUNT(DISTINCT a.room_id) FROM allocation a JOIN room r ON r.id = a.room_id
     WHERE r.facility_id = f.id AND r.kind = 'private_office' AND (r.retired_on IS NULL OR r.retired_on > :on)
     AND a.start_on <= :on AND (a.end_on IS NULL OR a.end_on > :on)),
  (SELECT COUNT(DISTINCT res.company_id) FROM residency res
     WHERE res.facility_id = f.id AND res.move_in <= :on AND (res.ended_on IS NULL OR res.ended_on > :on))
FROM facility f ORDER BY f.id
"""


def _sql_count(engine: Engine, on: date) -> list[tuple]:
    with engine.connect() as connection:
        statement = sa.text(OCCUPANCY_COUNT).bindparams(sa.bindparam("on", type_=sa.Date))
        return [tuple(row) for row in connection.execute(statement, {"on": on})]


def _occupancy(engine: Engine, on: date) -> list[tuple]:
    with Session(engine) as session:
        figures = occupancy.occupancy(session, on=on)
        return [(f.facility.id, f.total.rooms_total, f.total.rooms_occupied, f.residents) for f in figures]


def measure_occupancy(engine: Engine, *, on: date, runs: int) -> Figure:
    if _occupancy(engine, on) != _sql_count(engine, on):
        raise SystemExit("occupancy() and the SQL count disagree: the benchmark compares different figures")
    return Figure(
        name="`occupancy()` all facilities",
        values=repeat(lambda: milliseconds(lambda: _occupancy(engine, on)), runs),
        baseline=repeat(lambda: milliseconds(lambda: _sql_count(engine, on)), runs),
        baseline_name="indexed SQL count",
        limit=20,
        ratio_limit=3,
    )


def measure_report(engine: Engine, *, month: ReportMonth, facility_id: int, runs: int, folder: Path) -> list[Figure]:
    """The report object (target ≤ 0.3 s), then the same report as PDF (≤ 1.5 s) and as Excel (≤ 1.0 s)."""
    from camp_manager.reporting.pdf import render_pdf
    from camp_manager.reporting.xlsx import render_xlsx

    made = []

    def build() -> float:
        with Session(engine) as session:
            seconds = milliseconds(lambda: made.append(build_report(session, month=month, facility_id=facility_id)))
        return seconds / 1000

    builds = repeat(build, runs)
    report = made[-1]
    residents = f"{len(report.roster):,} residents"
    return [
        Figure(name=f"monthly report object, {residents}", values=builds, unit="s", limit=0.3),
        Figure(
            name=f"monthly report PDF, {residents}",
            unit="s",
            limit=1.5,
            values=repeat(lambda: milliseconds(lambda: render_pdf(report, folder / "report.pdf")) / 1000, runs),
        ),
        Figure(
            name=f"monthly report Excel, {residents}",
            unit="s",
            limit=1.0,
            values=repeat(lambda: milliseconds(lambda: render_xlsx(report, folder / "report.xlsx")) / 1000, runs),
        ),
    ]
