"""`camp-manager export residents|mentoring|exits`: the lists with their filters, as workbooks."""

from __future__ import annotations

from datetime import datetime

from openpyxl import load_workbook
from sqlalchemy import text
from sqlmodel import Session

from camp_manager.cli import main
from camp_manager.reporting.exports import export_table
from camp_manager.reporting.workbook import HEADER_ROW, CellKind, SheetColumn
from camp_manager.services import demo


def _table(path) -> tuple[list[str], list[list]]:
    sheet = load_workbook(path).active
    header = [cell.value for cell in sheet[HEADER_ROW]]
    rows = [list(row) for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True) if row[0] is not None]
    assert sheet.auto_filter.ref and sheet.freeze_panes == f"B{HEADER_ROW + 1}"
    return header, rows


def _count(engine, sql: str, **params) -> int:
    with Session(engine) as session:
        return session.connection().execute(text(sql), params).scalar()


def test_export_residents_of_a_facility_on_a_date(demo_db_path, demo_engine, tmp_path, capsys):
    out = tmp_path / "residents.xlsx"
    assert (
        main(
            [
                "--db",
                str(demo_db_path),
                "export",
                "residents",
                "--as-of",
                "2025-12-31",
                "--facility",
                demo.CAMP,
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.strip() == str(out)
    header, rows = _table(out)
    expected = _count(
        demo_engine,
        "SELECT COUNT(*) FROM residency r JOIN facility f ON f.id = r.facility_id WHERE f.name = :name AND r.move_in <= :day AND (r.ended_on IS NULL OR r.ended_on > :day)",
        name=demo.CAMP,
        day="2025-12-31",
    )
    assert len(rows) == expected == demo.YEAR_END_TARGETS[demo.CAMP][2025]
    assert {row[header.index("시설")] for row in rows} == {demo.CAMP}
    assert all(isinstance(row[header.index("입주일")], datetime) for row in rows)


def test_export_mentoring_between_dates_with_a_status(demo_db_path, demo_engine, tmp_path):
    out = tmp_path / "mentoring.xlsx"
    assert (
        main(
            [
                "--db",
                str(demo_db_path),
                "export",
                "mentoring",
                "--from",
                "2026-09-01",
                "--to",
                "2026-09-30",
                "--status",
                "held",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    header, rows = _table(out)
    expected = _count(
        demo_engine,
        "SELECT COUNT(*) FROM mentoringsession WHERE status = 'held' AND held_on BETWEEN :start AND :end",
        start="2026-09-01",
        end="2026-09-30",
    )
    assert len(rows) == expected > 0
    assert sum(row[header.index("시간(분)")] for row in rows) == _count(
        demo_engine,
        "SELECT SUM(minutes) FROM mentoringsession WHERE status = 'held' AND held_on BETWEEN :start AND :end",
        start="2026-09-01",
        end="2026-09-30",
    )
    assert all(datetime(2026, 9, 1) <= row[0] <= datetime(2026, 9, 30) for row in rows)


def test_export_exits_of_a_year_and_reason(demo_db_path, demo_engine, tmp_path):
    out = tmp_path / "exits.xlsx"
    assert (
        main(
            [
                "--db",
                str(demo_db_path),
                "export",
                "exits",
                "--as-of",
                "2024-12-31",
                "--reason",
                "lack_of_space",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    header, rows = _table(out)
    expected = _count(
        demo_engine,
        "SELECT COUNT(*) FROM \"exit\" WHERE reason = 'lack_of_space' AND exit_on BETWEEN '2024-01-01' AND '2024-12-31'",
    )
    assert len(rows) == expected
    assert {row[header.index("사유")] for row in rows} <= {"공간 부족"}


def test_a_screen_can_export_exactly_what_it_shows(tmp_path):
    columns = [SheetColumn("기업명"), SheetColumn("고용인원", CellKind.INTEGER), SheetColumn("입주일", CellKind.DATE)]
    path = export_table(
        tmp_path / "shown.xlsx",
        sheet_title="입주기업",
        heading="입주기업",
        subheading="필터: 빅데이터",
        columns=columns,
        rows=[["가온랩스", 3, datetime(2026, 1, 2)], ["=나래", None, None]],
    )
    header, rows = _table(path)
    assert header == ["기업명", "고용인원", "입주일"]
    assert rows == [["가온랩스", 3, datetime(2026, 1, 2)], ["=나래", None, None]]
