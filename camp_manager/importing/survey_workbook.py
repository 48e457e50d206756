"""The blank performance survey workbook (경영성과 조사표) sent to the resident companies.

One sheet row per company resident in the year (its business number and name greyed, its known
sales, exports and year-end headcounts filled in, `survey.survey_rows`) and a sheet per kind of
dated record (investment, IP, certifications, government projects) with a list of the Korean
labels for the kind. Apart from `survey`, which reads a returned one: openpyxl loads when a
survey is written, not with the import page.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from camp_manager.files import atomic_write
from camp_manager.i18n import tr
from camp_manager.importing.mapping import SURVEY_KINDS, ListKind
from camp_manager.importing.survey import KINDS_OF_SHEET, SurveyRow, headers, sheet_title
from camp_manager.labels import label
from camp_manager.spreadsheets import cell_at, set_value

BLANK_ROWS = 200  # rows of each record sheet open for the companies to fill
GREY = PatternFill("solid", fgColor="D9D9D9")
HEADER_FONT = Font(bold=True)


def _kind_labels(kind: ListKind) -> list[str]:
    return [label(member) for member in KINDS_OF_SHEET[kind]]


def _header_row(worksheet: Worksheet, kind: ListKind) -> None:
    for column, (_, text) in enumerate(headers(kind), start=1):
        cell = cell_at(worksheet, 1, column)
        set_value(cell, text)
        cell.font = HEADER_FONT
        worksheet.column_dimensions[cell.column_letter].width = 18
    worksheet.freeze_panes = "C2"


def build_survey(rows: list[SurveyRow], *, year: int) -> Workbook:
    workbook = Workbook()
    guide = workbook.worksheets[0]
    assert isinstance(guide, Worksheet), "a new workbook starts with one ordinary sheet"
    guide.title = tr("안내")
    lines = [
        tr("{year}년 경영성과 조사표", year=year),
        "",
        tr(
            "1. '{sheet}' 시트: 회색 칸(사업자등록번호, 기업명)은 고치지 마세요.",
            sheet=sheet_title(ListKind.SURVEY_SALES),
        ),
        tr(
            "2. {year}년 매출액과 그중 수출액을 원 단위로 적으세요. 이미 아는 값은 채워 두었습니다. 틀리면 고치세요.",
            year=year,
        ),
        tr("3. 상시 고용인원과 전체 인원(임원·비상시 인원 포함)은 {year}년 12월 31일 기준입니다.", year=year),
        tr(
            "4. 투자유치, 지식재산권, 인증, 정부지원사업 시트에는 {year}년에 있었던 일을 한 행에 하나씩 적으세요.",
            year=year,
        ),
        tr(
            "5. 사업자등록번호는 '{sheet}' 시트의 번호에서 고르고, 종류는 목록에서 고르세요. 날짜는 2025-03-02처럼 적으세요.",
            sheet=sheet_title(ListKind.SURVEY_SALES),
        ),
        tr("6. 시트 이름과 열 제목은 바꾸지 마세요."),
    ]
    for number, line in enumerate(lines, start=1):
        set_value(cell_at(guide, number, 1), line)
    guide["A1"].font = Font(bold=True, size=14)
    guide.column_dimensions["A"].width = 110
    sales = workbook.create_sheet(sheet_title(ListKind.SURVEY_SALES))
    _header_row(sales, ListKind.SURVEY_SALES)
    for number, row in enumerate(rows, start=2):
        values = (row.biz_reg_no, row.name, year, row.sales_krw, row.exports_krw, row.employees, row.total_employees)
        for column, value in enumerate(values, start=1):
            cell = cell_at(sales, number, column)
            set_value(cell, value, "#,##0" if column in (4, 5) else None)
            if column <= 2:
                cell.fill = GREY
    companies = f"'{sales.title}'!$A$2:$A${max(len(rows), 1) + 1}"
    for kind in SURVEY_KINDS[1:]:
        worksheet = workbook.create_sheet(sheet_title(kind))
        _header_row(worksheet, kind)
        last = BLANK_ROWS + 1
        numbers = DataValidation(type="list", formula1=f"={companies}", allow_blank=True)
        numbers.add(f"A2:A{last}")
        worksheet.add_data_validation(numbers)
        if kind in KINDS_OF_SHEET:
            kinds = DataValidation(
                type="list", formula1='"' + ",".join(_kind_labels(kind)) + '"', allow_blank=True, showErrorMessage=True
            )
            kinds.error = tr("목록에서 고르세요.")
            kinds.add(f"D2:D{last}")
            worksheet.add_data_validation(kinds)
        for column, (key, _) in enumerate(headers(kind), start=1):
            if key in ("dated_on", "valid_until"):
                for number in range(2, last + 1):
                    cell_at(worksheet, number, column).number_format = "yyyy-mm-dd"
    return workbook


def save_survey(rows: list[SurveyRow], *, year: int, path: str | Path) -> Path:
    path = Path(path)
    workbook = build_survey(rows, year=year)
    with atomic_write(path) as temporary:
        workbook.save(temporary)
    return path
