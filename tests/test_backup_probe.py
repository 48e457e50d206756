"""Back up now, test a database connection, and a demo load that reports progress and can be cancelled."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest
from sqlmodel import select

from camp_manager.db.backup import BackupPolicy, backup_database
from camp_manager.db.engine import unit_of_work
from camp_manager.db.migrate import head_revision, probe_database
from camp_manager.db.models import Facility
from camp_manager.errors import DomainError
from camp_manager.progress import Cancelled, Progress
from camp_manager.services import demo, facilities


def test_backup_now_copies_the_database_into_the_chosen_folder(engine, tmp_path):
    with unit_of_work(engine) as session:
        facilities.create_facility(session=session, name="백업캠프")
    target = backup_database(engine.url, policy=BackupPolicy(folder=tmp_path / "backups"))
    assert target.parent == tmp_path / "backups"
    with closing(sqlite3.connect(target)) as copy:
        assert copy.execute("SELECT name FROM facility").fetchall() == [("백업캠프",)]


def test_backup_of_a_server_database_says_where_to_back_it_up():
    with pytest.raises(DomainError) as raised:
        backup_database("postgresql+psycopg://camp:secret@localhost/camp")
    assert "pg_dump" in raised.value.message and "secret" not in raised.value.message


def test_probe_reads_the_schema_without_changing_anything(db_path, tmp_path):
    probe = probe_database(str(db_path))
    assert probe.revision == head_revision() and probe.exists
    assert str(db_path) in probe.summary()
    missing = tmp_path / "new.sqlite3"
    assert not probe_database(str(missing)).exists
    assert not missing.exists()


@pytest.mark.parametrize("url", ["postgresql+psycopg://nobody:secret@127.0.0.1:1/camp", "nonsense://x"])
def test_probe_failures_are_domain_errors_without_the_password(url):
    with pytest.raises(DomainError) as raised:
        probe_database(url)
    assert raised.value.field == "database"
    assert "secret" not in raised.value.message


class CancelAfter(Progress):
    def __init__(self, reports: int) -> None:
        super().__init__()
        self.seen: list[tuple[int, int, str]] = []
        self.reports = reports

    def report(self, done: int, total: int, message: str = "") -> None:
        self.seen.append((done, total, message))
        if len(self.seen) >= self.reports:
            self.cancel()


def test_demo_load_reports_progress_and_stops_when_cancelled(engine):
    progress = CancelAfter(reports=1)
    with pytest.raises(Cancelled):
        with unit_of_work(engine) as session:
            demo.load_demo(session=session, progress=progress)
    assert progress.seen[0][0] == 0 and progress.seen[0][1] > 1 and "2020" in progress.seen[0][2]
    with unit_of_work(engine) as session:
        assert session.exec(select(Facility)).all() == []  # rolled back
