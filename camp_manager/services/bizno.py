"""Korean business registration numbers (사업자등록번호): normalise, check, format."""

from __future__ import annotations

import unicodedata

from camp_manager.errors import DomainError
from camp_manager.i18n import tr

_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)
_SEPARATORS = str.maketrans("", "", "-‐‑–— \t")  # noqa: RUF001 (every dash people type)


def check_digit(first_nine: str) -> int:
    digits = list(map(int, first_nine))
    total = sum(map(int.__mul__, digits, _WEIGHTS))
    total += (digits[8] * 5) // 10
    return (10 - total % 10) % 10


def digits_only(text: str) -> str:
    """Folds full-width digits and drops dashes and spaces; other characters are kept."""
    return unicodedata.normalize("NFKC", text or "").translate(_SEPARATORS)


def is_valid(text: str) -> bool:
    digits = digits_only(text)
    return len(digits) == 10 and digits.isascii() and digits.isdigit() and check_digit(digits[:9]) == int(digits[9])


def normalize(text: str) -> str:
    """The 10 digits to store, or a DomainError that says what is wrong and how to fix it."""
    digits = digits_only(text)
    if not digits:
        raise DomainError(tr("사업자등록번호를 입력하세요 (예: 123-45-67890)."), field="biz_reg_no")
    if len(digits) != 10 or not (digits.isascii() and digits.isdigit()):
        raise DomainError(
            tr(
                "사업자등록번호 '{value}'는 숫자 10자리가 아닙니다. 123-45-67890 형식으로 입력하세요.",
                value=text,
            ),
            field="biz_reg_no",
        )
    if check_digit(digits[:9]) != int(digits[9]):
        raise DomainError(
            tr(
                "사업자등록번호 '{value}'의 검증번호(마지막 자리)가 맞지 않습니다. 사업자등록증의 번호를 다시 확인하세요.",
                value=text,
            ),
            field="biz_reg_no",
        )
    return digits


def format_bizno(digits: str) -> str:
    """`1234567890` → `123-45-67890`; anything else is shown as it is."""
    if len(digits) == 10 and digits.isdigit():
        return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"
    return digits
