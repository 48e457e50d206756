"""The tables of Camp Manager (SQLModel, portable between SQLite and PostgreSQL).

Enumerations are stored as short English codes in VARCHAR columns rather than as
database ENUM types: adding a value then needs no migration on PostgreSQL, and
the Korean/English labels live in `camp_manager.labels`.

The database holds the rules of the data too (named CHECK constraints, a partial unique
index, an exclusion constraint on PostgreSQL and a trigger doing the same on SQLite, made by
the migration `0002_constraints`), so a write that bypasses the use cases is refused.
`camp_manager.services.refusals` turns such a refusal into the use case's message.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import declared_attr
from sqlmodel import JSON, Column, Field, SQLModel, col

# Named constraints let Alembic's batch mode (SQLite) rebuild tables reliably.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> datetime:
    return datetime.now(UTC)


class RoomKind(StrEnum):
    PRIVATE_OFFICE = "private_office"
    SHARED_ZONE = "shared_zone"
    MEETING_ROOM = "meeting_room"


class BusinessField(StrEnum):
    """A company's business field (분야)."""

    BIGDATA = "bigdata"
    HEALTHCARE = "healthcare"
    ENERGY = "energy"
    CONTENT = "content"
    PLATFORM = "platform"
    SECURITY = "security"
    AUTOMOTIVE = "automotive"
    MANUFACTURING = "manufacturing"
    EDUCATION = "education"
    FINTECH = "fintech"
    OTHER = "other"


class MentorField(StrEnum):
    """The four fields of the mentor pool."""

    TECHNOLOGY = "technology"
    BUSINESS = "business"
    FINANCE = "finance"
    MARKETING = "marketing"


class RequestKind(StrEnum):
    WAITLIST = "waitlist"
    EXPANSION = "expansion"


class RequestStatus(StrEnum):
    OPEN = "open"
    APPROVED = "approved"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class SessionMode(StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"


class SessionStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class ExitReason(StrEnum):
    GRADUATED = "graduated"
    RELOCATED_CAPITAL = "relocated_capital"
    RELOCATED_OTHER = "relocated_other"
    CLOSED = "closed"
    SUSPENDED = "suspended"
    LACK_OF_SPACE = "lack_of_space"
    CONTRACT_ENDED = "contract_ended"
    TERMINATED = "terminated"
    OTHER = "other"


def one_of(column: str, codes: type[StrEnum]) -> sa.CheckConstraint:
    """CHECK that `column` holds one of the codes of `codes` (named ck_<table>_<column>_known)."""
    listed = ", ".join(f"'{code.value}'" for code in codes)
    return sa.CheckConstraint(f"{column} IN ({listed})", name=f"{column}_known")


def not_before(end: str, start: str) -> sa.CheckConstraint:
    """CHECK that the date `end` (when known) is not before `start` (named ck_<table>_<end>_not_before_<start>)."""
    return sa.CheckConstraint(f"{end} IS NULL OR {end} >= {start}", name=f"{end}_not_before_{start}")


def at_least(column: str, minimum: int) -> sa.CheckConstraint:
    """CHECK that `column` is `minimum` or more (named ck_<table>_<column>_at_least_<minimum>)."""
    return sa.CheckConstraint(f"{column} >= {minimum}", name=f"{column}_at_least_{minimum}")


MAX_SESSION_MINUTES = 24 * 60  # a mentoring session lasts a day at most

# Raised by the database for two overlapping allocations of one private office: the name of
# the exclusion constraint on PostgreSQL and the message of the trigger on SQLite.
OFFICE_ONCE = "ex_allocation_office_once"
# The partial unique index that allows one open residency per company.
ONE_OPEN_RESIDENCY = "uq_residency_one_open_per_company"


def range_covers(start: date, end: date | None, day: date) -> bool:
    """Whether [start, end) holds `day`: the end is the first day outside, an open end runs on."""
    return start <= day and (end is None or end > day)


def room_in_use_on(retired_on: date | None, day: date) -> bool:
    """Whether a room retired on `retired_on` (None: never) still counts on `day`."""
    return retired_on is None or retired_on > day


def ranges_overlap(start: date, end: date | None, other_start: date, other_end: date | None) -> bool:
    """Whether [start, end) and [other_start, other_end) share a day; an open end runs on, an empty range shares none."""
    if start == end or other_start == other_end:
        return False
    return (other_end is None or start < other_end) and (end is None or end > other_start)


class DateSpan:
    """A row that is a date range [start, end): `covers(day)` and `overlaps(start, end)`,
    the same test in Python (`row.covers(day)`) and in SQL (`select(...).where(Model.covers(day))`).

    `day`, `start` and `end` may be dates or columns (a correlated test, e.g. a session's day).
    """

    _span: ClassVar[tuple[str, str]]  # the names of the start and end columns

    @hybrid_method
    def covers(self, day: date) -> bool:
        start, end = (getattr(self, name) for name in self._span)
        return range_covers(start, end, day)

    @covers.expression  # type: ignore[no-redef]
    def covers(cls, day: date | sa.ColumnElement[date]) -> sa.ColumnElement[bool]:
        start, end = (getattr(cls, name) for name in cls._span)
        return sa.and_(start <= day, sa.or_(end.is_(None), end > day))

    @hybrid_method
    def overlaps(self, start: date, end: date | None) -> bool:
        mine = (getattr(self, name) for name in self._span)
        return ranges_overlap(*mine, start, end)

    @overlaps.expression  # type: ignore[no-redef]
    def overlaps(
        cls, start: date | sa.ColumnElement[date], end: date | sa.ColumnElement[date | None] | None
    ) -> sa.ColumnElement[bool]:
        own_start, own_end = (getattr(cls, name) for name in cls._span)
        conditions = [sa.or_(own_end.is_(None), own_end > start), sa.or_(own_end.is_(None), own_end > own_start)]
        if isinstance(end, date):
            if end == start:
                return sa.false()
            conditions.append(own_start < end)
        elif end is not None:
            conditions += [sa.or_(end.is_(None), own_start < end), sa.or_(end.is_(None), end > start)]
        return sa.and_(*conditions)


class Versioned:
    """A record two managers may edit: `version` counts its saves.

    SQLAlchemy adds `WHERE version = <the one read>` to every UPDATE and raises if another
    PC saved in between; the use cases also refuse a save over a version newer than the one
    the user's form was filled from (`services.common.fetch_to_change`).
    """

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]  # set by SQLModel's metaclass


def _version() -> Any:
    return Field(default=1, sa_column=Column(sa.Integer, nullable=False, server_default="1"))


def _code(length: int, default: str | None = None, index: bool = False) -> Any:
    """A VARCHAR code column, NOT NULL, optionally with a server default."""
    return Field(
        sa_column=Column(
            sa.String(length),
            nullable=False,
            index=index,
            server_default=default,
        ),
        default=default,
    )


class Facility(Versioned, SQLModel, table=True):
    __table_args__ = (at_least("max_rooms_per_company", 1),)

    id: int | None = Field(default=None, primary_key=True)
    version: int = _version()
    name: str = Field(sa_column=Column(sa.String(100), nullable=False, unique=True))
    address: str = Field(default="", sa_column=Column(sa.String(200), nullable=False, server_default=""))
    max_rooms_per_company: int = Field(default=1, sa_column=Column(sa.Integer, nullable=False, server_default="1"))


class Room(Versioned, SQLModel, table=True):
    __table_args__ = (
        sa.UniqueConstraint("facility_id", "code"),
        # What an allocation's (room_id, room_kind) refers to, so it always knows its room's kind.
        sa.UniqueConstraint("id", "kind"),
        one_of("kind", RoomKind),
        at_least("seats", 0),
        sa.CheckConstraint("area_m2 >= 0", name="area_m2_at_least_0"),
        sa.CheckConstraint(
            f"kind <> '{RoomKind.SHARED_ZONE.value}' OR seats >= 1", name="shared_zone_seats_at_least_1"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    version: int = _version()
    facility_id: int = Field(foreign_key="facility.id", index=True)
    floor: int
    code: str = Field(sa_column=Column(sa.String(30), nullable=False))
    kind: str = _code(20, RoomKind.PRIVATE_OFFICE.value)
    seats: int = Field(default=0)
    area_m2: float = Field(default=0.0)
    # The day a room stopped counting (None: in use); keeps past occupancy stable.
    retired_on: date | None = None

    @hybrid_method
    def in_use_on(self, day: date) -> bool:
        return room_in_use_on(self.retired_on, day)

    @in_use_on.expression  # type: ignore[no-redef]
    def in_use_on(cls, day: date | sa.ColumnElement[date]) -> sa.ColumnElement[bool]:
        return sa.or_(col(cls.retired_on).is_(None), col(cls.retired_on) > day)

    model_config = {"ignored_types": (hybrid_method,)}


class Company(Versioned, SQLModel, table=True):
    __table_args__ = (
        one_of("field", BusinessField),
        sa.CheckConstraint("length(biz_reg_no) = 10", name="biz_reg_no_10_digits"),
        at_least("investment_krw", 0),
    )

    id: int | None = Field(default=None, primary_key=True)
    version: int = _version()
    name: str = Field(sa_column=Column(sa.String(200), nullable=False, index=True))
    biz_reg_no: str = Field(sa_column=Column(sa.String(10), nullable=False, unique=True))
    representative: str = Field(default="", sa_column=Column(sa.String(100), nullable=False, server_default=""))
    field: str = _code(20, BusinessField.OTHER.value)
    founded_on: date | None = None
    phone: str = Field(default="", sa_column=Column(sa.String(50), nullable=False, server_default=""))
    email: str = Field(default="", sa_column=Column(sa.String(200), nullable=False, server_default=""))
    investment_krw: int = Field(default=0, sa_column=Column(sa.BigInteger, nullable=False, server_default="0"))
    mou_on: date | None = None
    notes: str = Field(default="", sa_column=Column(sa.Text, nullable=False, server_default=""))


class HeadcountRecord(Versioned, SQLModel, table=True):
    __table_args__ = (
        sa.UniqueConstraint("company_id", "as_of"),
        at_least("employees", 0),
        sa.CheckConstraint("total_employees IS NULL OR total_employees >= employees", name="total_not_below_regular"),
    )

    id: int | None = Field(default=None, primary_key=True)
    version: int = _version()
    company_id: int = Field(foreign_key="company.id", index=True)
    as_of: date
    employees: int  # regular employees (상시 고용)
    # Everyone on the payroll, regular or not (None: not reported); never fewer than the regular ones.
    total_employees: int | None = None


class Residency(DateSpan, Versioned, SQLModel, table=True):
    """A stay of a company in a facility: [move_in, ended_on)."""

    _span = ("move_in", "ended_on")
    __table_args__ = (
        sa.Index("ix_residency_dates", "facility_id", "move_in", "ended_on"),
        sa.Index(
            ONE_OPEN_RESIDENCY,
            "company_id",
            unique=True,
            sqlite_where=sa.text("ended_on IS NULL"),
            postgresql_where=sa.text("ended_on IS NULL"),
        ),
        # What an exit's (residency_id, exit_on) refers to: the exit day is the day the stay ended.
        sa.UniqueConstraint("id", "ended_on"),
        not_before("ended_on", "move_in"),
        not_before("contract_end", "move_in"),
    )

    id: int | None = Field(default=None, primary_key=True)
    version: int = _version()
    company_id: int = Field(foreign_key="company.id", index=True)
    facility_id: int = Field(foreign_key="facility.id")
    move_in: date
    contract_end: date | None = None
    ended_on: date | None = None


class ContractExtension(SQLModel, table=True):
    """Each extension keeps the contract end it replaced."""

    __table_args__ = (
        sa.CheckConstraint("previous_end IS NULL OR new_end > previous_end", name="new_end_after_previous_end"),
    )

    id: int | None = Field(default=None, primary_key=True)
    residency_id: int = Field(foreign_key="residency.id", index=True)
    extended_on: date
    previous_end: date | None = None
    new_end: date
    note: str = Field(default="", sa_column=Column(sa.Text, nullable=False, server_default=""))


class ContractRenewal(DateSpan, Versioned, SQLModel, table=True):
    """A renewal in progress (재계약 진행): from `started_on` until the contract is extended or the
    renewal is dropped (`finished_on`). While it runs, the company is off the "contracts ending" list."""

    _span = ("started_on", "finished_on")
    __table_args__ = (not_before("finished_on", "started_on"),)

    id: int | None = Field(default=None, primary_key=True)
    version: int = _version()
    residency_id: int = Field(foreign_key="residency.id", index=True)
    started_on: date
    finished_on: date | None = None
    note: str = Field(default="", sa_column=Column(sa.Text, nullable=False, server_default=""))

    model_config = {"ignored_types": (hybrid_method,)}


class Allocation(DateSpan, Versioned, SQLModel, table=True):
    """A company's hold on a room: [start_on, end_on); an open end means 'still there'."""

    _span = ("start_on", "end_on")
    __table_args__ = (
        sa.Index("ix_allocation_room_dates", "room_id", "start_on", "end_on"),
        sa.Index("ix_allocation_company_dates", "company_id", "start_on", "end_on"),
        sa.ForeignKeyConstraint(["room_id", "room_kind"], ["room.id", "room.kind"], onupdate="CASCADE"),
        not_before("end_on", "start_on"),
        at_least("seats", 0),
        sa.CheckConstraint(
            f"room_kind <> '{RoomKind.SHARED_ZONE.value}' OR seats >= 1", name="shared_zone_seats_at_least_1"
        ),
        sa.CheckConstraint(f"room_kind <> '{RoomKind.MEETING_ROOM.value}'", name="not_a_meeting_room"),
        # SQLite has no exclusion constraint: the migration adds a trigger raising OFFICE_ONCE instead.
        postgresql.ExcludeConstraint(
            (sa.column("room_id"), "="),
            (sa.func.daterange(sa.column("start_on"), sa.column("end_on")), "&&"),
            name=OFFICE_ONCE,
            using="gist",
            where=sa.text(f"room_kind = '{RoomKind.PRIVATE_OFFICE.value}'"),
        ).ddl_if(dialect="postgresql"),
    )

    id: int | None = Field(default=None, primary_key=True)
    version: int = _version()
    company_id: int = Field(foreign_key="company.id")
    room_id: int
    # The room's kind, kept equal to it by the foreign key (room_id, room_kind) → room (id, kind):
    # what the exclusion constraint needs to hold private offices only.
    room_kind: str = _code(20, RoomKind.PRIVATE_OFFICE.value)
    start_on: date
    end_on: date | None = None
    # Seats taken in a shared zone; for a private office, the room's seats.
    seats: int = Field(default=0, sa_column=Column(sa.Integer, nullable=False, server_default="0"))
    override_reason: str = Field(default="", sa_column=Column(sa.Text, nullable=False, server_default=""))


# The all-facility as-of queries (end IS NULL OR end > day, start <= day): migration 0004_indexes.
sa.Index("ix_residency_period", col(Residency.ended_on), col(Residency.move_in))
sa.Index("ix_allocation_period", col(Allocation.end_on), col(Allocation.start_on))


class RoomRequest(Versioned, SQLModel, table=True):
    __table_args__ = (
        one_of("kind", RequestKind),
        one_of("status", RequestStatus),
        at_least("rooms_wanted", 0),
        at_least("seats_wanted", 0),
        sa.CheckConstraint("rooms_wanted + seats_wanted >= 1", name="something_wanted"),
        not_before("decided_on", "requested_on"),
        sa.CheckConstraint(
            f"(status = '{RequestStatus.OPEN.value}') = (decided_on IS NULL)", name="decided_unless_open"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    version: int = _version()
    company_id: int = Field(foreign_key="company.id", index=True)
    facility_id: int = Field(foreign_key="facility.id")
    kind: str = _code(20, RequestKind.WAITLIST.value)
    rooms_wanted: int = Field(default=1)
    seats_wanted: int = Field(default=0)
    requested_on: date = Field(index=True)
    status: str = _code(20, RequestStatus.OPEN.value, index=True)
    decided_on: date | None = None
    note: str = Field(default="", sa_column=Column(sa.Text, nullable=False, server_default=""))


class Mentor(Versioned, SQLModel, table=True):
    __table_args__ = (one_of("field", MentorField),)

    id: int | None = Field(default=None, primary_key=True)
    version: int = _version()
    name: str = Field(sa_column=Column(sa.String(100), nullable=False))
    field: str = _code(20, MentorField.TECHNOLOGY.value)
    affiliation: str = Field(default="", sa_column=Column(sa.String(200), nullable=False, server_default=""))
    contact: str = Field(default="", sa_column=Column(sa.String(200), nullable=False, server_default=""))
    active: bool = Field(default=True, sa_column=Column(sa.Boolean, nullable=False, server_default=sa.true()))


class MentoringSession(Versioned, SQLModel, table=True):
    __table_args__ = (
        one_of("mode", SessionMode),
        one_of("status", SessionStatus),
        sa.CheckConstraint(f"minutes BETWEEN 1 AND {MAX_SESSION_MINUTES}", name="minutes_within_a_day"),
    )

    id: int | None = Field(default=None, primary_key=True)
    version: int = _version()
    mentor_id: int = Field(foreign_key="mentor.id", index=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    held_on: date = Field(index=True)
    minutes: int = Field(default=60)
    topic: str = Field(default="", sa_column=Column(sa.String(300), nullable=False, server_default=""))
    mode: str = _code(20, SessionMode.IN_PERSON.value)
    status: str = _code(20, SessionStatus.PLANNED.value)
    notes: str = Field(default="", sa_column=Column(sa.Text, nullable=False, server_default=""))


class Region(StrEnum):
    """Where a company went (or is) — the city's worry is the capital region."""

    GWANGJU = "gwangju"
    CAPITAL = "capital"
    OTHER_REGION = "other_region"
    ABROAD = "abroad"
    UNKNOWN = "unknown"


class Exit(Versioned, SQLModel, table=True):
    __table_args__ = (
        # The exit day is the end of the stay it closes: one fact, kept in both rows, tied here.
        sa.ForeignKeyConstraint(["residency_id", "exit_on"], ["residency.id", "residency.ended_on"]),
        one_of("reason", ExitReason),
        one_of("region", Region),
    )

    id: int | None = Field(default=None, primary_key=True)
    version: int = _version()
    company_id: int = Field(foreign_key="company.id", index=True)
    residency_id: int = Field(unique=True)
    exit_on: date = Field(index=True)
    reason: str = _code(30, ExitReason.OTHER.value)
    destination: str = Field(default="", sa_column=Column(sa.String(200), nullable=False, server_default=""))
    # Where it went: Gwangju, the capital region, elsewhere, abroad (a Region code).
    region: str = _code(20, Region.UNKNOWN.value)
    notes: str = Field(default="", sa_column=Column(sa.Text, nullable=False, server_default=""))


class ImportBatch(SQLModel, table=True):
    __table_args__ = tuple(at_least(count, 0) for count in ("created", "updated", "unchanged", "skipped", "errors"))

    id: int | None = Field(default=None, primary_key=True)
    file_name: str = Field(sa_column=Column(sa.String(300), nullable=False))
    file_sha256: str = Field(sa_column=Column(sa.String(64), nullable=False))
    imported_at: datetime = Field(default_factory=utc_now)
    imported_by: str = Field(default="", sa_column=Column(sa.String(100), nullable=False, server_default=""))
    facility_id: int | None = Field(default=None, foreign_key="facility.id")
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: int = 0
    undone_at: datetime | None = None


class AuditEntry(SQLModel, table=True):
    __table_args__ = (sa.Index("ix_auditentry_entity", "entity", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utc_now, index=True)
    actor: str = Field(sa_column=Column(sa.String(100), nullable=False))
    # Who, as far as the PC and the server can tell: the login on the PC, the PC, the database role.
    os_user: str = Field(default="", sa_column=Column(sa.String(100), nullable=False, server_default=""))
    machine: str = Field(default="", sa_column=Column(sa.String(100), nullable=False, server_default=""))
    db_user: str = Field(default="", sa_column=Column(sa.String(100), nullable=False, server_default=""))
    entity: str = Field(sa_column=Column(sa.String(50), nullable=False))
    entity_id: int
    action: str = Field(sa_column=Column(sa.String(30), nullable=False))
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    import_batch_id: int | None = Field(default=None, foreign_key="importbatch.id", index=True)


class SupportKind(StrEnum):
    """What a company asks the camp for besides rooms (지원 요청)."""

    DEMONSTRATION = "demonstration"
    COMPUTING = "computing"
    NETWORKING = "networking"
    CONSULTING = "consulting"
    INVESTMENT = "investment"
    OTHER = "other"


class SupportStatus(StrEnum):
    """접수 → 진행 → 완료, or 반려 / 취소 on the way."""

    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DECLINED = "declined"
    CANCELLED = "cancelled"


class SupportRequest(Versioned, SQLModel, table=True):
    """A support request: asked on `asked_on`, started on `started_on`, closed (done, declined or
    cancelled) on `finished_on`; each date no earlier than the one before it."""

    __table_args__ = (
        sa.CheckConstraint("started_on IS NULL OR started_on >= asked_on", name="started_after_asked"),
        sa.CheckConstraint("finished_on IS NULL OR finished_on >= asked_on", name="finished_after_asked"),
        sa.CheckConstraint(
            "finished_on IS NULL OR started_on IS NULL OR finished_on >= started_on", name="finished_after_started"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    version: int = _version()
    company_id: int = Field(foreign_key="company.id", index=True)
    asked_on: date = Field(index=True)
    kind: str = _code(20, SupportKind.OTHER.value)
    description: str = Field(sa_column=Column(sa.String(500), nullable=False))
    status: str = _code(20, SupportStatus.RECEIVED.value, index=True)
    started_on: date | None = None
    finished_on: date | None = None
    outcome: str = Field(default="", sa_column=Column(sa.Text, nullable=False, server_default=""))


# --- programme outcomes (성과): dated records of what became of the companies ---------------------
class InvestmentKind(StrEnum):
    EQUITY = "equity"
    CONVERTIBLE = "convertible"
    GRANT = "grant"  # 정부출연
    LOAN = "loan"


# The rounds that count as invested capital (the subsidy rule): money in the company's equity.
CAPITAL_KINDS = (InvestmentKind.EQUITY, InvestmentKind.CONVERTIBLE)


class IPKind(StrEnum):
    PATENT_FILED = "patent_filed"
    PATENT_REGISTERED = "patent_registered"
    UTILITY_MODEL = "utility_model"
    TRADEMARK = "trademark"
    DESIGN = "design"
    COPYRIGHT = "copyright"


class CertificationKind(StrEnum):
    VENTURE = "venture"  # 벤처기업
    INNOBIZ = "innobiz"
    MAINBIZ = "mainbiz"
    RESEARCH_INSTITUTE = "research_institute"  # 기업부설연구소
    RND_DEPARTMENT = "rnd_department"  # 연구개발전담부서


class FollowUpStatus(StrEnum):
    OPERATING = "operating"
    CLOSED = "closed"
    UNKNOWN = "unknown"


MAX_AMOUNT_KRW = 10**15  # a thousand trillion won: more than any company here will report
# A half of 0 is the whole year; 1 and 2 are its halves.
WHOLE_YEAR = 0


class SalesRecord(Versioned, SQLModel, table=True):
    """Sales (매출액) and exports (수출액) of one period: a year (half 0) or one of its halves (1, 2)."""

    __table_args__ = (
        sa.UniqueConstraint("company_id", "year", "half"),
        sa.CheckConstraint("half IN (0, 1, 2)", name="half_known"),
        sa.CheckConstraint("year BETWEEN 1900 AND 2999", name="year_plausible"),
        at_least("sales_krw", 0),
        at_least("exports_krw", 0),
        sa.CheckConstraint("exports_krw <= sales_krw", name="exports_within_sales"),
    )

    id: int | None = Field(default=None, primary_key=True)
    version: int = _version()
    company_id: int = Field(foreign_key="company.id", index=True)
    year: int
    half: int = Field(default=WHOLE_YEAR, sa_column=Column(sa.Integer, nullable=False, server_default="0"))
    sales_krw: int = Field(sa_column=Column(sa.BigInteger, nullable=False))
    exports_krw: int = Field(default=0, sa_column=Column(sa.BigInteger, nullable=False, server_default="0"))


class InvestmentRound(Versioned, SQLModel, table=True):
    """One round of investment attracted (투자유치)."""

    __table_args__ = (one_of("kind", InvestmentKind), at_least("amount_krw", 1))

    id: int | None = Field(default=None, primary_key=True)
    version: int = _version()
    company_id: int = Field(foreign_key="company.id", index=True)
    invested_on: date = Field(index=True)
    amount_krw: int = Field(sa_column=Column(sa.BigInteger, nullable=False))
    investor: str = Field(default="", sa_column=Column(sa.String(200), nullable=False, server_default=""))
    kind: str = _code(20, InvestmentKind.EQUITY.value)


class IntellectualProperty(Versioned, SQLModel, table=True):
    """A patent filed or registered, a utility model, trademark, design or copyright (지식재산권)."""

    __table_args__ = (one_of("kind", IPKind),)

    id: int | None = Field(default=None, primary_key=True)
    version: int = _version()
    company_id: int = Field(foreign_key="company.id", index=True)
    kind: str = _code(30, IPKind.PATENT_FILED.value)
    number: str = Field(default="", sa_column=Column(sa.String(50), nullable=False, server_default=""))
    title: str = Field(default="", sa_column=Column(sa.String(300), nullable=False, server_default=""))
    dated_on: date = Field(index=True)  # the day filed or registered, as its kind says


class Certification(Versioned, SQLModel, table=True):
    """A certification (인증) granted on `granted_on`, valid through `valid_until` (None: no end)."""

    __table_args__ = (one_of("kind", CertificationKind), not_before("valid_until", "granted_on"))

    id: int | None = Field(default=None, primary_key=True)
    version: int = _version()
    company_id: int = Field(foreign_key="company.id", index=True)
    kind: str = _code(30, CertificationKind.VENTURE.value)
    number: str = Field(default="", sa_column=Column(sa.String(50), nullable=False, server_default=""))
    granted_on: date = Field(index=True)
    valid_until: date | None = None


class GovernmentProject(Versioned, SQLModel, table=True):
    """A government support project won (정부지원사업 선정)."""

    __table_args__ = (at_least("amount_krw", 0),)

    id: int | None = Field(default=None, primary_key=True)
    version: int = _version()
    company_id: int = Field(foreign_key="company.id", index=True)
    selected_on: date = Field(index=True)
    name: str = Field(sa_column=Column(sa.String(300), nullable=False))
    agency: str = Field(default="", sa_column=Column(sa.String(200), nullable=False, server_default=""))
    amount_krw: int = Field(default=0, sa_column=Column(sa.BigInteger, nullable=False, server_default="0"))


class FollowUp(Versioned, SQLModel, table=True):
    """A check-in on a company 1, 2 or 3 years after its exit (후속 조사)."""

    __table_args__ = (
        sa.UniqueConstraint("exit_id", "years_after"),
        sa.CheckConstraint("years_after BETWEEN 1 AND 3", name="years_after_1_to_3"),
        one_of("status", FollowUpStatus),
        one_of("region", Region),
        sa.CheckConstraint("employees IS NULL OR employees >= 0", name="employees_at_least_0"),
        sa.CheckConstraint("sales_krw IS NULL OR sales_krw >= 0", name="sales_krw_at_least_0"),
    )

    id: int | None = Field(default=None, primary_key=True)
    version: int = _version()
    exit_id: int = Field(foreign_key="exit.id", index=True)
    years_after: int
    checked_on: date
    status: str = _code(20, FollowUpStatus.UNKNOWN.value)
    employees: int | None = None
    sales_krw: int | None = Field(default=None, sa_column=Column(sa.BigInteger, nullable=True))
    region: str = _code(20, Region.UNKNOWN.value)
    note: str = Field(default="", sa_column=Column(sa.Text, nullable=False, server_default=""))


class EvidenceOf(StrEnum):
    """The kinds of record a file of evidence (증빙) can be attached to: their table names."""

    SALES = "salesrecord"
    INVESTMENT = "investmentround"
    IP = "intellectualproperty"
    CERTIFICATION = "certification"
    PROJECT = "governmentproject"
    HEADCOUNT = "headcountrecord"
    FOLLOW_UP = "followup"


MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


class Evidence(SQLModel, table=True):
    """A file of evidence, kept in the database so a backup holds it; attached to one record."""

    __table_args__ = (
        sa.Index("ix_evidence_record", "record_kind", "record_id"),
        one_of("record_kind", EvidenceOf),
        sa.CheckConstraint(f"size_bytes BETWEEN 1 AND {MAX_EVIDENCE_BYTES}", name="size_within_limit"),
    )

    id: int | None = Field(default=None, primary_key=True)
    record_kind: str = Field(sa_column=Column(sa.String(30), nullable=False))
    record_id: int
    file_name: str = Field(sa_column=Column(sa.String(255), nullable=False))
    media_type: str = Field(sa_column=Column(sa.String(100), nullable=False))
    size_bytes: int
    sha256: str = Field(sa_column=Column(sa.String(64), nullable=False))
    content: bytes = Field(sa_column=Column(sa.LargeBinary, nullable=False), repr=False)
    attached_at: datetime = Field(default_factory=utc_now)
