"""Writing a checked import in one transaction, and recording it.

Nothing here commits: the caller's unit of work does, so a cancelled or failed import
leaves the database as it was. Every row is written through the batch use cases
(`register_companies`, `move_in_many`, `allocate_rooms`, `record_headcounts`), which
lock what they touch and check every rule again; a rule a row breaks under the locks
(another PC was quicker) stops the whole import with that row's number.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Protocol, TypeVar

from sqlmodel import Session, col, select

from camp_manager.db.models import Facility, ImportBatch, Room
from camp_manager.errors import DomainError, RuleViolation
from camp_manager.full_collections import FullCollections
from camp_manager.i18n import tr
from camp_manager.importing.actions import Action
from camp_manager.importing.mapping import ColumnMapping, ListKind
from camp_manager.importing.plan import ImportOptions, ImportPlan, NewRoom, ResidentWrite, RoomWrite, RowVerdict
from camp_manager.importing.read import Sheet, SourceFile
from camp_manager.importing.verdicts import check
from camp_manager.progress import NullProgress, Progress
from camp_manager.services import audit, companies, facilities
from camp_manager.services.allocations import RoomBooking, allocate_rooms
from camp_manager.services.common import id_column, stored_id
from camp_manager.services.companies import CompanyInput, HeadcountEntry, record_headcounts
from camp_manager.services.residency import MoveIn, move_in_many

RequestT = TypeVar("RequestT")


@dataclass
class ImportResult:
    plan: ImportPlan
    batch: ImportBatch | None  # None when every row was unchanged or left out: nothing was written


@FullCollections.held_off()  # the rows' objects would make each full collection long
def run_import(
    *,
    session: Session,
    source: SourceFile,
    sheet: Sheet,
    mapping: ColumnMapping,
    options: ImportOptions,
    skip_invalid: bool = False,
    confirmed: ImportPlan | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Check the rows again in this transaction and write them.

    With `confirmed` (the plan the user saw), a database that changed since then stops
    the import instead of writing something else than what was shown.
    """
    progress = progress or NullProgress()
    plan = check(session=session, source=source, sheet=sheet, mapping=mapping, options=options, progress=progress)
    if confirmed is not None:
        refuse_if_changed(plan.fingerprint(), confirmed.fingerprint())
    return ImportResult(
        plan=plan, batch=commit(session=session, plan=plan, skip_invalid=skip_invalid, progress=progress)
    )


def commit(
    *, session: Session, plan: ImportPlan, skip_invalid: bool = False, progress: Progress | None = None
) -> ImportBatch | None:
    """Write the plan's valid rows and record the import; any row in error stops it unless skipped.

    Returns None, recording nothing, when there is nothing to write.
    """
    progress = progress or NullProgress()
    errors = plan.error_rows
    refuse_rows_in_error(errors, skip_invalid=skip_invalid)
    writes = [v for v in plan.verdicts if v.action in (Action.CREATE, Action.UPDATE)]
    if not writes:
        return None
    batch = new_batch(session, plan, skipped=len(plan.skipped), errors=len(errors))
    batch_id = stored_id(batch)
    facility_ids = _facility_ids(session, plan, batch)
    batch.facility_id = facility_ids.get(plan.facility) if plan.facility else None
    if plan.kind == ListKind.ROOMS:
        rooms = [v.write for v in writes if isinstance(v.write, RoomWrite)]
        _create_rooms(session, rooms, facility_ids, batch_id, progress)
    else:
        written_rows = {v.row for v in writes}
        new_rooms = [r for r in plan.rooms_to_create if written_rows.intersection(r.rows)]
        created = _create_rooms(session, new_rooms, facility_ids, batch_id, progress)
        _ResidentWriter(session, batch_id, plan, facility_ids, created, progress).write(writes)
    session.flush()
    return batch


def refuse_if_changed(checked: tuple[object, ...], confirmed: tuple[object, ...]) -> None:
    """A plan checked again at the commit must write what the user confirmed in the preview."""
    if checked != confirmed:
        raise DomainError(
            tr("미리보기를 만든 뒤 자료가 바뀌었습니다. 아무것도 가져오지 않았습니다. 다시 확인한 뒤 가져오세요.")
        )


def refuse_rows_in_error(errors: Sequence[RowVerdict], *, skip_invalid: bool) -> None:
    """Any row in error stops an import, unless the valid rows alone were asked for."""
    if errors and not skip_invalid:
        raise DomainError(
            tr(
                "{count}개 행에 오류가 있어 아무것도 가져오지 않았습니다. 오류를 고치거나 올바른 행만 가져오세요.",
                count=len(errors),
            ),
            field="rows",
        )


class _Counted(Protocol):
    file_name: str
    file_sha256: str

    def count(self, action: Action) -> int: ...


def new_batch(session: Session, plan: _Counted, *, skipped: int, errors: int) -> ImportBatch:
    """The record of an import about to be written (flushed, so it has its id)."""
    batch = ImportBatch(
        file_name=plan.file_name[:300],
        file_sha256=plan.file_sha256,
        imported_by=audit.current_actor(session),
        created=plan.count(Action.CREATE),
        updated=plan.count(Action.UPDATE),
        unchanged=plan.count(Action.UNCHANGED),
        skipped=skipped,
        errors=errors,
    )
    session.add(batch)
    session.flush()
    return batch


def _facility_ids(session: Session, plan: ImportPlan, batch: ImportBatch) -> dict[str, int]:
    ids = dict(session.exec(select(col(Facility.name), id_column(Facility))).all())
    if plan.facility_to_create and plan.facility_to_create not in ids:
        created = facilities.create_facility(session=session, name=plan.facility_to_create, import_batch_id=batch.id)
        ids[created.name] = stored_id(created)
    return ids


def _create_rooms(
    session: Session,
    rooms: Sequence[NewRoom | RoomWrite],
    facility_ids: dict[str, int],
    batch_id: int,
    progress: Progress,
) -> dict[tuple[str, str], Room]:
    """The rooms created, by (facility name, code)."""
    created = {}
    for index, room in enumerate(rooms):
        if index % 100 == 0:
            progress.report(index, len(rooms), tr("호실 만드는 중"))
            progress.check_cancelled()
        created[(room.facility, room.code)] = facilities.create_room(
            session=session,
            facility_id=facility_ids[room.facility],
            floor=room.floor,
            code=room.code,
            kind=room.kind,
            seats=room.seats,
            area_m2=room.area_m2,
            import_batch_id=batch_id,
        )
    return created


def write_batch(requests: list[tuple[RowVerdict, RequestT]], run: Callable[[list[RequestT]], list[int]]) -> list[int]:
    """Run one batch use case; a rule it finds broken names the row of the file."""
    if not requests:
        return []
    try:
        return run([request for _, request in requests])
    except DomainError as error:
        if not isinstance(error, RuleViolation) and len(requests) > 1:
            raise
        row = requests[error.index if isinstance(error, RuleViolation) else 0][0].row
        raise DomainError(
            tr("{row}행: {message} 아무것도 가져오지 않았습니다.", row=row, message=error.message),
            field=error.field,
        ) from None


def _new_company(write: ResidentWrite) -> CompanyInput:
    assert write.company is not None, "the verdicts give a company to register its input"
    return write.company


class _ResidentWriter:
    """Writes the resident rows through the batch use cases, in the order their rules need:
    companies, then stays, then rooms (which need the stay), then headcounts."""

    def __init__(
        self,
        session: Session,
        batch_id: int,
        plan: ImportPlan,
        facility_ids: dict[str, int],
        new_rooms: dict[tuple[str, str], Room],
        progress: Progress,
    ) -> None:
        self.session = session
        self.batch_id = batch_id
        self.as_of = plan.options.as_of
        self.facility_ids = facility_ids
        self.new_rooms = new_rooms
        self.progress = progress

    def write(self, verdicts: list[RowVerdict]) -> None:
        rows = [(v, v.write) for v in verdicts if isinstance(v.write, ResidentWrite)]
        company_ids = self._companies(rows)
        steps: list[tuple[str, Callable[[], object]]] = [
            (
                tr("입주 기록 중"),
                lambda: self._batch(
                    [
                        (v, MoveIn(company_ids[v.row], self.facility_ids[w.facility], w.move_in, w.contract_end))
                        for v, w in rows
                        if w.move_in is not None
                    ],
                    lambda requests: move_in_many(
                        session=self.session, requests=requests, import_batch_id=self.batch_id
                    ),
                ),
            ),
            (
                tr("호실 배정 중"),
                lambda: self._batch(
                    [(v, self._booking(company_ids[v.row], w)) for v, w in rows if w.room is not None],
                    lambda requests: allocate_rooms(
                        session=self.session, requests=requests, import_batch_id=self.batch_id
                    ),
                ),
            ),
            (
                tr("고용인원 기록 중"),
                lambda: self._batch(
                    [
                        (v, HeadcountEntry(company_ids[v.row], self.as_of, w.employees))
                        for v, w in rows
                        if w.employees is not None
                    ],
                    lambda requests: record_headcounts(
                        session=self.session, entries=requests, import_batch_id=self.batch_id
                    ),
                ),
            ),
        ]
        for step, (message, run) in enumerate(steps, start=1):
            self.progress.check_cancelled()
            run()
            self.progress.report(step, len(steps), message)

    def _companies(self, rows: list[tuple[RowVerdict, ResidentWrite]]) -> dict[int, int]:
        """Each row's company id: registered now, edited, or as stored."""
        new = [(v, _new_company(w)) for v, w in rows if w.company_id is None]
        self.progress.report(0, 3, tr("기업 등록 중"))
        ids = dict(
            zip(
                (v.row for v, _ in new),
                self._batch(
                    new,
                    lambda inputs: companies.register_companies(
                        session=self.session, inputs=inputs, import_batch_id=self.batch_id
                    ),
                ),
                strict=True,
            )
        )
        for verdict, write in rows:
            if write.company_id is None:
                continue
            ids[verdict.row] = write.company_id
            if write.company is not None:
                self._batch([(verdict, write.company)], partial(self._edit_company, write.company_id))
        return ids

    def _edit_company(self, company_id: int, inputs: list[CompanyInput]) -> list[int]:
        edited = companies.edit_company(
            session=self.session, company_id=company_id, data=inputs[0], import_batch_id=self.batch_id
        )
        return [stored_id(edited)]

    def _batch(
        self, requests: list[tuple[RowVerdict, RequestT]], run: Callable[[list[RequestT]], list[int]]
    ) -> list[int]:
        return write_batch(requests, run)

    def _booking(self, company_id: int, write: ResidentWrite) -> RoomBooking:
        assert write.room is not None and write.room_start is not None, "the verdicts give a booked room its start day"
        if write.room_id is not None:
            room_id = write.room_id
        else:
            room_id = stored_id(self.new_rooms[(write.facility, write.room)])
        return RoomBooking(company_id, room_id, write.room_start, None, write.seats)
