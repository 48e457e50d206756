"""Finding the header row and matching columns by meaning, in Korean and English; a corrected
mapping is remembered for files with the same header."""

from __future__ import annotations

import pytest

from camp_manager.i18n import language_scope
from camp_manager.importing.mapping import (
    FIELDS,
    ListKind,
    MappingStore,
    choose_sheet,
    field_label,
    find_header,
    map_columns,
    mapping_at,
    match_header,
)
from camp_manager.importing.read import Sheet, open_file
from tests.importing_files import titled_resident_list, xlsx

VARIANTS = {
    "name": [
        "기업명",
        "회사명",
        "업체명",
        "상호",
        "입주기업명",
        "기업명(국문)",
        "Company",
        "Company name",
        "COMPANY NAME",
    ],
    "representative": ["대표자", "대표자명", "대표이사", "대표자 성명", "CEO", "Representative name"],
    "biz_reg_no": [
        "사업자등록번호",
        "사업자번호",
        "사업자 등록번호",
        "Business No.",
        "Business registration number",
        "Company registration number",
    ],
    "move_in": ["입주일", "입주일자", "입주 일자", "Move-in date", "Move in", "Date of move-in"],
    "room": ["호실", "사무실", "호실번호", "Room", "Room No.", "Office"],
    "field": ["분야", "업종", "사업분야", "Sector", "Industry"],
    "employees": [
        "고용인원",
        "직원수",
        "직원 수",
        "상시근로자수",
        "상시근로자 수(명)",
        "Employees",
        "Number of employees",
        "Headcount",
    ],
    "founded_on": ["설립일", "설립일자", "Founded", "Date of establishment"],
    "contract_end": ["계약만료일", "계약 만료일", "계약종료일", "Contract end date"],
    "phone": ["연락처", "전화번호", "대표자 연락처", "Phone", "Company phone", "Tel"],
    "email": ["이메일", "E-mail", "Email address", "대표 이메일"],
    "notes": ["비고", "메모", "Notes", "Remarks"],
    "facility": ["시설", "시설명", "Facility"],
    "floor": ["층", "Floor"],
    "kind": ["호실 유형", "유형", "Room type", "Type"],
    "seats": ["좌석 수", "좌석", "Seats", "Capacity"],
    "area_m2": ["면적", "면적(㎡)", "전용면적", "Area (m²)"],
}


@pytest.mark.parametrize("key,header", [(k, h) for k, headers in VARIANTS.items() for h in headers])
def test_headers_are_matched_by_meaning(key, header):
    assert match_header(header) == key
    assert match_header(f"  {header.upper()} ") == key


@pytest.mark.parametrize("header", ["No.", "번호", "순번", "주소", "구분", "", "(단위: 명)", "Room name note?"[:0]])
def test_unrelated_headers_match_nothing(header):
    assert match_header(header) is None


@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_field_label_is_recognised_as_its_own_header(language):
    with language_scope(language):
        assert {spec.key: match_header(field_label(spec.key)) for spec in FIELDS} == {
            spec.key: spec.key for spec in FIELDS
        }


def test_full_width_header_is_folded():
    assert match_header("ＣＯＭＰＡＮＹ") == "name"


def test_header_found_below_titles_merged_cells_unit_note_and_blank_rows(tmp_path):
    path = titled_resident_list(
        tmp_path / "list.xlsx",
        [[1, "딥러닝랩스", "김대표", "123-45-67891", "2024-03-02", "305", 5, "빅데이터", "광주"]],
    )
    mapping = map_columns(open_file(path).read_sheet())
    assert mapping.header_row == 4
    assert mapping.kind == ListKind.RESIDENTS
    assert mapping.mapped() == {
        "name": 1,
        "representative": 2,
        "biz_reg_no": 3,
        "move_in": 4,
        "room": 5,
        "employees": 6,
        "field": 7,
    }
    assert mapping.ignored_headers() == ["No.", "주소"]


def test_english_header_is_found(tmp_path):
    sheet = Sheet(
        "Residents",
        [["Resident companies, 2024"], [], ["Company", "Business No.", "Move-in date", "Room", "Employees", "Remarks"]],
    )
    mapping = map_columns(sheet)
    assert mapping.header_row == 3
    assert mapping.mapped() == {"name": 0, "biz_reg_no": 1, "move_in": 2, "room": 3, "employees": 4, "notes": 5}


def test_a_column_is_used_once(tmp_path):
    sheet = Sheet("s", [["기업명", "회사명", "사업자등록번호"]])
    mapping = map_columns(sheet)
    assert mapping.mapped() == {"name": 0, "biz_reg_no": 2}
    assert mapping.ignored_headers() == ["회사명"]


def test_room_list_is_recognised_by_its_columns():
    sheet = Sheet("호실", [["시설", "층", "호실", "유형", "좌석 수", "면적(㎡)"]])
    mapping = map_columns(sheet)
    assert mapping.kind == ListKind.ROOMS
    assert set(mapping.mapped()) == {"facility", "floor", "room", "kind", "seats", "area_m2"}


def test_a_sheet_without_a_header_is_not_guessed():
    assert find_header(Sheet("s", [["메모"], ["딥러닝랩스", "123-45-67891"]])) is None


def test_the_first_sheet_with_a_recognised_header_is_chosen(tmp_path):
    path = xlsx(
        tmp_path / "book.xlsx",
        [["작성 안내"], ["빈칸 없이 쓰세요"]],
        sheet="안내",
        sheets={"명단": [["기업명", "사업자등록번호"]]},
    )
    sheet, mapping = choose_sheet(open_file(path))
    assert sheet.name == "명단" and mapping.mapped() == {"name": 0, "biz_reg_no": 1}


def test_a_corrected_mapping_is_remembered_for_the_same_header(tmp_path):
    store = MappingStore(path=tmp_path / "config" / "mappings.json")
    sheet = Sheet("s", [["제목"], ["업체", "등록 번호", "입주"]])
    automatic = mapping_at(sheet, 2, ListKind.RESIDENTS)
    assert automatic.mapped() == {"biz_reg_no": 1}
    corrected = automatic.with_field(0, "name").with_field(2, "move_in")
    store.remember(corrected)
    again = map_columns(
        Sheet("other file", [["업체", "등록 번호", "입주"], ["딥러닝랩스", "123-45-67891", "2024-03-02"]]), store=store
    )
    assert again.remembered
    assert again.header_row == 1
    assert again.mapped() == {"name": 0, "biz_reg_no": 1, "move_in": 2}
    # Another header is not affected.
    assert map_columns(Sheet("x", [["업체", "사업자번호"]]), store=store) is None


def test_mapping_back_to_automatic_forgets_the_correction(tmp_path):
    store = MappingStore(path=tmp_path / "mappings.json")
    sheet = Sheet("s", [["기업명", "사업자등록번호", "비고"]])
    automatic = map_columns(sheet, store=store)
    store.remember(automatic.with_field(2, None))
    assert map_columns(sheet, store=store).mapped() == {"name": 0, "biz_reg_no": 1}
    store.remember(automatic)
    assert not map_columns(sheet, store=store).remembered


def test_a_header_the_user_pointed_at_is_remembered_as_it_is(tmp_path):
    store = MappingStore(path=tmp_path / "mappings.json")
    sheet = Sheet("s", [["기업명", "주소"]])  # one known header: not recognised on its own
    assert map_columns(sheet, store=store) is None
    store.remember(mapping_at(sheet, 1, ListKind.RESIDENTS), keep=True)
    assert map_columns(sheet, store=store).mapped() == {"name": 0}


def test_an_automatic_mapping_is_not_written(tmp_path):
    store = MappingStore(path=tmp_path / "mappings.json")
    store.remember(map_columns(Sheet("s", [["기업명", "사업자등록번호"]]), store=store))
    assert not store.path.exists()


def test_a_damaged_store_is_ignored(tmp_path):
    store = MappingStore(path=tmp_path / "mappings.json")
    store.path.write_text("{not json", encoding="utf-8")
    assert map_columns(Sheet("s", [["기업명", "사업자등록번호"]]), store=store).mapped() == {"name": 0, "biz_reg_no": 1}


def test_default_store_lives_in_the_user_config_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    store = MappingStore()
    store.remember(map_columns(Sheet("s", [["기업명", "사업자등록번호", "메모"]])).with_field(2, None))
    assert store.path.is_relative_to(tmp_path / "cfg") and store.path.exists()


def test_with_field_moves_a_field_from_its_old_column():
    mapping = map_columns(Sheet("s", [["기업명", "상호", "사업자등록번호"]]))
    moved = mapping.with_field(1, "name")
    assert moved.mapped() == {"name": 1, "biz_reg_no": 2}
    assert moved.missing_required() == []
    assert moved.with_field(2, None).missing_required() == ["biz_reg_no"]
