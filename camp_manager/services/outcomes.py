"""Programme outcomes (성과): sales and exports per period, investment rounds, intellectual property,
certifications and government projects won — dated records, never overwritten without an audit entry.

Each kind of record has an input dataclass; `outcome_problems(facts, data, today=…)` is the one
copy of its rules, which the forms, the survey import's preview and the use cases all call:
amounts within range, a kind from the list, a held value dated neither after today, nor before
the company was founded, nor after its exit (unless it moved in again). `record_outcomes` takes
a batch (a survey file), locks the companies, checks every input and writes them with the audit
trail; a sales period already recorded gets its new figures (one record per company and period).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, select

from camp_manager.db.models import (
    MAX_AMOUNT_KRW,
    WHOLE_YEAR,
    Certification,
    CertificationKind,
    Company,
    Evidence,
    GovernmentProject,
    IntellectualProperty,
    InvestmentKind,
    InvestmentRound,
    IPKind,
    SalesRecord,
)
from camp_manager.errors import RuleViolation
from camp_manager.i18n import tr
from camp_manager.services import audit
from camp_manager.services.book import Book, among, load_book
from camp_manager.services.common import (
    RowT,
    fetch,
    fetch_to_change,
    lock,
    lock_rows,
    not_found_message,
    refuse_if_any,
    stored_id,
    table_of,
    today,
)
from camp_manager.services.inputs import checked_input, column_problems, dataclass_problems


@dataclass(frozen=True)
class SalesInput:
    """Sales (and the exports among them) of a year (`half` 0) or of its first or second half (1, 2)."""

    company_id: int
    year: int
    half: int
    sales_krw: int
    exports_krw: int = 0


@dataclass(frozen=True)
class InvestmentInput:
    company_id: int
    invested_on: date
    amount_krw: int
    kind: str = InvestmentKind.EQUITY.value
    investor: str = ""


@dataclass(frozen=True)
class IPInput:
    company_id: int
    kind: str
    dated_on: date  # filed or registered, as the kind says
    number: str = ""
    title: str = ""


@dataclass(frozen=True)
class CertificationInput:
    company_id: int
    kind: str
    granted_on: date
    valid_until: date | None = None
    number: str = ""


@dataclass(frozen=True)
class ProjectInput:
    company_id: int
    selected_on: date
    name: str
    agency: str = ""
    amount_krw: int = 0


OutcomeInput = SalesInput | InvestmentInput | IPInput | CertificationInput | ProjectInput
OutcomeModel = SalesRecord | InvestmentRound | IntellectualProperty | Certification | GovernmentProject

# Input → table, and the other way for an edit form.
MODEL_OF: dict[type[Any], type[SQLModel]] = {
    SalesInput: SalesRecord,
    InvestmentInput: InvestmentRound,
    IPInput: IntellectualProperty,
    CertificationInput: Certification,
    ProjectInput: GovernmentProject,
}
INPUT_OF: dict[type[SQLModel], type[Any]] = {model: kind for kind, model in MODEL_OF.items()}


def what_of(model: type[SQLModel]) -> str:
    """What a record of `model` is called, for messages."""
    return {
        SalesRecord: tr("매출 실적"),
        InvestmentRound: tr("투자유치"),
        IntellectualProperty: tr("지식재산권"),
        Certification: tr("인증"),
        GovernmentProject: tr("정부지원사업"),
    }[model]


def period_start(year: int, half: int) -> date:
    """The first day of a sales period: the year's, or its half's (1 January or 1 July)."""
    return date(year, 7 if half == 2 else 1, 1)


def period_end(year: int, half: int) -> date:
    """The last day of a sales period."""
    return date(year, 6, 30) if half == 1 else date(year, 12, 31)


def held_day(data: OutcomeInput) -> date:
    """The day a record speaks of: the start of a sales period, or the day of the event."""
    if isinstance(data, SalesInput):
        return period_start(data.year, data.half)
    if isinstance(data, InvestmentInput):
        return data.invested_on
    if isinstance(data, IPInput):
        return data.dated_on
    if isinstance(data, CertificationInput):
        return data.granted_on
    return data.selected_on


@dataclass
class OutcomeFacts:
    """What the rules need to know about the companies of a batch, loaded once."""

    book: Book
    founded: dict[int, date | None] = field(default_factory=dict)
    # (company, year) → {half: record id (None: claimed in this batch)}
    sales_periods: dict[tuple[int, int], dict[int, int | None]] = field(default_factory=lambda: defaultdict(dict))
    # (company, year, half) of the sales periods a batch has already given figures for
    claimed_periods: set[tuple[int, int, int]] = field(default_factory=set)

    def claim(self, data: OutcomeInput, record_id: int | None) -> None:
        if isinstance(data, SalesInput):
            self.sales_periods[(data.company_id, data.year)].setdefault(data.half, record_id)
            self.claimed_periods.add((data.company_id, data.year, data.half))


def load_outcome_facts(session: Session, company_ids: Iterable[int]) -> OutcomeFacts:
    companies = set(company_ids)
    facts = OutcomeFacts(book=load_book(session, company_ids=companies))
    if companies:
        for company_id, name, founded_on in session.execute(
            sa.select(col(Company.id), col(Company.name), col(Company.founded_on)).where(
                among(session, col(Company.id), companies)
            )
        ):
            facts.founded[company_id] = founded_on
            facts.book.company_names[company_id] = name
        periods = sa.select(
            col(SalesRecord.id), col(SalesRecord.company_id), col(SalesRecord.year), col(SalesRecord.half)
        ).where(among(session, col(SalesRecord.company_id), companies))
        for record_id, company_id, year, half in session.execute(periods):
            facts.sales_periods[(company_id, year)][half] = record_id
    return facts


def _amount_problem(value: int, *, label: str, minimum: int = 0) -> str | None:
    if value < minimum:
        return tr("{field}은(는) {minimum}원 이상이어야 합니다.", field=label, minimum=f"{minimum:,}")
    if value > MAX_AMOUNT_KRW:
        return tr("{field}이(가) 너무 큽니다. 원 단위로 입력했는지 확인하세요.", field=label)
    return None


def _kind_problem(value: str, kinds: type[StrEnum]) -> str | None:
    if value not in {kind.value for kind in kinds}:
        return tr("종류 '{value}'는 목록에 없습니다. 목록에서 고르세요.", value=value)
    return None


def outcome_problems(
    facts: OutcomeFacts, data: OutcomeInput, *, today: date, record_id: int | None = None
) -> dict[str, str]:
    """Field → problem of a new record (`record_id` None) or of new values for the stored record `record_id`."""
    problems = dataclass_problems(data)
    if problems:  # the checks below read the values as the types they should be
        return problems
    day_field = _day_field(data)
    found: dict[str, str | None] = {}
    if isinstance(data, SalesInput):
        found["half"] = None if data.half in (0, 1, 2) else tr("기간은 연간(0), 상반기(1), 하반기(2) 중에서 고르세요.")
        found["sales_krw"] = _amount_problem(data.sales_krw, label=tr("매출액"))
        found["exports_krw"] = _amount_problem(data.exports_krw, label=tr("수출액")) or (
            tr("수출액이 매출액보다 큽니다. 수출액은 매출액에 포함된 금액으로 입력하세요.")
            if data.exports_krw > data.sales_krw
            else None
        )
        if not 1900 <= data.year <= today.year:
            found["year"] = tr("연도는 {last}년 이전이어야 합니다.", last=today.year)
        elif data.half in (0, 1, 2):
            found["year"] = _period_clash(facts, data, record_id)
    elif isinstance(data, InvestmentInput):
        found["kind"] = _kind_problem(data.kind, InvestmentKind)
        found["amount_krw"] = _amount_problem(data.amount_krw, label=tr("투자금액"), minimum=1)
    elif isinstance(data, IPInput):
        found["kind"] = _kind_problem(data.kind, IPKind)
    elif isinstance(data, CertificationInput):
        found["kind"] = _kind_problem(data.kind, CertificationKind)
        if data.valid_until is not None and data.valid_until < data.granted_on:
            found["valid_until"] = tr(
                "유효기간 만료일({until})이 인증일({granted})보다 빠릅니다. {granted} 이후 날짜를 입력하세요.",
                until=data.valid_until,
                granted=data.granted_on,
            )
    else:
        if not data.name.strip():
            found["name"] = tr("사업명을 입력하세요 (예: 예비창업패키지).")
        found["amount_krw"] = _amount_problem(data.amount_krw, label=tr("지원금액"))
    problems = {name: problem for name, problem in found.items() if problem}
    if day_field not in problems and (problem := _day_problem(facts, data, today=today)):
        problems[day_field] = problem
    model = MODEL_OF[type(data)]
    texts = {name: value for name, value in asdict(data).items() if isinstance(value, str) and name != "kind"}
    for name, problem in column_problems(model, texts).items():
        problems.setdefault(name, problem)
    return problems


def _day_field(data: OutcomeInput) -> str:
    return {
        SalesInput: "year",
        InvestmentInput: "invested_on",
        IPInput: "dated_on",
        CertificationInput: "granted_on",
        ProjectInput: "selected_on",
    }[type(data)]


def _day_problem(facts: OutcomeFacts, data: OutcomeInput, *, today: date) -> str | None:
    """A held value is dated neither after today, nor before founding, nor after an exit."""
    day = held_day(data)
    if day > today:
        return tr("날짜({date})가 오늘보다 늦습니다. 이미 있었던 일만 기록하세요.", date=day)
    founded = facts.founded.get(data.company_id)
    last_day = period_end(data.year, data.half) if isinstance(data, SalesInput) else day
    if founded is not None and last_day < founded:
        return tr(
            "날짜({date})가 설립일({founded})보다 빠릅니다. 설립일 이후 날짜를 입력하거나 설립일을 고치세요.",
            date=last_day,
            founded=founded,
        )
    ended = facts.book.exit_before(data.company_id, day)
    if ended is not None:
        return tr(
            "퇴거일({exit}) 이후의 성과는 기업 기록이 아니라 후속 조사로 기록하세요. {exit} 이전 날짜를 입력하거나, 다시 입주했다면 먼저 입주 처리하세요.",
            exit=ended,
        )
    return None


def _period_clash(facts: OutcomeFacts, data: SalesInput, record_id: int | None) -> str | None:
    """A year is recorded either as a whole or by its halves, never both; a period once."""
    recorded = {
        half: stored
        for half, stored in facts.sales_periods.get((data.company_id, data.year), {}).items()
        if record_id is None or stored != record_id
    }
    if (data.company_id, data.year, data.half) in facts.claimed_periods:
        return tr("{year}년의 같은 기간 매출이 두 번 있습니다. 한 번만 남기세요.", year=data.year)
    if data.half in recorded and record_id is not None:
        return tr("{year}년의 그 기간 매출은 이미 기록되어 있습니다. 그 기록을 고치세요.", year=data.year)
    other_way = {h for h in recorded if (h == WHOLE_YEAR) != (data.half == WHOLE_YEAR)}
    if other_way:
        return tr(
            "{year}년 매출은 이미 {how}(으)로 기록되어 있습니다. 연간과 반기를 섞지 말고 같은 방식으로 입력하세요.",
            year=data.year,
            how=tr("연간") if WHOLE_YEAR in other_way else tr("반기별"),
        )
    return None


def _values(data: OutcomeInput) -> dict[str, Any]:
    return {name: value.strip() if isinstance(value, str) else value for name, value in asdict(data).items()}


# --- use cases -----------------------------------------------------------------------------------
@checked_input
def record_outcomes(
    *, session: Session, inputs: Sequence[OutcomeInput], import_batch_id: int | None = None
) -> list[int]:
    """Record each input: a new record, or for a sales period already recorded, its new figures; their ids.

    The companies are locked first (in id order), so an exit on another PC cannot pass meanwhile.
    """
    company_ids = [data.company_id for data in inputs]
    lock_rows(session, Company, company_ids)
    facts = load_outcome_facts(session, company_ids)
    now = today(session)
    new: list[tuple[int, OutcomeInput]] = []
    changed: dict[int, tuple[int, SalesInput]] = {}  # stored record → (its input's index, the input)
    for index, data in enumerate(inputs):
        if data.company_id not in facts.founded:
            raise RuleViolation(not_found_message(tr("입주기업"), data.company_id), field="company", index=index)
        stored = (
            facts.sales_periods.get((data.company_id, data.year), {}).get(data.half)
            if isinstance(data, SalesInput)
            else None
        )
        refuse_if_any(outcome_problems(facts, data, today=now, record_id=stored), index=index)
        if isinstance(data, SalesInput) and stored is not None:
            changed[stored] = (index, data)
        else:
            new.append((index, data))
        facts.claim(data, stored)
    ids: dict[int, int] = {}
    for record in session.exec(select(SalesRecord).where(col(SalesRecord.id).in_(list(changed)))) if changed else ():
        before = audit.snapshot(record)
        _, data = changed[stored_id(record)]
        record.sales_krw, record.exports_krw = data.sales_krw, data.exports_krw
        audit.record(session, action="update", row=record, before=before, import_batch_id=import_batch_id)
    for model in MODEL_OF.values():
        batch = [(index, data) for index, data in new if MODEL_OF[type(data)] is model]
        if batch:
            rows = [_values(data) for _, data in batch]
            created = audit.insert_rows(session, model, rows, action="create", import_batch_id=import_batch_id)
            ids.update({index: record_id for (index, _), record_id in zip(batch, created, strict=True)})
    ids.update({index: stored for stored, (index, _) in changed.items()})
    return [ids[index] for index in range(len(inputs))]


@checked_input
def record_outcome(*, session: Session, data: OutcomeInput) -> OutcomeModel:
    """One record (a form's save): see `record_outcomes`."""
    [record_id] = record_outcomes(session=session, inputs=[data])
    model = MODEL_OF[type(data)]
    row: OutcomeModel = fetch(session, model, record_id, what=what_of(model))  # type: ignore[assignment]
    return row


@checked_input
def edit_outcome(
    *, session: Session, record_id: int, data: OutcomeInput, seen_version: int | None = None
) -> OutcomeModel:
    """New values for a stored record (of the kind `data` is), unless a colleague saved it meanwhile."""
    model = MODEL_OF[type(data)]
    record = fetch(session, model, record_id, what=what_of(model))
    if record.company_id != data.company_id:  # type: ignore[attr-defined]
        raise RuleViolation(tr("다른 기업의 기록으로 옮길 수 없습니다. 새로 입력하세요."), field="company")
    lock(session, fetch(session, Company, data.company_id, what=tr("입주기업")))
    record = fetch_to_change(session, model, record_id, what=what_of(model), seen_version=seen_version)
    facts = load_outcome_facts(session, [data.company_id])
    refuse_if_any(outcome_problems(facts, data, today=today(session), record_id=record_id))
    before = audit.snapshot(record)
    for name, value in _values(data).items():
        setattr(record, name, value)
    audit.record(session, action="update", row=record, before=before)
    return record  # type: ignore[return-value]


@checked_input
def delete_outcome(*, session: Session, model: type[SQLModel], record_id: int, seen_version: int | None = None) -> None:
    """Remove a record entered by mistake, with its files of evidence; both stay in the audit trail."""
    if not any(model is kind for kind in INPUT_OF):  # also for a value that is no class (unhashable)
        raise RuleViolation(tr("성과 기록의 종류가 아닙니다. 목록에서 기록을 골라 삭제하세요."), field="model")
    record = fetch_to_change(session, model, record_id, what=what_of(model), seen_version=seen_version)
    table = table_of(model).name
    for evidence in session.exec(
        select(Evidence).where(col(Evidence.record_kind) == table, col(Evidence.record_id) == record_id)
    ):
        audit.record(session, action="delete", row=evidence, before=audit.snapshot(evidence))
        session.delete(evidence)
    audit.record(session, action="delete", row=record, before=audit.snapshot(record))
    session.delete(record)


def outcome_input(record: OutcomeModel) -> OutcomeInput:
    """The editable values of a stored record, for an edit form."""
    kind = INPUT_OF[type(record)]
    values: OutcomeInput = kind(**{name: getattr(record, name) for name in kind.__dataclass_fields__})
    return values


def outcomes_of(session: Session, company_id: int) -> dict[type[SQLModel], list[Any]]:
    """Every outcome record of a company, by table, each newest first."""
    return {
        SalesRecord: _of(session, SalesRecord, company_id, col(SalesRecord.year).desc(), col(SalesRecord.half).desc()),
        InvestmentRound: _of(session, InvestmentRound, company_id, col(InvestmentRound.invested_on).desc()),
        IntellectualProperty: _of(session, IntellectualProperty, company_id, col(IntellectualProperty.dated_on).desc()),
        Certification: _of(session, Certification, company_id, col(Certification.granted_on).desc()),
        GovernmentProject: _of(session, GovernmentProject, company_id, col(GovernmentProject.selected_on).desc()),
    }


def _of(session: Session, model: type[RowT], company_id: int, *order: sa.ColumnElement[Any]) -> list[RowT]:
    company = table_of(model).c.company_id
    return list(session.exec(select(model).where(company == company_id).order_by(*order)))
