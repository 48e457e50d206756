"""Regenerate the sample reports in reports/samples from the demo data, in one command:

    python -m tools.report_samples [OUT_DIR] [--db DATABASE]

Builds the demo in a temporary database (its 'today' fixed at 2026-11-22, as in the
tests), or reads the database given, and writes the October 2026 report as PDF and
Excel: all facilities, each facility, and all facilities in English; and the 2025 annual
performance report of all facilities, in Korean and in English. Every sample carries the
preparing office's name and the approval box (결재란) with its default headings.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date
from pathlib import Path

from sqlmodel import select

from camp_manager.db.engine import make_engine, unit_of_work
from camp_manager.db.migrate import open_database, upgrade
from camp_manager.db.models import Facility
from camp_manager.i18n import language_scope
from camp_manager.reporting.generate import generate_annual_report, generate_monthly_report
from camp_manager.reporting.monthly import ReportMonth
from camp_manager.reporting.options import ReportOptions
from camp_manager.services import demo

DEMO_TODAY = date(2026, 11, 22)
SAMPLE_MONTH = ReportMonth(2026, 10)
SAMPLE_YEAR = 2025  # the last whole year before the demo's today
DEFAULT_OUT = Path("reports") / "samples"
# The office as a manager would type it in Settings, in each sample's language.
OFFICES = {"ko": "AI 창업캠프 운영팀", "en": "AI Startup Camp Operations Team"}


def write_samples(out_dir: Path, db: Path | None = None) -> list[Path]:
    written = []
    with tempfile.TemporaryDirectory() as folder:
        if db is None:
            engine = make_engine(f"sqlite:///{Path(folder) / 'demo.sqlite3'}")
            upgrade(engine)
            with unit_of_work(engine) as session:
                demo.load_demo(session=session, today=DEMO_TODAY)
        else:
            engine = open_database(str(db))
        with unit_of_work(engine) as session:
            facilities = [None, *session.exec(select(Facility.id).order_by(Facility.id))]
        for language, scopes in (("ko", facilities), ("en", [None])):
            options = ReportOptions(office=OFFICES[language], approval=True)
            for facility_id in scopes:
                with language_scope(language), unit_of_work(engine) as session:
                    written += generate_monthly_report(
                        session, month=SAMPLE_MONTH, facility_id=facility_id, out_dir=out_dir, options=options
                    )
            with language_scope(language), unit_of_work(engine) as session:
                written += generate_annual_report(
                    session, year=SAMPLE_YEAR, facility_id=None, out_dir=out_dir, options=options
                )
        engine.dispose()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.report_samples", description=__doc__.splitlines()[0])
    parser.add_argument(
        "out", nargs="?", type=Path, default=DEFAULT_OUT, metavar="OUT_DIR", help=f"default: {DEFAULT_OUT}"
    )
    parser.add_argument("--db", type=Path, help="report on this database instead of a freshly built demo")
    args = parser.parse_args(argv)
    for path in write_samples(args.out, args.db):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
