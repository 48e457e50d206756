"""Settings dialogs: add a facility, add a floor of rooms in one step, stop using a room."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLabel, QSpinBox, QWidget

from camp_manager.db.models import Facility, Room, RoomKind
from camp_manager.i18n import tr
from camp_manager.labels import label
from camp_manager.services import facilities
from camp_manager.services.common import fetch
from camp_manager.ui.context import AppContext
from camp_manager.ui.dialogs.form import FormDialog
from camp_manager.ui.widgets.dates import date_edit, from_qdate
from camp_manager.ui.widgets.forms import column_edit


class FacilityDialog(FormDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, tr("시설 추가"), parent)
        self.name = column_edit(Facility, "name")
        self.address = column_edit(Facility, "address")
        self.max_rooms = QSpinBox()
        self.max_rooms.setRange(1, 20)
        self.add_row(tr("시설 이름 *"), self.name, "name")
        self.add_row(tr("주소"), self.address, "address")
        self.add_row(tr("기업당 최대 호실"), self.max_rooms, "max_rooms_per_company")
        self.finish_layout()

    def commit(self, session) -> Facility:
        return facilities.create_facility(
            session=session,
            name=self.name.text(),
            address=self.address.text(),
            max_rooms_per_company=self.max_rooms.value(),
        )


class FloorRoomsDialog(FormDialog):
    """Rooms first..last on one floor, e.g. 301–320, in one step."""

    def __init__(
        self, context: AppContext, *, facility_id: int, facility_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(context, tr("한 층 호실 추가 — {facility}", facility=facility_name), parent)
        self.facility_id = facility_id
        self.floor = QSpinBox()
        self.floor.setRange(-5, 200)
        self.floor.setValue(3)
        self.first = QSpinBox()
        self.first.setRange(1, 99_999)
        self.last = QSpinBox()
        self.last.setRange(1, 99_999)
        self.kind = QComboBox()
        for kind in (RoomKind.PRIVATE_OFFICE, RoomKind.SHARED_ZONE, RoomKind.MEETING_ROOM):
            self.kind.addItem(label(kind), kind.value)
        self.seats = QSpinBox()
        self.seats.setRange(0, 500)
        self.seats.setValue(4)
        self.area = QDoubleSpinBox()
        self.area.setRange(0, 10_000)
        self.area.setSuffix(" m²")
        self.area.setValue(20.0)
        self.preview = QLabel()
        self.preview.setObjectName("hint")
        self.add_row(tr("층"), self.floor, "floor")
        # A clash names one room code; the numbers are what to change.
        self.add_row(tr("시작 번호"), self.first, "first_number", "code")
        self.add_row(tr("끝 번호"), self.last, "last_number")
        self.add_row(tr("유형"), self.kind, "kind")
        self.add_row(tr("좌석 수"), self.seats, "seats")
        self.add_row(tr("면적"), self.area, "area_m2")
        self.form.addRow("", self.preview)
        self.finish_layout()
        self.floor.valueChanged.connect(self._floor_changed)
        for spin in (self.first, self.last):
            spin.valueChanged.connect(self._update_preview)
        self._floor_changed(self.floor.value())

    def _floor_changed(self, floor: int) -> None:
        if floor > 0:
            self.first.setValue(floor * 100 + 1)
            self.last.setValue(floor * 100 + 20)
        self._update_preview()

    def _update_preview(self) -> None:
        count = self.last.value() - self.first.value() + 1
        self.preview.setText(
            tr(
                "{first}호부터 {last}호까지 {count}실을 만듭니다.",
                first=self.first.value(),
                last=self.last.value(),
                count=count,
            )
            if count > 0
            else tr("끝 번호가 시작 번호보다 작습니다.")
        )

    def commit(self, session) -> list[Room]:
        return facilities.create_floor_rooms(
            session=session,
            facility_id=self.facility_id,
            floor=self.floor.value(),
            first_number=self.first.value(),
            last_number=self.last.value(),
            kind=self.kind.currentData(),
            seats=self.seats.value(),
            area_m2=self.area.value(),
        )


class RetireRoomDialog(FormDialog):
    """Stop counting a room from a day on; its history stays."""

    def __init__(
        self, context: AppContext, *, room_id: int, room_code: str, room_version: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(context, tr("호실 사용 중지 — {code}", code=room_code), parent)
        self.room_id, self.room_version = room_id, room_version
        note = QLabel(
            tr("이 날부터 호실 {code}을(를) 입주율 계산에서 뺍니다. 지난 기록은 그대로 남습니다.", code=room_code)
        )
        note.setWordWrap(True)
        self.form.addRow(note)
        self.on = date_edit(context.as_of)
        # A refusal names the room; the day is what to change.
        self.add_row(tr("사용 중지일"), self.on, "on", "room")
        self.finish_layout()

    def reload(self) -> None:
        """After a colleague's save: the room as it stands now; the next OK retires it from there, or says why not."""
        with self.context.unit_of_work() as session:
            self.room_version = fetch(session, Room, self.room_id, what=tr("호실")).version

    def retire_on(self) -> date:
        return from_qdate(self.on.date())

    def commit(self, session) -> Room:
        return facilities.deactivate_room(
            session=session, room_id=self.room_id, on=self.retire_on(), seen_version=self.room_version
        )
