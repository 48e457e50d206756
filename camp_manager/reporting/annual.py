"""The annual performance report (연간 보육 성과 보고서): its data classes and its builder.

The figures come from `services.outcome_figures`, one column per facility beside the total for an
all-facility report; the renderers only lay them out. Definitions: reports/README.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from operator import attrgetter

from sqlmodel import Session, col, select

from camp_manager.db.models import (
    Certification,
    CertificationKind,
    Company,
    Facility,
    GovernmentProject,
    HeadcountRecord,
    IntellectualProperty,
    InvestmentKind,
    InvestmentRound,
    IPKind,
    SalesRecord,
)
from camp_manager.i18n import current_language, tr
from camp_manager.labels import label_of, sales_period
from camp_manager.reporting.build import facility_label
from camp_manager.reporting.monthly import FigureKind
from camp_manager.services import outcome_figures as of
from camp_manager.services.book import among
from camp_manager.services.common import RowT, id_column, stored_id
from camp_manager.services.evidence import evidence_of, record_kind_of


@dataclass(frozen=True)
class AnnualFigure:
    key: str
    label: str
    definition: str
    kind: FigureKind
    values: list[int | float | None]  # the report's scope first, then each facility of an all-facility report


@dataclass(frozen=True)
class RecordRow:
    """A record counted by the year's figures, as the per-company tables list it."""

    company: str
    what: str  # the record's kind, labelled
    day: date
    amount_krw: int | None
    detail: str
    record_kind: str
    record_id: int


@dataclass(frozen=True)
class RecordSection:
    """The records one figure counts, with the headers of their columns."""

    title: str
    what: str  # header of the kind column
    day: str  # header of the date column
    detail: str  # header of the detail column
    amounts: bool  # the records carry an amount
    rows: list[RecordRow]


@dataclass(frozen=True)
class SalesRow:
    """A company the year's sales count, with the year before's; growth only where the sales growth
    compares the company (resident on 31 December, both years whole)."""

    company: str
    sales_before_krw: int | None
    sales_krw: int
    sales_growth: float | None
    exports_before_krw: int | None
    exports_krw: int
    exports_growth: float | None


@dataclass(frozen=True)
class EvidenceRow:
    company: str
    figure: str
    record: str
    file_name: str
    size_bytes: int
    sha256_head: str


@dataclass(frozen=True)
class AnnualReport:
    title: str
    year: int
    facility_id: int | None
    facility_name: str
    columns: list[str]  # a header for each value of a figure
    evidenced_only: bool
    language: str
    generated_at: datetime
    figures: list[AnnualFigure]
    sales: list[SalesRow]  # by company name
    records: list[RecordSection]
    watch: list[of.SubsidyWatch]
    facility_names: dict[int, str]
    evidence: list[EvidenceRow]

    def file_stem(self) -> str:
        return re.sub(r"[^\w-]+", "_", f"{tr('연간보육성과')}_{self.facility_name}_{self.year}").strip("_")


def _figures(figures: list[of.OutcomeFigures]) -> list[AnnualFigure]:
    count, rate, decimal = FigureKind.COUNT, FigureKind.PERCENT, FigureKind.HOURS
    rows: list[tuple[str, str, str, FigureKind, str]] = [
        ("residents_during", tr("연중 입주기업"), tr("1월 1일~12월 31일 중 하루라도 입주한 기업 수"), count, "residents_during_year"),
        ("residents_end", tr("연말 입주기업"), tr("12월 31일 입주 중인 기업 수"), count, "residents_at_year_end"),
        ("graduates", tr("졸업기업"), tr("그해 퇴거 사유 '졸업'인 퇴거 수"), count, "graduates"),
        ("sales", tr("매출액(원)"), tr("그해 입주한 적 있는 기업의 그해 매출 기록 합계"), count, "sales_krw"),
        ("sales_growth", tr("매출 성장률"), tr("연말 입주기업 중 두 해 매출이 모두 있는 기업: 올해 합계 ÷ 전년 합계 - 1"), rate, "sales_growth"),
        ("exports", tr("수출액(원)"), tr("매출액과 같은 기업·기록의 수출액 합계"), count, "exports_krw"),
        ("employees", tr("연말 상시 고용인원"), tr("연말 입주기업의 12월 31일까지 최신 고용 기록 합계"), count, "employees_at_year_end"),
        ("jobs", tr("일자리 창출"), tr("연말 입주기업 중 두 연말 모두 고용 기록이 있는 기업: 올해 - 전년"), FigureKind.CHANGE, "jobs_created"),
        ("investment", tr("투자유치(원)"), tr("그해 입주 중에 받은 투자 합계(모든 종류)"), count, "investment_krw"),
        ("investment_rounds", tr("투자유치 건수"), tr("그해 입주 중에 받은 투자 건수"), count, "investment_rounds"),
        ("ip", tr("지식재산권"), tr("그해 입주 중에 출원·등록한 건수"), count, "ip_total"),
        ("certifications", tr("유효 인증"), tr("연말 입주기업의 12월 31일에 유효한 인증 수"), count, "certifications_total"),
        ("projects", tr("정부지원사업 선정"), tr("그해 입주 중에 선정된 건수"), count, "projects"),
        ("projects_krw", tr("정부지원사업 금액(원)"), tr("그 선정 건의 금액 합계"), count, "projects_krw"),
        ("mentoring", tr("멘토링 횟수"), tr("그해 입주기업이 받은 완료된 멘토링"), count, "mentoring_sessions"),
        ("mentoring_companies", tr("멘토링 참여 기업"), tr("그 멘토링을 받은 기업 수"), count, "mentoring_companies"),
        ("support_asked", tr("지원 요청 접수"), tr("그해 접수된 지원 요청"), count, "support_asked"),
        ("support_done", tr("지원 요청 완료"), tr("그해 완료된 지원 요청"), count, "support_done"),
        ("support_declined", tr("지원 요청 반려"), tr("그해 반려된 지원 요청"), count, "support_declined"),
        ("survival", tr("3년 생존율"), tr("3년 전 퇴거기업: 운영 ÷ (운영 + 폐업), 미확인 제외"), rate, "survival.rate"),
        ("survival_unknown", tr("3년 생존 미확인"), tr("3년 전 퇴거기업 중 상태를 모르는 기업 수"), count, "survival.unknown"),
        ("gwangju", tr("광주 잔류율"), tr("그해 퇴거기업 중 소재지를 아는 기업 가운데 광주"), rate, "stayed_gwangju_share"),
        ("turnover", tr("회전율"), tr("연중 입주기업 ÷ 12월 31일 사용 가능한 사무실·공유 공간"), decimal, "turnover"),
        ("stay_days", tr("평균 입주 기간(일)"), tr("그해 끝난 입주의 입주일부터 퇴거일까지 일수 평균"), decimal, "average_stay_days"),
    ]  # fmt: skip
    return [
        AnnualFigure(key, label, definition, kind, [attrgetter(value)(f) for f in figures])
        for key, label, definition, kind, value in rows
    ]


def _records(session: Session, model: type[RowT], scope: of.YearScope) -> list[tuple[RowT, str]]:
    query = (
        select(model, col(Company.name))
        .join(Company, col(Company.id) == model.company_id)  # type: ignore[attr-defined]
        .where(*of.counted(model, scope))
        .order_by(col(Company.name), model.id)  # type: ignore[attr-defined]
    )
    return list(session.exec(query).all())


def _sales_rows(session: Session, sales: dict[int, of.CompanySales]) -> list[SalesRow]:
    names = session.exec(
        select(id_column(Company), col(Company.name))
        .where(among(session, id_column(Company), list(sales)))
        .order_by(col(Company.name), id_column(Company))
    ).all()
    rows = []
    for company_id, name in names:
        mine = sales[company_id]
        before = mine.before
        rows.append(
            SalesRow(
                name,
                before.sales_krw if before else None,
                mine.now.sales_krw,
                mine.growth("sales_krw"),
                before.exports_krw if before else None,
                mine.now.exports_krw,
                mine.growth("exports_krw"),
            )
        )
    return rows


def _record_rows(session: Session, scope: of.YearScope) -> list[RecordSection]:
    investment = [
        RecordRow(name, label_of(InvestmentKind, r.kind), r.invested_on, r.amount_krw, r.investor, record_kind_of(InvestmentRound), stored_id(r))
        for r, name in _records(session, InvestmentRound, scope)
    ]  # fmt: skip
    ip = [
        RecordRow(name, label_of(IPKind, r.kind), r.dated_on, None, f"{r.number} {r.title}".strip(), record_kind_of(IntellectualProperty), stored_id(r))
        for r, name in _records(session, IntellectualProperty, scope)
    ]  # fmt: skip
    certifications = [
        RecordRow(name, label_of(CertificationKind, r.kind), r.granted_on, None, r.number, record_kind_of(Certification), stored_id(r))
        for r, name in _records(session, Certification, scope)
    ]  # fmt: skip
    projects = [
        RecordRow(name, r.agency, r.selected_on, r.amount_krw, r.name, record_kind_of(GovernmentProject), stored_id(r))
        for r, name in _records(session, GovernmentProject, scope)
    ]  # fmt: skip
    kind, amount = tr("종류"), True
    return [
        RecordSection(tr("투자유치"), kind, tr("투자일"), tr("투자자"), amount, investment),
        RecordSection(tr("지식재산권"), kind, tr("출원·등록일"), tr("번호·명칭"), not amount, ip),
        RecordSection(tr("인증"), kind, tr("인증일"), tr("인증 번호"), not amount, certifications),
        RecordSection(tr("정부지원사업"), tr("기관"), tr("선정일"), tr("사업명"), amount, projects),
    ]


@dataclass(frozen=True)
class _Counted:
    """A record the report counts, as the evidence index names it."""

    company: str
    figure: str
    record: str
    record_kind: str
    record_id: int


def _counted_sales(session: Session, year: int, companies: list[int]) -> list[_Counted]:
    """The sales records of the year and of the year before of the companies the sales table lists."""
    query = (
        select(SalesRecord, col(Company.name))
        .join(Company, col(Company.id) == col(SalesRecord.company_id))
        .where(col(SalesRecord.year).in_((year - 1, year)), among(session, col(SalesRecord.company_id), companies))
        .order_by(col(Company.name), col(SalesRecord.year), col(SalesRecord.half))
    )
    figure, kind = tr("매출·수출"), record_kind_of(SalesRecord)
    return [_Counted(name, figure, sales_period(r.year, r.half), kind, stored_id(r)) for r, name in session.exec(query)]


def _counted_headcounts(session: Session, scope: of.YearScope) -> list[_Counted]:
    records = of.counted_headcounts(session, scope)
    names = dict(
        session.exec(
            select(id_column(Company), col(Company.name)).where(
                among(session, id_column(Company), [r.company_id for r in records])
            )
        ).all()
    )
    figure, kind = tr("상시 고용인원"), record_kind_of(HeadcountRecord)
    return [
        _Counted(
            names[r.company_id],
            figure,
            tr("{day} {count}명", day=r.as_of.isoformat(), count=r.employees),
            kind,
            stored_id(r),
        )
        for r in sorted(records, key=lambda r: (names[r.company_id], r.as_of))
    ]


def _counted_records(records: list[RecordSection]) -> list[_Counted]:
    return [
        _Counted(row.company, section.title, f"{row.what} {row.day.isoformat()}", row.record_kind, row.record_id)
        for section in records
        for row in section.rows
    ]


def _evidence(session: Session, counted: list[_Counted]) -> list[EvidenceRow]:
    """The files attached to the counted records, in their order."""
    ids: dict[str, list[int]] = {}
    for record in counted:
        ids.setdefault(record.record_kind, []).append(record.record_id)
    files = {kind: evidence_of(session, kind, kept) for kind, kept in ids.items()}
    return [
        EvidenceRow(record.company, record.figure, record.record, file.file_name, file.size_bytes, file.sha256[:12])
        for record in counted
        for file in files[record.record_kind].get(record.record_id, [])
    ]


def build_annual_report(
    session: Session, *, year: int, facility_id: int | None = None, evidenced_only: bool = False
) -> AnnualReport:
    facility_ids: list[int | None] = [facility_id]
    columns = [facility_label(session, facility_id)]
    names = {stored_id(f): f.name for f in session.exec(select(Facility).order_by(col(Facility.name)))}
    if facility_id is None:
        facility_ids += list(names)
        columns += list(names.values())
    figures = [
        of.outcome_figures(session, year=year, facility_id=fid, evidenced_only=evidenced_only) for fid in facility_ids
    ]
    scope = of.YearScope(year, facility_id, evidenced_only)
    records = _record_rows(session, scope)
    sales = of.company_sales(session, year=year, facility_id=facility_id, evidenced_only=evidenced_only)
    # In the order of the summary's figures: sales, employees, then the other records.
    counted = [
        *_counted_sales(session, year, list(sales)),
        *_counted_headcounts(session, scope),
        *_counted_records(records),
    ]
    return AnnualReport(
        title=tr("연간 보육 성과 보고서"),
        year=year,
        facility_id=facility_id,
        facility_name=columns[0],
        columns=columns,
        evidenced_only=evidenced_only,
        language=current_language(),
        generated_at=datetime.now(),
        figures=_figures(figures),
        sales=_sales_rows(session, sales),
        records=records,
        watch=of.subsidy_watch(session, on=of.year_end(year), facility_id=facility_id),
        facility_names=names,
        evidence=_evidence(session, counted),
    )
