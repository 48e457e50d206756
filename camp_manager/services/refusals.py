"""When the database itself refuses a write: which of its rules, and the use case's message for it.

The use cases check every rule before they write; the database holds the same rules (named
constraints and, on SQLite, a trigger: see `camp_manager.db.models`) against writes that bypass
them and against another PC's write that lands between a check and an insert. `REFUSALS` is the
one table from a constraint's name to the field and message a manager sees; a batch use case
writes inside `refusals_as_violations`, which checks the batch again first, so the message is the
use case's own, naming the record (e.g. who holds the office now).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel

from camp_manager.db.models import OFFICE_ONCE, ONE_OPEN_RESIDENCY
from camp_manager.errors import RuleViolation
from camp_manager.i18n import tr


@dataclass(frozen=True)
class Refusal:
    field: str
    message: Callable[[], str]  # made when shown: in the user's language


# The constraints a write of a use case can meet (the others guard against writes that bypass them).
REFUSALS: dict[str, Refusal] = {
    OFFICE_ONCE: Refusal(
        "room", lambda: tr("이 호실은 그 기간에 다른 기업이 쓰고 있습니다. 비어 있는 호실을 고르거나 날짜를 바꾸세요.")
    ),
    ONE_OPEN_RESIDENCY: Refusal(
        "move_in", lambda: tr("이 기업은 이미 입주 중입니다. 다른 시설로 옮기려면 먼저 퇴거 처리하세요.")
    ),
    "uq_company_biz_reg_no": Refusal(
        "biz_reg_no", lambda: tr("이 사업자등록번호는 이미 다른 기업에 등록되어 있습니다. 기존 기업을 수정하세요.")
    ),
    "uq_headcountrecord_company_id_as_of": Refusal(
        "as_of", lambda: tr("이 기업의 그날 고용인원 기록이 이미 있습니다. 목록을 새로 고친 뒤 그 기록을 고치세요.")
    ),
    "ck_allocation_shared_zone_seats_at_least_1": Refusal(
        "seats", lambda: tr("공유 좌석존에는 좌석 수(1 이상)를 입력하세요.")
    ),
}

_SQLITE_CHECK = re.compile(r"CHECK constraint failed: (\w+)")
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: ([\w.]+(?:, [\w.]+)*)")


def refused_constraint(error: IntegrityError) -> str | None:
    """The name of the constraint `error` reports, on PostgreSQL or SQLite (None: not told, e.g. a
    SQLite foreign key)."""
    diag = getattr(error.orig, "diag", None)
    if diag is not None:
        name: str | None = diag.constraint_name
        return name
    text = str(error.orig)
    if text == OFFICE_ONCE:  # the message of the SQLite trigger
        return OFFICE_ONCE
    if match := _SQLITE_CHECK.search(text):
        return match.group(1)
    if match := _SQLITE_UNIQUE.search(text):
        return _unique_by_columns(match.group(1).split(", "))
    return None


def _unique_by_columns(qualified: list[str]) -> str | None:
    """SQLite names a unique violation by its columns: the constraint or index of those columns."""
    table_name = qualified[0].partition(".")[0]
    columns = {name.partition(".")[2] for name in qualified}
    table = SQLModel.metadata.tables.get(table_name)
    if table is None:
        return None
    uniques = [c for c in table.constraints if isinstance(c, sa.UniqueConstraint)] + [
        i for i in table.indexes if i.unique
    ]
    return next((str(u.name) for u in uniques if {c.name for c in u.columns} == columns), None)


def rule_violation(error: IntegrityError, *, index: int = 0) -> RuleViolation | None:
    """The RuleViolation for a refusal of the database listed in REFUSALS (None: not one of them)."""
    refusal = REFUSALS.get(refused_constraint(error) or "")
    if refusal is None:
        return None
    return RuleViolation(refusal.message(), field=refusal.field, index=index)


@contextmanager
def refusals_as_violations(session: Session, *, check_again: Callable[[], object]) -> Iterator[None]:
    """Write inside a savepoint; a refusal in REFUSALS becomes a RuleViolation.

    `check_again` runs the batch's checks once more (they raise the use case's own message when
    another PC's row now shows); if they pass, the table's message is raised.
    """
    try:
        with session.begin_nested():
            yield
    except IntegrityError as error:
        violation = rule_violation(error)
        if violation is None:
            raise
        check_again()
        raise violation from error
