"""The page contract: every sidebar page is one of these."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLayout, QVBoxLayout, QWidget

from camp_manager.ui.context import AppContext


def page_heading(title: str) -> tuple[QHBoxLayout, QLabel]:
    """A page's title with a subtitle beside it (counts, the as-of date): the row, and the subtitle to fill in."""
    heading = QLabel(title)
    heading.setObjectName("pageTitle")
    subtitle = QLabel()
    subtitle.setObjectName("pageSubtitle")
    row = QHBoxLayout()
    row.addWidget(heading)
    row.addSpacing(12)
    row.addWidget(subtitle, 1, Qt.AlignmentFlag.AlignBottom)
    return row, subtitle


def page_layout(page: QWidget, *rows: QLayout | QWidget, fill: QWidget) -> QVBoxLayout:
    """The page's rows top to bottom in the pages' margins and spacing; `fill` (its list, last) takes the
    height left."""
    layout = QVBoxLayout(page)
    layout.setContentsMargins(14, 10, 14, 10)
    layout.setSpacing(8)
    for row in rows:
        if isinstance(row, QLayout):
            layout.addLayout(row)
        else:
            layout.addWidget(row)
    layout.addWidget(fill, 1)
    return layout


class Page(QWidget):
    """A sidebar page. `refresh` runs when shown, on an as-of change and after writes.

    The main window's menu commands call the optional hooks below on the page in view;
    a page overrides those it has a meaning for (the defaults do nothing).
    """

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context

    def title(self) -> str:
        raise NotImplementedError

    def refresh(self) -> None:
        """Reload what the page shows from the use cases."""

    def focus_search(self) -> None:
        """Ctrl+F: put the cursor in the page's search box."""

    def create_new(self) -> None:
        """Ctrl+N: start adding the page's kind of item."""

    def open_selected(self) -> None:
        """Enter: open the selected item."""

    def delete_selected(self) -> None:
        """Delete: remove (or end) the selected item, after asking."""

    def export_list(self) -> None:
        """File → Export to Excel: save the rows the page's list shows, as filtered."""

    def can_export_list(self) -> bool:
        """Whether the page has a list to export (it overrides `export_list`)."""
        return type(self).export_list is not Page.export_list

    def focus_first(self) -> None:
        """Focus the page's first field, list or button that takes the Tab key (where focus goes
        when the window gives it back: after a dialog, or when the focused button went away)."""
        widget = self.nextInFocusChain()
        while widget is not self and self.isAncestorOf(widget):
            if widget.isVisible() and widget.isEnabled() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                return
            widget = widget.nextInFocusChain()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_item(self, item: object) -> None:
        """Select what another page pointed at (`AppContext.navigate`), e.g. a company id."""
