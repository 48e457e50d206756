"""Resident companies: register, edit, record headcount."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, select

from camp_manager.db.models import (
    Allocation, BusinessField, Company, HeadcountRecord, MentoringSession, Residency, RoomRequest,
)
from camp_manager.errors import DomainError
from camp_manager.i18n import tr
from camp_manager.services import audit, bizno
from camp_manager.services.common import fetch, require_text
from camp_manager.services.residency import exit_before

EDITABLE_FIELDS = (
    "name", "biz_reg_no", "representative", "field", "founded_on", "phone", "email",
    "investment_krw", "mou_on", "notes",
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


def _check_field(value: str) -> None:
    if value not in set(BusinessField):
        raise DomainError(tr("분야 '{value}'는 목록에 없습니다. 목록에서 고르세요.", value=value), field="field")


def _check_investment(value: int) -> None:
    if value < 0:
        raise DomainError(tr("투자유치금액은 0 이상이어야 합니다."), field="investment_krw")


def _check_email(value: str) -> None:
    if value and "@" not in value:
        raise DomainError(tr("이메일 '{value}'의 형식이 올바르지 않습니다 (예: ceo@example.com).", value=value), field="email")


def _check_founded(value: date | None) -> None:
    if value and value > date.today():
        raise DomainError(tr("설립일이 미래입니다. 날짜를 확인하세요."), field="founded_on")


def input_problems(data: CompanyInput) -> dict[str, str]:
    """What is wrong with each field, without the database: a form shows it as the user types.

    The same checks `register_company` and `edit_company` make (they also check that the
    business number is not someone else's).
    """
    checks = {
        "name": lambda: require_text(data.name, field="name", what=tr("기업명")),
        "biz_reg_no": lambda: bizno.normalize(data.biz_reg_no),
        "field": lambda: _check_field(data.field),
        "investment_krw": lambda: _check_investment(data.investment_krw or 0),
        "email": lambda: _check_email((data.email or "").strip()),
        "founded_on": lambda: _check_founded(data.founded_on),
    }
    problems = {}
    for name, check in checks.items():
        try:
            check()
        except DomainError as error:
            problems[name] = error.message
    return problems


def _clean(session: Session, data: CompanyInput, *, company_id: int | None) -> dict[str, Any]:
    values = {
        "name": require_text(data.name, field="name", what=tr("기업명")),
        "biz_reg_no": bizno.normalize(data.biz_reg_no),
        "representative": (data.representative or "").strip(),
        "field": data.field,
        "founded_on": data.founded_on,
        "phone": (data.phone or "").strip(),
        "email": (data.email or "").strip(),
        "investment_krw": data.investment_krw or 0,
        "mou_on": data.mou_on,
        "notes": data.notes or "",
    }
    _check_field(values["field"])
    _check_investment(values["investment_krw"])
    _check_email(values["email"])
    _check_founded(values["founded_on"])
    clash = session.exec(select(Company).where(Company.biz_reg_no == values["biz_reg_no"])).first()
    if clash is not None and clash.id != company_id:
        raise DomainError(
            tr(
                "사업자등록번호 {number}는 이미 '{name}'에 등록되어 있습니다. 기존 기업을 수정하세요.",
                number=bizno.format_bizno(values["biz_reg_no"]),
                name=clash.name,
            ),
            field="biz_reg_no",
        )
    return values


def register_company(*, session: Session, data: CompanyInput, import_batch_id: int | None = None) -> Company:
    company = Company(**_clean(session, data, company_id=None))
    audit.record(session, action="create", row=company, import_batch_id=import_batch_id)
    return company


def edit_company(
    *, session: Session, company_id: int, data: CompanyInput, import_batch_id: int | None = None
) -> Company:
    company = fetch(session, Company, company_id, what=tr("입주기업"))
    before = audit.snapshot(company)
    for key, value in _clean(session, data, company_id=company_id).items():
        setattr(company, key, value)
    audit.record(session, action="update", row=company, before=before, import_batch_id=import_batch_id)
    return company


def company_input(company: Company) -> CompanyInput:
    """The editable values of a stored company, for an edit form."""
    return CompanyInput(**{name: getattr(company, name) for name in EDITABLE_FIELDS})


def record_headcount(
    *, session: Session, company_id: int, as_of: date, employees: int, import_batch_id: int | None = None
) -> HeadcountRecord:
    """The number of regular employees from `as_of` on; one record per company and day."""
    fetch(session, Company, company_id, what=tr("입주기업"))
    if employees < 0:
        raise DomainError(tr("상시 고용인원은 0 이상이어야 합니다."), field="employees")
    ended = exit_before(session, company_id, as_of)
    if ended is not None:
        raise DomainError(
            tr("퇴거일({exit}) 이후 날짜로 고용인원을 기록할 수 없습니다. {exit} 이전 날짜를 입력하거나, 다시 입주했다면 먼저 입주 처리하세요.", exit=ended),
            field="as_of",
        )
    existing = session.exec(
        select(HeadcountRecord).where(HeadcountRecord.company_id == company_id, HeadcountRecord.as_of == as_of)
    ).first()
    if existing is not None:
        before = audit.snapshot(existing)
        existing.employees = employees
        audit.record(session, action="update", row=existing, before=before, import_batch_id=import_batch_id)
        return existing
    record = HeadcountRecord(company_id=company_id, as_of=as_of, employees=employees)
    audit.record(session, action="create", row=record, import_batch_id=import_batch_id)
    return record


def employees_on(session: Session, company_id: int, on: date) -> int | None:
    return session.exec(
        select(HeadcountRecord.employees)
        .where(HeadcountRecord.company_id == company_id, HeadcountRecord.as_of <= on)
        .order_by(HeadcountRecord.as_of.desc())
        .limit(1)
    ).first()


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
    )
    for model, what in history:
        if session.exec(select(model.id).where(model.company_id == company_id)).first() is not None:
            raise DomainError(
                tr("'{name}'에는 {what}이(가) 있어 삭제할 수 없습니다. 입주했던 기업은 퇴거 처리하세요.", name=company.name, what=what),
                field="company",
            )
    for record in session.exec(select(HeadcountRecord).where(HeadcountRecord.company_id == company_id)).all():
        audit.record(session, action="delete", row=record, before=audit.snapshot(record))
        session.delete(record)
    audit.record(session, action="delete", row=company, before=audit.snapshot(company))
    session.delete(company)
    session.flush()
