"""What an import would do, row by row, before anything is written.

Every row gets a verdict: create, update (with the field-by-field difference),
unchanged, or error. The database is read in a few bulk queries, never once per row,
and the rules of the use cases are checked against that picture together with the
rows above in the same file (the same business number twice, one office given to two
companies). Warnings are shown and do not block.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from sqlmodel import Session, select

from camp_manager.db.models import Allocation, BusinessField, Company, Facility, HeadcountRecord, Residency, Room, RoomKind
from camp_manager.errors import DomainError
from camp_manager.i18n import tr
from camp_manager.importing.mapping import ColumnMapping, ListKind, field_label, fold_header
from camp_manager.importing.normalize import CleanRow, Problem, Severity, SkippedRow, clean_rows, display, fold_text
from camp_manager.importing.read import Sheet, SourceFile
from camp_manager.labels import label_of
from camp_manager.progress import NullProgress, Progress
from camp_manager.services import bizno, companies
from camp_manager.services.allocations import peak_seats
from camp_manager.services.facilities import facility_by_name

_CHUNK = 500
_PROGRESS_EVERY = 500


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    ERROR = "error"


def action_label(action: Action) -> str:
    return {
        Action.CREATE: tr("새로 등록"),
        Action.UPDATE: tr("수정"),
        Action.UNCHANGED: tr("변경 없음"),
        Action.ERROR: tr("오류"),
    }[action]


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
    company: companies.CompanyInput | None
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

    def fingerprint(self) -> tuple:
        """What the plan would write; a commit compares it with the one the user confirmed."""
        return (
            self.facility_to_create,
            tuple((v.row, v.action.value, tuple((c.field, c.before, c.after) for c in v.changes)) for v in self.verdicts),
            tuple((r.facility, r.code) for r in self.rooms_to_create),
        )


def _chunks(items: list, size: int = _CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _RowContext:
    """Collects the problems of one row, each pointing at the cell it is about."""

    def __init__(self, row: CleanRow, mapping: ColumnMapping, cells: list[object]) -> None:
        self.row = row
        self.mapping = mapping
        self.cells = cells
        self.problems = list(row.problems)
        self.flagged = {p.column for p in row.problems if p.severity == Severity.ERROR}

    def _cell(self, key: str | None) -> tuple[int | None, str, str]:
        column = self.mapping.column_of(key) if key else None
        if column is None:
            return None, field_label(key) if key else "", ""
        raw = self.cells[column] if column < len(self.cells) else ""
        return column, self.mapping.header_of(column), display(raw)

    def add(self, key: str | None, message: str, severity: Severity = Severity.ERROR) -> None:
        column, header, value = self._cell(key)
        if severity == Severity.ERROR and column is not None:
            if column in self.flagged:
                return
            self.flagged.add(column)
        self.problems.append(Problem(self.row.row, column, header, value, message, severity))

    def warn(self, key: str | None, message: str) -> None:
        self.add(key, message, Severity.WARNING)

    @property
    def has_errors(self) -> bool:
        return any(p.severity == Severity.ERROR for p in self.problems)

    def sorted_problems(self) -> list[Problem]:
        """Errors before warnings, each left to right as the columns are."""
        return sorted(self.problems, key=lambda p: (p.severity != Severity.ERROR, p.column if p.column is not None else -1))

    def value(self, key: str) -> object:
        return self.row.values.get(key)


# --- facilities ---------------------------------------------------------------------


@dataclass
class _Facilities:
    by_folded: dict[str, Facility]
    default: str | None
    to_create: str | None

    def resolve(self, context: _RowContext) -> str | None:
        """The facility name of a row, or None after reporting why there is none."""
        named = context.value("facility")
        if named is None:
            if self.default is None:
                context.add("facility", tr("시설을 입력하세요. 다음 중 하나: {names}", names=self.names()))
            return self.default
        facility = self.by_folded.get(fold_header(named))
        name = facility.name if facility is not None else (self.to_create if fold_header(named) == fold_header(self.to_create or "") else None)
        if name is None:
            context.add("facility", tr("시설 '{name}'이(가) 없습니다. 다음 중에서 고르세요: {names}", name=named, names=self.names()))
        elif self.default is not None and name != self.default:
            context.add("facility", tr("이 가져오기는 시설 '{chosen}'에 넣습니다. 이 행의 시설 '{name}'은(는) 다른 시설입니다. 시설별로 나누어 가져오세요.", chosen=self.default, name=name))
            return None
        return name

    def names(self) -> str:
        return ", ".join(sorted(f.name for f in self.by_folded.values())) or "-"


def _facilities(session: Session, options: ImportOptions, mapping: ColumnMapping) -> _Facilities:
    existing = list(session.exec(select(Facility).order_by(Facility.name)))
    by_folded = {fold_header(f.name): f for f in existing}
    if options.facility:
        chosen = by_folded.get(fold_header(options.facility))
        if chosen is not None:
            return _Facilities(by_folded, chosen.name, None)
        if existing:
            facility_by_name(session, options.facility)  # raises the message that lists the names
        name = fold_text(options.facility)
        return _Facilities(by_folded, name, name)
    if len(existing) == 1:
        return _Facilities(by_folded, existing[0].name, None)
    if mapping.column_of("facility") is not None and existing:
        return _Facilities(by_folded, None, None)
    if not existing:
        raise DomainError(tr("아직 시설이 없습니다. 가져올 시설의 이름을 정하세요 (명령줄에서는 --facility 이름)."), field="facility")
    raise DomainError(
        tr("시설이 여럿입니다. 가져올 시설을 고르세요 (명령줄에서는 --facility 이름): {names}", names=", ".join(f.name for f in existing)),
        field="facility",
    )


# --- the database, read in bulk -------------------------------------------------------


@dataclass
class _Picture:
    """What the rows need from the database, loaded with a few queries."""

    companies: dict[str, Company] = field(default_factory=dict)
    stays: dict[int, list[Residency]] = field(default_factory=lambda: defaultdict(list))
    company_allocations: dict[int, list[Allocation]] = field(default_factory=lambda: defaultdict(list))
    rooms: dict[tuple[str, str], Room] = field(default_factory=dict)
    room_allocations: dict[int, list[Allocation]] = field(default_factory=lambda: defaultdict(list))
    holder_names: dict[int, str] = field(default_factory=dict)
    headcounts: dict[int, int] = field(default_factory=dict)
    facility_ids: dict[str, int] = field(default_factory=dict)

    def facility_name(self, facility_id: int) -> str:
        return next((name for name, fid in self.facility_ids.items() if fid == facility_id), "?")


def _load_picture(session: Session, rows: list[CleanRow], facilities: _Facilities, as_of: date) -> _Picture:
    picture = _Picture()
    picture.facility_ids = {f.name: f.id for f in facilities.by_folded.values()}
    numbers = sorted({bizno.digits_only(r.values["biz_reg_no"]) for r in rows if r.values.get("biz_reg_no")})
    for chunk in _chunks(numbers):
        for company in session.exec(select(Company).where(Company.biz_reg_no.in_(chunk))):
            picture.companies[company.biz_reg_no] = company
    company_ids = sorted(c.id for c in picture.companies.values())
    for chunk in _chunks(company_ids):
        for stay in session.exec(select(Residency).where(Residency.company_id.in_(chunk))):
            picture.stays[stay.company_id].append(stay)
        for allocation in session.exec(select(Allocation).where(Allocation.company_id.in_(chunk))):
            picture.company_allocations[allocation.company_id].append(allocation)
        latest = session.exec(
            select(HeadcountRecord).where(HeadcountRecord.company_id.in_(chunk), HeadcountRecord.as_of <= as_of).order_by(HeadcountRecord.as_of)
        )
        picture.headcounts.update({record.company_id: record.employees for record in latest})
    if picture.facility_ids:
        names = {fid: name for name, fid in picture.facility_ids.items()}
        # Plain rows, not ORM objects: a facility may have thousands of rooms.
        for room in session.execute(select(Room.__table__).where(Room.facility_id.in_(list(names)))):
            picture.rooms[(names[room.facility_id], room.code)] = room
    codes = {r.values.get("room") for r in rows} - {None}
    wanted = sorted(room.id for (_, code), room in picture.rooms.items() if code in codes)
    for chunk in _chunks(wanted):
        for allocation in session.exec(select(Allocation).where(Allocation.room_id.in_(chunk))):
            picture.room_allocations[allocation.room_id].append(allocation)
    holders = sorted({a.company_id for allocations in picture.room_allocations.values() for a in allocations})
    for chunk in _chunks(holders):
        picture.holder_names.update(dict(session.exec(select(Company.id, Company.name).where(Company.id.in_(chunk))).all()))
    return picture


# --- checking ---------------------------------------------------------------------------


def check(
    *,
    session: Session,
    source: SourceFile,
    sheet: Sheet,
    mapping: ColumnMapping,
    options: ImportOptions | None = None,
    progress: Progress = NullProgress(),
) -> ImportPlan:
    """The verdict of every row; reads the database, writes nothing."""
    options = options or ImportOptions()
    missing = mapping.missing_required()
    if missing:
        raise DomainError(
            tr("'{fields}'에 해당하는 열을 찾지 못했습니다. 열 연결에서 어느 열인지 고르세요.", fields=", ".join(field_label(k) for k in missing)),
            field="mapping",
        )
    facilities = _facilities(session, options, mapping)
    rows, skipped = clean_rows(sheet, mapping, progress)
    progress.check_cancelled()
    picture = _load_picture(session, rows, facilities, options.as_of)
    checker_type = _ResidentChecker if mapping.kind == ListKind.RESIDENTS else _RoomChecker
    checker = checker_type(picture=picture, facilities=facilities, mapping=mapping, options=options, sheet=sheet, rows=rows)
    verdicts = []
    for index, row in enumerate(rows):
        if index % _PROGRESS_EVERY == 0:
            progress.report(index, len(rows), tr("행 확인 중"))
            progress.check_cancelled()
        verdicts.append(checker.verdict(row))
    return ImportPlan(
        file_name=source.name,
        file_sha256=source.sha256,
        sheet=sheet.name,
        mapping=mapping,
        options=options,
        facility=facilities.default,
        facility_to_create=facilities.to_create,
        verdicts=verdicts,
        skipped=skipped,
        rooms_to_create=checker.rooms_to_create(),
    )


def _duplicates(rows: Iterable[CleanRow], key) -> dict[object, list[int]]:
    seen: dict[object, list[int]] = defaultdict(list)
    for row in rows:
        value = key(row)
        if value is not None:
            seen[value].append(row.row)
    return {value: numbers for value, numbers in seen.items() if len(numbers) > 1}


def floor_from_code(code: str) -> int | None:
    """Room 305 is on floor 3 and 1201 on floor 12; a code like 라운지 or A2 says nothing."""
    digits = "".join(ch for ch in code if ch.isdigit())
    return int(digits[:-2]) if len(digits) >= 3 else None


def _other_rows(numbers: list[int], row: int) -> str:
    return ", ".join(str(n) for n in numbers if n != row)


class _Checker:
    def __init__(
        self, *, picture: _Picture, facilities: _Facilities, mapping: ColumnMapping, options: ImportOptions, sheet: Sheet, rows: list[CleanRow]
    ) -> None:
        self.picture = picture
        self.facilities = facilities
        self.mapping = mapping
        self.options = options
        self.sheet = sheet
        self._new_rooms: dict[tuple[str, str], NewRoom] = {}

    def context(self, row: CleanRow) -> _RowContext:
        return _RowContext(row, self.mapping, self.sheet.rows[row.row - 1])

    def rooms_to_create(self) -> list[NewRoom]:
        return list(self._new_rooms.values())


class _RoomChecker(_Checker):
    def __init__(self, *, rows: list[CleanRow], **parts) -> None:
        super().__init__(rows=rows, **parts)
        self.duplicates = _duplicates(rows, lambda r: (fold_header(r.values.get("facility") or ""), r.values.get("room")) if r.values.get("room") else None)

    def verdict(self, row: CleanRow) -> RowVerdict:
        context = self.context(row)
        facility = self.facilities.resolve(context)
        code = context.value("room")
        if code is None:
            context.add("room", tr("{what}을(를) 입력하세요.", what=field_label("room")))
        floor = context.value("floor")
        if floor is None and code is not None:
            floor = floor_from_code(code)
            if floor is None:
                context.add("floor", tr("호실 {code}의 층을 입력하세요.", code=code))
        kind = context.value("kind") or RoomKind.PRIVATE_OFFICE.value
        seats = context.value("seats") or 0
        area = context.value("area_m2") or 0.0
        if kind == RoomKind.SHARED_ZONE and seats < 1:
            context.add("seats", tr("공유 좌석존은 좌석 수가 1 이상이어야 합니다."))
        numbers = self.duplicates.get((fold_header(context.value("facility") or ""), code))
        if numbers:
            context.add("room", tr("호실 {code}이(가) {rows}행에도 있습니다. 한 호실은 한 행에만 적으세요.", code=code, rows=_other_rows(numbers, row.row)))
        title = code or ""
        if context.has_errors or facility is None or code is None:
            return RowVerdict(row.row, Action.ERROR, title, facility or "", problems=context.sorted_problems())
        stored = self.picture.rooms.get((facility, code))
        if stored is None:
            write = RoomWrite(facility=facility, code=code, floor=floor, kind=kind, seats=seats, area_m2=area)
            return RowVerdict(row.row, Action.CREATE, title, facility, problems=context.sorted_problems(), write=write)
        differences = [
            Change(key, display(before), display(after))
            for key, before, after in (("floor", stored.floor, floor), ("kind", label_of(RoomKind, stored.kind), label_of(RoomKind, kind)), ("seats", stored.seats, seats), ("area_m2", stored.area_m2, area))
            if context.value(key) is not None and before != after
        ]
        if differences:
            context.warn(None, tr("호실 {code}이(가) 이미 있고 저장된 값과 다릅니다({changes}). 가져오기로는 바꾸지 않으니 호실 화면에서 고치세요.", code=code, changes="; ".join(str(c) for c in differences)))
        return RowVerdict(row.row, Action.UNCHANGED, title, facility, problems=context.sorted_problems())


class _ResidentChecker(_Checker):
    def __init__(self, *, rows: list[CleanRow], **parts) -> None:
        super().__init__(rows=rows, **parts)
        # Rows are told apart by the digits of their business number (`123-45-67890` = `1234567890`).
        self.numbers = {r.row: bizno.digits_only(r.values["biz_reg_no"]) if r.values.get("biz_reg_no") else None for r in rows}
        self.duplicates = _duplicates(rows, lambda r: self.numbers[r.row])
        # Rooms claimed by rows above: a private office by (row, company); a shared zone by seats.
        self.claimed_offices: dict[tuple[str, str], tuple[int, str]] = {}
        self.claimed_seats: dict[tuple[str, str], int] = defaultdict(int)

    def verdict(self, row: CleanRow) -> RowVerdict:
        context = self.context(row)
        number = self.numbers[row.row]
        name = context.value("name") or ""
        facility = self.facilities.resolve(context)
        stored = self.picture.companies.get(number) if number else None
        data, changes = self._company(context, stored)
        if number in self.duplicates:
            context.add("biz_reg_no", tr("사업자등록번호 {number}이(가) {rows}행에도 있습니다. 한 기업은 한 행에만 적으세요.", number=bizno.format_bizno(number), rows=_other_rows(self.duplicates[number], row.row)))
        key = bizno.format_bizno(number) if number else ""
        if context.has_errors or facility is None:
            return RowVerdict(row.row, Action.ERROR, name, key, problems=context.sorted_problems())
        data.biz_reg_no = number
        write = ResidentWrite(company_id=stored.id if stored else None, company=data if (stored is None or changes) else None, facility=facility)
        changes += self._residency(context, stored, write)
        changes += self._room(context, stored, write)
        changes += self._headcount(context, stored, write)
        if context.has_errors:
            return RowVerdict(row.row, Action.ERROR, name, key, changes, context.sorted_problems())
        if stored is None:
            return RowVerdict(row.row, Action.CREATE, name, key, changes, context.sorted_problems(), write)
        action = Action.UPDATE if changes else Action.UNCHANGED
        return RowVerdict(row.row, action, name, key, changes, context.sorted_problems(), write if changes else None)

    def _company(self, context: _RowContext, stored: Company | None) -> tuple[companies.CompanyInput, list[Change]]:
        """The company's values after the import, checked by the use case's own rules, and what changes."""
        values = context.row.values
        given = {key: values[key] for key in companies.EDITABLE_FIELDS if values.get(key) is not None}
        changes = []
        if stored is None:
            data = companies.CompanyInput(**{"name": "", "biz_reg_no": "", "field": BusinessField.OTHER.value, **given})
        else:
            data = companies.company_input(stored)
            for key, value in given.items():
                before = getattr(data, key)
                if key == "biz_reg_no" or value == before:
                    continue
                setattr(data, key, value)
                changes.append(Change(key, _shown(key, before), _shown(key, value)))
            if "name" in given and given["name"] != stored.name:
                context.warn("name", tr("같은 사업자등록번호로 저장된 기업명은 '{stored}'입니다. 가져오면 '{name}'(으)로 바뀝니다.", stored=stored.name, name=given["name"]))
            data.biz_reg_no = given["biz_reg_no"]
        for key, message in companies.input_problems(data).items():
            context.add(key, message)
        return data, changes

    def _stays(self, stored: Company | None) -> list[Residency]:
        return self.picture.stays.get(stored.id, []) if stored else []

    def _residency(self, context: _RowContext, stored: Company | None, write: ResidentWrite) -> list[Change]:
        move_in, contract_end = context.value("move_in"), context.value("contract_end")
        stays = self._stays(stored)
        current = next((s for s in stays if s.ended_on is None), None)
        if contract_end is not None and move_in is None and current is None:
            context.warn("contract_end", tr("입주일이 없어 계약 만료일을 넣지 않습니다. 입주일을 함께 적으세요."))
        if move_in is None:
            if current is not None and contract_end is not None and contract_end != current.contract_end:
                self._contract_differs(context, current)
            return []
        facility_id = self.picture.facility_ids.get(write.facility)
        if current is not None:
            if current.facility_id != facility_id:
                context.add("move_in", tr("이미 다른 시설 '{facility}'에 {date}부터 입주 중입니다. 먼저 그 시설에서 퇴거 처리하세요.", facility=self.picture.facility_name(current.facility_id), date=current.move_in))
            elif current.move_in != move_in:
                context.warn("move_in", tr("{date}부터 입주 중으로 저장되어 있어 파일의 입주일 {file_date}은(는) 넣지 않습니다.", date=current.move_in, file_date=move_in))
            if contract_end is not None and contract_end != current.contract_end:
                self._contract_differs(context, current)
            return []
        last_end = max((s.ended_on for s in stays if s.ended_on), default=None)
        if last_end is not None and move_in < last_end:
            context.add("move_in", tr("입주일({date})이 지난 퇴거일({exit})보다 빠릅니다. {exit} 이후 날짜를 입력하세요.", date=move_in, exit=last_end))
        if contract_end is not None and contract_end < move_in:
            context.add("contract_end", tr("계약 만료일({end})이 입주일({start})보다 빠릅니다. 날짜를 확인하세요.", end=contract_end, start=move_in))
        write.move_in, write.contract_end = move_in, contract_end
        changes = [Change("move_in", "", display(move_in))]
        if contract_end is not None:
            changes.append(Change("contract_end", "", display(contract_end)))
        return changes

    def _contract_differs(self, context: _RowContext, current: Residency) -> None:
        context.warn(
            "contract_end",
            tr("저장된 계약 만료일은 {stored}입니다. 가져오기로는 계약 기간을 바꾸지 않으니 바꾸려면 입주기업 화면에서 연장하세요.", stored=display(current.contract_end) or "-"),
        )

    def _room(self, context: _RowContext, stored: Company | None, write: ResidentWrite) -> list[Change]:
        code = context.value("room")
        if code is None:
            return []
        facility_id = self.picture.facility_ids.get(write.facility)
        current = next((s for s in self._stays(stored) if s.ended_on is None and s.facility_id == facility_id), None)
        if write.move_in is not None:
            start = write.move_in
        elif current is not None:
            start = max(current.move_in, self.options.as_of)
        else:
            context.warn("room", tr("입주일이 없고 입주 중도 아니어서 호실 {code}을(를) 배정하지 않습니다. 입주일을 함께 적으세요.", code=code))
            return []
        held = [a for a in (self.picture.company_allocations.get(stored.id, []) if stored else []) if a.end_on is None or a.end_on > start]
        room = self.picture.rooms.get((write.facility, code))
        if room is not None and any(a.room_id == room.id for a in held):
            return []
        if held:
            codes = ", ".join(sorted({r.code for r in self.picture.rooms.values() if r.id in {a.room_id for a in held}})) or "?"
            context.warn("room", tr("이미 호실 {held}을(를) 쓰고 있어 파일의 호실 {code}은(는) 배정하지 않습니다. 옮기려면 호실 화면에서 이동하세요.", held=codes, code=code))
            return []
        seats = context.value("seats")
        if room is None:
            return self._new_room(context, write, code, start, seats)
        if room.kind == RoomKind.MEETING_ROOM:
            context.add("room", tr("회의실 {code}은(는) 기업에 배정할 수 없습니다. 사무실이나 공유 좌석존을 고르세요.", code=code))
            return []
        if room.retired_on is not None:
            context.add("room", tr("호실 {code}은(는) {date}부터 사용하지 않는 호실입니다. 다른 호실을 적으세요.", code=code, date=room.retired_on))
            return []
        others = [a for a in self.picture.room_allocations.get(room.id, []) if a.end_on is None or a.end_on > start]
        others = [a for a in others if a.end_on != a.start_on]
        claim_key = (write.facility, code)
        if room.kind == RoomKind.PRIVATE_OFFICE:
            if others:
                first = min(others, key=lambda a: a.start_on)
                context.add("room", tr("호실 {code}은(는) {date}에 '{holder}'이(가) 쓰고 있습니다. 비어 있는 호실을 적거나 입주일을 확인하세요.", code=code, date=max(start, first.start_on), holder=self.picture.holder_names.get(first.company_id, "?")))
                return []
            if not self._claim_office(context, claim_key, code):
                return []
        else:
            seats = seats or 1
            used = peak_seats(others, start, None) + self.claimed_seats[claim_key]
            if used + seats > room.seats:
                context.add("room", tr("공유 좌석존 {code}의 좌석이 모자랍니다: {total}석 중 {used}석이 이미 배정되어 {seats}석을 더 배정할 수 없습니다.", code=code, total=room.seats, used=used, seats=seats))
                return []
            self.claimed_seats[claim_key] += seats
        write.room, write.room_id, write.room_start = code, room.id, start
        write.seats = room.seats if room.kind == RoomKind.PRIVATE_OFFICE else seats
        return [Change("room", "", code)]

    def _claim_office(self, context: _RowContext, claim_key: tuple[str, str], code: str) -> bool:
        earlier = self.claimed_offices.get(claim_key)
        if earlier is not None:
            context.add("room", tr("호실 {code}은(는) {row}행의 '{name}'에도 배정되어 있습니다. 한 사무실에는 한 기업만 적으세요.", code=code, row=earlier[0], name=earlier[1]))
            return False
        self.claimed_offices[claim_key] = (context.row.row, context.value("name") or "")
        return True

    def _new_room(self, context: _RowContext, write: ResidentWrite, code: str, start: date, seats: int | None) -> list[Change]:
        key = (write.facility, code)
        if not self.options.create_rooms:
            context.warn("room", tr("시설 '{facility}'에 호실 {code}이(가) 없어 호실 없이 가져옵니다. 호실을 만들려면 '없는 호실 만들기'를 켜세요.", facility=write.facility, code=code))
            return []
        if not self._claim_office(context, key, code):
            return []
        self._new_rooms.setdefault(key, NewRoom(facility=write.facility, code=code, floor=floor_from_code(code) or 1, rows=[])).rows.append(context.row.row)
        write.room, write.room_start = code, start
        return [Change("room", "", tr("{code} (새 호실)", code=code))]

    def _headcount(self, context: _RowContext, stored: Company | None, write: ResidentWrite) -> list[Change]:
        employees = context.value("employees")
        if employees is None:
            return []
        before = self.picture.headcounts.get(stored.id) if stored else None
        if before == employees:
            return []
        as_of = self.options.as_of
        stays = [s for s in self._stays(stored) if s.move_in <= as_of]
        latest = max(stays, key=lambda s: s.move_in, default=None)
        moving_in_again = write.move_in is not None and write.move_in <= as_of
        if latest is not None and latest.ended_on is not None and latest.ended_on < as_of and not moving_in_again:
            context.warn("employees", tr("{date}에 퇴거한 기업이라 고용인원을 기록하지 않습니다.", date=latest.ended_on))
            return []
        write.employees = employees
        return [Change("employees", display(before), display(employees))]


def _shown(key: str, value: object) -> str:
    if key == "field":
        return label_of(BusinessField, value) if value else ""
    if key == "biz_reg_no":
        return bizno.format_bizno(value or "")
    return display(value)
