"""One translation mechanism: every tr() string has English, nothing stale, codes have labels."""

from __future__ import annotations

import re
from enum import StrEnum

import pytest

from camp_manager import labels
from camp_manager.db import models
from camp_manager.errors import DomainError
from camp_manager.i18n import catalogue, set_language, tr
from camp_manager.i18n.check import missing_and_stale
from camp_manager.services import bizno

CODE_ENUMS = [
    value
    for value in vars(models).values()
    if isinstance(value, type) and issubclass(value, StrEnum) and value is not StrEnum
]


def test_every_string_has_english_and_no_entry_is_stale():
    missing, stale = missing_and_stale()
    assert missing == {} and stale == []


PLACEHOLDER = re.compile(r"{(\w*)(?:[:!][^}]*)?}")  # {name}, {name:02d}, {name!r}


def test_english_shows_exactly_the_values_korean_shows():
    # An extra placeholder would raise KeyError when shown; a missing one loses a figure.
    for korean, english in catalogue("en").items():
        assert set(PLACEHOLDER.findall(english)) == set(PLACEHOLDER.findall(korean)), korean


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
