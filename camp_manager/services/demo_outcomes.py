"""The demo's programme outcomes (성과), added once its residents' story is told, through the use cases.

For every company and year of residence: sales (most by year, some by halves; growing for most,
shrinking for a few; some exports); for some: investment rounds (a handful of today's residents
meet the city's subsidy rule, a few come near), IP, certifications and government projects.
Check-ins on the companies that left, one to three years on (some still due today); support
requests, 실증 mostly unmet in 2021–2023 as the press reported (86/62/58 asked, 8/9/11 done),
a little better since; and a few files of evidence, so evidenced figures differ from all.
"""

from __future__ import annotations

import random
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from camp_manager.db.models import (
    CertificationKind,
    Company,
    EvidenceOf,
    Exit,
    ExitReason,
    Facility,
    FollowUpStatus,
    InvestmentKind,
    IPKind,
    Region,
    Residency,
    SupportKind,
    SupportStatus,
)
from camp_manager.services import companies, evidence, follow_ups, outcomes, support
from camp_manager.services.common import stored_id
from camp_manager.services.outcomes import (
    CertificationInput,
    InvestmentInput,
    IPInput,
    OutcomeInput,
    ProjectInput,
    SalesInput,
)

CAMP = "AI 창업캠프"
SUBSIDY_CAPITAL_KRW = 100_000_000
SUBSIDY_EMPLOYEES = 5
WATCH_MEETS, WATCH_NEAR = 6, 3

# The camp's 실증 requests per year: (asked, done); 2021–2023 are the press figures.
DEMONSTRATIONS = {2021: (86, 8), 2022: (62, 9), 2023: (58, 11), 2024: (50, 13), 2025: (44, 15), 2026: (38, 12)}
# Other requests per year, each facility: kind → (asked, share done).
OTHER_SUPPORT = {
    SupportKind.DEMONSTRATION: (4, 0.25),
    SupportKind.COMPUTING: (3, 0.67),
    SupportKind.NETWORKING: (2, 1.0),
    SupportKind.CONSULTING: (2, 0.5),
}
_DESCRIPTIONS = {
    SupportKind.DEMONSTRATION: (
        "광주시 교통정보센터와 AI 신호제어 실증",
        "전남대병원과 의료영상 AI 실증",
        "한국전력과 에너지 수요예측 실증",
        "광주도시철도공사 역사 안전 모니터링 실증",
        "광주광역시청 민원 챗봇 실증",
        "GIST 자율주행 테스트베드 실증",
        "광주 AI 데이터센터 공공데이터 활용 실증",
    ),
    SupportKind.COMPUTING: ("GPU 서버(A100 2장) 3개월 사용", "모델 학습용 GPU 클러스터 사용", "클라우드 크레딧 지원"),
    SupportKind.NETWORKING: ("입주기업 간 협업 파트너 소개", "대기업 오픈이노베이션 연계", "투자사 네트워킹 데이 참가"),
    SupportKind.CONSULTING: ("특허 출원 자문", "노무·법률 자문", "해외 진출 컨설팅"),
}
_DONE = ("실증 기관 연결, 결과 보고서 제출", "지원 완료, 결과 보고 받음")
_DECLINED = ("실증 협력 기관 확보 못함", "올해 예산 소진", "실증 장소 일정 없음", "수요 기관과 조건 불일치")

_INVESTORS = (
    "광주창조경제혁신센터",
    "빛고을벤처스",
    "무등인베스트먼트",
    "한국벤처투자",
    "호남엔젤클럽",
    "카이스트청년창업투자지주",
)
_SERIES_A_INVESTORS = ("스톤브릿지벤처스", "카카오벤처스", "KB인베스트먼트", "한국투자파트너스")
_LENDERS = ("기술보증기금", "신용보증기금", "중소벤처기업진흥공단")
_GRANTORS = ("광주광역시", "창업진흥원", "인공지능산업융합사업단")
_PROJECTS = (
    ("예비창업패키지", "창업진흥원", 30_000_000, 70_000_000),
    ("초기창업패키지", "창업진흥원", 50_000_000, 100_000_000),
    ("창업도약패키지", "창업진흥원", 100_000_000, 300_000_000),
    ("TIPS 창업기업 지원", "중소벤처기업부", 500_000_000, 500_000_000),
    ("디딤돌 창업과제", "중소기업기술정보진흥원", 100_000_000, 150_000_000),
    ("AI 바우처 지원사업", "정보통신산업진흥원", 100_000_000, 300_000_000),
    ("데이터바우처 지원사업", "한국데이터산업진흥원", 18_000_000, 45_000_000),
    ("인공지능 제품·서비스 고도화 지원", "인공지능산업융합사업단", 50_000_000, 200_000_000),
)
_PATENTS = (
    "딥러닝 기반 영상 분석 장치 및 방법",
    "인공지능을 이용한 수요 예측 시스템",
    "의료 영상의 병변 검출 방법",
    "자율주행 차량의 객체 인식 장치",
    "에너지 사용량 최적화 방법 및 시스템",
    "대화형 인공지능 상담 서비스 제공 방법",
    "센서 데이터 이상 탐지 장치",
)
_ANNUAL_SALES, _SALES_SPREAD = 150_000_000, 0.9


@dataclass(frozen=True)
class _Stay:
    company_id: int
    name: str
    facility: str
    move_in: date
    ended_on: date | None
    founded: date
    last_day: date  # the exit day, or today

    def resident_on(self, day: date) -> bool:
        return self.move_in <= day <= self.last_day


def _stays(session: Session, today: date) -> list[_Stay]:
    rows = session.execute(
        sa.select(
            col(Residency.company_id),
            col(Company.name),
            col(Facility.name),
            col(Residency.move_in),
            col(Residency.ended_on),
            col(Company.founded_on),
        )
        .join(Company, col(Company.id) == col(Residency.company_id))
        .join(Facility, col(Facility.id) == col(Residency.facility_id))
        .order_by(col(Residency.id))
    )
    return [
        _Stay(company_id, name, facility, move_in, ended_on, founded or move_in, ended_on or today)
        for company_id, name, facility, move_in, ended_on, founded in rows
    ]


def _round(amount: float, unit: int = 1_000_000) -> int:
    return max(unit, int(amount // unit * unit))


def pdf_file(title: str) -> bytes:
    """A one-page PDF (blank page, `title` in its metadata), with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Title <feff" + title.encode("utf-16-be").hex().encode() + b"> >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def png_file(seed: int) -> bytes:
    """An 8×8 grey PNG, its shade drawn from `seed`."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    shade = 96 + seed % 128
    rows = b"".join(b"\x00" + bytes([shade]) * 8 for _ in range(8))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


class _OutcomeBuilder:
    def __init__(self, session: Session, today: date, rng: random.Random, employees_now: dict[int, int]) -> None:
        self.session = session
        self.today = today
        self.rng = rng
        self.employees_now = employees_now
        self.stays = _stays(session, today)
        self.inputs: list[OutcomeInput] = []
        self.last_sales: dict[int, int] = {}

    def day_in(self, first: date, last: date) -> date:
        return first + timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    def held_days(self, stay: _Stay) -> tuple[date, date]:
        return max(stay.move_in, stay.founded), min(stay.last_day, self.today)

    # --- records of the companies ------------------------------------------------------------
    def sales(self, stay: _Stay) -> None:
        """Each year resident at its end; by halves for a quarter of the companies (this year: its first half)."""
        amount = self.rng.lognormvariate(0, _SALES_SPREAD) * _ANNUAL_SALES
        trend = self.rng.uniform(1.05, 1.7) if self.rng.random() < 0.85 else self.rng.uniform(0.6, 0.92)
        export_share = self.rng.uniform(0.05, 0.4) if self.rng.random() < 0.15 else 0.0
        by_halves = self.rng.random() < 0.25
        for year in range(stay.move_in.year, stay.last_day.year + 1):
            if year < self.today.year and stay.resident_on(date(year, 12, 31)):
                halves = by_halves and stay.founded <= date(year, 6, 30)
                periods = [(1, self.rng.uniform(0.35, 0.5)), (2, 0.0)] if halves else [(0, 1.0)]
            elif (
                year == self.today.year
                and by_halves
                and date(year, 6, 30) < self.today
                and stay.resident_on(date(year, 6, 30))
            ):
                periods = [(1, self.rng.uniform(0.35, 0.5))]
            else:
                continue
            total = _round(amount, 1000)
            left = total
            for half, share in periods:
                part = _round(total * share, 1000) if share else left
                left -= part
                exports = int(part * export_share) // 1000 * 1000
                self.inputs.append(SalesInput(stay.company_id, year, half, part, exports))
            self.last_sales[stay.company_id] = total
            amount *= trend * self.rng.uniform(0.9, 1.1)

    def investments(self, stay: _Stay, rank: int | None) -> None:
        """`rank` among today's residents with 5 or more employees: the first few meet the subsidy rule."""
        first, last = self.held_days(stay)
        if rank is not None and rank < WATCH_MEETS:
            seed = _round(self.rng.uniform(0.4, 0.9) * SUBSIDY_CAPITAL_KRW, 10_000_000)
            rounds = [
                (InvestmentKind.CONVERTIBLE, seed),
                (InvestmentKind.EQUITY, self.rng.choice([1, 2, 3, 5]) * 10**8),
            ]
        elif rank is not None and rank < WATCH_MEETS + WATCH_NEAR:
            rounds = [(InvestmentKind.EQUITY, _round(self.rng.uniform(0.6, 0.95) * SUBSIDY_CAPITAL_KRW, 10_000_000))]
        elif stay.ended_on is not None and self.rng.random() < 0.08:
            rounds = [(InvestmentKind.EQUITY, self.rng.randint(10, 30) * 10**8)]  # a Series A before leaving
        elif self.rng.random() < 0.18:
            kind = self.rng.choices(list(InvestmentKind), weights=[5, 2, 2, 1])[0]
            rounds = [(kind, _round(self.rng.uniform(0.2, 0.9) * SUBSIDY_CAPITAL_KRW, 5_000_000))]
        else:
            return
        day = first
        for kind, amount in rounds:
            day = self.day_in(day, last)
            investor = self.rng.choice(
                {
                    InvestmentKind.LOAN: _LENDERS,
                    InvestmentKind.GRANT: _GRANTORS,
                    InvestmentKind.EQUITY: _SERIES_A_INVESTORS if amount >= 10**9 else _INVESTORS,
                }.get(kind, _INVESTORS)
            )
            self.inputs.append(InvestmentInput(stay.company_id, day, amount, kind.value, investor))

    def intellectual_property(self, stay: _Stay) -> None:
        first, last = self.held_days(stay)
        if self.rng.random() < 0.35:
            for _ in range(self.rng.randint(1, 3)):
                filed = self.day_in(first, last)
                number = f"10-{filed.year}-{self.rng.randint(1, 199999):07d}"
                title = self.rng.choice(_PATENTS)
                self.inputs.append(IPInput(stay.company_id, IPKind.PATENT_FILED.value, filed, number, title))
                registered = filed + timedelta(days=self.rng.randint(400, 800))
                if registered <= last and self.rng.random() < 0.6:
                    number = f"10-{self.rng.randint(2100000, 2899999)}"
                    self.inputs.append(
                        IPInput(stay.company_id, IPKind.PATENT_REGISTERED.value, registered, number, title)
                    )
        brand = stay.name.replace("(주)", "").replace("주식회사 ", "")
        for kind, chance, prefix, title in (
            (IPKind.TRADEMARK, 0.2, "40", brand),
            (IPKind.DESIGN, 0.04, "30", f"{brand} 단말기 외관"),
            (IPKind.COPYRIGHT, 0.06, "C", f"{brand} 분석 소프트웨어"),
        ):
            if self.rng.random() < chance:
                day = self.day_in(first, last)
                number = f"{prefix}-{day.year}-{self.rng.randint(1, 99999):07d}"
                self.inputs.append(IPInput(stay.company_id, kind.value, day, number, title))

    def certifications(self, stay: _Stay) -> None:
        first, last = self.held_days(stay)
        for kind, chance, years in (
            (CertificationKind.VENTURE, 0.45, (2, 3)),
            (CertificationKind.RESEARCH_INSTITUTE, 0.12, None),
            (CertificationKind.RND_DEPARTMENT, 0.1, None),
            (CertificationKind.INNOBIZ, 0.06, (3,)),
            (CertificationKind.MAINBIZ, 0.02, (3,)),
        ):
            if self.rng.random() < chance:
                granted = self.day_in(first, last)
                until = granted.replace(year=granted.year + self.rng.choice(years), day=1) if years else None
                number = f"제{granted.year}{self.rng.randint(1, 999999):06d}호"
                self.inputs.append(CertificationInput(stay.company_id, kind.value, granted, until, number))

    def projects(self, stay: _Stay) -> None:
        first, last = self.held_days(stay)
        if self.rng.random() < 0.4:
            for name, agency, least, most in self.rng.sample(_PROJECTS, self.rng.randint(1, 2)):
                amount = _round(self.rng.uniform(least, most), 1_000_000)
                self.inputs.append(ProjectInput(stay.company_id, self.day_in(first, last), name, agency, amount))

    def company_records(self) -> list[tuple[OutcomeInput, int]]:
        """Every company's records, written in one batch; each with its new id."""
        watch = sorted(
            (-employees, company_id)
            for company_id, employees in self.employees_now.items()
            if employees >= SUBSIDY_EMPLOYEES
        )
        rank = {company_id: index for index, (_, company_id) in enumerate(watch)}
        for stay in self.stays:
            self.sales(stay)
            self.investments(stay, rank.get(stay.company_id) if stay.ended_on is None else None)
            self.intellectual_property(stay)
            self.certifications(stay)
            self.projects(stay)
        ids = outcomes.record_outcomes(session=self.session, inputs=self.inputs)
        return list(zip(self.inputs, ids, strict=True))

    # --- after an exit -------------------------------------------------------------------------
    def follow_ups(self) -> list[int]:
        """Check-ins 1–3 years on; the latest few left undone, so some are due today. Their ids."""
        made = []
        exits = self.session.execute(
            sa.select(col(Exit.id), col(Exit.company_id), col(Exit.exit_on), col(Exit.reason), col(Exit.region))
            .where(col(Exit.reason) != ExitReason.CLOSED.value)
            .order_by(col(Exit.id))
        ).all()
        for exit_id, company_id, exit_on, reason, exit_region in exits:
            region: str = exit_region
            employees = self.employees_at_exit(company_id, exit_on)
            sales = self.last_sales.get(company_id, _ANNUAL_SALES // 2)
            status = FollowUpStatus.OPERATING
            closing = 0.3 if reason == ExitReason.SUSPENDED.value else 0.1
            for years in follow_ups.CHECK_IN_YEARS:
                due = follow_ups.anniversary(exit_on, years)
                checked_on = due + timedelta(days=self.rng.randint(-80, 40))
                if checked_on > self.today or (due > self.today - timedelta(days=150) and self.rng.random() < 0.5):
                    break
                draw = self.rng.random()
                if status == FollowUpStatus.UNKNOWN and draw < 0.5:
                    pass  # still out of reach
                elif draw < closing:
                    status = FollowUpStatus.CLOSED
                elif draw < closing + 0.08:
                    status = FollowUpStatus.UNKNOWN
                else:
                    status = FollowUpStatus.OPERATING
                    if region in (Region.GWANGJU, Region.UNKNOWN) and self.rng.random() < 0.08:
                        region = Region.CAPITAL.value
                    elif region == Region.UNKNOWN:
                        region = Region.GWANGJU.value
                    employees = max(1, employees + self.rng.choice([-1, 0, 1, 1, 2]))
                    sales = _round(sales * self.rng.uniform(0.8, 1.5), 1000)
                operating = status == FollowUpStatus.OPERATING
                made.append(
                    stored_id(
                        follow_ups.record_follow_up(
                            session=self.session,
                            data=follow_ups.FollowUpInput(
                                exit_id=exit_id,
                                years_after=years,
                                checked_on=max(checked_on, due - timedelta(days=follow_ups.EARLY_DAYS)),
                                status=status.value,
                                region=region if operating else Region.UNKNOWN.value,
                                employees=employees if operating else None,
                                sales_krw=sales if operating else None,
                                note={
                                    FollowUpStatus.CLOSED: "폐업 확인(휴폐업 조회)",
                                    FollowUpStatus.UNKNOWN: "연락 닿지 않음",
                                }.get(status, "전화 조사"),
                            ),
                        )
                    )
                )
                if status == FollowUpStatus.CLOSED:
                    break
        return made

    def employees_at_exit(self, company_id: int, exit_on: date) -> int:
        return companies.employees_on(self.session, company_id, exit_on) or 1

    # --- support requests ----------------------------------------------------------------------
    def support_requests(self) -> None:
        for year in range(min(DEMONSTRATIONS), self.today.year + 1):
            asked, done = DEMONSTRATIONS.get(year, DEMONSTRATIONS[max(DEMONSTRATIONS)])
            self.requests_of_year(year, SupportKind.DEMONSTRATION, [CAMP], asked, done)
            others = sorted({stay.facility for stay in self.stays} - {CAMP})
            for kind, (count, share) in OTHER_SUPPORT.items():
                facilities = others if kind == SupportKind.DEMONSTRATION else [CAMP, *others]
                for facility in facilities:
                    self.requests_of_year(year, kind, [facility], count, round(count * share))

    def requests_of_year(self, year: int, kind: SupportKind, facilities: Sequence[str], asked: int, done: int) -> None:
        """`asked` requests asked in `year`, `done` of them carried out that year, the rest declined or withdrawn."""
        last_ask = min(date(year, 12, 10), self.today - timedelta(days=3))
        if last_ask < date(year, 1, 5):
            return
        for index in range(asked):
            carried_out = index < done
            asked_on = self.day_in(date(year, 1, 5), min(last_ask, date(year, 8, 15)) if carried_out else last_ask)
            started_on = asked_on + timedelta(days=self.rng.randint(10, 40))
            finished_on = started_on + timedelta(days=self.rng.randint(30, 90))
            if not carried_out:
                finished_on = asked_on + timedelta(days=self.rng.randint(7, 45))
            residents = [
                s
                for s in self.stays
                if s.facility in facilities
                and s.resident_on(asked_on)
                and (s.ended_on is None or s.ended_on >= finished_on)
            ]
            if not residents:
                continue
            stay = self.rng.choice(residents)
            request = support.file_support_request(
                session=self.session,
                company_id=stay.company_id,
                asked_on=asked_on,
                kind=kind.value,
                description=self.rng.choice(_DESCRIPTIONS[kind]),
            )
            request_id = stored_id(request)
            if carried_out and started_on <= self.today:
                support.start_support(session=self.session, request_id=request_id, on=started_on)
            if finished_on > self.today:
                continue  # still under way
            if not carried_out and self.rng.random() < 0.15:
                support.cancel_support(
                    session=self.session, request_id=request_id, on=finished_on, reason="기업 사정으로 철회"
                )
            else:
                status, notes = (SupportStatus.DONE, _DONE) if carried_out else (SupportStatus.DECLINED, _DECLINED)
                support.finish_support(
                    session=self.session,
                    request_id=request_id,
                    status=status.value,
                    on=finished_on,
                    outcome=self.rng.choice(notes),
                )

    # --- evidence ------------------------------------------------------------------------------
    def evidence(self, records: list[tuple[OutcomeInput, int]], follow_up_ids: list[int]) -> None:
        """Files for some of the records: certificates and contracts as PDF, a few scans as PNG."""
        chances: dict[type[Any], tuple[str, str, float]] = {
            InvestmentInput: (EvidenceOf.INVESTMENT, "투자계약서", 0.3),
            CertificationInput: (EvidenceOf.CERTIFICATION, "확인서", 0.25),
            IPInput: (EvidenceOf.IP, "등록증", 0.15),
            ProjectInput: (EvidenceOf.PROJECT, "협약서", 0.2),
            SalesInput: (EvidenceOf.SALES, "부가세과세표준증명", 0.03),
        }
        files = [
            (kind, record_id, f"{name}_{record_id}.pdf")
            for data, record_id in records
            for kind, name, chance in [chances[type(data)]]
            if self.rng.random() < chance
        ]
        files += [(EvidenceOf.FOLLOW_UP, i, f"조사결과_{i}.png") for i in follow_up_ids if self.rng.random() < 0.1]
        for kind, record_id, file_name in files:
            content = png_file(record_id) if file_name.endswith(".png") else pdf_file(file_name)
            evidence.attach_evidence(
                session=self.session, record_kind=kind, record_id=record_id, file_name=file_name, content=content
            )


def add_outcomes(*, session: Session, today: date, rng: random.Random, employees_now: dict[int, int]) -> None:
    """The outcomes of every stay in the database; `employees_now`: today's residents' regular employees."""
    builder = _OutcomeBuilder(session, today, rng, employees_now)
    records = builder.company_records()
    follow_up_ids = builder.follow_ups()
    builder.support_requests()
    builder.evidence(records, follow_up_ids)
