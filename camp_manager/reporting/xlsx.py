"""The monthly report as an Excel workbook (openpyxl), laid out from a `MonthlyReport`.

Seven sheets — 요약, 입주기업, 호실, 입퇴거, 멘토링, 주의, 추이 — with real numbers and
dates, the same figures as the PDF, and native charts on 요약 and 추이.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from camp_manager.files import atomic_write, check_output_folder
from camp_manager.i18n import tr
from camp_manager.progress import NullProgress, Progress
from camp_manager.reporting.monthly import REQUEST_WATCH_DAYS, MonthlyReport, change_headers
from camp_manager.reporting.options import PLAIN, ReportOptions
from camp_manager.reporting.workbook import (
    FIGURE_KINDS,
    HEADER_ROW,
    NUMBER_FORMATS,
    CellKind,
    SheetColumn,
    TableRange,
    new_sheet,
    write_approval_box,
    write_caption,
    write_table,
)
from camp_manager.services.occupancy import CONTRACT_WATCH_DAYS
from camp_manager.spreadsheets import cell_at, set_value

SECOND_TABLE_GAP = 1  # empty columns between tables placed side by side
CHART_ROWS = 17  # rows a chart of 7.5 cm takes, with a gap


class _Sheets:
    """Creates the report's sheets with one title and subtitle."""

    def __init__(self, report: MonthlyReport, options: ReportOptions) -> None:
        self.report, self.options = report, options
        self.workbook = Workbook()
        self.workbook.remove(self.workbook.worksheets[0])  # openpyxl's default sheet
        self.heading = f"{report.title} — {report.facility_name} — {report.month.label()}"
        self.subheading = options.with_office(
            tr(
                "대상 기간 {start} ~ {end} · 기준일 {as_of} · 작성 {time}",
                start=report.month.first_day.isoformat(),
                end=report.month.last_day.isoformat(),
                as_of=report.as_of.isoformat(),
                time=report.generated_at.strftime("%Y-%m-%d %H:%M"),
            )
        )

    def new(self, title: str) -> Worksheet:
        return new_sheet(self.workbook, title, heading=self.heading, subheading=self.subheading)


def _facility_columns(report: MonthlyReport) -> list[SheetColumn]:
    return [SheetColumn(tr("시설"))] if report.all_facilities else []


def _facility_values(report: MonthlyReport, facility: str) -> list[str]:
    return [facility] if report.all_facilities else []


def _next_to(table: TableRange) -> int:
    return table.last_column + 1 + SECOND_TABLE_GAP


def _summary_sheet(sheets: _Sheets) -> tuple[Worksheet, TableRange]:
    """The figures (a column per facility beside the total in a report on all facilities), their
    change against the previous month and the same month a year before, and residents by field."""
    report = sheets.report
    sheet = sheets.new(tr("요약"))
    figures = report.summary.figures()
    each = report.facility_summaries
    per_facility = [s.figures() for s in each]
    columns = [
        SheetColumn(tr("항목"), width=24),
        SheetColumn(tr("전체 시설") if each else tr("값"), CellKind.INTEGER, width=12),
    ]
    columns += [SheetColumn(s.facility_name, CellKind.INTEGER, width=12) for s in each]
    table = write_table(
        sheet,
        columns,
        [[f.label, f.value, *(facility[index].value for facility in per_facility)] for index, f in enumerate(figures)],
    )
    # Each figure keeps its own number format (a rate as 0.0 %, hours with one decimal).
    for offset, figure in enumerate(figures, start=HEADER_ROW + 1):
        for column in range(2, table.last_column + 1):
            cell_at(sheet, offset, column).number_format = NUMBER_FORMATS[FIGURE_KINDS[figure.kind]]
    left = _next_to(table)
    write_caption(sheet, HEADER_ROW - 1, left, tr("전월·전년 동월 대비 (각 달의 말일 기준)"))
    changes = write_table(
        sheet,
        [
            SheetColumn(tr("항목"), width=16),
            *(SheetColumn(header, CellKind.INTEGER) for header in change_headers()),
        ],
        ([c.figure.label, *(value for value, _ in c.values())] for c in report.changes),
        left=left,
        main=False,
    )
    for offset, change in enumerate(report.changes, start=HEADER_ROW + 1):
        for column, (_, kind) in enumerate(change.values(), start=left + 1):
            cell_at(sheet, offset, column).number_format = NUMBER_FORMATS[FIGURE_KINDS[kind]]
    left = _next_to(changes)
    write_caption(sheet, HEADER_ROW - 1, left, tr("분야별 입주기업 ({date} 기준)", date=report.as_of.isoformat()))
    fields = report.residents_by_field
    by_field = write_table(
        sheet,
        [SheetColumn(tr("분야")), SheetColumn(tr("입주기업"), CellKind.INTEGER)],
        [*([r.label, r.count] for r in fields), [tr("합계"), sum(r.count for r in fields)]],
        left=left,
        main=False,
        total_rows=[len(fields)],
    )
    if sheets.options.approval:  # above the charts, right of the tables
        write_approval_box(sheet, sheets.options.approval_headings(), left=_next_to(by_field))
    return sheet, by_field


def _roster_sheet(sheets: _Sheets) -> None:
    report = sheets.report
    sheet = sheets.new(tr("입주기업"))
    columns = [
        SheetColumn(tr("번호"), CellKind.INTEGER, width=6),
        SheetColumn(tr("기업명")),
        *_facility_columns(report),
        SheetColumn(tr("대표자")),
        SheetColumn(tr("사업자등록번호"), width=15),
        SheetColumn(tr("분야")),
        SheetColumn(tr("호실")),
        SheetColumn(tr("보유 좌석"), CellKind.INTEGER),
        SheetColumn(tr("입주일"), CellKind.DATE, width=12),
        SheetColumn(tr("계약 만료일"), CellKind.DATE, width=12),
        SheetColumn(tr("상시 고용인원"), CellKind.INTEGER),
    ]
    rows = (
        [
            r.no,
            r.company,
            *_facility_values(report, r.facility),
            r.representative,
            r.biz_reg_no,
            r.field,
            r.rooms,
            r.seats_held,
            r.move_in,
            r.contract_end,
            r.employees,
        ]
        for r in report.roster
    )
    write_table(sheet, columns, rows, frozen_columns=2)


def _rooms_sheet(sheets: _Sheets) -> None:
    sheet = sheets.new(tr("호실"))
    columns = [
        SheetColumn(tr("시설")),
        SheetColumn(tr("층")),
        SheetColumn(tr("사무실"), CellKind.INTEGER),
        SheetColumn(tr("사용 중"), CellKind.INTEGER),
        SheetColumn(tr("공실"), CellKind.INTEGER),
        SheetColumn(tr("입주율"), CellKind.PERCENT),
        SheetColumn(tr("공유 좌석"), CellKind.INTEGER),
        SheetColumn(tr("사용 좌석"), CellKind.INTEGER),
        SheetColumn(tr("면적(m²)"), CellKind.HOURS),
        SheetColumn(tr("사용 면적(m²)"), CellKind.HOURS),
        SheetColumn(tr("입주기업"), CellKind.INTEGER),
    ]
    rows, totals = [], []
    for index, row in enumerate(sheets.report.floors):
        if row.is_total:
            totals.append(index)
        offices = row.rooms_total > 0
        rows.append(
            [
                row.facility,
                row.place,
                row.rooms_total,
                row.rooms_occupied,
                row.rooms_total - row.rooms_occupied,
                row.occupancy_rate if offices else None,
                row.seats_total,
                row.seats_used,
                row.area_total,
                row.area_occupied,
                row.residents,
            ]
        )
    write_table(sheet, columns, rows, total_rows=totals)


def _movements_sheet(sheets: _Sheets) -> None:
    report = sheets.report
    sheet = sheets.new(tr("입퇴거"))
    columns = [
        SheetColumn(tr("날짜"), CellKind.DATE, width=12),
        SheetColumn(tr("구분")),
        SheetColumn(tr("기업명")),
        *_facility_columns(report),
        SheetColumn(tr("호실")),
        SheetColumn(tr("내용")),
    ]
    rows = [
        [m.on, m.kind_label, m.company, *_facility_values(report, m.facility), m.rooms, m.detail]
        for m in report.movements
    ]
    table = write_table(sheet, columns, rows)
    left = _next_to(table)
    write_caption(sheet, HEADER_ROW - 1, left, tr("이달 퇴거 사유"))
    reasons = [[r.label, r.count] for r in report.exits_by_reason]
    reasons.append([tr("합계"), sum(r.count for r in report.exits_by_reason)])
    write_table(
        sheet,
        [SheetColumn(tr("사유")), SheetColumn(tr("기업 수"), CellKind.INTEGER)],
        reasons,
        left=left,
        main=False,
        total_rows=[len(reasons) - 1],
    )


def _mentoring_sheet(sheets: _Sheets) -> tuple[Worksheet, TableRange]:
    section = sheets.report.mentoring
    sheet = sheets.new(tr("멘토링"))
    numbers = [
        SheetColumn(tr("횟수"), CellKind.INTEGER),
        SheetColumn(tr("시간"), CellKind.HOURS),
        SheetColumn(tr("기업 수"), CellKind.INTEGER),
    ]
    write_caption(sheet, HEADER_ROW - 1, 1, tr("멘토별"))
    by_mentor = write_table(
        sheet,
        [SheetColumn(tr("멘토")), SheetColumn(tr("분야")), *numbers],
        [[line.name, line.detail, line.sessions, line.hours, line.companies] for line in section.by_mentor],
    )
    left = _next_to(by_mentor)
    write_caption(sheet, HEADER_ROW - 1, left, tr("참여 기업"))
    by_company = write_table(
        sheet,
        [SheetColumn(tr("기업명")), *numbers[:2]],
        [[line.name, line.sessions, line.hours] for line in section.by_company],
        left=left,
        main=False,
    )
    left = _next_to(by_company)
    write_caption(sheet, HEADER_ROW - 1, left, tr("분야별"))
    rows = [[line.name, line.sessions, line.hours, line.companies] for line in section.by_field]
    rows.append([tr("합계"), section.sessions, section.hours, section.companies_reached])
    by_field = write_table(
        sheet, [SheetColumn(tr("분야")), *numbers], rows, left=left, main=False, total_rows=[len(rows) - 1]
    )
    return sheet, by_field


def _watch_sheet(sheets: _Sheets) -> None:
    report = sheets.report
    watch = report.watch
    sheet = sheets.new(tr("주의"))
    columns = [
        SheetColumn(tr("구분")),
        SheetColumn(tr("기업명")),
        *_facility_columns(report),
        SheetColumn(tr("호실")),
        SheetColumn(tr("날짜"), CellKind.DATE, width=12),
        SheetColumn(tr("일수"), CellKind.INTEGER),
        SheetColumn(tr("보유 좌석"), CellKind.INTEGER),
        SheetColumn(tr("상시 고용인원"), CellKind.INTEGER),
        SheetColumn(tr("초과 인원"), CellKind.INTEGER),
        SheetColumn(tr("비고")),
    ]
    over, ending, waiting = (
        tr("정원 초과"),
        tr("계약 만료 {days}일 이내", days=CONTRACT_WATCH_DAYS),
        tr("{days}일 넘게 대기", days=REQUEST_WATCH_DAYS),
    )
    rows: list[list[object]] = [
        [
            over,
            w.company,
            *_facility_values(report, w.facility),
            w.rooms,
            None,
            None,
            w.seats_held,
            w.employees,
            w.excess,
            tr("확장 신청 있음") if w.open_request else "",
        ]
        for w in watch.over_capacity
    ]
    rows += [
        [
            ending,
            w.company,
            *_facility_values(report, w.facility),
            w.rooms,
            w.contract_end,
            w.days_left,
            None,
            None,
            None,
            w.alert_label,
        ]
        for w in watch.contracts_ending
    ]
    rows += [
        [
            waiting,
            w.company,
            *_facility_values(report, w.facility),
            "",
            w.requested_on,
            w.days_waiting,
            None,
            None,
            None,
            f"{w.kind} · {w.note}" if w.note else w.kind,
        ]
        for w in watch.waiting_requests
    ]
    write_table(sheet, columns, rows, frozen_columns=2)
    note_row = HEADER_ROW - 1
    set_value(
        cell_at(sheet, note_row, 1),
        tr("날짜·일수: 계약 만료는 만료일과 남은 일수, 대기 신청은 신청일과 대기 일수입니다."),
    )


def _trend_sheet(sheets: _Sheets) -> tuple[Worksheet, TableRange]:
    trend = sheets.report.trend
    sheet = sheets.new(tr("추이"))
    write_caption(sheet, HEADER_ROW - 1, 1, tr("최근 {count}개월", count=len(trend.months)))
    months = write_table(
        sheet,
        [
            SheetColumn(tr("월"), width=10),
            SheetColumn(tr("기준일"), CellKind.DATE, width=12),
            SheetColumn(tr("입주기업"), CellKind.INTEGER),
            SheetColumn(tr("사용 중인 사무실"), CellKind.INTEGER),
            SheetColumn(tr("전체 사무실"), CellKind.INTEGER),
            SheetColumn(tr("입주율"), CellKind.PERCENT),
        ],
        [[str(p.month), p.as_of, p.residents, p.rooms_occupied, p.rooms_total, p.occupancy_rate] for p in trend.months],
    )
    left = _next_to(months)
    write_caption(sheet, HEADER_ROW - 1, left, tr("연말 입주기업 수"))
    year_ends = write_table(
        sheet,
        [SheetColumn(tr("연도"), width=8), SheetColumn(tr("12월 31일 입주기업"), CellKind.INTEGER)],
        [[str(year), count] for year, count in trend.year_ends],
        left=left,
        main=False,
    )
    left = _next_to(year_ends)
    exits = trend.exits
    write_caption(sheet, HEADER_ROW - 1, left, tr("연도별 퇴거 사유"))
    exit_rows = [
        [reason.label, *[exits.counts[y][r] for y in range(len(exits.years))], reason.count]
        for r, reason in enumerate(exits.reasons)
    ]
    exit_rows.append(
        [tr("합계"), *[exits.year_total(y) for y in range(len(exits.years))], sum(r.count for r in exits.reasons)]
    )
    exit_table = write_table(
        sheet,
        [
            SheetColumn(tr("사유")),
            *[SheetColumn(str(year), CellKind.INTEGER, width=7) for year in exits.years],
            SheetColumn(tr("합계"), CellKind.INTEGER),
        ],
        exit_rows,
        left=left,
        main=False,
        total_rows=[len(exit_rows) - 1],
    )
    # The charts go one below the other under the tables, so none covers another whatever the widths.
    anchor_row = max(months.last_row, year_ends.last_row, exit_table.last_row) + 3
    if trend.months:
        sheet.add_chart(_occupancy_chart(sheet, months), f"A{anchor_row}")
        anchor_row += CHART_ROWS
    if trend.year_ends:
        chart = _bar_chart(tr("연말 입주기업 수"), tr("기업 수"))
        chart.add_data(
            Reference(
                sheet, min_col=year_ends.first_column + 1, min_row=year_ends.first_row, max_row=year_ends.last_row
            ),
            titles_from_data=True,
        )
        chart.set_categories(
            Reference(
                sheet, min_col=year_ends.first_column, min_row=year_ends.first_row + 1, max_row=year_ends.last_row
            )
        )
        chart.legend = None
        sheet.add_chart(chart, f"A{anchor_row}")
        anchor_row += CHART_ROWS
    if exits.reasons and exits.years:
        chart = _bar_chart(tr("연도별 퇴거 사유"), tr("기업 수"))
        chart.grouping = "stacked"
        chart.overlap = 100
        # One series per reason (a row), across the years (columns); the total row and column stay out.
        data = Reference(
            sheet,
            min_col=exit_table.first_column,
            max_col=exit_table.last_column - 1,
            min_row=exit_table.first_row + 1,
            max_row=exit_table.last_row - 1,
        )
        chart.add_data(data, from_rows=True, titles_from_data=True)
        chart.set_categories(
            Reference(
                sheet,
                min_col=exit_table.first_column + 1,
                max_col=exit_table.last_column - 1,
                min_row=exit_table.first_row,
            )
        )
        chart.width = 18
        sheet.add_chart(chart, f"A{anchor_row}")
    return sheet, months


def _bar_chart(title: str, y_title: str) -> BarChart:
    chart = BarChart()
    chart.type = "col"
    chart.title = title
    chart.y_axis.title = y_title
    # openpyxl 3.1 marks axes as deleted unless told otherwise; Excel would then hide them.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.height, chart.width = 7.5, 13
    return chart


def _occupancy_chart(sheet: Worksheet, months: TableRange) -> LineChart:
    chart = LineChart()
    chart.title = tr("월말 사무실 입주율")
    chart.y_axis.title = tr("입주율")
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.add_data(
        Reference(sheet, min_col=months.last_column, min_row=months.first_row, max_row=months.last_row),
        titles_from_data=True,
    )
    chart.series[0].smooth = False
    chart.set_categories(
        Reference(sheet, min_col=months.first_column, min_row=months.first_row + 1, max_row=months.last_row)
    )
    chart.legend = None
    chart.height, chart.width = 7.5, 15
    return chart


def _summary_charts(
    summary: Worksheet,
    beside: TableRange,
    trend: Worksheet,
    months: TableRange,
    mentoring: Worksheet,
    fields: TableRange,
) -> None:
    """The summary sheet shows the occupancy trend and this month's mentoring by field, right of its tables."""
    column = get_column_letter(_next_to(beside))
    if months.body_rows:
        summary.add_chart(_occupancy_chart(trend, months), f"{column}4")
    if fields.body_rows > 1:
        chart = _bar_chart(tr("분야별 멘토링 횟수"), tr("횟수"))
        # The header row gives the series its name; the total row stays out.
        chart.add_data(
            Reference(
                mentoring, min_col=fields.first_column + 1, min_row=fields.first_row, max_row=fields.last_row - 1
            ),
            titles_from_data=True,
        )
        chart.set_categories(
            Reference(mentoring, min_col=fields.first_column, min_row=fields.first_row + 1, max_row=fields.last_row - 1)
        )
        chart.legend = None
        summary.add_chart(chart, f"{column}{4 + CHART_ROWS}")


SHEET_COUNT = 7
_Built = TypeVar("_Built")


def render_xlsx(
    report: MonthlyReport, path: Path, *, options: ReportOptions = PLAIN, progress: Progress | None = None
) -> Path:
    """Write the report as an .xlsx workbook at `path`, dressed as `options` say, and return the path."""
    progress = progress or NullProgress()
    path = Path(path)
    check_output_folder(path.parent)  # before the work, not after it
    sheets = _Sheets(report, options)
    steps = SHEET_COUNT + 1  # every sheet, then the save

    def build(index: int, sheet: Callable[[_Sheets], _Built]) -> _Built:
        progress.check_cancelled()
        progress.report(index, steps, tr("Excel 작성 중…"))
        return sheet(sheets)

    summary, beside = build(0, _summary_sheet)
    for index, sheet in enumerate((_roster_sheet, _rooms_sheet, _movements_sheet), start=1):
        build(index, sheet)
    mentoring, fields = build(4, _mentoring_sheet)
    build(5, _watch_sheet)
    trend, months = build(6, _trend_sheet)
    _summary_charts(summary, beside, trend, months, mentoring, fields)
    sheets.workbook.active = 0
    sheets.workbook.properties.title = sheets.heading
    sheets.workbook.properties.creator = "Camp Manager"
    with atomic_write(path) as temporary:
        sheets.workbook.save(temporary)
    progress.report(steps, steps, tr("Excel 파일을 저장했습니다."))
    return path
