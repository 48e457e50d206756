"""Programme outcomes (성과) of one company: a tab per kind of record, a form per kind that checks as
the user types (`outcomes.outcome_problems`), and the files of evidence of each record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session, SQLModel

from camp_manager.db.models import (
    Certification,
    CertificationKind,
    GovernmentProject,
    IntellectualProperty,
    InvestmentKind,
    InvestmentRound,
    IPKind,
    SalesRecord,
)
from camp_manager.errors import DomainError, EditConflict
from camp_manager.i18n import tr
from camp_manager.labels import half_label, label, label_of, sales_period
from camp_manager.services import evidence, outcomes
from camp_manager.services.common import fetch, reapply_edits
from camp_manager.services.evidence import ACCEPTED_TYPES, EvidenceFile
from camp_manager.services.outcomes import INPUT_OF, OutcomeFacts, OutcomeInput
from camp_manager.ui.context import AppContext, documents_folder
from camp_manager.ui.dialogs.form import FormDialog, select_data
from camp_manager.ui.dialogs.support_dialogs import LiveChecks
from camp_manager.ui.models.table import Column
from camp_manager.ui.style import make_primary
from camp_manager.ui.widgets.dates import date_edit, from_qdate, parse_optional_date, to_qdate
from camp_manager.ui.widgets.forms import column_edit
from camp_manager.ui.widgets.table_view import DataTable
from camp_manager.ui.workers import show_error

OUTCOME_MODELS: tuple[type[SQLModel], ...] = (
    SalesRecord,
    InvestmentRound,
    IntellectualProperty,
    Certification,
    GovernmentProject,
)


def won(amount: int | None) -> str:
    return "" if amount is None else tr("{amount}원", amount=f"{amount:,}")


def parse_amount(text: str, *, field: str) -> int:
    """'120,000,000' or '120000000원' → 120000000; '' → 0; else ValueError naming the field."""
    cleaned = text.replace(",", "").replace("원", "").strip()
    if not cleaned:
        return 0
    if not cleaned.isdigit():
        raise ValueError(tr("{field}은(는) 원 단위 숫자로 입력하세요 (예: 120,000,000).", field=field))
    return int(cleaned)


# --- the fields of each kind -----------------------------------------------------------------
@dataclass(frozen=True)
class Field:
    name: str
    title: Callable[[], str]
    kind: str  # year, half, amount, date, optional_date, text, or "choice" with `choices`
    choices: tuple[Any, ...] = ()


def fields_of(model: type[SQLModel]) -> list[Field]:
    return {
        SalesRecord: [
            Field("year", lambda: tr("연도"), "year"),
            Field("half", lambda: tr("기간"), "half"),
            Field("sales_krw", lambda: tr("매출액"), "amount"),
            Field("exports_krw", lambda: tr("수출액"), "amount"),
        ],
        InvestmentRound: [
            Field("invested_on", lambda: tr("투자일"), "date"),
            Field("kind", lambda: tr("투자 유형"), "choice", tuple(InvestmentKind)),
            Field("amount_krw", lambda: tr("투자금액"), "amount"),
            Field("investor", lambda: tr("투자자"), "text"),
        ],
        IntellectualProperty: [
            Field("kind", lambda: tr("종류"), "choice", tuple(IPKind)),
            Field("dated_on", lambda: tr("출원·등록일"), "date"),
            Field("number", lambda: tr("번호"), "text"),
            Field("title", lambda: tr("명칭"), "text"),
        ],
        Certification: [
            Field("kind", lambda: tr("인증 종류"), "choice", tuple(CertificationKind)),
            Field("granted_on", lambda: tr("인증일"), "date"),
            Field("valid_until", lambda: tr("유효기간 만료일"), "optional_date"),
            Field("number", lambda: tr("인증번호"), "text"),
        ],
        GovernmentProject: [
            Field("selected_on", lambda: tr("선정일"), "date"),
            Field("name", lambda: tr("사업명"), "text"),
            Field("agency", lambda: tr("주관기관"), "text"),
            Field("amount_krw", lambda: tr("지원금액"), "amount"),
        ],
    }[model]


class OutcomeDialog(FormDialog):
    """A new record of `model` for a company, or new values for the stored record `record`."""

    def __init__(
        self,
        context: AppContext,
        *,
        model: type[SQLModel],
        company_id: int,
        facts: OutcomeFacts,
        record: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        what = outcomes.what_of(model)
        super().__init__(
            context, tr("{what} 추가", what=what) if record is None else tr("{what} 수정", what=what), parent
        )
        self.model, self.company_id, self.facts = model, company_id, facts
        self.record_id: int | None = None if record is None else record.id
        self.seen_version: int | None = None if record is None else record.version
        self.fields = fields_of(model)
        self.checks = LiveChecks(self.problems)
        self.inputs: dict[str, QWidget] = {}
        for spec in self.fields:
            widget = self._input(spec)
            self.inputs[spec.name] = widget
            self.checks.watch(self.add_row(spec.title(), widget, spec.name), spec.name)
        self.finish_layout()
        self._as_loaded: OutcomeInput | None = None
        if record is not None:
            self._as_loaded = outcomes.outcome_input(record)
            self._fill(self._as_loaded)
        for spec in self.fields:
            self._on_edit(self.inputs[spec.name], partial(self.checks.edited, spec.name))

    def _input(self, spec: Field) -> QWidget:
        if spec.kind == "year":
            spin = QSpinBox()
            spin.setRange(1900, 2100)
            spin.setValue(self.context.as_of.year - 1)
            return spin
        if spec.kind in ("half", "choice"):
            combo = QComboBox()
            items = [(h, half_label(h)) for h in (0, 1, 2)] if spec.kind == "half" else []
            items += [(choice.value, label(choice)) for choice in spec.choices]
            for data, text in items:
                combo.addItem(text, data)
            return combo
        if spec.kind == "date":
            return date_edit(self.context.as_of)
        if spec.kind == "text":
            return column_edit(self.model, spec.name)
        edit = QLineEdit()
        edit.setPlaceholderText(
            tr("예: 120,000,000") if spec.kind == "amount" else tr("YYYY-MM-DD, 없으면 비워 두세요")
        )
        return edit

    @staticmethod
    def _on_edit(widget: QWidget, edited: Callable[[], None]) -> None:
        if isinstance(widget, QSpinBox):
            widget.valueChanged.connect(lambda _value: edited())
        elif isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(lambda _index: edited())
        elif isinstance(widget, QLineEdit):
            widget.textChanged.connect(lambda _text: edited())
        else:
            widget.dateChanged.connect(lambda _value: edited())  # type: ignore[attr-defined]

    def _fill(self, data: OutcomeInput) -> None:
        for spec in self.fields:
            value, widget = getattr(data, spec.name), self.inputs[spec.name]
            if isinstance(widget, QSpinBox):
                widget.setValue(value)
            elif isinstance(widget, QComboBox):
                select_data(widget, value)
            elif isinstance(widget, QLineEdit):
                if spec.kind == "amount":
                    widget.setText(f"{value:,}")
                elif spec.kind == "optional_date":
                    widget.setText("" if value is None else value.isoformat())
                else:
                    widget.setText(value)
            else:
                widget.setDate(to_qdate(value))  # type: ignore[attr-defined]

    def read(self) -> tuple[OutcomeInput, dict[str, str]]:
        """What the form holds, and the problems of the values that could not be read at all."""
        values: dict[str, Any] = {}
        unreadable: dict[str, str] = {}
        for spec in self.fields:
            widget = self.inputs[spec.name]
            if isinstance(widget, QSpinBox):
                values[spec.name] = widget.value()
            elif isinstance(widget, QComboBox):
                values[spec.name] = widget.currentData()
            elif isinstance(widget, QLineEdit) and spec.kind in ("amount", "optional_date"):
                try:
                    values[spec.name] = (
                        parse_amount(widget.text(), field=spec.title())
                        if spec.kind == "amount"
                        else parse_optional_date(widget.text())
                    )
                except ValueError as error:
                    unreadable[spec.name] = str(error)
                    values[spec.name] = 0 if spec.kind == "amount" else None
            elif isinstance(widget, QLineEdit):
                values[spec.name] = widget.text()
            else:
                values[spec.name] = from_qdate(widget.date())  # type: ignore[attr-defined]
        data: OutcomeInput = INPUT_OF[self.model](company_id=self.company_id, **values)
        return data, unreadable

    def problems(self) -> dict[str, str]:
        """The use case's own check (`outcome_problems`) of what the form holds now."""
        data, unreadable = self.read()
        found = outcomes.outcome_problems(self.facts, data, today=self.context.today(), record_id=self.record_id)
        return {**found, **unreadable}

    def commit(self, session: Session) -> Any:
        data, unreadable = self.read()
        if unreadable:
            name, message = next(iter(unreadable.items()))
            raise DomainError(message, field=name)
        if self.record_id is None:
            return outcomes.record_outcome(session=session, data=data)
        return outcomes.edit_outcome(
            session=session, record_id=self.record_id, data=data, seen_version=self.seen_version
        )

    def show_domain_error(self, error: DomainError) -> None:
        if isinstance(error, EditConflict) and self.offer_reload(error):
            return
        super().show_domain_error(error)

    def offer_reload(self, conflict: EditConflict) -> bool:
        """A colleague saved this record after the form was filled: reload it and re-apply the user's edits."""
        answer = QMessageBox.question(
            self,
            tr("다른 사용자가 먼저 저장했습니다"),
            conflict.message + "\n\n" + tr("최신 내용을 불러와 내가 바꾼 항목만 다시 적용할까요?"),
        )
        if answer != QMessageBox.StandardButton.Yes or self._as_loaded is None or self.record_id is None:
            return False
        mine, _ = self.read()
        with self.context.unit_of_work() as session:
            stored = fetch(session, self.model, self.record_id, what=outcomes.what_of(self.model))
            latest, self.seen_version = outcomes.outcome_input(stored), stored.version  # type: ignore[arg-type, attr-defined]
        self._fill(reapply_edits(original=self._as_loaded, mine=mine, latest=latest))
        self._as_loaded = latest
        self.show_domain_error(
            DomainError(
                tr(
                    "{who}님이 저장한 최신 내용에 내 변경을 다시 적용했습니다. 확인한 뒤 저장하세요.",
                    who=conflict.changed_by,
                )
            )
        )
        return True


# --- the tabs --------------------------------------------------------------------------------
@dataclass(frozen=True)
class OutcomeRow:
    record: Any
    files: list[EvidenceFile]


def _files_column() -> Column[OutcomeRow]:
    return Column(
        title=lambda: tr("증빙"),
        text=lambda r: tr("{count}개", count=len(r.files)) if r.files else tr("없음"),
        sort_key=lambda r: len(r.files),
        align_right=True,
    )


def columns_of(model: type[SQLModel]) -> list[Column[OutcomeRow]]:
    def day(title: Callable[[], str], name: str) -> Column[OutcomeRow]:
        return Column(
            title=title,
            text=lambda r: getattr(r.record, name).isoformat() if getattr(r.record, name) else "",
            sort_key=lambda r: getattr(r.record, name),
        )

    def amount(title: Callable[[], str], name: str) -> Column[OutcomeRow]:
        return Column(
            title=title,
            text=lambda r: won(getattr(r.record, name)),
            sort_key=lambda r: getattr(r.record, name),
            align_right=True,
        )

    def text(title: Callable[[], str], name: str) -> Column[OutcomeRow]:
        return Column(title=title, text=lambda r: getattr(r.record, name))

    def kind(kinds: type[Any]) -> Column[OutcomeRow]:
        return Column(title=lambda: tr("종류"), text=lambda r: label_of(kinds, r.record.kind))

    columns: list[Column[OutcomeRow]] = {
        SalesRecord: [
            Column(
                title=lambda: tr("기간"),
                text=lambda r: sales_period(r.record.year, r.record.half),
                sort_key=lambda r: (r.record.year, r.record.half),
            ),
            amount(lambda: tr("매출액"), "sales_krw"),
            amount(lambda: tr("수출액"), "exports_krw"),
        ],
        InvestmentRound: [
            day(lambda: tr("투자일"), "invested_on"),
            Column(title=lambda: tr("유형"), text=lambda r: label_of(InvestmentKind, r.record.kind)),
            amount(lambda: tr("투자금액"), "amount_krw"),
            text(lambda: tr("투자자"), "investor"),
        ],
        IntellectualProperty: [
            day(lambda: tr("출원·등록일"), "dated_on"),
            kind(IPKind),
            text(lambda: tr("번호"), "number"),
            text(lambda: tr("명칭"), "title"),
        ],
        Certification: [
            day(lambda: tr("인증일"), "granted_on"),
            kind(CertificationKind),
            day(lambda: tr("만료일"), "valid_until"),
            text(lambda: tr("인증번호"), "number"),
        ],
        GovernmentProject: [
            day(lambda: tr("선정일"), "selected_on"),
            text(lambda: tr("사업명"), "name"),
            text(lambda: tr("주관기관"), "agency"),
            amount(lambda: tr("지원금액"), "amount_krw"),
        ],
    }[model]
    return [*columns, _files_column()]


def evidence_filter() -> str:
    patterns = " ".join(f"*{suffix}" for suffix in ACCEPTED_TYPES)
    return tr("증빙 파일 ({patterns})", patterns=patterns)


class OutcomeTab(QWidget):
    """The records of one kind: a list with their number of files, and what can be done to them."""

    def __init__(self, dialog: OutcomesDialog, model: type[SQLModel]) -> None:
        super().__init__(dialog)
        self.dialog, self.model = dialog, model
        self.table = DataTable(
            columns_of(model),
            name=f"outcomes_{evidence.record_kind_of(model)}",
            widths=(150, 130, 130, 150),
            empty_text=lambda: tr("기록이 없습니다. [추가]로 입력하세요."),
        )
        self.table.rowActivated.connect(lambda _row: self.edit_selected())
        self.add_button = make_primary(QPushButton(tr("추가…")))
        self.edit_button = QPushButton(tr("수정…"))
        self.delete_button = QPushButton(tr("삭제"))
        self.attach_button = QPushButton(tr("증빙 첨부…"))
        self.save_button = QPushButton(tr("증빙 저장…"))
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.attach_button.clicked.connect(self.attach_evidence)
        self.save_button.clicked.connect(self.save_evidence)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.attach_button)
        buttons.addWidget(self.save_button)
        self.files_label = QLabel()
        self.files_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.files_label)
        layout.addLayout(buttons)
        self.table.currentRowChanged.connect(lambda _row: self._selection_changed())
        self._selection_changed()

    def set_rows(self, rows: list[OutcomeRow], keep: int | None = None) -> None:
        self.table.set_rows(rows)
        if keep is not None:
            self.table.select_first(lambda r: r.record.id == keep)
        self._selection_changed()

    def _selection_changed(self) -> None:
        row = self.table.current_row()
        for button in (self.edit_button, self.delete_button, self.attach_button):
            button.setEnabled(row is not None)
        self.save_button.setEnabled(row is not None and bool(row.files))
        names = ", ".join(f.file_name for f in row.files) if row is not None else ""
        self.files_label.setText(tr("증빙 파일: {names}", names=names) if names else "")

    def _open_form(self, record: Any) -> None:
        form = OutcomeDialog(
            self.dialog.context,
            model=self.model,
            company_id=self.dialog.company_id,
            facts=self.dialog.facts,
            record=record,
            parent=self,
        )
        if form.exec() == QDialog.DialogCode.Accepted:
            self.dialog.reload(keep=(self.model, form.result_row.id))

    def add(self) -> None:
        self._open_form(None)

    def edit_selected(self) -> None:
        row = self.table.current_row()
        if row is not None:
            self._open_form(row.record)

    def delete_selected(self) -> None:
        row = self.table.current_row()
        if row is None:
            return
        files = tr(" (증빙 파일 {count}개도 함께 삭제됩니다)", count=len(row.files)) if row.files else ""
        answer = QMessageBox.question(
            self,
            tr("{what} 삭제", what=outcomes.what_of(self.model)),
            tr("선택한 기록을 삭제할까요?{files}\n잘못 입력한 기록만 삭제하세요.", files=files),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.dialog.write(
                lambda session: outcomes.delete_outcome(
                    session=session, model=self.model, record_id=row.record.id, seen_version=row.record.version
                )
            )

    def attach_evidence(self) -> None:
        row = self.table.current_row()
        if row is None:
            return
        chosen, _ = QFileDialog.getOpenFileName(self, tr("증빙 첨부"), str(documents_folder()), evidence_filter())
        if not chosen:
            return
        path = Path(chosen)
        try:
            content = path.read_bytes()
        except OSError as error:
            show_error(self, DomainError(tr("'{path}'을(를) 읽지 못했습니다: {error}", path=path, error=error)))
            return
        problems = evidence.evidence_problems(path.name, content)
        if problems:
            QMessageBox.warning(self, tr("첨부할 수 없는 파일"), "\n".join(problems.values()))
            return
        self.dialog.write(
            lambda session: evidence.attach_evidence(
                session=session,
                record_kind=evidence.record_kind_of(self.model),
                record_id=row.record.id,
                file_name=path.name,
                content=content,
            ),
            keep=(self.model, row.record.id),
        )

    def save_evidence(self) -> None:
        row = self.table.current_row()
        if row is None or not row.files:
            return
        for file in row.files:
            with self.dialog.context.unit_of_work() as session:
                name, content = evidence.evidence_content(session, file.evidence_id)
            chosen, _ = QFileDialog.getSaveFileName(self, tr("증빙 저장"), str(documents_folder() / name))
            if not chosen:
                return
            try:
                Path(chosen).write_bytes(content)
            except OSError as error:
                show_error(self, DomainError(tr("'{path}'에 저장하지 못했습니다: {error}", path=chosen, error=error)))
                return


class OutcomesDialog(QDialog):
    """성과: the outcome records of one company, a tab per kind."""

    def __init__(
        self, context: AppContext, *, company_id: int, company_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context, self.company_id = context, company_id
        self.setWindowTitle(tr("성과 — {name}", name=company_name))
        self.setMinimumSize(780, 440)
        self.tabs = QTabWidget()
        self.tab_of: dict[type[SQLModel], OutcomeTab] = {}
        for model in OUTCOME_MODELS:
            self.tab_of[model] = OutcomeTab(self, model)
            self.tabs.addTab(self.tab_of[model], _tab_title(model))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(close)
        self.facts: OutcomeFacts
        self.reload()

    def reload(self, keep: tuple[type[SQLModel], int] | None = None) -> None:
        """One company's records: read at once, as the other dialogs read theirs."""
        with self.context.unit_of_work() as session:
            self.facts = outcomes.load_outcome_facts(session, [self.company_id])
            records = outcomes.outcomes_of(session, self.company_id)
            files = {
                model: evidence.evidence_of(session, evidence.record_kind_of(model), [r.id for r in rows])
                for model, rows in records.items()
            }
        for model, tab in self.tab_of.items():
            rows = [OutcomeRow(record, files[model].get(record.id, [])) for record in records[model]]
            tab.set_rows(rows, keep=keep[1] if keep and keep[0] is model else None)

    def write(self, change: Callable[[Any], Any], keep: tuple[type[SQLModel], int] | None = None) -> None:
        """Run one use case in a unit of work; a refusal is shown; the lists show the result."""
        try:
            with self.context.unit_of_work() as session:
                change(session)
        except Exception as error:  # noqa: BLE001 (a refusal or a fault, shown; nothing was written)
            show_error(self, error)
            if not isinstance(error, EditConflict):
                return
        self.reload(keep=keep)
        self.context.notify_changed()


def _tab_title(model: type[SQLModel]) -> str:
    return tr("매출·수출") if model is SalesRecord else outcomes.what_of(model)
