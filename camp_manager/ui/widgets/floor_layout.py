"""Where the floor map puts each room: tiles' positions and sizes from the rooms, their
floors and the width available. Plain arithmetic: no widgets, no painting, no Qt.

Each floor is laid out like the floor of a building, the top floor on top: its rooms in
code order fill rows, and every second row faces the one before it across a corridor.
A shared zone takes the width of two offices.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from camp_manager.db.models import RoomKind
from camp_manager.services.floorplan import RoomTile

MARGIN = 12
BAND_PAD = 12
HEADER_H = 28
GAP = 8
TILE_H = 84
MIN_TILE_W = 96
MAX_TILE_W = 150
CORRIDOR_H = 18
FLOOR_GAP = 14
MAX_COLUMNS = 12
MIN_WIDTH = 2 * (MARGIN + BAND_PAD) + 2 * MIN_TILE_W + GAP  # two offices side by side


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class PlacedTile:
    tile: RoomTile
    box: Box


@dataclass(frozen=True)
class FloorBand:
    """A floor's band: its box (header row included) and the corridors between facing rows."""

    floor: int
    box: Box
    corridors: list[Box]


@dataclass(frozen=True)
class FloorLayout:
    tiles: list[PlacedTile]  # in drawing order: floor by floor from the top, row by row
    floors: list[FloorBand]
    height: float  # all the bands need, margins included


def span(tile: RoomTile) -> int:
    """How many columns a room takes."""
    return 2 if tile.kind == RoomKind.SHARED_ZONE else 1


def wanted_columns(units: int) -> int:
    """A few rooms sit in one row; more face each other across a corridor in two."""
    return units if units <= 6 else math.ceil(units / 2)


def rows_of(tiles: Sequence[RoomTile], columns: int) -> list[list[RoomTile]]:
    """Rooms in code order fill rows of `columns`."""
    rows: list[list[RoomTile]] = [[]]
    used = 0
    for tile in tiles:
        width = span(tile)
        if used + width > columns and rows[-1]:
            rows.append([])
            used = 0
        rows[-1].append(tile)
        used += width
    return rows


def lay_out_floors(tiles: Sequence[RoomTile], width: float) -> FloorLayout:
    """Every tile's box for a map `width` wide (never narrower than two offices side by side).

    All floors share one column count, so the rooms line up from floor to floor.
    """
    width = max(width, MIN_WIDTH)
    inner = width - 2 * (MARGIN + BAND_PAD)
    by_floor: dict[int, list[RoomTile]] = {}
    for tile in tiles:
        by_floor.setdefault(tile.floor, []).append(tile)
    wanted = max((wanted_columns(sum(span(t) for t in floor_tiles)) for floor_tiles in by_floor.values()), default=2)
    fitting = int((inner + GAP) // (MIN_TILE_W + GAP))
    columns = max(2, min(wanted, fitting, MAX_COLUMNS))
    tile_w = min(MAX_TILE_W, (inner - (columns - 1) * GAP) / columns)
    band_w = columns * tile_w + (columns - 1) * GAP + 2 * BAND_PAD

    placed: list[PlacedTile] = []
    floors: list[FloorBand] = []
    y = MARGIN
    for floor in sorted(by_floor, reverse=True):  # the top floor on top, as in the building
        top = y
        y += BAND_PAD + HEADER_H
        corridors = []
        for index, row in enumerate(rows_of(by_floor[floor], columns)):
            if index:
                if index % 2:
                    corridors.append(Box(MARGIN + BAND_PAD, y + 2, band_w - 2 * BAND_PAD, CORRIDOR_H - 4))
                    y += CORRIDOR_H
                else:
                    y += GAP * 2
            x = MARGIN + BAND_PAD
            for tile in row:
                tile_span = span(tile)
                box = Box(x, y, tile_w * tile_span + GAP * (tile_span - 1), TILE_H)
                placed.append(PlacedTile(tile, box))
                x += box.width + GAP
            y += TILE_H
        y += BAND_PAD
        floors.append(FloorBand(floor=floor, box=Box(MARGIN, top, band_w, y - top), corridors=corridors))
        y += FLOOR_GAP
    return FloorLayout(tiles=placed, floors=floors, height=y - FLOOR_GAP + MARGIN)
