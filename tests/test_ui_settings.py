"""The Settings page: room policy, facilities and rooms, language, folders, backup, the database choice."""

from __future__ import annotations

from datetime import date

import pytest

from camp_manager.db.engine import unit_of_work
from camp_manager.db.models import Facility, Room
from camp_manager.reporting.options import ReportOptions
from camp_manager.services import allocations, directory, facilities
from camp_manager.ui.context import SettingKey
from camp_manager.ui.dialogs.facility_dialogs import FacilityDialog, FloorRoomsDialog, RetireRoomDialog
from camp_manager.ui.pages.settings_page import SettingsPage
from camp_manager.ui.widgets.dates import to_qdate
from camp_manager.ui.workers import wait_for_background
from tests.factories import facility_with_rooms, resident
from tests.ui_helpers import app_context, choose, drive_dialogs, wired

DAY = date(2025, 3, 4)


@pytest.fixture
def camp(engine):
    with unit_of_work(engine) as session:
        facility, offices, _zone = facility_with_rooms(session, name="테스트캠프", offices=4, max_rooms=1)
        company = resident(session, facility, move_in_on=date(2024, 1, 2))
        allocations.allocate_room(
            session=session, company_id=company.id, room_id=offices[0].id, start_on=date(2024, 1, 2)
        )
        return {"facility": facility.id, "held": offices[0].id, "vacant": offices[1].id}


@pytest.fixture
def page(qtbot, engine, tmp_path, camp):
    settings = SettingsPage(app_context(engine, tmp_path, DAY))
    qtbot.addWidget(settings)
    settings.resize(1100, 760)
    wired(settings)
    yield settings
    wait_for_background()


def rooms_of(engine, facility_id: int) -> list[Room]:
    with unit_of_work(engine) as session:
        return directory.facility_rooms(session, facility_id=facility_id)


def test_room_policy_change_persists(page, engine, camp, qtbot, tmp_path):
    tab = page.facilities
    assert tab.selected_facility_id() == camp["facility"]
    assert tab.policy.value() == 1
    tab.policy.setValue(2)
    tab.apply_policy()
    with unit_of_work(engine) as session:
        assert session.get(Facility, camp["facility"]).max_rooms_per_company == 2
    again = SettingsPage(app_context(engine, tmp_path, DAY))
    qtbot.addWidget(again)
    wired(again)
    assert again.facilities.policy.value() == 2
    assert again.facilities.facility_table.proxy.index(0, 2).data() == "2"


def test_adding_a_facility_refuses_a_taken_name_next_to_it(page, monkeypatch):
    seen = {}

    def fill(dialog: FacilityDialog) -> None:
        dialog.name.setText("테스트캠프")
        dialog.submit()
        seen["error"] = dialog.error_text("name")
        dialog.name.setText("제2캠프")
        dialog.max_rooms.setValue(2)
        dialog.submit()

    drive_dialogs(monkeypatch, FacilityDialog, fill)
    page.create_new()  # Ctrl+N on Settings adds a facility
    assert "이미 있습니다" in seen["error"]
    rows = page.facilities.facility_table.visible_rows()
    assert [r.facility.name for r in rows] == ["테스트캠프", "제2캠프"]
    assert page.facilities.facility_table.current_row().facility.max_rooms_per_company == 2


def test_a_floor_of_rooms_in_one_step(page, engine, monkeypatch, camp):
    before = len(rooms_of(engine, camp["facility"]))

    def fill(dialog: FloorRoomsDialog) -> None:
        dialog.floor.setValue(5)
        assert (dialog.first.value(), dialog.last.value()) == (501, 520)
        dialog.last.setValue(512)
        assert "12실" in dialog.preview.text()
        dialog.submit()

    drive_dialogs(monkeypatch, FloorRoomsDialog, fill)
    page.facilities.add_floor()
    page.refresh()
    rooms = rooms_of(engine, camp["facility"])
    assert len(rooms) == before + 12
    assert {r.code for r in rooms if r.floor == 5} == {str(n) for n in range(501, 513)}
    assert page.facilities.room_table.proxy.rowCount() == len(rooms)


def test_a_clashing_floor_is_refused_and_nothing_is_made(page, engine, monkeypatch, camp):
    before = len(rooms_of(engine, camp["facility"]))
    seen = {}

    def fill(dialog: FloorRoomsDialog) -> None:
        dialog.floor.setValue(3)  # 301–304 exist
        dialog.submit()
        seen["error"] = dialog.error_text("first_number")
        dialog.reject()

    drive_dialogs(monkeypatch, FloorRoomsDialog, fill)
    page.facilities.add_floor()
    assert "301" in seen["error"]
    assert len(rooms_of(engine, camp["facility"])) == before


def test_a_room_in_use_cannot_be_retired_a_vacant_one_can(page, engine, monkeypatch, camp):
    table = page.facilities.room_table
    seen = {}

    def refuse(dialog: RetireRoomDialog) -> None:
        dialog.submit()
        seen["held"] = dialog.error_text("on")
        dialog.reject()

    def retire(dialog: RetireRoomDialog) -> None:
        dialog.on.setDate(to_qdate(date(2025, 4, 1)))
        dialog.submit()

    drive_dialogs(monkeypatch, RetireRoomDialog, refuse, retire)
    page.show_item("facilities")
    assert table.select_first(lambda r: r.id == camp["held"])
    page.delete_selected()  # Delete on the rooms list asks through the dialog
    assert "배정" in seen["held"]
    assert table.select_first(lambda r: r.id == camp["vacant"])
    page.facilities.retire_room()
    page.refresh()
    retired = {r.id: r.retired_on for r in rooms_of(engine, camp["facility"])}
    assert retired[camp["vacant"]] == date(2025, 4, 1) and retired[camp["held"]] is None
    assert table.select_first(lambda r: r.id == camp["vacant"])
    assert "사용 중지" in table.proxy.index(table.currentIndex().row(), 5).data()


def test_retiring_a_room_a_colleague_retired_meanwhile_is_refused_then_refused_again_for_the_reloaded_room(
    qtbot, page, engine, camp
):
    """Retiring is the one change of a room: reloaded, the room is retired already, and OK says so."""
    [room] = [r for r in rooms_of(engine, camp["facility"]) if r.id == camp["vacant"]]
    dialog = RetireRoomDialog(
        page.context, room_id=room.id, room_code=room.code, room_version=room.version, parent=page
    )
    qtbot.addWidget(dialog)
    with unit_of_work(engine) as session:  # another PC retires it while this form is open
        facilities.deactivate_room(session=session, room_id=room.id, on=date(2025, 5, 1))
    dialog.on.setDate(to_qdate(date(2025, 4, 1)))
    dialog.submit()
    assert dialog.result() == 0
    assert "저장하지 않았습니다" in dialog.error_text() and "님이" in dialog.error_text()
    dialog.submit()  # the room reloaded: no second conflict, but the reason it cannot be retired
    assert dialog.result() == 0
    assert "이미 2025-05-01부터" in dialog.error_text("on") and "님이" not in dialog.error_text()
    retired = {r.id: r.retired_on for r in rooms_of(engine, camp["facility"])}
    assert retired[camp["vacant"]] == date(2025, 5, 1)


def test_language_choice_is_saved_for_the_next_start(page):
    general = page.general
    choose(general.language, "English")
    assert page.context.settings.value(SettingKey.LANGUAGE) == "en"
    assert "다시 시작" in general.language_note.text()
    choose(general.language, "한국어")
    assert general.language_note.text() == ""


def test_report_office_and_approval_box_are_kept_for_the_reports(page, qtbot, engine, tmp_path):
    general = page.general
    assert page.context.report_options() == ReportOptions()  # by default: no office, no box
    assert not general.approval_titles.isEnabled() and general.approval_titles.placeholderText() == "담당, 팀장, 센터장"
    general.office.setText(" AI 창업캠프 운영팀 ")
    general.approval.setChecked(True)
    assert general.approval_titles.isEnabled()
    general.approval_titles.setText("1,2,3,4,5,6,7")
    general.approval_titles.editingFinished.emit()
    assert "6칸까지" in general.approval_note.text()  # refused, not saved
    general.approval_titles.setText("기안 ,검토,, 승인")
    general.approval_titles.editingFinished.emit()
    assert general.approval_titles.text() == "기안, 검토, 승인"
    wanted = ReportOptions(office="AI 창업캠프 운영팀", approval=True, approval_titles=("기안", "검토", "승인"))
    assert page.context.report_options() == wanted
    # Read back as the next start reads it.
    again = SettingsPage(app_context(engine, tmp_path, DAY))
    qtbot.addWidget(again)
    assert again.context.report_options() == wanted
    assert again.general.office.text() == "AI 창업캠프 운영팀" and again.general.approval.isChecked()
    assert again.general.approval_titles.text() == "기안, 검토, 승인"


def test_back_up_now_writes_into_the_backup_folder(page, qtbot, tmp_path):
    folder = tmp_path / "backups"
    page.context.settings.set_value(SettingKey.BACKUP_FOLDER, str(folder))
    page.general.back_up_now()
    qtbot.waitUntil(lambda: "백업했습니다" in page.general.backup_note.text(), timeout=10_000)
    [backup] = folder.glob("*.sqlite3")
    assert str(backup) in page.general.backup_note.text()


def test_connection_test_and_database_choice(page, qtbot, db_path, memory_keyring):
    database = page.database
    assert database.use_file.isChecked() and database.file_path.text() == str(db_path)
    database.test_connection()
    qtbot.waitUntil(lambda: "스키마 최신" in database.result.text(), timeout=10_000)
    database.use_server.setChecked(True)
    database.server_url.setText("postgresql+psycopg://camp:secret@127.0.0.1:1/camp")
    database.test_connection()
    qtbot.waitUntil(lambda: "연결하지 못했습니다" in database.result.text(), timeout=20_000)
    database.save()
    # The password goes to the keyring; the settings file keeps the address without it.
    assert page.context.settings.value(SettingKey.DATABASE_URL) == "postgresql+psycopg://camp@127.0.0.1:1/camp"
    assert memory_keyring.entries == {("CampManager", "camp@127.0.0.1:1/camp"): "secret"}
    assert "secret" not in database.result.text() and "127.0.0.1" in database.result.text()
    assert "PC 사용자" in database.signed_in.text()
