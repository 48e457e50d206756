"""Rooms (호실 현황): the floor map of a facility on the as-of date, and the room actions.

One `floorplan.floor_plan` call per redraw (a few queries for the shown facility); the
floor tabs and the company search only re-lay the tiles already loaded.
"""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabBar,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from camp_manager.db.engine import unit_of_work
from camp_manager.db.models import RoomKind
from camp_manager.i18n import tr
from camp_manager.labels import label, label_of
from camp_manager.services import floorplan, listings
from camp_manager.services.common import stored_id
from camp_manager.services.floorplan import FloorPlan, RoomHistoryEntry, RoomTile, TileHolder, TileState
from camp_manager.ui.context import AppContext
from camp_manager.ui.dialogs.allocation_dialog import AllocationDialog, MoveDialog, ReleaseDialog
from camp_manager.ui.dialogs.exit_dialog import ExitDialog
from camp_manager.ui.dialogs.form import select_data, set_combo_items
from camp_manager.ui.models.table import Column
from camp_manager.ui.pages.base import Page, page_heading
from camp_manager.ui.style import make_primary
from camp_manager.ui.widgets.floor_map import (
    STATE_STYLES,
    FloorMapLegend,
    FloorMapWidget,
    contract_badge,
    floor_label,
    holder_summary,
    room_title,
)
from camp_manager.ui.widgets.table_view import DataTable
from camp_manager.ui.workers import BackgroundQuery

FACILITY_SETTING = "rooms/facility"
FLOOR_SETTING = "rooms/floor"
ALL_FLOORS = -1  # the floor tab that shows every floor (tab data must not be None)


def plan_summary(plan: FloorPlan) -> str:
    total = plan.total
    parts = [
        tr("{date} 기준", date=plan.on.isoformat()),
        tr("입주기업 {count}곳", count=plan.residents),
        tr(
            "사무실 {used}/{total} ({rate:.0%})",
            used=total.rooms_occupied,
            total=total.rooms_total,
            rate=total.occupancy_rate,
        ),
    ]
    if total.seats_total:
        parts.append(tr("공유 좌석 {used}/{total}", used=total.seats_used, total=total.seats_total))
    return " · ".join(parts)


def attention_text(tile: RoomTile, on: date) -> str:
    """Why a room needs a look, in a few characters: '초과 14/10', '만료 D-6'."""
    holder = tile.holders[0]
    if tile.state == TileState.OVER_CAPACITY:
        return tr("초과 {employees}/{seats}", employees=holder.employees, seats=holder.seats_held)
    return tr("만료 {badge}", badge=contract_badge(holder.contract_days_left(on)))


def attention_order(tile: RoomTile, on: date) -> tuple:
    """Over capacity first (most crowded first), then contracts by days left."""
    holder = tile.holders[0]
    if tile.state == TileState.OVER_CAPACITY:
        return (0, holder.seats_held - (holder.employees or 0), tile.code)
    return (1, holder.contract_days_left(on) or 0, tile.code)


def _section(text: str) -> QLabel:
    section = QLabel(text)
    section.setObjectName("sectionTitle")
    return section


def _holder_columns() -> list[Column[TileHolder]]:
    return [
        Column(title=lambda: tr("기업"), text=lambda h: h.company_name, searchable=True),
        Column(
            title=lambda: tr("직원"),
            text=lambda h: "" if h.employees is None else str(h.employees),
            sort_key=lambda h: h.employees,
            align_right=True,
        ),
        Column(title=lambda: tr("좌석"), text=lambda h: str(h.seats), sort_key=lambda h: h.seats, align_right=True),
    ]


class RoomHistoryDialog(QDialog):
    """Every allocation a room ever had, latest first."""

    def __init__(self, context: AppContext, tile: RoomTile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("{room} 배정 이력", room=room_title(tile.code)))
        self.setMinimumSize(700, 360)
        on = context.as_of
        self.table = DataTable(
            [
                Column(title=lambda: tr("기업"), text=lambda e: e.company_name, searchable=True),
                Column(
                    title=lambda: tr("시작일"), text=lambda e: e.start_on.isoformat(), sort_key=lambda e: e.start_on
                ),
                Column(
                    title=lambda: tr("종료일"),
                    text=lambda e: e.end_on.isoformat() if e.end_on else tr("사용 중"),
                    sort_key=lambda e: e.end_on,
                ),
                Column(
                    title=lambda: tr("사용 기간"),
                    text=lambda e: tr("{days}일", days=e.days(on)),
                    sort_key=lambda e: e.days(on),
                    align_right=True,
                ),
                Column(
                    title=lambda: tr("좌석"), text=lambda e: str(e.seats), sort_key=lambda e: e.seats, align_right=True
                ),
                Column(title=lambda: tr("정책 예외 사유"), text=lambda e: e.override_reason),
            ],
            name="room_history_table",
            widths=(180, 92, 92, 70, 50),
            empty_text=lambda: tr("이 호실은 아직 배정된 적이 없습니다."),
        )
        with context.unit_of_work() as session:
            entries: list[RoomHistoryEntry] = floorplan.room_history(session, room_id=tile.room_id)
        self.table.set_rows(entries)
        self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        note = QLabel(
            tr(
                "{kind} · {floor}층 · {seats}석 · 배정 {count}건",
                kind=label_of(RoomKind, tile.kind),
                floor=tile.floor,
                seats=tile.seats,
                count=len(entries),
            )
        )
        note.setObjectName("hint")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)


class RoomsPage(Page):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.plan: FloorPlan | None = None
        self._query = BackgroundQuery(self)
        # `show_item` in another facility: the tile to go to once that facility's plan is in.
        self._tile_after_load: tuple[int, RoomTile] | None = None

        heading_row, self.subtitle = page_heading(tr("호실 현황"))

        self.facility_combo = QComboBox()
        self.facility_combo.setMinimumWidth(160)
        self.floor_tabs = QTabBar()
        self.floor_tabs.setExpanding(False)
        self.floor_tabs.setDrawBase(False)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(tr("기업 이름으로 찾기"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMaximumWidth(240)
        self.match_label = QLabel()
        self.match_label.setObjectName("hint")
        controls = QHBoxLayout()
        controls.addWidget(QLabel(tr("시설")))
        controls.addWidget(self.facility_combo)
        controls.addSpacing(12)
        controls.addWidget(self.floor_tabs)
        controls.addStretch(1)
        controls.addWidget(self.search_edit)
        controls.addWidget(self.match_label)

        self.legend = FloorMapLegend()
        self.floor_map = FloorMapWidget()
        self.map_scroll = QScrollArea()
        self.map_scroll.setWidgetResizable(True)
        self.map_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.map_scroll.setWidget(self.floor_map)

        self.splitter = QSplitter()
        self.splitter.setObjectName("rooms_splitter")
        self.splitter.addWidget(self.map_scroll)
        self.splitter.addWidget(self._build_side_panel())
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setSizes([900, 300])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(8)
        layout.addLayout(heading_row)
        layout.addLayout(controls)
        layout.addWidget(self.legend)
        layout.addWidget(self.splitter, 1)

        self.facility_combo.currentIndexChanged.connect(self._facility_chosen)
        self.floor_tabs.currentChanged.connect(self._floor_chosen)
        self.search_edit.textChanged.connect(self._search)
        self.search_edit.returnPressed.connect(self.go_to_first_match)
        self.floor_map.selectionChanged.connect(self._show_tile)
        self.floor_map.activated.connect(lambda _tile: self.open_selected())
        self.floor_map.contextMenuRequested.connect(self._tile_menu_requested)
        self._show_tile(None)

    def _build_side_panel(self) -> QWidget:
        panel = QFrame()
        panel.setObjectName("card")
        # No fixed minimum: the panel is as narrow as its widest part allows (the per-floor table asks
        # for its columns' width), so the splitter never clips that table.
        self.room_heading = QLabel()
        self.room_heading.setObjectName("pageTitle")
        self.room_info = QLabel()
        self.room_info.setObjectName("hint")
        self.room_info.setWordWrap(True)
        self.state_chip = QLabel()
        self.state_chip.setMargin(4)
        self.holder_table = DataTable(
            _holder_columns(),
            name="rooms_holders",
            widths=(150, 44, 44),
            empty_text=lambda: tr("이 호실을 쓰는 기업이 없습니다."),
        )
        self.holder_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.holder_table.horizontalHeader().setStretchLastSection(False)
        self.holder_table.setMinimumHeight(60)
        self.holder_table.setMaximumHeight(170)
        self.holder_table.rowActivated.connect(lambda holder: self.context.navigate("residents", holder.company_id))
        self.holder_table.currentRowChanged.connect(self._show_holder)
        self.holder_detail = QLabel()
        self.holder_detail.setWordWrap(True)
        self.holder_detail.setTextFormat(Qt.TextFormat.RichText)
        self.policy_label = QLabel()
        self.policy_label.setObjectName("hint")
        self.policy_label.setWordWrap(True)

        self.allocate_button = make_primary(QPushButton(tr("배정…")))
        self.expand_button = QPushButton(tr("확장…"))
        self.move_button = QPushButton(tr("이동…"))
        self.release_button = QPushButton(tr("해제…"))
        self.history_button = QPushButton(tr("호실 이력"))
        self.exit_button = QPushButton(tr("퇴거 처리…"))
        self.allocate_button.setToolTip(tr("빈 호실이나 공유 좌석에 입주기업을 배정합니다."))
        self.expand_button.setToolTip(tr("이 기업에 호실을 하나 더 배정합니다(기업당 호실 정책 확인)."))
        self.move_button.setToolTip(tr("이 기업을 다른 호실로 옮깁니다."))
        self.release_button.setToolTip(tr("이 기업의 이 호실 배정을 끝냅니다."))
        self.history_button.setToolTip(tr("이 호실의 모든 배정 이력을 봅니다."))
        self.exit_button.setToolTip(tr("이 기업의 퇴거·졸업을 처리합니다."))
        self.allocate_button.clicked.connect(self.allocate)
        self.expand_button.clicked.connect(self.expand)
        self.move_button.clicked.connect(self.move)
        self.release_button.clicked.connect(self.release)
        self.history_button.clicked.connect(self.show_history)
        self.exit_button.clicked.connect(self.record_exit)
        buttons = QGridLayout()
        buttons.setSpacing(6)
        for index, button in enumerate(
            (
                self.allocate_button,
                self.expand_button,
                self.move_button,
                self.release_button,
                self.history_button,
                self.exit_button,
            )
        ):
            buttons.addWidget(button, index // 2, index % 2)

        room = QWidget()
        room_layout = QVBoxLayout(room)
        room_layout.setContentsMargins(0, 0, 0, 0)
        room_layout.setSpacing(6)
        room_layout.addWidget(self.room_heading)
        room_layout.addWidget(self.room_info)
        room_layout.addWidget(self.state_chip, 0, Qt.AlignmentFlag.AlignLeft)
        room_layout.addWidget(_section(tr("사용 기업")))
        room_layout.addWidget(self.holder_table)
        room_layout.addWidget(self.holder_detail)
        room_layout.addStretch(1)
        self.side_stack = QStackedWidget()
        self.side_stack.addWidget(self._build_overview())
        self.side_stack.addWidget(room)

        layout = QVBoxLayout(panel)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.setSpacing(6)
        layout.addWidget(self.side_stack, 1)
        layout.addWidget(self.policy_label)
        layout.addLayout(buttons)
        return panel

    def _build_overview(self) -> QWidget:
        """With no room chosen: each floor's figures and the rooms that need a look, one tab each
        (stacked, the two lists would leave the second one a row or two on a 1366×768 screen)."""
        self.overview_heading = QLabel()
        self.overview_heading.setObjectName("pageTitle")
        self.floor_table = DataTable(
            [
                Column(title=lambda: tr("층"), text=lambda f: floor_label(f[0]), sort_key=lambda f: f[0]),
                Column(
                    title=lambda: tr("사무실"),
                    text=lambda f: f"{f[1].rooms_occupied}/{f[1].rooms_total}" if f[1].rooms_total else "",
                    sort_key=lambda f: f[1].rooms_occupied,
                    align_right=True,
                ),
                Column(
                    title=lambda: tr("사용률"),
                    text=lambda f: f"{f[1].occupancy_rate:.0%}" if f[1].rooms_total else "",
                    sort_key=lambda f: f[1].occupancy_rate,
                    align_right=True,
                ),
                Column(
                    title=lambda: tr("공유 좌석"),
                    text=lambda f: f"{f[1].seats_used}/{f[1].seats_total}" if f[1].seats_total else "",
                    sort_key=lambda f: f[1].seats_used,
                    align_right=True,
                ),
            ],
            name="rooms_floors",
        )
        self.floor_table.fit_columns(stretch=3)
        self.floor_table.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # the top floor first, as on the map
        self.floor_table.rowActivated.connect(lambda row: self._show_floor(row[0]))
        self.attention_table = DataTable(
            [
                Column(title=lambda: tr("호실"), text=lambda t: t.code, sort_key=lambda t: (t.floor, t.code)),
                Column(title=lambda: tr("기업"), text=lambda t: t.holders[0].company_name, searchable=True),
                Column(
                    title=lambda: tr("확인할 점"),
                    text=lambda t: attention_text(t, self.context.as_of),
                    sort_key=lambda t: attention_order(t, self.context.as_of),
                ),
            ],
            name="rooms_attention",
            widths=(52, 120, 76),
            empty_text=lambda: tr("정원 초과나 계약 만료가 가까운 호실이 없습니다."),
        )
        self.attention_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.attention_table.horizontalHeader().setStretchLastSection(False)
        self.attention_table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
        self.attention_table.rowActivated.connect(self._go_to_tile)
        floors = QWidget()
        floors_layout = QVBoxLayout(floors)
        floors_layout.setContentsMargins(0, 6, 0, 0)
        floors_layout.addWidget(self.floor_table)
        floors_layout.addStretch(1)
        self.overview_tabs = QTabWidget()
        self.overview_tabs.setDocumentMode(True)
        self.overview_tabs.addTab(floors, tr("층별 현황"))
        self.overview_tabs.addTab(self.attention_table, "")
        overview = QWidget()
        layout = QVBoxLayout(overview)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.overview_heading)
        hint = QLabel(
            tr("지도에서 호실을 누르면 사용 기업과 할 수 있는 일이 나옵니다. 오른쪽 단추로 메뉴를 열 수도 있습니다.")
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(self.overview_tabs, 1)
        return overview

    # --- the page contract ------------------------------------------------------------
    def title(self) -> str:
        return tr("호실 현황")

    def refresh(self) -> None:
        """Redraw the map for the as-of date: one floor-plan query for the shown facility, read off the
        UI thread (the page stays as it is until the plan arrives)."""
        on, engine = self.context.as_of, self.context.engine
        wanted = self.facility_combo.currentData()
        if wanted is None:
            wanted = self.context.settings.value(FACILITY_SETTING, 0)

        def job() -> tuple[list[tuple[int, str]], FloorPlan | None]:
            with unit_of_work(engine) as session:
                facilities = [(stored_id(f), f.name) for f in listings.facilities_in_order(session)]
                ids = [facility_id for facility_id, _ in facilities]
                chosen = wanted if wanted in ids else next(iter(ids), None)
                return facilities, None if chosen is None else floorplan.floor_plan(session, on=on, facility_id=chosen)

        self._query.run(job, lambda loaded: self._show_loaded(*loaded))

    def _show_loaded(self, facilities: list[tuple[int, str]], plan: FloorPlan | None) -> None:
        set_combo_items(self.facility_combo, facilities, prefer=None if plan is None else plan.facility_id)
        self._show_plan(plan)
        pending, self._tile_after_load = self._tile_after_load, None
        if pending is not None and plan is not None and plan.facility_id == pending[0]:
            self._go_to_tile(pending[1])

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def create_new(self) -> None:
        self.allocate()

    def open_selected(self) -> None:
        tile = self.floor_map.selected_tile()
        if tile is None:
            return
        if tile.assignable and not tile.holders:
            self.allocate()
        else:
            self.show_history()

    def delete_selected(self) -> None:
        self.release()

    def show_item(self, item: object) -> None:
        """`item` is a company id: show the facility and floor of its room and select it."""
        with self.context.unit_of_work() as session:
            facilities = listings.facilities_in_order(session)
            for facility in facilities:
                plan = floorplan.floor_plan(session, on=self.context.as_of, facility_id=facility.id)
                tile = next((t for t in plan.tiles if any(h.company_id == item for h in t.holders)), None)
                if tile is not None:
                    break
            else:
                return
        if self.plan is not None and self.plan.facility_id == plan.facility_id and not self._query.busy:
            self._go_to_tile(tile)
        else:  # another facility redraws through _facility_chosen; the tile is shown when its plan arrives
            self._tile_after_load = (plan.facility_id, tile)
            select_data(self.facility_combo, plan.facility_id)

    # --- loading -----------------------------------------------------------------------
    def _show_plan(self, plan: FloorPlan | None) -> None:
        self.plan = plan
        if plan is None:
            self.subtitle.setText(tr("시설이 없습니다. 설정에서 시설과 호실을 만드세요."))
            self.overview_heading.clear()
            self.floor_table.set_rows([])
            self.floor_table.show_every_row()
            self.attention_table.set_rows([])
            self.overview_tabs.setTabText(1, tr("확인할 호실 ({count})", count=0))
            self.floor_tabs.setEnabled(False)
            self.legend.set_counts({})
            self._show_tile(None)
            return
        self.floor_tabs.setEnabled(True)
        self._set_floor_tabs(plan.floor_numbers())
        self.floor_map.set_plan(plan, self._current_floor())
        self.legend.set_counts(plan.state_counts())
        self.subtitle.setText(plan_summary(plan))
        self.overview_heading.setText(plan.facility_name)
        self.floor_table.set_rows(list(plan.floors.items()))
        self.floor_table.show_every_row()
        attention = [t for t in plan.tiles if t.state in (TileState.OVER_CAPACITY, TileState.ENDING_SOON)]
        self.attention_table.set_rows(attention)
        self.overview_tabs.setTabText(1, tr("확인할 호실 ({count})", count=len(attention)))
        self._search(self.search_edit.text())

    def _set_floor_tabs(self, floors: list[int]) -> None:
        wanted = [ALL_FLOORS, *floors]
        if [self.floor_tabs.tabData(i) for i in range(self.floor_tabs.count())] == wanted:
            return
        keep = (
            self._current_floor() if self.floor_tabs.count() else self.context.settings.value(FLOOR_SETTING, ALL_FLOORS)
        )
        self.floor_tabs.blockSignals(True)
        while self.floor_tabs.count():
            self.floor_tabs.removeTab(0)
        for floor in wanted:
            index = self.floor_tabs.addTab(tr("전체 층") if floor == ALL_FLOORS else floor_label(floor))
            self.floor_tabs.setTabData(index, floor)
        self.floor_tabs.setCurrentIndex(wanted.index(keep) if keep in wanted else 0)
        self.floor_tabs.blockSignals(False)

    def _current_floor(self) -> int | None:
        floor = self.floor_tabs.tabData(self.floor_tabs.currentIndex()) if self.floor_tabs.count() else None
        return None if floor in (None, ALL_FLOORS) else floor

    def _select_floor_of(self, tile: RoomTile) -> None:
        if self._current_floor() not in (None, tile.floor):
            for index in range(self.floor_tabs.count()):
                if self.floor_tabs.tabData(index) == tile.floor:
                    self.floor_tabs.setCurrentIndex(index)

    def _facility_chosen(self, _index: int) -> None:
        self.context.settings.set_value(FACILITY_SETTING, self.facility_combo.currentData())
        self.refresh()

    def _floor_chosen(self, index: int) -> None:
        self.context.settings.set_value(FLOOR_SETTING, self.floor_tabs.tabData(index))
        self.floor_map.set_floor(self._current_floor())

    # --- searching for a company --------------------------------------------------------
    def _search(self, text: str) -> None:
        matches = self.floor_map.set_highlight(text)
        elsewhere = 0
        if text.strip() and self.plan is not None:
            needle = text.strip().casefold()
            elsewhere = sum(
                1
                for t in self.plan.tiles
                if t.room_id not in matches and any(needle in h.company_name.casefold() for h in t.holders)
            )
        if not text.strip():
            self.match_label.clear()
        elif elsewhere:
            self.match_label.setText(tr("{count}곳 (다른 층 {other}곳)", count=len(matches), other=elsewhere))
        else:
            self.match_label.setText(tr("{count}곳", count=len(matches)))

    def _go_to_tile(self, tile: RoomTile) -> None:
        self._select_floor_of(tile)
        self.floor_map.select_room(tile.room_id)
        self.floor_map.scroll_to_room(tile.room_id)

    def _show_floor(self, floor: int) -> None:
        for index in range(self.floor_tabs.count()):
            if self.floor_tabs.tabData(index) == floor:
                self.floor_tabs.setCurrentIndex(index)

    def go_to_first_match(self) -> None:
        """Enter in the search box: show the first room of a matching company, on its floor."""
        needle = self.search_edit.text().strip().casefold()
        if not needle or self.plan is None:
            return
        tile = next((t for t in self.plan.tiles if any(needle in h.company_name.casefold() for h in t.holders)), None)
        if tile is not None:
            self._go_to_tile(tile)

    # --- the selected room --------------------------------------------------------------
    def selected_tile(self) -> RoomTile | None:
        return self.floor_map.selected_tile()

    def selected_holder(self) -> TileHolder | None:
        tile = self.selected_tile()
        if tile is None or not tile.holders:
            return None
        return self.holder_table.current_row() or tile.holders[0]

    def _show_tile(self, tile: RoomTile | None) -> None:
        has_facility = self.facility_combo.currentData() is not None
        self.side_stack.setCurrentIndex(0 if tile is None else 1)
        if tile is None:
            self.holder_table.set_rows([])
            self._show_holder(None)
        else:
            self.room_heading.setText(room_title(tile.code))
            self.room_info.setText(
                tr(
                    "{kind} · {floor}층 · {seats}석 · {area}㎡",
                    kind=label_of(RoomKind, tile.kind),
                    floor=tile.floor,
                    seats=tile.seats,
                    area=f"{tile.area_m2:g}",
                )
            )
            style = STATE_STYLES[tile.state]
            chip = label(tile.state)
            if tile.kind == RoomKind.SHARED_ZONE:
                chip = tr("{label} · {used}/{total}석 사용", label=chip, used=tile.seats_used, total=tile.seats)
            self.state_chip.setText(chip)
            self.state_chip.setStyleSheet(
                f"background: {style.fill}; border: 1px solid {style.border}; color: {style.text}; border-radius: 4px; font-weight: bold;"
            )
            self.state_chip.show()
            self.holder_table.set_rows(list(tile.holders))
            if tile.holders:
                self.holder_table.selectRow(0)
            else:
                self._show_holder(None)
        if self.plan is not None:
            self.policy_label.setText(
                tr(
                    "{facility} 호실 정책: 기업당 최대 {limit}개. 넘으면 예외 사유가 필요합니다.",
                    facility=self.plan.facility_name,
                    limit=self.plan.max_rooms_per_company,
                )
            )
        holder = tile is not None and bool(tile.holders)
        self.allocate_button.setEnabled(has_facility and (tile is None or tile.assignable))
        self.expand_button.setEnabled(holder)
        self.move_button.setEnabled(holder)
        self.release_button.setEnabled(holder)
        self.exit_button.setEnabled(holder)
        self.history_button.setEnabled(tile is not None)

    def _show_holder(self, holder: TileHolder | None) -> None:
        """The chosen company's figures: what decides over capacity, contract end, policy exception."""
        if holder is None:
            self.holder_detail.clear()
            self.holder_detail.hide()
            return
        lines = [
            f"<b>{escape(holder.company_name)}</b>",
            escape(holder_summary(holder)),
            escape(tr("{start}부터 사용", start=holder.start_on.isoformat())),
        ]
        if holder.contract_end is not None:
            badge = contract_badge(holder.contract_days_left(self.context.as_of))
            lines.append(escape(tr("계약 만료 {date} ({badge})", date=holder.contract_end.isoformat(), badge=badge)))
        if holder.over_capacity:
            lines.append(
                f"<span style='color:#B3261E'>{escape(tr('직원이 좌석보다 많습니다: 확장 신청을 확인하세요.'))}</span>"
            )
        if holder.override_reason:
            lines.append(escape(tr("정책 예외 사유: {reason}", reason=holder.override_reason)))
        self.holder_detail.setText("<br>".join(lines))
        self.holder_detail.show()

    def tile_menu(self, tile: RoomTile) -> QMenu:
        """The context menu of a tile: the same actions as the buttons, for that room."""
        menu = QMenu(self)
        for text, slot, enabled in (
            (tr("배정…"), self.allocate, tile.assignable),
            (tr("확장: 이 기업에 호실 추가…"), self.expand, bool(tile.holders)),
            (tr("다른 호실로 이동…"), self.move, bool(tile.holders)),
            (tr("배정 해제…"), self.release, bool(tile.holders)),
            (None, None, False),
            (tr("호실 이력"), self.show_history, True),
            (tr("퇴거 처리…"), self.record_exit, bool(tile.holders)),
        ):
            if text is None:
                menu.addSeparator()
                continue
            action = menu.addAction(text)
            action.setEnabled(enabled)
            action.triggered.connect(slot)
        return menu

    def _tile_menu_requested(self, tile: RoomTile, position: QPoint) -> None:
        self.tile_menu(tile).exec(position)

    # --- actions -------------------------------------------------------------------------
    def _run(self, dialog: QDialog) -> bool:
        return dialog.exec() == QDialog.DialogCode.Accepted

    def allocate(self) -> bool:
        facility_id = self.facility_combo.currentData()
        if facility_id is None:
            return False
        tile = self.selected_tile()
        room_id = tile.room_id if tile is not None and tile.assignable else None
        return self._run(AllocationDialog(self.context, facility_id=facility_id, room_id=room_id, parent=self))

    def expand(self) -> bool:
        holder = self.selected_holder()
        if holder is None:
            return False
        return self._run(
            AllocationDialog(
                self.context, facility_id=self.facility_combo.currentData(), company_id=holder.company_id, parent=self
            )
        )

    def move(self) -> bool:
        holder, tile = self.selected_holder(), self.selected_tile()
        if holder is None:
            return False
        return self._run(
            MoveDialog(
                self.context, facility_id=self.facility_combo.currentData(), holder=holder, from_tile=tile, parent=self
            )
        )

    def release(self) -> bool:
        holder, tile = self.selected_holder(), self.selected_tile()
        if holder is None:
            return False
        return self._run(ReleaseDialog(self.context, holder=holder, room_code=tile.code, parent=self))

    def show_history(self) -> None:
        tile = self.selected_tile()
        if tile is not None:
            RoomHistoryDialog(self.context, tile, parent=self).exec()

    def record_exit(self) -> bool:
        holder = self.selected_holder()
        if holder is None:
            return False
        return self._run(ExitDialog(self.context, company_id=holder.company_id, parent=self))
