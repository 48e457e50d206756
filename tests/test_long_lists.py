"""The long lists a page keeps (a year's mentoring sessions, every exit) hold each repeated value once:
at ten times the camp that is 5 MiB less than one object per row."""

from __future__ import annotations

from datetime import date

from camp_manager.services import listings
from tests.conftest import DEMO_TODAY


def distinct_objects(values: list[object]) -> int:
    return len({id(value) for value in values})


def test_the_session_log_keeps_each_mentor_status_and_day_once(demo_session):
    rows = listings.session_log(demo_session, start=date(DEMO_TODAY.year - 1, 1, 1), end=DEMO_TODAY)
    assert len(rows) > 100
    for column in ("held_on", "status", "mentor", "field", "company", "mode"):
        values = [getattr(row, column) for row in rows]
        assert distinct_objects(values) == len(set(values)), column


def test_the_exit_log_keeps_each_company_facility_day_and_reason_once(demo_session):
    rows = listings.exit_log(demo_session, until=DEMO_TODAY)
    assert len(rows) > 10
    for column in ("company_name", "facility_name", "move_in", "exit_on", "reason", "destination", "notes"):
        values = [getattr(row, column) for row in rows]
        assert distinct_objects(values) == len(set(values)), column
