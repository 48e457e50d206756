"""The main window: pages, shortcuts, the as-of date, status bar, state between runs, first start, errors."""

from __future__ import annotations

import logging
import sys
from datetime import date

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from camp_manager.errors import DomainError
from camp_manager.services import demo, occupancy
from camp_manager.services.facilities import facility_by_name
from camp_manager.ui.application import install_excepthook, install_qt_translations
from camp_manager.ui.context import AppContext, Settings
from camp_manager.ui.main_window import WELCOME, MainWindow, page_factories
from camp_manager.ui.widgets.dates import to_qdate
from camp_manager.ui.workers import show_error, wait_for_background
from tests.conftest import DEMO_TODAY
from tests.ui_helpers import app_context

PAGE_KEYS = [
    "dashboard",
    "residents",
    "rooms",
    "requests",
    "mentoring",
    "support",
    "outcomes",
    "exits",
    "reports",
    "import",
    "settings",
]


def open_window(qtbot, context: AppContext) -> MainWindow:
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    wait_for_background()
    return window


@pytest.fixture
def window(qtbot, demo_engine, tmp_path):
    shown = open_window(qtbot, app_context(demo_engine, tmp_path, DEMO_TODAY))
    yield shown
    wait_for_background()


def test_sidebar_has_every_page_in_a_stable_order(window):
    assert [key for key, _ in page_factories()] == PAGE_KEYS
    assert list(window.pages) == PAGE_KEYS
    titles = [window.sidebar.item(row).text() for row in range(window.sidebar.count())]
    assert titles[:2] == ["대시보드", "입주기업"] and titles[-1] == "설정"


def test_shortcuts_reach_the_page_in_view(qtbot, window, monkeypatch):
    page = window.show_page("residents")
    calls = []
    for hook in ("create_new", "delete_selected", "refresh"):
        monkeypatch.setattr(page, hook, lambda hook=hook: calls.append(hook))
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QCoreApplication.instance().focusWidget() is page.search
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert calls == ["create_new", "delete_selected", "refresh"]


def test_delete_in_a_text_field_edits_the_text(qtbot, window, monkeypatch):
    page = window.show_page("residents")
    monkeypatch.setattr(
        page, "delete_selected", lambda: pytest.fail("Delete in the search box must not delete a company")
    )
    page.search.setFocus()
    page.search.setText("가온")
    page.search.setCursorPosition(0)
    qtbot.keyClick(page.search, Qt.Key.Key_Delete)
    assert page.search.text() == "온"


def test_enter_in_the_list_opens_the_selection(qtbot, window, monkeypatch):
    page = window.show_page("residents")
    wait_for_background()  # the list is read off the UI thread
    opened = []
    monkeypatch.setattr(page, "open_selected", lambda: opened.append(page.selected_company_id()))
    page.table.setFocus()
    page.table.selectRow(2)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened == [page.table.visible_rows()[2].company_id]


def test_ctrl_number_switches_pages(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "settings"
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "support"
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "residents"
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "outcomes"
    qtbot.keyClick(window, Qt.Key.Key_9, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "reports"
    assert window.actions["page:import"].shortcut().isEmpty()


def test_showing_a_page_builds_that_page_only(window):
    for key in ("requests", "reports", "import", "dashboard", "settings"):
        before = set(window.pages.built())
        window.show_page(key)
        assert set(window.pages.built()) - before <= {key}, f"showing {key} built another page"
        assert window.current_key() == key


def test_status_bar_names_the_database_and_counts_residents_on_the_as_of_date(window, demo_engine, demo_db_path):
    assert str(demo_db_path) in window.database_label.text()
    with window.context.unit_of_work() as session:
        today = occupancy.resident_count(session, on=DEMO_TODAY)
        year_end = occupancy.resident_count(session, on=date(2023, 12, 31))
    assert f"입주기업 {today:,}개" in window.counts_label.text() and "2026-11-22" in window.counts_label.text()
    window.as_of_edit.setDate(to_qdate(date(2023, 12, 31)))
    assert f"입주기업 {year_end:,}개" in window.counts_label.text() and "2023-12-31" in window.counts_label.text()


def test_the_as_of_date_reaches_every_page(window):
    residents = window.show_page("residents")
    window.show_page("settings")
    window.as_of_edit.setDate(to_qdate(date(2022, 12, 31)))
    assert window.context.as_of == date(2022, 12, 31)
    window.show_page("residents")
    wait_for_background()  # the list is read off the UI thread
    assert "2022-12-31" in residents.count_label.text()  # reloaded when shown again
    window.context.set_as_of(date(2021, 6, 30))  # from code: the toolbar follows
    assert window.as_of_edit.date() == to_qdate(date(2021, 6, 30))
    window.actions["today"].trigger()
    assert window.context.as_of == date.today()


def test_window_state_is_remembered_between_runs(qtbot, demo_engine, tmp_path):
    first = open_window(qtbot, app_context(demo_engine, tmp_path, DEMO_TODAY))
    first.resize(760, 690)  # inside the offscreen screen (800×800), which a restore keeps windows within
    expected = (first.width(), first.height())
    residents = first.show_page("residents")
    residents.splitter.setSizes([500, 120])
    residents.table.setColumnWidth(0, 321)
    first.splitter.setSizes([190, 570])
    sizes, main_sizes = residents.splitter.sizes(), first.splitter.sizes()
    assert main_sizes[0] != 170 and sizes[1] < 200  # moved away from the defaults
    first.close()

    second = open_window(qtbot, app_context(demo_engine, tmp_path, DEMO_TODAY))
    assert second.current_key() == "residents"
    assert (second.width(), second.height()) == expected
    assert second.pages["residents"].table.columnWidth(0) == 321
    assert second.pages["residents"].splitter.sizes() == sizes
    assert second.splitter.sizes() == main_sizes
    second.close()


def test_navigation_selects_the_item_on_the_other_page(window):
    with window.context.unit_of_work() as session:
        target = occupancy.residents_on(session, on=DEMO_TODAY)[5].company
    window.context.navigate("residents", target.id)
    wait_for_background()  # the list is read off the UI thread, then the item selected
    assert window.current_key() == "residents"
    assert window.pages["residents"].selected_company_id() == target.id


# --- first start ------------------------------------------------------------------------------
def test_first_start_on_an_empty_database_welcomes_and_loads_the_demo(qtbot, engine, tmp_path, monkeypatch):
    errors = []
    for kind in ("warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind, lambda parent, title, text, *rest: errors.append(text))
    # An early as-of date keeps the simulated history (and the test) short.
    window = open_window(qtbot, app_context(engine, tmp_path, date(2021, 3, 31)))
    assert window.current_key() == WELCOME and window.stack.currentWidget() is window.welcome
    window.welcome.demo_button.click()
    qtbot.waitUntil(lambda: errors or window.current_key() == "dashboard", timeout=120_000)
    assert errors == []
    wait_for_background()
    with window.context.unit_of_work() as session:
        camp = facility_by_name(session, demo.CAMP)
        assert occupancy.year_end_residents(session, years=[2020], facility_id=camp.id) == {
            2020: demo.YEAR_END_TARGETS[demo.CAMP][2020]
        }
    assert [f.name for f in window.pages["dashboard"].data.facilities] == [demo.CAMP, demo.IPLEX]


def test_welcome_page_leads_to_import_and_to_facility_set_up(qtbot, engine, tmp_path):
    window = open_window(qtbot, app_context(engine, tmp_path, DEMO_TODAY))
    window.welcome.import_button.click()
    assert window.current_key() == "import"
    window.show_welcome()
    window.welcome.setup_button.click()
    assert window.current_key() == "settings"
    assert window.pages["settings"].tabs.currentWidget() is window.pages["settings"].facilities


# --- language and errors ------------------------------------------------------------------------
def test_qt_standard_buttons_are_in_korean(qapp):
    before = QCoreApplication.translate("QPlatformTheme", "Cancel")  # an earlier test's app may have installed them
    translators = install_qt_translations(qapp, "ko")
    try:
        assert translators
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "취소"
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == before


def test_a_domain_error_is_a_plain_warning(monkeypatch, qapp):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *rest: shown.append(text))
    show_error(None, DomainError("사업자등록번호를 확인하세요.", field="biz_reg_no"))
    assert shown == ["사업자등록번호를 확인하세요."]


def test_an_unexpected_error_is_logged_and_shown_kindly(monkeypatch, qapp):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *rest: shown.append((title, text)))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    # A handler on the module's own logger: independent of what other tests did to root logging.
    records: list[logging.LogRecord] = []
    catcher = logging.Handler()
    catcher.emit = records.append
    logger = logging.getLogger("camp_manager.ui.application")
    logger.addHandler(catcher)
    install_excepthook(qapp)
    try:
        raise ZeroDivisionError("계산 오류")
    except ZeroDivisionError:
        sys.excepthook(*sys.exc_info())
    finally:
        logger.removeHandler(catcher)
    assert shown and shown[0][0] == "예기치 않은 오류" and "로그 파일" in shown[0][1]
    assert any(r.exc_info and r.exc_info[0] is ZeroDivisionError for r in records)


def test_private_settings_never_touch_the_users(tmp_path):
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    settings.set_value("window/last_page", "rooms")
    assert settings.value("window/last_page") == "rooms"
    assert settings.value("missing/number", 5) == 5
