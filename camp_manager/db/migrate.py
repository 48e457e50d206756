"""Opening a database: check the file, back it up, bring its schema up to date, refuse a newer one."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from camp_manager.db.backup import (
    DEFAULT_POLICY,
    BackupFile,
    BackupLabel,
    BackupPolicy,
    FileInspection,
    inspect_file,
    list_backups,
    make_backup,
)
from camp_manager.db.engine import (
    create_private_file,
    default_db_path,
    describe,
    make_engine,
    make_private_folder,
    resolve_db_url,
    sqlite_file,
)
from camp_manager.errors import DatabaseFileError, DatabaseVersionError, DomainError
from camp_manager.i18n import tr

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.runtime.environment import CompareServerDefault
    from alembic.runtime.migration import MigrationContext

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _unquoted(default: str) -> str:
    return re.sub(r"^'(.*)'$", r"\1", re.sub(r"^\((.*)\)$", r"\1", default))


def same_server_default(
    context: MigrationContext,
    inspected_column: sa.Column[object],
    metadata_column: sa.Column[object],
    inspected_default: str | None,
    metadata_default: sa.FetchedValue | None,
    rendered_metadata_default: str | None,
) -> bool | None:
    """SQLite reads an empty-string default back as "('')", which Alembic takes for a change.

    Returns False (no change) when the two agree once unquoted, else None: Alembic decides.
    """
    if inspected_default is not None and rendered_metadata_default is not None:
        if _unquoted(inspected_default) == _unquoted(rendered_metadata_default):
            return False
    return None


# How autogenerate compares the models with a database: types and server defaults too.
class CompareOptions(TypedDict):
    compare_type: bool
    compare_server_default: CompareServerDefault


COMPARE_OPTIONS = CompareOptions(compare_type=True, compare_server_default=same_server_default)


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config  # noqa: PLC0415 (Alembic loads only when a migration runs)

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


# Opening a database at the head revision needs no Alembic (a tenth of a second to import): the stored
# revision is read with one query, and the revisions are known from the files' names — each migration
# file is named after its revision, numbered in order (tests/test_migrations.py holds them to Alembic's reading).
def current_revision(engine: Engine) -> str | None:
    """The schema revision the database says it has; None for one with no schema yet."""
    with engine.connect() as connection:
        if not sa.inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one_or_none()


def known_revisions() -> set[str]:
    return {path.stem for path in (MIGRATIONS_DIR / "versions").glob("[0-9]*.py")}


def head_revision() -> str:
    return max(known_revisions())


def newer_version_error(revision: str) -> DatabaseVersionError:
    return DatabaseVersionError(
        tr(
            "이 데이터베이스는 더 새로운 버전의 Camp Manager로 만들어졌습니다(스키마 {revision}). "
            "프로그램을 최신 버전으로 업데이트한 뒤 여세요.",
            revision=revision,
        )
    )


# Tables every revision of the schema has: a SQLite file without them is not Camp Manager's.
REQUIRED_TABLES = frozenset({"alembic_version", "facility", "room", "company", "residency", "allocation", "auditentry"})


def schema_problem(inspection: FileInspection) -> str | None:
    """Why a file cannot be restored or opened as Camp Manager's database, or None."""
    if inspection.problem is not None:
        return inspection.problem
    if inspection.revision is not None and inspection.revision not in known_revisions():
        return newer_version_error(inspection.revision).message
    missing = REQUIRED_TABLES - inspection.tables
    if missing:
        return tr("Camp Manager 데이터베이스가 아닙니다(표 {tables} 없음)", tables=", ".join(sorted(missing)))
    return None


def backup_verdict(path: Path) -> str | None:
    """None for a backup that can be restored (sound pages, a schema this app knows), else why not."""
    return schema_problem(inspect_file(path, thorough=True))


@dataclass(frozen=True)
class CheckedBackup:
    backup: BackupFile
    problem: str | None  # None: sound, it can be restored


def checked_backups(database: Path, policy: BackupPolicy = DEFAULT_POLICY) -> list[CheckedBackup]:
    """Every backup of `database`, newest first, with its verdict (each file is read in full:
    run it off the UI thread)."""
    return [CheckedBackup(backup=b, problem=backup_verdict(b.path)) for b in list_backups(database, policy)]


def newest_sound_backup(database: Path, policy: BackupPolicy = DEFAULT_POLICY) -> BackupFile | None:
    return next((b for b in list_backups(database, policy) if backup_verdict(b.path) is None), None)


def _quoted(path: Path) -> str:
    text = str(path)
    return f'"{text}"' if any(c.isspace() for c in text) else text


def restore_command(database: Path, backup: Path | None) -> str:
    return f"camp-manager --db {_quoted(database)} restore {_quoted(backup) if backup else tr('백업파일')}"


def upgrade(engine: Engine, revision: str = "head", *, policy: BackupPolicy = DEFAULT_POLICY) -> Path | None:
    """Upgrade to `revision`; returns the backup made first, if there was data to keep."""
    current = current_revision(engine)
    if current is not None and current not in known_revisions():
        raise newer_version_error(current)
    target = head_revision() if revision == "head" else revision
    if current == target:
        return None
    backup = None
    path = sqlite_file(engine.url)
    if current is not None and path is not None and path.exists():
        backup = make_backup(path, label=BackupLabel.before_upgrade(target), policy=policy)
    from alembic import command  # noqa: PLC0415 (see `current_revision`)

    command.upgrade(alembic_config(engine), revision)
    return backup


@dataclass(frozen=True)
class SchemaUpgrade:
    """The schema of an existing database was brought up to date when it was opened."""

    from_revision: str
    to_revision: str
    backup: Path | None  # None on a server (backed up there)

    def message(self) -> str:
        if self.backup is None:
            return tr("데이터베이스를 새 버전으로 올렸습니다.")
        return tr("데이터베이스를 새 버전으로 올렸습니다. 백업: {path}", path=self.backup)


@dataclass(frozen=True)
class OpenedDatabase:
    engine: Engine
    upgraded: SchemaUpgrade | None = None


@dataclass(frozen=True)
class DatabaseProbe:
    """What a connection test found, without changing anything."""

    where: str
    revision: str | None  # None: a new or empty database
    head: str
    exists: bool = True

    def summary(self) -> str:
        if not self.exists:
            return tr(
                "파일이 아직 없습니다. 저장하면 다음 시작 때 {where}에 새 데이터베이스를 만들지 묻습니다.",
                where=self.where,
            )
        if self.revision == self.head:
            return tr("연결했습니다: {where} (스키마 최신)", where=self.where)
        if self.revision is None:
            return tr("연결했습니다: {where} (빈 데이터베이스 — 처음 열 때 표를 만듭니다)", where=self.where)
        if self.revision in known_revisions():
            return tr("연결했습니다: {where} (처음 열 때 백업한 뒤 스키마를 올립니다)", where=self.where)
        return tr(
            "연결했지만 더 새로운 버전의 Camp Manager가 만든 데이터베이스입니다(스키마 {revision}). 프로그램을 업데이트하세요.",
            revision=self.revision,
        )


def probe_database(path_or_url: str) -> DatabaseProbe:
    """Connect to a SQLite file or a server and read its schema version (the Settings connection test)."""
    try:
        url = resolve_db_url(path_or_url)
        path = sqlite_file(url)
        if path is not None and not path.exists():
            if not path.parent.is_dir():
                raise DomainError(
                    tr("폴더 {folder}이(가) 없습니다. 있는 폴더를 고르세요.", folder=path.parent), field="database"
                )
            return DatabaseProbe(where=str(path), revision=None, head=head_revision(), exists=False)
        if path is not None and (problem := inspect_file(path).problem) is not None:
            raise DomainError(tr("{path}: {problem}", path=path, problem=problem), field="database")
        engine = make_engine(url)
        try:
            revision = current_revision(engine)
            where = describe(engine)
        finally:
            engine.dispose()
    except ModuleNotFoundError as error:
        raise DomainError(
            tr(
                "데이터베이스 드라이버({module})가 설치되어 있지 않습니다. PostgreSQL을 쓰려면 psycopg[binary]를 설치하세요.",
                module=error.name,
            ),
            field="database",
        ) from error
    except sa.exc.ArgumentError as error:
        raise DomainError(
            tr(
                "데이터베이스 주소를 읽을 수 없습니다. 예: postgresql+psycopg://user:password@host:5432/camp ({error})",
                error=error,
            ),
            field="database",
        ) from error
    except sa.exc.SQLAlchemyError as error:
        raise DomainError(
            tr(
                "데이터베이스에 연결하지 못했습니다. 주소, 사용자, 암호와 서버 상태를 확인하세요.\n{error}",
                error=getattr(error, "orig", None) or error,
            ),
            field="database",
        ) from error
    return DatabaseProbe(where=where, revision=revision, head=head_revision())


def check_database_file(path: Path, *, create: bool = False, policy: BackupPolicy = DEFAULT_POLICY) -> None:
    """Before SQLite touches `path`: it exists (or may be made), is sound, and is Camp Manager's
    at a version this app knows."""
    if not path.exists():
        if not (create or path == default_db_path()):
            raise DatabaseFileError(
                tr(
                    "데이터베이스 파일 {path}이(가) 없습니다. 경로를 확인하세요. 새 데이터베이스를 만들려면: camp-manager init --db {quoted}",
                    path=path,
                    quoted=_quoted(path),
                ),
                path=path,
                damaged=False,
            )
        if path == default_db_path():
            make_private_folder(path.parent)
        elif not path.parent.is_dir():
            raise DatabaseFileError(
                tr(
                    "폴더 {folder}이(가) 없어 {path}을(를) 만들 수 없습니다. 있는 폴더를 고르세요.",
                    folder=path.parent,
                    path=path,
                ),
                path=path,
                damaged=False,
            )
        create_private_file(path)
        return
    if (create or path == default_db_path()) and path.stat().st_size == 0:
        return  # an empty file made to be a new database (the default one, by a start that stopped there)
    inspection = inspect_file(path)
    if inspection.revision is not None and inspection.revision not in known_revisions():
        raise newer_version_error(inspection.revision)
    if inspection.problem is None and (inspection.revision is not None or not inspection.tables):
        return
    if inspection.problem is None:
        problem = tr("Camp Manager 데이터베이스가 아닙니다(다른 프로그램의 표 {count}개)", count=len(inspection.tables))
    else:
        problem = inspection.problem
    newest = newest_sound_backup(path, policy)
    raise DatabaseFileError(
        tr(
            "데이터베이스 파일 {path}을(를) 열 수 없습니다: {problem}. 파일은 그대로 두었습니다. 백업에서 복원하세요: {command}",
            path=path,
            problem=problem,
            command=restore_command(path, newest.path if newest else None),
        ),
        path=path,
        damaged=True,
    )


def open_database_noting(
    path_or_url: str | None = None, *, create: bool = False, policy: BackupPolicy = DEFAULT_POLICY
) -> OpenedDatabase:
    """The engine for `--db`/`CAMP_MANAGER_DB`/the default file, with its schema current.

    A SQLite file is checked first (`quick_check`, its schema version) and never changed when
    it is damaged, missing or from a newer version; a missing one is made only when `create`
    or when it is the default file. An older schema is upgraded after a backup.
    """
    url = resolve_db_url(path_or_url)
    path = sqlite_file(url)
    engine = None
    try:
        if path is not None:
            check_database_file(path, create=create, policy=policy)
        engine = make_engine(url)
        before = current_revision(engine)
        backup = upgrade(engine, policy=policy)
    except (OSError, sqlite3.Error, sa.exc.OperationalError, sa.exc.DatabaseError) as error:
        if engine is not None:
            engine.dispose()
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise DomainError(
            tr(
                "데이터베이스 {where}을(를) 열 수 없습니다({reason}). 파일 경로나 서버 주소와 권한을 확인하세요.",
                where=path or sa.make_url(url).render_as_string(hide_password=True),
                reason=reason,
            ),
            field="database",
        ) from error
    except BaseException:
        if engine is not None:
            engine.dispose()
        raise
    after = current_revision(engine)
    if before is None or after is None or before == after:
        return OpenedDatabase(engine=engine)
    return OpenedDatabase(engine=engine, upgraded=SchemaUpgrade(from_revision=before, to_revision=after, backup=backup))


def open_database(
    path_or_url: str | None = None, *, create: bool = False, policy: BackupPolicy = DEFAULT_POLICY
) -> Engine:
    """`open_database_noting` for callers that need only the engine."""
    return open_database_noting(path_or_url, create=create, policy=policy).engine
