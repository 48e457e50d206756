"""Resident companies: register, edit, record headcount."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from camp_manager.db.models import (
    Allocation,
    BusinessField,
    Company,
    HeadcountRecord,
    MentoringSession,
    Residency,
    RoomRequest,
    SupportRequest,
)
from camp_manager.errors import DomainError, RuleViolation
from camp_manager.i18n import tr
from camp_manager.services import audit, bizno
from camp_manager.services.book import Book, load_book
from camp_manager.services.common import (
    fetch,
    fetch_to_change,
    lock_keys,
    lock_rows,
    not_found_message,
    refuse_if_any,
    require_text,
    stored_id,
    today,
)
from camp_manager.services.inputs import checked_input, column_problems, dataclass_problems
from camp_manager.services.refusals import refusals_as_violations

EDITABLE_FIELDS = (
    "name",
    "biz_reg_no",
    "representative",
    "field",
    "founded_on",
    "phone",
    "email",
    "investment_krw",
    "mou_on",
    "notes",
)


@dataclass
class CompanyInput:
    name: str
    biz_reg_no: str
    representative: str = ""
    field: str = BusinessField.OTHER.value
    founded_on: date | None = None
    phone: str = ""
    email: str = ""
    investment_krw: int = 0
    mou_on: date | None = None
    notes: str = ""


_FIELD_CODES = frozenset(BusinessField)


def _check_field(value: str) -> None:
    if value not in _FIELD_CODES:
        raise DomainError(tr("분야 '{value}'는 목록에 없습니다. 목록에서 고르세요.", value=value), field="field")


def _check_investment(value: int) -> None:
    if value < 0:
        raise DomainError(tr("투자유치금액은 0 이상이어야 합니다."), field="investment_krw")


def _check_email(value: str) -> None:
    if value and "@" not in value:
        raise DomainError(
            tr("이메일 '{value}'의 형식이 올바르지 않습니다 (예: ceo@example.com).", value=value), field="email"
        )


def _check_founded(value: date | None, today: date) -> None:
    if value and value > today:
        raise DomainError(tr("설립일이 미래입니다. 날짜를 확인하세요."), field="founded_on")


def input_problems(data: CompanyInput, *, today: date) -> dict[str, str]:
    """What is wrong with each field, without the database: a form shows it as the user types.

    `company_problems` adds the one check that needs the database: the business number is
    not someone else's.
    """
    unreadable = dataclass_problems(data)
    if unreadable:  # the checks below read the values as the types they should be
        return unreadable
    checks: dict[str, Callable[[], object]] = {
        "name": lambda: require_text(data.name, field="name", what=tr("기업명")),
        "biz_reg_no": lambda: bizno.normalize(data.biz_reg_no),
        "field": lambda: _check_field(data.field),
        "investment_krw": lambda: _check_investment(data.investment_krw or 0),
        "email": lambda: _check_email((data.email or "").strip()),
        "founded_on": lambda: _check_founded(data.founded_on, today),
    }
    problems = {}
    for name, check in checks.items():
        try:
            check()
        except DomainError as error:
            problems[name] = error.message
    for name, problem in column_problems(Company, _values(data)).items():
        problems.setdefault(name, problem)
    return problems


def company_problems(book: Book, data: CompanyInput, *, company_id: int | None, today: date) -> dict[str, str]:
    """Every problem of `data` for the company `company_id` (None: a new one), against the numbers in `book`."""
    problems = input_problems(data, today=today)
    if "biz_reg_no" not in problems:
        number = bizno.digits_only(data.biz_reg_no)  # a valid number: its digits are what is stored
        holder = book.biz_numbers.get(number)
        if holder is not None and (holder[0] is None or holder[0] != company_id):
            problems["biz_reg_no"] = tr(
                "사업자등록번호 {number}는 이미 '{name}'에 등록되어 있습니다. 기존 기업을 수정하세요.",
                number=bizno.format_bizno(number),
                name=holder[1],
            )
    return problems


def _values(data: CompanyInput) -> dict[str, Any]:
    """The stored form of checked input."""
    return {
        "name": data.name.strip(),
        "biz_reg_no": bizno.digits_only(data.biz_reg_no),
        "representative": (data.representative or "").strip(),
        "field": data.field,
        "founded_on": data.founded_on,
        "phone": (data.phone or "").strip(),
        "email": (data.email or "").strip(),
        "investment_krw": data.investment_krw or 0,
        "mou_on": data.mou_on,
        "notes": data.notes or "",
    }


def _numbers(inputs: Sequence[CompanyInput]) -> list[str]:
    return [bizno.digits_only(data.biz_reg_no or "") for data in inputs]


@checked_input
def register_companies(
    *, session: Session, inputs: Sequence[CompanyInput], import_batch_id: int | None = None
) -> list[int]:
    """Register new companies (one transaction; the first problem stops all); their ids, in order."""
    rows = _checked_companies(session, inputs)
    with refusals_as_violations(session, check_again=lambda: _checked_companies(session, inputs)):
        ids = audit.insert_rows(session, Company, rows, action="create", import_batch_id=import_batch_id)
    return ids


def _checked_companies(session: Session, inputs: Sequence[CompanyInput]) -> list[dict[str, Any]]:
    """The rows `inputs` insert, each checked under the locks against the others and the database."""
    numbers = _numbers(inputs)
    lock_keys(session, "biz_reg_no", numbers)
    book = load_book(session, biz_numbers=numbers)
    day = today(session)
    rows = []
    for index, data in enumerate(inputs):
        refuse_if_any(company_problems(book, data, company_id=None, today=day), index=index)
        values = _values(data)
        book.claim_company(None, values["biz_reg_no"], values["name"])
        rows.append(values)
    return rows


@checked_input
def register_company(*, session: Session, data: CompanyInput, import_batch_id: int | None = None) -> Company:
    [company_id] = register_companies(session=session, inputs=[data], import_batch_id=import_batch_id)
    return fetch(session, Company, company_id, what=tr("입주기업"))


@checked_input
def edit_company(
    *,
    session: Session,
    company_id: int,
    data: CompanyInput,
    import_batch_id: int | None = None,
    seen_version: int | None = None,
) -> Company:
    company = fetch_to_change(session, Company, company_id, what=tr("입주기업"), seen_version=seen_version)
    lock_keys(session, "biz_reg_no", _numbers([data]))
    book = load_book(session, biz_numbers=_numbers([data]))
    refuse_if_any(company_problems(book, data, company_id=company_id, today=today(session)))
    before = audit.snapshot(company)
    for key, value in _values(data).items():
        setattr(company, key, value)
    audit.record(session, action="update", row=company, before=before, import_batch_id=import_batch_id)
    return company


def company_input(company: Company) -> CompanyInput:
    """The editable values of a stored company, for an edit form."""
    return CompanyInput(**{name: getattr(company, name) for name in EDITABLE_FIELDS})


@dataclass(frozen=True)
class HeadcountEntry:
    """Regular employees of `company_id` from `as_of` on (one record per company and day)."""

    company_id: int
    as_of: date
    employees: int
    total_employees: int | None = None  # everyone on the payroll; None: not reported


def headcount_problems(book: Book, entry: HeadcountEntry) -> dict[str, str]:
    if entry.employees < 0:
        return {"employees": tr("상시 고용인원은 0 이상이어야 합니다.")}
    if entry.total_employees is not None and entry.total_employees < entry.employees:
        return {
            "total_employees": tr(
                "전체 인원({total})이 상시 고용인원({regular})보다 적습니다. 전체 인원은 상시 고용인원을 포함한 수로 입력하세요.",
                total=entry.total_employees,
                regular=entry.employees,
            )
        }
    ended = book.exit_before(entry.company_id, entry.as_of)
    if ended is not None:
        return {
            "as_of": tr(
                "퇴거일({exit}) 이후 날짜로 고용인원을 기록할 수 없습니다. {exit} 이전 날짜를 입력하거나, 다시 입주했다면 먼저 입주 처리하세요.",
                exit=ended,
            )
        }
    return {}


@checked_input
def record_headcounts(
    *, session: Session, entries: Sequence[HeadcountEntry], import_batch_id: int | None = None
) -> list[int]:
    """Record each entry: a new record, or the new count of that company's record of that day; their ids."""
    company_ids = [e.company_id for e in entries]
    lock_rows(session, Company, company_ids)
    book = load_book(session, company_ids=company_ids)
    new: dict[tuple[int, date], HeadcountEntry] = {}
    changed: dict[int, HeadcountEntry] = {}
    for index, entry in enumerate(entries):
        if entry.company_id not in book.company_names:
            raise RuleViolation(not_found_message(tr("입주기업"), entry.company_id), field="company", index=index)
        refuse_if_any(headcount_problems(book, entry), index=index)
        stored = book.headcount_days.get((entry.company_id, entry.as_of))
        if stored is not None:
            changed[stored] = entry
        else:
            new[(entry.company_id, entry.as_of)] = entry
    for record in (
        session.exec(select(HeadcountRecord).where(col(HeadcountRecord.id).in_(list(changed)))) if changed else ()
    ):
        before = audit.snapshot(record)
        entry = changed[stored_id(record)]
        record.employees, record.total_employees = entry.employees, entry.total_employees
        audit.record(session, action="update", row=record, before=before, import_batch_id=import_batch_id)
    rows = [
        {"company_id": e.company_id, "as_of": e.as_of, "employees": e.employees, "total_employees": e.total_employees}
        for e in new.values()
    ]
    created = zip(
        new,
        audit.insert_rows(session, HeadcountRecord, rows, action="create", import_batch_id=import_batch_id),
        strict=True,
    )
    ids = {
        **{key: record_id for key, record_id in book.headcount_days.items() if record_id is not None},
        **dict(created),
    }
    return [ids[(e.company_id, e.as_of)] for e in entries]


@checked_input
def record_headcount(
    *,
    session: Session,
    company_id: int,
    as_of: date,
    employees: int,
    total_employees: int | None = None,
    import_batch_id: int | None = None,
) -> HeadcountRecord:
    """The number of regular employees (and of all, when known) from `as_of` on; one record per company and day."""
    fetch(session, Company, company_id, what=tr("입주기업"))
    entry = HeadcountEntry(company_id=company_id, as_of=as_of, employees=employees, total_employees=total_employees)
    [record_id] = record_headcounts(session=session, entries=[entry], import_batch_id=import_batch_id)
    return fetch(session, HeadcountRecord, record_id, what=tr("고용인원 기록"))


def employees_on(session: Session, company_id: int, on: date) -> int | None:
    return session.exec(
        select(col(HeadcountRecord.employees))
        .where(col(HeadcountRecord.company_id) == company_id, col(HeadcountRecord.as_of) <= on)
        .order_by(col(HeadcountRecord.as_of).desc())
        .limit(1)
    ).first()


@checked_input
def delete_company(*, session: Session, company_id: int) -> None:
    """Remove a company entered by mistake; one with any stay, room, request or mentoring stays.

    Its headcount records go with it. Everything is in the audit trail.
    """
    company = fetch(session, Company, company_id, what=tr("입주기업"))
    history = (
        (Residency, tr("입주 이력")),
        (Allocation, tr("호실 배정 이력")),
        (RoomRequest, tr("공간 신청")),
        (MentoringSession, tr("멘토링 기록")),
        (SupportRequest, tr("지원 요청")),
    )
    for model, what in history:
        if session.exec(select(model.id).where(model.company_id == company_id)).first() is not None:
            raise DomainError(
                tr(
                    "'{name}'에는 {what}이(가) 있어 삭제할 수 없습니다. 입주했던 기업은 퇴거 처리하세요.",
                    name=company.name,
                    what=what,
                ),
                field="company",
            )
    for record in session.exec(select(HeadcountRecord).where(HeadcountRecord.company_id == company_id)).all():
        audit.record(session, action="delete", row=record, before=audit.snapshot(record))
        session.delete(record)
    audit.record(session, action="delete", row=company, before=audit.snapshot(company))
    session.delete(company)
    session.flush()
