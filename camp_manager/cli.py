"""`camp-manager`: the desktop app with no subcommand, headless jobs with one.

Every job calls the same use cases as the screens. A user error prints one clear
line and exits with status 2; nothing prints a traceback for it.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import NoReturn

from camp_manager import __version__
from camp_manager.db.engine import describe, unit_of_work
from camp_manager.db.migrate import backup_database, open_database
from camp_manager.errors import DomainError
from camp_manager.i18n import LANGUAGES, set_language, tr
from camp_manager.importing import commands as importing_commands
from camp_manager.reporting import commands as reporting_commands
from camp_manager.services import demo, occupancy
from camp_manager.services.facilities import facility_by_name

EXIT_USER_ERROR = 2


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(tr("날짜 '{value}'를 읽을 수 없습니다. YYYY-MM-DD 형식으로 입력하세요.", value=text)) from None


def cmd_demo(args: argparse.Namespace) -> int:
    engine = open_database(args.db)
    with unit_of_work(engine) as session:
        demo.load_demo(session=session, today=args.today)
    print(tr("데모 데이터를 넣었습니다: {where}", where=describe(engine)))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    engine = open_database(args.db)
    with unit_of_work(engine) as session:
        facility_id = facility_by_name(session, args.facility).id if args.facility else None
        figures = occupancy.occupancy(session, on=args.as_of, facility_id=facility_id)
    rows = [
        {
            "facility": f.facility.name,
            "as_of": args.as_of.isoformat(),
            "residents": f.residents,
            "rooms_occupied": f.total.rooms_occupied,
            "rooms_total": f.total.rooms_total,
            "occupancy_pct": round(f.total.occupancy_rate * 100, 1),
            "seats_used": f.total.seats_used,
            "seats_total": f.total.seats_total,
            "employees": f.employees,
        }
        for f in figures
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    print(tr("기준일 {date}", date=args.as_of.isoformat()))
    for row in rows:
        print(
            tr(
                "{facility}: 입주기업 {residents}개, 사무실 {rooms_occupied}/{rooms_total}실 ({occupancy_pct}%), 공유좌석 {seats_used}/{seats_total}석, 고용인원 {employees}명",
                **row,
            )
        )
    return 0


class OneLineErrorParser(argparse.ArgumentParser):
    """A usage mistake prints one line, like every other user error (not usage plus error)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USER_ERROR, tr("오류: {message} (도움말: {prog} --help)", message=message, prog=self.prog) + "\n")


def cmd_backup(args: argparse.Namespace) -> int:
    engine = open_database(args.db)
    print(backup_database(engine, folder=args.out))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineErrorParser(prog="camp-manager", description=tr("AI 창업캠프 입주기업·호실·멘토링 관리"))
    parser.add_argument("--version", action="version", version=f"camp-manager {__version__}")
    parser.add_argument("--db", metavar="PATH_OR_URL", help=tr("데이터베이스 파일 경로 또는 PostgreSQL URL (기본: 사용자 데이터 폴더, 환경변수 CAMP_MANAGER_DB)"))
    parser.add_argument("--lang", choices=LANGUAGES, default=None, help=tr("표시 언어 (ko, en)"))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo_parser = commands.add_parser("demo", help=tr("빈 데이터베이스에 데모 데이터 넣기"))
    demo_parser.add_argument("--today", type=parse_date, default=None, help=tr("데모 이력의 마지막 날 (기본: 오늘)"))
    demo_parser.set_defaults(func=cmd_demo)

    status_parser = commands.add_parser("status", help=tr("기준일의 입주 현황"))
    status_parser.add_argument("--as-of", type=parse_date, default=date.today(), help=tr("기준일 YYYY-MM-DD (기본: 오늘)"))
    status_parser.add_argument("--facility", help=tr("시설 이름"))
    status_parser.add_argument("--json", action="store_true", help=tr("JSON으로 출력"))
    status_parser.set_defaults(func=cmd_status)

    backup_parser = commands.add_parser("backup", help=tr("데이터베이스 파일 백업 (예약 작업용)"))
    backup_parser.add_argument("--out", type=Path, default=None, help=tr("백업 폴더 (기본: 데이터베이스 파일이 있는 폴더)"))
    backup_parser.set_defaults(func=cmd_backup)

    reporting_commands.add_commands(commands, parse_date=parse_date)
    importing_commands.add_commands(commands)
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
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from camp_manager.app import main as run_app

        return run_app(db=args.db)
    try:
        return args.func(args)
    except DomainError as error:
        print(tr("오류: {message}", message=error.message), file=sys.stderr)
        return EXIT_USER_ERROR


if __name__ == "__main__":
    sys.exit(main())
