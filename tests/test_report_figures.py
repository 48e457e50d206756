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
from sqlmodel import Session, col, select

from camp_manager.db.models import Facility, Residency
from camp_manager.reporting.build import build_report, build_summary
from camp_manager.reporting.generate import generate_monthly_report
from camp_manager.reporting.monthly import FigureKind, ReportMonth, format_figure
from camp_manager.reporting.workbook import HEADER_ROW
from camp_manager.services import demo, residency

MONTHS = [ReportMonth(2026, 10), ReportMonth(2026, 6)]
SCOPES = [demo.CAMP, demo.IPLEX, None]

_ALIVE = "{start} <= :day AND ({end} IS NULL OR {end} > :day)"
# A re-entry: the company had another stay, anywhere, that ended on or before this move-in.
_RETURNING = "EXISTS (SELECT 1 FROM residency p WHERE p.company_id = r.company_id AND p.id <> r.id AND p.ended_on IS NOT NULL AND p.ended_on <= r.move_in)"


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
        "new_move_ins": _scalar(
            session,
            f"SELECT COUNT(*) FROM residency r WHERE r.move_in >= :start AND r.move_in < :end [AND r.facility_id = :facility] AND NOT {_RETURNING}",
            facility_id,
            start=start,
            end=end,
        ),
        "re_entries": _scalar(
            session,
            f"SELECT COUNT(*) FROM residency r WHERE r.move_in >= :start AND r.move_in < :end [AND r.facility_id = :facility] AND {_RETURNING}",
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


_NUMBER = r"([+-]?[\d,]+(?:\.\d+)?%?p?)"


def _pdf_text(path, pages: int = 1) -> str:
    reader = PdfReader(path)
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages[:pages])


def _pdf_rows(text: str, labels: list[str], values: int, *, after: str = "") -> dict[str, list[str]]:
    """Each label's row of `values` numbers, the first after `after` in `text`."""
    start = text.index(after) if after else 0
    found = {}
    for label in labels:
        match = re.compile(re.escape(label) + (" " + _NUMBER) * values).search(text, start)
        assert match, f"label {label!r} with {values} values not found in the PDF"
        found[label] = list(match.groups())
    return found


def _workbook_rows(sheet, header: str, values: int, *, nth: int = 0) -> dict[str, list[tuple[object, str]]]:
    """The `nth` table whose header row starts with `header`: label → (value, number format) of each column."""
    left = [c.column for c in sheet[HEADER_ROW] if c.value == header][nth]
    rows = {}
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1, min_col=left, max_col=left + values):
        if row[0].value is None:
            break
        rows[row[0].value] = [(cell.value, cell.number_format) for cell in row[1:]]
    return rows


def _re_enter(session: Session, month: ReportMonth) -> None:
    """A company that left before the month moves into the camp again in it (the demo has no re-entry)."""
    returning = session.exec(
        select(Residency.company_id)
        .where(col(Residency.ended_on) < month.first_day)
        .where(~col(Residency.company_id).in_(select(Residency.company_id).where(col(Residency.ended_on).is_(None))))
        .order_by(col(Residency.company_id))
    ).first()
    assert returning is not None, "the demo has a company that left"
    residency.move_in(
        session=session,
        company_id=returning,
        facility_id=_facility_id(session, demo.CAMP),
        move_in_on=month.first_day + timedelta(days=9),
    )
    session.flush()


_NUMBER_FORMATS = {
    FigureKind.PERCENT: "0.0%",
    FigureKind.HOURS: "#,##0.0",
    FigureKind.CHANGE: "+#,##0;-#,##0;0",
    FigureKind.POINTS: "+0.0%;-0.0%;0.0%",
}


def _assert_cell(cell: tuple[object, str], value: float, kind: FigureKind, what: str) -> None:
    shown, number_format = cell
    assert isinstance(shown, (int, float)) and not isinstance(shown, bool), f"{what} is a number in the workbook"
    assert shown == pytest.approx(value), f"{what}: workbook {shown} != {value}"
    assert number_format == _NUMBER_FORMATS.get(kind, "#,##0"), what


def _residents_by_field(session: Session, day: date, facility_id: int | None) -> dict[str, int]:
    sql = f"""SELECT c.field, COUNT(DISTINCT c.id) FROM company c JOIN residency r ON r.company_id = c.id
              WHERE {_ALIVE.format(start="r.move_in", end="r.ended_on")} [AND r.facility_id = :facility] GROUP BY c.field"""
    sql = re.sub(r"\[[^\]]*\]", "", sql) if facility_id is None else sql.replace("[", "").replace("]", "")
    rows = session.connection().execute(text(sql), {"facility": facility_id, "day": day.isoformat()})
    return dict(rows.all())


@pytest.mark.parametrize("month", MONTHS, ids=str)
@pytest.mark.parametrize("scope", SCOPES, ids=["camp", "iplex", "all"])
def test_every_summary_figure_agrees_across_object_pdf_workbook_and_sql(demo_engine, tmp_path, month, scope):
    with Session(demo_engine) as session:  # closed without a commit: the re-entry is not kept
        _re_enter(session, month)
        facility_id = _facility_id(session, scope)
        counted = recount(session, month, facility_id)
        each = [(name, recount(session, month, _facility_id(session, name))) for name in (demo.CAMP, demo.IPLEX)]
        previous = recount(session, month.previous(), facility_id)
        year_ago = recount(session, month.year_before(), facility_id)
        by_field = _residents_by_field(session, month.last_day, facility_id)
        report = build_report(session, month=month, facility_id=facility_id)
        pdf_path, xlsx_path = generate_monthly_report(session, month=month, facility_id=facility_id, out_dir=tmp_path)

    figures = report.summary.figures()
    assert [f.key for f in figures] == list(counted), "every summary figure is recounted"
    assert counted["residents"] > 0 and counted["rooms_total"] > 0, "the demo month has data to compare"
    assert counted["re_entries"] == (scope != demo.IPLEX), "the camp's re-entry counts apart from new move-ins"
    assert counted["new_move_ins"] + counted["re_entries"] == counted["move_ins"]
    # A report on all facilities has a column per facility beside the total; one facility's has the total alone.
    columns = [(report.summary, counted)]
    if scope is None:
        assert [s.facility_name for s in report.facility_summaries] == [name for name, _ in each]
        columns += [
            (summary, figures_of) for summary, (_, figures_of) in zip(report.facility_summaries, each, strict=True)
        ]
    else:
        assert report.facility_summaries == []
    first_page = _pdf_text(pdf_path)
    printed = _pdf_rows(first_page, [f.label for f in figures], len(columns))
    sheet = load_workbook(xlsx_path)["요약"]
    cells = _workbook_rows(sheet, "항목", len(columns))
    for column, (summary, expected) in enumerate(columns):
        for figure in summary.figures():
            what = f"{summary.facility_name} {figure.key}"
            assert figure.value == pytest.approx(expected[figure.key]), (
                f"{what}: report {figure.value} != SQL {expected[figure.key]}"
            )
            assert printed[figure.label][column] == figure.text, f"{what}: PDF {printed[figure.label][column]}"
            _assert_cell(cells[figure.label][column], figure.value, figure.kind, what)

    # The headline figures against the previous month and the same month a year before, each as of its month's end.
    assert [c.figure.key for c in report.changes] == ["residents", "occupancy_rate", "move_ins", "exits"]
    summary_pages = _pdf_text(pdf_path, pages=2)
    shown = _pdf_rows(summary_pages, [c.figure.label for c in report.changes], 5, after="전월·전년 동월 대비")
    changes = _workbook_rows(sheet, "항목", 5, nth=1)
    for change in report.changes:
        key, kind = change.figure.key, change.figure.kind
        assert change.previous_month == pytest.approx(previous[key]), f"{key} last month"
        assert change.last_year == pytest.approx(year_ago[key]), f"{key} a year before"
        assert change.month_change == pytest.approx(counted[key] - previous[key]), key
        assert change.year_change == pytest.approx(counted[key] - year_ago[key]), key
        values = [
            counted[key],
            previous[key],
            counted[key] - previous[key],
            year_ago[key],
            counted[key] - year_ago[key],
        ]
        kinds = [kind, kind, change.change_kind, kind, change.change_kind]
        assert shown[change.figure.label] == [format_figure(v, k) for v, k in zip(values, kinds, strict=True)], key
        for cell, value, cell_kind in zip(changes[change.figure.label], values, kinds, strict=True):
            _assert_cell(cell, value, cell_kind, f"{key} change")

    # Residents by field on the snapshot date.
    assert {r.code: r.count for r in report.residents_by_field} == by_field
    fields = _pdf_rows(summary_pages, [r.label for r in report.residents_by_field], 1, after="분야별 입주기업")
    field_cells = _workbook_rows(sheet, "분야", 1)
    for row in report.residents_by_field:
        assert fields[row.label] == [format_figure(row.count, FigureKind.COUNT)], row.code
        _assert_cell(field_cells[row.label][0], row.count, FigureKind.COUNT, row.code)


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
