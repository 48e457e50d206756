"""Requests (확장·대기): the move-in waitlist and expansion requests, oldest first, as of the day.

Approving opens the allocation dialog for the request's company (a waitlisted company
is moved in on the same day); declining and withdrawing ask for a note.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from camp_manager.db.engine import unit_of_work
from camp_manager.db.models import RequestKind, RequestStatus
from camp_manager.errors import DomainError
from camp_manager.i18n import tr
from camp_manager.labels import label, label_of
from camp_manager.services import listings, requests
from camp_manager.services.listings import RequestRow
from camp_manager.ui.context import AppContext
from camp_manager.ui.dialogs.allocation_dialog import AllocationDialog
from camp_manager.ui.dialogs.form import set_combo_items
from camp_manager.ui.dialogs.request_dialog import RequestDialog
from camp_manager.ui.models.table import Column
from camp_manager.ui.pages.base import Page, page_heading, page_layout
from camp_manager.ui.style import make_primary
from camp_manager.ui.widgets.table_view import DataTable
from camp_manager.ui.workers import BackgroundQuery, show_refusal

# Open requests waiting longer than this are drawn in red.
LONG_WAIT_DAYS = 60


def request_columns() -> list[Column[RequestRow]]:
    def waited(row: RequestRow) -> QColor | None:
        return QColor("#B3261E") if row.is_open and row.age_days > LONG_WAIT_DAYS else None

    return [
        Column(
            title=lambda: tr("순번"),
            text=lambda r: str(r.queue_position or ""),
            sort_key=lambda r: r.queue_position,
            align_right=True,
        ),
        Column(
            title=lambda: tr("신청일"),
            text=lambda r: r.requested_on.isoformat(),
            sort_key=lambda r: (r.requested_on, r.request_id),
        ),
        Column(
            title=lambda: tr("경과"),
            text=lambda r: tr("{days}일", days=r.age_days),
            sort_key=lambda r: r.age_days,
            align_right=True,
            foreground=waited,
        ),
        Column(title=lambda: tr("유형"), text=lambda r: label_of(RequestKind, r.kind), codes=RequestKind),
        Column(title=lambda: tr("시설"), text=lambda r: r.facility_name, searchable=True),
        Column(title=lambda: tr("기업"), text=lambda r: r.company_name, searchable=True),
        Column(
            title=lambda: tr("호실"),
            text=lambda r: str(r.rooms_wanted),
            sort_key=lambda r: r.rooms_wanted,
            align_right=True,
        ),
        Column(
            title=lambda: tr("좌석"),
            text=lambda r: str(r.seats_wanted) if r.seats_wanted else "",
            sort_key=lambda r: r.seats_wanted,
            align_right=True,
        ),
        Column(title=lambda: tr("상태"), text=lambda r: label_of(RequestStatus, r.status), codes=RequestStatus),
        Column(
            title=lambda: tr("처리일"),
            text=lambda r: r.decided_on.isoformat() if r.decided_on else "",
            sort_key=lambda r: r.decided_on,
        ),
        Column(title=lambda: tr("메모"), text=lambda r: " / ".join(r.note.splitlines()), searchable=True),
    ]


class RequestsPage(Page):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._query = BackgroundQuery(self)
        self._select_after_load: object = None
        heading_row, self.subtitle = page_heading(tr("확장·대기"))

        self.kind_combo = QComboBox()
        self.kind_combo.addItem(tr("모든 유형"), None)
        for kind in RequestKind:
            self.kind_combo.addItem(label(kind), kind.value)
        self.facility_combo = QComboBox()
        self.facility_combo.addItem(tr("모든 시설"), None)
        self.status_combo = QComboBox()
        for status in RequestStatus:
            self.status_combo.addItem(label(status), status.value)
        self.status_combo.addItem(tr("모든 상태"), None)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(tr("기업·메모 검색"))
        self.search_edit.setClearButtonEnabled(True)
        filters = QHBoxLayout()
        for widget in (self.kind_combo, self.facility_combo, self.status_combo):
            filters.addWidget(widget)
        filters.addWidget(self.search_edit, 1)

        self.new_button = make_primary(QPushButton(tr("새 신청…")))
        self.approve_button = QPushButton(tr("승인(호실 배정)…"))
        self.decline_button = QPushButton(tr("반려…"))
        self.withdraw_button = QPushButton(tr("철회…"))
        actions = QHBoxLayout()
        for button in (self.new_button, self.approve_button, self.decline_button, self.withdraw_button):
            actions.addWidget(button)
        actions.addStretch(1)
        self.hint = QLabel(
            tr(
                "순번은 시설·유형별로 먼저 신청한 순서입니다. {days}일 넘게 기다린 신청은 빨간색입니다.",
                days=LONG_WAIT_DAYS,
            )
        )
        self.hint.setObjectName("hint")
        actions.addWidget(self.hint)

        self.table = DataTable(
            request_columns(),
            name="requests_table",
            widths=(46, 92, 60, 96, 100, 170, 52, 48, 64, 92),
            empty_text=lambda: tr("조건에 맞는 신청이 없습니다."),
        )
        self.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        page_layout(self, heading_row, filters, actions, fill=self.table)

        self.kind_combo.currentIndexChanged.connect(
            lambda _i: self._filter("kind", self.kind_combo, lambda r, v: r.kind == v)
        )
        self.facility_combo.currentIndexChanged.connect(
            lambda _i: self._filter("facility", self.facility_combo, lambda r, v: r.facility_id == v)
        )
        self.status_combo.currentIndexChanged.connect(
            lambda _i: self._filter("status", self.status_combo, lambda r, v: r.status == v)
        )
        self.search_edit.textChanged.connect(self.table.proxy.set_search)
        self.table.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.table.rowActivated.connect(lambda _row: self.open_selected())
        self.new_button.clicked.connect(self.create_new)
        self.approve_button.clicked.connect(self.approve)
        self.decline_button.clicked.connect(self.decline)
        self.withdraw_button.clicked.connect(self.withdraw)
        self._filter("status", self.status_combo, lambda r, v: r.status == v)
        self._update_buttons()

    def _filter(self, name: str, combo: QComboBox, test) -> None:
        value = combo.currentData()
        self.table.proxy.set_predicate(name, None if value is None else (lambda row: test(row, value)))
        self._update_buttons()

    # --- the page contract ------------------------------------------------------------
    def title(self) -> str:
        return tr("확장·대기")

    def refresh(self) -> None:
        """Reads off the UI thread: the page stays as it is (its frame painted) until the rows arrive."""
        on, engine = self.context.as_of, self.context.engine

        def job() -> tuple[list[tuple[int | None, str]], list[RequestRow]]:
            with unit_of_work(engine) as session:
                return [(f.id, f.name) for f in listings.facilities_in_order(session)], listings.request_log(
                    session, on=on
                )

        self._query.run(job, lambda loaded: self._show(on, *loaded))

    def _show(self, on: date, facilities: list[tuple[int | None, str]], rows: list[RequestRow]) -> None:
        set_combo_items(self.facility_combo, facilities, fixed=1)
        selected = self.table.current_row()
        self.table.set_rows(rows)
        if self._select_after_load is not None:
            self.show_item(self._select_after_load)
        elif selected is not None:
            self.table.select_first(lambda r: r.request_id == selected.request_id)
        waiting = [r for r in rows if r.is_open]
        counts = {kind: sum(1 for r in waiting if r.kind == kind) for kind in RequestKind}
        oldest = max((r.age_days for r in waiting), default=0)
        self.subtitle.setText(
            tr(
                "{date} 기준 · 대기 중 {count}건 (입주 대기 {waitlist} · 확장 신청 {expansion}) · 가장 오래 기다린 신청 {days}일",
                date=on.isoformat(),
                count=len(waiting),
                waitlist=counts[RequestKind.WAITLIST],
                expansion=counts[RequestKind.EXPANSION],
                days=oldest,
            )
        )
        self._update_buttons()

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def create_new(self) -> None:
        RequestDialog(self.context, facility_id=self.facility_combo.currentData(), parent=self).exec()

    def open_selected(self) -> None:
        row = self.table.current_row()
        if row is not None and row.is_open:
            self.approve()

    def delete_selected(self) -> None:
        self.withdraw()

    def show_item(self, item: object) -> None:
        """`item` is a company id: select its oldest request, whatever its status."""
        self._select_after_load = item if self._query.busy else None  # selected once the rows are in
        if self._query.busy:
            return
        if not self.table.select_first(lambda row: row.company_id == item):
            self.status_combo.setCurrentIndex(self.status_combo.findData(None))
            self.table.select_first(lambda row: row.company_id == item)

    def _update_buttons(self) -> None:
        row = self.table.current_row()
        is_open = row is not None and row.is_open
        for button in (self.approve_button, self.decline_button, self.withdraw_button):
            button.setEnabled(is_open)

    # --- decisions -----------------------------------------------------------------------
    def approve(self) -> bool:
        row = self.table.current_row()
        if row is None or not row.is_open:
            return False
        dialog = AllocationDialog(self.context, facility_id=row.facility_id, request=row, parent=self)
        return dialog.exec() == QDialog.DialogCode.Accepted

    def decline(self) -> bool:
        return self._decide(requests.decline_request, tr("신청 반려"), tr("반려 사유(신청 메모에 덧붙습니다):"))

    def withdraw(self) -> bool:
        return self._decide(requests.withdraw_request, tr("신청 철회"), tr("철회 사유(신청 메모에 덧붙습니다):"))

    def _decide(self, use_case, title: str, prompt: str) -> bool:
        row = self.table.current_row()
        if row is None or not row.is_open:
            return False
        note, ok = QInputDialog.getMultiLineText(
            self,
            title,
            tr(
                "'{name}'의 {kind} ({date} 신청)\n{prompt}",
                name=row.company_name,
                kind=label_of(RequestKind, row.kind),
                date=row.requested_on.isoformat(),
                prompt=prompt,
            ),
        )
        if not ok:
            return False
        try:
            with self.context.unit_of_work() as session:
                use_case(
                    session=session,
                    request_id=row.request_id,
                    on=self.context.as_of,
                    note=note.strip(),
                    seen_version=row.version,
                )
        except DomainError as error:
            show_refusal(self, error, self.context)
            return False
        self.context.notify_changed()
        return True
