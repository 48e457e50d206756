"""Small builders for tests: a facility with rooms, a resident company."""

from __future__ import annotations

from datetime import date
from itertools import count

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from camp_manager.db.models import Company, Facility, Room, RoomKind, SupportKind
from camp_manager.errors import DomainError
from camp_manager.services import allocations, companies, facilities, mentoring, requests, residency, support
from camp_manager.services.bizno import check_digit

_serial = count(1)


def valid_bizno(seed: int | None = None) -> str:
    head = f"{(seed if seed is not None else next(_serial)) % 10**9:09d}"
    return head + str(check_digit(head))


def facility_with_rooms(
    session: Session, *, name: str = "테스트캠프", offices: int = 4, zone_seats: int = 10, max_rooms: int = 1
) -> tuple[Facility, list[Room], Room]:
    facility = facilities.create_facility(session=session, name=name, max_rooms_per_company=max_rooms)
    rooms = facilities.create_floor_rooms(
        session=session, facility_id=facility.id, floor=3, first_number=301, last_number=300 + offices, seats=4
    )
    zone = facilities.create_room(
        session=session, facility_id=facility.id, floor=1, code="라운지", kind=RoomKind.SHARED_ZONE, seats=zone_seats
    )
    return facility, rooms, zone


def resident(
    session: Session, facility: Facility, *, name: str = "딥러닝랩스", move_in_on: date = date(2024, 1, 2)
) -> Company:
    company = companies.register_company(
        session=session, data=companies.CompanyInput(name=name, biz_reg_no=valid_bizno())
    )
    residency.move_in(session=session, company_id=company.id, facility_id=facility.id, move_in_on=move_in_on)
    return company


def database_rows(session: Session, *, without: tuple[str, ...] = ()) -> dict[str, list]:
    """Every row of every table, read with plain SQL after a flush: to prove nothing changed.

    `without` leaves columns out (e.g. "version", which an undo counts as one more save).
    """
    session.flush()
    connection = session.connection()
    return {
        table.name: connection.execute(
            sa.select(*(column for column in table.c if column.name not in without)).order_by(
                *table.primary_key.columns
            )
        ).all()
        for table in SQLModel.metadata.sorted_tables
    }


def refused(call, **kwargs) -> DomainError:
    """The DomainError a use case raises for these arguments (fails the test if none)."""
    with pytest.raises(DomainError) as raised:
        call(**kwargs)
    return raised.value


def one_of_every_record(session: Session) -> dict[str, int]:
    """A facility with offices and a zone, a resident holding one office, an open expansion request,
    a mentor with a planned session, a support request just asked, and a company waiting to move in:
    their ids, by kind."""
    facility, rooms, zone = facility_with_rooms(session, offices=4, max_rooms=2)
    company = resident(session, facility, move_in_on=date(2024, 1, 2))
    held = allocations.allocate_room(
        session=session, company_id=company.id, room_id=rooms[0].id, start_on=date(2024, 1, 2)
    )
    request = requests.file_request(
        session=session,
        company_id=company.id,
        facility_id=facility.id,
        kind="expansion",
        requested_on=date(2024, 2, 1),
    )
    mentor = mentoring.add_mentor(session=session, name="김멘토", field="technology")
    planned = mentoring.plan_session(
        session=session, mentor_id=mentor.id, company_id=company.id, held_on=date(2024, 5, 1)
    )
    asked = support.file_support_request(
        session=session,
        company_id=company.id,
        asked_on=date(2024, 3, 4),
        kind=SupportKind.CONSULTING.value,
        description="특허 출원 상담",
    )
    waiting = companies.register_company(
        session=session, data=companies.CompanyInput(name="대기기업", biz_reg_no=valid_bizno())
    )
    return {
        "facility": facility.id,
        "room": rooms[1].id,
        "spare": rooms[3].id,
        "zone": zone.id,
        "company": company.id,
        "allocation": held.id,
        "request": request.id,
        "mentor": mentor.id,
        "session": planned.id,
        "support": asked.id,
        "residency": residency.open_residency(session, company.id).id,
        "waiting": waiting.id,
    }
