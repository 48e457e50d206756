"""Residency: move in, extend a contract (the earlier end is kept), a renewal in progress."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, col, select

from camp_manager.db.models import Company, ContractExtension, ContractRenewal, Facility, Residency
from camp_manager.errors import RuleViolation
from camp_manager.i18n import tr
from camp_manager.services import audit
from camp_manager.services.book import Book, Stay, load_book
from camp_manager.services.common import (
    fetch,
    fetch_to_change,
    id_column,
    lock_rows,
    not_found_message,
    refuse_if_any,
    stored_id,
    today,
)
from camp_manager.services.inputs import checked_input
from camp_manager.services.refusals import refusals_as_violations


def open_residency(session: Session, company_id: int) -> Residency | None:
    return session.exec(
        select(Residency).where(Residency.company_id == company_id, col(Residency.ended_on).is_(None))
    ).first()


def residency_on(session: Session, company_id: int, on: date) -> Residency | None:
    """The stay that covers `on` ([move_in, ended_on))."""
    return session.exec(select(Residency).where(Residency.company_id == company_id, Residency.covers(on))).first()


def exit_before(session: Session, company_id: int, on: date) -> date | None:
    """The exit that `on` comes after, when the company has not moved in again by `on` (see `Book.exit_before`)."""
    return load_book(session, company_ids=[company_id]).exit_before(company_id, on)


def contract_end_on(day: date | sa.ColumnElement[date]) -> sa.ColumnElement[date]:
    """The contract end of each Residency row as it stood on `day` (SQL, correlated to Residency).

    An extension replaces the end from its `extended_on` day: on `day` the end is the new end of
    the latest extension made by then; before the first extension it is the end that extension
    replaced; with no extension at all it is the residency's own contract end.
    """
    residency_id, extended_on = col(ContractExtension.residency_id), col(ContractExtension.extended_on)
    made_by_then = (
        sa.select(col(ContractExtension.new_end))
        .where(residency_id == id_column(Residency), extended_on <= day)
        .order_by(extended_on.desc(), id_column(ContractExtension).desc())
        .limit(1)
        .scalar_subquery()
    )
    first = (
        sa.select(col(ContractExtension.previous_end))
        .where(residency_id == id_column(Residency))
        .order_by(extended_on, id_column(ContractExtension))
        .limit(1)
        .scalar_subquery()
    )
    any_extension = sa.exists().where(residency_id == id_column(Residency))
    return sa.case((made_by_then.is_not(None), made_by_then), (any_extension, first), else_=col(Residency.contract_end))


def renewing_on(day: date) -> sa.ColumnElement[bool]:
    """Whether each Residency row had a renewal in progress on `day` (SQL, correlated to Residency)."""
    return sa.exists().where(col(ContractRenewal.residency_id) == id_column(Residency), ContractRenewal.covers(day))


@dataclass(frozen=True)
class MoveIn:
    company_id: int
    facility_id: int
    move_in_on: date
    contract_end: date | None = None


def move_in_problems(book: Book, request: MoveIn) -> dict[str, str]:
    """What stops `request` (field → message), against the stays in `book`."""
    problems: dict[str, str] = {}
    if request.facility_id not in book.facilities:
        problems["facility"] = not_found_message(tr("시설"), request.facility_id)
    current = book.open_stay(request.company_id)
    name = book.company_name(request.company_id)
    if current is not None and current.facility_id != request.facility_id and current.facility_id in book.facilities:
        problems["move_in"] = tr(
            "'{name}'은(는) 이미 다른 시설 '{facility}'에 {date}부터 입주 중입니다. 먼저 그 시설에서 퇴거 처리하세요.",
            name=name,
            facility=book.facilities[current.facility_id].name,
            date=current.move_in,
        )
    elif current is not None:
        problems["move_in"] = tr(
            "'{name}'은(는) 이미 {date}부터 입주 중입니다. 다른 시설로 옮기려면 먼저 퇴거 처리하세요.",
            name=name,
            date=current.move_in,
        )
    else:
        last_end = book.last_exit(request.company_id)
        if last_end is not None and request.move_in_on < last_end:
            problems["move_in"] = tr(
                "입주일({date})이 지난 퇴거일({exit})보다 빠릅니다. {exit} 이후 날짜를 입력하세요.",
                date=request.move_in_on,
                exit=last_end,
            )
    if request.contract_end is not None and request.contract_end < request.move_in_on:
        problems["contract_end"] = tr(
            "계약 만료일({end})이 입주일({start})보다 빠릅니다. 날짜를 확인하세요.",
            end=request.contract_end,
            start=request.move_in_on,
        )
    return problems


@checked_input
def move_in_many(*, session: Session, requests: Sequence[MoveIn], import_batch_id: int | None = None) -> list[int]:
    """Start the stays of `requests` (one transaction; the first broken rule stops all); their ids."""
    _check_move_ins(session, requests)
    rows = [
        {
            "company_id": r.company_id,
            "facility_id": r.facility_id,
            "move_in": r.move_in_on,
            "contract_end": r.contract_end,
            "ended_on": None,
        }
        for r in requests
    ]
    with refusals_as_violations(session, check_again=lambda: _check_move_ins(session, requests)):
        ids = audit.insert_rows(session, Residency, rows, action="move_in", import_batch_id=import_batch_id)
    return ids


def _check_move_ins(session: Session, requests: Sequence[MoveIn]) -> None:
    """Each request checked under the locks, against the others and the database."""
    company_ids = [r.company_id for r in requests]
    lock_rows(session, Company, company_ids)
    book = load_book(session, company_ids=company_ids)
    for index, request in enumerate(requests):
        if request.company_id not in book.company_names:
            raise RuleViolation(not_found_message(tr("입주기업"), request.company_id), field="company", index=index)
        refuse_if_any(move_in_problems(book, request), index=index)
        book.claim_stay(
            Stay(None, request.company_id, request.facility_id, request.move_in_on, request.contract_end, None)
        )


@checked_input
def move_in(
    *,
    session: Session,
    company_id: int,
    facility_id: int,
    move_in_on: date,
    contract_end: date | None = None,
    import_batch_id: int | None = None,
) -> Residency:
    fetch(session, Company, company_id, what=tr("입주기업"))
    fetch(session, Facility, facility_id, what=tr("시설"))
    request = MoveIn(company_id=company_id, facility_id=facility_id, move_in_on=move_in_on, contract_end=contract_end)
    [residency_id] = move_in_many(session=session, requests=[request], import_batch_id=import_batch_id)
    return fetch(session, Residency, residency_id, what=tr("입주 계약"))


def _too_early(what: str, on: date, limit_what: str, limit: date) -> str:
    """The message for a date `on` (of `what`) before the `limit` it may not precede."""
    return tr(
        "{what}({date})이 {limit_what}({limit})보다 빠릅니다. {limit} 이후 날짜를 입력하세요.",
        what=what,
        date=on,
        limit_what=limit_what,
        limit=limit,
    )


def _after_today(what: str, on: date) -> str:
    """The message for a date `on` (of `what`) later than today."""
    return tr("{what}({date})이 오늘보다 늦습니다. 오늘이나 그 전 날짜를 입력하세요.", what=what, date=on)


def extension_problems(
    residency: Residency, renewal: ContractRenewal | None, *, new_end: date, on: date
) -> dict[str, str]:
    """What stops extending `residency` to `new_end` on `on` (field → message); `renewal`: its renewal in progress."""
    if residency.ended_on is not None:
        return {
            "contract_end": tr(
                "이미 퇴거한 입주 계약은 연장할 수 없습니다. 다시 입주했다면 새 입주 계약에서 연장하세요."
            )
        }
    problems: dict[str, str] = {}
    if on < residency.move_in:
        problems["extended_on"] = _too_early(tr("연장일"), on, tr("입주일"), residency.move_in)
    elif renewal is not None and on < renewal.started_on:
        problems["extended_on"] = _too_early(tr("연장일"), on, tr("진행 중인 재계약의 시작일"), renewal.started_on)
    floor = residency.contract_end or residency.move_in
    if new_end <= floor:
        problems["contract_end"] = tr(
            "새 계약 만료일({new})은 현재 만료일({old})보다 뒤여야 합니다.", new=new_end, old=floor
        )
    return problems


@checked_input
def extend_contract(
    *, session: Session, residency_id: int, new_end: date, on: date, note: str = "", seen_version: int | None = None
) -> Residency:
    residency = fetch_to_change(session, Residency, residency_id, what=tr("입주 계약"), seen_version=seen_version)
    renewal = renewal_in_progress(session, residency_id)
    refuse_if_any(extension_problems(residency, renewal, new_end=new_end, on=on))
    before = audit.snapshot(residency)
    session.add(
        ContractExtension(
            residency_id=stored_id(residency),
            extended_on=on,
            previous_end=residency.contract_end,
            new_end=new_end,
            note=note,
        )
    )
    residency.contract_end = new_end
    audit.record(session, action="extend", row=residency, before=before)
    if renewal is not None:
        # The extension is the renewal's outcome: it stops being "in progress" on the extension's day.
        _finish_renewal(session, renewal, on=on, action="renewal_done")
    return residency


def renewal_in_progress(session: Session, residency_id: int) -> ContractRenewal | None:
    """The renewal of the stay that has started and not finished (at most one)."""
    return session.exec(
        select(ContractRenewal).where(
            ContractRenewal.residency_id == residency_id, col(ContractRenewal.finished_on).is_(None)
        )
    ).first()


def renewal_problems(residency: Residency, current: ContractRenewal | None, *, on: date, today: date) -> dict[str, str]:
    """What stops a renewal of `residency` starting on `on` (field → message); `current`: its renewal in progress."""
    if residency.ended_on is not None:
        return {
            "residency": tr(
                "{date}에 퇴거한 입주 계약은 재계약을 시작할 수 없습니다. 다시 입주했다면 새 입주 계약에서 시작하세요.",
                date=residency.ended_on,
            )
        }
    if current is not None:
        return {
            "residency": tr(
                "이미 {date}부터 재계약이 진행 중입니다. 계약을 연장하거나 진행 중인 재계약을 중단하세요.",
                date=current.started_on,
            )
        }
    if on > today:
        return {"started_on": _after_today(tr("재계약 시작일"), on)}
    if on < residency.move_in:
        return {"started_on": _too_early(tr("재계약 시작일"), on, tr("입주일"), residency.move_in)}
    return {}


@checked_input
def start_renewal(*, session: Session, residency_id: int, on: date, note: str = "") -> ContractRenewal:
    """Mark the stay's contract as being renewed from `on`: it leaves the "contracts ending" watch from that day."""
    residency = fetch_to_change(session, Residency, residency_id, what=tr("입주 계약"), seen_version=None)
    refuse_if_any(renewal_problems(residency, renewal_in_progress(session, residency_id), on=on, today=today(session)))
    renewal = ContractRenewal(residency_id=residency_id, started_on=on, note=note.strip())
    audit.record(session, action="renewal_start", row=renewal)
    return renewal


def drop_problems(renewal: ContractRenewal, *, on: date, today: date) -> dict[str, str]:
    """What stops dropping `renewal` on `on` (field → message)."""
    if renewal.finished_on is not None:
        return {"renewal": tr("이 재계약은 {date}에 이미 끝났습니다. 목록을 새로 고치세요.", date=renewal.finished_on)}
    if on < renewal.started_on:
        return {"finished_on": _too_early(tr("중단일"), on, tr("재계약 시작일"), renewal.started_on)}
    if on > today:
        return {"finished_on": _after_today(tr("중단일"), on)}
    return {}


@checked_input
def drop_renewal(*, session: Session, renewal_id: int, on: date) -> ContractRenewal:
    """The renewal stopped without an extension on `on`: the contract is on the watch again from that day."""
    renewal = fetch_to_change(session, ContractRenewal, renewal_id, what=tr("재계약"), seen_version=None)
    refuse_if_any(drop_problems(renewal, on=on, today=today(session)))
    _finish_renewal(session, renewal, on=on, action="renewal_drop")
    return renewal


def _finish_renewal(session: Session, renewal: ContractRenewal, *, on: date, action: str) -> None:
    before = audit.snapshot(renewal)
    renewal.finished_on = on
    audit.record(session, action=action, row=renewal, before=before)
