"""Every development tool in tools/ runs on a tiny database, as `python -m tools.<name>`
from the repository root, so none of them can rot unnoticed. Times are printed, never asserted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from camp_manager.db.engine import make_engine, unit_of_work
from tests.factories import facility_with_rooms, resident

REPO = Path(__file__).resolve().parent.parent


def run_tool(name: str, *arguments: str, exit_codes: tuple[int, ...] = (0,), timeout: int = 300) -> str:
    """The tool's output; it runs in a process of its own (the Qt tools set up their own application)."""
    done = subprocess.run(
        [sys.executable, "-m", f"tools.{name}", *arguments], cwd=REPO, capture_output=True, encoding="utf-8", check=False, timeout=timeout,
    )
    assert done.returncode in exit_codes, done.stdout + done.stderr
    return done.stdout


def distinct_colours(path: Path) -> int:
    """How many colours a coarse grid over the image hits: 1 for a blank picture."""
    image = QImage(str(path))
    assert not image.isNull(), path
    return len({image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)})


@pytest.fixture
def tiny_db(db_path) -> Path:
    engine = make_engine(f"sqlite:///{db_path}")
    with unit_of_work(engine) as session:
        facility, _, _ = facility_with_rooms(session, name="AI 창업캠프")
        resident(session, facility)
    engine.dispose()
    return db_path


def test_the_screenshot_tool_renders_every_page_dialog_and_import_step(tiny_db, tmp_path):
    out = tmp_path / "shots"
    printed = run_tool("screenshots", "--db", str(tiny_db), "--out", str(out), "--as-of", "2025-06-30")
    shots = {path.stem: path for path in out.glob("*.png")}
    assert f"{len(shots)} screenshots in {out}" in printed
    expected = {
        "dashboard", "residents", "rooms", "requests", "mentoring", "exits", "reports", "import", "settings", "welcome",
        "mentoring-dialog-log-session", "exits-dialog-exit", "dialog-company-new", "dialog-company-edit", "dialog-floor-rooms",
        "import-2-sheet", "import-3-mapping", "import-4-preview", "import-5-confirm", "import-6-summary",
    }
    assert expected <= set(shots)
    for name, path in shots.items():
        assert distinct_colours(path) > 5, f"{name}.png is blank"


def test_the_ui_benchmark_measures_the_pages(tmp_path):
    # Exit status 1 says a figure missed its target: on a busy machine it may, and that is no failure here.
    printed = run_tool("ui_benchmark", "--companies", "60", "--keep", str(tmp_path / "scale.sqlite3"), exit_codes=(0, 1))
    assert "Generated 60 companies" in printed
    assert "all within target" in printed or "SOME FIGURES ABOVE TARGET" in printed
    for line in ("Residents page load", "Residents search, each keystroke", "As-of switch, Rooms page floor map redraw"):
        assert line in printed


def test_the_report_benchmark_times_build_pdf_and_excel():
    printed = run_tool("report_benchmark", "--residents", "30", "--runs", "1")
    assert "facility with 30 residents" in printed
    for name in ("build", "pdf", "xlsx"):
        assert f"{name:5s} median" in printed


def test_the_import_benchmark_prints_its_ratio():
    printed = run_tool("import_benchmark", "--rows", "30", "--runs", "1")
    assert "rows: 30" in printed and "ratio import / openpyxl:" in printed


def test_the_sample_reports_are_written_for_each_facility_and_in_english(tiny_db, tmp_path):
    printed = run_tool("report_samples", str(tmp_path), "--db", str(tiny_db))
    written = sorted(path.name for path in tmp_path.iterdir() if path.suffix in (".pdf", ".xlsx"))
    # All facilities and the one facility in Korean, all facilities in English; each as PDF and Excel.
    assert len(written) == 6 and len(printed.splitlines()) == 6
    assert sum(name.startswith("monthly_occupancy_All_facilities_2026-10") for name in written) == 2


def test_the_build_tool_starts():
    # The build itself (PyInstaller, minutes of CPU) is .ci/check-frozen.sh's job, which runs the frozen programs.
    assert "dist/CampManager" in run_tool("build_app", "--help")
