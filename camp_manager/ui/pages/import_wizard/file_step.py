"""1. File: which spreadsheet, whether it is a room list (a returned survey is told apart); the last
import, and its undo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QFileDialog, QHBoxLayout, QLineEdit, QPushButton

from camp_manager.db.models import ImportBatch
from camp_manager.i18n import tr
from camp_manager.importing.mapping import ColumnMapping, ListKind, choose_sheet
from camp_manager.importing.read import Sheet, SourceFile, open_file
from camp_manager.importing.survey import SurveyPlan, is_survey
from camp_manager.progress import Progress
from camp_manager.ui.context import AppContext
from camp_manager.ui.pages.import_wizard.step import ImportState, WizardStep, plain_label
from camp_manager.ui.pages.import_wizard.survey_steps import check_survey_file
from camp_manager.ui.workers import run_in_background, show_error

SPREADSHEET_FILTER = "*.xlsx *.xls *.xlsm *.ods *.csv *.txt *.tsv"


class FileStep(WizardStep):
    undoRequested = Signal()

    def __init__(self, context: AppContext, state: ImportState) -> None:
        super().__init__(context, state, tr("1. 파일"))
        layout = self.body
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(tr(".xlsx, .xls, .ods, .csv 파일"))
        self.path_edit.returnPressed.connect(self.go_on)
        browse = QPushButton(tr("파일 고르기…"))
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        layout.addLayout(row)
        self.rooms_check = QCheckBox(tr("호실 목록입니다 (층, 호실, 유형, 좌석 수, 면적)"))
        layout.addWidget(self.rooms_check)
        template = QPushButton(tr("빈 양식 저장…"))
        template.clicked.connect(self.save_template)
        layout.addWidget(template, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addSpacing(16)
        self.last_import_label = plain_label("")
        self.last_import_label.setWordWrap(True)
        self.undo_button = QPushButton(tr("마지막 가져오기 되돌리기…"))
        self.undo_button.clicked.connect(self.undoRequested)
        layout.addWidget(self.last_import_label)
        layout.addWidget(self.undo_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

    def show_last_import(self, batch: ImportBatch | None) -> None:
        if batch is None:
            self.last_import_label.setText(tr("아직 가져온 파일이 없습니다."))
        else:
            self.last_import_label.setText(
                tr(
                    "마지막 가져오기: '{file}' ({when}, {who}) — 새로 {created}, 수정 {updated}",
                    file=batch.file_name,
                    when=batch.imported_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                    who=batch.imported_by,
                    created=batch.created,
                    updated=batch.updated,
                )
            )
        self.undo_button.setEnabled(batch is not None)

    def browse(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            tr("가져올 파일"),
            str(self.context.export_folder()),
            tr("스프레드시트 ({patterns})", patterns=SPREADSHEET_FILTER),
        )
        if chosen:
            self.path_edit.setText(chosen)
            self.go_on()

    def go_on(self) -> None:
        """Read the chosen file and find its sheet and header row, off the UI thread."""
        text = self.path_edit.text().strip()
        if not text:
            return
        path, kind, store = Path(text), (ListKind.ROOMS if self.rooms_check.isChecked() else None), self.state.store
        engine = self.context.engine

        def job(progress: Progress) -> tuple[SourceFile, Sheet | SurveyPlan, ColumnMapping | None]:
            source = open_file(path, progress)
            if is_survey(source):  # never read as a resident list: its sheets are checked as the survey's
                return source, check_survey_file(engine, source, progress), None
            return (source, *choose_sheet(source, kind=kind, store=store, progress=progress))

        def opened(read: tuple[SourceFile, Sheet | SurveyPlan, ColumnMapping | None]) -> None:
            self.state.restart()
            self.state.requested_kind = kind
            self.state.source, found, self.state.mapping = read
            if isinstance(found, SurveyPlan):
                self.state.survey = found
            else:
                self.state.sheet = found
            self.finished.emit()

        run_in_background(self, title=tr("파일을 읽는 중…"), job=job, on_success=opened)

    def save_template(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, tr("빈 양식 저장"), str(self.context.export_folder() / tr("가져오기_양식.xlsx")), "*.xlsx"
        )
        if chosen:
            from camp_manager.importing.template import save_template  # noqa: PLC0415 (openpyxl: not with the page)

            try:
                save_template(chosen)
            except OSError as error:
                show_error(self, error)
