"""The Reports page's annual section: the annual performance report (연간 보육 성과 보고서) and the
performance survey workbook (경영성과 조사표) of a year, for one facility or all.

The report is written by `reporting.generate.generate_annual_report` in the formats it knows, one
format at a time on a worker (progress between them, cancel before the next); the survey by
`importing.survey` into a file chosen in a save dialog. The files written are handed to the page
(`written`), which lists them with its open-file and open-folder buttons.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from camp_manager.db.engine import unit_of_work
from camp_manager.i18n import tr
from camp_manager.progress import Progress
from camp_manager.reporting.generate import ANNUAL_RENDERERS, ReportFormat, generate_annual_report
from camp_manager.ui.context import AppContext
from camp_manager.ui.dialogs.form import set_combo_items
from camp_manager.ui.workers import run_in_background, show_error

FORMAT_NAMES = {ReportFormat.PDF: "PDF", ReportFormat.XLSX: "Excel"}
FIRST_YEAR = 2000


class AnnualReportSection(QGroupBox):
    written = Signal(list)  # the paths of the files just written

    def __init__(self, context: AppContext, out_dir: Callable[[], Path], parent: QWidget | None = None) -> None:
        super().__init__(tr("연간 보육 성과 보고서"), parent)
        self.setObjectName("annualReport")
        self.context = context
        self._out_dir = out_dir
        self._busy = False
        self.year_spin = QSpinBox()
        self.year_spin.setRange(FIRST_YEAR, context.as_of.year)
        self.year_spin.setValue(context.as_of.year - 1)
        self.facility_combo = QComboBox()
        self.facility_combo.addItem(tr("전체 시설"), None)
        self.evidenced_check = QCheckBox(tr("증빙 있는 값만"))
        self.evidenced_check.setToolTip(tr("증빙 파일이 있는 기록만 셉니다"))
        # The formats the annual report is made in so far; each checked by default.
        self.format_checks: dict[ReportFormat, QCheckBox] = {}
        choices = QHBoxLayout()
        choices.addWidget(self.year_spin)
        choices.addWidget(self.facility_combo, 1)
        options = QHBoxLayout()
        options.addWidget(self.evidenced_check)
        for kind in ANNUAL_RENDERERS:
            box = QCheckBox(FORMAT_NAMES[kind])
            box.setChecked(True)
            box.toggled.connect(lambda _on: self._update_buttons())
            self.format_checks[kind] = box
            options.addWidget(box)
        options.addStretch(1)
        self.generate_button = QPushButton(tr("연간 보고서 만들기"))
        self.generate_button.clicked.connect(self.generate)
        options.addWidget(self.generate_button)

        self.company_edit = QLineEdit()
        self.company_edit.setPlaceholderText(tr("기업명 또는 사업자등록번호 (비우면 모두)"))
        self.survey_button = QPushButton(tr("경영성과 조사표 만들기…"))
        self.survey_button.clicked.connect(self.make_survey)
        survey = QHBoxLayout()
        survey.addWidget(self.company_edit, 1)
        survey.addWidget(self.survey_button)

        form = QFormLayout(self)
        form.addRow(tr("연도·시설"), choices)
        form.addRow(tr("보고서"), options)
        form.addRow(tr("조사표"), survey)
        self._update_buttons()

    def refresh(self, facilities: list[tuple[int, str]]) -> None:
        set_combo_items(self.facility_combo, facilities, fixed=1)
        self.year_spin.setMaximum(self.context.as_of.year)

    # --- choices ----------------------------------------------------------------------------
    def year(self) -> int:
        return self.year_spin.value()

    def facility_id(self) -> int | None:
        return self.facility_combo.currentData()

    def facility_name(self) -> str | None:
        return self.facility_combo.currentText() if self.facility_id() is not None else None

    def formats(self) -> list[ReportFormat]:
        return [kind for kind, box in self.format_checks.items() if box.isChecked()]

    def _update_buttons(self) -> None:
        self.survey_button.setEnabled(not self._busy)
        self.generate_button.setEnabled(not self._busy and bool(self.formats()))

    # --- the annual report ------------------------------------------------------------------
    def generate(self) -> None:
        formats = self.formats()
        if not formats:
            return
        year, facility_id, evidenced_only = self.year(), self.facility_id(), self.evidenced_check.isChecked()
        out_dir, engine, options = self._out_dir(), self.context.engine, self.context.report_options()

        def job(progress: Progress) -> list[Path]:
            # Built once, then written in each format; a cancel takes effect between the steps.
            with unit_of_work(engine) as session:
                return generate_annual_report(
                    session,
                    year=year,
                    facility_id=facility_id,
                    out_dir=out_dir,
                    formats=formats,
                    evidenced_only=evidenced_only,
                    options=options,
                    progress=progress,
                )

        self._start(tr("연간 보고서를 만드는 중…"), job)

    # --- the survey workbook ----------------------------------------------------------------
    def make_survey(self) -> None:
        year, facility, company = self.year(), self.facility_name(), self.company_edit.text().strip() or None
        suggested = self.context.export_folder() / tr("{year}_경영성과_조사표.xlsx", year=year)
        chosen, _ = QFileDialog.getSaveFileName(self, tr("경영성과 조사표 저장"), str(suggested), "*.xlsx")
        if not chosen:
            return
        engine = self.context.engine

        def job(progress: Progress) -> list[Path]:
            # openpyxl and calamine (about 20 MiB) load when a survey is made, not with the page.
            from camp_manager.importing.survey import survey_rows  # noqa: PLC0415
            from camp_manager.importing.survey_workbook import save_survey  # noqa: PLC0415

            with unit_of_work(engine) as session:
                rows = survey_rows(session, year=year, facility=facility, company=company)
            progress.check_cancelled()
            return [save_survey(rows, year=year, path=chosen)]

        self._start(tr("경영성과 조사표를 만드는 중…"), job)

    def _start(self, title: str, job: Callable[[Progress], list[Path]]) -> None:
        self._set_busy(True)
        run_in_background(
            self,
            title=title,
            job=job,
            on_success=self._done,
            on_error=self._failed,
            on_cancelled=lambda: self._set_busy(False),
        )

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def _done(self, paths: list[Path]) -> None:
        self._set_busy(False)
        self.written.emit(paths)

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        show_error(self, error)
