"""Sheet building blocks shared by the monthly workbook and the list exports.

A table here is a styled header row, typed cells (real numbers and dates with their
number formats; user text written safely), striped rows, widths fitted to the contents,
and a sheet set up to print on A4 landscape, one page wide, the header repeated.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from camp_manager.i18n import tr
from camp_manager.reporting.monthly import FigureKind, header_case
from camp_manager.spreadsheets import cell_at, set_text, set_value

TITLE_ROW = 1
SUBTITLE_ROW = 2
HEADER_ROW = 4  # tables start here; rows 1–2 carry the title

NAVY = "1F3864"
STRIPE = "F3F5F8"
TOTAL_FILL = "E1E7F0"

_thin = Side(style="thin", color="B7BDC7")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor=NAVY)
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
HEADER_BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
TOTAL_FONT = Font(bold=True)
CENTERED = Alignment(horizontal="center")
TOTAL_BAND = PatternFill("solid", fgColor=TOTAL_FILL)


class CellKind(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    HOURS = "hours"
    PERCENT = "percent"
    CHANGE = "change"
    POINTS = "points"  # a change of a rate
    DATE = "date"


NUMBER_FORMATS = {
    CellKind.INTEGER: "#,##0",
    CellKind.HOURS: "#,##0.0",
    CellKind.PERCENT: "0.0%",
    CellKind.CHANGE: "+#,##0;-#,##0;0",
    CellKind.POINTS: "+0.0%;-0.0%;0.0%",
    CellKind.DATE: "yyyy-mm-dd",
}

FIGURE_KINDS = {
    FigureKind.COUNT: CellKind.INTEGER,
    FigureKind.PERCENT: CellKind.PERCENT,
    FigureKind.HOURS: CellKind.HOURS,
    FigureKind.CHANGE: CellKind.CHANGE,
    FigureKind.POINTS: CellKind.POINTS,
}


@dataclass(frozen=True)
class SheetColumn:
    header: str
    kind: CellKind = CellKind.TEXT
    width: float | None = None  # in characters; None fits the contents


@dataclass(frozen=True)
class TableRange:
    first_row: int  # the header row
    last_row: int
    first_column: int
    last_column: int

    @property
    def ref(self) -> str:
        return f"{get_column_letter(self.first_column)}{self.first_row}:{get_column_letter(self.last_column)}{self.last_row}"

    @property
    def body_rows(self) -> int:
        return self.last_row - self.first_row


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: Hangul and other wide characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _shown_width(value: object, kind: CellKind) -> int:
    if value is None:
        return 0
    if kind == CellKind.DATE or isinstance(value, (date, datetime)):
        return 10
    if kind == CellKind.PERCENT:
        return 6
    if isinstance(value, (int, float)):
        return len(f"{value:,.1f}") if isinstance(value, float) else len(f"{value:,}") + (kind == CellKind.CHANGE)
    return max(display_width(line) for line in str(value).splitlines() or [""])


def new_sheet(workbook: Workbook, title: str, *, heading: str, subheading: str) -> Worksheet:
    """A sheet with the report's title on top and print settings for A4 landscape."""
    sheet: Worksheet = workbook.create_sheet(title)
    set_text(cell_at(sheet, TITLE_ROW, 1), heading)
    cell_at(sheet, TITLE_ROW, 1).font = Font(bold=True, size=14, color=NAVY)
    set_text(cell_at(sheet, SUBTITLE_ROW, 1), subheading)
    cell_at(sheet, SUBTITLE_ROW, 1).font = Font(color="5A6270")
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    # A new sheet has its page set-up properties, header and footer (the stubs allow None).
    assert (
        sheet.sheet_properties.pageSetUpPr is not None and sheet.oddHeader is not None and sheet.oddFooter is not None
    )
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.75
    sheet.page_margins.header = sheet.page_margins.footer = 0.3
    sheet.oddHeader.left.text = heading.replace("&", "&&")
    sheet.oddFooter.right.text = tr("&P / &N 쪽")
    return sheet


def write_table(
    sheet: Worksheet,
    columns: Sequence[SheetColumn],
    rows: Iterable[Sequence[object]],
    *,
    top: int = HEADER_ROW,
    left: int = 1,
    main: bool = True,
    total_rows: Sequence[int] = (),
    frozen_columns: int = 0,
) -> TableRange:
    """Write a header row and typed rows. The sheet's main table also gets the auto-filter,
    the frozen header (and `frozen_columns` frozen on the left) and the repeated print title."""
    widths = [display_width(c.header) for c in columns]
    for offset, column in enumerate(columns):
        cell = cell_at(sheet, top, left + offset)
        set_text(cell, header_case(column.header))
        cell.font, cell.fill, cell.alignment, cell.border = HEADER_FONT, HEADER_FILL, HEADER_ALIGNMENT, HEADER_BORDER
    formats = [NUMBER_FORMATS.get(c.kind) for c in columns]
    dates = {offset for offset, c in enumerate(columns) if c.kind == CellKind.DATE}
    row_number = top
    for row_number, values in enumerate(rows, start=top + 1):
        for offset, value in enumerate(values):
            cell = cell_at(sheet, row_number, left + offset)
            set_value(cell, value, formats[offset])
            if offset in dates:
                cell.alignment = CENTERED
            widths[offset] = max(widths[offset], _shown_width(value, columns[offset].kind))
    table = TableRange(top, max(row_number, top), left, left + len(columns) - 1)
    for offset, column in enumerate(columns):
        width = column.width or min(max(widths[offset] + 2, 6), 60)
        letter = get_column_letter(left + offset)
        sheet.column_dimensions[letter].width = max(sheet.column_dimensions[letter].width or 0, width)
    if table.body_rows:
        body = (
            f"{get_column_letter(table.first_column)}{top + 1}:{get_column_letter(table.last_column)}{table.last_row}"
        )
        # One striping rule for the whole body instead of a fill on every cell (fast, and survives sorting).
        rule = FormulaRule(formula=[f"MOD(ROW()-{top},2)=0"], fill=PatternFill("solid", bgColor=STRIPE))  # type: ignore[no-untyped-call]  # untyped in the stubs
        sheet.conditional_formatting.add(body, rule)
    for index in total_rows:
        for offset in range(len(columns)):
            cell = cell_at(sheet, top + 1 + index, left + offset)
            cell.font, cell.fill = TOTAL_FONT, TOTAL_BAND
    if main:
        sheet.auto_filter.ref = table.ref
        sheet.freeze_panes = cell_at(sheet, top + 1, 1 + frozen_columns)
        sheet.print_title_rows = f"{top}:{top}"
    return table


def write_caption(sheet: Worksheet, row: int, column: int, text: str) -> None:
    """A bold line above a secondary table."""
    cell = cell_at(sheet, row, column)
    set_text(cell, text)
    cell.font = Font(bold=True, color=NAVY)


APPROVAL_BOX_WIDTH = 11  # characters
APPROVAL_SIGNATURE_HEIGHT = 42  # points: room to sign or stamp
_box_side = Side(style="thin", color=NAVY)
APPROVAL_BORDER = Border(left=_box_side, right=_box_side, top=_box_side, bottom=_box_side)
APPROVAL_FONT = Font(bold=True, color=NAVY)
APPROVAL_FILL = PatternFill("solid", fgColor=STRIPE)


def write_approval_box(sheet: Worksheet, headings: Sequence[str], *, left: int) -> None:
    """An approval box (결재란) in the title's rows from column `left`: its label, then a box per
    heading with an empty cell below it to sign."""
    for offset, text in enumerate([tr("결재"), *headings]):
        set_text(cell_at(sheet, TITLE_ROW, left + offset), text)
        letter = get_column_letter(left + offset)
        width = max(APPROVAL_BOX_WIDTH if offset else 0, display_width(text) + 2)
        sheet.column_dimensions[letter].width = max(sheet.column_dimensions[letter].width or 0, width)
        for row in (TITLE_ROW, SUBTITLE_ROW):
            cell = cell_at(sheet, row, left + offset)
            cell.border = APPROVAL_BORDER
            if row == TITLE_ROW or not offset:  # the label and the headings; below a heading, room to sign
                cell.font, cell.alignment, cell.fill = APPROVAL_FONT, HEADER_ALIGNMENT, APPROVAL_FILL
    sheet.merge_cells(start_row=TITLE_ROW, start_column=left, end_row=SUBTITLE_ROW, end_column=left)
    sheet.row_dimensions[SUBTITLE_ROW].height = APPROVAL_SIGNATURE_HEIGHT
