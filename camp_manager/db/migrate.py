"""Opening a database: back it up, bring its schema up to date, refuse a newer one."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from camp_manager.db.engine import make_engine, resolve_db_url, sqlite_file
from camp_manager.errors import DatabaseVersionError
from camp_manager.i18n import tr

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def backup_sqlite_file(path: Path, label: str) -> Path:
    """A consistent copy made with SQLite's online backup (safe with WAL)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.{label}-{stamp}{path.suffix}")
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


def open_database(path_or_url: str | None = None) -> Engine:
    """The engine for `--db`/`CAMP_MANAGER_DB`/the default file, with its schema current."""
    engine = make_engine(resolve_db_url(path_or_url))
    upgrade(engine)
    return engine
