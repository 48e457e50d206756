"""The Reports page's annual section: the annual performance report of a year written off the UI
thread (the same file as the command line's), and the survey workbook saved where the manager chose."""

from __future__ import annotations

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from sqlmodel import Session

from camp_manager.importing.survey import survey_rows
from camp_manager.reporting.generate import ReportFormat, generate_annual_report
from camp_manager.services import demo
from camp_manager.ui.pages.reports_page import ReportsPage
from camp_manager.ui.workers import wait_for_background
from tests.conftest import DEMO_TODAY
from tests.ui_helpers import app_context, choose, wired

YEAR = DEMO_TODAY.year - 1


@pytest.fixture
def page(qtbot, demo_engine, tmp_path):
    reports = wired(ReportsPage(app_context(demo_engine, tmp_path, DEMO_TODAY)))
    qtbot.addWidget(reports)
    yield reports
    wait_for_background()


def cells(path) -> list[list]:
    summary = openpyxl.load_workbook(path).worksheets[0]
    return [[c.value for c in row] for row in summary.iter_rows()]


def test_the_annual_report_is_written_from_the_page_as_the_command_line_writes_it(page, qtbot, demo_engine, tmp_path):
    annual = page.annual
    assert annual.year() == YEAR and annual.facility_id() is None
    out, expected_dir = tmp_path / "out", tmp_path / "expected"
    out.mkdir()
    expected_dir.mkdir()
    page.folder_edit.setText(str(out))
    choose(annual.facility_combo, demo.IPLEX)
    annual.evidenced_check.setChecked(True)
    for kind, box in annual.format_checks.items():  # the workbook alone: its cells are compared
        box.setChecked(kind == ReportFormat.XLSX)
    qtbot.mouseClick(annual.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(page.written), timeout=60_000)
    [written] = page.written
    with Session(demo_engine) as session:
        [expected] = generate_annual_report(
            session,
            year=YEAR,
            facility_id=annual.facility_id(),
            out_dir=expected_dir,
            formats=[ReportFormat.XLSX],
            evidenced_only=True,
        )
    assert written.parent == out and written.name == expected.name and demo.IPLEX in written.name
    assert cells(written) == cells(expected)
    assert "증빙 있는 기록만: 예" in str(cells(written)[:3])
    assert page.files.count() == 1 and page.open_file_button.isEnabled() and page.open_folder_button.isEnabled()
    for box in annual.format_checks.values():
        box.setChecked(False)
    assert not annual.generate_button.isEnabled()


def test_the_survey_of_a_year_for_one_company_is_saved_where_chosen(page, qtbot, demo_engine, tmp_path, monkeypatch):
    annual = page.annual
    with Session(demo_engine) as session:
        company = survey_rows(session, year=YEAR, facility=demo.IPLEX)[0]
    target = tmp_path / "조사표.xlsx"
    asked: list[str] = []

    def save_dialog(parent, title, start, filters):
        asked.append(start)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    choose(annual.facility_combo, demo.IPLEX)
    annual.company_edit.setText(company.name)
    qtbot.mouseClick(annual.survey_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(page.written), timeout=60_000)
    assert page.written == [target] and asked == [str(page.context.export_folder() / f"{YEAR}_경영성과_조사표.xlsx")]
    sales = openpyxl.load_workbook(target)["매출·고용"]
    assert [(r[0].value, r[1].value) for r in sales.iter_rows(min_row=2)] == [(company.biz_reg_no, company.name)]


def test_a_survey_for_a_company_not_resident_that_year_is_refused_naming_it(page, qtbot, tmp_path, monkeypatch):
    target = tmp_path / "조사표.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(target), ""))
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warned.append(text))
    page.annual.company_edit.setText("없는기업")
    page.annual.make_survey()
    qtbot.waitUntil(lambda: bool(warned), timeout=60_000)
    assert "'없는기업'" in warned[0] and not target.exists() and page.annual.survey_button.isEnabled()
