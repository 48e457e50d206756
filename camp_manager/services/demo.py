"""Deterministic, realistic Korean demo data, built through the use cases themselves.

The camp's residents at the end of 2022, 2023 and 2024 are exactly 107, 96 and 84
(the real decline); 아이플렉스 holds about 60. Everything goes through the same
functions a manager's actions go through, so the demo obeys every rule and has an
audit trail. The programme outcomes (sales, investment, IP, follow-ups, support requests) are
added last, by `services.demo_outcomes`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, select

from camp_manager.db.models import (
    Allocation,
    BusinessField,
    Company,
    ExitReason,
    Facility,
    MentorField,
    Region,
    RequestKind,
    Room,
    RoomKind,
    SessionMode,
)
from camp_manager.errors import DomainError
from camp_manager.i18n import tr
from camp_manager.progress import NullProgress, Progress
from camp_manager.services import (
    allocations,
    common,
    companies,
    demo_outcomes,
    exits,
    facilities,
    mentoring,
    occupancy,
    requests,
    residency,
)
from camp_manager.services.bizno import check_digit
from camp_manager.services.common import stored_id

CAMP = "AI 창업캠프"
IPLEX = "아이플렉스"
FIRST_YEAR = 2020

# Residents at each year end; the camp's 2022–2024 figures are the real ones.
YEAR_END_TARGETS = {
    CAMP: {2020: 78, 2021: 99, 2022: 107, 2023: 96, 2024: 84, 2025: 90},
    IPLEX: {2020: 34, 2021: 45, 2022: 52, 2023: 56, 2024: 58, 2025: 60},
}
TODAY_TARGETS = {CAMP: 93, IPLEX: 61}

_NAME_HEADS = (
    "딥",
    "뉴로",
    "스마트",
    "코어",
    "데이터",
    "비전",
    "메디",
    "그린",
    "에코",
    "모빌",
    "큐브",
    "링크",
    "시냅스",
    "알파",
    "넥스트",
    "하이",
    "픽셀",
    "브레인",
    "퀀텀",
    "오로라",
    "세이프",
    "블루",
    "온새미",
    "한빛",
    "다온",
    "누리",
    "이음",
    "솔",
    "루미",
    "벡터",
    "센서",
    "클라우드",
    "로직",
    "메타",
    "라온",
    "빛고을",
    "무등",
)
_NAME_TAILS = (
    "랩스",
    "테크",
    "소프트",
    "에이아이",
    "솔루션",
    "바이오",
    "모빌리티",
    "웍스",
    "시스템즈",
    "로보틱스",
    "에너지",
    "헬스케어",
    "인사이트",
    "네트웍스",
    "스튜디오",
    "플랫폼",
    "시큐리티",
    "다이나믹스",
)
_SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍전고문양손배백허유남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설마길연위표명기반라왕금옥육인맹제모탁국어은편용"
_GIVEN = "민서준도윤하지우현수영은진호성태경재희정연아나리소유빈혁석규원채예동승"
_TOPICS = (
    "투자 유치 전략",
    "IR 피칭 점검",
    "특허 출원 검토",
    "AI 모델 고도화",
    "데이터 확보 방안",
    "해외 진출",
    "정부 과제 신청서",
    "가격 정책",
    "B2B 영업",
    "조직 구성과 채용",
    "재무제표 점검",
    "MVP 검증",
    "클라우드 비용 절감",
)
_AFFILIATIONS = (
    "○○대학교",
    "△△벤처캐피탈",
    "□□회계법인",
    "◇◇특허법률사무소",
    "AI 연구원",
    "창업진흥원",
    "지역 액셀러레이터",
)
_FIELD_WEIGHTS = {
    BusinessField.BIGDATA: 14,
    BusinessField.HEALTHCARE: 12,
    BusinessField.ENERGY: 8,
    BusinessField.CONTENT: 10,
    BusinessField.PLATFORM: 14,
    BusinessField.SECURITY: 7,
    BusinessField.AUTOMOTIVE: 9,
    BusinessField.MANUFACTURING: 8,
    BusinessField.EDUCATION: 6,
    BusinessField.FINTECH: 5,
    BusinessField.OTHER: 7,
}
_EXIT_WEIGHTS = {
    ExitReason.GRADUATED: 26,
    ExitReason.RELOCATED_CAPITAL: 20,
    ExitReason.RELOCATED_OTHER: 7,
    ExitReason.CLOSED: 16,
    ExitReason.SUSPENDED: 6,
    ExitReason.LACK_OF_SPACE: 9,
    ExitReason.CONTRACT_ENDED: 12,
    ExitReason.TERMINATED: 3,
    ExitReason.OTHER: 1,
}
# Where companies went, by the reason they left: (region, weight).
_REGION_WEIGHTS = {
    ExitReason.GRADUATED: {Region.GWANGJU: 8, Region.OTHER_REGION: 1, Region.CAPITAL: 1},
    ExitReason.RELOCATED_CAPITAL: {Region.CAPITAL: 1},
    ExitReason.RELOCATED_OTHER: {Region.OTHER_REGION: 6, Region.ABROAD: 1},
    ExitReason.CLOSED: {Region.UNKNOWN: 1},
    ExitReason.LACK_OF_SPACE: {Region.GWANGJU: 3, Region.CAPITAL: 2},
    ExitReason.CONTRACT_ENDED: {Region.GWANGJU: 3, Region.UNKNOWN: 2},
}
_OTHER_REGIONS = {Region.UNKNOWN: 7, Region.GWANGJU: 3}
_DESTINATIONS = {
    Region.CAPITAL: "서울특별시",
    Region.OTHER_REGION: "대전광역시",
    Region.ABROAD: "싱가포르",
    Region.GWANGJU: "광주광역시",
}
# Everyone on the payroll beyond the regular employees (part-time, interns): the extra count's choices.
_NON_REGULAR = (0, 0, 0, 1, 1, 2, 3)
_MENTOR_FIELDS = (
    [MentorField.TECHNOLOGY] * 30
    + [MentorField.BUSINESS] * 24
    + [MentorField.FINANCE] * 19
    + [MentorField.MARKETING] * 18
)


@dataclass
class _Resident:
    company: Company
    facility: Facility
    employees: int


class _DemoBuilder:
    def __init__(self, session: Session, today: date, seed: int) -> None:
        self.session = session
        self.today = today
        self.rng = random.Random(seed)
        # The outcomes' own stream, so they leave the residents' story as it was.
        self.extra = random.Random(seed + 1)
        self.used_names: set[str] = set()
        self.used_numbers: set[str] = set()
        self.residents: dict[int, _Resident] = {}

    # --- names and numbers -------------------------------------------------------
    def company_name(self) -> str:
        while True:
            name = self.rng.choice(_NAME_HEADS) + self.rng.choice(_NAME_TAILS)
            if self.rng.random() < 0.3:
                name = f"(주){name}"
            elif self.rng.random() < 0.2:
                name = f"주식회사 {name}"
            core = name.replace("(주)", "").replace("주식회사 ", "")
            if core not in self.used_names:
                self.used_names.add(core)
                return name

    def person_name(self) -> str:
        return self.rng.choice(_SURNAMES) + "".join(self.rng.choice(_GIVEN) for _ in range(2))

    def biz_number(self) -> str:
        while True:
            head = f"{self.rng.randint(101, 899)}{self.rng.choice(['81', '86', '87', '88', '01', '05'])}{self.rng.randint(0, 9999):04d}"
            number = head + str(check_digit(head))
            if number not in self.used_numbers:
                self.used_numbers.add(number)
                return number

    def day_in(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    # --- buildings ---------------------------------------------------------------
    def build_facilities(self) -> dict[str, Facility]:
        camp = facilities.create_facility(
            session=self.session, name=CAMP, address="광주광역시 남구 송암로 60", max_rooms_per_company=1
        )
        iplex = facilities.create_facility(
            session=self.session, name=IPLEX, address="광주광역시 동구 제봉로 100", max_rooms_per_company=2
        )
        for floor in range(3, 8):
            facilities.create_floor_rooms(
                session=self.session,
                facility_id=stored_id(camp),
                floor=floor,
                first_number=floor * 100 + 1,
                last_number=floor * 100 + 20,
                seats=5,
                area_m2=24.0,
            )
        facilities.create_room(
            session=self.session,
            facility_id=stored_id(camp),
            floor=2,
            code="2F-오픈존",
            kind=RoomKind.SHARED_ZONE,
            seats=40,
            area_m2=180.0,
        )
        facilities.create_room(
            session=self.session,
            facility_id=stored_id(camp),
            floor=2,
            code="201",
            kind=RoomKind.MEETING_ROOM,
            seats=12,
            area_m2=40.0,
        )
        for floor in range(2, 5):
            facilities.create_floor_rooms(
                session=self.session,
                facility_id=stored_id(iplex),
                floor=floor,
                first_number=floor * 100 + 1,
                last_number=floor * 100 + 22,
                seats=4,
                area_m2=20.0,
            )
        facilities.create_room(
            session=self.session,
            facility_id=stored_id(iplex),
            floor=1,
            code="1F-코워킹",
            kind=RoomKind.SHARED_ZONE,
            seats=24,
            area_m2=120.0,
        )
        return {CAMP: camp, IPLEX: iplex}

    def vacant_office(self, facility: Facility, on: date) -> Room | None:
        states = occupancy.room_states(self.session, on=on, facility_id=facility.id)
        offices = [s.room for s in states if s.room.kind == RoomKind.PRIVATE_OFFICE and not s.occupied]
        return self.rng.choice(offices) if offices else None

    # --- events ------------------------------------------------------------------
    def headcounts(self, counts: list[tuple[int, date, int]]) -> None:
        """Regular employees (company, from, how many), with everyone on the payroll beside them."""
        companies.record_headcounts(
            session=self.session,
            entries=[
                companies.HeadcountEntry(company_id, on, employees, employees + self.extra.choice(_NON_REGULAR))
                for company_id, on, employees in counts
            ],
        )

    def new_company(self) -> Company:
        field = self.rng.choices(list(_FIELD_WEIGHTS), weights=list(_FIELD_WEIGHTS.values()))[0]
        founded = date(self.rng.randint(2014, 2024), self.rng.randint(1, 12), self.rng.randint(1, 28))
        return companies.register_company(
            session=self.session,
            data=companies.CompanyInput(
                name=self.company_name(),
                biz_reg_no=self.biz_number(),
                representative=self.person_name(),
                field=field.value,
                founded_on=min(founded, self.today),
                phone=f"062-{self.rng.randint(200, 999)}-{self.rng.randint(1000, 9999)}",
                email=f"contact{len(self.used_numbers)}@example.kr",
                investment_krw=self.rng.choice([0, 0, 0, 50_000_000, 100_000_000, 300_000_000, 1_200_000_000]),
            ),
        )

    def move_in(self, facility: Facility, on: date) -> None:
        company = self.new_company()
        if company.founded_on and company.founded_on > on:
            company.founded_on = on - timedelta(days=self.rng.randint(30, 900))
        residency.move_in(
            session=self.session,
            company_id=stored_id(company),
            facility_id=stored_id(facility),
            move_in_on=on,
            contract_end=on.replace(year=on.year + 2) - timedelta(days=1),
        )
        employees = self.rng.choice([1, 2, 2, 3, 3, 4, 5])
        self.headcounts([(stored_id(company), on, employees)])
        room = self.vacant_office(facility, on)
        if room is not None:
            allocations.allocate_room(
                session=self.session, company_id=stored_id(company), room_id=stored_id(room), start_on=on
            )
        else:
            zone = self.session.exec(
                select(Room).where(Room.facility_id == facility.id, Room.kind == RoomKind.SHARED_ZONE)
            ).one()
            allocations.allocate_room(
                session=self.session,
                company_id=stored_id(company),
                room_id=stored_id(zone),
                start_on=on,
                seats=min(employees, 3),
            )
        self.residents[stored_id(company)] = _Resident(company=company, facility=facility, employees=employees)

    def exit(self, company_id: int, on: date, reason: ExitReason | None = None) -> None:
        reason = reason or self.rng.choices(list(_EXIT_WEIGHTS), weights=list(_EXIT_WEIGHTS.values()))[0]
        regions = _REGION_WEIGHTS.get(reason, _OTHER_REGIONS)
        region = self.extra.choices(list(regions), weights=list(regions.values()))[0]
        destination = "광주 첨단지구 자체 사옥" if reason == ExitReason.GRADUATED and region == Region.GWANGJU else ""
        exits.record_exit(
            session=self.session,
            company_id=company_id,
            exit_on=on,
            reason=reason.value,
            destination=destination or _DESTINATIONS.get(region, ""),
            region=region.value,
        )
        del self.residents[company_id]

    def yearly_headcount(self, year: int) -> None:
        on = date(year, 1, 2)
        for resident in self.residents.values():
            growth = self.rng.choice([-1, 0, 0, 0, 1, 1])
            resident.employees = max(1, resident.employees + growth)
        self.headcounts([(company_id, on, resident.employees) for company_id, resident in self.residents.items()])

    def extend_contracts(self, until: date) -> None:
        for company_id in sorted(self.residents):
            stay = residency.open_residency(self.session, company_id)
            assert stay is not None, "the builder's residents are in residence"
            if stay.contract_end is not None and stay.contract_end < until:
                residency.extend_contract(
                    session=self.session,
                    residency_id=stored_id(stay),
                    new_end=stay.contract_end.replace(year=stay.contract_end.year + 2),
                    on=stay.contract_end - timedelta(days=30),
                    note="연장 심사 통과",
                )

    def simulate_year(self, year: int, facility: Facility, target: int, last_day: date) -> None:
        """Exits, move-ins and a few room changes so that `target` are resident after `last_day`."""
        mine = sorted(cid for cid, r in self.residents.items() if r.facility.id == facility.id)
        exit_count = round(len(mine) * (0.12 if year < 2023 else 0.2))
        move_in_count = target - (len(mine) - exit_count)
        if move_in_count < 0:
            exit_count -= move_in_count
            move_in_count = 0
        first_day = date(year, 1, 5)
        events: list[tuple[date, int, str, int | None]] = [
            (self.day_in(first_day, last_day), 1, "exit", cid) for cid in self.rng.sample(mine, exit_count)
        ]
        events += [(self.day_in(first_day, last_day), 2, "in", None) for _ in range(move_in_count)]
        events += [(self.day_in(first_day, last_day), 0, "move", None) for _ in range(3)]
        story_told = not (facility.name == CAMP and year == 2023)
        for on, _, kind, company_id in sorted(events, key=lambda e: e[:2]):
            if kind == "exit":
                assert company_id is not None, "an exit names its company"
                if not story_told:
                    self.lack_of_space_story(company_id, on)
                    story_told = True
                else:
                    self.exit(company_id, on)
            elif kind == "in":
                self.move_in(facility, on)
            else:
                self.room_change(facility, on)

    def room_change(self, facility: Facility, on: date) -> None:
        held = [
            a
            for a in allocations.open_allocations_on(self.session, on)
            if a.company_id in self.residents
            and self.residents[a.company_id].facility.id == facility.id
            and a.start_on < on
        ]
        room = self.vacant_office(facility, on)
        if held and room is not None:
            allocations.move_to_room(
                session=self.session, allocation_id=stored_id(self.rng.choice(held)), to_room_id=stored_id(room), on=on
            )

    def lack_of_space_story(self, company_id: int, on: date) -> None:
        """The company that grew to 10 employees and left because it could not get a second room."""
        resident = self.residents[company_id]
        asked = on - timedelta(days=75)
        self.headcounts([(company_id, max(asked, resident_since(self.session, company_id)), 10)])
        request = requests.file_request(
            session=self.session,
            company_id=company_id,
            facility_id=stored_id(resident.facility),
            kind=RequestKind.EXPANSION.value,
            requested_on=max(asked, resident_since(self.session, company_id)),
            rooms_wanted=1,
            note="직원 10명, 추가 사무실 필요",
        )
        requests.decline_request(
            session=self.session, request_id=stored_id(request), on=on - timedelta(days=30), note="1기업 1사무실 원칙"
        )
        self.exit(company_id, on, ExitReason.LACK_OF_SPACE)

    # --- the present: expansions, crowding, the waitlist ---------------------------
    def expansions(self, facility: Facility, count: int, on: date, override_reason: str) -> None:
        growing = sorted(
            (r for r in self.residents.values() if r.facility.id == facility.id),
            key=lambda r: (-r.employees, r.company.id),
        )
        done = 0
        for resident in growing:
            room = self.vacant_office(facility, on)
            if done == count or room is None:
                break
            resident.employees += 6
            self.headcounts([(stored_id(resident.company), on, resident.employees)])
            request = requests.file_request(
                session=self.session,
                company_id=stored_id(resident.company),
                facility_id=stored_id(facility),
                kind=RequestKind.EXPANSION.value,
                requested_on=max(on - timedelta(days=40), resident_since(self.session, stored_id(resident.company))),
                note="인력 증가로 사무실 추가 필요",
            )
            requests.approve_request(
                session=self.session,
                request_id=stored_id(request),
                room_id=stored_id(room),
                on=on,
                override_reason=override_reason,
            )
            done += 1

    def crowding(self, facility: Facility, count: int) -> None:
        """Residents that outgrew their one room; most of them asked for more."""
        on = self.today - timedelta(days=3)
        single = [
            r
            for r in self.residents.values()
            if stored_id(r.facility) == stored_id(facility)
            and len(_allocations_of(self.session, stored_id(r.company), on)) == 1
        ]
        single.sort(key=lambda r: (-r.employees, r.company.id))
        for index, resident in enumerate(single[:count]):
            resident.employees = max(resident.employees, 6) + index % 4
            self.headcounts([(stored_id(resident.company), on, resident.employees)])
            if index % 3 != 2:
                requests.file_request(
                    session=self.session,
                    company_id=stored_id(resident.company),
                    facility_id=stored_id(facility),
                    kind=RequestKind.EXPANSION.value,
                    requested_on=max(
                        self.today - timedelta(days=12 + 21 * index),
                        resident_since(self.session, stored_id(resident.company)),
                    ),
                    note="직원 증가로 추가 사무실 요청",
                )

    def waitlist(self, facility: Facility, count: int) -> None:
        for index in range(count):
            company = self.new_company()
            requests.file_request(
                session=self.session,
                company_id=stored_id(company),
                facility_id=stored_id(facility),
                kind=RequestKind.WAITLIST.value,
                requested_on=self.today - timedelta(days=8 + 19 * index),
                note="입주 심사 통과, 공실 대기",
            )

    # --- mentoring -----------------------------------------------------------------
    def mentoring(self) -> None:
        mentors = [
            mentoring.add_mentor(
                session=self.session,
                name=self.person_name(),
                field=field.value,
                affiliation=self.rng.choice(_AFFILIATIONS),
                contact=f"mentor{i + 1:02d}@example.kr",
            )
            for i, field in enumerate(_MENTOR_FIELDS)
        ]
        for retired in mentors[-4:]:
            mentoring.set_mentor_active(session=self.session, mentor_id=stored_id(retired), active=False)
        active = mentors[:-4]
        month = date(2021, 3, 1)
        while month <= self.today:
            next_month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
            last_day = min(next_month - timedelta(days=1), self.today)
            whole_month = sorted(_resident_ids(self.session, month) & _resident_ids(self.session, last_day))
            for _ in range(self.rng.randint(14, 26)):
                if not whole_month:
                    break
                mentoring.log_held_session(
                    session=self.session,
                    mentor_id=stored_id(self.rng.choice(active)),
                    company_id=self.rng.choice(whole_month),
                    held_on=self.day_in(month, last_day),
                    minutes=self.rng.choice([60, 60, 90, 120]),
                    topic=self.rng.choice(_TOPICS),
                    mode=self.rng.choice([SessionMode.IN_PERSON, SessionMode.ONLINE]).value,
                )
            month = next_month
        current = sorted(_resident_ids(self.session, self.today))
        for index in range(12):
            mentoring.plan_session(
                session=self.session,
                mentor_id=stored_id(self.rng.choice(active)),
                company_id=self.rng.choice(current),
                held_on=self.today + timedelta(days=2 + index * 2),
                topic=self.rng.choice(_TOPICS),
            )

    def build(self, progress: Progress) -> None:
        built = self.build_facilities()
        years = range(FIRST_YEAR, self.today.year + 1)
        steps = len(years) + 3
        for step, year in enumerate(years):
            progress.check_cancelled()
            progress.report(step, steps, tr("{year}년 이력을 만드는 중…", year=year))
            if year > FIRST_YEAR:
                self.yearly_headcount(year)
            self.extend_contracts(until=min(date(year, 12, 31), self.today - timedelta(days=10)))
            for name, facility in built.items():
                if year == self.today.year:
                    target, last_day = TODAY_TARGETS[name], self.today - timedelta(days=20)
                else:
                    # Past the table (the demo made in a later year), the camp holds steady.
                    target, last_day = YEAR_END_TARGETS[name].get(year, TODAY_TARGETS[name]), date(year, 12, 20)
                if last_day >= date(year, 1, 5):  # early in January the year has no events yet
                    self.simulate_year(year, facility, target, last_day)
        progress.check_cancelled()
        progress.report(len(years), steps, tr("확장·대기 신청을 만드는 중…"))
        self.expansions(
            built[CAMP], 3, self.today - timedelta(days=15), "고용 10명 이상 성장기업, 운영위원회 예외 승인"
        )
        self.expansions(built[IPLEX], 3, self.today - timedelta(days=15), "")
        for facility in built.values():
            self.crowding(facility, 6)
            self.waitlist(facility, 4)
        progress.check_cancelled()
        progress.report(len(years) + 1, steps, tr("멘토링 기록을 만드는 중…"))
        self.mentoring()
        progress.check_cancelled()
        progress.report(len(years) + 2, steps, tr("성과 기록을 만드는 중…"))
        demo_outcomes.add_outcomes(
            session=self.session,
            today=self.today,
            rng=self.extra,
            employees_now={company_id: r.employees for company_id, r in self.residents.items()},
        )
        progress.report(steps, steps, "")


def resident_since(session: Session, company_id: int) -> date:
    stay = residency.open_residency(session, company_id)
    assert stay is not None, f"company {company_id} is in residence"
    return stay.move_in


def _allocations_of(session: Session, company_id: int, on: date) -> list[Allocation]:
    return [a for a in allocations.open_allocations(session, company_id, on) if a.covers(on)]


def _resident_ids(session: Session, on: date) -> set[int]:
    return {stored_id(row.company) for row in occupancy.residents_on(session, on=on)}


def has_data(session: Session) -> bool:
    return session.exec(select(Facility.id).limit(1)).first() is not None


def load_demo(
    *, session: Session, today: date | None = None, seed: int = 2026, progress: Progress | None = None
) -> None:
    """Fill an empty database with the demo; refuses a database that has data.

    With a `progress`, reports each simulated year and stops (raising `Cancelled`) when cancelled.
    """
    if has_data(session):
        raise DomainError(
            tr("데이터베이스에 이미 자료가 있습니다. 데모 데이터는 빈 데이터베이스에만 넣을 수 있습니다."),
            field="database",
        )
    _DemoBuilder(session, today or common.today(session), seed).build(progress or NullProgress())
