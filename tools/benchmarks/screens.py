"""The figures of the screens, with the real widgets, offscreen, on the large database.

Each is the wall-clock time until the widgets have repainted and every background read
the action started has delivered its result (`wait_for_background`), so a page that loads
off the UI thread is timed until it is filled, not only until it returns.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from camp_manager.db.engine import unit_of_work
from camp_manager.progress import Progress
from camp_manager.reporting.generate import ReportFormat, generate_monthly_report
from camp_manager.reporting.monthly import ReportMonth
from camp_manager.ui.context import AppContext, Settings
from camp_manager.ui.main_window import MainWindow, page_factories
from camp_manager.ui.pages.residents_page import ResidentsPage
from camp_manager.ui.pages.rooms_page import RoomsPage
from camp_manager.ui.workers import run_in_background, wait_for_background
from tools.benchmarks import Figure, repeat

TYPED = [
    "스",
    "스마",
    "스마트",
    "스마트랩",
    "스마트랩스",
    "스마트랩스 0",
    "",
    "1",
    "12",
    "123",
    "123-",
    "123-4",
    "123-45",
    "123-4",
    "",
]
TICK_MS = 5


def settled(action: Callable[[], object], app: QApplication) -> float:
    """Milliseconds until `action` is done, its background reads delivered and its widgets repainted."""
    started = time.perf_counter()
    action()
    wait_for_background()
    app.processEvents()
    return (time.perf_counter() - started) * 1000


def context_for(engine, folder: Path, on: date) -> AppContext:
    settings = Settings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
    return AppContext(engine, settings=settings, as_of=on)


def measure_residents(app: QApplication, context: AppContext, runs: int) -> list[Figure]:
    page = ResidentsPage(context)
    page.resize(1190, 780)
    page.show()
    settled(page.refresh, app)
    page.set_status_filter(None)  # every company in view: the heaviest list
    loads = repeat(lambda: settled(page.refresh, app), max(runs, 5))
    strokes = [
        settled(lambda text=text: page.search.setText(text), app) for text in TYPED for _ in range(max(1, runs // 3))
    ]
    companies = f"{page.table.source.rowCount():,} companies"
    page.close()
    return [
        Figure(name=f"Residents page load, {companies}", values=loads, limit=150, worst=True),
        Figure(name="Residents search, each keystroke", values=strokes, limit=30),
    ]


def measure_as_of_switch(app: QApplication, context: AppContext, runs: int) -> Figure:
    page = RoomsPage(context)
    page.resize(1190, 780)
    page.show()
    settled(page.refresh, app)
    days = [context.as_of - timedelta(days=91 * step) for step in range(1, 4 * max(runs, 3) + 1)]

    def switch(day: date) -> None:
        context.set_as_of(day)
        page.refresh()  # what the main window does for the page in view
        page.repaint()

    values = [settled(lambda day=day: switch(day), app) for day in days]
    page.close()
    return Figure(name="floor-map redraw on an as-of change", values=values, limit=100, worst=True)


def open_window(context: AppContext) -> MainWindow:
    window = MainWindow(context)
    window.resize(1360, 860)
    window.show()
    return window


def measure_dashboard(app: QApplication, engine, folder: Path, on: date, runs: int) -> Figure:
    """From opening the main window (on the Dashboard) until the Dashboard is filled."""

    def once() -> float:
        context = context_for(engine, folder, on)
        holder: list[MainWindow] = []
        seconds = settled(lambda: holder.append(open_window(context)), app) / 1000
        holder[0].close()
        holder[0].deleteLater()
        app.processEvents()
        return seconds

    return Figure(name="dashboard filled, from opening the window", unit="s", values=repeat(once, runs), limit=1.0)


def measure_page_switches(app: QApplication, engine, folder: Path, on: date, runs: int) -> list[Figure]:
    """Every page in turn after an as-of change (each reloads when shown): the slowest page of each round."""
    window = open_window(context_for(engine, folder, on))
    wait_for_background()
    keys = [key for key, _ in page_factories() if key != "dashboard"]
    painted: dict[str, list[float]] = {key: [] for key in keys}
    filled: dict[str, list[float]] = {key: [] for key in keys}
    for run in range(runs + 1):
        window.show_page("dashboard")
        settled(lambda day=on - timedelta(days=run % 2): window.context.set_as_of(day), app)
        for key in keys:
            started = time.perf_counter()
            window.show_page(key)
            window.repaint()
            app.processEvents()
            shown = time.perf_counter()
            wait_for_background()
            app.processEvents()
            if run:  # the first round warms up
                painted[key].append((shown - started) * 1000)
                filled[key].append((time.perf_counter() - started) * 1000)
    idle_collection = Figure(
        name="full garbage collection at idle, every page filled",
        values=[collection_ms() for _ in range(runs)],
    )
    window.close()
    slowest_painted = max(keys, key=lambda key: max(painted[key]))
    slowest_filled = max(keys, key=lambda key: max(filled[key]))
    return [
        Figure(
            name=f"page switch to a painted page (slowest: {slowest_painted})",
            values=painted[slowest_painted],
            limit=150,
        ),
        Figure(name=f"page switch, data filled (slowest: {slowest_filled})", values=filled[slowest_filled], limit=300),
        idle_collection,
    ]


def collection_ms() -> float:
    """The full collection the app runs while idle (`ui.workers.FullCollections`): the pause it would be
    if it ran while a manager worked, which the app avoids."""
    started = time.perf_counter()
    gc.collect()
    return (time.perf_counter() - started) * 1000


def _longest_gap(app: QApplication, start: Callable[[Callable[[], None]], None]) -> float:
    """The longest the UI thread went without serving a 5 ms timer while `start`'s job ran, in ms beyond the tick."""
    loop = QEventLoop()
    last, longest = [time.perf_counter()], [0.0]

    def tick() -> None:
        now = time.perf_counter()
        longest[0] = max(longest[0], (now - last[0]) * 1000 - TICK_MS)
        last[0] = now

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)
    timer.start()
    start(loop.quit)
    loop.exec()
    timer.stop()
    app.processEvents()
    return max(longest[0], 0.0)


def measure_stalls(
    app: QApplication,
    *,
    report_engine,
    facility_id: int,
    month: ReportMonth,
    folder: Path,
    import_job: Callable[[], object],
    runs: int,
) -> list[Figure]:
    parent = QWidget()

    def in_background(job: Callable[[Progress], object]) -> Callable[[Callable[[], None]], None]:
        return lambda done: run_in_background(
            parent, title="benchmark", job=job, on_success=lambda _: done(), on_error=lambda error: done()
        )

    def report(progress: Progress) -> object:
        with unit_of_work(report_engine) as session:
            return generate_monthly_report(
                session,
                month=month,
                facility_id=facility_id,
                out_dir=folder,
                formats=[ReportFormat.PDF, ReportFormat.XLSX],
                progress=progress,
            )

    idle = repeat(lambda: _longest_gap(app, lambda done: QTimer.singleShot(1000, done)), runs)
    figures = [
        Figure(
            name="longest UI-thread stall while a report runs",
            values=repeat(lambda: _longest_gap(app, in_background(report)), runs),
            baseline=idle,
            baseline_name="idle",
            limit=50,
            worst=True,  # the longest stall of every run, not a typical one
        ),
        Figure(
            name="longest UI-thread stall while an import runs",
            values=repeat(lambda: _longest_gap(app, in_background(lambda _progress: import_job())), runs, warm_up=0),
            baseline=idle,
            baseline_name="idle",
            limit=50,
            worst=True,  # the longest stall of every run, not a typical one
        ),
    ]
    parent.deleteLater()
    return figures
