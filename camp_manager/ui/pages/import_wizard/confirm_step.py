"""5. Confirm: what the import will write; 'Import' writes it in one transaction, off the UI thread.

The import checks the rows again and refuses if the database changed since the preview.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QMessageBox

from camp_manager.db.backup import BackupLabel, automatic_backup
from camp_manager.db.engine import unit_of_work
from camp_manager.i18n import tr
from camp_manager.importing.actions import Action
from camp_manager.importing.commit import ImportResult, run_import
from camp_manager.importing.plan import ImportPlan
from camp_manager.importing.survey import SurveyImport, SurveyPlan
from camp_manager.progress import Progress
from camp_manager.ui.context import AppContext
from camp_manager.ui.pages.import_wizard.step import ImportState, WizardStep, plain_label
from camp_manager.ui.workers import run_in_background, show_error


class ConfirmStep(WizardStep):
    def __init__(self, context: AppContext, state: ImportState, title: str | None = None) -> None:
        super().__init__(context, state, title or tr("5. 확인"))
        self._importing = False
        self.confirm_label = plain_label("")
        self.confirm_label.setWordWrap(True)
        self.skip_invalid_check = QCheckBox()
        self.skip_invalid_check.toggled.connect(lambda _c: self.completeChanged.emit())
        self.body.addWidget(self.confirm_label)
        self.body.addWidget(self.skip_invalid_check)
        self.body.addStretch(1)

    # --- what a kind of import tells and does (a survey's step overrides these) -------------------
    def plan(self) -> ImportPlan | SurveyPlan:
        return self.state.plan

    def heading(self) -> str:
        return tr("{file} · 시트 '{sheet}'", file=self.state.plan.file_name, sheet=self.state.plan.sheet)

    def skipped(self) -> int:
        return len(self.state.plan.skipped)

    def notes(self) -> list[str]:
        plan = self.state.plan
        if plan.mapping.column_of("employees") is not None:
            return [tr("고용인원은 기준일 {date} 자로 기록합니다.", date=plan.options.as_of.isoformat())]
        return []

    def import_job(self, skip_invalid: bool) -> Callable[[Progress], object]:
        """The import, as a job for a worker: it checks the file again and writes it in one transaction."""
        state = self.state
        source, sheet, mapping, options, engine = (
            state.source,
            state.sheet,
            state.plan.mapping,
            state.plan.options,
            self.context.engine,
        )
        confirmed, policy = state.plan, self.context.backup_policy()

        def job(progress: Progress) -> ImportResult:
            automatic_backup(engine.url, label=BackupLabel.BEFORE_IMPORT, policy=policy, progress=progress)
            with unit_of_work(engine) as session:
                return run_import(
                    session=session,
                    source=source,
                    sheet=sheet,
                    mapping=mapping,
                    options=options,
                    skip_invalid=skip_invalid,
                    confirmed=confirmed,
                    progress=progress,
                )

        return job

    # --- the step ---------------------------------------------------------------------------------
    def start(self) -> None:
        plan = self.plan()
        writes = plan.count(Action.CREATE) + plan.count(Action.UPDATE)
        lines = [self.heading()]
        lines.append(
            tr(
                "새로 등록 {created:,}행, 수정 {updated:,}행을 한 번에 씁니다. 변경 없음 {unchanged:,}행과 건너뛴 {skipped:,}행은 그대로 둡니다.",
                created=plan.count(Action.CREATE),
                updated=plan.count(Action.UPDATE),
                unchanged=plan.count(Action.UNCHANGED),
                skipped=self.skipped(),
            )
        )
        lines += self.notes()
        if not writes:
            lines.append(tr("바꿀 내용이 없습니다."))
        if plan.error_rows:
            lines.append(
                tr(
                    "오류가 있는 행이 {count:,}개 있습니다. 파일을 고쳐 다시 가져오거나, 아래를 켜서 올바른 행만 가져오세요.",
                    count=len(plan.error_rows),
                )
            )
        self.confirm_label.setText("\n".join(lines))
        self.skip_invalid_check.setText(
            tr(
                "오류가 있는 {errors:,}행은 빼고 올바른 {valid:,}행만 가져오기",
                errors=len(plan.error_rows),
                valid=writes,
            )
        )
        self.skip_invalid_check.setVisible(bool(plan.error_rows))
        self.skip_invalid_check.setChecked(False)

    def can_go_on(self) -> bool:
        plan = self.plan()
        writes = plan.count(Action.CREATE) + plan.count(Action.UPDATE)
        return not self._importing and writes > 0 and (not plan.error_rows or self.skip_invalid_check.isChecked())

    def go_on(self) -> None:
        job = self.import_job(self.skip_invalid_check.isChecked())
        self._set_importing(True)
        run_in_background(
            self,
            title=tr("가져오는 중…"),
            job=job,
            on_success=self._imported,
            on_error=self._import_failed,
            on_cancelled=self._import_cancelled,
        )

    def _set_importing(self, importing: bool) -> None:
        self._importing = importing
        self.completeChanged.emit()

    def _imported(self, result: ImportResult | SurveyImport) -> None:
        self._importing = False
        self.state.result = result
        self.finished.emit()

    def _import_failed(self, error: BaseException) -> None:
        self._set_importing(False)
        show_error(self, error)

    def _import_cancelled(self) -> None:
        self._set_importing(False)
        QMessageBox.information(self, tr("가져오기"), tr("가져오기를 취소했습니다. 아무것도 바뀌지 않았습니다."))
