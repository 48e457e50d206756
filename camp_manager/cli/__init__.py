"""`camp-manager`: the desktop app with no subcommand, headless jobs with one.

Every job calls the same use cases as the screens. A user error prints one clear
line and exits with status 2; nothing prints a traceback for it. Each group of
subcommands has its module here, which adds them to the parser.
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from camp_manager import __version__
from camp_manager.cli import check, database, imports, reports, status, survey
from camp_manager.cli.parser_language import argparse_in_language
from camp_manager.errors import DomainError
from camp_manager.i18n import LANGUAGES, set_language, tr

EXIT_USER_ERROR = 2


class OneLineErrorParser(argparse.ArgumentParser):
    """A usage mistake prints one line, like every other user error (not usage plus error)."""

    def error(self, message: str) -> NoReturn:
        self.exit(
            EXIT_USER_ERROR, tr("오류: {message} (도움말: {prog} --help)", message=message, prog=self.prog) + "\n"
        )


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineErrorParser(prog="camp-manager", description=tr("AI 창업캠프 입주기업·호실·멘토링 관리"))
    # Python 3.11 words the version action's default help in English without asking gettext.
    parser.add_argument(
        "--version",
        action="version",
        version=f"camp-manager {__version__}",
        help=tr("프로그램 버전을 보이고 끝냅니다"),
    )
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help=tr("데이터베이스 파일 경로 또는 PostgreSQL URL (기본: 사용자 데이터 폴더, 환경변수 CAMP_MANAGER_DB)"),
    )
    parser.add_argument("--lang", choices=LANGUAGES, default=None, help=tr("표시 언어 (ko, en)"))
    parser.add_argument(
        "--smoke", action="store_true", help=tr("앱을 열어 모든 화면을 그려 본 뒤 닫습니다 (설치 점검)")
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    database.add_demo_command(commands)
    status.add_commands(commands)
    database.add_backup_command(commands)
    reports.add_commands(commands)
    imports.add_commands(commands)
    survey.add_commands(commands)
    check.add_commands(commands)
    return parser


def requested_language(argv: list[str]) -> str | None:
    """The value of `--lang xx` or `--lang=xx`, wherever it stands."""
    for index, argument in enumerate(argv):
        if argument == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if argument.startswith("--lang="):
            return argument.partition("=")[2]
    return None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # The language must be set before the parser's help texts are translated.
    language = requested_language(argv)
    if language in LANGUAGES:
        set_language(language)
    with argparse_in_language():
        args = build_parser().parse_args(argv)
    if args.command is None:
        from camp_manager.app import main as run_app  # noqa: PLC0415 (the commands start without Qt)

        return run_app(db=args.db, smoke=args.smoke)
    try:
        return args.func(args)
    except DomainError as error:
        print(tr("오류: {message}", message=error.message), file=sys.stderr)
        return EXIT_USER_ERROR


if __name__ == "__main__":
    sys.exit(main())
