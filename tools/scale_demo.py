"""A large made-up history for measuring speed: by default 10,000 companies over ten years,
2,000 private offices, about 50,000 allocations and 100,000 mentoring sessions.

The demo (`services.demo`) goes through the use cases one action at a time; at this size
that would take many minutes, so this simulates the history day by day in memory and
writes the rows with one executemany per table instead (no audit rows: nobody typed them).
The simulation keeps the rules of the data all the same, so the invariant checks pass on
its output:

- a private office holds one company at a time: a room goes back to the free pool only
  on the day its holder moves out of it, and is taken from the pool only when free;
- a shared zone's seats stay within its capacity: seats are taken only while enough are free;
- every allocation lies within its residency, and nothing is dated after an exit
  (headcounts, mentoring, moves, seats all end by the last day of the stay);
- only companies that never got a room are on the open waitlist.

The same seed and `today` give the same database.
"""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import IntEnum

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
from camp_manager.services.demo import (
    _GIVEN,
    _NAME_HEADS,
    _NAME_TAILS,
    _SURNAMES,
    _TOPICS,
)

# The generated history's last day: fixed, so the same seed makes the same database on any day.
SCALE_TODAY = date(2026, 11, 30)
SEATS_PER_OFFICE = 4
LOUNGE_SEATS = 30
MENTORS = 100


@dataclass(frozen=True)
class ScaleFigures:
    companies: int
    facilities: int
    rooms: int
    stays: int
    allocations: int
    sessions: int
    residents_today: int
    rows: int


class _Event(IntEnum):
    """What happens to a company on a day; on the same day, rooms and seats are given back first."""

    SEATS_END = 0
    LEAVE = 1
    MOVE = 2
    SEATS_START = 3
    ARRIVE = 4


@dataclass
class _Stay:
    """A company in residence during the simulation: the office it holds since when."""

    company_id: int
    facility_id: int
    residency_id: int
    room: int
    since: date
    lounge_seats: int = 0
    lounge_since: date | None = None


@dataclass
class _Facility:
    lounge: int
    free_offices: list[int] = field(default_factory=list)  # a heap: the lowest room id first, for a stable result
    lounge_free: int = LOUNGE_SEATS


def _contract_end(move_in: date, today: date, ended: date | None) -> date:
    """Two-year contracts, renewed as long as the company stays."""
    end = move_in + timedelta(days=730 - 1)
    horizon = ended or today
    while end < horizon:
        end += timedelta(days=730)
    return end


class _Simulation:
    """The camp's history day by day: arrivals, moves, seats in the lounge, exits, as events in date order."""

    def __init__(self, *, today: date, companies: int, first_year: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.rows: dict[type, list[dict]] = {
            model: []
            for model in (
                Facility,
                Room,
                Company,
                Residency,
                Allocation,
                Exit,
                HeadcountRecord,
                Mentor,
                MentoringSession,
                RoomRequest,
            )
        }
        self.places: dict[int, _Facility] = {}
        self.stays: dict[int, _Stay] = {}
        self.events: list[tuple[date, int, int, int]] = []  # (day, event, tie-break, company id): a heap
        self.companies = companies
        self.first_day = date(first_year, 1, 1)

    def build_rooms(self, *, facilities: int, floors: int, rooms_per_floor: int) -> None:
        room_id = 0
        for facility_id in range(1, facilities + 1):
            self.rows[Facility].append(
                {"id": facility_id, "name": f"스케일캠프 {facility_id}", "address": "", "max_rooms_per_company": 2}
            )
            offices = []
            for floor in range(2, floors + 2):
                for number in range(1, rooms_per_floor + 1):
                    room_id += 1
                    offices.append(room_id)
                    self.rows[Room].append(
                        {
                            "id": room_id,
                            "facility_id": facility_id,
                            "floor": floor,
                            "code": f"{floor}{number:02d}",
                            "kind": RoomKind.PRIVATE_OFFICE.value,
                            "seats": SEATS_PER_OFFICE,
                            "area_m2": 20.0,
                        }
                    )
            room_id += 1
            self.rows[Room].append(
                {
                    "id": room_id,
                    "facility_id": facility_id,
                    "floor": 1,
                    "code": "1F-라운지",
                    "kind": RoomKind.SHARED_ZONE.value,
                    "seats": LOUNGE_SEATS,
                    "area_m2": 120.0,
                }
            )
            self.places[facility_id] = _Facility(lounge=room_id, free_offices=offices)  # ascending: already a heap
        mentor_fields = list(MentorField)
        for mentor_id in range(1, MENTORS + 1):
            self.rows[Mentor].append(
                {
                    "id": mentor_id,
                    "name": self.person(),
                    "field": mentor_fields[mentor_id % len(mentor_fields)].value,
                    "affiliation": "",
                    "contact": "",
                    "active": True,
                }
            )

    def person(self) -> str:
        return self.rng.choice(_SURNAMES) + self.rng.choice(_GIVEN) + self.rng.choice(_GIVEN)

    def schedule(self, day: date, event: _Event, company_id: int) -> None:
        heapq.heappush(self.events, (day, event, len(self.events) + self.companies, company_id))

    def allocate(self, stay: _Stay, room: int, start_on: date, end_on: date | None, seats: int) -> None:
        kind = RoomKind.SHARED_ZONE if room == self.places[stay.facility_id].lounge else RoomKind.PRIVATE_OFFICE
        self.rows[Allocation].append(
            {
                "company_id": stay.company_id,
                "room_id": room,
                "room_kind": kind.value,
                "start_on": start_on,
                "end_on": end_on,
                "seats": seats,
                "override_reason": "",
            }
        )

    def run(self) -> None:
        heads = self.rng.sample(range(100_000_000, 999_999_999), self.companies)
        span = (self.today - self.first_day).days
        for company_id in range(1, self.companies + 1):
            arrival = self.first_day + timedelta(days=self.rng.randint(0, span - 1))
            heapq.heappush(self.events, (arrival, _Event.ARRIVE, company_id, company_id))
            self.rows[Company].append(
                {
                    "id": company_id,
                    "name": f"{self.rng.choice(_NAME_HEADS)}{self.rng.choice(_NAME_TAILS)} {company_id:05d}",
                    "biz_reg_no": str(heads[company_id - 1]) + str(check_digit(str(heads[company_id - 1]))),
                    "representative": self.person(),
                    "field": self.rng.choice(list(BusinessField)).value,
                    "phone": "",
                    "email": "",
                    "investment_krw": 0,
                    "notes": "",
                }
            )
        while self.events:
            day, event, _, company_id = heapq.heappop(self.events)
            if event == _Event.ARRIVE:
                self.arrive(day, company_id)
            else:
                self.happen(day, _Event(event), self.stays[company_id])
        for stay in self.stays.values():  # still there today: open allocations
            self.allocate(stay, stay.room, stay.since, None, SEATS_PER_OFFICE)
            if stay.lounge_since is not None:
                self.allocate(stay, self.places[stay.facility_id].lounge, stay.lounge_since, None, stay.lounge_seats)

    def happen(self, day: date, event: _Event, stay: _Stay) -> None:
        place = self.places[stay.facility_id]
        if event == _Event.MOVE:
            if place.free_offices:  # no office free: the company stays where it is
                self.allocate(stay, stay.room, stay.since, day, SEATS_PER_OFFICE)
                new_room = heapq.heappop(place.free_offices)
                heapq.heappush(place.free_offices, stay.room)
                stay.room, stay.since = new_room, day
        elif event == _Event.SEATS_START:
            wanted = self.rng.randint(2, 6)
            if place.lounge_free >= wanted:
                place.lounge_free -= wanted
                stay.lounge_seats, stay.lounge_since = wanted, day
        elif event == _Event.SEATS_END:
            if stay.lounge_since is not None:
                self.allocate(stay, place.lounge, stay.lounge_since, day, stay.lounge_seats)
                place.lounge_free += stay.lounge_seats
                stay.lounge_seats, stay.lounge_since = 0, None
        elif event == _Event.LEAVE:
            self.allocate(stay, stay.room, stay.since, day, SEATS_PER_OFFICE)
            heapq.heappush(place.free_offices, stay.room)
            del self.stays[stay.company_id]
            self.rows[Exit].append(
                {
                    "company_id": stay.company_id,
                    "residency_id": stay.residency_id,
                    "exit_on": day,
                    "reason": self.rng.choice(list(ExitReason)).value,
                    "destination": "",
                    "notes": "",
                }
            )

    def arrive(self, day: date, company_id: int) -> None:
        """A company turns up: it moves into a free office of a facility (or waits), and its stay is planned."""
        rng, rows = self.rng, self.rows
        facility_id = rng.randint(1, len(self.places))
        place = self.places[facility_id]
        if not place.free_offices:
            if day >= self.today - timedelta(days=120):  # recent and no room: on the waitlist
                rows[RoomRequest].append(
                    {
                        "company_id": company_id,
                        "facility_id": facility_id,
                        "kind": RequestKind.WAITLIST.value,
                        "rooms_wanted": 1,
                        "seats_wanted": 0,
                        "requested_on": day,
                        "status": RequestStatus.OPEN.value,
                        "decided_on": None,
                        "note": "",
                    }
                )
            return
        leaves = day + timedelta(days=rng.randint(180, 1200))
        ended = leaves if leaves <= self.today else None
        residency_id = len(rows[Residency]) + 1
        rows[Residency].append(
            {
                "id": residency_id,
                "company_id": company_id,
                "facility_id": facility_id,
                "move_in": day,
                "contract_end": _contract_end(day, self.today, ended),
                "ended_on": ended,
            }
        )
        self.stays[company_id] = _Stay(
            company_id=company_id,
            facility_id=facility_id,
            residency_id=residency_id,
            room=heapq.heappop(place.free_offices),
            since=day,
        )
        if rng.random() < 0.3:
            rows[RoomRequest].append(
                {
                    "company_id": company_id,
                    "facility_id": facility_id,
                    "kind": RequestKind.WAITLIST.value,
                    "rooms_wanted": 1,
                    "seats_wanted": 0,
                    "requested_on": day - timedelta(days=rng.randint(10, 90)),
                    "status": RequestStatus.APPROVED.value,
                    "decided_on": day,
                    "note": "",
                }
            )
        end = ended or self.today + timedelta(days=1)  # the first day after the stay's history
        self.plan_stay(day, end, company_id, ended)
        last_day = end - timedelta(days=1)
        employees = rng.randint(1, 5)
        rows[HeadcountRecord].append({"company_id": company_id, "as_of": day, "employees": employees})
        for year in range(day.year + 1, last_day.year + 1):
            if date(year, 1, 2) <= last_day:
                employees = max(1, employees + rng.choice((-1, 0, 0, 1, 1, 2)))
                rows[HeadcountRecord].append(
                    {"company_id": company_id, "as_of": date(year, 1, 2), "employees": employees}
                )
        held_on = day + timedelta(days=rng.randint(10, 60))
        while held_on <= last_day:
            rows[MentoringSession].append(
                {
                    "mentor_id": rng.randint(1, MENTORS),
                    "company_id": company_id,
                    "held_on": held_on,
                    "minutes": rng.choice((60, 90, 120)),
                    "topic": rng.choice(_TOPICS),
                    "mode": SessionMode.IN_PERSON.value,
                    "status": SessionStatus.HELD.value,
                    "notes": "",
                }
            )
            held_on += timedelta(days=rng.randint(30, 80))

    def plan_stay(self, day: date, end: date, company_id: int, ended: date | None) -> None:
        """The moves, the seats in the lounge and the exit of a stay [day, end), as events to come."""
        rng = self.rng
        moved_on = day + timedelta(days=rng.randint(60, 200))
        while moved_on < end:
            self.schedule(moved_on, _Event.MOVE, company_id)
            moved_on += timedelta(days=rng.randint(60, 200))
        if rng.random() < 0.35:
            seats_from = day + timedelta(days=rng.randint(1, 120))
            seats_until = min(end, seats_from + timedelta(days=rng.randint(30, 240)))
            if seats_from < end:
                self.schedule(seats_from, _Event.SEATS_START, company_id)
                if seats_until < end or ended is not None:
                    self.schedule(seats_until, _Event.SEATS_END, company_id)
        if ended is not None:
            self.schedule(ended, _Event.LEAVE, company_id)


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
    simulation = _Simulation(today=today, companies=companies, first_year=first_year, seed=seed)
    simulation.build_rooms(facilities=facilities, floors=floors, rooms_per_floor=rooms_per_floor)
    simulation.run()
    rows = simulation.rows
    with engine.begin() as connection:
        for model, values in rows.items():
            if values:
                connection.execute(model.__table__.insert(), values)
    return ScaleFigures(
        companies=companies,
        facilities=facilities,
        rooms=len(rows[Room]),
        stays=len(rows[Residency]),
        allocations=len(rows[Allocation]),
        sessions=len(rows[MentoringSession]),
        residents_today=len(simulation.stays),
        rows=sum(len(values) for values in rows.values()),
    )
