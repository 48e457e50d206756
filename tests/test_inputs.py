"""The input checks at their edges, where a value that passes at once (its exact type, its test) meets one that
is looked at closely: both sides of each limit give the problem the use case has always given."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pytest

from camp_manager.db.models import Allocation, Company, Room
from camp_manager.services.allocations import RoomBooking
from camp_manager.services.companies import CompanyInput
from camp_manager.services.inputs import INT32, INT64, TEXT_MAX_LENGTH, column_problems, dataclass_problems, max_length


def company(**changes: object) -> CompanyInput:
    return CompanyInput(**({"name": "라온", "biz_reg_no": "1234567891"} | changes))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "changes, field, words",
    [
        ({"name": "가\x00나"}, "name", "U+0000"),
        ({"notes": "첫 줄\x7f"}, "notes", "U+007F"),
        ({"name": 12345}, "name", "글자"),
        ({"name": None}, "name", "입력하세요"),
        ({"investment_krw": 2**63}, "investment_krw", "9,223,372,036,854,775,807 이하"),
        ({"investment_krw": -(2**63) - 1}, "investment_krw", "이상으로"),
        ({"investment_krw": True}, "investment_krw", "정수"),
        ({"investment_krw": 1.5}, "investment_krw", "정수"),
        ({"founded_on": datetime(2020, 1, 1, 9, 0)}, "founded_on", "날짜"),
        ({"founded_on": "2020-01-01"}, "founded_on", "날짜"),
    ],
)
def test_a_bad_field_of_an_input_is_named_with_its_fix(changes, field, words):
    problems = dataclass_problems(company(**changes))
    assert list(problems) == [field] and words in problems[field]


def test_good_values_of_an_input_pass_whatever_their_edge():
    assert dataclass_problems(company(notes="줄\n바꿈\t탭", founded_on=None, investment_krw=2**63 - 1)) == {}
    assert dataclass_problems(company(investment_krw=-(2**63))) == {}


def test_an_id_is_a_32_bit_key_and_a_float_a_finite_number():
    @dataclass
    class Request:
        room_id: int
        area_m2: float | None = None

    assert dataclass_problems(Request(INT32[1])) == {}
    assert dataclass_problems(Request(INT32[0], 12)) == {}  # an int is a number
    assert "2,147,483,647 이하" in dataclass_problems(Request(INT32[1] + 1))["room_id"]
    assert "2,147,483,648 이상" in dataclass_problems(Request(INT32[0] - 1))["room_id"]
    assert "9,223,372,036,854,775,807 이하" in dataclass_problems(Request(INT64[1] + 1))["room_id"]
    assert "유한한" in dataclass_problems(Request(1, float("nan")))["area_m2"]
    assert list(dataclass_problems(RoomBooking(1, INT32[1] + 1, date(2024, 3, 1)))) == ["room_id"]


def test_a_text_fits_its_column_up_to_its_length():
    longest = max_length(Company, "name")
    assert column_problems(Company, {"name": "가" * longest}) == {}
    assert f"{longest:,}자까지" in column_problems(Company, {"name": "가" * (longest + 1)})["name"]
    assert column_problems(Allocation, {"override_reason": "가" * TEXT_MAX_LENGTH}) == {}
    assert (
        "10,000자까지"
        in column_problems(Allocation, {"override_reason": "가" * (TEXT_MAX_LENGTH + 1)})["override_reason"]
    )
    assert "U+001B" in column_problems(Company, {"name": "\x1b[31m"})["name"]
    assert "글자" in column_problems(Company, {"name": 3})["name"]


def test_a_number_fits_its_column_or_is_named():
    assert column_problems(Company, {"investment_krw": INT64[1], "founded_on": date(2020, 1, 1)}) == {}
    assert column_problems(Room, {"floor": INT32[1], "area_m2": 20, "seats": None}) == {}
    problems = column_problems(
        Room, {"floor": INT32[1] + 1, "seats": True, "area_m2": float("inf"), "retired_on": datetime(2024, 1, 1)}
    )
    assert list(problems) == ["floor", "seats", "area_m2", "retired_on"]
    assert "2,147,483,647 이하" in problems["floor"] and "정수" in problems["seats"]
    assert "유한한" in problems["area_m2"] and "날짜" in problems["retired_on"]
