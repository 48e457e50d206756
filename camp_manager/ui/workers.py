"""Long work off the UI thread, with a progress dialog that can cancel it.

The job runs on a QThreadPool thread and receives a `Progress`; it must open its own
session and never touch widgets. Results and errors come back to the UI thread
through queued signals.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from camp_manager.errors import DomainError
from camp_manager.i18n import tr
from camp_manager.progress import Cancelled, Progress

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


class _Job(QRunnable):
    def __init__(self, job: Callable[[Progress], Any], signals: _Signals, progress: Progress) -> None:
        super().__init__()
        self._job, self._signals, self._progress = job, signals, progress

    def run(self) -> None:
        try:
            result = self._job(self._progress)
        except BaseException as error:  # handed to the UI thread, which decides what to show
            self._signals.failed.emit(error)
        else:
            self._signals.succeeded.emit(result)


def show_error(parent: QWidget | None, error: BaseException) -> None:
    """A domain error as a plain dialog; anything else logged and shown as a friendly one."""
    if isinstance(error, DomainError):
        QMessageBox.warning(parent, tr("확인이 필요합니다"), error.message)
        return
    log.error("unexpected error", exc_info=(type(error), error, error.__traceback__))
    QMessageBox.critical(
        parent,
        tr("예기치 않은 오류"),
        tr("작업 중 예기치 않은 오류가 났습니다. 자료는 바뀌지 않았습니다.\n자세한 내용은 로그 파일에 기록했습니다.\n\n{error}", error=error),
    )


def run_in_background(
    parent: QWidget,
    *,
    title: str,
    job: Callable[[Progress], Any],
    on_success: Callable[[Any], None],
    on_error: Callable[[BaseException], None] | None = None,
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

    def succeeded(result: Any) -> None:
        finished()
        on_success(result)

    def failed(error: BaseException) -> None:
        finished()
        if isinstance(error, Cancelled):
            return
        (on_error or (lambda e: show_error(parent, e)))(error)

    signals.progressed.connect(progressed, Qt.ConnectionType.QueuedConnection)
    signals.succeeded.connect(succeeded, Qt.ConnectionType.QueuedConnection)
    signals.failed.connect(failed, Qt.ConnectionType.QueuedConnection)
    (pool or QThreadPool.globalInstance()).start(_Job(job, signals, progress))
    return progress
