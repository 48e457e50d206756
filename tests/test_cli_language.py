"""The command line speaks the user's language throughout, argparse's own words included."""

from __future__ import annotations

import argparse
import ast
import inspect
import re

import pytest

from camp_manager.cli import EXIT_USER_ERROR, build_parser
from camp_manager.cli.parser_language import argparse_messages
from camp_manager.i18n import set_language
from tests.test_cli import one_error_line, run

PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sr]")


def argparse_catalogue() -> list[str]:
    """Every message argparse passes to gettext, read from the argparse this Python runs."""
    tree = ast.parse(inspect.getsource(argparse))
    return [
        argument.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"_", "ngettext"}
        for argument in node.args
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str)
    ]


ARGPARSE_WORDS = {
    word for message in argparse_catalogue() for word in re.findall(r"[a-z]+(?:'[a-z]+)?", PLACEHOLDER.sub("", message))
}


def english_words(text: str) -> set[str]:
    """argparse's words in `text`, leaving out option strings (--help) and names (camp-manager)."""
    return ARGPARSE_WORDS & set(re.findall(r"(?<![\w-])[a-z]+(?:'[a-z]+)?(?![\w-])", text))


def test_the_catalogue_is_read():
    assert {"usage", "options", "required", "unrecognized", "invalid", "choice", "expected"} <= ARGPARSE_WORDS


def subcommands() -> list[str]:
    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return list(commands.choices)


@pytest.mark.parametrize("command", [[], *([name] for name in subcommands())], ids=lambda c: " ".join(c) or "main")
def test_help_is_korean(capsys, command):
    code, out, err = run(capsys, *command, "--help")
    assert (code, err) == (0, "")
    assert out.startswith("사용법: camp-manager") and "옵션:" in out and "이 도움말을 보이고 끝냅니다" in out
    assert english_words(out) == set(), out


def test_the_main_help_names_its_headings_and_the_version_in_korean(capsys):
    _, out, _ = run(capsys, "--help")
    assert "위치 인수:" in out and "프로그램 버전을 보이고 끝냅니다" in out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["export", "residents"], "다음 인수가 필요합니다: --out"),
        (["report", "--facility"], "--facility: 값 하나가 필요합니다"),
        (["restore"], "다음 인수가 필요합니다: file"),
        (["export", "bogus", "--out", "x.xlsx"], "고를 수 없는 값입니다: 'bogus'"),
        (["export", "exits", "--out", "x.xlsx", "--reason", "bored"], "--reason: 고를 수 없는 값입니다: 'bored'"),
        (["frobnicate"], "고를 수 없는 값입니다: 'frobnicate'"),
        (["status", "--zz"], "알 수 없는 인수: --zz"),
        (["status", "extra"], "알 수 없는 인수: extra"),
        (["status", "--as-of"], "--as-of: 값 하나가 필요합니다"),
        (["status", "--as-of", "2024-13-45"], "--as-of: 날짜 '2024-13-45'를 읽을 수 없습니다"),
        (["report", "--month", "2024-13"], "--month: 월 '2024-13'"),
        (["report", "--f", "pdf"], "옵션 --f이(가) 여럿과 맞습니다"),
        (["status", "--json=yes"], "값을 받지 않는 옵션입니다: 'yes'"),
    ],
)
def test_a_usage_mistake_is_korean(capsys, argv, expected):
    code, out, err = run(capsys, *argv)
    line = one_error_line(err)
    assert code == EXIT_USER_ERROR and out == ""
    assert line.startswith("오류: ") and expected in line, line
    assert english_words(line) == set(), line


def test_english_still_speaks_argparse_english(capsys):
    code, out, _ = run(capsys, "--lang", "en", "--help")
    assert code == 0 and out.startswith("usage: camp-manager")
    assert "positional arguments:" in out and "options:" in out
    assert "show this help message and exit" in out and "show program's version number and exit" in out
    for argv, expected in [
        (["export", "residents"], "the following arguments are required: --out"),
        (["export", "bogus", "--out", "x.xlsx"], "argument list: invalid choice: 'bogus'"),
        (["status", "--as-of"], "argument --as-of: expected one argument"),
    ]:
        code, _, err = run(capsys, "--lang", "en", *argv)
        line = one_error_line(err)
        assert code == EXIT_USER_ERROR and line.startswith("Error: ") and expected in line, line
        assert not re.search(r"[가-힣]", line), line


@pytest.mark.parametrize("language", ["ko", "en"])
def test_each_message_keeps_the_placeholders_argparse_fills(language):
    set_language(language)
    for message, translated in argparse_messages().items():
        assert message in argparse_catalogue(), message
        assert PLACEHOLDER.findall(translated) == PLACEHOLDER.findall(message), message
        if language == "en":
            assert translated == message


def test_argparse_is_left_as_it_was(capsys):
    run(capsys, "export", "residents")
    assert argparse.ArgumentParser(prog="other").format_help().startswith("usage: other")


def test_no_option_takes_a_fixed_count_of_values():
    # argparse words "expected 2 arguments" with ngettext, which the command line leaves in English.
    parsers = [build_parser()]
    for parser in parsers:
        for action in parser._actions:
            assert not isinstance(action.nargs, int) or action.nargs == 0, action
            if isinstance(action, argparse._SubParsersAction):
                parsers.extend(action.choices.values())


def every_help(parser: argparse.ArgumentParser) -> list[str]:
    """The help of each option, argument and subcommand, at every level."""
    texts = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            texts += [choice.help for choice in action._choices_actions]
            for subparser in action.choices.values():
                texts += every_help(subparser)
        elif action.help and action.help != argparse.SUPPRESS:
            texts.append(action.help)
    return texts


def test_english_help_starts_in_lower_case_like_argparses_own():
    set_language("en")
    texts = every_help(build_parser())
    assert "show this help message and exit" in texts and len(texts) > 40
    assert [text for text in texts if not text[0].islower()] == []
