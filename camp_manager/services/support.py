"""Support requests (지원 요청): what companies ask the camp for besides rooms — 실증, GPU, networking,
consulting, investment matching — and what became of each.

A request moves 접수 → 진행 → 완료, or ends 반려 / 취소 on the way; each step keeps its date, no
earlier than the step before it, never after today nor after the company's exit (the exit day
itself still counts, as for every record). Each rule lives in a pure `*_problems` function that
the forms call as well. The yearly figures (`support_figures`) are defined in reports/README.md.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, col, select

from camp_manager.db.models import Company, Residency, SupportKind, SupportRequest, SupportStatus
from camp_manager.i18n import tr
from camp_manager.labels import label_of
from camp_manager.services import audit
from camp_manager.services.book import Book, load_book
from camp_manager.services.common import fetch, fetch_to_change, id_column, lock, refuse_if_any, stored_id, today
from camp_manager.services.inputs import checked_input, column_problems, dataclass_problems

# The statuses each step may start from.
_STEPS_FROM: dict[SupportStatus, frozenset[SupportStatus]] = {
    SupportStatus.IN_PROGRESS: frozenset({SupportStatus.RECEIVED}),
    SupportStatus.DONE: frozenset({SupportStatus.IN_PROGRESS}),
    SupportStatus.DECLINED: frozenset({SupportStatus.RECEIVED, SupportStatus.IN_PROGRESS}),
    SupportStatus.CANCELLED: frozenset({SupportStatus.RECEIVED, SupportStatus.IN_PROGRESS}),
}
OPEN_STATUSES = frozenset({SupportStatus.RECEIVED, SupportStatus.IN_PROGRESS})
FINISHED_STATUSES = (SupportStatus.DONE, SupportStatus.DECLINED)


@dataclass(frozen=True)
class SupportFiling:
    """A new request: `company_id` asked on `asked_on` for `kind` (a SupportKind code), described."""

    company_id: int
    asked_on: date
    kind: str
    description: str


def filing_problems(book: Book, filing: SupportFiling, *, today: date) -> dict[str, str]:
    """Field → problem of a new request; `book` holds the company's stays."""
    problems = dataclass_problems(filing)
    if problems:  # the checks below read the values as the types they should be
        return problems
    if filing.kind not in set(SupportKind):
        problems["kind"] = tr("지원 분야 '{value}'는 목록에 없습니다. 목록에서 고르세요.", value=filing.kind)
    if not filing.description.strip():
        problems["description"] = tr("요청 내용을 입력하세요 (예: 시청 교통과와 자율주행 실증).")
    if filing.asked_on > today:
        problems["asked_on"] = tr(
            "요청일({date})이 오늘보다 늦습니다. 오늘이나 그 전 날짜를 입력하세요.", date=filing.asked_on
        )
    else:
        ended = book.exit_before(filing.company_id, filing.asked_on)
        if ended is not None:
            problems["asked_on"] = _after_exit(ended)
    for name, problem in column_problems(SupportRequest, {"description": filing.description.strip()}).items():
        problems.setdefault(name, problem)
    return problems


def _after_exit(ended: date) -> str:
    return tr(
        "퇴거일({exit}) 이후 날짜로 지원 요청을 기록할 수 없습니다. {exit} 이전 날짜를 입력하거나, 다시 입주했다면 먼저 입주 처리하세요.",
        exit=ended,
    )


def _step_problems(
    book: Book,
    request: SupportRequest | SupportRow,
    *,
    to: SupportStatus,
    on: date,
    today: date,
    field: str,
    outcome: str = "",
) -> dict[str, str]:
    """Why `request` cannot move to `to` on `on`: its status, the order of its dates, the exit.

    `request` is the stored row (the use case) or the row the list shows (a form, as the user types).
    """
    status = SupportStatus(request.status)
    if status not in _STEPS_FROM[to]:
        if to == SupportStatus.DONE and status == SupportStatus.RECEIVED:
            message = tr("진행 중인 요청만 완료할 수 있습니다. 먼저 '진행'으로 바꾸세요.")
        else:
            message = tr(
                "이 요청은 이미 '{status}' 상태입니다. 목록을 새로 고치세요.", status=label_of(SupportStatus, status)
            )
        return {"status": message}
    problems: dict[str, str] = {}
    previous, previous_what = (
        (request.started_on, tr("진행 시작일"))
        if request.started_on is not None
        else (request.asked_on, tr("요청 접수일"))
    )
    if on < previous:
        problems[field] = tr(
            "날짜({date})가 {what}({previous})보다 빠릅니다. {previous} 이후 날짜를 입력하세요.",
            date=on,
            what=previous_what,
            previous=previous,
        )
    elif on > today:
        problems[field] = tr("날짜({date})가 오늘보다 늦습니다. 오늘이나 그 전 날짜를 입력하세요.", date=on)
    else:
        ended = book.exit_before(request.company_id, on)
        if ended is not None:
            problems[field] = _after_exit(ended)
    if to in FINISHED_STATUSES and not outcome.strip():
        problems["outcome"] = (
            tr("지원 결과를 입력하세요 (예: 실증 기관 연결, 보고서 제출).")
            if to == SupportStatus.DONE
            else tr("반려 사유를 입력하세요.")
        )
    for name, problem in column_problems(SupportRequest, {"outcome": _outcome_after(request, outcome)}).items():
        problems.setdefault(name, problem)
    return problems


def start_problems(book: Book, request: SupportRequest | SupportRow, *, on: date, today: date) -> dict[str, str]:
    return _step_problems(book, request, to=SupportStatus.IN_PROGRESS, on=on, today=today, field="started_on")


def finish_problems(
    book: Book, request: SupportRequest | SupportRow, *, status: str, on: date, outcome: str, today: date
) -> dict[str, str]:
    """Closing as done (완료) or declined (반려), with what came of it."""
    if status not in FINISHED_STATUSES:
        return {"status": tr("결과는 '지원 완료'나 '반려' 중에서 고르세요.")}
    return _step_problems(
        book, request, to=SupportStatus(status), on=on, today=today, field="finished_on", outcome=outcome
    )


def cancel_problems(
    book: Book, request: SupportRequest | SupportRow, *, on: date, reason: str, today: date
) -> dict[str, str]:
    """The company withdrew (취소); a reason is welcome, not required."""
    return _step_problems(
        book, request, to=SupportStatus.CANCELLED, on=on, today=today, field="finished_on", outcome=reason
    )


def _outcome_after(request: SupportRequest | SupportRow, text: str) -> str:
    """The outcome note with `text` added on a line of its own."""
    return f"{request.outcome}\n{text.strip()}".strip()


# --- use cases -----------------------------------------------------------------------------------
@checked_input
def file_support_request(
    *, session: Session, company_id: int, asked_on: date, kind: str, description: str
) -> SupportRequest:
    # The company is locked first, as an exit does, so an exit cannot pass its check meanwhile.
    lock(session, fetch(session, Company, company_id, what=tr("입주기업")))
    filing = SupportFiling(company_id=company_id, asked_on=asked_on, kind=kind, description=description)
    refuse_if_any(filing_problems(load_book(session, company_ids=[company_id]), filing, today=today(session)))
    request = SupportRequest(company_id=company_id, asked_on=asked_on, kind=kind, description=description.strip())
    audit.record(session, action="create", row=request)
    return request


def _to_change(session: Session, request_id: int, seen_version: int | None) -> tuple[SupportRequest, Book]:
    """The request, locked (its company first, as everywhere), and the book of its company's stays."""
    request = fetch(session, SupportRequest, request_id, what=tr("지원 요청"))
    lock(session, fetch(session, Company, request.company_id, what=tr("입주기업")))
    request = fetch_to_change(session, SupportRequest, request_id, what=tr("지원 요청"), seen_version=seen_version)
    return request, load_book(session, company_ids=[request.company_id])


def _apply(
    session: Session, request: SupportRequest, *, to: SupportStatus, on: date, note: str, action: str
) -> SupportRequest:
    before = audit.snapshot(request)
    request.status = to.value
    if to == SupportStatus.IN_PROGRESS:
        request.started_on = on
    else:
        request.finished_on = on
    request.outcome = _outcome_after(request, note)
    audit.record(session, action=action, row=request, before=before)
    return request


@checked_input
def start_support(*, session: Session, request_id: int, on: date, seen_version: int | None = None) -> SupportRequest:
    """접수 → 진행 on `on`."""
    request, book = _to_change(session, request_id, seen_version)
    refuse_if_any(start_problems(book, request, on=on, today=today(session)))
    return _apply(session, request, to=SupportStatus.IN_PROGRESS, on=on, note="", action="start")


@checked_input
def finish_support(
    *, session: Session, request_id: int, status: str, on: date, outcome: str, seen_version: int | None = None
) -> SupportRequest:
    """진행 → 완료 (`status` done), or 접수/진행 → 반려 (declined), on `on`, with the outcome or the reason."""
    request, book = _to_change(session, request_id, seen_version)
    refuse_if_any(finish_problems(book, request, status=status, on=on, outcome=outcome, today=today(session)))
    return _apply(session, request, to=SupportStatus(status), on=on, note=outcome, action=status)


@checked_input
def cancel_support(
    *, session: Session, request_id: int, on: date, reason: str = "", seen_version: int | None = None
) -> SupportRequest:
    """접수/진행 → 취소 on `on`: the company no longer wants it."""
    request, book = _to_change(session, request_id, seen_version)
    refuse_if_any(cancel_problems(book, request, on=on, reason=reason, today=today(session)))
    return _apply(session, request, to=SupportStatus.CANCELLED, on=on, note=reason, action="cancel")


# --- queries -------------------------------------------------------------------------------------
def _facilities_by_day(session: Session, company_ids: set[int]) -> dict[int, list[tuple[date, date | None, int]]]:
    """Each company's stays (move-in, end, facility), latest move-in first."""
    stays: dict[int, list[tuple[date, date | None, int]]] = defaultdict(list)
    if company_ids:
        rows = session.execute(
            sa.select(
                col(Residency.company_id), col(Residency.move_in), col(Residency.ended_on), col(Residency.facility_id)
            ).order_by(col(Residency.move_in).desc())
        )
        for company_id, move_in, ended_on, facility_id in rows:
            if company_id in company_ids:
                stays[company_id].append((move_in, ended_on, facility_id))
    return stays


def _facility_on(stays: list[tuple[date, date | None, int]], day: date) -> int | None:
    """The facility a request asked on `day` counts for: that of the company's latest stay begun by
    `day`, unless the stay had ended before it (the exit day itself still belongs to the stay)."""
    for move_in, ended_on, facility_id in stays:
        if move_in <= day:
            return facility_id if ended_on is None or ended_on >= day else None
    return None


@dataclass(frozen=True, slots=True)
class SupportRow:
    request_id: int
    company_id: int
    company_name: str
    facility_id: int | None  # see `_facility_on`; None for a company not resident when it asked
    kind: str
    description: str
    asked_on: date
    status: str  # as it stood on the day asked about
    started_on: date | None
    finished_on: date | None
    outcome: str
    age_days: int  # days open so far, or days from asked to closed
    version: int  # the request's saves so far: a step from an older list is refused

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


def support_log(session: Session, *, on: date) -> list[SupportRow]:
    """Every request asked by `on`, with its status on `on` (a later step is not yet taken), oldest first."""
    rows = session.exec(
        select(SupportRequest, col(Company.name))
        .join(Company, id_column(Company) == col(SupportRequest.company_id))
        .where(col(SupportRequest.asked_on) <= on)
        .order_by(col(SupportRequest.asked_on), id_column(SupportRequest))
    ).all()
    stays = _facilities_by_day(session, {request.company_id for request, _ in rows})
    result = []
    for request, company_name in rows:
        started = request.started_on if request.started_on is not None and request.started_on <= on else None
        finished = request.finished_on if request.finished_on is not None and request.finished_on <= on else None
        if finished is not None:
            status = request.status
        else:
            status = (SupportStatus.IN_PROGRESS if started is not None else SupportStatus.RECEIVED).value
        result.append(
            SupportRow(
                request_id=stored_id(request),
                company_id=request.company_id,
                company_name=company_name,
                facility_id=_facility_on(stays[request.company_id], request.asked_on),
                kind=request.kind,
                description=request.description,
                asked_on=request.asked_on,
                status=status,
                started_on=started,
                finished_on=finished,
                outcome=request.outcome if finished is not None else "",
                age_days=((finished or on) - request.asked_on).days,
                version=request.version,
            )
        )
    return result


@dataclass(frozen=True)
class SupportCounts:
    """One year's figures; their definitions are in reports/README.md (Support requests)."""

    asked: int = 0
    done: int = 0
    declined: int = 0
    cancelled: int = 0
    open_at_year_end: int = 0
    median_days_to_done: float | None = None


@dataclass(frozen=True)
class SupportFigures:
    year: int
    facility_id: int | None
    total: SupportCounts
    by_kind: dict[str, SupportCounts]  # every SupportKind code, in the list's order


def _counts(requests: list[SupportRequest], *, first: date, last: date) -> SupportCounts:
    closed_in_year = [r for r in requests if r.finished_on is not None and first <= r.finished_on <= last]

    def closed(status: SupportStatus) -> list[SupportRequest]:
        return [r for r in closed_in_year if r.status == status]

    done = closed(SupportStatus.DONE)
    return SupportCounts(
        asked=sum(1 for r in requests if first <= r.asked_on <= last),
        done=len(done),
        declined=len(closed(SupportStatus.DECLINED)),
        cancelled=len(closed(SupportStatus.CANCELLED)),
        open_at_year_end=sum(
            1 for r in requests if r.asked_on <= last and (r.finished_on is None or r.finished_on > last)
        ),
        median_days_to_done=statistics.median(_days_to_done(r) for r in done) if done else None,
    )


def _days_to_done(request: SupportRequest) -> int:
    assert request.finished_on is not None  # only closed requests are counted
    return (request.finished_on - request.asked_on).days


def support_figures(session: Session, *, year: int, facility_id: int | None = None) -> SupportFigures:
    """The year's figures, for one facility (see `_facility_on`) or all, in total and per kind."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    # Every request that a figure of the year can count: asked by its end and not closed before it began.
    requests = list(
        session.exec(
            select(SupportRequest).where(
                col(SupportRequest.asked_on) <= last,
                sa.or_(col(SupportRequest.finished_on).is_(None), col(SupportRequest.finished_on) >= first),
            )
        )
    )
    if facility_id is not None:
        stays = _facilities_by_day(session, {r.company_id for r in requests})
        requests = [r for r in requests if _facility_on(stays[r.company_id], r.asked_on) == facility_id]
    return SupportFigures(
        year=year,
        facility_id=facility_id,
        total=_counts(requests, first=first, last=last),
        by_kind={
            kind.value: _counts([r for r in requests if r.kind == kind], first=first, last=last) for kind in SupportKind
        },
    )
