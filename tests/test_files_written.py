"""Files the app writes: a report killed while it is being written leaves the previous good file intact."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QSettings

from camp_manager.errors import DomainError
from camp_manager.files import PART_SUFFIX, atomic_write
from camp_manager.ui.context import AppContext, SaveKind, Settings

REPO = Path(__file__).resolve().parent.parent
KILLS_PER_FORMAT = 3
POSIX_ONLY = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def report_command(db: Path, out: Path, kind: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "camp_manager",
        "--db",
        str(db),
        "report",
        "--month",
        "2026-10",
        "--format",
        kind,
        "--out",
        str(out),
    ]


def readable(path: Path, kind: str) -> bool:
    if kind == "xlsx":
        openpyxl.load_workbook(path, read_only=True).close()
        return True
    data = path.read_bytes()
    return data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")


def writing_started(target: Path, before: os.stat_result) -> bool:
    """A temporary file beside the target, or the target itself changing (a direct write)."""
    if any(p.name.endswith(PART_SUFFIX) for p in target.parent.iterdir()):
        return True
    now = target.stat()
    return (now.st_mtime_ns, now.st_size, now.st_ino) != (before.st_mtime_ns, before.st_size, before.st_ino)


@POSIX_ONLY
@pytest.mark.parametrize("kind", ["xlsx", "pdf"])
def test_killing_a_report_while_it_writes_keeps_the_previous_file(kind, demo_db_path, tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    done = subprocess.run(
        report_command(demo_db_path, out, kind), check=False, capture_output=True, text=True, cwd=REPO, timeout=300
    )
    assert done.returncode == 0, done.stderr
    target = Path(done.stdout.strip())
    good = target.read_bytes()
    assert readable(target, kind)
    killed_while_writing = 0
    for _ in range(KILLS_PER_FORMAT):
        before = target.stat()
        process = subprocess.Popen(
            report_command(demo_db_path, out, kind), cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        while process.poll() is None and not writing_started(target, before):
            time.sleep(0.001)
        time.sleep(random.uniform(0, 0.05))
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            killed_while_writing += 1
        process.wait(timeout=60)
        # Either the old file, untouched, or (if the write finished first) a complete new one.
        assert target.read_bytes() == good or readable(target, kind)
        good = target.read_bytes()
    assert killed_while_writing > 0
    assert [p.name for p in out.iterdir() if not p.name.startswith(".")] == [
        target.name
    ]  # leftovers are hidden .part files only


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "list.xlsx"
    target.write_bytes(b"the good one")
    with pytest.raises(RuntimeError), atomic_write(target) as temporary:
        temporary.write_bytes(b"half")
        raise RuntimeError("the writer fails")
    assert target.read_bytes() == b"the good one" and [p.name for p in tmp_path.iterdir()] == ["list.xlsx"]


@POSIX_ONLY
def test_a_replaced_file_keeps_its_permissions_and_a_new_one_is_not_owner_only(tmp_path):
    target = tmp_path / "report.pdf"
    with atomic_write(target) as temporary:
        temporary.write_bytes(b"new")
    assert target.stat().st_mode & 0o777 == 0o644
    target.chmod(0o640)
    with atomic_write(target) as temporary:
        temporary.write_bytes(b"newer")
    assert target.read_bytes() == b"newer" and target.stat().st_mode & 0o777 == 0o640


def test_a_missing_folder_is_a_domain_error_before_anything_is_written(tmp_path):
    with pytest.raises(DomainError) as raised, atomic_write(tmp_path / "nowhere" / "a.xlsx"):
        pytest.fail("the body must not run")
    assert str(tmp_path / "nowhere") in raised.value.message and not (tmp_path / "nowhere").exists()


def test_the_default_save_folder_is_documents_and_each_kind_remembers_its_own(tmp_path, qtbot, engine):

    documents = Path.home() / "Documents"
    documents.mkdir()
    context = AppContext(engine, settings=Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    assert context.export_folder() == documents
    assert context.save_folder(SaveKind.REPORTS) == context.save_folder(SaveKind.LISTS) == documents
    context.remember_save_folder(SaveKind.REPORTS, tmp_path)
    assert context.save_folder(SaveKind.REPORTS) == tmp_path and context.save_folder(SaveKind.LISTS) == documents
