"""A returned performance survey (경영성과 조사표) in the import wizard: file → preview → confirm → summary.

The file step recognises the survey (`importing.survey.is_survey`) and checks every sheet of it at
once (`check_survey`): there is no sheet or column mapping to choose, and it is never read as a
resident list. The preview and confirm steps are the wizard's own, shown with the survey's sheets;
the import checks the file again and writes it in one transaction (`run_survey_import`), as one
import batch that the wizard's undo takes back.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.engine import Engine

from camp_manager.db.backup import BackupLabel, automatic_backup
from camp_manager.db.engine import unit_of_work
from camp_manager.i18n import tr
from camp_manager.importing.read import SourceFile
from camp_manager.importing.survey import SurveyImport, SurveyPlan, check_survey, run_survey_import
from camp_manager.progress import Progress
from camp_manager.ui.context import AppContext
from camp_manager.ui.models.table import Column
from camp_manager.ui.pages.import_wizard.confirm_step import ConfirmStep
from camp_manager.ui.pages.import_wizard.preview_step import PreviewRow, PreviewStep, counts_text, verdict_rows
from camp_manager.ui.pages.import_wizard.step import ImportState


def check_survey_file(engine: Engine, source: SourceFile, progress: Progress) -> SurveyPlan:
    """The verdict of every row of every sheet (for a worker; reads the database, writes nothing)."""
    progress.report(0, 0, tr("경영성과 조사표를 확인하는 중…"))
    with unit_of_work(engine) as session:
        return check_survey(session=session, source=source)


def survey_preview_rows(plan: SurveyPlan) -> list[PreviewRow]:
    return [
        row
        for order, section in enumerate(plan.sections)
        for row in verdict_rows(section.verdicts, section.skipped, sheet=section.sheet.name, sheet_order=order)
    ]


class SurveyPreviewStep(PreviewStep):
    WIDTHS = (48, 100, 80, 150, 120, 240)

    def __init__(self, context: AppContext, state: ImportState) -> None:
        super().__init__(context, state, tr("2. 미리보기 · 경영성과 조사표"))

    def columns(self) -> list[Column[PreviewRow]]:
        columns = super().columns()
        sheet: Column[PreviewRow] = Column(
            title=lambda: tr("시트"), text=lambda r: r.sheet, sort_key=lambda r: (r.sheet_order, r.row)
        )
        return [columns[0], sheet, *columns[1:]]

    def start(self) -> None:
        plan = self.plan()
        sheets = tr(
            "경영성과 조사표: 시트 {count}개 ({names})",
            count=len(plan.sections),
            names=", ".join(s.sheet.name for s in plan.sections),
        )
        counts = counts_text(plan.count, plan.skipped)
        self.show_rows(f"{sheets}\n{counts}", survey_preview_rows(plan), errors=bool(plan.error_rows))

    def plan(self) -> SurveyPlan:
        assert self.state.survey is not None, "the file step checked the survey"
        return self.state.survey


class SurveyConfirmStep(ConfirmStep):
    def __init__(self, context: AppContext, state: ImportState) -> None:
        super().__init__(context, state, tr("3. 확인 · 경영성과 조사표"))

    def plan(self) -> SurveyPlan:
        assert self.state.survey is not None, "the file step checked the survey"
        return self.state.survey

    def heading(self) -> str:
        return tr("{file} · 경영성과 조사표", file=self.plan().file_name)

    def skipped(self) -> int:
        return self.plan().skipped

    def notes(self) -> list[str]:
        return []

    def import_job(self, skip_invalid: bool) -> Callable[[Progress], object]:
        source, confirmed, engine = self.state.source, self.plan(), self.context.engine
        assert source is not None, "the file step read the file"
        policy = self.context.backup_policy()

        def job(progress: Progress) -> SurveyImport:
            automatic_backup(engine.url, label=BackupLabel.BEFORE_IMPORT, policy=policy, progress=progress)
            progress.check_cancelled()
            with unit_of_work(engine) as session:
                return run_survey_import(session=session, source=source, confirmed=confirmed, skip_invalid=skip_invalid)

        return job
