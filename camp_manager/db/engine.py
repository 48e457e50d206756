"""Database location, engine and units of work (SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import platformdirs
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from camp_manager import APP_NAME
from camp_manager.clock import SYSTEM_CLOCK, Clock
from camp_manager.db.credentials import server_connect_args

DB_ENV_VAR = "CAMP_MANAGER_DB"
SQLITE_BUSY_TIMEOUT_MS = 10_000
# Each connection's page cache, in KiB (SQLite's default is 2,000): the pages come back from the operating
# system's cache at no measurable cost, and each pooled connection then holds half as much (3 MiB in all
# at ten times the camp).
SQLITE_CACHE_KIB = 1024


# Owner-only on POSIX: the database holds business and personal data of every resident.
# (On Windows the files live in the user's profile, which only that user can read.)
PRIVATE_FILE_MODE = 0o600
PRIVATE_FOLDER_MODE = 0o700


def default_db_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "camp_manager.sqlite3"


def make_private_folder(folder: Path) -> Path:
    """Create `folder` readable by its owner only (missing parents as usual); an existing folder is left as it is."""
    if not folder.is_dir():
        folder.parent.mkdir(parents=True, exist_ok=True)
        folder.mkdir(mode=PRIVATE_FOLDER_MODE)
        os.chmod(folder, PRIVATE_FOLDER_MODE)  # mkdir's mode is narrowed by the umask, never widened: make it exact
    return folder


def create_private_file(path: Path) -> None:
    """Create an empty `path` readable by its owner only, unless it exists. SQLite gives the
    -wal and -shm files it makes beside a database the database file's permissions."""
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE_MODE))
    except FileExistsError:
        return
    os.chmod(path, PRIVATE_FILE_MODE)


def resolve_db_url(path_or_url: str | os.PathLike[str] | None = None) -> str:
    """`--db` wins over `CAMP_MANAGER_DB`, which wins over the per-user SQLite file."""
    chosen = path_or_url or os.environ.get(DB_ENV_VAR) or default_db_path()
    text = str(chosen)
    if "://" in text:
        parsed = sa.make_url(text)
        if parsed.drivername in ("postgresql", "postgres"):  # SQLAlchemy's default would be psycopg2
            return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
        return text
    path = Path(text).expanduser().resolve()
    return f"sqlite:///{path}"


def sqlite_file(url: str | sa.URL) -> Path | None:
    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _set_sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")  # negative: in KiB, not pages
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for `url`. It creates no folder: whether a missing database may be made is
    `camp_manager.db.migrate.open_database`'s decision; a file SQLite makes here is owner-only."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_file(parsed)
        engine = sa.create_engine(url, connect_args={"check_same_thread": False})
        if path is not None:

            def owner_only(*_args: object) -> None:
                if path.parent.is_dir():
                    create_private_file(path)

            sa.event.listen(engine, "do_connect", owner_only)
        sa.event.listen(engine, "connect", _set_sqlite_pragmas)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, connect_args=server_connect_args(url))


CLOCK_KEY = "clock"


@contextmanager
def unit_of_work(engine: Engine, *, clock: Clock = SYSTEM_CLOCK) -> Iterator[Session]:
    """One session per unit of work: everything in it commits together or not at all.

    The use cases read the date of today from `clock` (see `camp_manager.clock`).
    """
    with Session(engine, expire_on_commit=False, info={CLOCK_KEY: clock}) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def describe(engine: Engine) -> str:
    """Where the data lives, for the status bar and `status`: a file path or a server."""
    path = sqlite_file(engine.url)
    if path is not None:
        return str(path)
    return engine.url.render_as_string(hide_password=True)
