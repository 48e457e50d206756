"""Cells that can never turn user text into a formula (CSV/formula injection).

A company named `=HYPERLINK("http://evil","click")` must reach a workbook as the text
a manager typed. openpyxl makes any string starting with `=` a formula, and spreadsheet
programs treat `+`, `-` and `@` the same way on editing; such text is stored as a string
cell with the quote prefix set, so Excel and LibreOffice show it as typed and never run it.

Every workbook Camp Manager writes (reports, list exports, the import's error report)
writes its cells through here, which is why this module sits outside the layers.
"""

from __future__ import annotations

from datetime import date, datetime

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Longer text makes Excel "repair" the file and drop the cell.
EXCEL_CELL_LIMIT = 32_767


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def cell_at(sheet: Worksheet, row: int, column: int) -> Cell:
    """The cell at (row, column) to write; the writers merge no range before writing into it."""
    cell = sheet.cell(row, column)
    assert isinstance(cell, Cell), f"{cell.coordinate} lies inside a merged range"
    return cell


def set_text(cell: Cell, text: str) -> None:
    """Write user text as text, whatever it starts with."""
    text = text[:EXCEL_CELL_LIMIT]
    cell.value = text
    if looks_like_formula(text):
        cell.data_type = "s"
        cell.quotePrefix = True


def set_value(cell: Cell, value: object, number_format: str | None = None) -> None:
    """Write a value: text safely, numbers and dates as real numbers and dates."""
    if value is None or value == "":
        return
    if isinstance(value, str):
        set_text(cell, value)
        return
    if isinstance(value, (bool, int, float, date, datetime)):
        cell.value = value
        if number_format:
            cell.number_format = number_format
        return
    raise TypeError(f"cannot write {type(value).__name__} to a workbook cell")
