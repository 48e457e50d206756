"""argparse's own words (help headings, usage mistakes) in the user's language.

argparse looks each of its messages up when it builds a parser or meets a mistake, by
calling `_` (gettext) from its module's namespace; that is so on every Python from 3.2 to
3.14. Swapping that one name while the command line is parsed reaches every message.
The alternatives reach less or cost more: a subclass can rename the headings and the
usage prefix, but a mistake reaches `error()` already worded in English; a GNU gettext
catalogue needs a compiled .mo file and a text domain for the whole process.

`ngettext` stays argparse's: it words only a fixed count of values (`nargs=2`), which no
option of this command line takes (tests/test_cli_language.py keeps it so), and option
strings in conflict, a programming mistake.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from camp_manager.i18n import tr


def argparse_messages() -> dict[str, str]:
    """argparse's message ids, each in the current language with argparse's own placeholders."""
    return {
        "usage: ": tr("사용법:") + " ",
        "positional arguments": tr("위치 인수"),
        "options": tr("옵션"),
        "show this help message and exit": tr("이 도움말을 보이고 끝냅니다"),
        "argument %(argument_name)s: %(message)s": tr("%(argument_name)s: %(message)s"),
        "the following arguments are required: %s": tr("다음 인수가 필요합니다: %s"),
        "one of the arguments %s is required": tr("다음 인수 중 하나가 필요합니다: %s"),
        "unrecognized arguments: %s": tr("알 수 없는 인수: %s"),
        "invalid choice: %(value)r (choose from %(choices)s)": tr(
            "고를 수 없는 값입니다: %(value)r (고를 수 있는 값: %(choices)s)"
        ),
        "unknown parser %(parser_name)r (choices: %(choices)s)": tr(
            "알 수 없는 명령입니다: %(parser_name)r (명령: %(choices)s)"
        ),
        "expected one argument": tr("값 하나가 필요합니다"),
        "expected at most one argument": tr("값은 하나까지만 줄 수 있습니다"),
        "expected at least one argument": tr("값이 하나 이상 필요합니다"),
        "invalid %(type)s value: %(value)r": tr("%(type)s 값으로 읽을 수 없습니다: %(value)r"),
        "not allowed with argument %s": tr("%s와(과) 함께 쓸 수 없습니다"),
        "ambiguous option: %(option)s could match %(matches)s": tr(
            "옵션 %(option)s이(가) 여럿과 맞습니다: %(matches)s"
        ),
        "ignored explicit argument %r": tr("값을 받지 않는 옵션입니다: %r"),
    }


@contextmanager
def argparse_in_language() -> Iterator[None]:
    """Within the block, parsers built and command lines parsed speak the current language.

    The command line parses on one thread, before any other starts, so swapping a
    module-wide name for the block touches no one else.
    """
    messages = argparse_messages()
    english = argparse._  # type: ignore[attr-defined]
    argparse._ = lambda message: messages.get(message) or english(message)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = english  # type: ignore[attr-defined]
