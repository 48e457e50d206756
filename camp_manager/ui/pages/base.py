"""The page contract: every sidebar page is one of these."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from camp_manager.ui.context import AppContext


class Page(QWidget):
    """A sidebar page. `refresh` runs when shown, on an as-of change and after writes."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context

    def title(self) -> str:
        raise NotImplementedError

    def refresh(self) -> None:
        """Reload what the page shows from the use cases."""
