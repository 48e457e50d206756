"""The performance survey (경영성과 조사표): generated pre-filled, filled in as a company would, imported
through the import's checks, written with its ImportBatch, undone; bad cells refused with nothing written."""

from __future__ import annotations

import json
from datetime import date

import openpyxl
import pytest
from sqlmodel import Session, col, select

from camp_manager.cli import main
from camp_manager.db.engine import make_engine
from camp_manager.db.migrate import open_database
from camp_manager.db.models import AuditEntry, Company, HeadcountRecord, ImportBatch, InvestmentRound, SalesRecord
from camp_manager.i18n import language_scope
from camp_manager.importing.mapping import SURVEY_KINDS, mapping_at
from camp_manager.importing.read import Sheet
from camp_manager.importing.survey import headers
from camp_manager.services import companies, exits, facilities, residency
from camp_manager.services.companies import CompanyInput, HeadcountEntry, record_headcounts
from camp_manager.services.outcomes import SalesInput, record_outcomes
from tests.factories import valid_bizno

YEAR = 2025


@pytest.fixture
def db(tmp_path):
    path = str(tmp_path / "survey.sqlite3")
    engine = open_database(path, create=True)
    with Session(engine) as session:
        facility = facilities.create_facility(session=session, name="AI 창업캠프")
        other = facilities.create_facility(session=session, name="아이플렉스")
        ids = {}
        for name, number, place, founded in (
            ("딥러닝랩스", valid_bizno(11), facility, date(2020, 5, 1)),
            ("한빛에이아이", valid_bizno(12), facility, date(2025, 6, 1)),
            ("아이플렉스기업", valid_bizno(13), other, None),
        ):
            company = companies.register_company(
                session=session, data=CompanyInput(name=name, biz_reg_no=number, founded_on=founded)
            )
            residency.move_in(session=session, company_id=company.id, facility_id=place.id, move_in_on=date(2025, 6, 2))
            ids[name] = company.id
        record_outcomes(session=session, inputs=[SalesInput(ids["딥러닝랩스"], YEAR, 0, 500_000_000, 20_000_000)])
        record_headcounts(session=session, entries=[HeadcountEntry(ids["딥러닝랩스"], date(2025, 7, 1), 7, 9)])
        session.commit()
    engine.dispose()
    return path


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def rows_of(db: str, model) -> list:
    engine = make_engine(f"sqlite:///{db}")
    try:
        with Session(engine) as session:
            return list(session.exec(select(model).order_by(col(model.id))))
    finally:
        engine.dispose()


def generate(capsys, db, tmp_path, *extra: str):
    out = tmp_path / "survey.xlsx"
    code, printed, err = run(capsys, "--db", db, "survey", "--year", str(YEAR), *extra, "--out", str(out))
    assert code == 0, err
    assert str(out) in printed
    return out, openpyxl.load_workbook(out)


def test_every_survey_header_is_recognised_by_the_import_in_both_languages():
    for language in ("ko", "en"):
        with language_scope(language):
            for kind in SURVEY_KINDS:
                columns = headers(kind)
                mapping = mapping_at(Sheet("s", [[text for _, text in columns]]), 1, kind)
                assert mapping.columns == {i: key for i, (key, _) in enumerate(columns)}, (language, kind)


def test_the_survey_is_prefilled_greyed_and_has_lists_of_kinds(capsys, db, tmp_path):
    _, workbook = generate(capsys, db, tmp_path, "--facility", "AI 창업캠프")
    assert workbook.sheetnames == ["안내", "매출·고용", "투자유치", "지식재산권", "인증", "정부지원사업"]
    sales = workbook["매출·고용"]
    rows = [[c.value for c in row] for row in sales.iter_rows(min_row=2)]
    assert [r[1] for r in rows] == ["딥러닝랩스", "한빛에이아이"]  # the other facility's company is not asked
    assert rows[0][2:] == [YEAR, 500_000_000, 20_000_000, 7, 9]
    assert rows[1][2:] == [YEAR, None, None, None, None]
    assert (
        sales["A2"].fill.fgColor.rgb.endswith("D9D9D9") and sales["C2"].fill.fgColor.rgb != sales["A2"].fill.fgColor.rgb
    )
    lists = {str(dv.sqref): dv.formula1 for dv in workbook["투자유치"].data_validations.dataValidation}
    assert lists["D2:D201"] == '"지분 투자,전환사채·SAFE,정부출연,융자"'
    assert lists["A2:A201"] == "='매출·고용'!$A$2:$A$3"
    _, one = generate(capsys, db, tmp_path, "--company", "한빛에이아이")
    assert [c.value for c in one["매출·고용"]["B"]][1:] == ["한빛에이아이"]


def fill(path, *, sales=None, investments=(), certifications=()):
    workbook = openpyxl.load_workbook(path)
    for (row, column), value in (sales or {}).items():
        workbook["매출·고용"].cell(row, column, value)
    for number, values in enumerate(investments, start=2):
        for column, value in enumerate(values, start=1):
            workbook["투자유치"].cell(number, column, value)
    for number, values in enumerate(certifications, start=2):
        for column, value in enumerate(values, start=1):
            workbook["인증"].cell(number, column, value)
    workbook.save(path)
    return str(path)


def test_a_filled_survey_is_imported_with_its_batch_and_undone(capsys, db, tmp_path):
    path, workbook = generate(capsys, db, tmp_path, "--facility", "AI 창업캠프")
    first = workbook["매출·고용"]["A2"].value
    fill(
        path,
        sales={(2, 4): 600_000_000, (3, 4): 10_000_000, (3, 5): 0, (3, 6): 2},
        investments=[(first, "딥러닝랩스", "2025-08-01", "지분 투자", "300,000,000", "광주벤처투자")],
        certifications=[(first, "딥러닝랩스", date(2025, 9, 1), "벤처기업", None, "V-1")],
    )
    code, out, err = run(capsys, "--db", db, "import", str(path), "--dry-run", "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert (summary["kind"], summary["created"], summary["updated"], summary["written"]) == ("survey", 3, 1, False)
    assert len(rows_of(db, SalesRecord)) == 1

    code, out, err = run(capsys, "--db", db, "import", str(path), "--json")
    assert code == 0, err
    batch_id = json.loads(out)["import_batch_id"]
    sales = {(r.company_id, r.sales_krw, r.exports_krw) for r in rows_of(db, SalesRecord)}
    assert {s[1:] for s in sales} == {(600_000_000, 20_000_000), (10_000_000, 0)}
    [round_] = rows_of(db, InvestmentRound)
    assert (round_.amount_krw, round_.kind, round_.investor) == (300_000_000, "equity", "광주벤처투자")
    assert [h.employees for h in rows_of(db, HeadcountRecord)] == [7, 2]
    entries = [e for e in rows_of(db, AuditEntry) if e.import_batch_id == batch_id]
    assert {(e.entity, e.action) for e in entries} == {
        ("SalesRecord", "update"),
        ("SalesRecord", "create"),
        ("InvestmentRound", "create"),
        ("Certification", "create"),
        ("HeadcountRecord", "create"),
    }
    code, out, _ = run(capsys, "--db", db, "import", str(path), "--json")  # the same file again: nothing new
    assert json.loads(out)["written"] is False

    assert run(capsys, "--db", db, "import-undo")[0] == 0
    assert [(r.sales_krw, r.exports_krw) for r in rows_of(db, SalesRecord)] == [(500_000_000, 20_000_000)]
    assert rows_of(db, InvestmentRound) == [] and [h.employees for h in rows_of(db, HeadcountRecord)] == [7]
    assert rows_of(db, ImportBatch)[0].undone_at is not None


@pytest.mark.parametrize(
    ("cells", "investment", "expected"),
    [
        ({(2, 4): -5}, None, "매출액은(는) 0원 이상이어야 합니다."),
        ({(2, 5): 900_000_000}, None, "수출액이 매출액보다 큽니다."),
        ({(2, 4): "많음"}, None, "금액 '많음'을(를) 읽을 수 없습니다."),
        ({}, ("2099-01-01", "지분 투자"), "오늘보다 늦습니다"),
        ({}, ("2019-01-01", "지분 투자"), "설립일(2020-05-01)보다 빠릅니다"),
        ({}, ("2025-08-01", "크라우드펀딩"), "종류 '크라우드펀딩'는 목록에 없습니다."),
        ({(2, 1): "", (2, 2): ""}, None, "사업자등록번호를 입력하세요."),
    ],
)
def test_a_bad_cell_is_named_and_nothing_is_written(capsys, db, tmp_path, cells, investment, expected):
    path, workbook = generate(capsys, db, tmp_path)
    first = workbook["매출·고용"]["A2"].value
    investments = [(first, "딥러닝랩스", *investment[:1], investment[1], 1_000_000)] if investment else []
    fill(path, sales=cells, investments=investments)
    errors = tmp_path / "errors.xlsx"
    before = rows_of(db, AuditEntry)
    code, out, err = run(capsys, "--db", db, "import", str(path), "--errors", str(errors))
    assert code == 1, err
    assert expected in out
    assert rows_of(db, AuditEntry) == before and rows_of(db, ImportBatch) == []
    assert expected in str([c.value for ws in openpyxl.load_workbook(errors) for row in ws.iter_rows() for c in row])


def test_an_unknown_company_is_an_error_naming_it_and_skip_invalid_writes_the_rest(capsys, db, tmp_path):
    path, _ = generate(capsys, db, tmp_path)
    fill(path, sales={(2, 4): 700_000_000, (5, 1): valid_bizno(99), (5, 2): "새기업", (5, 3): YEAR, (5, 4): 1})
    code, out, _ = run(capsys, "--db", db, "import", str(path))
    assert code == 1
    assert f"등록되지 않은 기업: 새기업 ({valid_bizno(99)}); 먼저 입주기업으로 등록하세요." in out
    assert run(capsys, "--db", db, "import", str(path), "--skip-invalid")[0] == 0
    assert [r.sales_krw for r in rows_of(db, SalesRecord)] == [700_000_000]


def test_a_missing_facility_for_the_survey_is_one_clear_line(capsys, db, tmp_path):
    code, _, err = run(
        capsys, "--db", db, "survey", "--year", str(YEAR), "--facility", "없는곳", "--out", str(tmp_path / "s.xlsx")
    )
    assert code == 2 and "시설 '없는곳'" in err


def test_a_company_that_left_during_the_year_returns_its_survey_unchanged(capsys, db, tmp_path):
    engine = open_database(db)
    with Session(engine) as session:
        [company_id] = session.exec(select(Company.id).where(Company.name == "딥러닝랩스")).all()
        exits.record_exit(session=session, company_id=company_id, exit_on=date(2025, 10, 31), reason="graduated")
        session.commit()
    engine.dispose()
    path, _workbook = generate(capsys, db, tmp_path, "--facility", "AI 창업캠프")
    # Its headcount is pre-filled as held on the exit day, and comes back as it was: nothing to write.
    code, out, err = run(capsys, "--db", db, "import", str(path), "--dry-run", "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert (summary["created"], summary["updated"], summary["errors"]) == (0, 0, []), summary
