"""Mentoring (멘토링): the session log with filters, the period's counts, and the mentor pool."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from camp_manager.db.engine import unit_of_work
from camp_manager.db.models import MentorField, SessionMode, SessionStatus
from camp_manager.errors import DomainError
from camp_manager.i18n import tr
from camp_manager.labels import label, label_of
from camp_manager.services import listings, mentoring, mentoring_figures
from camp_manager.services.listings import MentorRow, SessionLogRow
from camp_manager.services.mentoring_figures import MentoringSummary
from camp_manager.ui.context import AppContext
from camp_manager.ui.dialogs.form import set_combo_items
from camp_manager.ui.dialogs.session_dialog import SessionDialog
from camp_manager.ui.list_export import export_button, export_shown_rows, filter_descriptions
from camp_manager.ui.models.table import Column
from camp_manager.ui.pages.base import Page, page_heading, page_layout
from camp_manager.ui.style import make_primary
from camp_manager.ui.widgets.dates import date_edit
from camp_manager.ui.widgets.kpi import KpiTile
from camp_manager.ui.widgets.table_view import DataTable
from camp_manager.ui.workers import BackgroundQuery, show_refusal

EVERYTHING = (date(1900, 1, 1), date(2999, 12, 31))


class Period(StrEnum):
    MONTH = "month"
    YEAR = "year"
    LAST_12_MONTHS = "last_12_months"
    ALL = "all"
    CUSTOM = "custom"


def period_range(period: Period, on: date) -> tuple[date, date]:
    """The first and last day (both included) of a period around the as-of date."""
    if period == Period.MONTH:
        first = on.replace(day=1)
        following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        return first, following - timedelta(days=1)
    if period == Period.YEAR:
        return date(on.year, 1, 1), date(on.year, 12, 31)
    if period == Period.LAST_12_MONTHS:
        return on - timedelta(days=364), on
    return EVERYTHING


def hours_text(minutes: int) -> str:
    """90 → '1.5', 17100 → '285', 1000000 → '16,667': a tenth only where it matters."""
    return f"{minutes / 60:,.1f}".removesuffix(".0")


@dataclass(frozen=True)
class FieldCount:
    field: str
    sessions: int
    share: float


def session_columns() -> list[Column[SessionLogRow]]:
    def status_colour(row: SessionLogRow) -> QColor | None:
        return {SessionStatus.PLANNED: QColor("#2F6FB5"), SessionStatus.CANCELLED: QColor("#8A94A3")}.get(
            SessionStatus(row.status)
        )

    return [
        Column(
            title=lambda: tr("날짜"),
            text=lambda r: r.held_on.isoformat(),
            sort_key=lambda r: (r.held_on, r.session_id),
            value=lambda r: r.held_on,
        ),
        Column(
            title=lambda: tr("상태"),
            text=lambda r: label_of(SessionStatus, r.status),
            foreground=status_colour,
            codes=SessionStatus,
        ),
        Column(title=lambda: tr("멘토"), text=lambda r: r.mentor, searchable=True),
        Column(title=lambda: tr("분야"), text=lambda r: label_of(MentorField, r.field), codes=MentorField),
        Column(title=lambda: tr("기업"), text=lambda r: r.company, searchable=True),
        Column(title=lambda: tr("주제"), text=lambda r: r.topic, searchable=True),
        Column(
            title=lambda: tr("시간(분)"),
            text=lambda r: str(r.minutes),
            sort_key=lambda r: r.minutes,
            align_right=True,
            value=lambda r: r.minutes,
        ),
        Column(title=lambda: tr("방식"), text=lambda r: label_of(SessionMode, r.mode), codes=SessionMode),
    ]


def mentor_columns() -> list[Column[MentorRow]]:
    return [
        Column(title=lambda: tr("이름"), text=lambda m: m.name, searchable=True),
        Column(title=lambda: tr("분야"), text=lambda m: label_of(MentorField, m.field), codes=MentorField),
        Column(title=lambda: tr("소속"), text=lambda m: m.affiliation, searchable=True),
        Column(title=lambda: tr("연락처"), text=lambda m: m.contact),
        Column(
            title=lambda: tr("활동"),
            text=lambda m: tr("활동 중") if m.active else tr("쉬는 중"),
            sort_key=lambda m: m.active,
        ),
        Column(
            title=lambda: tr("올해 멘토링"),
            text=lambda m: tr("{count}회", count=m.sessions_this_year),
            sort_key=lambda m: m.sessions_this_year,
            align_right=True,
        ),
    ]


class MentoringPage(Page):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.summary: MentoringSummary | None = None
        self._query = BackgroundQuery(self)
        heading_row, self.subtitle = page_heading(tr("멘토링"))

        self.period_combo = QComboBox()
        for period in Period:
            self.period_combo.addItem(label(period), period.value)
        self.period_combo.setCurrentIndex(1)
        self.from_edit = date_edit(context.as_of)
        self.to_edit = date_edit(context.as_of)
        self.mentor_combo = QComboBox()
        self.mentor_combo.addItem(tr("모든 멘토"), None)
        self.mentor_combo.setMinimumWidth(140)
        self.field_combo = QComboBox()
        self.field_combo.addItem(tr("모든 분야"), None)
        for mentor_field in MentorField:
            self.field_combo.addItem(label(mentor_field), mentor_field.value)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(tr("기업·멘토·주제 검색"))
        self.search_edit.setClearButtonEnabled(True)
        filters = QHBoxLayout()
        filters.addWidget(QLabel(tr("기간")))
        filters.addWidget(self.period_combo)
        filters.addWidget(self.from_edit)
        filters.addWidget(QLabel("~"))
        filters.addWidget(self.to_edit)
        filters.addSpacing(8)
        filters.addWidget(self.mentor_combo)
        filters.addWidget(self.field_combo)
        filters.addWidget(self.search_edit, 1)

        self.held_tile = KpiTile(tr("진행한 멘토링"))
        self.hours_tile = KpiTile(tr("멘토링 시간"))
        self.companies_tile = KpiTile(tr("참여 기업"))
        self.planned_tile = KpiTile(tr("예정된 멘토링"))
        tiles = QHBoxLayout()
        for tile in (self.held_tile, self.hours_tile, self.companies_tile, self.planned_tile):
            tiles.addWidget(tile)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_log_tab(), tr("멘토링 일지"))
        self.tabs.addTab(self._build_pool_tab(), tr("멘토 풀"))

        page_layout(self, heading_row, filters, tiles, fill=self.tabs)

        self.period_combo.currentIndexChanged.connect(lambda _i: self._period_chosen())
        self.from_edit.dateChanged.connect(lambda _d: self.refresh())
        self.to_edit.dateChanged.connect(lambda _d: self.refresh())
        self.mentor_combo.currentIndexChanged.connect(lambda _i: self._filter_log())
        self.field_combo.currentIndexChanged.connect(lambda _i: self._filter_log())
        self.search_edit.textChanged.connect(self.log_table.proxy.set_search)
        self._sync_period_edits()

    def _build_log_tab(self) -> QWidget:
        self.log_button = make_primary(QPushButton(tr("멘토링 기록…")))
        self.held_button = QPushButton(tr("완료로 기록"))
        self.cancel_button = QPushButton(tr("예정 취소…"))
        self.log_button.clicked.connect(self.create_new)
        self.held_button.clicked.connect(self.mark_held)
        self.cancel_button.clicked.connect(self.cancel_planned)
        self.export_button = export_button()
        self.export_button.clicked.connect(self.export_list)
        actions = QHBoxLayout()
        for button in (self.log_button, self.held_button, self.cancel_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.export_button)

        self.log_table = DataTable(
            session_columns(),
            name="mentoring_log",
            widths=(90, 56, 66, 96, 150, 140, 60),
            empty_text=lambda: tr("이 기간에 멘토링 기록이 없습니다."),
        )
        self.log_table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.log_table.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.field_table = DataTable(
            [
                Column(title=lambda: tr("분야"), text=lambda f: label_of(MentorField, f.field), codes=MentorField),
                Column(
                    title=lambda: tr("진행"),
                    text=lambda f: tr("{count}회", count=f.sessions),
                    sort_key=lambda f: f.sessions,
                    align_right=True,
                ),
                Column(
                    title=lambda: tr("비율"),
                    text=lambda f: f"{f.share:.0%}",
                    sort_key=lambda f: f.share,
                    align_right=True,
                ),
            ],
            name="mentoring_by_field",
            empty_text=lambda: tr("진행한 멘토링이 없습니다."),
        )
        self.field_table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.field_table.setMaximumHeight(160)
        self.mentor_summary_table = DataTable(
            [
                Column(title=lambda: tr("멘토"), text=lambda m: m[0].name, searchable=True),
                Column(title=lambda: tr("분야"), text=lambda m: label_of(MentorField, m[0].field), codes=MentorField),
                Column(
                    title=lambda: tr("진행"),
                    text=lambda m: tr("{count}회", count=m[1]),
                    sort_key=lambda m: m[1],
                    align_right=True,
                ),
                Column(
                    title=lambda: tr("시간"),
                    text=lambda m: tr("{hours}시간", hours=hours_text(m[2])),
                    sort_key=lambda m: m[2],
                    align_right=True,
                ),
            ],
            name="mentoring_by_mentor",
            empty_text=lambda: tr("진행한 멘토링이 없습니다."),
        )
        self.mentor_summary_table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
        for table in (self.field_table, self.mentor_summary_table):
            table.fit_columns()
        summary = QWidget()
        summary_layout = QVBoxLayout(summary)
        summary_layout.setContentsMargins(0, 0, 0, 0)
        for title, table in ((tr("분야별"), self.field_table), (tr("멘토별"), self.mentor_summary_table)):
            section = QLabel(title)
            section.setObjectName("sectionTitle")
            summary_layout.addWidget(section)
            summary_layout.addWidget(table)

        splitter = QSplitter()
        splitter.setObjectName("mentoring_splitter")
        splitter.addWidget(self.log_table)
        splitter.addWidget(summary)
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([740, 360])
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(actions)
        layout.addWidget(splitter, 1)
        return tab

    def _build_pool_tab(self) -> QWidget:
        self.active_only = QCheckBox(tr("활동 중인 멘토만"))
        self.pool_note = QLabel()
        self.pool_note.setObjectName("hint")
        self.pool_table = DataTable(
            mentor_columns(),
            name="mentor_pool",
            widths=(90, 100, 170, 170, 70),
            empty_text=lambda: tr("등록된 멘토가 없습니다."),
        )
        self.pool_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.pool_table.rowActivated.connect(self._filter_by_mentor)
        self.active_only.toggled.connect(
            lambda only: self.pool_table.proxy.set_predicate("active", (lambda m: m.active) if only else None)
        )
        top = QHBoxLayout()
        top.addWidget(self.active_only)
        top.addStretch(1)
        top.addWidget(self.pool_note)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(top)
        layout.addWidget(self.pool_table, 1)
        return tab

    # --- the page contract ------------------------------------------------------------
    def title(self) -> str:
        return tr("멘토링")

    def period(self) -> tuple[date, date]:
        return self.from_edit.date().toPython(), self.to_edit.date().toPython()

    def refresh(self) -> None:
        """Reads off the UI thread: the page stays as it is (its frame painted) until the rows arrive."""
        self._sync_period_edits()
        start, last = self.period()
        end, on, engine = last + timedelta(days=1), self.context.as_of, self.context.engine

        def job() -> tuple[list[MentorRow], list[SessionLogRow], MentoringSummary]:
            with unit_of_work(engine) as session:
                return (
                    listings.mentor_pool(session, on=on),
                    listings.session_log(session, start=start, end=end),
                    mentoring_figures.mentoring_summary(session, start=start, end=end),
                )

        self._query.run(job, lambda loaded: self._show(*loaded))

    def _show(self, pool: list[MentorRow], log: list[SessionLogRow], summary: MentoringSummary) -> None:
        self.summary = summary
        set_combo_items(
            self.mentor_combo, [(m.mentor_id, f"{m.name} · {label_of(MentorField, m.field)}") for m in pool], fixed=1
        )
        self.pool_table.set_rows(pool)
        self.pool_note.setText(
            tr(
                "멘토 {count}명 (활동 중 {active}명) · 올해 = {year}년 1월 1일부터 기준일까지",
                count=len(pool),
                active=sum(m.active for m in pool),
                year=self.context.as_of.year,
            )
        )
        self.log_table.set_rows(log)
        self._show_summary(summary, planned=sum(1 for row in log if row.status == SessionStatus.PLANNED))
        self._update_buttons()

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def create_new(self) -> None:
        SessionDialog(self.context, mentor_id=self.mentor_combo.currentData(), parent=self).exec()

    def delete_selected(self) -> None:
        self.cancel_planned()

    def export_list(self) -> None:
        """The session log as filtered (the summary tables are the monthly report's business)."""
        export_shown_rows(
            self,
            self.context,
            self.log_table,
            sheet_title=tr("멘토링"),
            heading=tr("멘토링 일지"),
            file_name=tr("멘토링_{date}.xlsx", date=self.context.as_of.isoformat()),
            details=[
                self._span_text(),
                *filter_descriptions(self.mentor_combo, self.field_combo, search=self.search_edit),
            ],
        )

    # --- period and filters -------------------------------------------------------------
    def _period_chosen(self) -> None:
        self._sync_period_edits()
        self.refresh()

    def _sync_period_edits(self) -> None:
        """A preset sets the dates from the as-of day; 'custom' leaves them to the user."""
        period = Period(self.period_combo.currentData())
        custom = period == Period.CUSTOM
        self.from_edit.setEnabled(custom)
        self.to_edit.setEnabled(custom)
        if custom:
            return
        start, last = period_range(period, self.context.as_of)
        for edit, value in ((self.from_edit, start), (self.to_edit, last)):
            edit.blockSignals(True)
            edit.setDate(value)
            edit.blockSignals(False)

    def _filter_log(self) -> None:
        mentor_id, mentor_field = self.mentor_combo.currentData(), self.field_combo.currentData()
        self.log_table.proxy.set_predicate(
            "mentor", None if mentor_id is None else (lambda r: r.mentor_id == mentor_id)
        )
        self.log_table.proxy.set_predicate(
            "field", None if mentor_field is None else (lambda r: r.field == mentor_field)
        )
        self._update_buttons()

    def _filter_by_mentor(self, mentor: MentorRow) -> None:
        """A double-click in the pool shows that mentor's sessions."""
        self.mentor_combo.setCurrentIndex(max(0, self.mentor_combo.findData(mentor.mentor_id)))
        self.tabs.setCurrentIndex(0)

    def _show_summary(self, summary: MentoringSummary, *, planned: int) -> None:
        self.subtitle.setText(tr("{span} · 기준일 {date}", span=self._span_text(), date=self.context.as_of.isoformat()))
        self.held_tile.set_value(tr("{count}회", count=summary.sessions), tr("완료된 멘토링만 셉니다"))
        self.hours_tile.set_value(
            tr("{hours}시간", hours=hours_text(summary.minutes)),
            tr("회당 평균 {minutes:.0f}분", minutes=summary.minutes / summary.sessions if summary.sessions else 0),
        )
        self.companies_tile.set_value(
            tr("{count}곳", count=summary.companies_reached), tr("한 번 이상 멘토링을 받은 기업")
        )
        self.planned_tile.set_value(tr("{count}회", count=planned), tr("기간 안의 예정 일정"))
        total = summary.sessions or 1
        self.field_table.set_rows(
            [
                FieldCount(
                    field=f.value,
                    sessions=summary.by_field.get(f.value, 0),
                    share=summary.by_field.get(f.value, 0) / total,
                )
                for f in MentorField
            ]
        )
        self.mentor_summary_table.set_rows(summary.by_mentor)

    def _span_text(self) -> str:
        start, last = self.period()
        return (
            tr("전체 기간")
            if (start, last) == EVERYTHING
            else tr("{start} ~ {end}", start=start.isoformat(), end=last.isoformat())
        )

    # --- planned sessions ----------------------------------------------------------------
    def _selected_planned(self) -> SessionLogRow | None:
        row = self.log_table.current_row()
        return row if row is not None and row.status == SessionStatus.PLANNED else None

    def _update_buttons(self) -> None:
        planned = self._selected_planned()
        self.held_button.setEnabled(planned is not None)
        self.cancel_button.setEnabled(planned is not None)

    def mark_held(self) -> bool:
        planned = self._selected_planned()
        return planned is not None and self._write(
            lambda session: mentoring.mark_held(
                session=session, session_id=planned.session_id, seen_version=planned.version
            )
        )

    def cancel_planned(self) -> bool:
        planned = self._selected_planned()
        if planned is None:
            return False
        answer = QMessageBox.question(
            self,
            tr("예정 취소"),
            tr("{date} 멘토링 일정을 취소할까요? 기록은 '취소'로 남습니다.", date=planned.held_on.isoformat()),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        return self._write(
            lambda session: mentoring.cancel_session(
                session=session, session_id=planned.session_id, seen_version=planned.version
            )
        )

    def _write(self, change) -> bool:
        try:
            with self.context.unit_of_work() as session:
                change(session)
        except DomainError as error:
            show_refusal(self, error, self.context)
            return False
        self.context.notify_changed()
        return True
