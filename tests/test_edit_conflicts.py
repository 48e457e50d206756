"""Two managers edit the same record: the later save over an older form is refused, naming who and when.

Each test is two PCs on one database (two engines, two real connections): PC B fills its form
from the record, PC A saves a change, then B saves from its old form. B's save must be refused
with nothing written, and A's change must survive. Then B, reloaded, saves fine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from camp_manager.clock import FixedClock
from camp_manager.db.engine import make_engine, unit_of_work
from camp_manager.db.models import (
    Allocation,
    AuditEntry,
    Company,
    ExitReason,
    Facility,
    Mentor,
    MentoringSession,
    Residency,
    Room,
    RoomRequest,
    SupportRequest,
)
from camp_manager.errors import EditConflict
from camp_manager.services import (
    allocations,
    companies,
    exits,
    facilities,
    mentoring,
    requests,
    residency,
    support,
)
from camp_manager.services.common import reapply_edits
from tests.conftest import on_every_backend
from tests.factories import database_rows, one_of_every_record

pytestmark = on_every_backend

TODAY = date(2024, 6, 1)


def _edit_company(session: Session, world: dict, seen: int | None, note: str) -> None:
    data = companies.company_input(session.get(Company, world["company"]))
    companies.edit_company(
        session=session, company_id=world["company"], data=replace(data, notes=note), seen_version=seen
    )


@dataclass(frozen=True)
class Kind:
    model: type[SQLModel]
    row_id: Callable[[dict], int]
    # Save a change (a different one for A and B, told apart by `tag`) from a form that showed `seen`.
    save: Callable[[Session, dict, int | None, str], object]


KINDS = {
    "company": Kind(Company, lambda w: w["company"], _edit_company),
    "facility": Kind(
        Facility,
        lambda w: w["facility"],
        lambda s, w, seen, tag: facilities.set_room_policy(
            session=s, facility_id=w["facility"], max_rooms_per_company=3 if tag == "A" else 4, seen_version=seen
        ),
    ),
    "room": Kind(
        Room,
        lambda w: w["spare"],
        lambda s, w, seen, tag: facilities.deactivate_room(
            session=s, room_id=w["spare"], on=date(2024, 5, 1) if tag == "A" else date(2024, 5, 2), seen_version=seen
        ),
    ),
    "residency": Kind(
        Residency,
        lambda w: w["residency"],
        lambda s, w, seen, tag: residency.extend_contract(
            session=s,
            residency_id=w["residency"],
            new_end=date(2027, 1, 1) if tag == "A" else date(2028, 1, 1),
            on=date(2024, 5, 1),
            seen_version=seen,
        ),
    ),
    "allocation": Kind(
        Allocation,
        lambda w: w["allocation"],
        lambda s, w, seen, tag: allocations.release_room(
            session=s,
            allocation_id=w["allocation"],
            on=date(2024, 5, 1) if tag == "A" else date(2024, 5, 2),
            seen_version=seen,
        ),
    ),
    "request": Kind(
        RoomRequest,
        lambda w: w["request"],
        lambda s, w, seen, tag: (requests.decline_request if tag == "A" else requests.withdraw_request)(
            session=s, request_id=w["request"], on=date(2024, 4, 1), seen_version=seen
        ),
    ),
    "mentor": Kind(
        Mentor,
        lambda w: w["mentor"],
        lambda s, w, seen, tag: mentoring.set_mentor_active(
            session=s, mentor_id=w["mentor"], active=tag != "A", seen_version=seen
        ),
    ),
    "session": Kind(
        MentoringSession,
        lambda w: w["session"],
        lambda s, w, seen, tag: (
            mentoring.cancel_session(session=s, session_id=w["session"], seen_version=seen)
            if tag == "A"
            else mentoring.mark_held(session=s, session_id=w["session"], seen_version=seen)
        ),
    ),
    # The exit form shows the company's stay: its version guards the exit.
    "exit": Kind(
        Residency,
        lambda w: w["residency"],
        lambda s, w, seen, tag: exits.record_exit(
            session=s,
            company_id=w["company"],
            exit_on=date(2024, 5, 31) if tag == "A" else date(2024, 5, 30),
            reason=ExitReason.GRADUATED.value if tag == "A" else ExitReason.RELOCATED_OTHER.value,
            seen_version=seen,
        ),
    ),
    "support request": Kind(
        SupportRequest,
        lambda w: w["support"],
        lambda s, w, seen, tag: (
            support.start_support(session=s, request_id=w["support"], on=date(2024, 3, 5), seen_version=seen)
            if tag == "A"
            else support.cancel_support(
                session=s, request_id=w["support"], on=date(2024, 3, 6), reason="자체 해결", seen_version=seen
            )
        ),
    ),
}


@pytest.fixture
def two_pcs(db_url):
    pc_a, pc_b = make_engine(db_url), make_engine(db_url)
    yield pc_a, pc_b
    pc_a.dispose()
    pc_b.dispose()


def version_of(engine: sa.Engine, model: type[SQLModel], row_id: int) -> int:
    with unit_of_work(engine) as session:
        return session.get(model, row_id).version


@pytest.mark.parametrize("kind_name", list(KINDS))
def test_a_save_over_a_newer_version_is_refused_and_names_who_and_when(two_pcs, kind_name):
    kind = KINDS[kind_name]
    pc_a, pc_b = two_pcs
    clock = FixedClock(TODAY)
    with unit_of_work(pc_a, clock=clock) as session:
        world = one_of_every_record(session)
    row_id = kind.row_id(world)
    seen_by_b = version_of(pc_b, kind.model, row_id)  # B opens the form

    with unit_of_work(pc_a, clock=clock) as session:  # A saves first
        kind.save(session, world, version_of(pc_a, kind.model, row_id), "A")
    with Session(pc_a) as session:
        kept = database_rows(session)
        last = session.exec(sa.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).scalars().first()

    with pytest.raises(EditConflict) as refused:
        with unit_of_work(pc_b, clock=clock) as session:
            kind.save(session, world, seen_by_b, "B")

    assert refused.value.changed_by.startswith(last.actor) and last.machine in refused.value.changed_by
    assert refused.value.changed_at and refused.value.changed_at in refused.value.message
    assert refused.value.current_version == seen_by_b + 1
    with Session(pc_a) as session:
        assert database_rows(session) == kept, "a refused save wrote something"


def test_a_save_from_a_current_form_passes_and_counts_the_version(two_pcs):
    pc_a, pc_b = two_pcs
    with unit_of_work(pc_a, clock=FixedClock(TODAY)) as session:
        world = one_of_every_record(session)
    seen = version_of(pc_b, Company, world["company"])
    with unit_of_work(pc_b) as session:
        _edit_company(session, world, seen, "B의 메모")
    assert version_of(pc_a, Company, world["company"]) == seen + 1
    with unit_of_work(pc_a) as session:  # A, reloaded, saves on top of B's save
        _edit_company(session, world, seen + 1, "A의 메모")
    with Session(pc_b) as session:
        assert session.get(Company, world["company"]).notes == "A의 메모"


def test_the_version_guards_a_write_that_skipped_the_check(two_pcs):
    """Without the form's version (a plain ORM change), SQLAlchemy's version column still refuses a lost update."""
    pc_a, pc_b = two_pcs
    with unit_of_work(pc_a) as session:
        world = one_of_every_record(session)
    with Session(pc_b, expire_on_commit=False) as stale_session:
        stale = stale_session.get(Company, world["company"])
        stale_session.commit()  # the snapshot ends; the object keeps the version it read
        with unit_of_work(pc_a) as session:
            _edit_company(session, world, None, "A")
        stale.notes = "B"
        with pytest.raises(sa.orm.exc.StaleDataError):
            stale_session.commit()
    with Session(pc_a) as session:
        assert session.get(Company, world["company"]).notes == "A"


def test_reapplying_my_edits_on_the_latest_version_keeps_both_changes(backend):
    original = companies.CompanyInput(name="딥러닝랩스", biz_reg_no="1234567891", phone="010-1", email="a@x.kr")
    mine = replace(original, email="b@x.kr")
    latest = replace(original, phone="010-2")
    merged = reapply_edits(original=original, mine=mine, latest=latest)
    assert merged == replace(original, phone="010-2", email="b@x.kr")
