"""Business registration numbers: the check digit, accepted spellings, storage and display."""

from __future__ import annotations

import random

import pytest

from camp_manager.errors import DomainError
from camp_manager.services import bizno

# Real numbers printed on Korean business registration certificates.
KNOWN_VALID = ["116-82-00276", "134-86-72683", "120-81-47521"]


def reference_check_digit(first_nine: str) -> int:
    """The National Tax Service rule, written out independently of the code under test."""
    weights = [1, 3, 7, 1, 3, 7, 1, 3, 5]
    digits = [int(c) for c in first_nine]
    total = sum(d * w for d, w in zip(digits, weights, strict=True)) + (5 * digits[8]) // 10
    return (10 - total % 10) % 10


@pytest.mark.parametrize("number", KNOWN_VALID)
def test_known_real_numbers_are_valid(number):
    digits = number.replace("-", "")
    assert bizno.is_valid(number)
    assert bizno.check_digit(digits[:9]) == int(digits[9])
    assert bizno.normalize(number) == digits


@pytest.mark.parametrize("number", KNOWN_VALID)
def test_every_other_last_digit_is_rejected(number):
    digits = number.replace("-", "")
    for wrong in set("0123456789") - {digits[9]}:
        candidate = digits[:9] + wrong
        assert not bizno.is_valid(candidate)
        with pytest.raises(DomainError) as raised:
            bizno.normalize(candidate)
        assert raised.value.field == "biz_reg_no"
        assert "검증번호" in raised.value.message


def test_check_digit_matches_the_rule_on_random_numbers():
    rng = random.Random(7)
    heads = [f"{rng.randrange(10**9):09d}" for _ in range(2000)]
    # The ⌊5·d9/10⌋ term only matters when the ninth digit is 2 or more; cover both cases.
    assert any(int(h[8]) >= 2 for h in heads) and any(int(h[8]) < 2 for h in heads)
    for head in heads:
        assert bizno.check_digit(head) == reference_check_digit(head), head


def test_ninth_digit_term_is_applied():
    # 116-82-00276: the ninth digit 7 adds ⌊35/10⌋ = 3; without it the check digit would differ.
    head = "116820027"
    without_term = (10 - sum(int(d) * w for d, w in zip(head, [1, 3, 7, 1, 3, 7, 1, 3, 5], strict=True)) % 10) % 10
    assert bizno.check_digit(head) != without_term
    assert bizno.check_digit(head) == 6


@pytest.mark.parametrize(
    "spelling",
    [
        "116-82-00276",
        "1168200276",
        "116 82 00276",
        " 116-82-00276 ",
        "１１６－８２－００２７６",  # full-width digits and hyphen (a Korean IME)
        "１１６８２００２７６",
        "116–82–00276",  # en dash from a word processor
        "116\t82\t00276",
    ],
)
def test_accepted_spellings_are_stored_as_ten_digits(spelling):
    assert bizno.normalize(spelling) == "1168200276"


@pytest.mark.parametrize(
    "text", ["116-82-0027", "116-82-002761", "12345", "116-82-0027a", "일일육-82-00276", "116/82/00276"]
)
def test_wrong_length_or_non_digits_name_the_field_and_the_format(text):
    assert not bizno.is_valid(text)
    with pytest.raises(DomainError) as raised:
        bizno.normalize(text)
    assert raised.value.field == "biz_reg_no"
    assert "10자리" in raised.value.message and "123-45-67890" in raised.value.message


@pytest.mark.parametrize("text", ["", "   ", "--", None])
def test_empty_number_asks_for_one(text):
    with pytest.raises(DomainError) as raised:
        bizno.normalize(text)
    assert raised.value.field == "biz_reg_no"
    assert "입력하세요" in raised.value.message


def test_shown_with_dashes():
    assert bizno.format_bizno("1168200276") == "116-82-00276"
    # Something that is not ten digits is shown as it is rather than mangled.
    assert bizno.format_bizno("12345") == "12345"
