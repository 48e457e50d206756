"""The exit dialog: shows first what an exit will close, then records it in one step."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGroupBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from camp_manager.db.models import Exit, ExitReason, Region, RequestKind
from camp_manager.errors import DomainError
from camp_manager.i18n import tr
from camp_manager.labels import label, label_of
from camp_manager.services import exits, listings, occupancy
from camp_manager.services.listings import ExitPreview
from camp_manager.ui.context import AppContext
from camp_manager.ui.dialogs.form import FormDialog, select_data
from camp_manager.ui.widgets.dates import date_edit
from camp_manager.ui.widgets.floor_map import room_title
from camp_manager.ui.widgets.forms import column_edit


def preview_html(preview: ExitPreview, exit_on: date) -> str:
    """The exit plan as a list a manager reads before confirming."""
    plan = preview.plan
    stay = plan.residency
    items = [
        tr(
            "입주: {facility}, {move_in} 입주 → {exit_on}에 종료",
            facility=preview.facility_name,
            move_in=stay.move_in.isoformat(),
            exit_on=exit_on.isoformat(),
        )
    ]
    for allocation in plan.allocations:
        items.append(
            tr(
                "{room}: {start}부터 사용 → {exit_on}에 배정 종료",
                room=room_title(preview.room_codes.get(allocation.room_id, "?")),
                start=allocation.start_on.isoformat(),
                exit_on=exit_on.isoformat(),
            )
        )
    if not plan.allocations:
        items.append(tr("쓰고 있는 호실 없음"))
    for planned in plan.planned_sessions:
        items.append(
            tr(
                "예정된 멘토링 {date} ({mentor}) → 취소",
                date=planned.held_on.isoformat(),
                mentor=preview.mentor_names.get(planned.mentor_id, "?"),
            )
        )
    for request in plan.open_requests:
        items.append(
            tr(
                "처리 중인 {kind} ({date} 신청) → 철회",
                kind=label_of(RequestKind, request.kind),
                date=request.requested_on.isoformat(),
            )
        )
    bullets = "".join(f"<li>{escape(item)}</li>" for item in items)
    heading = escape(tr("'{name}' 퇴거 시 다음이 함께 처리됩니다:", name=preview.company_name))
    return f"<p><b>{heading}</b></p><ul style='margin-left: -20px'>{bullets}</ul>"


class ExitDialog(FormDialog):
    def __init__(self, context: AppContext, *, company_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(context, tr("퇴거 처리"), parent)
        self.setMinimumWidth(560)
        self.preview: ExitPreview | None = None
        self.company_combo = QComboBox()
        self.add_row(tr("기업"), self.company_combo, "company")
        self.exit_edit = date_edit(context.as_of)
        self.add_row(tr("퇴거일"), self.exit_edit, "exit_on")
        self.reason_combo = QComboBox()
        for reason in ExitReason:
            self.reason_combo.addItem(label(reason), reason.value)
        self.reason_combo.setCurrentIndex(-1)
        self.add_row(tr("퇴거 사유"), self.reason_combo, "reason")
        self.region_combo = QComboBox()
        for region in Region:
            self.region_combo.addItem(label(region), region.value)
        select_data(self.region_combo, Region.UNKNOWN.value)
        self.add_row(tr("이전 지역(권역)"), self.region_combo, "region")
        # Choosing a reason sets the region it tells (a move to the capital region); the user may change it.
        self.reason_combo.currentIndexChanged.connect(
            lambda _index: select_data(self.region_combo, exits.region_of_reason(self.reason_combo.currentData()))
        )
        self.destination_edit = column_edit(Exit, "destination")
        self.destination_edit.setPlaceholderText(tr("예: 서울특별시, 자체 사옥"))
        self.add_row(tr("이전지"), self.destination_edit, "destination")
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setFixedHeight(64)
        self.add_row(tr("메모"), self.notes_edit, "notes")

        box = QGroupBox(tr("처리될 내용"))
        self.preview_label = QLabel()
        self.preview_label.setWordWrap(True)
        self.preview_label.setTextFormat(Qt.TextFormat.RichText)
        self.preview_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.preview_label.setMinimumHeight(120)
        inner = QVBoxLayout(box)
        inner.addWidget(self.preview_label)
        self.layout_.addWidget(box)
        self.ok_button.setText(tr("퇴거 확정"))
        self.finish_layout()

        with context.unit_of_work() as session:
            residents = occupancy.residents_on(session, on=context.as_of)
            facility_names = {f.id: f.name for f in listings.facilities_in_order(session)}
        for row in residents:
            parts = [row.company.name, facility_names.get(row.residency.facility_id, ""), ", ".join(row.room_codes)]
            self.company_combo.addItem(" · ".join(p for p in parts if p), row.company.id)
        self.company_combo.setCurrentIndex(-1)
        if company_id is not None:
            select_data(self.company_combo, company_id)
        self.company_combo.currentIndexChanged.connect(lambda _index: self.update_preview())
        self.exit_edit.dateChanged.connect(lambda _value: self.update_preview())
        self.update_preview()

    def exit_on(self) -> date:
        return self.exit_edit.date().toPython()

    def update_preview(self) -> None:
        """Asks the use case what the exit would close on the chosen day; nothing is written."""
        self.preview = None
        company_id = self.company_combo.currentData()
        if company_id is None:
            self.preview_label.setText(tr("퇴거할 입주기업을 고르세요."))
            self.ok_button.setEnabled(False)
            return
        try:
            with self.context.unit_of_work() as session:
                self.preview = listings.exit_preview(session, company_id=company_id, exit_on=self.exit_on())
        except DomainError as error:
            self.preview_label.setText(f"<p style='color: #C0392B'>{escape(error.message)}</p>")
            self.ok_button.setEnabled(False)
            return
        self.preview_label.setText(preview_html(self.preview, self.exit_on()))
        self.ok_button.setEnabled(True)

    def reload(self) -> None:
        self.update_preview()  # the stay as a colleague saved it, with its version

    def preview_text(self) -> str:
        return self.preview_label.text()

    def commit(self, session):
        company_id = self.company_combo.currentData()
        if company_id is None:
            raise DomainError(tr("퇴거할 입주기업을 고르세요."), field="company")
        reason = self.reason_combo.currentData()
        if reason is None:
            raise DomainError(tr("퇴거 사유를 고르세요."), field="reason")
        return exits.record_exit(
            session=session,
            company_id=company_id,
            exit_on=self.exit_on(),
            reason=reason,
            destination=self.destination_edit.text(),
            region=self.region_combo.currentData(),
            notes=self.notes_edit.toPlainText(),
            seen_version=self.preview.plan.residency.version if self.preview else None,
        )
