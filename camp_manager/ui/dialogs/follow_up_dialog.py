"""A follow-up check-in (후속 조사) on a company 1, 2 or 3 years after it left, checked as the user types
(`follow_ups.follow_up_problems`), beside the check-ins already recorded for that exit."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QSpinBox, QWidget
from sqlmodel import Session

from camp_manager.db.models import FollowUp, FollowUpStatus, Region
from camp_manager.errors import DomainError
from camp_manager.i18n import tr
from camp_manager.labels import label, label_of
from camp_manager.services import follow_ups
from camp_manager.services.follow_ups import CHECK_IN_YEARS, FollowUpInput
from camp_manager.ui.context import AppContext
from camp_manager.ui.dialogs.form import FormDialog, select_data
from camp_manager.ui.dialogs.outcome_dialogs import parse_amount, won
from camp_manager.ui.dialogs.support_dialogs import LiveChecks
from camp_manager.ui.models.table import Column
from camp_manager.ui.widgets.dates import date_edit, from_qdate
from camp_manager.ui.widgets.forms import column_edit
from camp_manager.ui.widgets.table_view import DataTable


def years_label(years: int) -> str:
    return tr("퇴거 {years}년 후", years=years)


def follow_up_columns() -> list[Column[FollowUp]]:
    return [
        Column(title=lambda: tr("시점"), text=lambda f: years_label(f.years_after), sort_key=lambda f: f.years_after),
        Column(title=lambda: tr("조사일"), text=lambda f: f.checked_on.isoformat(), sort_key=lambda f: f.checked_on),
        Column(title=lambda: tr("운영 상태"), text=lambda f: label_of(FollowUpStatus, f.status)),
        Column(title=lambda: tr("소재지"), text=lambda f: label_of(Region, f.region)),
        Column(
            title=lambda: tr("고용인원"),
            text=lambda f: "" if f.employees is None else tr("{count}명", count=f.employees),
            align_right=True,
        ),
        Column(title=lambda: tr("매출액"), text=lambda f: won(f.sales_krw), align_right=True),
        Column(title=lambda: tr("메모"), text=lambda f: f.note),
    ]


class FollowUpDialog(FormDialog):
    """Record the check-in of a year (or new findings for one already recorded) on the exit `exit_id`."""

    def __init__(
        self,
        context: AppContext,
        *,
        exit_id: int,
        company_name: str,
        exit_on: date,
        years_after: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, tr("후속 조사 — {name}", name=company_name), parent)
        self.setMinimumWidth(640)
        self.exit_id, self.exit_on = exit_id, exit_on
        self.summary = QLabel()
        self.recorded_table = DataTable(follow_up_columns(), name="follow_ups_recorded")
        self.recorded_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.recorded_table.fit_columns(stretch=6)
        self.layout_.insertWidget(1, self.summary)
        self.layout_.insertWidget(2, self.recorded_table)
        self.reload()

        self.checks = LiveChecks(self.problems)
        self.years_combo = QComboBox()
        for years in CHECK_IN_YEARS:
            self.years_combo.addItem(years_label(years), years)
        done = {f.years_after for f in self.recorded}
        select_data(self.years_combo, years_after or next((y for y in CHECK_IN_YEARS if y not in done), 1))
        self.checked_edit = date_edit(context.as_of)
        self.status_combo = QComboBox()
        for status in FollowUpStatus:
            self.status_combo.addItem(label(status), status.value)
        self.region_combo = QComboBox()
        for region in Region:
            self.region_combo.addItem(label(region), region.value)
        select_data(self.region_combo, Region.UNKNOWN.value)
        self.employees_spin = QSpinBox()
        self.employees_spin.setRange(-1, 100_000)
        self.employees_spin.setSpecialValueText(tr("모름"))
        self.employees_spin.setValue(-1)
        self.employees_spin.setSuffix(tr("명"))
        self.sales_edit = QLineEdit()
        self.sales_edit.setPlaceholderText(tr("모르면 비워 두세요 (예: 300,000,000)"))
        self.note_edit = column_edit(FollowUp, "note")
        rows = [
            (tr("조사 시점"), self.years_combo, "years_after"),
            (tr("조사일"), self.checked_edit, "checked_on"),
            (tr("운영 상태"), self.status_combo, "status"),
            (tr("소재지"), self.region_combo, "region"),
            (tr("고용인원"), self.employees_spin, "employees"),
            (tr("매출액"), self.sales_edit, "sales_krw"),
            (tr("메모"), self.note_edit, "note"),
        ]
        for title, widget, name in rows:
            self.checks.watch(self.add_row(title, widget, name), name)
        self.finish_layout()
        self.years_combo.currentIndexChanged.connect(lambda _i: self.checks.edited("years_after", "checked_on"))
        self.checked_edit.dateChanged.connect(lambda _d: self.checks.edited("checked_on"))
        self.status_combo.currentIndexChanged.connect(lambda _i: self.checks.edited("status"))
        self.region_combo.currentIndexChanged.connect(lambda _i: self.checks.edited("region"))
        self.employees_spin.valueChanged.connect(lambda _v: self.checks.edited("employees"))
        self.sales_edit.textChanged.connect(lambda _t: self.checks.edited("sales_krw"))
        self.note_edit.textChanged.connect(lambda _t: self.checks.edited("note"))
        self.checks.edited("checked_on")

    def reload(self) -> None:
        """The check-ins recorded, with their versions (again after a colleague's save); what was typed stays."""
        with self.context.unit_of_work() as session:
            self.recorded = follow_ups.follow_ups_of(session, self.exit_id)
        day = self.exit_on.isoformat()
        self.summary.setText(
            tr("{date} 퇴거. 이미 기록한 후속 조사:", date=day)
            if self.recorded
            else tr("{date} 퇴거. 아직 기록한 후속 조사가 없습니다.", date=day)
        )
        self.recorded_table.set_rows(self.recorded)
        self.recorded_table.show_every_row()
        self.recorded_table.setVisible(bool(self.recorded))

    def read(self) -> tuple[FollowUpInput, dict[str, str]]:
        unreadable: dict[str, str] = {}
        sales: int | None = None
        if self.sales_edit.text().strip():
            try:
                sales = parse_amount(self.sales_edit.text(), field=tr("매출액"))
            except ValueError as error:
                unreadable["sales_krw"] = str(error)
        employees = self.employees_spin.value()
        data = FollowUpInput(
            exit_id=self.exit_id,
            years_after=self.years_combo.currentData(),
            checked_on=from_qdate(self.checked_edit.date()),
            status=self.status_combo.currentData(),
            region=self.region_combo.currentData(),
            employees=None if employees < 0 else employees,
            sales_krw=sales,
            note=self.note_edit.text(),
        )
        return data, unreadable

    def problems(self) -> dict[str, str]:
        data, unreadable = self.read()
        return {**follow_ups.follow_up_problems(self.exit_on, data, today=self.context.today()), **unreadable}

    def commit(self, session: Session) -> FollowUp:
        data, unreadable = self.read()
        if unreadable:
            name, message = next(iter(unreadable.items()))
            raise DomainError(message, field=name)
        stored = next((f for f in self.recorded if f.years_after == data.years_after), None)
        return follow_ups.record_follow_up(
            session=session, data=data, seen_version=follow_ups.NONE_SEEN if stored is None else stored.version
        )
