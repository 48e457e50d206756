"""Schema migrations: models and migrations agree, upgrades keep every row, opening a
database backs it up first, a newer database is refused, SQLite gets its pragmas."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

import camp_manager.db.migrate as migrate
from camp_manager.db.engine import SQLITE_BUSY_TIMEOUT_MS, make_engine
from camp_manager.errors import DatabaseVersionError
from tests.conftest import on_every_backend

BASELINE = "0001_baseline"
ROWS_PER_TABLE = 3
# Tables that later migrations make: not there to fill at the baseline.
TABLES_AFTER_BASELINE = {"supportrequest"}


def schema_differences(engine: sa.Engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=dict(migrate.COMPARE_OPTIONS))
        return compare_metadata(context, SQLModel.metadata)


def value_for(column: sa.Column, row: int):
    """A value of the column's type; row numbers keep unique columns unique and foreign keys valid."""
    python_type = column.type.python_type if not isinstance(column.type, sa.JSON) else dict
    if column.foreign_keys or python_type is int:
        return row
    if python_type is bool:
        return row % 2 == 1
    if python_type is float:
        return row * 1.5
    if python_type is datetime:
        return datetime(2024, 1, row, 9, 30, tzinfo=timezone.utc)
    if python_type is date:
        return date(2024, 1, row)
    if python_type is dict:
        return {"row": row, "이름": "값"}
    return f"{row}값"[: getattr(column.type, "length", None) or 50]


def fill_every_table(engine: sa.Engine) -> dict[str, list[dict]]:
    """Rows in every table of the database as it is (reflected, so it works at any revision)."""
    metadata = sa.MetaData()
    metadata.reflect(engine)
    written = {}
    with engine.begin() as connection:
        for table in metadata.sorted_tables:
            if table.name == "alembic_version":
                continue
            rows = [{c.name: value_for(c, row) for c in table.columns} for row in range(1, ROWS_PER_TABLE + 1)]
            connection.execute(table.insert(), rows)
            written[table.name] = rows
    return written


def read_every_table(engine: sa.Engine, names) -> dict[str, list[dict]]:
    metadata = sa.MetaData()
    metadata.reflect(engine, only=list(names))
    with engine.connect() as connection:
        return {
            name: [dict(row._mapping) for row in connection.execute(sa.select(metadata.tables[name]).order_by(metadata.tables[name].c.id))]
            for name in names
        }


def assert_rows_kept(written: dict[str, list[dict]], found: dict[str, list[dict]]) -> None:
    for table, rows in written.items():
        assert len(found[table]) == len(rows), table
        for before, after in zip(rows, found[table]):
            for column, value in before.items():
                kept = after[column]
                if isinstance(value, datetime):
                    kept = kept if kept.tzinfo else kept.replace(tzinfo=timezone.utc)
                elif isinstance(value, date) and isinstance(kept, str):
                    kept = date.fromisoformat(kept)
                assert kept == value, (table, column)


@on_every_backend
def test_models_and_migrations_are_in_sync(engine):
    assert schema_differences(engine) == []


def test_a_model_change_without_a_migration_is_noticed(engine):
    """The comparison above can fail: a column the migrations never made is reported."""
    probe = sa.Table("probe_only_in_the_models", SQLModel.metadata, sa.Column("id", sa.Integer, primary_key=True))
    try:
        assert any(diff[0] == "add_table" and diff[1].name == probe.name for diff in schema_differences(engine))
    finally:
        SQLModel.metadata.remove(probe)


@on_every_backend
def test_upgrade_from_the_baseline_keeps_every_row(blank_db_url):
    engine = make_engine(blank_db_url)
    try:
        migrate.upgrade(engine, BASELINE)
        written = fill_every_table(engine)
        assert set(written) == {t.name for t in SQLModel.metadata.sorted_tables} - TABLES_AFTER_BASELINE
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
        assert_rows_kept(written, read_every_table(engine, written))
    finally:
        engine.dispose()


@on_every_backend
def test_downgrade_to_nothing_and_up_again(blank_db_url):
    engine = make_engine(blank_db_url)
    try:
        migrate.upgrade(engine)
        command.downgrade(migrate.alembic_config(engine), "base")
        assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(engine)
        assert schema_differences(engine) == []
    finally:
        engine.dispose()


REBUILD_MIGRATION = '''"""test only: rebuild every table (SQLite batch copy) and add a column with a default"""
from alembic import op
import sqlalchemy as sa

revision = "9000_rebuild_every_table"
down_revision = {head!r}
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in sa.inspect(op.get_bind()).get_table_names():
        if table != "alembic_version":
            with op.batch_alter_table(table, recreate="always") as batch:
                batch.add_column(sa.Column("upgrade_probe", sa.Integer(), nullable=False, server_default="7"))


def downgrade() -> None:
    pass
'''


@dataclass
class NewerMigrations:
    previous: str
    revision: str = "9000_rebuild_every_table"


@pytest.fixture
def newer_migrations(tmp_path, monkeypatch) -> NewerMigrations:
    """The app's migrations plus one more that rebuilds every table, as later releases will."""
    previous = migrate.head_revision()
    folder = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / "9000_rebuild_every_table.py").write_text(REBUILD_MIGRATION.format(head=previous), encoding="utf-8")
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", folder)
    return NewerMigrations(previous=previous)


def sqlite_counts(path: Path, tables) -> dict[str, int]:
    with sqlite3.connect(path) as connection:
        return {t: connection.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def test_opening_upgrades_after_a_file_copy(db_path, newer_migrations):
    engine = make_engine(f"sqlite:///{db_path}")
    written = fill_every_table(engine)
    engine.dispose()

    upgraded = migrate.open_database(str(db_path))
    try:
        assert migrate.current_revision(upgraded) == newer_migrations.revision
        assert_rows_kept(written, read_every_table(upgraded, written))
        with upgraded.connect() as connection:
            assert connection.exec_driver_sql("SELECT DISTINCT upgrade_probe FROM company").scalars().all() == [7]
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            # Foreign keys were off only while migrating.
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        upgraded.dispose()

    (backup,) = db_path.parent.glob(f"{db_path.stem}.before-{newer_migrations.revision}-*{db_path.suffix}")
    assert sqlite_counts(backup, written) == {t: ROWS_PER_TABLE for t in written}
    with sqlite3.connect(backup) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == newer_migrations.previous
        assert "upgrade_probe" not in [row[1] for row in connection.execute("PRAGMA table_info(company)")]


def test_a_current_database_is_opened_without_a_copy(db_path):
    migrate.open_database(str(db_path)).dispose()
    assert sorted(p.name for p in db_path.parent.iterdir() if ".before-" in p.name) == []


def test_a_new_file_is_created_and_migrated(tmp_path):
    path = tmp_path / "nested" / "new.sqlite3"
    engine = migrate.open_database(str(path))
    try:
        assert path.exists() and migrate.current_revision(engine) == migrate.head_revision()
    finally:
        engine.dispose()
    assert [p.name for p in path.parent.iterdir() if ".before-" in p.name] == []


def test_a_database_from_a_newer_app_is_refused(db_path):
    engine = make_engine(f"sqlite:///{db_path}")
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    engine.dispose()
    with pytest.raises(DatabaseVersionError) as raised:
        migrate.open_database(str(db_path))
    assert "9999_from_the_future" in raised.value.message and "업데이트" in raised.value.message
    assert [p.name for p in db_path.parent.iterdir() if ".before-" in p.name] == []
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "9999_from_the_future"


def test_sqlite_pragmas(engine):
    with engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("synchronous") == 1  # NORMAL
        assert pragma("busy_timeout") == SQLITE_BUSY_TIMEOUT_MS > 0


def test_foreign_keys_are_enforced(engine):
    with pytest.raises(sa.exc.IntegrityError):
        with engine.begin() as connection:
            connection.exec_driver_sql("INSERT INTO room (facility_id, floor, code, kind, seats, area_m2, active) VALUES (999, 3, '301', 'private_office', 4, 20, 1)")


FAILING_REVISION = '''
from alembic import op
import sqlalchemy as sa

revision = "0099_fails_halfway"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("company", sa.Column("half_done", sa.Integer(), nullable=True))
    op.create_table("half_table", sa.Column("id", sa.Integer(), primary_key=True))
    raise RuntimeError("the migration stops here")


def downgrade() -> None:
    pass
'''


def test_a_migration_that_fails_halfway_changes_nothing(tmp_path, monkeypatch, engine):
    migrations = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, migrations)
    (migrations / "versions" / "0099_fails_halfway.py").write_text(
        FAILING_REVISION.replace("{head}", migrate.head_revision()), encoding="utf-8"
    )
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", migrations)
    before = migrate.current_revision(engine)
    with pytest.raises(RuntimeError, match="stops here"):
        migrate.upgrade(engine)
    inspector = sa.inspect(engine)
    assert "half_table" not in inspector.get_table_names()
    assert "half_done" not in {column["name"] for column in inspector.get_columns("company")}
    assert migrate.current_revision(engine) == before
