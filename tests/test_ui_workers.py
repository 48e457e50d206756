"""Background jobs: every completion reaches the UI, and the progress dialog never outlives its job."""

from __future__ import annotations

import linecache
import time

import pytest
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from camp_manager.progress import Progress
from camp_manager.ui import workers
from camp_manager.ui.workers import BackgroundQuery, run_in_background
from tests.dialog_guard import unexpected_dialogs_fail  # noqa: F401 (a fixture)

pytestmark = pytest.mark.usefixtures("unexpected_dialogs_fail")


def progress_dialogs_showing() -> list[QProgressDialog]:
    return [
        widget
        for widget in QApplication.topLevelWidgets()
        if isinstance(widget, QProgressDialog) and widget.isVisible()
    ]


def reporting_job(steps: int, pause: float = 0.0):
    def job(progress: Progress) -> int:
        for step in range(steps):
            progress.report(step, steps, f"{step}/{steps} 작성 중…")
            time.sleep(pause)
        return steps

    return job


def test_two_hundred_short_jobs_back_to_back_all_complete(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    completed: list[int] = []
    for number in range(200):
        run_in_background(window, title=f"작업 {number}", job=reporting_job(20), on_success=completed.append)
        qtbot.waitUntil(lambda expected=number + 1: len(completed) == expected, timeout=10_000)
    assert completed == [20] * 200
    qtbot.waitUntil(lambda: not progress_dialogs_showing(), timeout=5_000)


def test_the_progress_dialog_closes_when_the_job_ends_during_a_progress_update(qtbot):
    """A modal QProgressDialog's setValue processes events: the job's end arrives inside it, and the
    dialog must not show itself again afterwards ('Excel 작성 중… 91%' left on screen)."""
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    completed: list[int] = []
    for _ in range(5):
        # Long enough (over the dialog's 300 ms) for it to appear; the last reports race the end.
        run_in_background(window, title="보고서", job=reporting_job(40, pause=0.01), on_success=completed.append)
        qtbot.waitUntil(lambda: bool(completed), timeout=10_000)
        qtbot.wait(50)
        assert not progress_dialogs_showing(), "the progress dialog stayed on screen after its job ended"
        completed.clear()


def test_the_progress_dialog_stays_closed_while_the_success_handler_shows_a_message(qtbot):
    """A quick job's dialog has a pending 'show after 300 ms' timer; a message box opened on success
    runs a nested event loop in which the closed-but-not-yet-deleted dialog must not reappear."""
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    seen_during_message: list[list[QProgressDialog]] = []

    def show_message(_result) -> None:
        loop = QEventLoop()
        QTimer.singleShot(600, loop.quit)  # as long as a manager reads "보고서를 저장했습니다"
        loop.exec()
        seen_during_message.append(progress_dialogs_showing())

    run_in_background(window, title="보고서", job=reporting_job(3), on_success=show_message)
    qtbot.waitUntil(lambda: bool(seen_during_message), timeout=10_000)
    assert seen_during_message == [[]], "the finished job's progress dialog came back"


def test_the_module_sources_pyside_keeps_are_dropped_once_no_job_runs(qtbot):
    """PySide6's import hook reads every module imported after Qt into `linecache` (25–30 MiB in all):
    dropped when the last job's result arrives, never while a job might read it."""
    window = QWidget()
    qtbot.addWidget(window)
    linecache.getlines(workers.__file__)  # as the import hook does
    results: list[int] = []
    BackgroundQuery(window).run(lambda: 1, results.append)
    assert workers.__file__ in linecache.cache
    qtbot.waitUntil(lambda: results == [1], timeout=5_000)
    assert workers.__file__ not in linecache.cache
