"""Two PCs on one database: a check and the write that relies on it cannot interleave."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlmodel import Session, select

from camp_manager.db.engine import make_engine, unit_of_work
from camp_manager.db.models import Allocation, ExitReason, RequestKind
from camp_manager.errors import DomainError
from camp_manager.importing.commit import run_import
from camp_manager.importing.mapping import MappingStore, choose_sheet
from camp_manager.importing.plan import ImportOptions
from camp_manager.importing.read import open_file
from camp_manager.services import allocations, exits, facilities, requests
from tests.conftest import on_every_backend
from tests.factories import facility_with_rooms, resident
from tests.importing_files import bizno, xlsx

pytestmark = on_every_backend


def race(url: str, first, second) -> tuple[object, object]:
    """`first` writes on one PC and waits a moment before committing; `second` runs meanwhile on another."""
    first_wrote, results = threading.Event(), {}

    def on_pc(name, use_case, before_commit=None):
        engine = make_engine(url)
        try:
            with unit_of_work(engine) as session:
                results[name] = use_case(session)
                if before_commit:
                    before_commit()
        except DomainError as error:
            results[name] = error
        finally:
            engine.dispose()

    def first_pc():
        on_pc("first", first, before_commit=lambda: (first_wrote.set(), threading.Event().wait(0.7)))

    def second_pc():
        first_wrote.wait(10)
        on_pc("second", second)

    threads = [threading.Thread(target=first_pc), threading.Thread(target=second_pc)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results["first"], results["second"]


@pytest.fixture
def camp(engine):
    with unit_of_work(engine) as session:
        facility, offices, zone = facility_with_rooms(session, offices=2, zone_seats=5)
        a = resident(session, facility, name="가기업", move_in_on=date(2024, 1, 2))
        b = resident(session, facility, name="나기업", move_in_on=date(2024, 1, 2))
    return offices, zone, a, b


def test_two_pcs_cannot_book_one_office_at_once(db_url, engine, camp):
    offices, _, a, b = camp

    def book(company):
        return lambda s: allocations.allocate_room(
            session=s, company_id=company.id, room_id=offices[0].id, start_on=date(2024, 2, 1)
        )

    first, second = race(db_url, book(a), book(b))
    assert isinstance(first, Allocation) and isinstance(second, DomainError)
    with Session(engine) as session:
        assert len(session.exec(select(Allocation).where(Allocation.room_id == offices[0].id)).all()) == 1


def test_two_pcs_cannot_overfill_a_zone_at_once(db_url, engine, camp):
    _, zone, a, b = camp

    def seats(company):
        return lambda s: allocations.allocate_room(
            session=s, company_id=company.id, room_id=zone.id, start_on=date(2024, 2, 1), seats=3
        )

    first, second = race(db_url, seats(a), seats(b))
    assert isinstance(first, Allocation) and isinstance(second, DomainError) and second.field == "seats"


def test_an_allocation_cannot_slip_in_while_the_company_exits(db_url, engine, camp):
    offices, _, a, _ = camp
    _first, second = race(
        db_url,
        lambda s: exits.record_exit(
            session=s, company_id=a.id, exit_on=date(2024, 3, 1), reason=ExitReason.CLOSED.value
        ),
        lambda s: allocations.allocate_room(
            session=s, company_id=a.id, room_id=offices[1].id, start_on=date(2024, 2, 1)
        ),
    )
    assert second.field == "end_on" if isinstance(second, DomainError) else False
    with Session(engine) as session:
        assert all(x.end_on is not None and x.end_on <= date(2024, 3, 1) for x in session.exec(select(Allocation)))


def test_a_request_cannot_be_approved_while_the_company_exits(db_url, engine, camp):
    offices, _, a, _ = camp
    with unit_of_work(engine) as session:
        allocations.allocate_room(session=session, company_id=a.id, room_id=offices[0].id, start_on=date(2024, 1, 2))
        request = requests.file_request(
            session=session,
            company_id=a.id,
            facility_id=offices[0].facility_id,
            kind=RequestKind.EXPANSION.value,
            requested_on=date(2024, 2, 1),
        )
    _first, second = race(
        db_url,
        lambda s: exits.record_exit(
            session=s, company_id=a.id, exit_on=date(2024, 3, 1), reason=ExitReason.LACK_OF_SPACE.value
        ),
        lambda s: requests.approve_request(
            session=s, request_id=request.id, room_id=offices[1].id, on=date(2024, 2, 15), override_reason="예외"
        ),
    )
    assert isinstance(second, DomainError) and second.field == "status"


def test_one_allocation_cannot_be_moved_twice_at_once(db_url, engine, camp):
    offices, zone, a, _ = camp
    with unit_of_work(engine) as session:
        facilities.set_room_policy(session=session, facility_id=zone.facility_id, max_rooms_per_company=3)
        held = allocations.allocate_room(
            session=session, company_id=a.id, room_id=offices[0].id, start_on=date(2024, 1, 2)
        )

    def move(room, seats=None):
        return lambda s: allocations.move_to_room(
            session=s, allocation_id=held.id, to_room_id=room.id, on=date(2024, 3, 1), seats=seats
        )

    first, second = race(db_url, move(offices[1]), move(zone, 2))
    assert isinstance(first, Allocation) and isinstance(second, DomainError) and second.field == "allocation"
    with Session(engine) as session:
        assert len(session.exec(select(Allocation).where(Allocation.company_id == a.id)).all()) == 2


def _import_into(office_code: str, tmp_path):
    """A resident list that gives a new company the office `office_code`, read as the wizard would."""
    path = xlsx(
        tmp_path / "race.xlsx",
        [["기업명", "사업자등록번호", "입주일", "호실"], ["가져온기업", bizno(777), "2024-02-01", office_code]],
    )
    source = open_file(path)
    sheet, mapping = choose_sheet(source, store=MappingStore(path=tmp_path / "m.json"))

    def run(session):
        return run_import(
            session=session, source=source, sheet=sheet, mapping=mapping, options=ImportOptions(as_of=date(2024, 6, 30))
        )

    return run


@pytest.mark.parametrize("import_first", [True, False], ids=["import first", "allocation first"])
def test_an_import_and_an_allocation_cannot_both_take_one_office(db_url, engine, camp, tmp_path, import_first):
    offices, _, a, _ = camp
    do_import = _import_into(offices[0].code, tmp_path)

    def allocate(s):
        return allocations.allocate_room(session=s, company_id=a.id, room_id=offices[0].id, start_on=date(2024, 2, 1))

    first, second = race(db_url, do_import, allocate) if import_first else race(db_url, allocate, do_import)
    assert not isinstance(first, DomainError) and isinstance(second, DomainError)
    if import_first:
        assert second.field == "room"
    else:
        assert second.message.startswith("2행: 호실 301은(는) 2024-02-01에 '가기업'")
    with Session(engine) as session:
        holders = session.exec(select(Allocation.company_id).where(Allocation.room_id == offices[0].id)).all()
        assert len(holders) == 1
