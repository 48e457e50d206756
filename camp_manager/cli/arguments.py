"""Argument types the subcommands share, so they all read a date the same way and say so the same way."""

from __future__ import annotations

import argparse
from datetime import date

from camp_manager.i18n import tr


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            tr("날짜 '{value}'를 읽을 수 없습니다. YYYY-MM-DD 형식으로 입력하세요.", value=text)
        ) from None
