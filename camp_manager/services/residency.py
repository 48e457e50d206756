"""Residency: move in, extend a contract (the earlier end is kept)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from camp_manager.db.models import Company, ContractExtension, Facility, Residency
from camp_manager.errors import DomainError
from camp_manager.i18n import tr
from camp_manager.services import audit
from camp_manager.services.common import fetch, lock, require_order


def open_residency(session: Session, company_id: int) -> Residency | None:
    return session.exec(
        select(Residency).where(Residency.company_id == company_id, Residency.ended_on.is_(None))
    ).first()


def residency_on(session: Session, company_id: int, on: date) -> Residency | None:
    """The stay that covers `on` ([move_in, ended_on))."""
    return session.exec(
        select(Residency).where(
            Residency.company_id == company_id,
            Residency.move_in <= on,
            (Residency.ended_on.is_(None)) | (Residency.ended_on > on),
        )
    ).first()


def exit_before(session: Session, company_id: int, on: date) -> date | None:
    """The exit that `on` comes after, when the company has not moved in again by `on`.

    Nothing of a company may be dated after its exit unless it moved in again; the exit
    day itself still belongs to the stay that ended.
    """
    latest = session.exec(
        select(Residency)
        .where(Residency.company_id == company_id, Residency.move_in <= on)
        .order_by(Residency.move_in.desc())
        .limit(1)
    ).first()
    if latest is not None and latest.ended_on is not None and latest.ended_on < on:
        return latest.ended_on
    return None


def move_in(
    *,
    session: Session,
    company_id: int,
    facility_id: int,
    move_in_on: date,
    contract_end: date | None = None,
    import_batch_id: int | None = None,
) -> Residency:
    company = fetch(session, Company, company_id, what=tr("입주기업"))
    fetch(session, Facility, facility_id, what=tr("시설"))
    lock(session, company)
    current = open_residency(session, company_id)
    if current is not None:
        raise DomainError(
            tr("'{name}'은(는) 이미 {date}부터 입주 중입니다. 다른 시설로 옮기려면 먼저 퇴거 처리하세요.", name=company.name, date=current.move_in),
            field="move_in",
        )
    last_end = max(
        (r.ended_on for r in session.exec(select(Residency).where(Residency.company_id == company_id)) if r.ended_on),
        default=None,
    )
    require_order(
        last_end, move_in_on, field="move_in",
        message=tr("입주일({date})이 지난 퇴거일({exit})보다 빠릅니다. {exit} 이후 날짜를 입력하세요.", date=move_in_on, exit=last_end),
    )
    require_order(
        move_in_on, contract_end, field="contract_end",
        message=tr("계약 만료일({end})이 입주일({start})보다 빠릅니다. 날짜를 확인하세요.", end=contract_end, start=move_in_on),
    )
    residency = Residency(company_id=company_id, facility_id=facility_id, move_in=move_in_on, contract_end=contract_end)
    audit.record(session, action="move_in", row=residency, import_batch_id=import_batch_id)
    return residency


def extend_contract(*, session: Session, residency_id: int, new_end: date, on: date, note: str = "") -> Residency:
    residency = fetch(session, Residency, residency_id, what=tr("입주 계약"))
    if residency.ended_on is not None:
        raise DomainError(tr("이미 퇴거한 입주 계약은 연장할 수 없습니다. 다시 입주했다면 새 입주 계약에서 연장하세요."), field="contract_end")
    require_order(
        residency.move_in, on, field="extended_on",
        message=tr("연장일({date})이 입주일({move_in})보다 빠릅니다. {move_in} 이후 날짜를 입력하세요.", date=on, move_in=residency.move_in),
    )
    floor = residency.contract_end or residency.move_in
    if new_end <= floor:
        raise DomainError(
            tr("새 계약 만료일({new})은 현재 만료일({old})보다 뒤여야 합니다.", new=new_end, old=floor),
            field="contract_end",
        )
    before = audit.snapshot(residency)
    session.add(
        ContractExtension(residency_id=residency.id, extended_on=on, previous_end=residency.contract_end, new_end=new_end, note=note)
    )
    residency.contract_end = new_end
    audit.record(session, action="extend", row=residency, before=before)
    return residency
