"""Writing a checked import in one transaction, recording it, and undoing the last one.

Nothing here commits: the caller's unit of work does, so a cancelled or failed import
leaves the database as it was. Changes to companies already stored go through the use
cases (`edit_company`, `move_in`, `allocate_room`, `record_headcount`), which check
every rule again. New companies — most of a first import, thousands of rows — are
written in bulk after the checks in `verdicts` found them valid: the same rows and the
same audit entries the use cases would write, linked to the ImportBatch, without a
query per row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from operator import itemgetter

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, select

from camp_manager.db.models import (
    Allocation, AuditEntry, Company, Facility, HeadcountRecord, ImportBatch, Residency, Room, utc_now,
)
from camp_manager.errors import DomainError
from camp_manager.i18n import tr
from camp_manager.importing.mapping import ColumnMapping, ListKind
from camp_manager.importing.read import Sheet, SourceFile
from camp_manager.importing.verdicts import Action, ImportOptions, ImportPlan, ResidentWrite, RowVerdict, check
from camp_manager.progress import NullProgress, Progress
from camp_manager.services import allocations, audit, companies, facilities, residency

_CHUNK = 1_000
_MODELS: dict[str, type[SQLModel]] = {
    model.__name__: model for model in (Company, Residency, Allocation, HeadcountRecord, Room, Facility)
}
# Rows are removed children first; an undo restores updates before it removes anything.
_REMOVAL_ORDER = ("HeadcountRecord", "Allocation", "Residency", "Company", "Room", "Facility")
_CREATING_ACTIONS = {"create", "move_in", "allocate"}


@dataclass
class ImportResult:
    plan: ImportPlan
    batch: ImportBatch | None  # None when every row was unchanged or left out: nothing was written


def run_import(
    *,
    session: Session,
    source: SourceFile,
    sheet: Sheet,
    mapping: ColumnMapping,
    options: ImportOptions,
    skip_invalid: bool = False,
    confirmed: ImportPlan | None = None,
    progress: Progress = NullProgress(),
) -> ImportResult:
    """Check the rows again in this transaction and write them.

    With `confirmed` (the plan the user saw), a database that changed since then stops
    the import instead of writing something else than what was shown.
    """
    plan = check(session=session, source=source, sheet=sheet, mapping=mapping, options=options, progress=progress)
    if confirmed is not None and plan.fingerprint() != confirmed.fingerprint():
        raise DomainError(tr("미리보기를 만든 뒤 자료가 바뀌었습니다. 아무것도 가져오지 않았습니다. 다시 확인한 뒤 가져오세요."))
    return ImportResult(plan=plan, batch=commit(session=session, plan=plan, skip_invalid=skip_invalid, progress=progress))


def commit(*, session: Session, plan: ImportPlan, skip_invalid: bool = False, progress: Progress = NullProgress()) -> ImportBatch | None:
    """Write the plan's valid rows and record the import; any row in error stops it unless skipped.

    Returns None, recording nothing, when there is nothing to write.
    """
    errors = plan.error_rows
    if errors and not skip_invalid:
        raise DomainError(
            tr("{count}개 행에 오류가 있어 아무것도 가져오지 않았습니다. 오류를 고치거나 올바른 행만 가져오세요.", count=len(errors)),
            field="rows",
        )
    writes = [v for v in plan.verdicts if v.action in (Action.CREATE, Action.UPDATE)]
    if not writes:
        return None
    batch = ImportBatch(
        file_name=plan.file_name[:300],
        file_sha256=plan.file_sha256,
        imported_by=audit.current_actor(session),
        created=plan.count(Action.CREATE),
        updated=plan.count(Action.UPDATE),
        unchanged=plan.count(Action.UNCHANGED),
        skipped=len(plan.skipped),
        errors=len(errors),
    )
    session.add(batch)
    session.flush()
    facility_ids = _facility_ids(session, plan, batch)
    batch.facility_id = facility_ids.get(plan.facility) if plan.facility else None
    if plan.kind == ListKind.ROOMS:
        _create_rooms(session, [v.write for v in writes], facility_ids, batch.id, progress)
    else:
        written_rows = {v.row for v in writes}
        new_rooms = [r for r in plan.rooms_to_create if written_rows.intersection(r.rows)]
        created = _create_rooms(session, new_rooms, facility_ids, batch.id, progress)
        _ResidentWriter(session, batch.id, plan.options.as_of, facility_ids, created, progress).write(writes)
    session.flush()
    return batch


def _facility_ids(session: Session, plan: ImportPlan, batch: ImportBatch) -> dict[str, int]:
    ids = dict(session.exec(select(Facility.name, Facility.id)).all())
    if plan.facility_to_create and plan.facility_to_create not in ids:
        created = facilities.create_facility(session=session, name=plan.facility_to_create, import_batch_id=batch.id)
        ids[created.name] = created.id
    return ids


def _create_rooms(session: Session, rooms: list, facility_ids: dict[str, int], batch_id: int, progress: Progress) -> dict[tuple[str, str], Room]:
    """The rooms created, by (facility name, code)."""
    created = {}
    for index, room in enumerate(rooms):
        if index % 100 == 0:
            progress.report(index, len(rooms), tr("호실 만드는 중"))
            progress.check_cancelled()
        created[(room.facility, room.code)] = facilities.create_room(
            session=session, facility_id=facility_ids[room.facility], floor=room.floor, code=room.code,
            kind=room.kind, seats=room.seats, area_m2=room.area_m2, import_batch_id=batch_id,
        )
    return created


_FIELD_NAMES = {model: tuple(model.model_fields) for model in _MODELS.values()}
# The database's own JSON object builder: the audit entries of bulk-inserted rows are made from the rows as stored.
_JSON_OBJECT = {"sqlite": "json_object", "postgresql": "json_build_object"}


def _chunks(items: list) -> Iterator[list]:
    size = _CHUNK
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _new_ids(session: Session, model: type[SQLModel], count: int) -> list[int]:
    """Primary keys for `count` new rows, so they can be inserted without RETURNING.

    On SQLite the import already holds the only write lock (it wrote its ImportBatch),
    so nobody else can take the next ids; PostgreSQL hands them out from the sequence.
    """
    table = model.__table__
    if session.get_bind().dialect.name == "postgresql":
        query = sa.text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :count)")
        return list(session.execute(query, {"table": table.name, "count": count}).scalars())
    start = session.execute(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))).scalar_one() + 1
    return list(range(start, start + count))


def _insert_many(session: Session, model: type[SQLModel], rows: list[dict]) -> None:
    """One executemany of `rows`, which all have the same keys.

    Each value still goes through its column type's conversion for the database, but
    without the per-row work of `insert()` — most of the cost for thousands of rows.
    """
    connection = session.connection()
    dialect = connection.dialect
    columns = model.__table__.c
    names = list(rows[0])
    converted = [
        (index, convert) for index, name in enumerate(names) if (convert := columns[name].type.dialect_impl(dialect).bind_processor(dialect))
    ]
    pick = itemgetter(*names)
    values = []
    for row in rows:
        picked = list(pick(row)) if len(names) > 1 else [pick(row)]
        for index, convert in converted:
            picked[index] = convert(picked[index])
        values.append(picked)
    preparer = dialect.identifier_preparer
    if dialect.paramstyle in ("named", "pyformat"):
        marks = [(f":{n}" if dialect.paramstyle == "named" else f"%({n})s") for n in names]
        parameters = [dict(zip(names, row)) for row in values]
    else:
        marks = ["?" if dialect.paramstyle == "qmark" else "%s"] * len(names)
        parameters = [tuple(row) for row in values]
    sql = f"INSERT INTO {preparer.format_table(model.__table__)} ({', '.join(preparer.quote(n) for n in names)}) VALUES ({', '.join(marks)})"
    connection.exec_driver_sql(sql, parameters)


class _ResidentWriter:
    def __init__(self, session: Session, batch_id: int, as_of: date, facility_ids: dict[str, int], new_rooms: dict[tuple[str, str], Room], progress: Progress) -> None:
        self.session = session
        self.batch_id = batch_id
        self.as_of = as_of
        self.facility_ids = facility_ids
        self.new_rooms = new_rooms
        self.progress = progress
        self.actor = audit.current_actor(session)
        self.now = utc_now()

    def write(self, verdicts: list[RowVerdict]) -> None:
        created = [v for v in verdicts if v.action == Action.CREATE]
        updated = [v for v in verdicts if v.action == Action.UPDATE]
        total, done = len(verdicts), 0
        for chunk in _chunks(created):
            self.progress.check_cancelled()
            self._create(chunk)
            done += len(chunk)
            self.progress.report(done, total, tr("가져오는 중"))
        for verdict in updated:
            if done % 100 == 0:
                self.progress.report(done, total, tr("가져오는 중"))
                self.progress.check_cancelled()
            self._update(verdict)
            done += 1

    def _insert(self, model: type[SQLModel], rows: list[dict], action: str) -> list[int]:
        """Insert the rows and their audit entries; the ids given to them, in order."""
        if not rows:
            return []
        ids = _new_ids(self.session, model, len(rows))
        for row_id, row in zip(ids, rows):
            row["id"] = row_id
        _insert_many(self.session, model, rows)
        self._audit(model, ids, action)
        return ids

    def _audit(self, model: type[SQLModel], ids: list[int], action: str) -> None:
        """One audit entry per inserted row, as `audit.record` writes it, built by the database in one statement.

        The snapshot is the stored row itself: every field, dates as ISO text (a test compares
        each entry with `audit.snapshot` of the row, on SQLite and PostgreSQL).
        """
        dialect = self.session.get_bind().dialect
        quote = dialect.identifier_preparer.quote
        audit_table = AuditEntry.__table__
        fields = ", ".join(f"'{name}', {quote(name)}" for name in _FIELD_NAMES[model])
        columns = ", ".join(quote(c) for c in ("at", "actor", "entity", "entity_id", "action", "before", "after", "import_batch_id"))
        statement = sa.text(
            f"INSERT INTO {quote(audit_table.name)} ({columns}) "
            f"SELECT :at, :actor, :entity, id, :action, :before, {_JSON_OBJECT[dialect.name]}({fields}), :batch "
            f"FROM {quote(model.__table__.name)} WHERE id IN :ids"
        ).bindparams(
            sa.bindparam("at", type_=audit_table.c.at.type),
            sa.bindparam("before", type_=audit_table.c.before.type),
            sa.bindparam("ids", expanding=True),
        )
        self.session.execute(
            statement,
            {"at": self.now, "actor": self.actor, "entity": model.__name__, "action": action, "before": None, "batch": self.batch_id, "ids": ids},
        )

    def _create(self, verdicts: list[RowVerdict]) -> None:
        writes: list[ResidentWrite] = [v.write for v in verdicts]
        company_rows = [{**vars(w.company), "investment_krw": w.company.investment_krw or 0} for w in writes]
        company_ids = self._insert(Company, company_rows, "create")
        stays, placements, counts = [], [], []
        for company_id, w in zip(company_ids, writes):
            if w.move_in is not None:
                stays.append({"company_id": company_id, "facility_id": self.facility_ids[w.facility], "move_in": w.move_in, "contract_end": w.contract_end, "ended_on": None})
            if w.room is not None:
                placements.append({"company_id": company_id, "room_id": self._room_id(w), "start_on": w.room_start, "end_on": None, "seats": w.seats, "override_reason": ""})
            if w.employees is not None:
                counts.append({"company_id": company_id, "as_of": self.as_of, "employees": w.employees})
        self._insert(Residency, stays, "move_in")
        self._insert(Allocation, placements, "allocate")
        self._insert(HeadcountRecord, counts, "create")

    def _room_id(self, write: ResidentWrite) -> int:
        return write.room_id if write.room_id is not None else self.new_rooms[(write.facility, write.room)].id

    def _update(self, verdict: RowVerdict) -> None:
        w: ResidentWrite = verdict.write
        try:
            if w.company is not None:
                companies.edit_company(session=self.session, company_id=w.company_id, data=w.company, import_batch_id=self.batch_id)
            if w.move_in is not None:
                residency.move_in(
                    session=self.session, company_id=w.company_id, facility_id=self.facility_ids[w.facility],
                    move_in_on=w.move_in, contract_end=w.contract_end, import_batch_id=self.batch_id,
                )
            if w.room is not None:
                allocations.allocate_room(
                    session=self.session, company_id=w.company_id, room_id=self._room_id(w), start_on=w.room_start,
                    seats=w.seats, import_batch_id=self.batch_id,
                )
            if w.employees is not None:
                companies.record_headcount(session=self.session, company_id=w.company_id, as_of=self.as_of, employees=w.employees, import_batch_id=self.batch_id)
        except DomainError as error:
            raise DomainError(tr("{row}행: {message} 아무것도 가져오지 않았습니다.", row=verdict.row, message=error.message), field=error.field) from None


# --- undo -------------------------------------------------------------------------------


def last_import(session: Session) -> ImportBatch | None:
    """The latest import that has not been undone."""
    return session.exec(select(ImportBatch).where(ImportBatch.undone_at.is_(None)).order_by(ImportBatch.id.desc()).limit(1)).first()


def undo_last_import(*, session: Session, progress: Progress = NullProgress()) -> ImportBatch:
    """Take back the last import, while nothing else has touched what it wrote."""
    batch = last_import(session)
    if batch is None:
        raise DomainError(tr("되돌릴 가져오기가 없습니다."))
    entries = list(session.exec(select(AuditEntry).where(AuditEntry.import_batch_id == batch.id).order_by(AuditEntry.id)))
    _refuse_if_touched(session, batch, entries)
    actor, now = audit.current_actor(session), utc_now()
    undo_entries: list[dict] = []
    # Newest first, so a row changed twice ends as it was before the first change.
    for entry in reversed(entries):
        if entry.action == "update":
            progress.check_cancelled()
            row = session.get(_MODELS[entry.entity], entry.entity_id)
            current = audit.snapshot(row)
            _restore(row, entry.before)
            undo_entries.append({"entity": entry.entity, "entity_id": entry.entity_id, "action": "undo", "before": current, "after": entry.before})
    created: dict[str, list[AuditEntry]] = defaultdict(list)
    for entry in entries:
        if entry.action in _CREATING_ACTIONS:
            created[entry.entity].append(entry)
    if batch.facility_id in {e.entity_id for e in created.get("Facility", [])}:
        batch.facility_id = None  # the facility this import created goes with it
    session.flush()
    try:
        with session.begin_nested():
            for entity in _REMOVAL_ORDER:
                model = _MODELS[entity]
                for chunk in _chunks(created.get(entity, [])):
                    progress.check_cancelled()
                    session.execute(sa.delete(model).where(model.id.in_([e.entity_id for e in chunk])).execution_options(synchronize_session=False))
                    undo_entries += [{"entity": entity, "entity_id": e.entity_id, "action": "delete", "before": e.after, "after": None} for e in chunk]
    except IntegrityError:
        raise DomainError(tr("가져온 뒤 다른 자료(멘토링, 신청, 퇴거 등)가 이 가져오기의 기업이나 호실을 쓰고 있어 되돌릴 수 없습니다.")) from None
    session.expunge_all()
    if undo_entries:
        session.execute(
            sa.insert(AuditEntry.__table__),
            [{**entry, "at": now, "actor": actor, "import_batch_id": batch.id} for entry in undo_entries],
        )
    batch = session.get(ImportBatch, batch.id)
    batch.undone_at = now
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
        for chunk in _chunks(sorted(ids)):
            later = session.exec(
                select(AuditEntry)
                .where(
                    AuditEntry.entity == entity, AuditEntry.entity_id.in_(chunk), AuditEntry.id > first,
                    (AuditEntry.import_batch_id.is_(None)) | (AuditEntry.import_batch_id != batch.id),
                )
                .order_by(AuditEntry.id)
                .limit(1)
            ).first()
            if later is not None:
                raise DomainError(
                    tr("가져온 뒤 {when}에 {who}이(가) 이 가져오기의 자료를 바꾸었습니다. 되돌릴 수 없습니다. 바뀐 부분은 각 화면에서 고치세요.", when=later.at.strftime("%Y-%m-%d %H:%M"), who=later.actor)
                )


def _restore(row: SQLModel, before: dict) -> None:
    columns = type(row).__table__.c
    for key, value in before.items():
        if key == "id" or key not in columns:
            continue
        python_type = columns[key].type.python_type
        if value is not None and python_type is date:
            value = date.fromisoformat(value)
        elif value is not None and python_type is datetime:
            value = datetime.fromisoformat(value)
        setattr(row, key, value)
