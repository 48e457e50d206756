"""Writing an import in one transaction, the audit trail linked to the ImportBatch, imports killed
half-way leaving the database as it was, and undo of the last import."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from camp_manager.db.engine import unit_of_work
from camp_manager.db.models import (
    Allocation,
    AuditEntry,
    Company,
    Facility,
    HeadcountRecord,
    ImportBatch,
    Residency,
    Room,
)
from camp_manager.errors import DomainError
from camp_manager.importing.actions import Action
from camp_manager.importing.commit import commit, run_import
from camp_manager.importing.mapping import MappingStore, choose_sheet
from camp_manager.importing.plan import ImportOptions
from camp_manager.importing.read import open_file
from camp_manager.importing.undo import last_import, undo_last_import
from camp_manager.importing.verdicts import check
from camp_manager.progress import Cancelled, Progress
from camp_manager.services import allocations, audit, companies, integrity, mentoring
from tests.conftest import on_every_backend
from tests.factories import database_rows, facility_with_rooms, resident
from tests.importing_files import bizno, digits, xlsx

pytestmark = on_every_backend

AS_OF = date(2025, 6, 30)
MODELS = {model.__name__: model for model in (Company, Residency, Allocation, HeadcountRecord)}
HEADER = ["기업명", "대표자", "사업자등록번호", "분야", "입주일", "계약만료일", "호실", "고용인원"]


def rows_for(count: int, start: int = 1) -> list[list[object]]:
    return [
        [
            f"기업{n:03d}",
            "김대표",
            bizno(n),
            "빅데이터",
            "2024-03-02",
            "2026-03-01",
            f"{300 + n}호" if n <= 4 else "",
            f"{n}명",
        ]
        for n in range(start, start + count)
    ]


@pytest.fixture
def camp(engine):
    with unit_of_work(engine) as session:
        facility, _offices, _zone = facility_with_rooms(session, name="AI 창업캠프", offices=4)
        return facility.id


@pytest.fixture
def load(tmp_path):
    def load(rows, header=HEADER, name="list.xlsx"):
        source = open_file(xlsx(tmp_path / name, [header, *rows]))
        sheet, mapping = choose_sheet(source, store=MappingStore(path=tmp_path / "m.json"))
        return source, sheet, mapping

    return load


def do_import(engine, loaded, *, progress: Progress | None = None, **options):
    source, sheet, mapping = loaded
    skip = options.pop("skip_invalid", False)
    with unit_of_work(engine) as session:
        result = run_import(
            session=session,
            source=source,
            sheet=sheet,
            mapping=mapping,
            options=ImportOptions(as_of=AS_OF, **options),
            skip_invalid=skip,
            **({"progress": progress} if progress else {}),
        )
    with Session(engine) as session:
        assert integrity.find_violations(session) == []  # an import writes only data that obeys every rule
    return result


def snapshot(engine) -> dict:
    with Session(engine) as session:
        return database_rows(session)


def test_an_import_writes_companies_stays_rooms_and_headcount_with_its_audit_trail(engine, camp, load):
    result = do_import(engine, load(rows_for(6)))
    with Session(engine) as session:
        batch = session.get(ImportBatch, result.batch.id)
        assert (batch.file_name, batch.created, batch.updated, batch.errors, batch.facility_id) == (
            "list.xlsx",
            6,
            0,
            0,
            camp,
        )
        assert batch.file_sha256 == result.plan.file_sha256 and batch.imported_by
        stored = session.exec(select(Company).order_by(Company.name)).all()
        assert [(c.name, c.biz_reg_no, c.field, c.representative) for c in stored][:2] == [
            ("기업001", digits(1), "bigdata", "김대표"),
            ("기업002", digits(2), "bigdata", "김대표"),
        ]
        stays = session.exec(select(Residency)).all()
        assert {(s.facility_id, s.move_in, s.contract_end, s.ended_on) for s in stays} == {
            (camp, date(2024, 3, 2), date(2026, 3, 1), None)
        }
        rooms = {a.company_id: session.get(Room, a.room_id).code for a in session.exec(select(Allocation))}
        assert sorted(rooms.values()) == ["301", "302", "303", "304"]
        assert sorted(h.employees for h in session.exec(select(HeadcountRecord))) == [1, 2, 3, 4, 5, 6]
        assert {h.as_of for h in session.exec(select(HeadcountRecord))} == {AS_OF}
        entries = session.exec(select(AuditEntry).where(AuditEntry.import_batch_id == batch.id)).all()
        assert sorted({(e.entity, e.action) for e in entries}) == [
            ("Allocation", "allocate"),
            ("Company", "create"),
            ("HeadcountRecord", "create"),
            ("Residency", "move_in"),
        ]
        assert len(entries) == 6 + 6 + 4 + 6
        # Each audit entry records exactly what the use case's audit would: the stored row.
        for entry in entries:
            row = session.get(MODELS[entry.entity], entry.entity_id)
            assert entry.after == audit.snapshot(row) and entry.actor == batch.imported_by


def test_an_import_with_errors_writes_nothing_unless_told(engine, camp, load):
    rows = [*rows_for(3), ["", "", "123-45-67890", "", "", "", "", ""]]
    before = snapshot(engine)
    with pytest.raises(DomainError, match="1개 행에 오류"):
        do_import(engine, load(rows))
    assert snapshot(engine) == before
    result = do_import(engine, load(rows), skip_invalid=True)
    assert (result.batch.created, result.batch.errors) == (3, 1)
    with Session(engine) as session:
        assert len(session.exec(select(Company)).all()) == 3


def test_stored_companies_are_updated_through_the_use_cases(engine, camp, load):
    with unit_of_work(engine) as session:
        company = resident(session, session.get(Facility, camp), name="기업001", move_in_on=date(2023, 1, 2))
        number = company.biz_reg_no
    result = do_import(engine, load([["기업001", "박대표", number, "헬스케어", "", "", "302", "9"]]))
    assert result.plan.verdicts[0].action == Action.UPDATE
    with Session(engine) as session:
        stored = session.exec(select(Company).where(Company.biz_reg_no == number)).one()
        assert (stored.representative, stored.field) == ("박대표", "healthcare")
        allocation = session.exec(select(Allocation).where(Allocation.company_id == stored.id)).one()
        assert allocation.start_on == AS_OF  # already resident: the room is given from the import's day
        actions = {
            (e.entity, e.action)
            for e in session.exec(select(AuditEntry).where(AuditEntry.import_batch_id == result.batch.id))
        }
        assert actions == {("Company", "update"), ("Allocation", "allocate"), ("HeadcountRecord", "create")}


def test_nothing_to_write_records_nothing(engine, camp, load):
    do_import(engine, load(rows_for(2)))
    again = do_import(engine, load(rows_for(2)))
    assert again.batch is None and again.plan.count(Action.UNCHANGED) == 2
    with Session(engine) as session:
        assert len(session.exec(select(ImportBatch)).all()) == 1


def test_an_empty_database_gets_the_named_facility_and_its_rooms(engine, load):
    result = do_import(engine, load(rows_for(2)), facility="새 캠프", create_rooms=True)
    with Session(engine) as session:
        facility = session.exec(select(Facility)).one()
        assert facility.name == "새 캠프" and result.batch.facility_id == facility.id
        assert sorted(r.code for r in session.exec(select(Room))) == ["301", "302"]
        created = session.exec(select(AuditEntry).where(AuditEntry.entity.in_(["Facility", "Room"]))).all()
        assert {e.import_batch_id for e in created} == {result.batch.id}


def test_a_room_list_creates_rooms(engine, camp, load):
    header = ["시설", "층", "호실", "유형", "좌석 수", "면적(㎡)"]
    result = do_import(
        engine,
        load(
            [["AI 창업캠프", 5, "501", "개별 사무실", 4, 20.5], ["AI 창업캠프", 1, "라운지2", "공유 좌석존", 12, 60]],
            header,
        ),
    )
    with Session(engine) as session:
        rooms = {
            r.code: (r.floor, r.kind, r.seats, r.area_m2)
            for r in session.exec(select(Room).where(Room.code.in_(["501", "라운지2"])))
        }
    assert rooms == {"501": (5, "private_office", 4, 20.5), "라운지2": (1, "shared_zone", 12, 60.0)}
    assert result.batch.created == 2


# --- killed half-way ----------------------------------------------------------------------


class CancelAfterStays(Progress):
    """Asks to cancel once the commit has written the companies and their stays."""

    def report(self, done: int, total: int, message: str = "") -> None:
        if message == "입주 기록 중":
            self.cancel()


@contextmanager
def inserts_seen(engine, *, failing_table: str | None = None):
    """The tables the database was asked to INSERT into; an INSERT into `failing_table` fails as a full disk would."""
    seen: list[str] = []

    def before_execute(connection, cursor, statement, parameters, context, executemany):
        words = statement.split()
        if words[:2] == ["INSERT", "INTO"]:
            seen.append(words[2].strip('"'))
            if seen[-1] == failing_table:
                raise OSError("disk full")

    sa.event.listen(engine, "before_cursor_execute", before_execute)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", before_execute)


def test_cancelling_in_the_middle_of_the_commit_leaves_the_database_unchanged(engine, camp, load):
    loaded = load(rows_for(7))
    before = snapshot(engine)
    with inserts_seen(engine) as inserted, pytest.raises(Cancelled):
        do_import(engine, loaded, progress=CancelAfterStays())
    assert {"company", "residency"} <= set(inserted)  # rows had been written inside the transaction before the cancel
    assert snapshot(engine) == before


def test_a_failure_in_the_middle_of_the_commit_leaves_the_database_unchanged(engine, camp, load):
    loaded = load(rows_for(7))
    before = snapshot(engine)
    with inserts_seen(engine, failing_table="allocation") as inserted, pytest.raises(OSError):
        do_import(engine, loaded)
    assert {"company", "residency", "auditentry"} <= set(
        inserted
    )  # it failed after the companies and stays were written
    assert snapshot(engine) == before


class FullThresholds(Progress):
    """Notes the garbage collector's full-collection threshold at each step reported."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[int] = set()

    def report(self, done: int, total: int, message: str = "") -> None:
        self.seen.add(gc.get_threshold()[2])


def test_an_import_holds_full_collections_off_until_it_ends(engine, camp, load):
    usual, steps = gc.get_threshold()[2], FullThresholds()
    do_import(engine, load(rows_for(3)), progress=steps)
    assert steps.seen and usual not in steps.seen
    assert gc.get_threshold()[2] == usual


def test_a_rule_broken_at_commit_names_the_row_and_writes_nothing(engine, camp, load):
    """Another PC takes an office between the preview and the commit: the commit refuses under its locks."""
    loaded = load(rows_for(3))
    source, sheet, mapping = loaded
    with Session(engine) as session:
        plan = check(session=session, source=source, sheet=sheet, mapping=mapping, options=ImportOptions(as_of=AS_OF))
    assert plan.count(Action.CREATE) == 3
    with unit_of_work(engine) as session:
        other = resident(session, session.get(Facility, camp), name="빠른기업", move_in_on=date(2024, 1, 2))
        room = session.exec(select(Room).where(Room.code == "302")).one()
        allocations.allocate_room(session=session, company_id=other.id, room_id=room.id, start_on=date(2024, 1, 2))
    before = snapshot(engine)
    with (
        pytest.raises(DomainError, match=r"^3행: 호실 302은\(는\) 2024-03-02에 '빠른기업'"),
        unit_of_work(engine) as session,
    ):
        commit(session=session, plan=plan)
    assert snapshot(engine) == before


def test_a_database_changed_since_the_preview_stops_the_import(engine, camp, load):
    loaded = load(rows_for(2))
    source, sheet, mapping = loaded
    with Session(engine) as session:
        preview = check(
            session=session, source=source, sheet=sheet, mapping=mapping, options=ImportOptions(as_of=AS_OF)
        )
    with unit_of_work(engine) as session:
        companies.register_company(session=session, data=companies.CompanyInput(name="기업001", biz_reg_no=digits(1)))
    before = snapshot(engine)
    with pytest.raises(DomainError, match="미리보기"), unit_of_work(engine) as session:
        run_import(
            session=session,
            source=source,
            sheet=sheet,
            mapping=mapping,
            options=ImportOptions(as_of=AS_OF),
            confirmed=preview,
        )
    assert snapshot(engine) == before


# --- undo ---------------------------------------------------------------------------------


def test_undo_takes_the_last_import_back(engine, camp, load):
    with unit_of_work(engine) as session:
        number = resident(session, session.get(Facility, camp), name="기업001", move_in_on=date(2023, 1, 2)).biz_reg_no
    with Session(engine) as session:
        before = database_rows(session, without=("version",))  # an undo is one more save of what it restores
    result = do_import(engine, load([["기업001", "박대표", number, "", "", "", "", "9"], *rows_for(3, start=2)]))
    assert result.batch.updated == 1 and result.batch.created == 3
    with unit_of_work(engine) as session:
        undone = undo_last_import(session=session)
    assert undone.id == result.batch.id and undone.undone_at is not None
    with Session(engine) as session:
        after = database_rows(session, without=("version",))
    for table in before:
        if table not in ("auditentry", "importbatch"):
            assert after[table] == before[table], table
    with Session(engine) as session:
        assert last_import(session) is None
        undo_entries = session.exec(
            select(AuditEntry).where(
                AuditEntry.import_batch_id == result.batch.id, AuditEntry.action.in_(["undo", "delete"])
            )
        ).all()
        assert {e.entity for e in undo_entries} == {"Company", "Residency", "Allocation", "HeadcountRecord"}
    with pytest.raises(DomainError, match="되돌릴 가져오기가 없습니다"), unit_of_work(engine) as session:
        undo_last_import(session=session)


def test_undo_also_removes_the_facility_and_rooms_it_created(engine, load):
    do_import(engine, load(rows_for(2)), facility="새 캠프", create_rooms=True)
    with unit_of_work(engine) as session:
        undo_last_import(session=session)
    with Session(engine) as session:
        assert session.exec(select(Facility)).all() == [] and session.exec(select(Room)).all() == []
        assert session.exec(select(ImportBatch)).one().facility_id is None


def test_undo_is_refused_once_someone_changed_the_imported_records(engine, camp, load):
    do_import(engine, load(rows_for(2)))
    with unit_of_work(engine) as session:
        company = session.exec(select(Company).where(Company.name == "기업001")).one()
        companies.edit_company(
            session=session,
            company_id=company.id,
            data=companies.CompanyInput(name="기업001", biz_reg_no=company.biz_reg_no, representative="손님"),
        )
    before = snapshot(engine)
    with pytest.raises(DomainError, match="되돌릴 수 없습니다"), unit_of_work(engine) as session:
        undo_last_import(session=session)
    assert snapshot(engine) == before


def test_undo_is_refused_when_new_records_use_the_imported_companies(engine, camp, load):
    do_import(engine, load(rows_for(1)))
    with unit_of_work(engine) as session:
        company = session.exec(select(Company)).one()
        mentor = mentoring.add_mentor(session=session, name="정멘토", field="business")
        mentoring.log_held_session(
            session=session, mentor_id=mentor.id, company_id=company.id, held_on=date(2024, 5, 2)
        )
    before = snapshot(engine)
    with pytest.raises(DomainError, match="멘토링"), unit_of_work(engine) as session:
        undo_last_import(session=session)
    assert snapshot(engine) == before


def test_commit_refuses_a_plan_with_errors_directly(session, camp, load):
    source, sheet, mapping = load([["", "", "x", "", "", "", "", ""]])
    plan = check(session=session, source=source, sheet=sheet, mapping=mapping, options=ImportOptions(as_of=AS_OF))
    with pytest.raises(DomainError):
        commit(session=session, plan=plan)
    assert commit(session=session, plan=plan, skip_invalid=True) is None
