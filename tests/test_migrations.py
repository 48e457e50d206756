"""Schema migrations: models and migrations agree, upgrades keep every row, opening a
database backs it up first, a newer database is refused, SQLite gets its pragmas."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

from camp_manager.db import migrate
from camp_manager.db.backup import BackupPolicy
from camp_manager.db.engine import SQLITE_BUSY_TIMEOUT_MS, SQLITE_CACHE_KIB, make_engine
from camp_manager.errors import DatabaseVersionError, DomainError
from tests.conftest import on_every_backend

BASELINE = "0001_baseline"
ROWS_PER_TABLE = 3
# Tables that later migrations make: not there to fill at the baseline.
TABLES_AFTER_BASELINE = {
    "supportrequest",
    *("salesrecord", "investmentround", "intellectualproperty", "certification", "governmentproject"),
    *("followup", "evidence", "contractrenewal"),
}


def schema_differences(engine: sa.Engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=dict(migrate.COMPARE_OPTIONS))
        return compare_metadata(context, SQLModel.metadata)


# Values the rules of the data accept, for the columns whose rules a plain value of the type breaks.
VALID_VALUES = {
    ("room", "kind"): lambda row: "private_office",
    ("allocation", "room_kind"): lambda row: "private_office",
    ("company", "field"): lambda row: "other",
    ("company", "biz_reg_no"): lambda row: f"{row:010d}",
    ("contractextension", "new_end"): lambda row: date(2025, 1, row),
    ("roomrequest", "kind"): lambda row: "waitlist",
    ("roomrequest", "status"): lambda row: "approved",
    ("mentor", "field"): lambda row: "technology",
    ("mentoringsession", "mode"): lambda row: "online",
    ("mentoringsession", "status"): lambda row: "held",
    ("exit", "reason"): lambda row: "graduated",
    ("exit", "region"): lambda row: "gwangju",
    ("salesrecord", "half"): lambda row: 0,
    ("salesrecord", "year"): lambda row: 2020 + row,
    ("investmentround", "kind"): lambda row: "equity",
    ("intellectualproperty", "kind"): lambda row: "patent_filed",
    ("certification", "kind"): lambda row: "venture",
    ("followup", "status"): lambda row: "operating",
    ("followup", "region"): lambda row: "capital",
    ("evidence", "record_kind"): lambda row: "salesrecord",
}
# Columns a migration drops on purpose: (table, column) → the revision that drops it.
DROPPED = {("room", "active"): "0002_constraints"}


def value_for(column: sa.Column, row: int):
    """A value of the column's type that the rules accept; row numbers keep unique columns unique and foreign keys valid.

    Every date of a row is the same day, so each stay ends the day its exit says and every range is empty.
    """
    valid = VALID_VALUES.get((column.table.name, column.name))
    if valid is not None:
        return valid(row)
    python_type = column.type.python_type if not isinstance(column.type, sa.JSON) else dict
    if python_type is int:
        return row
    if python_type is bool:
        return True
    if python_type is float:
        return row * 1.5
    if python_type is datetime:
        return datetime(2024, 1, row, 9, 30, tzinfo=UTC)
    if python_type is date:
        return date(2024, 1, row)
    if python_type is bytes:
        return f"{row}값".encode()
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
            name: [
                dict(row._mapping)
                for row in connection.execute(sa.select(metadata.tables[name]).order_by(metadata.tables[name].c.id))
            ]
            for name in names
        }


def assert_rows_kept(written: dict[str, list[dict]], found: dict[str, list[dict]]) -> None:
    for table, rows in written.items():
        assert len(found[table]) == len(rows), table
        for before, after in zip(rows, found[table], strict=True):
            for column, value in before.items():
                if (table, column) in DROPPED:
                    assert column not in after, (table, column)
                    continue
                kept = after[column]
                if isinstance(value, datetime):
                    kept = kept if kept.tzinfo else kept.replace(tzinfo=UTC)
                elif isinstance(value, date) and isinstance(kept, str):
                    kept = date.fromisoformat(kept)
                assert kept == value, (table, column)


def test_the_revisions_read_from_the_file_names_are_alembics():
    """Opening a database reads the revisions from the migration files' names, without Alembic."""
    scripts = ScriptDirectory(str(migrate.MIGRATIONS_DIR))
    assert migrate.known_revisions() == {script.revision for script in scripts.walk_revisions()}
    assert migrate.head_revision() == scripts.get_current_head()


def test_a_database_at_the_head_opens_without_loading_alembic(tmp_path):
    db = tmp_path / "camp.sqlite3"
    engine = make_engine(f"sqlite:///{db}")
    migrate.upgrade(engine)
    engine.dispose()
    code = (
        "import sys; from camp_manager.db.migrate import open_database; "
        f"open_database({str(db)!r}).dispose(); print(any(name.startswith('alembic') for name in sys.modules))"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "False"


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
    (folder / "versions" / "9000_rebuild_every_table.py").write_text(
        REBUILD_MIGRATION.format(head=previous), encoding="utf-8"
    )
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", folder)
    return NewerMigrations(previous=previous)


def sqlite_counts(path: Path, tables) -> dict[str, int]:
    with sqlite3.connect(path) as connection:
        return {t: connection.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def test_opening_upgrades_after_a_file_copy(db_path, newer_migrations):
    engine = make_engine(f"sqlite:///{db_path}")
    written = fill_every_table(engine)
    engine.dispose()

    opened = migrate.open_database_noting(str(db_path))
    upgraded = opened.engine
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

    backups = BackupPolicy().folder_for(db_path)
    (backup,) = backups.glob(f"{db_path.stem}.before-{newer_migrations.revision}-*{db_path.suffix}")
    assert opened.upgraded.backup == backup and str(backup) in opened.upgraded.message()
    assert sqlite_counts(backup, written) == {t: ROWS_PER_TABLE for t in written}
    with sqlite3.connect(backup) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == newer_migrations.previous
        assert "upgrade_probe" not in [row[1] for row in connection.execute("PRAGMA table_info(company)")]


def test_a_current_database_is_opened_without_a_copy(db_path):
    opened = migrate.open_database_noting(str(db_path))
    opened.engine.dispose()
    assert opened.upgraded is None and not BackupPolicy().folder_for(db_path).exists()


def test_a_new_file_is_created_and_migrated(tmp_path):
    path = tmp_path / "new.sqlite3"
    engine = migrate.open_database(str(path), create=True)
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
        assert pragma("cache_size") == -SQLITE_CACHE_KIB < 0


def test_foreign_keys_are_enforced(engine):
    with pytest.raises(sa.exc.IntegrityError):
        with engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO room (facility_id, floor, code, kind, seats, area_m2) VALUES (999, 3, '301', 'private_office', 4, 20)"
            )


FAILING_REVISION = """
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
"""


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


CONSTRAINTS = "0002_constraints"


@pytest.fixture
def engine_without_tables(blank_db_url):
    engine = make_engine(blank_db_url)
    yield engine
    engine.dispose()


def execute(engine: sa.Engine, *statements: str) -> None:
    with engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)


@on_every_backend
def test_data_that_breaks_a_new_rule_stops_the_upgrade_and_changes_nothing(engine_without_tables):
    engine = engine_without_tables
    migrate.upgrade(engine, BASELINE)
    written = fill_every_table(engine)
    execute(
        engine,
        # Room 1 is a private office: two allocations that share March.
        "INSERT INTO allocation (id, company_id, room_id, start_on, end_on, seats, override_reason) VALUES "
        "(11, 1, 1, '2024-02-01', NULL, 4, ''), (12, 2, 1, '2024-03-01', '2024-04-01', 4, '')",
        "UPDATE allocation SET end_on = '2023-12-01' WHERE id = 3",
        "INSERT INTO residency (id, company_id, facility_id, move_in) VALUES (21, 1, 1, '2024-05-01'), (22, 1, 1, '2024-06-01')",
        "UPDATE exit SET exit_on = '2024-01-20' WHERE id = 2",
        "UPDATE room SET kind = 'storage' WHERE id = 3",
    )
    before = read_every_table(engine, written)
    with pytest.raises(DomainError) as raised:
        migrate.upgrade(engine)
    message = raised.value.message
    assert "아무것도 바꾸지 않았습니다" in message
    assert "- 한 개별 사무실에 기간이 겹치는 두 배정: 호실 배정 번호 12" in message
    assert "- 배정 종료일이 시작일보다 빠름: 호실 배정 번호 3" in message
    assert "- 한 기업에 입주 중인 계약이 둘 이상: 입주 계약 번호 22" in message
    assert "- 퇴거일이 입주 계약의 종료일과 다름: 퇴거 번호 2" in message
    assert "- kind 값이 목록에 없음: 호실 번호 3" in message
    assert migrate.current_revision(engine) == BASELINE
    assert read_every_table(engine, written) == before
    assert "room_kind" not in {column["name"] for column in sa.inspect(engine).get_columns("allocation")}


@on_every_backend
def test_a_room_marked_inactive_gets_a_retirement_day(engine_without_tables):
    """`room.active` goes: a room marked inactive without a day stops counting from the upgrade on
    (or from the end of its last allocation), so no past figure changes; one still held keeps counting."""
    engine = engine_without_tables
    migrate.upgrade(engine, BASELINE)
    execute(
        engine,
        "INSERT INTO facility (id, name, max_rooms_per_company) VALUES (1, '캠프', 1)",
        "INSERT INTO company (id, name, biz_reg_no) VALUES (1, '가온', '1168200276'), (2, '나래', '2208162517')",
        "INSERT INTO room (id, facility_id, floor, code, kind, seats, area_m2, active) VALUES "
        "(11, 1, 2, '201', 'private_office', 4, 20, FALSE), (12, 1, 2, '202', 'private_office', 4, 20, FALSE), "
        "(13, 1, 2, '203', 'private_office', 4, 20, FALSE), (14, 1, 2, '204', 'private_office', 4, 20, TRUE)",
        "INSERT INTO allocation (id, company_id, room_id, start_on, end_on, seats, override_reason) VALUES "
        "(11, 1, 11, '2024-01-01', '2099-01-01', 4, ''), (13, 2, 13, '2024-01-01', NULL, 4, '')",
    )
    migrate.upgrade(engine, CONSTRAINTS)
    with engine.connect() as connection:
        retired = dict(connection.exec_driver_sql("SELECT id, retired_on FROM room WHERE id > 10").all())
        audited = (
            connection.exec_driver_sql(
                "SELECT entity_id FROM auditentry WHERE entity = 'Room' AND action = 'retire' ORDER BY entity_id"
            )
            .scalars()
            .all()
        )
    as_dates = {room: date.fromisoformat(str(day)) if day is not None else None for room, day in retired.items()}
    assert as_dates == {11: date(2099, 1, 1), 12: date.today(), 13: None, 14: None}
    assert audited == [11, 12]


@on_every_backend
def test_downgrade_from_the_constraints_keeps_every_row(engine_without_tables):
    engine = engine_without_tables
    migrate.upgrade(engine, CONSTRAINTS)
    written = fill_every_table(engine)
    execute(engine, "UPDATE room SET retired_on = NULL WHERE id = 1")
    command.downgrade(migrate.alembic_config(engine), BASELINE)
    assert migrate.current_revision(engine) == BASELINE
    with engine.connect() as connection:
        active = dict(connection.exec_driver_sql("SELECT id, active FROM room ORDER BY id").all())
    assert {room: bool(flag) for room, flag in active.items()} == {1: True, 2: False, 3: False}
    for table in written.values():
        for row in table:
            row.pop("room_kind", None)
    found = read_every_table(engine, written)
    for row in found["room"]:
        row.pop("active")
    written["room"][0]["retired_on"] = None
    assert_rows_kept(written, found)
    migrate.upgrade(engine)
    assert schema_differences(engine) == []
