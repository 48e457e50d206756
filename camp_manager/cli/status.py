"""`camp-manager status`: occupancy on a day, per facility, as text or JSON."""

from __future__ import annotations

import argparse
import json
from datetime import date

from camp_manager.cli.arguments import parse_date
from camp_manager.cli.database import open_for_command
from camp_manager.db.engine import unit_of_work
from camp_manager.i18n import tr
from camp_manager.services import occupancy
from camp_manager.services.facilities import facility_by_name


def add_commands(commands: argparse._SubParsersAction) -> None:
    status_parser = commands.add_parser("status", help=tr("기준일의 입주 현황"))
    status_parser.add_argument(
        "--as-of", type=parse_date, default=date.today(), help=tr("기준일 YYYY-MM-DD (기본: 오늘)")
    )
    status_parser.add_argument("--facility", help=tr("시설 이름 (기본: 전체 시설)"))
    status_parser.add_argument("--json", action="store_true", help=tr("JSON으로 출력"))
    status_parser.set_defaults(func=cmd_status)


def cmd_status(args: argparse.Namespace) -> int:
    engine = open_for_command(args.db)
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
