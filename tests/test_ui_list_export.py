"""Excel export from the Residents, Mentoring and Exits pages: exactly the rows the list shows
(search and filters applied, in the shown order), the columns as the header shows them,
real dates and numbers, user text that looks like a formula kept as text."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from camp_manager.db.engine import unit_of_work
from camp_manager.db.models import Company, ExitReason
from camp_manager.i18n import set_language
from camp_manager.labels import label
from camp_manager.reporting.workbook import HEADER_ROW
from camp_manager.services import companies
from camp_manager.services.companies import CompanyInput
from camp_manager.services.demo import IPLEX
from camp_manager.ui.list_export import export_shown_rows
from camp_manager.ui.main_window import MainWindow
from camp_manager.ui.pages.exits_page import ExitsPage
from camp_manager.ui.pages.mentoring_page import MentoringPage, Period
from camp_manager.ui.pages.residents_page import ResidentsPage
from camp_manager.ui.workers import wait_for_background
from tests.conftest import DEMO_TODAY
from tests.ui_helpers import app_context, choose, wired

HOSTILE = '=HYPERLINK("http://x","y")'


@pytest.fixture
def saved(monkeypatch, tmp_path):
    """The save dialog answers with a name typed without '.xlsx'; the 'open it?' question says No.

    Returns what the dialogs were shown: the suggested path and the question's text."""
    (tmp_path / "out").mkdir()
    shown: dict[str, object] = {"target": tmp_path / "out" / "목록"}

    def save_dialog(parent, caption, suggested, file_filter, *rest, **named):
        shown["suggested"] = suggested
        return str(shown["target"]), file_filter

    def question(parent, title, text, *rest, **named):
        shown["question"] = text
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    monkeypatch.setattr(QMessageBox, "question", question)
    return shown


def export(page, saved) -> tuple[list[str], list[list[object]], list[str]]:
    """Press the page's export button and read the workbook back: header, body rows, title lines."""
    page.export_button.click()
    assert wait_for_background()
    path = Path(f"{saved['target']}.xlsx")
    assert str(path) in saved["question"]
    sheet = load_workbook(path).active
    rows = [list(row) for row in sheet.iter_rows(min_row=HEADER_ROW, values_only=True)]
    return rows[0], rows[1:], [sheet.cell(1, 1).value, sheet.cell(2, 1).value]


def shown_texts(table, title: str) -> list[str]:
    """One column's texts as the list shows them, top to bottom."""
    column = next(
        c for c in range(table.proxy.columnCount()) if table.proxy.headerData(c, Qt.Orientation.Horizontal) == title
    )
    return [table.proxy.index(row, column).data() for row in range(table.proxy.rowCount())]


def test_residents_export_is_the_filtered_list(qtbot, demo_engine, tmp_path, saved):
    page = wired(ResidentsPage(app_context(demo_engine, tmp_path, DEMO_TODAY)))
    qtbot.addWidget(page)
    everyone = page.table.proxy.rowCount()
    choose(page.facility_filter, IPLEX)
    page.search.setText("랩")
    shown = page.table.proxy.rowCount()
    assert 1 < shown < everyone
    page.table.sortByColumn(8, Qt.SortOrder.DescendingOrder)  # 입주일, latest first

    header, rows, titles = export(page, saved)

    assert Path(saved["suggested"]).name == f"입주기업_{DEMO_TODAY.isoformat()}.xlsx"
    assert header[:3] == ["기업명", "사업자등록번호", "대표자"] and len(header) == page.table.proxy.columnCount()
    names = shown_texts(page.table, "기업명")
    assert len(rows) == shown and [row[0] for row in rows] == names
    assert (rows[0][0], rows[-1][0]) == (names[0], names[-1])
    assert all(row[header.index("시설")] == IPLEX for row in rows)
    moved_in = [row[header.index("입주일")] for row in rows]
    assert all(isinstance(day, datetime) for day in moved_in) and moved_in == sorted(moved_in, reverse=True)
    assert all(isinstance(row[header.index("고용")], int) for row in rows if row[header.index("고용")] is not None)
    assert IPLEX in titles[0] and "검색어 '랩'" in titles[1] and f"{shown}행" in titles[1]


def test_the_export_follows_the_columns_as_the_user_arranged_them(qtbot, demo_engine, tmp_path, saved):
    page = wired(ResidentsPage(app_context(demo_engine, tmp_path, DEMO_TODAY)))
    qtbot.addWidget(page)
    header_view = page.table.horizontalHeader()
    header_view.moveSection(header_view.visualIndex(4), 0)  # 시설 dragged to the front
    header_view.setSectionHidden(2, True)  # 대표자 hidden

    header, rows, _ = export(page, saved)

    assert header[:3] == ["시설", "기업명", "사업자등록번호"] and "대표자" not in header
    assert [row[1] for row in rows] == shown_texts(page.table, "기업명")


def test_a_formula_like_company_name_is_exported_as_text(qtbot, demo_engine, tmp_path, saved):
    with unit_of_work(demo_engine) as session:
        company = session.get(Company, 1)
        companies.edit_company(
            session=session,
            company_id=company.id,
            data=CompanyInput(
                name=HOSTILE,
                biz_reg_no=company.biz_reg_no,
                representative="@대표",
                field=company.field,
            ),
        )
    page = wired(ResidentsPage(app_context(demo_engine, tmp_path, DEMO_TODAY)))
    qtbot.addWidget(page)
    page.status_filter.setCurrentIndex(0)  # every status, so the company shows whatever its state
    page.search.setText("HYPERLINK")
    page.export_button.click()
    assert wait_for_background()
    sheet = load_workbook(f"{saved['target']}.xlsx").active
    cells = [sheet.cell(HEADER_ROW + 1, column) for column in (1, 3)]
    assert [cell.value for cell in cells] == [HOSTILE, "@대표"]
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells)


def test_mentoring_export_is_the_filtered_session_log(qtbot, demo_engine, tmp_path, saved):
    page = wired(MentoringPage(app_context(demo_engine, tmp_path, DEMO_TODAY)))
    qtbot.addWidget(page)
    choose(page.period_combo, "전체 기간")
    wait_for_background()  # the page reads the period off the UI thread
    everything = page.log_table.proxy.rowCount()
    page.field_combo.setCurrentIndex(1)
    shown = page.log_table.proxy.rowCount()
    assert 1 < shown < everything
    assert page.period_combo.currentData() == Period.ALL.value

    header, rows, titles = export(page, saved)

    assert header[0] == "날짜" and "시간(분)" in header
    assert len(rows) == shown
    assert [row[header.index("기업")] for row in rows] == shown_texts(page.log_table, "기업")
    days = [row[0] for row in rows]
    assert all(isinstance(day, datetime) for day in days) and days == sorted(days, reverse=True)
    assert [row[header.index("시간(분)")] for row in rows] == [
        int(text) for text in shown_texts(page.log_table, "시간(분)")
    ]
    assert page.field_combo.currentText() in titles[1] and "전체 기간" in titles[1]


def test_exits_export_is_the_filtered_history_with_days_as_numbers(qtbot, demo_engine, tmp_path, saved):
    page = wired(ExitsPage(app_context(demo_engine, tmp_path, DEMO_TODAY)))
    qtbot.addWidget(page)
    everyone = page.table.proxy.rowCount()
    choose(page.facility_combo, IPLEX)
    choose(page.reason_combo, "졸업")
    shown = page.table.proxy.rowCount()
    assert 0 < shown < everyone

    header, rows, titles = export(page, saved)

    assert Path(saved["suggested"]).name == f"퇴거_{DEMO_TODAY.isoformat()}.xlsx"
    assert len(rows) == shown and [row[1] for row in rows] == shown_texts(page.table, "기업")
    assert {row[header.index("시설")] for row in rows} == {IPLEX}
    for row in rows:
        exit_on, move_in = row[header.index("퇴거일")], row[header.index("입주일")]
        assert isinstance(exit_on, datetime) and isinstance(move_in, datetime)
        assert row[header.index("입주 기간(일)")] == (exit_on - move_in).days
    assert IPLEX in titles[0] and "졸업" in titles[1]


def test_yes_opens_the_file_and_a_locked_file_is_a_plain_message(qtbot, engine, tmp_path, monkeypatch):
    page = wired(ExitsPage(app_context(engine, tmp_path, DEMO_TODAY)))
    qtbot.addWidget(page)
    opened, warned = [], []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(
        "camp_manager.ui.list_export.QDesktopServices.openUrl", lambda url: opened.append(url.toLocalFile()) or True
    )
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *rest: warned.append(text))
    target = tmp_path / "퇴거.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))

    page.export_list()  # an empty list still makes a workbook with its header
    assert wait_for_background()
    assert opened == [str(target)] and load_workbook(target).active.cell(HEADER_ROW, 1).value == "퇴거일"

    target.unlink()
    target.mkdir()  # a folder where the file should go: the save fails as a locked file would
    page.export_list()
    assert wait_for_background()
    assert len(warned) == 1 and str(target) in warned[0] and opened == [str(target)]


def test_cancelling_the_save_dialog_writes_nothing(qtbot, engine, tmp_path, monkeypatch):
    page = wired(ExitsPage(app_context(engine, tmp_path, DEMO_TODAY)))
    qtbot.addWidget(page)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    export_shown_rows(
        page, page.context, page.table, file_name="퇴거.xlsx", sheet_title="퇴거", heading="퇴거", details=[]
    )
    assert wait_for_background()
    assert not list(tmp_path.rglob("*.xlsx"))


def test_the_file_menu_exports_where_the_page_has_a_list(qtbot, demo_engine, tmp_path, saved):
    window = MainWindow(app_context(demo_engine, tmp_path, DEMO_TODAY))
    qtbot.addWidget(window)
    window.show_page("dashboard")
    assert not window.actions["export"].isEnabled()
    for key in ("residents", "mentoring", "exits"):
        window.show_page(key)
        assert window.actions["export"].isEnabled(), key
    window.actions["export"].trigger()
    assert wait_for_background()
    header = load_workbook(f"{saved['target']}.xlsx").active.cell(HEADER_ROW, 1).value
    assert header == "퇴거일"


def test_in_english_the_workbook_and_its_name_are_english(qtbot, demo_engine, tmp_path, saved):
    set_language("en")
    page = wired(ExitsPage(app_context(demo_engine, tmp_path, DEMO_TODAY)))
    qtbot.addWidget(page)
    header, rows, _ = export(page, saved)
    assert Path(saved["suggested"]).name == f"exits_{DEMO_TODAY.isoformat()}.xlsx"
    assert header[:2] == ["Exit date", "Company"] and len(rows) == page.table.proxy.rowCount()
    assert {row[header.index("Reason")] for row in rows} <= {label(reason) for reason in ExitReason}
