"""Backups: SQLite's online backup, verified after writing, unique names, rotation, the daily start backup."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from datetime import date, datetime, timedelta

import pytest

from camp_manager.cli import main
from camp_manager.db import backup as backups
from camp_manager.db.backup import BackupLabel, BackupPolicy, list_backups, make_backup, server_backup_commands
from camp_manager.db.migrate import backup_verdict, newest_sound_backup
from camp_manager.errors import DomainError
from tests.importing_files import bizno, titled_resident_list

NOON = datetime(2026, 11, 22, 12, 0, 0)


def counts(path):
    with closing(sqlite3.connect(path)) as connection:
        return backups.table_counts(connection)


def test_a_backup_holds_every_row_and_passes_the_checks(demo_db_path, tmp_path):
    copy = make_backup(demo_db_path, label=BackupLabel.MANUAL, policy=BackupPolicy(folder=tmp_path / "b"))
    assert counts(copy) == counts(demo_db_path) and counts(copy)["company"] > 100
    assert backup_verdict(copy) is None
    assert [b.path for b in list_backups(demo_db_path, BackupPolicy(folder=tmp_path / "b"))] == [copy]
    assert not list((tmp_path / "b").glob(".*"))  # no partial file left


def test_two_backups_in_the_same_second_are_two_files(db_path):
    first = make_backup(db_path, label=BackupLabel.MANUAL, now=NOON)
    second = make_backup(db_path, label=BackupLabel.MANUAL, now=NOON)
    assert first != second and first.exists() and second.exists()


def test_a_backup_taken_while_another_connection_writes_is_one_consistent_snapshot(demo_db_path, tmp_path):
    stop = threading.Event()

    def write() -> None:
        with closing(sqlite3.connect(demo_db_path, timeout=10, isolation_level=None)) as writer:
            while not stop.is_set():
                writer.execute(
                    "INSERT INTO auditentry (at, actor, entity, entity_id, action)"
                    " VALUES ('2026-01-01', 'x', 'company', 1, 'update')"
                )

    writer = threading.Thread(target=write)
    writer.start()
    try:
        copy = make_backup(demo_db_path, label=BackupLabel.MANUAL)  # verification compares the copy with its snapshot
    finally:
        stop.set()
        writer.join()
    assert backup_verdict(copy) is None


def test_a_copy_that_differs_from_its_source_is_not_published(db_path, monkeypatch):
    real = backups.table_counts
    calls = []

    def counting_wrong(connection):
        calls.append(1)
        found = real(connection)
        return (
            {**found, "company": found["company"] + 1} if len(calls) == 2 else found
        )  # the second call reads the copy

    monkeypatch.setattr(backups, "table_counts", counting_wrong)
    with pytest.raises(DomainError, match="company"):
        make_backup(db_path, label=BackupLabel.MANUAL)
    folder = BackupPolicy().folder_for(db_path)
    assert list(folder.iterdir()) == []


def test_rotation_keeps_the_newest_of_each_of_14_days_and_12_months(db_path):
    policy = BackupPolicy(daily=14, monthly=12, newest=0)
    start = datetime(2024, 1, 1, 9)
    made = []
    for day in range(0, 700, 10):  # every tenth day for almost two years, twice on each day
        for hour in (9, 17):
            made.append(
                make_backup(
                    db_path, label=BackupLabel.START, policy=policy, now=start + timedelta(days=day, hours=hour - 9)
                )
            )
    kept = list_backups(db_path, policy)
    days = sorted({b.made_at.date() for b in kept})
    months = sorted({(b.made_at.year, b.made_at.month) for b in kept})
    assert all(b.made_at.hour == 17 for b in kept)  # the newest of its day
    assert len(months) == 12 and len(kept) == len(set(days))
    latest = max(b.made_at for b in kept)
    assert {b.made_at.date() for b in kept if latest - b.made_at < timedelta(days=140)} == {
        (latest - timedelta(days=10 * n)).date() for n in range(14)
    }
    assert made[-1] in [b.path for b in kept]
    kept_with_the_newest = list_backups(db_path, BackupPolicy(daily=14, monthly=12, newest=3))
    assert [b.path for b in kept_with_the_newest] == [b.path for b in kept]  # listing never prunes
    assert backups.backups_to_prune(kept, BackupPolicy(daily=2, monthly=0, newest=3)) == kept[3:]


def test_a_damaged_file_copy_is_never_rotated_away(db_path):
    policy = BackupPolicy(daily=1, monthly=1, newest=0)
    damaged = make_backup(db_path, label=BackupLabel.DAMAGED, policy=policy, now=datetime(2020, 1, 1))
    make_backup(db_path, label=BackupLabel.START, policy=policy, now=datetime(2026, 1, 1))
    make_backup(db_path, label=BackupLabel.START, policy=policy, now=datetime(2026, 2, 1))
    assert damaged.exists() and len(list_backups(db_path, policy)) == 2


def test_the_start_backup_is_due_once_a_day(db_path):
    today = NOON.date()
    assert backups.start_backup_due(db_path, today=today)
    make_backup(db_path, label=BackupLabel.START, now=NOON)
    assert not backups.start_backup_due(db_path, today=today)
    assert backups.start_backup_due(db_path, today=today + timedelta(days=1))
    assert backups.start_backup_due(db_path, today=date(2026, 11, 21))


def test_the_newest_sound_backup_skips_a_damaged_one(db_path):
    good = make_backup(db_path, label=BackupLabel.MANUAL, now=NOON)
    bad = make_backup(db_path, label=BackupLabel.MANUAL, now=NOON + timedelta(hours=1))
    bad.write_bytes(bad.read_bytes()[:2048])
    assert backup_verdict(bad) is not None
    assert newest_sound_backup(db_path).path == good


def test_server_commands_name_the_server_without_its_password():
    commands = server_backup_commands("postgresql+psycopg://camp:s3cret@db.example:5433/campdb")
    assert (
        commands.dump.startswith("pg_dump --format=custom")
        and '"postgresql://camp@db.example:5433/campdb"' in commands.dump
    )
    assert commands.restore.startswith("pg_restore") and "campdb" in commands.restore
    assert "s3cret" not in commands.dump + commands.restore


def test_the_start_backup_is_made_once_a_day_and_never_for_a_server(db_path):
    url = f"sqlite:///{db_path}"
    first = backups.backup_at_start(url, today=date.today())
    assert first is not None and backup_verdict(first) is None
    assert backups.backup_at_start(url, today=date.today()) is None
    assert backups.backup_at_start("postgresql+psycopg://camp@server/camp") is None


def test_an_import_that_writes_is_backed_up_first_and_a_dry_run_is_not(db_path, tmp_path):

    rows = [[1, "백업랩스", "김대표", bizno(1), "2024.03.02", "301호", "5명", "빅데이터", "광주"]]
    workbook = titled_resident_list(tmp_path / "residents.xlsx", rows)
    command = ["--db", str(db_path), "import", str(workbook), "--facility", "AI 창업캠프", "--create-rooms"]
    assert main([*command, "--dry-run"]) == 0
    assert list_backups(db_path) == []
    assert main(command) == 0
    (before_import,) = list_backups(db_path)
    assert before_import.label == BackupLabel.BEFORE_IMPORT
    assert counts(before_import.path)["company"] == 0 and counts(db_path)["company"] == 1
