"""The Support requests page: file a request, start and finish it, the year's figures follow;
a refusal shows under its field; the page as a manager sees it at 1366×728."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from camp_manager.clock import FixedClock
from camp_manager.db.engine import unit_of_work
from camp_manager.db.models import SupportKind, SupportRequest, SupportStatus
from camp_manager.reporting.workbook import HEADER_ROW
from camp_manager.services import facilities, support
from camp_manager.ui.dialogs.support_dialogs import SupportRequestDialog, SupportStepDialog
from camp_manager.ui.main_window import MainWindow
from camp_manager.ui.pages.support_page import SupportPage
from camp_manager.ui.start import create_application
from camp_manager.ui.widgets.dates import to_qdate
from camp_manager.ui.workers import wait_for_background
from tests.dialog_guard import unexpected_dialogs_fail  # noqa: F401 (a fixture)
from tests.factories import resident
from tests.test_ui_list_export import HOSTILE, saved  # noqa: F401 (a fixture)
from tests.ui_helpers import app_context, choose, drive_dialogs, wired

pytestmark = pytest.mark.usefixtures("unexpected_dialogs_fail")

DAY = date(2024, 5, 20)
SCREENSHOT = Path("/tmp/support.png")


@pytest.fixture
def camp(engine):
    with unit_of_work(engine) as session:
        facility = facilities.create_facility(session=session, name="AI 창업캠프")
        company = resident(session, facility, name="딥러닝랩스", move_in_on=date(2023, 1, 2))
        other = resident(session, facility, name="모빌리티웍스", move_in_on=date(2023, 1, 2))
        return {"facility": facility.id, "company": company.id, "other": other.id}


@pytest.fixture
def page(qtbot, engine, tmp_path, camp):
    context = app_context(engine, tmp_path, DAY)
    context.clock = FixedClock(DAY)  # "today" for the checks: a date after it is refused
    shown = SupportPage(context)
    qtbot.addWidget(shown)
    wired(shown)
    wait_for_background()
    return shown


def total_row(page: SupportPage):
    return page.figures_table.visible_rows()[-1]


def fill_request(dialog: SupportRequestDialog) -> None:
    dialog.date_edit.setDate(to_qdate(date(2024, 3, 4)))
    choose(dialog.company_combo, "딥러닝랩스")
    choose(dialog.kind_combo, "실증")
    dialog.description_edit.setText("실")
    dialog.description_edit.setText("")  # the use case's own check shows as the user types, before OK
    assert "요청 내용을 입력하세요" in dialog.error_text("description")
    dialog.date_edit.setDate(to_qdate(date(2024, 6, 1)))
    assert "오늘보다 늦습니다" in dialog.error_text("asked_on")
    dialog.date_edit.setDate(to_qdate(date(2024, 3, 4)))
    dialog.description_edit.setText("광주시 교통과와 자율주행 셔틀 실증")
    assert dialog.error_text("description") == dialog.error_text("asked_on") == ""
    dialog.submit()


def test_file_start_and_finish_a_request_and_the_figures_follow(page, engine, monkeypatch, qtmodeltester):
    assert page.table.visible_rows() == [] and total_row(page).counts.asked == 0
    drive_dialogs(monkeypatch, SupportRequestDialog, fill_request)
    page.new_button.click()
    wait_for_background()
    [row] = page.table.visible_rows()
    assert (row.company_name, row.kind, row.status, row.age_days) == ("딥러닝랩스", "demonstration", "received", 77)
    assert total_row(page).counts.asked == 1 and total_row(page).counts.open_at_year_end == 1
    assert "처리 중 1건" in page.subtitle.text()

    def start(dialog: SupportStepDialog) -> None:
        dialog.date_edit.setDate(to_qdate(date(2024, 3, 11)))
        dialog.submit()

    def finish_without_outcome(dialog: SupportStepDialog) -> None:
        dialog.date_edit.setDate(to_qdate(date(2024, 4, 3)))
        dialog.submit()
        assert "지원 결과를 입력하세요" in dialog.error_text("outcome")  # refused, the form stays open
        dialog.outcome_edit.setPlainText("교통과 실증 협약 체결, 셔틀 2대 운행")
        dialog.submit()

    drive_dialogs(monkeypatch, SupportStepDialog, start, finish_without_outcome)
    assert page.table.select_first(lambda r: r.request_id == row.request_id)
    assert page.start_button.isEnabled() and page.finish_button.isEnabled() and page.cancel_button.isEnabled()
    page.start_button.click()
    wait_for_background()
    assert page.table.current_row().status == "in_progress" and not page.start_button.isEnabled()
    page.finish_button.click()
    wait_for_background()
    done = page.table.current_row()
    assert (done.status, done.finished_on, done.outcome) == (
        "done",
        date(2024, 4, 3),
        "교통과 실증 협약 체결, 셔틀 2대 운행",
    )
    figures = {r.title: r.counts for r in page.figures_table.visible_rows()}
    assert figures["실증"].done == 1 and figures["실증"].median_days_to_done == 30
    assert figures["전체"].open_at_year_end == 0
    assert not page.finish_button.isEnabled() and not page.cancel_button.isEnabled()
    qtmodeltester.check(page.table.proxy)
    qtmodeltester.check(page.figures_table.proxy)
    with unit_of_work(engine) as session:
        assert session.get(SupportRequest, row.request_id).status == SupportStatus.DONE


def test_the_export_is_the_filtered_ledger_with_formula_like_text_as_text(page, engine, camp, saved):  # noqa: F811
    with unit_of_work(engine, clock=FixedClock(DAY)) as session:
        for company, text in ((camp["company"], HOSTILE), (camp["other"], "@멘션 요청")):
            support.file_support_request(
                session=session, company_id=company, asked_on=date(2024, 4, 1), kind="other", description=text
            )
    page.refresh()
    wait_for_background()
    page.search_edit.setText("HYPERLINK")
    page.export_button.click()
    assert wait_for_background()
    sheet = load_workbook(f"{saved['target']}.xlsx").active
    header = [cell.value for cell in sheet[HEADER_ROW]]
    [row] = list(sheet.iter_rows(min_row=HEADER_ROW + 1))
    cell = row[header.index("요청 내용")]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (HOSTILE, "s", True)
    assert row[header.index("기업")].value == "딥러닝랩스" and "검색어 'HYPERLINK'" in sheet.cell(2, 1).value


def test_filters_and_another_year(page, engine, camp):
    with unit_of_work(engine, clock=FixedClock(DAY)) as session:
        support.file_support_request(
            session=session,
            company_id=camp["company"],
            asked_on=date(2023, 6, 1),
            kind="computing",
            description="GPU 서버",
        )
        later = support.file_support_request(
            session=session,
            company_id=camp["other"],
            asked_on=date(2024, 2, 1),
            kind="consulting",
            description="특허 전략",
        )
        support.cancel_support(session=session, request_id=later.id, on=date(2024, 2, 5), reason="자체 해결")
    page.refresh()
    wait_for_background()
    assert len(page.table.visible_rows()) == 2
    choose(page.status_combo, "처리 중")
    assert [r.kind for r in page.table.visible_rows()] == ["computing"]
    choose(page.status_combo, "모든 상태")
    choose(page.kind_combo, "컨설팅")
    assert [r.status for r in page.table.visible_rows()] == ["cancelled"]
    page.year_spin.setValue(2023)
    wait_for_background()
    assert total_row(page).counts.asked == 1 and total_row(page).counts.cancelled == 0
    page.year_spin.setValue(2024)
    wait_for_background()
    assert total_row(page).counts.cancelled == 1 and total_row(page).counts.open_at_year_end == 1


@pytest.fixture
def app_as_shipped(qapp):
    """The bundled Korean font and the stylesheet, as the app starts with; put back afterwards."""
    font, sheet = qapp.font(), qapp.styleSheet()
    yield create_application([])
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)


def test_the_page_at_1366_by_728(qtbot, engine, tmp_path, camp, app_as_shipped):
    """Saved to /tmp/support.png and looked at: Hangul drawn, nothing cut off."""
    with unit_of_work(engine, clock=FixedClock(DAY)) as session:
        kinds = list(SupportKind)
        for index in range(14):
            company = camp["company"] if index % 2 else camp["other"]
            request = support.file_support_request(
                session=session,
                company_id=company,
                asked_on=date(2024, 1, 3 + index * 2),
                kind=kinds[index % len(kinds)].value,
                description=f"{['자율주행 셔틀 실증', 'GPU A100 2주', '입주기업 교류회', '특허 컨설팅', '투자사 IR 연결', '법률 자문'][index % 6]} 요청",
            )
            if index % 3:
                support.start_support(session=session, request_id=request.id, on=date(2024, 2, 1 + index))
            if index % 3 == 2:
                support.finish_support(
                    session=session,
                    request_id=request.id,
                    status="done",
                    on=date(2024, 3, 1 + index),
                    outcome="지원 완료함",
                )
    window = MainWindow(app_context(engine, tmp_path, DAY))
    qtbot.addWidget(window)
    window.resize(1366, 728)
    window.show()
    qtbot.waitExposed(window)
    window.show_page("support")
    wait_for_background()
    app_as_shipped.processEvents()
    page = window.pages["support"]
    assert len(page.table.visible_rows()) == 14 and total_row(page).counts.asked == 14
    assert page.figures_table.height() >= page.figures_table.sizeHint().height() - 40
    assert window.grab().save(str(SCREENSHOT))
    window.close()
    wait_for_background()


def test_a_step_over_a_colleagues_newer_save_is_refused_then_taken_on_the_reloaded_request(qtbot, page, engine, camp):
    with unit_of_work(engine, clock=FixedClock(DAY)) as session:
        asked = support.file_support_request(
            session=session,
            company_id=camp["company"],
            asked_on=date(2024, 3, 4),
            kind=SupportKind.CONSULTING.value,
            description="특허 상담",
        ).id
    page.refresh()
    wait_for_background()
    [row] = page.table.visible_rows()
    dialog = SupportStepDialog(page.context, row, to=SupportStatus.DONE, parent=page)
    qtbot.addWidget(dialog)
    with unit_of_work(engine, clock=FixedClock(DAY)) as session:  # another PC starts it meanwhile
        support.start_support(session=session, request_id=asked, on=date(2024, 3, 5))
    choose(dialog.result_combo, "완료")
    dialog.date_edit.setDate(to_qdate(date(2024, 4, 1)))
    dialog.outcome_edit.setPlainText("특허 출원 완료")
    dialog.submit()
    assert dialog.result() == 0
    assert "저장하지 않았습니다" in dialog.error_text() and "님이" in dialog.error_text()
    with unit_of_work(engine) as session:
        assert session.get(SupportRequest, asked).status == SupportStatus.IN_PROGRESS
    dialog.submit()  # the request reloaded, what was typed kept: the step is taken from the colleague's start
    assert dialog.result() == 1
    with unit_of_work(engine) as session:
        stored = session.get(SupportRequest, asked)
        assert (stored.status, stored.started_on, stored.outcome) == (
            SupportStatus.DONE,
            date(2024, 3, 5),
            "특허 출원 완료",
        )
