"""How fast an import is, against calamine just reading the same file.

Builds a resident list (title row, header, one row per company with room, move-in,
employees…) and a database with the rooms, then times, on a fresh copy of that database
each run, open + read + map + check + commit (one transaction), end to end.
"""

from __future__ import annotations

import itertools
import shutil
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Self

import openpyxl
from python_calamine import CalamineWorkbook

from camp_manager.db.engine import make_engine, unit_of_work
from camp_manager.db.migrate import upgrade
from camp_manager.importing.commit import run_import
from camp_manager.importing.mapping import ListKind, MappingStore, map_columns
from camp_manager.importing.plan import ImportOptions
from camp_manager.importing.read import open_file
from camp_manager.services.bizno import check_digit, format_bizno
from tools.benchmarks import Figure, repeat

FACILITY = "AI 창업캠프"
HEADERS = [
    "No.",
    "기업명",
    "대표자",
    "사업자등록번호",
    "분야",
    "설립일",
    "입주일",
    "계약만료일",
    "호실",
    "고용인원",
    "연락처",
    "이메일",
    "비고",
]
FIELDS = ["빅데이터", "헬스케어", "에너지", "콘텐츠", "플랫폼", "보안", "자동차", "제조", "교육", "핀테크", "기타"]


def room_code(index: int) -> str:
    return f"{index // 100 + 1}{index % 100:02d}"


def build_resident_list(path: Path, rows: int) -> Path:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("입주기업")
    sheet.append([f"{FACILITY} 입주기업 현황"])
    sheet.append([])
    sheet.append(HEADERS)
    for index in range(rows):
        head = f"{100_000_000 + index:09d}"
        sheet.append(
            [
                index + 1,
                f"벤치마크기업{index:05d}",
                "홍길동",
                format_bizno(head + str(check_digit(head))),
                FIELDS[index % len(FIELDS)],
                date(2018, 1, 1) + timedelta(days=index % 2000),
                date(2023, 1, 2) + timedelta(days=index % 600),
                date(2027, 12, 31),
                f"{room_code(index)}호",
                f"{index % 30 + 1}명",
                "062-123-4567",
                f"ceo{index}@example.com",
                "",
            ]
        )
    workbook.save(path)
    return path


def build_room_list(path: Path, rows: int) -> Path:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("호실")
    sheet.append(["시설", "층", "호실", "유형", "좌석 수", "면적(㎡)"])
    for index in range(rows):
        sheet.append([FACILITY, index // 100 + 1, room_code(index), "개별 사무실", 4, 20.5])
    workbook.save(path)
    return path


class Stopwatch:
    """Wall-clock and CPU seconds of a block."""

    def __enter__(self) -> Self:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


def import_file(
    db: Path, path: Path, store: MappingStore, kind: ListKind | None = None, *, facility: str | None = None
) -> Stopwatch:
    engine = make_engine(f"sqlite:///{db}")
    try:
        with Stopwatch() as watch:
            source = open_file(path)
            sheet = source.read_sheet()
            mapping = map_columns(sheet, kind, store=store)
            with unit_of_work(engine) as session:
                result = run_import(
                    session=session,
                    source=source,
                    sheet=sheet,
                    mapping=mapping,
                    options=ImportOptions(facility=facility),
                )
    finally:
        engine.dispose()
    if result.plan.error_rows:
        raise SystemExit(f"benchmark file has errors: {result.plan.error_rows[0].problems[0].message}")
    return watch


def time_calamine(path: Path) -> float:
    """Seconds calamine takes to read every value of the file's first sheet: the floor under any import."""
    with Stopwatch() as watch:
        for row in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python():
            for _value in row:
                pass
    return watch.wall


def prepare_import(folder: Path, *, rows: int) -> tuple[Path, Callable[[], float]]:
    """A `rows`-row resident list, and the import of it end to end (its seconds), each call into a fresh
    copy of a database that holds the rooms."""
    store = MappingStore(path=folder / "mappings.json")
    residents = build_resident_list(folder / "residents.xlsx", rows)
    template = folder / "import-template.sqlite3"
    engine = make_engine(f"sqlite:///{template}")
    upgrade(engine)
    engine.dispose()  # every connection closed: the file is whole (no WAL) when copied below
    import_file(template, build_room_list(folder / "rooms.xlsx", rows), store, ListKind.ROOMS, facility=FACILITY)
    copies = itertools.count()

    def import_once() -> float:
        db = shutil.copyfile(template, folder / f"import-run{next(copies)}.sqlite3")
        return import_file(db, residents, store).wall

    return residents, import_once


def measure_import(folder: Path, *, rows: int, runs: int) -> tuple[Figure, Callable[[], float]]:
    """The import figure, and the import itself for other measurements to run."""
    residents, import_once = prepare_import(folder, rows=rows)
    figure = Figure(
        name=f"import of {rows:,} rows end to end",
        unit="s",
        values=repeat(import_once, runs),
        baseline=repeat(lambda: time_calamine(residents), runs),
        baseline_name="calamine reading",
        ratio_limit=4,
    )
    return figure, import_once
