"""The demo data: deterministic, valid, and telling the camp's real story."""

from __future__ import annotations

import hashlib
import sqlite3
from collections import Counter
from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import select

from camp_manager.db.models import Company, ExitReason, Mentor, MentorField, RequestKind, RoomRequest
from camp_manager.services import bizno, demo, integrity, mentoring_figures, movements, occupancy
from tests.conftest import DEMO_TODAY

# Everything but the audit trail's timestamps, which record when the demo was built.
STORY_TABLES = [
    "facility",
    "room",
    "company",
    "headcountrecord",
    "residency",
    "contractextension",
    "allocation",
    "roomrequest",
    "mentor",
    "mentoringsession",
    "exit",
]


def story_digest(path) -> str:
    digest = hashlib.sha256()
    with sqlite3.connect(path) as connection:
        for table in STORY_TABLES:
            for row in connection.execute(f'SELECT * FROM "{table}" ORDER BY id'):
                digest.update(repr(row).encode())
    return digest.hexdigest()


def test_two_builds_are_identical(demo_template, cli_demo_db):
    """The fixture's build and `camp-manager demo --today …` in another process step."""
    assert story_digest(demo_template) == story_digest(cli_demo_db)
    with sqlite3.connect(demo_template) as first, sqlite3.connect(cli_demo_db) as second:
        query = "SELECT name, biz_reg_no FROM company ORDER BY id"
        assert first.execute(query).fetchall() == second.execute(query).fetchall()


def test_every_business_number_is_valid_and_unique(demo_session):
    numbers = demo_session.exec(select(Company.biz_reg_no)).all()
    assert len(numbers) > 200
    assert all(len(n) == 10 and bizno.is_valid(n) for n in numbers)
    assert len(set(numbers)) == len(numbers)


def test_91_mentors_in_4_fields(demo_session):
    fields = Counter(demo_session.exec(select(Mentor.field)).all())
    assert sum(fields.values()) == 91
    assert set(fields) == set(MentorField)


def test_resident_counts_today(demo_session):
    figures = {f.facility.name: f for f in occupancy.occupancy(demo_session, on=DEMO_TODAY)}
    assert 55 <= figures[demo.IPLEX].residents <= 65  # "about 60"
    assert 80 <= figures[demo.CAMP].residents <= 110  # "about 100"


def test_two_rooms_over_capacity_and_a_waitlist_today(demo_session):
    residents = occupancy.residents_on(demo_session, on=DEMO_TODAY)
    assert sum(1 for row in residents if len({h.room.id for h in row.holdings}) >= 2) >= 3
    assert len(occupancy.over_capacity(demo_session, on=DEMO_TODAY)) >= 3
    open_now = occupancy.open_requests(demo_session, on=DEMO_TODAY)
    assert sum(1 for request, _ in open_now if request.kind == RequestKind.WAITLIST) >= 2
    assert sum(1 for request, _ in open_now if request.kind == RequestKind.EXPANSION) >= 2
    # The override that let a camp company take a second room is on record.
    assert any(h.allocation.override_reason for row in residents for h in row.holdings)


def test_exits_with_every_main_reason(demo_session):
    reasons = {reason for counts in movements.exits_by_year_and_reason(demo_session).values() for reason in counts}
    main_reasons = {
        ExitReason.GRADUATED,
        ExitReason.RELOCATED_CAPITAL,
        ExitReason.CLOSED,
        ExitReason.SUSPENDED,
        ExitReason.LACK_OF_SPACE,
        ExitReason.CONTRACT_ENDED,
    }
    assert main_reasons <= reasons
    # The company that left for lack of space had asked for a second room and been declined.
    declined = demo_session.exec(
        select(RoomRequest).where(RoomRequest.kind == RequestKind.EXPANSION, RoomRequest.status == "declined")
    ).all()
    assert declined


def test_mentoring_through_the_years(demo_session):
    year = mentoring_figures.mentoring_summary(demo_session, start=DEMO_TODAY - timedelta(days=365), end=DEMO_TODAY)
    assert year.sessions > 100 and year.companies_reached > 50 and len(year.by_field) == 4


def test_the_demo_obeys_the_rules(demo_session):
    assert integrity.find_violations(demo_session) == []
    audited = demo_session.execute(
        sa.text("SELECT COUNT(DISTINCT entity_id) FROM auditentry WHERE entity = 'Company'")
    ).scalar()
    assert audited == demo_session.execute(sa.text("SELECT COUNT(*) FROM company")).scalar()


def test_the_rule_checks_notice_a_record_after_an_exit(demo_session):
    company_id, ended_on = demo_session.execute(
        sa.text(
            "SELECT company_id, ended_on FROM residency r WHERE ended_on IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM residency later WHERE later.company_id = r.company_id AND later.move_in >= r.ended_on) LIMIT 1"
        )
    ).one()
    demo_session.execute(
        sa.text("INSERT INTO headcountrecord (company_id, as_of, employees) VALUES (:c, :d, 3)").bindparams(
            sa.bindparam("d", type_=sa.Date)
        ),
        {"c": company_id, "d": date.fromisoformat(str(ended_on)) + timedelta(days=1)},
    )
    assert [v.table for v in integrity.find_violations(demo_session)] == ["headcountrecord"]
