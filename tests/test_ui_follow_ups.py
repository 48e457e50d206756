"""Where a company went and how it fares after: the region in the exit dialog, the follow-ups due on the
Exits page, and a check-in recorded through its dialog (a date too early refused under the field)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlmodel import select

from camp_manager.clock import FixedClock
from camp_manager.db.engine import unit_of_work
from camp_manager.db.models import Exit, ExitReason, FollowUp, Region
from camp_manager.services import exits, facilities, follow_ups, occupancy, support
from camp_manager.ui.dialogs.exit_dialog import ExitDialog
from camp_manager.ui.dialogs.follow_up_dialog import FollowUpDialog
from camp_manager.ui.pages.dashboard_page import TOOLTIP_NAMES, DashboardPage, first_names
from camp_manager.ui.pages.exits_page import ExitsPage
from camp_manager.ui.widgets.dates import to_qdate
from tests.dialog_guard import unexpected_dialogs_fail  # noqa: F401 (a fixture)
from tests.factories import resident
from tests.ui_helpers import app_context, choose, drive_dialogs, wired

pytestmark = pytest.mark.usefixtures("unexpected_dialogs_fail")

LEFT_ON = date(2022, 6, 1)
DAY = date(2023, 6, 10)  # the first anniversary has passed: its check-in is due


@pytest.fixture
def camp(engine):
    with unit_of_work(engine) as session:
        facility = facilities.create_facility(session=session, name="AI 창업캠프")
        left = resident(session, facility, name="졸업테크", move_in_on=date(2021, 3, 2))
        resident(session, facility, name="남는소프트", move_in_on=date(2021, 3, 2))
        exits.record_exit(session=session, company_id=left.id, exit_on=LEFT_ON, reason=ExitReason.GRADUATED.value)
        return left.id


@pytest.fixture
def page(qtbot, engine, tmp_path, camp):
    context = app_context(engine, tmp_path, DAY)
    context.clock = FixedClock(DAY)
    shown = ExitsPage(context)
    qtbot.addWidget(shown)
    return wired(shown)


def test_a_due_check_in_recorded_through_its_dialog(page, engine, monkeypatch):
    [due] = page.due_table.visible_rows()
    assert (due.company_name, due.years_after, due.due_on) == ("졸업테크", 1, date(2023, 6, 1))
    assert page.tabs.tabText(1) == "후속 조사 예정 (1)"
    seen = {}

    def fill(dialog: FollowUpDialog) -> None:
        assert dialog.years_combo.currentData() == 1
        dialog.checked_edit.setDate(to_qdate(date(2022, 12, 1)))
        seen["too_early"] = dialog.error_text("checked_on")
        dialog.checked_edit.setDate(to_qdate(date(2023, 6, 5)))
        seen["fixed"] = dialog.error_text("checked_on")
        choose(dialog.status_combo, "운영 중")
        choose(dialog.region_combo, "광주")
        dialog.employees_spin.setValue(12)
        dialog.sales_edit.setText("3억")
        seen["sales"] = dialog.error_text("sales_krw")
        dialog.sales_edit.setText("300,000,000")
        dialog.note_edit.setText("본사 유지, 신규 채용")
        dialog.ok_button.click()

    drive_dialogs(monkeypatch, FollowUpDialog, fill)
    page.due_table.rowActivated.emit(due)
    assert "2023-03-03부터 기록할 수 있습니다" in seen["too_early"]
    assert seen["fixed"] == ""
    assert "원 단위 숫자로 입력하세요" in seen["sales"]
    with unit_of_work(engine) as session:
        [stored] = session.exec(select(FollowUp)).all()
        assert (stored.years_after, stored.region, stored.employees, stored.sales_krw) == (
            1,
            "gwangju",
            12,
            300_000_000,
        )
    assert page.due_table.visible_rows() == []


def test_the_follow_up_dialog_lists_the_check_ins_recorded(page, monkeypatch):
    def record(dialog: FollowUpDialog) -> None:
        dialog.checked_edit.setDate(to_qdate(date(2023, 6, 5)))
        dialog.ok_button.click()

    def look(dialog: FollowUpDialog) -> None:
        seen.extend((f.years_after, f.checked_on) for f in dialog.recorded_table.visible_rows())
        assert dialog.years_combo.currentData() == 2, "the next year not yet recorded"
        dialog.reject()

    seen: list[tuple[int, date]] = []
    drive_dialogs(monkeypatch, FollowUpDialog, record, look)
    for _ in range(2):
        page.table.select_first(lambda row: row.company_name == "졸업테크")
        page.follow_up_button.click()
    assert seen == [(1, date(2023, 6, 5))]


def test_a_check_in_over_a_colleagues_newer_save_is_refused_then_saved_on_the_reloaded_one(qtbot, page, engine):
    with unit_of_work(engine) as session:
        exit_row = session.exec(select(Exit)).one()
        first = follow_ups.FollowUpInput(exit_row.id, 1, date(2023, 6, 2), "operating", employees=8)
        follow_ups.record_follow_up(session=session, data=first)
    dialog = FollowUpDialog(
        page.context, exit_id=exit_row.id, company_name="졸업테크", exit_on=LEFT_ON, years_after=1, parent=page
    )
    qtbot.addWidget(dialog)
    dialog.checked_edit.setDate(to_qdate(date(2023, 6, 5)))
    dialog.employees_spin.setValue(12)
    dialog.note_edit.setText("본사 유지, 신규 채용")
    with unit_of_work(engine) as session:  # another PC records new findings while this form is open
        follow_ups.record_follow_up(session=session, data=replace(first, employees=9, note="전화 확인"))
    dialog.ok_button.click()
    assert dialog.result() == 0
    assert "저장하지 않았습니다" in dialog.error_text() and "님이" in dialog.error_text()
    with unit_of_work(engine) as session:
        assert session.exec(select(FollowUp.employees, FollowUp.note)).one() == (9, "전화 확인")
    # Reloaded: the colleague's check-in is listed, what was typed is kept.
    assert [(f.employees, f.note) for f in dialog.recorded_table.visible_rows()] == [(9, "전화 확인")]
    assert dialog.note_edit.text() == "본사 유지, 신규 채용"
    dialog.ok_button.click()
    assert dialog.result() == 1
    with unit_of_work(engine) as session:
        stored = session.exec(select(FollowUp)).one()
        assert (stored.checked_on, stored.employees, stored.note) == (date(2023, 6, 5), 12, "본사 유지, 신규 채용")
        assert stored.version == 3


def test_the_exit_dialog_records_where_the_company_went(page, engine, monkeypatch):
    def fill(dialog: ExitDialog) -> None:
        choose(dialog.company_combo, "남는소프트")
        choose(dialog.reason_combo, "수도권 이전")
        assert dialog.region_combo.currentData() == Region.CAPITAL.value  # what the reason tells
        choose(dialog.reason_combo, "졸업")
        assert dialog.region_combo.currentData() == Region.UNKNOWN.value
        choose(dialog.region_combo, "해외")
        dialog.ok_button.click()

    drive_dialogs(monkeypatch, ExitDialog, fill)
    page.exit_button.click()
    with unit_of_work(engine) as session:
        regions = {row.reason: row.region for row in session.exec(select(Exit).where(Exit.exit_on == DAY))}
    assert regions == {ExitReason.GRADUATED.value: Region.ABROAD.value}


def test_the_dashboard_shows_the_follow_ups_due_and_the_support_asked(qtbot, engine, tmp_path, camp):
    with unit_of_work(engine) as session:
        [staying] = [r.company for r in occupancy.residents_on(session, on=DAY)]
        support.file_support_request(
            session=session, company_id=staying.id, asked_on=date(2023, 5, 2), kind="computing", description="GPU"
        )
    dashboard = DashboardPage(app_context(engine, tmp_path, DAY))
    qtbot.addWidget(dashboard)
    wired(dashboard)
    assert dashboard.data.follow_up_companies == ["졸업테크"]
    assert "후속 조사 예정 1곳" in dashboard.follow_up_note.text()
    assert "졸업테크" in dashboard.follow_up_note.text()
    assert "지원 요청 진행 중 1건" in dashboard.support_note.text()
    assert "남는소프트" in dashboard.support_note.text()


def test_the_dashboard_counts_a_company_with_two_check_ins_due_once(qtbot, engine, tmp_path, camp):
    dashboard = DashboardPage(app_context(engine, tmp_path, DAY))
    qtbot.addWidget(dashboard)
    wired(dashboard)
    [due] = dashboard.data.follow_up_companies
    others = [f"기업{index:03d}" for index in range(TOOLTIP_NAMES + 5)]
    dashboard.data = replace(dashboard.data, follow_up_companies=[due, due, *others])  # two check-ins of one
    dashboard._set_watch_titles()
    assert f"후속 조사 예정 {len(others) + 1}곳" in dashboard.follow_up_note.text()
    tip = dashboard.follow_up_note.toolTip()
    assert tip.startswith("졸업테크, 기업000") and tip.endswith(" 외 6곳"), "the tooltip names the first few"


def test_first_names_says_how_many_more():
    assert first_names(["가", "나", "가", "다", "라", "마"]) == "가, 나 외 3곳"
    assert first_names(["가"]) == "가"
