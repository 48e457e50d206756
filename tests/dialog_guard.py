"""A message box nobody expected fails the test at once instead of waiting for a click forever."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox


@pytest.fixture
def unexpected_dialogs_fail(monkeypatch):
    """Tests that expect a dialog patch the method again; theirs wins."""

    def fail(kind: str):
        def shown(parent, title, text, *rest, **named):
            raise AssertionError(f"unexpected {kind} dialog: {title}: {text}")

        return shown

    for kind in ("information", "warning", "critical", "question"):
        monkeypatch.setattr(QMessageBox, kind, fail(kind))
