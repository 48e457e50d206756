"""`camp-manager import` and `import-undo`: the same checks as the wizard, a machine-readable
summary, nothing written when a row is in error (unless --skip-invalid)."""

from __future__ import annotations

import json

import openpyxl
import pytest
from sqlmodel import Session, select

from camp_manager.cli import main
from camp_manager.db.engine import make_engine
from camp_manager.db.migrate import open_database
from camp_manager.db.models import Company, Facility, ImportBatch, Room
from tests.importing_files import ENCRYPTED_WORKBOOK, bizno, digits, titled_resident_list


@pytest.fixture
def db(tmp_path):
    path = str(tmp_path / "cli.sqlite3")
    open_database(path, create=True).dispose()
    return path


@pytest.fixture
def files(tmp_path):
    good = titled_resident_list(
        tmp_path / "good.xlsx",
        [
            [1, "딥러닝랩스", "김대표", bizno(1), "2024.03.02", "301호", "5명", "빅데이터", "광주"],
            [2, "한빛에이아이", "", bizno(2), "2024-03-04", "302", 3, "", ""],
        ],
    )
    bad = titled_resident_list(
        tmp_path / "bad.xlsx",
        [
            [1, "딥러닝랩스", "김대표", bizno(1), "2024.03.02", "301호", "5명", "빅데이터", ""],
            [2, "", "", "123-45-67890", "", "", "", "", ""],
        ],
    )
    return {"good": str(good), "bad": str(bad)}


def stored(db: str) -> tuple[list[str], int]:
    engine = make_engine(f"sqlite:///{db}")
    try:
        with Session(engine) as session:
            return sorted(c.name for c in session.exec(select(Company))), len(session.exec(select(ImportBatch)).all())
    finally:
        engine.dispose()


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_good_file_is_imported_into_a_new_facility(capsys, db, files):
    code, out, _ = run(capsys, "--db", db, "import", files["good"], "--facility", "AI 창업캠프", "--create-rooms")
    assert code == 0
    assert "새로 등록 2" in out and "가져왔습니다" in out and "제목 행 4" in out
    assert stored(db) == (["딥러닝랩스", "한빛에이아이"], 1)
    engine = make_engine(f"sqlite:///{db}")
    with Session(engine) as session:
        assert session.exec(select(Facility.name)).all() == ["AI 창업캠프"]
        assert sorted(session.exec(select(Room.code)).all()) == ["301", "302"]
    engine.dispose()


def test_a_file_with_an_error_writes_nothing_and_exits_non_zero(capsys, db, files, tmp_path):
    report = tmp_path / "errors.xlsx"
    code, out, _ = run(capsys, "--db", db, "import", files["bad"], "--facility", "AI 창업캠프", "--errors", str(report))
    assert code == 1
    assert "6행 B열 [기업명]" in out and "6행 D열 [사업자등록번호] '123-45-67890'" in out
    assert "아무것도 쓰지 않았습니다" in out
    assert stored(db) == ([], 0)
    assert openpyxl.load_workbook(report).active.cell(row=6, column=10).value


def test_skip_invalid_imports_the_valid_rows(capsys, db, files):
    code, out, _ = run(
        capsys, "--db", db, "import", files["bad"], "--facility", "AI 창업캠프", "--skip-invalid", "--json"
    )
    summary = json.loads(out)
    assert code == 0
    assert (summary["written"], summary["created"], summary["error_rows"]) == (True, 1, 1)
    assert stored(db) == (["딥러닝랩스"], 1)


def test_json_summary_lists_errors_with_row_column_value_and_message(capsys, db, files):
    code, out, _ = run(
        capsys, "--db", db, "--lang", "en", "import", files["bad"], "--facility", "AI 창업캠프", "--dry-run", "--json"
    )
    summary = json.loads(out)
    assert code == 1
    assert {
        k: summary[k] for k in ("created", "updated", "unchanged", "skipped", "error_rows", "written", "dry_run")
    } == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
        "error_rows": 1,
        "written": False,
        "dry_run": True,
    }
    assert summary["errors"] == [
        {
            "row": 6,
            "column": "기업명",
            "column_letter": "B",
            "value": "",
            "message": "Company name: please enter a value.",
        },
        {
            "row": 6,
            "column": "사업자등록번호",
            "column_letter": "D",
            "value": "123-45-67890",
            "message": "The check digit (last digit) of business registration number '123-45-67890' is wrong. Check the number on the registration certificate.",
        },
    ]
    assert summary["warnings"][0]["row"] == 5 and "301" in summary["warnings"][0]["message"]
    assert summary["columns"]["주소"] is None and summary["columns"]["기업명"] == "name"


def test_dry_run_of_a_good_file_writes_nothing(capsys, db, files):
    code, out, _ = run(capsys, "--db", db, "import", files["good"], "--facility", "AI 창업캠프", "--dry-run")
    assert code == 0 and "확인만 했습니다" in out
    assert stored(db) == ([], 0)


def test_the_same_file_twice_changes_nothing_and_undo_takes_the_import_back(capsys, db, files):
    run(capsys, "--db", db, "import", files["good"], "--facility", "AI 창업캠프")
    code, out, _ = run(capsys, "--db", db, "import", files["good"])
    assert code == 0 and "변경 없음 2" in out and "바꿀 내용이 없습니다" in out
    code, out, _ = run(capsys, "--db", db, "import-undo")
    assert code == 0 and "되돌렸습니다" in out
    assert stored(db)[0] == []
    code, _, err = run(capsys, "--db", db, "import-undo")
    assert code == 2 and "되돌릴 가져오기가 없습니다" in err


@pytest.mark.parametrize("language,expected", [("ko", "암호"), ("en", "password")])
def test_an_unreadable_file_is_one_clear_line(capsys, db, language, expected):
    code, out, err = run(capsys, "--db", db, "--lang", language, "import", str(ENCRYPTED_WORKBOOK))
    assert code == 2 and out == "" and expected in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_room_list_then_residents(capsys, db, tmp_path):
    rooms = tmp_path / "rooms.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["시설", "층", "호실", "유형", "좌석 수", "면적(㎡)"])
    workbook.active.append(["아이플렉스", 2, "201", "개별 사무실", 4, 20])
    workbook.save(rooms)
    code, out, _ = run(capsys, "--db", db, "import", str(rooms), "--facility", "아이플렉스", "--rooms")
    assert code == 0 and "호실 목록" in out
    residents = titled_resident_list(
        tmp_path / "r.xlsx", [[1, "딥러닝랩스", "", digits(9), "2024-03-02", "201", "", "", ""]]
    )
    code, out, _ = run(capsys, "--db", db, "import", str(residents), "--json")
    assert code == 0 and json.loads(out)["warnings"] == [] and json.loads(out)["facility"] == "아이플렉스"
