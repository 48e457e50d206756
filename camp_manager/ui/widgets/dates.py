"""Dates between Python and Qt, and optional dates typed as text."""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit

from camp_manager.i18n import tr

_DATE_TEXT = re.compile(r"\s*(\d{4})\s*[-./년]?\s*(\d{1,2})\s*[-./월]?\s*(\d{1,2})\s*일?\s*")


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def parse_optional_date(text: str) -> date | None:
    """'' → None; 2024-03-05, 2024.3.5, 20240305 and 2024년 3월 5일 → a date; else ValueError with the fix."""
    if not text.strip():
        return None
    match = _DATE_TEXT.fullmatch(text)
    try:
        if match is None:
            raise ValueError
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ValueError(
            tr(
                "날짜 '{value}'를 읽을 수 없습니다. YYYY-MM-DD 형식으로 입력하세요 (예: 2024-03-05).",
                value=text.strip(),
            )
        ) from None


def date_edit(value: date) -> QDateEdit:
    """A date field with a calendar pop-up, written as 2026-11-22."""
    edit = QDateEdit(to_qdate(value))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit
