"""User text that looks like a formula reaches every workbook as the text that was typed."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from camp_manager.reporting.build import build_report
from camp_manager.reporting.exports import export_residents
from camp_manager.reporting.monthly import ReportMonth
from camp_manager.reporting.workbook import HEADER_ROW
from camp_manager.reporting.xlsx import render_xlsx
from camp_manager.services import allocations, companies
from camp_manager.spreadsheets import EXCEL_CELL_LIMIT, set_text, set_value
from tests.factories import facility_with_rooms, resident

HOSTILE = ['=HYPERLINK("http://x","y")', "+82-10-1234", "-1+1", "@SUM(A1:A9)", "=1+1", "\t=1+1", "\r=1+1"]


def _cells_holding(path, text: str) -> list:
    workbook = load_workbook(path)
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row if cell.value == text]


@pytest.mark.parametrize("text", HOSTILE)
def test_set_text_writes_a_quoted_string_never_a_formula(tmp_path, text):
    workbook = Workbook()
    set_text(workbook.active["A1"], text)
    set_value(workbook.active["A2"], text)
    workbook.save(tmp_path / "t.xlsx")
    for cell in (load_workbook(tmp_path / "t.xlsx").active[ref] for ref in ("A1", "A2")):
        # XML reads a carriage return back as a line feed; the cell is still text, not a formula.
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text.replace("\r", "\n"), "s", True)


def test_plain_text_and_numbers_are_left_alone(tmp_path):
    workbook = Workbook()
    set_value(workbook.active["A1"], "딥러닝랩스")
    set_value(workbook.active["A2"], 12, "#,##0")
    set_value(workbook.active["A3"], date(2026, 10, 31), "yyyy-mm-dd")
    workbook.save(tmp_path / "t.xlsx")
    sheet = load_workbook(tmp_path / "t.xlsx").active
    assert (sheet["A1"].value, sheet["A1"].quotePrefix) == ("딥러닝랩스", False)
    assert (sheet["A2"].value, sheet["A2"].data_type) == (12, "n")
    assert sheet["A3"].value.date() == date(2026, 10, 31) and sheet["A3"].data_type == "d"


def test_text_longer_than_excel_allows_is_cut_to_fit(tmp_path):
    workbook = Workbook()
    set_text(workbook.active["A1"], "=" + "가" * EXCEL_CELL_LIMIT)
    workbook.save(tmp_path / "t.xlsx")
    cell = load_workbook(tmp_path / "t.xlsx").active["A1"]
    assert len(cell.value) == EXCEL_CELL_LIMIT and cell.quotePrefix


@pytest.fixture
def hostile_resident(session):
    facility, rooms, _ = facility_with_rooms(session)
    company = resident(session, facility, name='=HYPERLINK("http://x","y")', move_in_on=date(2026, 10, 5))
    companies.edit_company(
        session=session,
        company_id=company.id,
        data=companies.CompanyInput(
            name=company.name,
            biz_reg_no=company.biz_reg_no,
            representative="@김대표",
            phone="+82-62-000-0000",
        ),
    )
    allocations.allocate_room(session=session, company_id=company.id, room_id=rooms[0].id, start_on=date(2026, 10, 5))
    session.commit()
    return facility


def test_monthly_workbook_keeps_a_formula_like_company_name_as_text(session, hostile_resident, tmp_path):
    report = build_report(session, month=ReportMonth(2026, 10), facility_id=hostile_resident.id)
    path = render_xlsx(report, tmp_path / "report.xlsx")
    cells = _cells_holding(path, '=HYPERLINK("http://x","y")')
    assert len(cells) >= 2, "the roster and the movements list it"
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells)
    roster = load_workbook(path)["입주기업"]
    assert roster.cell(HEADER_ROW + 1, 2).value == '=HYPERLINK("http://x","y")'
    assert [c.value for c in _cells_holding(path, "@김대표")] == ["@김대표"]


def test_resident_export_keeps_formula_like_text_as_text(session, hostile_resident, tmp_path):
    path = export_residents(session, tmp_path / "residents.xlsx", on=date(2026, 10, 31))
    for text in ('=HYPERLINK("http://x","y")', "@김대표", "+82-62-000-0000"):
        cells = _cells_holding(path, text)
        assert cells and all(cell.data_type == "s" and cell.quotePrefix for cell in cells), text
