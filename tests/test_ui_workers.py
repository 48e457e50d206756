"""Background jobs: every completion reaches the UI, and the progress dialog never outlives its job."""

from __future__ import annotations

import gc
import linecache
import threading
import time

import pytest
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from camp_manager.full_collections import FullCollections
from camp_manager.progress import Progress
from camp_manager.ui import workers
from camp_manager.ui.workers import BackgroundQuery, IdleCollections, run_in_background
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


@pytest.fixture
def idle_collections(qtbot):
    """The app's collector, on a widget of the test; Python's own full collections back afterwards."""
    threshold = gc.get_threshold()
    owner = QWidget()
    qtbot.addWidget(owner)
    yield IdleCollections(owner)
    FullCollections._automatic = True
    gc.set_threshold(*threshold)


def full_collections_during(action) -> int:
    ran = []

    def seen(phase: str, info: dict) -> None:
        if phase == "stop" and info["generation"] == 2:
            ran.append(info)

    gc.callbacks.append(seen)
    try:
        action()
    finally:
        gc.callbacks.remove(seen)
    return len(ran)


def survive_middle_collections(count: int) -> None:
    for _ in range(count):
        gc.collect(1)


def build_surviving_objects() -> list[list[int]]:
    """As many new objects as the whole heap holds: enough for Python to set a full collection off."""
    return [[index] for index in range(len(gc.get_objects()) + 100_000)]


def test_python_starts_no_full_collection_once_the_app_runs_them(idle_collections):
    assert full_collections_during(build_surviving_objects) == 0
    gc.set_threshold(*gc.get_threshold()[:2], FullCollections.PASSES)  # Python's own, as before the app
    assert full_collections_during(build_surviving_objects) >= 1, "the measure above can see a full collection"


def test_a_due_full_collection_runs_once_no_job_has_run_for_a_while(idle_collections, monkeypatch):
    survive_middle_collections(FullCollections.PASSES)
    monkeypatch.setattr(FullCollections, "_last_released", time.monotonic())
    assert full_collections_during(idle_collections.collect_if_due) == 0, "a job has only just ended"
    monkeypatch.setattr(FullCollections, "_last_released", time.monotonic() - IdleCollections.QUIET_S)
    assert full_collections_during(idle_collections.collect_if_due) == 1
    assert full_collections_during(idle_collections.collect_if_due) == 0, "nothing has survived since"


def test_no_full_collection_while_a_job_runs_nor_by_python_after_it(idle_collections, qtbot):
    survive_middle_collections(FullCollections.PASSES)
    release, outcomes = threading.Event(), []
    owner = QWidget()
    qtbot.addWidget(owner)

    def job(_progress: Progress) -> None:
        release.wait(10)

    run_in_background(owner, title="작업", job=job, on_success=outcomes.append)
    qtbot.waitUntil(lambda: FullCollections._holders == 1)
    assert full_collections_during(idle_collections.collect_if_due) == 0
    release.set()
    qtbot.waitUntil(lambda: outcomes == [None])
    assert FullCollections._holders == 0
    assert FullCollections._last_released > time.monotonic() - IdleCollections.QUIET_S, "the job's end counts"
    assert full_collections_during(build_surviving_objects) == 0, "the job's end left them to the app"


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
