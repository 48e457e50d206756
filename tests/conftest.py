"""Shared fixtures: a fresh database per test, user folders redirected, offscreen Qt."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from sqlmodel import Session

from camp_manager.db.engine import make_engine, unit_of_work
from camp_manager.db.migrate import upgrade
from camp_manager.i18n import set_language
from camp_manager.services import demo

# The demo's "today": fixed, so every figure a test reads is repeatable.
DEMO_TODAY = date(2026, 11, 22)


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


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "empty.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory, empty_template) -> Path:
    path = _copy_database(empty_template, tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    engine = make_engine(f"sqlite:///{path}")
    with unit_of_work(engine) as session:
        demo.load_demo(session=session, today=DEMO_TODAY)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture
def db_path(tmp_path, empty_template) -> Path:
    """A fresh, migrated, empty SQLite file for this test."""
    return _copy_database(empty_template, tmp_path / "camp.sqlite3")


@pytest.fixture
def engine(db_path):
    engine = make_engine(f"sqlite:///{db_path}")
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
def demo_engine(demo_db_path):
    engine = make_engine(f"sqlite:///{demo_db_path}")
    yield engine
    engine.dispose()


@pytest.fixture
def demo_session(demo_engine):
    with Session(demo_engine, expire_on_commit=False) as session:
        yield session
