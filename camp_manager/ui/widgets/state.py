"""Splitter positions and column widths, remembered between runs under each widget's object name."""

from __future__ import annotations

from PySide6.QtWidgets import QSplitter, QTableView, QWidget

from camp_manager.ui.context import Settings


def _named(root: QWidget, kind: type) -> list:
    return [widget for widget in root.findChildren(kind) if widget.objectName()]


def save_widget_state(root: QWidget, settings: Settings, prefix: str) -> None:
    for splitter in _named(root, QSplitter):
        settings.set_value(f"{prefix}/{splitter.objectName()}/splitter", splitter.saveState())
    for table in _named(root, QTableView):
        header = table.horizontalHeader()
        settings.set_value(f"{prefix}/{table.objectName()}/columns", header.count())
        settings.set_value(f"{prefix}/{table.objectName()}/header", header.saveState())


def restore_widget_state(root: QWidget, settings: Settings, prefix: str) -> None:
    for splitter in _named(root, QSplitter):
        state = settings.value(f"{prefix}/{splitter.objectName()}/splitter")
        if state is not None:
            splitter.restoreState(state)
    for table in _named(root, QTableView):
        header = table.horizontalHeader()
        state = settings.value(f"{prefix}/{table.objectName()}/header")
        # A version with other columns starts from the page's own widths.
        if state is not None and settings.value(f"{prefix}/{table.objectName()}/columns", -1) == header.count():
            header.restoreState(state)
