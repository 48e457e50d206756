"""Reports (보고서): pick a month and a facility, preview the summary, write the PDF and workbook.

The preview is the report's own summary (`reporting.build.build_summary`), read off the
UI thread; the files are written by `reporting.generate.generate_monthly_report` on a
worker with a progress dialog, in the language chosen for the report.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from camp_manager.db.engine import unit_of_work
from camp_manager.i18n import current_language, language_scope, tr
from camp_manager.progress import Progress
from camp_manager.reporting.build import build_summary
from camp_manager.reporting.generate import ReportFormat, generate_monthly_report
from camp_manager.reporting.monthly import ReportMonth, Summary
from camp_manager.services import listings
from camp_manager.ui.context import AppContext, SaveKind
from camp_manager.ui.dialogs.form import set_combo_items
from camp_manager.ui.pages.annual_report_section import AnnualReportSection
from camp_manager.ui.pages.base import Page, page_heading
from camp_manager.ui.style import make_primary
from camp_manager.ui.workers import BackgroundQuery, run_in_background, show_error

MONTHS_OFFERED = 36


def months_up_to(day: date, count: int = MONTHS_OFFERED) -> list[ReportMonth]:
    """The month of `day` and the `count - 1` before it, newest first."""
    months = [ReportMonth.of(day)]
    while len(months) < count:
        months.append(months[-1].previous())
    return months


class ReportsPage(Page):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.summary: Summary | None = None
        self.written: list[Path] = []
        self._query = BackgroundQuery(self)

        heading_row, self.subtitle = page_heading(tr("월간 입주 현황 보고서"))

        self.month_combo = QComboBox()
        self.facility_combo = QComboBox()
        self.facility_combo.addItem(tr("전체 시설"), None)
        self.language_combo = QComboBox()
        self.language_combo.addItem("한국어", "ko")
        self.language_combo.addItem("English", "en")
        self.language_combo.setCurrentIndex(max(self.language_combo.findData(current_language()), 0))
        self.pdf_check = QCheckBox("PDF")
        self.pdf_check.setChecked(True)
        self.xlsx_check = QCheckBox("Excel")
        self.xlsx_check.setChecked(True)
        formats = QHBoxLayout()
        formats.addWidget(self.pdf_check)
        formats.addWidget(self.xlsx_check)
        formats.addStretch(1)
        self.folder_edit = QLineEdit(str(context.save_folder(SaveKind.REPORTS)))
        browse = QPushButton(tr("찾아보기…"))
        browse.clicked.connect(self._choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(browse)

        form = QFormLayout()
        form.addRow(tr("보고 월"), self.month_combo)
        form.addRow(tr("시설"), self.facility_combo)
        form.addRow(tr("보고서 언어"), self.language_combo)
        form.addRow(tr("형식"), formats)
        form.addRow(tr("저장 폴더"), folder_row)

        self.generate_button = make_primary(QPushButton(tr("보고서 만들기")))
        self.generate_button.clicked.connect(self.generate)
        self.open_file_button = QPushButton(tr("파일 열기"))
        self.open_file_button.clicked.connect(self.open_file)
        self.open_folder_button = QPushButton(tr("폴더 열기"))
        self.open_folder_button.clicked.connect(self.open_folder)
        buttons = QHBoxLayout()
        buttons.addWidget(self.generate_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_file_button)
        buttons.addWidget(self.open_folder_button)
        self.files = QListWidget()
        self.files.setObjectName("report_files")
        self.files.setMaximumHeight(90)
        self.files.itemDoubleClicked.connect(lambda _item: self.open_file())
        self.files.currentRowChanged.connect(lambda _row: self._update_buttons())

        self.preview_title = QLabel()
        self.preview_title.setObjectName("sectionTitle")
        self.preview = QGridLayout()
        self.preview.setHorizontalSpacing(24)
        self.preview.setVerticalSpacing(4)
        self.preview_labels: dict[str, QLabel] = {}
        preview_frame = QFrame()
        preview_frame.setObjectName("reportPreview")
        preview_frame.setFrameShape(QFrame.Shape.StyledPanel)
        frame_layout = QVBoxLayout(preview_frame)
        frame_layout.addWidget(self.preview_title)
        frame_layout.addLayout(self.preview)
        frame_layout.addStretch(1)

        left = QVBoxLayout()
        left.addLayout(form)
        left.addSpacing(8)
        left.addLayout(buttons)
        left.addWidget(QLabel(tr("만든 파일")))
        left.addWidget(self.files)
        # The annual report and the survey workbook: their files join the list above.
        self.annual = AnnualReportSection(context, self.out_dir)
        self.annual.written.connect(self._generated)
        left.addWidget(self.annual)
        left.addStretch(1)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addWidget(preview_frame, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(8)
        layout.addLayout(heading_row)
        layout.addLayout(body, 1)

        self.month_combo.currentIndexChanged.connect(lambda _i: self._load_preview())
        self.facility_combo.currentIndexChanged.connect(lambda _i: self._load_preview())
        self.pdf_check.toggled.connect(lambda _on: self._update_buttons())
        self.xlsx_check.toggled.connect(lambda _on: self._update_buttons())
        self._update_buttons()

    # --- the page contract ------------------------------------------------------------
    def title(self) -> str:
        return tr("보고서")

    def refresh(self) -> None:
        with self.context.unit_of_work() as session:
            facilities = [(f.id, f.name) for f in listings.facilities_in_order(session)]
        set_combo_items(self.facility_combo, facilities, fixed=1)
        self.annual.refresh(facilities)
        months = months_up_to(self.context.as_of)
        set_combo_items(
            self.month_combo, [(str(m), m.label()) for m in months], prefer=str(ReportMonth.before(self.context.as_of))
        )
        self.subtitle.setText(
            tr("기준일은 보고 월의 마지막 날입니다 · 지금 기준일 {date}", date=self.context.as_of.isoformat())
        )
        self._load_preview()

    # --- choices -------------------------------------------------------------------------
    def month(self) -> ReportMonth:
        return ReportMonth.parse(self.month_combo.currentData())

    def facility_id(self) -> int | None:
        return self.facility_combo.currentData()

    def formats(self) -> list[ReportFormat]:
        return [
            kind
            for kind, box in ((ReportFormat.PDF, self.pdf_check), (ReportFormat.XLSX, self.xlsx_check))
            if box.isChecked()
        ]

    def out_dir(self) -> Path:
        """The folder chosen for the reports (remembered for the next time)."""
        folder = Path(self.folder_edit.text().strip() or self.context.export_folder())
        self.context.remember_save_folder(SaveKind.REPORTS, folder)
        return folder

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, tr("저장 폴더"), self.folder_edit.text())
        if chosen:
            self.folder_edit.setText(chosen)

    # --- preview -------------------------------------------------------------------------
    def _load_preview(self) -> None:
        if self.month_combo.currentData() is None:
            return
        month, facility_id, engine = self.month(), self.facility_id(), self.context.engine

        def job() -> Summary:
            with unit_of_work(engine) as session:
                return build_summary(session, month=month, facility_id=facility_id)

        self.preview_title.setText(tr("{month} 요약 계산 중…", month=month.label()))
        self._query.run(job, self._show_preview)

    def _show_preview(self, summary: Summary) -> None:
        self.summary = summary
        self.preview_title.setText(
            tr(
                "{facility} · {month} 요약 (기준일 {date})",
                facility=summary.facility_name,
                month=summary.month.label(),
                date=summary.as_of.isoformat(),
            )
        )
        for row, figure in enumerate(summary.figures()):
            if figure.key not in self.preview_labels:
                name, value = QLabel(), QLabel()
                value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                value.setObjectName(f"preview_{figure.key}")
                self.preview.addWidget(name, row, 0)
                self.preview.addWidget(value, row, 1)
                self.preview_labels[figure.key] = value
            self.preview.itemAtPosition(row, 0).widget().setText(figure.label)
            self.preview_labels[figure.key].setText(figure.text)

    def preview_text(self, key: str) -> str:
        return self.preview_labels[key].text()

    # --- generating ----------------------------------------------------------------------
    def generate(self) -> None:
        formats = self.formats()
        if not formats:
            return
        month, facility_id, engine = self.month(), self.facility_id(), self.context.engine
        out_dir = self.out_dir()
        language, options = self.language_combo.currentData(), self.context.report_options()

        def job(progress: Progress) -> list[Path]:
            with language_scope(language), unit_of_work(engine) as session:
                return generate_monthly_report(
                    session,
                    month=month,
                    facility_id=facility_id,
                    out_dir=out_dir,
                    formats=formats,
                    options=options,
                    progress=progress,
                )

        self.generate_button.setEnabled(False)
        run_in_background(
            self,
            title=tr("보고서를 만드는 중…"),
            job=job,
            on_success=self._generated,
            on_error=self._failed,
            on_cancelled=self._update_buttons,
        )

    def _generated(self, paths: list[Path]) -> None:
        self.written = paths
        self.files.clear()
        for path in paths:
            item = QListWidgetItem(path.name)
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(str(path))
            self.files.addItem(item)
        self.files.setCurrentRow(0)
        self._update_buttons()

    def _failed(self, error: BaseException) -> None:
        self._update_buttons()
        show_error(self, error)

    def _update_buttons(self) -> None:
        self.generate_button.setEnabled(bool(self.formats()))
        chosen = self.files.currentItem() is not None
        self.open_file_button.setEnabled(chosen)
        self.open_folder_button.setEnabled(chosen)

    def _chosen_path(self) -> Path | None:
        item = self.files.currentItem()
        return Path(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def open_file(self) -> None:
        path = self._chosen_path()
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def open_folder(self) -> None:
        path = self._chosen_path()
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
