"""`camp-manager survey`: the performance survey workbook (경영성과 조사표) to send to the companies.

A returned survey comes back through `camp-manager import FILE` (cli/imports.py tells it apart).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from camp_manager.cli.database import open_for_command
from camp_manager.db.engine import unit_of_work
from camp_manager.i18n import tr
from camp_manager.importing.survey import survey_rows
from camp_manager.importing.survey_workbook import save_survey


def add_commands(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("survey", help=tr("입주기업에 보낼 경영성과 조사표(엑셀) 만들기"))
    parser.add_argument("--year", type=int, required=True, metavar="YYYY", help=tr("조사 연도"))
    parser.add_argument("--facility", metavar="NAME", help=tr("이 시설의 입주기업만"))
    parser.add_argument("--company", metavar="NAME_OR_BIZNO", help=tr("이 기업만 (기업명 또는 사업자등록번호)"))
    parser.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx", help=tr("저장할 파일"))
    parser.set_defaults(func=cmd_survey)


def cmd_survey(args: argparse.Namespace) -> int:
    engine = open_for_command(args.db)
    with unit_of_work(engine) as session:
        rows = survey_rows(session, year=args.year, facility=args.facility, company=args.company)
    path = save_survey(rows, year=args.year, path=args.out)
    print(
        tr(
            "{year}년 경영성과 조사표를 저장했습니다 ({count}개 기업): {path}",
            year=args.year,
            count=len(rows),
            path=path,
        )
    )
    return 0
