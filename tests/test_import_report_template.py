"""The error report (a copy of the file with the cells to fix highlighted and a message column)
and the import template (committed file = what the code builds; it imports as it is)."""

from __future__ import annotations

from datetime import date

import openpyxl

from camp_manager.i18n import language_scope, set_language
from camp_manager.importing.errors_report import ERROR_FILL, WARNING_FILL, write_error_report
from camp_manager.importing.mapping import ListKind, MappingStore, choose_sheet, map_columns
from camp_manager.importing.normalize import clean_rows
from camp_manager.importing.plan import ImportOptions
from camp_manager.importing.read import open_file
from camp_manager.importing.template import TEMPLATE_FILE, build_template, save_template
from camp_manager.importing.verdicts import check
from camp_manager.resources import resource_path
from tests.factories import facility_with_rooms
from tests.importing_files import bizno, csv_file, titled_resident_list


def _fill(cell) -> str:
    return cell.fill.start_color.rgb[-6:] if cell.fill and cell.fill.fill_type else ""


def _plan(session, path, tmp_path):
    source = open_file(path)
    sheet, mapping = choose_sheet(source, store=MappingStore(path=tmp_path / "m.json"))
    return check(
        session=session, source=source, sheet=sheet, mapping=mapping, options=ImportOptions(as_of=date(2025, 6, 30))
    ), sheet


def test_error_report_marks_cells_and_explains_each_row(session, tmp_path):
    facility_with_rooms(session, name="AI 창업캠프")
    path = titled_resident_list(
        tmp_path / "office.xlsx",
        [
            [1, "딥러닝랩스", "김대표", bizno(1), date(2024, 3, 2), "301", 5, "빅데이터", "광주"],
            [2, "", "이대표", "123-45-67890", "2024-02-30", "999", "x", "드론", ""],
            ["합계", "", "", "", "", "", "5", "", ""],
        ],
    )
    plan, sheet = _plan(session, path, tmp_path)
    report = write_error_report(plan, sheet, tmp_path / "errors.xlsx")
    worksheet = openpyxl.load_workbook(report).active
    assert worksheet.title == "입주기업"
    assert worksheet["A1"].value == "2024년 AI 창업캠프 입주기업 현황"  # rows stay where they were
    assert worksheet["B5"].value == "딥러닝랩스" and worksheet["E5"].value.date() == date(2024, 3, 2)
    message_column = sheet.width + 1
    assert worksheet.cell(row=4, column=message_column).value == "확인할 내용"
    assert worksheet.cell(row=5, column=message_column).value is None
    message = worksheet.cell(row=6, column=message_column).value
    assert "[기업명]" in message and "[사업자등록번호]" in message and "[입주일]" in message and "주의:" in message
    red, yellow = ERROR_FILL.start_color.rgb[-6:], WARNING_FILL.start_color.rgb[-6:]
    assert [_fill(worksheet[c]) for c in ("B6", "D6", "E6", "G6", "H6", "F6", "B5")] == [
        red,
        red,
        red,
        red,
        yellow,
        "",
        "",
    ]
    assert worksheet.cell(row=7, column=message_column).value == "건너뜀: 합계 행"


def test_error_report_keeps_formula_like_text_as_text(session, tmp_path):
    facility_with_rooms(session, name="AI 창업캠프")
    path = csv_file(
        tmp_path / "list.csv",
        [["기업명", "사업자등록번호", "비고"], ['=HYPERLINK("http://evil","x")', "123", "+82 10"]],
    )
    plan, sheet = _plan(session, path, tmp_path)
    worksheet = openpyxl.load_workbook(write_error_report(plan, sheet, tmp_path / "errors.xlsx")).active
    for cell in (worksheet["A2"], worksheet["C2"]):
        assert cell.data_type == "s" and cell.quotePrefix
    assert worksheet["A2"].value == '=HYPERLINK("http://evil","x")'


def test_error_report_in_english(session, tmp_path):
    set_language("en")
    facility_with_rooms(session, name="AI 창업캠프")
    path = csv_file(tmp_path / "list.csv", [["Company", "Business No."], ["", "123"]])
    plan, sheet = _plan(session, path, tmp_path)
    worksheet = openpyxl.load_workbook(write_error_report(plan, sheet, tmp_path / "errors.xlsx")).active
    assert worksheet["C1"].value == "To check"
    assert "Company name: please enter a value." in worksheet["C2"].value


def _contents(workbook: openpyxl.Workbook) -> dict:
    return {
        sheet.title: {
            "values": [list(row) for row in sheet.iter_rows(values_only=True)],
            "validations": sorted((str(v.sqref), v.formula1, v.type) for v in sheet.data_validations.dataValidation),
            "frozen": sheet.freeze_panes,
            "bold": [cell.font.b for cell in sheet[1]],
        }
        for sheet in workbook.worksheets
    }


def test_committed_template_matches_what_the_code_builds(tmp_path):
    committed = openpyxl.load_workbook(resource_path("templates", TEMPLATE_FILE))
    with language_scope("ko"):
        built = build_template()
    built.save(tmp_path / "built.xlsx")
    assert _contents(committed) == _contents(openpyxl.load_workbook(tmp_path / "built.xlsx"))


def test_template_has_lists_to_pick_from_and_imports_as_it_is(tmp_path):
    path = save_template(tmp_path / "template.xlsx")
    contents = _contents(openpyxl.load_workbook(path))
    assert list(contents) == ["입주기업", "호실"]
    assert contents["입주기업"]["values"][0][:3] == ["기업명 *", "대표자", "사업자등록번호 *"]
    assert any("빅데이터" in formula for _, formula, _ in contents["입주기업"]["validations"])
    assert any("공유 좌석존" in formula for _, formula, _ in contents["호실"]["validations"])
    source = open_file(path)
    for name, kind in (("입주기업", ListKind.RESIDENTS), ("호실", ListKind.ROOMS)):
        sheet = source.read_sheet(name)
        mapping = map_columns(sheet, store=MappingStore(path=tmp_path / "m.json"))
        assert mapping.kind == kind and mapping.missing_required() == []
        rows, skipped = clean_rows(sheet, mapping)
        assert rows == [] and [s.reason for s in skipped] == ["예시 행"]


def test_english_template(tmp_path):
    set_language("en")
    path = save_template(tmp_path / "template.xlsx")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Residents", "Room"]
    assert [c.value for c in workbook.worksheets[0][1]][:3] == [
        "Company name *",
        "Representative",
        "Business reg. no. *",
    ]
    sheet, mapping = choose_sheet(open_file(path), store=MappingStore(path=tmp_path / "m.json"))
    assert mapping.kind == ListKind.RESIDENTS and len(mapping.mapped()) == 12
    assert clean_rows(sheet, mapping)[0] == []
