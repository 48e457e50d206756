"""What an import will do, as the manager confirms it: a verdict per row, and the plan of them all."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from camp_manager.db.models import RoomKind
from camp_manager.i18n import tr
from camp_manager.importing.actions import Action
from camp_manager.importing.mapping import ColumnMapping, ListKind, field_label
from camp_manager.importing.normalize import Problem, Severity, SkippedRow
from camp_manager.services.companies import CompanyInput


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str

    @property
    def label(self) -> str:
        return field_label(self.field)

    def __str__(self) -> str:
        return tr("{field}: {before} → {after}", field=self.label, before=self.before or "-", after=self.after or "-")


@dataclass
class ResidentWrite:
    """What the commit does for one resident row; None parts are left as they are."""

    company_id: int | None
    company: CompanyInput | None
    facility: str
    move_in: date | None = None
    contract_end: date | None = None
    room: str | None = None
    room_id: int | None = None  # None for a room this import creates
    room_start: date | None = None
    seats: int = 0  # seats taken: a private office's own seats, or those asked for in a shared zone
    employees: int | None = None


@dataclass
class RoomWrite:
    facility: str
    code: str
    floor: int
    kind: str
    seats: int
    area_m2: float


@dataclass
class RowVerdict:
    row: int
    action: Action
    title: str
    key: str
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    write: ResidentWrite | RoomWrite | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == Severity.WARNING]


@dataclass
class NewRoom:
    """A room the file names that the facility does not have yet."""

    facility: str
    code: str
    floor: int
    rows: list[int]
    kind: str = RoomKind.PRIVATE_OFFICE.value
    seats: int = 0
    area_m2: float = 0.0


@dataclass
class ImportOptions:
    facility: str | None = None
    create_rooms: bool = False
    as_of: date = field(default_factory=date.today)


@dataclass
class ImportPlan:
    file_name: str
    file_sha256: str
    sheet: str
    mapping: ColumnMapping
    options: ImportOptions
    facility: str | None  # the import's one facility; None when a column names it per row
    facility_to_create: str | None
    verdicts: list[RowVerdict]
    skipped: list[SkippedRow]
    rooms_to_create: list[NewRoom]

    @property
    def kind(self) -> ListKind:
        return self.mapping.kind

    def count(self, action: Action) -> int:
        return sum(1 for v in self.verdicts if v.action == action)

    def counts(self) -> dict[str, int]:
        counts = {action.value: self.count(action) for action in Action}
        counts["skipped"] = len(self.skipped)
        return counts

    @property
    def error_rows(self) -> list[RowVerdict]:
        return [v for v in self.verdicts if v.action == Action.ERROR]

    def problems(self, severity: Severity) -> list[Problem]:
        return [p for v in self.verdicts for p in v.problems if p.severity == severity]

    def fingerprint(self) -> tuple[object, ...]:
        """What the plan would write; a commit compares it with the one the user confirmed."""
        return (
            self.facility_to_create,
            tuple(
                (v.row, v.action.value, tuple((c.field, c.before, c.after) for c in v.changes)) for v in self.verdicts
            ),
            tuple((r.facility, r.code) for r in self.rooms_to_create),
        )
