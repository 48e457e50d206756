"""The About dialog (Help menu): the version, where the data, backups, logs and settings are, the licences;
and the start-up check the frozen build runs (`--smoke`) finds what a bundle may lack."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QLabel

from camp_manager import __version__
from camp_manager.importing import template
from camp_manager.ui.application import install_qt_translations, smoke_exit_code, smoke_problems
from camp_manager.ui.dialogs import about_dialog
from camp_manager.ui.dialogs.about_dialog import AboutDialog
from camp_manager.ui.logs import log_file
from camp_manager.ui.main_window import MainWindow
from camp_manager.ui.style import app_icon
from camp_manager.ui.workers import wait_for_background
from tests.conftest import DEMO_TODAY
from tests.dialog_guard import unexpected_dialogs_fail  # noqa: F401 (a fixture)
from tests.ui_helpers import app_context

pytestmark = pytest.mark.usefixtures("unexpected_dialogs_fail")


def shown_text(dialog: AboutDialog) -> str:
    return "\n".join(label.text() for label in dialog.findChildren(QLabel)) + "\n" + dialog.licences.toPlainText()


@pytest.fixture
def context(demo_engine, tmp_path):
    return app_context(demo_engine, tmp_path, DEMO_TODAY)


def test_about_names_the_version_the_folders_and_the_licences(qtbot, context, demo_db_path):
    dialog = AboutDialog(context)
    qtbot.addWidget(dialog)
    text = shown_text(dialog)
    assert f"Camp Manager {__version__}" in text
    assert str(demo_db_path) in text
    # No backup folder chosen: backups go beside the database file.
    assert str(Path(demo_db_path).parent) in dialog.paths["backups"]
    assert str(log_file().parent) in text
    assert context.settings.location() in text
    assert "licensed under the SIL Open Font License, Version 1.1" in text and "NanumGothic" in text
    assert "Proprietary" in text


def test_about_names_the_chosen_backup_folder(qtbot, context, tmp_path):
    context.settings.set_value("paths/backup_folder", str(tmp_path / "백업"))
    dialog = AboutDialog(context)
    qtbot.addWidget(dialog)
    assert str(tmp_path / "백업") in shown_text(dialog)


def test_the_help_menu_opens_about(qtbot, context, monkeypatch):
    window = MainWindow(context)
    qtbot.addWidget(window)
    opened = []
    monkeypatch.setattr(AboutDialog, "exec", lambda dialog: opened.append(dialog) or 0)
    help_menu = next(action.menu() for action in window.menuBar().actions() if action.text() == "도움말(&H)")
    next(action for action in help_menu.actions() if action.text() == "Camp Manager 정보").trigger()
    wait_for_background()
    assert len(opened) == 1 and __version__ in shown_text(opened[0])


def test_the_app_icon_has_every_size_a_desktop_asks_for():
    sizes = {(size.width(), size.height()) for size in app_icon().availableSizes()}
    assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= sizes


@pytest.fixture
def app_with_icon(qapp):
    qapp.setWindowIcon(app_icon())
    yield qapp
    qapp.setWindowIcon(QIcon())


def test_smoke_check_passes_with_every_resource(qtbot, context, app_with_icon):
    translators = install_qt_translations(app_with_icon, "ko")
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    try:
        assert smoke_problems(window, translators) == []
    finally:
        wait_for_background()
        for translator in translators:
            app_with_icon.removeTranslator(translator)


def test_smoke_check_names_what_a_bundle_lacks(qtbot, context, qapp, monkeypatch):
    monkeypatch.setattr(template, "TEMPLATE_FILE", "없는_양식.xlsx")  # read when the check runs
    window = MainWindow(context)  # no application icon, no Qt translations installed
    qtbot.addWidget(window)
    problems = smoke_problems(window, [])
    wait_for_background()
    assert any("application icon" in problem for problem in problems)
    assert any("qtbase_ko.qm" in problem for problem in problems)
    assert any("없는_양식.xlsx" in problem for problem in problems)


def test_smoke_check_fails_without_waiting_on_an_error_dialog(qtbot, context, app_with_icon, monkeypatch, capsys):
    monkeypatch.setattr(about_dialog, "FONT_LICENCE", ("fonts", "missing-OFL.txt"))
    window = MainWindow(context)
    qtbot.addWidget(window)
    assert smoke_exit_code(window, install_qt_translations(app_with_icon, "en")) == 1
    wait_for_background()
    assert "missing-OFL.txt" in capsys.readouterr().err
