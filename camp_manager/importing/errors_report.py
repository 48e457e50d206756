"""The error report: the sheet as it was read, with the cells to fix highlighted and a message column.

Every row and column stays where it was in the file, so "row 7, column D" in the report
is row 7, column D in the user's own file. The copy is rebuilt from the values read
(cached values of formulas, never the formulas), so it works the same for .xlsx, .xls,
.ods and .csv files.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from camp_manager.files import atomic_write
from camp_manager.i18n import tr
from camp_manager.importing.normalize import Problem, Severity, SkippedRow
from camp_manager.importing.plan import ImportPlan, RowVerdict
from camp_manager.importing.read import LongText, Sheet
from camp_manager.importing.survey import SurveyPlan
from camp_manager.spreadsheets import cell_at, set_value

ERROR_FILL = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")
WARNING_FILL = PatternFill("solid", start_color="FFEB9C", end_color="FFEB9C")
SKIPPED_FONT = Font(color="808080")
_SHEET_NAME_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


def _write(cell: Cell, value: object) -> None:
    if isinstance(value, LongText):
        value = str(value)
    number_format = None
    if isinstance(value, date):  # a datetime too
        with_time = isinstance(value, datetime) and value.time() != datetime.min.time()
        number_format = "yyyy-mm-dd hh:mm" if with_time else "yyyy-mm-dd"
    set_value(cell, value, number_format)


def _message(problem: Problem) -> str:
    where = f"[{problem.header}] " if problem.header else ""
    if problem.severity == Severity.WARNING:
        return tr("주의: {where}{message}", where=where, message=problem.message)
    return f"{where}{problem.message}"


def write_error_report(plan: ImportPlan, sheet: Sheet, path: str | Path) -> Path:
    """Save the report to `path` (.xlsx) and return it."""
    workbook = Workbook()
    worksheet = workbook.worksheets[0]
    assert isinstance(worksheet, Worksheet), "a new workbook starts with one ordinary sheet"
    _mark_sheet(worksheet, sheet, plan.mapping.header_row, plan.verdicts, plan.skipped)
    return _save(workbook, path)


def write_survey_error_report(plan: SurveyPlan, path: str | Path) -> Path:
    """The report of a performance survey: each of its sheets, marked the same way."""
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    for section in plan.sections:
        worksheet = workbook.create_sheet()
        _mark_sheet(worksheet, section.sheet, section.mapping.header_row, section.verdicts, section.skipped)
    return _save(workbook, path)


def _save(workbook: Workbook, path: str | Path) -> Path:
    path = Path(path)
    with atomic_write(path) as temporary:
        workbook.save(temporary)
    return path


def _mark_sheet(
    worksheet: Worksheet, sheet: Sheet, header_row: int, verdicts: list[RowVerdict], skipped: list[SkippedRow]
) -> None:
    worksheet.title = (sheet.name.translate(_SHEET_NAME_FORBIDDEN) or "Sheet")[:31]
    for row_number, row in enumerate(sheet.rows, start=1):
        for column_number, value in enumerate(row, start=1):
            _write(cell_at(worksheet, row_number, column_number), value)
    message_column = sheet.width + 1
    header = cell_at(worksheet, header_row, message_column)
    _write(header, tr("확인할 내용"))
    header.font = Font(bold=True)
    worksheet.column_dimensions[header.column_letter].width = 70
    for verdict in verdicts:
        if not verdict.problems:
            continue
        problems = sorted(verdict.problems, key=lambda p: p.severity != Severity.ERROR)
        message_cell = cell_at(worksheet, verdict.row, message_column)
        _write(message_cell, "\n".join(_message(p) for p in problems))
        message_cell.alignment = Alignment(wrap_text=True, vertical="top")
        message_cell.fill = ERROR_FILL if verdict.errors else WARNING_FILL
        for problem in reversed(problems):  # an error's colour wins over a warning's on the same cell
            if problem.column is not None:
                cell_at(worksheet, verdict.row, problem.column + 1).fill = (
                    ERROR_FILL if problem.severity == Severity.ERROR else WARNING_FILL
                )
    for skip in skipped:
        cell = cell_at(worksheet, skip.row, message_column)
        _write(cell, tr("건너뜀: {reason}", reason=skip.reason))
        cell.font = SKIPPED_FONT
    worksheet.freeze_panes = cell_at(worksheet, header_row + 1, 1)
