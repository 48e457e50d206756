"""Reading a spreadsheet safely: .xlsx/.xls/.ods through python-calamine, .csv by hand.

A file from outside is untrusted. It is read into memory once (size-capped), its kind
is told from its first bytes rather than its name, a zip container is measured by
actually inflating each member before calamine opens it (so a zip bomb or a lying
header is refused early), and rows, columns and cell lengths are capped. Formulas are
never evaluated: calamine returns the value the spreadsheet program saved with them.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, cast

from camp_manager.errors import DomainError
from camp_manager.i18n import tr
from camp_manager.progress import NullProgress, Progress

if TYPE_CHECKING:
    from python_calamine import CalamineWorkbook

MAX_FILE_BYTES = 50 * 2**20
MAX_UNCOMPRESSED_BYTES = 100 * 2**20
# Ordinary sheets inflate 5–30×; a bomb inflates hundreds or thousands of times.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_ABOVE_BYTES = 2**20
MAX_ZIP_MEMBERS = 10_000
MAX_ROWS = 50_000
MAX_COLUMNS = 200
MAX_CELL_CHARS = 10_000
_PROGRESS_EVERY = 2_000

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted .xlsx is an OLE container holding this stream (MS-OFFCRYPTO).
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
_LOCAL_HEADER = struct.Struct("<4s5H3I2H")


class FileFormat(StrEnum):
    XLSX = "xlsx"
    XLS = "xls"
    ODS = "ods"
    CSV = "csv"


@dataclass(frozen=True)
class LongText:
    """A cell longer than `MAX_CELL_CHARS`: only its start is kept; the checks report it."""

    length: int
    start: str

    def __str__(self) -> str:
        return self.start + "…"


@dataclass
class Sheet:
    """One sheet as the user sees it: `rows[i]` is row i+1, `rows[i][j]` is column j+1.

    Cells hold what the file holds: str, int, float, bool, date, datetime, or LongText;
    an empty cell is "".
    """

    name: str
    rows: list[list[object]]

    @property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=0)


@dataclass
class SourceFile:
    path: Path
    format: FileFormat
    sha256: str
    sheet_names: list[str]
    _workbook: CalamineWorkbook | None = field(default=None, repr=False)
    _csv_rows: list[list[object]] | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return self.path.name

    def read_sheet(self, name: str | None = None, progress: Progress | None = None) -> Sheet:
        """The named sheet (the first when None), with long cells cut short."""
        progress = progress or NullProgress()
        name = name or self.sheet_names[0]
        if name not in self.sheet_names:
            raise DomainError(
                tr(
                    "시트 '{sheet}'이(가) 파일에 없습니다. 다음 중에서 고르세요: {names}",
                    sheet=name,
                    names=", ".join(self.sheet_names),
                ),
                field="sheet",
            )
        if self._csv_rows is not None:
            return Sheet(name=name, rows=self._csv_rows)
        return Sheet(name=name, rows=_read_calamine_sheet(self, name, progress))


def open_file(path: str | Path, progress: Progress | None = None) -> SourceFile:
    """Open a spreadsheet for import, or raise a DomainError that says what is wrong and what to do."""
    progress = progress or NullProgress()
    path = Path(path)
    data = _read_bytes(path)
    progress.check_cancelled()
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(b"PK"):
        return _open_zip_workbook(path, data, digest)
    if data.startswith(_OLE_MAGIC):
        return _open_ole_workbook(path, data, digest)
    if path.suffix.lower() in _TEXT_SUFFIXES:
        rows = _read_csv(path, data, progress)
        return SourceFile(path=path, format=FileFormat.CSV, sha256=digest, sheet_names=[path.stem], _csv_rows=rows)
    head = data[:2048].lower()
    if b"<html" in head or b"<table" in head or b"<!doctype" in head:
        raise DomainError(
            tr(
                "'{name}'은(는) 엑셀 파일이 아니라 웹 페이지(HTML)를 엑셀 이름으로 저장한 파일입니다. 엑셀에서 열어 '엑셀 통합 문서(.xlsx)'로 다시 저장한 뒤 가져오세요.",
                name=path.name,
            ),
            field="file",
        )
    raise DomainError(
        tr(
            "'{name}'은(는) 스프레드시트 파일이 아닙니다. 엑셀(.xlsx, .xls), ODS 또는 CSV 파일을 고르세요. CSV 파일이라면 확장자를 .csv로 바꾸세요.",
            name=path.name,
        ),
        field="file",
    )


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DomainError(
                tr(
                    "'{name}'이(가) 너무 큽니다({size} MB). {limit} MB 이하의 파일만 가져올 수 있습니다. 파일을 나누어 가져오세요.",
                    name=path.name,
                    size=size // 2**20,
                    limit=MAX_FILE_BYTES // 2**20,
                ),
                field="file",
            )
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise DomainError(
            tr("'{name}'을(를) 열 수 없습니다: {reason}", name=path.name, reason=error.strerror or error), field="file"
        ) from None
    if not data:
        raise DomainError(tr("'{name}'은(는) 빈 파일입니다.", name=path.name), field="file")
    return data


def _unreadable(path: Path, detail: object) -> DomainError:
    return DomainError(
        tr(
            "'{name}'을(를) 읽을 수 없습니다. 파일이 손상되었을 수 있습니다. 엑셀에서 열어 다시 저장한 뒤 가져오세요. ({detail})",
            name=path.name,
            detail=detail,
        ),
        field="file",
    )


def _password_protected(path: Path) -> DomainError:
    return DomainError(
        tr(
            "'{name}'은(는) 암호가 걸려 있어 읽을 수 없습니다. 엑셀에서 암호를 풀고 저장한 뒤 가져오세요.",
            name=path.name,
        ),
        field="file",
    )


def _open_zip_workbook(path: Path, data: bytes, digest: str) -> SourceFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        raise _unreadable(path, error) from None
    names = {member.filename for member in members}
    if "mimetype" in names and _first_bytes(path, archive, "mimetype").strip() == _ODS_MIMETYPE:
        file_format = FileFormat.ODS
    elif "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        file_format = FileFormat.XLSX
    else:
        raise DomainError(
            tr(
                "'{name}'은(는) 압축 파일이지만 엑셀 통합 문서가 아닙니다. 엑셀(.xlsx, .xls), ODS 또는 CSV 파일을 고르세요.",
                name=path.name,
            ),
            field="file",
        )
    _check_inflated_size(path, data, members)
    return _open_calamine(path, data, digest, file_format)


def _first_bytes(path: Path, archive: zipfile.ZipFile, member: str) -> bytes:
    """The start of a member only: it has not been measured yet."""
    try:
        with archive.open(member) as stream:
            return stream.read(len(_ODS_MIMETYPE) + 16)
    except (zipfile.BadZipFile, ValueError, EOFError, zlib.error, NotImplementedError, RuntimeError) as error:
        raise _unreadable(path, error) from None


def _check_inflated_size(path: Path, data: bytes, members: list[zipfile.ZipInfo]) -> None:
    """Inflate every member, counting the bytes, before anything else parses them.

    The sizes written in a zip's headers can lie; the inflated stream cannot.
    """
    if len(members) > MAX_ZIP_MEMBERS:
        raise _too_big_inside(path)
    total = 0
    for member in members:
        compressed = _raw_member_bytes(path, data, member)
        if member.compress_type == zipfile.ZIP_STORED:
            total += len(compressed)
        elif member.compress_type == zipfile.ZIP_DEFLATED:
            total += _inflated_size(path, compressed, budget=MAX_UNCOMPRESSED_BYTES - total)
        else:
            raise _unreadable(path, f"compression {member.compress_type}")
        if total > MAX_UNCOMPRESSED_BYTES:
            raise _too_big_inside(path)


def _raw_member_bytes(path: Path, data: bytes, member: zipfile.ZipInfo) -> bytes:
    offset = member.header_offset
    header = data[offset : offset + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise _unreadable(path, member.filename)
    name_length, extra_length = _LOCAL_HEADER.unpack(header)[-2:]
    start = offset + _LOCAL_HEADER.size + name_length + extra_length
    return data[start : start + member.compress_size]


def _inflated_size(path: Path, compressed: bytes, *, budget: int) -> int:
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    size = 0
    pending = compressed
    try:
        while pending and not inflater.eof:
            size += len(inflater.decompress(pending, 2**20))
            pending = inflater.unconsumed_tail
            if size > budget or (
                size > RATIO_CHECKED_ABOVE_BYTES and size > MAX_COMPRESSION_RATIO * max(len(compressed), 1)
            ):
                raise _too_big_inside(path)
    except zlib.error as error:
        raise _unreadable(path, error) from None
    return size


def _too_big_inside(path: Path) -> DomainError:
    return DomainError(
        tr(
            "'{name}'은(는) 압축을 풀면 지나치게 커지는 파일입니다(압축 폭탄일 수 있습니다). 가져오지 않았습니다. 엑셀에서 필요한 부분만 새 파일로 저장해 가져오세요.",
            name=path.name,
        ),
        field="file",
    )


def _open_ole_workbook(path: Path, data: bytes, digest: str) -> SourceFile:
    if _ENCRYPTED_STREAM in data:
        raise _password_protected(path)
    return _open_calamine(path, data, digest, FileFormat.XLS)


def _open_calamine(path: Path, data: bytes, digest: str, file_format: FileFormat) -> SourceFile:
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetTypeEnum  # noqa: PLC0415 (when a workbook is read)

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = [sheet.name for sheet in workbook.sheets_metadata if sheet.typ == SheetTypeEnum.WorkSheet]
    except PasswordError:
        raise _password_protected(path) from None
    except CalamineError as error:
        raise _unreadable(path, error) from None
    if not names:
        raise DomainError(tr("'{name}'에 워크시트가 없습니다.", name=path.name), field="file")
    return SourceFile(path=path, format=file_format, sha256=digest, sheet_names=names, _workbook=workbook)


def _read_calamine_sheet(source: SourceFile, name: str, progress: Progress) -> list[list[object]]:
    from python_calamine import CalamineError, PasswordError  # noqa: PLC0415 (when a workbook is read)

    try:
        assert source._workbook is not None, "open_file gives every SourceFile its workbook"
        sheet = source._workbook.get_sheet_by_name(name)
    except PasswordError:
        raise _password_protected(source.path) from None
    except CalamineError as error:
        raise _unreadable(source.path, error) from None
    if sheet.end is None:
        return []
    last_row, last_column = sheet.end[0] + 1, sheet.end[1] + 1
    _check_shape(name, last_row, last_column)
    progress.check_cancelled()
    # Any value: a cell too long to keep becomes a LongText below.
    rows = cast(list[list[object]], sheet.to_python(skip_empty_area=False))
    for number, row in enumerate(rows):
        if number % _PROGRESS_EVERY == 0:
            progress.report(number, len(rows), tr("'{sheet}' 읽는 중", sheet=name))
            progress.check_cancelled()
        for index, value in enumerate(row):
            if type(value) is str and len(value) > MAX_CELL_CHARS:
                row[index] = LongText(len(value), value[:40])
    return rows


def _check_shape(sheet: str, rows: int, columns: int) -> None:
    if rows > MAX_ROWS:
        raise DomainError(
            tr(
                "시트 '{sheet}'에 행이 {rows:,}개 있습니다. 한 번에 {limit:,}행까지 가져올 수 있습니다. 파일을 나누어 가져오세요.",
                sheet=sheet,
                rows=rows,
                limit=MAX_ROWS,
            ),
            field="file",
        )
    if columns > MAX_COLUMNS:
        raise DomainError(
            tr(
                "시트 '{sheet}'에 열이 {columns}개 있습니다. {limit}열까지 읽을 수 있습니다. 필요 없는 열을 지우고 가져오세요.",
                sheet=sheet,
                columns=columns,
                limit=MAX_COLUMNS,
            ),
            field="file",
        )


def decode_text(path: Path, data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or CP949/EUC-KR (Korean Excel's CSV) — detected, not asked."""
    if data.startswith(codecs.BOM_UTF8):
        candidates: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)
    else:
        candidates = ("utf-8", "cp949")
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DomainError(
        tr(
            "'{name}'의 글자 인코딩을 알 수 없습니다. 엑셀에서 'CSV UTF-8(쉼표로 분리)' 형식으로 다시 저장하세요.",
            name=path.name,
        ),
        field="file",
    )


def _read_csv(path: Path, data: bytes, progress: Progress) -> list[list[object]]:
    text = decode_text(path, data)
    if "\x00" in text:
        raise DomainError(
            tr(
                "'{name}'은(는) 스프레드시트 파일이 아닙니다. 엑셀(.xlsx, .xls), ODS 또는 CSV 파일을 고르세요. CSV 파일이라면 확장자를 .csv로 바꾸세요.",
                name=path.name,
            ),
            field="file",
        )
    try:
        dialect = csv.Sniffer().sniff(text[:65536], delimiters=",\t;|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    rows: list[list[object]] = []
    # The whole file is in memory already: a long cell is read in full and reported with its real length.
    csv.field_size_limit(max(csv.field_size_limit(), len(text)))
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for row in reader:
            if len(rows) % _PROGRESS_EVERY == 0:
                progress.check_cancelled()
            rows.append([LongText(len(cell), cell[:40]) if len(cell) > MAX_CELL_CHARS else cell for cell in row])
            _check_shape(path.stem, len(rows), len(row))
    except csv.Error as error:
        raise DomainError(
            tr(
                "'{name}'의 {row}행을 읽을 수 없습니다: {detail}. 엑셀에서 열어 확인한 뒤 다시 저장하세요.",
                name=path.name,
                row=reader.line_num,
                detail=error,
            ),
            field="file",
        ) from None
    return rows
