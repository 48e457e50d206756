"""Settings written by a newer Camp Manager are refused with a clear Korean message and left as they were."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from camp_manager.errors import SettingsVersionError
from camp_manager.ui import application
from camp_manager.ui.context import SETTINGS_FORMAT_VERSION, SettingKey, Settings


def settings_file(tmp_path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


def test_first_start_stamps_the_settings_format(tmp_path):
    settings = settings_file(tmp_path)
    settings.claim_format()
    assert settings.value(SettingKey.FORMAT_VERSION, 0) == SETTINGS_FORMAT_VERSION


def test_older_settings_are_kept_and_stamped(tmp_path):
    settings = settings_file(tmp_path)
    settings.set_value(SettingKey.LANGUAGE, "en")  # written before the format had a number
    settings.claim_format()
    assert settings.value(SettingKey.LANGUAGE) == "en"
    assert settings.value(SettingKey.FORMAT_VERSION, 0) == SETTINGS_FORMAT_VERSION


def test_newer_settings_are_refused_and_left_untouched(tmp_path):
    newer = settings_file(tmp_path)
    newer.set_value(SettingKey.FORMAT_VERSION, SETTINGS_FORMAT_VERSION + 1)
    newer.set_value("window/last_page", "rooms")
    newer.qsettings.sync()
    before = (tmp_path / "settings.ini").read_bytes()

    with pytest.raises(SettingsVersionError) as refused:
        settings_file(tmp_path).claim_format()
    message = refused.value.message
    assert "더 새로운 버전" in message and "업데이트" in message
    assert str(tmp_path / "settings.ini") in message
    assert f"설정 형식 {SETTINGS_FORMAT_VERSION + 1}" in message
    assert (tmp_path / "settings.ini").read_bytes() == before


def test_the_app_refuses_to_start_on_newer_settings(qapp, tmp_path, monkeypatch, db_path):
    newer = settings_file(tmp_path)
    newer.set_value(SettingKey.FORMAT_VERSION, SETTINGS_FORMAT_VERSION + 1)
    newer.qsettings.sync()
    before = (tmp_path / "settings.ini").read_bytes()
    shown = []
    monkeypatch.setattr(application, "Settings", lambda: settings_file(tmp_path))
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *rest: shown.append((title, text)))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(application, "configure_logging", lambda: None)  # the root logger is the test run's
    opened = []
    monkeypatch.setattr(application, "open_chosen_database", lambda *args: opened.append(args))

    assert application.run(db=str(db_path), argv=["camp-manager"]) == 2
    assert shown and shown[0][0] == "설정을 읽을 수 없습니다" and "더 새로운 버전" in shown[0][1]
    assert opened == []  # the database was not touched either
    assert (tmp_path / "settings.ini").read_bytes() == before
