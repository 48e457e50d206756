"""Render every page (and a few dialogs) to PNG files, offscreen, for the README and for review.

    python -m tools.screenshots --db demo.sqlite3 --out shots/ [--as-of 2026-11-22] [--lang en]

The database is copied first, so nothing in it changes. Besides the pages, it shows the
main dialogs filled in as a manager would fill them, and walks the import wizard through
its six steps with a small resident list made from the shown data, and shows a returned
performance survey's preview and confirm steps.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from contextlib import closing
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import openpyxl
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from camp_manager.db.migrate import open_database
from camp_manager.db.models import RequestKind, SalesRecord
from camp_manager.i18n import LANGUAGES, set_language, tr
from camp_manager.importing.survey import survey_rows
from camp_manager.importing.survey_workbook import save_survey
from camp_manager.services import directory, listings, occupancy
from camp_manager.services.bizno import check_digit, format_bizno
from camp_manager.services.directory import CompanyStatus
from camp_manager.services.floorplan import TileState
from camp_manager.ui.application import install_qt_translations
from camp_manager.ui.context import AppContext, Settings
from camp_manager.ui.dialogs.allocation_dialog import AllocationDialog
from camp_manager.ui.dialogs.company_dialog import CompanyDialog
from camp_manager.ui.dialogs.contract_dialogs import ExtensionDialog, RenewalStartDialog
from camp_manager.ui.dialogs.exit_dialog import ExitDialog
from camp_manager.ui.dialogs.facility_dialogs import FloorRoomsDialog
from camp_manager.ui.dialogs.follow_up_dialog import FollowUpDialog
from camp_manager.ui.dialogs.outcome_dialogs import OutcomeDialog, OutcomesDialog
from camp_manager.ui.dialogs.session_dialog import SessionDialog
from camp_manager.ui.dialogs.support_dialogs import SupportRequestDialog
from camp_manager.ui.main_window import MainWindow
from camp_manager.ui.pages.rooms_page import RoomHistoryDialog
from camp_manager.ui.start import create_application
from camp_manager.ui.workers import wait_for_background

WINDOW_SIZE = (1366, 728)
STEP_TIMEOUT_S = 60


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


def _first_choice(*combos) -> None:
    for combo in combos:
        if combo.count():
            combo.setCurrentIndex(0)


def rooms_dialogs(page) -> list[tuple[str, QWidget]]:
    """Expanding a crowded company over the policy, and that room's history."""
    plan = page.plan
    crowded = (
        next((t for t in plan.tiles if t.state == TileState.OVER_CAPACITY and t.holders[0].rooms_held == 1), None)
        if plan
        else None
    )
    if crowded is None:
        return []
    expand = AllocationDialog(
        page.context, facility_id=plan.facility_id, company_id=crowded.holders[0].company_id, parent=page
    )
    _first_choice(expand.room_combo)
    return [
        ("dialog-expand-over-policy", expand),
        ("dialog-room-history", RoomHistoryDialog(page.context, crowded, parent=page)),
    ]


def requests_dialogs(page) -> list[tuple[str, QWidget]]:
    """Approving the oldest waitlisted company (moved in with its room)."""
    waiting = next((r for r in page.table.visible_rows() if r.kind == RequestKind.WAITLIST and r.is_open), None)
    if waiting is None:
        return []
    dialog = AllocationDialog(page.context, facility_id=waiting.facility_id, request=waiting, parent=page)
    _first_choice(dialog.room_combo)
    return [("dialog-approve-waitlist", dialog)]


def mentoring_dialogs(page) -> list[tuple[str, QWidget]]:
    """Logging a session in one dialog."""
    dialog = SessionDialog(page.context, parent=page)
    _first_choice(dialog.mentor_combo, dialog.company_combo)
    return [("dialog-log-session", dialog)]


def exits_dialogs(page) -> list[tuple[str, QWidget]]:
    """The exit dialog showing what it will close."""
    dialog = ExitDialog(page.context, parent=page)
    if dialog.company_combo.count():
        _first_choice(dialog.company_combo, dialog.reason_combo)
    shown: list[tuple[str, QWidget]] = [("dialog-exit", dialog)]
    due = page.due_table.visible_rows()
    if due:
        follow_up = FollowUpDialog(
            page.context,
            exit_id=due[0].exit_id,
            company_name=due[0].company_name,
            exit_on=due[0].exit_on,
            years_after=due[0].years_after,
            parent=page,
        )
        follow_up.sales_edit.setText("3억")  # not a number: the message shows under the field
        shown.append(("dialog-follow-up", follow_up))
    return shown


def support_dialogs(page) -> list[tuple[str, QWidget]]:
    """Filing a support request for the first resident."""
    dialog = SupportRequestDialog(page.context, parent=page)
    _first_choice(dialog.company_combo)
    dialog.description_edit.setText("광주시 교통과와 자율주행 셔틀 실증")
    return [("dialog-support-request", dialog)]


PAGE_DIALOGS = {
    "rooms": rooms_dialogs,
    "requests": requests_dialogs,
    "mentoring": mentoring_dialogs,
    "support": support_dialogs,
    "exits": exits_dialogs,
}


def write_resident_list(context: AppContext, facility: str, path: Path) -> Path:
    """A resident list as an office sends it: a title row, two of the facility's companies
    (one with a new headcount), a new one, a wrong business number and a total row."""
    with context.unit_of_work() as session:
        residents = [
            r
            for r in directory.company_list(session, on=context.as_of)
            if r.status == CompanyStatus.ACTIVE and r.facility_name == facility
        ][:2]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "입주기업"
    sheet.append(["입주기업 현황 (사업단 제출용)"])
    sheet.append([])
    sheet.append(["No.", "기업명", "대표자", "사업자등록번호", "입주일", "호실", "고용인원", "비고"])
    for number, row in enumerate(residents, start=1):
        employees = (row.employees or 0) + (number == 1)
        sheet.append(
            [
                number,
                row.name,
                row.representative,
                format_bizno(row.biz_reg_no),
                row.move_in,
                ", ".join(row.rooms),
                f"{employees}명",
                "",
            ]
        )
    new_number = "314159265"
    sheet.append(
        [
            len(residents) + 1,
            "새빛로보틱스",
            "정다은",
            format_bizno(new_number + str(check_digit(new_number))),
            "",
            "",
            "3명",
            "입주 심사 중",
        ]
    )
    sheet.append([len(residents) + 2, "오타컴퍼니", "이정우", "123-45-67890", "", "", "", ""])
    sheet.append(["합계", "", "", "", "", "", "", ""])
    workbook.save(path)
    return path


def _settle_until(app: QApplication, done) -> None:
    for _ in range(STEP_TIMEOUT_S * 10):
        _settle(app)
        if done():
            return
        time.sleep(0.1)
    raise SystemExit("the import wizard did not reach its next step")


def render_import_steps(app: QApplication, window: MainWindow, folder: Path, out: Path) -> list[Path]:
    """The import wizard from sheet to summary, on a list made from the shown data."""
    with window.context.unit_of_work() as session:
        facilities = listings.facilities_in_order(session)
    if not facilities:
        print("no facility yet: the import wizard is not walked")
        return []
    page = window.show_page("import")
    # The wizard's default facility is the first one.
    page.file_step.path_edit.setText(
        str(write_resident_list(window.context, facilities[0].name, folder / "입주기업_현황.xlsx"))
    )
    written = []
    for number, step in enumerate(page.LIST_FLOW[1:], start=2):
        page.next()
        _settle_until(app, lambda step=step: page.current_step() == step)
        if step == "confirm":
            page.confirm_step.skip_invalid_check.setChecked(True)  # the list has a row in error: import the others
        written.append(_save(window, out, f"import-{number}-{step}", app))
    return written


def render_survey_import(app: QApplication, window: MainWindow, folder: Path, out: Path) -> list[Path]:
    """The wizard's preview and confirm of a returned performance survey (last year's, of the shown
    data): one company's exports above its sales, another's new sales and headcount. Nothing is written."""
    year = window.context.as_of.year - 1
    with window.context.unit_of_work() as session:
        rows = survey_rows(session, year=year)
        staying = {
            r.company_id
            for r in directory.company_list(session, on=date(year, 12, 31))
            if r.status == CompanyStatus.ACTIVE
        }
    # Two companies still resident at the year's end (a company that left has no year-end headcount).
    shown = [number for number, row in enumerate(rows, start=2) if row.company_id in staying][:2]
    if len(shown) < 2:
        print("fewer than two companies resident at the survey year's end: its import is not shown")
        return []
    path = save_survey(rows, year=year, path=folder / "경영성과_조사표.xlsx")
    workbook = openpyxl.load_workbook(path)
    sales = workbook.worksheets[1]
    for row, values in zip(shown, ({4: 100_000_000, 5: 900_000_000}, {4: 250_000_000, 5: 0, 6: 4, 7: 5}), strict=True):
        for column, value in values.items():
            sales.cell(row, column, value)
    workbook.save(path)
    page = window.show_page("import")
    page.restart()
    page.file_step.path_edit.setText(str(path))
    written = []
    for step in page.SURVEY_FLOW[1:3]:
        page.next()
        _settle_until(app, lambda step=step: page.current_step() == step)
        written.append(_save(window, out, f"import-{step.replace('_', '-')}", app))
    page.survey_preview_step.preview_table.select_first(lambda r: r.status == "error")
    page.back()
    written.append(_save(window, out, "import-survey-preview-error", app))
    return written


def render_window(app: QApplication, context: AppContext, folder: Path, out: Path) -> list[Path]:
    window = MainWindow(context)
    window.resize(*WINDOW_SIZE)
    window.show()
    written = []
    for key in window.pages:
        window.show_page(key)
        written.append(_save(window, out, key, app))
        for name, dialog in PAGE_DIALOGS[key](window.pages[key]) if key in PAGE_DIALOGS else []:
            written.append(_dialog(dialog, out, f"{key}-{name}", app))

    residents = window.show_page("residents")
    residents.detail.setCurrentIndex(1)
    written.append(_save(window, out, "residents-rooms-history", app))
    exits = window.show_page("exits")
    exits.tabs.setCurrentIndex(1)
    written.append(_save(window, out, "exits-follow-ups-due", app))
    exits.tabs.setCurrentIndex(0)
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
        written.append(
            _dialog(CompanyDialog(context, company_id=company_id, parent=window), out, "dialog-company-edit", app)
        )
        residents.select_company(company_id)
        outcomes_dialog = OutcomesDialog(
            context, company_id=company_id, company_name=residents.table.current_row().name, parent=window
        )
        written.append(_dialog(outcomes_dialog, out, "dialog-outcomes", app))
        sales = OutcomeDialog(
            context, model=SalesRecord, company_id=company_id, facts=outcomes_dialog.facts, parent=window
        )
        sales.inputs["sales_krw"].setText("120,000,000")
        sales.inputs["exports_krw"].setText("150,000,000")  # more than the sales: refused under the field
        written.append(_dialog(sales, out, "dialog-outcome-sales", app))
    written += render_renewal(app, context, window, out)
    facility = settings.facilities.facility_table.current_row()
    if facility is not None:
        dialog = FloorRoomsDialog(
            context, facility_id=facility.facility.id, facility_name=facility.facility.name, parent=window
        )
        written.append(_dialog(dialog, out, "dialog-floor-rooms", app))
    written += render_import_steps(app, window, folder, out)  # last: it writes to the (copied) database
    written += render_survey_import(app, window, folder, out)
    window.close()
    return written


def render_renewal(app: QApplication, context: AppContext, window: MainWindow, out: Path) -> list[Path]:
    """The first company on the contracts-ending watch: a renewal started through its dialog (writes to
    the copy), the detail with the renewal in progress, and the extension dialog."""
    with context.unit_of_work() as session:
        ending = occupancy.contracts_ending(session, on=context.as_of)
    if not ending:
        return []
    residents = window.show_page("residents")
    residents.show_item(ending[0].company.id)
    residents.detail.setCurrentIndex(0)
    stay, name = residents.detail.current_stay(), ending[0].company.name
    if stay is None or stay.open_renewal() is not None:
        return []
    start = RenewalStartDialog(context, stay, name, parent=window)
    start.note_edit.setText("재계약 서류 접수, 심사 대기")
    start.resize(start.sizeHint().expandedTo(start.minimumSizeHint()))
    start.show()
    written = [_save(start, out, "dialog-renewal-start", app)]
    start.submit()  # OK, as the manager would: the renewal starts, the dialog closes
    start.deleteLater()
    written.append(_save(window, out, "residents-renewal", app))
    detail = residents.detail
    detail.setCurrentIndex(next(i for i in range(detail.count()) if detail.tabText(i) == tr("고용 이력")))
    written.append(_save(window, out, "residents-headcount", app))
    detail.setCurrentIndex(0)
    stay = residents.detail.current_stay()
    if stay is not None:
        written.append(_dialog(ExtensionDialog(context, stay, name, parent=window), out, "dialog-extension", app))
    return written


def render_welcome(app: QApplication, folder: Path, settings: Settings, as_of: date, out: Path) -> Path:
    engine = open_database(str(folder / "empty.sqlite3"), create=True)
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
    parser.add_argument(
        "--as-of", type=date.fromisoformat, default=date.today(), help="the as-of date (default: today)"
    )
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
            written = render_window(app, AppContext(engine, settings=settings, as_of=args.as_of), folder, args.out)
        finally:
            engine.dispose()
        written.append(render_welcome(app, folder, settings, args.as_of, args.out))
    print(f"{len(written)} screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
