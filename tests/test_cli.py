"""`camp-manager` without a screen: demo, status, version, database choice, errors, language."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from camp_manager import __version__
from camp_manager.cli import EXIT_USER_ERROR, main
from camp_manager.db.engine import DB_ENV_VAR, default_db_path, resolve_db_url
from camp_manager.services.demo import CAMP, IPLEX
from tests.conftest import BACKENDS

REPO = Path(__file__).resolve().parent.parent


def run(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        code = main(list(argv))
    except SystemExit as stop:  # argparse: --version, usage errors
        code = stop.code
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def status(capsys, db, as_of: str, *extra: str) -> dict[str, dict]:
    code, out, err = run(capsys, "--db", str(db), "status", "--as-of", as_of, "--json", *extra)
    assert (code, err) == (0, "")
    return {row["facility"]: row for row in json.loads(out)}


def test_demo_then_status_gives_the_real_year_end_figures(cli_demo_db, capsys):
    residents = {year: status(capsys, cli_demo_db, f"{year}-12-31")[CAMP]["residents"] for year in (2022, 2023, 2024)}
    assert residents == {2022: 107, 2023: 96, 2024: 84}


def test_status_reports_rooms_seats_and_rates(cli_demo_db, capsys):
    rows = status(capsys, cli_demo_db, "2026-11-22")
    assert set(rows) == {CAMP, IPLEX}
    for row in rows.values():
        assert row["as_of"] == "2026-11-22"
        assert 0 < row["rooms_occupied"] <= row["rooms_total"]
        assert row["occupancy_pct"] == round(100 * row["rooms_occupied"] / row["rooms_total"], 1)
        assert 0 <= row["seats_used"] <= row["seats_total"]
    only = status(capsys, cli_demo_db, "2026-11-22", "--facility", IPLEX)
    assert list(only) == [IPLEX] and only[IPLEX] == rows[IPLEX]


def test_status_as_text(cli_demo_db, capsys):
    code, out, _ = run(capsys, "--db", str(cli_demo_db), "status", "--as-of", "2024-12-31")
    assert code == 0
    assert "2024-12-31" in out and f"{CAMP}: 입주기업 84개" in out and IPLEX in out


def test_version(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.strip() == f"camp-manager {__version__}"


def test_module_entry_point_runs_in_a_fresh_process():
    done = subprocess.run(
        [sys.executable, "-m", "camp_manager", "--version"],
        capture_output=True,
        encoding="utf-8",
        check=False,
        cwd=REPO,
        timeout=120,
    )
    assert done.returncode == 0 and done.stdout.strip() == f"camp-manager {__version__}", done.stderr


@pytest.mark.parametrize("bad", ["2024-13-45", "어제", "31.12.2024"])
def test_a_bad_date_is_one_line_and_exit_2(db_path, capsys, bad):
    code, out, err = run(capsys, "--db", str(db_path), "status", "--as-of", bad)
    line = one_error_line(err)
    assert code == EXIT_USER_ERROR and out == ""
    assert bad in line and "YYYY-MM-DD" in line


def test_an_unknown_facility_names_the_choices(cli_demo_db, capsys):
    code, _, err = run(capsys, "--db", str(cli_demo_db), "status", "--facility", "없는캠프")
    line = one_error_line(err)
    assert code == EXIT_USER_ERROR and "없는캠프" in line and CAMP in line and IPLEX in line


def test_demo_refuses_a_database_with_data(demo_db_path, capsys):
    before = demo_db_path.stat().st_size
    code, _, err = run(capsys, "--db", str(demo_db_path), "demo")
    assert code == EXIT_USER_ERROR and "빈 데이터베이스" in one_error_line(err)
    assert demo_db_path.stat().st_size == before


def test_a_database_from_a_newer_app_is_one_line(db_path, capsys):
    with sqlite3.connect(db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    code, _, err = run(capsys, "--db", str(db_path), "status")
    assert code == EXIT_USER_ERROR and "9999_from_the_future" in one_error_line(err)


def test_an_unreachable_database_is_one_line(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    code, _, err = run(capsys, "--db", str(blocker / "camp.sqlite3"), "status")
    assert code == EXIT_USER_ERROR and "camp.sqlite3" in one_error_line(err)


def test_unknown_command_is_one_line(capsys):
    code, _, err = run(capsys, "frobnicate")
    assert code == EXIT_USER_ERROR and "frobnicate" in one_error_line(err)


def test_db_option_wins_over_the_environment_which_wins_over_the_default(demo_db_path, db_path, monkeypatch, capsys):
    monkeypatch.setenv(DB_ENV_VAR, str(demo_db_path))
    assert resolve_db_url(None) == f"sqlite:///{demo_db_path}"
    assert resolve_db_url(str(db_path)) == f"sqlite:///{db_path}"
    # The environment alone: the demo database.
    code, out, _ = run(capsys, "status", "--json")
    assert code == 0 and {row["facility"] for row in json.loads(out)} == {CAMP, IPLEX}
    # --db as well: the empty one.
    code, out, _ = run(capsys, "--db", str(db_path), "status", "--json")
    assert code == 0 and json.loads(out) == []
    # Neither: the file in the user data folder (redirected to a temporary home by conftest).
    monkeypatch.delenv(DB_ENV_VAR)
    assert not default_db_path().exists()
    code, out, _ = run(capsys, "status", "--json")
    assert code == 0 and json.loads(out) == [] and default_db_path().exists()


def test_a_relative_db_path_is_taken_from_the_working_folder(tmp_path, monkeypatch, db_path):
    shutil.copyfile(db_path, tmp_path / "here.sqlite3")
    monkeypatch.chdir(tmp_path)
    assert resolve_db_url("here.sqlite3") == f"sqlite:///{tmp_path / 'here.sqlite3'}"


@pytest.mark.parametrize("lang", [["--lang", "en"], ["--lang=en"]])
def test_english(cli_demo_db, capsys, lang):
    code, out, _ = run(capsys, *lang, "--db", str(cli_demo_db), "status", "--as-of", "2024-12-31")
    assert code == 0 and "As of 2024-12-31" in out and "84 residents" in out
    code, _, err = run(capsys, *lang, "--db", str(cli_demo_db), "status", "--facility", "Nowhere")
    line = one_error_line(err)
    assert code == EXIT_USER_ERROR and line.startswith("Error") and "Nowhere" in line
    code, _, err = run(capsys, *lang, "--db", str(cli_demo_db), "status", "--as-of", "yesterday")
    assert code == EXIT_USER_ERROR and "YYYY-MM-DD" in one_error_line(err) and "날짜" not in err


def test_backup_writes_a_copy_with_every_row(demo_db_path, tmp_path, capsys):
    code, out, _ = run(capsys, "--db", str(demo_db_path), "backup", "--out", str(tmp_path / "backups"))
    copy = Path(out.strip())
    assert code == 0 and copy.parent == tmp_path / "backups" and copy.exists()
    count = "SELECT count(*) FROM company"
    with sqlite3.connect(demo_db_path) as original, sqlite3.connect(copy) as backup:
        assert backup.execute(count).fetchone() == original.execute(count).fetchone() != (0,)


@pytest.mark.parametrize("backend", [BACKENDS[1]], indirect=True)
def test_backup_of_a_server_database_says_to_use_pg_dump(db_url, capsys):
    code, _, err = run(capsys, "--db", db_url, "backup")
    assert code == EXIT_USER_ERROR and "pg_dump" in one_error_line(err)
