"""The database file itself: a damaged, missing, foreign or newer file is one clear line and stays as it was;
a new file is made only when asked; the files are owner-only; an upgrade is said once."""

from __future__ import annotations

import os
import sqlite3
import stat
import sys
from pathlib import Path

import pytest

from camp_manager.cli import EXIT_USER_ERROR, main
from camp_manager.db.backup import BackupLabel, BackupPolicy, make_backup
from camp_manager.db.engine import default_db_path
from camp_manager.db.migrate import open_database
from camp_manager.errors import DatabaseFileError
from tests.test_migrations import newer_migrations  # noqa: F401 (a fixture)

POSIX = pytest.mark.skipif(
    sys.platform == "win32", reason="owner-only modes are POSIX; on Windows the profile folder protects them"
)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def random_bytes(path: Path) -> Path:
    path.write_bytes(os.urandom(64 * 1024))
    return path


def truncated_copy(source: Path, path: Path) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def foreign_sqlite(path: Path) -> Path:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE recipes (name TEXT)")
    return path


def empty_file(path: Path) -> Path:
    path.write_bytes(b"")
    return path


BAD_FILES = {
    "random bytes": lambda tmp, demo: random_bytes(tmp / "random.sqlite3"),
    "truncated copy": lambda tmp, demo: truncated_copy(demo, tmp / "truncated.sqlite3"),
    "empty file": lambda tmp, demo: empty_file(tmp / "empty.sqlite3"),
    "another program's SQLite file": lambda tmp, demo: foreign_sqlite(tmp / "recipes.sqlite3"),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_bad_file_is_one_line_naming_it_and_how_to_restore_and_stays_byte_identical(
    kind, tmp_path, demo_db_path, capsys
):
    folder = tmp_path / "bad"
    folder.mkdir()
    path = BAD_FILES[kind](folder, demo_db_path)
    before = path.read_bytes()
    code, out, err = run(capsys, "--db", str(path), "status")
    line = one_line(err)
    assert code == EXIT_USER_ERROR and out == ""
    assert str(path) in line and f"camp-manager --db {path} restore" in line
    assert path.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == [path.name]  # no -wal, -shm or backup folder appeared


def test_the_message_names_the_newest_sound_backup_and_that_command_restores_it(tmp_path, demo_db_path, capsys):
    backup = make_backup(demo_db_path, label=BackupLabel.MANUAL)
    random_bytes(demo_db_path)
    code, _, err = run(capsys, "--db", str(demo_db_path), "status")
    line = one_line(err)
    command = line[line.index("camp-manager ") :].split()
    assert code == EXIT_USER_ERROR and command == ["camp-manager", "--db", str(demo_db_path), "restore", str(backup)]
    code, out, _ = run(capsys, *command[1:])
    assert code == 0 and str(backup) in out
    code, out, _ = run(capsys, "--db", str(demo_db_path), "status", "--as-of", "2024-12-31")
    assert code == 0 and "84" in out
    # The damaged file was kept, byte for byte, beside the backups.
    (damaged,) = [p for p in BackupPolicy().folder_for(demo_db_path).iterdir() if f".{BackupLabel.DAMAGED}-" in p.name]
    assert damaged.stat().st_size == 64 * 1024


def test_a_mistyped_path_is_an_error_and_creates_nothing(tmp_path, capsys):
    typo = tmp_path / "typo" / "dir" / "a.sqlite3"
    code, _, err = run(capsys, "--db", str(typo), "status")
    assert code == EXIT_USER_ERROR and str(typo) in one_line(err)
    assert not (tmp_path / "typo").exists()
    missing = tmp_path / "a.sqlite3"
    code, _, err = run(capsys, "--db", str(missing), "status")
    assert code == EXIT_USER_ERROR and f"camp-manager init --db {missing}" in one_line(err)
    assert not missing.exists()


def test_init_makes_a_new_database_only_in_a_folder_that_exists(tmp_path, capsys):
    code, _, err = run(capsys, "--db", str(tmp_path / "no" / "new.sqlite3"), "init")
    assert code == EXIT_USER_ERROR and "no" in one_line(err) and not (tmp_path / "no").exists()
    path = tmp_path / "new.sqlite3"
    code, out, _ = run(capsys, "--db", str(path), "init")
    assert code == 0 and str(path) in out
    code, out, _ = run(capsys, "--db", str(path), "status", "--json")
    assert code == 0 and out.strip() == "[]"
    code, out, _ = run(capsys, "--db", str(path), "init")
    assert code == 0 and "이미" in out


def test_the_default_file_is_made_in_an_owner_only_data_folder(capsys):
    assert not default_db_path().exists()
    code, _, _ = run(capsys, "status")
    assert code == 0 and default_db_path().exists()
    if sys.platform != "win32":
        assert mode(default_db_path().parent) == 0o700 and mode(default_db_path()) == 0o600


@POSIX
def test_the_database_its_wal_and_shm_and_the_backups_are_owner_only(tmp_path):
    os.umask(0o022)  # the usual umask, which would make files readable by everyone
    path = tmp_path / "private.sqlite3"
    engine = open_database(str(path), create=True)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1 FROM facility").fetchall()
            for side in ("-wal", "-shm"):
                assert mode(path.with_name(path.name + side)) == 0o600, side
        assert mode(path) == 0o600
        backup = make_backup(path, label=BackupLabel.MANUAL)
    finally:
        engine.dispose()
    assert mode(backup) == 0o600 and mode(backup.parent) == 0o700


def test_a_database_from_a_newer_version_is_refused_and_left_byte_identical(db_path, capsys):
    with sqlite3.connect(db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
        connection.execute("PRAGMA journal_mode=DELETE")
    before = db_path.read_bytes()
    code, _, err = run(capsys, "--db", str(db_path), "status")
    assert code == EXIT_USER_ERROR and "9999_from_the_future" in one_line(err)
    assert db_path.read_bytes() == before and not BackupPolicy().folder_for(db_path).exists()


def test_an_upgrade_is_said_once_with_its_backup(db_path, newer_migrations, capsys):  # noqa: F811
    code, _, err = run(capsys, "--db", str(db_path), "status")
    (backup,) = BackupPolicy().folder_for(db_path).iterdir()
    assert code == 0 and one_line(err) == f"데이터베이스를 새 버전으로 올렸습니다. 백업: {backup}"
    code, _, err = run(capsys, "--db", str(db_path), "status")
    assert code == 0 and err == ""


def test_open_database_says_which_file_is_missing_or_damaged(tmp_path):
    with pytest.raises(DatabaseFileError) as raised:
        open_database(str(tmp_path / "gone.sqlite3"))
    assert not raised.value.damaged
    with pytest.raises(DatabaseFileError) as raised:
        open_database(str(random_bytes(tmp_path / "noise.sqlite3")))
    assert raised.value.damaged and raised.value.path == tmp_path / "noise.sqlite3"


@pytest.mark.parametrize(
    "command,out,named",
    [
        (["report", "--format", "pdf"], "/nonexistent/reports", "/nonexistent/reports"),
        (["report", "--format", "xlsx"], "/proc/x", "/proc/x"),
        (["report", "--format", "pdf"], "/proc", "/proc"),
        (["export", "residents"], "/nonexistent/a.xlsx", "/nonexistent"),
        (["export", "residents"], "/proc/a.xlsx", "/proc"),
    ],
)
def test_an_output_folder_that_is_missing_or_unwritable_is_one_line(command, out, named, demo_db_path, capsys):
    code, printed, err = run(capsys, "--db", str(demo_db_path), *command, "--out", out)
    assert code == EXIT_USER_ERROR and printed == "" and named in one_line(err)
    assert not Path("/nonexistent").exists()


def test_an_empty_default_file_left_by_an_interrupted_first_start_becomes_the_database(capsys):
    default_db_path().parent.mkdir(parents=True)
    default_db_path().write_bytes(b"")
    code, out, _ = run(capsys, "status", "--json")
    assert code == 0 and out.strip() == "[]"
