"""Every development tool in tools/ runs on a tiny database, as `python -m tools.<name>`
from the repository root, so none of them can rot unnoticed. Times are printed, never asserted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from PySide6.QtGui import QImage
from sqlmodel import Session

from camp_manager.db.engine import make_engine, unit_of_work
from camp_manager.services.integrity import find_violations
from tests.factories import facility_with_rooms, resident
from tools.scale_demo import SCALE_TODAY, build_scale_database

REPO = Path(__file__).resolve().parent.parent


def run_tool(name: str, *arguments: str, exit_codes: tuple[int, ...] = (0,), timeout: int = 300) -> str:
    """The tool's output; it runs in a process of its own (the Qt tools set up their own application)."""
    done = subprocess.run(
        [sys.executable, "-m", f"tools.{name}", *arguments],
        cwd=REPO,
        capture_output=True,
        encoding="utf-8",
        check=False,
        timeout=timeout,
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
        "dashboard",
        "residents",
        "rooms",
        "requests",
        "mentoring",
        "outcomes",
        "exits",
        "reports",
        "import",
        "settings",
        "welcome",
        "mentoring-dialog-log-session",
        "exits-dialog-exit",
        "dialog-company-new",
        "dialog-company-edit",
        "dialog-floor-rooms",
        "import-2-sheet",
        "import-3-mapping",
        "import-4-preview",
        "import-5-confirm",
        "import-6-summary",
    }
    assert expected <= set(shots)
    for name, path in shots.items():
        assert distinct_colours(path) > 5, f"{name}.png is blank"


def test_the_benchmarks_print_every_figure_against_its_baseline(tmp_path):
    # Exit status 1 says a figure missed its target: on a busy machine it may, and that is no failure here.
    printed = run_tool("benchmarks", "--companies", "60", "--runs", "1", "--keep", str(tmp_path), exit_codes=(0, 1))
    assert "large.sqlite3: 60 companies" in printed
    assert "| figure | median | spread | baseline | ratio | target | met |" in printed
    rows = {
        line.split(" | ")[0].lstrip("| ") for line in printed.splitlines() if line.startswith("| ") and " | " in line
    }
    expected = [
        "`occupancy()` all facilities",
        "monthly report object",
        "monthly report PDF",
        "monthly report Excel",
        "import of 60 rows end to end",
        "dashboard filled, from opening the window",
        "page switch to a painted page",
        "page switch, data filled",
        "Residents page load",
        "Residents search, each keystroke",
        "floor-map redraw on an as-of change",
        "longest UI-thread stall while a report runs",
        "longest UI-thread stall while an import runs",
        "cold start to first paint, large DB",
        "peak memory after visiting every page",
    ]
    assert [name for name in expected if not any(row.startswith(name) for row in rows)] == []
    assert "every figure met its target" in printed or "figures missed their target" in printed


def test_the_sample_reports_are_written_for_each_facility_and_in_english(tiny_db, tmp_path):
    printed = run_tool("report_samples", str(tmp_path), "--db", str(tiny_db))
    written = sorted(path.name for path in tmp_path.iterdir() if path.suffix in (".pdf", ".xlsx"))
    # The month: all facilities and the one facility in Korean, all facilities in English; the year:
    # all facilities in Korean and English; each as PDF and Excel.
    assert len(written) == 10 and len(printed.splitlines()) == 10
    assert sum(name.startswith("monthly_occupancy_All_facilities_2026-10") for name in written) == 2
    assert sum(name.startswith("AnnualPerformance_All_facilities_2025") for name in written) == 2


def test_the_scale_generator_keeps_every_rule_of_the_data(db_path):
    # Few rooms for many companies: offices and lounge seats are contended, so moves and waits happen.
    engine = make_engine(f"sqlite:///{db_path}")
    figures = build_scale_database(engine, today=SCALE_TODAY, companies=400, facilities=2, floors=2, rooms_per_floor=8)
    with Session(engine) as session:
        violations = [(violation.rule, violation.message) for violation in find_violations(session)]
    with engine.connect() as connection:
        counts = dict(
            connection.execute(
                sa.text(
                    "SELECT 'moves', COUNT(*) FROM allocation a JOIN room r ON r.id = a.room_id AND r.kind = 'private_office' "
                    "WHERE a.start_on > (SELECT move_in FROM residency res WHERE res.company_id = a.company_id) "
                    "UNION ALL SELECT 'lounge', COUNT(*) FROM allocation a JOIN room r ON r.id = a.room_id AND r.kind = 'shared_zone' "
                    "UNION ALL SELECT 'waiting', COUNT(*) FROM roomrequest WHERE status = 'open'"
                )
            ).all()
        )
    engine.dispose()
    assert violations[:5] == []
    assert figures.allocations > 2 * figures.stays and counts["moves"] > 0 and counts["lounge"] > 0
    assert figures.residents_today <= 2 * 2 * 8


def test_the_scale_generator_is_repeatable(tmp_path, empty_template):
    def contents(name: str) -> list[tuple]:
        path = tmp_path / name
        path.write_bytes(empty_template.read_bytes())
        engine = make_engine(f"sqlite:///{path}")
        build_scale_database(engine, today=SCALE_TODAY, companies=120, facilities=1, floors=1, rooms_per_floor=10)
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT company_id, room_id, start_on, end_on, seats FROM allocation ORDER BY id")
            ).all()
        engine.dispose()
        return rows

    assert contents("a.sqlite3") == contents("b.sqlite3")


def test_the_build_tool_starts():
    # The build itself (PyInstaller, minutes of CPU) is .ci/check-frozen.sh's job, which runs the frozen programs.
    assert "dist/CampManager" in run_tool("build_app", "--help")
