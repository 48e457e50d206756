"""The Reports page: month and facility pickers, the report's own summary as preview,
files written off the UI thread, opened with the desktop's programs."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from sqlmodel import Session

from camp_manager.reporting.build import build_report, build_summary
from camp_manager.reporting.monthly import ReportMonth
from camp_manager.services import demo
from camp_manager.ui.context import SettingKey
from camp_manager.ui.pages.reports_page import ReportsPage
from camp_manager.ui.workers import wait_for_background
from tests.conftest import DEMO_TODAY
from tests.ui_helpers import app_context, choose, wired


@pytest.fixture
def page(qtbot, demo_engine, tmp_path):
    reports = ReportsPage(app_context(demo_engine, tmp_path, DEMO_TODAY))
    qtbot.addWidget(reports)
    reports.resize(1100, 700)
    wired(reports)
    wait_for_background()
    yield reports
    wait_for_background()


def test_defaults_to_last_month_and_previews_the_reports_own_summary(page, demo_engine):
    assert page.month() == ReportMonth(2026, 10) and page.facility_id() is None
    with Session(demo_engine) as session:
        report = build_report(session, month=ReportMonth(2026, 10))
    assert page.summary == report.summary
    assert page.preview_text("residents") == f"{report.summary.residents:,}"
    for figure in report.summary.figures():
        assert page.preview_text(figure.key) == figure.text


def test_preview_follows_the_facility_and_month(page, demo_engine):
    choose(page.facility_combo, demo.IPLEX)
    choose(page.month_combo, "2026년 6월")
    wait_for_background()
    with Session(demo_engine) as session:
        expected = build_summary(session, month=ReportMonth(2026, 6), facility_id=page.facility_id())
    assert page.summary == expected and page.summary.facility_name == demo.IPLEX
    assert page.preview_text("residents") == f"{expected.residents:,}"
    assert demo.IPLEX in page.preview_title.text() and "2026-06-30" in page.preview_title.text()


def test_generate_writes_the_files_off_the_ui_thread_and_opens_them(page, qtbot, tmp_path, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    out = tmp_path / "nested" / "out"
    out.mkdir(parents=True)  # a folder that does not exist is refused, not made
    page.folder_edit.setText(str(out))
    assert not page.open_file_button.isEnabled()
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(page.written) == 2, timeout=60_000)
    pdf, xlsx = page.written
    assert pdf.suffix == ".pdf" and xlsx.suffix == ".xlsx" and pdf.parent == out
    assert all(path.is_file() and path.stat().st_size > 1000 for path in page.written)
    assert page.files.count() == 2 and page.open_file_button.isEnabled()
    first_page = " ".join(PdfReader(pdf).pages[0].extract_text().split())
    assert f"입주기업 수 {page.preview_text('residents')}" in first_page
    summary_sheet = load_workbook(xlsx)["요약"]
    assert summary_sheet["B5"].value == page.summary.residents

    page.open_file()
    page.files.setCurrentRow(1)
    page.open_folder()
    assert opened == [str(pdf), str(out)]


def test_english_pdf_only(page, qtbot, tmp_path):
    page.folder_edit.setText(str(tmp_path))
    choose(page.language_combo, "English")
    page.xlsx_check.setChecked(False)
    page.context.settings.set_value(SettingKey.REPORT_OFFICE, "AI 창업캠프 운영팀")
    page.context.settings.set_value(SettingKey.REPORT_APPROVAL, True)
    page.generate()
    qtbot.waitUntil(lambda: bool(page.written), timeout=60_000)
    [pdf] = page.written
    first_page = PdfReader(pdf).pages[0].extract_text()
    assert pdf.suffix == ".pdf" and "Monthly Occupancy Report" in first_page
    # The office and approval box chosen in Settings; the box's default headings in the report's language.
    assert "AI 창업캠프 운영팀" in first_page and "Officer" in first_page and "Director" in first_page
    assert page.preview_text("residents") == f"{page.summary.residents:,}"
    assert "입주기업 수" in [page.preview.itemAtPosition(0, 0).widget().text()], "the screen stays in its own language"
    page.pdf_check.setChecked(False)
    assert not page.generate_button.isEnabled()
