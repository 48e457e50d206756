"""A contract end has history (each extension keeps the end it replaced): every view of a day uses
the end that stood on that day, so a past month's report still shows the contracts then ending."""

from __future__ import annotations

from datetime import date

import pytest

from camp_manager.reporting.build import build_report
from camp_manager.reporting.monthly import ReportMonth
from camp_manager.services import allocations, companies, directory, floorplan, occupancy, residency
from tests.conftest import on_every_backend
from tests.factories import facility_with_rooms

pytestmark = on_every_backend

FIRST_END, SECOND_END, THIRD_END = date(2024, 12, 31), date(2026, 12, 31), date(2028, 12, 31)


@pytest.fixture
def camp(session):
    facility, offices, _zone = facility_with_rooms(session, offices=2)
    company = companies.register_company(
        session=session, data=companies.CompanyInput(name="가온랩스", biz_reg_no="1168200276")
    )
    stay = residency.move_in(
        session=session,
        company_id=company.id,
        facility_id=facility.id,
        move_in_on=date(2023, 1, 2),
        contract_end=FIRST_END,
    )
    allocations.allocate_room(session=session, company_id=company.id, room_id=offices[0].id, start_on=date(2023, 1, 2))
    residency.extend_contract(session=session, residency_id=stay.id, new_end=SECOND_END, on=date(2025, 3, 1))
    residency.extend_contract(session=session, residency_id=stay.id, new_end=THIRD_END, on=date(2026, 6, 1))
    session.flush()
    return {"facility": facility.id, "company": company.id}


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2023, 6, 1), FIRST_END),  # before any extension: the end agreed at move-in
        (date(2024, 11, 30), FIRST_END),
        (date(2025, 2, 28), FIRST_END),  # the day before the first extension was made
        (date(2025, 3, 1), SECOND_END),  # an extension counts from the day it was made
        (date(2026, 5, 31), SECOND_END),
        (date(2026, 6, 1), THIRD_END),
    ],
)
def test_every_view_of_a_day_shows_the_contract_end_of_that_day(session, camp, day, expected):
    [row] = occupancy.residents_on(session, on=day)
    assert row.contract_end == expected
    [listed] = [r for r in directory.company_list(session, on=day) if r.company_id == camp["company"]]
    assert listed.contract_end == expected
    plan = floorplan.floor_plan(session, on=day, facility_id=camp["facility"])
    assert [holder.contract_end for tile in plan.tiles for holder in tile.holders] == [expected]


def test_a_past_months_report_lists_the_contract_then_ending(session, camp):
    report = build_report(session, month=ReportMonth(2024, 11), facility_id=camp["facility"])
    assert [(w.company, w.contract_end, w.days_left) for w in report.watch.contracts_ending] == [
        ("가온랩스", FIRST_END, 31)
    ]
    assert [r.contract_end for r in report.roster] == [FIRST_END]
    later = build_report(session, month=ReportMonth(2025, 3), facility_id=camp["facility"])
    assert later.watch.contracts_ending == [] and [r.contract_end for r in later.roster] == [SECOND_END]


def test_contracts_ending_reads_the_end_of_the_day_asked_about(session, camp):
    assert [r.contract_end for r in occupancy.contracts_ending(session, on=date(2024, 11, 30), within_days=90)] == [
        FIRST_END
    ]
    assert occupancy.contracts_ending(session, on=date(2025, 3, 1), within_days=90) == []
