"""The Rooms page driven like a manager would: the floor map, allocate, expand over the policy,
move, release, the room history, and the map following the as-of date."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from sqlmodel import select

from camp_manager.db.engine import unit_of_work
from camp_manager.db.models import Allocation, Company, RoomKind
from camp_manager.labels import label
from camp_manager.services import allocations, companies, floorplan, listings
from camp_manager.services.floorplan import TileState
from camp_manager.ui.dialogs.allocation_dialog import AllocationDialog, MoveDialog, ReleaseDialog
from camp_manager.ui.main_window import MainWindow
from camp_manager.ui.pages.rooms_page import RoomHistoryDialog, RoomsPage
from camp_manager.ui.workers import wait_for_background
from tests.conftest import DEMO_TODAY
from tests.factories import facility_with_rooms, resident
from tests.ui_helpers import app_context, choose, drive_dialogs, wired

MOVE_IN = date(2024, 1, 2)
DAY = date(2024, 3, 4)


@pytest.fixture
def camp(engine):
    """One facility (policy: one room per company), offices 301–304, a 10-seat lounge, two residents."""
    with unit_of_work(engine) as session:
        facility, offices, zone = facility_with_rooms(session, offices=4, zone_seats=10, max_rooms=1)
        first = resident(session, facility, name="딥러닝랩스", move_in_on=MOVE_IN)
        second = resident(session, facility, name="뉴로웍스", move_in_on=MOVE_IN)
        return {
            "facility": facility.id,
            "offices": [o.id for o in offices],
            "zone": zone.id,
            "first": first.id,
            "second": second.id,
        }


@pytest.fixture
def page(qtbot, engine, tmp_path, camp):
    context = app_context(engine, tmp_path, DAY)
    rooms = RoomsPage(context)
    qtbot.addWidget(rooms)
    rooms.resize(1200, 800)
    rooms.show()
    return wired(rooms)


def allocations_of(engine, company_id: int) -> list[Allocation]:
    with unit_of_work(engine) as session:
        return list(session.exec(select(Allocation).where(Allocation.company_id == company_id).order_by(Allocation.id)))


def give_room(engine, company_id: int, room_id: int, start_on: date = MOVE_IN) -> None:
    with unit_of_work(engine) as session:
        allocations.allocate_room(session=session, company_id=company_id, room_id=room_id, start_on=start_on)


def select_tile(page: RoomsPage, room_id: int) -> None:
    """Click the tile on the map, as a manager would."""
    rect = page.floor_map.tile_rect(room_id)
    assert rect is not None, "the room is not on the map"
    page.map_scroll.ensureVisible(int(rect.center().x()), int(rect.center().y()))
    page.floor_map.mousePressEvent(_press(rect.center()))
    assert page.selected_tile().room_id == room_id


def _press(point: QPointF) -> QMouseEvent:
    return QMouseEvent(
        QEvent.Type.MouseButtonPress,
        point,
        point,
        Qt.MouseButton.LeftButton,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )


def test_floor_map_shows_every_room_with_its_state_and_a_legend(page, camp, qtmodeltester):
    codes = [tile.code for tile in page.floor_map.tiles()]
    assert sorted(codes) == ["301", "302", "303", "304", "라운지"]
    assert {tile.state for tile in page.floor_map.tiles()} == {TileState.VACANT, TileState.SHARED}
    assert page.legend.label_text(TileState.VACANT) == f"{label(TileState.VACANT)} 4"
    assert "0/10" in " ".join(page.floor_map.tile_texts(camp["zone"]))
    # Floor tabs: every floor, then one floor only.
    tabs = [page.floor_tabs.tabText(i) for i in range(page.floor_tabs.count())]
    assert tabs == ["전체 층", "1층", "3층"]
    page.floor_tabs.setCurrentIndex(2)
    assert sorted(t.code for t in page.floor_map.tiles()) == ["301", "302", "303", "304"]
    select_tile(page, camp["offices"][0])
    assert page.allocate_button.isEnabled() and not page.release_button.isEnabled()
    qtmodeltester.check(page.holder_table.source)
    qtmodeltester.check(page.holder_table.proxy)


def test_allocate_a_room_through_the_dialog(page, engine, camp, monkeypatch):
    select_tile(page, camp["offices"][1])

    def fill(dialog: AllocationDialog) -> None:
        assert dialog.room_combo.currentData() == camp["offices"][1]  # the clicked room is preset
        assert dialog.policy_warning.isHidden()
        choose(dialog.company_combo, "딥러닝랩스")
        assert "0개 사용" in dialog.policy_label.text() and dialog.policy_warning.isHidden()
        dialog.ok_button.click()

    opened = drive_dialogs(monkeypatch, AllocationDialog, fill)
    assert page.allocate()
    [allocation] = allocations_of(engine, camp["first"])
    assert (allocation.room_id, allocation.start_on, allocation.end_on, allocation.override_reason) == (
        camp["offices"][1],
        DAY,
        None,
        "",
    )
    assert len(opened) == 1
    # The map was redrawn after the write: the tile now names the company.
    tile = next(t for t in page.floor_map.tiles() if t.room_id == camp["offices"][1])
    assert tile.state == TileState.OCCUPIED and "딥러닝랩스" in page.floor_map.tile_texts(tile.room_id)
    assert page.selected_tile().room_id == camp["offices"][1] and page.release_button.isEnabled()


def test_expand_over_the_policy_needs_a_reason_which_is_recorded(page, engine, camp, monkeypatch):
    give_room(engine, camp["first"], camp["offices"][0])
    page.refresh()
    wait_for_background()
    select_tile(page, camp["offices"][0])
    seen = {}

    def fill(dialog: AllocationDialog) -> None:
        assert not dialog.company_combo.isEnabled()  # the company comes from the tile
        assert dialog.company_combo.currentText() == "딥러닝랩스"
        assert "최대 호실: 1개" in dialog.policy_label.text() and "1개 사용" in dialog.policy_label.text()
        assert not dialog.policy_warning.isHidden()  # the policy is visible before OK
        choose(dialog.room_combo, "302")
        dialog.ok_button.click()  # no reason: refused, nothing written
        seen["error"] = dialog.error_text("override_reason")
        seen["after_refusal"] = len(allocations_of(engine, camp["first"]))
        seen["still_open"] = dialog.result() != dialog.DialogCode.Accepted
        dialog.reason_edit.setText("고용 10명, 운영위원회 예외 승인")
        dialog.ok_button.click()

    drive_dialogs(monkeypatch, AllocationDialog, fill)
    assert page.expand()
    assert "사유" in seen["error"] and "1개" in seen["error"]
    assert seen["after_refusal"] == 1 and seen["still_open"]
    held = allocations_of(engine, camp["first"])
    assert [(a.room_id, a.override_reason) for a in held] == [
        (camp["offices"][0], ""),
        (camp["offices"][1], "고용 10명, 운영위원회 예외 승인"),
    ]
    tile = next(t for t in page.floor_map.tiles() if t.room_id == camp["offices"][1])
    assert tile.holders[0].rooms_held == 2 and tile.holders[0].override_reason


def test_move_to_another_room(page, engine, camp, monkeypatch):
    give_room(engine, camp["first"], camp["offices"][0])
    page.refresh()
    wait_for_background()
    select_tile(page, camp["offices"][0])

    def fill(dialog: MoveDialog) -> None:
        dialog.on_edit.setDate(date(2024, 3, 10))
        choose(dialog.room_combo, "303")
        dialog.ok_button.click()

    drive_dialogs(monkeypatch, MoveDialog, fill)
    assert page.move()
    old, new = allocations_of(engine, camp["first"])
    assert (old.room_id, old.end_on) == (camp["offices"][0], date(2024, 3, 10))
    assert (new.room_id, new.start_on, new.end_on) == (camp["offices"][2], date(2024, 3, 10), None)


def test_release_asks_for_the_day_and_ends_the_allocation(page, engine, camp, monkeypatch):
    give_room(engine, camp["second"], camp["offices"][3])
    page.refresh()
    wait_for_background()
    select_tile(page, camp["offices"][3])
    answers = iter([False, True])

    def decide(dialog: ReleaseDialog) -> None:
        assert "뉴로웍스" in dialog.question.text() and "304호" in dialog.question.text()
        if next(answers):
            dialog.on_edit.setDate(date(2024, 4, 1))
            dialog.ok_button.click()
        else:
            dialog.reject()

    drive_dialogs(monkeypatch, ReleaseDialog, decide, decide)
    assert not page.release()  # cancelled: nothing changes
    assert allocations_of(engine, camp["second"])[0].end_on is None
    assert page.release()
    assert allocations_of(engine, camp["second"])[0].end_on == date(2024, 4, 1)


def a_colleague_releases(engine, allocation_id: int, on: date) -> None:
    """Another PC saves the allocation (a release planned later) while this PC's dialog is open."""
    with unit_of_work(engine) as session:
        allocations.release_room(session=session, allocation_id=allocation_id, on=on)


def test_a_move_over_a_colleagues_newer_save_is_refused_then_made_on_the_reloaded_allocation(qtbot, page, engine, camp):
    give_room(engine, camp["first"], camp["offices"][0])
    page.refresh()
    wait_for_background()
    select_tile(page, camp["offices"][0])
    dialog = MoveDialog(
        page.context,
        facility_id=camp["facility"],
        holder=page.selected_holder(),
        from_tile=page.selected_tile(),
        parent=page,
    )
    qtbot.addWidget(dialog)
    [held] = allocations_of(engine, camp["first"])
    a_colleague_releases(engine, held.id, date(2024, 6, 30))
    dialog.on_edit.setDate(date(2024, 3, 10))
    choose(dialog.room_combo, "라운지")
    dialog.seats_spin.setValue(3)
    dialog.ok_button.click()
    assert dialog.result() == 0
    assert "저장하지 않았습니다" in dialog.error_text() and "님이" in dialog.error_text()
    [still] = allocations_of(engine, camp["first"])
    assert (still.room_id, still.end_on) == (camp["offices"][0], date(2024, 6, 30)), "the refused move wrote"
    # The allocation reloaded; the day, the room and the seats typed are kept.
    assert dialog.room_combo.currentData() == camp["zone"] and dialog.seats_spin.value() == 3
    dialog.ok_button.click()
    assert dialog.result() == 1
    old, new = allocations_of(engine, camp["first"])
    assert (old.room_id, old.end_on) == (camp["offices"][0], date(2024, 3, 10))
    assert (new.room_id, new.seats, new.start_on, new.end_on) == (camp["zone"], 3, date(2024, 3, 10), date(2024, 6, 30))


def test_a_release_over_a_colleagues_newer_save_is_refused_then_made_on_the_reloaded_allocation(
    qtbot, page, engine, camp
):
    give_room(engine, camp["second"], camp["offices"][3])
    page.refresh()
    wait_for_background()
    select_tile(page, camp["offices"][3])
    dialog = ReleaseDialog(page.context, holder=page.selected_holder(), room_code="304", parent=page)
    qtbot.addWidget(dialog)
    [held] = allocations_of(engine, camp["second"])
    a_colleague_releases(engine, held.id, date(2024, 6, 30))
    dialog.on_edit.setDate(date(2024, 4, 1))
    dialog.ok_button.click()
    assert dialog.result() == 0
    assert "저장하지 않았습니다" in dialog.error_text() and "님이" in dialog.error_text()
    assert allocations_of(engine, camp["second"])[0].end_on == date(2024, 6, 30), "the refused release wrote"
    dialog.ok_button.click()  # the allocation reloaded, the day typed kept
    assert dialog.result() == 1
    assert allocations_of(engine, camp["second"])[0].end_on == date(2024, 4, 1)


def test_the_map_follows_the_as_of_date(page, engine, camp):
    give_room(engine, camp["first"], camp["offices"][0], start_on=date(2024, 3, 1))
    with unit_of_work(engine) as session:
        companies.record_headcount(session=session, company_id=camp["first"], as_of=date(2024, 5, 1), employees=9)
    office = camp["offices"][0]

    page.context.set_as_of(date(2024, 2, 15))
    before = page.floor_map.tile_texts(office)
    page.context.set_as_of(date(2024, 3, 15))
    during = page.floor_map.tile_texts(office)
    page.context.set_as_of(date(2024, 5, 2))
    crowded = next(t for t in page.floor_map.tiles() if t.room_id == office)

    assert "딥러닝랩스" not in before and label(TileState.VACANT) in before
    assert "딥러닝랩스" in during
    assert crowded.state == TileState.OVER_CAPACITY and "9명/4석" in page.floor_map.tile_texts(office)
    assert "2024-05-02" in page.subtitle.text()


def test_context_menu_search_and_history(page, engine, camp, monkeypatch):
    give_room(engine, camp["first"], camp["offices"][0])
    with unit_of_work(engine) as session:
        moved = session.exec(select(Allocation).where(Allocation.company_id == camp["first"])).one()
        allocations.move_to_room(
            session=session, allocation_id=moved.id, to_room_id=camp["offices"][1], on=date(2024, 2, 1)
        )
        allocations.allocate_room(
            session=session, company_id=camp["second"], room_id=camp["offices"][0], start_on=date(2024, 2, 1)
        )
    page.refresh()
    wait_for_background()

    page.search_edit.setText("딥러닝")
    assert page.match_label.text() == "1곳"
    page.go_to_first_match()
    assert page.selected_tile().room_id == camp["offices"][1]

    menu = page.tile_menu(page.selected_tile())
    enabled = {action.text(): action.isEnabled() for action in menu.actions() if action.text()}
    assert enabled["배정…"] is False and enabled["배정 해제…"] is True and enabled["호실 이력"] is True

    select_tile(page, camp["offices"][0])
    shown = []
    monkeypatch.setattr(RoomHistoryDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    page.show_history()
    [history] = shown
    assert [row.company_name for row in history.table.visible_rows()] == ["뉴로웍스", "딥러닝랩스"]
    assert history.table.visible_rows()[1].end_on == date(2024, 2, 1)


def test_demo_floor_map_and_company_navigation(qtbot, demo_engine, tmp_path, qtmodeltester):
    context = app_context(demo_engine, tmp_path, DEMO_TODAY)
    rooms = wired(RoomsPage(context))
    qtbot.addWidget(rooms)
    plan = rooms.plan
    assert plan.facility_name == "AI 창업캠프" and len(rooms.floor_map.tiles()) == len(plan.tiles) == 102
    counts = plan.state_counts()
    assert sum(counts.values()) == 102 and counts[TileState.OVER_CAPACITY] > 0
    for state, count in counts.items():
        assert rooms.legend.label_text(state).endswith(f" {count}")
    # Another page points at a company of the other facility: the map switches to it.
    with unit_of_work(demo_engine) as session:
        target = session.exec(select(Company).where(Company.name == "브레인다이나믹스")).first()
    crowded = next(t for t in plan.tiles if t.state == TileState.OVER_CAPACITY)
    rooms.show_item(crowded.holders[0].company_id)
    assert rooms.selected_tile().room_id == crowded.room_id
    assert target is not None  # a waitlisted company has no room: showing it changes nothing
    rooms.show_item(target.id)
    assert rooms.selected_tile().room_id == crowded.room_id
    # …and a company of the other facility: the map switches facility and floor.
    with unit_of_work(demo_engine) as session:
        other = floorplan.floor_plan(session, on=DEMO_TODAY, facility_id=listings.facilities_in_order(session)[1].id)
    elsewhere = next(t for t in other.tiles if t.kind == RoomKind.PRIVATE_OFFICE and t.holders)
    rooms.floor_tabs.setCurrentIndex(1)  # a single floor is shown
    rooms.show_item(elsewhere.holders[0].company_id)
    wait_for_background()  # the other facility's plan is read off the UI thread
    assert rooms.facility_combo.currentText() == "아이플렉스" and rooms.plan.facility_id == other.facility_id
    assert rooms.selected_tile().room_id == elsewhere.room_id
    qtmodeltester.check(rooms.holder_table.source)
    qtmodeltester.check(rooms.attention_table.source)
    qtmodeltester.check(rooms.floor_table.source)


def test_the_toolbar_date_redraws_the_map_in_the_main_window(qtbot, engine, tmp_path, camp):
    give_room(engine, camp["first"], camp["offices"][2], start_on=date(2024, 3, 1))
    window = MainWindow(app_context(engine, tmp_path, date(2024, 2, 1)))
    qtbot.addWidget(window)
    rooms = window.show_page("rooms")
    wait_for_background()
    office = camp["offices"][2]
    assert "딥러닝랩스" not in rooms.floor_map.tile_texts(office)
    window.as_of_edit.setDate(date(2024, 3, 1))
    wait_for_background()
    assert "딥러닝랩스" in rooms.floor_map.tile_texts(office)
    assert rooms.plan.on == date(2024, 3, 1)
    wait_for_background()
