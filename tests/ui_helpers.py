"""Helpers for the page tests: a context with private settings, pages wired as in the main window,
and modal dialogs driven by the test instead of a person."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox, QDialog

from camp_manager.ui.context import AppContext, Settings
from camp_manager.ui.pages.base import Page
from camp_manager.ui.workers import wait_for_background


def app_context(engine, tmp_path: Path, as_of: date) -> AppContext:
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    return AppContext(engine, settings=settings, as_of=as_of)


def wired(page: Page) -> Page:
    """Refresh the page on an as-of change and after writes, as the main window does for the page in view;
    each refresh waits for the rows a page reads off the UI thread, so a test reads them filled."""

    def refresh() -> None:
        page.refresh()
        wait_for_background()

    page.context.asOfChanged.connect(lambda _day: refresh())
    page.context.dataChanged.connect(refresh)
    refresh()
    return page


def drive_dialogs(monkeypatch, dialog_class: type[QDialog], *steps: Callable[[QDialog], None]) -> list[QDialog]:
    """Each `dialog_class` the code opens goes to the next step (which fills it in and presses OK).

    `exec` returns the dialog's result as Qt would: Accepted only if the dialog accepted.
    """
    opened: list[QDialog] = []

    def fake_exec(dialog: QDialog) -> int:
        opened.append(dialog)
        steps[len(opened) - 1](dialog)
        return dialog.result()

    monkeypatch.setattr(dialog_class, "exec", fake_exec)
    return opened


def choose(combo: QComboBox, text: str) -> None:
    """Pick the item whose text contains `text` (as a person would in the list)."""
    for index in range(combo.count()):
        if text in combo.itemText(index):
            combo.setCurrentIndex(index)
            return
    raise AssertionError(f"no item containing {text!r} in {[combo.itemText(i) for i in range(combo.count())]}")
