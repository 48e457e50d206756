"""A returned performance survey through the Import page: recognised in the file step (never read as a
resident list), every sheet's verdicts previewed with the errors in full, imported without the bad row,
undone."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from sqlmodel import Session, select

from camp_manager.db.migrate import open_database
from camp_manager.db.models import Company, ImportBatch, InvestmentRound, SalesRecord
from camp_manager.importing.survey import survey_rows
from camp_manager.importing.survey_workbook import save_survey
from camp_manager.progress import Cancelled
from camp_manager.ui.pages.import_wizard import survey_steps
from camp_manager.ui.pages.import_wizard.page import ImportPage
from tests.test_survey import YEAR, db, fill  # noqa: F401 (db: the fixture)
from tests.ui_helpers import app_context, choose, wired


@pytest.fixture
def engine(db):  # noqa: F811 (the fixture imported above)
    engine = open_database(db)
    yield engine
    engine.dispose()


@pytest.fixture
def page(qtbot, engine, tmp_path):
    page = ImportPage(app_context(engine, tmp_path, date(YEAR, 12, 31)))
    qtbot.addWidget(page)
    wired(page)
    page.show()
    return page


@pytest.fixture
def survey(engine, tmp_path):
    """The survey of AI 창업캠프 as its two companies return it: one sales row in error, one investment."""
    with Session(engine) as session:
        rows = survey_rows(session, year=YEAR, facility="AI 창업캠프")
    path = save_survey(rows, year=YEAR, path=tmp_path / "조사표.xlsx")
    first = rows[0].biz_reg_no
    return fill(
        path,
        sales={(2, 4): 100_000_000, (2, 5): 900_000_000, (3, 4): 10_000_000, (3, 6): 2},
        investments=[(first, "딥러닝랩스", "2025-08-01", "지분 투자", 300_000_000, "광주벤처투자")],
    )


def table(engine, model) -> list:
    with Session(engine) as session:
        return list(session.exec(select(model)))


def click(qtbot, button) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_survey_is_previewed_imported_without_its_bad_row_and_undone(page, qtbot, engine, survey, monkeypatch):
    companies, sales_before = table(engine, Company), table(engine, SalesRecord)
    page.file_step.rooms_check.setChecked(True)  # even said to be a room list, a survey is read as a survey
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (survey, ""))
    page.file_step.browse()
    qtbot.waitUntil(lambda: page.current_step() == "survey_preview", timeout=30_000)
    assert page.state.plan is None and page.state.sheet is None and page.step_label.text() == "2 / 4 단계"
    preview = page.survey_preview_step
    assert "매출·고용" in preview.counts_label.text() and "오류 1" in preview.counts_label.text()
    [bad] = preview.visible_rows()  # the errors first
    assert (bad.sheet, bad.row, bad.title) == ("매출·고용", 2, "딥러닝랩스")
    assert "수출액이 매출액보다 큽니다." in bad.problems
    preview.preview_table.select_first(lambda r: r.row == 2)
    assert preview.detail_label.text().startswith("[매출·고용] 2행 · 오류") and bad.problems in (
        preview.detail_label.text()
    )
    choose(preview.filter_combo, "모든 행")
    assert {(r.sheet, r.row, r.status) for r in preview.visible_rows()} >= {
        ("매출·고용", 2, "error"),
        ("매출·고용", 3, "create"),
        ("투자유치", 2, "create"),
    }

    click(qtbot, page.next_button)
    confirm = page.survey_confirm_step
    assert page.current_step() == "survey_confirm" and page.next_button.text() == "가져오기"
    assert not page.next_button.isEnabled() and "경영성과 조사표" in confirm.confirm_label.text()
    confirm.skip_invalid_check.setChecked(True)
    assert table(engine, SalesRecord) == sales_before  # nothing written before the import button
    click(qtbot, page.next_button)
    qtbot.waitUntil(lambda: page.current_step() == "summary", timeout=30_000)
    assert "오류로 뺀 행 1" in page.summary_step.summary_label.text()
    assert {r.sales_krw for r in table(engine, SalesRecord)} == {500_000_000, 10_000_000}
    assert [r.investor for r in table(engine, InvestmentRound)] == ["광주벤처투자"]
    assert table(engine, Company) == companies, "no sheet of the survey was read as a resident list"
    assert "조사표.xlsx" in page.file_step.last_import_label.text()

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    click(qtbot, page.summary_step.undo_button)
    qtbot.waitUntil(lambda: "되돌렸습니다" in page.summary_step.summary_label.text(), timeout=30_000)
    assert table(engine, SalesRecord) == sales_before and table(engine, InvestmentRound) == []
    assert table(engine, ImportBatch)[0].undone_at is not None


def test_the_survey_errors_are_saved_marked_and_a_list_after_it_takes_the_list_steps(
    page, qtbot, survey, tmp_path, monkeypatch
):
    page.file_step.path_edit.setText(survey)
    page.next()
    qtbot.waitUntil(lambda: page.current_step() == "survey_preview", timeout=30_000)
    report = tmp_path / "errors.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(report), ""))
    page.save_error_report()
    qtbot.waitUntil(lambda: page.saved_report is not None, timeout=30_000)
    marked = openpyxl.load_workbook(report)
    assert "수출액이 매출액보다 큽니다." in str([c.value for ws in marked for row in ws.iter_rows() for c in row])

    page.back()
    assert page.current_step() == "file"
    listing = tmp_path / "명단.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["기업명", "사업자등록번호", "입주일"])
    workbook.save(listing)
    page.file_step.path_edit.setText(str(listing))
    page.next()
    qtbot.waitUntil(lambda: page.current_step() == "sheet", timeout=30_000)
    assert page.state.survey is None and page.step_label.text() == "2 / 6 단계"


def test_a_cancelled_survey_import_changes_nothing(page, qtbot, engine, survey, monkeypatch):
    def cancelled(**kwargs):
        raise Cancelled()

    monkeypatch.setattr(survey_steps, "run_survey_import", cancelled)
    informed: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *a: informed.append(text))
    page.file_step.path_edit.setText(survey)
    page.next()
    qtbot.waitUntil(lambda: page.current_step() == "survey_preview", timeout=30_000)
    page.next()
    page.survey_confirm_step.skip_invalid_check.setChecked(True)
    before = table(engine, SalesRecord)
    click(qtbot, page.next_button)
    qtbot.waitUntil(lambda: bool(informed), timeout=30_000)
    assert "아무것도 바뀌지 않았습니다" in informed[0] and page.current_step() == "survey_confirm"
    assert page.next_button.isEnabled() and table(engine, SalesRecord) == before and table(engine, ImportBatch) == []
