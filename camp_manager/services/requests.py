"""Room requests: the move-in waitlist and expansion requests (확장 신청 / 입주 대기)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from camp_manager.db.models import Allocation, Company, Facility, RequestKind, RequestStatus, RoomRequest
from camp_manager.errors import DomainError
from camp_manager.i18n import tr
from camp_manager.services import audit
from camp_manager.services.allocations import allocate_room
from camp_manager.services.common import fetch, fetch_to_change, lock
from camp_manager.services.inputs import checked_input
from camp_manager.services.residency import open_residency, residency_on


@checked_input
def file_request(
    *,
    session: Session,
    company_id: int,
    facility_id: int,
    kind: str,
    requested_on: date,
    rooms_wanted: int = 1,
    seats_wanted: int = 0,
    note: str = "",
) -> RoomRequest:
    company = fetch(session, Company, company_id, what=tr("입주기업"))
    fetch(session, Facility, facility_id, what=tr("시설"))
    if kind not in set(RequestKind):
        raise DomainError(
            tr("신청 유형 '{value}'는 목록에 없습니다. 입주 대기나 확장 신청 중에서 고르세요.", value=kind),
            field="kind",
        )
    if rooms_wanted < 0 or seats_wanted < 0 or (rooms_wanted == 0 and seats_wanted == 0):
        raise DomainError(tr("필요한 호실 수나 좌석 수를 1 이상 입력하세요."), field="rooms_wanted")
    if kind == RequestKind.EXPANSION:
        stay = residency_on(session, company_id, requested_on)
        if stay is None or stay.facility_id != facility_id:
            raise DomainError(
                tr(
                    "'{name}'은(는) {date}에 이 시설에 입주해 있지 않아 확장 신청을 할 수 없습니다. 입주 기간 안의 신청일을 입력하거나 입주 대기로 신청하세요.",
                    name=company.name,
                    date=requested_on,
                ),
                field="requested_on",
            )
    if kind == RequestKind.WAITLIST and open_residency(session, company_id) is not None:
        raise DomainError(
            tr("'{name}'은(는) 이미 입주 중입니다. 공간이 더 필요하면 확장 신청을 하세요.", name=company.name),
            field="kind",
        )
    request = RoomRequest(
        company_id=company_id,
        facility_id=facility_id,
        kind=kind,
        requested_on=requested_on,
        rooms_wanted=rooms_wanted,
        seats_wanted=seats_wanted,
        note=note,
    )
    audit.record(session, action="create", row=request)
    return request


def _open_request(session: Session, request_id: int, on: date, seen_version: int | None) -> RoomRequest:
    """The request, if it can still be decided on `on`."""
    request = fetch_to_change(session, RoomRequest, request_id, what=tr("공간 신청"), seen_version=seen_version)
    if request.status != RequestStatus.OPEN:
        raise DomainError(tr("이 신청은 이미 처리되었습니다. 목록을 새로 고치세요."), field="status")
    if on < request.requested_on:
        raise DomainError(
            tr(
                "처리일({date})이 신청일({requested})보다 빠릅니다. {requested} 이후 날짜를 입력하세요.",
                date=on,
                requested=request.requested_on,
            ),
            field="decided_on",
        )
    return request


def _decide(
    session: Session, request_id: int, *, status: RequestStatus, on: date, note: str, seen_version: int | None
) -> RoomRequest:
    request = _open_request(session, request_id, on, seen_version)
    before = audit.snapshot(request)
    request.status = status.value
    request.decided_on = on
    if note:
        request.note = f"{request.note}\n{note}".strip()
    audit.record(session, action=status.value, row=request, before=before)
    return request


@checked_input
def approve_request(
    *,
    session: Session,
    request_id: int,
    room_id: int,
    on: date,
    seats: int | None = None,
    override_reason: str = "",
    seen_version: int | None = None,
) -> Allocation:
    """Approve by allocating a room. A waitlisted company must have moved in first."""
    request = fetch(session, RoomRequest, request_id, what=tr("공간 신청"))
    # The company is locked before the request, as an exit does, so two PCs cannot deadlock.
    lock(session, fetch(session, Company, request.company_id, what=tr("입주기업")))
    # Checked before the room is allocated, so a decided request leaves no allocation behind.
    seen = _open_request(session, request_id, on, seen_version).version
    allocation = allocate_room(
        session=session,
        company_id=request.company_id,
        room_id=room_id,
        start_on=on,
        seats=seats,
        override_reason=override_reason,
        action="expand" if request.kind == RequestKind.EXPANSION else "allocate",
    )
    _decide(session, request_id, status=RequestStatus.APPROVED, on=on, note="", seen_version=seen)
    return allocation


@checked_input
def decline_request(
    *, session: Session, request_id: int, on: date, note: str = "", seen_version: int | None = None
) -> RoomRequest:
    return _decide(session, request_id, status=RequestStatus.DECLINED, on=on, note=note, seen_version=seen_version)


@checked_input
def withdraw_request(
    *, session: Session, request_id: int, on: date, note: str = "", seen_version: int | None = None
) -> RoomRequest:
    return _decide(session, request_id, status=RequestStatus.WITHDRAWN, on=on, note=note, seen_version=seen_version)
