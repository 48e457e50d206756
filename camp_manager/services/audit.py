"""The audit trail: when, who, what, before and after — written in the same transaction."""

from __future__ import annotations

import getpass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlmodel import Session, SQLModel

from camp_manager.db.models import AuditEntry


def current_actor(session: Session) -> str:
    """The database user on a server; on the embedded file, the person logged in to the PC."""
    bind = session.get_bind()
    if bind.dialect.name != "sqlite" and bind.url.username:
        return bind.url.username
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def snapshot(row: SQLModel | None) -> dict[str, Any] | None:
    if row is None:
        return None
    values = {}
    for key, value in row.model_dump().items():
        if isinstance(value, (date, datetime)):
            value = value.isoformat()
        elif isinstance(value, Enum):
            value = value.value
        values[key] = value
    return values


def record(
    session: Session,
    *,
    action: str,
    row: SQLModel,
    before: dict[str, Any] | None = None,
    import_batch_id: int | None = None,
) -> AuditEntry:
    """Log `action` on `row` (flushed first so it has an id); `before` is its earlier snapshot."""
    session.add(row)
    session.flush()
    entry = AuditEntry(
        actor=current_actor(session),
        entity=type(row).__name__,
        entity_id=row.id,
        action=action,
        before=before,
        after=snapshot(row) if action != "delete" else None,
        import_batch_id=import_batch_id,
    )
    session.add(entry)
    return entry
