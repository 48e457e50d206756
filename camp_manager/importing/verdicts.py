"""What an import would do, row by row, before anything is written.

Every row gets a verdict: create, update (with the field-by-field difference),
unchanged, or error. The database is read in a few bulk queries, never once per row,
into the same `Book` the batch use cases check against, and each row is checked with
their own problem functions (`company_problems`, `move_in_problems`,
`allocation_problems`, `headcount_problems`): a rule exists once. Each accepted row is
claimed in the book, so the rows below it are checked as if it were written (one office
given to two rows of the file). Warnings are shown and do not block; what an import
leaves alone (a room already held, a move-in already on record) is decided here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, col, select

from camp_manager.db.models import BusinessField, Company, Facility, Room, RoomKind
from camp_manager.errors import DomainError
from camp_manager.full_collections import FullCollections
from camp_manager.i18n import tr
from camp_manager.importing.actions import Action
from camp_manager.importing.mapping import ColumnMapping, ListKind, field_label, fold_header
from camp_manager.importing.normalize import CleanRow, Problem, Severity, clean_rows, display, fold_text
from camp_manager.importing.plan import Change, ImportOptions, ImportPlan, NewRoom, ResidentWrite, RoomWrite, RowVerdict
from camp_manager.importing.read import Sheet, SourceFile
from camp_manager.labels import label_of
from camp_manager.progress import NullProgress, Progress
from camp_manager.services import bizno, companies
from camp_manager.services.allocations import RoomBooking, allocation_problems, seats_taken
from camp_manager.services.book import Book, FacilityFacts, Hold, RoomFacts, Stay, among, load_book
from camp_manager.services.common import stored_id, table_of, today
from camp_manager.services.companies import HeadcountEntry, headcount_problems
from camp_manager.services.facilities import facility_by_name, room_problems
from camp_manager.services.occupancy import employees_by_company
from camp_manager.services.residency import MoveIn, move_in_problems

_PROGRESS_EVERY = 500
# The columns a use case's problem is shown in, when the field it names is not a column of the file.
_COLUMN_OF_FIELD = {
    "start_on": "room",
    "end_on": "room",
    "override_reason": "room",
    "company": "biz_reg_no",
    "as_of": "employees",
}


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
        return sorted(
            self.problems, key=lambda p: (p.severity != Severity.ERROR, p.column if p.column is not None else -1)
        )


# --- facilities ---------------------------------------------------------------------


@dataclass
class _Facilities:
    by_folded: dict[str, Facility]
    default: str | None
    to_create: str | None

    def resolve(self, context: _RowContext) -> str | None:
        """The facility name of a row, or None after reporting why there is none."""
        named = context.row.value("facility", str)
        if named is None:
            if self.default is None:
                context.add("facility", tr("시설을 입력하세요. 다음 중 하나: {names}", names=self.names()))
            return self.default
        facility = self.by_folded.get(fold_header(named))
        name = (
            facility.name
            if facility is not None
            else (self.to_create if fold_header(named) == fold_header(self.to_create or "") else None)
        )
        if name is None:
            context.add(
                "facility",
                tr("시설 '{name}'이(가) 없습니다. 다음 중에서 고르세요: {names}", name=named, names=self.names()),
            )
        elif self.default is not None and name != self.default:
            context.add(
                "facility",
                tr(
                    "이 가져오기는 시설 '{chosen}'에 넣습니다. 이 행의 시설 '{name}'은(는) 다른 시설입니다. 시설별로 나누어 가져오세요.",
                    chosen=self.default,
                    name=name,
                ),
            )
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
        raise DomainError(
            tr("아직 시설이 없습니다. 가져올 시설의 이름을 정하세요 (명령줄에서는 --facility 이름)."), field="facility"
        )
    raise DomainError(
        tr(
            "시설이 여럿입니다. 가져올 시설을 고르세요 (명령줄에서는 --facility 이름): {names}",
            names=", ".join(f.name for f in existing),
        ),
        field="facility",
    )


# --- the database, read in bulk -------------------------------------------------------


@dataclass
class _Picture:
    """What the rows need from the database: the rules' book, and what the preview shows."""

    book: Book
    companies: dict[str, Company] = field(default_factory=dict)  # stored companies by business number
    rooms: dict[tuple[str, str], sa.Row[Any]] = field(default_factory=dict)  # stored rooms by (facility, code)
    headcounts: dict[int, int] = field(default_factory=dict)  # latest count on or before the as-of date
    facility_ids: dict[str, int] = field(default_factory=dict)
    # Rooms and a facility the import would create, under provisional (negative) ids in the book.
    new_room_ids: dict[tuple[str, str], int] = field(default_factory=dict)


def _load_picture(session: Session, rows: list[CleanRow], facilities: _Facilities, as_of: date) -> _Picture:
    numbers = sorted({bizno.digits_only(number) for r in rows if (number := r.value("biz_reg_no", str))})
    stored: dict[str, Company] = {}
    if numbers:
        for company in session.exec(select(Company).where(among(session, Company.biz_reg_no, numbers))):
            stored[company.biz_reg_no] = company
    facility_ids = {f.name: stored_id(f) for f in facilities.by_folded.values()}
    rooms: dict[tuple[str, str], sa.Row[Any]] = {}
    if facility_ids:
        names = {fid: name for name, fid in facility_ids.items()}
        # Plain rows, not ORM objects: a facility may have thousands of rooms.
        for room in session.execute(sa.select(table_of(Room)).where(col(Room.facility_id).in_(list(names)))):
            rooms[(names[room.facility_id], room.code)] = room
    codes = {code for r in rows if (code := r.value("room", str)) is not None}
    company_ids = [stored_id(c) for c in stored.values()]
    book = load_book(
        session,
        company_ids=company_ids,
        room_ids=[room.id for (_, code), room in rooms.items() if code in codes],
        biz_numbers=numbers,
    )
    picture = _Picture(book=book, companies=stored, rooms=rooms, facility_ids=facility_ids)
    if company_ids:
        picture.headcounts.update(employees_by_company(session, as_of, company_ids))
    if facilities.to_create:
        picture.facility_ids[facilities.to_create] = -1
        book.facilities[-1] = FacilityFacts(
            -1, facilities.to_create, Facility.model_fields["max_rooms_per_company"].default
        )
    return picture


# --- checking ---------------------------------------------------------------------------


@FullCollections.held_off()  # the rows' objects would make each full collection long
def check(
    *,
    session: Session,
    source: SourceFile,
    sheet: Sheet,
    mapping: ColumnMapping,
    options: ImportOptions | None = None,
    progress: Progress | None = None,
) -> ImportPlan:
    """The verdict of every row; reads the database, writes nothing."""
    progress = progress or NullProgress()
    options = options or ImportOptions()
    missing = mapping.missing_required()
    if missing:
        raise DomainError(
            tr(
                "'{fields}'에 해당하는 열을 찾지 못했습니다. 열 연결에서 어느 열인지 고르세요.",
                fields=", ".join(field_label(k) for k in missing),
            ),
            field="mapping",
        )
    facilities = _facilities(session, options, mapping)
    rows, skipped = clean_rows(sheet, mapping, progress)
    progress.check_cancelled()
    picture = _load_picture(session, rows, facilities, options.as_of)
    checker_type = _ResidentChecker if mapping.kind == ListKind.RESIDENTS else _RoomChecker
    checker = checker_type(
        picture=picture,
        facilities=facilities,
        mapping=mapping,
        options=options,
        sheet=sheet,
        rows=rows,
        today=today(session),
    )
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


KeyT = TypeVar("KeyT")


def _duplicates(rows: Iterable[CleanRow], key: Callable[[CleanRow], KeyT | None]) -> dict[KeyT, list[int]]:
    seen: dict[KeyT, list[int]] = defaultdict(list)
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
        self,
        *,
        picture: _Picture,
        facilities: _Facilities,
        mapping: ColumnMapping,
        options: ImportOptions,
        sheet: Sheet,
        rows: list[CleanRow],
        today: date,
    ) -> None:
        self.picture = picture
        self.today = today
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
    def __init__(self, *, rows: list[CleanRow], **parts: Any) -> None:
        super().__init__(rows=rows, **parts)
        self.duplicates = _duplicates(
            rows,
            lambda r: (fold_header(r.value("facility", str) or ""), code) if (code := r.value("room", str)) else None,
        )

    def verdict(self, row: CleanRow) -> RowVerdict:
        context = self.context(row)
        facility = self.facilities.resolve(context)
        code = context.row.value("room", str)
        if code is None:
            context.add("room", tr("{what}을(를) 입력하세요.", what=field_label("room")))
        floor = context.row.value("floor", int)
        if floor is None and code is not None:
            floor = floor_from_code(code)
            if floor is None:
                context.add("floor", tr("호실 {code}의 층을 입력하세요.", code=code))
        kind = context.row.value("kind", str) or RoomKind.PRIVATE_OFFICE.value
        seats = context.row.value("seats", int) or 0
        area = context.row.value("area_m2", float) or 0.0
        for key, message in room_problems(kind=kind, seats=seats, area_m2=area).items():
            context.add(key, message)
        numbers = self.duplicates.get((fold_header(context.row.value("facility", str) or ""), code)) if code else None
        if numbers:
            context.add(
                "room",
                tr(
                    "호실 {code}이(가) {rows}행에도 있습니다. 한 호실은 한 행에만 적으세요.",
                    code=code,
                    rows=_other_rows(numbers, row.row),
                ),
            )
        title = code or ""
        # A row without a floor has an error already; the check tells the types as much.
        if context.has_errors or facility is None or code is None or floor is None:
            return RowVerdict(row.row, Action.ERROR, title, facility or "", problems=context.sorted_problems())
        stored = self.picture.rooms.get((facility, code))
        if stored is None:
            write = RoomWrite(facility=facility, code=code, floor=floor, kind=kind, seats=seats, area_m2=area)
            return RowVerdict(row.row, Action.CREATE, title, facility, problems=context.sorted_problems(), write=write)
        differences = [
            Change(key, display(before), display(after))
            for key, before, after in (
                ("floor", stored.floor, floor),
                ("kind", label_of(RoomKind, stored.kind), label_of(RoomKind, kind)),
                ("seats", stored.seats, seats),
                ("area_m2", stored.area_m2, area),
            )
            if context.row.values.get(key) is not None and before != after
        ]
        if differences:
            context.warn(
                None,
                tr(
                    "호실 {code}이(가) 이미 있고 저장된 값과 다릅니다({changes}). 가져오기로는 바꾸지 않으니 호실 화면에서 고치세요.",
                    code=code,
                    changes="; ".join(str(c) for c in differences),
                ),
            )
        return RowVerdict(row.row, Action.UNCHANGED, title, facility, problems=context.sorted_problems())


class _ResidentChecker(_Checker):
    def __init__(self, *, rows: list[CleanRow], **parts: Any) -> None:
        super().__init__(rows=rows, **parts)
        # Rows are told apart by the digits of their business number (`123-45-67890` = `1234567890`).
        self.numbers = {
            r.row: bizno.digits_only(number) if (number := r.value("biz_reg_no", str)) else None for r in rows
        }
        self.duplicates = _duplicates(rows, lambda r: self.numbers[r.row])
        self.book = self.picture.book

    def verdict(self, row: CleanRow) -> RowVerdict:
        context = self.context(row)
        number = self.numbers[row.row]
        name = context.row.value("name", str) or ""
        facility = self.facilities.resolve(context)
        stored = self.picture.companies.get(number) if number else None
        data, changes = self._company(context, stored)
        if number is not None and number in self.duplicates:
            context.add(
                "biz_reg_no",
                tr(
                    "사업자등록번호 {number}이(가) {rows}행에도 있습니다. 한 기업은 한 행에만 적으세요.",
                    number=bizno.format_bizno(number),
                    rows=_other_rows(self.duplicates[number], row.row),
                ),
            )
        key = bizno.format_bizno(number) if number else ""
        # A row without a business number has an error already; the check tells the types as much.
        if context.has_errors or facility is None or number is None:
            return RowVerdict(row.row, Action.ERROR, name, key, problems=context.sorted_problems())
        data.biz_reg_no = number
        # A company the import would register is checked under a provisional id, the row number negated,
        # and named with its row, so a rule it meets further down names the row it was claimed on.
        company_id = stored_id(stored) if stored is not None else -row.row
        self.book.company_names.setdefault(company_id, tr("{name}({row}행)", name=data.name, row=row.row))
        write = ResidentWrite(
            company_id=stored.id if stored else None,
            company=data if (stored is None or changes) else None,
            facility=facility,
        )
        claims = _RowClaims(self.book)
        changes += self._residency(context, company_id, write, claims)
        changes += self._room(context, company_id, write, claims)
        changes += self._headcount(context, stored, company_id, write)
        if context.has_errors:
            claims.withdraw()
            return RowVerdict(row.row, Action.ERROR, name, key, changes, context.sorted_problems())
        if stored is None:
            return RowVerdict(row.row, Action.CREATE, name, key, changes, context.sorted_problems(), write)
        action = Action.UPDATE if changes else Action.UNCHANGED
        return RowVerdict(row.row, action, name, key, changes, context.sorted_problems(), write if changes else None)

    def _refused(self, context: _RowContext, problems: dict[str, str]) -> bool:
        """Show a use case's problems in the columns they are about; whether there were any."""
        for name, message in problems.items():
            column = name if self.mapping.column_of(name) is not None else _COLUMN_OF_FIELD.get(name, name)
            context.add(column, message)
        return bool(problems)

    def _company(self, context: _RowContext, stored: Company | None) -> tuple[companies.CompanyInput, list[Change]]:
        """The company's values after the import, checked by the use case's own rules, and what changes."""
        values = context.row.values
        given = {key: values[key] for key in companies.EDITABLE_FIELDS if values.get(key) is not None}
        changes = []
        data = companies.company_input(stored) if stored is not None else companies.CompanyInput(name="", biz_reg_no="")
        for key, value in given.items():
            before = getattr(data, key)
            setattr(data, key, value)
            # A stored company is found by its number, so the number is no change.
            if stored is not None and key != "biz_reg_no" and value != before:
                changes.append(Change(key, _shown(key, before), _shown(key, value)))
        if stored is not None and "name" in given and given["name"] != stored.name:
            context.warn(
                "name",
                tr(
                    "같은 사업자등록번호로 저장된 기업명은 '{stored}'입니다. 가져오면 '{name}'(으)로 바뀝니다.",
                    stored=stored.name,
                    name=given["name"],
                ),
            )
        problems = companies.company_problems(
            self.book, data, company_id=stored.id if stored else None, today=self.today
        )
        for key, message in problems.items():
            context.add(key, message)
        return data, changes

    def _residency(
        self, context: _RowContext, company_id: int, write: ResidentWrite, claims: _RowClaims
    ) -> list[Change]:
        move_in, contract_end = context.row.value("move_in", date), context.row.value("contract_end", date)
        current = self.book.open_stay(company_id)
        if contract_end is not None and move_in is None and current is None:
            context.warn("contract_end", tr("입주일이 없어 계약 만료일을 넣지 않습니다. 입주일을 함께 적으세요."))
        facility_id = self.picture.facility_ids[write.facility]
        if move_in is None or (current is not None and current.facility_id == facility_id):
            if current is not None and move_in is not None and current.move_in != move_in:
                context.warn(
                    "move_in",
                    tr(
                        "{date}부터 입주 중으로 저장되어 있어 파일의 입주일 {file_date}은(는) 넣지 않습니다.",
                        date=current.move_in,
                        file_date=move_in,
                    ),
                )
            if current is not None and contract_end is not None and contract_end != current.contract_end:
                context.warn(
                    "contract_end",
                    tr(
                        "저장된 계약 만료일은 {stored}입니다. 가져오기로는 계약 기간을 바꾸지 않으니 바꾸려면 입주기업 화면에서 연장하세요.",
                        stored=display(current.contract_end) or "-",
                    ),
                )
            return []
        request = MoveIn(company_id=company_id, facility_id=facility_id, move_in_on=move_in, contract_end=contract_end)
        if self._refused(context, move_in_problems(self.book, request)):
            return []
        claims.stay(Stay(None, company_id, facility_id, move_in, contract_end, None))
        write.move_in, write.contract_end = move_in, contract_end
        changes = [Change("move_in", "", display(move_in))]
        if contract_end is not None:
            changes.append(Change("contract_end", "", display(contract_end)))
        return changes

    def _room(self, context: _RowContext, company_id: int, write: ResidentWrite, claims: _RowClaims) -> list[Change]:
        code = context.row.value("room", str)
        if code is None:
            return []
        facility_id = self.picture.facility_ids[write.facility]
        current = self.book.open_stay(company_id)
        if write.move_in is not None:
            start = write.move_in
        elif current is not None and current.facility_id == facility_id:
            start = max(current.move_in, self.options.as_of)
        else:
            context.warn(
                "room",
                tr(
                    "입주일이 없고 입주 중도 아니어서 호실 {code}을(를) 배정하지 않습니다. 입주일을 함께 적으세요.",
                    code=code,
                ),
            )
            return []
        key = (write.facility, code)
        room_id = self.picture.rooms[key].id if key in self.picture.rooms else self.picture.new_room_ids.get(key)
        held = [h for h in self.book.holds_by_company.get(company_id, ()) if h.overlaps(start, None)]
        if room_id is not None and any(h.room_id == room_id for h in held):
            return []
        if held:
            codes = ", ".join(sorted({self.book.rooms[h.room_id].code for h in held}))
            context.warn(
                "room",
                tr(
                    "이미 호실 {held}을(를) 쓰고 있어 파일의 호실 {code}은(는) 배정하지 않습니다. 옮기려면 호실 화면에서 이동하세요.",
                    held=codes,
                    code=code,
                ),
            )
            return []
        if room_id is None:
            if not self.options.create_rooms:
                context.warn(
                    "room",
                    tr(
                        "시설 '{facility}'에 호실 {code}이(가) 없어 호실 없이 가져옵니다. 호실을 만들려면 '없는 호실 만들기'를 켜세요.",
                        facility=write.facility,
                        code=code,
                    ),
                )
                return []
            room_id = self._plan_new_room(key, facility_id)
        room = self.book.rooms[room_id]
        request = RoomBooking(
            company_id, room_id, start, None, seats_taken(room.kind, room.seats, context.row.value("seats", int))
        )
        if self._refused(context, allocation_problems(self.book, request)):
            return []
        claims.hold(Hold(None, company_id, room_id, start, None, request.seats or 0))
        write.room, write.room_start, write.seats = code, start, request.seats or 0
        if room_id < 0:
            self._new_rooms[key].rows.append(context.row.row)
            return [Change("room", "", tr("{code} (새 호실)", code=code))]
        write.room_id = room_id
        return [Change("room", "", code)]

    def _plan_new_room(self, key: tuple[str, str], facility_id: int) -> int:
        """A room this import would create, known to the book under a provisional id."""
        facility, code = key
        room_id = -(len(self.picture.new_room_ids) + 1)
        self.picture.new_room_ids[key] = room_id
        self._new_rooms[key] = NewRoom(facility=facility, code=code, floor=floor_from_code(code) or 1, rows=[])
        new = self._new_rooms[key]
        self.book.rooms[room_id] = RoomFacts(room_id, facility_id, code, new.kind, new.seats, None)
        return room_id

    def _headcount(
        self, context: _RowContext, stored: Company | None, company_id: int, write: ResidentWrite
    ) -> list[Change]:
        employees = context.row.value("employees", int)
        if employees is None:
            return []
        before = self.picture.headcounts.get(company_id) if stored else None
        if before == employees:
            return []
        ended = self.book.exit_before(company_id, self.options.as_of)
        if ended is not None:
            context.warn("employees", tr("{date}에 퇴거한 기업이라 고용인원을 기록하지 않습니다.", date=ended))
            return []
        if self._refused(
            context, headcount_problems(self.book, HeadcountEntry(company_id, self.options.as_of, employees))
        ):
            return []
        write.employees = employees
        return [Change("employees", display(before), display(employees))]


class _RowClaims:
    """What one row claimed in the book, withdrawn when the row turns out to be in error."""

    def __init__(self, book: Book) -> None:
        self.book = book
        self.stays: list[Stay] = []
        self.holds: list[Hold] = []

    def stay(self, stay: Stay) -> None:
        self.book.claim_stay(stay)
        self.stays.append(stay)

    def hold(self, hold: Hold) -> None:
        self.book.claim_hold(hold)
        self.holds.append(hold)

    def withdraw(self) -> None:
        for stay in self.stays:
            self.book.stays[stay.company_id].remove(stay)
        for hold in self.holds:
            self.book.holds_by_room[hold.room_id].remove(hold)
            self.book.holds_by_company[hold.company_id].remove(hold)


def _shown(key: str, value: object) -> str:
    shown = display(value)
    return label_of(BusinessField, shown) if key == "field" and shown else shown
