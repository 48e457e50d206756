"""Finding the header row and matching its columns to fields by meaning, in Korean and English.

Headers are compared after folding: width (NFKC), case, spaces, punctuation and any
note in brackets ("고용인원(명)" → "고용인원"). A header that is not an exact variant
matches the variant that ends last in it, then the longest ("대표자 연락처" is a phone
number, "입주기업명" a company name): in Korean and English alike the head noun comes last.
A mapping the user corrected is remembered for files with the same header.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import platformdirs

from camp_manager import APP_NAME
from camp_manager.files import atomic_write
from camp_manager.i18n import tr
from camp_manager.importing.read import Sheet, SourceFile
from camp_manager.progress import NullProgress, Progress

HEADER_SEARCH_ROWS = 30
MAPPINGS_FILE = "import_mappings.json"


class ListKind(StrEnum):
    RESIDENTS = "residents"
    ROOMS = "rooms"
    # The sheets of the performance survey (경영성과 조사표, importing/survey.py).
    SURVEY_SALES = "survey_sales"
    SURVEY_INVESTMENT = "survey_investment"
    SURVEY_IP = "survey_ip"
    SURVEY_CERTIFICATION = "survey_certification"
    SURVEY_PROJECT = "survey_project"


# The lists a sheet of its own can be (the survey's sheets come only as the survey workbook).
LIST_KINDS = (ListKind.RESIDENTS, ListKind.ROOMS)
SURVEY_KINDS = tuple(kind for kind in ListKind if kind not in LIST_KINDS)


@dataclass(frozen=True)
class FieldSpec:
    key: str
    kinds: frozenset[ListKind]
    aliases: tuple[str, ...]

    @property
    def label(self) -> str:
        return field_label(self.key)


_BOTH = frozenset(LIST_KINDS)
_RESIDENTS = frozenset({ListKind.RESIDENTS})
_ROOMS = frozenset({ListKind.ROOMS})
_SURVEY = frozenset(SURVEY_KINDS)
_SALES = frozenset({ListKind.SURVEY_SALES})
_EVENTS = frozenset(SURVEY_KINDS) - _SALES

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "name",
        _RESIDENTS | _SURVEY,
        (
            "기업명",
            "회사명",
            "업체명",
            "상호",
            "상호명",
            "법인명",
            "입주기업",
            "기업이름",
            "회사이름",
            "company",
            "companyname",
            "firm",
            "business name",
            "name",
        ),
    ),
    FieldSpec(
        "representative",
        _RESIDENTS,
        (
            "대표자",
            "대표자명",
            "대표이사",
            "대표자성명",
            "대표",
            "ceo",
            "ceo name",
            "representative",
            "representative name",
            "president",
        ),
    ),
    FieldSpec(
        "biz_reg_no",
        _RESIDENTS | _SURVEY,
        (
            "사업자등록번호",
            "사업자번호",
            "사업자등록",
            "등록번호",
            "business no",
            "business number",
            "business registration number",
            "registration number",
            "registration no",
            "business reg no",
            "reg no",
            "brn",
        ),
    ),
    FieldSpec(
        "field",
        _RESIDENTS,
        ("분야", "업종", "사업분야", "산업분야", "업태", "sector", "field", "industry", "business field"),
    ),
    FieldSpec(
        "founded_on",
        _RESIDENTS,
        (
            "설립일",
            "설립일자",
            "설립연월일",
            "창업일",
            "개업일",
            "founded",
            "founded on",
            "date founded",
            "established",
            "date of establishment",
            "foundation date",
        ),
    ),
    FieldSpec(
        "move_in",
        _RESIDENTS,
        (
            "입주일",
            "입주일자",
            "입주시작일",
            "입주날짜",
            "입주예정일",
            "계약시작일",
            "계약일",
            "move-in date",
            "move in",
            "movein",
            "move-in",
            "moved in",
            "start date",
        ),
    ),
    FieldSpec(
        "contract_end",
        _RESIDENTS,
        (
            "계약만료일",
            "계약종료일",
            "만료일",
            "입주만료일",
            "입주종료일",
            "종료일",
            "contract end",
            "contract end date",
            "contract expiry",
            "end date",
            "expiry date",
        ),
    ),
    FieldSpec(
        "employees",
        _RESIDENTS | _SALES,
        (
            "고용인원",
            "직원수",
            "상시근로자수",
            "상시고용인원",
            "근로자수",
            "종업원수",
            "임직원수",
            "인원",
            "employees",
            "number of employees",
            "headcount",
            "staff",
        ),
    ),
    FieldSpec(
        "phone",
        _RESIDENTS,
        (
            "연락처",
            "전화번호",
            "전화",
            "휴대폰",
            "핸드폰",
            "휴대전화",
            "phone",
            "telephone",
            "tel",
            "mobile",
            "contact",
        ),
    ),
    FieldSpec("email", _RESIDENTS, ("이메일", "전자우편", "전자메일", "메일", "이메일주소", "email", "e-mail", "mail")),
    FieldSpec(
        "investment_krw",
        _RESIDENTS | frozenset({ListKind.SURVEY_INVESTMENT}),
        ("투자유치금액", "투자유치액", "투자금액", "투자유치", "투자금", "investment", "investment krw", "funding"),
    ),
    FieldSpec("notes", _RESIDENTS, ("비고", "메모", "참고", "특이사항", "notes", "note", "remarks", "memo", "comment")),
    FieldSpec(
        "facility",
        _BOTH,
        ("시설", "시설명", "입주시설", "센터", "센터명", "캠프", "facility", "facility name", "site", "building"),
    ),
    FieldSpec(
        "room",
        _BOTH,
        (
            "호실",
            "사무실",
            "호수",
            "호실번호",
            "사무실번호",
            "입주호실",
            "room",
            "room no",
            "room number",
            "room code",
            "room name",
            "office",
            "office no",
            "unit",
        ),
    ),
    FieldSpec("seats", _BOTH, ("좌석", "좌석수", "정원", "수용인원", "seats", "seat", "capacity")),
    FieldSpec("floor", _ROOMS, ("층", "층수", "floor", "level", "storey")),
    FieldSpec(
        "kind", _ROOMS, ("호실유형", "유형", "종류", "용도", "공간유형", "kind", "type", "room type", "room kind")
    ),
    FieldSpec("area_m2", _ROOMS, ("면적", "전용면적", "넓이", "area", "size", "floor area")),
    FieldSpec("year", _SALES, ("연도", "년도", "기준연도", "사업연도", "year")),
    FieldSpec("sales_krw", _SALES, ("매출액", "연매출", "매출", "매출금액", "sales", "revenue")),
    FieldSpec("exports_krw", _SALES, ("수출액", "수출", "수출금액", "exports", "export sales")),
    FieldSpec("total_employees", _SALES, ("전체인원", "총인원", "총고용인원", "전체고용인원", "total employees")),
    FieldSpec(
        "dated_on",
        _EVENTS,
        (
            "투자일",
            "투자일자",
            "출원등록일",
            "출원일",
            "인증일",
            "인증일자",
            "선정일",
            "선정일자",
            "기록일",
            "date of record",
            "investment date",
            "filed or registered on",
            "certified on",
            "selected on",
        ),
    ),
    FieldSpec(
        "outcome_kind",
        _EVENTS - frozenset({ListKind.SURVEY_PROJECT}),
        (
            "투자유형",
            "투자종류",
            "권리종류",
            "지식재산권종류",
            "인증종류",
            "인증구분",
            "기록종류",
            "kind of record",
            "investment kind",
            "ip kind",
            "certification kind",
        ),
    ),
    FieldSpec("investor", frozenset({ListKind.SURVEY_INVESTMENT}), ("투자자", "투자기관", "투자사", "investor")),
    FieldSpec(
        "record_number",
        frozenset({ListKind.SURVEY_IP, ListKind.SURVEY_CERTIFICATION}),
        ("출원등록번호", "출원번호", "특허번호", "인증번호", "인증서번호", "record number", "certificate number"),
    ),
    FieldSpec(
        "title",
        frozenset({ListKind.SURVEY_IP, ListKind.SURVEY_PROJECT}),
        ("명칭", "발명의명칭", "권리명칭", "사업명", "과제명", "title", "project name"),
    ),
    FieldSpec(
        "valid_until",
        frozenset({ListKind.SURVEY_CERTIFICATION}),
        ("유효기간만료일", "유효기간", "유효기한", "valid until"),
    ),
    FieldSpec("agency", frozenset({ListKind.SURVEY_PROJECT}), ("주관기관", "전담기관", "지원기관", "agency")),
    FieldSpec(
        "amount_krw", frozenset({ListKind.SURVEY_PROJECT}), ("지원금액", "선정금액", "정부지원금", "support amount")
    ),
)
FIELDS_BY_KEY = {spec.key: spec for spec in FIELDS}


def field_label(key: str) -> str:
    labels = {
        "name": tr("기업명"),
        "representative": tr("대표자"),
        "biz_reg_no": tr("사업자등록번호"),
        "field": tr("분야"),
        "founded_on": tr("설립일"),
        "move_in": tr("입주일"),
        "contract_end": tr("계약 만료일"),
        "employees": tr("고용인원"),
        "phone": tr("연락처"),
        "email": tr("이메일"),
        "investment_krw": tr("투자유치금액"),
        "notes": tr("비고"),
        "facility": tr("시설"),
        "room": tr("호실"),
        "seats": tr("좌석 수"),
        "floor": tr("층"),
        "kind": tr("호실 유형"),
        "area_m2": tr("면적(㎡)"),
        "year": tr("연도"),
        "sales_krw": tr("매출액(원)"),
        "exports_krw": tr("수출액(원)"),
        "total_employees": tr("전체 인원"),
        "dated_on": tr("기록일"),
        "outcome_kind": tr("기록 종류"),
        "investor": tr("투자자"),
        "record_number": tr("출원·등록번호"),
        "title": tr("명칭"),
        "valid_until": tr("유효기간 만료일"),
        "agency": tr("주관기관"),
        "amount_krw": tr("지원금액(원)"),
    }
    text = labels[key]
    return text[:1].upper() + text[1:]  # a column header, even where the word is used mid-sentence


def fields_for(kind: ListKind) -> list[FieldSpec]:
    return [spec for spec in FIELDS if kind in spec.kinds]


_BRACKETED = re.compile(r"[(\[{<（［【].*?[)\]}>）］】]")  # noqa: RUF001 (the fullwidth brackets are meant)
_NOT_WORD = re.compile(r"[^0-9a-z가-힣]+")


def fold_header(text: object) -> str:
    """The comparable form of a header: "상시근로자 수(명)" → "상시근로자수", "E-mail" → "email"."""
    folded = unicodedata.normalize("NFKC", str(text or "")).lower()
    folded = _BRACKETED.sub("", folded)
    return _NOT_WORD.sub("", folded)


_ALIASES: list[tuple[str, str]] = sorted(
    {(fold_header(alias), spec.key) for spec in FIELDS for alias in spec.aliases},
    key=lambda pair: -len(pair[0]),
)
_EXACT = {alias: key for alias, key in _ALIASES}
# Words too general to count inside a longer header ("Room name" is not a company name).
_EXACT_ONLY = {
    "name",
    "type",
    "size",
    "unit",
    "mail",
    "tel",
    "note",
    "level",
    "seat",
    "site",
    "staff",
    "contact",
    "field",
    "office",
    "대표",
    "층",
    "유형",
    "종류",
    "용도",
    "메일",
}
_CONTAINED = [(alias, key) for alias, key in _ALIASES if alias not in _EXACT_ONLY and len(alias) >= 2]


def match_header(text: object, keys: Collection[str] | None = None) -> str | None:
    """The field a header means (among `keys`, when given), or None."""
    folded = fold_header(text)
    if not folded:
        return None
    if folded in _EXACT and (keys is None or _EXACT[folded] in keys):
        return _EXACT[folded]
    best: tuple[int, int, str] | None = None
    for alias, key in _CONTAINED:
        if keys is not None and key not in keys:
            continue
        end = folded.rfind(alias)
        if end < 0:
            continue
        candidate = (end + len(alias), len(alias), key)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    return best[2] if best else None


@dataclass
class ColumnMapping:
    """Which field each column of the header row feeds (None: shown, ignored)."""

    kind: ListKind
    header_row: int  # as the user sees it (1-based)
    headers: list[str]
    columns: dict[int, str | None]
    remembered: bool = False

    def column_of(self, key: str) -> int | None:
        for column, mapped in self.columns.items():
            if mapped == key:
                return column
        return None

    def mapped(self) -> dict[str, int]:
        return {key: column for column, key in sorted(self.columns.items()) if key is not None}

    def ignored_headers(self) -> list[str]:
        return [
            self.headers[column] for column, key in sorted(self.columns.items()) if key is None and self.headers[column]
        ]

    def header_of(self, column: int) -> str:
        return self.headers[column] if column < len(self.headers) else ""

    def with_field(self, column: int, key: str | None) -> ColumnMapping:
        """The mapping with `column` feeding `key` (taken from any other column that fed it)."""
        columns = {c: (None if (k == key and key is not None) else k) for c, k in self.columns.items()}
        columns[column] = key
        return ColumnMapping(kind=self.kind, header_row=self.header_row, headers=self.headers, columns=columns)

    def signature(self) -> str:
        return header_signature(self.headers)

    def missing_required(self) -> list[str]:
        required = {ListKind.RESIDENTS: ("name", "biz_reg_no"), ListKind.ROOMS: ("room",)}.get(
            self.kind, ("biz_reg_no",)
        )
        mapped = self.mapped()
        return [key for key in required if key not in mapped]


def header_signature(headers: list[str]) -> str:
    folded = "\x1f".join(f"{index}:{fold_header(text)}" for index, text in enumerate(headers) if fold_header(text))
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()[:32]


def _row_text(row: list[object]) -> list[str]:
    return [str(cell).strip() if cell not in (None, "") else "" for cell in row]


def _auto_columns(headers: list[str], kind: ListKind) -> dict[int, str | None]:
    allowed = {spec.key for spec in fields_for(kind)}
    columns: dict[int, str | None] = {}
    taken: set[str] = set()
    for index, text in enumerate(headers):
        key = match_header(text, allowed) if text else None
        if key in allowed and key not in taken:
            columns[index] = key
            taken.add(key)
        else:
            columns[index] = None
    return columns


def _kind_of(keys: set[str]) -> ListKind | None:
    if keys & {"name", "biz_reg_no"}:
        return ListKind.RESIDENTS
    if "room" in keys and keys & {"floor", "kind", "area_m2", "seats"}:
        return ListKind.ROOMS
    return None


@dataclass
class HeaderGuess:
    row: int  # 1-based
    kind: ListKind
    score: int


def find_header(sheet: Sheet, kind: ListKind | None = None) -> HeaderGuess | None:
    """The row among the first ones whose cells name the most fields (two at least).

    Title rows, a merged title, a unit note and blank rows above it name fewer.
    """
    best: HeaderGuess | None = None
    for index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        keys = {key for key in (match_header(text) for text in _row_text(row) if text) if key is not None}
        row_kind = kind or _kind_of(keys)
        if row_kind is None:
            continue
        allowed = {spec.key for spec in fields_for(row_kind)}
        score = len({match_header(text, allowed) for text in _row_text(row) if text} & allowed)
        if score >= 2 and (best is None or score > best.score):
            best = HeaderGuess(row=index + 1, kind=row_kind, score=score)
    return best


def map_columns(sheet: Sheet, kind: ListKind | None = None, store: MappingStore | None = None) -> ColumnMapping | None:
    """The header row and mapping of the sheet: one the user corrected for this header, else by meaning."""
    store = store or MappingStore()
    remembered = store.load()
    if remembered:
        for index in range(min(len(sheet.rows), HEADER_SEARCH_ROWS)):
            mapping = store.recall(_padded_headers(sheet, index + 1), remembered)
            if mapping is not None and (kind is None or mapping.kind == kind):
                mapping.header_row = index + 1
                return mapping
    guess = find_header(sheet, kind)
    if guess is None:
        return None
    headers = _padded_headers(sheet, guess.row)
    return ColumnMapping(
        kind=guess.kind, header_row=guess.row, headers=headers, columns=_auto_columns(headers, guess.kind)
    )


def _padded_headers(sheet: Sheet, row: int) -> list[str]:
    headers = _row_text(sheet.rows[row - 1]) if 0 < row <= len(sheet.rows) else []
    return headers + [""] * (sheet.width - len(headers))


def mapping_at(sheet: Sheet, header_row: int, kind: ListKind) -> ColumnMapping:
    """The mapping by meaning when the user points at the header row and says what the list is."""
    headers = _padded_headers(sheet, header_row)
    return ColumnMapping(kind=kind, header_row=header_row, headers=headers, columns=_auto_columns(headers, kind))


@dataclass
class MappingStore:
    """Corrected mappings, kept per header signature in the user's config folder (JSON)."""

    path: Path = field(
        default_factory=lambda: Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / MAPPINGS_FILE
    )

    def load(self) -> dict[str, dict[str, Any]]:
        try:
            with self.path.open(encoding="utf-8") as stream:
                stored = json.load(stream)
        except (OSError, ValueError):
            return {}
        return stored if isinstance(stored, dict) else {}

    def recall(self, headers: list[str], stored: dict[str, dict[str, Any]] | None = None) -> ColumnMapping | None:
        if not any(headers):
            return None
        entry = (self.load() if stored is None else stored).get(header_signature(headers))
        if entry is None:
            return None
        try:
            kind = ListKind(entry["kind"])
            allowed = {spec.key for spec in fields_for(kind)}
            columns = {int(column): (key if key in allowed else None) for column, key in entry["columns"].items()}
        except (TypeError, KeyError, ValueError):
            return None
        columns = {column: columns.get(column) for column in range(len(headers))}
        return ColumnMapping(kind=kind, header_row=0, headers=headers, columns=columns, remembered=True)

    def remember(self, mapping: ColumnMapping, *, keep: bool = False) -> None:
        """Keep a mapping the user corrected (or whose header row the user had to point at, `keep`);
        one that matches the automatic mapping is forgotten."""
        stored = self.load()
        signature = mapping.signature()
        if keep or mapping.columns != _auto_columns(mapping.headers, mapping.kind):
            stored[signature] = {
                "kind": mapping.kind.value,
                "columns": {str(c): k for c, k in mapping.columns.items() if k},
            }
        elif stored.pop(signature, None) is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(self.path) as temporary, temporary.open("w", encoding="utf-8") as stream:
            json.dump(stored, stream, ensure_ascii=False, indent=1)


def choose_sheet(
    source: SourceFile,
    name: str | None = None,
    kind: ListKind | None = None,
    store: MappingStore | None = None,
    progress: Progress | None = None,
) -> tuple[Sheet, ColumnMapping | None]:
    """The named sheet, else the first whose header is recognised (else the first), with its mapping."""
    progress = progress or NullProgress()
    if name is not None:
        sheet = source.read_sheet(name, progress)
        return sheet, map_columns(sheet, kind, store)
    first: Sheet | None = None
    for sheet_name in source.sheet_names:
        sheet = source.read_sheet(sheet_name, progress)
        mapping = map_columns(sheet, kind, store)
        if mapping is not None:
            return sheet, mapping
        first = first or sheet
    assert first is not None, "open_file refuses a workbook without sheets"
    return first, None
