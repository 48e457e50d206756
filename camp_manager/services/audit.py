"""The audit trail: when, who, what, before and after — written in the same transaction.

Three ways in, one way out: `record` logs a change to an ORM row, `insert_rows` inserts
many new rows at once and logs each, `record_changes` logs changes made with plain SQL
(an undo); all write their entries through `_write`.
"""

from __future__ import annotations

import getpass
import operator
import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from camp_manager.db.models import AuditEntry, utc_now
from camp_manager.services.book import among
from camp_manager.services.common import stored_id, table_of, take_sqlite_write_lock
from camp_manager.services.inputs import refuse_unfit_rows


def current_actor(session: Session) -> str:
    """The database user on a server; on the embedded file, the person logged in to the PC."""
    return _actor(identity(session))


def _actor(who: dict[str, str]) -> str:
    return who["db_user"] or who["os_user"] or "unknown"


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def identity(session: Session) -> dict[str, str]:
    """Who writes through `session`: the PC's login, the PC's name and, on a server, the database role.

    The role is asked of the server once per connection (`current_user`, not the URL's name,
    which a .pgpass or a service file may leave out).
    """
    connection = session.connection()
    if "db_user" not in connection.info:
        is_server = connection.dialect.name != "sqlite"
        connection.info["db_user"] = (
            connection.execute(sa.text("SELECT current_user")).scalar_one() if is_server else ""
        )
    return {"os_user": os_user(), "machine": socket.gethostname(), "db_user": connection.info["db_user"]}


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bytes):  # a file of evidence: the trail keeps its size (and the row its SHA-256), not the file
        return f"({len(value):,} bytes)"
    return value


def snapshot_values(model: type[SQLModel], values: Mapping[str, Any]) -> dict[str, Any]:
    """A row's values as the audit trail keeps them: every field of `model`, dates as ISO text."""
    return {name: _plain(values.get(name)) for name in model.model_fields}


def snapshot(row: SQLModel | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return snapshot_values(type(row), row.model_dump())


def _write(session: Session, entries: list[dict[str, Any]]) -> None:
    _execute_many(session, table_of(AuditEntry), _by_column(entries))


def _by_column(rows: Sequence[Mapping[str, Any]]) -> dict[str, list[Any]]:
    """The values of `rows` (all with the same keys), column by column."""
    return {name: list(map(operator.itemgetter(name), rows)) for name in rows[0]} if rows else {}


def _execute_many(session: Session, table: sa.Table, columns: Mapping[str, Sequence[Any]]) -> None:
    """One executemany of the rows whose values `columns` holds column by column, through the driver.

    Each value still goes through its column type's conversion (dates, JSON), but without
    SQLAlchemy's per-row statement work: most of the cost for tens of thousands of rows.
    """
    if not columns:
        return
    connection = session.connection()
    dialect = connection.dialect
    converted = []
    for name, values in columns.items():
        convert = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        converted.append(list(map(convert, values)) if convert else values)
    quote = dialect.identifier_preparer.quote
    marks = ", ".join(["?" if dialect.paramstyle == "qmark" else "%s"] * len(columns))
    sql = f"INSERT INTO {quote(table.name)} ({', '.join(map(quote, columns))}) VALUES ({marks})"
    connection.exec_driver_sql(sql, list(zip(*converted, strict=True)))


def _entry(
    *,
    entity: str,
    entity_id: int,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    import_batch_id: int | None,
    at: datetime,
    who: dict[str, str],
) -> dict[str, Any]:
    return {
        "at": at,
        "actor": _actor(who),
        **who,
        "entity": entity,
        "entity_id": entity_id,
        "action": action,
        "before": before,
        "after": after,
        "import_batch_id": import_batch_id,
    }


def record(
    session: Session,
    *,
    action: str,
    row: SQLModel,
    before: dict[str, Any] | None = None,
    import_batch_id: int | None = None,
) -> None:
    """Log `action` on `row` (flushed first so it has an id); `before` is its earlier snapshot.

    A value the row's column cannot hold (on either backend) is refused before anything is written.
    """
    if action != "delete":
        refuse_unfit_rows(type(row), [row.model_dump()])
    session.add(row)
    session.flush()
    _write(
        session,
        [
            _entry(
                entity=type(row).__name__,
                entity_id=stored_id(row),
                action=action,
                before=before,
                after=snapshot(row) if action != "delete" else None,
                import_batch_id=import_batch_id,
                at=utc_now(),
                who=identity(session),
            )
        ],
    )


def insert_rows(
    session: Session,
    model: type[SQLModel],
    rows: Sequence[Mapping[str, Any]],
    *,
    action: str,
    import_batch_id: int | None = None,
) -> list[int]:
    """Insert `rows` (every column but the id) in one statement and log each; their new ids, in order.

    Thousands of rows cost one executemany, not one ORM object or round trip each: the batch
    use cases write through here.
    """
    if not rows:
        return []
    refuse_unfit_rows(model, rows)
    session.flush()  # the rows may refer to pending ORM objects (an ImportBatch, a new room)
    ids = _new_ids(session, model, len(rows))
    _execute_many(session, table_of(model), {**_by_column(rows), "id": ids})
    _log_inserted(session, model, ids, action=action, import_batch_id=import_batch_id)
    return ids


# The database's own JSON object builder: the audit of bulk-inserted rows is made from the rows as stored.
_JSON_OBJECT = {"sqlite": "json_object", "postgresql": "json_build_object"}


def _log_inserted(
    session: Session, model: type[SQLModel], ids: list[int], *, action: str, import_batch_id: int | None
) -> None:
    """One audit entry per inserted row, with the row as stored as its `after`, in one statement.

    The same snapshot `snapshot(row)` makes (every field; dates as ISO text, which is how both
    databases render them in JSON) — a test compares the two on SQLite and PostgreSQL. Booleans
    would differ (SQLite stores 0/1), so a table with one takes the ORM path instead.
    """
    table = table_of(model)
    if any(isinstance(column.type, sa.Boolean) for column in table.c):
        raise TypeError(f"{model.__name__} has a boolean column: log its rows with `record`")
    build_object = getattr(sa.func, _JSON_OBJECT[session.get_bind().dialect.name])
    pairs: list[sa.ColumnElement[Any]] = []
    for name in model.model_fields:
        pairs += [sa.literal_column(f"'{name}'"), table.c[name]]
    audit_table = table_of(AuditEntry)
    who = identity(session)
    rows = sa.select(
        sa.literal(utc_now(), audit_table.c.at.type),
        sa.literal(_actor(who)),
        *(sa.literal(who[name]) for name in who),
        sa.literal(model.__name__),
        table.c.id,
        sa.literal(action),
        sa.null(),
        build_object(*pairs),
        sa.literal(import_batch_id, sa.Integer),
    ).where(among(session, table.c.id, ids))
    columns = ["at", "actor", *who, "entity", "entity_id", "action", "before", "after", "import_batch_id"]
    session.execute(sa.insert(audit_table).from_select(columns, rows))


def _new_ids(session: Session, model: type[SQLModel], count: int) -> list[int]:
    """Primary keys for `count` new rows of `model`, handed out before they are inserted.

    PostgreSQL takes them from the table's sequence. On SQLite the caller holds the file's
    one write lock, so nobody else can take the next ids meanwhile.
    """
    table = table_of(model)
    if session.get_bind().dialect.name == "postgresql":
        query = sa.text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :count)")
        return list(session.execute(query, {"table": table.name, "count": count}).scalars())
    take_sqlite_write_lock(session)
    start = session.execute(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))).scalar_one() + 1
    return list(range(start, start + count))


@dataclass(frozen=True)
class AuditChange:
    entity: str
    entity_id: int
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def record_changes(session: Session, changes: Sequence[AuditChange], *, import_batch_id: int | None = None) -> None:
    """Log changes already made to rows that are not ORM objects in this session."""
    at, who = utc_now(), identity(session)
    _write(
        session,
        [
            _entry(
                entity=c.entity,
                entity_id=c.entity_id,
                action=c.action,
                before=c.before,
                after=c.after,
                import_batch_id=import_batch_id,
                at=at,
                who=who,
            )
            for c in changes
        ],
    )
