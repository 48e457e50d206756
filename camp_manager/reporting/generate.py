"""One call that builds a report (the month's, or the year's performance) and writes it as PDF
and/or Excel.

The command line and the Reports page both call `generate_monthly_report`, so a file
written from either holds the same figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from importlib import import_module
from pathlib import Path

from sqlmodel import Session

from camp_manager.errors import DomainError
from camp_manager.i18n import tr
from camp_manager.progress import NullProgress, Progress
from camp_manager.reporting.annual import AnnualReport, build_annual_report
from camp_manager.reporting.build import build_report
from camp_manager.reporting.monthly import MonthlyReport, ReportMonth
from camp_manager.reporting.options import PLAIN, ReportOptions


class ReportFormat(StrEnum):
    PDF = "pdf"
    XLSX = "xlsx"


# Each format's renderer, by module and function: ReportLab and openpyxl load when a report is first written.
RENDERERS = {
    ReportFormat.PDF: ("camp_manager.reporting.pdf", "render_pdf"),
    ReportFormat.XLSX: ("camp_manager.reporting.xlsx", "render_xlsx"),
}


def parse_formats(text: str) -> list[ReportFormat]:
    """`pdf,xlsx` → the formats, in that order, each once."""
    formats: list[ReportFormat] = []
    for part in (p.strip().lower() for p in text.split(",")):
        if part not in set(ReportFormat):
            raise DomainError(
                tr("형식 '{value}'는 지원하지 않습니다. pdf, xlsx 중에서 쉼표로 구분해 쓰세요.", value=part),
                field="format",
            )
        if ReportFormat(part) not in formats:
            formats.append(ReportFormat(part))
    return formats


class StageProgress(Progress):
    """A stage's own steps reported as a share of the whole job (stage k of n)."""

    SCALE = 1000

    def __init__(self, whole: Progress, stage: int, stages: int) -> None:
        super().__init__()
        self._whole, self._stage, self._stages = whole, stage, stages

    def report(self, done: int, total: int, message: str = "") -> None:
        within = done * self.SCALE // total if total else 0
        self._whole.report(self._stage * self.SCALE + within, self._stages * self.SCALE, message)

    def check_cancelled(self) -> None:
        self._whole.check_cancelled()

    @property
    def cancelled(self) -> bool:
        return self._whole.cancelled


# The annual performance report's renderers, likewise.
ANNUAL_RENDERERS = {
    ReportFormat.PDF: ("camp_manager.reporting.annual_pdf", "render_annual_pdf"),
    ReportFormat.XLSX: ("camp_manager.reporting.annual_xlsx", "render_annual_xlsx"),
}


def write_report(
    report: MonthlyReport | AnnualReport,
    out_dir: Path,
    formats: Sequence[ReportFormat],
    *,
    options: ReportOptions = PLAIN,
    progress: Progress | None = None,
    first_stage: int = 0,
    stages: int | None = None,
) -> list[Path]:
    """Render an already built report in each format into `out_dir`, dressed as `options` say;
    returns the paths written."""
    progress = progress or NullProgress()
    stages = stages or len(formats)
    renderers = ANNUAL_RENDERERS if isinstance(report, AnnualReport) else RENDERERS
    paths = []
    for offset, kind in enumerate(formats):
        target = Path(out_dir) / f"{report.file_stem()}.{kind.value}"
        render = getattr(import_module(renderers[kind][0]), renderers[kind][1])
        stage = StageProgress(progress, first_stage + offset, stages)
        paths.append(render(report, target, options=options, progress=stage))
    return paths


def generate_annual_report(
    session: Session,
    *,
    year: int,
    facility_id: int | None,
    out_dir: Path,
    formats: Sequence[ReportFormat] = (ReportFormat.PDF, ReportFormat.XLSX),
    evidenced_only: bool = False,
    options: ReportOptions = PLAIN,
    progress: Progress | None = None,
) -> list[Path]:
    """Build the annual performance report of `year` (one facility or all) and write it in each format."""
    progress = progress or NullProgress()
    stages = 1 + len(formats)
    progress.report(0, stages, tr("보고서 자료를 모으는 중…"))
    report = build_annual_report(session, year=year, facility_id=facility_id, evidenced_only=evidenced_only)
    progress.check_cancelled()
    return write_report(report, out_dir, formats, options=options, progress=progress, first_stage=1, stages=stages)


def generate_monthly_report(
    session: Session,
    *,
    month: ReportMonth,
    facility_id: int | None,
    out_dir: Path,
    formats: Sequence[ReportFormat] = (ReportFormat.PDF, ReportFormat.XLSX),
    options: ReportOptions = PLAIN,
    progress: Progress | None = None,
) -> list[Path]:
    """Build the report of `month` (one facility or all) and write it in each format."""
    progress = progress or NullProgress()
    stages = 1 + len(formats)
    report = build_report(session, month=month, facility_id=facility_id, progress=StageProgress(progress, 0, stages))
    return write_report(report, out_dir, formats, options=options, progress=progress, first_stage=1, stages=stages)
