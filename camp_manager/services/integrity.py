"""Every rule the data obeys (README, "Rules the data obeys"), checked over a whole database in SQL.

The use cases keep these rules as they write and the database refuses much of what breaks them
(see `camp_manager.db.models`), but not all of it: a shared zone's capacity, a stay that covers its
allocations, nothing dated after an exit. `find_violations` asks every rule of every row; the
generators of test and benchmark data and `camp-manager check` run it. Each check is also a
function of its own, for a test that asks one rule after every step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from camp_manager.db.models import EvidenceOf
from camp_manager.i18n import tr
from camp_manager.labels import label
from camp_manager.services import bizno

# An open end in a comparison: later than every real day (ISO text on SQLite, a date on PostgreSQL).
_OPEN = "'9999-12-31'"


@dataclass(frozen=True)
class Violation:
    rule: str  # the check's name, e.g. "overlapping_offices"
    table: str
    record_id: int
    message: str  # names the record and what is wrong, in the user's language


def _rows(session: Session, sql: str) -> list[sa.Row[Any]]:
    return list(session.execute(sa.text(sql)))


def overlapping_offices(session: Session) -> list[Violation]:
    """A private office holds one company at a time: two of its allocations never share a day."""
    rows = _rows(
        session,
        f"""
        SELECT b.id, a.id AS first_id, r.code, ca.name AS first_name, cb.name, b.start_on AS b_start, a.start_on AS a_start
        FROM allocation a
        JOIN allocation b ON b.room_id = a.room_id AND b.id > a.id
        JOIN room r ON r.id = a.room_id
        JOIN company ca ON ca.id = a.company_id
        JOIN company cb ON cb.id = b.company_id
        WHERE r.kind = 'private_office'
          AND a.start_on < COALESCE(a.end_on, {_OPEN}) AND b.start_on < COALESCE(b.end_on, {_OPEN})
          AND a.start_on < COALESCE(b.end_on, {_OPEN}) AND b.start_on < COALESCE(a.end_on, {_OPEN})
        ORDER BY b.id, a.id
    """,
    )
    return [
        Violation(
            "overlapping_offices",
            "allocation",
            row.id,
            tr(
                "개별 사무실 {code}의 배정 {id}('{name}')이(가) 배정 {first}('{first_name}')과(와) {day}부터 겹칩니다.",
                code=row.code,
                id=row.id,
                name=row.name,
                first=row.first_id,
                first_name=row.first_name,
                day=max(str(row.a_start), str(row.b_start)),
            ),
        )
        for row in rows
    ]


def overfull_shared_zones(session: Session) -> list[Violation]:
    """A shared zone holds companies by seats up to its capacity, on every day."""
    # Seats in use only rise on a day an allocation starts: checking every start day suffices.
    rows = _rows(
        session,
        f"""
        SELECT r.id, r.code, p.start_on, SUM(a.seats) AS used, r.seats
        FROM (SELECT DISTINCT room_id, start_on FROM allocation) p
        JOIN room r ON r.id = p.room_id
        JOIN allocation a ON a.room_id = p.room_id AND a.start_on <= p.start_on AND COALESCE(a.end_on, {_OPEN}) > p.start_on
        WHERE r.kind = 'shared_zone'
        GROUP BY r.id, r.code, p.start_on, r.seats
        HAVING SUM(a.seats) > r.seats
        ORDER BY r.id, p.start_on
    """,
    )
    return [
        Violation(
            "overfull_shared_zones",
            "room",
            row.id,
            tr(
                "공유 좌석존 {code}: {day}에 {total}석 중 {used}석이 배정되어 있습니다.",
                code=row.code,
                day=str(row.start_on),
                total=row.seats,
                used=row.used,
            ),
        )
        for row in rows
    ]


def allocations_outside_a_stay(session: Session) -> list[Violation]:
    """A company holds a room only within a stay of its own in the room's facility (an exit ends its rooms)."""
    rows = _rows(
        session,
        f"""
        SELECT a.id, c.name, r.code, a.start_on, a.end_on FROM allocation a
        JOIN room r ON r.id = a.room_id JOIN company c ON c.id = a.company_id
        WHERE a.start_on < COALESCE(a.end_on, {_OPEN}) AND NOT EXISTS (
            SELECT 1 FROM residency s
            WHERE s.company_id = a.company_id AND s.facility_id = r.facility_id AND s.move_in <= a.start_on
              AND COALESCE(a.end_on, {_OPEN}) <= COALESCE(s.ended_on, {_OPEN}))
        ORDER BY a.id
    """,
    )
    return [
        Violation(
            "allocations_outside_a_stay",
            "allocation",
            row.id,
            tr(
                "호실 배정 {id}('{name}', 호실 {code}, {start}~{end})이(가) 그 기업의 입주 기간 밖입니다.",
                id=row.id,
                name=row.name,
                code=row.code,
                start=str(row.start_on),
                end=str(row.end_on or ""),
            ),
        )
        for row in rows
    ]


def allocations_in_retired_rooms(session: Session) -> list[Violation]:
    """A room no longer counts from its retirement day: nobody holds it then."""
    rows = _rows(
        session,
        f"""
        SELECT a.id, c.name, r.code, r.retired_on FROM allocation a
        JOIN room r ON r.id = a.room_id JOIN company c ON c.id = a.company_id
        WHERE r.retired_on IS NOT NULL AND COALESCE(a.end_on, {_OPEN}) > r.retired_on AND a.start_on < COALESCE(a.end_on, {_OPEN})
        ORDER BY a.id
    """,
    )
    return [
        Violation(
            "allocations_in_retired_rooms",
            "allocation",
            row.id,
            tr(
                "호실 배정 {id}('{name}')이(가) 호실 {code}의 사용 종료일({date}) 이후까지 이어집니다.",
                id=row.id,
                name=row.name,
                code=row.code,
                date=str(row.retired_on),
            ),
        )
        for row in rows
    ]


# Records that may not be dated after an exit (unless the company moved in again by then):
# (table, its date, whether the exit day itself is too late, further condition, what it is).
_DATED_RECORDS: tuple[tuple[str, str, bool, str, Callable[[], str]], ...] = (
    ("headcountrecord", "as_of", False, "", lambda: tr("고용인원 기록")),
    ("roomrequest", "requested_on", False, "", lambda: tr("공간 신청")),
    ("investmentround", "invested_on", False, "", lambda: tr("투자유치")),
    ("intellectualproperty", "dated_on", False, "", lambda: tr("지식재산권")),
    ("certification", "granted_on", False, "", lambda: tr("인증")),
    ("governmentproject", "selected_on", False, "", lambda: tr("정부지원사업")),
    (
        "mentoringsession",
        "held_on",
        True,
        "AND x.status = 'held'",
        lambda: tr("멘토링"),
    ),  # the exit day is the first day gone
)


def records_after_an_exit(session: Session) -> list[Violation]:
    """Nothing of a company is dated after its exit unless it moved in again."""
    found = []
    for table, day, exit_day_too_late, condition, what in _DATED_RECORDS:
        after = "<=" if exit_day_too_late else "<"
        rows = _rows(
            session,
            f"""
            SELECT x.id, x.{day} AS day, c.name, s.ended_on FROM {table} x
            JOIN company c ON c.id = x.company_id
            JOIN residency s ON s.company_id = x.company_id AND s.ended_on IS NOT NULL AND s.ended_on {after} x.{day}
            -- the latest stay begun by that day is the one that ended: no move-in since
            WHERE s.move_in = (SELECT MAX(latest.move_in) FROM residency latest
                               WHERE latest.company_id = x.company_id AND latest.move_in <= x.{day}) {condition}
            ORDER BY x.id
        """,
        )
        found += [
            Violation(
                "records_after_an_exit",
                table,
                row.id,
                tr(
                    "'{name}'의 {what} {id}({day})이(가) 퇴거일({exit}) 이후입니다.",
                    name=row.name,
                    what=what(),
                    id=row.id,
                    day=str(row.day),
                    exit=str(row.ended_on),
                ),
            )
            for row in rows
        ]
    return found


def sessions_outside_a_stay(session: Session) -> list[Violation]:
    """A planned or held mentoring session falls within a stay of the company (a held one after an
    exit is `records_after_an_exit`'s to name)."""
    rows = _rows(
        session,
        f"""
        SELECT m.id, c.name, m.held_on FROM mentoringsession m JOIN company c ON c.id = m.company_id
        WHERE (m.status = 'planned' OR (m.status = 'held' AND NOT EXISTS (
                SELECT 1 FROM residency begun WHERE begun.company_id = m.company_id AND begun.move_in <= m.held_on)))
          AND NOT EXISTS (
            SELECT 1 FROM residency s WHERE s.company_id = m.company_id AND s.move_in <= m.held_on
              AND COALESCE(s.ended_on, {_OPEN}) > m.held_on)
        ORDER BY m.id
    """,
    )
    return [
        Violation(
            "sessions_outside_a_stay",
            "mentoringsession",
            row.id,
            tr(
                "멘토링 {id}('{name}', {day})이(가) 그 기업의 입주 기간 밖입니다.",
                id=row.id,
                name=row.name,
                day=str(row.held_on),
            ),
        )
        for row in rows
    ]


def two_open_stays(session: Session) -> list[Violation]:
    """A company is resident in one place at a time: at most one open residency."""
    rows = _rows(
        session,
        """
        SELECT s.id, c.name, first.id AS first_id FROM residency s
        JOIN company c ON c.id = s.company_id
        JOIN residency first ON first.company_id = s.company_id AND first.ended_on IS NULL AND first.id < s.id
        WHERE s.ended_on IS NULL
        ORDER BY s.id
    """,
    )
    return [
        Violation(
            "two_open_stays",
            "residency",
            row.id,
            tr(
                "'{name}'에 입주 중인 계약이 둘 이상입니다(입주 계약 {first}, {id}).",
                name=row.name,
                first=row.first_id,
                id=row.id,
            ),
        )
        for row in rows
    ]


def exits_apart_from_their_stay(session: Session) -> list[Violation]:
    """An exit ends its residency on the exit day; a residency ends only by an exit."""
    differing = _rows(
        session,
        """
        SELECT e.id, c.name, e.exit_on, s.ended_on FROM exit e
        JOIN residency s ON s.id = e.residency_id JOIN company c ON c.id = e.company_id
        WHERE s.ended_on IS NULL OR s.ended_on <> e.exit_on OR s.company_id <> e.company_id
        ORDER BY e.id
    """,
    )
    unexited = _rows(
        session,
        """
        SELECT s.id, c.name, s.ended_on FROM residency s JOIN company c ON c.id = s.company_id
        WHERE s.ended_on IS NOT NULL AND NOT EXISTS (SELECT 1 FROM exit e WHERE e.residency_id = s.id)
        ORDER BY s.id
    """,
    )
    return [
        Violation(
            "exits_apart_from_their_stay",
            "exit",
            row.id,
            tr(
                "퇴거 {id}('{name}')의 퇴거일({exit})이 그 입주 계약의 종료일({end})과 다릅니다.",
                id=row.id,
                name=row.name,
                exit=str(row.exit_on),
                end=str(row.ended_on or "-"),
            ),
        )
        for row in differing
    ] + [
        Violation(
            "exits_apart_from_their_stay",
            "residency",
            row.id,
            tr(
                "입주 계약 {id}('{name}')은(는) {date}에 끝났지만 퇴거 기록이 없습니다.",
                id=row.id,
                name=row.name,
                date=str(row.ended_on),
            ),
        )
        for row in unexited
    ]


# (table, start column, end column, what it is): an end is never before its start.
_DATE_ORDERS: tuple[tuple[str, str, str, Callable[[], str]], ...] = (
    ("residency", "move_in", "ended_on", lambda: tr("입주 계약")),
    ("residency", "move_in", "contract_end", lambda: tr("입주 계약")),
    ("allocation", "start_on", "end_on", lambda: tr("호실 배정")),
    ("roomrequest", "requested_on", "decided_on", lambda: tr("공간 신청")),
)


def dates_out_of_order(session: Session) -> list[Violation]:
    found = []
    for table, start, end, what in _DATE_ORDERS:
        rows = _rows(
            session, f"SELECT id, {start} AS start, {end} AS end_day FROM {table} WHERE {end} < {start} ORDER BY id"
        )
        found += [
            Violation(
                "dates_out_of_order",
                table,
                row.id,
                tr(
                    "{what} {id}: {end}({end_day})이(가) {start}({start_day})보다 빠릅니다.",
                    what=what(),
                    id=row.id,
                    end=end,
                    end_day=str(row.end_day),
                    start=start,
                    start_day=str(row.start),
                ),
            )
            for row in rows
        ]
    return found


def rooms_beyond_the_policy(session: Session) -> list[Violation]:
    """Beyond the facility's `max_rooms_per_company`, a room is held only with a recorded reason."""
    rows = _rows(
        session,
        f"""
        SELECT a.id, c.name, r.code, f.max_rooms_per_company AS most, COUNT(DISTINCT b.room_id) AS held
        FROM allocation a
        JOIN room r ON r.id = a.room_id JOIN facility f ON f.id = r.facility_id JOIN company c ON c.id = a.company_id
        JOIN allocation b ON b.company_id = a.company_id AND b.room_id <> a.room_id
             AND (b.start_on < a.start_on OR (b.start_on = a.start_on AND b.id < a.id))
             AND COALESCE(b.end_on, {_OPEN}) > a.start_on AND b.start_on < COALESCE(b.end_on, {_OPEN})
        JOIN room rb ON rb.id = b.room_id AND rb.facility_id = r.facility_id
        WHERE TRIM(a.override_reason) = '' AND a.start_on < COALESCE(a.end_on, {_OPEN})
        GROUP BY a.id, c.name, r.code, f.max_rooms_per_company
        HAVING COUNT(DISTINCT b.room_id) >= f.max_rooms_per_company
        ORDER BY a.id
    """,
    )
    return [
        Violation(
            "rooms_beyond_the_policy",
            "allocation",
            row.id,
            tr(
                "호실 배정 {id}('{name}', 호실 {code})은(는) 기업당 호실 {most}개를 넘는데 예외 사유가 없습니다(이미 {held}개 사용).",
                id=row.id,
                name=row.name,
                code=row.code,
                most=row.most,
                held=row.held,
            ),
        )
        for row in rows
    ]


def invalid_business_numbers(session: Session) -> list[Violation]:
    """A business registration number is 10 digits with a valid check digit (checked in Python: the check digit)."""
    rows = _rows(session, "SELECT id, name, biz_reg_no FROM company ORDER BY id")
    return [
        Violation(
            "invalid_business_numbers",
            "company",
            row.id,
            tr(
                "입주기업 {id}('{name}')의 사업자등록번호 {number}이(가) 올바르지 않습니다.",
                id=row.id,
                name=row.name,
                number=row.biz_reg_no,
            ),
        )
        for row in rows
        if not bizno.is_valid(row.biz_reg_no) or bizno.digits_only(row.biz_reg_no) != row.biz_reg_no
    ]


def evidence_without_its_record(session: Session) -> list[Violation]:
    """A file of evidence belongs to a record that exists (its table and id)."""
    found = []
    for kind in EvidenceOf:
        rows = _rows(
            session,
            f"""SELECT e.id, e.file_name, e.record_id FROM evidence e
            WHERE e.record_kind = '{kind.value}' AND NOT EXISTS (SELECT 1 FROM {kind.value} r WHERE r.id = e.record_id)
            ORDER BY e.id""",
        )
        found += [
            Violation(
                "evidence_without_its_record",
                "evidence",
                row.id,
                tr(
                    "증빙 파일 {id}('{name}')이(가) 붙은 기록({what} {record})이 없습니다.",
                    id=row.id,
                    name=row.file_name,
                    what=label(kind),
                    record=row.record_id,
                ),
            )
            for row in rows
        ]
    return found


CHECKS: tuple[Callable[[Session], list[Violation]], ...] = (
    overlapping_offices,
    overfull_shared_zones,
    allocations_outside_a_stay,
    allocations_in_retired_rooms,
    records_after_an_exit,
    sessions_outside_a_stay,
    two_open_stays,
    exits_apart_from_their_stay,
    dates_out_of_order,
    rooms_beyond_the_policy,
    invalid_business_numbers,
    evidence_without_its_record,
)


def find_violations(session: Session) -> list[Violation]:
    """Every record that breaks a rule of the data, rule by rule (an empty list: the data is sound)."""
    return [violation for check in CHECKS for violation in check(session)]
