"""The Exits page: the exit dialog previews what will close, then closes it all on one date;
the history follows the as-of date, with a chart of reasons per year."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCharts import QStackedBarSeries
from sqlmodel import select

from camp_manager.db.engine import unit_of_work
from camp_manager.db.models import (
    Allocation,
    Exit,
    ExitReason,
    MentoringSession,
    RequestKind,
    RequestStatus,
    Residency,
    RoomRequest,
    SessionStatus,
)
from camp_manager.services import allocations, facilities, mentoring, requests, residency
from camp_manager.services.movements import exits_by_year_and_reason
from camp_manager.ui.dialogs.exit_dialog import ExitDialog
from camp_manager.ui.pages.exits_page import ExitsPage
from tests.conftest import DEMO_TODAY
from tests.factories import facility_with_rooms, resident
from tests.ui_helpers import app_context, choose, drive_dialogs, wired

MOVE_IN = date(2024, 1, 2)
EXIT_ON = date(2024, 6, 1)


@pytest.fixture
def leaving(engine):
    """A company holding an office and lounge seats, with a planned session and an open request."""
    with unit_of_work(engine) as session:
        facility, offices, zone = facility_with_rooms(session, offices=4, zone_seats=10)
        facilities.set_room_policy(session=session, facility_id=facility.id, max_rooms_per_company=2)
        company = resident(session, facility, name="떠나는랩스", move_in_on=MOVE_IN)
        resident(session, facility, name="남는소프트", move_in_on=MOVE_IN)
        allocations.allocate_room(session=session, company_id=company.id, room_id=offices[0].id, start_on=MOVE_IN)
        allocations.allocate_room(session=session, company_id=company.id, room_id=zone.id, start_on=MOVE_IN, seats=2)
        mentor = mentoring.add_mentor(session=session, name="박멘토", field="technology")
        mentoring.plan_session(session=session, mentor_id=mentor.id, company_id=company.id, held_on=date(2024, 7, 1))
        requests.file_request(
            session=session,
            company_id=company.id,
            facility_id=facility.id,
            kind=RequestKind.EXPANSION.value,
            requested_on=date(2024, 5, 1),
        )
        return company.id


@pytest.fixture
def page(qtbot, engine, tmp_path, leaving):
    exits_page = ExitsPage(app_context(engine, tmp_path, EXIT_ON))
    qtbot.addWidget(exits_page)
    return wired(exits_page)


def test_exit_dialog_previews_then_closes_everything_on_the_date(page, engine, leaving, monkeypatch):
    seen = {}

    def fill(dialog: ExitDialog) -> None:
        assert not dialog.ok_button.isEnabled()  # nothing chosen, nothing to confirm
        choose(dialog.company_combo, "떠나는랩스")
        dialog.exit_edit.setDate(date(2023, 12, 1))
        seen["too_early"] = dialog.preview_text()
        seen["ok_when_too_early"] = dialog.ok_button.isEnabled()
        dialog.exit_edit.setDate(EXIT_ON)
        seen["preview"] = dialog.preview_text()
        dialog.ok_button.click()  # no reason yet
        seen["reason_error"] = dialog.error_text("reason")
        choose(dialog.reason_combo, "수도권 이전")
        dialog.destination_edit.setText("서울특별시")
        dialog.ok_button.click()

    drive_dialogs(monkeypatch, ExitDialog, fill)
    page.create_new()

    assert "입주일" in seen["too_early"] and not seen["ok_when_too_early"]
    preview = seen["preview"]
    assert "301호" in preview and "라운지" in preview and "박멘토" in preview and "확장 신청" in preview
    assert "2024-06-01" in preview
    assert "사유" in seen["reason_error"]
    with unit_of_work(engine) as session:
        stay = session.exec(select(Residency).where(Residency.company_id == leaving)).one()
        held = session.exec(select(Allocation).where(Allocation.company_id == leaving)).all()
        planned = session.exec(select(MentoringSession).where(MentoringSession.company_id == leaving)).one()
        request = session.exec(select(RoomRequest).where(RoomRequest.company_id == leaving)).one()
        exit_row = session.exec(select(Exit).where(Exit.company_id == leaving)).one()
    assert stay.ended_on == EXIT_ON
    assert [a.end_on for a in held] == [EXIT_ON, EXIT_ON]
    assert planned.status == SessionStatus.CANCELLED and request.status == RequestStatus.WITHDRAWN
    assert (exit_row.reason, exit_row.destination) == (ExitReason.RELOCATED_CAPITAL, "서울특별시")
    [row] = page.table.visible_rows()
    assert (row.company_name, row.exit_on) == ("떠나는랩스", EXIT_ON)
    page.show_item(leaving)
    assert page.table.current_row() == row
    series = page.chart.chart().series()
    assert len(series) == 1 and isinstance(series[0], QStackedBarSeries) and series[0].count() == 1


def test_an_exit_over_a_colleagues_newer_save_is_refused_then_saved_on_the_reloaded_stay(qtbot, page, engine, leaving):
    dialog = ExitDialog(page.context, company_id=leaving, parent=page)
    qtbot.addWidget(dialog)
    choose(dialog.reason_combo, "졸업")
    with unit_of_work(engine) as session:  # another PC extends the contract while this form is open
        stay_id = session.exec(select(Residency.id).where(Residency.company_id == leaving)).one()
        residency.extend_contract(session=session, residency_id=stay_id, new_end=date(2027, 1, 1), on=MOVE_IN)
    dialog.ok_button.click()
    assert dialog.result() == 0
    assert "저장하지 않았습니다" in dialog.error_text() and "님이" in dialog.error_text()
    with unit_of_work(engine) as session:
        assert session.exec(select(Exit)).all() == [] and session.get(Residency, stay_id).ended_on is None
    dialog.ok_button.click()  # the stay was reloaded; the reason chosen is kept
    assert dialog.result() == 1
    with unit_of_work(engine) as session:
        assert session.exec(select(Exit.reason)).one() == ExitReason.GRADUATED
        assert session.get(Residency, stay_id).ended_on == EXIT_ON


def test_history_follows_the_as_of_date_and_filters(page, engine, leaving, monkeypatch, qtmodeltester):
    def fill(dialog: ExitDialog) -> None:
        choose(dialog.company_combo, "떠나는랩스")
        choose(dialog.reason_combo, "졸업")
        dialog.ok_button.click()

    drive_dialogs(monkeypatch, ExitDialog, fill)
    page.create_new()
    assert len(page.table.visible_rows()) == 1
    choose(page.reason_combo, "폐업")
    assert page.table.visible_rows() == []
    choose(page.reason_combo, "모든 사유")
    page.context.set_as_of(date(2024, 5, 31))
    assert page.table.visible_rows() == [] and page.chart.chart().series()[0].count() == 0
    qtmodeltester.check(page.table.source)
    qtmodeltester.check(page.table.proxy)


def test_demo_history_and_chart(qtbot, demo_engine, tmp_path):
    demo = wired(ExitsPage(app_context(demo_engine, tmp_path, DEMO_TODAY)))
    qtbot.addWidget(demo)
    with unit_of_work(demo_engine) as session:
        by_year = exits_by_year_and_reason(session, until=DEMO_TODAY)
    assert len(demo.table.visible_rows()) == sum(sum(c.values()) for c in by_year.values())
    [series] = demo.chart.chart().series()
    assert series.count() == len({reason for counts in by_year.values() for reason, n in counts.items() if n})
    lack_of_space = next(bars for bars in series.barSets() if bars.label() == "공간 부족")
    assert sum(lack_of_space.at(i) for i in range(lack_of_space.count())) == sum(
        c[ExitReason.LACK_OF_SPACE] for c in by_year.values()
    )
    choose(demo.facility_combo, "아이플렉스")
    assert {row.facility_name for row in demo.table.visible_rows()} == {"아이플렉스"}
