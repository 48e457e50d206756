"""Progress and cancellation for long headless jobs (import, report, backup).

Domain code reports through a `Progress` and never knows about Qt; the UI passes one
wired to a progress dialog, the command line and tests pass `NullProgress()`.
"""

from __future__ import annotations

import threading


class Cancelled(Exception):
    """The user cancelled the job; whatever it was writing is rolled back."""


class Progress:
    def __init__(self) -> None:
        self._cancel = threading.Event()

    def report(self, done: int, total: int, message: str = "") -> None:
        """Called from the job's thread; subclasses forward it (the UI via a signal)."""

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check_cancelled(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()


class NullProgress(Progress):
    """For the command line and tests: reports nowhere, is never cancelled from outside."""
