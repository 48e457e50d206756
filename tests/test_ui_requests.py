"""The Requests page: the queue in order with age, filters, approve (into a room), decline, file."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QInputDialog
from sqlmodel import select

from camp_manager.db.engine import unit_of_work
from camp_manager.db.models import Allocation, RequestKind, RequestStatus, Residency, RoomRequest
from camp_manager.services import allocations, companies, requests
from camp_manager.services.occupancy import open_requests
from camp_manager.ui.dialogs.allocation_dialog import AllocationDialog
from camp_manager.ui.dialogs.request_dialog import RequestDialog
from camp_manager.ui.pages.requests_page import RequestsPage
from tests.conftest import DEMO_TODAY
from tests.factories import facility_with_rooms, resident, valid_bizno
from tests.ui_helpers import app_context, choose, drive_dialogs, wired

MOVE_IN = date(2024, 1, 2)
DAY = date(2024, 3, 4)


@pytest.fixture
def queue(engine):
    """A resident with a room asking for a second one, and an outside company on the waitlist."""
    with unit_of_work(engine) as session:
        facility, offices, _ = facility_with_rooms(session, offices=4, zone_seats=10, max_rooms=1)
        grown = resident(session, facility, name="딥러닝랩스", move_in_on=MOVE_IN)
        allocations.allocate_room(session=session, company_id=grown.id, room_id=offices[0].id, start_on=MOVE_IN)
        waiting = companies.register_company(
            session=session, data=companies.CompanyInput(name="대기중테크", biz_reg_no=valid_bizno())
        )
        companies.register_company(
            session=session, data=companies.CompanyInput(name="새로운소프트", biz_reg_no=valid_bizno())
        )
        expansion = requests.file_request(
            session=session,
            company_id=grown.id,
            facility_id=facility.id,
            kind=RequestKind.EXPANSION.value,
            requested_on=date(2024, 2, 1),
            note="직원 증가",
        )
        waitlist = requests.file_request(
            session=session,
            company_id=waiting.id,
            facility_id=facility.id,
            kind=RequestKind.WAITLIST.value,
            requested_on=date(2024, 2, 20),
        )
        return {
            "facility": facility.id,
            "offices": [o.id for o in offices],
            "grown": grown.id,
            "waiting": waiting.id,
            "expansion": expansion.id,
            "waitlist": waitlist.id,
        }


@pytest.fixture
def page(qtbot, engine, tmp_path, queue):
    requests_page = RequestsPage(app_context(engine, tmp_path, DAY))
    qtbot.addWidget(requests_page)
    return wired(requests_page)


def select_request(page: RequestsPage, request_id: int) -> None:
    assert page.table.select_first(lambda row: row.request_id == request_id)


def stored(engine, model, **where):
    with unit_of_work(engine) as session:
        query = select(model)
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        return list(session.exec(query))


def test_queue_in_order_with_age_and_filters(page, queue, qtmodeltester):
    rows = page.table.visible_rows()
    assert [(r.company_name, r.age_days, r.queue_position) for r in rows] == [
        ("딥러닝랩스", 32, 1),
        ("대기중테크", 13, 1),
    ]
    assert "대기 중 2건" in page.subtitle.text() and "32일" in page.subtitle.text()
    choose(page.kind_combo, "입주 대기")
    assert [r.company_name for r in page.table.visible_rows()] == ["대기중테크"]
    choose(page.status_combo, "반려")
    assert page.table.visible_rows() == []
    page.show_item(queue["waiting"])  # another page points at the company: every status is shown to find it
    assert page.table.current_row().request_id == queue["waitlist"] and page.status_combo.currentData() is None
    choose(page.status_combo, "모든 상태")
    choose(page.kind_combo, "모든 유형")
    page.search_edit.setText("직원 증가")
    assert [r.company_name for r in page.table.visible_rows()] == ["딥러닝랩스"]
    qtmodeltester.check(page.table.source)
    qtmodeltester.check(page.table.proxy)


def test_approving_a_waitlist_request_moves_in_and_allocates(page, engine, queue, monkeypatch):
    select_request(page, queue["waitlist"])
    assert page.approve_button.isEnabled()

    def fill(dialog: AllocationDialog) -> None:
        assert dialog.company_combo.currentText() == "대기중테크" and not dialog.company_combo.isEnabled()
        assert dialog.needs_move_in() and not dialog.move_in_note.isHidden()
        choose(dialog.room_combo, "303")
        dialog.contract_edit.setDate(date(2025, 12, 31))
        dialog.ok_button.click()

    drive_dialogs(monkeypatch, AllocationDialog, fill)
    assert page.approve()
    [stay] = stored(engine, Residency, company_id=queue["waiting"])
    assert (stay.move_in, stay.contract_end) == (DAY, date(2025, 12, 31))
    [allocation] = stored(engine, Allocation, company_id=queue["waiting"])
    assert (allocation.room_id, allocation.start_on) == (queue["offices"][2], DAY)
    [request] = stored(engine, RoomRequest, id=queue["waitlist"])
    assert (request.status, request.decided_on) == (RequestStatus.APPROVED, DAY)
    assert [r.company_name for r in page.table.visible_rows()] == ["딥러닝랩스"]  # the open queue


def test_approving_an_expansion_over_the_policy_records_the_reason(page, engine, queue, monkeypatch):
    select_request(page, queue["expansion"])

    def fill(dialog: AllocationDialog) -> None:
        assert not dialog.needs_move_in() and dialog.over_policy() and not dialog.policy_warning.isHidden()
        choose(dialog.room_combo, "302")
        dialog.ok_button.click()
        assert "사유" in dialog.error_text("override_reason")
        dialog.reason_edit.setText("운영위원회 승인")
        dialog.ok_button.click()

    drive_dialogs(monkeypatch, AllocationDialog, fill)
    assert page.approve()
    held = stored(engine, Allocation, company_id=queue["grown"])
    assert sorted((a.room_id, a.override_reason) for a in held) == [
        (queue["offices"][0], ""),
        (queue["offices"][1], "운영위원회 승인"),
    ]
    assert stored(engine, RoomRequest, id=queue["expansion"])[0].status == RequestStatus.APPROVED


def test_an_approval_over_a_colleagues_decision_is_refused_then_refused_again_for_the_reloaded_request(
    qtbot, page, engine, queue
):
    """No use case changes an open request and leaves it open: reloaded, the request is decided, and OK says so."""
    select_request(page, queue["expansion"])
    dialog = AllocationDialog(
        page.context, facility_id=queue["facility"], request=page.table.current_row(), parent=page
    )
    qtbot.addWidget(dialog)
    with unit_of_work(engine) as session:  # another PC declines it while this form is open
        requests.decline_request(session=session, request_id=queue["expansion"], on=DAY, note="공실 없음")
    choose(dialog.room_combo, "302")
    dialog.reason_edit.setText("운영위원회 승인")
    dialog.ok_button.click()
    assert dialog.result() == 0
    assert "저장하지 않았습니다" in dialog.error_text() and "님이" in dialog.error_text()
    assert dialog.room_combo.currentData() == queue["offices"][1] and dialog.reason_edit.text() == "운영위원회 승인"
    dialog.ok_button.click()  # the request reloaded: no second conflict, but the reason it cannot be approved
    assert dialog.result() == 0
    assert "이미 처리되었습니다" in dialog.error_text() and "님이" not in dialog.error_text()
    assert [a.room_id for a in stored(engine, Allocation, company_id=queue["grown"])] == [queue["offices"][0]]
    assert stored(engine, RoomRequest, id=queue["expansion"])[0].status == RequestStatus.DECLINED


def test_decline_asks_for_a_note_and_withdraw_can_be_cancelled(page, engine, queue, monkeypatch):
    answers = iter([("공실 없음", True), ("", False)])
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *args, **kwargs: next(answers))
    select_request(page, queue["expansion"])
    assert page.decline()
    request = stored(engine, RoomRequest, id=queue["expansion"])[0]
    assert (request.status, request.decided_on) == (RequestStatus.DECLINED, DAY) and request.note.endswith("공실 없음")
    select_request(page, queue["waitlist"])
    assert not page.withdraw()
    assert stored(engine, RoomRequest, id=queue["waitlist"])[0].status == RequestStatus.OPEN


def test_file_a_new_waitlist_request(page, engine, queue, monkeypatch):
    def fill(dialog: RequestDialog) -> None:
        names = [dialog.company_combo.itemText(i) for i in range(dialog.company_combo.count())]
        assert "새로운소프트" in names and "딥러닝랩스" not in names  # residents cannot join the waitlist
        choose(dialog.company_combo, "새로운소프트")
        dialog.note_edit.setPlainText("입주 심사 통과")
        dialog.ok_button.click()

    drive_dialogs(monkeypatch, RequestDialog, fill)
    page.create_new()
    [filed] = [r for r in stored(engine, RoomRequest) if r.note == "입주 심사 통과"]
    assert (filed.kind, filed.requested_on, filed.status) == (RequestKind.WAITLIST, DAY, RequestStatus.OPEN)
    assert "새로운소프트" in [r.company_name for r in page.table.visible_rows()]


def test_demo_queue(qtbot, demo_engine, tmp_path):
    demo = wired(RequestsPage(app_context(demo_engine, tmp_path, DEMO_TODAY)))
    qtbot.addWidget(demo)
    rows = demo.table.visible_rows()
    with unit_of_work(demo_engine) as session:
        expected = {request.id for request, _ in open_requests(session, on=DEMO_TODAY)}
    assert {r.request_id for r in rows} == expected and all(r.status == RequestStatus.OPEN for r in rows)
    assert [r.requested_on for r in rows] == sorted(r.requested_on for r in rows)
