"""A renewal in progress (재계약 진행) takes a contract off the "contracts ending" watch from the
day it starts — never before — and the watch marks each contract left 60 or 30 days out."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import func, select

from camp_manager.clock import FixedClock
from camp_manager.db.engine import CLOCK_KEY
from camp_manager.db.models import AuditEntry, ContractRenewal
from camp_manager.errors import DomainError
from camp_manager.reporting.build import build_report
from camp_manager.reporting.monthly import ReportMonth
from camp_manager.services import companies, exits, occupancy, residency
from tests.factories import facility_with_rooms

TODAY = date(2026, 11, 22)
END = date(2026, 12, 20)  # 50 days after 2026-10-31, 20 after 2026-11-30


@pytest.fixture
def stay(session):
    session.info[CLOCK_KEY] = FixedClock(TODAY)
    facility, _offices, _zone = facility_with_rooms(session, offices=1)
    company = companies.register_company(
        session=session, data=companies.CompanyInput(name="가온랩스", biz_reg_no="1168200276")
    )
    moved_in = residency.move_in(
        session=session, company_id=company.id, facility_id=facility.id, move_in_on=date(2024, 1, 2), contract_end=END
    )
    session.flush()
    return moved_in


def _watched(session, month: ReportMonth) -> list[tuple[int, int | None]]:
    return [(w.days_left, w.alert) for w in build_report(session, month=month).watch.contracts_ending]


def test_a_renewal_counts_from_the_day_it_started(session, stay):
    residency.start_renewal(session=session, residency_id=stay.id, on=date(2026, 11, 10), note="서류 접수")
    session.flush()
    # October's report: the renewal started after its snapshot date, so the contract is still watched.
    assert _watched(session, ReportMonth(2026, 10)) == [(50, 60)]
    assert occupancy.contracts_ending(session, on=date(2026, 11, 9)) != []
    assert occupancy.contracts_ending(session, on=date(2026, 11, 10)) == []
    assert _watched(session, ReportMonth(2026, 11)) == []


def test_a_dropped_renewal_puts_the_contract_back_on_the_watch(session, stay):
    renewal = residency.start_renewal(session=session, residency_id=stay.id, on=date(2026, 10, 1))
    residency.drop_renewal(session=session, renewal_id=renewal.id, on=date(2026, 11, 15))
    session.flush()
    assert _watched(session, ReportMonth(2026, 10)) == []
    assert _watched(session, ReportMonth(2026, 11)) == [(20, 30)]


def test_an_extension_closes_the_renewal_on_its_day(session, stay):
    renewal = residency.start_renewal(session=session, residency_id=stay.id, on=date(2026, 10, 1))
    residency.extend_contract(session=session, residency_id=stay.id, new_end=date(2028, 12, 31), on=date(2026, 11, 5))
    session.flush()
    assert renewal.finished_on == date(2026, 11, 5)
    assert residency.renewal_in_progress(session, stay.id) is None


@pytest.mark.parametrize("days_left, alert", [(0, 30), (30, 30), (31, 60), (60, 60), (61, None), (90, None)])
def test_alert_levels(days_left, alert):
    assert occupancy.contract_alert(days_left) == alert


def test_the_watch_gives_each_row_its_alert(session, stay):
    day = END - timedelta(days=75)
    assert [
        (row.contract_end, occupancy.contract_alert((row.contract_end - day).days))
        for row in occupancy.contracts_ending(session, on=day)
    ] == [(END, None)]


def _renewals(session) -> tuple[int, int]:
    return (
        session.exec(select(func.count()).select_from(ContractRenewal)).one(),
        session.exec(select(func.count()).where(AuditEntry.entity == "ContractRenewal")).one(),
    )


@pytest.mark.parametrize(
    "on, field, words",
    [
        (TODAY + timedelta(days=1), "started_on", "오늘보다 늦습니다"),
        (date(2023, 12, 31), "started_on", "입주일(2024-01-02)보다 빠릅니다"),
    ],
)
def test_a_renewal_is_refused_on_a_bad_date_and_nothing_is_written(session, stay, on, field, words):
    with pytest.raises(DomainError) as refused:
        residency.start_renewal(session=session, residency_id=stay.id, on=on)
    assert refused.value.field == field and words in str(refused.value)
    assert _renewals(session) == (0, 0)


def test_a_second_renewal_is_refused_while_one_is_in_progress(session, stay):
    residency.start_renewal(session=session, residency_id=stay.id, on=date(2026, 10, 1))
    with pytest.raises(DomainError) as refused:
        residency.start_renewal(session=session, residency_id=stay.id, on=date(2026, 10, 2))
    assert refused.value.field == "residency" and "2026-10-01부터 재계약이 진행 중" in str(refused.value)
    assert _renewals(session) == (1, 1)


def test_no_renewal_after_the_stay_ended(session, stay):
    exits.record_exit(session=session, company_id=stay.company_id, exit_on=date(2026, 9, 30), reason="graduated")
    with pytest.raises(DomainError) as refused:
        residency.start_renewal(session=session, residency_id=stay.id, on=date(2026, 9, 1))
    assert refused.value.field == "residency" and "퇴거한" in str(refused.value)
    assert _renewals(session) == (0, 0)


def test_a_drop_is_refused_before_the_start_or_twice(session, stay):
    renewal = residency.start_renewal(session=session, residency_id=stay.id, on=date(2026, 10, 1))
    with pytest.raises(DomainError) as refused:
        residency.drop_renewal(session=session, renewal_id=renewal.id, on=date(2026, 9, 30))
    assert refused.value.field == "finished_on" and renewal.finished_on is None
    residency.drop_renewal(session=session, renewal_id=renewal.id, on=date(2026, 10, 2))
    with pytest.raises(DomainError) as again:
        residency.drop_renewal(session=session, renewal_id=renewal.id, on=date(2026, 10, 3))
    assert again.value.field == "renewal" and renewal.finished_on == date(2026, 10, 2)
