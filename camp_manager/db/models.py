"""The tables of Camp Manager (SQLModel, portable between SQLite and PostgreSQL).

Enumerations are stored as short English codes in VARCHAR columns rather than as
database ENUM types: adding a value then needs no migration on PostgreSQL, and
the Korean/English labels live in `camp_manager.labels`.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from enum import StrEnum
from typing import Any, ClassVar, Optional

import sqlalchemy as sa
from sqlalchemy.ext.hybrid import hybrid_method
from sqlmodel import JSON, Column, Field, SQLModel

# Named constraints let Alembic's batch mode (SQLite) rebuild tables reliably.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


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
    def covers(cls, day):
        start, end = (getattr(cls, name) for name in cls._span)
        return sa.and_(start <= day, sa.or_(end.is_(None), end > day))

    @hybrid_method
    def overlaps(self, start: date, end: date | None) -> bool:
        mine = (getattr(self, name) for name in self._span)
        return ranges_overlap(*mine, start, end)

    @overlaps.expression  # type: ignore[no-redef]
    def overlaps(cls, start, end):
        own_start, own_end = (getattr(cls, name) for name in cls._span)
        conditions = [sa.or_(own_end.is_(None), own_end > start), sa.or_(own_end.is_(None), own_end > own_start)]
        if isinstance(end, date):
            if end == start:
                return sa.false()
            conditions.append(own_start < end)
        elif end is not None:
            conditions += [sa.or_(end.is_(None), own_start < end), sa.or_(end.is_(None), end > start)]
        return sa.and_(*conditions)


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


class Facility(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(sa.String(100), nullable=False, unique=True))
    address: str = Field(default="", sa_column=Column(sa.String(200), nullable=False, server_default=""))
    max_rooms_per_company: int = Field(
        default=1, sa_column=Column(sa.Integer, nullable=False, server_default="1")
    )


class Room(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("facility_id", "code"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    facility_id: int = Field(foreign_key="facility.id", index=True)
    floor: int
    code: str = Field(sa_column=Column(sa.String(30), nullable=False))
    kind: str = _code(20, RoomKind.PRIVATE_OFFICE.value)
    seats: int = Field(default=0)
    area_m2: float = Field(default=0.0)
    active: bool = Field(default=True, sa_column=Column(sa.Boolean, nullable=False, server_default=sa.true()))
    # The day a deactivated room stopped counting; keeps past occupancy stable.
    retired_on: Optional[date] = None

    @hybrid_method
    def in_use_on(self, day: date) -> bool:
        return room_in_use_on(self.retired_on, day)

    @in_use_on.expression  # type: ignore[no-redef]
    def in_use_on(cls, day):
        return sa.or_(cls.retired_on.is_(None), cls.retired_on > day)

    model_config = {"ignored_types": (hybrid_method,)}


class Company(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(sa.String(200), nullable=False, index=True))
    biz_reg_no: str = Field(sa_column=Column(sa.String(10), nullable=False, unique=True))
    representative: str = Field(default="", sa_column=Column(sa.String(100), nullable=False, server_default=""))
    field: str = _code(20, BusinessField.OTHER.value)
    founded_on: Optional[date] = None
    phone: str = Field(default="", sa_column=Column(sa.String(50), nullable=False, server_default=""))
    email: str = Field(default="", sa_column=Column(sa.String(200), nullable=False, server_default=""))
    investment_krw: int = Field(default=0, sa_column=Column(sa.BigInteger, nullable=False, server_default="0"))
    mou_on: Optional[date] = None
    notes: str = Field(default="", sa_column=Column(sa.Text, nullable=False, server_default=""))


class HeadcountRecord(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("company_id", "as_of"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    as_of: date
    employees: int


class Residency(DateSpan, SQLModel, table=True):
    """A stay of a company in a facility: [move_in, ended_on)."""

    _span = ("move_in", "ended_on")
    __table_args__ = (sa.Index("ix_residency_dates", "facility_id", "move_in", "ended_on"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    facility_id: int = Field(foreign_key="facility.id")
    move_in: date
    contract_end: Optional[date] = None
    ended_on: Optional[date] = None


class ContractExtension(SQLModel, table=True):
    """Each extension keeps the contract end it replaced."""

    id: Optional[int] = Field(default=None, primary_key=True)
    residency_id: int = Field(foreign_key="residency.id", index=True)
    extended_on: date
    previous_end: Optional[date] = None
    new_end: date
    note: str = Field(default="", sa_column=Column(sa.Text, nullable=False, server_default=""))


class Allocation(DateSpan, SQLModel, table=True):
    """A company's hold on a room: [start_on, end_on); an open end means 'still there'."""

    _span = ("start_on", "end_on")
    __table_args__ = (
        sa.Index("ix_allocation_room_dates", "room_id", "start_on", "end_on"),
        sa.Index("ix_allocation_company_dates", "company_id", "start_on", "end_on"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id")
    room_id: int = Field(foreign_key="room.id")
    start_on: date
    end_on: Optional[date] = None
    # Seats taken in a shared zone; for a private office, the room's seats.
    seats: int = Field(default=0, sa_column=Column(sa.Integer, nullable=False, server_default="0"))
    override_reason: str = Field(default="", sa_column=Column(sa.Text, nullable=False, server_default=""))


# The all-facility as-of queries (end IS NULL OR end > day, start <= day): migration 0004_indexes.
sa.Index("ix_residency_period", Residency.ended_on, Residency.move_in)
sa.Index("ix_allocation_period", Allocation.end_on, Allocation.start_on)


class RoomRequest(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    facility_id: int = Field(foreign_key="facility.id")
    kind: str = _code(20, RequestKind.WAITLIST.value)
    rooms_wanted: int = Field(default=1)
    seats_wanted: int = Field(default=0)
    requested_on: date = Field(index=True)
    status: str = _code(20, RequestStatus.OPEN.value, index=True)
    decided_on: Optional[date] = None
    note: str = Field(default="", sa_column=Column(sa.Text, nullable=False, server_default=""))


class Mentor(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(sa.String(100), nullable=False))
    field: str = _code(20, MentorField.TECHNOLOGY.value)
    affiliation: str = Field(default="", sa_column=Column(sa.String(200), nullable=False, server_default=""))
    contact: str = Field(default="", sa_column=Column(sa.String(200), nullable=False, server_default=""))
    active: bool = Field(default=True, sa_column=Column(sa.Boolean, nullable=False, server_default=sa.true()))


class MentoringSession(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    mentor_id: int = Field(foreign_key="mentor.id", index=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    held_on: date = Field(index=True)
    minutes: int = Field(default=60)
    topic: str = Field(default="", sa_column=Column(sa.String(300), nullable=False, server_default=""))
    mode: str = _code(20, SessionMode.IN_PERSON.value)
    status: str = _code(20, SessionStatus.PLANNED.value)
    notes: str = Field(default="", sa_column=Column(sa.Text, nullable=False, server_default=""))


class Exit(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    residency_id: int = Field(foreign_key="residency.id", unique=True)
    exit_on: date = Field(index=True)
    reason: str = _code(30, ExitReason.OTHER.value)
    destination: str = Field(default="", sa_column=Column(sa.String(200), nullable=False, server_default=""))
    notes: str = Field(default="", sa_column=Column(sa.Text, nullable=False, server_default=""))


class ImportBatch(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    file_name: str = Field(sa_column=Column(sa.String(300), nullable=False))
    file_sha256: str = Field(sa_column=Column(sa.String(64), nullable=False))
    imported_at: datetime = Field(default_factory=utc_now)
    imported_by: str = Field(default="", sa_column=Column(sa.String(100), nullable=False, server_default=""))
    facility_id: Optional[int] = Field(default=None, foreign_key="facility.id")
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: int = 0
    undone_at: Optional[datetime] = None


class AuditEntry(SQLModel, table=True):
    __table_args__ = (sa.Index("ix_auditentry_entity", "entity", "entity_id"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utc_now, index=True)
    actor: str = Field(sa_column=Column(sa.String(100), nullable=False))
    entity: str = Field(sa_column=Column(sa.String(50), nullable=False))
    entity_id: int
    action: str = Field(sa_column=Column(sa.String(30), nullable=False))
    before: Optional[dict] = Field(default=None, sa_column=Column(JSON))
    after: Optional[dict] = Field(default=None, sa_column=Column(JSON))
    import_batch_id: Optional[int] = Field(default=None, foreign_key="importbatch.id", index=True)
