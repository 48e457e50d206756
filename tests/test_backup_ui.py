"""The app's side of backups: the dialog at start for a damaged or missing file, the Backups tab in Settings."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox, QWidget

from camp_manager.db.backup import BackupLabel, BackupPolicy, list_backups, make_backup
from camp_manager.db.engine import make_engine
from camp_manager.ui.application import open_chosen_database, start_the_daily_backup
from camp_manager.ui.context import AppContext, SettingKey, Settings
from camp_manager.ui.dialogs.database_dialog import DatabaseProblemDialog
from camp_manager.ui.pages.settings_page import BackupsTab
from camp_manager.ui.workers import wait_for_background
from tests.dialog_guard import unexpected_dialogs_fail  # noqa: F401 (a fixture)
from tests.test_migrations import newer_migrations  # noqa: F401 (a fixture)
from tests.ui_helpers import app_context, drive_dialogs

pytestmark = pytest.mark.usefixtures("unexpected_dialogs_fail")


def companies(engine) -> int:
    with engine.connect() as connection:
        return connection.exec_driver_sql("SELECT COUNT(*) FROM company").scalar()


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


def test_a_damaged_file_at_start_offers_its_newest_sound_backup_and_restores_it(
    qtbot, demo_db_path, settings, monkeypatch
):
    backup = make_backup(demo_db_path, label=BackupLabel.MANUAL)
    with closing(sqlite3.connect(demo_db_path)) as connection:
        expected = connection.execute("SELECT COUNT(*) FROM company").fetchone()[0]
    demo_db_path.write_bytes(os.urandom(40_000))

    def restore(dialog: DatabaseProblemDialog) -> None:
        assert str(demo_db_path) in dialog.message.text() and str(backup) in dialog.backup_note.text()
        assert not dialog.restore_button.isHidden() and dialog.new_button.isHidden()
        dialog.restore_button.click()

    shown = drive_dialogs(monkeypatch, DatabaseProblemDialog, restore)
    opened = open_chosen_database(str(demo_db_path), settings)
    assert len(shown) == 1 and opened is not None
    try:
        assert companies(opened.engine) == expected
    finally:
        opened.engine.dispose()


def test_a_missing_file_at_start_can_become_a_new_database(qtbot, tmp_path, settings, monkeypatch):
    missing = tmp_path / "new.sqlite3"

    def make_new(dialog: DatabaseProblemDialog) -> None:
        assert dialog.restore_button.isHidden() and not dialog.new_button.isHidden()
        dialog.new_button.click()

    shown = drive_dialogs(monkeypatch, DatabaseProblemDialog, make_new)
    opened = open_chosen_database(str(missing), settings)
    assert len(shown) == 1 and opened is not None and missing.exists()
    opened.engine.dispose()


def test_quitting_the_dialog_leaves_the_damaged_file_as_it_was(qtbot, tmp_path, settings, monkeypatch):
    damaged = tmp_path / "noise.sqlite3"
    damaged.write_bytes(b"not a database at all" * 100)
    before = damaged.read_bytes()
    drive_dialogs(monkeypatch, DatabaseProblemDialog, lambda dialog: dialog.quit_button.click())
    assert open_chosen_database(str(damaged), settings) is None
    assert damaged.read_bytes() == before and [p.name for p in tmp_path.iterdir() if p.name != "settings.ini"] == [
        "noise.sqlite3"
    ]


@pytest.fixture
def backups_tab(qtbot, demo_db_path, tmp_path):
    engine = make_engine(f"sqlite:///{demo_db_path}")
    context = app_context(engine, tmp_path, date(2026, 11, 22))
    tab = BackupsTab(context)
    qtbot.addWidget(tab)
    yield tab
    wait_for_background()
    context.engine.dispose()


def test_the_backups_tab_lists_each_backup_with_its_verdict_and_restores_the_chosen_one(
    backups_tab, demo_db_path, monkeypatch
):
    good = make_backup(demo_db_path, label=BackupLabel.START, now=datetime(2026, 11, 20, 9))
    bad = make_backup(demo_db_path, label=BackupLabel.MANUAL, now=datetime(2026, 11, 21, 9))
    bad.write_bytes(bad.read_bytes()[:4096])
    with backups_tab.context.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM mentoringsession")  # a change the restore must take back
    backups_tab.refresh()
    wait_for_background()
    rows = backups_tab.table.visible_rows()
    assert [row.backup.path for row in rows] == [bad, good]
    model = backups_tab.table.model()
    assert model.index(1, 3).data() == "정상" and "손상" in model.index(0, 3).data()
    assert model.index(1, 1).data() == "시작할 때 자동"
    backups_tab.table.selectRow(0)
    assert not backups_tab.restore_button.isEnabled()  # a damaged backup cannot be restored
    backups_tab.table.selectRow(1)
    assert backups_tab.restore_button.isEnabled()

    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Yes)
    changed = []
    backups_tab.context.dataChanged.connect(lambda: changed.append(True))
    backups_tab.restore_selected()
    wait_for_background()
    assert changed and "복원했습니다" in backups_tab.note.text()
    with backups_tab.context.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT COUNT(*) FROM mentoringsession").scalar() > 0
    assert any(b.label == BackupLabel.BEFORE_RESTORE for b in list_backups(demo_db_path))


def test_rotation_is_set_in_settings(backups_tab):
    backups_tab.keep_daily.setValue(30)
    backups_tab.keep_monthly.setValue(6)
    policy = backups_tab.context.backup_policy()
    assert (policy.daily, policy.monthly) == (30, 6) and policy == BackupPolicy(daily=30, monthly=6)
    assert backups_tab.context.settings.value(SettingKey.BACKUPS_DAILY, 14) == 30


def test_a_server_gets_its_pg_dump_commands_without_the_password(qtbot, tmp_path):
    engine = sa.create_engine("postgresql+psycopg://camp:s3cret@db.example:5432/camp")
    tab = BackupsTab(
        AppContext(engine, settings=Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    )
    qtbot.addWidget(tab)
    text = tab.server_commands.text()
    assert "pg_dump --format=custom" in text and "pg_restore" in text and "camp@db.example:5432/camp" in text
    assert "s3cret" not in text


def test_an_older_schema_is_upgraded_at_start_after_a_backup_and_said_once(
    qtbot,
    db_path,
    settings,
    newer_migrations,  # noqa: F811 (the fixture imported above)
):
    opened = open_chosen_database(str(db_path), settings)
    try:
        assert opened.upgraded is not None and opened.upgraded.backup.exists()
        assert opened.upgraded.message() == f"데이터베이스를 새 버전으로 올렸습니다. 백업: {opened.upgraded.backup}"
    finally:
        opened.engine.dispose()
    again = open_chosen_database(str(db_path), settings)
    assert again.upgraded is None
    again.engine.dispose()


def test_the_start_backup_runs_off_the_ui_thread_once_a_day(qtbot, db_path, tmp_path):

    context = app_context(make_engine(f"sqlite:///{db_path}"), tmp_path, date.today())
    window = QWidget()
    qtbot.addWidget(window)
    for _ in range(2):
        start_the_daily_backup(window, context)
        assert wait_for_background()
    assert [b.label for b in list_backups(db_path, context.backup_policy())] == [BackupLabel.START]
    context.engine.dispose()


def test_a_database_from_a_newer_version_is_refused_at_start_with_its_reason(qtbot, db_path, settings, monkeypatch):
    with closing(sqlite3.connect(db_path)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
        connection.commit()
    before = db_path.read_bytes()
    asked: list[str] = []

    def question(parent, title, text, *rest, **named):
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    assert open_chosen_database(str(db_path), settings) is None
    assert len(asked) == 1 and "9999_from_the_future" in asked[0] and "업데이트" in asked[0]
    assert db_path.read_bytes() == before
