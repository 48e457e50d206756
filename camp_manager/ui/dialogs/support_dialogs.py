"""Support requests: file one, and take it a step on (start, finish as done or declined, cancel)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QComboBox, QLabel, QPlainTextEdit, QWidget

from camp_manager.db.models import SupportKind, SupportRequest, SupportStatus
from camp_manager.errors import DomainError
from camp_manager.i18n import tr
from camp_manager.labels import label, label_of
from camp_manager.services import occupancy, support
from camp_manager.services.book import Book, load_book
from camp_manager.services.support import SupportFiling, SupportRow
from camp_manager.ui.context import AppContext
from camp_manager.ui.dialogs.form import FormDialog, replace_choices
from camp_manager.ui.widgets.dates import date_edit, from_qdate
from camp_manager.ui.widgets.forms import FieldWithError, column_edit


class LiveChecks:
    """Shows, as the user edits, the problems `problems()` finds in the fields already touched."""

    def __init__(self, problems: Callable[[], dict[str, str]]) -> None:
        self._problems = problems
        self._rows: dict[str, FieldWithError] = {}
        self._touched: set[str] = set()

    def watch(self, row: FieldWithError, *fields: str) -> None:
        for name in fields:
            self._rows[name] = row

    def edited(self, *fields: str) -> None:
        self._touched.update(fields)
        found = self._problems()
        for row in set(self._rows.values()):
            names = [name for name, watched in self._rows.items() if watched is row and name in self._touched]
            row.set_error(next((found[name] for name in names if name in found), None))


class SupportRequestDialog(FormDialog):
    """A new request of a resident company on the day asked."""

    def __init__(self, context: AppContext, *, company_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(context, tr("지원 요청 등록"), parent)
        self.checks = LiveChecks(self.problems)
        self.date_edit = date_edit(context.as_of)
        self.checks.watch(self.add_row(tr("요청일"), self.date_edit, "asked_on"), "asked_on")
        self.company_combo = QComboBox()
        self.checks.watch(
            self.add_row(tr("기업"), self.company_combo, "company", "company_id"), "company", "company_id"
        )
        self.kind_combo = QComboBox()
        for kind in SupportKind:
            self.kind_combo.addItem(label(kind), kind.value)
        self.checks.watch(self.add_row(tr("지원 분야"), self.kind_combo, "kind"), "kind")
        self.description_edit = column_edit(SupportRequest, "description")
        self.description_edit.setPlaceholderText(tr("예: 시청 교통과와 자율주행 셔틀 실증"))
        self.checks.watch(self.add_row(tr("요청 내용"), self.description_edit, "description"), "description")
        self.finish_layout()
        self._wanted_company = company_id
        self._books: dict[int, Book] = {}
        self.date_edit.dateChanged.connect(lambda _value: self.reload_companies())
        self.reload_companies()
        self.date_edit.dateChanged.connect(lambda _value: self.checks.edited("asked_on"))
        self.company_combo.currentIndexChanged.connect(lambda _index: self.checks.edited("company"))
        self.description_edit.textChanged.connect(lambda _text: self.checks.edited("description"))

    def reload_companies(self) -> None:
        """The companies resident on the day asked."""
        on = from_qdate(self.date_edit.date())
        keep = self.company_combo.currentData() or self._wanted_company
        with self.context.unit_of_work() as session:
            names = [(r.company.id, r.company.name) for r in occupancy.residents_on(session, on=on)]
        replace_choices(self.company_combo, names, keep=keep)

    def problems(self) -> dict[str, str]:
        """The use case's own check (`filing_problems`) of what the form holds now."""
        company_id = self.company_combo.currentData()
        problems = {}
        if company_id is None:
            problems["company"] = tr("요청한 기업을 고르세요. 그날 입주해 있던 기업만 목록에 있습니다.")
        elif company_id not in self._books:  # the company's stays, read once
            with self.context.unit_of_work() as session:
                self._books[company_id] = load_book(session, company_ids=[company_id])
        filing = SupportFiling(
            company_id=company_id or 0,
            asked_on=from_qdate(self.date_edit.date()),
            kind=self.kind_combo.currentData(),
            description=self.description_edit.text(),
        )
        book = self._books.get(company_id or 0, Book())
        return {**problems, **support.filing_problems(book, filing, today=self.context.today())}

    def commit(self, session) -> SupportRequest:
        if self.company_combo.currentData() is None:
            raise DomainError(self.problems()["company"], field="company")
        company_id = self.company_combo.currentData()
        return support.file_support_request(
            session=session,
            company_id=company_id,
            asked_on=from_qdate(self.date_edit.date()),
            kind=self.kind_combo.currentData(),
            description=self.description_edit.text(),
        )


class SupportStepDialog(FormDialog):
    """One step of a request: `to` is in_progress (start), done (finish, done or declined) or cancelled."""

    def __init__(
        self, context: AppContext, row: SupportRow, *, to: SupportStatus, parent: QWidget | None = None
    ) -> None:
        titles = {
            SupportStatus.IN_PROGRESS: tr("지원 시작"),
            SupportStatus.DONE: tr("지원 종료"),
            SupportStatus.CANCELLED: tr("지원 요청 취소"),
        }
        super().__init__(context, titles[to], parent)
        self.row, self.to = row, to
        summary = QLabel(
            tr(
                "'{name}'의 {kind} 요청 ({date} 접수): {description}",
                name=row.company_name,
                kind=label_of(SupportKind, row.kind),
                date=row.asked_on.isoformat(),
                description=row.description,
            )
        )
        summary.setWordWrap(True)
        self.layout_.insertWidget(1, summary)
        self.checks = LiveChecks(self.problems)
        self.date_edit = date_edit(context.as_of)
        self.checks.watch(
            self.add_row(tr("날짜"), self.date_edit, "started_on", "finished_on"), "started_on", "finished_on"
        )
        self.outcome_edit = QPlainTextEdit()
        self.outcome_edit.setFixedHeight(72)
        self.result_combo = QComboBox()
        if to == SupportStatus.DONE:
            for status in support.FINISHED_STATUSES:
                self.result_combo.addItem(label(status), status.value)
            self.checks.watch(self.add_row(tr("결과"), self.result_combo, "status"), "status")
            self.outcome_edit.setPlaceholderText(tr("완료: 무엇을 지원했는지 / 반려: 그 사유"))
            self.checks.watch(self.add_row(tr("지원 결과"), self.outcome_edit, "outcome"), "outcome")
        elif to == SupportStatus.CANCELLED:
            self.outcome_edit.setPlaceholderText(tr("예: 기업이 자체 해결"))
            self.checks.watch(self.add_row(tr("취소 사유"), self.outcome_edit, "outcome"), "outcome")
        else:
            self.outcome_edit.hide()
        self.finish_layout()
        with context.unit_of_work() as session:
            self._book = load_book(session, company_ids=[row.company_id])
        self.date_edit.dateChanged.connect(lambda _value: self.checks.edited("started_on", "finished_on"))
        self.result_combo.currentIndexChanged.connect(lambda _index: self.checks.edited("status"))
        self.outcome_edit.textChanged.connect(lambda: self.checks.edited("outcome"))

    def reload(self) -> None:
        """The request as a colleague left it: the next OK takes the step from there, or says why it cannot."""
        with self.context.unit_of_work() as session:
            log = support.support_log(session, on=self.context.as_of)
            self._book = load_book(session, company_ids=[self.row.company_id])
        self.row = next(row for row in log if row.request_id == self.row.request_id)

    def chosen_result(self) -> SupportStatus:
        return SupportStatus(self.result_combo.currentData() or self.to)

    def day(self) -> date:
        return from_qdate(self.date_edit.date())

    def problems(self) -> dict[str, str]:
        """The use case's own check of the step, against the request as the list showed it."""
        on, text, today = self.day(), self.outcome_edit.toPlainText(), self.context.today()
        if self.to == SupportStatus.IN_PROGRESS:
            return support.start_problems(self._book, self.row, on=on, today=today)
        if self.to == SupportStatus.CANCELLED:
            return support.cancel_problems(self._book, self.row, on=on, reason=text, today=today)
        return support.finish_problems(
            self._book, self.row, status=self.chosen_result().value, on=on, outcome=text, today=today
        )

    def commit(self, session) -> SupportRequest:
        common = {
            "session": session,
            "request_id": self.row.request_id,
            "on": self.day(),
            "seen_version": self.row.version,
        }
        text = self.outcome_edit.toPlainText()
        if self.to == SupportStatus.IN_PROGRESS:
            return support.start_support(**common)
        if self.to == SupportStatus.CANCELLED:
            return support.cancel_support(**common, reason=text)
        return support.finish_support(**common, status=self.chosen_result().value, outcome=text)
