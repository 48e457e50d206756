"""Log a mentoring session in one dialog: held (a record) or planned (a date ahead)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from camp_manager.db.models import MentorField, MentoringSession, SessionMode
from camp_manager.errors import DomainError
from camp_manager.i18n import tr
from camp_manager.labels import label, label_of
from camp_manager.services import listings, mentoring, occupancy
from camp_manager.ui.context import AppContext
from camp_manager.ui.dialogs.form import FormDialog, replace_choices, select_data
from camp_manager.ui.widgets.dates import date_edit
from camp_manager.ui.widgets.forms import column_edit


class SessionDialog(FormDialog):
    def __init__(
        self,
        context: AppContext,
        *,
        mentor_id: int | None = None,
        company_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, tr("멘토링 기록"), parent)
        self.date_edit = date_edit(min(context.as_of, context.today()))
        self.add_row(tr("날짜"), self.date_edit, "held_on")
        status_row = QWidget()
        status_layout = QHBoxLayout(status_row)
        status_layout.setContentsMargins(0, 0, 0, 0)
        self.held_radio = QRadioButton(tr("진행함 (기록)"))
        self.planned_radio = QRadioButton(tr("예정 (일정 등록)"))
        self.held_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.held_radio)
        group.addButton(self.planned_radio)
        status_layout.addWidget(self.held_radio)
        status_layout.addWidget(self.planned_radio)
        status_layout.addStretch(1)
        self.add_row(tr("상태"), status_row, "status")
        self.mentor_combo = QComboBox()
        self.add_row(tr("멘토"), self.mentor_combo, "mentor")
        self.company_combo = QComboBox()
        self.add_row(tr("기업"), self.company_combo, "company")
        self.minutes_spin = QSpinBox()
        self.minutes_spin.setRange(10, 24 * 60)
        self.minutes_spin.setSingleStep(30)
        self.minutes_spin.setValue(60)
        self.minutes_spin.setSuffix(tr("분"))
        self.add_row(tr("소요 시간"), self.minutes_spin, "minutes")
        self.mode_combo = QComboBox()
        for mode in SessionMode:
            self.mode_combo.addItem(label(mode), mode.value)
        self.add_row(tr("진행 방식"), self.mode_combo, "mode")
        self.topic_edit = column_edit(MentoringSession, "topic")
        self.topic_edit.setPlaceholderText(tr("예: 투자 유치 전략"))
        self.add_row(tr("주제"), self.topic_edit, "topic")
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setFixedHeight(64)
        self.add_row(tr("메모"), self.notes_edit, "notes")
        self.finish_layout()

        with context.unit_of_work() as session:
            mentors = listings.active_mentors(session)
        for mentor in mentors:
            self.mentor_combo.addItem(
                f"{mentor.name} · {label_of(MentorField, mentor.field)} · {mentor.affiliation}", mentor.id
            )
        self.mentor_combo.setCurrentIndex(-1)
        if mentor_id is not None:
            select_data(self.mentor_combo, mentor_id)
        self._wanted_company = company_id
        # A planned session has no notes yet: they are written when it is marked held.
        self.planned_radio.toggled.connect(lambda planned: self.notes_edit.setEnabled(not planned))
        self.date_edit.dateChanged.connect(lambda _value: self._date_changed())
        self._date_changed()

    def held_on(self) -> date:
        return self.date_edit.date().toPython()

    def _date_changed(self) -> None:
        """Companies resident on the day; a day still ahead can only be planned."""
        on = self.held_on()
        future = on > self.context.today()
        if future:
            self.planned_radio.setChecked(True)
        self.held_radio.setEnabled(not future)
        keep = self.company_combo.currentData() or self._wanted_company
        with self.context.unit_of_work() as session:
            residents = occupancy.residents_on(session, on=on)
        replace_choices(self.company_combo, [(row.company.id, row.company.name) for row in residents], keep=keep)

    def commit(self, session):
        mentor_id, company_id = self.mentor_combo.currentData(), self.company_combo.currentData()
        if mentor_id is None:
            raise DomainError(tr("멘토를 고르세요."), field="mentor")
        if company_id is None:
            raise DomainError(tr("입주기업을 고르세요. 목록에는 그날 입주 중인 기업만 나옵니다."), field="company")
        values = dict(
            session=session,
            mentor_id=mentor_id,
            company_id=company_id,
            held_on=self.held_on(),
            minutes=self.minutes_spin.value(),
            topic=self.topic_edit.text(),
            mode=self.mode_combo.currentData(),
        )
        if self.planned_radio.isChecked():
            return mentoring.plan_session(**values)
        return mentoring.log_held_session(**values, notes=self.notes_edit.toPlainText())
