"""A large made-up history for measuring speed: 10,000 companies over ten years.

The demo (`services.demo`) goes through the use cases one action at a time; at this size
that would take many minutes, so this writes the rows with SQLAlchemy Core in a few
bulk statements instead. It keeps the rules of the data all the same: a private office
holds one company at a time, an exit ends the stay and its room on the same day, every
stay has its room, its contract, its headcount and its mentoring, and only companies
that have no room are on the waitlist.
"""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.engine import Engine

from camp_manager.db.models import (
    Allocation,
    BusinessField,
    Company,
    Exit,
    ExitReason,
    Facility,
    HeadcountRecord,
    Mentor,
    MentorField,
    MentoringSession,
    RequestKind,
    RequestStatus,
    Residency,
    Room,
    RoomKind,
    RoomRequest,
    SessionMode,
    SessionStatus,
)
from camp_manager.services.bizno import check_digit
from camp_manager.services.demo import _GIVEN, _NAME_HEADS, _NAME_TAILS, _SURNAMES, _TOPICS

SEATS_PER_OFFICE = 4
STILL_HELD = date.max


@dataclass(frozen=True)
class ScaleFigures:
    companies: int
    facilities: int
    rooms: int
    stays: int
    residents_today: int
    rows: int


def _contract_end(move_in: date, today: date, ended: date | None) -> date:
    """Two-year contracts, renewed as long as the company stays."""
    end = move_in + timedelta(days=730 - 1)
    horizon = ended or today
    while end < horizon:
        end += timedelta(days=730)
    return end


def build_scale_database(
    engine: Engine,
    *,
    today: date,
    companies: int = 10_000,
    facilities: int = 8,
    floors: int = 5,
    rooms_per_floor: int = 50,
    first_year: int = 2016,
    seed: int = 7,
) -> ScaleFigures:
    """Fill an empty, migrated database; returns what was made."""
    rng = random.Random(seed)
    rows: dict[type, list[dict]] = {model: [] for model in (
        Facility, Room, Company, Residency, Allocation, Exit, HeadcountRecord, Mentor, MentoringSession, RoomRequest,
    )}
    free_rooms: dict[int, list[tuple[date, int]]] = {}
    room_id = 0
    for facility_id in range(1, facilities + 1):
        rows[Facility].append({"id": facility_id, "name": f"스케일캠프 {facility_id}", "address": "", "max_rooms_per_company": 1})
        free_rooms[facility_id] = []
        for floor in range(2, floors + 2):
            for number in range(1, rooms_per_floor + 1):
                room_id += 1
                rows[Room].append({
                    "id": room_id, "facility_id": facility_id, "floor": floor, "code": f"{floor}{number:02d}",
                    "kind": RoomKind.PRIVATE_OFFICE.value, "seats": SEATS_PER_OFFICE, "area_m2": 20.0,
                })
                free_rooms[facility_id].append((date(first_year, 1, 1), room_id))
        room_id += 1
        rows[Room].append({
            "id": room_id, "facility_id": facility_id, "floor": 1, "code": "1F-라운지", "kind": RoomKind.SHARED_ZONE.value,
            "seats": 30, "area_m2": 120.0,
        })
        heapq.heapify(free_rooms[facility_id])

    mentor_fields = list(MentorField)
    for mentor_id in range(1, 101):
        rows[Mentor].append({
            "id": mentor_id, "name": rng.choice(_SURNAMES) + rng.choice(_GIVEN) + rng.choice(_GIVEN),
            "field": mentor_fields[mentor_id % len(mentor_fields)].value, "affiliation": "", "contact": "", "active": True,
        })

    heads = rng.sample(range(100_000_000, 999_999_999), companies)
    fields = list(BusinessField)
    reasons = list(ExitReason)
    span = (today - date(first_year, 1, 1)).days
    arrivals = sorted((date(first_year, 1, 1) + timedelta(days=rng.randint(0, span)), company_id) for company_id in range(1, companies + 1))
    residents_today = 0
    for arrival, company_id in arrivals:
        head = str(heads[company_id - 1])
        rows[Company].append({
            "id": company_id, "name": f"{rng.choice(_NAME_HEADS)}{rng.choice(_NAME_TAILS)} {company_id:05d}",
            "biz_reg_no": head + str(check_digit(head)), "representative": rng.choice(_SURNAMES) + rng.choice(_GIVEN) + rng.choice(_GIVEN),
            "field": rng.choice(fields).value, "phone": "", "email": "", "investment_krw": 0, "notes": "",
        })
        facility_id = rng.randint(1, facilities)
        free_from, room = free_rooms[facility_id][0]
        if free_from > arrival:
            if arrival >= today - timedelta(days=120):  # recent and no room: on the waitlist
                rows[RoomRequest].append({
                    "company_id": company_id, "facility_id": facility_id, "kind": RequestKind.WAITLIST.value, "rooms_wanted": 1,
                    "seats_wanted": 0, "requested_on": arrival, "status": RequestStatus.OPEN.value, "decided_on": None, "note": "",
                })
            continue
        heapq.heappop(free_rooms[facility_id])
        leaves = arrival + timedelta(days=rng.randint(180, 1460))
        ended = leaves if leaves <= today else None
        heapq.heappush(free_rooms[facility_id], (ended or STILL_HELD, room))
        residency_id = len(rows[Residency]) + 1
        residents_today += ended is None
        rows[Residency].append({
            "id": residency_id, "company_id": company_id, "facility_id": facility_id, "move_in": arrival,
            "contract_end": _contract_end(arrival, today, ended), "ended_on": ended,
        })
        rows[Allocation].append({
            "company_id": company_id, "room_id": room, "room_kind": RoomKind.PRIVATE_OFFICE.value, "start_on": arrival, "end_on": ended,
            "seats": SEATS_PER_OFFICE,
            "override_reason": "",
        })
        if rng.random() < 0.3:
            rows[RoomRequest].append({
                "company_id": company_id, "facility_id": facility_id, "kind": RequestKind.WAITLIST.value, "rooms_wanted": 1,
                "seats_wanted": 0, "requested_on": arrival - timedelta(days=rng.randint(10, 90)),
                "status": RequestStatus.APPROVED.value, "decided_on": arrival, "note": "",
            })
        last_day = (ended or today) - timedelta(days=1)
        employees = rng.randint(1, 5)
        counted = {arrival}
        rows[HeadcountRecord].append({"company_id": company_id, "as_of": arrival, "employees": employees})
        for year in range(arrival.year + 1, last_day.year + 1):
            if date(year, 1, 2) not in counted:
                employees = max(1, employees + rng.choice((-1, 0, 0, 1, 1, 2)))
                rows[HeadcountRecord].append({"company_id": company_id, "as_of": date(year, 1, 2), "employees": employees})
        held_on = arrival + timedelta(days=rng.randint(20, 90))
        while held_on <= last_day:
            rows[MentoringSession].append({
                "mentor_id": rng.randint(1, 100), "company_id": company_id, "held_on": held_on, "minutes": rng.choice((60, 90, 120)),
                "topic": rng.choice(_TOPICS), "mode": SessionMode.IN_PERSON.value, "status": SessionStatus.HELD.value, "notes": "",
            })
            held_on += timedelta(days=rng.randint(60, 150))
        if ended is not None:
            rows[Exit].append({
                "company_id": company_id, "residency_id": residency_id, "exit_on": ended, "reason": rng.choice(reasons).value,
                "destination": "", "notes": "",
            })
    with engine.begin() as connection:
        for model, values in rows.items():
            if values:
                connection.execute(model.__table__.insert(), values)
    return ScaleFigures(
        companies=companies, facilities=facilities, rooms=len(rows[Room]), stays=len(rows[Residency]),
        residents_today=residents_today, rows=sum(len(values) for values in rows.values()),
    )
