"""The floor map: one painted tile per room, coloured by its state on the as-of date.

Each floor is drawn like the floor of a building: its rooms in rows facing a corridor
(the positions come from `floor_layout.lay_out_floors`). Positions and (elided) texts
are prepared once per plan or width change, so a paint only fills rectangles and draws
prepared strings, and an as-of switch redraws at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolTip, QWidget

from camp_manager.db.models import RoomKind
from camp_manager.i18n import tr
from camp_manager.labels import label, label_of
from camp_manager.services.floorplan import FloorPlan, RoomTile, TileHolder, TileState
from camp_manager.services.occupancy import Tally
from camp_manager.ui.widgets.floor_layout import BAND_PAD, HEADER_H, Box, lay_out_floors


@dataclass(frozen=True)
class StateStyle:
    fill: str
    border: str
    text: str


STATE_STYLES: dict[TileState, StateStyle] = {
    TileState.VACANT: StateStyle("#F7F9FB", "#AEB8C2", "#6B7785"),
    TileState.OCCUPIED: StateStyle("#D9F0E1", "#3E9B63", "#1D3B29"),
    TileState.ENDING_SOON: StateStyle("#FFEDC2", "#D4901A", "#4A3206"),
    TileState.OVER_CAPACITY: StateStyle("#FBD9D6", "#D1453B", "#4F1410"),
    TileState.SHARED: StateStyle("#DCE7F8", "#3F72C2", "#142B4F"),
    TileState.MEETING: StateStyle("#ECE7F5", "#8D7BC2", "#342859"),
}
LEGEND_ORDER = (
    TileState.VACANT,
    TileState.OCCUPIED,
    TileState.ENDING_SOON,
    TileState.OVER_CAPACITY,
    TileState.SHARED,
    TileState.MEETING,
)
BACKGROUND = QColor("#EEF1F5")
BAND_FILL = QColor("#FFFFFF")
BAND_BORDER = QColor("#D5DCE4")
CORRIDOR = QColor("#E6EAEF")
SELECTED = QColor("#16365F")
MATCHED = QColor("#F2B705")
MUTED = QColor("#6B7785")


def room_title(code: str) -> str:
    """'305' reads '305호'; a named room such as '2F-오픈존' keeps its name."""
    return tr("{code}호", code=code) if code.isdigit() else code


def floor_label(floor: int) -> str:
    return tr("{floor}층", floor=floor)


def tally_text(tally: Tally) -> str:
    parts = []
    if tally.rooms_total:
        parts.append(tr("사무실 {used}/{total}", used=tally.rooms_occupied, total=tally.rooms_total))
    if tally.seats_total:
        parts.append(tr("공유 좌석 {used}/{total}", used=tally.seats_used, total=tally.seats_total))
    return " · ".join(parts)


def contract_badge(days_left: int) -> str:
    return tr("D-{days}", days=days_left) if days_left >= 0 else tr("만료 지남")


def tile_tooltip(tile: RoomTile, on: date) -> str:
    """Everything about a room in a few lines: shown on hover, with the full company names."""
    lines = [
        tr(
            "{room} · {kind} · {seats}석 · {area}㎡",
            room=room_title(tile.code),
            kind=label_of(RoomKind, tile.kind),
            seats=tile.seats,
            area=f"{tile.area_m2:g}",
        ),
        label(tile.state),
    ]
    if tile.kind == RoomKind.SHARED_ZONE:
        lines.append(tr("좌석 {used}/{total}석 사용", used=tile.seats_used, total=tile.seats))
    for holder in tile.holders:
        lines.append("")
        lines.append(holder.company_name)
        lines.append(holder_summary(holder))
        lines.append(tr("{start}부터 사용", start=holder.start_on.isoformat()))
        if holder.contract_end is not None:
            days = holder.contract_days_left(on)
            lines.append(
                tr("계약 만료 {date} ({badge})", date=holder.contract_end.isoformat(), badge=contract_badge(days))
            )
        if holder.override_reason:
            lines.append(tr("정책 예외 사유: {reason}", reason=holder.override_reason))
    return "\n".join(lines)


def holder_summary(holder: TileHolder) -> str:
    """'직원 4명 · 5석'; a headcount nobody recorded says so rather than '?명'."""
    if holder.rooms_held > 1:
        space = tr("{rooms}실 {seats}석", rooms=holder.rooms_held, seats=holder.seats_held)
        people = tr("직원 미기록") if holder.employees is None else tr("{employees}명", employees=holder.employees)
    else:
        space = tr("{seats}석", seats=holder.seats_held)
        people = tr("직원 미기록") if holder.employees is None else tr("직원 {employees}명", employees=holder.employees)
    return f"{people} · {space}"


@dataclass
class _PlacedTile:
    tile: RoomTile
    rect: QRectF
    name_lines: list[str] = field(default_factory=list)
    badge: str = ""
    footer: str = ""


@dataclass
class _PlacedFloor:
    floor: int
    rect: QRectF
    title: str
    summary: str
    corridors: list[QRectF]


class FloorMapWidget(QWidget):
    """Paints the tiles of a FloorPlan; reports selection, activation and context menus."""

    selectionChanged = Signal(object)  # RoomTile | None
    activated = Signal(object)  # RoomTile
    contextMenuRequested = Signal(object, QPoint)  # RoomTile, global position

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.setAccessibleName(tr("층별 호실 배치도"))
        self._plan: FloorPlan | None = None
        self._floor: int | None = None
        self._placed: list[_PlacedTile] = []
        self._floors: list[_PlacedFloor] = []
        self._selected: int | None = None  # room id
        self._needle = ""
        self._matches: set[int] = set()
        self._laid_out_width = -1
        self._fonts = _Fonts(self.font())

    # --- data in ---------------------------------------------------------------------
    def set_plan(self, plan: FloorPlan, floor: int | None = None) -> None:
        """Show `plan` (one floor, or every floor for None); keeps the selected room if it is there."""
        self._plan = plan
        self._floor = floor if floor is None or floor in plan.floors else None
        self._matches = self._find(self._needle)
        self._relayout()
        if self._selected is not None and self._placed_for(self._selected) is None:
            self._selected = None
        self.selectionChanged.emit(self.selected_tile())

    def set_floor(self, floor: int | None) -> None:
        if self._plan is not None:
            self.set_plan(self._plan, floor)

    def tiles(self) -> list[RoomTile]:
        """The tiles shown, in drawing order."""
        return [p.tile for p in self._placed]

    def tile_rect(self, room_id: int) -> QRectF | None:
        placed = self._placed_for(room_id)
        return None if placed is None else QRectF(placed.rect)

    def tile_texts(self, room_id: int) -> list[str]:
        """What the tile shows in words (code, names, badge, footer): for tests and accessibility."""
        placed = self._placed_for(room_id)
        if placed is None:
            return []
        return [placed.tile.code, *placed.name_lines, placed.badge, placed.footer]

    # --- selection and search ---------------------------------------------------------
    def selected_tile(self) -> RoomTile | None:
        placed = self._placed_for(self._selected) if self._selected is not None else None
        return placed.tile if placed else None

    def select_room(self, room_id: int | None) -> None:
        if room_id == self._selected:
            return
        self._selected = room_id if room_id is not None and self._placed_for(room_id) else None
        self.update()
        self.selectionChanged.emit(self.selected_tile())

    def set_highlight(self, text: str) -> list[int]:
        """Outline the rooms whose holders' names contain `text`; returns their room ids."""
        self._needle = text.strip().casefold()
        self._matches = self._find(self._needle)
        self.update()
        return [p.tile.room_id for p in self._placed if p.tile.room_id in self._matches]

    def _find(self, needle: str) -> set[int]:
        if not needle or self._plan is None:
            return set()
        return {
            tile.room_id
            for tile in self._plan.tiles
            if any(needle in holder.company_name.casefold() for holder in tile.holders)
        }

    def _placed_for(self, room_id: int) -> _PlacedTile | None:
        return next((p for p in self._placed if p.tile.room_id == room_id), None)

    def _placed_at(self, point: QPointF) -> _PlacedTile | None:
        return next((p for p in self._placed if p.rect.contains(point)), None)

    # --- layout ------------------------------------------------------------------------
    def sizeHint(self) -> QSize:
        return QSize(900, max(self.minimumHeight(), 400))

    def _relayout(self) -> None:
        self._placed, self._floors = [], []
        self._laid_out_width = self.width()
        if self._plan is None:
            self.setMinimumHeight(0)
            self.update()
            return
        layout = lay_out_floors(self._plan.tiles_on(self._floor), self.width())
        self._fonts = metrics = _Fonts(self.font())
        self._placed = [self._prepare(placed.tile, _rect(placed.box), metrics) for placed in layout.tiles]
        self._floors = [
            _PlacedFloor(
                floor=band.floor,
                rect=_rect(band.box),
                title=floor_label(band.floor),
                summary=tally_text(self._plan.floors[band.floor]),
                corridors=[_rect(corridor) for corridor in band.corridors],
            )
            for band in layout.floors
        ]
        self.setMinimumHeight(int(layout.height))
        self.update()

    def _prepare(self, tile: RoomTile, rect: QRectF, fonts: _Fonts) -> _PlacedTile:
        on = self._plan.on
        text_w = rect.width() - 14
        placed = _PlacedTile(tile=tile, rect=rect)
        if tile.kind == RoomKind.MEETING_ROOM:
            placed.name_lines = [label(TileState.MEETING)]
            placed.footer = tr("{seats}석", seats=tile.seats)
        elif tile.kind == RoomKind.SHARED_ZONE:
            names = ", ".join(h.company_name for h in tile.holders) or tr("비어 있음")
            placed.name_lines = wrap_name(names, fonts.name, text_w, lines=1)
            placed.footer = tr(
                "{used}/{total}석 · {count}개사", used=tile.seats_used, total=tile.seats, count=len(tile.holders)
            )
        elif not tile.holders:
            placed.name_lines = [label(TileState.VACANT)]
            placed.footer = tr("{seats}석 · {area}㎡", seats=tile.seats, area=f"{tile.area_m2:g}")
        else:
            holder = tile.holders[0]
            placed.name_lines = wrap_name(holder.company_name, fonts.name, text_w, lines=2)
            placed.footer = fonts.small.elidedText(holder_summary(holder), Qt.TextElideMode.ElideRight, text_w)
            if tile.state == TileState.OVER_CAPACITY:
                placed.badge = tr("{employees}명/{seats}석", employees=holder.employees, seats=holder.seats_held)
            elif tile.state == TileState.ENDING_SOON:
                placed.badge = contract_badge(holder.contract_days_left(on))
        return placed

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.width() != self._laid_out_width:
            self._relayout()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._relayout()

    # --- painting ------------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), BACKGROUND)
        fonts = self._fonts
        if self._plan is None or not self._placed:
            painter.setPen(MUTED)
            painter.setFont(fonts.name_font)
            painter.drawText(
                self.rect(),
                Qt.AlignmentFlag.AlignCenter,
                tr("이 시설에는 호실이 없습니다. 설정에서 호실을 추가하세요."),
            )
            return
        exposed = QRectF(event.rect())
        for band in self._floors:
            if band.rect.intersects(exposed):
                self._paint_floor(painter, band, fonts)
        for placed in self._placed:
            if placed.rect.adjusted(-4, -4, 4, 4).intersects(exposed):
                self._paint_tile(painter, placed, fonts)

    def _paint_floor(self, painter: QPainter, band: _PlacedFloor, fonts: _Fonts) -> None:
        painter.setPen(QPen(BAND_BORDER, 1))
        painter.setBrush(BAND_FILL)
        painter.drawRoundedRect(band.rect, 8, 8)
        header = QRectF(
            band.rect.left() + BAND_PAD, band.rect.top() + BAND_PAD - 2, band.rect.width() - 2 * BAND_PAD, HEADER_H - 6
        )
        painter.setFont(fonts.header_font)
        painter.setPen(QColor("#1F2A37"))
        painter.drawText(header, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, band.title)
        title_w = fonts.header.horizontalAdvance(band.title)
        painter.setFont(fonts.small_font)
        painter.setPen(MUTED)
        painter.drawText(
            header.adjusted(title_w + 12, 0, 0, 0),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            band.summary,
        )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(CORRIDOR)
        for corridor in band.corridors:
            painter.drawRoundedRect(corridor, 4, 4)

    def _paint_tile(self, painter: QPainter, placed: _PlacedTile, fonts: _Fonts) -> None:
        tile, rect = placed.tile, placed.rect
        style = STATE_STYLES[tile.state]
        border = QPen(QColor(style.border), 1.5)
        if tile.state == TileState.VACANT:
            border.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(border)
        painter.setBrush(QColor(style.fill))
        painter.drawRoundedRect(rect, 6, 6)

        text_color = QColor(style.text)
        inner = rect.adjusted(7, 5, -7, -5)
        painter.setFont(fonts.code_font)
        painter.setPen(text_color)
        painter.drawText(inner, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, tile.code)
        if placed.badge:
            room_w = fonts.code.horizontalAdvance(tile.code) + 6
            self._paint_badge(painter, placed.badge, inner, inner.width() - room_w, QColor(style.border), fonts)

        painter.setFont(fonts.name_font)
        painter.setPen(MUTED if tile.state == TileState.VACANT else text_color)
        line_h = fonts.name.height()
        top = inner.top() + fonts.code.height() + 3
        for index, line in enumerate(placed.name_lines):
            painter.drawText(
                QRectF(inner.left(), top + index * line_h, inner.width(), line_h),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                line,
            )

        painter.setFont(fonts.small_font)
        painter.setPen(MUTED if tile.state == TileState.VACANT else text_color)
        footer = QRectF(inner.left(), inner.bottom() - fonts.small.height(), inner.width(), fonts.small.height())
        if tile.kind == RoomKind.SHARED_ZONE and tile.seats:
            bar_w = min(inner.width() * 0.45, 120.0)
            bar = QRectF(inner.right() - bar_w, footer.center().y() - 4, bar_w, 8)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#FFFFFF"))
            painter.drawRoundedRect(bar, 4, 4)
            painter.setBrush(QColor(style.border))
            painter.drawRoundedRect(
                QRectF(bar.left(), bar.top(), bar_w * min(1.0, tile.seats_used / tile.seats), 8), 4, 4
            )
            painter.setPen(text_color)
            footer.setRight(bar.left() - 6)
        painter.drawText(footer, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, placed.footer)

        outline = SELECTED if tile.room_id == self._selected else MATCHED if tile.room_id in self._matches else None
        if outline is not None:
            painter.setPen(QPen(outline, 3))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(-2.5, -2.5, 2.5, 2.5), 8, 8)

    @staticmethod
    def _paint_badge(painter: QPainter, text: str, inner: QRectF, room: float, colour: QColor, fonts: _Fonts) -> None:
        """A pill in the top right corner, never over the room code (elided when the tile is narrow)."""
        text = fonts.badge.elidedText(text, Qt.TextElideMode.ElideRight, room - 10)
        if not text:
            return
        width = fonts.badge.horizontalAdvance(text) + 10
        height = fonts.badge.height() + 2
        badge = QRectF(inner.right() - width, inner.top(), width, height)
        path = QPainterPath()
        path.addRoundedRect(badge, height / 2, height / 2)
        painter.fillPath(path, colour)
        painter.setFont(fonts.badge_font)
        painter.setPen(QColor("#FFFFFF"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)

    # --- interaction ---------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:
        placed = self._placed_at(event.position())
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.select_room(placed.tile.room_id if placed else None)
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event) -> None:
        placed = self._placed_at(event.position())
        if placed is not None:
            self.activated.emit(placed.tile)

    def contextMenuEvent(self, event) -> None:
        if event.reason() == event.Reason.Mouse:
            placed = self._placed_at(QPointF(event.pos()))
        else:
            placed = self._placed_for(self._selected) if self._selected is not None else None
        if placed is None:
            return
        self.select_room(placed.tile.room_id)
        position = (
            event.globalPos()
            if event.reason() == event.Reason.Mouse
            else self.mapToGlobal(placed.rect.center().toPoint())
        )
        self.contextMenuRequested.emit(placed.tile, position)

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected_tile() is not None:
            self.activated.emit(self.selected_tile())
            return
        if key == Qt.Key.Key_Escape:
            self.select_room(None)
            return
        moves = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1)}
        if key in moves and self._placed:
            self._move_selection(*moves[key])
            return
        super().keyPressEvent(event)

    def _move_selection(self, dx: int, dy: int) -> None:
        current = self._placed_for(self._selected) if self._selected is not None else None
        if current is None:
            self.select_room(self._placed[0].tile.room_id)
            return
        if dx:
            index = self._placed.index(current) + dx
            if 0 <= index < len(self._placed):
                self.select_room(self._placed[index].tile.room_id)
            return
        centre = current.rect.center()
        candidates = [p for p in self._placed if (p.rect.center().y() - centre.y()) * dy > 1]
        if candidates:
            nearest = min(
                candidates, key=lambda p: (abs(p.rect.center().y() - centre.y()), abs(p.rect.center().x() - centre.x()))
            )
            self.select_room(nearest.tile.room_id)
        target = self._placed_for(self._selected)
        if target is not None:
            self._ensure_visible(target.rect)

    def _ensure_visible(self, rect: QRectF) -> None:
        # Inside a QScrollArea, the viewport's parent is the area: let it scroll to the tile.
        area = self.parentWidget().parentWidget() if self.parentWidget() else None
        if area is not None and hasattr(area, "ensureVisible"):
            area.ensureVisible(int(rect.center().x()), int(rect.center().y()), int(rect.width()), int(rect.height()))

    def scroll_to_room(self, room_id: int) -> None:
        placed = self._placed_for(room_id)
        if placed is not None:
            self._ensure_visible(placed.rect)

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            placed = self._placed_at(QPointF(event.pos()))
            if placed is not None and self._plan is not None:
                QToolTip.showText(
                    event.globalPos(), tile_tooltip(placed.tile, self._plan.on), self, placed.rect.toRect()
                )
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)


def _rect(box: Box) -> QRectF:
    return QRectF(box.x, box.y, box.width, box.height)


class _Fonts:
    """The few fonts a tile uses, derived from the widget's font (NanumGothic)."""

    def __init__(self, base: QFont) -> None:
        self.code_font = QFont(base)
        self.code_font.setBold(True)
        self.code_font.setPointSizeF(base.pointSizeF() * 1.0)
        self.name_font = QFont(base)
        self.name_font.setPointSizeF(base.pointSizeF() * 0.95)
        self.small_font = QFont(base)
        self.small_font.setPointSizeF(base.pointSizeF() * 0.8)
        self.badge_font = QFont(self.small_font)
        self.badge_font.setBold(True)
        self.header_font = QFont(base)
        self.header_font.setBold(True)
        self.header_font.setPointSizeF(base.pointSizeF() * 1.15)
        self.code = QFontMetricsF(self.code_font)
        self.name = QFontMetricsF(self.name_font)
        self.small = QFontMetricsF(self.small_font)
        self.badge = QFontMetricsF(self.badge_font)
        self.header = QFontMetricsF(self.header_font)


# A legal form written before the name without a space: never a line of its own on a tile.
LEGAL_PREFIXES = ("(주)", "㈜", "(유)", "(재)", "(사)", "(합)")
# Common last words of Korean company names: a tile breaks a name before them (클라우드|스튜디오).
NAME_ENDINGS = (
    "스튜디오",
    "솔루션즈",
    "솔루션",
    "헬스케어",
    "에너지",
    "바이오",
    "로보틱스",
    "시스템즈",
    "시스템",
    "테크놀로지",
    "테크",
    "소프트",
    "네트웍스",
    "웍스",
    "모빌리티",
    "플랫폼",
    "인사이트",
    "시큐리티",
    "다이나믹스",
    "랩스",
    "에이아이",
    "컴퍼니",
    "코리아",
    "파트너스",
    "그룹",
    "미디어",
    "커머스",
    "디자인",
    "메디컬",
    "엔지니어링",
)


def _legal_prefix(text: str) -> str:
    return next((prefix for prefix in LEGAL_PREFIXES if text.startswith(prefix)), "")


def _line_break(text: str, fits: int, metrics: QFontMetricsF, width: float) -> int:
    """Where to end the first line of `text`, of which `fits` characters fit on it.

    After a space if there is one; else before a common name ending; else in the middle of
    the name (after its legal prefix, which stays with the name); else where the line is full.
    """
    prefix = len(_legal_prefix(text))
    space = text.rfind(" ", prefix + 1, fits + 1)
    if space > 0:
        return space
    for ending in sorted(NAME_ENDINGS, key=len, reverse=True):
        at = text.find(ending, prefix + 1)
        if 0 < at <= fits and metrics.horizontalAdvance(text[at:]) <= width:
            return at
    half = prefix + math.ceil((len(text) - prefix) / 2)
    if half <= fits and metrics.horizontalAdvance(text[half:]) <= width:
        return half  # 클라우드|스튜디오 rather than 클라우드스튜디|오
    return fits


def wrap_name(text: str, metrics: QFontMetricsF, width: float, *, lines: int) -> list[str]:
    """Up to `lines` lines of `text`, the last one elided; see `_line_break` for where lines end."""
    result: list[str] = []
    rest = text.strip()
    while rest and len(result) < lines - 1 and metrics.horizontalAdvance(rest) > width:
        fits = len(rest)
        while fits > 1 and metrics.horizontalAdvance(rest[:fits]) > width:
            fits -= 1
        cut = _line_break(rest, fits, metrics, width)
        result.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        result.append(metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width))
    return result


class _Swatch(QWidget):
    def __init__(self, style: StateStyle, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._style = style
        self.setFixedSize(16, 16)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(self._style.border), 1.5))
        painter.setBrush(QColor(self._style.fill))
        painter.drawRoundedRect(QRectF(1, 1, 14, 14), 3, 3)


class FloorMapLegend(QWidget):
    """The colours of the map with how many rooms are in each state."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self._labels: dict[TileState, QLabel] = {}
        for state in LEGEND_ORDER:
            layout.addWidget(_Swatch(STATE_STYLES[state]))
            text = QLabel(label(state))
            self._labels[state] = text
            layout.addWidget(text)
            layout.addSpacing(10)
        layout.addStretch(1)

    def set_counts(self, counts: dict[TileState, int]) -> None:
        for state, text in self._labels.items():
            text.setText(f"{label(state)} {counts.get(state, 0)}")

    def label_text(self, state: TileState) -> str:
        return self._labels[state].text()
