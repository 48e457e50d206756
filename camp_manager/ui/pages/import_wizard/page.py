"""Import (가져오기): a resident or room list from a spreadsheet, or a returned performance survey, as a wizard.

File → sheet → column mapping → preview → confirm → summary, one class per step; a survey goes
file → its preview → its confirm → summary (survey_steps.py). Reading,
checking and writing run off the UI thread with progress and cancel; each job opens its
own unit of work. Nothing is written before the confirm step. The page hosts the steps,
moves between them, and keeps what concerns them all: the last import and its undo, the
error report, the facilities.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from camp_manager.db.engine import unit_of_work
from camp_manager.db.models import ImportBatch
from camp_manager.i18n import tr
from camp_manager.importing.mapping import MappingStore
from camp_manager.importing.undo import last_import, undo_last_import
from camp_manager.progress import Progress
from camp_manager.services import listings
from camp_manager.ui.context import AppContext
from camp_manager.ui.pages.base import Page
from camp_manager.ui.pages.import_wizard.confirm_step import ConfirmStep
from camp_manager.ui.pages.import_wizard.file_step import FileStep
from camp_manager.ui.pages.import_wizard.mapping_step import MappingStep
from camp_manager.ui.pages.import_wizard.preview_step import PreviewStep
from camp_manager.ui.pages.import_wizard.sheet_step import SheetStep
from camp_manager.ui.pages.import_wizard.step import ImportState, WizardStep
from camp_manager.ui.pages.import_wizard.summary_step import SummaryStep
from camp_manager.ui.pages.import_wizard.survey_steps import SurveyConfirmStep, SurveyPreviewStep
from camp_manager.ui.style import make_primary
from camp_manager.ui.workers import run_in_background


class ImportPage(Page):
    # In the order of the step widgets; a list goes through the first six, a survey skips sheet and mapping.
    STEPS = ("file", "sheet", "mapping", "preview", "confirm", "summary", "survey_preview", "survey_confirm")
    LIST_FLOW = STEPS[:6]
    SURVEY_FLOW = ("file", "survey_preview", "survey_confirm", "summary")

    def __init__(
        self, context: AppContext, parent: QWidget | None = None, *, store: MappingStore | None = None
    ) -> None:
        super().__init__(context, parent)
        self.state = ImportState(store=store or MappingStore())
        self.saved_report: Path | None = None

        heading = QLabel(tr("가져오기"))
        heading.setObjectName("pageTitle")
        self.subtitle = QLabel(
            tr("입주기업 명단이나 호실 목록을 스프레드시트에서 가져옵니다. 확인하기 전에는 아무것도 바뀌지 않습니다.")
        )
        self.subtitle.setObjectName("pageSubtitle")
        self.subtitle.setWordWrap(True)
        self.file_step = FileStep(context, self.state)
        self.sheet_step = SheetStep(context, self.state)
        self.mapping_step = MappingStep(context, self.state)
        self.preview_step = PreviewStep(context, self.state)
        self.confirm_step = ConfirmStep(context, self.state)
        self.summary_step = SummaryStep(context, self.state)
        self.survey_preview_step = SurveyPreviewStep(context, self.state)
        self.survey_confirm_step = SurveyConfirmStep(context, self.state)
        self._steps: list[WizardStep] = [
            self.file_step,
            self.sheet_step,
            self.mapping_step,
            self.preview_step,
            self.confirm_step,
            self.summary_step,
            self.survey_preview_step,
            self.survey_confirm_step,
        ]
        self.steps = QStackedWidget()
        for step in self._steps:
            self.steps.addWidget(step)
            step.finished.connect(self._advance)
            step.completeChanged.connect(self._update_buttons)
        # Connected after _advance: the summary is shown before the other pages hear of the change.
        self.confirm_step.finished.connect(self._imported)
        self.survey_confirm_step.finished.connect(self._imported)
        self.file_step.undoRequested.connect(self.undo)
        self.summary_step.undoRequested.connect(self.undo)
        self.preview_step.errorReportRequested.connect(self.save_error_report)
        self.survey_preview_step.errorReportRequested.connect(self.save_error_report)
        self.summary_step.errorReportRequested.connect(self.save_error_report)
        self.summary_step.restartRequested.connect(self.restart)

        self.back_button = QPushButton(tr("< 이전"))
        self.back_button.clicked.connect(self.back)
        self.next_button = make_primary(QPushButton(tr("다음 >")))
        self.next_button.clicked.connect(self.next)
        self.step_label = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.step_label)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addWidget(heading)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.steps, 1)
        layout.addLayout(buttons)
        self._show("file")

    # --- the page contract ----------------------------------------------------------------
    def title(self) -> str:
        return tr("가져오기")

    def refresh(self) -> None:
        with self.context.unit_of_work() as session:
            batch = last_import(session)
            facilities = [f.name for f in listings.facilities_in_order(session)]
        self.mapping_step.set_facilities(facilities)
        self.file_step.show_last_import(batch)
        self.summary_step.set_undo_enabled(batch is not None)

    # --- navigation ------------------------------------------------------------------------
    def current_step(self) -> str:
        return self.STEPS[self.steps.currentIndex()]

    def flow(self) -> tuple[str, ...]:
        """The steps of the file chosen: a list's six, or a survey's four."""
        return self.SURVEY_FLOW if self.state.survey is not None else self.LIST_FLOW

    def _show(self, step: str) -> None:
        flow = self.flow()
        self.steps.setCurrentIndex(self.STEPS.index(step))
        self.step_label.setText(tr("{number} / {total} 단계", number=flow.index(step) + 1, total=len(flow)))
        self.next_button.setText(tr("가져오기") if step in ("confirm", "survey_confirm") else tr("다음 >"))
        self._update_buttons()

    def _update_buttons(self) -> None:
        step = self.current_step()
        self.back_button.setEnabled(step not in ("file", "summary"))
        self.next_button.setEnabled(self._steps[self.steps.currentIndex()].can_go_on())

    def back(self) -> None:
        flow = self.flow()
        index = flow.index(self.current_step())
        if index > 0:
            self._show(flow[index - 1])

    def next(self) -> None:
        self._steps[self.steps.currentIndex()].go_on()

    def _advance(self) -> None:
        flow = self.flow()
        following = flow[flow.index(self.current_step()) + 1]
        self._steps[self.STEPS.index(following)].start()
        self._show(following)

    def restart(self) -> None:
        self.state.restart()
        self.file_step.path_edit.clear()
        self.refresh()
        self._show("file")

    # --- what concerns every step -----------------------------------------------------------
    def _imported(self) -> None:
        self.context.notify_changed()
        self.refresh()

    def undo(self) -> None:
        answer = QMessageBox.question(
            self,
            tr("가져오기 되돌리기"),
            tr(
                "마지막 가져오기로 들어온 기업·입주·호실 배정·고용인원을 지우고, 바꾼 값은 이전 값으로 되돌립니다. 계속할까요?"
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        engine = self.context.engine

        def job(progress: Progress) -> ImportBatch:
            with unit_of_work(engine) as session:
                return undo_last_import(session=session, progress=progress)

        run_in_background(self, title=tr("되돌리는 중…"), job=job, on_success=self._undone)

    def _undone(self, batch: ImportBatch) -> None:
        self.summary_step.show_undone(batch)
        self.context.notify_changed()
        self.refresh()

    def save_error_report(self) -> None:
        plan, sheet, survey = self.state.plan, self.state.sheet, self.state.survey
        if survey is not None:
            file_name = survey.file_name
        elif plan is not None and sheet is not None:
            file_name = plan.file_name
        else:
            return
        suggested = self.context.export_folder() / tr("{stem}_오류표시.xlsx", stem=Path(file_name).stem)
        chosen, _ = QFileDialog.getSaveFileName(self, tr("오류 표시 파일 저장"), str(suggested), "*.xlsx")

        def write(_progress: Progress) -> Path:
            # openpyxl (with PIL, about 8 MiB) loads when a marked copy is written, not with the page.
            from camp_manager.importing import errors_report  # noqa: PLC0415

            if survey is not None:
                return errors_report.write_survey_error_report(survey, chosen)
            return errors_report.write_error_report(plan, sheet, chosen)

        if chosen:
            run_in_background(self, title=tr("오류 표시 파일을 만드는 중…"), job=write, on_success=self._report_saved)

    def _report_saved(self, path: Path) -> None:
        self.saved_report = path
