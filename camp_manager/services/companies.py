"""Resident companies: register, edit, record headcount."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, select

from camp_manager.db.models import BusinessField, Company, HeadcountRecord, Residency
from camp_manager.errors import DomainError
from camp_manager.i18n import tr
from camp_manager.services import audit, bizno
from camp_manager.services.common import fetch, require_text

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
    if values["field"] not in set(BusinessField):
        raise DomainError(tr("분야 '{value}'는 목록에 없습니다. 목록에서 고르세요.", value=data.field), field="field")
    if values["investment_krw"] < 0:
        raise DomainError(tr("투자유치금액은 0 이상이어야 합니다."), field="investment_krw")
    if values["email"] and "@" not in values["email"]:
        raise DomainError(tr("이메일 '{value}'의 형식이 올바르지 않습니다 (예: ceo@example.com).", value=values["email"]), field="email")
    if values["founded_on"] and values["founded_on"] > date.today():
        raise DomainError(tr("설립일이 미래입니다. 날짜를 확인하세요."), field="founded_on")
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


def last_exit_or_none(session: Session, company_id: int) -> date | None:
    """The latest day the company's residency ended, if it is not resident now."""
    open_stay = session.exec(
        select(Residency).where(Residency.company_id == company_id, Residency.ended_on.is_(None))
    ).first()
    if open_stay is not None:
        return None
    ends = session.exec(select(Residency.ended_on).where(Residency.company_id == company_id)).all()
    return max((e for e in ends if e is not None), default=None)


def record_headcount(
    *, session: Session, company_id: int, as_of: date, employees: int, import_batch_id: int | None = None
) -> HeadcountRecord:
    """The number of regular employees from `as_of` on; one record per company and day."""
    fetch(session, Company, company_id, what=tr("입주기업"))
    if employees < 0:
        raise DomainError(tr("상시 고용인원은 0 이상이어야 합니다."), field="employees")
    ended = last_exit_or_none(session, company_id)
    if ended is not None and as_of > ended:
        raise DomainError(
            tr("퇴거일({exit}) 이후 날짜로 고용인원을 기록할 수 없습니다. {exit} 이전 날짜를 입력하세요.", exit=ended),
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
