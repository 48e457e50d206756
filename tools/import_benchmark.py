"""How fast an import is, measured against openpyxl just reading the same file.

`python -m tools.import_benchmark [--rows 10000] [--runs 3]` builds a resident
list (title row, header, one row per company with room, move-in, employees…), a fresh
database with the rooms, then times, on a fresh copy of that database each run:

  import  = open + read + map + check + commit (one transaction), end to end
  openpyxl = `load_workbook(read_only=True)` iterating every value of the sheet

and prints the median of each and their ratio (the goal is ≤ 1.0), in wall-clock time
and in CPU time (steadier on a busy machine). It prints numbers only; no test asserts a time.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import openpyxl

from camp_manager.db.engine import make_engine, unit_of_work
from camp_manager.db.migrate import upgrade
from camp_manager.importing.commit import run_import
from camp_manager.importing.mapping import ListKind, MappingStore, map_columns
from camp_manager.importing.plan import ImportOptions
from camp_manager.importing.read import open_file
from camp_manager.services.bizno import check_digit, format_bizno

FACILITY = "AI 창업캠프"
HEADERS = ["No.", "기업명", "대표자", "사업자등록번호", "분야", "설립일", "입주일", "계약만료일", "호실", "고용인원", "연락처", "이메일", "비고"]
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
        sheet.append([
            index + 1, f"벤치마크기업{index:05d}", "홍길동", format_bizno(head + str(check_digit(head))), FIELDS[index % len(FIELDS)],
            date(2018, 1, 1) + timedelta(days=index % 2000), date(2023, 1, 2) + timedelta(days=index % 600),
            date(2027, 12, 31), f"{room_code(index)}호", f"{index % 30 + 1}명", "062-123-4567",
            f"ceo{index}@example.com", "",
        ])
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

    def __enter__(self) -> Stopwatch:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


def time_openpyxl(path: Path) -> Stopwatch:
    with Stopwatch() as watch:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            for _value in row:
                pass
        workbook.close()
    return watch


def import_file(db: Path, path: Path, store: MappingStore, kind: ListKind | None = None, *, facility: str | None = None) -> Stopwatch:
    engine = make_engine(f"sqlite:///{db}")
    try:
        with Stopwatch() as watch:
            source = open_file(path)
            sheet = source.read_sheet()
            mapping = map_columns(sheet, kind, store=store)
            with unit_of_work(engine) as session:
                result = run_import(session=session, source=source, sheet=sheet, mapping=mapping, options=ImportOptions(facility=facility))
    finally:
        engine.dispose()
    if result.plan.error_rows:
        raise SystemExit(f"benchmark file has errors: {result.plan.error_rows[0].problems[0].message}")
    return watch


def _line(label: str, watches: list[Stopwatch]) -> tuple[float, float]:
    wall = statistics.median(w.wall for w in watches)
    cpu = statistics.median(w.cpu for w in watches)
    print(f"{label:34s} {wall:.3f} s wall, {cpu:.3f} s CPU  (runs: {', '.join(f'{w.wall:.3f}' for w in watches)})")
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        store = MappingStore(path=work / "mappings.json")
        residents = build_resident_list(work / "residents.xlsx", args.rows)
        rooms = build_room_list(work / "rooms.xlsx", args.rows)
        template = work / "template.sqlite3"
        engine = make_engine(f"sqlite:///{template}")
        upgrade(engine)
        engine.dispose()  # every connection closed: the file is whole (no WAL) when copied below
        room_import = import_file(template, rooms, store, ListKind.ROOMS, facility=FACILITY)
        baseline, imports = [], []
        for run in range(args.runs):
            baseline.append(time_openpyxl(residents))
            db = shutil.copyfile(template, work / f"run{run}.sqlite3")
            imports.append(import_file(db, residents, store))
        print(f"rows: {args.rows:,}  file: {residents.stat().st_size / 2**20:.1f} MB  runs: {args.runs}")
        print(f"room list import (setup, {args.rows:,} rooms): {room_import.wall:.2f} s")
        openpyxl_wall, openpyxl_cpu = _line("openpyxl read-only, reading only:", baseline)
        import_wall, import_cpu = _line("import read+check+commit:", imports)
        print(f"ratio import / openpyxl: {import_wall / openpyxl_wall:.2f} wall, {import_cpu / openpyxl_cpu:.2f} CPU  (goal ≤ 1.0)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
