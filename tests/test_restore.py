"""`camp-manager restore FILE`: a backup is checked first, the current database is backed up, then swapped;
a bad backup is refused and nothing changes."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing

import pytest

from camp_manager.cli import EXIT_USER_ERROR, main
from camp_manager.db.backup import BackupLabel, BackupPolicy, list_backups, make_backup, side_files
from camp_manager.db.migrate import open_database
from camp_manager.db.restore import restore_database
from camp_manager.errors import DomainError


def run(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def companies(path) -> int:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute("SELECT COUNT(*) FROM company").fetchone()[0]


def test_restore_swaps_in_the_backup_after_backing_up_the_current_database(demo_db_path, db_path, capsys):
    backup_of_demo = make_backup(demo_db_path, label=BackupLabel.MANUAL)
    engine = open_database(str(db_path))  # leaves a -wal and -shm while open
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO facility (name, address, max_rooms_per_company) VALUES ('복원 전', '', 1)"
        )
    engine.dispose()
    code, out, err = run(capsys, "--db", str(db_path), "restore", str(backup_of_demo))
    assert (code, err) == (0, "") and str(backup_of_demo) in out
    assert companies(db_path) == companies(demo_db_path) > 100
    assert not any(side.exists() for side in side_files(db_path))
    (previous,) = [b for b in list_backups(db_path) if b.label == BackupLabel.BEFORE_RESTORE]
    assert str(previous.path) in out
    with closing(sqlite3.connect(previous.path)) as connection:
        assert connection.execute("SELECT name FROM facility").fetchall() == [("복원 전",)]
    engine = open_database(str(db_path))  # opens and works
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT COUNT(*) FROM company").scalar() == companies(demo_db_path)
    engine.dispose()


def random_bytes(path):
    path.write_bytes(os.urandom(32 * 1024))


def truncated(path, source):
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def newer_schema(path, source):
    path.write_bytes(source.read_bytes())
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
        connection.commit()


def foreign(path):
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE recipes (name TEXT)")
        connection.commit()


BAD_BACKUPS = {
    "random bytes": (lambda path, demo: random_bytes(path), "SQLite"),
    "truncated copy": (truncated, "손상"),
    "newer schema": (newer_schema, "9999_from_the_future"),
    "another program's SQLite file": (lambda path, demo: foreign(path), "Camp Manager"),
    "missing file": (lambda path, demo: None, str),
}


@pytest.mark.parametrize("kind", BAD_BACKUPS)
def test_a_bad_backup_is_refused_and_nothing_changes(kind, demo_db_path, tmp_path, capsys):
    make, said = BAD_BACKUPS[kind]
    bad = tmp_path / "bad.sqlite3"
    make(bad, demo_db_path)
    before = demo_db_path.read_bytes()
    code, out, err = run(capsys, "--db", str(demo_db_path), "restore", str(bad))
    line = err.strip()
    assert code == EXIT_USER_ERROR and out == "" and len(line.splitlines()) == 1 and "Traceback" not in err
    assert str(bad) in line and (said is str or said in line)
    assert demo_db_path.read_bytes() == before
    assert not BackupPolicy().folder_for(demo_db_path).exists()  # not even a backup was made


def test_restore_refuses_while_another_program_has_the_database_open(demo_db_path, db_path):
    backup = make_backup(demo_db_path, label=BackupLabel.MANUAL)
    engine = open_database(str(db_path))
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1 FROM facility").fetchall()
            with pytest.raises(DomainError, match="쓰고 있어"):
                restore_database(db_path, backup)
    finally:
        engine.dispose()
    assert companies(db_path) == 0


def test_restore_of_a_server_database_says_to_use_pg_restore(capsys, tmp_path):
    code, _, err = run(
        capsys, "--db", "postgresql+psycopg://u:secret@127.0.0.1:1/x", "restore", str(tmp_path / "x.sqlite3")
    )
    assert code == EXIT_USER_ERROR and "pg_restore" in err and "secret" not in err


def test_backups_lists_each_backup_with_its_size_and_verdict(db_path, capsys):
    good = make_backup(db_path, label=BackupLabel.MANUAL)
    bad = make_backup(db_path, label=BackupLabel.MANUAL)
    bad.write_bytes(b"\0" * 100)
    code, out, _ = run(capsys, "--db", str(db_path), "backups")
    lines = [line.split("\t") for line in out.strip().splitlines()]
    assert code == 0 and [line[3] for line in lines] == [str(bad), str(good)]
    assert lines[0][1] == "100" and lines[0][2] != "정상" and lines[1][2] == "정상"
