"""Room allocations over time: allocate, expand, move, release.

An allocation is [start_on, end_on); history is never overwritten. A private office
holds one company at a time; a shared zone holds companies by seats up to its
capacity; a company may hold several rooms up to the facility's policy, beyond it
only with a recorded override reason.

Each rule is in `allocation_problems`, the one copy the dialogs, the import preview and
`allocate_rooms` (the batch every allocating use case goes through) all call.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from camp_manager.db.models import Allocation, Company, Room, RoomKind
from camp_manager.errors import DomainError, RuleViolation
from camp_manager.i18n import tr
from camp_manager.services import audit
from camp_manager.services.book import Book, Hold, load_book
from camp_manager.services.common import fetch, fetch_to_change, lock, lock_rows, not_found_message, refuse_if_any
from camp_manager.services.inputs import checked_input
from camp_manager.services.refusals import refusals_as_violations


@dataclass(frozen=True)
class RoomBooking:
    """A request to give `company_id` the room `room_id` over [start_on, end_on)."""

    company_id: int
    room_id: int
    start_on: date
    end_on: date | None = None
    seats: int | None = None  # seats wanted in a shared zone; a private office takes its own seats
    override_reason: str = ""


def peak_seats(holds: Sequence[Hold], start_on: date, end_on: date | None) -> int:
    """The most seats taken at once by `holds` within [start_on, end_on)."""
    points = {start_on} | {h.start_on for h in holds if h.start_on > start_on}
    if end_on is not None:
        points = {p for p in points if p < end_on}
    return max((sum(h.seats for h in holds if h.covers(p)) for p in points), default=0)


def over_room_policy(rooms_held: int, max_rooms_per_company: int) -> bool:
    """Whether one more room takes a company holding `rooms_held` beyond the facility's policy."""
    return rooms_held + 1 > max_rooms_per_company


def seats_taken(room_kind: str, room_seats: int, seats: int | None) -> int:
    """A private office takes all its seats; a shared zone the seats asked for."""
    return room_seats if room_kind == RoomKind.PRIVATE_OFFICE else (seats or 0)


def allocation_problems(book: Book, request: RoomBooking) -> dict[str, str]:
    """What stops `request` (field → message), against the stays and allocations in `book`."""
    room = book.rooms[request.room_id]
    start, end = request.start_on, request.end_on
    name = book.company_name(request.company_id)
    problems: dict[str, str] = {}
    if end is not None and end < start:
        problems["end_on"] = tr(
            "배정 종료일({end})이 시작일({start})보다 빠릅니다. 종료일을 {start} 이후로 하세요.", end=end, start=start
        )
    if room.kind == RoomKind.MEETING_ROOM:
        problems["room"] = tr(
            "회의실 {code}은(는) 기업에 배정할 수 없습니다. 사무실이나 공유 좌석존을 고르세요.", code=room.code
        )
        return problems
    if room.retired_on is not None and (end is None or end > room.retired_on):
        problems["room"] = tr(
            "호실 {code}은(는) {date}부터 사용하지 않는 호실입니다. 다른 호실을 고르거나 종료일을 {date} 이전으로 하세요.",
            code=room.code,
            date=room.retired_on,
        )
        return problems
    stay = book.stay_on(request.company_id, start)
    if stay is None or stay.facility_id != room.facility_id:
        problems["start_on"] = tr(
            "'{name}'은(는) {date}에 이 시설에 입주해 있지 않습니다. 먼저 입주 처리하거나 입주일 이후 날짜를 고르세요.",
            name=name,
            date=start,
        )
        return problems
    if stay.ended_on is not None and (end is None or end > stay.ended_on):
        problems["end_on"] = tr(
            "배정이 퇴거일({exit}) 이후까지 이어질 수 없습니다. 종료일을 {exit} 이전으로 하세요.", exit=stay.ended_on
        )
    others = book.holds_of_room(room.room_id, start, end)
    if room.kind == RoomKind.PRIVATE_OFFICE:
        if others:
            first = min(others, key=lambda h: h.start_on)
            problems["room"] = tr(
                "호실 {code}은(는) {date}에 '{holder}'이(가) 쓰고 있습니다. 비어 있는 호실을 고르거나 날짜를 바꾸세요.",
                code=room.code,
                date=max(start, first.start_on),
                holder=book.company_name(first.company_id),
            )
    elif (request.seats or 0) < 1:
        problems["seats"] = tr("공유 좌석존에는 좌석 수(1 이상)를 입력하세요.")
    else:
        used = peak_seats(others, start, end)
        if used + (request.seats or 0) > room.seats:
            problems["seats"] = tr(
                "공유 좌석존 {code}의 좌석이 모자랍니다: {total}석 중 {used}석 사용 중이라 {seats}석을 더 배정할 수 없습니다. 좌석 수를 줄이세요.",
                code=room.code,
                total=room.seats,
                used=used,
                seats=request.seats,
            )
    held = {h.room_id for h in book.holds_of_company(request.company_id, room.facility_id, start, end)}
    if room.room_id in held:
        problems.setdefault(
            "room",
            tr("'{name}'은(는) 이미 호실 {code}을(를) 쓰고 있습니다. 다른 호실을 고르세요.", name=name, code=room.code),
        )
    elif (
        over_room_policy(len(held), book.facilities[room.facility_id].max_rooms_per_company)
        and not request.override_reason.strip()
    ):
        problems["override_reason"] = tr(
            "기업당 호실은 {limit}개까지입니다('{name}'은(는) 이미 {count}개 사용). 예외로 배정하려면 사유를 입력하세요.",
            limit=book.facilities[room.facility_id].max_rooms_per_company,
            name=name,
            count=len(held),
        )
    return problems


@checked_input
def allocate_rooms(
    *, session: Session, requests: Sequence[RoomBooking], action: str = "allocate", import_batch_id: int | None = None
) -> list[int]:
    """Give each company of `requests` its room (one transaction; the first broken rule stops all); the new ids.

    Companies, then rooms, are locked in id order — the same order in every use case, so
    two PCs cannot deadlock — and every request is checked again under the locks.
    """
    rows = _checked_rows(session, requests)
    with refusals_as_violations(session, check_again=lambda: _checked_rows(session, requests)):
        ids = audit.insert_rows(session, Allocation, rows, action=action, import_batch_id=import_batch_id)
    return ids


def _checked_rows(session: Session, requests: Sequence[RoomBooking]) -> list[dict[str, object]]:
    """The rows `requests` insert, each checked under the locks against the others and the database."""
    lock_rows(session, Company, [r.company_id for r in requests])
    lock_rows(session, Room, [r.room_id for r in requests])
    book = load_book(session, company_ids=[r.company_id for r in requests], room_ids=[r.room_id for r in requests])
    rows = []
    for index, request in enumerate(requests):
        if request.company_id not in book.company_names:
            raise RuleViolation(not_found_message(tr("입주기업"), request.company_id), field="company", index=index)
        if request.room_id not in book.rooms:
            raise RuleViolation(not_found_message(tr("호실"), request.room_id), field="room", index=index)
        room = book.rooms[request.room_id]
        request = RoomBooking(**{**vars(request), "seats": seats_taken(room.kind, room.seats, request.seats)})  # noqa: PLW2901 (the seats it books)
        refuse_if_any(allocation_problems(book, request), index=index)
        book.claim_hold(
            Hold(None, request.company_id, request.room_id, request.start_on, request.end_on, request.seats or 0)
        )
        rows.append(
            {
                "company_id": request.company_id,
                "room_id": request.room_id,
                "room_kind": room.kind,
                "start_on": request.start_on,
                "end_on": request.end_on,
                "seats": request.seats or 0,
                "override_reason": request.override_reason.strip(),
            }
        )
    return rows


@checked_input
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
) -> Allocation:
    """Give a company a room from `start_on`; seats are needed for a shared zone."""
    fetch(session, Company, company_id, what=tr("입주기업"))
    fetch(session, Room, room_id, what=tr("호실"))
    request = RoomBooking(company_id, room_id, start_on, end_on, seats, override_reason)
    [allocation_id] = allocate_rooms(session=session, requests=[request], action=action)
    return fetch(session, Allocation, allocation_id, what=tr("호실 배정"))


def rooms_held(
    session: Session, *, company_id: int, facility_id: int, start_on: date, end_on: date | None
) -> list[Allocation]:
    """The company's allocations in the facility that overlap [start_on, end_on)."""
    return list(
        session.exec(
            select(Allocation)
            .join(Room, col(Room.id) == col(Allocation.room_id))
            .where(
                Allocation.company_id == company_id,
                Room.facility_id == facility_id,
                Allocation.overlaps(start_on, end_on),
            )
        )
    )


@checked_input
def expand_into_room(
    *,
    session: Session,
    company_id: int,
    room_id: int,
    start_on: date,
    seats: int | None = None,
    override_reason: str = "",
) -> Allocation:
    """An additional room for a company that already holds one (확장)."""
    room = fetch(session, Room, room_id, what=tr("호실"))
    if not rooms_held(session, company_id=company_id, facility_id=room.facility_id, start_on=start_on, end_on=None):
        raise DomainError(
            tr("확장은 이미 호실을 쓰고 있는 기업만 할 수 있습니다. 첫 호실은 '호실 배정'으로 하세요."), field="company"
        )
    return allocate_room(
        session=session,
        company_id=company_id,
        room_id=room_id,
        start_on=start_on,
        seats=seats,
        override_reason=override_reason,
        action="expand",
    )


def _open_allocation(session: Session, allocation_id: int, on: date, seen_version: int | None) -> Allocation:
    allocation = fetch_to_change(session, Allocation, allocation_id, what=tr("호실 배정"), seen_version=seen_version)
    if allocation.end_on is not None and allocation.end_on <= on:
        raise DomainError(
            tr(
                "이 배정은 {date}에 이미 끝났습니다. 목록을 새로 고친 뒤 진행 중인 배정을 고르세요.",
                date=allocation.end_on,
            ),
            field="allocation",
        )
    if on < allocation.start_on:
        raise DomainError(
            tr(
                "날짜({date})가 배정 시작일({start})보다 빠릅니다. {start} 이후 날짜를 입력하세요.",
                date=on,
                start=allocation.start_on,
            ),
            field="on",
        )
    return allocation


@checked_input
def release_room(*, session: Session, allocation_id: int, on: date, seen_version: int | None = None) -> Allocation:
    """End an allocation on `on` (the first day the room is free)."""
    allocation = _open_allocation(session, allocation_id, on, seen_version)
    before = audit.snapshot(allocation)
    allocation.end_on = on
    audit.record(session, action="release", row=allocation, before=before)
    return allocation


@checked_input
def move_to_room(
    *,
    session: Session,
    allocation_id: int,
    to_room_id: int,
    on: date,
    seats: int | None = None,
    override_reason: str = "",
    seen_version: int | None = None,
) -> Allocation:
    """End one allocation and start another on the same day, in one transaction.

    The new room is checked with the old one already given up on `on`; a refusal takes
    the release back with it.
    """
    held = fetch(session, Allocation, allocation_id, what=tr("호실 배정"))
    lock(session, fetch(session, Company, held.company_id, what=tr("입주기업")))  # company first, as everywhere
    if to_room_id == held.room_id:
        raise DomainError(tr("같은 호실로는 이동할 수 없습니다. 다른 호실을 고르세요."), field="room")
    fetch(session, Room, to_room_id, what=tr("호실"))
    planned_end = held.end_on
    with session.begin_nested():
        old = release_room(session=session, allocation_id=allocation_id, on=on, seen_version=seen_version)
        request = RoomBooking(
            old.company_id, to_room_id, on, planned_end, seats or old.seats, override_reason or old.override_reason
        )
        [moved_id] = allocate_rooms(session=session, requests=[request], action="move")
    return fetch(session, Allocation, moved_id, what=tr("호실 배정"))


def open_allocations(session: Session, company_id: int, on: date) -> list[Allocation]:
    """Allocations of the company that are running on `on` or start later."""
    return list(
        session.exec(
            select(Allocation)
            .where(col(Allocation.company_id) == company_id, Allocation.overlaps(on, None))
            .order_by(col(Allocation.start_on))
        )
    )


def open_allocations_on(session: Session, on: date, room_ids: list[int] | None = None) -> list[Allocation]:
    """Every allocation running on `on` (of the rooms `room_ids` only, when given)."""
    query = select(Allocation).where(Allocation.covers(on))
    if room_ids is not None:
        query = query.where(col(Allocation.room_id).in_(room_ids))
    return list(session.exec(query.order_by(col(Allocation.id))))
