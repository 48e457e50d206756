"""The monthly occupancy report (월간 입주 현황 보고서) as one plain object: its data classes.

`reporting.build` fills them from the as-of queries; the PDF and Excel renderers, the
Reports page and the Dashboard only lay them out, so a figure is the same wherever it
appears. Every figure's definition is written down in reports/README.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from camp_manager.errors import DomainError
from camp_manager.i18n import tr

REQUEST_WATCH_DAYS = 30


@dataclass(frozen=True, order=True)
class ReportMonth:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> ReportMonth:
        match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text or "")
        if match is None or not 1 <= int(match[2]) <= 12:
            raise DomainError(
                tr("월 '{value}'를 읽을 수 없습니다. YYYY-MM 형식으로 입력하세요(예: 2026-10).", value=text),
                field="month",
            )
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def of(cls, day: date) -> ReportMonth:
        return cls(day.year, day.month)

    @classmethod
    def before(cls, day: date) -> ReportMonth:
        """The month before the one `day` falls in (the default month of a report)."""
        return cls.of(day).previous()

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def end(self) -> date:
        """The first day of the next month: the month is [first_day, end)."""
        return date(self.year + (self.month == 12), self.month % 12 + 1, 1)

    @property
    def last_day(self) -> date:
        """The snapshot date of the month's report."""
        return self.end - timedelta(days=1)

    def previous(self) -> ReportMonth:
        return ReportMonth(self.year - 1, 12) if self.month == 1 else ReportMonth(self.year, self.month - 1)

    def year_before(self) -> ReportMonth:
        return ReportMonth(self.year - 1, self.month)

    def label(self) -> str:
        return tr("{year}년 {month}월", year=self.year, month=self.month)

    def label_short(self) -> str:
        """For chart axes: 26.10."""
        return f"{self.year % 100:02d}.{self.month:02d}"

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


class FigureKind(StrEnum):
    COUNT = "count"
    PERCENT = "percent"  # a rate 0..1, shown as a percentage with one decimal
    HOURS = "hours"
    CHANGE = "change"  # a signed difference
    POINTS = "points"  # a signed difference of two rates, in percentage points


def format_figure(value: int | float, kind: FigureKind) -> str:
    """The one way a figure is written as text (PDF, preview, Dashboard)."""
    if kind == FigureKind.PERCENT:
        return f"{value * 100:.1f}%"
    if kind == FigureKind.HOURS:
        return f"{value:,.1f}"
    if kind == FigureKind.CHANGE:
        return f"{value:+,}"
    if kind == FigureKind.POINTS:
        return f"{value * 100:+.1f}%p"
    return f"{value:,}"


def header_case(text: str) -> str:
    """A column header starts with a capital (the shared catalogue has lower-case nouns, e.g. 'company name')."""
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: int | float
    kind: FigureKind

    @property
    def text(self) -> str:
        return format_figure(self.value, self.kind)


@dataclass(frozen=True)
class Summary:
    """The headline figures of a month for a facility (or all), as of the snapshot date."""

    facility_name: str
    month: ReportMonth
    as_of: date
    residents: int
    move_ins: int
    new_move_ins: int
    re_entries: int
    exits: int
    rooms_occupied: int
    rooms_total: int
    occupancy_rate: float
    seats_used: int
    seats_total: int
    employees: int
    employees_change: int
    mentoring_sessions: int
    mentoring_hours: float
    companies_reached: int
    open_waitlist: int
    open_expansion: int

    def figures(self) -> list[Figure]:
        """The figures in report order, each with its translated label."""
        rows = [
            ("residents", tr("입주기업 수"), FigureKind.COUNT),
            ("move_ins", tr("이달 입주"), FigureKind.COUNT),
            ("new_move_ins", tr("신규 입주"), FigureKind.COUNT),
            ("re_entries", tr("재입주"), FigureKind.COUNT),
            ("exits", tr("이달 퇴거"), FigureKind.COUNT),
            ("rooms_occupied", tr("사용 중인 사무실"), FigureKind.COUNT),
            ("rooms_total", tr("전체 사무실"), FigureKind.COUNT),
            ("occupancy_rate", tr("사무실 입주율"), FigureKind.PERCENT),
            ("seats_used", tr("사용 중인 공유 좌석"), FigureKind.COUNT),
            ("seats_total", tr("전체 공유 좌석"), FigureKind.COUNT),
            ("employees", tr("상시 고용인원"), FigureKind.COUNT),
            ("employees_change", tr("고용인원 전월 대비"), FigureKind.CHANGE),
            ("mentoring_sessions", tr("멘토링 횟수"), FigureKind.COUNT),
            ("mentoring_hours", tr("멘토링 시간"), FigureKind.HOURS),
            ("companies_reached", tr("멘토링 참여 기업"), FigureKind.COUNT),
            ("open_waitlist", tr("입주 대기 신청"), FigureKind.COUNT),
            ("open_expansion", tr("확장 신청"), FigureKind.COUNT),
        ]
        return [Figure(key, label, getattr(self, key), kind) for key, label, kind in rows]


CHANGE_KEYS = ("residents", "occupancy_rate", "move_ins", "exits")


@dataclass(frozen=True)
class FigureChange:
    """A headline figure beside the same figure of the previous month and of the same month a year before."""

    figure: Figure
    previous_month: int | float
    last_year: int | float

    @property
    def change_kind(self) -> FigureKind:
        return FigureKind.POINTS if self.figure.kind == FigureKind.PERCENT else FigureKind.CHANGE

    def values(self) -> list[tuple[int | float, FigureKind]]:
        """This month, previous month, change, same month last year, change — each with its kind."""
        kind, change = self.figure.kind, self.change_kind
        return [
            (self.figure.value, kind),
            (self.previous_month, kind),
            (self.month_change, change),
            (self.last_year, kind),
            (self.year_change, change),
        ]

    @property
    def month_change(self) -> int | float:
        return self.figure.value - self.previous_month

    @property
    def year_change(self) -> int | float:
        return self.figure.value - self.last_year


def change_headers() -> list[str]:
    """The columns of a `FigureChange` after its label, in the PDF and the workbook."""
    return [tr("이번 달"), tr("전월"), tr("전월 대비"), tr("전년 동월"), tr("전년 동월 대비")]


def figure_changes(now: Summary, previous_month: Summary, last_year: Summary) -> list[FigureChange]:
    figures = {f.key: f for f in now.figures()}
    before = {f.key: f.value for f in previous_month.figures()}
    year_ago = {f.key: f.value for f in last_year.figures()}
    return [
        FigureChange(figure=figures[key], previous_month=before[key], last_year=year_ago[key]) for key in CHANGE_KEYS
    ]


@dataclass(frozen=True)
class FloorRow:
    """Rooms and seats of one floor; `floor` None is a facility's total (or all facilities' total)."""

    facility: str
    floor: int | None
    place: str
    rooms_total: int
    rooms_occupied: int
    seats_total: int
    seats_used: int
    area_total: float
    area_occupied: float
    residents: int | None = None

    @property
    def occupancy_rate(self) -> float:
        return self.rooms_occupied / self.rooms_total if self.rooms_total else 0.0

    @property
    def is_total(self) -> bool:
        return self.floor is None


@dataclass(frozen=True)
class RosterRow:
    no: int
    company: str
    representative: str
    biz_reg_no: str  # shown as 123-45-67890
    field: str
    facility: str
    rooms: str
    seats_held: int
    move_in: date
    contract_end: date | None
    employees: int | None


class MovementKind(StrEnum):
    MOVE_IN = "move_in"
    ALLOCATE = "allocate"
    MOVE = "move"
    EXPAND = "expand"
    EXIT = "exit"


@dataclass(frozen=True)
class MovementRow:
    on: date
    kind: MovementKind
    kind_label: str
    company: str
    facility: str
    rooms: str
    detail: str


@dataclass(frozen=True)
class CountRow:
    """A labelled count, e.g. exits of one reason."""

    code: str
    label: str
    count: int


@dataclass(frozen=True)
class MentoringLine:
    """Sessions, hours and companies of a field, a mentor or a company."""

    name: str
    detail: str
    sessions: int
    hours: float
    companies: int


@dataclass(frozen=True)
class MentoringSection:
    sessions: int
    hours: float
    companies_reached: int
    by_field: list[MentoringLine]
    by_mentor: list[MentoringLine]
    by_company: list[MentoringLine]


def contract_alert_label(alert: int | None) -> str:
    """The mark of a contract's alert level (the same in the PDF, the workbook and the Dashboard)."""
    return tr("{days}일 이내", days=alert) if alert is not None else ""


@dataclass(frozen=True)
class CapacityWatch:
    company: str
    facility: str
    rooms: str
    seats_held: int
    employees: int
    excess: int
    open_request: bool


@dataclass(frozen=True)
class ContractWatch:
    company: str
    facility: str
    rooms: str
    contract_end: date
    days_left: int
    alert: int | None  # 30 or 60: ends within that many days; None: further off

    @property
    def alert_label(self) -> str:
        return contract_alert_label(self.alert)


@dataclass(frozen=True)
class RequestWatch:
    company: str
    facility: str
    kind: str
    requested_on: date
    days_waiting: int
    rooms_wanted: int
    seats_wanted: int
    note: str


@dataclass(frozen=True)
class WatchList:
    over_capacity: list[CapacityWatch]
    contracts_ending: list[ContractWatch]
    waiting_requests: list[RequestWatch]


@dataclass(frozen=True)
class TrendPoint:
    month: ReportMonth
    as_of: date
    residents: int
    rooms_occupied: int
    rooms_total: int

    @property
    def occupancy_rate(self) -> float:
        return self.rooms_occupied / self.rooms_total if self.rooms_total else 0.0


@dataclass(frozen=True)
class ExitTrend:
    """Exits per year (rows) and reason (columns), up to the snapshot date."""

    years: list[int]
    reasons: list[CountRow]  # each reason with its total over the years
    counts: list[list[int]]

    def year_total(self, index: int) -> int:
        return sum(self.counts[index])


@dataclass(frozen=True)
class Trend:
    months: list[TrendPoint]
    year_ends: list[tuple[int, int]]  # year, residents on 31 December
    exits: ExitTrend


@dataclass(frozen=True)
class MonthlyReport:
    title: str
    facility_id: int | None
    facility_name: str
    facility_names: list[str]
    month: ReportMonth
    as_of: date
    language: str
    generated_at: datetime
    summary: Summary
    facility_summaries: list[Summary]  # of each facility, in a report on all facilities; else empty
    changes: list[FigureChange]
    residents_by_field: list[CountRow]
    floors: list[FloorRow]
    roster: list[RosterRow]
    movements: list[MovementRow]
    exits_by_reason: list[CountRow]
    mentoring: MentoringSection
    watch: WatchList
    trend: Trend = field(repr=False)

    @property
    def all_facilities(self) -> bool:
        return self.facility_id is None

    def file_stem(self) -> str:
        """A file name without extension, e.g. 월간입주현황_AI_창업캠프_2026-10."""
        return re.sub(r"[^\w-]+", "_", f"{tr('월간입주현황')}_{self.facility_name}_{self.month}").strip("_")
