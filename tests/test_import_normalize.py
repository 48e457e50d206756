"""Values as people type them: dates in every usual form, counts with units, business numbers
with or without dashes, full-width text; blank, totals, note and example rows skipped and reported."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from camp_manager.db.models import BusinessField, RoomKind
from camp_manager.i18n import set_language
from camp_manager.importing.mapping import map_columns
from camp_manager.importing.normalize import (
    TWO_DIGIT_YEAR_PIVOT,
    CellError,
    Severity,
    clean_rows,
    column_letter,
    parse_area,
    parse_business_field,
    parse_count,
    parse_date,
    parse_floor,
    parse_krw,
    parse_room_code,
    parse_room_kind,
)
from camp_manager.importing.read import LongText, Sheet

DAY = date(2024, 3, 2)


@pytest.mark.parametrize(
    "written",
    [
        DAY,
        datetime(2024, 3, 2),
        45353,
        45353.0,
        "45353",
        20240302,
        "2024-03-02",
        "2024.03.02",
        "2024. 3. 2.",
        "2024/03/02",
        "20240302",
        "2024년 3월 2일",
        "2024년3월2일",
        " 2024-3-2 ",
        "２０２４．０３．０２",
        "2024-03-02 00:00:00",
        "2024.03.02.",
    ],
)
def test_dates_in_every_usual_form(written):
    assert parse_date(written) == DAY


@pytest.mark.parametrize(
    "written", ["24.03.02", "24/3/2", "'24.3.2", "24-3-2", "24. 3. 2.", "24년 3월 2일", "２４．０３．０２", "'24-03-02"]
)
def test_two_digit_years_as_korean_offices_write_them(written):
    assert parse_date(written) == DAY


@pytest.mark.parametrize(
    "written,year",
    [("00.1.1", 2000), ("68.12.31", 2068), ("69.1.1", 1969), ("99.12.31", 1999), ("07.5.5", 2007), ("'85.3.1", 1985)],
)
def test_the_century_of_a_two_digit_year(written, year):
    assert TWO_DIGIT_YEAR_PIVOT == 69  # 00–68 → 20xx, 69–99 → 19xx, as POSIX and Python's %y
    assert parse_date(written).year == year


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 12, 31)))
def test_any_date_survives_every_written_form(day):
    serial = (day - date(1899, 12, 30)).days
    forms = [
        day.isoformat(),
        f"{day.year}.{day.month:02d}.{day.day:02d}",
        f"{day.year}. {day.month}. {day.day}.",
        f"{day.year}/{day.month:02d}/{day.day:02d}",
        day.strftime("%Y%m%d"),
        f"{day.year}년 {day.month}월 {day.day}일",
        serial,
    ]
    if 1969 <= day.year <= 2068:  # a two-digit year names this century's window only
        forms += [
            day.strftime("%y.%m.%d"),
            f"{day:%y}/{day.month}/{day.day}",
            f"'{day:%y}.{day.month}.{day.day}",
            f"{day:%y}-{day.month}-{day.day}",
        ]
    assert {parse_date(form) for form in forms} == {day}


@pytest.mark.parametrize(
    "written",
    [
        "2024-02-30",
        "24.02.30",
        "24.13.01",
        "내일",
        "2024-13-01",
        "3/2/2024",
        "3/2/24",
        1,
        3_000_000.0,
        "1899-12-31",
        "224.3.2",
    ],
)
def test_unreadable_dates_say_how_to_write_them(written):
    with pytest.raises(CellError, match=r"2024-03-02|1900"):
        parse_date(written)


@pytest.mark.parametrize(
    "written,count",
    [
        (12, 12),
        (12.0, 12),
        ("12", 12),
        ("1,200", 1200),
        ("5명", 5),
        ("5 명", 5),
        ("５명", 5),
        ("0", 0),
        ("3 persons", 3),
    ],
)
def test_counts_as_people_write_them(written, count):
    assert parse_count(written) == count


@pytest.mark.parametrize("written", ["-1", "2.5", 2.5, "다섯", "", True])
def test_bad_counts_are_errors(written):
    with pytest.raises(CellError):
        parse_count(written)


@pytest.mark.parametrize(
    "written,won",
    [
        (150_000_000, 150_000_000),
        ("150,000,000원", 150_000_000),
        ("1.5억", 150_000_000),
        ("1억 5천만원", 150_000_000),
        ("3000만", 30_000_000),
    ],
)
def test_amounts_in_won(written, won):
    assert parse_krw(written) == won


def test_floors_rooms_kinds_and_areas():
    assert [parse_floor(v) for v in (3, "3층", "3F", "B1", "지하 2층", -1)] == [3, 3, 3, -1, -2, -1]
    assert {parse_room_code(v) for v in ("305", "305호", "305 호", " ３０５호 ", 305, 305.0)} == {"305"}
    assert (
        parse_room_kind("공유 좌석존") == RoomKind.SHARED_ZONE
        and parse_room_kind("Meeting room") == RoomKind.MEETING_ROOM
    )
    assert parse_area("24.5㎡") == 24.5 and parse_area("24.5 m2") == 24.5 and parse_area(20) == 20.0
    with pytest.raises(CellError, match="하나만"):
        parse_room_code("305, 306")


def test_field_words_in_both_languages_and_unknown_ones_warn():
    warnings: list[str] = []
    assert parse_business_field("빅데이터", warnings) == BusinessField.BIGDATA
    assert parse_business_field("Healthcare", warnings) == BusinessField.HEALTHCARE
    assert parse_business_field(" 핀테크 ", warnings) == BusinessField.FINTECH
    assert warnings == []
    assert parse_business_field("드론", warnings) == BusinessField.OTHER
    assert "드론" in warnings[0] and "기타" in warnings[0]


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]


def _rows(*data: list[object]) -> Sheet:
    return Sheet("입주기업", [["리스트"], ["No.", "기업명", "사업자등록번호", "고용인원", "비고"], *data])


def test_rows_are_cleaned_and_skipped_rows_reported():
    sheet = _rows(
        [1, " ＡＢＣ  테크 ", "1234567891", "5명", "메모"],
        [],
        ["", "  ", None, "", ""],
        ["합계", "", "", "5", ""],
        [None, "소 계", "", "5", ""],
        ["※ 사업자등록번호는 필수입니다"],
        [2, "(예시) 딥러닝랩스", "123-45-67891", 3, ""],
        ["No.", "기업명", "사업자등록번호", "고용인원", "비고"],
        [3, "한빛", "123-45-67891", "x", ""],
        [],
    )
    mapping = map_columns(sheet)
    rows, skipped = clean_rows(sheet, mapping)
    assert [(s.row, s.reason) for s in skipped] == [
        (4, "빈 행"),
        (5, "빈 행"),
        (6, "합계 행"),
        (7, "합계 행"),
        (8, "안내 문구"),
        (9, "예시 행"),
        (10, "반복된 제목 행"),
    ]
    assert [r.row for r in rows] == [3, 11]
    assert rows[0].values == {"name": "ABC 테크", "biz_reg_no": "1234567891", "employees": 5, "notes": "메모"}
    assert not rows[0].problems
    problem = rows[1].problems[0]
    assert (problem.row, problem.column_letter, problem.header, problem.value, problem.severity) == (
        11,
        "D",
        "고용인원",
        "x",
        Severity.ERROR,
    )


def test_a_cleaned_value_is_read_as_the_type_its_parser_returns():
    sheet = _rows([1, "한빛", "123-45-67891", "", ""])
    row = clean_rows(sheet, map_columns(sheet))[0][0]
    assert row.value("name", str) == "한빛"
    assert row.value("employees", int) is None
    with pytest.raises(TypeError, match="name was cleaned into str, not int"):
        row.value("name", int)


def test_a_cell_of_megabytes_is_an_error_naming_its_size():
    sheet = _rows([1, "딥러닝랩스", "123-45-67891", 3, LongText(3_000_000, "가가가")])
    rows, _ = clean_rows(sheet, map_columns(sheet))
    problem = rows[0].problems[0]
    assert problem.column_letter == "E" and "3,000,000" in problem.message


def test_text_longer_than_its_column_is_an_error():
    sheet = _rows([1, "가" * 201, "123-45-67891", 3, ""])
    rows, _ = clean_rows(sheet, map_columns(sheet))
    assert rows[0].problems[0].column_letter == "B" and "200" in rows[0].problems[0].message


def test_messages_follow_the_language():
    set_language("en")
    with pytest.raises(CellError, match="cannot be read"):
        parse_date("내일")
    sheet = _rows([], [1, "A", "1234567891", 1, ""])
    _, skipped = clean_rows(sheet, map_columns(sheet))
    assert skipped[0].reason == "blank row"


def test_excel_serials_cover_the_leap_year_bug_range():
    assert parse_date(61) == date(1900, 3, 1)
    assert parse_date(45658) == date(2025, 1, 1)
    assert parse_date(45658 + 0.75) == date(2025, 1, 1)
    assert parse_date(date(2024, 3, 2) - timedelta(days=0)) == DAY
