"""The Import page walked like a manager would: file, sheet, column mapping (corrected and
remembered), preview with filters, confirm with "import the valid rows", summary, undo."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from sqlmodel import Session, select

from camp_manager.db.engine import unit_of_work
from camp_manager.db.models import Company, Room
from camp_manager.i18n import set_language
from camp_manager.importing.mapping import MappingStore, map_columns
from camp_manager.importing.read import open_file
from camp_manager.progress import Cancelled
from camp_manager.ui.pages.import_wizard import confirm_step
from camp_manager.ui.pages.import_wizard.page import ImportPage
from tests.factories import facility_with_rooms
from tests.importing_files import ENCRYPTED_WORKBOOK, bizno, csv_file, titled_resident_list
from tests.ui_helpers import app_context, choose, wired

AS_OF = date(2025, 6, 30)
HEADER = ["No.", "업체", "사업자번호", "입주일", "호실", "상시근로자 수(명)", "비고"]


def test_the_page_loads_no_spreadsheet_library_until_a_file_is_read_or_written():
    """openpyxl (with PIL) and calamine, about 10 MiB, load when a file is read or a workbook written."""
    code = (
        "import sys; import camp_manager.ui.pages.import_wizard.page; "
        "print([name for name in ('openpyxl', 'python_calamine') if name in sys.modules])"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "[]"


@pytest.fixture
def page(qtbot, engine, tmp_path):
    with unit_of_work(engine) as session:
        facility_with_rooms(session, name="AI 창업캠프")
    page = ImportPage(app_context(engine, tmp_path, AS_OF))
    qtbot.addWidget(page)
    wired(page)
    page.show()
    return page


@pytest.fixture
def office_file(tmp_path):
    return titled_resident_list(
        tmp_path / "명단.xlsx",
        [
            [1, "딥러닝랩스", bizno(1), "2024.03.02", "301호", "5명", ""],
            [2, "한빛에이아이", bizno(2), "2024-03-04", "1201", 3, "새 호실"],
            [3, "", "123-45-67890", "2024-03-05", "", "", ""],
            [4, "뉴로웍스", bizno(4), "", "", "", ""],
            ["합계", "", "", "", "", "8", ""],
        ],
        header=HEADER,
    )


def companies_in(engine) -> list[str]:
    with Session(engine) as session:
        return sorted(session.exec(select(Company.name)).all())


def click(qtbot, button) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_the_wizard_from_file_to_summary_and_undo(
    page, qtbot, engine, office_file, tmp_path, monkeypatch, qtmodeltester
):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(office_file), ""))
    page.file_step.browse()
    qtbot.waitUntil(lambda: page.current_step() == "sheet", timeout=30_000)
    assert page.sheet_step.sheet_combo.currentText() == "입주기업" and page.sheet_step.header_spin.value() == 4
    assert "4행" in page.sheet_step.sheet_note.text()

    click(qtbot, page.next_button)
    assert page.current_step() == "mapping"
    assert "기업명" in page.mapping_step.missing_label.text() and not page.next_button.isEnabled()
    page.mapping_step.set_column_field(1, "name")  # "업체" is not a header the importer knows
    assert page.mapping_step.missing_label.text() == "" and page.next_button.isEnabled()
    assert page.mapping_step.facility_combo.currentText() == "AI 창업캠프"
    page.mapping_step.create_rooms_check.setChecked(True)

    click(qtbot, page.next_button)
    qtbot.waitUntil(lambda: page.current_step() == "preview", timeout=30_000)
    counts = page.preview_step.counts_label.text()
    assert "새로 등록 3" in counts and "오류 1" in counts and "건너뜀 1" in counts and "1201" in counts
    assert [r.row for r in page.preview_step.visible_rows()] == [7]  # the errors are shown first
    assert "검증번호" in page.preview_step.visible_rows()[0].problems
    choose(page.preview_step.filter_combo, "모든 행")
    assert [(r.row, r.status) for r in page.preview_step.visible_rows()] == [
        (5, "create"),
        (6, "create"),
        (7, "error"),
        (8, "create"),
        (9, "skipped"),
    ]
    page.preview_step.search_edit.setText("한빛")
    assert [r.title for r in page.preview_step.visible_rows()] == ["한빛에이아이"]
    page.preview_step.search_edit.clear()
    qtmodeltester.check(page.preview_step.preview_table.source)

    report = tmp_path / "errors.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(report), ""))
    page.save_error_report()
    qtbot.waitUntil(lambda: page.saved_report is not None, timeout=30_000)
    marked = openpyxl.load_workbook(report).active
    assert [marked[c].fill.fill_type for c in ("B7", "C7", "D7")] == ["solid", "solid", None]

    click(qtbot, page.next_button)
    assert page.current_step() == "confirm" and not page.next_button.isEnabled()
    assert "올바른 3행만" in page.confirm_step.skip_invalid_check.text()
    page.confirm_step.skip_invalid_check.setChecked(True)
    assert companies_in(engine) == []  # nothing written before the import button
    changed = []
    page.context.dataChanged.connect(lambda: changed.append(True))
    click(qtbot, page.next_button)
    qtbot.waitUntil(lambda: page.current_step() == "summary", timeout=30_000)
    assert "새로 등록 3" in page.summary_step.summary_label.text() and changed
    assert companies_in(engine) == ["뉴로웍스", "딥러닝랩스", "한빛에이아이"]
    with Session(engine) as session:
        assert "1201" in session.exec(select(Room.code)).all()
    assert "명단.xlsx" in page.file_step.last_import_label.text()

    # The corrected mapping is remembered for files with the same header.
    again = map_columns(open_file(office_file).read_sheet(), store=MappingStore())
    assert again.remembered and again.column_of("name") == 1

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    click(qtbot, page.summary_step.undo_button)
    qtbot.waitUntil(lambda: "되돌렸습니다" in page.summary_step.summary_label.text(), timeout=30_000)
    assert companies_in(engine) == []
    assert not page.file_step.undo_button.isEnabled()


def test_an_unreadable_file_stays_on_the_first_step_with_a_message(page, qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: shown.append(text))
    page.file_step.path_edit.setText(str(ENCRYPTED_WORKBOOK))
    page.next()
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    assert "암호" in shown[0] and page.current_step() == "file"


def test_a_cancelled_import_changes_nothing(page, qtbot, engine, office_file, monkeypatch):
    def cancelled(**kwargs):
        raise Cancelled()

    informed = []
    monkeypatch.setattr(confirm_step, "run_import", cancelled)
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *a: informed.append(text))
    page.file_step.path_edit.setText(str(office_file))
    page.next()
    qtbot.waitUntil(lambda: page.current_step() == "sheet", timeout=30_000)
    page.next()
    page.mapping_step.set_column_field(1, "name")
    page.next()
    qtbot.waitUntil(lambda: page.current_step() == "preview", timeout=30_000)
    page.next()
    page.confirm_step.skip_invalid_check.setChecked(True)
    page.next()
    qtbot.waitUntil(lambda: bool(informed), timeout=30_000)
    assert "취소" in informed[0] and page.current_step() == "confirm" and page.next_button.isEnabled()
    assert companies_in(engine) == []


def test_in_english_with_an_english_csv(qtbot, engine, tmp_path):
    set_language("en")
    with unit_of_work(engine) as session:
        facility_with_rooms(session, name="AI 창업캠프")
    page = ImportPage(app_context(engine, tmp_path, AS_OF))
    qtbot.addWidget(page)
    wired(page)
    path = csv_file(
        tmp_path / "list.csv",
        [["Company", "Business No.", "Move-in date", "Room"], ["Deep Labs", bizno(5), "2024/03/02", "302"]],
    )
    page.file_step.path_edit.setText(str(path))
    page.next()
    qtbot.waitUntil(lambda: page.current_step() == "sheet", timeout=30_000)
    page.next()
    assert page.next_button.text() == "Next >"
    page.next()
    qtbot.waitUntil(lambda: page.current_step() == "preview", timeout=30_000)
    assert "New 1" in page.preview_step.counts_label.text()
    page.next()
    page.next()
    qtbot.waitUntil(lambda: page.current_step() == "summary", timeout=30_000)
    assert companies_in(engine) == ["Deep Labs"]
