"""Support requests (지원 요청): every rule refused with its message and nothing written, on both
backends; the yearly figures equal an independent recount in SQL made from the definitions in
reports/README.md."""

from __future__ import annotations

import statistics
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from camp_manager.clock import FixedClock
from camp_manager.db.engine import make_engine, unit_of_work
from camp_manager.db.models import AuditEntry, ExitReason, SupportKind, SupportRequest, SupportStatus
from camp_manager.errors import DomainError, EditConflict
from camp_manager.services import companies, exits, facilities, residency, support
from camp_manager.services.support import SupportCounts
from tests.conftest import on_every_backend
from tests.factories import database_rows, resident, valid_bizno
from tests.test_bad_input import spoiled

pytestmark = on_every_backend

TODAY = date(2024, 12, 31)
EXIT = date(2023, 6, 30)
BACK = date(2023, 9, 1)


def work(engine, clock_day: date = TODAY):
    return unit_of_work(engine, clock=FixedClock(clock_day))


@pytest.fixture
def world(engine):
    """'가기업' in AI 창업캠프 since 2021; '나기업' in 아이플렉스 since 2021; '다기업' in the camp from 2021,
    gone on 2023-06-30, back in 아이플렉스 on 2023-09-01; '라기업' never resident."""
    with work(engine) as session:
        camp = facilities.create_facility(session=session, name="AI 창업캠프")
        iplex = facilities.create_facility(session=session, name="아이플렉스")
        first = resident(session, camp, name="가기업", move_in_on=date(2021, 1, 4))
        second = resident(session, iplex, name="나기업", move_in_on=date(2021, 3, 2))
        moved = resident(session, camp, name="다기업", move_in_on=date(2021, 5, 3))
        exits.record_exit(session=session, company_id=moved.id, exit_on=EXIT, reason=ExitReason.RELOCATED_OTHER.value)
        residency.move_in(session=session, company_id=moved.id, facility_id=iplex.id, move_in_on=BACK)
        outsider = companies.register_company(
            session=session, data=companies.CompanyInput(name="라기업", biz_reg_no=valid_bizno())
        )
        return {
            "camp": camp.id,
            "iplex": iplex.id,
            "first": first.id,
            "second": second.id,
            "moved": moved.id,
            "outsider": outsider.id,
        }


def file(
    session,
    company_id: int,
    asked_on: date,
    kind: SupportKind = SupportKind.DEMONSTRATION,
    description: str = "시청과 실증",
):
    return support.file_support_request(
        session=session,
        company_id=company_id,
        asked_on=asked_on,
        kind=kind.value,
        description=description,
    )


def refused(engine, act, clock_day: date = TODAY) -> DomainError:
    """The refusal of `act`; nothing in the database changed."""
    with Session(engine) as session:
        before = database_rows(session)
    with pytest.raises(DomainError) as refusal, work(engine, clock_day) as session:
        act(session)
    with Session(engine) as session:
        assert database_rows(session) == before, "a refused use case wrote something"
    return refusal.value


@pytest.fixture
def asked(engine, world) -> int:
    with work(engine) as session:
        return file(session, world["first"], date(2024, 3, 4)).id


@pytest.fixture
def started(engine, asked) -> int:
    with work(engine) as session:
        support.start_support(session=session, request_id=asked, on=date(2024, 3, 11))
    return asked


def test_a_request_goes_from_asked_to_done_with_each_step_audited(engine, world):
    with work(engine) as session:
        request = file(session, world["first"], date(2024, 3, 4), description="  GPU 서버 2주 사용  ")
        support.start_support(session=session, request_id=request.id, on=date(2024, 3, 11))
        support.finish_support(
            session=session, request_id=request.id, status="done", on=date(2024, 4, 1), outcome="A100 2주 배정"
        )
    with Session(engine) as session:
        stored = session.get(SupportRequest, request.id)
        assert (stored.description, stored.status, stored.started_on, stored.finished_on, stored.outcome) == (
            "GPU 서버 2주 사용",
            "done",
            date(2024, 3, 11),
            date(2024, 4, 1),
            "A100 2주 배정",
        )
        trail = session.exec(
            select(AuditEntry.action).where(AuditEntry.entity == "SupportRequest").order_by(AuditEntry.id)
        ).all()
        assert trail == ["create", "start", "done"]


def test_a_request_can_be_declined_or_cancelled_before_it_starts(engine, world):
    with work(engine) as session:
        declined = file(session, world["first"], date(2024, 3, 4))
        cancelled = file(session, world["second"], date(2024, 3, 5))
        support.finish_support(
            session=session, request_id=declined.id, status="declined", on=date(2024, 3, 6), outcome="협력 기관 없음"
        )
        support.cancel_support(session=session, request_id=cancelled.id, on=date(2024, 3, 7))
    with Session(engine) as session:
        assert session.get(SupportRequest, declined.id).status == "declined"
        stored = session.get(SupportRequest, cancelled.id)
        assert (stored.status, stored.started_on, stored.finished_on) == ("cancelled", None, date(2024, 3, 7))


@pytest.mark.parametrize(
    "kwargs, field, words",
    [
        ({"kind": "gpu"}, "kind", "목록에 없습니다"),
        ({"description": "   "}, "description", "요청 내용을 입력하세요"),
        ({"description": "가" * 501}, "description", "500자까지"),
        ({"asked_on": date(2025, 1, 1)}, "asked_on", "오늘보다 늦습니다"),
    ],
)
def test_a_bad_request_is_refused(engine, world, kwargs, field, words):
    values = {
        "company_id": world["first"],
        "asked_on": date(2024, 3, 4),
        "kind": "demonstration",
        "description": "실증",
        **kwargs,
    }
    refusal = refused(engine, lambda s: support.file_support_request(session=s, **values))
    assert refusal.field == field and words in refusal.message


def test_no_request_is_dated_after_the_exit_unless_the_company_came_back(engine, world):
    refusal = refused(engine, lambda s: file(s, world["moved"], date(2023, 7, 15)))
    assert refusal.field == "asked_on" and "퇴거일(2023-06-30) 이후" in refusal.message
    with work(engine) as session:  # the exit day itself, and after moving in again, are fine
        file(session, world["moved"], EXIT)
        file(session, world["moved"], BACK)
        file(session, world["outsider"], date(2024, 5, 1))  # a company not yet resident may ask


def test_a_step_after_the_exit_is_refused_and_an_exit_before_a_step_is_refused(engine, world):
    with work(engine) as session:
        request = file(session, world["moved"], date(2023, 6, 1))
    refusal = refused(engine, lambda s: support.start_support(session=s, request_id=request.id, on=date(2023, 7, 3)))
    assert refusal.field == "started_on" and "퇴거일(2023-06-30) 이후" in refusal.message
    with work(engine) as session:
        support.start_support(session=session, request_id=request.id, on=date(2024, 2, 1))  # back since 2023-09-01
        stay = residency.open_residency(session, world["moved"])
    refusal = refused(
        engine,
        lambda s: exits.record_exit(
            session=s,
            company_id=world["moved"],
            exit_on=date(2024, 1, 31),
            reason=ExitReason.GRADUATED.value,
        ),
    )
    assert refusal.field == "exit_on" and "퇴거일 이후(2024-02-01)로 기록된 지원 요청" in refusal.message
    with work(engine) as session:
        assert residency.open_residency(session, world["moved"]).id == stay.id


def test_a_company_with_a_request_is_not_deleted(engine, world):
    with work(engine) as session:
        file(session, world["outsider"], date(2024, 5, 1))
    refusal = refused(engine, lambda s: companies.delete_company(session=s, company_id=world["outsider"]))
    assert "지원 요청이(가) 있어 삭제할 수 없습니다" in refusal.message


def test_the_steps_follow_the_order_of_statuses(engine, asked):
    refusal = refused(
        engine,
        lambda s: support.finish_support(
            session=s, request_id=asked, status="done", on=date(2024, 3, 5), outcome="완료"
        ),
    )
    assert refusal.field == "status" and "먼저 '진행'으로" in refusal.message
    refusal = refused(
        engine,
        lambda s: support.finish_support(
            session=s, request_id=asked, status="received", on=date(2024, 3, 5), outcome="x"
        ),
    )
    assert refusal.field == "status" and "'지원 완료'나 '반려'" in refusal.message
    with work(engine) as session:
        support.start_support(session=session, request_id=asked, on=date(2024, 3, 11))
    refusal = refused(engine, lambda s: support.start_support(session=s, request_id=asked, on=date(2024, 3, 12)))
    assert refusal.field == "status" and "이미 '진행 중'" in refusal.message
    with work(engine) as session:
        support.cancel_support(session=session, request_id=asked, on=date(2024, 3, 20), reason="자체 해결")
    for act in (
        lambda s: support.start_support(session=s, request_id=asked, on=date(2024, 3, 21)),
        lambda s: support.finish_support(
            session=s, request_id=asked, status="declined", on=date(2024, 3, 21), outcome="x"
        ),
        lambda s: support.cancel_support(session=s, request_id=asked, on=date(2024, 3, 21)),
    ):
        refusal = refused(engine, act)
        assert refusal.field == "status" and "이미 '취소'" in refusal.message


def test_each_date_is_no_earlier_than_the_step_before_and_not_after_today(engine, started):
    refusal = refused(
        engine,
        lambda s: support.finish_support(
            session=s, request_id=started, status="done", on=date(2024, 3, 10), outcome="결과"
        ),
    )
    assert refusal.field == "finished_on" and "진행 시작일(2024-03-11)보다 빠릅니다" in refusal.message
    refusal = refused(engine, lambda s: support.cancel_support(session=s, request_id=started, on=date(2025, 1, 2)))
    assert refusal.field == "finished_on" and "오늘보다 늦습니다" in refusal.message


def test_a_start_before_the_request_is_refused(engine, asked):
    refusal = refused(engine, lambda s: support.start_support(session=s, request_id=asked, on=date(2024, 3, 3)))
    assert refusal.field == "started_on" and "요청 접수일(2024-03-04)보다 빠릅니다" in refusal.message


@pytest.mark.parametrize("status, words", [("done", "지원 결과를 입력하세요"), ("declined", "반려 사유를 입력하세요")])
def test_closing_needs_what_came_of_it(engine, started, status, words):
    refusal = refused(
        engine,
        lambda s: support.finish_support(
            session=s, request_id=started, status=status, on=date(2024, 4, 1), outcome=" "
        ),
    )
    assert refusal.field == "outcome" and words in refusal.message


def test_a_step_from_an_older_list_is_refused_naming_who_saved(engine, asked):
    with work(engine) as session:
        seen = session.get(SupportRequest, asked).version
    with work(engine) as session:
        support.start_support(session=session, request_id=asked, on=date(2024, 3, 11), seen_version=seen)
    refusal = refused(
        engine, lambda s: support.cancel_support(session=s, request_id=asked, on=date(2024, 3, 12), seen_version=seen)
    )
    assert isinstance(refusal, EditConflict) and "아무것도 저장하지 않았습니다" in refusal.message


@pytest.mark.parametrize(
    "values",
    [
        {"started_on": "2024-03-01"},
        {"finished_on": "2024-03-01"},
        {"started_on": "2024-03-20", "finished_on": "2024-03-10"},
    ],
)
def test_the_database_refuses_dates_out_of_order(engine, asked, values):
    assignments = ", ".join(f"{name} = :{name}" for name in values)
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
        connection.execute(sa.text(f"UPDATE supportrequest SET {assignments} WHERE id = :id"), {**values, "id": asked})


USE_CASES = {
    "file": lambda w: (
        support.file_support_request,
        {"company_id": w["first"], "asked_on": date(2024, 3, 5), "kind": "consulting", "description": "특허 컨설팅"},
    ),
    "start": lambda w: (support.start_support, {"request_id": w["request"], "on": date(2024, 3, 6)}),
    "finish": lambda w: (
        support.finish_support,
        {"request_id": w["request"], "status": "declined", "on": date(2024, 3, 6), "outcome": "예산 소진"},
    ),
    "cancel": lambda w: (
        support.cancel_support,
        {"request_id": w["request"], "on": date(2024, 3, 6), "reason": "철회"},
    ),
}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(data=st.data())
def test_bad_input_to_any_support_use_case_is_a_domain_error(engine, world, asked, data):
    use_case, kwargs = USE_CASES[data.draw(st.sampled_from(sorted(USE_CASES)))]({**world, "request": asked})
    with Session(engine) as session:
        before = database_rows(session)
    try:
        with work(engine) as session:
            use_case(session=session, **spoiled(kwargs, data))
    except DomainError as refusal:
        assert refusal.message and "Traceback" not in refusal.message
        with Session(engine) as session:
            assert database_rows(session) == before


def test_the_log_shows_each_request_as_it_stood_on_the_day(engine, started):
    with work(engine) as session:
        support.finish_support(
            session=session, request_id=started, status="done", on=date(2024, 4, 1), outcome="연결 완료"
        )
    with Session(engine) as session:
        [before_start] = support.support_log(session, on=date(2024, 3, 5))
        [running] = support.support_log(session, on=date(2024, 3, 20))
        [closed] = support.support_log(session, on=date(2024, 6, 1))
        assert support.support_log(session, on=date(2024, 3, 3)) == []
    assert (before_start.status, before_start.started_on, before_start.age_days, before_start.is_open) == (
        "received",
        None,
        1,
        True,
    )
    assert (running.status, running.started_on, running.finished_on, running.outcome) == (
        "in_progress",
        date(2024, 3, 11),
        None,
        "",
    )
    assert (closed.status, closed.finished_on, closed.outcome, closed.age_days, closed.is_open) == (
        "done",
        date(2024, 4, 1),
        "연결 완료",
        28,
        False,
    )


def test_the_figures_of_a_small_year_by_hand(engine, world):
    with work(engine) as session:
        quick = file(session, world["first"], date(2023, 1, 10))
        slow = file(session, world["second"], date(2023, 2, 1))
        no = file(session, world["first"], date(2023, 3, 1))
        open_ = file(session, world["first"], date(2023, 12, 1), kind=SupportKind.CONSULTING)
        late = file(session, world["second"], date(2023, 11, 1), kind=SupportKind.COMPUTING)
        for request, start, end in (
            (quick, date(2023, 1, 12), date(2023, 1, 20)),
            (slow, date(2023, 2, 2), date(2023, 3, 4)),
        ):
            support.start_support(session=session, request_id=request.id, on=start)
            support.finish_support(session=session, request_id=request.id, status="done", on=end, outcome="완료함")
        support.finish_support(
            session=session, request_id=no.id, status="declined", on=date(2023, 3, 2), outcome="불가"
        )
        support.start_support(session=session, request_id=late.id, on=date(2023, 12, 1))
        support.finish_support(
            session=session, request_id=late.id, status="done", on=date(2024, 1, 15), outcome="GPU 배정"
        )
        del open_
    with Session(engine) as session:
        figures = support.support_figures(session, year=2023)
        camp = support.support_figures(session, year=2023, facility_id=world["camp"])
        following = support.support_figures(session, year=2024)
    assert figures.total == SupportCounts(
        asked=5, done=2, declined=1, cancelled=0, open_at_year_end=2, median_days_to_done=20.5
    )
    assert figures.by_kind["demonstration"] == SupportCounts(asked=3, done=2, declined=1, median_days_to_done=20.5)
    assert figures.by_kind["consulting"] == SupportCounts(asked=1, open_at_year_end=1)
    assert camp.total == SupportCounts(asked=3, done=1, declined=1, open_at_year_end=1, median_days_to_done=10)
    # Done in 2024 (asked in 2023): counted once, in the year it was done, with its 75 days.
    assert following.total == SupportCounts(asked=0, done=1, open_at_year_end=1, median_days_to_done=75)


# --- the recount: the definitions of reports/README.md, in plain SQL ---------------------------
FACILITY_OF_REQUEST = """(
    SELECT CASE WHEN r.ended_on IS NULL OR r.ended_on >= s.asked_on THEN r.facility_id END
    FROM residency r WHERE r.company_id = s.company_id AND r.move_in <= s.asked_on
    ORDER BY r.move_in DESC LIMIT 1
)"""


def recount(session: Session, year: int, facility_id: int | None) -> dict[str | None, SupportCounts]:
    """Kind (None: all) → the year's figures, counted by the database from the stored rows."""
    first, last = f"{year}-01-01", f"{year}-12-31"
    where = f"AND {FACILITY_OF_REQUEST} = :facility" if facility_id is not None else ""
    days = (
        "s.finished_on - s.asked_on"
        if session.get_bind().dialect.name == "postgresql"
        else "CAST(julianday(s.finished_on) - julianday(s.asked_on) AS INTEGER)"
    )
    counts = f"""
        SELECT s.kind,
            SUM(CASE WHEN s.asked_on BETWEEN :first AND :last THEN 1 ELSE 0 END),
            SUM(CASE WHEN s.status = 'done' AND s.finished_on BETWEEN :first AND :last THEN 1 ELSE 0 END),
            SUM(CASE WHEN s.status = 'declined' AND s.finished_on BETWEEN :first AND :last THEN 1 ELSE 0 END),
            SUM(CASE WHEN s.status = 'cancelled' AND s.finished_on BETWEEN :first AND :last THEN 1 ELSE 0 END),
            SUM(CASE WHEN s.asked_on <= :last AND (s.finished_on IS NULL OR s.finished_on > :last) THEN 1 ELSE 0 END)
        FROM supportrequest s WHERE 1 = 1 {where} GROUP BY s.kind
    """
    durations = f"""
        SELECT s.kind, {days} FROM supportrequest s
        WHERE s.status = 'done' AND s.finished_on BETWEEN :first AND :last {where}
    """
    values = {"first": first, "last": last, "facility": facility_id}
    by_kind: dict[str | None, list[int]] = {kind.value: [0] * 5 for kind in SupportKind}
    for kind, *numbers in session.execute(sa.text(counts), values):
        by_kind[kind] = [int(n or 0) for n in numbers]
    spans: dict[str | None, list[int]] = {kind.value: [] for kind in SupportKind}
    for kind, span in session.execute(sa.text(durations), values):
        spans[kind].append(int(span))
    by_kind[None] = [sum(numbers[i] for numbers in by_kind.values()) for i in range(5)]
    spans[None] = [span for kind_spans in spans.values() for span in kind_spans]
    return {
        kind: SupportCounts(*numbers, median_days_to_done=statistics.median(spans[kind]) if spans[kind] else None)
        for kind, numbers in by_kind.items()
    }


def build_history(engine, world) -> int:
    """Three years of requests of every kind and outcome, some closed in a later year; their number."""
    kinds = list(SupportKind)
    made = 0
    with work(engine) as session:
        for index in range(90):
            asked_on = date(2022, 1, 3) + timedelta(days=index * 11)
            start = asked_on + timedelta(days=index % 9)
            end = start + timedelta(days=(index * 37) % 120)
            company = [world["first"], world["second"], world["moved"], world["outsider"]][index % 4]
            if company == world["moved"] and not (end <= EXIT or asked_on >= BACK):
                company = world["first"]
            if end > TODAY:
                end = TODAY
            request = file(session, company, asked_on, kind=kinds[index % len(kinds)])
            made += 1
            outcome = index % 5
            if outcome in (1, 2):
                support.start_support(session=session, request_id=request.id, on=start)
            if outcome == 2:
                support.finish_support(session=session, request_id=request.id, status="done", on=end, outcome="결과")
            elif outcome == 3:
                support.finish_support(
                    session=session, request_id=request.id, status="declined", on=end, outcome="사유"
                )
            elif outcome == 4:
                support.cancel_support(session=session, request_id=request.id, on=end)
    return made


def test_the_figures_equal_a_recount_in_sql(engine, world):
    assert build_history(engine, world) == 90
    with Session(engine) as session:
        for year in (2021, 2022, 2023, 2024):
            for facility_id in (None, world["camp"], world["iplex"]):
                figures = support.support_figures(session, year=year, facility_id=facility_id)
                expected = recount(session, year, facility_id)
                assert figures.total == expected[None], (year, facility_id)
                assert figures.by_kind == {kind.value: expected[kind.value] for kind in SupportKind}, (
                    year,
                    facility_id,
                )
        everything = support.support_figures(session, year=2023)
        camp = support.support_figures(session, year=2023, facility_id=world["camp"])
        iplex = support.support_figures(session, year=2023, facility_id=world["iplex"])
    assert everything.total.asked > camp.total.asked + iplex.total.asked > 0  # the outsider's count only in all
    assert everything.total.done > 0 and everything.total.open_at_year_end > 0


def test_two_pcs_see_one_request_closed_once(db_url, world, asked):
    """The second PC's step from the same list waits for the first and is then refused."""
    pc_a, pc_b = make_engine(db_url), make_engine(db_url)
    try:
        with work(pc_a) as session:
            seen = session.get(SupportRequest, asked).version
            support.cancel_support(session=session, request_id=asked, on=date(2024, 3, 5), seen_version=seen)
        with pytest.raises(EditConflict), work(pc_b) as session:
            support.start_support(session=session, request_id=asked, on=date(2024, 3, 6), seen_version=seen)
    finally:
        pc_a.dispose()
        pc_b.dispose()
    with Session(pc_a) as session:
        assert session.get(SupportRequest, asked).status == SupportStatus.CANCELLED
