"""Room allocations over time: allocate, expand, move, release.

An allocation is [start_on, end_on); history is never overwritten. A private office
holds one company at a time; a shared zone holds companies by seats up to its
capacity; a company may hold several rooms up to the facility's policy, beyond it
only with a recorded override reason.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from camp_manager.db.models import Allocation, Company, Facility, Room, RoomKind
from camp_manager.errors import DomainError
from camp_manager.i18n import tr
from camp_manager.services import audit
from camp_manager.services.common import fetch, lock
from camp_manager.services.residency import residency_on


def _overlapping(session: Session, *, start_on: date, end_on: date | None, **where: int) -> list[Allocation]:
    query = select(Allocation)
    for column, value in where.items():
        query = query.where(getattr(Allocation, column) == value)
    if end_on is not None:
        query = query.where(Allocation.start_on < end_on)
    query = query.where((Allocation.end_on.is_(None)) | (Allocation.end_on > start_on))
    # An empty range [d, d) overlaps nothing.
    return [a for a in session.exec(query) if a.end_on != a.start_on]


def peak_seats(allocations: list[Allocation], start_on: date, end_on: date | None) -> int:
    """The most seats taken at once by `allocations` within [start_on, end_on)."""
    points = {start_on} | {a.start_on for a in allocations if a.start_on > start_on}
    if end_on is not None:
        points = {p for p in points if p < end_on}
    return max(
        (sum(a.seats for a in allocations if a.start_on <= p and (a.end_on is None or a.end_on > p)) for p in points),
        default=0,
    )


def rooms_held(session: Session, *, company_id: int, facility_id: int, start_on: date, end_on: date | None, ignore: int | None = None) -> list[Allocation]:
    """The company's allocations in the facility that overlap [start_on, end_on)."""
    allocations = _overlapping(session, start_on=start_on, end_on=end_on, company_id=company_id)
    room_ids = {a.room_id for a in allocations}
    in_facility = set(session.exec(select(Room.id).where(Room.id.in_(room_ids), Room.facility_id == facility_id))) if room_ids else set()
    return [a for a in allocations if a.room_id in in_facility and a.id != ignore]


def _check_allocation(
    session: Session,
    *,
    company: Company,
    room: Room,
    start_on: date,
    end_on: date | None,
    seats: int,
    override_reason: str,
    replacing: int | None = None,
) -> None:
    # Company first, then room, in every use case, so two PCs cannot deadlock.
    lock(session, company)
    lock(session, room)
    if end_on is not None and end_on < start_on:
        raise DomainError(tr("배정 종료일({end})이 시작일({start})보다 빠릅니다. 종료일을 {start} 이후로 하세요.", end=end_on, start=start_on), field="end_on")
    if room.kind == RoomKind.MEETING_ROOM:
        raise DomainError(tr("회의실 {code}은(는) 기업에 배정할 수 없습니다. 사무실이나 공유 좌석존을 고르세요.", code=room.code), field="room")
    if room.retired_on is not None and (end_on is None or end_on > room.retired_on):
        raise DomainError(
            tr("호실 {code}은(는) {date}부터 사용하지 않는 호실입니다. 다른 호실을 고르거나 종료일을 {date} 이전으로 하세요.", code=room.code, date=room.retired_on),
            field="room",
        )
    stay = residency_on(session, company.id, start_on)
    if stay is None or stay.facility_id != room.facility_id:
        raise DomainError(
            tr("'{name}'은(는) {date}에 이 시설에 입주해 있지 않습니다. 먼저 입주 처리하거나 입주일 이후 날짜를 고르세요.", name=company.name, date=start_on),
            field="start_on",
        )
    if stay.ended_on is not None and (end_on is None or end_on > stay.ended_on):
        raise DomainError(
            tr("배정이 퇴거일({exit}) 이후까지 이어질 수 없습니다. 종료일을 {exit} 이전으로 하세요.", exit=stay.ended_on),
            field="end_on",
        )
    others = [a for a in _overlapping(session, start_on=start_on, end_on=end_on, room_id=room.id) if a.id != replacing]
    if room.kind == RoomKind.PRIVATE_OFFICE:
        if others:
            holder = session.get(Company, others[0].company_id)
            raise DomainError(
                tr("호실 {code}은(는) {date}에 '{holder}'이(가) 쓰고 있습니다. 비어 있는 호실을 고르거나 날짜를 바꾸세요.", code=room.code, date=max(start_on, others[0].start_on), holder=holder.name if holder else "?"),
                field="room",
            )
    else:
        if seats < 1:
            raise DomainError(tr("공유 좌석존에는 좌석 수(1 이상)를 입력하세요."), field="seats")
        used = peak_seats(others, start_on, end_on)
        if used + seats > room.seats:
            raise DomainError(
                tr("공유 좌석존 {code}의 좌석이 모자랍니다: {total}석 중 {used}석 사용 중이라 {seats}석을 더 배정할 수 없습니다. 좌석 수를 줄이세요.", code=room.code, total=room.seats, used=used, seats=seats),
                field="seats",
            )
    facility = session.get(Facility, room.facility_id)
    held = rooms_held(session, company_id=company.id, facility_id=room.facility_id, start_on=start_on, end_on=end_on, ignore=replacing)
    if any(a.room_id == room.id for a in held):
        raise DomainError(tr("'{name}'은(는) 이미 호실 {code}을(를) 쓰고 있습니다. 다른 호실을 고르세요.", name=company.name, code=room.code), field="room")
    if len({a.room_id for a in held}) + 1 > facility.max_rooms_per_company and not override_reason.strip():
        raise DomainError(
            tr("기업당 호실은 {limit}개까지입니다('{name}'은(는) 이미 {count}개 사용). 예외로 배정하려면 사유를 입력하세요.", limit=facility.max_rooms_per_company, name=company.name, count=len({a.room_id for a in held})),
            field="override_reason",
        )


def allocate_room(
    *,
    session: Session,
    company_id: int,
    room_id: int,
    start_on: date,
    end_on: date | None = None,
    seats: int | None = None,
    override_reason: str = "",
    action: str = "allocate",
    import_batch_id: int | None = None,
) -> Allocation:
    """Give a company a room from `start_on`; seats are needed for a shared zone."""
    company = fetch(session, Company, company_id, what=tr("입주기업"))
    room = fetch(session, Room, room_id, what=tr("호실"))
    taken = room.seats if room.kind == RoomKind.PRIVATE_OFFICE else (seats or 0)
    _check_allocation(session, company=company, room=room, start_on=start_on, end_on=end_on, seats=taken, override_reason=override_reason)
    allocation = Allocation(
        company_id=company_id, room_id=room_id, start_on=start_on, end_on=end_on, seats=taken,
        override_reason=override_reason.strip(),
    )
    audit.record(session, action=action, row=allocation, import_batch_id=import_batch_id)
    return allocation


def expand_into_room(
    *, session: Session, company_id: int, room_id: int, start_on: date, seats: int | None = None, override_reason: str = ""
) -> Allocation:
    """An additional room for a company that already holds one (확장)."""
    room = fetch(session, Room, room_id, what=tr("호실"))
    if not rooms_held(session, company_id=company_id, facility_id=room.facility_id, start_on=start_on, end_on=None):
        raise DomainError(tr("확장은 이미 호실을 쓰고 있는 기업만 할 수 있습니다. 첫 호실은 '호실 배정'으로 하세요."), field="company")
    return allocate_room(
        session=session, company_id=company_id, room_id=room_id, start_on=start_on, seats=seats,
        override_reason=override_reason, action="expand",
    )


def _open_allocation(session: Session, allocation_id: int, on: date) -> Allocation:
    allocation = fetch(session, Allocation, allocation_id, what=tr("호실 배정"))
    lock(session, allocation)
    if allocation.end_on is not None and allocation.end_on <= on:
        raise DomainError(tr("이 배정은 {date}에 이미 끝났습니다. 목록을 새로 고친 뒤 진행 중인 배정을 고르세요.", date=allocation.end_on), field="allocation")
    if on < allocation.start_on:
        raise DomainError(
            tr("날짜({date})가 배정 시작일({start})보다 빠릅니다. {start} 이후 날짜를 입력하세요.", date=on, start=allocation.start_on),
            field="on",
        )
    return allocation


def release_room(*, session: Session, allocation_id: int, on: date) -> Allocation:
    """End an allocation on `on` (the first day the room is free)."""
    allocation = _open_allocation(session, allocation_id, on)
    before = audit.snapshot(allocation)
    allocation.end_on = on
    audit.record(session, action="release", row=allocation, before=before)
    return allocation


def move_to_room(
    *, session: Session, allocation_id: int, to_room_id: int, on: date, seats: int | None = None, override_reason: str = ""
) -> Allocation:
    """End one allocation and start another on the same day, in one transaction."""
    held = fetch(session, Allocation, allocation_id, what=tr("호실 배정"))
    company = fetch(session, Company, held.company_id, what=tr("입주기업"))
    lock(session, company)  # company first, then the allocation: the same order in every use case
    old = _open_allocation(session, allocation_id, on)
    room = fetch(session, Room, to_room_id, what=tr("호실"))
    if room.id == old.room_id:
        raise DomainError(tr("같은 호실로는 이동할 수 없습니다. 다른 호실을 고르세요."), field="room")
    taken = room.seats if room.kind == RoomKind.PRIVATE_OFFICE else (seats or old.seats)
    new_end = old.end_on
    _check_allocation(
        session, company=company, room=room, start_on=on, end_on=new_end, seats=taken,
        override_reason=override_reason or old.override_reason, replacing=old.id,
    )
    release_room(session=session, allocation_id=old.id, on=on)
    moved = Allocation(
        company_id=company.id, room_id=room.id, start_on=on, end_on=new_end, seats=taken,
        override_reason=(override_reason or old.override_reason).strip(),
    )
    audit.record(session, action="move", row=moved)
    return moved


def open_allocations(session: Session, company_id: int, on: date) -> list[Allocation]:
    """Allocations of the company that are running on `on` or start later."""
    return list(
        session.exec(
            select(Allocation).where(
                Allocation.company_id == company_id,
                (Allocation.end_on.is_(None)) | (Allocation.end_on > on),
            ).order_by(Allocation.start_on)
        )
    )


def open_allocations_on(session: Session, on: date, room_ids: list[int] | None = None) -> list[Allocation]:
    """Every allocation running on `on` (of the rooms `room_ids` only, when given)."""
    query = select(Allocation).where(Allocation.start_on <= on, (Allocation.end_on.is_(None)) | (Allocation.end_on > on))
    if room_ids is not None:
        query = query.where(Allocation.room_id.in_(room_ids))
    return list(session.exec(query.order_by(Allocation.id)))
