"""The guard against unexpected dialogs is on for every Qt test, and it fails them (not hangs)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

GUI_TESTS = """
from PySide6.QtWidgets import QDialog, QMessageBox


def test_a_message_box_nobody_expected(qtbot):
    QMessageBox.warning(None, "저장", "예상하지 못한 경고")


def test_a_modal_dialog_nobody_expected(qtbot):
    dialog = QDialog()
    dialog.setWindowTitle("뜻밖의 대화상자")
    dialog.exec()


def test_a_question_the_test_answers(qtbot, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Yes)
    assert QMessageBox.question(None, "삭제", "지울까요?") == QMessageBox.StandardButton.Yes
"""


def test_an_unexpected_dialog_fails_the_gui_test_that_opened_it(pytester, monkeypatch):
    # The suite's own conftest, so the test proves the wiring every GUI test gets.
    pytester.makeconftest((REPO / "tests" / "conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile(test_gui=GUI_TESTS)
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    # A broken guard would leave the modal dialog waiting: the timeout turns that into a failure.
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-o", "qt_api=pyside6", "--timeout=120")
    result.assert_outcomes(passed=1, failed=2)
    output = result.stdout.str()
    assert "unexpected warning dialog: 저장: 예상하지 못한 경고" in output
    assert "unexpected modal dialog" in output and "뜻밖의 대화상자" in output
    assert "Timeout" not in output
