"""One rule set on both backends: bad input to any use case is a domain error, never a raw database error.

SQLite would store a 10,000-character name, a NUL or a 2**63 headcount; PostgreSQL would raise
`StringDataRightTruncation`, `ValueError: NUL` or `NumericValueOutOfRange`. Hypothesis drives
every use case with one argument (or one field of its input) replaced by a bad value, on both
backends: the outcome is either success or a DomainError naming a field, and a refusal writes
nothing.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from collections.abc import Callable
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from camp_manager import services
from camp_manager.clock import FixedClock
from camp_manager.db.engine import unit_of_work
from camp_manager.db.models import (
    AuditEntry,
    Company,
    ExitReason,
    Facility,
    InvestmentRound,
    RoomKind,
    SupportKind,
    SupportStatus,
)
from camp_manager.errors import DomainError
from camp_manager.services import (
    allocations,
    companies,
    evidence,
    exits,
    facilities,
    follow_ups,
    mentoring,
    outcomes,
    requests,
    residency,
    support,
)
from camp_manager.services.allocations import RoomBooking
from camp_manager.services.companies import CompanyInput, HeadcountEntry
from camp_manager.services.follow_ups import FollowUpInput
from camp_manager.services.inputs import checked_input, max_length
from camp_manager.services.outcomes import InvestmentInput, SalesInput
from camp_manager.services.residency import MoveIn
from tests.conftest import on_every_backend
from tests.factories import one_of_every_record, resident, valid_bizno

pytestmark = on_every_backend

TODAY = date(2024, 6, 1)
PDF = b"%PDF-1.4\n%%EOF\n"

BAD_VALUES = st.one_of(
    st.text(min_size=201, max_size=12_000).filter(lambda text: text.strip()),  # longer than any VARCHAR
    st.text(max_size=20).map(lambda text: f"가{text}\x00나"),
    st.sampled_from(["\x1b[31m", "탭\x0b", "\x7f"]),
    st.integers(min_value=2**31, max_value=2**70) | st.integers(max_value=-(2**31), min_value=-(2**70)),
    st.sampled_from([10**20, 2**63, -(2**63) - 1, 12345, True, 1.5, float("nan"), float("inf")]),
    st.none(),
    st.lists(st.integers(), max_size=2),
    st.just(datetime(2024, 3, 1, 9, 30)),
    st.just(date(1, 1, 1)),
    st.just("2024-03-01"),
)


@pytest.fixture
def world(engine):
    with unit_of_work(engine, clock=FixedClock(TODAY)) as session:
        ids = one_of_every_record(session)
        # An outcome with a file of evidence, and a company that left in 2023 (its 1-year check-in is due).
        round_ = outcomes.record_outcome(
            session=session, data=InvestmentInput(ids["company"], date(2024, 1, 15), 10_000_000)
        )
        proof = evidence.attach_evidence(
            session=session, record_kind="investmentround", record_id=round_.id, file_name="계약서.pdf", content=PDF
        )
        facility = session.get(Facility, ids["facility"])
        gone = resident(session, facility, name="떠난기업", move_in_on=date(2022, 1, 3))
        left = exits.record_exit(session=session, company_id=gone.id, exit_on=date(2023, 3, 31), reason="graduated")
        renewing = resident(session, facility, name="재계약기업", move_in_on=date(2024, 1, 2))
        renewal = residency.start_renewal(
            session=session, residency_id=residency.open_residency(session, renewing.id).id, on=date(2024, 3, 1)
        )
        return ids | {"round": round_.id, "evidence": proof.id, "exit": left.id, "renewal": renewal.id}


def company_input() -> CompanyInput:
    return CompanyInput(
        name="새기업", biz_reg_no=valid_bizno(), representative="대표", phone="010", email="a@b.kr", notes="메모"
    )


# Each use case with arguments that would succeed; the test spoils one of them.
USE_CASES: dict[str, Callable[[dict], tuple[Callable, dict]]] = {
    "register_company": lambda w: (companies.register_company, {"data": company_input()}),
    "register_companies": lambda w: (companies.register_companies, {"inputs": [company_input()]}),
    "edit_company": lambda w: (
        companies.edit_company,
        {"company_id": w["company"], "data": dataclasses.replace(company_input(), biz_reg_no=valid_bizno())},
    ),
    "record_headcount": lambda w: (
        companies.record_headcount,
        {"company_id": w["company"], "as_of": date(2024, 3, 1), "employees": 5, "total_employees": 7},
    ),
    "record_headcounts": lambda w: (
        companies.record_headcounts,
        {"entries": [HeadcountEntry(w["company"], date(2024, 3, 2), 6)]},
    ),
    "create_facility": lambda w: (
        facilities.create_facility,
        {"name": "새시설", "address": "광주", "max_rooms_per_company": 2},
    ),
    "create_room": lambda w: (
        facilities.create_room,
        {
            "facility_id": w["facility"],
            "floor": 5,
            "code": "501",
            "kind": RoomKind.PRIVATE_OFFICE.value,
            "seats": 4,
            "area_m2": 20.5,
        },
    ),
    "create_floor_rooms": lambda w: (
        facilities.create_floor_rooms,
        {"facility_id": w["facility"], "floor": 6, "first_number": 601, "last_number": 603, "seats": 4},
    ),
    "set_room_policy": lambda w: (
        facilities.set_room_policy,
        {"facility_id": w["facility"], "max_rooms_per_company": 3},
    ),
    "deactivate_room": lambda w: (facilities.deactivate_room, {"room_id": w["spare"], "on": date(2024, 5, 1)}),
    "move_in": lambda w: (
        residency.move_in,
        {
            "company_id": w["waiting"],
            "facility_id": w["facility"],
            "move_in_on": date(2024, 2, 1),
            "contract_end": date(2026, 1, 31),
        },
    ),
    "move_in_many": lambda w: (
        residency.move_in_many,
        {"requests": [MoveIn(w["waiting"], w["facility"], date(2024, 2, 1), None)]},
    ),
    "start_renewal": lambda w: (
        residency.start_renewal,
        {"residency_id": w["residency"], "on": date(2024, 5, 1), "note": "재계약 협의"},
    ),
    "drop_renewal": lambda w: (residency.drop_renewal, {"renewal_id": w["renewal"], "on": date(2024, 5, 20)}),
    "extend_contract": lambda w: (
        residency.extend_contract,
        {"residency_id": w["residency"], "new_end": date(2027, 1, 1), "on": date(2024, 5, 1), "note": "연장"},
    ),
    "allocate_room": lambda w: (
        allocations.allocate_room,
        {
            "company_id": w["company"],
            "room_id": w["zone"],
            "start_on": date(2024, 3, 1),
            "seats": 2,
            "override_reason": "사유",
        },
    ),
    "allocate_rooms": lambda w: (
        allocations.allocate_rooms,
        {"requests": [RoomBooking(w["company"], w["zone"], date(2024, 3, 1), None, 2, "")]},
    ),
    "expand_into_room": lambda w: (
        allocations.expand_into_room,
        {"company_id": w["company"], "room_id": w["zone"], "start_on": date(2024, 3, 1), "seats": 2},
    ),
    "release_room": lambda w: (allocations.release_room, {"allocation_id": w["allocation"], "on": date(2024, 5, 1)}),
    "move_to_room": lambda w: (
        allocations.move_to_room,
        {"allocation_id": w["allocation"], "to_room_id": w["room"], "on": date(2024, 5, 1)},
    ),
    "file_request": lambda w: (
        requests.file_request,
        {
            "company_id": w["company"],
            "facility_id": w["facility"],
            "kind": "expansion",
            "requested_on": date(2024, 3, 1),
            "rooms_wanted": 1,
            "seats_wanted": 0,
            "note": "메모",
        },
    ),
    "decline_request": lambda w: (
        requests.decline_request,
        {"request_id": w["request"], "on": date(2024, 3, 1), "note": "반려"},
    ),
    "approve_request": lambda w: (
        requests.approve_request,
        {"request_id": w["request"], "room_id": w["room"], "on": date(2024, 3, 1), "override_reason": "사유"},
    ),
    "withdraw_request": lambda w: (
        requests.withdraw_request,
        {"request_id": w["request"], "on": date(2024, 3, 1), "note": "철회"},
    ),
    "add_mentor": lambda w: (
        mentoring.add_mentor,
        {"name": "박멘토", "field": "business", "affiliation": "대학", "contact": "010"},
    ),
    "set_mentor_active": lambda w: (mentoring.set_mentor_active, {"mentor_id": w["mentor"], "active": False}),
    "log_held_session": lambda w: (
        mentoring.log_held_session,
        {
            "mentor_id": w["mentor"],
            "company_id": w["company"],
            "held_on": date(2024, 4, 1),
            "minutes": 90,
            "topic": "투자",
            "notes": "메모",
        },
    ),
    "plan_session": lambda w: (
        mentoring.plan_session,
        {"mentor_id": w["mentor"], "company_id": w["company"], "held_on": date(2024, 5, 15), "topic": "투자"},
    ),
    "cancel_session": lambda w: (mentoring.cancel_session, {"session_id": w["session"]}),
    "mark_held": lambda w: (mentoring.mark_held, {"session_id": w["session"], "minutes": 60, "notes": "메모"}),
    "record_outcome": lambda w: (
        outcomes.record_outcome,
        {"data": SalesInput(w["company"], 2024, 1, 300_000_000, 1_000_000)},
    ),
    "record_outcomes": lambda w: (
        outcomes.record_outcomes,
        {"inputs": [InvestmentInput(w["company"], date(2024, 2, 1), 50_000_000, "equity", "광주VC")]},
    ),
    "edit_outcome": lambda w: (
        outcomes.edit_outcome,
        {
            "record_id": w["round"],
            "data": InvestmentInput(w["company"], date(2024, 1, 16), 20_000_000, "grant", "시청"),
        },
    ),
    "delete_outcome": lambda w: (outcomes.delete_outcome, {"model": InvestmentRound, "record_id": w["round"]}),
    "attach_evidence": lambda w: (
        evidence.attach_evidence,
        {"record_kind": "investmentround", "record_id": w["round"], "file_name": "영수증.pdf", "content": PDF},
    ),
    "remove_evidence": lambda w: (evidence.remove_evidence, {"evidence_id": w["evidence"]}),
    "record_follow_up": lambda w: (
        follow_ups.record_follow_up,
        {"data": FollowUpInput(w["exit"], 1, date(2024, 5, 1), "operating", "gwangju", 6, 400_000_000, "방문")},
    ),
    "set_exit_region": lambda w: (follow_ups.set_exit_region, {"exit_id": w["exit"], "region": "abroad"}),
    "delete_company": lambda w: (companies.delete_company, {"company_id": w["waiting"]}),
    "plan_exit": lambda w: (exits.plan_exit, {"company_id": w["company"], "exit_on": date(2024, 5, 31)}),
    "record_exit": lambda w: (
        exits.record_exit,
        {
            "company_id": w["company"],
            "exit_on": date(2024, 5, 31),
            "reason": ExitReason.GRADUATED.value,
            "destination": "서울",
            "region": "capital",
            "notes": "졸업",
        },
    ),
    "file_support_request": lambda w: (
        support.file_support_request,
        {
            "company_id": w["company"],
            "asked_on": date(2024, 3, 5),
            "kind": SupportKind.COMPUTING.value,
            "description": "GPU 서버",
        },
    ),
    "start_support": lambda w: (support.start_support, {"request_id": w["support"], "on": date(2024, 3, 5)}),
    "finish_support": lambda w: (
        support.finish_support,
        {
            "request_id": w["support"],
            "status": SupportStatus.DECLINED.value,
            "on": date(2024, 3, 6),
            "outcome": "예산 소진",
        },
    ),
    "cancel_support": lambda w: (
        support.cancel_support,
        {"request_id": w["support"], "on": date(2024, 3, 6), "reason": "자체 해결"},
    ),
}


def test_every_use_case_is_driven_with_bad_input(backend):
    """A use case added later (every one checks its input: `checked_input`) is in USE_CASES, or this names it."""
    checking = checked_input(lambda: None).__code__  # the one wrapper every use case runs through
    use_cases = {
        name
        for module in pkgutil.iter_modules(services.__path__)
        for name, function in vars(importlib.import_module(f"camp_manager.services.{module.name}")).items()
        if getattr(function, "__code__", None) is checking
    }
    assert "file_support_request" in use_cases
    assert use_cases - set(USE_CASES) == set(), "use cases never given bad input"


@pytest.mark.parametrize("name", sorted(USE_CASES))
def test_each_use_case_passes_with_the_arguments_the_property_spoils(engine, world, name):
    """So that a refusal in the property test comes from the spoiled argument, not from the others."""
    use_case, kwargs = USE_CASES[name](world)
    with unit_of_work(engine, clock=FixedClock(TODAY)) as session:
        use_case(session=session, **kwargs)


def spoiled(kwargs: dict, data: st.DataObject) -> dict:
    """`kwargs` with one argument, or one field of a dataclass argument (or of a batch's first item), made bad."""
    name = data.draw(st.sampled_from(sorted(kwargs)))
    value, bad = kwargs[name], data.draw(BAD_VALUES)
    item = value[0] if isinstance(value, list) else value
    if dataclasses.is_dataclass(item) and data.draw(st.booleans()):
        field = data.draw(st.sampled_from([f.name for f in dataclasses.fields(item)]))
        item = dataclasses.replace(item, **{field: bad})
        return {**kwargs, name: [item] if isinstance(value, list) else item}
    return {**kwargs, name: bad}


def audit_count(engine) -> int:
    with Session(engine) as session:
        return session.execute(sa.select(sa.func.count()).select_from(AuditEntry)).scalar_one()


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(data=st.data())
def test_bad_input_to_any_use_case_is_a_domain_error_on_both_backends(engine, world, data):
    use_case, kwargs = USE_CASES[data.draw(st.sampled_from(sorted(USE_CASES)))](world)
    arguments = spoiled(kwargs, data)
    written = audit_count(engine)
    try:
        with unit_of_work(engine, clock=FixedClock(TODAY)) as session:
            use_case(session=session, **arguments)
    except DomainError as refusal:
        assert refusal.message and "Traceback" not in refusal.message
        assert audit_count(engine) == written, "a refused use case wrote something"


@pytest.mark.parametrize(
    "text, problem",
    [
        ("가" * 201, "200자까지"),
        ("가\x00나", "U+0000"),
        (12345, "형식이 맞지 않습니다"),
    ],
)
def test_the_refusal_names_the_field_and_the_fix(engine, world, text, problem):
    with pytest.raises(DomainError) as refused:
        with unit_of_work(engine) as session:
            companies.register_company(session=session, data=CompanyInput(name=text, biz_reg_no=valid_bizno()))
    assert refused.value.field == "name" and problem in refused.value.message


def test_numbers_beyond_the_column_are_refused_alike(engine, world):
    for kwargs, field in (({"data": dataclasses.replace(company_input(), investment_krw=10**20)}, "investment_krw"),):
        with pytest.raises(DomainError) as refused:
            with unit_of_work(engine) as session:
                companies.register_company(session=session, **kwargs)
        assert refused.value.field == field
    with pytest.raises(DomainError) as refused:
        with unit_of_work(engine, clock=FixedClock(TODAY)) as session:
            companies.record_headcount(
                session=session, company_id=world["company"], as_of=date(2024, 3, 1), employees=2**40
            )
    assert refused.value.field == "employees" and "2,147,483,647" in refused.value.message


def test_the_longest_text_a_column_holds_is_stored(engine, world):
    longest = "가" * max_length(Company, "name")
    with unit_of_work(engine) as session:
        company = companies.register_company(session=session, data=CompanyInput(name=longest, biz_reg_no=valid_bizno()))
    with Session(engine) as session:
        assert session.get(Company, company.id).name == longest
