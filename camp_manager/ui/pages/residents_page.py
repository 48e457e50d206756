"""Residents (입주기업): every company with its status on the as-of date, and one company's history.

The list loads in one pass (`directory.company_list`); search and filters run in the
proxy only, so each keystroke stays fast at 10,000 companies.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from camp_manager.db.engine import unit_of_work
from camp_manager.db.models import (
    BusinessField,
    ExitReason,
    MentorField,
    RequestKind,
    RequestStatus,
    RoomKind,
    SessionMode,
    SessionStatus,
)
from camp_manager.errors import DomainError
from camp_manager.i18n import tr
from camp_manager.labels import label, label_of
from camp_manager.reporting.monthly import contract_alert_label
from camp_manager.services import companies, directory
from camp_manager.services.bizno import format_bizno
from camp_manager.services.common import stored_id
from camp_manager.services.directory import CompanyDetail, CompanyListRow, CompanyStatus, StayRecord
from camp_manager.services.occupancy import contract_alert, contract_watched
from camp_manager.ui.context import AppContext
from camp_manager.ui.dialogs.company_dialog import CompanyDialog, MoveInDialog
from camp_manager.ui.dialogs.contract_dialogs import ExtensionDialog, RenewalDropDialog, RenewalStartDialog
from camp_manager.ui.dialogs.outcome_dialogs import OutcomesDialog
from camp_manager.ui.list_export import export_button, export_shown_rows, filter_descriptions
from camp_manager.ui.models.table import Column
from camp_manager.ui.pages.base import Page, page_heading
from camp_manager.ui.style import make_primary
from camp_manager.ui.widgets.dates import date_edit, from_qdate, to_qdate
from camp_manager.ui.widgets.floor_map import contract_badge
from camp_manager.ui.widgets.table_view import DataTable
from camp_manager.ui.workers import BackgroundQuery, show_error

STATUS_COLOURS = {
    CompanyStatus.ACTIVE: QColor("#2E7D4F"),
    CompanyStatus.WAITING: QColor("#B7791F"),
    CompanyStatus.EXITED: QColor("#6B7785"),
    CompanyStatus.REGISTERED: QColor("#2F6FB5"),
}


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _count(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def contract_text(detail: CompanyDetail, stay: StayRecord, on: date) -> str:
    """The contract on `on`: its end as it stood then, days left, the watch's alert, a renewal in progress."""
    renewal = stay.renewal_on(on)
    parts = []
    end = detail.contract_end
    if end is not None:
        days_left = (end - on).days
        parts.append(tr("{date} 만료 ({badge})", date=end.isoformat(), badge=contract_badge(days_left)))
        # The watch's 30/60-day mark; none while a renewal is in progress, as the watch leaves it out.
        alert = contract_alert(days_left) if contract_watched(end, renewing=renewal is not None, on=on) else None
        if alert is not None:
            parts.append(contract_alert_label(alert))
    if renewal is not None:
        parts.append(tr("재계약 진행 중 ({date}부터)", date=renewal.started_on.isoformat()))
    return " · ".join(parts)


def list_columns() -> list[Column]:
    return [
        Column(title=lambda: tr("기업명"), text=lambda r: r.name, searchable=True),
        Column(
            title=lambda: tr("사업자등록번호"),
            text=lambda r: format_bizno(r.biz_reg_no),
            searchable=True,
            # Found with or without dashes.
            search_text=lambda r: f"{format_bizno(r.biz_reg_no)} {r.biz_reg_no}",
        ),
        Column(title=lambda: tr("대표자"), text=lambda r: r.representative, searchable=True),
        Column(title=lambda: tr("분야"), text=lambda r: label_of(BusinessField, r.field), codes=BusinessField),
        Column(title=lambda: tr("시설"), text=lambda r: r.facility_name),
        Column(
            title=lambda: tr("상태"),
            text=lambda r: label(r.status),
            foreground=lambda r: STATUS_COLOURS[r.status],
            codes=CompanyStatus,
        ),
        Column(title=lambda: tr("호실"), text=lambda r: ", ".join(r.rooms)),
        Column(
            title=lambda: tr("고용"),
            text=lambda r: _count(r.employees),
            sort_key=lambda r: r.employees,
            align_right=True,
            value=lambda r: r.employees,
        ),
        Column(
            title=lambda: tr("입주일"),
            text=lambda r: _day(r.move_in),
            sort_key=lambda r: r.move_in,
            value=lambda r: r.move_in,
        ),
        Column(
            title=lambda: tr("계약 만료일"),
            text=lambda r: _day(r.contract_end),
            sort_key=lambda r: r.contract_end,
            value=lambda r: r.contract_end,
        ),
        Column(
            title=lambda: tr("퇴거일"),
            text=lambda r: _day(r.ended_on),
            sort_key=lambda r: r.ended_on,
            value=lambda r: r.ended_on,
        ),
    ]


class CompanyDetailPane(QTabWidget):
    """Profile, rooms, headcount, mentoring, requests and exits of one company."""

    def __init__(self, page: ResidentsPage) -> None:
        super().__init__()
        self.page = page
        self.context = page.context
        self.detail: CompanyDetail | None = None

        # Profile: the facts on the left, what can be done on the right.
        self.profile_labels: dict[str, QLabel] = {}
        profile = QWidget()
        profile_layout = QHBoxLayout(profile)
        columns = [QFormLayout(), QFormLayout()]
        keys = [
            ("name", tr("기업명")),
            ("biz_reg_no", tr("사업자등록번호")),
            ("representative", tr("대표자")),
            ("field", tr("분야")),
            ("founded_on", tr("설립일")),
            ("contact", tr("연락처")),
            ("status", tr("상태 (기준일)")),
            ("stay", tr("입주")),
            ("contract", tr("계약 (기준일)")),
            ("rooms", tr("호실 (기준일)")),
            ("employees", tr("고용인원 (기준일)")),
            ("investment", tr("투자유치금액")),
            ("notes", tr("메모")),
        ]
        for index, (key, text) in enumerate(keys):
            value = QLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            self.profile_labels[key] = value
            columns[index // 7].addRow(QLabel(text + ":"), value)
        for column in columns:
            profile_layout.addLayout(column, 1)
        actions = QVBoxLayout()
        self.edit_button = QPushButton(tr("정보 수정…"))
        self.edit_button.clicked.connect(page.open_selected)
        self.move_in_button = QPushButton(tr("입주 처리…"))
        self.move_in_button.clicked.connect(page.move_in_selected)
        self.outcomes_button = QPushButton(tr("성과…"))
        self.outcomes_button.clicked.connect(page.outcomes_of_selected)
        self.contract_button = QPushButton(tr("계약"))
        contract_menu = QMenu(self.contract_button)
        self.start_renewal_action = contract_menu.addAction(tr("재계약 진행 시작…"))
        self.start_renewal_action.triggered.connect(self.start_renewal)
        self.drop_renewal_action = contract_menu.addAction(tr("재계약 진행 취소…"))
        self.drop_renewal_action.triggered.connect(self.drop_renewal)
        self.extend_action = contract_menu.addAction(tr("계약 연장…"))
        self.extend_action.triggered.connect(self.extend_contract)
        self.contract_button.setMenu(contract_menu)
        actions.addWidget(self.edit_button)
        actions.addWidget(self.move_in_button)
        actions.addWidget(self.contract_button)
        actions.addWidget(self.outcomes_button)
        actions.addStretch(1)
        profile_layout.addLayout(actions)
        self.addTab(profile, tr("기본 정보"))

        self.rooms_table = DataTable(
            [
                Column(title=lambda: tr("시설"), text=lambda a: a.facility_name),
                Column(title=lambda: tr("호실"), text=lambda a: a.room.code),
                Column(title=lambda: tr("유형"), text=lambda a: label_of(RoomKind, a.room.kind), codes=RoomKind),
                Column(
                    title=lambda: tr("시작"),
                    text=lambda a: _day(a.allocation.start_on),
                    sort_key=lambda a: a.allocation.start_on,
                ),
                Column(
                    title=lambda: tr("종료"),
                    text=lambda a: _day(a.allocation.end_on) or tr("사용 중"),
                    sort_key=lambda a: a.allocation.end_on,
                ),
                Column(
                    title=lambda: tr("좌석"),
                    text=lambda a: str(a.allocation.seats),
                    sort_key=lambda a: a.allocation.seats,
                    align_right=True,
                ),
                Column(title=lambda: tr("예외 사유"), text=lambda a: a.allocation.override_reason),
            ],
            name="residents_rooms",
            widths=(110, 80, 100, 90, 90, 50),
            empty_text=lambda: tr("호실 배정 이력이 없습니다."),
        )
        self.addTab(self.rooms_table, tr("호실 이력"))

        headcount = QWidget()
        headcount_layout = QVBoxLayout(headcount)
        self.headcount_table = DataTable(
            [
                Column(title=lambda: tr("기준일"), text=lambda h: _day(h.as_of), sort_key=lambda h: h.as_of),
                Column(
                    title=lambda: tr("상시 고용인원"),
                    text=lambda h: tr("{count}명", count=h.employees),
                    sort_key=lambda h: h.employees,
                    align_right=True,
                ),
                Column(
                    title=lambda: tr("전체 인원"),
                    text=lambda h: tr("{count}명", count=h.total_employees) if h.total_employees is not None else "–",
                    sort_key=lambda h: -1 if h.total_employees is None else h.total_employees,
                    align_right=True,
                ),
            ],
            name="residents_headcount",
            widths=(120, 120, 120),
            empty_text=lambda: tr("고용인원 기록이 없습니다."),
        )
        record_row = QHBoxLayout()
        self.headcount_date = date_edit(self.context.as_of)
        self.headcount_value = QSpinBox()
        self.headcount_value.setRange(0, 100_000)
        self.headcount_value.setSuffix(tr("명"))
        self.headcount_value.setToolTip(tr("상시 고용인원"))
        # Everyone on the payroll, when the company reports it (the evaluations ask for both).
        self.headcount_total = QSpinBox()
        self.headcount_total.setRange(-1, 100_000)
        self.headcount_total.setValue(-1)
        self.headcount_total.setSpecialValueText(tr("전체 인원 모름"))
        self.headcount_total.setPrefix(tr("전체 "))
        self.headcount_total.setSuffix(tr("명"))
        self.headcount_total.setToolTip(tr("전체 인원 (상시 고용인원 포함)"))
        self.headcount_button = QPushButton(tr("고용인원 기록"))
        self.headcount_button.clicked.connect(self.record_headcount)
        self.headcount_error = QLabel()
        self.headcount_error.setObjectName("fieldError")
        record_row.addWidget(QLabel(tr("기준일")))
        record_row.addWidget(self.headcount_date)
        record_row.addWidget(self.headcount_value)
        record_row.addWidget(self.headcount_total)
        record_row.addWidget(self.headcount_button)
        record_row.addWidget(self.headcount_error, 1)
        headcount_layout.addLayout(record_row)
        headcount_layout.addWidget(self.headcount_table)
        self.addTab(headcount, tr("고용 이력"))

        self.sessions_table = DataTable(
            [
                Column(
                    title=lambda: tr("날짜"),
                    text=lambda s: _day(s.session.held_on),
                    sort_key=lambda s: s.session.held_on,
                ),
                Column(title=lambda: tr("멘토"), text=lambda s: s.mentor.name),
                Column(
                    title=lambda: tr("분야"), text=lambda s: label_of(MentorField, s.mentor.field), codes=MentorField
                ),
                Column(title=lambda: tr("주제"), text=lambda s: s.session.topic),
                Column(
                    title=lambda: tr("시간(분)"),
                    text=lambda s: str(s.session.minutes),
                    sort_key=lambda s: s.session.minutes,
                    align_right=True,
                ),
                Column(
                    title=lambda: tr("방식"), text=lambda s: label_of(SessionMode, s.session.mode), codes=SessionMode
                ),
                Column(
                    title=lambda: tr("상태"),
                    text=lambda s: label_of(SessionStatus, s.session.status),
                    codes=SessionStatus,
                ),
            ],
            name="residents_sessions",
            widths=(90, 80, 90, 180, 60, 60),
            empty_text=lambda: tr("멘토링 기록이 없습니다."),
        )
        self.addTab(self.sessions_table, tr("멘토링"))

        self.requests_table = DataTable(
            [
                Column(
                    title=lambda: tr("신청일"),
                    text=lambda r: _day(r.request.requested_on),
                    sort_key=lambda r: r.request.requested_on,
                ),
                Column(
                    title=lambda: tr("유형"), text=lambda r: label_of(RequestKind, r.request.kind), codes=RequestKind
                ),
                Column(title=lambda: tr("시설"), text=lambda r: r.facility_name),
                Column(
                    title=lambda: tr("호실/좌석"),
                    text=lambda r: tr(
                        "{rooms}실 / {seats}석", rooms=r.request.rooms_wanted, seats=r.request.seats_wanted
                    ),
                ),
                Column(
                    title=lambda: tr("상태"),
                    text=lambda r: label_of(RequestStatus, r.request.status),
                    codes=RequestStatus,
                ),
                Column(
                    title=lambda: tr("처리일"),
                    text=lambda r: _day(r.request.decided_on),
                    sort_key=lambda r: r.request.decided_on,
                ),
                Column(title=lambda: tr("메모"), text=lambda r: r.request.note.replace("\n", " · ")),
            ],
            name="residents_requests",
            widths=(90, 80, 100, 90, 60, 90),
            empty_text=lambda: tr("공간 신청 기록이 없습니다."),
        )
        self.addTab(self.requests_table, tr("신청"))

        self.stays_table = DataTable(
            [
                Column(title=lambda: tr("시설"), text=lambda s: s.facility_name),
                Column(
                    title=lambda: tr("입주일"),
                    text=lambda s: _day(s.residency.move_in),
                    sort_key=lambda s: s.residency.move_in,
                ),
                Column(
                    title=lambda: tr("계약 만료일"),
                    text=lambda s: _day(s.residency.contract_end),
                    sort_key=lambda s: s.residency.contract_end,
                ),
                Column(
                    title=lambda: tr("연장"),
                    text=lambda s: tr("{count}회", count=len(s.extensions)) if s.extensions else "",
                    sort_key=lambda s: len(s.extensions),
                ),
                Column(
                    title=lambda: tr("퇴거일"),
                    text=lambda s: _day(s.residency.ended_on) or tr("입주 중"),
                    sort_key=lambda s: s.residency.ended_on,
                ),
                Column(
                    title=lambda: tr("사유"),
                    text=lambda s: label_of(ExitReason, s.exit.reason) if s.exit else "",
                    codes=ExitReason,
                ),
                Column(title=lambda: tr("이전지"), text=lambda s: s.exit.destination if s.exit else ""),
                Column(title=lambda: tr("메모"), text=lambda s: s.exit.notes if s.exit else ""),
            ],
            name="residents_stays",
            widths=(110, 90, 90, 50, 90, 100, 140),
            empty_text=lambda: tr("입주 이력이 없습니다."),
        )
        self.addTab(self.stays_table, tr("입주·퇴거"))
        self.show_detail(None)

    def show_detail(self, detail: CompanyDetail | None) -> None:
        self.detail = detail
        self.setEnabled(detail is not None)
        for table, rows in (
            (self.rooms_table, detail.allocations if detail else []),
            (self.headcount_table, detail.headcounts if detail else []),
            (self.sessions_table, detail.sessions if detail else []),
            (self.requests_table, detail.requests if detail else []),
            (self.stays_table, detail.stays if detail else []),
        ):
            table.set_rows(rows)
        self.headcount_error.clear()
        if detail is None:
            for value in self.profile_labels.values():
                value.clear()
            return
        on = self.context.as_of
        company = detail.company
        stay = detail.stay_on(on) or (detail.stays[0] if detail.stays else None)
        employees = detail.employees_on(on)
        texts = {
            "name": company.name,
            "biz_reg_no": format_bizno(company.biz_reg_no),
            "representative": company.representative,
            "field": label_of(BusinessField, company.field),
            "founded_on": _day(company.founded_on),
            "contact": " · ".join(part for part in (company.phone, company.email) if part),
            "status": label(detail.status),
            "stay": tr(
                "{facility} {start} ~ {end}",
                facility=stay.facility_name,
                start=_day(stay.residency.move_in),
                end=_day(stay.residency.ended_on) or _day(stay.residency.contract_end),
            )
            if stay
            else "",
            "contract": contract_text(detail, stay, on) if stay else "",
            "rooms": ", ".join(a.room.code for a in detail.rooms_on(on)),
            "employees": tr("{count}명", count=employees) if employees is not None else "",
            "investment": tr("{amount}원", amount=f"{company.investment_krw:,}") if company.investment_krw else "",
            "notes": company.notes,
        }
        for key, text in texts.items():
            self.profile_labels[key].setText(text)
        self.move_in_button.setEnabled(
            detail.status != CompanyStatus.ACTIVE and not any(s.residency.ended_on is None for s in detail.stays)
        )
        current = self.current_stay()
        renewal = current.open_renewal() if current else None
        self.contract_button.setEnabled(current is not None)
        self.start_renewal_action.setEnabled(current is not None and renewal is None)
        self.drop_renewal_action.setEnabled(renewal is not None)
        self.extend_action.setEnabled(current is not None)
        self.headcount_date.setDate(to_qdate(on))
        self.headcount_value.setValue(employees or 0)
        self.setTabText(1, tr("호실 이력 ({count})", count=len(detail.allocations)))
        self.setTabText(3, tr("멘토링 ({count})", count=len(detail.sessions)))
        self.setTabText(4, tr("신청 ({count})", count=len(detail.requests)))

    def current_stay(self) -> StayRecord | None:
        """The stay not ended yet: the contract the 계약 actions change."""
        return next((s for s in self.detail.stays if s.residency.ended_on is None), None) if self.detail else None

    def start_renewal(self) -> None:
        self._contract_dialog(lambda stay, name: RenewalStartDialog(self.context, stay, name, parent=self))

    def drop_renewal(self) -> None:
        self._contract_dialog(
            lambda stay, name: RenewalDropDialog(self.context, stay, stay.open_renewal(), name, parent=self)
        )

    def extend_contract(self) -> None:
        self._contract_dialog(lambda stay, name: ExtensionDialog(self.context, stay, name, parent=self))

    def _contract_dialog(self, make: Callable[[StayRecord, str], QDialog]) -> None:
        stay = self.current_stay()
        if self.detail is None or stay is None:
            return
        company_id = self.detail.company.id
        if make(stay, self.detail.company.name).exec() == QDialog.DialogCode.Accepted:
            self.page._after_save(company_id)

    def record_headcount(self) -> None:
        if self.detail is None:
            return
        try:
            with self.context.unit_of_work() as session:
                companies.record_headcount(
                    session=session,
                    company_id=self.detail.company.id,
                    as_of=from_qdate(self.headcount_date.date()),
                    employees=self.headcount_value.value(),
                    total_employees=None if self.headcount_total.value() < 0 else self.headcount_total.value(),
                )
        except DomainError as error:
            self.headcount_error.setText(error.message)
            return
        self.context.notify_changed()


class ResidentsPage(Page):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._query = BackgroundQuery(self)
        self._select_after_load: int | None = None
        self._loaded_for: tuple | None = None

        top, self.count_label = page_heading(tr("입주기업"))
        self.new_button = make_primary(QPushButton(tr("새 기업 등록…")))
        self.new_button.setToolTip("Ctrl+N")
        self.new_button.clicked.connect(self.create_new)
        self.export_button = export_button()
        self.export_button.clicked.connect(self.export_list)
        top.addWidget(self.export_button)
        top.addWidget(self.new_button)

        self.search = QLineEdit()
        self.search.setObjectName("residentSearch")
        self.search.setPlaceholderText(tr("기업명, 대표자, 사업자등록번호로 찾기 (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_changed)
        self.facility_filter = QComboBox()
        self.status_filter = QComboBox()
        self.status_filter.addItem(tr("모든 상태"), None)
        for status in CompanyStatus:
            self.status_filter.addItem(label(status), status)
        self.status_filter.setCurrentIndex(self.status_filter.findData(CompanyStatus.ACTIVE))
        self.field_filter = QComboBox()
        self.field_filter.addItem(tr("모든 분야"), None)
        for member in BusinessField:
            self.field_filter.addItem(label(member), member.value)
        self.facility_filter.currentIndexChanged.connect(self._filters_changed)
        self.status_filter.currentIndexChanged.connect(self._filters_changed)
        self.field_filter.currentIndexChanged.connect(self._filters_changed)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.facility_filter, 1)
        filters.addWidget(self.status_filter, 1)
        filters.addWidget(self.field_filter, 1)

        self.table = DataTable(
            list_columns(),
            name="residents_list",
            widths=(190, 110, 80, 80, 100, 70, 90, 50, 90, 90),
            empty_text=lambda: tr("조건에 맞는 기업이 없습니다. 검색어나 필터를 바꿔 보세요."),
        )
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.rowActivated.connect(lambda _row: self.open_selected())
        self.table.currentRowChanged.connect(self._selection_changed)
        self.detail = CompanyDetailPane(self)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("residents_splitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.splitter, 1)
        self._filters_changed()

    def title(self) -> str:
        return tr("입주기업")

    # --- loading -----------------------------------------------------------------------
    def refresh(self) -> None:
        """Reads off the UI thread: the page stays as it is (its frame painted) until the rows arrive."""
        on, engine = self.context.as_of, self.context.engine

        def job() -> tuple[list[CompanyListRow], list[tuple[int, str]]]:
            with unit_of_work(engine) as session:
                rows = directory.company_list(session, on=on)
                facilities = [
                    (stored_id(row.facility), row.facility.name) for row in directory.facility_rows(session, on=on)
                ]
                return rows, facilities

        self._query.run(job, lambda loaded: self._show(*loaded))

    def _show(self, rows: list[CompanyListRow], facilities: list[tuple[int, str]]) -> None:
        selected = self.selected_company_id()
        saved, self._select_after_load = self._select_after_load, None
        self._set_facilities(facilities)
        self.table.set_rows(rows)
        self._update_count()
        if saved is not None:
            self.show_item(saved)
        elif selected is None or not self.select_company(selected):
            # Something is always in the detail pane when the list has rows.
            if self.table.proxy.rowCount():
                self.table.selectRow(0)
            else:
                self.detail.show_detail(None)

    def _set_facilities(self, facilities: list[tuple[int, str]]) -> None:
        wanted = [(None, tr("모든 시설")), *facilities]
        current = [
            (self.facility_filter.itemData(i), self.facility_filter.itemText(i))
            for i in range(self.facility_filter.count())
        ]
        if wanted == current:
            return
        chosen = self.facility_filter.currentData()
        self.facility_filter.blockSignals(True)
        self.facility_filter.clear()
        for facility_id, name in wanted:
            self.facility_filter.addItem(name, facility_id)
        self.facility_filter.setCurrentIndex(max(0, self.facility_filter.findData(chosen)))
        self.facility_filter.blockSignals(False)
        self._filters_changed()

    # --- search and filters ------------------------------------------------------------
    def _search_changed(self, text: str) -> None:
        self.table.proxy.set_search(text)
        self._update_count()

    def _filters_changed(self) -> None:
        proxy = self.table.proxy
        facility_id = self.facility_filter.currentData()
        status = self.status_filter.currentData()
        field = self.field_filter.currentData()
        proxy.set_predicate("facility", None if facility_id is None else (lambda r: r.facility_id == facility_id))
        proxy.set_predicate("status", None if status is None else (lambda r: r.status == status))
        proxy.set_predicate("field", None if field is None else (lambda r: r.field == field))
        self._update_count()

    def set_status_filter(self, status: CompanyStatus | None) -> None:
        self.status_filter.setCurrentIndex(self.status_filter.findData(status))

    def _update_count(self) -> None:
        self.count_label.setText(
            tr(
                "{shown:,}개 표시 / 전체 {total:,}개 · 기준일 {date}",
                shown=self.table.proxy.rowCount(),
                total=self.table.source.rowCount(),
                date=self.context.as_of.isoformat(),
            )
        )

    # --- selection and detail ----------------------------------------------------------
    def selected_company_id(self) -> int | None:
        row = self.table.current_row()
        return row.company_id if row is not None else None

    def select_company(self, company_id: int) -> bool:
        return self.table.select_first(lambda r: r.company_id == company_id)

    def _selection_changed(self, row: CompanyListRow | None) -> None:
        if row is None:
            self.detail.show_detail(None)
            return
        try:
            with self.context.unit_of_work() as session:
                detail = directory.company_detail(session, company_id=row.company_id, on=self.context.as_of)
        except DomainError as error:
            show_error(self, error)
            return
        self.detail.show_detail(detail)

    def show_item(self, item: object) -> None:
        """Select a company by id; widen the filters if they hide it."""
        if not isinstance(item, int):
            return
        if self._query.busy:  # rows on their way: the item may be new, selected once they are in
            self._select_after_load = item
            return
        if not self.select_company(item):
            self.search.clear()
            self.facility_filter.setCurrentIndex(0)
            self.status_filter.setCurrentIndex(0)
            self.field_filter.setCurrentIndex(0)
            self.select_company(item)
        self.table.setFocus()

    # --- commands ----------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def export_list(self) -> None:
        export_shown_rows(
            self,
            self.context,
            self.table,
            sheet_title=tr("입주기업"),
            file_name=tr("입주기업_{date}.xlsx", date=self.context.as_of.isoformat()),
            heading=tr("입주기업 목록 — {facility}", facility=self.facility_filter.currentText()),
            details=[
                tr("기준일 {date}", date=self.context.as_of.isoformat()),
                *filter_descriptions(self.status_filter, self.field_filter, search=self.search),
            ],
        )

    def create_new(self) -> None:
        dialog = CompanyDialog(self.context, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._after_save(dialog.saved_company_id)

    def open_selected(self) -> None:
        company_id = self.selected_company_id()
        if company_id is None:
            return
        dialog = CompanyDialog(self.context, company_id=company_id, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._after_save(company_id)

    def move_in_selected(self) -> None:
        row = self.table.current_row()
        if row is None:
            return
        dialog = MoveInDialog(self.context, company_id=row.company_id, company_name=row.name, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._after_save(row.company_id)

    def outcomes_of_selected(self) -> None:
        row = self.table.current_row()
        if row is not None:
            OutcomesDialog(self.context, company_id=row.company_id, company_name=row.name, parent=self).exec()

    def delete_selected(self) -> None:
        row = self.table.current_row()
        if row is None:
            return
        answer = QMessageBox.question(
            self,
            tr("기업 삭제"),
            tr(
                "'{name}'을(를) 삭제할까요?\n잘못 등록한 기업만 삭제할 수 있습니다. 입주했던 기업은 퇴거 처리하세요.",
                name=row.name,
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            with self.context.unit_of_work() as session:
                companies.delete_company(session=session, company_id=row.company_id)
        except Exception as error:  # noqa: BLE001 (a refusal or a fault: both shown, nothing written)
            show_error(self, error)
            return
        self.context.notify_changed()

    def _after_save(self, company_id: int | None) -> None:
        self.context.notify_changed()  # the main window reloads this page at once
        if company_id is not None:
            self.show_item(company_id)
