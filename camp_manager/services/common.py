"""Small helpers shared by the use cases."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable, Iterable
from datetime import UTC, date, datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, select

from camp_manager.clock import SYSTEM_CLOCK, Clock
from camp_manager.db.engine import CLOCK_KEY
from camp_manager.db.models import AuditEntry
from camp_manager.errors import DomainError, EditConflict, NotFoundError, RuleViolation
from camp_manager.i18n import tr
from camp_manager.services.book import among

RowT = TypeVar("RowT", bound=SQLModel)


def fetch(session: Session, model: type[RowT], row_id: int, *, what: str) -> RowT:
    """The row, or a NotFoundError naming what was looked for (`what` is translated)."""
    row = session.get(model, row_id)
    if row is None:
        raise NotFoundError(not_found_message(what, row_id))
    return row


def fetch_to_change(session: Session, model: type[RowT], row_id: int, *, what: str, seen_version: int | None) -> RowT:
    """The row, locked until commit, unless someone saved it after the user's form showed `seen_version`.

    `seen_version` None: the caller read the row in this same unit of work (the command line, an import).
    """
    row = fetch(session, model, row_id, what=what)
    lock(session, row)
    refuse_if_changed(session, row, seen_version, what=what)
    return row


def refuse_if_changed(session: Session, row: SQLModel, seen_version: int | None, *, what: str) -> None:
    """An EditConflict naming who saved `row` last and when, if that was after `seen_version`."""
    current = row.version  # type: ignore[attr-defined]
    if seen_version is None or current == seen_version:
        return
    last = session.exec(
        select(AuditEntry)
        .where(col(AuditEntry.entity) == type(row).__name__, col(AuditEntry.entity_id) == stored_id(row))
        .order_by(id_column(AuditEntry).desc())
        .limit(1)
    ).first()
    who = (f"{last.actor} ({last.machine})" if last.machine else last.actor) if last else tr("다른 사용자")
    when = _local_minute(last.at) if last else ""
    raise EditConflict(
        tr(
            "이 {what} 정보는 화면을 연 뒤 {who}님이 {when}에 바꿨습니다. 아무것도 저장하지 않았습니다. "
            "최신 내용을 다시 불러와 변경을 다시 적용한 뒤 저장하세요.",
            what=what,
            who=who,
            when=when,
        ),
        changed_by=who,
        changed_at=when,
        current_version=current,
    )


def _local_minute(moment: datetime) -> str:
    """A stored UTC time (SQLite gives it back without a zone) as this PC's local time, to the minute."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone().strftime("%Y-%m-%d %H:%M")


def not_found_message(what: str, row_id: int) -> str:
    return tr("{what}(번호 {id})을(를) 찾을 수 없습니다. 목록을 새로 고친 뒤 다시 선택하세요.", what=what, id=row_id)


def table_of(model: type[SQLModel]) -> sa.Table:
    """The table behind a SQLModel table class."""
    # SQLModel's metaclass sets `__table__` on every `table=True` class but does not declare it.
    return model.__table__  # type: ignore[attr-defined, no-any-return]


def id_column(model: type[SQLModel]) -> sa.ColumnElement[int]:
    """The primary key column of a table class, typed as what it holds (the models say `int | None`,
    for a row not yet saved; a column read from the database is never NULL)."""
    return table_of(model).c.id


def stored_id(row: SQLModel) -> int:
    """The primary key of a row the session has stored (flushed or loaded); every table's key is `id`."""
    identity = sa.inspect(row).identity
    if identity is None:
        raise ValueError(f"{type(row).__name__} has no id before it is flushed")
    return int(identity[0])


def lock(session: Session, row: SQLModel) -> None:
    """Hold `row` until commit, so two PCs cannot both pass a check on it and then write.

    The other PC waits here (see `lock_rows`). `row` is then read again, and the queries that
    follow see what the other PC committed (call it before loading the rows a check relies on).
    """
    lock_rows(session, type(row), [stored_id(row)])
    session.refresh(row)


def lock_rows(session: Session, model: type[SQLModel], ids: Iterable[int]) -> None:
    """Hold the rows `ids` of `model` until commit, so two PCs cannot both pass a check on them.

    PostgreSQL: `SELECT … FOR UPDATE` in id order, so two batches cannot deadlock. SQLite has
    one write lock for the whole file, taken before the caller reads what its checks rely on.
    """
    ids = list(ids)
    if not ids:
        return
    if session.get_bind().dialect.name == "postgresql":
        table = table_of(model)
        session.execute(
            sa.select(table.c.id).where(among(session, table.c.id, ids)).order_by(table.c.id).with_for_update()
        )
    else:
        take_sqlite_write_lock(session)


def take_sqlite_write_lock(session: Session) -> None:
    """A write that changes nothing: SQLite takes the file's write lock for it and keeps it until commit."""
    session.execute(sa.text("UPDATE facility SET id = id WHERE 1 = 0"))


def lock_keys(session: Session, namespace: str, keys: Iterable[str]) -> None:
    """Hold values that have no row yet (a business number about to be registered) until commit.

    PostgreSQL: a transaction advisory lock per key, in key order, so a second PC waits and
    then sees the first one's row. SQLite: the file's one write lock.
    """
    if session.get_bind().dialect.name == "postgresql":
        for key in sorted(set(keys)):
            session.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(f"{namespace}:{key}"))))
    else:
        take_sqlite_write_lock(session)


def today(session: Session) -> date:
    """The date of today for this unit of work (its injected clock; the PC's clock by default)."""
    clock: Clock = session.info.get(CLOCK_KEY, SYSTEM_CLOCK)
    return clock.today()


def require_text(value: str, *, field: str, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError(tr("{what}을(를) 입력하세요.", what=what), field=field)
    return text


def require_order(earlier: date | None, later: date | None, *, field: str, message: str) -> None:
    """Raise `message` on `field` when `later` comes before `earlier` (both known)."""
    if earlier is not None and later is not None and later < earlier:
        raise DomainError(message, field=field)


def refuse_if_any(problems: dict[str, str], *, index: int = 0) -> None:
    """Raise the first of `problems` (field → message) for the request at `index` of a batch."""
    if problems:
        field, message = next(iter(problems.items()))
        raise RuleViolation(message, field=field, index=index)


ValueT = TypeVar("ValueT", bound=Hashable)


def one_of_each() -> Callable[[ValueT], ValueT]:
    """The first object equal to each value passed: a column that repeats down a long list (a mentor's
    name on each of their sessions, a status, a day) then keeps one object per value, not one per row."""
    seen: dict[Any, Any] = {}
    return lambda value: seen.setdefault(value, value)


FormT = TypeVar("FormT")


def reapply_edits(*, original: FormT, mine: FormT, latest: FormT) -> FormT:
    """The user's edits (the fields where `mine` differs from the `original` the form showed) on top of `latest`.

    After an EditConflict the form reloads the latest version and keeps what the user changed.
    """
    changed = {
        field.name: getattr(mine, field.name)
        for field in dataclasses.fields(mine)  # type: ignore[arg-type]
        if getattr(mine, field.name) != getattr(original, field.name)
    }
    return dataclasses.replace(latest, **changed)  # type: ignore[type-var]
