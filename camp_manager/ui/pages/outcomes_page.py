"""Outcomes (성과): what is missing or unevidenced in a year's outcomes, company by company.

One row per company resident at some time in the year (`outcome_status`), read off the UI thread;
a double-click or 성과… opens the company's outcome records, and the row follows what was saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from camp_manager.db.engine import unit_of_work
from camp_manager.i18n import tr
from camp_manager.labels import label_of
from camp_manager.services import listings
from camp_manager.services.outcome_status import OutcomeState, OutcomeStatusRow, outcome_status
from camp_manager.ui.context import AppContext
from camp_manager.ui.dialogs.form import set_combo_items
from camp_manager.ui.dialogs.outcome_dialogs import OutcomesDialog, won
from camp_manager.ui.list_export import export_button, export_shown_rows, filter_descriptions
from camp_manager.ui.models.table import Column
from camp_manager.ui.pages.base import Page, page_heading, page_layout
from camp_manager.ui.style import make_primary
from camp_manager.ui.widgets.table_view import DataTable
from camp_manager.ui.workers import BackgroundQuery

STATE_COLOURS = {
    OutcomeState.MISSING: QColor("#C0392B"),
    OutcomeState.UNEVIDENCED: QColor("#B7791F"),
    OutcomeState.COMPLETE: QColor("#2E7D4F"),
}
NOT_ASKED = "–"  # a year-end headcount of a company that left during the year


def sales_text(row: OutcomeStatusRow) -> str:
    if row.sales_krw is None:
        return tr("미입력")
    amount = won(row.sales_krw)
    return amount if row.sales_complete else tr("{amount} (반기만)", amount=amount)


def headcount_text(row: OutcomeStatusRow) -> str:
    if not row.resident_at_year_end:
        return NOT_ASKED
    return tr("미입력") if row.employees is None else tr("{count}명", count=row.employees)


def outcome_columns() -> list[Column[OutcomeStatusRow]]:
    def number(
        name: str, title: Callable[[], str], text: Callable[[OutcomeStatusRow], str] | None = None
    ) -> Column[OutcomeStatusRow]:
        """A column of the row's number `name`, sorted and exported as the number."""
        return Column(
            title=title,
            text=text or (lambda r: f"{getattr(r, name):,}"),
            sort_key=lambda r: getattr(r, name),
            value=lambda r: getattr(r, name),
            align_right=True,
        )

    # The records each count column counts, as the annual figures count them (short titles: ten columns fit).
    counted: dict[str, Callable[[], str]] = {
        "investment_rounds": lambda: tr("투자"),
        "ip": lambda: tr("지재권"),
        "certifications": lambda: tr("인증"),
        "projects": lambda: tr("과제"),
    }
    return [
        Column(title=lambda: tr("기업"), text=lambda r: r.company, searchable=True),
        Column(title=lambda: tr("시설"), text=lambda r: r.facility),
        number("sales_krw", lambda: tr("매출액"), sales_text),
        number("employees", lambda: tr("연말 고용"), headcount_text),
        *(number(name, title) for name, title in counted.items()),
        number("unevidenced", lambda: tr("증빙 없음")),
        Column(
            title=lambda: tr("상태"),
            text=lambda r: label_of(OutcomeState, r.state),
            sort_key=lambda r: list(OutcomeState).index(r.state),
            foreground=lambda r: STATE_COLOURS[r.state],
            codes=OutcomeState,
        ),
    ]


@dataclass(frozen=True)
class OutcomesView:
    """What the page shows, read in one go off the UI thread."""

    facilities: list[tuple[int, str]]
    rows: list[OutcomeStatusRow]


class OutcomesPage(Page):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._query = BackgroundQuery(self)
        heading_row, self.subtitle = page_heading(tr("성과"))

        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(context.as_of.year)
        self.year_spin.setToolTip(tr("연도"))
        self.facility_combo = QComboBox()
        self.facility_combo.addItem(tr("모든 시설"), None)
        self.gaps_only = QCheckBox(tr("누락·증빙 없음만"))
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(tr("기업 검색"))
        self.search_edit.setClearButtonEnabled(True)
        filters = QHBoxLayout()
        filters.addWidget(self.year_spin)
        filters.addWidget(self.facility_combo)
        filters.addWidget(self.gaps_only)
        filters.addWidget(self.search_edit, 1)

        self.outcomes_button = make_primary(QPushButton(tr("성과…")))
        self.outcomes_button.setToolTip(tr("고른 기업의 매출·투자·지식재산권·인증·정부과제와 증빙을 봅니다."))
        hint = QLabel(
            tr("매출은 그해 전체(또는 상·하반기 모두), 고용은 12월 31일에 입주 중인 기업의 그해 마지막 기록을 봅니다.")
        )
        hint.setObjectName("hint")
        actions = QHBoxLayout()
        actions.addWidget(self.outcomes_button)
        actions.addWidget(hint, 1)
        self.export_button = export_button()
        self.export_button.clicked.connect(self.export_list)
        actions.addWidget(self.export_button)

        self.table = DataTable(
            outcome_columns(),
            name="outcomes_table",
            widths=(160, 96, 150, 80, 50, 50, 50, 50, 70),
            empty_text=lambda: tr("그해 입주한 기업이 없습니다."),
        )
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        page_layout(self, heading_row, filters, actions, fill=self.table)

        self.year_spin.valueChanged.connect(lambda _year: self.refresh())
        self.facility_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.gaps_only.toggled.connect(self._gaps_only_changed)
        self.search_edit.textChanged.connect(self.table.proxy.set_search)
        self.table.currentRowChanged.connect(lambda row: self.outcomes_button.setEnabled(row is not None))
        self.table.rowActivated.connect(lambda _row: self.open_selected())
        self.outcomes_button.clicked.connect(self.open_selected)
        self.outcomes_button.setEnabled(False)
        context.asOfChanged.connect(self._follow_as_of)

    def _follow_as_of(self, day) -> None:
        """The year moves to the as-of date's; the refresh that follows the date loads it."""
        self.year_spin.blockSignals(True)
        self.year_spin.setValue(day.year)
        self.year_spin.blockSignals(False)

    def _gaps_only_changed(self, checked: bool) -> None:
        self.table.proxy.set_predicate("gaps", (lambda r: r.state != OutcomeState.COMPLETE) if checked else None)

    # --- the page contract ------------------------------------------------------------
    def title(self) -> str:
        return tr("성과")

    @property
    def busy(self) -> bool:
        return self._query.busy

    def refresh(self) -> None:
        year, facility_id, engine = self.year_spin.value(), self.facility_combo.currentData(), self.context.engine
        self.subtitle.setText(tr("{year}년 · 불러오는 중…", year=year))

        def job() -> OutcomesView:
            with unit_of_work(engine) as session:
                return OutcomesView(
                    facilities=[(f.id, f.name) for f in listings.facilities_in_order(session)],
                    rows=outcome_status(session, year=year, facility_id=facility_id),
                )

        self._query.run(job, lambda view: self._show(year, view))

    def _show(self, year: int, view: OutcomesView) -> None:
        set_combo_items(self.facility_combo, view.facilities, fixed=1)
        selected = self.table.current_row()
        self.table.set_rows(view.rows)
        if selected is not None:
            self.table.select_first(lambda r: r.company_id == selected.company_id)
        states = [r.state for r in view.rows]
        self.subtitle.setText(
            tr(
                "{year}년 입주기업 {count}곳 · 누락 {missing}곳 · 증빙 없음 {unevidenced}곳",
                year=year,
                count=len(view.rows),
                missing=states.count(OutcomeState.MISSING),
                unevidenced=states.count(OutcomeState.UNEVIDENCED),
            )
        )

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def open_selected(self) -> None:
        row = self.table.current_row()
        if row is not None:
            OutcomesDialog(self.context, company_id=row.company_id, company_name=row.company, parent=self).exec()

    def show_item(self, item: object) -> None:
        """`item` is a company id: select its row."""
        self.gaps_only.setChecked(False)
        self.table.select_first(lambda row: row.company_id == item)

    def export_list(self) -> None:
        year = self.year_spin.value()
        export_shown_rows(
            self,
            self.context,
            self.table,
            sheet_title=tr("성과 점검"),
            file_name=tr("성과점검_{year}.xlsx", year=year),
            heading=tr("{year}년 성과 점검 — {facility}", year=year, facility=self.facility_combo.currentText()),
            details=[
                *([self.gaps_only.text()] if self.gaps_only.isChecked() else []),
                *filter_descriptions(search=self.search_edit),
            ],
        )
