"""`camp-manager check`: every rule of the data over a whole database; exit status 1 if any is broken."""

from __future__ import annotations

import argparse

from camp_manager.db.engine import describe, unit_of_work
from camp_manager.db.migrate import open_database
from camp_manager.i18n import tr
from camp_manager.services.integrity import find_violations

EXIT_VIOLATIONS = 1


def add_commands(commands: argparse._SubParsersAction) -> None:
    check_parser = commands.add_parser("check", help=tr("데이터베이스의 모든 자료가 규칙에 맞는지 검사"))
    check_parser.set_defaults(func=cmd_check)


def cmd_check(args: argparse.Namespace) -> int:
    engine = open_database(args.db)
    with unit_of_work(engine) as session:
        violations = find_violations(session)
    for violation in violations:
        print(violation.message)
    if violations:
        print(tr("규칙에 맞지 않는 자료 {count}건: {where}", count=len(violations), where=describe(engine)))
        return EXIT_VIOLATIONS
    print(tr("모든 자료가 규칙에 맞습니다: {where}", where=describe(engine)))
    return 0
