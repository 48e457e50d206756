"""The database file's commands: `init`, `demo`, `backup`, `backups` and `restore`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.engine import Engine

from camp_manager.cli.arguments import parse_date
from camp_manager.db.backup import BackupPolicy, backup_database, list_backups
from camp_manager.db.engine import describe, resolve_db_url, sqlite_file, unit_of_work
from camp_manager.db.migrate import backup_verdict, check_database_file, open_database_noting
from camp_manager.db.restore import restore_database
from camp_manager.errors import DomainError
from camp_manager.i18n import tr
from camp_manager.services import demo


def open_for_command(db: str | None, *, create: bool = False) -> Engine:
    """The engine; an upgrade of the schema on the way is said once, on stderr (stdout stays the command's)."""
    opened = open_database_noting(db, create=create)
    if opened.upgraded is not None:
        print(opened.upgraded.message(), file=sys.stderr)
    return opened.engine


def add_demo_command(commands: argparse._SubParsersAction) -> None:
    init_parser = commands.add_parser("init", help=tr("새 데이터베이스 만들기 (--db 파일 또는 기본 파일)"))
    init_parser.set_defaults(func=cmd_init)
    demo_parser = commands.add_parser("demo", help=tr("빈 데이터베이스에 데모 데이터 넣기"))
    demo_parser.add_argument("--today", type=parse_date, default=None, help=tr("데모 이력의 마지막 날 (기본: 오늘)"))
    demo_parser.set_defaults(func=cmd_demo)


def add_backup_command(commands: argparse._SubParsersAction) -> None:
    backup_parser = commands.add_parser("backup", help=tr("데이터베이스 파일 백업 (예약 작업용)"))
    backup_parser.add_argument(
        "--out", type=Path, default=None, help=tr("백업 폴더 (기본: 데이터베이스 파일 옆의 백업 폴더)")
    )
    backup_parser.set_defaults(func=cmd_backup)
    list_parser = commands.add_parser("backups", help=tr("백업 목록과 각 백업의 검사 결과"))
    list_parser.add_argument(
        "--folder", type=Path, default=None, help=tr("백업 폴더 (기본: 데이터베이스 파일 옆의 백업 폴더)")
    )
    list_parser.set_defaults(func=cmd_backups)
    restore_parser = commands.add_parser("restore", help=tr("백업 파일로 데이터베이스 복원 (지금 것은 먼저 백업)"))
    restore_parser.add_argument("file", type=Path, help=tr("복원할 백업 파일의 경로"))
    restore_parser.set_defaults(func=cmd_restore)


def _sqlite_path(db: str | None) -> Path:
    path = sqlite_file(resolve_db_url(db))
    if path is None:
        raise DomainError(tr("서버 데이터베이스는 서버에서 pg_restore로 복원하세요."), field="database")
    return path


def cmd_init(args: argparse.Namespace) -> int:
    path = sqlite_file(resolve_db_url(args.db))
    existed = path is not None and path.exists() and path.stat().st_size > 0
    engine = open_for_command(args.db, create=True)
    where = describe(engine)
    engine.dispose()
    print(
        tr("데이터베이스가 이미 있습니다: {where}", where=where)
        if existed
        else tr("새 데이터베이스를 만들었습니다: {where}", where=where)
    )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    engine = open_for_command(args.db)
    with unit_of_work(engine) as session:
        demo.load_demo(session=session, today=args.today)
    print(tr("데모 데이터를 넣었습니다: {where}", where=describe(engine)))
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    url = resolve_db_url(args.db)
    path = sqlite_file(url)
    if path is not None:
        check_database_file(path)
    print(backup_database(url, policy=BackupPolicy(folder=args.out)))
    return 0


def cmd_backups(args: argparse.Namespace) -> int:
    for backup in list_backups(_sqlite_path(args.db), BackupPolicy(folder=args.folder)):
        verdict = backup_verdict(backup.path)
        print(f"{backup.made_at:%Y-%m-%d %H:%M:%S}\t{backup.size:,}\t{verdict or tr('정상')}\t{backup.path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    restored = restore_database(_sqlite_path(args.db), args.file)
    print(tr("{source}(으)로 복원했습니다: {database}", source=restored.source, database=restored.database))
    if restored.previous is not None:
        print(tr("복원 전 데이터베이스의 백업: {path}", path=restored.previous))
    return 0
