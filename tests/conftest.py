"""Shared fixtures: a fresh database per test, user folders redirected, offscreen Qt.

Tests run on a fresh SQLite file each. A test marked `on_every_backend` (or a module, with
`pytestmark = on_every_backend`) runs a second time on a fresh PostgreSQL database when
`CAMP_MANAGER_TEST_PG_URL` points at a server (any database on it; the tests create and
drop their own, one per test, from a migrated template), and is skipped, with the reason,
otherwise.
"""

from __future__ import annotations

import os
import shutil
import uuid
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring
import pytest
import sqlalchemy as sa
from keyring.backend import KeyringBackend
from sqlmodel import Session

from camp_manager import cli
from camp_manager.db.engine import make_engine, unit_of_work
from camp_manager.db.migrate import upgrade
from camp_manager.i18n import set_language
from camp_manager.services import demo

# The demo's "today": fixed, so every figure a test reads is repeatable.
DEMO_TODAY = date(2026, 11, 22)

PG_URL_VAR = "CAMP_MANAGER_TEST_PG_URL"
requires_postgres = pytest.mark.skipif(
    not os.environ.get(PG_URL_VAR),
    reason=f"PostgreSQL run: set {PG_URL_VAR}=postgresql+psycopg://user@host:port/postgres to run it",
)
# The PostgreSQL repetition is `slow` too: `pytest -m "not slow"` proves the rules once, on SQLite.
BACKENDS = ["sqlite", pytest.param("postgres", marks=[pytest.mark.postgres, pytest.mark.slow, requires_postgres])]
on_every_backend = pytest.mark.parametrize("backend", BACKENDS, indirect=True)


# The dialog guard's fixture, for every test (see _guarded_against_dialogs).
pytest_plugins = ["tests.dialog_guard", "pytester"]
QT_FIXTURES = {"qtbot", "qapp"}


@pytest.fixture(autouse=True)
def _guarded_against_dialogs(request):
    """Every test that uses Qt fails on a dialog it did not expect, instead of hanging."""
    if QT_FIXTURES & set(request.fixturenames):
        request.getfixturevalue("unexpected_dialogs_fail")


@pytest.fixture(autouse=True)
def _isolated_user_folders(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(variable, str(home / variable.lower()))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("CAMP_MANAGER_DB", raising=False)
    yield
    set_language("ko")


def _copy_database(template: Path, target: Path) -> Path:
    shutil.copyfile(template, target)
    return target


def _checkpoint_and_dispose(engine: sa.Engine) -> None:
    """Fold the WAL into the file, so a plain file copy holds everything."""
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()


class PostgresServer:
    """Creates and drops uniquely named databases on the server of `CAMP_MANAGER_TEST_PG_URL`."""

    def __init__(self, url: str) -> None:
        self.url = sa.make_url(url)
        self.admin = sa.create_engine(self.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        self.prefix = f"cm_test_{os.getpid()}_"
        self.created: list[str] = []

    def url_for(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def create(self, *, template: str | None = None) -> str:
        name = self.prefix + uuid.uuid4().hex[:12]
        clause = f" TEMPLATE {template}" if template else ""
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f"CREATE DATABASE {name}{clause}")
        self.created.append(name)
        return name

    def drop(self, name: str) -> None:
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self.created.remove(name)

    def close(self) -> None:
        for name in list(self.created):
            self.drop(name)
        self.admin.dispose()


@pytest.fixture(scope="session")
def pg_server():
    url = os.environ.get(PG_URL_VAR)
    if not url:
        pytest.skip(f"{PG_URL_VAR} is not set")
    server = PostgresServer(url)
    yield server
    server.close()


@pytest.fixture(scope="session")
def pg_empty_template(pg_server) -> str:
    name = pg_server.create()
    engine = make_engine(pg_server.url_for(name))
    upgrade(engine)
    engine.dispose()
    return name


@pytest.fixture(scope="session")
def pg_demo_template(pg_server, pg_empty_template) -> str:
    name = pg_server.create(template=pg_empty_template)
    engine = make_engine(pg_server.url_for(name))
    with unit_of_work(engine) as session:
        demo.load_demo(session=session, today=DEMO_TODAY)
    engine.dispose()
    return name


@pytest.fixture
def backend(request) -> str:
    """'sqlite', unless the module parametrizes it indirectly with BACKENDS."""
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "empty.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    _checkpoint_and_dispose(engine)
    return path


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory, empty_template) -> Path:
    path = _copy_database(empty_template, tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    engine = make_engine(f"sqlite:///{path}")
    with unit_of_work(engine) as session:
        demo.load_demo(session=session, today=DEMO_TODAY)
    _checkpoint_and_dispose(engine)
    return path


@pytest.fixture(scope="session")
def cli_demo_db(tmp_path_factory) -> Path:
    """A database filled by `camp-manager demo` itself (once per run; tests only read it)."""
    path = tmp_path_factory.mktemp("cli-demo") / "demo.sqlite3"
    assert cli.main(["--db", str(path), "init"]) == 0
    assert cli.main(["--db", str(path), "demo", "--today", DEMO_TODAY.isoformat()]) == 0
    return path


def _database_url(request, backend: str, *, sqlite_path_fixture: str, pg_template_fixture: str):
    if backend == "postgres":
        server = request.getfixturevalue("pg_server")
        name = server.create(template=request.getfixturevalue(pg_template_fixture))
        yield server.url_for(name)
        server.drop(name)
    else:
        yield f"sqlite:///{request.getfixturevalue(sqlite_path_fixture)}"


@pytest.fixture
def db_path(tmp_path, empty_template) -> Path:
    """A fresh, migrated, empty SQLite file for this test."""
    return _copy_database(empty_template, tmp_path / "camp.sqlite3")


@pytest.fixture
def db_url(request, backend):
    """A fresh, migrated, empty database for this test (SQLite file or PostgreSQL database)."""
    yield from _database_url(request, backend, sqlite_path_fixture="db_path", pg_template_fixture="pg_empty_template")


@pytest.fixture
def blank_db_url(request, backend, tmp_path):
    """A database with no tables at all, not even Alembic's (SQLite: a file not yet made)."""
    if backend == "postgres":
        server = request.getfixturevalue("pg_server")
        name = server.create()
        yield server.url_for(name)
        server.drop(name)
    else:
        yield f"sqlite:///{tmp_path / 'blank.sqlite3'}"


@pytest.fixture
def engine(db_url):
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine):
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def demo_db_path(tmp_path, demo_template) -> Path:
    """A private copy of the demo database for this test."""
    return _copy_database(demo_template, tmp_path / "demo.sqlite3")


@pytest.fixture
def demo_db_url(request, backend):
    """A private copy of the demo database (SQLite file or PostgreSQL database)."""
    yield from _database_url(
        request, backend, sqlite_path_fixture="demo_db_path", pg_template_fixture="pg_demo_template"
    )


@pytest.fixture
def demo_engine(demo_db_url):
    engine = make_engine(demo_db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def demo_session(demo_engine):
    with Session(demo_engine, expire_on_commit=False) as session:
        yield session


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


@pytest.fixture
def memory_keyring():
    before = keyring.get_keyring()
    store = MemoryKeyring()
    keyring.set_keyring(store)
    yield store
    keyring.set_keyring(before)
