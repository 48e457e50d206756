"""Long work off the UI thread, with a progress dialog that can cancel it.

The job runs on a QThreadPool thread and receives a `Progress`; it must open its own
session and never touch widgets. Results and errors come back to the UI thread
through queued signals.
"""

from __future__ import annotations

import linecache
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from camp_manager.errors import DomainError, EditConflict
from camp_manager.full_collections import FullCollections
from camp_manager.i18n import tr
from camp_manager.progress import Cancelled, Progress
from camp_manager.ui.logs import log_file

if TYPE_CHECKING:
    from camp_manager.ui.context import AppContext

log = logging.getLogger(__name__)


class _Signals(QObject):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)


class SignalProgress(Progress):
    def __init__(self, signals: _Signals) -> None:
        super().__init__()
        self._signals = signals

    def report(self, done: int, total: int, message: str = "") -> None:
        self._signals.progressed.emit(done, total, message)


class IdleCollections(QObject):
    """The app's full garbage collections: Python starts none on its own any more (a full one took
    60–170 ms of the UI thread in the middle of showing a page at ten times the camp); a timer on the UI
    thread runs it while the app is idle (`FullCollections.collect_if_due`)."""

    CHECK_MS = 1000
    QUIET_S = 2.0  # since the last background job ended

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        FullCollections.leave_to_the_app()
        self._timer = QTimer(self)
        self._timer.setInterval(self.CHECK_MS)
        self._timer.timeout.connect(self.collect_if_due)
        self._timer.start()

    def collect_if_due(self) -> bool:
        return FullCollections.collect_if_due(quiet_s=self.QUIET_S)


class _Job(QRunnable):
    def __init__(self, job: Callable[[Progress], Any], signals: _Signals, progress: Progress) -> None:
        super().__init__()
        self._job, self._signals, self._progress = job, signals, progress

    def start(self, pool: QThreadPool | None = None) -> None:
        """Counted as long work from here (the UI thread) until it returns (on its own)."""
        FullCollections.hold()
        (pool or QThreadPool.globalInstance()).start(self)

    def run(self) -> None:
        try:
            result = self._job(self._progress)
        except BaseException as error:  # noqa: BLE001 (handed to the UI thread, which decides what to show)
            outcome = ("failed", error)
        else:
            outcome = ("succeeded", result)
        finally:
            FullCollections.release()  # before the result reaches the UI thread
        try:
            getattr(self._signals, outcome[0]).emit(outcome[1])
        except RuntimeError:
            log.info("a background job finished after the window that started it closed")


def forget_module_sources() -> None:
    """Drop the source text PySide6 leaves in `linecache`, once no background job runs.

    PySide6's import hook (shiboken's `__feature__` support) reads the whole source of every module
    imported after Qt, and `linecache` keeps it: 25–30 MiB for the app's modules, never read again
    (a traceback reads the lines it shows afresh). `linecache` is not safe against a thread reading
    it meanwhile, hence only on the UI thread with no job running (jobs start only from the UI thread).
    """
    if not FullCollections.long_work_running():
        linecache.clearcache()


def show_error(parent: QWidget | None, error: BaseException) -> None:
    """A domain error as a plain dialog; anything else logged and shown as a friendly one."""
    if isinstance(error, DomainError):
        QMessageBox.warning(parent, tr("확인이 필요합니다"), error.message)
        return
    log.error("unexpected error", exc_info=(type(error), error, error.__traceback__))
    QMessageBox.critical(
        parent,
        tr("예기치 않은 오류"),
        tr(
            "작업 중 예기치 않은 오류가 났습니다. 자료는 바뀌지 않았습니다.\n자세한 내용은 로그 파일에 기록했습니다: {path}\n\n{error}",
            path=log_file(),
            error=error,
        ),
    )


def show_refusal(parent: QWidget | None, error: BaseException, context: AppContext) -> None:
    """A write that was refused or failed; after a colleague's save (EditConflict) every page reloads to show it."""
    show_error(parent, error)
    if isinstance(error, EditConflict):
        context.notify_changed()


def after_emission(receiver: QObject, handler: Callable[[], None]) -> None:
    """Run `handler` once the slot that received a job's signal has returned.

    A handler may open a message box, whose nested event loop would delete the job's signal
    object (`deleteLater`) while that object is still emitting: a crash, or a completion lost
    with its progress dialog left on screen. Dropped if `receiver` is gone by then.
    """
    QTimer.singleShot(0, receiver, handler)


def run_in_background(
    parent: QWidget,
    *,
    title: str,
    job: Callable[[Progress], Any],
    on_success: Callable[[Any], None],
    on_error: Callable[[BaseException], None] | None = None,
    on_cancelled: Callable[[], None] | None = None,
    pool: QThreadPool | None = None,
) -> Progress:
    """Start `job`; returns its Progress (cancel() stops it at the next check)."""
    signals = _Signals(parent)
    progress = SignalProgress(signals)
    dialog = QProgressDialog(title, tr("취소"), 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.canceled.connect(progress.cancel)

    def progressed(done: int, total: int, message: str) -> None:
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total else 0)
        if message:
            dialog.setLabelText(message)

    def finished() -> None:
        dialog.canceled.disconnect(progress.cancel)
        dialog.close()
        dialog.deleteLater()
        signals.deleteLater()
        forget_module_sources()

    def succeeded(result: Any) -> None:
        finished()
        after_emission(parent, lambda: on_success(result))

    def failed(error: BaseException) -> None:
        finished()
        if isinstance(error, Cancelled):
            if on_cancelled is not None:
                after_emission(parent, on_cancelled)
            return
        after_emission(parent, lambda: (on_error or (lambda e: show_error(parent, e)))(error))

    signals.progressed.connect(progressed, Qt.ConnectionType.QueuedConnection)
    signals.succeeded.connect(succeeded, Qt.ConnectionType.QueuedConnection)
    signals.failed.connect(failed, Qt.ConnectionType.QueuedConnection)
    _Job(job, signals, progress).start(pool)
    return progress


class BackgroundQuery(QObject):
    """Reads for a page off the UI thread, with no dialog: the page stays usable meanwhile.

    Only the latest request's result is delivered; a result overtaken by a newer request
    (the as-of date changed again) is dropped. Errors go to `show_error`.
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self._generation = 0
        self._running = 0

    @property
    def busy(self) -> bool:
        return self._running > 0

    def run(self, job: Callable[[], Any], on_result: Callable[[Any], None]) -> None:
        self._generation += 1
        generation = self._generation
        self._running += 1
        signals = _Signals(self)

        def delivered(handler: Callable[[Any], None], value: Any) -> None:
            self._running -= 1
            signals.deleteLater()
            forget_module_sources()
            if generation == self._generation:
                after_emission(self, lambda: handler(value))

        signals.succeeded.connect(lambda result: delivered(on_result, result), Qt.ConnectionType.QueuedConnection)
        signals.failed.connect(
            lambda error: delivered(lambda e: show_error(self._parent, e), error), Qt.ConnectionType.QueuedConnection
        )
        _Job(lambda _progress: job(), signals, Progress()).start()


def wait_for_background(timeout_ms: int = 30_000) -> bool:
    """Let every background job finish and deliver its result (tests, screenshots, closing)."""
    done = QThreadPool.globalInstance().waitForDone(QDeadlineTimer(timeout_ms))
    QCoreApplication.processEvents()  # the results' signals
    QCoreApplication.processEvents()  # the handlers they hand on (`after_emission`)
    return done
