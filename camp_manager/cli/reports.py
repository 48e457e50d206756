"""`camp-manager report` and `camp-manager export`: the reports without a screen."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from sqlmodel import Session

from camp_manager.cli.arguments import parse_date
from camp_manager.cli.database import open_for_command
from camp_manager.db.engine import unit_of_work
from camp_manager.db.models import ExitReason, SessionStatus
from camp_manager.errors import DomainError
from camp_manager.i18n import LANGUAGES, tr
from camp_manager.reporting import exports
from camp_manager.reporting.generate import (
    ReportFormat,
    generate_annual_report,
    generate_monthly_report,
    parse_formats,
)
from camp_manager.reporting.monthly import ReportMonth
from camp_manager.reporting.options import ReportOptions, parse_approval_titles
from camp_manager.services.facilities import facility_by_name

ALL_FACILITIES = ("all", "전체")


def _month(text: str) -> ReportMonth:
    try:
        return ReportMonth.parse(text)
    except DomainError as error:
        raise argparse.ArgumentTypeError(error.message) from None


def _formats(text: str) -> list[ReportFormat]:
    try:
        return parse_formats(text)
    except DomainError as error:
        raise argparse.ArgumentTypeError(error.message) from None


def _facility_id(session: Session, name: str | None) -> int | None:
    if name is None or name.strip().lower() in ALL_FACILITIES:
        return None
    return facility_by_name(session, name).id


def _approval_titles(text: str) -> tuple[str, ...]:
    try:
        return parse_approval_titles(text)
    except DomainError as error:
        raise argparse.ArgumentTypeError(error.message) from None


def _options(args: argparse.Namespace) -> ReportOptions:
    if args.approval_titles is not None and not args.approval:
        raise DomainError(tr("--approval-titles는 --approval과 함께 씁니다."), field="approval_titles")
    return ReportOptions(office=args.office.strip(), approval=args.approval, approval_titles=args.approval_titles or ())


def cmd_report(args: argparse.Namespace) -> int:
    if args.month is not None and args.year is not None:
        raise DomainError(
            tr("--month와 --year는 함께 쓸 수 없습니다. 월간 보고서는 --month, 연간 성과 보고서는 --year만 쓰세요."),
            field="year",
        )
    if args.evidenced_only and args.year is None:
        raise DomainError(tr("--evidenced-only는 연간 성과 보고서(--year)에만 씁니다."), field="evidenced_only")
    options = _options(args)
    engine = open_for_command(args.db)
    if args.year is not None:
        for name in args.facility or [None]:
            with unit_of_work(engine) as session:
                paths = generate_annual_report(
                    session,
                    year=args.year,
                    facility_id=_facility_id(session, name),
                    out_dir=args.out,
                    formats=args.format,
                    evidenced_only=args.evidenced_only,
                    options=options,
                )
            for path in paths:
                print(path)
        return 0
    month = args.month or ReportMonth.before(date.today())
    for name in args.facility or [None]:
        with unit_of_work(engine) as session:
            paths = generate_monthly_report(
                session,
                month=month,
                facility_id=_facility_id(session, name),
                out_dir=args.out,
                formats=args.format,
                options=options,
            )
        for path in paths:
            print(path)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    engine = open_for_command(args.db)
    start = args.start or date(args.as_of.year, 1, 1)
    end = args.end or args.as_of
    if end < start:
        raise DomainError(tr("--to({end})가 --from({start})보다 빠릅니다.", end=end, start=start), field="to")
    with unit_of_work(engine) as session:
        facility_id = _facility_id(session, args.facility)
        if args.list == "residents":
            path = exports.export_residents(session, args.out, on=args.as_of, facility_id=facility_id)
        elif args.list == "mentoring":
            path = exports.export_mentoring(
                session, args.out, start=start, end=end, facility_id=facility_id, status=args.status
            )
        else:
            path = exports.export_exits(
                session, args.out, start=start, end=end, facility_id=facility_id, reason=args.reason
            )
    print(path)
    return 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    report = commands.add_parser("report", help=tr("월간 입주 현황 보고서(PDF·Excel) 만들기"))
    report.add_argument(
        "--month", type=_month, default=None, metavar="YYYY-MM", help=tr("보고 월 YYYY-MM (기본: 지난달)")
    )
    report.add_argument(
        "--year", type=int, default=None, metavar="YYYY", help=tr("연간 보육 성과 보고서의 연도 (--month 대신)")
    )
    report.add_argument("--evidenced-only", action="store_true", help=tr("연간 보고서: 증빙 파일이 있는 기록만 셉니다"))
    report.add_argument(
        "--facility",
        action="append",
        metavar="NAME",
        help=tr("시설 이름 또는 all(전체 시설, 기본). 여러 번 쓰면 시설마다 만듭니다."),
    )
    report.add_argument(
        "--format",
        type=_formats,
        metavar="pdf,xlsx",
        default=[ReportFormat.PDF, ReportFormat.XLSX],
        help=tr("pdf, xlsx 또는 pdf,xlsx (기본: 둘 다)"),
    )
    report.add_argument(
        "--office", default="", metavar="NAME", help=tr("작성 부서 이름 (머리글과 Excel 제목 아래에 씁니다)")
    )
    report.add_argument("--approval", action="store_true", help=tr("첫 쪽과 요약 시트에 결재란을 넣습니다"))
    report.add_argument(
        "--approval-titles",
        type=_approval_titles,
        default=None,
        metavar="TITLES",
        help=tr("결재란 칸 제목, 쉼표로 구분 (기본: 담당, 팀장, 센터장)"),
    )
    # Read by main() before parsing (help texts are translated); SUPPRESS keeps the global value.
    report.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=tr("보고서 언어 (ko, en)"))
    report.add_argument("--out", type=Path, default=Path("."), metavar="DIR", help=tr("저장할 폴더 (기본: 현재 폴더)"))
    report.set_defaults(func=cmd_report)

    export = commands.add_parser("export", help=tr("입주기업·멘토링·퇴거 목록을 Excel로 내보내기"))
    export.add_argument("list", choices=("residents", "mentoring", "exits"), help=tr("내보낼 목록"))
    export.add_argument(
        "--as-of", type=parse_date, metavar="DATE", default=date.today(), help=tr("기준일 YYYY-MM-DD (기본: 오늘)")
    )
    export.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx", help=tr("저장할 .xlsx 파일"))
    export.add_argument("--facility", metavar="NAME", help=tr("시설 이름 (기본: 전체 시설)"))
    export.add_argument(
        "--from",
        dest="start",
        type=parse_date,
        default=None,
        metavar="DATE",
        help=tr("멘토링·퇴거: 시작일 (기본: 기준일이 속한 해의 1월 1일)"),
    )
    export.add_argument(
        "--to",
        dest="end",
        type=parse_date,
        default=None,
        metavar="DATE",
        help=tr("멘토링·퇴거: 종료일, 그날 포함 (기본: 기준일)"),
    )
    export.add_argument(
        "--status", choices=[s.value for s in SessionStatus], default=None, help=tr("멘토링: 이 상태만")
    )
    export.add_argument("--reason", choices=[r.value for r in ExitReason], default=None, help=tr("퇴거: 이 사유만"))
    export.set_defaults(func=cmd_export)
