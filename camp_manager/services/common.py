"""Small helpers shared by the use cases."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TypeVar

import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from camp_manager.clock import SYSTEM_CLOCK, Clock
from camp_manager.db.engine import CLOCK_KEY
from camp_manager.errors import DomainError, NotFoundError, RuleViolation
from camp_manager.i18n import tr
from camp_manager.services.book import among

RowT = TypeVar("RowT", bound=SQLModel)


def fetch(session: Session, model: type[RowT], row_id: int, *, what: str) -> RowT:
    """The row, or a NotFoundError naming what was looked for (`what` is translated)."""
    row = session.get(model, row_id)
    if row is None:
        raise NotFoundError(not_found_message(what, row_id))
    return row


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
        session.execute(sa.select(table.c.id).where(among(session, table.c.id, ids)).order_by(table.c.id).with_for_update())
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
