"""Small helpers shared by the use cases."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from camp_manager.errors import DomainError, NotFoundError
from camp_manager.i18n import tr

RowT = TypeVar("RowT", bound=SQLModel)


def fetch(session: Session, model: type[RowT], row_id: int, *, what: str) -> RowT:
    """The row, or a NotFoundError naming what was looked for (`what` is translated)."""
    row = session.get(model, row_id)
    if row is None:
        raise NotFoundError(tr("{what}(번호 {id})을(를) 찾을 수 없습니다. 목록을 새로 고친 뒤 다시 선택하세요.", what=what, id=row_id))
    return row


def lock(session: Session, row: SQLModel) -> None:
    """Hold `row` until commit, so two PCs cannot both pass a check on it and then write.

    A no-op UPDATE: PostgreSQL locks the row; SQLite takes its one write lock. Either way
    the other PC waits here. `row` is then read again, and the queries that follow see what
    the other PC committed (call it before loading the rows a check relies on).
    """
    table = type(row).__table__
    session.execute(sa.update(table).where(table.c.id == row.id).values(id=table.c.id))
    session.refresh(row)


def require_text(value: str, *, field: str, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError(tr("{what}을(를) 입력하세요.", what=what), field=field)
    return text


def require_order(earlier: date | None, later: date | None, *, field: str, message: str) -> None:
    """Raise `message` on `field` when `later` comes before `earlier` (both known)."""
    if earlier is not None and later is not None and later < earlier:
        raise DomainError(message, field=field)
