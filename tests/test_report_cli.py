"""`camp-manager report`: one command writes the month's PDF and workbook and prints their paths."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from camp_manager.cli import EXIT_USER_ERROR, main
from camp_manager.reporting.monthly import ReportMonth
from camp_manager.services import demo


def _run(capsys, *argv: str) -> tuple[int, list[str], str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_report_writes_pdf_and_xlsx_and_prints_their_paths(demo_db_path, tmp_path, capsys):
    out = tmp_path / "reports"
    out.mkdir()
    code, lines, _ = _run(capsys, "--db", str(demo_db_path), "report", "--month", "2026-10", "--out", str(out))
    assert code == 0
    written = sorted(out.iterdir())
    assert sorted(Path(line) for line in lines) == written
    assert [p.suffix for p in written] == [".pdf", ".xlsx"]
    assert all("2026-10" in p.name and "전체" in p.name for p in written)
    assert "월간 입주 현황 보고서" in PdfReader(written[0]).pages[0].extract_text()
    assert load_workbook(written[1]).sheetnames[0] == "요약"


def test_one_report_per_facility_and_a_chosen_format(demo_db_path, tmp_path, capsys):
    code, lines, _ = _run(
        capsys,
        "--db",
        str(demo_db_path),
        "report",
        "--month",
        "2026-06",
        "--facility",
        demo.CAMP,
        "--facility",
        demo.IPLEX,
        "--format",
        "pdf",
        "--out",
        str(tmp_path),
    )
    assert code == 0 and len(lines) == 2
    assert [Path(line).suffix for line in lines] == [".pdf", ".pdf"]
    assert "AI_창업캠프" in lines[0] and demo.IPLEX in lines[1]
    assert f"{demo.IPLEX}" in PdfReader(lines[1]).pages[0].extract_text()


def test_default_month_is_last_month(demo_db_path, tmp_path, capsys):
    code, lines, _ = _run(capsys, "--db", str(demo_db_path), "report", "--format", "xlsx", "--out", str(tmp_path))
    assert code == 0 and lines == [str(tmp_path / f"월간입주현황_전체_시설_{ReportMonth.before(date.today())}.xlsx")]


def test_english_report(demo_db_path, tmp_path, capsys):
    code, lines, _ = _run(
        capsys,
        "--db",
        str(demo_db_path),
        "report",
        "--month",
        "2026-10",
        "--lang",
        "en",
        "--format",
        "pdf,xlsx",
        "--out",
        str(tmp_path),
    )
    assert code == 0 and all("All_facilities_2026-10" in line for line in lines)
    assert "Monthly Occupancy Report" in PdfReader(lines[0]).pages[0].extract_text()
    assert load_workbook(lines[1]).sheetnames[0] == "Summary"


def test_user_errors_are_one_line_and_exit_code_2(demo_db_path, tmp_path, capsys):
    out = tmp_path / "reports"
    code, _, err = _run(
        capsys, "--db", str(demo_db_path), "report", "--month", "2026-10", "--facility", "없는시설", "--out", str(out)
    )
    assert code == EXIT_USER_ERROR and "없는시설" in err and demo.CAMP in err and len(err.strip().splitlines()) == 1
    assert not out.exists()
    for argument, shown in (("--month=2026-13", "YYYY-MM"), ("--format=docx", "docx")):
        with pytest.raises(SystemExit) as stop:
            main(["--db", str(demo_db_path), "report", argument])
        assert stop.value.code == EXIT_USER_ERROR and shown in capsys.readouterr().err


def test_office_and_approval_box_of_the_monthly_and_the_annual_report(demo_db_path, tmp_path, capsys):
    dressing = ["--office", "AI 창업캠프 운영팀", "--approval", "--approval-titles", "기안, 검토,승인"]
    for period in (["--month", "2026-10"], ["--year", "2025"]):
        code, lines, _ = _run(capsys, "--db", str(demo_db_path), "report", *period, *dressing, "--out", str(tmp_path))
        assert code == 0
        first_page = PdfReader(lines[0]).pages[0].extract_text()
        assert all(text in first_page for text in ("AI 창업캠프 운영팀", "기안", "검토", "승인")), period
        summary = load_workbook(lines[1])["요약"]
        assert summary.cell(2, 1).value.startswith("AI 창업캠프 운영팀 · ")
        assert [cell.value for cell in summary[1] if cell.value is not None][1:] == ["결재", "기안", "검토", "승인"]


def test_approval_titles_need_the_approval_box_and_fit_it(demo_db_path, tmp_path, capsys):
    out = tmp_path / "reports"
    out.mkdir()
    base = ["--db", str(demo_db_path), "report", "--month", "2026-10", "--out", str(out)]
    code, _, err = _run(capsys, *base, "--approval-titles", "기안,승인")
    assert code == EXIT_USER_ERROR and "--approval-titles는 --approval과 함께" in err
    with pytest.raises(SystemExit) as stop:
        main([*base, "--approval", "--approval-titles", "1,2,3,4,5,6,7"])
    assert stop.value.code == EXIT_USER_ERROR and "6칸까지" in capsys.readouterr().err
    assert list(out.iterdir()) == []
