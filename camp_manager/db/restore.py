"""Restoring a SQLite database file from a backup: check the backup, back up what is there, swap.

The swap is atomic (`os.replace` of a checked copy made in the database's folder); the
caller closes its engines first. A backup that is not a sound Camp Manager database of a
version this app knows is refused before anything changes.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing, suppress
from dataclasses import dataclass
from pathlib import Path

from camp_manager.db.backup import (
    DEFAULT_POLICY,
    BackupLabel,
    BackupPolicy,
    copy_database,
    inspect_file,
    make_backup,
    reserve_partial,
    side_files,
)
from camp_manager.db.migrate import backup_verdict
from camp_manager.errors import DomainError
from camp_manager.i18n import tr
from camp_manager.progress import NullProgress, Progress

IN_USE_TIMEOUT_S = 2.0


@dataclass(frozen=True)
class Restored:
    database: Path
    source: Path
    previous: Path | None  # the backup of what the database held before, None when there was no file


def _close_for_swap(database: Path) -> None:
    """Fold the WAL into the file and leave rollback-journal mode, which SQLite allows only when
    no other connection has the file open: then no other program loses writes to the swap."""
    try:
        with closing(sqlite3.connect(database, timeout=IN_USE_TIMEOUT_S, isolation_level=None)) as connection:
            mode = connection.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    except sqlite3.OperationalError:
        mode = "busy"
    if mode != "delete":
        raise DomainError(
            tr(
                "다른 프로그램이나 다른 Camp Manager 창이 {path}을(를) 쓰고 있어 복원하지 않았습니다. 모두 닫은 뒤 다시 복원하세요.",
                path=database,
            ),
            field="database",
        )


def restore_database(
    database: Path, source: Path, *, policy: BackupPolicy = DEFAULT_POLICY, progress: Progress | None = None
) -> Restored:
    """Replace the SQLite file `database` by the backup `source`; every engine on it must be closed."""
    progress = progress or NullProgress()
    source, database = Path(source), Path(database)
    problem = backup_verdict(source)
    if problem is not None:
        raise DomainError(
            tr(
                "{source}(으)로 복원할 수 없습니다: {problem}. 아무것도 바꾸지 않았습니다.",
                source=source,
                problem=problem,
            ),
            field="file",
        )
    if database.exists() and source.resolve() == database.resolve():
        raise DomainError(
            tr("{source}은(는) 지금 쓰는 데이터베이스입니다. 백업 파일을 고르세요.", source=source), field="file"
        )
    if not database.parent.is_dir():
        raise DomainError(
            tr("폴더 {folder}이(가) 없습니다. 있는 폴더를 고르세요.", folder=database.parent), field="database"
        )
    previous = None
    if database.exists():
        damaged = inspect_file(database).problem is not None
        if not damaged:
            _close_for_swap(database)
        previous = make_backup(
            database,
            label=BackupLabel.DAMAGED if damaged else BackupLabel.BEFORE_RESTORE,
            policy=policy,
            progress=progress,
        )
    partial = reserve_partial(database.parent, database)
    try:
        copy_database(source, partial, progress=progress)
        progress.check_cancelled()
        os.replace(partial, database)
    except (OSError, sqlite3.Error) as error:
        raise DomainError(
            tr(
                "{path}에 복원하지 못했습니다({error}). 데이터베이스는 바뀌지 않았습니다.",
                path=database,
                error=getattr(error, "strerror", None) or error,
            ),
            field="database",
        ) from error
    finally:
        with suppress(FileNotFoundError):
            partial.unlink()
    for stale in side_files(database):  # left by the file it replaced, they would be read as the new file's
        with suppress(FileNotFoundError):
            stale.unlink()
    return Restored(database=database, source=source, previous=previous)
