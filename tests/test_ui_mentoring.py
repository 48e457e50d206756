"""The Mentoring page: log a session in one dialog, mark planned ones held or cancel them,
filters over the log, the period's counts and the mentor pool."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlmodel import select

from camp_manager.db.engine import unit_of_work
from camp_manager.db.models import Mentor, MentoringSession, SessionStatus
from camp_manager.services import mentoring
from camp_manager.services.mentoring_figures import mentoring_summary
from camp_manager.ui.dialogs.session_dialog import SessionDialog
from camp_manager.ui.pages.mentoring_page import MentoringPage, Period, period_range
from camp_manager.ui.workers import wait_for_background
from tests.conftest import DEMO_TODAY
from tests.factories import facility_with_rooms, resident
from tests.ui_helpers import app_context, choose, drive_dialogs, wired

DAY = date(2024, 3, 20)


@pytest.fixture
def pool(engine):
    with unit_of_work(engine) as session:
        facility, _, _ = facility_with_rooms(session)
        first = resident(session, facility, name="딥러닝랩스", move_in_on=date(2024, 1, 2))
        second = resident(session, facility, name="뉴로웍스", move_in_on=date(2024, 1, 2))
        kim = mentoring.add_mentor(session=session, name="김투자", field="finance", affiliation="△△벤처캐피탈")
        lee = mentoring.add_mentor(session=session, name="이기술", field="technology")
        mentoring.log_held_session(
            session=session,
            mentor_id=kim.id,
            company_id=first.id,
            held_on=date(2024, 3, 5),
            minutes=90,
            topic="IR 피칭 점검",
        )
        planned = mentoring.plan_session(
            session=session, mentor_id=lee.id, company_id=second.id, held_on=date(2024, 3, 18), topic="MVP 검증"
        )
        ahead = mentoring.plan_session(
            session=session, mentor_id=lee.id, company_id=first.id, held_on=date(2024, 3, 28), topic="특허"
        )
        return {
            "first": first.id,
            "second": second.id,
            "kim": kim.id,
            "lee": lee.id,
            "planned": planned.id,
            "ahead": ahead.id,
        }


@pytest.fixture
def page(qtbot, engine, tmp_path, pool):
    mentoring_page = MentoringPage(app_context(engine, tmp_path, DAY))
    qtbot.addWidget(mentoring_page)
    return wired(mentoring_page)


def session_row(engine, session_id: int) -> MentoringSession:
    with unit_of_work(engine) as session:
        return session.get(MentoringSession, session_id)


def select_session(page: MentoringPage, session_id: int) -> None:
    assert page.log_table.select_first(lambda row: row.session_id == session_id)


def test_periods_are_calendar_spans_around_the_as_of_date():
    assert period_range(Period.MONTH, date(2024, 2, 10)) == (date(2024, 2, 1), date(2024, 2, 29))
    assert period_range(Period.MONTH, date(2024, 12, 10)) == (date(2024, 12, 1), date(2024, 12, 31))
    assert period_range(Period.YEAR, date(2024, 2, 10)) == (date(2024, 1, 1), date(2024, 12, 31))
    start, end = period_range(Period.LAST_12_MONTHS, date(2024, 2, 10))
    assert end == date(2024, 2, 10) and (end - start).days == 364


def test_log_filters_and_counts(page, pool, qtmodeltester):
    assert page.period_combo.currentData() == Period.YEAR
    assert [row.topic for row in page.log_table.visible_rows()] == ["특허", "MVP 검증", "IR 피칭 점검"]
    assert (
        page.held_tile.value() == "1회" and page.companies_tile.value() == "1곳" and page.planned_tile.value() == "2회"
    )
    assert page.hours_tile.value() == "1.5시간"  # 90 minutes
    choose(page.mentor_combo, "김투자")
    assert [row.mentor for row in page.log_table.visible_rows()] == ["김투자"]
    choose(page.mentor_combo, "모든 멘토")
    choose(page.field_combo, "기술")
    assert {row.mentor for row in page.log_table.visible_rows()} == {"이기술"}
    page.search_edit.setText("뉴로")
    assert [row.company for row in page.log_table.visible_rows()] == ["뉴로웍스"]
    by_field = {row.field: row.sessions for row in page.field_table.visible_rows()}
    assert by_field["finance"] == 1 and by_field["technology"] == 0
    pool_rows = {m.name: m.sessions_this_year for m in page.pool_table.visible_rows()}
    assert pool_rows == {"김투자": 1, "이기술": 0}
    for table in (page.log_table, page.pool_table, page.field_table, page.mentor_summary_table):
        qtmodeltester.check(table.source)
        qtmodeltester.check(table.proxy)


def test_log_a_held_session_in_one_dialog(page, engine, pool, monkeypatch):
    def fill(dialog: SessionDialog) -> None:
        dialog.date_edit.setDate(date(2024, 3, 12))
        assert dialog.held_radio.isChecked()
        choose(dialog.mentor_combo, "김투자")
        choose(dialog.company_combo, "뉴로웍스")
        dialog.minutes_spin.setValue(120)
        dialog.topic_edit.setText("투자 유치 전략")
        dialog.notes_edit.setPlainText("시리즈 A 준비")
        dialog.ok_button.click()

    drive_dialogs(monkeypatch, SessionDialog, fill)
    page.create_new()
    with unit_of_work(engine) as session:
        logged = session.exec(select(MentoringSession).where(MentoringSession.topic == "투자 유치 전략")).one()
    assert (logged.company_id, logged.mentor_id, logged.held_on, logged.minutes, logged.status, logged.notes) == (
        pool["second"],
        pool["kim"],
        date(2024, 3, 12),
        120,
        SessionStatus.HELD,
        "시리즈 A 준비",
    )
    assert page.held_tile.value() == "2회" and page.companies_tile.value() == "2곳"


def test_a_company_not_resident_on_the_day_cannot_be_chosen_and_a_future_day_is_planned(
    page, engine, pool, monkeypatch
):
    def fill(dialog: SessionDialog) -> None:
        dialog.date_edit.setDate(date(2023, 12, 1))
        assert dialog.company_combo.count() == 0  # nobody had moved in yet
        dialog.date_edit.setDate(date(2099, 1, 5))
        assert dialog.planned_radio.isChecked() and not dialog.held_radio.isEnabled()
        choose(dialog.mentor_combo, "이기술")
        dialog.ok_button.click()
        assert "기업" in dialog.error_text("company")
        choose(dialog.company_combo, "딥러닝랩스")
        dialog.ok_button.click()

    drive_dialogs(monkeypatch, SessionDialog, fill)
    page.create_new()
    with unit_of_work(engine) as session:
        planned = session.exec(select(MentoringSession).where(MentoringSession.held_on == date(2099, 1, 5))).one()
    assert planned.status == SessionStatus.PLANNED


def test_mark_held_and_cancel_planned_sessions(page, engine, pool, monkeypatch):
    select_session(page, pool["planned"])
    assert page.held_button.isEnabled()
    assert page.mark_held()
    assert session_row(engine, pool["planned"]).status == SessionStatus.HELD
    select_session(page, pool["ahead"])
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: next(answers))
    assert not page.cancel_planned()
    assert session_row(engine, pool["ahead"]).status == SessionStatus.PLANNED
    select_session(page, pool["ahead"])
    assert page.cancel_planned()
    assert session_row(engine, pool["ahead"]).status == SessionStatus.CANCELLED
    select_session(page, pool["ahead"])
    assert not page.held_button.isEnabled()  # only planned sessions can be changed


def test_demo_counts_match_the_summary_query(qtbot, demo_engine, tmp_path):
    demo = wired(MentoringPage(app_context(demo_engine, tmp_path, DEMO_TODAY)))
    qtbot.addWidget(demo)
    start, end = period_range(Period.YEAR, DEMO_TODAY)
    with unit_of_work(demo_engine) as session:
        expected = mentoring_summary(session, start=start, end=date(end.year + 1, 1, 1))
        mentors = len(session.exec(select(Mentor)).all())
    assert demo.held_tile.value() == f"{expected.sessions}회"
    assert demo.companies_tile.value() == f"{expected.companies_reached}곳"
    assert len(demo.pool_table.visible_rows()) == mentors
    choose(demo.period_combo, "달")
    wait_for_background()  # the page reads the month off the UI thread
    assert all(row.held_on.month == DEMO_TODAY.month for row in demo.log_table.visible_rows())
