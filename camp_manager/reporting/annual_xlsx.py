"""The annual performance report as an Excel workbook: the summary (a column per facility beside
the total, each figure with its definition), each company's sales and exports, the counted records, the subsidy watch list and the
evidence index."""

from __future__ import annotations

from pathlib import Path

from openpyxl.workbook import Workbook

from camp_manager.files import atomic_write, check_output_folder
from camp_manager.i18n import tr
from camp_manager.labels import label_of
from camp_manager.progress import NullProgress, Progress
from camp_manager.reporting.annual import AnnualReport
from camp_manager.reporting.options import PLAIN, ReportOptions
from camp_manager.reporting.workbook import (
    FIGURE_KINDS,
    HEADER_ROW,
    NUMBER_FORMATS,
    CellKind,
    SheetColumn,
    new_sheet,
    write_approval_box,
    write_table,
)
from camp_manager.services.outcome_figures import SubsidyStatus
from camp_manager.spreadsheets import cell_at


def render_annual_xlsx(
    report: AnnualReport, path: Path, *, options: ReportOptions = PLAIN, progress: Progress | None = None
) -> Path:
    """Write the report as an .xlsx workbook at `path`, dressed as `options` say, and return the path."""
    progress = progress or NullProgress()
    path = Path(path)
    check_output_folder(path.parent)
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # openpyxl's default sheet
    heading = f"{report.title} — {report.facility_name} — {report.year}"
    subheading = options.with_office(
        tr(
            "기준일 {day} · 증빙 있는 기록만: {only}",
            day=f"{report.year}-12-31",
            only=tr("예") if report.evidenced_only else tr("아니오"),
        )
    )

    summary = new_sheet(workbook, tr("요약"), heading=heading, subheading=subheading)
    figures = write_table(
        summary,
        [
            SheetColumn(tr("항목")),
            *(SheetColumn(name, CellKind.INTEGER) for name in report.columns),
            SheetColumn(tr("정의")),
        ],
        [[f.label, *f.values, f.definition] for f in report.figures],
        frozen_columns=1,
    )
    if options.approval:
        write_approval_box(summary, options.approval_headings(), left=figures.last_column + 2)  # after an empty column
    # Each figure keeps its own number format (a rate as 0.0 %).
    for row, figure in enumerate(report.figures, start=HEADER_ROW + 1):
        for offset in range(len(report.columns)):
            cell_at(summary, row, 2 + offset).number_format = NUMBER_FORMATS[FIGURE_KINDS[figure.kind]]
    progress.report(1, 4, tr("Excel 작성 중…"))

    def sheet(title: str, columns: list[SheetColumn], rows: list[list[object]]) -> None:
        write_table(new_sheet(workbook, title, heading=heading, subheading=subheading), columns, rows)

    sheet(
        tr("매출·수출"),
        [
            SheetColumn(tr("기업명")),
            SheetColumn(tr("전년 매출(원)"), CellKind.INTEGER),
            SheetColumn(tr("매출액(원)"), CellKind.INTEGER),
            SheetColumn(tr("매출 성장률"), CellKind.PERCENT),
            SheetColumn(tr("전년 수출(원)"), CellKind.INTEGER),
            SheetColumn(tr("수출액(원)"), CellKind.INTEGER),
            SheetColumn(tr("수출 성장률"), CellKind.PERCENT),
        ],
        [
            [
                r.company,
                r.sales_before_krw,
                r.sales_krw,
                r.sales_growth,
                r.exports_before_krw,
                r.exports_krw,
                r.exports_growth,
            ]
            for r in report.sales
        ],
    )
    sheet(
        tr("성과 기록"),
        [
            SheetColumn(tr("구분")),
            SheetColumn(tr("기업명")),
            SheetColumn(tr("종류")),
            SheetColumn(tr("일자"), CellKind.DATE),
            SheetColumn(tr("금액(원)"), CellKind.INTEGER),
            SheetColumn(tr("내용")),
        ],
        [
            [section.title, r.company, r.what, r.day, r.amount_krw, r.detail]
            for section in report.records
            for r in section.rows
        ],
    )
    progress.report(2, 4, tr("Excel 작성 중…"))
    sheet(
        tr("고용보조금 후보"),
        [
            SheetColumn(tr("기업명")),
            SheetColumn(tr("시설")),
            SheetColumn(tr("투자 자본(원)"), CellKind.INTEGER),
            SheetColumn(tr("상시 고용인원"), CellKind.INTEGER),
            SheetColumn(tr("상태")),
        ],
        [
            [
                w.company,
                report.facility_names[w.facility_id],
                w.capital_krw,
                w.employees,
                label_of(SubsidyStatus, w.status),
            ]
            for w in report.watch
        ],
    )
    sheet(
        tr("증빙 목록"),
        [
            SheetColumn(tr("기업명")),
            SheetColumn(tr("항목")),
            SheetColumn(tr("기록")),
            SheetColumn(tr("파일")),
            SheetColumn(tr("크기(바이트)"), CellKind.INTEGER),
            SheetColumn("SHA-256"),
        ],
        [[e.company, e.figure, e.record, e.file_name, e.size_bytes, e.sha256_head] for e in report.evidence],
    )
    with atomic_write(path) as temporary:
        workbook.save(temporary)
    progress.report(4, 4, tr("Excel을 저장했습니다."))
    return path
