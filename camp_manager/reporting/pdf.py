"""The monthly report as an A4 PDF, laid out from a `MonthlyReport` with the building
blocks of `reporting.document`: cover, summary, floors, roster, movements, mentoring,
watch list and trends, each page headed by the facility and the month.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from camp_manager.files import atomic_write, check_output_folder
from camp_manager.i18n import tr
from camp_manager.progress import NullProgress, Progress
from camp_manager.reporting.document import (
    BODY_WIDTH,
    FONT,
    NAVY,
    RULE,
    STRIPE,
    STYLES,
    Column,
    bar_chart,
    build_document,
    data_table,
    empty_note,
    escape,
    heading,
    line_chart,
    register_fonts,
    side_by_side,
    subheading,
    title_block,
)
from camp_manager.reporting.monthly import (
    REQUEST_WATCH_DAYS,
    FigureKind,
    MonthlyReport,
    change_headers,
    format_figure,
)
from camp_manager.reporting.options import PLAIN, ReportOptions
from camp_manager.services.occupancy import CONTRACT_WATCH_DAYS


def _count(value: int | None) -> str:
    return "" if value is None else format_figure(value, FigureKind.COUNT)


def _rate(value: float) -> str:
    return format_figure(value, FigureKind.PERCENT)


def _hours(value: float) -> str:
    return format_figure(value, FigureKind.HOURS)


def _date(value: date | None) -> str:
    return value.isoformat() if value else ""


def _facility_column(report: MonthlyReport, width: float = 20) -> list[Column]:
    """The facility column, shown only in a report on all facilities."""
    return [Column(tr("시설"), width)] if report.all_facilities else []


def _facility_cell(report: MonthlyReport, facility: str) -> list[str]:
    return [facility] if report.all_facilities else []


def _cover(report: MonthlyReport, options: ReportOptions) -> list[Flowable]:
    facility = (
        report.facility_name
        if not report.all_facilities
        else f"{report.facility_name} ({', '.join(report.facility_names)})"
    )
    meta = [
        [tr("시설"), facility],
        [tr("대상 기간"), f"{report.month.first_day.isoformat()} ~ {report.month.last_day.isoformat()}"],
        [tr("기준일"), report.as_of.isoformat()],
        [tr("작성일"), report.generated_at.strftime("%Y-%m-%d")],
    ]
    table = Table(
        [[Paragraph(f"<b>{escape(k)}</b>", STYLES["body"]), Paragraph(escape(v), STYLES["body"])] for k, v in meta],
        colWidths=[30 * mm, 110 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9),
                ("LINEABOVE", (0, 0), (-1, 0), 0.8, NAVY),
                ("LINEBELOW", (0, -1), (-1, -1), 0.8, NAVY),
                ("LINEBELOW", (0, 0), (-1, -2), 0.3, RULE),
                ("BACKGROUND", (0, 0), (0, -1), STRIPE),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return [
        *title_block(report.title, f"{report.facility_name} · {report.month.label()}", options.approval_headings()),
        Spacer(1, 5 * mm),
        table,
    ]


def _summary_table(report: MonthlyReport) -> Table:
    """The figures of the scope; a report on all facilities adds a column per facility beside the total."""
    each = report.facility_summaries
    columns = [Column(tr("항목"), 50), Column(tr("전체 시설") if each else tr("값"), 26 if not each else 22, "RIGHT")]
    columns += [Column(s.facility_name, 22, "RIGHT") for s in each]
    per_facility = [s.figures() for s in each]
    rows = [
        [figure.label, figure.text, *(figures[index].text for figures in per_facility)]
        for index, figure in enumerate(report.summary.figures())
    ]
    return data_table(columns, rows)


def _changes_table(report: MonthlyReport) -> Table:
    columns = [Column(tr("항목"), 30), *(Column(header, 18, "RIGHT") for header in change_headers())]
    rows = [[c.figure.label, *(format_figure(value, kind) for value, kind in c.values())] for c in report.changes]
    return data_table(columns, rows)


def _fields_table(report: MonthlyReport) -> Flowable:
    if not report.residents_by_field:
        return empty_note()
    rows: list[list[object]] = [[r.label, _count(r.count)] for r in report.residents_by_field]
    rows.append([tr("합계"), _count(sum(r.count for r in report.residents_by_field))])
    return data_table([Column(tr("분야"), 26), Column(tr("입주기업"), 16, "RIGHT")], rows, total_rows=[len(rows) - 1])


def _summary(report: MonthlyReport) -> list[Flowable]:
    summary = report.summary
    table = _summary_table(report)
    wide = bool(report.facility_summaries)
    # Beside a one-column table the charts stack on its right; under a wide one they sit side by side.
    chart_width = BODY_WIDTH / 2 if wide else BODY_WIDTH - 84 * mm
    seat_rate = summary.seats_used / summary.seats_total if summary.seats_total else 0.0
    office_rate = summary.occupancy_rate
    use_chart = bar_chart(
        tr("사용률(%)"),
        [
            tr("사무실 {used}/{total}실", used=summary.rooms_occupied, total=summary.rooms_total),
            tr("공유 좌석 {used}/{total}석", used=summary.seats_used, total=summary.seats_total),
        ],
        [
            [round(office_rate * 100, 1), round(seat_rate * 100, 1)],
            [round(100 - office_rate * 100, 1), round(100 - seat_rate * 100, 1)],
        ],
        width=chart_width,
        height=110,
        horizontal=True,
        stacked=True,
        names=[tr("사용"), tr("빈 자리")],
        value_max=100,
        palette=[NAVY, colors.HexColor("#D0D5DD")],
    )
    months = report.trend.months
    trend_chart = line_chart(
        tr("최근 {count}개월 사무실 입주율(%)", count=len(months)),
        [p.month.label_short() for p in months],
        [round(p.occupancy_rate * 100, 1) for p in months],
        width=chart_width,
        height=150 if not wide else 120,
        label_format="%.0f",
    )
    if wide:
        layout: list[Flowable] = [
            table,
            Spacer(1, 3 * mm),
            side_by_side(use_chart, trend_chart, widths=[chart_width, chart_width]),
        ]
    else:
        layout = [
            side_by_side(
                table,
                side_by_side(use_chart, trend_chart, widths=[chart_width], stacked=True),
                widths=[84 * mm, chart_width],
            )
        ]
    note = Paragraph(
        escape(
            tr(
                "입주기업·호실·고용인원은 기준일({date}) 현재, 입주·퇴거·멘토링은 {start}부터 {end}까지의 집계입니다. 사무실 입주율 = 사용 중인 사무실 ÷ 전체 사무실.",
                date=report.as_of.isoformat(),
                start=report.month.first_day.isoformat(),
                end=report.month.last_day.isoformat(),
            )
        ),
        STYLES["note"],
    )
    changes_width = 122 * mm
    compared = side_by_side(
        _changes_table(report), _fields_table(report), widths=[changes_width, BODY_WIDTH - changes_width]
    )
    return [
        *heading(tr("1. 요약")),
        *layout,
        Spacer(1, 2 * mm),
        note,
        KeepTogether(
            [
                subheading(
                    tr(
                        "전월·전년 동월 대비 (각 달의 말일 기준) · 분야별 입주기업 ({date} 기준)",
                        date=report.as_of.isoformat(),
                    )
                ),
                compared,
            ]
        ),
    ]


def _floors(report: MonthlyReport) -> list[Flowable]:
    columns = [
        Column(tr("시설"), 24, wrap=True),
        Column(tr("층"), 12),
        Column(tr("사무실"), 14, "RIGHT"),
        Column(tr("사용"), 12, "RIGHT"),
        Column(tr("공실"), 12, "RIGHT"),
        Column(tr("입주율"), 15, "RIGHT"),
        Column(tr("공유 좌석"), 22, "RIGHT"),
        Column(tr("면적(m²)"), 26, "RIGHT"),
        Column(tr("입주기업"), 15, "RIGHT"),
    ]
    rows, totals = [], []
    for index, row in enumerate(report.floors):
        if row.is_total:
            totals.append(index)
        offices = bool(row.rooms_total)
        rows.append(
            [
                row.facility,
                row.place,
                *(
                    [
                        _count(row.rooms_total),
                        _count(row.rooms_occupied),
                        _count(row.rooms_total - row.rooms_occupied),
                        _rate(row.occupancy_rate),
                    ]
                    if offices
                    else ["-"] * 4
                ),
                f"{row.seats_used:,} / {row.seats_total:,}" if row.seats_total else "-",
                f"{row.area_occupied:,.0f} / {row.area_total:,.0f}" if row.area_total else "-",
                _count(row.residents),
            ]
        )
    note = Paragraph(
        escape(
            tr("공유 좌석과 면적은 사용/전체입니다. 입주기업 수는 시설 단위로 셉니다(한 기업이 여러 층을 쓸 수 있음).")
        ),
        STYLES["note_lead"],
    )
    floors = [r for r in report.floors if not r.is_total and r.rooms_total]
    many = len(report.facility_names) > 1
    chart = bar_chart(
        tr("층별 사무실 입주율(%)"),
        [f"{r.facility} {r.place}" if many else r.place for r in floors],
        [[round(r.occupancy_rate * 100, 1) for r in floors]],
        width=BODY_WIDTH,
        height=max(90, 15 * len(floors) + 40),
        horizontal=True,
        value_max=100,
        label_format="%.1f",
    )
    table = data_table(columns, rows, total_rows=totals, stretch=True)
    return [
        *heading(tr("2. 시설·층별 입주 현황")),
        note,
        Spacer(1, 1.5 * mm),
        table,
        Spacer(1, 3 * mm),
        KeepTogether([chart]),
    ]


def _roster(report: MonthlyReport) -> list[Flowable]:
    flow = [*heading(tr("3. 입주기업 명단"), room=80 * mm)]
    if not report.roster:
        return [*flow, empty_note()]
    columns = [
        Column(tr("번호"), 9, "RIGHT"),
        Column(tr("기업명"), 40, wrap=True),
        *_facility_column(report, 17),
        Column(tr("대표자"), 14, wrap=True),
        Column(tr("사업자등록번호"), 22, "CENTER"),
        Column(tr("분야"), 21, wrap=True),
        Column(tr("호실"), 13, wrap=True, codes=True),
        Column(tr("입주일"), 18, "CENTER"),
        Column(tr("계약 만료일"), 18, "CENTER"),
        Column(tr("고용"), 10, "RIGHT"),
    ]
    rows = [
        [
            str(r.no),
            r.company,
            *_facility_cell(report, r.facility),
            r.representative,
            r.biz_reg_no,
            r.field,
            r.rooms,
            _date(r.move_in),
            _date(r.contract_end),
            _count(r.employees),
        ]
        for r in report.roster
    ]
    note = Paragraph(
        escape(
            tr(
                "{date} 현재 입주기업 {count}개, 기업명 가나다순. 고용은 기준일까지 신고된 최근 상시 고용인원입니다.",
                date=report.as_of.isoformat(),
                count=len(report.roster),
            )
        ),
        STYLES["note_lead"],
    )
    return [*flow, note, Spacer(1, 2 * mm), data_table(columns, rows, stretch=True)]


def _movements(report: MonthlyReport) -> list[Flowable]:
    flow: list[Flowable] = [*heading(tr("4. 이달의 입퇴거·호실 변동"))]
    if report.movements:
        columns = [
            Column(tr("날짜"), 18, "CENTER"),
            Column(tr("구분"), 13, "CENTER"),
            Column(tr("기업명"), 32, wrap=True),
            *_facility_column(report),
            Column(tr("호실"), 14, wrap=True, codes=True),
            Column(tr("내용"), 50, wrap=True),
        ]
        rows = [
            [_date(m.on), m.kind_label, m.company, *_facility_cell(report, m.facility), m.rooms, m.detail]
            for m in report.movements
        ]
        flow.append(data_table(columns, rows, stretch=True))
    else:
        flow.append(empty_note(tr("이달에는 입주·퇴거·호실 변동이 없습니다.")))
    flow.append(subheading(tr("이달 퇴거 사유")))
    if report.exits_by_reason:
        rows = [[r.label, _count(r.count)] for r in report.exits_by_reason]
        rows.append([tr("합계"), _count(sum(r.count for r in report.exits_by_reason))])
        flow.append(
            data_table([Column(tr("사유"), 50), Column(tr("기업 수"), 22, "RIGHT")], rows, total_rows=[len(rows) - 1])
        )
    else:
        flow.append(empty_note(tr("이달 퇴거 없음")))
    return flow


def _mentoring(report: MonthlyReport) -> list[Flowable]:
    section = report.mentoring
    flow: list[Flowable] = [
        *heading(tr("5. 이달의 멘토링")),
        Paragraph(
            escape(
                tr(
                    "멘토링 {sessions}회 · {hours}시간 · 참여 기업 {companies}개",
                    sessions=section.sessions,
                    hours=_hours(section.hours),
                    companies=section.companies_reached,
                )
            ),
            STYLES["lead"],
        ),
    ]
    numbers = [Column(tr("횟수"), 14, "RIGHT"), Column(tr("시간"), 14, "RIGHT")]
    field_rows = [
        [line.name, _count(line.sessions), _hours(line.hours), _count(line.companies)] for line in section.by_field
    ]
    field_rows.append([tr("합계"), _count(section.sessions), _hours(section.hours), _count(section.companies_reached)])
    field_table = data_table(
        [Column(tr("분야"), 30), *numbers, Column(tr("기업 수"), 16, "RIGHT")],
        field_rows,
        total_rows=[len(field_rows) - 1],
    )
    chart_width = BODY_WIDTH - 84 * mm
    chart = bar_chart(
        tr("분야별 멘토링 횟수"),
        [line.name for line in section.by_field],
        [[line.sessions for line in section.by_field]],
        width=chart_width,
        height=110,
    )
    flow += [
        subheading(tr("분야별")),
        side_by_side(field_table, chart, widths=[84 * mm, chart_width]),
        subheading(tr("멘토별")),
    ]
    if section.by_mentor:
        rows = [
            [line.name, line.detail, _count(line.sessions), _hours(line.hours), _count(line.companies)]
            for line in section.by_mentor
        ]
        flow.append(
            data_table(
                [
                    Column(tr("멘토"), 30, wrap=True),
                    Column(tr("분야"), 30),
                    *numbers,
                    Column(tr("기업 수"), 16, "RIGHT"),
                ],
                rows,
            )
        )
    else:
        flow.append(empty_note())
    flow.append(subheading(tr("참여 기업")))
    if section.by_company:
        rows = [[line.name, _count(line.sessions), _hours(line.hours)] for line in section.by_company]
        flow.append(data_table([Column(tr("기업명"), 76, wrap=True), *numbers], rows))
    else:
        flow.append(empty_note())
    return flow


def _watch(report: MonthlyReport) -> list[Flowable]:
    watch = report.watch
    flow: list[Flowable] = [*heading(tr("6. 주의 목록"))]
    flow.append(subheading(tr("정원 초과(고용인원이 보유 좌석보다 많음): {count}개", count=len(watch.over_capacity))))
    if watch.over_capacity:
        columns = [
            Column(tr("기업명"), 40, wrap=True),
            *_facility_column(report),
            Column(tr("호실"), 18, wrap=True, codes=True),
            Column(tr("보유 좌석"), 15, "RIGHT"),
            Column(tr("고용인원"), 15, "RIGHT"),
            Column(tr("초과"), 12, "RIGHT"),
            Column(tr("확장 신청"), 15, "CENTER"),
        ]
        rows = [
            [
                w.company,
                *_facility_cell(report, w.facility),
                w.rooms,
                _count(w.seats_held),
                _count(w.employees),
                _count(w.excess),
                tr("있음") if w.open_request else "-",
            ]
            for w in watch.over_capacity
        ]
        flow.append(data_table(columns, rows, stretch=True))
    else:
        flow.append(empty_note())
    flow.append(
        subheading(
            tr(
                "{days}일 안에 계약이 끝나는 기업: {count}개",
                days=CONTRACT_WATCH_DAYS,
                count=len(watch.contracts_ending),
            )
        )
    )
    if watch.contracts_ending:
        columns = [
            Column(tr("기업명"), 40, wrap=True),
            *_facility_column(report),
            Column(tr("호실"), 18, wrap=True, codes=True),
            Column(tr("계약 만료일"), 20, "CENTER"),
            Column(tr("남은 일수"), 15, "RIGHT"),
            Column(tr("경보"), 15, "CENTER"),
        ]
        rows = [
            [
                w.company,
                *_facility_cell(report, w.facility),
                w.rooms,
                _date(w.contract_end),
                _count(w.days_left),
                w.alert_label,
            ]
            for w in watch.contracts_ending
        ]
        flow.append(data_table(columns, rows, stretch=True))
    else:
        flow.append(empty_note())
    flow.append(
        subheading(
            tr("{days}일 넘게 기다리는 신청: {count}건", days=REQUEST_WATCH_DAYS, count=len(watch.waiting_requests))
        )
    )
    if watch.waiting_requests:
        columns = [
            Column(tr("기업명"), 32, wrap=True),
            *_facility_column(report),
            Column(tr("유형"), 15, "CENTER"),
            Column(tr("신청일"), 18, "CENTER"),
            Column(tr("대기 일수"), 14, "RIGHT"),
            Column(tr("메모"), 40, wrap=True),
        ]
        rows = [
            [
                w.company,
                *_facility_cell(report, w.facility),
                w.kind,
                _date(w.requested_on),
                _count(w.days_waiting),
                w.note,
            ]
            for w in watch.waiting_requests
        ]
        flow.append(data_table(columns, rows, stretch=True))
    else:
        flow.append(empty_note())
    return flow


def _trend(report: MonthlyReport) -> list[Flowable]:
    trend = report.trend
    flow: list[Flowable] = [
        *heading(tr("7. 추이")),
        subheading(tr("최근 {count}개월 입주 현황", count=len(trend.months))),
    ]
    flow.append(
        line_chart(
            tr("월말 사무실 입주율(%)"),
            [p.month.label_short() for p in trend.months],
            [round(p.occupancy_rate * 100, 1) for p in trend.months],
            width=BODY_WIDTH,
            height=150,
            label_format="%.1f",
        )
    )
    columns = [
        Column(tr("월"), 24),
        Column(tr("기준일"), 22, "CENTER"),
        Column(tr("입주기업"), 18, "RIGHT"),
        Column(tr("사용 중인 사무실"), 24, "RIGHT"),
        Column(tr("전체 사무실"), 20, "RIGHT"),
        Column(tr("입주율"), 16, "RIGHT"),
    ]
    rows = [
        [
            p.month.label(),
            _date(p.as_of),
            _count(p.residents),
            _count(p.rooms_occupied),
            _count(p.rooms_total),
            _rate(p.occupancy_rate),
        ]
        for p in trend.months
    ]
    flow += [Spacer(1, 2 * mm), data_table(columns, rows, stretch=True)]

    half = (BODY_WIDTH - 6 * mm) / 2
    year_chart = bar_chart(
        tr("12월 31일 기준 입주기업 수"),
        [str(year) for year, _ in trend.year_ends],
        [[count for _, count in trend.year_ends]],
        width=half,
        height=140,
    )
    year_rows = [[str(year), _count(count)] for year, count in trend.year_ends]
    year_table = (
        data_table([Column(tr("연도"), 20, "CENTER"), Column(tr("12월 31일 입주기업"), 34, "RIGHT")], year_rows)
        if year_rows
        else empty_note()
    )
    flow += [
        CondPageBreak(60 * mm),
        subheading(tr("연말 입주기업 수")),
        side_by_side(year_chart, year_table, widths=[half + 6 * mm, half]),
    ]

    exits = trend.exits
    flow += [CondPageBreak(90 * mm), subheading(tr("연도별 퇴거 사유"))]
    if not exits.reasons:
        return [*flow, empty_note()]
    names = [reason.label for reason in exits.reasons]
    series = [[exits.counts[y][r] for y in range(len(exits.years))] for r in range(len(exits.reasons))]
    flow.append(
        bar_chart(
            tr("연도별 퇴거 기업 수(사유별)"),
            [str(y) for y in exits.years],
            series,
            width=BODY_WIDTH,
            height=190,
            stacked=True,
            names=names,
        )
    )
    # Reasons down, years across: long reason names stay on one line.
    columns = [
        Column(tr("사유"), 34),
        *[Column(str(year), 13, "RIGHT") for year in exits.years],
        Column(tr("합계"), 14, "RIGHT"),
    ]
    rows = [
        [reason.label, *[_count(exits.counts[y][r]) for y in range(len(exits.years))], _count(reason.count)]
        for r, reason in enumerate(exits.reasons)
    ]
    rows.append(
        [
            tr("합계"),
            *[_count(exits.year_total(y)) for y in range(len(exits.years))],
            _count(sum(r.count for r in exits.reasons)),
        ]
    )
    return [*flow, Spacer(1, 2 * mm), data_table(columns, rows, total_rows=[len(rows) - 1], stretch=True)]


def render_pdf(
    report: MonthlyReport, path: Path, *, options: ReportOptions = PLAIN, progress: Progress | None = None
) -> Path:
    """Write the report as an A4 PDF at `path`, dressed as `options` say, and return the path."""
    progress = progress or NullProgress()
    register_fonts()
    path = Path(path)
    check_output_folder(path.parent)  # before the work, not after it
    sections: list[Callable[[MonthlyReport], list[Flowable]]] = [
        partial(_cover, options=options),
        _summary,
        _floors,
        _roster,
        _movements,
        _mentoring,
        _watch,
        _trend,
    ]
    story: list[Flowable] = []
    for index, section in enumerate(sections):
        progress.check_cancelled()
        progress.report(index, len(sections) + 1, tr("PDF 작성 중…"))
        story += section(report)

    def page_started(page: int) -> None:
        # Laying out the pages is most of the work: a cancel stops it here, before anything is written.
        progress.check_cancelled()
        progress.report(len(sections), len(sections) + 1, tr("PDF 작성 중… {page}쪽", page=page))

    with atomic_write(path) as temporary:
        build_document(
            temporary,
            story,
            title=f"{report.title} — {report.facility_name} {report.month.label()}",
            subject=report.title,
            language=report.language,
            header=(f"{report.title} · {report.facility_name}", options.with_office(report.month.label())),
            footer=tr("생성 {time} · Camp Manager", time=report.generated_at.strftime("%Y-%m-%d %H:%M")),
            page_started=page_started,
        )
    progress.report(len(sections) + 1, len(sections) + 1, tr("PDF를 저장했습니다."))
    return path
