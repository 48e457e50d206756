"""Programme outcomes (성과), the records: every rule of services/outcomes.py, evidence.py and
follow_ups.py refused with its message and nothing written, on both backends; what they accept is
stored with its audit entry; the database refuses the same by itself."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from camp_manager.clock import FixedClock
from camp_manager.db.engine import unit_of_work
from camp_manager.db.models import (
    MAX_EVIDENCE_BYTES,
    AuditEntry,
    Certification,
    Evidence,
    Exit,
    ExitReason,
    FollowUp,
    InvestmentRound,
    Region,
    SalesRecord,
)
from camp_manager.errors import DomainError, EditConflict
from camp_manager.services import companies, evidence, exits, facilities, follow_ups, outcomes, residency
from camp_manager.services.follow_ups import FollowUpInput
from camp_manager.services.outcomes import (
    CertificationInput,
    InvestmentInput,
    IPInput,
    ProjectInput,
    SalesInput,
)
from tests.conftest import on_every_backend
from tests.factories import resident

pytestmark = on_every_backend

TODAY = date(2026, 6, 30)
FOUNDED = date(2020, 3, 1)
LEFT = date(2023, 6, 30)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def work(engine):
    return unit_of_work(engine, clock=FixedClock(TODAY))


@pytest.fixture
def world(engine):
    """'가기업' resident since 2021 (founded 2020-03-01); '나기업' left on 2023-06-30 to Seoul;
    '다기업' left on 2022-03-31 and came back on 2023-01-02."""
    with work(engine) as session:
        camp = facilities.create_facility(session=session, name="AI 창업캠프")
        first = resident(session, camp, name="가기업", move_in_on=date(2021, 1, 4))
        companies.edit_company(
            session=session,
            company_id=first.id,
            data=companies.CompanyInput(**{**vars(companies.company_input(first)), "founded_on": FOUNDED}),
        )
        gone = resident(session, camp, name="나기업", move_in_on=date(2021, 3, 2))
        exits.record_exit(session=session, company_id=gone.id, exit_on=LEFT, reason=ExitReason.RELOCATED_CAPITAL.value)
        back = resident(session, camp, name="다기업", move_in_on=date(2021, 5, 3))
        exits.record_exit(session=session, company_id=back.id, exit_on=date(2022, 3, 31), reason="graduated")
        residency.move_in(session=session, company_id=back.id, facility_id=camp.id, move_in_on=date(2023, 1, 2))
        return {"first": first.id, "gone": gone.id, "back": back.id, "camp": camp.id}


def count(engine, model) -> int:
    with work(engine) as session:
        return len(session.exec(select(model)).all())


def refused(engine, data, field: str, *words: str) -> None:
    """`data` is refused on `field` with a message holding `words`, and nothing is written."""
    model = outcomes.MODEL_OF[type(data)]
    before = count(engine, model), count(engine, AuditEntry)
    with pytest.raises(DomainError) as error, work(engine) as session:
        outcomes.record_outcome(session=session, data=data)
    assert error.value.field == field, error.value.message
    for word in words:
        assert word in error.value.message, error.value.message
    assert (count(engine, model), count(engine, AuditEntry)) == before


def test_each_kind_is_recorded_with_its_audit_entry(engine, world):
    inputs = [
        SalesInput(company_id=world["first"], year=2024, half=0, sales_krw=300_000_000, exports_krw=20_000_000),
        InvestmentInput(
            company_id=world["first"], invested_on=date(2024, 5, 2), amount_krw=150_000_000, investor="광주VC"
        ),
        IPInput(company_id=world["first"], kind="patent_filed", dated_on=date(2024, 7, 1), number="10-2024-0001"),
        CertificationInput(
            company_id=world["first"], kind="venture", granted_on=date(2024, 2, 1), valid_until=date(2027, 1, 31)
        ),
        ProjectInput(
            company_id=world["first"], selected_on=date(2024, 4, 1), name="초기창업패키지", amount_krw=100_000_000
        ),
    ]
    with work(engine) as session:
        ids = outcomes.record_outcomes(session=session, inputs=inputs)
    with work(engine) as session:
        for data, record_id in zip(inputs, ids, strict=True):
            model = outcomes.MODEL_OF[type(data)]
            stored = session.get(model, record_id)
            assert outcomes.outcome_input(stored) == data
            entry = session.exec(
                select(AuditEntry).where(AuditEntry.entity == model.__name__, AuditEntry.entity_id == record_id)
            ).one()
            assert entry.action == "create" and entry.after["company_id"] == world["first"]


def test_a_sales_period_recorded_again_gets_its_new_figures(engine, world):
    first = SalesInput(company_id=world["first"], year=2024, half=1, sales_krw=100)
    with work(engine) as session:
        [record_id] = outcomes.record_outcomes(session=session, inputs=[first])
    with work(engine) as session:
        [again] = outcomes.record_outcomes(
            session=session, inputs=[SalesInput(company_id=world["first"], year=2024, half=1, sales_krw=120)]
        )
    assert again == record_id
    with work(engine) as session:
        assert session.get(SalesRecord, record_id).sales_krw == 120
        assert [e.action for e in session.exec(select(AuditEntry).where(AuditEntry.entity == "SalesRecord"))] == [
            "create",
            "update",
        ]


@pytest.mark.parametrize(
    ("make", "field", "words"),
    [
        (lambda w: SalesInput(company_id=w["first"], year=2024, half=0, sales_krw=-1), "sales_krw", ["매출액", "0원"]),
        (
            lambda w: SalesInput(company_id=w["first"], year=2024, half=0, sales_krw=10, exports_krw=11),
            "exports_krw",
            ["수출액"],
        ),
        (lambda w: SalesInput(company_id=w["first"], year=2024, half=3, sales_krw=10), "half", ["상반기"]),
        (lambda w: SalesInput(company_id=w["first"], year=2027, half=0, sales_krw=10), "year", ["2026"]),
        (
            lambda w: SalesInput(company_id=w["first"], year=2019, half=0, sales_krw=10),
            "year",
            ["설립일", "2020-03-01"],
        ),
        (
            lambda w: SalesInput(company_id=w["gone"], year=2024, half=0, sales_krw=10),
            "year",
            ["후속 조사", "2023-06-30"],
        ),
        (
            lambda w: InvestmentInput(company_id=w["first"], invested_on=date(2024, 1, 1), amount_krw=0),
            "amount_krw",
            ["투자금액"],
        ),
        (
            lambda w: InvestmentInput(company_id=w["first"], invested_on=date(2024, 1, 1), amount_krw=10**16),
            "amount_krw",
            ["원 단위"],
        ),
        (
            lambda w: InvestmentInput(company_id=w["first"], invested_on=date(2024, 1, 1), amount_krw=5, kind="gift"),
            "kind",
            ["gift"],
        ),
        (
            lambda w: InvestmentInput(company_id=w["first"], invested_on=date(2026, 7, 1), amount_krw=5),
            "invested_on",
            ["오늘"],
        ),
        (
            lambda w: IPInput(company_id=w["first"], kind="patent_filed", dated_on=date(2024, 1, 1), number="9" * 51),
            "number",
            [],
        ),
        (
            lambda w: CertificationInput(
                company_id=w["first"], kind="venture", granted_on=date(2024, 1, 1), valid_until=date(2023, 1, 1)
            ),
            "valid_until",
            ["2023-01-01"],
        ),
        (lambda w: ProjectInput(company_id=w["first"], selected_on=date(2024, 1, 1), name="  "), "name", ["사업명"]),
        (lambda w: ProjectInput(company_id=w["first"], selected_on="2024-01-01", name="TIPS"), "selected_on", ["날짜"]),
    ],
    ids=[
        "negative sales",
        "exports above sales",
        "unknown half",
        "future year",
        "before founding",
        "after exit",
        "zero investment",
        "absurd amount",
        "unknown kind",
        "future round",
        "overlong number",
        "valid before granted",
        "no project name",
        "text for a date",
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(engine, world, make, field, words):
    refused(engine, make(world), field, *words)


def test_a_year_is_recorded_whole_or_by_halves_never_both(engine, world):
    with work(engine) as session:
        outcomes.record_outcome(
            session=session, data=SalesInput(company_id=world["first"], year=2024, half=0, sales_krw=5)
        )
    refused(engine, SalesInput(company_id=world["first"], year=2024, half=2, sales_krw=5), "year", "연간", "2024")


def test_after_moving_in_again_the_company_has_outcomes_again(engine, world):
    with work(engine) as session:
        outcomes.record_outcome(
            session=session, data=InvestmentInput(company_id=world["back"], invested_on=date(2024, 3, 1), amount_krw=9)
        )
    refused(
        engine,
        InvestmentInput(company_id=world["back"], invested_on=date(2022, 6, 1), amount_krw=9),
        "invested_on",
        "2022-03-31",
    )


def test_an_exit_before_an_outcome_is_refused(engine, world):
    with work(engine) as session:
        outcomes.record_outcome(
            session=session, data=SalesInput(company_id=world["first"], year=2025, half=2, sales_krw=9)
        )
    with pytest.raises(DomainError) as error, work(engine) as session:
        exits.record_exit(session=session, company_id=world["first"], exit_on=date(2025, 6, 30), reason="graduated")
    assert error.value.field == "exit_on" and "2025-07-01" in error.value.message
    assert count(engine, Exit) == 2


def test_an_edit_over_a_colleagues_newer_save_is_refused(engine, world):
    data = CertificationInput(company_id=world["first"], kind="venture", granted_on=date(2024, 2, 1))
    with work(engine) as session:
        record = outcomes.record_outcome(session=session, data=data)
        record_id, seen = record.id, record.version
    with work(engine) as session:
        outcomes.edit_outcome(
            session=session,
            record_id=record_id,
            data=CertificationInput(**{**vars(data), "number": "A-1"}),
            seen_version=seen,
        )
    with pytest.raises(EditConflict), work(engine) as session:
        outcomes.edit_outcome(
            session=session,
            record_id=record_id,
            data=CertificationInput(**{**vars(data), "number": "B-2"}),
            seen_version=seen,
        )
    with work(engine) as session:
        assert session.get(Certification, record_id).number == "A-1"


def test_evidence_is_kept_with_its_hash_and_goes_with_its_record(engine, world):
    with work(engine) as session:
        round_ = outcomes.record_outcome(
            session=session, data=InvestmentInput(company_id=world["first"], invested_on=date(2024, 1, 1), amount_krw=9)
        )
        record_id = round_.id
        attached = evidence.attach_evidence(
            session=session,
            record_kind="investmentround",
            record_id=record_id,
            file_name="C:\\문서\\계약서.pdf",
            content=PDF,
        )
        assert attached.file_name == "계약서.pdf" and attached.sha256 == hashlib.sha256(PDF).hexdigest()
    with work(engine) as session:
        assert evidence.evidenced_ids(session, "investmentround") == {record_id}
        [shown] = evidence.evidence_of(session, "investmentround", [record_id])[record_id]
        assert (shown.size_bytes, shown.media_type) == (len(PDF), "application/pdf")
        assert evidence.evidence_content(session, shown.evidence_id) == ("계약서.pdf", PDF)
        outcomes.delete_outcome(session=session, model=InvestmentRound, record_id=record_id)
    assert (count(engine, InvestmentRound), count(engine, Evidence)) == (0, 0)


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("설치.exe", b"MZ\x90\x00", ["파일 형식"]),
        ("계약서.pdf", b"MZ\x90\x00", ["PDF", "이름만 바뀐"]),
        ("표.xlsx", b"PK\x03\x04 not a zip", ["XLSX"]),
        ("빈.pdf", b"", ["빈 파일"]),
        ("큰.pdf", b"%PDF-" + bytes(MAX_EVIDENCE_BYTES), ["20 MB"]),
    ],
    ids=["program", "renamed program", "broken zip", "empty", "over 20 MB"],
)
def test_a_file_that_is_no_document_or_too_large_is_refused(engine, world, name, content, words):
    with work(engine) as session:
        record = outcomes.record_outcome(
            session=session, data=InvestmentInput(company_id=world["first"], invested_on=date(2024, 1, 1), amount_krw=9)
        )
        record_id = record.id
    with pytest.raises(DomainError) as error, work(engine) as session:
        evidence.attach_evidence(
            session=session, record_kind="investmentround", record_id=record_id, file_name=name, content=content
        )
    assert error.value.field == "file"
    for word in words:
        assert word in error.value.message, error.value.message
    assert count(engine, Evidence) == 0


def test_the_database_refuses_what_the_rules_refuse(engine, world):
    statements = [
        f"INSERT INTO salesrecord (company_id, year, half, sales_krw, exports_krw) VALUES ({world['first']}, 2024, 0, 5, 6)",
        f"INSERT INTO salesrecord (company_id, year, half, sales_krw, exports_krw) VALUES ({world['first']}, 2024, 4, 5, 0)",
        f"INSERT INTO investmentround (company_id, invested_on, amount_krw, kind) VALUES ({world['first']}, '2024-01-01', 0, 'equity')",
        f"INSERT INTO certification (company_id, kind, granted_on, valid_until) VALUES ({world['first']}, 'venture', '2024-01-01', '2023-01-01')",
        f"INSERT INTO headcountrecord (company_id, as_of, employees, total_employees) VALUES ({world['first']}, '2024-01-01', 5, 4)",
        "UPDATE exit SET region = 'seoul'",
        "INSERT INTO evidence (record_kind, record_id, file_name, media_type, size_bytes, sha256, content, attached_at) "
        f"VALUES ('salesrecord', 1, 'a.pdf', 'application/pdf', {MAX_EVIDENCE_BYTES + 1}, 'x', :content, :at)",
    ]
    for statement in statements:
        with pytest.raises(IntegrityError), engine.begin() as connection:
            parameters = (
                {"content": b"%PDF-", "at": datetime(2024, 1, 1, tzinfo=UTC)} if ":content" in statement else {}
            )
            connection.execute(sa.text(statement), parameters)


def test_a_check_in_too_early_or_unknown_is_refused_and_one_per_year_is_kept(engine, world):
    with work(engine) as session:
        exit_id = session.exec(select(Exit.id).where(Exit.company_id == world["gone"])).one()
        assert session.get(Exit, exit_id).region == Region.CAPITAL.value  # told by the reason

    def check_in(**changes):
        values = {"exit_id": exit_id, "years_after": 1, "checked_on": date(2024, 6, 1), "status": "operating"}
        with work(engine) as session:
            return follow_ups.record_follow_up(session=session, data=FollowUpInput(**(values | changes))).id

    for changes, field in [
        ({"checked_on": date(2024, 3, 1)}, "checked_on"),  # more than 90 days before 2024-06-30
        ({"years_after": 4}, "years_after"),
        ({"status": "thriving"}, "status"),
        ({"employees": -1}, "employees"),
        ({"checked_on": date(2026, 7, 1)}, "checked_on"),
    ]:
        with pytest.raises(DomainError) as error:
            check_in(**changes)
        assert error.value.field == field
    assert count(engine, FollowUp) == 0
    first = check_in(region="capital")
    assert check_in(region="gwangju", employees=7) == first
    with work(engine) as session:
        stored = session.get(FollowUp, first)
        assert (stored.region, stored.employees) == ("gwangju", 7)


def test_check_ins_fall_due_on_each_anniversary_until_the_company_closes(engine, world):
    with work(engine) as session:
        due = follow_ups.follow_ups_due(session, on=TODAY)
    # 나기업 left 2023-06-30: years 1 and 2 due, year 3 due on 2026-06-30; 다기업 came back, so none for it.
    assert [(d.company_name, d.years_after, d.due_on) for d in due] == [
        ("나기업", 1, date(2024, 6, 30)),
        ("나기업", 2, date(2025, 6, 30)),
        ("나기업", 3, date(2026, 6, 30)),
    ]
    with work(engine) as session:
        exit_id = due[0].exit_id
        follow_ups.record_follow_up(
            session=session,
            data=FollowUpInput(exit_id=exit_id, years_after=1, checked_on=date(2024, 7, 1), status="closed"),
        )
    with work(engine) as session:
        assert follow_ups.follow_ups_due(session, on=TODAY) == []


def test_total_staff_is_never_fewer_than_the_regular_employees(engine, world):
    with pytest.raises(DomainError) as error, work(engine) as session:
        companies.record_headcount(
            session=session, company_id=world["first"], as_of=date(2024, 1, 1), employees=5, total_employees=4
        )
    assert error.value.field == "total_employees"
    with work(engine) as session:
        record = companies.record_headcount(
            session=session, company_id=world["first"], as_of=date(2024, 1, 1), employees=5, total_employees=8
        )
        assert record.total_employees == 8


def test_a_check_in_recorded_meanwhile_is_not_overwritten_by_a_form_that_showed_none(engine, world):
    with work(engine) as session:
        exit_id = session.exec(select(Exit.id).where(Exit.company_id == world["gone"])).one()
    first = FollowUpInput(exit_id=exit_id, years_after=1, checked_on=date(2024, 7, 1), status="operating")
    with work(engine) as session:
        follow_ups.record_follow_up(session=session, data=first, seen_version=follow_ups.NONE_SEEN)
    with pytest.raises(EditConflict), work(engine) as session:
        follow_ups.record_follow_up(
            session=session,
            data=FollowUpInput(**(vars(first) | {"status": "closed"})),
            seen_version=follow_ups.NONE_SEEN,
        )
    with work(engine) as session:
        assert session.exec(select(FollowUp.status)).all() == ["operating"]


def test_a_batch_with_one_sales_period_twice_is_refused_naming_the_second(engine, world):
    period = SalesInput(company_id=world["first"], year=2024, half=1, sales_krw=100)
    for first in (period, SalesInput(company_id=world["first"], year=2024, half=1, sales_krw=90)):
        with pytest.raises(DomainError) as error, work(engine) as session:
            outcomes.record_outcomes(session=session, inputs=[first, SalesInput(**(vars(period) | {"sales_krw": 120}))])
        assert (error.value.field, error.value.index) == ("year", 1) and "두 번" in error.value.message
        assert count(engine, SalesRecord) == 0
    with work(engine) as session:  # once stored, a batch giving it twice is refused too
        outcomes.record_outcome(session=session, data=period)
    with pytest.raises(DomainError), work(engine) as session:
        outcomes.record_outcomes(session=session, inputs=[period, SalesInput(**(vars(period) | {"sales_krw": 120}))])
    with work(engine) as session:
        assert session.exec(select(SalesRecord.sales_krw)).all() == [100]
