"""Backups of a SQLite database file: made with SQLite's online backup, verified, rotated, listed.

A backup is written under a temporary name, checked (`integrity_check`, and every table
holds as many rows as the database did at the moment of the copy) and only then given its
name, which is unique even for two backups in the same second. The command line and the
app both call these functions; a PostgreSQL server is backed up on the server
(`server_backup_commands` says how).
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import sqlalchemy as sa

from camp_manager.db.engine import PRIVATE_FILE_MODE, make_private_folder, sqlite_file
from camp_manager.errors import DomainError
from camp_manager.i18n import tr
from camp_manager.progress import NullProgress, Progress

SQLITE_HEADER = b"SQLite format 3\x00"
PAGES_PER_STEP = 1024  # between looks at the cancel button and progress reports
STAMP_FORMAT = "%Y%m%d-%H%M%S-%f"
SIDE_FILE_SUFFIXES = ("-wal", "-shm", "-journal")


class BackupLabel:
    """Why a backup was made; part of its file name."""

    START = "start"  # the first start of the app on a day
    MANUAL = "manual"
    BEFORE_IMPORT = "before-import"
    BEFORE_RESTORE = "before-restore"
    DAMAGED = "damaged"  # a byte copy of a file SQLite cannot read, kept before it is replaced

    @staticmethod
    def before_upgrade(revision: str) -> str:
        return f"before-{revision}"


@dataclass(frozen=True)
class BackupPolicy:
    """Where backups go and how many rotation keeps: the newest of each of the last `daily`
    days and of each of the last `monthly` months that have one, and the `newest` backups
    whenever they were made (so a second import on a day keeps the backup made before the first)."""

    folder: Path | None = None  # None: a folder beside the database file
    daily: int = 14
    monthly: int = 12
    newest: int = 10

    def folder_for(self, database: Path) -> Path:
        return self.folder or database.parent / f"{database.stem}-backups"


DEFAULT_POLICY = BackupPolicy()


@dataclass(frozen=True)
class BackupFile:
    path: Path
    label: str
    made_at: datetime
    size: int


def side_files(database: Path) -> list[Path]:
    """The -wal, -shm and -journal files SQLite keeps beside `database`."""
    return [database.with_name(database.name + suffix) for suffix in SIDE_FILE_SUFFIXES]


@contextmanager
def read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection that cannot change `path`. Without a -wal file beside it nobody has the file
    open in WAL mode, so it is read as immutable, which leaves no -wal or -shm behind either."""
    mode = "mode=ro" if path.with_name(path.name + "-wal").exists() else "immutable=1"
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True)) as connection:
        yield connection


@dataclass(frozen=True)
class FileInspection:
    """What a read-only look at a SQLite file found."""

    problem: str | None  # None: SQLite reads it and its pages are sound
    revision: str | None = None  # the Alembic revision, None without one
    tables: frozenset[str] = frozenset()


def inspect_file(path: Path, *, thorough: bool = False) -> FileInspection:
    """Read `path` without changing it: is it a SQLite file, are its pages sound (`quick_check`,
    or the full `integrity_check` when `thorough`), which schema revision and tables does it hold."""
    try:
        with open(path, "rb") as stream:
            header = stream.read(len(SQLITE_HEADER))
    except OSError as error:
        return FileInspection(problem=tr("파일을 읽을 수 없습니다({error})", error=error.strerror or error))
    if header != SQLITE_HEADER:
        return FileInspection(problem=tr("SQLite 데이터베이스 파일이 아닙니다") if header else tr("빈 파일입니다"))
    try:
        with read_only(path) as connection:
            check = "integrity_check" if thorough else "quick_check"
            findings = [row[0] for row in connection.execute(f"PRAGMA {check}")]
            if findings != ["ok"]:
                return FileInspection(problem=tr("파일이 손상되었습니다({finding})", finding=findings[0]))
            tables = frozenset(
                row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            )
            revision = None
            if "alembic_version" in tables:
                row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
    except sqlite3.Error as error:
        return FileInspection(problem=tr("파일이 손상되었습니다({finding})", finding=error))
    return FileInspection(problem=None, revision=revision, tables=tables)


def table_counts(connection: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {name: connection.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}


def copy_database(source: Path, target: Path, *, progress: Progress | None = None) -> None:
    """Copy `source` into the new file `target` with the online backup (safe while the app
    writes), then check the copy: sound pages and, per table, the rows the source held at the
    moment of the copy. `target` is left in rollback-journal mode: a lone file, no -wal."""
    progress = progress or NullProgress()
    with closing(sqlite3.connect(source, isolation_level=None)) as reader:
        reader.execute("BEGIN")  # one snapshot for the counts and the copy, whatever other PCs write meanwhile
        expected = table_counts(reader)

        def copied(_status: int, remaining: int, total: int) -> None:
            progress.check_cancelled()
            progress.report(total - remaining, total, tr("백업하는 중…"))

        with closing(sqlite3.connect(target)) as writer:
            reader.backup(writer, pages=PAGES_PER_STEP, progress=copied)
            writer.execute("PRAGMA journal_mode=DELETE")
        reader.execute("COMMIT")
    with closing(sqlite3.connect(target)) as copy:
        findings = [row[0] for row in copy.execute("PRAGMA integrity_check")]
        found = table_counts(copy)
    if findings != ["ok"] or found != expected:
        differing = sorted(name for name in expected.keys() | found.keys() if expected.get(name) != found.get(name))
        raise DomainError(
            tr(
                "백업을 검사했더니 원본과 다릅니다({details}). 백업을 다시 만드세요.",
                details=", ".join(differing) or findings[0],
            ),
            field="backup",
        )


def _name(database: Path, label: str, made_at: datetime, attempt: int) -> str:
    unique = f"-{attempt}" if attempt else ""
    return f"{database.stem}.{label}-{made_at.strftime(STAMP_FORMAT)}{unique}{database.suffix}"


def _publish(written: Path, folder: Path, database: Path, label: str, made_at: datetime) -> Path:
    """Give the checked copy its name; os.link never replaces an existing backup (where the
    file system has no hard links, a name nobody holds is taken with os.replace)."""
    for attempt in range(1000):
        target = folder / _name(database, label, made_at, attempt)
        try:
            os.link(written, target)
        except FileExistsError:
            continue
        except OSError:
            if target.exists():
                continue
            os.replace(written, target)
            return target
        written.unlink()
        return target
    raise DomainError(
        tr("백업 폴더 {folder}에 같은 이름의 백업이 너무 많습니다.", folder=folder), field="backup_folder"
    )


def reserve_partial(folder: Path, database: Path) -> Path:
    """A new owner-only file in `folder` to write a copy of `database` into before it gets its name."""
    for attempt in range(1000):
        partial = folder / f".{database.stem}.{os.getpid()}-{attempt}.partial"
        try:
            os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE_MODE))
        except FileExistsError:
            continue
        return partial
    raise DomainError(
        tr("백업 폴더 {folder}에 같은 이름의 백업이 너무 많습니다.", folder=folder), field="backup_folder"
    )


def make_backup(
    database: Path,
    *,
    label: str,
    policy: BackupPolicy = DEFAULT_POLICY,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> Path:
    """Back up the SQLite file `database` into the policy's folder, check the copy, rotate; returns the backup."""
    folder = policy.folder_for(database)
    if not database.exists():
        raise DomainError(tr("데이터베이스 파일 {path}이(가) 없습니다.", path=database), field="database")
    made_at = now or datetime.now()
    partial = None
    try:
        make_private_folder(folder)
        partial = reserve_partial(folder, database)
        if label == BackupLabel.DAMAGED:
            with open(database, "rb") as source, open(partial, "wb") as copy:
                while chunk := source.read(1 << 20):
                    copy.write(chunk)
        else:
            copy_database(database, partial, progress=progress)
        backup = _publish(partial, folder, database, label, made_at)
    except (OSError, sqlite3.Error) as error:
        raise DomainError(
            tr(
                "백업 파일을 쓸 수 없습니다({error}). 백업 폴더 {folder}이(가) 있고 쓸 수 있는지 확인하세요.",
                error=getattr(error, "strerror", None) or error,
                folder=folder,
            ),
            field="backup_folder",
        ) from error
    finally:
        if partial is not None:
            with suppress(FileNotFoundError):
                partial.unlink()
    prune_backups(database, policy)
    return backup


def backup_database(
    url: str | sa.URL,
    *,
    policy: BackupPolicy = DEFAULT_POLICY,
    label: str = BackupLabel.MANUAL,
    progress: Progress | None = None,
) -> Path:
    """Back up the SQLite database at `url` now; a server is backed up on the server."""
    path = sqlite_file(url)
    if path is None:
        raise DomainError(
            tr(
                "PostgreSQL 서버의 데이터베이스는 서버에서 pg_dump로 백업하세요: {command}",
                command=server_backup_commands(url).dump,
            ),
            field="database",
        )
    return make_backup(path, label=label, policy=policy, progress=progress)


def automatic_backup(
    url: str | sa.URL, *, label: str, policy: BackupPolicy = DEFAULT_POLICY, progress: Progress | None = None
) -> Path | None:
    """The backup made before an import, an upgrade or a restore: of a SQLite file; a server backs itself up (None)."""
    path = sqlite_file(url)
    return None if path is None else make_backup(path, label=label, policy=policy, progress=progress)


def backup_at_start(
    url: str | sa.URL, *, policy: BackupPolicy = DEFAULT_POLICY, today: date | None = None
) -> Path | None:
    """The app's start backup of a SQLite file, if none was made today; None otherwise."""
    path = sqlite_file(url)
    if path is None or not start_backup_due(path, policy, today=today):
        return None
    return make_backup(path, label=BackupLabel.START, policy=policy)


def _pattern(database: Path) -> re.Pattern[str]:
    stamp = r"(?P<stamp>\d{8}-\d{6}-\d{6})(?:-\d+)?"  # STAMP_FORMAT, then the number that keeps a name unique
    return re.compile(rf"^{re.escape(database.stem)}\.(?P<label>.+)-{stamp}{re.escape(database.suffix)}$")


def list_backups(database: Path, policy: BackupPolicy = DEFAULT_POLICY) -> list[BackupFile]:
    """The backups of `database` in the policy's folder, newest first."""
    folder = policy.folder_for(database)
    pattern = _pattern(database)
    found = []
    with suppress(FileNotFoundError):
        for entry in os.scandir(folder):
            match = pattern.match(entry.name)
            if match and entry.is_file():
                made_at = datetime.strptime(match["stamp"], STAMP_FORMAT)
                found.append(
                    BackupFile(path=Path(entry.path), label=match["label"], made_at=made_at, size=entry.stat().st_size)
                )
    return sorted(found, key=lambda backup: (backup.made_at, backup.path.name), reverse=True)


def backups_to_prune(backups: list[BackupFile], policy: BackupPolicy) -> list[BackupFile]:
    """What rotation removes (see `BackupPolicy`); byte copies of damaged files are never pruned."""
    rotated = [b for b in sorted(backups, key=lambda b: b.made_at, reverse=True) if b.label != BackupLabel.DAMAGED]
    kept = {backup.path for backup in rotated[: policy.newest]}
    for period, count in (
        (lambda b: b.made_at.date(), policy.daily),
        (lambda b: (b.made_at.year, b.made_at.month), policy.monthly),
    ):
        newest_of_period: dict[object, Path] = {}
        for backup in rotated:
            newest_of_period.setdefault(period(backup), backup.path)
        kept.update(list(newest_of_period.values())[:count])
    return [backup for backup in rotated if backup.path not in kept]


def prune_backups(database: Path, policy: BackupPolicy = DEFAULT_POLICY) -> list[Path]:
    removed = []
    for backup in backups_to_prune(list_backups(database, policy), policy):
        with suppress(FileNotFoundError):
            backup.path.unlink()
            removed.append(backup.path)
    return removed


def start_backup_due(database: Path, policy: BackupPolicy = DEFAULT_POLICY, *, today: date | None = None) -> bool:
    """The app backs up at start at most once a day."""
    today = today or date.today()
    return not any(b.label == BackupLabel.START and b.made_at.date() == today for b in list_backups(database, policy))


@dataclass(frozen=True)
class ServerBackupCommands:
    dump: str
    restore: str


def server_backup_commands(url: str | sa.URL) -> ServerBackupCommands:
    """`pg_dump` / `pg_restore` for the server of `url`, without its password (pg_dump reads
    it from ~/.pgpass, PGPASSWORD or asks for it)."""
    parsed = sa.make_url(url)
    plain = sa.URL.create(
        "postgresql", username=parsed.username, host=parsed.host, port=parsed.port, database=parsed.database
    ).render_as_string(hide_password=False)
    dump_file = f"{parsed.database or 'camp'}-YYYYMMDD.dump"
    return ServerBackupCommands(
        dump=f'pg_dump --format=custom --file={dump_file} "{plain}"',
        restore=f'pg_restore --clean --if-exists --no-owner --dbname="{plain}" {dump_file}',
    )
