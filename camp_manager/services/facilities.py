"""Facilities and their rooms: create, bulk-create a floor, set the room policy, retire."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from camp_manager.db.models import Allocation, Facility, Room, RoomKind
from camp_manager.errors import DomainError
from camp_manager.i18n import tr
from camp_manager.services import audit
from camp_manager.services.common import fetch, fetch_to_change, refuse_if_any, require_text
from camp_manager.services.inputs import checked_input


@checked_input
def create_facility(
    *,
    session: Session,
    name: str,
    address: str = "",
    max_rooms_per_company: int = 1,
    import_batch_id: int | None = None,
) -> Facility:
    name = require_text(name, field="name", what=tr("시설 이름"))
    if session.exec(select(Facility).where(Facility.name == name)).first() is not None:
        raise DomainError(tr("시설 '{name}'이(가) 이미 있습니다. 다른 이름을 쓰세요.", name=name), field="name")
    _check_policy(max_rooms_per_company)
    facility = Facility(name=name, address=address.strip(), max_rooms_per_company=max_rooms_per_company)
    audit.record(session, action="create", row=facility, import_batch_id=import_batch_id)
    return facility


def _check_policy(max_rooms_per_company: int) -> None:
    if max_rooms_per_company < 1:
        raise DomainError(tr("기업당 최대 호실 수는 1 이상이어야 합니다."), field="max_rooms_per_company")


@checked_input
def set_room_policy(
    *, session: Session, facility_id: int, max_rooms_per_company: int, seen_version: int | None = None
) -> Facility:
    facility = fetch_to_change(session, Facility, facility_id, what=tr("시설"), seen_version=seen_version)
    _check_policy(max_rooms_per_company)
    before = audit.snapshot(facility)
    facility.max_rooms_per_company = max_rooms_per_company
    audit.record(session, action="update", row=facility, before=before)
    return facility


def facility_by_name(session: Session, name: str) -> Facility:
    facility = session.exec(select(Facility).where(Facility.name == name.strip())).first()
    if facility is None:
        names = ", ".join(session.exec(select(Facility.name).order_by(Facility.name)).all()) or "-"
        raise DomainError(
            tr("시설 '{name}'이(가) 없습니다. 다음 중에서 고르세요: {names}", name=name, names=names), field="facility"
        )
    return facility


def normalize_room_code(code: str) -> str:
    """`305`, `305호`, ` 305 호` are one room; codes are compared in this form."""
    text = "".join((code or "").split())
    if text.endswith("호") and len(text) > 1:
        text = text[:-1]
    return text.upper()


def room_problems(*, kind: str, seats: int, area_m2: float) -> dict[str, str]:
    """What is wrong with a room's kind and size (field → message)."""
    if kind not in set(RoomKind):
        return {"kind": tr("호실 유형 '{value}'는 목록에 없습니다. 목록에서 고르세요.", value=kind)}
    if seats < 0 or area_m2 < 0:
        return {"seats": tr("좌석 수와 면적은 0 이상이어야 합니다.")}
    if kind == RoomKind.SHARED_ZONE and seats < 1:
        return {"seats": tr("공유 좌석존은 좌석 수가 1 이상이어야 합니다.")}
    return {}


@checked_input
def create_room(
    *,
    session: Session,
    facility_id: int,
    floor: int,
    code: str,
    kind: str = RoomKind.PRIVATE_OFFICE.value,
    seats: int = 0,
    area_m2: float = 0.0,
    import_batch_id: int | None = None,
) -> Room:
    fetch(session, Facility, facility_id, what=tr("시설"))
    code = normalize_room_code(require_text(code, field="code", what=tr("호실 번호")))
    refuse_if_any(room_problems(kind=kind, seats=seats, area_m2=area_m2))
    clash = session.exec(select(Room).where(Room.facility_id == facility_id, Room.code == code)).first()
    if clash is not None:
        raise DomainError(tr("호실 {code}이(가) 이 시설에 이미 있습니다. 다른 번호를 쓰세요.", code=code), field="code")
    room = Room(facility_id=facility_id, floor=floor, code=code, kind=kind, seats=seats, area_m2=area_m2)
    audit.record(session, action="create", row=room, import_batch_id=import_batch_id)
    return room


@checked_input
def create_floor_rooms(
    *,
    session: Session,
    facility_id: int,
    floor: int,
    first_number: int,
    last_number: int,
    kind: str = RoomKind.PRIVATE_OFFICE.value,
    seats: int = 4,
    area_m2: float = 20.0,
) -> list[Room]:
    """Rooms `first_number`..`last_number` on one floor in one step (e.g. 301–320)."""
    if last_number < first_number:
        raise DomainError(tr("끝 번호가 시작 번호보다 작습니다. 예: 301부터 320까지."), field="last_number")
    if last_number - first_number >= 200:
        raise DomainError(
            tr("한 번에 만들 수 있는 호실은 200개까지입니다. 범위를 나누어 만드세요."), field="last_number"
        )
    return [
        create_room(
            session=session,
            facility_id=facility_id,
            floor=floor,
            code=str(number),
            kind=kind,
            seats=seats,
            area_m2=area_m2,
        )
        for number in range(first_number, last_number + 1)
    ]


@checked_input
def deactivate_room(*, session: Session, room_id: int, on: date, seen_version: int | None = None) -> Room:
    """Stop counting a room from `on`; a room still held on or after that day cannot go."""
    room = fetch_to_change(session, Room, room_id, what=tr("호실"), seen_version=seen_version)
    if room.retired_on is not None:
        # Moving the day would silently change past occupancy figures.
        raise DomainError(
            tr("호실 {code}은(는) 이미 {date}부터 사용하지 않는 호실입니다.", code=room.code, date=room.retired_on),
            field="room",
        )
    held = session.exec(select(Allocation).where(Allocation.room_id == room_id, Allocation.overlaps(on, None))).first()
    if held is not None:
        raise DomainError(
            tr("호실 {code}은(는) {date} 이후에도 배정되어 있습니다. 먼저 배정을 해제하세요.", code=room.code, date=on),
            field="room",
        )
    before = audit.snapshot(room)
    room.retired_on = on
    audit.record(session, action="deactivate", row=room, before=before)
    return room
