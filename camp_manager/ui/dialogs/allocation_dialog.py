"""Room allocation dialogs: allocate or expand (with the room policy in view), move, release."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from PySide6.QtWidgets import QComboBox, QLabel, QSpinBox, QWidget

from camp_manager.db.models import Allocation, RoomKind
from camp_manager.errors import DomainError
from camp_manager.i18n import tr
from camp_manager.labels import label_of
from camp_manager.services import allocations, floorplan, listings, occupancy, requests, residency
from camp_manager.services.common import fetch
from camp_manager.services.floorplan import RoomTile, TileHolder
from camp_manager.services.listings import RequestRow
from camp_manager.ui.context import AppContext
from camp_manager.ui.dialogs.company_dialog import default_contract_end
from camp_manager.ui.dialogs.form import FormDialog, select_data
from camp_manager.ui.widgets.dates import date_edit
from camp_manager.ui.widgets.floor_map import room_title
from camp_manager.ui.widgets.forms import column_edit, show_message, show_note


def note_label(text: str = "", *, warning: bool = False) -> QLabel:
    """A wrapped line of explanation in a form; a warning in red."""
    note = QLabel(text)
    note.setWordWrap(True)
    note.setObjectName("formError" if warning else "hint")
    return note


def room_choice_text(tile: RoomTile) -> str:
    if tile.kind == RoomKind.SHARED_ZONE:
        return tr(
            "{code} · {kind} · {free}석 남음", code=tile.code, kind=label_of(RoomKind, tile.kind), free=tile.seats_free
        )
    return tr("{room} · {floor}층 · {seats}석", room=room_title(tile.code), floor=tile.floor, seats=tile.seats)


@dataclass(frozen=True)
class _CompanyChoice:
    company_id: int
    name: str
    rooms_held: int
    employees: int | None
    resident: bool


def _fill_rooms(combo: QComboBox, tiles: list[RoomTile], keep: int | None) -> None:
    """Private offices first (what most companies get), then shared zones with free seats."""
    combo.blockSignals(True)
    combo.clear()
    for tile in sorted(tiles, key=lambda t: (t.kind != RoomKind.PRIVATE_OFFICE, t.floor, t.code)):
        combo.addItem(room_choice_text(tile), tile.room_id)
    combo.blockSignals(False)
    if keep is None or not select_data(combo, keep):
        combo.setCurrentIndex(0 if tiles else -1)
    combo.currentIndexChanged.emit(combo.currentIndex())


def reread_holder(context: AppContext, holder: TileHolder) -> TileHolder:
    """The allocation as a colleague left it (its end, seats and version): the next OK works from there."""
    with context.unit_of_work() as session:
        stored = fetch(session, Allocation, holder.allocation_id, what=tr("호실 배정"))
        return replace(holder, end_on=stored.end_on, seats=stored.seats, version=stored.version)


def keeping_seats(spin: QSpinBox, refill: Callable[[], None]) -> None:
    """Refill the room choices without losing the seats the user typed (a refill proposes its own)."""
    seats = spin.value()
    refill()
    spin.setValue(seats)


class AllocationDialog(FormDialog):
    """Give a company a room from a date: its first room, an additional one, or an approved request.

    The facility's room policy and the company's rooms are shown; beyond the policy the
    use case requires an override reason, which this dialog asks for visibly.
    """

    def __init__(
        self,
        context: AppContext,
        *,
        facility_id: int,
        company_id: int | None = None,
        room_id: int | None = None,
        request: RequestRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, tr("호실 배정"), parent)
        self.facility_id = facility_id
        self.request = request
        self._wanted_company = request.company_id if request else company_id
        self._wanted_room = room_id
        self._companies: dict[int, _CompanyChoice] = {}
        self._tiles: dict[int, RoomTile] = {}
        self._limit = 1
        self._facility_name = ""

        self.facility_label = QLabel()
        self.add_row(tr("시설"), self.facility_label)
        self.company_combo = QComboBox()
        self.company_combo.setEnabled(self._wanted_company is None)
        self.add_row(tr("기업"), self.company_combo, "company")
        self.start_edit = date_edit(max(context.as_of, request.requested_on) if request else context.as_of)
        self.add_row(tr("배정 시작일"), self.start_edit, "start_on", "move_in")
        self.room_combo = QComboBox()
        self.add_row(tr("호실"), self.room_combo, "room")
        self.no_room_label = note_label(
            tr("이 날짜에 배정할 수 있는 빈 호실이 없습니다. 날짜를 바꾸거나 먼저 다른 배정을 해제하세요."),
            warning=True,
        )
        self.form.addRow("", self.no_room_label)
        self.seats_spin = QSpinBox()
        self.seats_spin.setRange(1, 999)
        self.seats_spin.setSuffix(tr("석"))
        self.add_row(tr("좌석 수"), self.seats_spin, "seats")
        self.policy_label = note_label()
        self.add_row(tr("호실 정책"), self.policy_label)
        self.policy_warning = note_label(
            tr("정책을 넘는 배정입니다. 예외 사유를 입력해야 배정할 수 있습니다(사유는 기록됩니다)."), warning=True
        )
        self.form.addRow("", self.policy_warning)
        self.reason_edit = column_edit(Allocation, "override_reason")
        self.reason_edit.setPlaceholderText(tr("예: 고용 10명 이상 성장기업, 운영위원회 승인"))
        self.add_row(tr("예외 사유"), self.reason_edit, "override_reason")
        self.move_in_note = note_label()
        self.form.addRow("", self.move_in_note)
        self.contract_edit = date_edit(default_contract_end(self.start_on()))
        self.add_row(tr("계약 만료일"), self.contract_edit, "contract_end")
        self.finish_layout()

        self.start_edit.dateChanged.connect(self._start_changed)
        self.company_combo.currentIndexChanged.connect(lambda _index: self._update())
        self.room_combo.currentIndexChanged.connect(lambda _index: self._update())
        self.reason_edit.textChanged.connect(lambda _text: self._highlight_reason())
        self._load_choices()

    # --- data ----------------------------------------------------------------------------
    def start_on(self) -> date:
        return self.start_edit.date().toPython()

    def _start_changed(self, _value) -> None:
        self.contract_edit.setDate(default_contract_end(self.start_on()))
        self._load_choices()

    def reload(self) -> None:
        """After a colleague's save: the request as it stands now (a decided one is refused on OK, saying so),
        and the choices on the start date, keeping what the user chose and typed."""
        if self.request is not None:
            with self.context.unit_of_work() as session:
                log = listings.request_log(session, on=self.context.as_of)
            self.request = next(row for row in log if row.request_id == self.request.request_id)
        keeping_seats(self.seats_spin, self._load_choices)

    def _load_choices(self) -> None:
        """Companies and free rooms as they stand on the start date."""
        on = self.start_on()
        with self.context.unit_of_work() as session:
            plan = floorplan.floor_plan(session, on=on, facility_id=self.facility_id)
            residents = occupancy.residents_on(session, on=on, facility_id=self.facility_id)
            choices = [
                _CompanyChoice(r.company.id, r.company.name, len({h.room.id for h in r.holdings}), r.employees, True)
                for r in residents
            ]
            if self.request is not None and all(c.company_id != self.request.company_id for c in choices):
                stay = residency.residency_on(session, self.request.company_id, on)
                choices.append(
                    _CompanyChoice(self.request.company_id, self.request.company_name, 0, None, stay is not None)
                )
        self._limit = plan.max_rooms_per_company
        self._facility_name = plan.facility_name
        self.facility_label.setText(plan.facility_name)
        self._companies = {c.company_id: c for c in choices}
        self._tiles = {t.room_id: t for t in plan.tiles if t.assignable}

        keep_company = self.company_combo.currentData() or self._wanted_company
        self.company_combo.blockSignals(True)
        self.company_combo.clear()
        for choice in choices:
            self.company_combo.addItem(choice.name, choice.company_id)
        self.company_combo.blockSignals(False)
        if keep_company is None or not select_data(self.company_combo, keep_company):
            self.company_combo.setCurrentIndex(-1 if self._wanted_company is None and choices else 0)
        keep_room = self.room_combo.currentData() or self._wanted_room
        _fill_rooms(self.room_combo, list(self._tiles.values()), keep_room)
        self._update()

    def selected_company(self) -> _CompanyChoice | None:
        return self._companies.get(self.company_combo.currentData())

    def selected_tile(self) -> RoomTile | None:
        return self._tiles.get(self.room_combo.currentData())

    def needs_move_in(self) -> bool:
        company = self.selected_company()
        return self.request is not None and company is not None and not company.resident

    def over_policy(self) -> bool:
        company = self.selected_company()
        return company is not None and allocations.over_room_policy(company.rooms_held, self._limit)

    # --- view ----------------------------------------------------------------------------
    def _update(self) -> None:
        company, tile = self.selected_company(), self.selected_tile()
        shared = tile is not None and tile.kind == RoomKind.SHARED_ZONE
        self.seats_spin.setEnabled(shared)
        if shared:
            self.seats_spin.setMaximum(max(1, tile.seats_free))
            wanted = (
                (company.employees if company and company.employees else None)
                or (self.request.seats_wanted if self.request else 0)
                or 1
            )
            self.seats_spin.setValue(min(wanted, tile.seats_free))
        held = company.rooms_held if company else 0
        title = tr("호실 확장") if held else tr("호실 배정")
        self.setWindowTitle(tr("신청 승인 — {title}", title=title) if self.request else title)
        if company is None:
            self.policy_label.setText(tr("기업당 최대 호실: {limit}개", limit=self._limit))
        else:
            self.policy_label.setText(
                tr(
                    "기업당 최대 호실: {limit}개 · '{name}'은(는) 지금 {held}개 사용 → 배정하면 {after}개",
                    limit=self._limit,
                    name=company.name,
                    held=held,
                    after=held + 1,
                )
            )
        over = self.over_policy()
        show_note(self.policy_warning, over)
        self._highlight_reason()
        move_in = self.needs_move_in()
        self.set_row_visible(self.contract_edit, move_in)
        show_message(
            self.move_in_note,
            tr(
                "'{name}'은(는) 아직 입주 전입니다. 배정 시작일에 {facility} 입주도 함께 처리합니다.",
                name=company.name,
                facility=self._facility_name,
            )
            if move_in
            else None,
        )
        show_note(self.no_room_label, not self._tiles)

    def _highlight_reason(self) -> None:
        """Beyond the policy an empty reason is drawn as missing, before OK is even pressed."""
        self.reason_edit.setProperty("invalid", self.over_policy() and not self.reason_edit.text().strip())
        self.reason_edit.style().unpolish(self.reason_edit)
        self.reason_edit.style().polish(self.reason_edit)

    # --- commit --------------------------------------------------------------------------
    def commit(self, session):
        company, tile = self.selected_company(), self.selected_tile()
        if company is None:
            raise DomainError(tr("배정할 입주기업을 고르세요."), field="company")
        if tile is None:
            raise DomainError(tr("배정할 호실을 고르세요."), field="room")
        on = self.start_on()
        seats = self.seats_spin.value() if tile.kind == RoomKind.SHARED_ZONE else None
        reason = self.reason_edit.text()
        if self.request is not None:
            if self.needs_move_in():
                residency.move_in(
                    session=session,
                    company_id=company.company_id,
                    facility_id=self.facility_id,
                    move_in_on=on,
                    contract_end=self.contract_edit.date().toPython(),
                )
            return requests.approve_request(
                session=session,
                request_id=self.request.request_id,
                room_id=tile.room_id,
                on=on,
                seats=seats,
                override_reason=reason,
                seen_version=self.request.version,
            )
        if company.rooms_held:
            return allocations.expand_into_room(
                session=session,
                company_id=company.company_id,
                room_id=tile.room_id,
                start_on=on,
                seats=seats,
                override_reason=reason,
            )
        return allocations.allocate_room(
            session=session,
            company_id=company.company_id,
            room_id=tile.room_id,
            start_on=on,
            seats=seats,
            override_reason=reason,
        )


class MoveDialog(FormDialog):
    """Move a company from one room to another on a date (one ends, the other starts)."""

    def __init__(
        self,
        context: AppContext,
        *,
        facility_id: int,
        holder: TileHolder,
        from_tile: RoomTile,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, tr("호실 이동"), parent)
        self.facility_id = facility_id
        self.holder = holder
        self._from_room_id = from_tile.room_id
        self._tiles: dict[int, RoomTile] = {}
        self.add_row(tr("기업"), QLabel(holder.company_name))
        self.add_row(
            tr("지금 호실"),
            QLabel(tr("{room} ({start}부터)", room=room_title(from_tile.code), start=holder.start_on.isoformat())),
        )
        self.on_edit = date_edit(max(context.as_of, holder.start_on))
        self.add_row(tr("이동일"), self.on_edit, "on")
        self.room_combo = QComboBox()
        self.add_row(tr("옮길 호실"), self.room_combo, "room")
        self.seats_spin = QSpinBox()
        self.seats_spin.setRange(1, 999)
        self.seats_spin.setSuffix(tr("석"))
        self.add_row(tr("좌석 수"), self.seats_spin, "seats")
        self.form.addRow(
            "", note_label(tr("이동일부터 새 호실을 쓰고, 지금 호실은 그날 비게 됩니다. 이력은 그대로 남습니다."))
        )
        self.finish_layout()
        self.on_edit.dateChanged.connect(lambda _value: self._load_rooms())
        self.room_combo.currentIndexChanged.connect(lambda _index: self._update())
        self._load_rooms()

    def reload(self) -> None:
        """After a colleague's save: the allocation as it stands now; the day, room and seats chosen stay."""
        self.holder = reread_holder(self.context, self.holder)
        keeping_seats(self.seats_spin, self._load_rooms)

    def _load_rooms(self) -> None:
        """The rooms free on the day of the move."""
        with self.context.unit_of_work() as session:
            plan = floorplan.floor_plan(session, on=self.on_edit.date().toPython(), facility_id=self.facility_id)
        self._tiles = {t.room_id: t for t in plan.tiles if t.assignable and t.room_id != self._from_room_id}
        _fill_rooms(self.room_combo, list(self._tiles.values()), self.room_combo.currentData())

    def selected_tile(self) -> RoomTile | None:
        return self._tiles.get(self.room_combo.currentData())

    def _update(self) -> None:
        tile = self.selected_tile()
        shared = tile is not None and tile.kind == RoomKind.SHARED_ZONE
        self.seats_spin.setEnabled(shared)
        if shared:
            self.seats_spin.setMaximum(max(1, tile.seats_free))
            self.seats_spin.setValue(min(max(1, self.holder.seats), tile.seats_free))

    def commit(self, session):
        tile = self.selected_tile()
        if tile is None:
            raise DomainError(tr("옮길 호실을 고르세요."), field="room")
        return allocations.move_to_room(
            session=session,
            allocation_id=self.holder.allocation_id,
            to_room_id=tile.room_id,
            on=self.on_edit.date().toPython(),
            seats=self.seats_spin.value() if tile.kind == RoomKind.SHARED_ZONE else None,
            seen_version=self.holder.version,
        )


class ReleaseDialog(FormDialog):
    """Asks before ending an allocation, and on which day the room becomes free."""

    def __init__(
        self, context: AppContext, *, holder: TileHolder, room_code: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(context, tr("호실 배정 해제"), parent)
        self.holder = holder
        self.question = QLabel(
            tr("'{name}'의 {room} 배정을 해제할까요?", name=holder.company_name, room=room_title(room_code))
        )
        self.question.setWordWrap(True)
        self.form.addRow(self.question)
        self.on_edit = date_edit(max(context.as_of, holder.start_on))
        self.add_row(tr("해제일"), self.on_edit, "on", "allocation")
        self.form.addRow(
            "", note_label(tr("해제일부터 호실이 비게 됩니다. 입주는 그대로이며, 퇴거는 '퇴거 처리'로 하세요."))
        )
        self.ok_button.setText(tr("해제"))
        self.finish_layout()

    def reload(self) -> None:
        """After a colleague's save: the allocation as it stands now; the next OK releases it on the day chosen."""
        self.holder = reread_holder(self.context, self.holder)

    def commit(self, session):
        return allocations.release_room(
            session=session,
            allocation_id=self.holder.allocation_id,
            on=self.on_edit.date().toPython(),
            seen_version=self.holder.version,
        )
