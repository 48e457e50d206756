"""The annual performance report: its summary in the workbook equals the recount in SQL, for the
total and each facility; the command line writes it, and refuses --month with --year."""

from __future__ import annotations

from openpyxl import load_workbook
from sqlmodel import Session

from camp_manager.cli import EXIT_USER_ERROR, main
from camp_manager.reporting.annual import build_annual_report
from camp_manager.reporting.annual_xlsx import render_annual_xlsx
from camp_manager.reporting.workbook import HEADER_ROW
from tests.test_outcome_figures import YEAR, build_history, recount

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
    assert [row[0] for row in files] == ["가온AI", "가온AI", "나래데이터"]  # equity round, patent, venture
    assert all(row[3] == "proof.pdf" and len(row[5]) == 12 for row in files)


def test_cli_writes_the_annual_workbook(db_path, engine, tmp_path, capsys):
    with Session(engine) as session:
        build_history(session)
    assert main(["--db", str(db_path), "report", "--year", str(YEAR), "--format", "xlsx", "--out", str(tmp_path)]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert line.endswith(f"연간보육성과_전체_시설_{YEAR}.xlsx")
    assert load_workbook(line).sheetnames == ["요약", "성과 기록", "고용보조금 후보", "증빙 목록"]


def test_cli_refuses_month_with_year(db_path, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    code = main(["--db", str(db_path), "report", "--year", "2024", "--month", "2024-10", "--out", str(out)])
    assert code == EXIT_USER_ERROR
    assert "--month와 --year는 함께 쓸 수 없습니다" in capsys.readouterr().err
    assert list(out.iterdir()) == []
