"""The outcomes dialog (성과) of a company: records added through the form (a bad value refused under
its field as the user types), files of evidence attached, refused when they are not what they say,
and saved back out; opened from the Residents page."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from camp_manager.clock import FixedClock
from camp_manager.db.engine import unit_of_work
from camp_manager.db.models import SalesRecord
from camp_manager.services import evidence, facilities, outcomes
from camp_manager.ui.dialogs.outcome_dialogs import OutcomeDialog, OutcomesDialog
from camp_manager.ui.pages.residents_page import ResidentsPage
from tests.dialog_guard import unexpected_dialogs_fail  # noqa: F401 (a fixture)
from tests.factories import resident
from tests.ui_helpers import app_context, choose, drive_dialogs, wired

pytestmark = pytest.mark.usefixtures("unexpected_dialogs_fail")

DAY = date(2024, 5, 20)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def company_id(engine) -> int:
    with unit_of_work(engine) as session:
        facility = facilities.create_facility(session=session, name="AI 창업캠프")
        return resident(session, facility, name="딥러닝랩스", move_in_on=date(2023, 1, 2)).id


@pytest.fixture
def dialog(qtbot, engine, tmp_path, company_id):
    context = app_context(engine, tmp_path, DAY)
    context.clock = FixedClock(DAY)
    shown = OutcomesDialog(context, company_id=company_id, company_name="딥러닝랩스")
    qtbot.addWidget(shown)
    return shown


def sales_rows(dialog: OutcomesDialog) -> list[tuple[int, int, int]]:
    return [
        (r.record.year, r.record.sales_krw, r.record.exports_krw)
        for r in dialog.tab_of[SalesRecord].table.visible_rows()
    ]


def test_a_sales_record_added_through_the_form_after_a_bad_value_is_refused(monkeypatch, dialog):
    def fill(form: OutcomeDialog) -> None:
        form.inputs["year"].setValue(2023)
        choose(form.inputs["half"], "연간")
        form.inputs["sales_krw"].setText("100,000,000")
        form.inputs["exports_krw"].setText("250,000,000")  # more than the sales: refused as typed
        assert "수출액이 매출액보다 큽니다" in form.error_text("exports_krw")
        form.inputs["exports_krw"].setText("열두원")
        assert "원 단위 숫자로 입력하세요" in form.error_text("exports_krw")
        form.submit()
        assert form.result() == 0, "a value that cannot be read is not saved"
        form.inputs["exports_krw"].setText("30,000,000원")
        assert form.error_text("exports_krw") == ""
        form.submit()

    drive_dialogs(monkeypatch, OutcomeDialog, fill)
    dialog.tab_of[SalesRecord].add_button.click()
    assert sales_rows(dialog) == [(2023, 100_000_000, 30_000_000)]
    assert dialog.tab_of[SalesRecord].table.source.data(dialog.tab_of[SalesRecord].table.source.index(0, 3)) == "없음"


def test_a_year_after_today_is_refused_under_the_year(monkeypatch, dialog):
    def fill(form: OutcomeDialog) -> None:
        form.inputs["year"].setValue(2025)
        form.inputs["sales_krw"].setText("1")
        assert "2024년 이전" in form.error_text("year")
        form.submit()
        form.reject()

    drive_dialogs(monkeypatch, OutcomeDialog, fill)
    dialog.tab_of[SalesRecord].add_button.click()
    assert sales_rows(dialog) == []


def with_sales_record(engine, company_id) -> int:
    with unit_of_work(engine) as session:
        data = outcomes.SalesInput(company_id=company_id, year=2023, half=0, sales_krw=5_000, exports_krw=0)
        return outcomes.record_outcome(session=session, data=data).id


def test_evidence_attached_counted_and_saved_back(monkeypatch, engine, company_id, dialog, tmp_path):
    record_id = with_sales_record(engine, company_id)
    dialog.reload()
    tab = dialog.tab_of[SalesRecord]
    tab.table.select_first(lambda r: r.record.id == record_id)
    offered = tmp_path / "부가세신고서.pdf"
    offered.write_bytes(PDF)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(offered), ""))
    tab.attach_button.click()
    [row] = tab.table.visible_rows()
    assert [f.file_name for f in row.files] == ["부가세신고서.pdf"]
    assert tab.table.source.data(tab.table.source.index(0, 3)) == "1개"
    assert "부가세신고서.pdf" in tab.files_label.text()

    out = tmp_path / "saved.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    tab.table.select_first(lambda r: r.record.id == record_id)
    tab.save_button.click()
    assert out.read_bytes() == PDF


def test_a_renamed_program_is_refused_with_the_reason(monkeypatch, engine, company_id, dialog, tmp_path):
    record_id = with_sales_record(engine, company_id)
    dialog.reload()
    tab = dialog.tab_of[SalesRecord]
    tab.table.select_first(lambda r: r.record.id == record_id)
    renamed = tmp_path / "setup.pdf"
    renamed.write_bytes(b"MZ\x90\x00" + b"\x00" * 60)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(renamed), ""))
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a: warnings.append(text))
    tab.attach_button.click()
    assert len(warnings) == 1 and "이름만 바뀐 파일" in warnings[0]
    with unit_of_work(engine) as session:
        assert evidence.evidence_of(session, evidence.record_kind_of(SalesRecord), [record_id]) == {}


def test_delete_asks_first(monkeypatch, engine, company_id, dialog):
    with_sales_record(engine, company_id)
    dialog.reload()
    tab = dialog.tab_of[SalesRecord]
    tab.table.select_first(lambda r: True)
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answers.pop(0))
    tab.delete_button.click()
    assert len(sales_rows(dialog)) == 1
    tab.table.select_first(lambda r: True)
    tab.delete_button.click()
    assert sales_rows(dialog) == []


def test_the_residents_page_opens_the_outcomes_of_the_selected_company(
    monkeypatch, qtbot, engine, tmp_path, company_id
):
    page = ResidentsPage(app_context(engine, tmp_path, DAY))
    qtbot.addWidget(page)
    wired(page)
    page.select_company(company_id)
    opened = drive_dialogs(monkeypatch, OutcomesDialog, lambda d: d.reject())
    page.detail.outcomes_button.click()
    assert [d.windowTitle() for d in opened] == ["성과 — 딥러닝랩스"]
