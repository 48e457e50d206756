"""6. Summary: what the import wrote, with the error report, undo, and another file."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton

from camp_manager.db.models import ImportBatch
from camp_manager.i18n import tr
from camp_manager.ui.context import AppContext
from camp_manager.ui.pages.import_wizard.step import ImportState, WizardStep, plain_label


class SummaryStep(WizardStep):
    errorReportRequested = Signal()
    undoRequested = Signal()
    restartRequested = Signal()

    def __init__(self, context: AppContext, state: ImportState) -> None:
        super().__init__(context, state, tr("6. 결과"))
        self.summary_label = plain_label("")
        self.summary_label.setWordWrap(True)
        self.body.addWidget(self.summary_label)
        buttons = QHBoxLayout()
        report = QPushButton(tr("오류 표시 파일 저장…"))
        report.clicked.connect(self.errorReportRequested)
        self.undo_button = QPushButton(tr("마지막 가져오기 되돌리기…"))
        self.undo_button.clicked.connect(self.undoRequested)
        again = QPushButton(tr("다른 파일 가져오기"))
        again.clicked.connect(self.restartRequested)
        for button in (report, self.undo_button, again):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.body.addLayout(buttons)
        self.body.addStretch(1)

    def start(self) -> None:
        batch = self.state.result.batch
        if batch is None:
            text = tr("바꿀 내용이 없어 아무것도 쓰지 않았습니다.")
        else:
            text = tr(
                "가져왔습니다 (가져오기 {id}번): 새로 등록 {created:,}, 수정 {updated:,}, 변경 없음 {unchanged:,}, 건너뜀 {skipped:,}, 오류로 뺀 행 {errors:,}.",
                id=batch.id,
                created=batch.created,
                updated=batch.updated,
                unchanged=batch.unchanged,
                skipped=batch.skipped,
                errors=batch.errors,
            )
        self.summary_label.setText(text)

    def show_undone(self, batch: ImportBatch) -> None:
        self.summary_label.setText(tr("가져오기 {id}번('{file}')을 되돌렸습니다.", id=batch.id, file=batch.file_name))

    def set_undo_enabled(self, enabled: bool) -> None:
        self.undo_button.setEnabled(enabled)

    def can_go_on(self) -> bool:
        return False

    def go_on(self) -> None:
        """The last step: nothing follows."""
