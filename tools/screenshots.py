"""Render every page (and a few dialogs) to PNG files, offscreen, for the README and for review.

    python -m tools.screenshots --db demo.sqlite3 --out shots/ [--as-of 2026-11-22] [--lang en]

The database is copied first, so nothing in it changes. A page can add its own dialogs to
the set by defining `screenshot_dialogs()` returning (name, widget) pairs.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
from contextlib import closing
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402 (the platform must be chosen first)
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from camp_manager.db.migrate import open_database  # noqa: E402
from camp_manager.i18n import LANGUAGES, set_language  # noqa: E402
from camp_manager.ui.application import create_application, install_qt_translations  # noqa: E402
from camp_manager.ui.context import AppContext, Settings  # noqa: E402
from camp_manager.ui.dialogs.company_dialog import CompanyDialog  # noqa: E402
from camp_manager.ui.dialogs.facility_dialogs import FloorRoomsDialog  # noqa: E402
from camp_manager.ui.main_window import MainWindow  # noqa: E402
from camp_manager.ui.workers import wait_for_background  # noqa: E402

WINDOW_SIZE = (1360, 860)


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy even while the source has a write-ahead log."""
    if not source.is_file():
        raise SystemExit(f"no database file at {source}")
    with closing(sqlite3.connect(source)) as original, closing(sqlite3.connect(target)) as copy:
        original.backup(copy)


def _settle(app: QApplication) -> None:
    for _ in range(3):
        wait_for_background()
        app.processEvents()


def _save(widget: QWidget, out: Path, name: str, app: QApplication) -> Path:
    _settle(app)
    path = out / f"{name}.png"
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    print(path)
    return path


def _dialog(widget: QWidget, out: Path, name: str, app: QApplication) -> Path:
    # Not adjustSize(): it clamps to the offscreen screen's 800×600 and squeezes the form.
    widget.resize(widget.sizeHint().expandedTo(widget.minimumSizeHint()))
    widget.show()
    try:
        return _save(widget, out, name, app)
    finally:
        widget.close()
        widget.deleteLater()


def render_window(app: QApplication, context: AppContext, out: Path) -> list[Path]:
    window = MainWindow(context)
    window.resize(*WINDOW_SIZE)
    window.show()
    written = []
    for key in window.pages:
        window.show_page(key)
        written.append(_save(window, out, key, app))
        extras = getattr(window.pages[key], "screenshot_dialogs", None)
        for name, dialog in extras() if extras else []:
            written.append(_dialog(dialog, out, f"{key}-{name}", app))

    residents = window.show_page("residents")
    residents.detail.setCurrentIndex(1)
    written.append(_save(window, out, "residents-rooms-history", app))
    settings = window.show_page("settings")
    for tab in ("facilities", "database"):
        settings.show_item(tab)
        written.append(_save(window, out, f"settings-{tab}", app))

    new_company = CompanyDialog(context, parent=window)
    new_company.name.setText("뉴로웨이브랩스")
    new_company.biz_reg_no.setText("123-45-67890")  # a wrong check digit, to show the message under the field
    new_company.representative.setText("김하늘")
    written.append(_dialog(new_company, out, "dialog-company-new", app))
    company_id = residents.selected_company_id()
    if company_id is not None:
        written.append(_dialog(CompanyDialog(context, company_id=company_id, parent=window), out, "dialog-company-edit", app))
    facility = settings.facilities.facility_table.current_row()
    if facility is not None:
        dialog = FloorRoomsDialog(context, facility_id=facility.facility.id, facility_name=facility.facility.name, parent=window)
        written.append(_dialog(dialog, out, "dialog-floor-rooms", app))
    window.close()
    return written


def render_welcome(app: QApplication, folder: Path, settings: Settings, as_of: date, out: Path) -> Path:
    engine = open_database(str(folder / "empty.sqlite3"))
    try:
        window = MainWindow(AppContext(engine, settings=settings, as_of=as_of))
        window.resize(*WINDOW_SIZE)
        window.show()
        path = _save(window, out, "welcome", app)
        window.close()
        return path
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.screenshots", description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="the database to show (copied first; a SQLite file)")
    parser.add_argument("--out", required=True, type=Path, help="folder for the PNG files")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date.today(), help="the as-of date (default: today)")
    parser.add_argument("--lang", choices=LANGUAGES, default="ko")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    set_language(args.lang)
    app = create_application(sys.argv[:1])
    install_qt_translations(app, args.lang)
    with tempfile.TemporaryDirectory(prefix="camp-shots-") as scratch:
        folder = Path(scratch)
        copy = folder / "shown.sqlite3"
        copy_database(Path(args.db), copy)
        settings = Settings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
        engine = open_database(str(copy))
        try:
            written = render_window(app, AppContext(engine, settings=settings, as_of=args.as_of), args.out)
        finally:
            engine.dispose()
        written.append(render_welcome(app, folder, settings, args.as_of, args.out))
    print(f"{len(written)} screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
