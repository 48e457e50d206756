"""A dialog nobody expected fails the test at once instead of waiting for a click forever.

conftest.py applies `unexpected_dialogs_fail` to every test that uses Qt (`qtbot` or `qapp`):
- the QMessageBox shortcuts (`information`, `warning`, `critical`, `question`) raise;
- any other modal window (a dialog's `exec()`, a message box built by hand, a file dialog) is
  found by a timer while its event loop runs and rejected, so the test goes on; the timer's
  AssertionError is caught by pytest-qt (an exception in a slot) and fails the test.

A test that expects a message box patches the shortcut again (its patch wins, being later); one
that expects a modal dialog patches that dialog's `exec` or accepts it itself before the timer looks.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QProgressDialog

# How often the watch looks for a modal window: short, so a stray one costs the test little time.
WATCH_INTERVAL_MS = 50


class ModalWatch:
    """Rejects every modal window it finds, then raises in the timer's slot."""

    def __init__(self) -> None:
        self._timer = QTimer()
        self._timer.setInterval(WATCH_INTERVAL_MS)
        self._timer.timeout.connect(self._look)
        self._timer.start()

    def _look(self) -> None:
        window = QApplication.activeModalWidget()
        # A progress dialog waits for its job, not for a click, and closes itself.
        if window is None or isinstance(window, QProgressDialog):
            return
        text = window.text() if isinstance(window, QMessageBox) else ""
        found = f"{type(window).__name__} {window.windowTitle()!r} {text}".strip()
        if isinstance(window, QDialog):
            window.reject()
        else:
            window.close()
        raise AssertionError(f"unexpected modal dialog (rejected by the test's guard): {found}")

    def stop(self) -> None:
        self._timer.stop()


def _shortcut_fails(kind: str):
    def shown(parent, title, text, *rest, **named):
        raise AssertionError(f"unexpected {kind} dialog: {title}: {text}")

    return shown


@pytest.fixture
def unexpected_dialogs_fail(qapp, monkeypatch):
    for kind in ("information", "warning", "critical", "question"):
        monkeypatch.setattr(QMessageBox, kind, _shortcut_fails(kind))
    watch = ModalWatch()
    yield watch
    watch.stop()
