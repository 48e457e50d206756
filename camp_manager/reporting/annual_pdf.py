"""The annual performance report as an A4 PDF, laid out from an `AnnualReport` with the building
blocks of `reporting.document`: cover and summary (every figure with its definition, a column per
facility beside the total), each company's sales and exports, the counted records by figure, the
subsidy watch list and the evidence index.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from camp_manager.files import atomic_write, check_output_folder
from camp_manager.i18n import tr
from camp_manager.labels import label_of
from camp_manager.progress import NullProgress, Progress
from camp_manager.reporting.annual import AnnualReport, RecordSection
from camp_manager.reporting.document import (
    STYLES,
    Column,
    build_document,
    data_table,
    empty_note,
    escape,
    heading,
    register_fonts,
    title_block,
)
from camp_manager.reporting.monthly import FigureKind, format_figure
from camp_manager.reporting.options import PLAIN, ReportOptions
from camp_manager.services.outcome_figures import (
    NEAR_CAPITAL_KRW,
    NEAR_EMPLOYEES,
    SUBSIDY_CAPITAL_KRW,
    SUBSIDY_EMPLOYEES,
    SubsidyStatus,
)

NONE = "–"  # a figure that cannot be computed (e.g. a growth without last year's sales)


def _value(value: int | float | None, kind: FigureKind = FigureKind.COUNT) -> str:
    return NONE if value is None else format_figure(value, kind)


def _note(text: str) -> Paragraph:
    return Paragraph(escape(text), STYLES["note_lead"])


def _cover(report: AnnualReport, options: ReportOptions) -> list[Flowable]:
    facility = report.facility_name
    if len(report.columns) > 1:
        facility = f"{facility} ({', '.join(report.columns[1:])})"
    meta = [
        (tr("시설"), facility),
        (tr("대상 기간"), f"{report.year}-01-01 ~ {report.year}-12-31"),
        (tr("기준일"), f"{report.year}-12-31"),
        (tr("증빙 있는 기록만"), tr("예") if report.evidenced_only else tr("아니오")),
        (tr("작성일"), report.generated_at.strftime("%Y-%m-%d")),
    ]
    return [
        *title_block(
            report.title,
            f"{report.facility_name} · {tr('{year}년', year=report.year)}",
            options.approval_headings(),
        ),
        Spacer(1, 4 * mm),
        *(Paragraph(f"<b>{escape(key)}</b>  {escape(value)}", STYLES["body"]) for key, value in meta),
    ]


def _summary(report: AnnualReport) -> list[Flowable]:
    columns = [
        Column(tr("항목"), 30, wrap=True),
        *(Column(name, 16, "RIGHT", wrap=True) for name in report.columns),
        Column(tr("정의"), 70, wrap=True),
    ]
    rows = [[f.label, *(_value(v, f.kind) for v in f.values), f.definition] for f in report.figures]
    note = tr(
        "정의의 '그해'는 {year}년 1월 1일~12월 31일입니다. 시설별 값은 그 시설 입주 중의 기록만 세므로 합이 전체와 다를 수 있습니다(시설을 옮긴 기업).",
        year=report.year,
    )
    if report.evidenced_only:
        note += " " + tr("매출·고용·투자·지식재산권·인증·정부지원사업은 증빙 파일이 있는 기록만 셉니다.")
    return [*heading(tr("1. 성과 요약")), _note(note), Spacer(1, 1.5 * mm), data_table(columns, rows, stretch=True)]


def _sales(report: AnnualReport) -> list[Flowable]:
    flow: list[Flowable] = [
        *heading(tr("2. 기업별 매출·수출")),
        _note(
            tr(
                "그해 입주한 적 있는 기업의 {year}년 매출 기록. 성장률은 매출 성장률이 비교하는 기업(12월 31일 입주 중, 두 해 모두 1년치 기록)에만 씁니다.",
                year=report.year,
            )
        ),
    ]
    if not report.sales:
        return [*flow, empty_note()]
    columns = [
        Column(tr("기업명"), 40, wrap=True),
        Column(tr("전년 매출(원)"), 20, "RIGHT", wrap=True),
        Column(tr("매출액(원)"), 20, "RIGHT", wrap=True),
        Column(tr("매출 성장률"), 14, "RIGHT", wrap=True),
        Column(tr("전년 수출(원)"), 20, "RIGHT", wrap=True),
        Column(tr("수출액(원)"), 20, "RIGHT", wrap=True),
        Column(tr("수출 성장률"), 14, "RIGHT", wrap=True),
    ]
    rate = FigureKind.PERCENT
    rows = [
        [
            r.company,
            _value(r.sales_before_krw),
            _value(r.sales_krw),
            _value(r.sales_growth, rate),
            _value(r.exports_before_krw),
            _value(r.exports_krw),
            _value(r.exports_growth, rate),
        ]
        for r in report.sales
    ]
    rows.append(
        [
            tr("합계"),
            "",
            _value(sum(r.sales_krw for r in report.sales)),
            "",
            "",
            _value(sum(r.exports_krw for r in report.sales)),
            "",
        ]
    )
    return [*flow, Spacer(1, 1.5 * mm), data_table(columns, rows, total_rows=[len(rows) - 1], stretch=True)]


def _records(section: RecordSection, number: int) -> list[Flowable]:
    flow: list[Flowable] = [*heading(f"{number}. {section.title}")]
    if not section.rows:
        return [*flow, empty_note()]
    # The tally by kind: its total is the figure the summary shows.
    tally = Counter(r.what for r in section.rows)
    amounts = Counter[str]()
    for r in section.rows:
        amounts[r.what] += r.amount_krw or 0
    money = [Column(tr("금액(원)"), 22, "RIGHT")] if section.amounts else []
    kinds = [
        [what, _value(count), *([_value(amounts[what])] if section.amounts else [])] for what, count in tally.items()
    ]
    kinds.append([tr("합계"), _value(len(section.rows)), *([_value(sum(amounts.values()))] if section.amounts else [])])
    columns = [
        Column(tr("기업명"), 36, wrap=True),
        Column(section.what, 22, wrap=True),
        Column(section.day, 20, "CENTER"),
        *money,
        Column(section.detail, 50, wrap=True),
    ]
    rows = [
        [r.company, r.what, r.day.isoformat(), *([_value(r.amount_krw)] if section.amounts else []), r.detail]
        for r in section.rows
    ]
    return [
        *flow,
        data_table(
            [Column(section.what, 40), Column(tr("건수"), 14, "RIGHT"), *money], kinds, total_rows=[len(kinds) - 1]
        ),
        Spacer(1, 3 * mm),
        data_table(columns, rows, stretch=True),
    ]


def _watch(report: AnnualReport, number: int) -> list[Flowable]:
    flow: list[Flowable] = [
        *heading(f"{number}. {tr('고용보조금 후보')}"),
        _note(
            tr(
                "12월 31일 입주기업 가운데 투자 자본 {capital}원 이상과 상시 고용 {staff}명 이상을 모두 충족하거나, 하나를 충족하고 다른 하나가 {near_capital}원·{near_staff}명 이상인 기업입니다. 투자 자본 = 등록 시 투자금 + 그날까지의 지분·전환 투자.",
                capital=f"{SUBSIDY_CAPITAL_KRW:,}",
                staff=SUBSIDY_EMPLOYEES,
                near_capital=f"{NEAR_CAPITAL_KRW:,}",
                near_staff=NEAR_EMPLOYEES,
            )
        ),
    ]
    if not report.watch:
        return [*flow, empty_note()]
    columns = [
        Column(tr("기업명"), 40, wrap=True),
        Column(tr("시설"), 24, wrap=True),
        Column(tr("투자 자본(원)"), 24, "RIGHT"),
        Column(tr("상시 고용인원"), 18, "RIGHT"),
        Column(tr("상태"), 22, wrap=True),
    ]
    rows = [
        [
            w.company,
            report.facility_names[w.facility_id],
            _value(w.capital_krw),
            _value(w.employees),
            label_of(SubsidyStatus, w.status),
        ]
        for w in report.watch
    ]
    return [*flow, Spacer(1, 1.5 * mm), data_table(columns, rows, stretch=True)]


def _evidence(report: AnnualReport, number: int) -> list[Flowable]:
    flow: list[Flowable] = [
        *heading(f"{number}. {tr('증빙 목록')}"),
        _note(tr("보고서가 센 기록에 붙은 증빙 파일. SHA-256은 앞 12자리입니다.")),
    ]
    if not report.evidence:
        return [*flow, empty_note()]
    columns = [
        Column(tr("기업명"), 30, wrap=True),
        Column(tr("항목"), 20, wrap=True),
        Column(tr("기록"), 30, wrap=True),
        Column(tr("파일"), 36, wrap=True),
        Column(tr("크기(바이트)"), 18, "RIGHT"),
        Column("SHA-256", 22),
    ]
    rows = [[e.company, e.figure, e.record, e.file_name, _value(e.size_bytes), e.sha256_head] for e in report.evidence]
    return [*flow, Spacer(1, 1.5 * mm), data_table(columns, rows, stretch=True)]


def render_annual_pdf(
    report: AnnualReport, path: Path, *, options: ReportOptions = PLAIN, progress: Progress | None = None
) -> Path:
    """Write the report as an A4 PDF at `path`, dressed as `options` say, and return the path."""
    progress = progress or NullProgress()
    register_fonts()
    path = Path(path)
    check_output_folder(path.parent)  # before the work, not after it
    first = 3  # the sections numbered after the summary and the sales
    sections: list[Callable[[], list[Flowable]]] = [
        lambda: [*_cover(report, options), *_summary(report)],
        lambda: _sales(report),
        *(lambda s=s, n=n: _records(s, n) for n, s in enumerate(report.records, start=first)),
        lambda: _watch(report, first + len(report.records)),
        lambda: _evidence(report, first + len(report.records) + 1),
    ]
    story: list[Flowable] = []
    for index, section in enumerate(sections):
        progress.check_cancelled()
        progress.report(index, len(sections) + 1, tr("PDF 작성 중…"))
        story += section()

    def page_started(page: int) -> None:
        progress.check_cancelled()
        progress.report(len(sections), len(sections) + 1, tr("PDF 작성 중… {page}쪽", page=page))

    year = tr("{year}년", year=report.year)
    with atomic_write(path) as temporary:
        build_document(
            temporary,
            story,
            title=f"{report.title} — {report.facility_name} {year}",
            subject=report.title,
            language=report.language,
            header=(f"{report.title} · {report.facility_name}", options.with_office(year)),
            footer=tr("생성 {time} · Camp Manager", time=report.generated_at.strftime("%Y-%m-%d %H:%M")),
            page_started=page_started,
        )
    progress.report(len(sections) + 1, len(sections) + 1, tr("PDF를 저장했습니다."))
    return path
