"""How fast the screens are at 10,000 companies: `python -m tools.ui_benchmark`.

Generates a database of 10,000 companies with ten years of history (bulk-inserted, a few
seconds), then measures with the real widgets, offscreen:

- the Residents page loading the whole list (target ≤ 200 ms),
- each keystroke of its search (target ≤ 50 ms),
- switching the as-of date on the Rooms page, floor map redrawn (target ≤ 100 ms).

Each figure is the wall-clock time until the widgets have repainted; the machine's other
load counts too, so run it on a quiet machine. Prints one line per measurement.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from camp_manager.db.migrate import open_database
from camp_manager.services import directory
from camp_manager.ui.application import create_application, freeze_startup_objects
from camp_manager.ui.context import AppContext, Settings
from camp_manager.ui.pages.residents_page import ResidentsPage
from camp_manager.ui.pages.rooms_page import RoomsPage
from tools.scale_demo import build_scale_database

RESIDENTS_LOAD_MS = 200
KEYSTROKE_MS = 50
AS_OF_SWITCH_MS = 100
TYPED = ["스", "스마", "스마트", "스마트랩", "스마트랩스", "스마트랩스 0", "", "1", "12", "123", "123-", "123-4", "123-45", "123-4", ""]


def timed(action: Callable[[], object], app: QApplication) -> float:
    """Milliseconds until `action` is done and its widgets have repainted."""
    start = time.perf_counter()
    action()
    app.processEvents()
    return (time.perf_counter() - start) * 1000


def report(name: str, values: list[float], target: float) -> bool:
    worst = max(values)
    verdict = "ok" if worst <= target else "SLOW"
    print(f"{name:<46} median {statistics.median(values):7.1f} ms   worst {worst:7.1f} ms   target ≤ {target:.0f} ms   {verdict}")
    return worst <= target


def measure_residents(app: QApplication, context: AppContext) -> bool:
    page = ResidentsPage(context)
    page.resize(1190, 780)
    page.show()
    first = timed(page.refresh, app)
    page.set_status_filter(None)  # every company in view: the heaviest list
    freeze_startup_objects()  # as the app does once its window is up
    loads = [timed(page.refresh, app) for _ in range(5)]
    print(f"{'Residents page, first load':<46} {first:7.1f} ms   ({page.table.source.rowCount():,} companies)")
    ok = report("Residents page load (all statuses)", loads, RESIDENTS_LOAD_MS)
    strokes = []
    for text in TYPED:
        strokes.append(timed(lambda text=text: page.search.setText(text), app))
        print(f"    keystroke {text!r:<16} {strokes[-1]:6.1f} ms   {page.table.proxy.rowCount():>6,} shown")
    ok &= report("Residents search, each keystroke", strokes, KEYSTROKE_MS)
    page.close()
    return ok


def measure_as_of_switch(app: QApplication, context: AppContext) -> bool:
    page = RoomsPage(context)
    page.resize(1190, 780)
    page.show()
    page.refresh()
    app.processEvents()
    days = [context.as_of - timedelta(days=91 * step) for step in range(1, 13)]

    def switch(day: date) -> None:
        context.set_as_of(day)
        page.refresh()  # what the main window does for the page in view
        page.repaint()

    values = [timed(lambda day=day: switch(day), app) for day in days]
    ok = report("As-of switch, Rooms page floor map redraw", values, AS_OF_SWITCH_MS)
    page.close()
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.ui_benchmark", description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=10_000)
    parser.add_argument("--db", type=Path, help="use this generated database instead of making a new one")
    parser.add_argument("--keep", type=Path, help="also keep the generated database at this path")
    args = parser.parse_args(argv)
    app = create_application(sys.argv[:1])
    today = date.today()
    with tempfile.TemporaryDirectory(prefix="camp-bench-") as scratch:
        path = args.db or args.keep or Path(scratch) / "bench.sqlite3"
        engine = open_database(str(path), create=args.db is None)
        if args.db is None:
            started = time.perf_counter()
            figures = build_scale_database(engine, today=today, companies=args.companies)
            print(
                f"Generated {figures.companies:,} companies, {figures.facilities} facilities, {figures.rooms:,} rooms, "
                f"{figures.stays:,} stays, {figures.residents_today:,} resident today, {figures.rows:,} rows "
                f"in {time.perf_counter() - started:.1f} s"
            )
        context = AppContext(engine, settings=Settings(QSettings(str(Path(scratch) / "s.ini"), QSettings.Format.IniFormat)), as_of=today)
        with context.unit_of_work() as session:
            started = time.perf_counter()
            directory.company_list(session, on=today)
            print(f"{'(the list query alone)':<46} {(time.perf_counter() - started) * 1000:7.1f} ms")
        ok = measure_residents(app, context)
        ok &= measure_as_of_switch(app, context)
        engine.dispose()
    print("all within target" if ok else "SOME FIGURES ABOVE TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
