"""File a room request: a company waiting to move in, or a resident asking for more space."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QButtonGroup, QComboBox, QHBoxLayout, QPlainTextEdit, QRadioButton, QSpinBox, QWidget

from camp_manager.db.models import RequestKind
from camp_manager.errors import DomainError
from camp_manager.i18n import tr
from camp_manager.labels import label
from camp_manager.services import listings, occupancy, requests
from camp_manager.ui.context import AppContext
from camp_manager.ui.dialogs.form import FormDialog, replace_choices, select_data
from camp_manager.ui.widgets.dates import date_edit


class RequestDialog(FormDialog):
    def __init__(
        self,
        context: AppContext,
        *,
        facility_id: int | None = None,
        company_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, tr("공간 신청 등록"), parent)
        kind_row = QWidget()
        kind_layout = QHBoxLayout(kind_row)
        kind_layout.setContentsMargins(0, 0, 0, 0)
        self.kind_buttons: dict[RequestKind, QRadioButton] = {}
        group = QButtonGroup(self)
        for kind in RequestKind:
            button = QRadioButton(label(kind))
            group.addButton(button)
            kind_layout.addWidget(button)
            self.kind_buttons[kind] = button
        kind_layout.addStretch(1)
        self.kind_buttons[RequestKind.WAITLIST].setChecked(True)
        self.add_row(tr("신청 유형"), kind_row, "kind")
        self.facility_combo = QComboBox()
        self.add_row(tr("시설"), self.facility_combo, "facility")
        self.date_edit = date_edit(context.as_of)
        self.add_row(tr("신청일"), self.date_edit, "requested_on")
        self.company_combo = QComboBox()
        self.add_row(tr("기업"), self.company_combo, "company")
        self.rooms_spin = QSpinBox()
        self.rooms_spin.setRange(0, 20)
        self.rooms_spin.setValue(1)
        self.rooms_spin.setSuffix(tr("개"))
        self.add_row(tr("필요한 호실"), self.rooms_spin, "rooms_wanted")
        self.seats_spin = QSpinBox()
        self.seats_spin.setRange(0, 200)
        self.seats_spin.setSuffix(tr("석"))
        self.add_row(tr("필요한 좌석"), self.seats_spin, "seats_wanted")
        self.note_edit = QPlainTextEdit()
        self.note_edit.setFixedHeight(64)
        self.note_edit.setPlaceholderText(tr("예: 직원 증가로 추가 사무실 필요"))
        self.add_row(tr("메모"), self.note_edit, "note")
        self.finish_layout()

        with context.unit_of_work() as session:
            for facility in listings.facilities_in_order(session):
                self.facility_combo.addItem(facility.name, facility.id)
        if facility_id is not None:
            select_data(self.facility_combo, facility_id)
        self._wanted_company = company_id
        for button in self.kind_buttons.values():
            button.toggled.connect(lambda checked: checked and self.reload_companies())
        self.facility_combo.currentIndexChanged.connect(lambda _index: self.reload_companies())
        self.date_edit.dateChanged.connect(lambda _value: self.reload_companies())
        self.reload_companies()

    def kind(self) -> RequestKind:
        return next(kind for kind, button in self.kind_buttons.items() if button.isChecked())

    def requested_on(self) -> date:
        return self.date_edit.date().toPython()

    def reload_companies(self) -> None:
        """A waitlist is for companies not resident; an expansion for residents of the facility."""
        on, facility_id = self.requested_on(), self.facility_combo.currentData()
        keep = self.company_combo.currentData() or self._wanted_company
        with self.context.unit_of_work() as session:
            if self.kind() == RequestKind.WAITLIST:
                names = [(c.id, c.name) for c in listings.companies_not_resident(session, on=on)]
            elif facility_id is None:
                names = []
            else:
                names = [
                    (r.company.id, r.company.name)
                    for r in occupancy.residents_on(session, on=on, facility_id=facility_id)
                ]
        replace_choices(self.company_combo, names, keep=keep)

    def commit(self, session):
        company_id, facility_id = self.company_combo.currentData(), self.facility_combo.currentData()
        if facility_id is None:
            raise DomainError(tr("시설을 고르세요."), field="facility")
        if company_id is None:
            raise DomainError(tr("신청한 기업을 고르세요. 새 기업은 '입주기업'에서 먼저 등록하세요."), field="company")
        return requests.file_request(
            session=session,
            company_id=company_id,
            facility_id=facility_id,
            kind=self.kind().value,
            requested_on=self.requested_on(),
            rooms_wanted=self.rooms_spin.value(),
            seats_wanted=self.seats_spin.value(),
            note=self.note_edit.toPlainText(),
        )
