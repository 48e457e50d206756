"""One translation mechanism: every tr() string has English, nothing stale, codes have labels."""

from __future__ import annotations

import re
from enum import StrEnum

import pytest

from camp_manager import labels
from camp_manager.db import models
from camp_manager.errors import DomainError
from camp_manager.i18n import set_language, tr
from camp_manager.i18n.check import mismatched, mismatches, missing_and_stale
from camp_manager.services import bizno

CODE_ENUMS = [
    value
    for value in vars(models).values()
    if isinstance(value, type) and issubclass(value, StrEnum) and value is not StrEnum
]


def test_every_string_has_english_and_no_entry_is_stale():
    missing, stale = missing_and_stale()
    assert missing == {} and stale == []


def test_english_shows_exactly_the_values_korean_shows_in_every_form():
    assert mismatches() == []


@pytest.mark.parametrize(
    "entry",
    [
        "{days} days and {extra}",  # a value Korean does not have
        "days",  # a value lost
        {"count": "days", "one": "{days} day", "other": "days"},  # lost in one form
        {"count": "seats", "one": "{days} day", "other": "{days} days"},  # counts what Korean does not show
        {"one": "{days} day", "other": "{days} days"},  # counts nothing
        {"count": "days", "one": "{days} day", "other": "{days} days", "two": "{days} days"},
    ],
)
def test_a_wrong_entry_is_found(entry):
    assert mismatched("{days}일", entry)
    assert not mismatched("{days}일", {"count": "days", "one": "{days} day", "other": "{days} days"})


@pytest.mark.parametrize(
    ("korean", "values", "english"),
    [
        ("{days}일", {"days": 1}, "1 day"),
        ("{days}일", {"days": 2}, "2 days"),
        ("{days}일", {"days": 0}, "0 days"),
        ("{seats}석", {"seats": 1}, "1 seat"),
        ("{seats}석", {"seats": 12}, "12 seats"),
        ("{count}건", {"count": 1}, "1 record"),
        ("{count:,}행", {"count": 1}, "1 row"),
        ("{count:,}행", {"count": 1200}, "1,200 rows"),
        ("{companies}개 기업 참여", {"companies": 1}, "1 company took part"),
        ("입주기업 {count}곳", {"count": 1}, "1 resident"),
        ("최근 {count}개월", {"count": 1}, "Last 1 month"),
        ("{rooms}실 {seats}석", {"rooms": 2, "seats": 1}, "2 rooms, 1 seat"),
        ("좌석 {used}/{total}석 사용", {"used": 1, "total": 1}, "1/1 seat used"),
        ("좌석 {used}/{total}석 사용", {"used": 1, "total": 4}, "1/4 seats used"),
    ],
)
def test_english_counts_one_and_more(korean, values, english):
    set_language("en")
    assert tr(korean, **values) == english
    set_language("ko")
    assert tr(korean, **values) == korean.format(**values)  # Korean has one form


def test_a_count_written_otherwise_than_1_is_plural():
    set_language("en")
    assert [tr("{days}일", days=n) for n in (0, 1, "1", 1.5, "1.0", -1)] == [
        "0 days",
        "1 day",
        "1 day",
        "1.5 days",
        "1.0 days",
        "-1 days",
    ]


def test_a_domain_error_follows_the_language():
    with pytest.raises(DomainError) as korean:
        bizno.normalize("116-82-00277")
    set_language("en")
    with pytest.raises(DomainError) as english:
        bizno.normalize("116-82-00277")
    assert "검증번호" in korean.value.message
    assert "116-82-00277" in english.value.message and "check digit" in english.value.message.lower()
    assert not re.search(r"[가-힣]", english.value.message)


def test_values_are_filled_in_after_translation():
    set_language("en")
    assert tr("기준일 {date}", date="2024-12-31") == "As of 2024-12-31"
    set_language("ko")
    assert tr("기준일 {date}", date="2024-12-31") == "기준일 2024-12-31"


def test_unknown_language_is_refused():
    with pytest.raises(ValueError):
        set_language("fr")


@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_code_has_its_own_label(language):
    set_language(language)
    for enum_type in CODE_ENUMS:
        shown = [labels.label(member) for member in enum_type]
        assert all(text and text != member.value for text, member in zip(shown, enum_type, strict=True)), enum_type
        assert len(set(shown)) == len(shown), enum_type
    # Same stored code, different things: each reads as itself.
    assert labels.label(models.BusinessField.OTHER) != labels.label(models.ExitReason.OTHER)
    assert labels.label_of(models.ExitReason, "other") == labels.label(models.ExitReason.OTHER)


def test_an_unknown_code_is_shown_as_stored():
    assert labels.label_of(models.ExitReason, "left_for_mars") == "left_for_mars"
