"""Every row's verdict before anything is written: create, update with the difference, unchanged,
or an error naming the row, the column, the value and the fix; the facility rules; loose room codes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from camp_manager.db.models import Company, Facility
from camp_manager.errors import DomainError
from camp_manager.i18n import set_language
from camp_manager.importing.actions import Action
from camp_manager.importing.mapping import MappingStore, choose_sheet
from camp_manager.importing.plan import ImportOptions, ImportPlan
from camp_manager.importing.read import open_file
from camp_manager.importing.verdicts import check
from camp_manager.services import allocations, companies, exits, facilities
from tests.factories import facility_with_rooms, resident
from tests.importing_files import bizno, digits, titled_resident_list, xlsx

AS_OF = date(2025, 6, 30)
HEADER = ["기업명", "대표자", "사업자등록번호", "입주일", "호실", "고용인원", "설립일"]


@pytest.fixture
def plan_of(session, tmp_path):
    """Check rows (under HEADER unless given) written to a real file, as the wizard would."""

    def plan_of(rows, *, header=HEADER, **options) -> ImportPlan:
        path = xlsx(tmp_path / "list.xlsx", [header, *rows])
        source = open_file(path)
        sheet, mapping = choose_sheet(source, store=MappingStore(path=tmp_path / "m.json"))
        return check(
            session=session, source=source, sheet=sheet, mapping=mapping, options=ImportOptions(as_of=AS_OF, **options)
        )

    return plan_of


@pytest.fixture
def camp(session):
    facility, _offices, _zone = facility_with_rooms(session, name="AI 창업캠프")
    session.flush()
    return facility


def only(plan: ImportPlan):
    assert len(plan.verdicts) == 1, plan.verdicts
    return plan.verdicts[0]


def test_a_new_company_with_move_in_room_and_headcount_is_created(plan_of, camp):
    verdict = only(plan_of([["딥러닝랩스", "김대표", bizno(1), "2024.03.02", "301호", "5명", "2021-05-10"]]))
    assert verdict.action == Action.CREATE and not verdict.problems
    assert (verdict.title, verdict.key) == ("딥러닝랩스", bizno(1))
    assert [(c.field, c.after) for c in verdict.changes] == [
        ("move_in", "2024-03-02"),
        ("room", "301"),
        ("employees", "5"),
    ]
    write = verdict.write
    assert (write.facility, write.move_in, write.room, write.room_start, write.employees) == (
        "AI 창업캠프",
        date(2024, 3, 2),
        "301",
        date(2024, 3, 2),
        5,
    )
    assert write.company.biz_reg_no == digits(1) and write.company.founded_on == date(2021, 5, 10)


def test_a_stored_company_gets_a_field_by_field_difference(plan_of, camp, session):
    company = resident(session, camp, name="딥러닝랩스", move_in_on=date(2024, 1, 2))
    companies.record_headcount(session=session, company_id=company.id, as_of=date(2024, 1, 2), employees=3)
    verdict = only(plan_of([["딥러닝랩스(주)", "이대표", company.biz_reg_no, "", "", "7", ""]]))
    assert verdict.action == Action.UPDATE
    assert [(c.field, c.before, c.after) for c in verdict.changes] == [
        ("name", "딥러닝랩스", "딥러닝랩스(주)"),
        ("representative", "", "이대표"),
        ("employees", "3", "7"),
    ]
    assert [p.severity.value for p in verdict.problems] == ["warning"]
    assert "딥러닝랩스" in verdict.problems[0].message and verdict.problems[0].column_letter == "A"


def test_the_same_values_again_are_unchanged(plan_of, camp, session):
    company = resident(session, camp, name="딥러닝랩스", move_in_on=date(2024, 3, 2))
    verdict = only(plan_of([["딥러닝랩스", "", company.biz_reg_no, "2024-03-02", "", "", ""]]))
    assert verdict.action == Action.UNCHANGED and verdict.changes == [] and verdict.write is None


def test_blank_cells_do_not_erase_stored_values(plan_of, camp, session):
    company = companies.register_company(
        session=session, data=companies.CompanyInput(name="딥러닝랩스", biz_reg_no=digits(7), representative="김대표")
    )
    verdict = only(plan_of([["딥러닝랩스", "", company.biz_reg_no, "", "", "", ""]]))
    assert verdict.action == Action.UNCHANGED


def errors_of(plan: ImportPlan) -> list[tuple]:
    return [(p.row, p.column_letter, p.value, p.message) for v in plan.verdicts for p in v.errors]


def test_missing_name_and_bad_check_digit_name_row_column_value_and_fix(plan_of, camp):
    plan = plan_of([["", "", "123-45-67890", "", "", "", ""]])
    assert errors_of(plan) == [
        (2, "A", "", "기업명을(를) 입력하세요."),
        (
            2,
            "C",
            "123-45-67890",
            "사업자등록번호 '123-45-67890'의 검증번호(마지막 자리)가 맞지 않습니다. 사업자등록증의 번호를 다시 확인하세요.",
        ),
    ]
    assert only(plan).action == Action.ERROR


def test_the_same_business_number_twice_is_an_error_on_both_rows(plan_of, camp):
    plan = plan_of(
        [
            ["가", "", bizno(1), "", "", "", ""],
            ["나", "", digits(1), "", "", "", ""],
            ["다", "", bizno(2), "", "", "", ""],
        ]
    )
    assert [v.action for v in plan.verdicts] == [Action.ERROR, Action.ERROR, Action.CREATE]
    assert "3행" in plan.verdicts[0].errors[0].message and "2행" in plan.verdicts[1].errors[0].message


def test_unreadable_and_future_dates(plan_of, camp):
    tomorrow = date.today() + timedelta(days=1)
    plan = plan_of(
        [["가", "", bizno(1), "2024-02-30", "", "", ""], ["나", "", bizno(2), "", "", "", tomorrow.isoformat()]]
    )
    assert [(p.row, p.column_letter) for v in plan.verdicts for p in v.errors] == [(2, "D"), (3, "G")]
    assert "미래" in plan.verdicts[1].errors[0].message


def test_a_room_held_by_another_company_on_that_date(plan_of, camp, session):
    holder = resident(session, camp, name="선점기업", move_in_on=date(2024, 1, 2))
    room = session.exec(select(facilities.Room).where(facilities.Room.code == "301")).one()
    allocations.allocate_room(session=session, company_id=holder.id, room_id=room.id, start_on=date(2024, 1, 2))
    plan = plan_of([["딥러닝랩스", "", bizno(1), "2024-03-02", "301", "", ""]])
    (error,) = only(plan).errors
    assert (error.row, error.column_letter, error.value) == (2, "E", "301")
    assert "선점기업" in error.message and "2024-03-02" in error.message


def test_a_room_free_again_by_the_move_in_date_can_be_given(plan_of, camp, session):
    holder = resident(session, camp, name="선점기업", move_in_on=date(2023, 1, 2))
    room = session.exec(select(facilities.Room).where(facilities.Room.code == "301")).one()
    allocation = allocations.allocate_room(
        session=session, company_id=holder.id, room_id=room.id, start_on=date(2023, 1, 2)
    )
    allocations.release_room(session=session, allocation_id=allocation.id, on=date(2024, 1, 1))
    assert only(plan_of([["딥러닝랩스", "", bizno(1), "2024-03-02", "301", "", ""]])).action == Action.CREATE


def test_one_office_given_to_two_rows_is_an_error_on_the_second(plan_of, camp):
    plan = plan_of(
        [["가", "", bizno(1), "2024-03-02", "302", "", ""], ["나", "", bizno(2), "2024-03-02", "302호", "", ""]]
    )
    assert [v.action for v in plan.verdicts] == [Action.CREATE, Action.ERROR]
    assert "'가(2행)'" in plan.verdicts[1].errors[0].message


def test_a_shared_zone_fills_up_by_seats(plan_of, camp):
    header = [*HEADER, "좌석"]
    rows = [
        [name, "", bizno(seed), "2024-03-02", "라운지", "", "", seats]
        for seed, name, seats in ((1, "가", 6), (2, "나", 4), (3, "다", 1))
    ]
    plan = plan_of(rows, header=header)
    assert [v.action for v in plan.verdicts] == [Action.CREATE, Action.CREATE, Action.ERROR]
    assert "10석 중 10석" in plan.verdicts[2].errors[0].message


def test_room_codes_are_matched_loosely(plan_of, camp):
    plan = plan_of(
        [
            [name, "", bizno(seed), "2024-03-02", code, "", ""]
            for seed, name, code in ((1, "가", "303"), (2, "나", "304 호"))
        ]
    )
    assert [v.write.room for v in plan.verdicts] == ["303", "304"]
    assert plan.rooms_to_create == []


def test_unknown_room_is_created_only_when_allowed(plan_of, camp):
    row = [["딥러닝랩스", "", bizno(1), "2024-03-02", "1201호", "", ""]]
    without = only(plan_of(row))
    assert without.action == Action.CREATE and without.write.room is None
    assert without.warnings[0].column_letter == "E" and "1201" in without.warnings[0].message
    plan = plan_of(row, create_rooms=True)
    assert [(r.code, r.floor) for r in plan.rooms_to_create] == [("1201", 12)]
    assert only(plan).write.room == "1201" and not only(plan).problems


def test_a_meeting_room_cannot_be_given(plan_of, camp, session):
    facilities.create_room(session=session, facility_id=camp.id, floor=1, code="회의실A", kind="meeting_room")
    assert "회의실" in only(plan_of([["가", "", bizno(1), "2024-03-02", "회의실A", "", ""]])).errors[0].message


def test_a_company_resident_elsewhere_is_an_error(plan_of, camp, session):
    other = facilities.create_facility(session=session, name="아이플렉스")
    company = resident(session, other, name="이사기업", move_in_on=date(2023, 1, 2))
    plan = plan_of([["이사기업", "", company.biz_reg_no, "2024-03-02", "", "", ""]], facility="AI 창업캠프")
    assert "아이플렉스" in only(plan).errors[0].message


def test_move_in_before_the_last_exit_is_an_error(plan_of, camp, session):
    company = resident(session, camp, name="재입주", move_in_on=date(2022, 1, 3))
    exits.record_exit(session=session, company_id=company.id, exit_on=date(2024, 1, 31), reason="graduated")
    early = only(plan_of([["재입주", "", company.biz_reg_no, "2023-12-01", "", "", ""]]))
    again = only(plan_of([["재입주", "", company.biz_reg_no, "2024-06-03", "", "", ""]]))
    assert early.action == Action.ERROR and "2024-01-31" in early.errors[0].message
    assert again.action == Action.UPDATE and again.write.move_in == date(2024, 6, 3)


# --- facilities --------------------------------------------------------------------------


def test_the_only_facility_is_used(plan_of, camp):
    assert plan_of([["가", "", bizno(1), "", "", "", ""]]).facility == "AI 창업캠프"


def test_several_facilities_need_a_choice(plan_of, camp, session):
    facilities.create_facility(session=session, name="아이플렉스")
    with pytest.raises(DomainError, match="AI 창업캠프, 아이플렉스"):
        plan_of([["가", "", bizno(1), "", "", "", ""]])
    assert plan_of([["가", "", bizno(1), "", "", "", ""]], facility="아이플렉스").facility == "아이플렉스"
    with pytest.raises(DomainError, match="없습니다"):
        plan_of([["가", "", bizno(1), "", "", "", ""]], facility="없는시설")


def test_an_empty_database_creates_the_named_facility(plan_of, session):
    with pytest.raises(DomainError, match="--facility"):
        plan_of([["가", "", bizno(1), "", "", "", ""]])
    plan = plan_of([["가", "", bizno(1), "2024-03-02", "301", "", ""]], facility=" 새 캠프 ", create_rooms=True)
    assert (plan.facility, plan.facility_to_create) == ("새 캠프", "새 캠프")
    assert [r.code for r in plan.rooms_to_create] == ["301"]
    assert session.exec(select(Facility)).all() == []


def test_a_facility_column_decides_per_row(plan_of, camp, session):
    facilities.create_facility(session=session, name="아이플렉스")
    header = ["시설", *HEADER]
    plan = plan_of(
        [
            ["아이플렉스", "가", "", bizno(1), "", "", "", ""],
            ["AI창업캠프", "나", "", bizno(2), "", "", "", ""],
            ["", "다", "", bizno(3), "", "", "", ""],
            ["없는곳", "라", "", bizno(4), "", "", "", ""],
        ],
        header=header,
    )
    assert plan.facility is None
    assert [v.write.facility if v.write else None for v in plan.verdicts] == ["아이플렉스", "AI 창업캠프", None, None]
    assert [v.action for v in plan.verdicts] == [Action.CREATE, Action.CREATE, Action.ERROR, Action.ERROR]


def test_a_row_naming_another_facility_than_the_chosen_one_is_an_error(plan_of, camp, session):
    facilities.create_facility(session=session, name="아이플렉스")
    plan = plan_of(
        [["아이플렉스", "가", "", bizno(1), "", "", "", ""]], header=["시설", *HEADER], facility="AI 창업캠프"
    )
    assert "아이플렉스" in only(plan).errors[0].message


def test_missing_required_column_is_named(plan_of, camp):
    with pytest.raises(DomainError, match="사업자등록번호"):
        plan_of([["가", "2024-03-02"]], header=["기업명", "입주일", "등록"])


# --- languages, room lists, files ----------------------------------------------------------


def test_messages_in_english(plan_of, camp):
    set_language("en")
    plan = plan_of([["", "", "123-45-67890", "someday", "", "", ""]])
    messages = {p.column_letter: p.message for p in only(plan).errors}
    assert messages["A"] == "Company name: please enter a value."
    assert "check digit" in messages["C"] and "cannot be read" in messages["D"]


def test_english_headers_and_values(plan_of, camp):
    header = ["Company", "CEO", "Business No.", "Move-in date", "Room", "Employees", "Founded"]
    verdict = only(
        plan_of(
            [["Deep Labs", "Kim", digits(3), "2024/03/02", "Room 303"[5:], "12 persons", "2020.1.5"]], header=header
        )
    )
    assert verdict.action == Action.CREATE and verdict.write.employees == 12 and verdict.write.room == "303"


def test_room_list_verdicts(plan_of, camp):
    header = ["층", "호실", "유형", "좌석 수", "면적(㎡)"]
    plan = plan_of(
        [
            [5, "501", "개별 사무실", 4, "20.5㎡"],
            ["", "502", "", "", ""],
            [3, "301호", "사무실", 4, 20],
            [3, "302", "공유 좌석존", 6, 30],
            ["", "라운지2", "공유", 8, 40],
            [5, "501", "", "", ""],
        ],
        header=header,
    )
    assert [v.action for v in plan.verdicts] == [
        Action.ERROR,
        Action.CREATE,
        Action.UNCHANGED,
        Action.UNCHANGED,
        Action.ERROR,
        Action.ERROR,
    ]
    assert plan.verdicts[1].write.floor == 5
    assert plan.verdicts[3].warnings  # stored 302 differs in kind and seats: shown, not changed
    assert "층" in plan.verdicts[4].errors[0].message
    assert "7행" in plan.verdicts[0].errors[0].message and "2행" in plan.verdicts[5].errors[0].message


def test_a_titled_file_from_an_office(session, camp, tmp_path):
    path = titled_resident_list(
        tmp_path / "office.xlsx",
        [
            [1, "딥러닝랩스", "김대표", bizno(5), "2024. 3. 4.", "302 호", "1,200", "헬스케어", "광주"],
            ["합계", "", "", "", "", "", "1200", "", ""],
        ],
    )
    source = open_file(path)
    sheet, mapping = choose_sheet(source, store=MappingStore(path=tmp_path / "m.json"))
    plan = check(session=session, source=source, sheet=sheet, mapping=mapping, options=ImportOptions(as_of=AS_OF))
    verdict = only(plan)
    assert (verdict.row, verdict.action, verdict.write.company.field, verdict.write.employees) == (
        5,
        Action.CREATE,
        "healthcare",
        1200,
    )
    assert [(s.row, s.reason) for s in plan.skipped] == [(6, "합계 행")]
    assert plan.counts() == {"create": 1, "update": 0, "unchanged": 0, "error": 0, "skipped": 1}
    assert session.exec(select(Company)).all() == []
