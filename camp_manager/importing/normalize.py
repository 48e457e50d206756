"""Values as people type them, turned into what the database stores.

Text is trimmed and folded (full-width letters and digits become ordinary ones); dates
come as date cells, Excel serial numbers, `2024-03-02`, `2024.03.02`, `2024. 3. 2.`,
`2024/03/02`, `20240302` or `2024년 3월 2일`, and with a two-digit year as Korean offices
write it (`24.03.02`, `24/3/2`, `'24.3.2`, `24-3-2`, `24년 3월 2일`; the century rule is at
`full_year`); counts as `12`, `1,200` or `5명`. Blank
rows, totals rows (합계, 계, 소계), notes and the template's example row are skipped and
reported. A value that cannot be read becomes a problem naming the row, the column, the
value and the fix; nothing here touches the database.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cache
from typing import Any, TypeVar

import sqlalchemy as sa

from camp_manager.db.models import BusinessField, Company, Facility, Room, RoomKind
from camp_manager.i18n import LANGUAGES, language_scope, tr
from camp_manager.importing.mapping import ColumnMapping, fold_header
from camp_manager.importing.read import MAX_CELL_CHARS, LongText, Sheet
from camp_manager.labels import label
from camp_manager.progress import NullProgress, Progress
from camp_manager.services.common import table_of
from camp_manager.services.facilities import normalize_room_code

EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)
_EXCEL_EPOCH = date(1899, 12, 30)
_PROGRESS_EVERY = 1_000
ValueT = TypeVar("ValueT")


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """Something wrong (an error blocks the row) or worth knowing (a warning) about a row."""

    row: int | None  # the sheet row as the user sees it
    column: int | None  # 0-based; None when it concerns the whole row
    header: str
    value: str
    message: str
    severity: Severity = Severity.ERROR

    @property
    def column_letter(self) -> str:
        return column_letter(self.column) if self.column is not None else ""

    def as_dict(self) -> dict[str, object]:
        return {
            "row": self.row,
            "column": self.header,
            "column_letter": self.column_letter,
            "value": self.value,
            "message": self.message,
        }


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column as the spreadsheet names it."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


@dataclass
class SkippedRow:
    row: int
    reason: str


@dataclass
class CleanRow:
    """One data row: `values[field]` is the stored form (None when the cell is blank)."""

    row: int
    values: dict[str, object]
    problems: list[Problem] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(p.severity == Severity.ERROR for p in self.problems)

    def value(self, key: str, kind: type[ValueT]) -> ValueT | None:
        """The stored form of a field, of the type its parser in `PARSERS` returns."""
        value = self.values.get(key)
        if value is None or isinstance(value, kind):
            return value
        # A parser broke its promise: a bug here, not a problem with the file.
        raise TypeError(f"{key} was cleaned into {type(value).__name__}, not {kind.__name__}")


class CellError(Exception):
    """A value that cannot be read; `message` says why and how to fix it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def display(value: object) -> str:
    """A cell's value as the user would recognise it in the file."""
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def fold_text(value: object) -> str:
    """Trimmed, full-width folded, inner runs of spaces made one."""
    return " ".join(unicodedata.normalize("NFKC", display(value)).split())


# --- values ---------------------------------------------------------------------------

# Year first, as Korean offices write dates; the year has four digits or two (`full_year`).
_DATE_PATTERNS = (
    re.compile(r"^(\d{4}|\d{2})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})\s*\.?$"),
    re.compile(r"^(\d{4}|\d{2})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
# The first two-digit year read as 19xx: 00–68 are 2000–2068, 69–99 are 1969–1999, the rule
# of POSIX strptime and Python's `%y`. Fixed rather than relative to today, so a file reads the
# same every year; founding years of the 1970s–90s and contract dates up to 2068 both fit.
TWO_DIGIT_YEAR_PIVOT = 69


def full_year(written: str) -> int:
    """The year of a date's year part: `2024` as it is, `24` → 2024, `98` → 1998 (TWO_DIGIT_YEAR_PIVOT)."""
    year = int(written)
    if len(written) > 2:
        return year
    return year + (1900 if year >= TWO_DIGIT_YEAR_PIVOT else 2000)


_TIME_SUFFIX = re.compile(r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$", re.IGNORECASE)


def parse_date(raw: object) -> date:
    if isinstance(raw, datetime):
        return _in_range(raw.date(), raw)
    if isinstance(raw, date):
        return _in_range(raw, raw)
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return _from_number(raw)
    # A leading apostrophe is Excel's mark for "keep as text" (`'24.3.5`), not part of the date.
    text = fold_text(raw).removeprefix("'")
    text = _TIME_SUFFIX.sub("", text).strip()
    if re.fullmatch(r"\d{1,5}(?:\.0+)?", text):
        return _from_number(float(text))
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = match.groups()
            try:
                return _in_range(date(full_year(year), int(month), int(day)), raw)
            except ValueError:
                break
    raise CellError(tr("날짜 '{value}'를 읽을 수 없습니다. 2024-03-02처럼 연-월-일로 입력하세요.", value=display(raw)))


def _from_number(number: float) -> date:
    if not float(number).is_integer():
        number = int(number)  # a date cell with a time of day
    number = int(number)
    if 19000101 <= number <= 21001231:
        return parse_date(str(number))
    # An Excel serial number: day 1 is 1900-01-01 (Excel counts a 1900-02-29 that never was).
    if 61 <= number <= (LATEST_DATE - _EXCEL_EPOCH).days:
        return _EXCEL_EPOCH + timedelta(days=number)
    raise CellError(tr("날짜 '{value}'를 읽을 수 없습니다. 2024-03-02처럼 연-월-일로 입력하세요.", value=number))


def _in_range(value: date, raw: object) -> date:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise CellError(
            tr("날짜 '{value}'가 1900년부터 2100년 사이가 아닙니다. 연도를 확인하세요.", value=display(raw))
        )
    return value


_COUNT_SUFFIXES = re.compile(r"(명|인|개|석|persons?|people|employees|seats?)$", re.IGNORECASE)


def _number_text(raw: object, suffixes: re.Pattern[str]) -> str:
    text = fold_text(raw).replace(",", "").replace(" ", "")
    return suffixes.sub("", text)


def parse_count(raw: object) -> int:
    """A whole number of people or seats, 0 or more: 12, 1,200, 5명."""
    if isinstance(raw, bool):
        raise CellError(tr("'{value}'은(는) 숫자가 아닙니다. 0 이상의 정수를 입력하세요 (예: 12).", value=raw))
    if isinstance(raw, (int, float)):
        number = raw
    else:
        text = _number_text(raw, _COUNT_SUFFIXES)
        try:
            number = float(text)
        except ValueError:
            raise CellError(
                tr("'{value}'은(는) 숫자가 아닙니다. 0 이상의 정수를 입력하세요 (예: 12).", value=display(raw))
            ) from None
    if math.isnan(number) or not float(number).is_integer() or number < 0:
        raise CellError(
            tr("'{value}'은(는) 0 이상의 정수가 아닙니다. 0 이상의 정수를 입력하세요 (예: 12).", value=display(raw))
        )
    return int(number)


_AREA_SUFFIXES = re.compile(r"(m2|m\^2|평방미터|제곱미터|sqm)$", re.IGNORECASE)


def parse_area(raw: object) -> float:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        number = float(raw)
    else:
        try:
            number = float(_number_text(raw, _AREA_SUFFIXES))
        except ValueError:
            raise CellError(
                tr("면적 '{value}'을(를) 읽을 수 없습니다. ㎡ 단위 숫자로 입력하세요 (예: 24.5).", value=display(raw))
            ) from None
    if math.isnan(number) or number < 0:
        raise CellError(
            tr("면적 '{value}'을(를) 읽을 수 없습니다. ㎡ 단위 숫자로 입력하세요 (예: 24.5).", value=display(raw))
        )
    return number


_KRW_UNITS = {"조": 10**12, "억": 10**8, "천만": 10**7, "백만": 10**6, "만": 10**4, "천": 10**3}
_KRW_PART = re.compile(r"(\d+(?:\.\d+)?)(조|억|천만|백만|만|천)?")


def parse_krw(raw: object) -> int:
    """An amount in won: 150000000, 150,000,000원, 1.5억, 1억 5천만원."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if raw < 0 or math.isnan(raw):
            raise CellError(
                tr(
                    "금액 '{value}'을(를) 읽을 수 없습니다. 원 단위 숫자로 입력하세요 (예: 150,000,000 또는 1.5억).",
                    value=display(raw),
                )
            )
        return round(raw)
    text = fold_text(raw).replace(",", "").replace(" ", "").removesuffix("원")
    position, total = 0, 0.0
    for match in _KRW_PART.finditer(text):
        if match.start() != position:
            break
        total += float(match.group(1)) * _KRW_UNITS.get(match.group(2) or "", 1)
        position = match.end()
    if not text or position != len(text):
        raise CellError(
            tr(
                "금액 '{value}'을(를) 읽을 수 없습니다. 원 단위 숫자로 입력하세요 (예: 150,000,000 또는 1.5억).",
                value=display(raw),
            )
        )
    return round(total)


def parse_signed_krw(raw: object) -> int:
    """An amount in won that may be written negative: the use case's checks say what is wrong with it."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and not math.isnan(raw):
        return round(raw)
    text = fold_text(raw)
    if text.startswith(("-", "\N{MINUS SIGN}")):
        return -parse_krw(text[1:])
    return parse_krw(raw)


_FLOOR = re.compile(r"^(지하|b)?(-?\d+)(층|f|fl|floor)?$", re.IGNORECASE)


def parse_floor(raw: object) -> int:
    """3, 3층, 3F; basements as B1, 지하1층 or -1."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and float(raw).is_integer():
        return int(raw)
    match = _FLOOR.match(fold_text(raw).replace(" ", ""))
    if not match:
        raise CellError(
            tr("층 '{value}'을(를) 읽을 수 없습니다. 숫자로 입력하세요 (예: 3, 지하는 -1).", value=display(raw))
        )
    number = int(match.group(2))
    return -abs(number) if match.group(1) else number


_ROOM_SEPARATORS = re.compile(r"[,/·、;&~]|및| and ")


def parse_room_code(raw: object) -> str:
    text = fold_text(raw)
    if _ROOM_SEPARATORS.search(text):
        raise CellError(
            tr("호실 '{value}'에 호실이 여럿 적혀 있습니다. 한 행에 호실 하나만 적으세요.", value=display(raw))
        )
    code = normalize_room_code(text)
    _check_length(code, _length(table_of(Room).c.code))
    return code


_FIELD_WORDS: dict[BusinessField, tuple[str, ...]] = {
    BusinessField.BIGDATA: ("빅데이터", "데이터", "big data", "data"),
    BusinessField.HEALTHCARE: ("헬스케어", "의료", "바이오", "health", "healthcare", "medical", "bio"),
    BusinessField.ENERGY: ("에너지", "energy"),
    BusinessField.CONTENT: ("콘텐츠", "컨텐츠", "미디어", "content", "contents", "media"),
    BusinessField.PLATFORM: ("플랫폼", "platform"),
    BusinessField.SECURITY: ("보안", "정보보안", "security"),
    BusinessField.AUTOMOTIVE: ("자동차", "모빌리티", "automotive", "mobility"),
    BusinessField.MANUFACTURING: ("제조", "제조업", "manufacturing"),
    BusinessField.EDUCATION: ("교육", "에듀테크", "education", "edtech"),
    BusinessField.FINTECH: ("핀테크", "금융", "fintech"),
    BusinessField.OTHER: ("기타", "other", "etc"),
}
_KIND_WORDS: dict[RoomKind, tuple[str, ...]] = {
    RoomKind.PRIVATE_OFFICE: (
        "개별 사무실",
        "사무실",
        "개별실",
        "독립실",
        "개인실",
        "private",
        "private office",
        "office",
    ),
    RoomKind.SHARED_ZONE: (
        "공유 좌석존",
        "공유좌석",
        "공유",
        "좌석존",
        "공유 오피스",
        "코워킹",
        "오픈 데스크",
        "shared",
        "shared zone",
        "coworking",
        "hot desk",
    ),
    RoomKind.MEETING_ROOM: ("회의실", "미팅룸", "meeting", "meeting room"),
}


@cache
def _vocabulary(enum_type: type[StrEnum]) -> dict[str, StrEnum]:
    """Folded word → code: the codes, their labels in every language, and the usual variants."""
    words = _FIELD_WORDS if enum_type is BusinessField else _KIND_WORDS
    found: dict[str, StrEnum] = {}
    for language in LANGUAGES:
        with language_scope(language):
            found.update(
                {
                    fold_header(word): member
                    for member, aliases in words.items()
                    for word in (*aliases, member.value, label(member))
                }
            )
    return found


def parse_business_field(raw: object, warnings: list[str]) -> str:
    member = _vocabulary(BusinessField).get(fold_header(raw))
    if member is None:
        warnings.append(
            tr(
                "분야 '{value}'을(를) 목록에서 찾지 못해 '{other}'(으)로 넣습니다. 맞는 분야가 있으면 파일에서 고치세요: {choices}",
                value=display(raw),
                other=label(BusinessField.OTHER),
                choices=", ".join(label(m) for m in BusinessField),
            )
        )
        return BusinessField.OTHER.value
    return member.value


def parse_room_kind(raw: object) -> str:
    member = _vocabulary(RoomKind).get(fold_header(raw))
    if member is None:
        raise CellError(
            tr(
                "호실 유형 '{value}'은(는) 목록에 없습니다. 다음 중에서 고르세요: {choices}",
                value=display(raw),
                choices=", ".join(label(m) for m in RoomKind),
            )
        )
    return member.value


def parse_bizno(raw: object) -> str:
    """The number as written, folded; the checks (`companies.input_problems`) say what is wrong with it."""
    return str(int(raw)) if isinstance(raw, (int, float)) and not isinstance(raw, bool) else fold_text(raw)


def _check_length(text: str, limit: int | None) -> str:
    if limit is not None and len(text) > limit:
        raise CellError(tr("{length}자로 너무 깁니다. {limit}자 이내로 줄이세요.", length=len(text), limit=limit))
    return text


def _text_parser(limit: int | None) -> Callable[[object], str]:
    def parse(raw: object) -> str:
        return _check_length(fold_text(raw), limit)

    return parse


def _notes(raw: object) -> str:
    # Notes keep their line breaks; only the ends are trimmed.
    return unicodedata.normalize("NFKC", display(raw)).strip()


def _length(column: sa.Column[Any]) -> int:
    """The most characters a VARCHAR column holds."""
    length = column.type.length if isinstance(column.type, sa.String) else None
    assert length is not None, f"{column} is a VARCHAR with a length"
    return length


_company = table_of(Company).c
PARSERS: dict[str, Callable[..., object]] = {
    "name": _text_parser(_length(_company.name)),
    "representative": _text_parser(_length(_company.representative)),
    "biz_reg_no": parse_bizno,
    "field": parse_business_field,
    "founded_on": parse_date,
    "move_in": parse_date,
    "contract_end": parse_date,
    "employees": parse_count,
    "phone": _text_parser(_length(_company.phone)),
    "email": _text_parser(_length(_company.email)),
    "investment_krw": parse_krw,
    "notes": _notes,
    "facility": _text_parser(_length(table_of(Facility).c.name)),
    "room": parse_room_code,
    "seats": parse_count,
    "floor": parse_floor,
    "kind": parse_room_kind,
    "area_m2": parse_area,
    "year": parse_count,
    "sales_krw": parse_signed_krw,
    "exports_krw": parse_signed_krw,
    "total_employees": parse_count,
    "dated_on": parse_date,
    "valid_until": parse_date,
    "outcome_kind": fold_text,
    "investor": fold_text,
    "record_number": fold_text,
    "title": fold_text,
    "agency": fold_text,
    "amount_krw": parse_signed_krw,
}
_WITH_WARNINGS = {"field"}


# --- rows -----------------------------------------------------------------------------

_TOTAL_WORDS = {
    "합계",
    "계",
    "소계",
    "총계",
    "누계",
    "총합계",
    "합",
    "total",
    "subtotal",
    "sum",
    "grandtotal",
    "totals",
}
_NOTE_STARTS = ("※", "*", "#", "(단위", "[단위", "단위:", "주)", "주:", "note:")
_EXAMPLE_STARTS = ("(예시)", "예시)", "[예시]", "예시:", "(example)", "example:", "e.g.")


def _filled(row: list[object]) -> list[object]:
    return [cell for cell in row if cell != "" and cell is not None and not (type(cell) is str and cell.isspace())]


class _RowReader:
    """Reads the rows under one header; what depends only on the mapping is worked out once."""

    def __init__(self, mapping: ColumnMapping) -> None:
        self.mapping = mapping
        self.fields = [(key, column, PARSERS[key], key in _WITH_WARNINGS) for key, column in mapping.mapped().items()]
        self.name_column = mapping.column_of("name")
        self.headers = [(column, mapping.header_of(column)) for _, column, _, _ in self.fields]

    def skip_reason(self, row: list[object]) -> str | None:
        filled = _filled(row)
        if not filled:
            return tr("빈 행")
        first = fold_text(filled[0]).lower() if type(filled[0]) is str else ""
        name_column = self.name_column
        name = (
            fold_text(row[name_column]).lower()
            if name_column is not None and name_column < len(row) and type(row[name_column]) is str
            else ""
        )
        if first.replace(" ", "") in _TOTAL_WORDS or name.replace(" ", "") in _TOTAL_WORDS:
            return tr("합계 행")
        if first.startswith(_EXAMPLE_STARTS) or name.startswith(_EXAMPLE_STARTS):
            return tr("예시 행")
        if len(filled) == 1 and first.startswith(_NOTE_STARTS):
            return tr("안내 문구")
        if sum(1 for column, header in self.headers if column < len(row) and header and row[column] == header) >= 2:
            return tr("반복된 제목 행")
        return None

    def clean(self, number: int, row: list[object]) -> CleanRow:
        values: dict[str, object] = {}
        problems: list[Problem] = []
        width = len(row)
        for key, column, parse, warns in self.fields:
            raw = row[column] if column < width else ""
            if raw == "" or raw is None or (type(raw) is str and raw.isspace()):
                values[key] = None
                continue
            try:
                if isinstance(raw, LongText):
                    raise CellError(
                        tr(
                            "셀 내용이 {length:,}자로 너무 깁니다. {limit:,}자 이내로 줄이세요.",
                            length=raw.length,
                            limit=MAX_CELL_CHARS,
                        )
                    )
                if warns:
                    warnings: list[str] = []
                    values[key] = parse(raw, warnings)
                    header = self.mapping.header_of(column)
                    problems.extend(
                        Problem(number, column, header, display(raw), w, Severity.WARNING) for w in warnings
                    )
                else:
                    values[key] = parse(raw)
            except CellError as error:
                values[key] = None
                problems.append(Problem(number, column, self.mapping.header_of(column), display(raw), error.message))
        return CleanRow(row=number, values=values, problems=problems)


def clean_rows(
    sheet: Sheet, mapping: ColumnMapping, progress: Progress | None = None
) -> tuple[list[CleanRow], list[SkippedRow]]:
    """The data rows under the header, read into stored forms, and the rows skipped with why."""
    progress = progress or NullProgress()
    reader = _RowReader(mapping)
    rows: list[CleanRow] = []
    skipped: list[SkippedRow] = []
    data = sheet.rows[mapping.header_row :]
    end = len(data)
    while end and not _filled(data[end - 1]):
        end -= 1  # blank rows after the last one are not rows of the list
    for offset, row in enumerate(data[:end]):
        if offset % _PROGRESS_EVERY == 0:
            progress.report(offset, end, tr("값 확인 중"))
            progress.check_cancelled()
        number = mapping.header_row + offset + 1
        reason = reader.skip_reason(row)
        if reason is not None:
            skipped.append(SkippedRow(row=number, reason=reason))
            continue
        rows.append(reader.clean(number, row))
    return rows, skipped
