"""Domain errors: a message a camp manager understands, naming the field and the fix."""

from __future__ import annotations

from pathlib import Path


class DomainError(Exception):
    """A rule of the data was not met; `message` is already in the user's language."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFoundError(DomainError):
    pass


class RuleViolation(DomainError):
    """A request of a batch broke a rule of the data; `index` is its place in the batch (0 alone)."""

    def __init__(self, message: str, *, field: str | None = None, index: int = 0) -> None:
        super().__init__(message, field=field)
        self.index = index


class DatabaseVersionError(DomainError):
    """The database file was written by a newer Camp Manager."""


class SettingsVersionError(DomainError):
    """The settings were written by a newer Camp Manager; they are left untouched."""


class EditConflict(DomainError):
    """Someone saved the record after the user's form was filled from it; nothing was written."""

    def __init__(self, message: str, *, changed_by: str, changed_at: str, current_version: int) -> None:
        super().__init__(message)
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.current_version = current_version


class DatabaseFileError(DomainError):
    """The database file is missing, damaged or not Camp Manager's; `path` names it."""

    def __init__(self, message: str, *, path: Path, damaged: bool) -> None:
        super().__init__(message, field="database")
        self.path = path
        self.damaged = damaged  # False: the file does not exist
