"""Every summary figure agrees: report object, PDF text, workbook cells and a recount in SQL.

The recount below is written straight against the tables (no use case, no query helper),
so a mistake in the as-of queries, the report builder or a renderer shows up as a
difference.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import text
from sqlmodel import Session, select

from camp_manager.db.models import Facility
from camp_manager.reporting.build import build_report, build_summary
from camp_manager.reporting.generate import generate_monthly_report
from camp_manager.reporting.monthly import FigureKind, ReportMonth
from camp_manager.reporting.workbook import HEADER_ROW
from camp_manager.services import demo

MONTHS = [ReportMonth(2026, 10), ReportMonth(2026, 6)]
SCOPES = [demo.CAMP, demo.IPLEX, None]

_ALIVE = "{start} <= :day AND ({end} IS NULL OR {end} > :day)"


def _scalar(session: Session, sql: str, facility_id: int | None, **params) -> int:
    if facility_id is None:
        sql = re.sub(r"\[[^\]]*\]", "", sql)
    else:
        sql = sql.replace("[", "").replace("]", "")
    values = {key: value.isoformat() if isinstance(value, date) else value for key, value in params.items()}
    return session.connection().execute(text(sql), {"facility": facility_id, **values}).scalar() or 0


def _employees(session: Session, day: date, facility_id: int | None) -> int:
    return _scalar(
        session,
        f"""
        SELECT SUM(h.employees) FROM headcountrecord h
        WHERE h.as_of = (SELECT MAX(h2.as_of) FROM headcountrecord h2 WHERE h2.company_id = h.company_id AND h2.as_of <= :day)
          AND h.company_id IN (SELECT r.company_id FROM residency r
                               WHERE {_ALIVE.format(start="r.move_in", end="r.ended_on")} [AND r.facility_id = :facility])
        """,
        facility_id,
        day=day,
    )


def recount(session: Session, month: ReportMonth, facility_id: int | None) -> dict[str, int | float]:
    """The summary figures, counted directly in SQL from their definitions in reports/README.md."""
    day, start, end = month.last_day, month.first_day, month.end
    room_alive = "(room.retired_on IS NULL OR room.retired_on > :day)"
    allocation_alive = _ALIVE.format(start="a.start_on", end="a.end_on")
    held_in = "s.status = 'held' AND s.held_on >= :start AND s.held_on < :end"
    held_by_resident = "[AND EXISTS (SELECT 1 FROM residency r WHERE r.company_id = s.company_id AND r.facility_id = :facility AND r.move_in <= s.held_on AND (r.ended_on IS NULL OR r.ended_on > s.held_on))]"
    open_request = (
        "requested_on <= :day AND (status = 'open' OR decided_on > :day) AND kind = :kind [AND facility_id = :facility]"
    )
    rooms_total = _scalar(
        session,
        f"SELECT COUNT(*) FROM room WHERE kind = 'private_office' AND {room_alive} [AND facility_id = :facility]",
        facility_id,
        day=day,
    )
    rooms_occupied = _scalar(
        session,
        f"""SELECT COUNT(DISTINCT room.id) FROM room JOIN allocation a ON a.room_id = room.id
            WHERE room.kind = 'private_office' AND {room_alive} AND {allocation_alive} [AND room.facility_id = :facility]""",
        facility_id,
        day=day,
    )
    minutes = _scalar(
        session,
        f"SELECT SUM(s.minutes) FROM mentoringsession s WHERE {held_in} {held_by_resident}",
        facility_id,
        start=start,
        end=end,
    )
    return {
        "residents": _scalar(
            session,
            f"SELECT COUNT(DISTINCT company_id) FROM residency WHERE {_ALIVE.format(start='move_in', end='ended_on')} [AND facility_id = :facility]",
            facility_id,
            day=day,
        ),
        "move_ins": _scalar(
            session,
            "SELECT COUNT(*) FROM residency WHERE move_in >= :start AND move_in < :end [AND facility_id = :facility]",
            facility_id,
            start=start,
            end=end,
        ),
        "exits": _scalar(
            session,
            'SELECT COUNT(*) FROM "exit" e JOIN residency r ON r.id = e.residency_id WHERE e.exit_on >= :start AND e.exit_on < :end [AND r.facility_id = :facility]',
            facility_id,
            start=start,
            end=end,
        ),
        "rooms_occupied": rooms_occupied,
        "rooms_total": rooms_total,
        "occupancy_rate": rooms_occupied / rooms_total,
        "seats_used": _scalar(
            session,
            f"""SELECT SUM(a.seats) FROM allocation a JOIN room ON room.id = a.room_id
                WHERE room.kind = 'shared_zone' AND {room_alive} AND {allocation_alive} [AND room.facility_id = :facility]""",
            facility_id,
            day=day,
        ),
        "seats_total": _scalar(
            session,
            f"SELECT SUM(seats) FROM room WHERE kind = 'shared_zone' AND {room_alive} [AND facility_id = :facility]",
            facility_id,
            day=day,
        ),
        "employees": _employees(session, day, facility_id),
        "employees_change": _employees(session, day, facility_id)
        - _employees(session, start - timedelta(days=1), facility_id),
        "mentoring_sessions": _scalar(
            session,
            f"SELECT COUNT(*) FROM mentoringsession s WHERE {held_in} {held_by_resident}",
            facility_id,
            start=start,
            end=end,
        ),
        "mentoring_hours": minutes / 60,
        "companies_reached": _scalar(
            session,
            f"SELECT COUNT(DISTINCT s.company_id) FROM mentoringsession s WHERE {held_in} {held_by_resident}",
            facility_id,
            start=start,
            end=end,
        ),
        "open_waitlist": _scalar(
            session, f"SELECT COUNT(*) FROM roomrequest WHERE {open_request}", facility_id, day=day, kind="waitlist"
        ),
        "open_expansion": _scalar(
            session, f"SELECT COUNT(*) FROM roomrequest WHERE {open_request}", facility_id, day=day, kind="expansion"
        ),
    }


def _facility_id(session: Session, name: str | None) -> int | None:
    return session.exec(select(Facility.id).where(Facility.name == name)).one() if name else None


def _pdf_figures(path, labels: list[str]) -> dict[str, str]:
    """Each summary label's value as printed on the first page (the summary table)."""
    first_page = " ".join(PdfReader(path).pages[0].extract_text().split())
    found = {}
    for label in labels:
        match = re.search(re.escape(label) + r" ([+-]?[\d,]+(?:\.\d+)?%?)", first_page)
        assert match, f"summary label {label!r} not found on the PDF's first page"
        found[label] = match.group(1)
    return found


def _workbook_figures(path, sheet_name: str) -> dict[str, object]:
    sheet = load_workbook(path)[sheet_name]
    figures = {}
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1, max_col=2):
        label, value = row
        if label.value is None:
            break
        figures[label.value] = (value.value, value.number_format)
    return figures


@pytest.mark.parametrize("month", MONTHS, ids=str)
@pytest.mark.parametrize("scope", SCOPES, ids=["camp", "iplex", "all"])
def test_every_summary_figure_agrees_across_object_pdf_workbook_and_sql(demo_engine, tmp_path, month, scope):
    with Session(demo_engine) as session:
        facility_id = _facility_id(session, scope)
        counted = recount(session, month, facility_id)
        report = build_report(session, month=month, facility_id=facility_id)
        pdf_path, xlsx_path = generate_monthly_report(session, month=month, facility_id=facility_id, out_dir=tmp_path)

    figures = report.summary.figures()
    assert [f.key for f in figures] == list(counted), "every summary figure is recounted"
    assert counted["residents"] > 0 and counted["rooms_total"] > 0, "the demo month has data to compare"
    printed = _pdf_figures(pdf_path, [f.label for f in figures])
    cells = _workbook_figures(xlsx_path, "요약")
    for figure in figures:
        assert figure.value == pytest.approx(counted[figure.key]), (
            f"{figure.key}: report {figure.value} != SQL {counted[figure.key]}"
        )
        assert printed[figure.label] == figure.text, (
            f"{figure.key}: PDF shows {printed[figure.label]}, report {figure.text}"
        )
        value, number_format = cells[figure.label]
        assert isinstance(value, (int, float)) and not isinstance(value, bool), (
            f"{figure.key} is a number in the workbook"
        )
        assert value == pytest.approx(figure.value), f"{figure.key}: workbook {value} != report {figure.value}"
        assert number_format == {
            FigureKind.PERCENT: "0.0%",
            FigureKind.HOURS: "#,##0.0",
            FigureKind.CHANGE: "+#,##0;-#,##0;0",
        }.get(figure.kind, "#,##0")


def test_the_dashboard_summary_is_the_report_summary(demo_session):
    month = ReportMonth(2026, 10)
    report = build_report(demo_session, month=month)
    assert build_summary(demo_session, month=month) == report.summary


def test_all_facilities_add_up_to_the_sum_of_each(demo_session):
    month = ReportMonth(2026, 10)
    each = [
        build_summary(demo_session, month=month, facility_id=_facility_id(demo_session, name))
        for name in (demo.CAMP, demo.IPLEX)
    ]
    together = build_summary(demo_session, month=month)
    for key in (
        "residents",
        "move_ins",
        "exits",
        "rooms_occupied",
        "rooms_total",
        "seats_used",
        "seats_total",
        "employees",
        "mentoring_sessions",
        "open_waitlist",
        "open_expansion",
    ):
        assert getattr(together, key) == sum(getattr(s, key) for s in each), key


def test_month_to_date_summary_counts_up_to_the_day(demo_session):
    """The Dashboard's mid-month figures: the same definitions, cut at the given day."""
    month = ReportMonth(2026, 10)
    day = date(2026, 10, 15)
    summary = build_summary(demo_session, month=month, on=day)
    counted = recount(demo_session, ReportMonth(2026, 10), None)
    assert summary.as_of == day
    assert summary.move_ins <= counted["move_ins"] and summary.exits <= counted["exits"]
    moved_in = _scalar(
        demo_session,
        "SELECT COUNT(*) FROM residency WHERE move_in >= :start AND move_in <= :day",
        None,
        start=month.first_day,
        day=day,
    )
    assert summary.move_ins == moved_in
