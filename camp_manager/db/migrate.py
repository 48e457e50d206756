"""Opening a database: back it up, bring its schema up to date, refuse a newer one."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TypedDict

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.environment import CompareServerDefault
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from camp_manager.db.engine import describe, make_engine, resolve_db_url, sqlite_file
from camp_manager.errors import DatabaseVersionError, DomainError
from camp_manager.i18n import tr

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _unquoted(default: str) -> str:
    return re.sub(r"^'(.*)'$", r"\1", re.sub(r"^\((.*)\)$", r"\1", default))


def same_server_default(
    context: MigrationContext, inspected_column: sa.Column[object], metadata_column: sa.Column[object],
    inspected_default: str | None, metadata_default: sa.FetchedValue | None, rendered_metadata_default: str | None,
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
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    assert head is not None, "the migrations folder has a head revision"
    return head


def backup_sqlite_file(path: Path, label: str, folder: Path | None = None) -> Path:
    """A consistent copy made with SQLite's online backup (safe with WAL), next to the file or in `folder`."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = (folder or path.parent) / f"{path.stem}.{label}-{stamp}{path.suffix}"
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(path)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    return target


def backup_database(engine: Engine, *, folder: Path | None = None, label: str = "backup") -> Path:
    """Back up the SQLite database of `engine` now; a server database is backed up on the server."""
    path = sqlite_file(engine.url)
    if path is None:
        raise DomainError(
            tr("PostgreSQL 서버의 데이터베이스는 서버에서 pg_dump로 백업하세요. 이 단추는 이 PC의 데이터베이스 파일을 백업합니다."),
            field="database",
        )
    if not path.exists():
        raise DomainError(tr("데이터베이스 파일 {path}이(가) 없습니다.", path=path), field="database")
    try:
        return backup_sqlite_file(path, label, folder)
    except (OSError, sqlite3.Error) as error:
        raise DomainError(
            tr("백업 파일을 쓸 수 없습니다 ({error}). 백업 폴더가 있고 쓸 수 있는지 확인하세요.", error=error), field="backup_folder"
        ) from error


def upgrade(engine: Engine, revision: str = "head") -> Path | None:
    """Upgrade to `revision`; returns the backup made first, if there was data to keep."""
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    current = current_revision(engine)
    if current is not None and current not in {rev.revision for rev in script.walk_revisions()}:
        raise DatabaseVersionError(
            tr(
                "이 데이터베이스는 더 새로운 버전의 Camp Manager로 만들어졌습니다(스키마 {revision}). "
                "프로그램을 최신 버전으로 업데이트한 뒤 여세요.",
                revision=current,
            )
        )
    target = script.get_current_head() if revision == "head" else revision
    if current == target:
        return None
    backup = None
    path = sqlite_file(engine.url)
    if current is not None and path is not None and path.exists():
        backup = backup_sqlite_file(path, f"before-{target}")
    command.upgrade(alembic_config(engine), revision)
    return backup


@dataclass(frozen=True)
class DatabaseProbe:
    """What a connection test found, without changing anything."""

    where: str
    revision: str | None  # None: a new or empty database
    head: str
    exists: bool = True

    def summary(self) -> str:
        if not self.exists:
            return tr("파일이 아직 없습니다. 이 데이터베이스로 시작하면 {where}에 새로 만듭니다.", where=self.where)
        if self.revision == self.head:
            return tr("연결했습니다: {where} (스키마 최신)", where=self.where)
        if self.revision is None:
            return tr("연결했습니다: {where} (빈 데이터베이스 — 처음 열 때 표를 만듭니다)", where=self.where)
        known = {rev.revision for rev in ScriptDirectory(str(MIGRATIONS_DIR)).walk_revisions()}
        if self.revision in known:
            return tr("연결했습니다: {where} (처음 열 때 백업한 뒤 스키마를 올립니다)", where=self.where)
        return tr("연결했지만 더 새로운 버전의 Camp Manager가 만든 데이터베이스입니다(스키마 {revision}). 프로그램을 업데이트하세요.", revision=self.revision)


def probe_database(path_or_url: str) -> DatabaseProbe:
    """Connect to a SQLite file or a server and read its schema version (the Settings connection test)."""
    try:
        url = resolve_db_url(path_or_url)
        path = sqlite_file(url)
        if path is not None and not path.exists():
            if not path.parent.exists() and not path.parent.parent.exists():
                raise DomainError(tr("폴더 {folder}이(가) 없습니다. 있는 폴더를 고르세요.", folder=path.parent), field="database")
            return DatabaseProbe(where=str(path), revision=None, head=head_revision(), exists=False)
        engine = make_engine(url)
        try:
            revision = current_revision(engine)
            where = describe(engine)
        finally:
            engine.dispose()
    except ModuleNotFoundError as error:
        raise DomainError(
            tr("데이터베이스 드라이버({module})가 설치되어 있지 않습니다. PostgreSQL을 쓰려면 psycopg[binary]를 설치하세요.", module=error.name),
            field="database",
        ) from error
    except sa.exc.ArgumentError as error:
        raise DomainError(
            tr("데이터베이스 주소를 읽을 수 없습니다. 예: postgresql+psycopg://user:password@host:5432/camp ({error})", error=error),
            field="database",
        ) from error
    except sa.exc.SQLAlchemyError as error:
        raise DomainError(
            tr("데이터베이스에 연결하지 못했습니다. 주소, 사용자, 암호와 서버 상태를 확인하세요.\n{error}", error=getattr(error, "orig", None) or error),
            field="database",
        ) from error
    return DatabaseProbe(where=where, revision=revision, head=head_revision())


def open_database(path_or_url: str | None = None) -> Engine:
    """The engine for `--db`/`CAMP_MANAGER_DB`/the default file, with its schema current."""
    url = resolve_db_url(path_or_url)
    engine = None
    try:
        engine = make_engine(url)
        upgrade(engine)
    except (OSError, sqlite3.Error, sa.exc.OperationalError) as error:
        if engine is not None:
            engine.dispose()
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise DomainError(
            tr(
                "데이터베이스 {where}을(를) 열 수 없습니다({reason}). 파일 경로나 서버 주소와 권한을 확인하세요.",
                where=sqlite_file(url) or sa.make_url(url).render_as_string(hide_password=True), reason=reason,
            ),
            field="database",
        ) from error
    return engine
