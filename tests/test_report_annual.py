"""The annual performance report: its summary in the workbook and in the PDF's text equals the
recount in SQL, for the total and each facility; the PDF embeds NanumGothic only; the command line
writes both formats, and refuses --month with --year."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import Session

from camp_manager.cli import EXIT_USER_ERROR, main
from camp_manager.reporting.annual import build_annual_report
from camp_manager.reporting.annual_pdf import render_annual_pdf
from camp_manager.reporting.annual_xlsx import render_annual_xlsx
from camp_manager.reporting.monthly import format_figure
from camp_manager.reporting.workbook import HEADER_ROW
from tests.test_outcome_figures import YEAR, build_history, recount

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None, reason="poppler-utils is not installed"
)

# Summary rows → the recount's figures they show.
SHOWN = {
    "residents_during": "residents_during_year",
    "residents_end": "residents_at_year_end",
    "graduates": "graduates",
    "sales": "sales_krw",
    "exports": "exports_krw",
    "employees": "employees_at_year_end",
    "turnover": "turnover",
    "survival": "survival_rate",
    "stay_days": "average_stay_days",
}


def test_workbook_summary_equals_the_recount(session, tmp_path):
    ids = build_history(session)
    report = build_annual_report(session, year=YEAR, evidenced_only=True)
    path = render_annual_xlsx(report, tmp_path / "annual.xlsx")
    sheet = load_workbook(path)["요약"]
    rows = {sheet.cell(row, 1).value: row for row in range(HEADER_ROW + 1, sheet.max_row + 1)}
    assert [sheet.cell(HEADER_ROW, c).value for c in range(2, 5)] == ["전체 시설", "아이플렉스", "캠프"]
    for column, facility_id in ((2, None), (3, ids["iplex"]), (4, ids["camp"])):
        wanted = recount(session, facility_id, True)
        for figure in report.figures:
            if figure.key in SHOWN:
                assert sheet.cell(rows[figure.label], column).value == wanted[SHOWN[figure.key]], figure.key
    assert sheet.cell(rows["일자리 창출"], 5).value.startswith("연말 입주기업")  # the definition beside it
    evidence = load_workbook(path)["증빙 목록"]
    files = [[c.value for c in row] for row in evidence.iter_rows(min_row=HEADER_ROW + 1)]
    # The files of every counted record: sales, headcount, then investment, IP and certifications.
    assert [row[:3] for row in files] == [
        ["가온AI", "매출·수출", "2024년 상반기"],
        ["가온AI", "매출·수출", "2024년 하반기"],
        ["나래데이터", "매출·수출", "2024년 연간"],
        ["가온AI", "상시 고용인원", "2024-06-01 6명"],
        ["가온AI", "투자유치", "지분 투자 2024-05-02"],
        ["가온AI", "지식재산권", "특허 출원 2024-02-01"],
        ["나래데이터", "인증", "벤처기업 2024-02-01"],
    ]
    assert all(row[3] == "proof.pdf" and len(row[5]) == 12 for row in files)
    sales = load_workbook(path)["매출·수출"]
    by_company = {row[0].value: [c.value for c in row] for row in sales.iter_rows(min_row=HEADER_ROW + 1)}
    # 가온AI's proven 2024 halves: 150M, no proven 2023 sales, so no growth.
    assert by_company["가온AI"] == ["가온AI", None, 150_000_000, None, None, 20_000_000, None]


def _pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, encoding="utf-8", check=True
    ).stdout


@needs_poppler
@pytest.mark.parametrize("scope", [None, "camp"])
def test_pdf_summary_equals_the_recount(session, tmp_path, scope):
    ids = build_history(session)
    facility_ids = [None, ids["iplex"], ids["camp"]] if scope is None else [ids[scope]]
    report = build_annual_report(session, year=YEAR, facility_id=facility_ids[0])
    text = _pdf_text(render_annual_pdf(report, tmp_path / "annual.pdf"))
    wanted = [recount(session, facility_id, False) for facility_id in facility_ids]
    for figure in report.figures:
        if figure.key not in SHOWN:
            continue
        shown = [format_figure(w[SHOWN[figure.key]], figure.kind) for w in wanted]
        # The row: the label, then one value per column, then the definition.
        row = (
            re.escape(figure.label)
            + "".join(r"\s+" + re.escape(v) for v in shown)
            + r"\s+"
            + re.escape(figure.definition[:6])
        )
        assert re.search(row, text), (figure.key, shown)
    # The sales table: 가온AI's whole 2023 and 2024 sales, and their growth.
    assert re.search(r"가온AI\s+100,000,000\s+150,000,000\s+50\.0%", text)


@needs_poppler
def test_pdf_embeds_nanum_gothic_only(session, tmp_path):
    build_history(session)
    path = render_annual_pdf(build_annual_report(session, year=YEAR), tmp_path / "annual.pdf")
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, encoding="utf-8", check=True).stdout
    lines = fonts.splitlines()[2:]
    assert lines
    for line in lines:
        name, embedded = line.split()[0], line.split()[-5]
        assert re.fullmatch(r"[A-Z]{6}\+NanumGothic(Bold)?", name) and embedded == "yes", line


def test_cli_writes_the_annual_pdf_and_workbook(db_path, engine, tmp_path, capsys):
    with Session(engine) as session:
        build_history(session)
    assert main(["--db", str(db_path), "report", "--year", str(YEAR), "--out", str(tmp_path)]) == 0
    pdf, xlsx = capsys.readouterr().out.splitlines()
    assert pdf.endswith(f"연간보육성과_전체_시설_{YEAR}.pdf") and xlsx.endswith(f"연간보육성과_전체_시설_{YEAR}.xlsx")
    assert Path(pdf).read_bytes().startswith(b"%PDF")
    assert load_workbook(xlsx).sheetnames == ["요약", "매출·수출", "성과 기록", "고용보조금 후보", "증빙 목록"]


def test_cli_refuses_month_with_year(db_path, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    code = main(["--db", str(db_path), "report", "--year", "2024", "--month", "2024-10", "--out", str(out)])
    assert code == EXIT_USER_ERROR
    assert "--month와 --year는 함께 쓸 수 없습니다" in capsys.readouterr().err
    assert list(out.iterdir()) == []
