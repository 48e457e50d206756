"""The database holds the rules too

CHECK constraints (an end is not before its start, counts are not negative, codes are known),
one open residency per company (a partial unique index), one company at a time in a private
office (an exclusion constraint on PostgreSQL, a trigger on SQLite, over a new column
`allocation.room_kind` that a foreign key keeps equal to the room's kind), the exit day tied to
the end of the stay it closes (a foreign key), and `room.active` dropped: `room.retired_on` is the
one fact of a room's retirement.

Data that breaks one of these rules stops the upgrade before anything changes, with a report of
each broken rule and its records.

Revision ID: 0002_constraints
Revises: 0001_baseline
Create Date: 2026-12-03 11:50:00
"""

from __future__ import annotations

import getpass
import logging
from datetime import UTC, date, datetime
from typing import NamedTuple

import sqlalchemy as sa
from alembic import op

from camp_manager.errors import DomainError
from camp_manager.i18n import tr

revision = "0002_constraints"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)

OFFICE_ONCE = "ex_allocation_office_once"
ONE_OPEN_RESIDENCY = "uq_residency_one_open_per_company"
SHOWN_PER_RULE = 10


class Check(NamedTuple):  # not a dataclass: Alembic loads this file outside sys.modules
    table: str
    name: str
    condition: str
    rule: str  # what the rule says, for the report


def _known(table: str, column: str, codes: tuple[str, ...]) -> tuple[str, str, str, str]:
    listed = ", ".join(f"'{code}'" for code in codes)
    return table, f"ck_{table}_{column}_known", f"{column} IN ({listed})", tr("{column} 값이 목록에 없음", column=column)


def _checks() -> list[Check]:
    """Every CHECK constraint this revision adds (the rule texts are made when asked: translated)."""
    not_negative = tr("0 이상이어야 하는 수가 음수")
    rows = [
        ("facility", "ck_facility_max_rooms_per_company_at_least_1", "max_rooms_per_company >= 1", tr("기업당 최대 호실 수가 1보다 작음")),
        _known("room", "kind", ("private_office", "shared_zone", "meeting_room")),
        ("room", "ck_room_seats_at_least_0", "seats >= 0", not_negative),
        ("room", "ck_room_area_m2_at_least_0", "area_m2 >= 0", not_negative),
        ("room", "ck_room_shared_zone_seats_at_least_1", "kind <> 'shared_zone' OR seats >= 1", tr("좌석 수가 0인 공유 좌석존")),
        _known("company", "field", (
            "bigdata", "healthcare", "energy", "content", "platform", "security", "automotive", "manufacturing",
            "education", "fintech", "other",
        )),
        ("company", "ck_company_biz_reg_no_10_digits", "length(biz_reg_no) = 10", tr("사업자등록번호가 10자리가 아님")),
        ("company", "ck_company_investment_krw_at_least_0", "investment_krw >= 0", not_negative),
        ("headcountrecord", "ck_headcountrecord_employees_at_least_0", "employees >= 0", not_negative),
        ("residency", "ck_residency_ended_on_not_before_move_in", "ended_on IS NULL OR ended_on >= move_in", tr("퇴거일이 입주일보다 빠름")),
        ("residency", "ck_residency_contract_end_not_before_move_in", "contract_end IS NULL OR contract_end >= move_in", tr("계약 만료일이 입주일보다 빠름")),
        ("contractextension", "ck_contractextension_new_end_after_previous_end", "previous_end IS NULL OR new_end > previous_end", tr("연장한 만료일이 이전 만료일보다 뒤가 아님")),
        ("allocation", "ck_allocation_end_on_not_before_start_on", "end_on IS NULL OR end_on >= start_on", tr("배정 종료일이 시작일보다 빠름")),
        ("allocation", "ck_allocation_seats_at_least_0", "seats >= 0", not_negative),
        ("allocation", "ck_allocation_shared_zone_seats_at_least_1", "room_kind <> 'shared_zone' OR seats >= 1", tr("공유 좌석존 배정의 좌석 수가 1보다 작음")),
        ("allocation", "ck_allocation_not_a_meeting_room", "room_kind <> 'meeting_room'", tr("회의실에 기업 배정")),
        _known("roomrequest", "kind", ("waitlist", "expansion")),
        _known("roomrequest", "status", ("open", "approved", "declined", "withdrawn")),
        ("roomrequest", "ck_roomrequest_rooms_wanted_at_least_0", "rooms_wanted >= 0", not_negative),
        ("roomrequest", "ck_roomrequest_seats_wanted_at_least_0", "seats_wanted >= 0", not_negative),
        ("roomrequest", "ck_roomrequest_something_wanted", "rooms_wanted + seats_wanted >= 1", tr("호실도 좌석도 신청하지 않은 공간 신청")),
        ("roomrequest", "ck_roomrequest_decided_on_not_before_requested_on", "decided_on IS NULL OR decided_on >= requested_on", tr("처리일이 신청일보다 빠름")),
        ("roomrequest", "ck_roomrequest_decided_unless_open", "(status = 'open') = (decided_on IS NULL)", tr("처리일과 처리 상태가 맞지 않음")),
        _known("mentor", "field", ("technology", "business", "finance", "marketing")),
        _known("mentoringsession", "mode", ("in_person", "online")),
        _known("mentoringsession", "status", ("planned", "held", "cancelled")),
        ("mentoringsession", "ck_mentoringsession_minutes_within_a_day", "minutes BETWEEN 1 AND 1440", tr("멘토링 시간이 1분에서 1440분 사이가 아님")),
        _known("exit", "reason", (
            "graduated", "relocated_capital", "relocated_other", "closed", "suspended", "lack_of_space", "contract_ended",
            "terminated", "other",
        )),
    ] + [
        ("importbatch", f"ck_importbatch_{count}_at_least_0", f"{count} >= 0", not_negative)
        for count in ("created", "updated", "unchanged", "skipped", "errors")
    ]
    return [Check(*row) for row in rows]


# The rules that are not a CHECK of one row: a query for the records that break each.
_OVERLAPPING_OFFICES = """
    SELECT b.id FROM allocation a
    JOIN allocation b ON b.room_id = a.room_id AND b.id > a.id
    JOIN room r ON r.id = a.room_id
    WHERE r.kind = 'private_office'
      AND (a.end_on IS NULL OR a.end_on > a.start_on) AND (b.end_on IS NULL OR b.end_on > b.start_on)
      AND (b.end_on IS NULL OR a.start_on < b.end_on) AND (a.end_on IS NULL OR b.start_on < a.end_on)
"""
_TWO_OPEN_RESIDENCIES = """
    SELECT id FROM residency r WHERE ended_on IS NULL
      AND EXISTS (SELECT 1 FROM residency o WHERE o.company_id = r.company_id AND o.ended_on IS NULL AND o.id < r.id)
"""
_EXIT_NOT_THE_END = """
    SELECT e.id FROM exit e JOIN residency r ON r.id = e.residency_id
    WHERE r.ended_on IS NULL OR r.ended_on <> e.exit_on
"""


def _record_name(table: str) -> str:
    names = {
        "facility": tr("시설"), "room": tr("호실"), "company": tr("입주기업"), "headcountrecord": tr("고용인원 기록"),
        "residency": tr("입주 계약"), "contractextension": tr("계약 연장"), "allocation": tr("호실 배정"),
        "roomrequest": tr("공간 신청"), "mentor": tr("멘토"), "mentoringsession": tr("멘토링"), "exit": tr("퇴거"),
        "importbatch": tr("가져오기"),
    }
    return names[table]


def _broken_rules(connection: sa.Connection) -> list[str]:
    """One line per rule the data breaks, naming its records (the first few of them)."""
    queries = [
        (check.rule, check.table, f"SELECT id FROM {_quoted(check.table)} WHERE NOT ({check.condition})")
        for check in _checks() if check.table != "allocation" or "room_kind" not in check.condition
    ] + [
        # allocation.room_kind does not exist yet: its rules are asked of the room.
        (tr("공유 좌석존 배정의 좌석 수가 1보다 작음"), "allocation",
         "SELECT a.id FROM allocation a JOIN room r ON r.id = a.room_id WHERE r.kind = 'shared_zone' AND a.seats < 1"),
        (tr("회의실에 기업 배정"), "allocation",
         "SELECT a.id FROM allocation a JOIN room r ON r.id = a.room_id WHERE r.kind = 'meeting_room'"),
        (tr("한 개별 사무실에 기간이 겹치는 두 배정"), "allocation", _OVERLAPPING_OFFICES),
        (tr("한 기업에 입주 중인 계약이 둘 이상"), "residency", _TWO_OPEN_RESIDENCIES),
        (tr("퇴거일이 입주 계약의 종료일과 다름"), "exit", _EXIT_NOT_THE_END),
    ]
    lines = []
    for rule, table, query in queries:
        ids = sorted(set(connection.exec_driver_sql(query).scalars()))
        if ids:
            shown = ", ".join(str(i) for i in ids[:SHOWN_PER_RULE])
            more = tr(" 외 {count}건", count=len(ids) - SHOWN_PER_RULE) if len(ids) > SHOWN_PER_RULE else ""
            lines.append(tr("- {rule}: {record} 번호 {ids}{more}", rule=rule, record=_record_name(table), ids=shown, more=more))
    return lines


def _quoted(table: str) -> str:
    return op.get_bind().dialect.identifier_preparer.quote(table)


def _refuse_broken_data(connection: sa.Connection) -> None:
    lines = _broken_rules(connection)
    if lines:
        raise DomainError(tr(
            "데이터베이스를 새 버전으로 올리지 못했습니다. 아래 자료가 규칙에 맞지 않습니다(아무것도 바꾸지 않았습니다). "
            "이전 버전의 Camp Manager에서 이 자료를 고친 뒤 다시 여세요.\n{lines}",
            lines="\n".join(lines),
        ), field="database")


def _retire_deactivated_rooms(connection: sa.Connection) -> None:
    """A room marked inactive without a retirement day stops counting from the day of this upgrade,
    or from the end of its last allocation if that is later: no past figure changes. One still held
    with no end keeps counting. Each change goes to the audit trail and the log."""
    today = date.today()
    rooms = connection.execute(sa.text(
        "SELECT r.id, r.code, MAX(a.end_on) AS last_end, SUM(CASE WHEN a.id IS NOT NULL AND a.end_on IS NULL THEN 1 ELSE 0 END) AS open "
        "FROM room r LEFT JOIN allocation a ON a.room_id = r.id "
        "WHERE r.active = :inactive AND r.retired_on IS NULL GROUP BY r.id, r.code"
    ).bindparams(sa.bindparam("inactive", False, sa.Boolean()))).all()
    audit = sa.table(
        "auditentry", sa.column("at", sa.DateTime(timezone=True)), sa.column("actor", sa.String), sa.column("entity", sa.String),
        sa.column("entity_id", sa.Integer), sa.column("action", sa.String), sa.column("before", sa.JSON), sa.column("after", sa.JSON),
    )
    for room_id, code, last_end, still_held in rooms:
        if still_held:
            log.warning("room %s (%s) was marked inactive but is still held with no end: it stays in use", room_id, code)
            continue
        last_end = date.fromisoformat(str(last_end)) if last_end is not None else None
        retired_on = max(today, last_end) if last_end is not None else today
        connection.execute(
            sa.text("UPDATE room SET retired_on = :day WHERE id = :id").bindparams(sa.bindparam("day", type_=sa.Date())),
            {"day": retired_on, "id": room_id},
        )
        connection.execute(audit.insert().values(
            at=datetime.now(UTC), actor=_actor(), entity="Room", entity_id=room_id, action="retire",
            before={"retired_on": None, "active": False}, after={"retired_on": retired_on.isoformat()},
        ))
        log.warning("room %s (%s) was marked inactive with no retirement day: retired on %s", room_id, code, retired_on)


def _actor() -> str:
    try:
        return f"{getpass.getuser()} ({revision})"
    except (KeyError, OSError):
        return revision


# SQLite has no exclusion constraint: these triggers refuse an allocation of a private office
# that overlaps another one of the same room, with the constraint's name as their message.
_OFFICE_TRIGGER = """
CREATE TRIGGER {name}_{event} BEFORE {event} ON allocation
WHEN NEW.room_kind = 'private_office' AND (NEW.end_on IS NULL OR NEW.end_on > NEW.start_on)
BEGIN
    SELECT RAISE(ABORT, '{name}') WHERE EXISTS (
        SELECT 1 FROM allocation other
        WHERE other.room_id = NEW.room_id AND other.id IS NOT NEW.id AND other.room_kind = 'private_office'
          AND (other.end_on IS NULL OR other.end_on > other.start_on)
          AND (other.end_on IS NULL OR other.end_on > NEW.start_on)
          AND (NEW.end_on IS NULL OR NEW.end_on > other.start_on)
    );
END
"""
_TRIGGER_EVENTS = ("insert", "update")


def upgrade() -> None:
    connection = op.get_bind()
    sqlite = connection.dialect.name == "sqlite"
    _refuse_broken_data(connection)
    _retire_deactivated_rooms(connection)
    checks = _checks()

    with op.batch_alter_table("room") as batch:
        batch.drop_column("active")
        batch.create_unique_constraint(op.f("uq_room_id_kind"), ["id", "kind"])
    with op.batch_alter_table("residency") as batch:
        batch.create_unique_constraint(op.f("uq_residency_id_ended_on"), ["id", "ended_on"])

    op.add_column("allocation", sa.Column("room_kind", sa.String(20), server_default="private_office", nullable=False))
    op.execute("UPDATE allocation SET room_kind = (SELECT kind FROM room WHERE room.id = allocation.room_id)")
    with op.batch_alter_table("allocation") as batch:
        batch.drop_constraint("fk_allocation_room_id_room", type_="foreignkey")
        batch.create_foreign_key(
            op.f("fk_allocation_room_id_room"), "room", ["room_id", "room_kind"], ["id", "kind"], onupdate="CASCADE"
        )
    with op.batch_alter_table("exit") as batch:
        batch.drop_constraint("fk_exit_residency_id_residency", type_="foreignkey")
        batch.create_foreign_key(op.f("fk_exit_residency_id_residency"), "residency", ["residency_id", "exit_on"], ["id", "ended_on"])

    for table in dict.fromkeys(check.table for check in checks):
        with op.batch_alter_table(table) as batch:
            for check in checks:
                if check.table == table:
                    batch.create_check_constraint(op.f(check.name), check.condition)

    # After every rebuild of the tables: SQLite's batch copy would drop a partial index's WHERE and the triggers.
    op.create_index(
        ONE_OPEN_RESIDENCY, "residency", ["company_id"], unique=True,
        sqlite_where=sa.text("ended_on IS NULL"), postgresql_where=sa.text("ended_on IS NULL"),
    )
    if sqlite:
        for event in _TRIGGER_EVENTS:
            op.execute(_OFFICE_TRIGGER.format(name=OFFICE_ONCE, event=event.upper()))
    else:
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(
            f"ALTER TABLE allocation ADD CONSTRAINT {OFFICE_ONCE} EXCLUDE USING gist "
            "(room_id WITH =, daterange(start_on, end_on) WITH &&) WHERE (room_kind = 'private_office')"
        )


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        for event in _TRIGGER_EVENTS:
            op.execute(f"DROP TRIGGER IF EXISTS {OFFICE_ONCE}_{event.upper()}")
    else:
        op.execute(f"ALTER TABLE allocation DROP CONSTRAINT {OFFICE_ONCE}")
    op.drop_index(ONE_OPEN_RESIDENCY, "residency")
    checks = _checks()
    for table in dict.fromkeys(check.table for check in checks):
        with op.batch_alter_table(table) as batch:
            for check in checks:
                if check.table == table:
                    batch.drop_constraint(op.f(check.name), type_="check")
    with op.batch_alter_table("exit") as batch:
        batch.drop_constraint("fk_exit_residency_id_residency", type_="foreignkey")
        batch.create_foreign_key(op.f("fk_exit_residency_id_residency"), "residency", ["residency_id"], ["id"])
    with op.batch_alter_table("allocation") as batch:
        batch.drop_constraint("fk_allocation_room_id_room", type_="foreignkey")
        batch.create_foreign_key(op.f("fk_allocation_room_id_room"), "room", ["room_id"], ["id"])
        batch.drop_column("room_kind")
    with op.batch_alter_table("residency") as batch:
        batch.drop_constraint("uq_residency_id_ended_on", type_="unique")
    with op.batch_alter_table("room") as batch:
        batch.drop_constraint("uq_room_id_kind", type_="unique")
        batch.add_column(sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False))
    op.execute(sa.text("UPDATE room SET active = (retired_on IS NULL)"))
