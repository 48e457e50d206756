"""Add or edit a resident company; a new one can move in and get its headcount in the same step.

Every field is checked as the user types (the same rules the use cases enforce, via
`companies.input_problems`) and the problem is shown under the field. Saving runs the use
cases in one unit of work: if anything is refused, nothing is written and the refusal is
shown next to the field it names.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from camp_manager.db.models import BusinessField, Company
from camp_manager.errors import DomainError, EditConflict
from camp_manager.i18n import tr
from camp_manager.labels import label
from camp_manager.services import bizno, companies, directory, residency
from camp_manager.services.book import Book
from camp_manager.services.common import fetch, reapply_edits
from camp_manager.services.companies import CompanyInput
from camp_manager.ui.context import AppContext
from camp_manager.ui.style import make_primary
from camp_manager.ui.widgets.dates import date_edit, from_qdate, parse_optional_date, to_qdate
from camp_manager.ui.widgets.forms import FieldWithError, column_edit, show_message
from camp_manager.ui.workers import show_error

CONTRACT_YEARS = 2


def default_contract_end(move_in: date) -> date:
    """Two years less a day, the camp's usual first contract."""
    try:
        return move_in.replace(year=move_in.year + CONTRACT_YEARS) - timedelta(days=1)
    except ValueError:  # 29 February
        return move_in.replace(year=move_in.year + CONTRACT_YEARS, day=28)


class MoveInFields(QWidget):
    """Facility, move-in date and contract end (optional), with the end never before the move-in."""

    def __init__(self, facilities: list[tuple[int, str]], move_in: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.facility = QComboBox()
        for facility_id, name in facilities:
            self.facility.addItem(name, facility_id)
        self.move_in = date_edit(move_in)
        self.has_end = QCheckBox(tr("계약 만료일"))
        self.has_end.setChecked(True)
        self.contract_end = date_edit(default_contract_end(move_in))
        self.contract_end.setMinimumDate(to_qdate(move_in))
        self.move_in.dateChanged.connect(self._move_in_changed)
        self.has_end.toggled.connect(self.contract_end.setEnabled)
        self.fields = {
            "facility": FieldWithError(self.facility),
            "move_in": FieldWithError(self.move_in),
            "contract_end": FieldWithError(self.contract_end),
        }
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(tr("시설"), self.fields["facility"])
        form.addRow(tr("입주일"), self.fields["move_in"])
        form.addRow(self.has_end, self.fields["contract_end"])

    def _move_in_changed(self, value) -> None:
        # The widget itself keeps the rule "contract end ≥ move-in": an earlier end cannot be picked.
        self.contract_end.setMinimumDate(value)
        self.contract_end.setDate(to_qdate(default_contract_end(from_qdate(value))))

    def facility_id(self) -> int | None:
        return self.facility.currentData()

    def move_in_on(self) -> date:
        return from_qdate(self.move_in.date())

    def contract_end_on(self) -> date | None:
        return from_qdate(self.contract_end.date()) if self.has_end.isChecked() else None

    def save(self, session, company_id: int) -> None:
        if self.facility_id() is None:
            raise DomainError(tr("시설이 없습니다. 설정에서 시설을 먼저 만드세요."), field="facility")
        residency.move_in(
            session=session,
            company_id=company_id,
            facility_id=self.facility_id(),
            move_in_on=self.move_in_on(),
            contract_end=self.contract_end_on(),
        )


class CompanyDialog(QDialog):
    """`company_id` None adds a company; `saved_company_id` tells the caller which one was saved."""

    def __init__(self, context: AppContext, *, company_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.company_id = company_id
        self.saved_company_id: int | None = None
        self._touched: set[str] = set()
        self._number_owner: tuple[str, tuple[int, str] | None] = ("", None)
        self.setWindowTitle(tr("새 입주기업") if company_id is None else tr("입주기업 수정"))
        self.setMinimumWidth(560)

        with context.unit_of_work() as session:
            facilities = [
                (row.facility.id, row.facility.name) for row in directory.facility_rows(session, on=context.as_of)
            ]
            stored = fetch(session, Company, company_id, what=tr("입주기업")) if company_id else None
            existing = companies.company_input(stored) if stored is not None else None
            # The version the form is filled from: a save over a newer one is refused (EditConflict).
            self.seen_version = stored.version if stored is not None else None

        self.name = column_edit(Company, "name")
        self.biz_reg_no = QLineEdit()
        self.biz_reg_no.setPlaceholderText("123-45-67890")
        self.representative = column_edit(Company, "representative")
        self.business_field = QComboBox()
        for member in BusinessField:
            self.business_field.addItem(label(member), member.value)
        self.founded_on = QLineEdit()
        self.founded_on.setPlaceholderText(tr("YYYY-MM-DD (선택)"))
        self.phone = column_edit(Company, "phone")
        self.email = column_edit(Company, "email")
        self.email.setPlaceholderText("ceo@example.com")
        self.investment = QLineEdit()
        self.investment.setPlaceholderText(tr("원 단위, 예: 100,000,000"))
        self.mou_on = QLineEdit()
        self.mou_on.setPlaceholderText(tr("YYYY-MM-DD (선택)"))
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(64)
        self.fields: dict[str, FieldWithError] = {
            "name": FieldWithError(self.name),
            "biz_reg_no": FieldWithError(self.biz_reg_no),
            "representative": FieldWithError(self.representative),
            "field": FieldWithError(self.business_field),
            "founded_on": FieldWithError(self.founded_on),
            "phone": FieldWithError(self.phone),
            "email": FieldWithError(self.email),
            "investment_krw": FieldWithError(self.investment),
            "mou_on": FieldWithError(self.mou_on),
            "notes": FieldWithError(self.notes),
        }
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        for key, text in (
            ("name", tr("기업명 *")),
            ("biz_reg_no", tr("사업자등록번호 *")),
            ("representative", tr("대표자")),
            ("field", tr("분야")),
            ("founded_on", tr("설립일")),
            ("phone", tr("전화")),
            ("email", tr("이메일")),
            ("investment_krw", tr("투자유치금액")),
            ("mou_on", tr("협약일")),
            ("notes", tr("메모")),
        ):
            form.addRow(text, self.fields[key])

        layout = QVBoxLayout(self)
        layout.addLayout(form)

        self.move_in_group: QGroupBox | None = None
        self.move_in_fields: MoveInFields | None = None
        self.employees = QSpinBox()
        if company_id is None:
            self.move_in_group = QGroupBox(tr("입주 처리도 함께 하기"))
            self.move_in_group.setCheckable(True)
            self.move_in_group.setChecked(bool(facilities))
            self.move_in_fields = MoveInFields(facilities, context.as_of)
            self.employees.setRange(-1, 100_000)
            self.employees.setSpecialValueText(tr("기록 안 함"))
            self.employees.setValue(-1)
            self.employees.setSuffix(tr("명"))
            self.fields.update(self.move_in_fields.fields)
            self.fields["employees"] = FieldWithError(self.employees)
            group_layout = QFormLayout(self.move_in_group)
            group_layout.addRow(self.move_in_fields)
            group_layout.addRow(tr("상시 고용인원 (입주일 기준)"), self.fields["employees"])
            layout.addWidget(self.move_in_group)

        self.form_error = QLabel()
        self.form_error.setObjectName("formError")
        self.form_error.setWordWrap(True)
        self.form_error.hide()
        layout.addWidget(self.form_error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        make_primary(self.buttons.button(QDialogButtonBox.StandardButton.Save))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(QLabel(tr("* 필수")), 1)
        buttons_row.addWidget(self.buttons)
        layout.addLayout(buttons_row)

        if existing is not None:
            self._fill(existing)
        self._as_loaded, _ = self._read()  # what the user's edits are measured against
        for key, widget in (
            ("name", self.name),
            ("biz_reg_no", self.biz_reg_no),
            ("representative", self.representative),
            ("founded_on", self.founded_on),
            ("phone", self.phone),
            ("email", self.email),
            ("investment_krw", self.investment),
            ("mou_on", self.mou_on),
        ):
            widget.textChanged.connect(lambda _text, key=key: self._edited(key))
        self.business_field.currentIndexChanged.connect(lambda _index: self._edited("field"))
        self.validate()

    # --- values ------------------------------------------------------------------------
    def _fill(self, data: CompanyInput) -> None:
        self.name.setText(data.name)
        self.biz_reg_no.setText(bizno.format_bizno(data.biz_reg_no))
        self.representative.setText(data.representative)
        self.business_field.setCurrentIndex(max(0, self.business_field.findData(data.field)))
        self.founded_on.setText(data.founded_on.isoformat() if data.founded_on else "")
        self.phone.setText(data.phone)
        self.email.setText(data.email)
        self.investment.setText(f"{data.investment_krw:,}" if data.investment_krw else "")
        self.mou_on.setText(data.mou_on.isoformat() if data.mou_on else "")
        self.notes.setPlainText(data.notes)

    def _read(self) -> tuple[CompanyInput, dict[str, str]]:
        """The typed values, and the problems of those that cannot even be read (dates, amount)."""
        unreadable: dict[str, str] = {}
        dates: dict[str, date | None] = {}
        for key, edit in (("founded_on", self.founded_on), ("mou_on", self.mou_on)):
            try:
                dates[key] = parse_optional_date(edit.text())
            except ValueError as error:
                unreadable[key], dates[key] = str(error), None
        amount = self.investment.text().replace(",", "").replace(" ", "")
        investment = 0
        if amount:
            if amount.isdigit():
                investment = int(amount)
            else:
                unreadable["investment_krw"] = tr("투자유치금액은 숫자로만 입력하세요 (원 단위, 예: 100,000,000).")
        data = CompanyInput(
            name=self.name.text(),
            biz_reg_no=self.biz_reg_no.text(),
            representative=self.representative.text(),
            field=self.business_field.currentData(),
            founded_on=dates["founded_on"],
            phone=self.phone.text(),
            email=self.email.text(),
            investment_krw=investment,
            mou_on=dates["mou_on"],
            notes=self.notes.toPlainText(),
        )
        return data, unreadable

    def problems(self) -> dict[str, str]:
        data, unreadable = self._read()
        digits = bizno.digits_only(data.biz_reg_no)
        owner = self._owner_of(digits)
        numbers = Book(biz_numbers={digits: owner} if owner is not None else {})
        return {
            **companies.company_problems(numbers, data, company_id=self.company_id, today=self.context.today()),
            **unreadable,
        }

    def _owner_of(self, digits: str) -> tuple[int, str] | None:
        # One lookup per distinct number typed, not per keystroke elsewhere in the form.
        if self._number_owner[0] != digits:
            with self.context.unit_of_work() as session:
                self._number_owner = (digits, directory.company_id_by_bizno(session, digits))
        return self._number_owner[1]

    # --- checking as the user types ------------------------------------------------------
    def _edited(self, key: str) -> None:
        self._touched.add(key)
        self.validate()

    def validate(self) -> dict[str, str]:
        """Show the problem of every field the user has touched; returns all problems."""
        found = self.problems()
        for key, field_widget in self.fields.items():
            field_widget.set_error(found.get(key) if key in self._touched else None)
        self.form_error.hide()
        return found

    def save(self) -> None:
        self._touched.update(self.fields)
        if self.validate():
            return
        data, _ = self._read()
        moving_in = self.move_in_group is not None and self.move_in_group.isChecked()
        try:
            with self.context.unit_of_work() as session:
                if self.company_id is None:
                    company = companies.register_company(session=session, data=data)
                else:
                    company = companies.edit_company(
                        session=session, company_id=self.company_id, data=data, seen_version=self.seen_version
                    )
                if moving_in:
                    self.move_in_fields.save(session, company.id)
                if self.company_id is None and self.employees.value() >= 0:
                    companies.record_headcount(
                        session=session,
                        company_id=company.id,
                        as_of=self.move_in_fields.move_in_on() if moving_in else self.context.as_of,
                        employees=self.employees.value(),
                    )
                saved_id = company.id
        except EditConflict as conflict:
            self.offer_reload(conflict)
            return
        except DomainError as error:
            self.show_refusal(error)
            return
        except Exception as error:  # noqa: BLE001 (logged and shown; the unit of work rolled back)
            show_error(self, error)
            return
        self.saved_company_id = saved_id
        self.accept()

    def offer_reload(self, conflict: EditConflict) -> None:
        """Someone saved this company after the form was filled: reload the latest and re-apply the user's edits."""
        answer = QMessageBox.question(
            self,
            tr("다른 사용자가 먼저 저장했습니다"),
            conflict.message + "\n\n" + tr("최신 내용을 불러와 내가 바꾼 항목만 다시 적용할까요?"),
        )
        if answer != QMessageBox.StandardButton.Yes:
            self.form_error.setText(conflict.message)
            self.form_error.show()
            return
        mine, _ = self._read()
        with self.context.unit_of_work() as session:
            stored = fetch(session, Company, self.company_id, what=tr("입주기업"))
            latest, self.seen_version = companies.company_input(stored), stored.version
        self._fill(latest)
        latest_as_shown, _ = self._read()
        self._fill(reapply_edits(original=self._as_loaded, mine=mine, latest=latest_as_shown))
        self._as_loaded = latest_as_shown
        self.validate()
        self.form_error.setText(
            tr(
                "{who}님이 저장한 최신 내용에 내 변경을 다시 적용했습니다. 확인한 뒤 저장하세요.",
                who=conflict.changed_by,
            )
        )
        self.form_error.show()

    def show_refusal(self, error: DomainError) -> None:
        """A use case's refusal, next to the field it names (or under the form)."""
        key = "employees" if error.field == "as_of" and "employees" in self.fields else error.field
        if key in self.fields:
            self.fields[key].set_error(error.message)
        else:
            show_message(self.form_error, error.message)


class MoveInDialog(QDialog):
    """Move a registered, waiting or exited company in."""

    def __init__(
        self, context: AppContext, *, company_id: int, company_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.company_id = company_id
        self.setWindowTitle(tr("입주 처리 — {name}", name=company_name))
        with context.unit_of_work() as session:
            facilities = [
                (row.facility.id, row.facility.name) for row in directory.facility_rows(session, on=context.as_of)
            ]
        self.fields = MoveInFields(facilities, context.as_of)
        self.form_error = QLabel()
        self.form_error.setObjectName("formError")
        self.form_error.setWordWrap(True)
        self.form_error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        make_primary(buttons.button(QDialogButtonBox.StandardButton.Ok))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.fields)
        layout.addWidget(self.form_error)
        layout.addWidget(buttons)

    def save(self) -> None:
        try:
            with self.context.unit_of_work() as session:
                self.fields.save(session, self.company_id)
        except DomainError as error:
            if error.field in self.fields.fields:
                self.fields.fields[error.field].set_error(error.message)
            else:
                show_message(self.form_error, error.message)
            return
        self.accept()
