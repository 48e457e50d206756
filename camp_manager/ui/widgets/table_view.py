"""The table every list uses: a RowTableModel behind a RowFilterProxy, set up once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from camp_manager.labels import label
from camp_manager.ui.models.table import Column, RowFilterProxy, RowTableModel

ROW_HEIGHT = 26
CELL_PADDING = 16  # the item's text margins and a little air, so a label is never elided


class DataTable(QTableView):
    """Sortable, filterable rows; Enter or a double-click emits `rowActivated` with the row object.

    `name` is the object name under which the main window remembers the column widths.
    """

    rowActivated = Signal(object)
    currentRowChanged = Signal(object)  # the row object, or None

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        name: str,
        widths: Sequence[int] = (),
        empty_text: str | Callable[[], str] = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.source = RowTableModel(columns, self)
        self.proxy = RowFilterProxy(self)
        self.proxy.setSourceModel(self.source)
        self.setModel(self.proxy)
        self._empty_text = empty_text
        self._stretch: int | None = None  # the column `fit_columns` lets take the room
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setShowGrid(False)
        self.setSortingEnabled(True)
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        header = self.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column, width in enumerate(widths):
            # Never narrower than the title: English titles are often longer than Korean ones.
            self.setColumnWidth(column, max(width, header.sectionSizeHint(column)))
        for column, spec in enumerate(columns):
            if spec.codes is not None:
                longest = max(self.fontMetrics().horizontalAdvance(label(code)) for code in spec.codes)
                self.setColumnWidth(column, max(self.columnWidth(column), longest + CELL_PADDING))
        self.activated.connect(self._activated)
        self.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.currentRowChanged.emit(self._row(current))
        )

    def fit_columns(self, stretch: int = 0) -> None:
        """A short list in a narrow column: column `stretch` takes the room, the others their content's width."""
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        for column in range(header.count()):
            mode = QHeaderView.ResizeMode.Stretch if column == stretch else QHeaderView.ResizeMode.ResizeToContents
            header.setSectionResizeMode(column, mode)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._stretch = stretch
        self._keep_columns_whole()

    def _keep_columns_whole(self) -> None:
        """A fitted table asks its layout for the room its columns need: with no scroll bar, a
        narrower one would cut a column's title (an English one, typically)."""
        header = self.horizontalHeader()
        needed = sum(
            header.sectionSizeHint(column)
            if column == self._stretch
            else max(header.sectionSizeHint(column), self.sizeHintForColumn(column))
            for column in range(header.count())
        )
        self.setMinimumWidth(needed + 2 * self.frameWidth() + self.verticalScrollBar().sizeHint().width())

    def show_every_row(self) -> None:
        """Exactly as tall as its rows (a short list that must not scroll); call after `set_rows`."""
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.horizontalHeader().sizeHint().height()
        self.setFixedHeight(header + max(self.proxy.rowCount(), 1) * ROW_HEIGHT + 2 * self.frameWidth())

    # --- rows ------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Any]) -> None:
        self.source.set_rows(rows)
        if self._stretch is not None:
            self._keep_columns_whole()

    def visible_rows(self) -> list[Any]:
        return [self.proxy.row_at(row) for row in range(self.proxy.rowCount())]

    def shown_columns(self) -> list[Column]:
        """The columns in the order the header shows them (a user can drag them), hidden ones left out."""
        header = self.horizontalHeader()
        columns = self.source.columns()
        logical = (header.logicalIndex(visual) for visual in range(header.count()))
        return [columns[index] for index in logical if not header.isSectionHidden(index)]

    def current_row(self) -> Any | None:
        return self._row(self.currentIndex())

    def select_first(self, predicate: Callable[[Any], bool]) -> bool:
        """Select and show the first visible row matching `predicate`.

        Searches the model's own list (the proxy keeps its order), not row by row through
        the proxy: a few milliseconds at 10,000 rows instead of tens.
        """
        for source_row, row in enumerate(self.source.rows()):
            if predicate(row):
                index = self.proxy.mapFromSource(self.source.index(source_row, 0))
                if index.isValid():
                    self.setCurrentIndex(index)
                    self.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
                    return True
        return False

    def _row(self, index: QModelIndex) -> Any | None:
        return self.proxy.row_at(index.row()) if index.isValid() else None

    def _activated(self, index: QModelIndex) -> None:
        row = self._row(index)
        if row is not None:
            self.rowActivated.emit(row)

    # --- an empty list says so -------------------------------------------------------
    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        text = self._empty_text() if callable(self._empty_text) else self._empty_text
        if text and self.proxy.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(
                self.viewport().rect().adjusted(12, 12, -12, -12),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                text,
            )
            painter.end()
