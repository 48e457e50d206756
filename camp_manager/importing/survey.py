"""The performance survey (경영성과 조사표): a workbook sent to the resident companies and read back.

`survey_rows` gathers the companies resident in the year with their known figures, which
`survey_workbook.build_survey` writes to the workbook (openpyxl is loaded there, when a survey is
written, not with the import page that reads one back). `check_survey` reads a returned file through the
import's own steps (header matching, cleaning) and gives each row a verdict from the use
cases' problem functions; `commit_survey` writes it through the batch use cases, in one
transaction, recorded as an ImportBatch that `import-undo` takes back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, col, select

from camp_manager.db.models import (
    CertificationKind,
    Company,
    Facility,
    HeadcountRecord,
    ImportBatch,
    InvestmentKind,
    IPKind,
    Residency,
    SalesRecord,
)
from camp_manager.errors import DomainError
from camp_manager.i18n import LANGUAGES, language_scope, tr
from camp_manager.importing.actions import Action
from camp_manager.importing.commit import new_batch, refuse_if_changed, refuse_rows_in_error, write_batch
from camp_manager.importing.mapping import SURVEY_KINDS, ColumnMapping, ListKind, fold_header, mapping_at
from camp_manager.importing.normalize import CleanRow, Problem, Severity, SkippedRow, clean_rows, display
from camp_manager.importing.plan import Change, RowVerdict
from camp_manager.importing.read import Sheet, SourceFile
from camp_manager.labels import label
from camp_manager.services import bizno
from camp_manager.services.book import among
from camp_manager.services.common import stored_id, today
from camp_manager.services.companies import HeadcountEntry, headcount_problems, record_headcounts
from camp_manager.services.outcomes import (
    MODEL_OF,
    CertificationInput,
    InvestmentInput,
    IPInput,
    OutcomeInput,
    ProjectInput,
    SalesInput,
    load_outcome_facts,
    outcome_input,
    outcome_problems,
    record_outcomes,
)

SurveyInput = OutcomeInput | HeadcountEntry
_Problem = Callable[[str, str], None]  # (survey field, message) of a row
_Found = Callable[[dict[str, str]], None]  # a problem function's findings, by input field

KINDS_OF_SHEET: dict[ListKind, type[InvestmentKind] | type[IPKind] | type[CertificationKind]] = {
    ListKind.SURVEY_INVESTMENT: InvestmentKind,
    ListKind.SURVEY_IP: IPKind,
    ListKind.SURVEY_CERTIFICATION: CertificationKind,
}
# The input field each survey column feeds, per sheet (for naming the cell of a problem).
_INPUT_FIELDS: dict[ListKind, dict[str, str]] = {
    ListKind.SURVEY_SALES: {
        "year": "year",
        "sales_krw": "sales_krw",
        "exports_krw": "exports_krw",
        "employees": "employees",
        "total_employees": "total_employees",
        "as_of": "employees",
    },
    ListKind.SURVEY_INVESTMENT: {
        "invested_on": "dated_on",
        "kind": "outcome_kind",
        "amount_krw": "investment_krw",
        "investor": "investor",
    },
    ListKind.SURVEY_IP: {"dated_on": "dated_on", "kind": "outcome_kind", "number": "record_number", "title": "title"},
    ListKind.SURVEY_CERTIFICATION: {
        "granted_on": "dated_on",
        "kind": "outcome_kind",
        "valid_until": "valid_until",
        "number": "record_number",
    },
    ListKind.SURVEY_PROJECT: {
        "selected_on": "dated_on",
        "name": "title",
        "agency": "agency",
        "amount_krw": "amount_krw",
    },
}


def sheet_title(kind: ListKind) -> str:
    return label(kind)


def headers(kind: ListKind) -> list[tuple[str, str]]:
    """(field, header) of each column of a survey sheet, in order; the import's matching recognises each."""
    company = [("biz_reg_no", tr("사업자등록번호")), ("name", tr("기업명"))]
    columns = {
        ListKind.SURVEY_SALES: [
            ("year", tr("연도")),
            ("sales_krw", tr("매출액(원)")),
            ("exports_krw", tr("수출액(원)")),
            ("employees", tr("상시 고용인원")),
            ("total_employees", tr("전체 인원")),
        ],
        ListKind.SURVEY_INVESTMENT: [
            ("dated_on", tr("투자일")),
            ("outcome_kind", tr("투자 유형")),
            ("investment_krw", tr("투자금액(원)")),
            ("investor", tr("투자자")),
        ],
        ListKind.SURVEY_IP: [
            ("dated_on", tr("출원·등록일")),
            ("outcome_kind", tr("권리 종류")),
            ("record_number", tr("출원·등록번호")),
            ("title", tr("명칭")),
        ],
        ListKind.SURVEY_CERTIFICATION: [
            ("dated_on", tr("인증일")),
            ("outcome_kind", tr("인증 종류")),
            ("valid_until", tr("유효기간 만료일")),
            ("record_number", tr("인증번호")),
        ],
        ListKind.SURVEY_PROJECT: [
            ("dated_on", tr("선정일")),
            ("title", tr("사업명")),
            ("agency", tr("주관기관")),
            ("amount_krw", tr("지원금액(원)")),
        ],
    }[kind]
    return company + columns


def year_end(year: int, on: date) -> date:
    """The day a survey's headcounts speak of: the year's last day, or `on` while the year runs."""
    return min(date(year, 12, 31), on)


# --- generation ------------------------------------------------------------------------------


@dataclass
class SurveyRow:
    company_id: int
    biz_reg_no: str
    name: str
    sales_krw: int | None = None
    exports_krw: int | None = None
    employees: int | None = None
    total_employees: int | None = None


def _latest_headcounts(session: Session, company_ids: list[int], day: date) -> dict[int, tuple[int, int | None]]:
    """Each company's regular and total employees on `day` (its latest record on or before it)."""
    found: dict[int, tuple[int, int | None]] = {}
    records = select(HeadcountRecord).where(
        among(session, col(HeadcountRecord.company_id), company_ids), col(HeadcountRecord.as_of) <= day
    )
    for record in session.exec(records.order_by(col(HeadcountRecord.as_of))):
        found[record.company_id] = (record.employees, record.total_employees)
    return found


def survey_rows(
    session: Session, *, year: int, facility: str | None = None, company: str | None = None
) -> list[SurveyRow]:
    """The companies resident at any time in `year` (in `facility`; the one `company` names), with their figures."""
    stays = select(Residency.company_id).where(Residency.overlaps(date(year, 1, 1), date(year + 1, 1, 1)))
    if facility is not None:
        facility_id = session.exec(select(Facility.id).where(col(Facility.name) == facility)).first()
        if facility_id is None:
            raise DomainError(
                tr("시설 '{name}'이(가) 없습니다. 시설 이름을 확인하세요.", name=facility), field="facility"
            )
        stays = stays.where(col(Residency.facility_id) == facility_id)
    query = select(Company).where(col(Company.id).in_(stays)).order_by(col(Company.name))
    if company is not None:
        digits = "".join(ch for ch in company if ch.isdigit())
        query = query.where((col(Company.name) == company.strip()) | (col(Company.biz_reg_no) == digits))
    companies = list(session.exec(query))
    if company is not None and not companies:
        raise DomainError(
            tr(
                "{year}년에 입주한 기업 중 '{company}'이(가) 없습니다. 기업명이나 사업자등록번호를 확인하세요.",
                year=year,
                company=company,
            ),
            field="company",
        )
    rows = {stored_id(c): SurveyRow(stored_id(c), bizno.format_bizno(c.biz_reg_no), c.name) for c in companies}
    for record in session.exec(
        select(SalesRecord).where(among(session, col(SalesRecord.company_id), rows), col(SalesRecord.year) == year)
    ):
        if record.half == 0:
            rows[record.company_id].sales_krw, rows[record.company_id].exports_krw = (
                record.sales_krw,
                record.exports_krw,
            )
    for company_id, (employees, total) in _latest_headcounts(
        session, list(rows), year_end(year, today(session))
    ).items():
        rows[company_id].employees, rows[company_id].total_employees = employees, total
    return list(rows.values())


# --- reading a returned survey ---------------------------------------------------------------


def _sheet_kinds() -> dict[str, ListKind]:
    """Folded sheet name (in every language) → the survey sheet it is."""
    found: dict[str, ListKind] = {}
    for language in LANGUAGES:
        with language_scope(language):
            found.update({fold_header(sheet_title(kind)): kind for kind in SURVEY_KINDS})
    return found


def is_survey(source: SourceFile) -> bool:
    """A workbook with the survey's sales sheet (the one every company gets)."""
    kinds = _sheet_kinds()
    return any(kinds.get(fold_header(name)) == ListKind.SURVEY_SALES for name in source.sheet_names)


@dataclass
class SurveySection:
    sheet: Sheet
    mapping: ColumnMapping
    verdicts: list[RowVerdict]
    skipped: list[SkippedRow]
    inputs: dict[int, list[SurveyInput]] = field(default_factory=dict)  # row → what it writes


@dataclass
class SurveyPlan:
    file_name: str
    file_sha256: str
    sections: list[SurveySection]

    @property
    def verdicts(self) -> list[RowVerdict]:
        return [v for s in self.sections for v in s.verdicts]

    @property
    def error_rows(self) -> list[RowVerdict]:
        return [v for v in self.verdicts if v.action == Action.ERROR]

    def count(self, action: Action) -> int:
        return sum(1 for v in self.verdicts if v.action == action)

    @property
    def skipped(self) -> int:
        return sum(len(s.skipped) for s in self.sections)

    def fingerprint(self) -> tuple[object, ...]:
        """What the plan would write; an import from the app compares it with the one the user confirmed."""
        return tuple(
            (s.sheet.name, v.row, v.action.value, tuple((c.field, c.before, c.after) for c in v.changes))
            for s in self.sections
            for v in s.verdicts
        )


class _SurveyChecker:
    def __init__(self, session: Session, rows: dict[ListKind, list[CleanRow]]) -> None:
        numbers = {
            bizno.normalize(str(row.values["biz_reg_no"]))
            for kind_rows in rows.values()
            for row in kind_rows
            if row.values.get("biz_reg_no") is not None
        }
        self.companies: dict[str, int] = dict(
            session.execute(
                sa.select(col(Company.biz_reg_no), col(Company.id)).where(
                    among(session, col(Company.biz_reg_no), numbers)
                )
            ).all()
        )
        ids = list(self.companies.values())
        self.facts = load_outcome_facts(session, ids)
        self.today = today(session)
        self.headcounts: dict[date, dict[int, tuple[int, int | None]]] = {}
        self.session = session
        self.stored: set[OutcomeInput] = set()
        for model in MODEL_OF.values():
            company = sa.inspect(model).columns["company_id"]
            self.stored |= {outcome_input(r) for r in session.exec(select(model).where(among(session, company, ids)))}  # type: ignore[arg-type]
        self.sales_rows: dict[int, int] = {}

    def verdict(self, kind: ListKind, mapping: ColumnMapping, row: CleanRow) -> tuple[RowVerdict, list[SurveyInput]]:
        values = row.values
        title = display(values.get("name") or "")
        verdict = RowVerdict(row=row.row, action=Action.ERROR, title=title, key=display(values.get("biz_reg_no") or ""))
        verdict.problems.extend(row.problems)

        def problem(key: str, message: str) -> None:
            column = mapping.column_of(key)
            verdict.problems.append(
                Problem(
                    row.row,
                    column,
                    mapping.header_of(column) if column is not None else "",
                    display(values.get(key) or ""),
                    message,
                )
            )

        company_id = self._company(values, problem)
        inputs: list[SurveyInput] = []
        if company_id is not None and not row.has_errors:
            inputs = self._inputs(kind, company_id, values, problem, verdict)
        if verdict.errors:
            return verdict, []
        writes = [i for i in inputs if self._is_new(i, verdict)]
        verdict.action = (
            Action.UNCHANGED
            if not writes
            else Action.UPDATE
            if any(change.before for change in verdict.changes)
            else Action.CREATE
        )
        return verdict, writes

    def _company(self, values: dict[str, object], problem: _Problem) -> int | None:
        raw = values.get("biz_reg_no")
        if raw is None:
            problem("biz_reg_no", tr("사업자등록번호를 입력하세요."))
            return None
        company_id = self.companies.get(bizno.normalize(str(raw)))
        if company_id is None:
            name = display(values.get("name") or "")
            problem(
                "biz_reg_no",
                tr(
                    "등록되지 않은 기업: {company}; 먼저 입주기업으로 등록하세요.",
                    company=f"{name} ({display(raw)})".strip(),
                ),
            )
        return company_id

    def _inputs(
        self, kind: ListKind, company_id: int, values: dict[str, object], problem: _Problem, verdict: RowVerdict
    ) -> list[SurveyInput]:
        fields = _INPUT_FIELDS[kind]

        def report(found: dict[str, str]) -> None:
            for name, message in found.items():
                problem(fields.get(name, "biz_reg_no"), message)

        if kind == ListKind.SURVEY_SALES:
            return self._sales_inputs(company_id, values, report, problem, verdict)
        day = values.get("dated_on")
        if day is None:
            problem("dated_on", tr("날짜를 입력하세요 (예: 2025-03-02)."))
            return []
        assert isinstance(day, date), "the dated_on parser gives a date"
        data: OutcomeInput
        kind_code = self._kind_code(kind, values.get("outcome_kind"))
        if kind == ListKind.SURVEY_INVESTMENT:
            data = InvestmentInput(
                company_id,
                day,
                _int(values.get("investment_krw")),
                kind_code or InvestmentKind.EQUITY.value,
                _text(values.get("investor")),
            )
        elif kind == ListKind.SURVEY_IP:
            data = IPInput(company_id, kind_code, day, _text(values.get("record_number")), _text(values.get("title")))
        elif kind == ListKind.SURVEY_CERTIFICATION:
            until = values.get("valid_until")
            data = CertificationInput(
                company_id,
                kind_code,
                day,
                until if isinstance(until, date) else None,
                _text(values.get("record_number")),
            )
        else:
            data = ProjectInput(
                company_id, day, _text(values.get("title")), _text(values.get("agency")), _int(values.get("amount_krw"))
            )
        report(outcome_problems(self.facts, data, today=self.today))
        return [data]

    def _kind_code(self, kind: ListKind, raw: object) -> str:
        """The code of a kind written as its label (in any language) or its code; else as written, for the checks."""
        if raw is None:
            return ""
        folded = fold_header(raw)
        for member in KINDS_OF_SHEET[kind]:
            for language in LANGUAGES:
                with language_scope(language):
                    if folded in (fold_header(label(member)), fold_header(member.value)):
                        return member.value
        return display(raw)

    def _sales_inputs(
        self, company_id: int, values: dict[str, object], report: _Found, problem: _Problem, verdict: RowVerdict
    ) -> list[SurveyInput]:
        row = verdict.row
        if company_id in self.sales_rows:
            problem(
                "biz_reg_no",
                tr("같은 기업이 {other}행에도 있습니다. 한 행만 남기세요.", other=self.sales_rows[company_id]),
            )
            return []
        self.sales_rows[company_id] = row
        year = values.get("year")
        if not isinstance(year, int):
            problem("year", tr("연도를 입력하세요 (예: 2025)."))
            return []
        inputs: list[SurveyInput] = []
        sales, exports = values.get("sales_krw"), values.get("exports_krw")
        if sales is not None or exports is not None:
            data = SalesInput(company_id, year, 0, _int(sales), _int(exports))
            stored = self.facts.sales_periods.get((company_id, year), {}).get(0)
            report(outcome_problems(self.facts, data, today=self.today, record_id=stored))
            inputs.append(data)
        employees, total = values.get("employees"), values.get("total_employees")
        if employees is not None or total is not None:
            if employees is None:
                problem("employees", tr("전체 인원을 적었다면 상시 고용인원도 적으세요."))
                return []
            assert isinstance(employees, int) and (total is None or isinstance(total, int)), "counts are parsed"
            entry = HeadcountEntry(company_id, self._headcount_day(company_id, year), employees, total)
            report(headcount_problems(self.facts.book, entry))
            inputs.append(entry)
        return inputs

    def _headcount_day(self, company_id: int, year: int) -> date:
        """The day a company's surveyed headcount speaks of: the year's end, or its exit day if it left
        during the year (the exit day still counts; the survey pre-filled the headcount held then)."""
        day = year_end(year, self.today)
        return self.facts.book.exit_before(company_id, day) or day

    def _is_new(self, data: SurveyInput, verdict: RowVerdict) -> bool:
        """Whether `data` writes anything; its changes to a stored record go on the verdict."""
        if isinstance(data, HeadcountEntry):
            day = data.as_of
            if day not in self.headcounts:
                self.headcounts[day] = _latest_headcounts(self.session, list(self.companies.values()), day)
            before = self.headcounts[day].get(data.company_id)
            after = (data.employees, data.total_employees)
            if before == after:
                return False
            for key, old, new in zip(("employees", "total_employees"), before or (None, None), after, strict=True):
                if old != new:
                    verdict.changes.append(Change(key, display(old), display(new)))
            return True
        if isinstance(data, SalesInput):
            stored = self.facts.sales_periods.get((data.company_id, data.year), {}).get(0)
            if stored is not None:
                record = self.session.get(SalesRecord, stored)
                assert record is not None, "the facts hold stored records"
                if (record.sales_krw, record.exports_krw) == (data.sales_krw, data.exports_krw):
                    return False
                verdict.changes.append(Change("sales_krw", display(record.sales_krw), display(data.sales_krw)))
                verdict.changes.append(Change("exports_krw", display(record.exports_krw), display(data.exports_krw)))
                return True
            self.facts.claim(data, None)
            return True
        if data in self.stored:
            return False
        self.stored.add(data)
        return True


def _int(value: object) -> int:
    return value if isinstance(value, int) else 0


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def check_survey(*, session: Session, source: SourceFile) -> SurveyPlan:
    """The verdict of every row of every survey sheet; reads the database, writes nothing."""
    kinds = _sheet_kinds()
    read: list[tuple[ListKind, Sheet, ColumnMapping, list[CleanRow], list[SkippedRow]]] = []
    for name in source.sheet_names:
        kind = kinds.get(fold_header(name))
        if kind is None:
            continue
        sheet = source.read_sheet(name)
        mapping = mapping_at(sheet, 1, kind)
        missing = mapping.missing_required()
        if missing:
            raise DomainError(
                tr(
                    "시트 '{sheet}'의 첫 행에서 사업자등록번호 열을 찾지 못했습니다. 조사표의 열 제목을 바꾸지 마세요.",
                    sheet=name,
                ),
                field="mapping",
            )
        rows, skipped = clean_rows(sheet, mapping)
        read.append((kind, sheet, mapping, rows, skipped))
    checker = _SurveyChecker(session, {kind: rows for kind, _, _, rows, _ in read})
    sections = []
    for kind, sheet, mapping, rows, skipped in read:
        section = SurveySection(sheet=sheet, mapping=mapping, verdicts=[], skipped=skipped)
        for row in rows:
            verdict, writes = checker.verdict(kind, mapping, row)
            section.verdicts.append(verdict)
            if writes:
                section.inputs[row.row] = writes
        sections.append(section)
    return SurveyPlan(file_name=source.name, file_sha256=source.sha256, sections=sections)


def commit_survey(*, session: Session, plan: SurveyPlan, skip_invalid: bool = False) -> ImportBatch | None:
    """Write the plan's valid rows through the batch use cases and record the import; None if nothing to write."""
    errors = plan.error_rows
    refuse_rows_in_error(errors, skip_invalid=skip_invalid)
    by_verdict = [
        (verdict, data)
        for section in plan.sections
        for verdict in section.verdicts
        if verdict.action in (Action.CREATE, Action.UPDATE)
        for data in section.inputs.get(verdict.row, [])
    ]
    if not by_verdict:
        return None
    batch = new_batch(session, plan, skipped=plan.skipped, errors=len(errors))
    batch_id = stored_id(batch)
    write_batch(
        [(v, d) for v, d in by_verdict if isinstance(d, HeadcountEntry)],
        lambda entries: record_headcounts(session=session, entries=entries, import_batch_id=batch_id),
    )
    write_batch(
        [(v, d) for v, d in by_verdict if not isinstance(d, HeadcountEntry)],
        lambda inputs: record_outcomes(session=session, inputs=inputs, import_batch_id=batch_id),
    )
    session.flush()
    return batch


@dataclass
class SurveyImport:
    plan: SurveyPlan
    batch: ImportBatch | None  # None when nothing was written


def run_survey_import(
    *, session: Session, source: SourceFile, confirmed: SurveyPlan, skip_invalid: bool = False
) -> SurveyImport:
    """Check the file again in this transaction and write it, if it writes what the user `confirmed`."""
    plan = check_survey(session=session, source=source)
    refuse_if_changed(plan.fingerprint(), confirmed.fingerprint())
    return SurveyImport(plan=plan, batch=commit_survey(session=session, plan=plan, skip_invalid=skip_invalid))


def problems_of(plan: SurveyPlan, severity: Severity) -> list[tuple[str, Problem]]:
    """(sheet, problem) of every row, for the command line."""
    return [(s.sheet.name, p) for s in plan.sections for v in s.verdicts for p in v.problems if p.severity == severity]
