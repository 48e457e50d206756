"""What is missing or unevidenced in a year's outcomes, on the history whose 2024 outcomes are known
(tests/test_outcome_figures.py): one row per company resident in the year, as a manager would count it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from camp_manager.db.models import Company, EvidenceOf
from camp_manager.services import companies, outcomes
from camp_manager.services.outcome_status import OutcomeState, OutcomeStatusRow, outcome_status
from tests.conftest import on_every_backend
from tests.test_outcome_figures import _proof, build_history

pytestmark = on_every_backend

# company → (facility, at year end, sales, whole year, employees, rounds, IP, certifications, projects,
#            unevidenced, state)
EXPECTED_2024 = {
    # Both halves proved, the June headcount proved; the grant, the venture certificate (valid on
    # 31 December; the innobiz one ran out in June) and the project are not.
    "가온AI": ("캠프", True, 150_000_000, True, 6, 2, 1, 1, 1, 3, OutcomeState.UNEVIDENCED),
    # Its headcount of March 2024 has no evidence.
    "나래데이터": ("아이플렉스", True, 40_000_000, True, 5, 0, 0, 1, 0, 1, OutcomeState.UNEVIDENCED),
    # Left in August: no year-end headcount is asked; its sales and its round are unproved.
    "다온로보": ("캠프", False, 30_000_000, True, None, 1, 0, 0, 0, 2, OutcomeState.UNEVIDENCED),
    "아라보안": ("아이플렉스", False, None, False, None, 0, 0, 0, 0, 0, OutcomeState.MISSING),
    "자람교육": ("캠프", False, None, False, None, 0, 0, 0, 0, 0, OutcomeState.MISSING),
    # Its round predates its move-in: counted for no facility, so no record of the year lacks evidence.
    "차오름": ("아이플렉스", True, None, False, None, 0, 0, 0, 0, 0, OutcomeState.MISSING),
}


def _shown(rows: list[OutcomeStatusRow]) -> dict[str, tuple]:
    return {
        r.company: (
            r.facility,
            r.resident_at_year_end,
            r.sales_krw,
            r.sales_complete,
            r.employees,
            r.investment_rounds,
            r.ip,
            r.certifications,
            r.projects,
            r.unevidenced,
            r.state,
        )
        for r in rows
    }


@pytest.fixture
def history(session) -> dict[str, int]:
    return build_history(session)


def test_every_company_resident_in_the_year_with_what_is_missing_or_unevidenced(session, history):
    rows = outcome_status(session, year=2024)
    assert [r.company for r in rows] == sorted(EXPECTED_2024)  # the four that left in 2021 are not listed
    assert _shown(rows) == EXPECTED_2024


def test_a_facility_lists_its_own_residents_and_counts_its_own_records(session, history):
    camp = outcome_status(session, year=2024, facility_id=history["camp"])
    iplex = outcome_status(session, year=2024, facility_id=history["iplex"])
    assert _shown(camp) == {name: row for name, row in EXPECTED_2024.items() if row[0] == "캠프"}
    assert _shown(iplex) == {name: row for name, row in EXPECTED_2024.items() if row[0] == "아이플렉스"}


def test_an_earlier_year_counts_its_own_records(session, history):
    rows = _shown(outcome_status(session, year=2023))
    # 2023: whole-year sales, the June headcount, the trademark and both certifications, none proved.
    assert rows["가온AI"] == ("캠프", True, 100_000_000, True, 3, 0, 1, 2, 0, 5, OutcomeState.UNEVIDENCED)
    assert rows["나래데이터"] == ("아이플렉스", True, 50_000_000, True, 4, 0, 0, 0, 0, 2, OutcomeState.UNEVIDENCED)
    assert rows["다온로보"][-1] == rows["아라보안"][-1] == OutcomeState.MISSING
    assert set(rows) == {"가온AI", "나래데이터", "다온로보", "아라보안"}


def test_half_a_year_of_sales_is_missing_and_evidence_completes_a_row(session: Session, history):
    headcount = companies.record_headcount(
        session=session, company_id=history["c2"], as_of=date(2024, 12, 31), employees=7
    )
    session.flush()
    _proof(session, EvidenceOf.HEADCOUNT, headcount.id)
    left = session.exec(select(Company.id).where(Company.name == "자람교육")).one()
    outcomes.record_outcome(session=session, data=outcomes.SalesInput(left, 2024, 1, 10_000_000))
    session.commit()
    rows = _shown(outcome_status(session, year=2024))
    # The latest headcount of the year, proved: nothing of 나래데이터's year lacks evidence any more.
    assert rows["나래데이터"] == ("아이플렉스", True, 40_000_000, True, 7, 0, 0, 1, 0, 0, OutcomeState.COMPLETE)
    # The first half only, unproved: recorded, yet the year's sales are still missing.
    assert rows["자람교육"] == ("캠프", False, 10_000_000, False, None, 0, 0, 0, 0, 1, OutcomeState.MISSING)
