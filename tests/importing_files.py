"""Spreadsheet files the import tests build at run time: workbooks as people make them,
and the bad files an import must survive.

Only the password-protected workbook is a stored fixture (tests/data/import/), because
no library here can encrypt one; LibreOffice turns a built workbook into .xls and .ods.
"""

from __future__ import annotations

import csv
import os
import random
import shutil
import subprocess
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import openpyxl
import pytest

from tests.factories import valid_bizno

DATA = Path(__file__).parent / "data" / "import"
ENCRYPTED_WORKBOOK = DATA / "encrypted.xlsx"

RESIDENT_HEADER = ["No.", "기업명", "대표자", "사업자등록번호", "입주일", "호실", "고용인원", "분야", "주소"]


# Far from the numbers `tests.factories.resident` hands out one after another.
_SEED_BASE = 700_000_000


def digits(seed: int) -> str:
    """A valid business number as stored: ten digits."""
    return valid_bizno(_SEED_BASE + seed)


def bizno(seed: int) -> str:
    """The same number written the usual way, 123-45-67891."""
    number = digits(seed)
    return f"{number[:3]}-{number[3:5]}-{number[5:]}"


def xlsx(
    path: Path,
    rows: Iterable[Sequence[object]],
    *,
    sheet: str = "입주기업",
    merge: str | None = None,
    sheets: dict[str, list] | None = None,
) -> Path:
    """A workbook whose first sheet holds `rows` from A1; `merge` merges a range (a title)."""
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(list(row))
    if merge:
        worksheet.merge_cells(merge)
    for name, other_rows in (sheets or {}).items():
        other = workbook.create_sheet(name)
        for row in other_rows:
            other.append(list(row))
    workbook.save(path)
    return path


def titled_resident_list(path: Path, data: Iterable[Sequence[object]], header: Sequence[str] = RESIDENT_HEADER) -> Path:
    """The shape offices send: a merged title, a unit note, a blank row, then the header (row 4)."""
    rows = [["2024년 AI 창업캠프 입주기업 현황"], ["(단위: 명)"], [], list(header), *data]
    return xlsx(path, rows, merge="A1:F1")


def csv_file(path: Path, rows: Iterable[Sequence[object]], *, encoding: str = "utf-8", delimiter: str = ",") -> Path:
    with path.open("w", encoding=encoding, newline="") as stream:
        csv.writer(stream, delimiter=delimiter).writerows(rows)
    return path


def with_cached_formula(path: Path, cell: str, formula: str, cached: str) -> Path:
    """Put a formula with a saved result in `cell`, as Excel would store it (openpyxl cannot)."""
    workbook = openpyxl.load_workbook(path)
    workbook.active[cell] = f"={formula}"
    workbook.save(path)
    temporary = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                stored = f"<f>{formula}</f><v />"
                assert stored in text, text
                data = text.replace(stored, f"<f>{formula}</f><v>{cached}</v>").encode("utf-8")
            target.writestr(item, data)
    os.replace(temporary, path)
    return path


_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
</Types>"""
_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
_WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"""
_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
</Relationships>"""


def raw_xlsx(path: Path, sheet_xml_chunks: Iterable[str]) -> Path:
    """A minimal workbook written by hand, its sheet streamed in: fast for 100,000 rows."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            for chunk in sheet_xml_chunks:
                sheet.write(chunk.encode("utf-8"))
            sheet.write(b"</sheetData></worksheet>")
    return path


def inline_row(number: int, values: Sequence[str]) -> str:
    cells = "".join(f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


def many_rows_xlsx(path: Path, count: int) -> Path:
    def rows():
        yield inline_row(1, ["기업명", "사업자등록번호"])
        for number in range(2, count + 2):
            yield inline_row(number, [f"기업{number}", "123-45-67891"])

    return raw_xlsx(path, rows())


def long_cell_xlsx(path: Path, characters: int) -> Path:
    """A note of `characters` varied Hangul (Excel caps a cell at 32,767; a hostile file need not).

    Varied, so that it does not compress like a zip bomb.
    """
    text = "".join(random.Random(characters).choices([chr(c) for c in range(0xAC00, 0xD7A4)], k=characters))
    return raw_xlsx(path, [inline_row(1, ["기업명", "비고"]), inline_row(2, ["딥러닝랩스", text])])


def zip_bomb_xlsx(path: Path, megabytes: int = 30) -> Path:
    """A valid-looking workbook whose sheet inflates from a few kB to `megabytes` of blanks."""

    def blanks():
        yield inline_row(1, ["기업명", "사업자등록번호"])
        for _ in range(megabytes):
            yield " " * 2**20

    return raw_xlsx(path, blanks())


def lie_about_sizes(path: Path, member: str, size: int = 1_000) -> Path:
    """Rewrite the zip headers so `member` claims to inflate to `size` bytes (a lying bomb)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    local = info.header_offset
    data[local + 22 : local + 26] = size.to_bytes(4, "little")
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = int.from_bytes(data[central + 28 : central + 30], "little")
        if data[central + 46 : central + 46 + name_length] == member.encode():
            data[central + 24 : central + 28] = size.to_bytes(4, "little")
            break
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))
    return path


_ODS_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""


def ods(path: Path, rows: Iterable[Sequence[object]], sheet: str = "입주기업") -> Path:
    """An OpenDocument spreadsheet written by hand (text cells and date cells)."""

    def cell(value: object) -> str:
        if value in (None, ""):
            return "<table:table-cell/>"
        if hasattr(value, "isoformat"):
            return f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}"><text:p>{value}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'

    body = "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>'
        f'<table:table table:name="{sheet}">{body}</table:table></office:spreadsheet></office:body></office:document-content>'
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def office_convert(source: Path, extension: str, out_dir: Path) -> Path:
    """`source` saved by LibreOffice as `extension` (e.g. "xls"), or the test is skipped without it."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    profile = out_dir / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            extension,
            "--outdir",
            str(out_dir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    converted = out_dir / f"{source.stem}.{extension}"
    assert converted.exists(), f"LibreOffice did not write {converted}"
    return converted
