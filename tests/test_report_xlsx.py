"""The monthly report as a workbook: sheets, typed cells, set-up, charts; LibreOffice opens it."""

from __future__ import annotations

import csv
import shutil
import subprocess
from datetime import datetime

import pytest
from openpyxl import load_workbook
from sqlmodel import Session

from camp_manager.i18n import language_scope
from camp_manager.reporting.build import build_report
from camp_manager.reporting.monthly import ReportMonth
from camp_manager.reporting.options import ReportOptions
from camp_manager.reporting.workbook import HEADER_ROW
from camp_manager.reporting.xlsx import render_xlsx

MONTH = ReportMonth(2026, 10)
KOREAN_SHEETS = ["요약", "입주기업", "호실", "입퇴거", "멘토링", "주의", "추이"]


@pytest.fixture
def report(demo_engine):
    with Session(demo_engine) as session:
        return build_report(session, month=MONTH)


@pytest.fixture
def workbook_path(report, tmp_path):
    return render_xlsx(report, tmp_path / "report.xlsx")


def _rows(sheet, first_column: int = 1, width: int | None = None) -> list[list]:
    """The body of the table whose header is on HEADER_ROW, down to its first empty row."""
    rows = []
    for row in sheet.iter_rows(
        min_row=HEADER_ROW + 1,
        min_col=first_column,
        max_col=first_column + (width or sheet.max_column) - 1,
        values_only=True,
    ):
        if row[0] is None:
            break
        rows.append(list(row))
    return rows


def test_the_seven_sheets_in_korean_and_english(report, workbook_path, demo_engine, tmp_path):
    assert load_workbook(workbook_path).sheetnames == KOREAN_SHEETS
    with language_scope("en"), Session(demo_engine) as session:
        english = render_xlsx(build_report(session, month=MONTH), tmp_path / "en.xlsx")
    names = load_workbook(english).sheetnames
    assert len(names) == 7 and names[0] == "Summary" and "Trend" in names and "Watch list" in names
    assert not any("\uac00" <= ch <= "\ud7a3" for name in names for ch in name), names


def test_roster_holds_real_dates_numbers_and_formatted_business_numbers(report, workbook_path):
    sheet = load_workbook(workbook_path)["입주기업"]
    header = [cell.value for cell in sheet[HEADER_ROW]]
    rows = _rows(sheet)
    assert len(rows) == len(report.roster)
    by_name = {row[header.index("기업명")]: row for row in rows}
    for entry in report.roster:
        row = by_name[entry.company]
        assert row[header.index("사업자등록번호")] == entry.biz_reg_no
        assert isinstance(row[header.index("입주일")], datetime) and row[header.index("입주일")].date() == entry.move_in
        assert row[header.index("상시 고용인원")] == entry.employees
        assert isinstance(row[header.index("번호")], int)
    first = sheet.cell(HEADER_ROW + 1, header.index("입주일") + 1)
    assert first.number_format == "yyyy-mm-dd" and first.data_type == "d"
    assert sheet.cell(HEADER_ROW + 1, header.index("상시 고용인원") + 1).number_format == "#,##0"


def test_every_sheet_is_set_up_to_work_with_and_to_print(workbook_path):
    workbook = load_workbook(workbook_path)
    for sheet in workbook.worksheets:
        header = sheet.cell(HEADER_ROW, 1)
        assert header.font.bold and header.fill.fgColor.rgb.endswith("1F3864"), sheet.title
        assert sheet.freeze_panes is not None and sheet.freeze_panes.endswith(str(HEADER_ROW + 1)), sheet.title
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith(f"A{HEADER_ROW}:"), sheet.title
        assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == int(
            sheet.PAPERSIZE_A4
        )
        assert (
            sheet.sheet_properties.pageSetUpPr.fitToPage
            and sheet.page_setup.fitToWidth == 1
            and sheet.page_setup.fitToHeight == 0
        )
        assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}", sheet.title
        widths = [sheet.column_dimensions[letter].width for letter in "AB"]
        assert all(6 <= width <= 62 for width in widths), (sheet.title, widths)
    assert workbook["입주기업"].freeze_panes == f"C{HEADER_ROW + 1}", "number and company name stay in view"


def test_native_charts_on_summary_and_trend(workbook_path):
    workbook = load_workbook(workbook_path)
    assert len(workbook["요약"]._charts) == 2
    assert len(workbook["추이"]._charts) == 3
    assert all(not sheet._charts for sheet in workbook.worksheets if sheet.title not in ("요약", "추이"))


def test_rooms_movements_mentoring_watch_and_trend_match_the_report(report, workbook_path):
    workbook = load_workbook(workbook_path)
    rooms = _rows(workbook["호실"])
    assert len(rooms) == len(report.floors)
    total = rooms[-1]
    assert total[2:5] == [
        report.summary.rooms_total,
        report.summary.rooms_occupied,
        report.summary.rooms_total - report.summary.rooms_occupied,
    ]
    assert total[5] == pytest.approx(report.summary.occupancy_rate)
    assert workbook["호실"].cell(HEADER_ROW + len(rooms), 6).number_format == "0.0%"

    movements = _rows(workbook["입퇴거"], width=6)
    assert [(m[0].date(), m[1], m[2]) for m in movements] == [(m.on, m.kind_label, m.company) for m in report.movements]

    mentors = _rows(workbook["멘토링"], width=5)
    assert sum(row[2] for row in mentors) == report.summary.mentoring_sessions
    assert sum(row[3] for row in mentors) == pytest.approx(report.summary.mentoring_hours)

    watch = _rows(workbook["주의"])
    assert len(watch) == len(report.watch.over_capacity) + len(report.watch.contracts_ending) + len(
        report.watch.waiting_requests
    )

    trend = _rows(workbook["추이"], width=6)
    assert [row[0] for row in trend] == [str(point.month) for point in report.trend.months]
    assert [row[5] for row in trend] == pytest.approx([point.occupancy_rate for point in report.trend.months])


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed; apt install libreoffice-calc-nogui"
)
def test_libreoffice_opens_the_workbook_and_shows_the_same_figures(workbook_path, tmp_path, report):
    profile = tmp_path / "lo-profile"
    # CSV of the first sheet: comma, double quote, UTF-8 (76), cells saved as shown (number formats applied).
    csv_filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true"
    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            csv_filter,
            "--outdir",
            str(tmp_path / "out"),
            str(workbook_path),
        ],
        capture_output=True,
        encoding="utf-8",
        check=False,
        timeout=180,
    )
    converted = tmp_path / "out" / "report.csv"
    assert result.returncode == 0 and converted.exists(), result.stdout + result.stderr
    assert "repair" not in (result.stdout + result.stderr).lower()
    rows = list(csv.reader(converted.read_text(encoding="utf-8").splitlines()))
    assert report.title in rows[0][0]
    shown = {row[0]: row[1] for row in rows if len(row) >= 2}
    for figure in report.summary.figures():
        assert shown[figure.label] == figure.text, figure.key


def test_office_and_approval_box_only_when_asked(report, workbook_path, tmp_path):
    plain = load_workbook(workbook_path)["요약"]
    options = ReportOptions(office="AI 창업캠프 운영팀", approval=True)
    dressed = load_workbook(render_xlsx(report, tmp_path / "dressed.xlsx", options=options))["요약"]
    # The office right under the title; the box in the title's rows, right of every table.
    assert dressed.cell(2, 1).value == f"AI 창업캠프 운영팀 · {plain.cell(2, 1).value}"
    box = [cell for cell in dressed[1] if cell.value is not None][1:]
    assert [cell.value for cell in box] == ["결재", "담당", "팀장", "센터장"]
    tables_end = max(cell.column for cell in dressed[HEADER_ROW] if cell.value is not None)
    assert box[0].column > tables_end
    assert [cell.value for cell in plain[1] if cell.value is not None] == [plain.cell(1, 1).value]
    assert "운영팀" not in plain.cell(2, 1).value
