"""What every page shares: the database, the global as-of date, settings, change signals."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, QStandardPaths, Signal
from sqlalchemy.engine import Engine
from sqlmodel import Session

from camp_manager.clock import SYSTEM_CLOCK, Clock
from camp_manager.db.backup import DEFAULT_POLICY, BackupPolicy
from camp_manager.db.engine import describe, unit_of_work
from camp_manager.errors import SettingsVersionError
from camp_manager.i18n import tr
from camp_manager.reporting.options import ReportOptions, parse_approval_titles

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
    BACKUPS_DAILY = "backups/keep_daily"
    BACKUPS_MONTHLY = "backups/keep_monthly"
    REPORT_OFFICE = "reports/office"
    REPORT_APPROVAL = "reports/approval"
    REPORT_APPROVAL_TITLES = "reports/approval_titles"


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
                    path=self.location(),
                    found=found,
                    supported=SETTINGS_FORMAT_VERSION,
                ),
                field="settings",
            )
        if found != SETTINGS_FORMAT_VERSION:
            self.set_value(SettingKey.FORMAT_VERSION, SETTINGS_FORMAT_VERSION)

    @property
    def qsettings(self) -> QSettings:
        return self._qsettings


class SaveKind(StrEnum):
    """Kinds of file the user saves; each remembers the folder it was last saved in."""

    REPORTS = "reports"
    LISTS = "lists"


def backup_policy(settings: Settings) -> BackupPolicy:
    """Where backups go and how many are kept, as chosen in Settings (default: 14 daily, 12 monthly)."""
    folder = settings.value(SettingKey.BACKUP_FOLDER)
    return BackupPolicy(
        folder=Path(folder) if folder else None,
        daily=settings.value(SettingKey.BACKUPS_DAILY, DEFAULT_POLICY.daily),
        monthly=settings.value(SettingKey.BACKUPS_MONTHLY, DEFAULT_POLICY.monthly),
    )


def report_options(settings: Settings) -> ReportOptions:
    """The office and approval box chosen in Settings, as plain values for the reports (default: neither)."""
    return ReportOptions(
        office=settings.value(SettingKey.REPORT_OFFICE, ""),
        approval=settings.value(SettingKey.REPORT_APPROVAL, False),
        approval_titles=parse_approval_titles(settings.value(SettingKey.REPORT_APPROVAL_TITLES, "")),
    )


def documents_folder() -> Path:
    """The user's Documents folder (the default for saved reports and lists), else the home folder."""
    documents = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or Path.home())
    return documents if documents.is_dir() else Path.home()


class AppContext(QObject):
    asOfChanged = Signal(object)  # datetime.date
    dataChanged = Signal()
    navigateRequested = Signal(str, object)  # page key, the item to show there (or None)

    def __init__(
        self,
        engine: Engine,
        *,
        settings: Settings | None = None,
        as_of: date | None = None,
        clock: Clock = SYSTEM_CLOCK,
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
        return Path(chosen) if chosen else documents_folder()

    def save_folder(self, kind: SaveKind) -> Path:
        """Where to suggest saving a file of `kind`: the folder last used for it, else the export folder."""
        remembered = self.settings.value(f"paths/last_{kind}_folder")
        return Path(remembered) if remembered and Path(remembered).is_dir() else self.export_folder()

    def remember_save_folder(self, kind: SaveKind, folder: Path) -> None:
        self.settings.set_value(f"paths/last_{kind}_folder", str(folder))

    def backup_folder(self) -> Path | None:
        """The chosen backup folder; None keeps backups in a folder beside the database file."""
        return self.backup_policy().folder

    def backup_policy(self) -> BackupPolicy:
        return backup_policy(self.settings)

    def report_options(self) -> ReportOptions:
        return report_options(self.settings)

    def replace_engine(self, engine: Engine) -> None:
        """Work on another database from now on (after a restore); every page shows it."""
        previous, self.engine = self.engine, engine
        previous.dispose()
        self.notify_changed()
