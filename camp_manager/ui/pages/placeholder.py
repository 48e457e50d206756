"""A page whose screens are still being built: says so instead of showing nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from camp_manager.i18n import tr
from camp_manager.ui.context import AppContext
from camp_manager.ui.pages.base import Page


class PlaceholderPage(Page):
    def __init__(self, context: AppContext, page_title: str, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._title = page_title
        note = QLabel(tr("'{page}' 화면은 다음 버전에서 제공됩니다.", page=page_title))
        note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(note)

    def title(self) -> str:
        return self._title
