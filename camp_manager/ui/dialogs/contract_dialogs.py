"""A stay's contract (계약): start or drop a renewal in progress, extend the contract.

Each form checks as the user types with the use case's own problem function and shows the
message under its field; OK runs the use case.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import QDateEdit, QLabel, QLineEdit, QWidget
from sqlmodel import SQLModel

from camp_manager.db.models import ContractExtension, ContractRenewal, Residency
from camp_manager.i18n import tr
from camp_manager.services import directory, residency
from camp_manager.services.directory import StayRecord
from camp_manager.ui.context import AppContext
from camp_manager.ui.dialogs.form import FormDialog
from camp_manager.ui.dialogs.support_dialogs import LiveChecks
from camp_manager.ui.widgets.dates import date_edit, from_qdate
from camp_manager.ui.widgets.forms import column_edit


class ContractDialog(FormDialog):
    """A form about one stay's contract, headed by the company and the contract as the page showed it."""

    def __init__(self, context: AppContext, title: str, stay: StayRecord, company_name: str, parent: QWidget | None):
        super().__init__(context, title, parent)
        self.stay = stay
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.layout_.insertWidget(1, self.summary)
        self.checks = LiveChecks(self.problems)
        self.company_name = company_name
        self.show_summary()

    def show_summary(self) -> None:
        stay = self.stay.residency
        self.summary.setText(
            tr(
                "'{name}' · {facility} · 입주 {start} · 계약 만료 {end}",
                name=self.company_name,
                facility=self.stay.facility_name,
                start=stay.move_in.isoformat(),
                end=stay.contract_end.isoformat() if stay.contract_end else tr("없음"),
            )
        )

    def date_row(self, label: str, value: date, field: str) -> QDateEdit:
        """A date field checked as it changes; the use case's message about `field` shows under it."""
        edit = date_edit(value)
        self.checks.watch(self.add_row(label, edit, field), field)
        edit.dateChanged.connect(lambda _value: self.checks.edited(field))
        return edit

    def note_row(self, model: type[SQLModel], example: str) -> QLineEdit:
        edit = column_edit(model, "note")
        edit.setPlaceholderText(example)
        self.add_row(tr("메모"), edit, "note")
        return edit

    def problems(self) -> dict[str, str]:
        raise NotImplementedError


class RenewalStartDialog(ContractDialog):
    """재계약 진행 시작: from its first day the contract is off the contracts-ending watch."""

    def __init__(self, context: AppContext, stay: StayRecord, company_name: str, parent: QWidget | None = None):
        super().__init__(context, tr("재계약 진행 시작"), stay, company_name, parent)
        self.date_edit = self.date_row(tr("재계약 시작일"), min(context.as_of, context.today()), "started_on")
        self.note_edit = self.note_row(ContractRenewal, tr("예: 재계약 서류 접수"))
        self.finish_layout()

    def problems(self) -> dict[str, str]:
        return residency.renewal_problems(
            self.stay.residency,
            self.stay.open_renewal(),
            on=from_qdate(self.date_edit.date()),
            today=self.context.today(),
        )

    def commit(self, session) -> ContractRenewal:
        return residency.start_renewal(
            session=session,
            residency_id=self.stay.residency.id,
            on=from_qdate(self.date_edit.date()),
            note=self.note_edit.text(),
        )


class RenewalDropDialog(ContractDialog):
    """재계약 진행 취소: the renewal stopped without an extension; the contract is watched again."""

    def __init__(
        self,
        context: AppContext,
        stay: StayRecord,
        renewal: ContractRenewal,
        company_name: str,
        parent: QWidget | None = None,
    ):
        self.renewal = renewal
        super().__init__(context, tr("재계약 진행 취소"), stay, company_name, parent)
        self.date_edit = self.date_row(tr("중단일"), min(context.as_of, context.today()), "finished_on")
        self.finish_layout()

    def problems(self) -> dict[str, str]:
        return residency.drop_problems(self.renewal, on=from_qdate(self.date_edit.date()), today=self.context.today())

    def commit(self, session) -> ContractRenewal:
        return residency.drop_renewal(session=session, renewal_id=self.renewal.id, on=from_qdate(self.date_edit.date()))


class ExtensionDialog(ContractDialog):
    """계약 연장: a new contract end from the day of the extension (the earlier end is kept); it closes
    a renewal in progress."""

    def __init__(self, context: AppContext, stay: StayRecord, company_name: str, parent: QWidget | None = None):
        super().__init__(context, tr("계약 연장"), stay, company_name, parent)
        current_end = stay.residency.contract_end or context.as_of
        self.end_edit = self.date_row(tr("새 계약 만료일"), current_end + timedelta(days=365), "contract_end")
        self.date_edit = self.date_row(tr("연장일"), context.as_of, "extended_on")
        self.note_edit = self.note_row(ContractExtension, tr("예: 입주 심사 통과, 1년 연장"))
        self.finish_layout()

    def new_end(self) -> date:
        return from_qdate(self.end_edit.date())

    def problems(self) -> dict[str, str]:
        return residency.extension_problems(
            self.stay.residency,
            self.stay.open_renewal(),
            new_end=self.new_end(),
            on=from_qdate(self.date_edit.date()),
        )

    def reload(self) -> None:
        """The contract as a colleague left it: the next OK extends that one, with what was typed."""
        with self.context.unit_of_work() as session:
            stays = directory.company_stays(session, company_id=self.stay.residency.company_id)
        self.stay = next(s for s in stays if s.residency.id == self.stay.residency.id)
        self.show_summary()

    def commit(self, session) -> Residency:
        return residency.extend_contract(
            session=session,
            residency_id=self.stay.residency.id,
            new_end=self.new_end(),
            on=from_qdate(self.date_edit.date()),
            note=self.note_edit.text(),
            seen_version=self.stay.residency.version,
        )
