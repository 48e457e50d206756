"""Each rule exists once: the import's preview refuses a row with the very message the use case
raises for the same request, and the batch use cases check every request of a batch against
the ones before it, writing nothing when one is refused."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from camp_manager.db.engine import unit_of_work
from camp_manager.db.models import (
    Allocation,
    AuditEntry,
    Company,
    ExitReason,
    Facility,
    HeadcountRecord,
    Residency,
    RoomKind,
)
from camp_manager.errors import DomainError, RuleViolation
from camp_manager.importing.actions import Action
from camp_manager.importing.mapping import MappingStore, choose_sheet
from camp_manager.importing.plan import ImportOptions
from camp_manager.importing.read import open_file
from camp_manager.importing.verdicts import check
from camp_manager.services import allocations, companies, directory, exits, facilities, residency
from camp_manager.services.allocations import RoomBooking
from camp_manager.services.audit import snapshot
from camp_manager.services.companies import CompanyInput, HeadcountEntry
from camp_manager.services.residency import MoveIn
from tests.conftest import on_every_backend
from tests.factories import database_rows, facility_with_rooms, resident, valid_bizno
from tests.importing_files import bizno, xlsx

pytestmark = on_every_backend

AS_OF = date(2025, 6, 30)
MOVE_IN = date(2024, 3, 2)
HEADER = ["기업명", "사업자등록번호", "시설", "입주일", "계약만료일", "호실", "좌석"]


@pytest.fixture
def world(engine):
    """A camp with offices 301–304, a 10-seat zone, a meeting room and a retired room; 아이플렉스;
    '가기업' in 301 since 2024-01-02; '나기업' that left on 2024-06-30."""
    with unit_of_work(engine) as session:
        camp, offices, zone = facility_with_rooms(session, name="AI 창업캠프")
        facilities.create_room(
            session=session, facility_id=camp.id, floor=2, code="201", kind=RoomKind.MEETING_ROOM, seats=12
        )
        retired = facilities.create_room(session=session, facility_id=camp.id, floor=3, code="399", seats=4)
        facilities.deactivate_room(session=session, room_id=retired.id, on=date(2024, 1, 1))
        iplex = facilities.create_facility(session=session, name="아이플렉스")
        holder = resident(session, camp, name="가기업", move_in_on=date(2024, 1, 2))
        allocations.allocate_room(
            session=session, company_id=holder.id, room_id=offices[0].id, start_on=date(2024, 1, 2)
        )
        allocations.allocate_room(
            session=session,
            company_id=holder.id,
            room_id=zone.id,
            start_on=date(2024, 1, 2),
            seats=6,
            override_reason="성장",
        )
        gone = resident(session, camp, name="나기업", move_in_on=date(2023, 1, 2))
        exits.record_exit(
            session=session, company_id=gone.id, exit_on=date(2024, 6, 30), reason=ExitReason.GRADUATED.value
        )
        return {
            "camp": camp.id,
            "iplex": iplex.id,
            "holder": holder,
            "gone": gone,
            "rooms": {r.code: r.id for r in [*offices, zone, retired]},
        }


def preview_error(engine, tmp_path, row: list[object]) -> str:
    """The one error the import's preview finds in a file of one row."""
    path = xlsx(tmp_path / "list.xlsx", [HEADER, row])
    source = open_file(path)
    sheet, mapping = choose_sheet(source, store=MappingStore(path=tmp_path / "m.json"))
    with Session(engine) as session:
        plan = check(session=session, source=source, sheet=sheet, mapping=mapping, options=ImportOptions(as_of=AS_OF))
    [verdict] = plan.verdicts
    assert verdict.action == Action.ERROR, verdict
    [error] = verdict.errors
    return error.message


def use_case_error(engine, act) -> str:
    """The message a use case refuses with; nothing it did is kept."""
    with pytest.raises(DomainError) as refused, unit_of_work(engine) as session:
        act(session)
    return refused.value.message


def newcomer(session, facility_id: int) -> Company:
    """What the import does for a new company of the file before giving it a room."""
    company = companies.register_company(session=session, data=CompanyInput(name="새기업", biz_reg_no=valid_bizno()))
    residency.move_in(session=session, company_id=company.id, facility_id=facility_id, move_in_on=MOVE_IN)
    return company


def allocate_newcomer(code: str, seats: int | None = None):
    def act(session, world):
        company = newcomer(session, world["camp"])
        room = next(r for r in directory.facility_rooms(session, facility_id=world["camp"]) if r.code == code)
        allocations.allocate_room(
            session=session, company_id=company.id, room_id=room.id, start_on=MOVE_IN, seats=seats
        )

    return act


CASES = {
    "a meeting room": (["새기업", bizno(901), "AI 창업캠프", "2024-03-02", "", "201", ""], allocate_newcomer("201")),
    "a retired room": (["새기업", bizno(902), "AI 창업캠프", "2024-03-02", "", "399", ""], allocate_newcomer("399")),
    "an office in use": (["새기업", bizno(903), "AI 창업캠프", "2024-03-02", "", "301", ""], allocate_newcomer("301")),
    "a zone without seats": (
        ["새기업", bizno(904), "AI 창업캠프", "2024-03-02", "", "라운지", ""],
        allocate_newcomer("라운지"),
    ),
    "a zone too full": (
        ["새기업", bizno(905), "AI 창업캠프", "2024-03-02", "", "라운지", "5"],
        allocate_newcomer("라운지", 5),
    ),
    "a contract ending before the move-in": (
        ["새기업", bizno(906), "AI 창업캠프", "2024-03-02", "2024-03-01", "", ""],
        lambda session, world: residency.move_in(
            session=session,
            company_id=companies.register_company(
                session=session, data=CompanyInput(name="새기업", biz_reg_no=valid_bizno())
            ).id,
            facility_id=world["camp"],
            move_in_on=MOVE_IN,
            contract_end=date(2024, 3, 1),
        ),
    ),
    "a move-in before the last exit": (
        lambda world: ["나기업", world["gone"].biz_reg_no, "AI 창업캠프", "2024-05-01", "", "", ""],
        lambda session, world: residency.move_in(
            session=session, company_id=world["gone"].id, facility_id=world["camp"], move_in_on=date(2024, 5, 1)
        ),
    ),
    "a resident of another facility": (
        lambda world: ["가기업", world["holder"].biz_reg_no, "아이플렉스", "2024-05-01", "", "", ""],
        lambda session, world: residency.move_in(
            session=session, company_id=world["holder"].id, facility_id=world["iplex"], move_in_on=date(2024, 5, 1)
        ),
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_preview_refuses_with_the_use_case_s_own_message(engine, world, tmp_path, case):
    row, act = CASES[case]
    before = Session(engine).exec(select(AuditEntry.id)).all()
    expected = use_case_error(engine, lambda session: act(session, world))
    assert Session(engine).exec(select(AuditEntry.id)).all() == before  # the refusal wrote nothing
    assert preview_error(engine, tmp_path, row(world) if callable(row) else row) == expected


def test_a_batch_checks_each_booking_against_the_ones_before_it(engine, world):
    with unit_of_work(engine) as session:
        camp = session.get_one(Facility, world["camp"])
        first = resident(session, camp, name="다기업")
        second = resident(session, camp, name="라기업")
    office = world["rooms"]["302"]
    before = _rows(engine)
    with pytest.raises(RuleViolation) as refused, unit_of_work(engine) as session:
        allocations.allocate_rooms(
            session=session,
            requests=[
                RoomBooking(first.id, office, date(2024, 2, 1)),
                RoomBooking(second.id, office, date(2024, 3, 1)),
            ],
        )
    assert (refused.value.index, refused.value.field) == (1, "room") and "'다기업'" in refused.value.message
    assert _rows(engine) == before
    with unit_of_work(engine) as session:
        ids = allocations.allocate_rooms(
            session=session,
            requests=[
                RoomBooking(first.id, office, date(2024, 2, 1), date(2024, 3, 1)),
                RoomBooking(second.id, office, date(2024, 3, 1)),
            ],
        )
        rows = [session.get(Allocation, i) for i in ids]
        assert [(a.company_id, a.start_on, a.end_on) for a in rows] == [
            (first.id, date(2024, 2, 1), date(2024, 3, 1)),
            (second.id, date(2024, 3, 1), None),
        ]
        logged = session.exec(
            select(AuditEntry).where(AuditEntry.entity == "Allocation", AuditEntry.entity_id.in_(ids))
        ).all()
        assert sorted(e.entity_id for e in logged) == sorted(ids) and all(e.action == "allocate" for e in logged)
        assert {e.entity_id: e.after for e in logged} == {a.id: snapshot(a) for a in rows}


def test_a_batch_of_companies_refuses_a_number_twice(engine, world):
    number = valid_bizno()
    before = _rows(engine)
    with pytest.raises(RuleViolation) as refused, unit_of_work(engine) as session:
        companies.register_companies(
            session=session,
            inputs=[CompanyInput(name="하나", biz_reg_no=number), CompanyInput(name="둘", biz_reg_no=number)],
        )
    assert (refused.value.index, refused.value.field) == (1, "biz_reg_no") and "'하나'" in refused.value.message
    assert _rows(engine) == before


def test_a_batch_of_move_ins_refuses_a_second_stay_of_one_company(engine, world):
    with unit_of_work(engine) as session:
        company = companies.register_company(
            session=session, data=CompanyInput(name="두번기업", biz_reg_no=valid_bizno())
        )
    with pytest.raises(RuleViolation) as refused, unit_of_work(engine) as session:
        residency.move_in_many(
            session=session,
            requests=[MoveIn(company.id, world["camp"], MOVE_IN), MoveIn(company.id, world["iplex"], MOVE_IN)],
        )
    assert refused.value.index == 1 and "이미 다른 시설 'AI 창업캠프'" in refused.value.message
    with Session(engine) as session:
        assert session.exec(select(Residency).where(Residency.company_id == company.id)).all() == []


def test_headcounts_in_a_batch_add_new_days_and_correct_known_ones(engine, world):
    holder = world["holder"]
    with unit_of_work(engine) as session:
        [kept] = companies.record_headcounts(session=session, entries=[HeadcountEntry(holder.id, date(2024, 2, 1), 3)])
    with unit_of_work(engine) as session:
        ids = companies.record_headcounts(
            session=session,
            entries=[HeadcountEntry(holder.id, date(2024, 2, 1), 4), HeadcountEntry(holder.id, date(2024, 3, 1), 5)],
        )
        assert ids[0] == kept
        counts = session.exec(
            select(HeadcountRecord.as_of, HeadcountRecord.employees)
            .where(HeadcountRecord.company_id == holder.id)
            .order_by(HeadcountRecord.as_of)
        ).all()
        assert [tuple(c) for c in counts] == [(date(2024, 2, 1), 4), (date(2024, 3, 1), 5)]
        actions = session.exec(
            select(AuditEntry.action).where(AuditEntry.entity == "HeadcountRecord").order_by(AuditEntry.id)
        ).all()
        assert actions == ["create", "update", "create"]
    with pytest.raises(RuleViolation) as refused, unit_of_work(engine) as session:
        companies.record_headcounts(
            session=session,
            entries=[
                HeadcountEntry(world["gone"].id, date(2024, 6, 1), 2),
                HeadcountEntry(world["gone"].id, date(2024, 7, 1), 2),
            ],
        )
    assert (refused.value.index, refused.value.field) == (1, "as_of")


def _rows(engine) -> dict:
    with Session(engine) as session:
        return database_rows(session)
