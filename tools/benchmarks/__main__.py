"""`python -m tools.benchmarks [--companies 10000] [--runs 3]`: every figure, one table."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from camp_manager.db.engine import make_engine
from camp_manager.db.migrate import upgrade
from camp_manager.reporting.monthly import ReportMonth
from tools.benchmarks import Figure, repeat, table
from tools.scale_demo import SCALE_TODAY, build_scale_database

REPORT_MONTH = ReportMonth(2026, 10)


def generate(path: Path, **shape: int):
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    started = time.perf_counter()
    figures = build_scale_database(engine, today=SCALE_TODAY, **shape)
    print(
        f"{path.name}: {figures.companies:,} companies, {figures.rooms:,} rooms, {figures.stays:,} stays, "
        f"{figures.allocations:,} allocations, {figures.sessions:,} mentoring sessions, "
        f"{figures.residents_today:,} residents on {SCALE_TODAY}; generated in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return engine


def probe(kind: str, db: Path, folder: Path, *, visit: bool = False) -> dict[str, float]:
    """From starting a fresh process: seconds until its first window painted (`painted`) and until the app's
    main window did (`main_painted`); with `visit`, its peak memory after every page (`peak_mib`)."""
    home = folder / f"home-{kind}"
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
    }
    command = [sys.executable, "-m", "tools.benchmarks.probe", kind, "--db", str(db)] + (["--visit"] if visit else [])
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, text=True, env=env, cwd=Path(__file__).resolve().parents[2]
    )
    found: dict[str, float] = {}
    for line in process.stdout:
        key, _, value = line.strip().partition(" ")
        if key in ("painted", "main_painted") and key not in found:
            found[key] = time.perf_counter() - started
        elif key == "peak_mib":
            found[key] = float(value)
    if process.wait() != 0 or "painted" not in found:
        raise SystemExit(f"the start-up probe ({kind}) failed")
    return found


def measure_startup(db: Path, folder: Path, runs: int) -> list[Figure]:
    starts = repeat(lambda: probe("app", db, folder), runs)
    start = Figure(
        name="cold start to first paint, large DB",
        unit="s",
        values=[found["painted"] for found in starts],
        baseline=repeat(lambda: probe("bare", db, folder)["painted"], runs),
        baseline_name="bare PySide6 window",
        ratio_limit=3,
    )
    # No target of its own: how long the start window stands before the main window replaces it.
    main_window = Figure(
        name="cold start to the main window painted", unit="s", values=[found["main_painted"] for found in starts]
    )
    memory = Figure(
        name="peak memory after visiting every page",
        unit="MiB",
        values=repeat(lambda: probe("app", db, folder, visit=True)["peak_mib"], runs, warm_up=0),
        baseline=repeat(lambda: probe("bare", db, folder, visit=True)["peak_mib"], runs, warm_up=0),
        baseline_name="bare window",
        limit=200,
    )
    return [start, main_window, memory]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=10_000, help="size of the large database (default 10,000)")
    parser.add_argument("--runs", type=int, default=3, help="samples of each figure, after a warm-up (default 3)")
    parser.add_argument("--keep", type=Path, help="write the databases and files into this folder and keep them")
    args = parser.parse_args(argv)
    from camp_manager.ui.application import take_over_full_collections
    from camp_manager.ui.start import create_application
    from tools.benchmarks import imports, queries, screens

    app = create_application(sys.argv[:1])
    take_over_full_collections(app)  # as the app does once its modules are loaded, before any page reads
    with tempfile.TemporaryDirectory(prefix="camp-bench-") as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        # 2,000 offices at 10,000 companies; as many per company at any size.
        large = generate(
            folder / "large.sqlite3", companies=args.companies, rooms_per_floor=max(2, round(args.companies / 200))
        )
        # One facility with a tenth of the companies in residence during the report month (1,000 at the default size).
        report_db = generate(
            folder / "report.sqlite3",
            companies=round(args.companies * 0.6),
            facilities=1,
            floors=5,
            rooms_per_floor=max(2, round(args.companies * 0.023)),
        )
        figures = [queries.measure_occupancy(large, on=SCALE_TODAY, runs=args.runs)]
        figures += queries.measure_report(report_db, month=REPORT_MONTH, facility_id=1, runs=args.runs, folder=folder)
        import_figure, import_once = imports.measure_import(folder, rows=args.companies, runs=args.runs)
        figures.append(import_figure)
        figures.append(screens.measure_dashboard(app, large, folder, SCALE_TODAY, args.runs))
        figures += screens.measure_page_switches(app, large, folder, SCALE_TODAY, args.runs)
        context = screens.context_for(large, folder, SCALE_TODAY)
        figures += screens.measure_residents(app, context, args.runs)
        figures.append(screens.measure_as_of_switch(app, context, args.runs))
        figures += screens.measure_stalls(
            app,
            report_engine=report_db,
            facility_id=1,
            month=REPORT_MONTH,
            folder=folder,
            import_job=import_once,
            runs=args.runs,
        )
        large.dispose()
        report_db.dispose()
        figures += measure_startup(folder / "large.sqlite3", folder, args.runs)
    load = os.getloadavg()
    print(
        f"\n{os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
        f"medians of {args.runs} runs after a warm-up; {args.companies:,} companies\n"
    )
    print(table(figures))
    missed = [figure.name for figure in figures if not figure.met]
    print(
        "\nevery figure met its target"
        if not missed
        else f"\n{len(missed)} of {len(figures)} figures missed their target"
    )
    return 0 if not missed else 1


if __name__ == "__main__":
    sys.exit(main())
