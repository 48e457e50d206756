"""The floor map's layout, without any widget: rooms in rows facing a corridor, the top floor
on top, every tile inside its floor's band and none overlapping another."""

from __future__ import annotations

import ast
from itertools import combinations
from pathlib import Path

import pytest

from camp_manager.db.models import RoomKind
from camp_manager.services.floorplan import RoomTile, TileState
from camp_manager.ui.widgets import floor_layout
from camp_manager.ui.widgets.floor_layout import (
    BAND_PAD,
    GAP,
    MAX_TILE_W,
    MIN_TILE_W,
    MIN_WIDTH,
    TILE_H,
    Box,
    FloorLayout,
    lay_out_floors,
)
from tests.test_architecture import QT_MODULES, imported_modules


def room(room_id: int, floor: int, kind: RoomKind = RoomKind.PRIVATE_OFFICE) -> RoomTile:
    return RoomTile(
        room_id=room_id,
        code=f"{floor}{room_id:02d}",
        floor=floor,
        kind=kind.value,
        seats=4,
        area_m2=20.0,
        holders=(),
        state=TileState.VACANT,
        version=1,
    )


def offices(floor: int, count: int, first_id: int = 1) -> list[RoomTile]:
    return [room(first_id + n, floor) for n in range(count)]


def rows(layout: FloorLayout) -> list[list[int]]:
    """Room ids by row, top to bottom."""
    by_y: dict[float, list[int]] = {}
    for placed in layout.tiles:
        by_y.setdefault(placed.box.y, []).append(placed.tile.room_id)
    return [by_y[y] for y in sorted(by_y)]


def inside(inner: Box, outer: Box) -> bool:
    return (
        outer.x <= inner.x
        and outer.y <= inner.y
        and inner.x + inner.width <= outer.x + outer.width
        and inner.y + inner.height <= outer.y + outer.height
    )


def overlap(a: Box, b: Box) -> bool:
    return a.x < b.x + b.width and b.x < a.x + a.width and a.y < b.y + b.height and b.y < a.y + a.height


def test_a_few_rooms_sit_in_one_row():
    layout = lay_out_floors(offices(3, 5), 1200)
    assert rows(layout) == [[1, 2, 3, 4, 5]]
    assert [band.corridors for band in layout.floors] == [[]]


def test_more_rooms_face_each_other_across_a_corridor():
    layout = lay_out_floors(offices(3, 10), 1200)
    assert rows(layout) == [[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]]
    [band] = layout.floors
    [corridor] = band.corridors
    first, second = layout.tiles[0].box, layout.tiles[5].box
    assert first.y + first.height <= corridor.y and corridor.y + corridor.height <= second.y


def test_rows_beyond_the_first_pair_start_a_new_pair_without_a_corridor():
    layout = lay_out_floors(offices(3, 30), 600)  # narrow: rows of five
    assert [len(row) for row in rows(layout)] == [5, 5, 5, 5, 5, 5]
    assert len(layout.floors[0].corridors) == 3


def test_a_shared_zone_takes_two_columns():
    tiles = [*offices(2, 3), room(9, 2, RoomKind.SHARED_ZONE)]
    boxes = {placed.tile.room_id: placed.box for placed in lay_out_floors(tiles, 1200).tiles}
    assert boxes[9].width == pytest.approx(2 * boxes[1].width + GAP)


def test_the_top_floor_is_on_top_and_floors_share_the_columns():
    tiles = [*offices(2, 4, first_id=1), *offices(5, 8, first_id=20)]
    layout = lay_out_floors(tiles, 1200)
    assert [band.floor for band in layout.floors] == [5, 2]
    assert layout.floors[0].box.y < layout.floors[1].box.y
    widths = {placed.box.width for placed in layout.tiles}
    assert len(widths) == 1  # one column width for every floor
    assert layout.height == pytest.approx(layout.floors[-1].box.y + layout.floors[-1].box.height + 12)


@pytest.mark.parametrize("width", [0, 250, MIN_WIDTH, 640, 1190, 4000])
def test_tiles_stay_in_their_band_and_never_overlap(width):
    tiles = [*offices(1, 3), room(50, 1, RoomKind.SHARED_ZONE), *offices(4, 23, first_id=60)]
    layout = lay_out_floors(tiles, width)
    bands = {band.floor: band.box for band in layout.floors}
    assert sorted(p.tile.room_id for p in layout.tiles) == sorted(t.room_id for t in tiles)
    for placed in layout.tiles:
        assert inside(placed.box, bands[placed.tile.floor])
        assert placed.box.height == TILE_H
        assert MIN_TILE_W <= placed.box.width <= 2 * MAX_TILE_W + GAP
    for a, b in combinations(layout.tiles, 2):
        assert not overlap(a.box, b.box), (a.tile.code, b.tile.code)
    for band in layout.floors:
        assert band.box.x + band.box.width <= max(width, MIN_WIDTH)
        for corridor in band.corridors:
            assert inside(corridor, band.box) and corridor.x == band.box.x + BAND_PAD


def test_tiles_never_grow_wider_than_the_widest_office():
    layout = lay_out_floors(offices(3, 4), 4000)
    assert {placed.box.width for placed in layout.tiles} == {MAX_TILE_W}


def test_no_rooms_no_bands():
    layout = lay_out_floors([], 800)
    assert layout.tiles == [] and layout.floors == []


def test_the_layout_needs_no_qt():
    tree = ast.parse(Path(floor_layout.__file__).read_text(encoding="utf-8"))
    assert not {module for module, _, _ in imported_modules(tree)} & QT_MODULES
