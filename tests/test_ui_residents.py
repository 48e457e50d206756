"""The Residents page driven as a manager would: add and edit companies, search, filter, read a history."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlmodel import func, select

from camp_manager.db.engine import unit_of_work
from camp_manager.db.models import BusinessField, Company, ExitReason, HeadcountRecord
from camp_manager.services import allocations, companies, directory, exits, occupancy, residency
from camp_manager.services.bizno import format_bizno
from camp_manager.services.companies import CompanyInput
from camp_manager.services.directory import CompanyStatus
from camp_manager.ui.dialogs.company_dialog import CompanyDialog, MoveInDialog
from camp_manager.ui.main_window import MainWindow
from camp_manager.ui.pages.residents_page import ResidentsPage
from camp_manager.ui.widgets.dates import to_qdate
from camp_manager.ui.workers import wait_for_background
from tests.conftest import DEMO_TODAY
from tests.factories import facility_with_rooms, valid_bizno
from tests.ui_helpers import app_context, choose, drive_dialogs, wired

DAY = date(2025, 3, 4)


@pytest.fixture
def camp(engine):
    """One facility with offices; '가온랩스' moved in 2024 and took room 301 and later a second headcount."""
    with unit_of_work(engine) as session:
        facility, offices, _zone = facility_with_rooms(session, name="테스트캠프")
        company = companies.register_company(
            session=session,
            data=CompanyInput(
                name="가온랩스",
                biz_reg_no="116-82-00276",
                representative="김가온",
                field=BusinessField.HEALTHCARE.value,
            ),
        )
        residency.move_in(session=session, company_id=company.id, facility_id=facility.id, move_in_on=date(2024, 1, 2))
        allocations.allocate_room(
            session=session, company_id=company.id, room_id=offices[0].id, start_on=date(2024, 1, 2)
        )
        allocations.move_to_room(session=session, allocation_id=1, to_room_id=offices[1].id, on=date(2024, 9, 1))
        companies.record_headcount(session=session, company_id=company.id, as_of=date(2024, 1, 2), employees=2)
        companies.record_headcount(session=session, company_id=company.id, as_of=date(2025, 1, 2), employees=5)
        gone = companies.register_company(
            session=session, data=CompanyInput(name="나래소프트", biz_reg_no=valid_bizno(), representative="이나래")
        )
        residency.move_in(session=session, company_id=gone.id, facility_id=facility.id, move_in_on=date(2023, 1, 2))
        exits.record_exit(
            session=session,
            company_id=gone.id,
            exit_on=date(2024, 12, 31),
            reason=ExitReason.RELOCATED_CAPITAL.value,
            destination="서울",
        )
        return {"facility": facility.id, "company": company.id, "gone": gone.id}


@pytest.fixture
def page(qtbot, engine, tmp_path, camp):
    residents = ResidentsPage(app_context(engine, tmp_path, DAY))
    qtbot.addWidget(residents)
    residents.resize(1200, 800)
    return wired(residents)


def names(page: ResidentsPage) -> list[str]:
    return [row.name for row in page.table.visible_rows()]


def company_count(engine) -> int:
    with unit_of_work(engine) as session:
        return session.exec(select(func.count()).select_from(Company)).one()


# --- adding -----------------------------------------------------------------------------------
def test_adding_a_company_refuses_a_bad_number_next_to_the_field_then_saves_a_good_one(page, engine, monkeypatch, camp):
    before = company_count(engine)
    seen: dict[str, object] = {}

    def fill(dialog: CompanyDialog) -> None:
        dialog.name.setText("다온헬스케어")
        dialog.representative.setText("박다온")
        dialog.biz_reg_no.setText("123-45-67890")  # check digit wrong
        seen["error"] = dialog.fields["biz_reg_no"].error
        dialog.save()
        seen["accepted_with_bad_number"] = dialog.result()
        seen["count_after_bad_save"] = company_count(engine)
        dialog.biz_reg_no.setText(format_bizno(valid_bizno(424242)))
        seen["error_after_fix"] = dialog.fields["biz_reg_no"].error
        choose(dialog.move_in_fields.facility, "테스트캠프")
        dialog.move_in_fields.move_in.setDate(to_qdate(date(2025, 3, 1)))
        dialog.employees.setValue(4)
        dialog.save()

    opened = drive_dialogs(monkeypatch, CompanyDialog, fill)
    page.create_new()
    assert len(opened) == 1
    assert "검증번호" in seen["error"]
    assert seen["accepted_with_bad_number"] == 0 and seen["count_after_bad_save"] == before
    assert seen["error_after_fix"] == ""
    page.refresh()  # the main window does this on the change signal
    wait_for_background()  # the rows are read off the UI thread
    page.show_item(opened[0].saved_company_id)
    row = page.table.current_row()
    assert row.name == "다온헬스케어" and row.status == CompanyStatus.ACTIVE and row.employees == 4
    assert row.facility_name == "테스트캠프" and row.move_in == date(2025, 3, 1)


def test_a_number_already_registered_is_shown_while_typing(qtbot, page, camp):
    dialog = CompanyDialog(page.context, parent=page)
    qtbot.addWidget(dialog)
    dialog.biz_reg_no.setText("1168200276")
    assert "가온랩스" in dialog.fields["biz_reg_no"].error
    assert dialog.fields["name"].error == ""  # untouched fields stay quiet
    dialog.name.setText("x")
    dialog.name.setText("")
    assert "기업명" in dialog.fields["name"].error


def test_dates_and_amounts_are_checked_as_typed(qtbot, page):
    dialog = CompanyDialog(page.context, parent=page)
    qtbot.addWidget(dialog)
    dialog.founded_on.setText("2024-13-40")
    dialog.investment.setText("일억")
    dialog.email.setText("ceo.example.com")
    assert "YYYY-MM-DD" in dialog.fields["founded_on"].error
    assert "숫자" in dialog.fields["investment_krw"].error
    assert "ceo@example.com" in dialog.fields["email"].error
    dialog.founded_on.setText("2024.3.5")
    assert dialog.fields["founded_on"].error == ""


def test_a_refusal_at_saving_is_shown_at_its_field_and_nothing_is_written(qtbot, page, engine, camp):
    dialog = CompanyDialog(page.context, parent=page)
    qtbot.addWidget(dialog)
    number = valid_bizno(777)
    dialog.name.setText("라온에너지")
    dialog.biz_reg_no.setText(number)
    dialog.employees.setValue(3)
    assert dialog.validate() == {}
    with unit_of_work(engine) as session:  # another PC registers the same number meanwhile
        companies.register_company(session=session, data=CompanyInput(name="먼저온기업", biz_reg_no=number))
    before = company_count(engine)
    dialog.save()
    assert dialog.result() == 0
    assert "먼저온기업" in dialog.fields["biz_reg_no"].error
    assert company_count(engine) == before


def test_editing_keeps_the_number_and_changes_the_name(page, monkeypatch, camp):
    page.select_company(camp["company"])

    def rename(dialog: CompanyDialog) -> None:
        assert dialog.biz_reg_no.text() == "116-82-00276"
        dialog.name.setText("가온랩스(주)")
        dialog.save()

    drive_dialogs(monkeypatch, CompanyDialog, rename)
    page.open_selected()
    page.refresh()
    wait_for_background()  # the rows are read off the UI thread
    assert "가온랩스(주)" in names(page)


def another_pc_changes_the_phone(engine, company_id: int) -> None:
    with unit_of_work(engine) as session:
        stored = session.get(Company, company_id)
        companies.edit_company(
            session=session,
            company_id=company_id,
            data=replace(companies.company_input(stored), phone="062-111-2222"),
            seen_version=stored.version,
        )


def test_a_colleagues_save_is_never_overwritten_the_dialog_reloads_and_reapplies(
    qtbot, page, engine, monkeypatch, camp
):
    dialog = CompanyDialog(page.context, company_id=camp["company"], parent=page)
    qtbot.addWidget(dialog)
    another_pc_changes_the_phone(engine, camp["company"])  # A saves while B's form is open
    dialog.email.setText("ceo@gaon.kr")  # B changes the e-mail
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda parent, title, text, *rest: asked.append(text) or QMessageBox.StandardButton.Yes
    )
    dialog.save()
    assert dialog.result() == 0 and len(asked) == 1
    assert "저장하지 않았습니다" in asked[0] and "님이" in asked[0]
    with unit_of_work(engine) as session:
        assert session.get(Company, camp["company"]).email == "", "the refused save wrote the e-mail"
    # The form now holds A's phone and B's e-mail; saving again keeps both.
    assert dialog.phone.text() == "062-111-2222" and dialog.email.text() == "ceo@gaon.kr"
    assert dialog.form_error.isVisibleTo(dialog)
    dialog.save()
    assert dialog.result() == 1
    with unit_of_work(engine) as session:
        stored = session.get(Company, camp["company"])
        assert (stored.phone, stored.email) == ("062-111-2222", "ceo@gaon.kr")


def test_declining_the_reload_keeps_the_form_and_writes_nothing(qtbot, page, engine, monkeypatch, camp):
    dialog = CompanyDialog(page.context, company_id=camp["company"], parent=page)
    qtbot.addWidget(dialog)
    another_pc_changes_the_phone(engine, camp["company"])
    dialog.email.setText("ceo@gaon.kr")
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.No)
    dialog.save()
    assert dialog.result() == 0 and dialog.email.text() == "ceo@gaon.kr" and dialog.phone.text() == ""
    assert "저장하지 않았습니다" in dialog.form_error.text()
    with unit_of_work(engine) as session:
        assert session.get(Company, camp["company"]).email == ""


# --- finding ------------------------------------------------------------------------------------
@pytest.mark.parametrize("needle", ["가온", "김가온", "116-82-00276", "1168200276", "82-0027"])
def test_search_matches_name_representative_and_number_with_or_without_dashes(page, needle):
    page.search.setText(needle)
    assert names(page) == ["가온랩스"]
    assert "1개 표시" in page.count_label.text()


def test_filters_by_status_facility_and_field(page, camp):
    assert names(page) == ["가온랩스"]  # active residents by default
    choose(page.status_filter, "퇴거")
    assert names(page) == ["나래소프트"]
    choose(page.status_filter, "모든 상태")
    assert sorted(names(page)) == ["가온랩스", "나래소프트"]
    choose(page.field_filter, "헬스케어")
    assert names(page) == ["가온랩스"]
    choose(page.field_filter, "모든 분야")
    choose(page.facility_filter, "테스트캠프")
    assert len(names(page)) == 2


def test_waiting_status_and_the_as_of_date(page, demo_engine, tmp_path, qtbot):
    demo = ResidentsPage(app_context(demo_engine, tmp_path, DEMO_TODAY))
    qtbot.addWidget(demo)
    wired(demo)
    choose(demo.status_filter, "입주 대기")
    with demo.context.unit_of_work() as session:
        waiting = [r for r in directory.company_list(session, on=DEMO_TODAY) if r.status == CompanyStatus.WAITING]
        active_2022 = occupancy.resident_count(session, on=date(2022, 12, 31))
    assert len(names(demo)) == len(waiting) == 8
    choose(demo.status_filter, "입주 중")
    demo.context.set_as_of(date(2022, 12, 31))
    assert len(names(demo)) == active_2022


# --- the history -------------------------------------------------------------------------------
def test_detail_tabs_show_the_companys_history(page, camp):
    page.select_company(camp["company"])
    detail = page.detail
    assert detail.profile_labels["name"].text() == "가온랩스"
    assert detail.profile_labels["employees"].text() == "5명"
    assert detail.profile_labels["rooms"].text() == "302"
    rooms = detail.rooms_table.visible_rows()
    assert sorted((r.room.code, r.allocation.end_on) for r in rooms) == [("301", date(2024, 9, 1)), ("302", None)]
    assert [h.employees for h in detail.headcount_table.visible_rows()] == [5, 2]
    page.show_item(camp["gone"])
    [stay] = detail.stays_table.visible_rows()
    assert stay.exit.reason == ExitReason.RELOCATED_CAPITAL.value
    assert detail.stays_table.proxy.index(0, 5).data() == "수도권 이전"
    assert detail.move_in_button.isEnabled()  # a company that left may move in again


def test_headcount_recorded_from_the_tab_and_refusals_shown_beside_it(page, engine, camp):
    page.select_company(camp["company"])
    page.detail.headcount_date.setDate(to_qdate(date(2025, 3, 1)))
    page.detail.headcount_value.setValue(9)
    page.detail.headcount_total.setValue(8)  # fewer in all than the regular ones: refused beside the field
    page.detail.record_headcount()
    assert "전체 인원(8)" in page.detail.headcount_error.text()
    page.detail.headcount_total.setValue(12)
    page.detail.record_headcount()
    page.select_company(camp["company"])
    with unit_of_work(engine) as session:
        assert companies.employees_on(session, camp["company"], date(2025, 3, 1)) == 9
        record = session.exec(select(HeadcountRecord).where(HeadcountRecord.as_of == date(2025, 3, 1))).one()
        assert record.total_employees == 12
    page.show_item(camp["gone"])
    page.detail.headcount_date.setDate(to_qdate(date(2025, 2, 1)))
    page.detail.record_headcount()
    assert "퇴거일" in page.detail.headcount_error.text()
    with unit_of_work(engine) as session:
        assert session.exec(select(HeadcountRecord).where(HeadcountRecord.company_id == camp["gone"])).all() == []


def test_a_company_that_left_moves_in_again(page, monkeypatch, camp):
    choose(page.status_filter, "모든 상태")
    page.show_item(camp["gone"])

    def move_in(dialog: MoveInDialog) -> None:
        dialog.fields.move_in.setDate(to_qdate(date(2025, 3, 2)))
        dialog.save()

    drive_dialogs(monkeypatch, MoveInDialog, move_in)
    page.move_in_selected()
    page.refresh()
    wait_for_background()  # the rows are read off the UI thread
    page.show_item(camp["gone"])
    assert page.table.current_row().status == CompanyStatus.ACTIVE


def test_delete_asks_first_and_only_removes_a_company_without_history(page, engine, monkeypatch, camp):
    with unit_of_work(engine) as session:
        mistake = companies.register_company(
            session=session, data=CompanyInput(name="오타기업", biz_reg_no=valid_bizno(99))
        ).id
    choose(page.status_filter, "모든 상태")
    page.refresh()
    wait_for_background()  # the rows are read off the UI thread
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Yes])
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: next(answers))
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *rest: warnings.append(text))
    page.select_company(mistake)
    page.delete_selected()  # answered No
    assert company_count(engine) == 3
    page.delete_selected()
    page.refresh()
    wait_for_background()  # the rows are read off the UI thread
    assert company_count(engine) == 2 and "오타기업" not in names(page)
    page.select_company(camp["company"])
    page.delete_selected()
    assert company_count(engine) == 2 and "퇴거 처리" in warnings[0]


def test_in_the_main_window_a_saved_company_is_selected(qtbot, demo_engine, tmp_path, monkeypatch):
    window = MainWindow(app_context(demo_engine, tmp_path, DEMO_TODAY))
    qtbot.addWidget(window)
    page = window.show_page("residents")

    def fill(dialog: CompanyDialog) -> None:
        dialog.name.setText("새싹에이아이")
        dialog.biz_reg_no.setText(valid_bizno(31337))
        dialog.save()

    drive_dialogs(monkeypatch, CompanyDialog, fill)
    window.actions["new"].trigger()
    wait_for_background()  # the list reloads off the UI thread, then selects the saved company
    assert page.table.current_row().name == "새싹에이아이"
    assert page.detail.profile_labels["name"].text() == "새싹에이아이"
    wait_for_background()
