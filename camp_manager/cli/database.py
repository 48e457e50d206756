"""`camp-manager demo` and `camp-manager backup`: filling an empty database, copying the SQLite file."""

from __future__ import annotations

import argparse
from pathlib import Path

from camp_manager.cli.arguments import parse_date
from camp_manager.db.engine import describe, unit_of_work
from camp_manager.db.migrate import backup_database, open_database
from camp_manager.i18n import tr
from camp_manager.services import demo


def add_demo_command(commands: argparse._SubParsersAction) -> None:
    demo_parser = commands.add_parser("demo", help=tr("빈 데이터베이스에 데모 데이터 넣기"))
    demo_parser.add_argument("--today", type=parse_date, default=None, help=tr("데모 이력의 마지막 날 (기본: 오늘)"))
    demo_parser.set_defaults(func=cmd_demo)


def add_backup_command(commands: argparse._SubParsersAction) -> None:
    backup_parser = commands.add_parser("backup", help=tr("데이터베이스 파일 백업 (예약 작업용)"))
    backup_parser.add_argument("--out", type=Path, default=None, help=tr("백업 폴더 (기본: 데이터베이스 파일이 있는 폴더)"))
    backup_parser.set_defaults(func=cmd_backup)


def cmd_demo(args: argparse.Namespace) -> int:
    engine = open_database(args.db)
    with unit_of_work(engine) as session:
        demo.load_demo(session=session, today=args.today)
    print(tr("데모 데이터를 넣었습니다: {where}", where=describe(engine)))
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    engine = open_database(args.db)
    print(backup_database(engine, folder=args.out))
    return 0
