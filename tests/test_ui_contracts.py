"""A stay's contract on the Residents page: start a renewal (a bad date refused under its field) and
the company leaves the Dashboard's contracts-ending list that day; extend the contract through its
dialog (the renewal closes); an extension over a colleague's newer save is refused, then reloaded."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from camp_manager.clock import FixedClock
from camp_manager.db.engine import unit_of_work
from camp_manager.db.models import ContractRenewal, Residency
from camp_manager.services import companies, residency
from camp_manager.services.companies import CompanyInput
from camp_manager.ui.dialogs.contract_dialogs import ExtensionDialog, RenewalStartDialog
from camp_manager.ui.pages.dashboard_page import DashboardPage
from camp_manager.ui.pages.residents_page import ResidentsPage
from camp_manager.ui.widgets.dates import to_qdate
from camp_manager.ui.workers import wait_for_background
from tests.dialog_guard import unexpected_dialogs_fail  # noqa: F401 (a fixture)
from tests.factories import facility_with_rooms
from tests.ui_helpers import app_context, drive_dialogs, wired

pytestmark = pytest.mark.usefixtures("unexpected_dialogs_fail")

TODAY = date(2026, 11, 22)
END = date(2026, 12, 20)  # 28 days after TODAY: the 30-day alert


@pytest.fixture
def stay_id(engine) -> int:
    with unit_of_work(engine) as session:
        facility, _offices, _zone = facility_with_rooms(session, name="테스트캠프")
        company = companies.register_company(
            session=session, data=CompanyInput(name="가온랩스", biz_reg_no="116-82-00276")
        )
        return residency.move_in(
            session=session,
            company_id=company.id,
            facility_id=facility.id,
            move_in_on=date(2024, 1, 2),
            contract_end=END,
        ).id


def start_renewal_on(engine, stay: int, on: date) -> int:
    with unit_of_work(engine, clock=FixedClock(TODAY)) as session:
        return residency.start_renewal(session=session, residency_id=stay, on=on).id


@pytest.fixture
def page(qtbot, engine, tmp_path, stay_id):
    context = app_context(engine, tmp_path, TODAY)
    context.clock = FixedClock(TODAY)
    residents = ResidentsPage(context)
    qtbot.addWidget(residents)
    residents.resize(1200, 800)
    wired(residents)
    assert residents.select_company(residents.table.visible_rows()[0].company_id)
    return residents


def contract_shown(page: ResidentsPage) -> str:
    return page.detail.profile_labels["contract"].text()


def ending_on(qtbot, engine, tmp_path, day: date) -> list[str]:
    dashboard = DashboardPage(app_context(engine, tmp_path, day))
    qtbot.addWidget(dashboard)
    wired(dashboard)
    return [row.name for row in dashboard.contract_table.visible_rows()]


def test_a_renewal_started_on_the_page_takes_the_company_off_the_ending_list_that_day(
    qtbot, page, engine, tmp_path, stay_id, monkeypatch
):
    assert contract_shown(page) == "2026-12-20 만료 (D-28) · 30일 이내"
    assert not page.detail.drop_renewal_action.isEnabled()

    def start(dialog: RenewalStartDialog) -> None:
        dialog.date_edit.setDate(to_qdate(date(2026, 12, 1)))
        assert "오늘보다 늦습니다" in dialog.error_text("started_on")  # shown as the date changes, before OK
        dialog.date_edit.setDate(to_qdate(date(2023, 12, 1)))
        assert "입주일(2024-01-02)보다 빠릅니다" in dialog.error_text("started_on")
        dialog.submit()
        assert dialog.result() == 0 and "입주일" in dialog.error_text("started_on")  # OK refused too
        dialog.date_edit.setDate(to_qdate(date(2026, 11, 10)))
        assert dialog.error_text("started_on") == ""
        dialog.note_edit.setText("재계약 서류 접수")
        dialog.submit()

    drive_dialogs(monkeypatch, RenewalStartDialog, start)
    page.detail.start_renewal_action.trigger()
    wait_for_background()
    assert contract_shown(page) == "2026-12-20 만료 (D-28) · 재계약 진행 중 (2026-11-10부터)"
    assert page.detail.drop_renewal_action.isEnabled() and not page.detail.start_renewal_action.isEnabled()
    with unit_of_work(engine) as session:
        [renewal] = session.exec(select(ContractRenewal)).all()
        assert (renewal.started_on, renewal.finished_on, renewal.note) == (date(2026, 11, 10), None, "재계약 서류 접수")
    assert ending_on(qtbot, engine, tmp_path, date(2026, 11, 9)) == ["가온랩스"]
    assert ending_on(qtbot, engine, tmp_path, date(2026, 11, 10)) == []
    page.context.set_as_of(date(2026, 11, 9))  # the day before, the detail still shows the alert
    assert contract_shown(page) == "2026-12-20 만료 (D-41) · 60일 이내"


def test_the_extension_dialog_refuses_under_its_fields_then_extends_and_closes_the_renewal(
    page, engine, stay_id, monkeypatch
):
    start_renewal_on(engine, stay_id, date(2026, 11, 10))
    page.refresh()
    wait_for_background()

    def extend(dialog: ExtensionDialog) -> None:
        dialog.end_edit.setDate(to_qdate(date(2026, 12, 1)))
        assert "현재 만료일(2026-12-20)보다 뒤여야 합니다" in dialog.error_text("contract_end")
        dialog.date_edit.setDate(to_qdate(date(2026, 11, 1)))
        assert "진행 중인 재계약의 시작일(2026-11-10)보다 빠릅니다" in dialog.error_text("extended_on")
        dialog.end_edit.setDate(to_qdate(date(2027, 12, 31)))
        dialog.date_edit.setDate(to_qdate(date(2026, 11, 20)))
        assert dialog.error_text("contract_end") == dialog.error_text("extended_on") == ""
        dialog.note_edit.setText("심사 통과, 1년 연장")
        dialog.submit()

    opened = drive_dialogs(monkeypatch, ExtensionDialog, extend)
    page.detail.extend_action.trigger()
    assert len(opened) == 1 and opened[0].result() == 1
    wait_for_background()
    with unit_of_work(engine) as session:
        assert session.get(Residency, stay_id).contract_end == date(2027, 12, 31)
        [renewal] = session.exec(select(ContractRenewal)).all()
        assert renewal.finished_on == date(2026, 11, 20)
    assert contract_shown(page) == "2027-12-31 만료 (D-404)"
    assert page.detail.start_renewal_action.isEnabled() and not page.detail.drop_renewal_action.isEnabled()


def test_an_extension_over_a_colleagues_newer_save_is_refused_then_made_on_the_reloaded_contract(
    qtbot, page, engine, stay_id
):
    start_renewal_on(engine, stay_id, date(2026, 11, 10))
    page.refresh()
    wait_for_background()
    dialog = ExtensionDialog(page.context, page.detail.current_stay(), "가온랩스", parent=page)
    qtbot.addWidget(dialog)
    with unit_of_work(engine, clock=FixedClock(TODAY)) as session:  # another PC extends it meanwhile
        residency.extend_contract(
            session=session, residency_id=stay_id, new_end=date(2027, 6, 30), on=date(2026, 11, 15)
        )
    dialog.end_edit.setDate(to_qdate(date(2027, 12, 31)))
    dialog.date_edit.setDate(to_qdate(date(2026, 11, 20)))
    dialog.submit()
    assert dialog.result() == 0
    assert "저장하지 않았습니다" in dialog.error_text() and "님이" in dialog.error_text()
    assert "2027-06-30" in dialog.summary.text()  # reloaded: the colleague's end
    with unit_of_work(engine) as session:
        assert session.get(Residency, stay_id).contract_end == date(2027, 6, 30)
    dialog.submit()  # what was typed is kept and applied to the reloaded contract
    assert dialog.result() == 1
    with unit_of_work(engine) as session:
        assert session.get(Residency, stay_id).contract_end == date(2027, 12, 31)
