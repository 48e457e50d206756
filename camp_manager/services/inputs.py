"""What any value must be before a use case reads it and before a row is written — the same on both backends.

SQLite stores a 10,000-character name, a NUL or an integer of any size; PostgreSQL refuses
them with a raw driver error. Two checks keep the backends one rule set, each with a message
naming the field and the fix:

- `checked_input` (a decorator on the use cases): each keyword argument, and each field of a
  dataclass argument, has the type its annotation says (no `name=12345`), no control
  characters, and integers within 64 bits;
- `column_problems`: a row's values fit their columns — the length of a VARCHAR (the form sets
  the same `max_length` on its input), `TEXT_MAX_LENGTH` for notes, 32- or 64-bit integers,
  finite numbers. `audit.record` and `audit.insert_rows`, the one way rows are written, call it.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import math
import re
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlmodel import SQLModel

from camp_manager.i18n import current_language, tr
from camp_manager.services.common import refuse_if_any

TEXT_MAX_LENGTH = 10_000  # a memo; PostgreSQL's TEXT has no limit of its own, the rule is the same on both
INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)
# C0 controls and DEL, but tab and line breaks, which a memo may hold.
_CONTROLS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
_CONTROL = re.compile(f"[{_CONTROLS}]")


@functools.cache
def _field_labels(language: str) -> dict[str, str]:
    """The labels in `language` (made once per language: a batch of 10,000 rows asks for them often)."""
    return {
        "name": tr("이름"),
        "biz_reg_no": tr("사업자등록번호"),
        "representative": tr("대표자"),
        "phone": tr("전화"),
        "email": tr("이메일"),
        "notes": tr("메모"),
        "note": tr("메모"),
        "address": tr("주소"),
        "code": tr("호실 번호"),
        "affiliation": tr("소속"),
        "contact": tr("연락처"),
        "topic": tr("주제"),
        "destination": tr("이전 지역"),
        "override_reason": tr("예외 사유"),
        "investment_krw": tr("투자유치금액"),
        "employees": tr("상시 고용인원"),
        "seats": tr("좌석 수"),
        "floor": tr("층"),
        "minutes": tr("시간(분)"),
        "rooms_wanted": tr("희망 호실 수"),
        "seats_wanted": tr("희망 좌석 수"),
        "max_rooms_per_company": tr("기업당 최대 호실 수"),
        "area_m2": tr("면적"),
        "first_number": tr("시작 번호"),
        "last_number": tr("끝 번호"),
        "field": tr("분야"),
        "kind": tr("종류"),
        "reason": tr("사유"),
        "mode": tr("방식"),
        "company_id": tr("입주기업"),
        "facility_id": tr("시설"),
        "room_id": tr("호실"),
        "to_room_id": tr("호실"),
        "allocation_id": tr("호실 배정"),
        "request_id": tr("공간 신청"),
        "mentor_id": tr("멘토"),
        "session_id": tr("멘토링"),
        "residency_id": tr("입주 계약"),
        "import_batch_id": tr("가져오기"),
        "description": tr("요청 내용"),
        "outcome": tr("지원 결과"),
    }


def field_label(name: str) -> str:
    return _field_labels(current_language()).get(name, name)


def max_length(model: type[SQLModel], name: str) -> int:
    """The most characters `name` of `model` holds: its VARCHAR length, or TEXT_MAX_LENGTH."""
    column_type = model.__table__.c[name].type  # type: ignore[attr-defined]
    return getattr(column_type, "length", None) or TEXT_MAX_LENGTH


# --- a value of the type the use case expects -------------------------------------------------
_SIMPLE_TYPES = (str, int, float, bool, date, bytes)


def _type_word(expected: type) -> str:
    return {
        str: tr("글자"),
        int: tr("정수"),
        float: tr("숫자"),
        bool: tr("예/아니오"),
        date: tr("날짜(YYYY-MM-DD)"),
        bytes: tr("파일"),
    }[expected]


def text_problem(value: str, *, name: str) -> str | None:
    found = _CONTROL.search(value)
    if found:
        return tr(
            "{field}에 보이지 않는 제어 문자(코드 {code})가 있습니다. 그 문자를 지우고 다시 입력하세요.",
            field=field_label(name),
            code=f"U+{ord(found.group()):04X}",
        )
    return None


def value_problem(value: Any, expected: Any, *, name: str) -> str | None:
    """Why `value` is not a `expected` (a type hint: str, int, float, bool, date, X | None), or None."""
    simple, optional = _expectation(expected)
    if value is None:
        return None if optional else tr("{field}을(를) 입력하세요.", field=field_label(name))
    if not simple:
        return None  # a type this check does not know (a session, a callback): the use case's own business
    if type(value) not in simple and not any(_is_a(value, option) for option in simple):
        return tr(
            "{field}의 형식이 맞지 않습니다: {word}(으)로 입력하세요.",
            field=field_label(name),
            word=" / ".join(_type_word(option) for option in simple),
        )
    if isinstance(value, str):
        return text_problem(value, name=name)
    if isinstance(value, int) and not isinstance(value, bool):
        return _range_problem(value, *INT64, name=name)
    if isinstance(value, float) and not math.isfinite(value):
        return tr("{field}은(는) 유한한 숫자여야 합니다.", field=field_label(name))
    return None


@functools.cache
def _expectation(hint: Any) -> tuple[tuple[type, ...], bool]:
    """The simple types `hint` admits (none if it admits any other), and whether it admits None."""
    options = typing.get_args(hint) if _is_union(hint) else (hint,)
    others = [option for option in options if option is not type(None)]
    simple = tuple(option for option in others if option in _SIMPLE_TYPES)
    return (simple if len(simple) == len(others) else ()), type(None) in options


def _is_union(hint: Any) -> bool:
    return typing.get_origin(hint) in (typing.Union, types.UnionType)


def _is_a(value: Any, expected: type) -> bool:
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if expected is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if expected is date:
        return isinstance(value, date) and not isinstance(value, datetime)
    return isinstance(value, expected)


def _range_problem(value: int, low: int, high: int, *, name: str) -> str | None:
    if value > high:
        return tr("{field}이(가) 너무 큽니다: {high:,} 이하로 입력하세요.", field=field_label(name), high=high)
    if value < low:
        return tr("{field}이(가) 너무 작습니다: {low:,} 이상으로 입력하세요.", field=field_label(name), low=low)
    return None


# --- the same checks, read once per type ------------------------------------------------------
# An import checks half a million values, nearly all of exactly their type and fine. For each field
# of a dataclass and each column of a table, `Passes` maps the exact types a value may have to a
# test (a C function where there is one) that is true only when the check would find nothing; any
# other value — another type, None, a test that fails — goes through the check, which says what is
# wrong (or finds it fine after all: an int for a float, a subclass).
Passes = Mapping[type, Callable[[Any], object]]


def _always(_value: object) -> bool:
    return True


def _within(bounds: tuple[int, int]) -> Callable[[Any], object]:
    low, high = bounds
    return range(low, high + 1).__contains__


def _clean_text(limit: int | None = None) -> Callable[[Any], object]:
    """True for a text of at most `limit` characters (any length: None) without a control character."""
    repeat = "*" if limit is None else f"{{0,{limit}}}"
    return re.compile(f"[^{_CONTROLS}]{repeat}").fullmatch


@functools.cache
def _hint_passes(hint: Any, name: str) -> Passes:
    """The values `value_problem` (and, for an id, its 32-bit range) finds nothing wrong with at once."""
    simple, optional = _expectation(hint)
    tests: dict[type, Callable[[Any], object]] = {
        str: _clean_text(),
        int: _within(INT32 if name.endswith("_id") else INT64),
        float: math.isfinite,
        bool: _always,
        date: _always,
        bytes: _always,
    }
    passes = {kind: tests[kind] for kind in simple}
    if optional:
        passes[type(None)] = _always
    return passes


def argument_problems(hints: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, str]:
    """Field → problem for each value whose hint it does not meet (dataclass values checked field by field)."""
    problems: dict[str, str] = {}
    for name, value in values.items():
        hint = hints.get(name)
        if hint is not None:
            _argument_problems(name, hint, value, problems)
    return problems


def _argument_problems(name: str, hint: Any, value: Any, problems: dict[str, str]) -> None:
    kinds = _dataclass_kinds(hint)
    if kinds:
        if not isinstance(value, kinds):
            problems[name] = _unreadable(field_label(name))
            return
        for field, field_problem in dataclass_problems(value).items():
            problems.setdefault(field, field_problem)
        return
    problem = value_problem(value, hint, name=name)
    if problem is None and name.endswith("_id") and _is_a(value, int):
        problem = _range_problem(value, *INT32, name=name)  # ids are 32-bit keys on both backends
    if problem:
        problems[name] = problem


@functools.cache
def _dataclass_kinds(hint: Any) -> tuple[type, ...]:
    """The dataclasses `hint` names: one, or each of a union of them (none if it names anything else)."""
    options = typing.get_args(hint) if _is_union(hint) else (hint,)
    kinds = tuple(option for option in options if isinstance(option, type) and dataclasses.is_dataclass(option))
    return kinds if len(kinds) == len(options) else ()


@functools.cache
def _hints(owner: Callable[..., Any] | type) -> dict[str, Any]:
    return typing.get_type_hints(owner)


@functools.cache
def _fields(kind: type) -> tuple[tuple[str, Any, Passes], ...]:
    """Each annotated field of the dataclass `kind`: its name, its hint and the values that pass at once."""
    hints = _hints(kind)
    return tuple(
        (field.name, hint, {} if _dataclass_kinds(hint) else _hint_passes(hint, field.name))
        for field in dataclasses.fields(kind)
        if (hint := hints.get(field.name)) is not None
    )


def dataclass_problems(value: Any) -> dict[str, str]:
    kind: type = type(value)
    problems: dict[str, str] = {}
    for name, hint, passes in _fields(kind):
        field_value = getattr(value, name)
        test = passes.get(type(field_value))
        if test is None or not test(field_value):
            _argument_problems(name, hint, field_value, problems)
    return problems


FunctionT = TypeVar("FunctionT", bound=Callable[..., Any])


def checked_input(function: FunctionT) -> FunctionT:
    """Refuse, before the use case runs, a keyword argument that is not what its annotation says.

    A sequence of dataclasses (a batch) is checked item by item; the RuleViolation names the item.
    """
    keyword_only = [
        name
        for name, parameter in inspect.signature(function).parameters.items()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY and name != "session"
    ]

    @functools.wraps(function)
    def checked(*args: Any, **kwargs: Any) -> Any:
        hints = _hints(function)
        for name in keyword_only:
            if name not in kwargs:
                continue
            value, hint = kwargs[name], hints.get(name)
            if _is_batch(hint):
                if not isinstance(value, (list, tuple)):
                    refuse_if_any({name: _unreadable(field_label(name))})
                [item_hint] = typing.get_args(hint) or [Any]
                for index, item in enumerate(value):
                    refuse_if_any(argument_problems({"item": item_hint}, {"item": item}), index=index)
            else:
                refuse_if_any(argument_problems(hints, {name: value}))
        return function(*args, **kwargs)

    return checked  # type: ignore[return-value]


def _unreadable(label: str) -> str:
    return tr("{field}의 형식이 맞지 않습니다. 화면이나 파일에서 다시 입력하세요.", field=label)


def _is_batch(hint: Any) -> bool:
    return typing.get_origin(hint) in (Sequence, list, tuple, typing.Sequence)


# --- a value that fits its column -----------------------------------------------------------------
def column_problems(model: type[SQLModel], values: Mapping[str, Any]) -> dict[str, str]:
    """Field → problem for each value that its column in `model` cannot hold on either backend."""
    columns = _columns(model)
    problems: dict[str, str] = {}
    for name, value in values.items():
        if value is None or name not in columns:
            continue
        column, passes = columns[name]
        test = passes.get(type(value))
        if test is not None and test(value):
            continue
        problem = _column_problem(column, value, name=name)
        if problem:
            problems[name] = problem
    return problems


@functools.cache
def _columns(model: type[SQLModel]) -> dict[str, tuple[sa.Column[Any], Passes]]:
    """The table's columns by name, each with the values that fit it at once."""
    return {column.key: (column, _column_passes(column.type)) for column in model.__table__.c}  # type: ignore[attr-defined]


def _column_passes(column_type: sa.types.TypeEngine[Any]) -> Passes:
    """The values `_column_problem` finds nothing wrong with at once."""
    if isinstance(column_type, sa.String):
        return {str: _clean_text(column_type.length or TEXT_MAX_LENGTH)}
    if isinstance(column_type, sa.Boolean):
        return {bool: _always}
    if isinstance(column_type, sa.Integer):
        return {int: _within(INT64 if isinstance(column_type, sa.BigInteger) else INT32)}
    if isinstance(column_type, sa.Float):
        return {float: math.isfinite}
    if isinstance(column_type, sa.Date):
        return {date: _always}
    return {}


def _column_problem(column: sa.Column[Any], value: Any, *, name: str) -> str | None:
    column_type = column.type
    if isinstance(column_type, sa.String):  # VARCHAR and TEXT
        if not isinstance(value, str):
            return value_problem(value, str, name=name)
        limit = column_type.length or TEXT_MAX_LENGTH
        if len(value) > limit:
            return tr(
                "{field}은(는) {limit:,}자까지 입력할 수 있습니다 (지금 {length:,}자). 줄여서 다시 입력하세요.",
                field=field_label(name),
                limit=limit,
                length=len(value),
            )
        return text_problem(value, name=name)
    if isinstance(column_type, sa.Boolean):
        return None if isinstance(value, bool) else value_problem(value, bool, name=name)
    if isinstance(column_type, sa.Integer):
        if not _is_a(value, int):
            return value_problem(value, int, name=name)
        return _range_problem(value, *(INT64 if isinstance(column_type, sa.BigInteger) else INT32), name=name)
    if isinstance(column_type, sa.Float):
        return value_problem(value, float, name=name)
    if isinstance(column_type, sa.Date):
        return value_problem(value, date, name=name)
    return None


def refuse_unfit_rows(model: type[SQLModel], rows: Sequence[Mapping[str, Any]]) -> None:
    """A RuleViolation for the first row with a value its column cannot hold (its index in `rows`)."""
    for index, row in enumerate(rows):
        refuse_if_any(column_problems(model, row), index=index)
