"""Building the monthly report: every figure from the as-of queries of `services.occupancy`.

`build_report` fills a `MonthlyReport` for a month and a facility (or all); the Dashboard
and the Reports page ask for the headline figures alone (`build_facility_summaries`, `build_summary`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from camp_manager.db.models import (
    BusinessField,
    Company,
    ExitReason,
    Facility,
    MentorField,
    RequestKind,
    RoomRequest,
)
from camp_manager.errors import DomainError
from camp_manager.i18n import current_language, tr
from camp_manager.labels import label, label_of
from camp_manager.progress import NullProgress, Progress
from camp_manager.reporting.monthly import (
    REQUEST_WATCH_DAYS,
    CapacityWatch,
    ContractWatch,
    CountRow,
    ExitTrend,
    FloorRow,
    MentoringLine,
    MentoringSection,
    MonthlyReport,
    MovementKind,
    MovementRow,
    ReportMonth,
    RequestWatch,
    RosterRow,
    Summary,
    Trend,
    TrendPoint,
    WatchList,
    figure_changes,
)
from camp_manager.services import mentoring_figures, movements, occupancy
from camp_manager.services.bizno import format_bizno
from camp_manager.services.book import among
from camp_manager.services.common import fetch, id_column, stored_id
from camp_manager.services.occupancy import CONTRACT_WATCH_DAYS

TREND_MONTHS = 12


def facility_label(session: Session, facility_id: int | None) -> str:
    """The facility's name, or '전체 시설' for all facilities together."""
    return fetch(session, Facility, facility_id, what=tr("시설")).name if facility_id is not None else tr("전체 시설")


def _combined(figures: list[occupancy.FacilityOccupancy]) -> occupancy.Tally:
    total = occupancy.Tally()
    for f in figures:
        for name in ("rooms_total", "rooms_occupied", "seats_total", "seats_used", "area_total", "area_occupied"):
            setattr(total, name, getattr(total, name) + getattr(f.total, name))
    return total


def _snapshot_day(month: ReportMonth, on: date | None) -> date:
    if on is None:
        return month.last_day
    if not month.first_day <= on <= month.last_day:
        raise DomainError(
            tr("기준일 {date}이(가) {month} 안에 있지 않습니다.", date=on, month=month.label()), field="on"
        )
    return on


@dataclass
class _Period:
    """What a month's summary is made of, as of a day of it, for a facility or all of them."""

    month: ReportMonth
    on: date
    now: list[occupancy.FacilityOccupancy]
    before: list[occupancy.FacilityOccupancy]  # on the last day of the month before
    moves: movements.Movements
    mentoring: mentoring_figures.MentoringSummary
    requests: list[tuple[RoomRequest, Company]]

    def summary(self, facility_name: str) -> Summary:
        tally = _combined(self.now)
        employees = sum(f.employees for f in self.now)
        kinds = Counter(request.kind for request, _ in self.requests)
        return Summary(
            facility_name=facility_name,
            month=self.month,
            as_of=self.on,
            residents=sum(f.residents for f in self.now),
            move_ins=len(self.moves.move_ins),
            new_move_ins=sum(not self.moves.is_re_entry(residency) for _, residency in self.moves.move_ins),
            re_entries=sum(self.moves.is_re_entry(residency) for _, residency in self.moves.move_ins),
            exits=len(self.moves.exits),
            rooms_occupied=tally.rooms_occupied,
            rooms_total=tally.rooms_total,
            occupancy_rate=tally.occupancy_rate,
            seats_used=tally.seats_used,
            seats_total=tally.seats_total,
            employees=employees,
            employees_change=employees - sum(f.employees for f in self.before),
            mentoring_sessions=self.mentoring.sessions,
            mentoring_hours=self.mentoring.minutes / 60,
            companies_reached=self.mentoring.companies_reached,
            open_waitlist=kinds[RequestKind.WAITLIST.value],
            open_expansion=kinds[RequestKind.EXPANSION.value],
        )

    def facility_summaries(self, session: Session) -> list[Summary]:
        """One summary per facility, from this period's figures; only the mentoring is asked again
        (a facility's sessions are those of its residents on the day)."""
        return [
            replace(
                self,
                now=[now],
                before=[before],
                moves=self.moves.of_facility(stored_id(now.facility)),
                mentoring=mentoring_figures.mentoring_summary(
                    session,
                    start=self.month.first_day,
                    end=self.on + timedelta(days=1),
                    facility_id=stored_id(now.facility),
                ),
                requests=[(r, c) for r, c in self.requests if r.facility_id == stored_id(now.facility)],
            ).summary(now.facility.name)
            for now, before in zip(self.now, self.before, strict=True)
        ]


def _periods(
    session: Session, *, days: list[tuple[ReportMonth, date | None]], facility_id: int | None = None
) -> list[_Period]:
    """Each (month, day of it — None: its last day)'s figures; the occupancy of every day in one set of queries."""
    checked = [(month, _snapshot_day(month, on)) for month, on in days]
    before = {month: month.first_day - timedelta(days=1) for month, _ in checked}
    figures = occupancy.occupancy_on_days(
        session, days=[on for _, on in checked] + list(before.values()), facility_id=facility_id
    )
    return [
        _Period(
            month=month,
            on=on,
            now=figures[on],
            before=figures[before[month]],
            moves=movements.movements(
                session,
                start=month.first_day,
                end=on + timedelta(days=1),
                facility_id=facility_id,
                room_changes=index == 0,  # the report lists the first period's
            ),
            mentoring=mentoring_figures.mentoring_summary(
                session, start=month.first_day, end=on + timedelta(days=1), facility_id=facility_id
            ),
            requests=occupancy.open_requests(session, on=on, facility_id=facility_id),
        )
        for index, (month, on) in enumerate(checked)
    ]


def build_summary(
    session: Session, *, month: ReportMonth, facility_id: int | None = None, on: date | None = None
) -> Summary:
    """The summary of `month` as of its last day, or month-to-date as of `on` (for the Dashboard)."""
    (period,) = _periods(session, days=[(month, on)], facility_id=facility_id)
    return period.summary(facility_label(session, facility_id))


def build_facility_summaries(session: Session, *, month: ReportMonth, on: date | None = None) -> list[Summary]:
    """`build_summary` of each facility, sharing the queries of all facilities together."""
    (period,) = _periods(session, days=[(month, on)])
    return period.facility_summaries(session)


def _residents_by_field(residents: list[occupancy.ResidentRow]) -> list[CountRow]:
    counts = Counter(row.company.field for row in residents)
    return [
        CountRow(code=code.value, label=label_of(BusinessField, code.value), count=counts[code.value])
        for code in BusinessField
        if counts[code.value]
    ]


def _floor_rows(figures: list[occupancy.FacilityOccupancy]) -> list[FloorRow]:
    rows = []

    def row(
        facility: str, floor: int | None, place: str, tally: occupancy.Tally, residents: int | None = None
    ) -> FloorRow:
        return FloorRow(
            facility=facility,
            floor=floor,
            place=place,
            rooms_total=tally.rooms_total,
            rooms_occupied=tally.rooms_occupied,
            seats_total=tally.seats_total,
            seats_used=tally.seats_used,
            area_total=tally.area_total,
            area_occupied=tally.area_occupied,
            residents=residents,
        )

    for f in figures:
        rows += [row(f.facility.name, floor, tr("{floor}층", floor=floor), tally) for floor, tally in f.floors.items()]
        rows.append(row(f.facility.name, None, tr("소계"), f.total, f.residents))
    if len(figures) > 1:
        rows.append(row(tr("전체 시설"), None, tr("합계"), _combined(figures), sum(f.residents for f in figures)))
    return rows


def _rooms_text(codes: list[str]) -> str:
    return ", ".join(codes)


def _roster(residents: list[occupancy.ResidentRow], facility_names: dict[int, str]) -> list[RosterRow]:
    return [
        RosterRow(
            no=number,
            company=row.company.name,
            representative=row.company.representative,
            biz_reg_no=format_bizno(row.company.biz_reg_no),
            field=label_of(BusinessField, row.company.field),
            facility=facility_names[row.residency.facility_id],
            rooms=_rooms_text(row.room_codes),
            seats_held=row.seats_held,
            move_in=row.residency.move_in,
            contract_end=row.contract_end,
            employees=row.employees,
        )
        for number, row in enumerate(residents, start=1)
    ]


def _movements(session: Session, moves: movements.Movements, facility_names: dict[int, str]) -> list[MovementRow]:
    room_moves = movements.room_movements(session, moves)
    first_rooms: dict[tuple[int, date], list[str]] = defaultdict(list)
    rows: list[MovementRow] = []
    for move in room_moves:
        if move.kind == movements.RoomMovementKind.ALLOCATE:
            first_rooms[(stored_id(move.company), move.allocation.start_on)].append(move.room.code)
    moved_in = set()
    for company, residency in moves.move_ins:
        moved_in.add((stored_id(company), residency.move_in))
        rows.append(
            MovementRow(
                on=residency.move_in,
                kind=MovementKind.MOVE_IN,
                kind_label=label(MovementKind.MOVE_IN),
                company=company.name,
                facility=facility_names[residency.facility_id],
                rooms=_rooms_text(first_rooms.get((stored_id(company), residency.move_in), [])),
                detail=tr("계약 만료 {date}", date=residency.contract_end) if residency.contract_end else "",
            )
        )
    for move in room_moves:
        key = (stored_id(move.company), move.allocation.start_on)
        if move.kind == movements.RoomMovementKind.ALLOCATE and key in moved_in:
            continue
        kind = MovementKind(move.kind.value)
        if kind == MovementKind.MOVE:
            assert move.previous_room is not None, "a move comes from a room"
            detail = tr("{before} → {after}", before=move.previous_room.code, after=move.room.code)
        else:
            detail = move.allocation.override_reason
        rows.append(
            MovementRow(
                on=move.allocation.start_on,
                kind=kind,
                kind_label=label(kind),
                company=move.company.name,
                facility=facility_names[move.room.facility_id],
                rooms=move.room.code,
                detail=detail,
            )
        )
    for company, exit_row in moves.exits:
        reason = label_of(ExitReason, exit_row.reason)
        rows.append(
            MovementRow(
                on=exit_row.exit_on,
                kind=MovementKind.EXIT,
                kind_label=label(MovementKind.EXIT),
                company=company.name,
                facility=facility_names[moves.exit_facilities[stored_id(exit_row)]],
                rooms="",
                detail=f"{reason} · {exit_row.destination}" if exit_row.destination else reason,
            )
        )
    order = list(MovementKind)
    return sorted(rows, key=lambda r: (r.on, order.index(r.kind), r.company))


def _reason_counts(counts: Counter[str]) -> list[CountRow]:
    return [
        CountRow(code=reason.value, label=label_of(ExitReason, reason.value), count=counts[reason.value])
        for reason in ExitReason
        if counts[reason.value]
    ]


def _mentoring(session: Session, summary: mentoring_figures.MentoringSummary) -> MentoringSection:
    fields = {stored_id(mentor): mentor.field for mentor, _, _ in summary.by_mentor}
    field_minutes: Counter[str] = Counter()
    field_sessions: Counter[str] = Counter()
    field_companies: dict[str, set[int]] = defaultdict(set)
    company_minutes: Counter[int] = Counter()
    company_sessions: Counter[int] = Counter()
    mentor_companies: dict[int, set[int]] = defaultdict(set)
    for mentor_id, company_id, minutes in summary.held:
        field = fields[mentor_id]
        field_sessions[field] += 1
        field_minutes[field] += minutes
        field_companies[field].add(company_id)
        company_sessions[company_id] += 1
        company_minutes[company_id] += minutes
        mentor_companies[mentor_id].add(company_id)
    names = dict(
        session.exec(
            select(id_column(Company), col(Company.name)).where(among(session, Company.id, company_sessions))
        ).all()
    )
    by_field = [
        MentoringLine(
            name=label_of(MentorField, code.value),
            detail="",
            sessions=field_sessions[code.value],
            hours=field_minutes[code.value] / 60,
            companies=len(field_companies[code.value]),
        )
        for code in MentorField
    ]
    by_mentor = [
        MentoringLine(
            name=mentor.name,
            detail=label_of(MentorField, mentor.field),
            sessions=sessions,
            hours=minutes / 60,
            companies=len(mentor_companies[stored_id(mentor)]),
        )
        for mentor, sessions, minutes in summary.by_mentor
    ]
    by_company = sorted(
        (
            MentoringLine(
                name=names[cid], detail="", sessions=company_sessions[cid], hours=company_minutes[cid] / 60, companies=1
            )
            for cid in company_sessions
        ),
        key=lambda line: (-line.sessions, line.name),
    )
    return MentoringSection(
        sessions=summary.sessions,
        hours=summary.minutes / 60,
        companies_reached=summary.companies_reached,
        by_field=by_field,
        by_mentor=by_mentor,
        by_company=by_company,
    )


def _watch_list(
    session: Session,
    on: date,
    facility_id: int | None,
    residents: list[occupancy.ResidentRow],
    requests: list[tuple[RoomRequest, Company]],
    facility_names: dict[int, str],
) -> WatchList:
    expansion_asked = {company.id for request, company in requests if request.kind == RequestKind.EXPANSION.value}
    over = [
        CapacityWatch(
            company=row.company.name,
            facility=facility_names[row.residency.facility_id],
            rooms=_rooms_text(row.room_codes),
            seats_held=row.seats_held,
            employees=row.employees,
            excess=row.employees - row.seats_held,
            open_request=row.company.id in expansion_asked,
        )
        for row in residents
        if row.over_capacity and row.employees is not None  # over capacity: a headcount is known
    ]
    over.sort(key=lambda w: (-w.excess, w.company))
    ending = [
        ContractWatch(
            company=row.company.name,
            facility=facility_names[row.residency.facility_id],
            rooms=_rooms_text(row.room_codes),
            contract_end=row.contract_end,
            days_left=(row.contract_end - on).days,
            alert=occupancy.contract_alert((row.contract_end - on).days),
        )
        for row in occupancy.contracts_ending_among(residents, on=on, within_days=CONTRACT_WATCH_DAYS)
        if row.contract_end is not None  # every row it gives has an end
    ]
    waiting = [
        RequestWatch(
            company=company.name,
            facility=facility_names[request.facility_id],
            kind=label_of(RequestKind, request.kind),
            requested_on=request.requested_on,
            days_waiting=(on - request.requested_on).days,
            rooms_wanted=request.rooms_wanted,
            seats_wanted=request.seats_wanted,
            note=request.note,
        )
        for request, company in requests
        if (on - request.requested_on).days > REQUEST_WATCH_DAYS
    ]
    return WatchList(over_capacity=over, contracts_ending=ending, waiting_requests=waiting)


def _trend(session: Session, on: date, facility_id: int | None, progress: Progress) -> Trend:
    progress.check_cancelled()
    progress.report(0, 1, tr("추이 계산 중…"))
    ends = occupancy.month_ends(on, TREND_MONTHS)
    by_day = occupancy.occupancy_on_days(session, days=ends, facility_id=facility_id, employees=False)
    points = []
    for month_end, figures in by_day.items():
        tally = _combined(figures)
        points.append(
            TrendPoint(
                month=ReportMonth.of(month_end),
                as_of=month_end,
                residents=sum(f.residents for f in figures),
                rooms_occupied=tally.rooms_occupied,
                rooms_total=tally.rooms_total,
            )
        )
    start = occupancy.history_start(session, facility_id=facility_id)
    years = list(range(start.year, on.year + 1)) if start else []
    full_years = [year for year in years if date(year, 12, 31) <= on]
    year_ends = sorted(occupancy.year_end_residents(session, years=full_years, facility_id=facility_id).items())
    by_year = movements.exits_by_year_and_reason(session, facility_id=facility_id, until=on)
    totals: Counter[str] = Counter()
    for counts in by_year.values():
        totals.update(counts)
    reasons = _reason_counts(totals)
    exits = ExitTrend(
        years=years,
        reasons=reasons,
        counts=[[by_year.get(year, Counter())[reason.code] for reason in reasons] for year in years],
    )
    return Trend(months=points, year_ends=year_ends, exits=exits)


def build_report(
    session: Session,
    *,
    month: ReportMonth,
    facility_id: int | None = None,
    progress: Progress | None = None,
    generated_at: datetime | None = None,
) -> MonthlyReport:
    """Every figure of the month's report for a facility (None: all facilities), as of its last day."""
    progress = progress or NullProgress()
    on = month.last_day
    facility_name = facility_label(session, facility_id)
    progress.report(0, 1, tr("입주 현황 집계 중…"))
    # The same summary as of the earlier months' last days (their history, not today's), from one
    # occupancy query set for every day.
    period, previous, year_before = _periods(
        session,
        days=[(m, None) for m in (month, month.previous(), month.year_before())],
        facility_id=facility_id,
    )
    now, moves, mentoring, requests = period.now, period.moves, period.mentoring, period.requests
    facility_names = {stored_id(f.facility): f.facility.name for f in now}
    residents = occupancy.residents_on(session, on=on, facility_id=facility_id)
    progress.check_cancelled()
    summary = period.summary(facility_name)
    changes = figure_changes(summary, previous.summary(facility_name), year_before.summary(facility_name))
    each = period.facility_summaries(session) if facility_id is None else []
    report = MonthlyReport(
        title=tr("월간 입주 현황 보고서"),
        facility_id=facility_id,
        facility_name=facility_name,
        facility_names=list(facility_names.values()),
        month=month,
        as_of=on,
        language=current_language(),
        generated_at=generated_at or datetime.now().replace(microsecond=0),
        summary=summary,
        facility_summaries=each,
        changes=changes,
        residents_by_field=_residents_by_field(residents),
        floors=_floor_rows(now),
        roster=_roster(residents, facility_names),
        movements=_movements(session, moves, facility_names),
        exits_by_reason=_reason_counts(moves.exits_by_reason()),
        mentoring=_mentoring(session, mentoring),
        watch=_watch_list(session, on, facility_id, residents, requests, facility_names),
        trend=_trend(session, on, facility_id, progress),
    )
    progress.report(1, 1, tr("집계를 마쳤습니다."))
    return report
