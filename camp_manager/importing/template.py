"""The import template: a resident sheet and a room sheet, each with its header, lists to pick from, one example row.

The Korean template is committed as `resources/templates/import_template.xlsx`
(regenerate it with `python -m camp_manager.importing.template`; a test checks it matches);
in English it is built when saved. The example rows start with "(예시)" / "(Example)",
which the importer skips, so a template filled in below them imports as it is.
"""

from __future__ import annotations

import shutil
import sys
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from camp_manager.db.models import BusinessField, RoomKind
from camp_manager.files import atomic_write
from camp_manager.i18n import current_language, language_scope, tr
from camp_manager.importing.mapping import field_label
from camp_manager.labels import label
from camp_manager.resources import resource_path
from camp_manager.services.bizno import check_digit, format_bizno

TEMPLATE_FILE = "import_template.xlsx"
TEMPLATE_ROWS = 1_000
RESIDENT_COLUMNS = (
    "name",
    "representative",
    "biz_reg_no",
    "field",
    "founded_on",
    "move_in",
    "contract_end",
    "room",
    "employees",
    "phone",
    "email",
    "notes",
)
ROOM_COLUMNS = ("facility", "floor", "room", "kind", "seats", "area_m2")
REQUIRED = {"name", "biz_reg_no", "room"}
_EXAMPLE_BIZNO = format_bizno("123456789" + str(check_digit("123456789")))


def _header(key: str, required: set[str]) -> str:
    return f"{field_label(key)} *" if key in required else field_label(key)


def _sheet(
    workbook: Workbook,
    title: str,
    columns: tuple[str, ...],
    required: set[str],
    example: list[object],
    lists: dict[str, list[str]],
) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append([_header(key, required) for key in columns])
    sheet.append(example)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in sheet[2]:
        cell.font = Font(italic=True, color="808080")
        if isinstance(cell.value, date):
            cell.number_format = "yyyy-mm-dd"
    for index, key in enumerate(columns):
        letter = sheet.cell(row=1, column=index + 1).column_letter
        sheet.column_dimensions[letter].width = max(12, len(_header(key, required)) * 2 + 2)
        if key in lists:
            validation = DataValidation(type="list", formula1='"' + ",".join(lists[key]) + '"', allow_blank=True)
            validation.error = tr("목록에서 고르세요.")
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"


def build_template() -> Workbook:
    """The template in the current language."""
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # openpyxl's default sheet
    fields = [label(member) for member in BusinessField]
    kinds = [label(member) for member in RoomKind]
    example = tr("(예시)")
    _sheet(
        workbook,
        tr("입주기업"),
        RESIDENT_COLUMNS,
        {"name", "biz_reg_no"},
        [
            f"{example} {tr('딥러닝랩스')}",
            tr("김대표"),
            _EXAMPLE_BIZNO,
            label(BusinessField.BIGDATA),
            date(2021, 5, 10),
            date(2024, 3, 2),
            date(2026, 3, 1),
            "305",
            5,
            "062-123-4567",
            "ceo@example.com",
            tr("예시 행은 지우거나 그대로 두어도 됩니다(가져오지 않음)."),
        ],
        {"field": fields},
    )
    _sheet(
        workbook,
        tr("호실"),
        ROOM_COLUMNS,
        {"room"},
        [f"{example} {tr('AI 창업캠프')}", 3, "305", label(RoomKind.PRIVATE_OFFICE), 4, 20.5],
        {"kind": kinds},
    )
    return workbook


def save_template(path: str | Path) -> Path:
    """Save the template in the current language to `path`."""
    path = Path(path)
    with atomic_write(path) as temporary:
        if current_language() == "ko":
            shutil.copyfile(resource_path("templates", TEMPLATE_FILE), temporary)
        else:
            build_template().save(temporary)
    return path


def main() -> int:
    """Regenerate the committed Korean template."""
    target = resource_path("templates", TEMPLATE_FILE)
    with language_scope("ko"):
        build_template().save(target)
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
