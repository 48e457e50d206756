"""Focus the window hands on by itself lands on the page, never on the global as-of date
(one stray key there changes the date of every page)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from camp_manager.ui.main_window import MainWindow
from camp_manager.ui.workers import wait_for_background
from tests.conftest import DEMO_TODAY
from tests.ui_helpers import app_context
from tools.screenshots import write_resident_list


@pytest.fixture
def window(qtbot, demo_engine, tmp_path):
    shown = MainWindow(app_context(demo_engine, tmp_path, DEMO_TODAY))
    qtbot.addWidget(shown)
    shown.show()
    shown.activateWindow()
    qtbot.waitActive(shown)
    wait_for_background()
    yield shown
    wait_for_background()


def focus_is_on_the_page(window: MainWindow) -> bool:
    focused = QApplication.focusWidget()
    return focused is not None and window.current_page().isAncestorOf(focused)


def test_after_each_import_step_focus_stays_on_the_page(qtbot, window, tmp_path):
    page = window.show_page("import")
    page.file_step.path_edit.setText(str(write_resident_list(window.context, "AI 창업캠프", tmp_path / "명단.xlsx")))
    for step in page.LIST_FLOW[1:]:
        page.next_button.setFocus()  # the manager clicks 다음 / 가져오기
        page.next()
        qtbot.waitUntil(lambda step=step: page.current_step() == step, timeout=60_000)
        wait_for_background()
        QApplication.processEvents()
        assert QApplication.focusWidget() is not window.as_of_edit, step
        assert focus_is_on_the_page(window), (step, QApplication.focusWidget())
        if step == "confirm":
            page.confirm_step.skip_invalid_check.setChecked(True)  # the list has a row in error
    assert "새로 등록" in page.summary_step.summary_label.text()


def test_after_a_dialog_that_greys_its_button_focus_returns_to_the_page(qtbot, window):
    rooms = window.show_page("rooms")
    wait_for_background()  # the plan is read off the UI thread
    held = next(t for t in rooms.plan.tiles if t.holders)
    rooms.floor_map.select_room(held.room_id)
    rooms.exit_button.setFocus()  # the last button of the page: next in line is the as-of date

    def while_open() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QDialog)
        rooms.floor_map.select_room(None)  # as the refresh after the exit does: the room's buttons go grey
        assert not rooms.exit_button.isEnabled()
        dialog.reject()

    QTimer.singleShot(0, while_open)
    QMessageBox(QMessageBox.Icon.Information, "확인", "저장했습니다.", parent=window).exec()
    window.activateWindow()  # as the window system does when the dialog closes
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    assert QApplication.focusWidget() is not window.as_of_edit
    assert focus_is_on_the_page(window), QApplication.focusWidget()


def test_a_click_or_tab_still_reaches_the_as_of_date(qtbot, window):
    page = window.show_page("residents")
    page.search.setFocus()
    window.as_of_edit.setFocus()  # a click, or Tab from a field still shown
    QApplication.processEvents()
    assert QApplication.focusWidget() is window.as_of_edit
