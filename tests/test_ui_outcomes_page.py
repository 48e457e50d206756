"""The Outcomes page (성과) on the history whose 2024 outcomes are known: a row per company resident in the
year, the year and facility filters, 누락·증빙 없음만, the outcomes dialog from a row and the row after it,
the export as shown; the page in the window and the subsidy line on the Dashboard."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from openpyxl import load_workbook

from camp_manager.reporting.workbook import HEADER_ROW
from camp_manager.services import outcomes
from camp_manager.services.outcome_status import OutcomeState
from camp_manager.ui.dialogs.outcome_dialogs import OutcomesDialog
from camp_manager.ui.pages.dashboard_page import DashboardPage
from camp_manager.ui.pages.outcomes_page import OutcomesPage
from camp_manager.ui.workers import wait_for_background
from tests.dialog_guard import unexpected_dialogs_fail  # noqa: F401 (a fixture)
from tests.test_outcome_figures import build_history
from tests.test_ui_list_export import saved  # noqa: F401 (a fixture)
from tests.ui_helpers import app_context, choose, drive_dialogs, wired

pytestmark = pytest.mark.usefixtures("unexpected_dialogs_fail")

DAY = date(2024, 12, 31)


@pytest.fixture
def history(session) -> dict[str, int]:
    return build_history(session)


@pytest.fixture
def page(qtbot, engine, tmp_path, history):
    shown = OutcomesPage(app_context(engine, tmp_path, DAY))
    qtbot.addWidget(shown)
    return wired(shown)


def shown(page: OutcomesPage) -> dict[str, tuple[str, ...]]:
    """Each visible row as a manager reads it: company → the cells' text."""
    columns = page.table.shown_columns()
    return {row.company: tuple(c.text(row) for c in columns) for row in page.table.visible_rows()}


def test_the_year_of_the_as_of_date_company_by_company(page, qtmodeltester):
    assert page.year_spin.value() == 2024
    rows = shown(page)
    assert rows["가온AI"] == (
        "가온AI",
        "캠프",
        "150,000,000원",
        "6명",
        "2",
        "1",
        "1",
        "1",
        "3",
        "증빙 없음",
    )
    assert rows["다온로보"][2:4] == ("30,000,000원", "–")  # left in August: no year-end headcount asked
    assert rows["차오름"][2:4] == ("미입력", "미입력") and rows["차오름"][-1] == "누락"
    assert list(rows) == ["가온AI", "나래데이터", "다온로보", "아라보안", "자람교육", "차오름"]
    assert "입주기업 6곳 · 누락 3곳 · 증빙 없음 3곳" in page.subtitle.text()
    qtmodeltester.check(page.table.proxy)


def test_year_facility_and_gaps_only_filters(page):
    choose(page.facility_combo, "아이플렉스")  # counted for the facility: the query runs again
    wait_for_background()
    assert list(shown(page)) == ["나래데이터", "아라보안", "차오름"]
    page.year_spin.setValue(2023)
    wait_for_background()
    assert list(shown(page)) == ["나래데이터", "아라보안"]
    choose(page.facility_combo, "모든 시설")
    page.year_spin.setValue(2024)
    wait_for_background()
    page.gaps_only.setChecked(True)
    assert len(shown(page)) == 6  # nothing of 2024 is complete
    page.table.source.set_rows([replace(page.table.source.rows()[0], unevidenced=0)])
    assert shown(page) == {}  # a complete row is hidden
    page.gaps_only.setChecked(False)
    assert list(shown(page)) == ["가온AI"]


def test_the_outcomes_dialog_opens_from_a_row_and_the_row_follows(page, history, monkeypatch):
    def record_sales(dialog: OutcomesDialog) -> None:
        assert dialog.company_id == page.table.current_row().company_id
        dialog.write(
            lambda session: outcomes.record_outcome(
                session=session, data=outcomes.SalesInput(dialog.company_id, 2024, 0, 25_000_000)
            )
        )
        dialog.reject()

    opened = drive_dialogs(monkeypatch, OutcomesDialog, record_sales)
    assert page.table.select_first(lambda r: r.company == "차오름")
    page.table.rowActivated.emit(page.table.current_row())
    assert len(opened) == 1
    row = page.table.current_row()
    assert (row.company, row.sales_krw, row.state) == ("차오름", 25_000_000, OutcomeState.MISSING)
    assert shown(page)["차오름"][2] == "25,000,000원"


def test_the_export_is_the_list_as_shown(page, saved):  # noqa: F811
    choose(page.facility_combo, "아이플렉스")
    wait_for_background()
    page.gaps_only.setChecked(True)
    page.export_button.click()
    assert wait_for_background()
    sheet = load_workbook(f"{saved['target']}.xlsx").active
    header = [cell.value for cell in sheet[HEADER_ROW]]
    body = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=HEADER_ROW + 1)]
    assert header[:4] == ["기업", "시설", "매출액", "연말 고용"] and header[-1] == "상태"
    assert [row[0] for row in body] == ["나래데이터", "아라보안", "차오름"]
    assert body[0][2:4] == [40_000_000, 5] and body[1][2] is None  # typed numbers, empty where nothing is recorded
    assert "누락·증빙 없음만" in sheet.cell(2, 1).value
    assert sheet.cell(1, 1).value == "2024년 성과 점검 — 아이플렉스"


def test_the_dashboard_counts_the_subsidy_watch(qtbot, engine, tmp_path, history):
    dashboard = DashboardPage(app_context(engine, tmp_path, DAY))
    qtbot.addWidget(dashboard)
    wired(dashboard)
    # 가온AI: 60 M at registration + 50 M of equity, 6 staff; 나래데이터: 90 M and 5 staff, near.
    assert "보조금 기준 충족 1곳 · 근접 1곳" in dashboard.subsidy_note.text()
    assert dashboard.subsidy_note.toolTip() == "충족: 가온AI\n근접: 나래데이터"
