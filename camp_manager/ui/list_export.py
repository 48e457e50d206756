"""Excel export of what a list shows: the rows its search and filters leave, in the shown
order, with its columns as the header shows them.

The page's own `Column` list is the one definition of the columns (a column's `value`
gives the typed date or number behind its text); `camp_manager.reporting.exports.export_table`
writes the workbook, the same table the `camp-manager export` command writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QComboBox, QFileDialog, QLineEdit, QMessageBox, QPushButton, QWidget

from camp_manager.errors import DomainError
from camp_manager.i18n import tr
from camp_manager.progress import Progress
from camp_manager.ui.context import AppContext, SaveKind
from camp_manager.ui.models.table import Column
from camp_manager.ui.widgets.table_view import DataTable
from camp_manager.ui.workers import run_in_background, show_error

# openpyxl (about 20 MiB) loads with the first export, not with every page that has an export button.
if TYPE_CHECKING:
    from camp_manager.reporting.workbook import CellKind, SheetColumn

_CHECK_EVERY = 500  # rows between looks at the cancel button


def export_button() -> QPushButton:
    button = QPushButton(tr("Excel로 내보내기…"))
    button.setToolTip(tr("목록에 보이는 행과 열을 검색·필터 그대로 Excel 파일로 저장합니다."))
    return button


def filter_descriptions(*combos: QComboBox, search: QLineEdit) -> list[str]:
    """The filters in effect as the user set them: each combo not on its first ('all …') item, and the search."""
    shown = [combo.currentText() for combo in combos if combo.currentIndex() > 0]
    needle = search.text().strip()
    if needle:
        shown.append(tr("검색어 '{text}'", text=needle))
    return shown


def _kind(values: Sequence[Any]) -> CellKind:
    """Dates and whole numbers keep their type and format in the sheet; anything else is text."""
    from camp_manager.reporting.workbook import CellKind  # noqa: PLC0415 (see TYPE_CHECKING above)

    present = [value for value in values if value is not None and value != ""]
    if present and all(isinstance(value, date) for value in present):
        return CellKind.DATE
    if present and all(isinstance(value, int) and not isinstance(value, bool) for value in present):
        return CellKind.INTEGER
    return CellKind.TEXT


def sheet_table(
    columns: Sequence[Column], rows: Sequence[Any], progress: Progress | None = None
) -> tuple[list[SheetColumn], list[list[Any]]]:
    """The columns as sheet columns and each row's cells: a column's `value` where it has one, else its text."""
    from camp_manager.reporting.workbook import SheetColumn  # noqa: PLC0415 (see TYPE_CHECKING above)

    cells: list[list[Any]] = []
    for number, row in enumerate(rows):
        if progress is not None and number % _CHECK_EVERY == 0:
            progress.check_cancelled()
            progress.report(number, len(rows))
        cells.append([(column.value or column.text)(row) for column in columns])
    sheet_columns = [
        SheetColumn(column.title(), _kind([row[index] for row in cells])) for index, column in enumerate(columns)
    ]
    return sheet_columns, cells


def _xlsx(chosen: str) -> Path:
    path = Path(chosen)
    return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")


def export_shown_rows(
    parent: QWidget,
    context: AppContext,
    table: DataTable,
    *,
    file_name: str,
    sheet_title: str,
    heading: str,
    details: Sequence[str],
) -> None:
    """Ask where to save (suggesting `file_name` in the export folder), write the workbook off
    the UI thread, then offer to open it. `details` go under the heading (the date or period,
    the filters); the number of rows follows them."""
    suggested = context.save_folder(SaveKind.LISTS) / file_name
    chosen, _ = QFileDialog.getSaveFileName(
        parent, tr("Excel로 내보내기"), str(suggested), tr("Excel 통합 문서 (*.xlsx)")
    )
    if not chosen:
        return
    path = _xlsx(chosen)
    context.remember_save_folder(SaveKind.LISTS, path.parent)
    # Taken now, on the UI thread: what the list shows at the moment of the click.
    columns, rows = table.shown_columns(), table.visible_rows()
    subheading = " · ".join([*details, tr("{count:,}행", count=len(rows))])

    def job(progress: Progress) -> Path:
        from camp_manager.reporting.exports import export_table  # noqa: PLC0415 (see TYPE_CHECKING above)

        sheet_columns, cells = sheet_table(columns, rows, progress)
        progress.check_cancelled()
        return export_table(
            path, sheet_title=sheet_title, heading=heading, subheading=subheading, columns=sheet_columns, rows=cells
        )

    def failed(error: BaseException) -> None:
        if isinstance(error, OSError):  # a locked or read-only file is the user's to fix, not a fault
            error = DomainError(
                tr(
                    "'{path}'에 저장하지 못했습니다. 파일이 다른 프로그램에서 열려 있으면 닫거나 다른 이름으로 저장하세요.\n({error})",
                    path=path,
                    error=error,
                )
            )
        show_error(parent, error)

    run_in_background(
        parent,
        title=tr("Excel 파일을 만드는 중…"),
        job=job,
        on_error=failed,
        on_success=lambda written: offer_to_open(parent, written, len(rows)),
    )


def offer_to_open(parent: QWidget, path: Path, count: int) -> None:
    answer = QMessageBox.question(
        parent,
        tr("내보내기 완료"),
        tr("{count:,}행을 저장했습니다.\n{path}\n\n파일을 열까요?", count=count, path=path),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    if answer == QMessageBox.StandardButton.Yes:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
