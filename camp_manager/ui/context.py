"""What every page shares: the database, the global as-of date, settings, change signals."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Signal
from sqlalchemy.engine import Engine
from sqlmodel import Session

from camp_manager.clock import SYSTEM_CLOCK, Clock
from camp_manager.db.engine import describe, unit_of_work
from camp_manager.errors import SettingsVersionError
from camp_manager.i18n import tr

# Raised when a release stores a setting differently (a renamed key, another type). A settings
# file of a higher number was written by a newer Camp Manager, and this one refuses to read it.
SETTINGS_FORMAT_VERSION = 1


class SettingKey(StrEnum):
    """Settings more than one page reads."""

    LANGUAGE = "ui/language"
    DATABASE_URL = "database/url"
    EXPORT_FOLDER = "paths/export_folder"
    BACKUP_FOLDER = "paths/backup_folder"
    FORMAT_VERSION = "format/version"


class Settings:
    """QSettings behind two plain methods, so pages don't repeat type conversions."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self._qsettings = qsettings or QSettings("CampManager", "CampManager")

    def value(self, key: str, default: Any = None) -> Any:
        stored = self._qsettings.value(key, default)
        if isinstance(default, bool) and isinstance(stored, str):
            return stored.lower() == "true"
        if isinstance(default, int) and not isinstance(default, bool) and stored is not None:
            try:
                return int(stored)
            except (TypeError, ValueError):
                return default
        return stored

    def set_value(self, key: str, value: Any) -> None:
        self._qsettings.setValue(key, value)

    def location(self) -> str:
        """The settings file (on Windows, the registry key) the user can look up."""
        return self._qsettings.fileName()

    def claim_format(self) -> None:
        """Stamp this release's settings format, or refuse settings written by a newer release.

        Refused settings are left as they are, so the newer release still finds them all.
        """
        found = self.value(SettingKey.FORMAT_VERSION, 0)
        if found > SETTINGS_FORMAT_VERSION:
            raise SettingsVersionError(
                tr(
                    "설정 파일({path})은 더 새로운 버전의 Camp Manager가 쓴 것입니다(설정 형식 {found}, "
                    "이 버전은 {supported}까지 읽습니다). 프로그램을 최신 버전으로 업데이트한 뒤 여세요. 설정은 바꾸지 않았습니다.",
                    path=self.location(), found=found, supported=SETTINGS_FORMAT_VERSION,
                ),
                field="settings",
            )
        if found != SETTINGS_FORMAT_VERSION:
            self.set_value(SettingKey.FORMAT_VERSION, SETTINGS_FORMAT_VERSION)

    @property
    def qsettings(self) -> QSettings:
        return self._qsettings


class AppContext(QObject):
    asOfChanged = Signal(object)  # datetime.date
    dataChanged = Signal()
    navigateRequested = Signal(str, object)  # page key, the item to show there (or None)

    def __init__(
        self, engine: Engine, *, settings: Settings | None = None, as_of: date | None = None, clock: Clock = SYSTEM_CLOCK
    ) -> None:
        super().__init__()
        self.engine = engine
        self.settings = settings or Settings()
        self.clock = clock
        self._as_of = as_of or clock.today()

    @property
    def as_of(self) -> date:
        return self._as_of

    def set_as_of(self, value: date) -> None:
        if value != self._as_of:
            self._as_of = value
            self.asOfChanged.emit(value)

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        with unit_of_work(self.engine, clock=self.clock) as session:
            yield session

    def today(self) -> date:
        return self.clock.today()

    def database_label(self) -> str:
        return describe(self.engine)

    def notify_changed(self) -> None:
        """Call after a write so every page shows the new state."""
        self.dataChanged.emit()

    def navigate(self, page_key: str, item: object = None) -> None:
        """Show another page, e.g. `navigate("residents", company_id)`; the page's `show_item` gets `item`."""
        self.navigateRequested.emit(page_key, item)

    def export_folder(self) -> Path:
        """Where reports and exports are saved unless the user picks another folder."""
        chosen = self.settings.value(SettingKey.EXPORT_FOLDER)
        if chosen:
            return Path(chosen)
        documents = Path.home() / "Documents"
        return documents if documents.is_dir() else Path.home()

    def backup_folder(self) -> Path | None:
        """The chosen backup folder; None keeps backups next to the database file."""
        chosen = self.settings.value(SettingKey.BACKUP_FOLDER)
        return Path(chosen) if chosen else None
