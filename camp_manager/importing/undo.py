"""Undoing the last import, while nothing else has touched what it wrote."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select

from camp_manager.db.models import (
    Allocation,
    AuditEntry,
    Certification,
    Company,
    Facility,
    GovernmentProject,
    HeadcountRecord,
    ImportBatch,
    IntellectualProperty,
    InvestmentRound,
    Residency,
    Room,
    SalesRecord,
    utc_now,
)
from camp_manager.errors import DomainError
from camp_manager.i18n import tr
from camp_manager.progress import NullProgress, Progress
from camp_manager.services import audit
from camp_manager.services.book import among
from camp_manager.services.common import stored_id, table_of

_MODELS: dict[str, type[SQLModel]] = {
    model.__name__: model
    for model in (
        Company,
        Residency,
        Allocation,
        HeadcountRecord,
        Room,
        Facility,
        SalesRecord,
        InvestmentRound,
        IntellectualProperty,
        Certification,
        GovernmentProject,
    )
}
# Rows are removed children first; an undo restores updates before it removes anything.
_REMOVAL_ORDER = (
    "SalesRecord",
    "InvestmentRound",
    "IntellectualProperty",
    "Certification",
    "GovernmentProject",
    "HeadcountRecord",
    "Allocation",
    "Residency",
    "Company",
    "Room",
    "Facility",
)
_CREATING_ACTIONS = {"create", "move_in", "allocate"}


def last_import(session: Session) -> ImportBatch | None:
    """The latest import that has not been undone."""
    return session.exec(
        select(ImportBatch).where(col(ImportBatch.undone_at).is_(None)).order_by(col(ImportBatch.id).desc()).limit(1)
    ).first()


def undo_last_import(*, session: Session, progress: Progress | None = None) -> ImportBatch:
    """Take back the last import, while nothing else has touched what it wrote."""
    progress = progress or NullProgress()
    batch = last_import(session)
    if batch is None:
        raise DomainError(tr("되돌릴 가져오기가 없습니다."))
    entries = list(
        session.exec(select(AuditEntry).where(col(AuditEntry.import_batch_id) == batch.id).order_by(col(AuditEntry.id)))
    )
    _refuse_if_touched(session, batch, entries)
    changes: list[audit.AuditChange] = []
    # Newest first, so a row changed twice ends as it was before the first change.
    for entry in reversed(entries):
        if entry.action == "update":
            progress.check_cancelled()
            row = session.get(_MODELS[entry.entity], entry.entity_id)
            assert row is not None and entry.before is not None, (
                "nothing else touched what the import wrote (checked above)"
            )
            current = audit.snapshot(row)
            _restore(row, entry.before)
            changes.append(audit.AuditChange(entry.entity, entry.entity_id, "undo", current, entry.before))
    created: dict[str, dict[int, AuditEntry]] = defaultdict(dict)
    for entry in entries:
        if entry.action in _CREATING_ACTIONS:
            created[entry.entity][entry.entity_id] = entry
    if batch.facility_id in created.get("Facility", {}):
        batch.facility_id = None  # the facility this import created goes with it
    session.flush()
    try:
        with session.begin_nested():
            for entity in _REMOVAL_ORDER:
                model = _MODELS[entity]
                made = created.get(entity, {})
                if made:
                    progress.check_cancelled()
                    session.execute(
                        sa.delete(model)
                        .where(among(session, table_of(model).c.id, made))
                        .execution_options(synchronize_session=False)
                    )
                    changes += [
                        audit.AuditChange(entity, row_id, "delete", entry.after, None) for row_id, entry in made.items()
                    ]
    except IntegrityError:
        raise DomainError(
            tr(
                "가져온 뒤 다른 자료(멘토링, 신청, 퇴거 등)가 이 가져오기의 기업이나 호실을 쓰고 있어 되돌릴 수 없습니다."
            )
        ) from None
    session.expunge_all()
    audit.record_changes(session, changes, import_batch_id=batch.id)
    reloaded = session.get(ImportBatch, stored_id(batch))
    assert reloaded is not None, "the batch is the one this undo started from"
    batch = reloaded
    batch.undone_at = utc_now()
    session.add(batch)
    session.flush()
    return batch


def _refuse_if_touched(session: Session, batch: ImportBatch, entries: list[AuditEntry]) -> None:
    if not entries:
        return
    first = entries[0].id
    by_entity: dict[str, set[int]] = defaultdict(set)
    for entry in entries:
        by_entity[entry.entity].add(entry.entity_id)
    for entity, ids in by_entity.items():
        later = session.exec(
            select(AuditEntry)
            .where(
                col(AuditEntry.entity) == entity,
                among(session, col(AuditEntry.entity_id), ids),
                col(AuditEntry.id) > first,
                (col(AuditEntry.import_batch_id).is_(None)) | (col(AuditEntry.import_batch_id) != batch.id),
            )
            .order_by(col(AuditEntry.id))
            .limit(1)
        ).first()
        if later is not None:
            raise DomainError(
                tr(
                    "가져온 뒤 {when}에 {who}이(가) 이 가져오기의 자료를 바꾸었습니다. 되돌릴 수 없습니다. 바뀐 부분은 각 화면에서 고치세요.",
                    when=later.at.strftime("%Y-%m-%d %H:%M"),
                    who=later.actor,
                )
            )


def _restore(row: SQLModel, before: dict[str, Any]) -> None:
    columns = table_of(type(row)).c
    for key, stored in before.items():
        if key in ("id", "version") or key not in columns:  # the version counts saves: an undo is one more
            continue
        python_type = columns[key].type.python_type
        value = stored
        if stored is not None and python_type is date:
            value = date.fromisoformat(stored)
        elif stored is not None and python_type is datetime:
            value = datetime.fromisoformat(stored)
        setattr(row, key, value)
