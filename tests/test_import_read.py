"""Reading spreadsheets for import: every format, every encoding, and the bad files that must
end in a clear message (never a crash, a hang or a partial read)."""

from __future__ import annotations

import codecs
import zipfile
from datetime import date

import pytest
from python_calamine import CalamineWorkbook

from camp_manager.errors import DomainError
from camp_manager.i18n import set_language
from camp_manager.importing import read
from camp_manager.importing.read import FileFormat, LongText, open_file
from camp_manager.progress import Cancelled, Progress
from tests.importing_files import (
    ENCRYPTED_WORKBOOK,
    csv_file,
    lie_about_sizes,
    long_cell_xlsx,
    many_rows_xlsx,
    ods,
    office_convert,
    titled_resident_list,
    with_cached_formula,
    xlsx,
    zip_bomb_xlsx,
)

ROWS = [
    ["기업명", "사업자등록번호", "입주일"],
    ["딥러닝랩스", "123-45-67891", "2024-03-02"],
    ["한빛에이아이", "１２３－４５－６７８９１", "2024.3.4"],
]


def test_xlsx_rows_keep_the_numbers_the_user_sees(tmp_path):
    path = titled_resident_list(
        tmp_path / "list.xlsx",
        [[1, "딥러닝랩스", "김대표", "123-45-67891", date(2024, 3, 2), "305호", 5, "빅데이터", "광주"]],
    )
    source = open_file(path)
    sheet = source.read_sheet()
    assert source.format == FileFormat.XLSX
    assert source.sheet_names == ["입주기업"]
    assert sheet.rows[0][0] == "2024년 AI 창업캠프 입주기업 현황"  # row 1 is row 1, under the merged title
    assert sheet.rows[3][1] == "기업명"
    assert sheet.rows[4][4] == date(2024, 3, 2)
    assert len(source.sha256) == 64


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949", "utf-16"])
def test_csv_encodings_are_detected_not_asked(tmp_path, encoding):
    path = csv_file(tmp_path / "list.csv", ROWS, encoding=encoding, delimiter="\t" if encoding == "utf-16" else ",")
    source = open_file(path)
    assert source.format == FileFormat.CSV
    assert source.read_sheet().rows == ROWS


def test_csv_semicolons_are_recognised(tmp_path):
    path = csv_file(tmp_path / "list.csv", ROWS, delimiter=";")
    assert open_file(path).read_sheet().rows == ROWS


def test_undecodable_text_gets_a_message(tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes("기업명".encode() + b"\xff\xfe\xfa" + "딥".encode("cp949")[:1] + b"\x81\x00")
    with pytest.raises(DomainError, match="인코딩"):
        open_file(path)


def test_ods_written_by_hand_is_read(tmp_path):
    path = ods(tmp_path / "list.ods", [["기업명", "입주일"], ["딥러닝랩스", date(2024, 3, 2)]])
    source = open_file(path)
    assert source.format == FileFormat.ODS
    assert source.read_sheet().rows == [["기업명", "입주일"], ["딥러닝랩스", date(2024, 3, 2)]]


@pytest.mark.slow
def test_xls_and_ods_saved_by_libreoffice_are_read(tmp_path):
    original = titled_resident_list(
        tmp_path / "office.xlsx",
        [[1, "딥러닝랩스", "김대표", "123-45-67891", date(2024, 3, 2), "305호", 5, "빅데이터", "광주"]],
    )
    for extension, expected in (("xls", FileFormat.XLS), ("ods", FileFormat.ODS)):
        source = open_file(office_convert(original, extension, tmp_path))
        rows = source.read_sheet().rows
        assert source.format == expected
        assert rows[3][:4] == ["No.", "기업명", "대표자", "사업자등록번호"]
        assert rows[4][1] == "딥러닝랩스" and rows[4][4] == date(2024, 3, 2)


def test_every_sheet_is_offered(tmp_path):
    path = xlsx(tmp_path / "two.xlsx", [["메모"]], sheet="안내", sheets={"입주기업": ROWS})
    source = open_file(path)
    assert source.sheet_names == ["안내", "입주기업"]
    assert source.read_sheet("입주기업").rows == ROWS
    with pytest.raises(DomainError, match="안내, 입주기업"):
        source.read_sheet("없는 시트")


def test_formulas_give_their_saved_values_and_are_never_evaluated(tmp_path):
    path = xlsx(tmp_path / "formula.xlsx", [["기업명", "고용인원"], ["딥러닝랩스", 3]])
    with_cached_formula(path, "B2", "2+3", "5")
    workbook = xlsx(
        tmp_path / "uncached.xlsx",
        [["기업명", "고용인원", "비고"], ["딥러닝랩스", "=1+1", '=WEBSERVICE("http://example.com")']],
    )
    assert open_file(path).read_sheet().rows[1] == ["딥러닝랩스", 5]
    # A formula saved without a result (as openpyxl writes them) reads as empty: nothing computes it.
    assert open_file(workbook).read_sheet().rows[1] == ["딥러닝랩스", "", ""]


# --- bad files --------------------------------------------------------------------------


def test_text_renamed_xlsx_is_refused_clearly(tmp_path):
    path = tmp_path / "list.xlsx"
    path.write_text("기업명,사업자등록번호\n딥러닝랩스,123-45-67891\n", encoding="utf-8")
    with pytest.raises(DomainError, match=r"스프레드시트 파일이 아닙니다.*\.csv"):
        open_file(path)


def test_web_page_saved_as_xls_is_explained(tmp_path):
    path = tmp_path / "export.xls"
    path.write_text("<html><body><table><tr><td>기업명</td></tr></table></body></html>", encoding="utf-8")
    with pytest.raises(DomainError, match="HTML"):
        open_file(path)


@pytest.mark.parametrize(
    "content",
    [b"PK\x03\x04" + b"\x00" * 200, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600],
    ids=["broken zip", "broken ole"],
)
def test_corrupt_workbook_is_refused_clearly(tmp_path, content):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(content)
    with pytest.raises(DomainError, match="읽을 수 없습니다"):
        open_file(path)


def test_truncated_workbook_is_refused_clearly(tmp_path):
    path = xlsx(tmp_path / "whole.xlsx", ROWS)
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(DomainError, match="읽을 수 없습니다"):
        open_file(cut).read_sheet()


def test_zip_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "report.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(DomainError, match="엑셀 통합 문서가 아닙니다"):
        open_file(path)


def test_password_protected_workbook_is_refused_clearly(tmp_path):
    with pytest.raises(DomainError, match="암호"):
        open_file(ENCRYPTED_WORKBOOK)
    set_language("en")
    with pytest.raises(DomainError, match="password"):
        open_file(ENCRYPTED_WORKBOOK)


def test_zip_bomb_is_refused_before_it_is_parsed(tmp_path, monkeypatch):
    path = zip_bomb_xlsx(tmp_path / "bomb.xlsx", megabytes=30)
    assert path.stat().st_size < 2**20  # tiny on disk
    parsed = []
    monkeypatch.setattr(CalamineWorkbook, "from_filelike", lambda *a: parsed.append(a))
    with pytest.raises(DomainError, match="압축 폭탄"):
        open_file(path)
    assert parsed == []


def test_zip_bomb_with_lying_headers_is_measured_not_believed(tmp_path):
    path = lie_about_sizes(zip_bomb_xlsx(tmp_path / "liar.xlsx", megabytes=20), "xl/worksheets/sheet1.xml", size=1_000)
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size == 1_000
    with pytest.raises(DomainError, match="압축 폭탄"):
        open_file(path)


def test_total_inflated_size_is_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(read, "MAX_UNCOMPRESSED_BYTES", 4_000)
    with pytest.raises(DomainError, match="압축 폭탄"):
        open_file(xlsx(tmp_path / "ordinary.xlsx", ROWS * 20))


def test_a_file_over_the_size_limit_is_not_read(tmp_path):
    path = xlsx(tmp_path / "big.xlsx", ROWS)
    with path.open("r+b") as stream:  # one byte over the real limit (sparse: costs no disk)
        stream.truncate(read.MAX_FILE_BYTES + 1)
    with pytest.raises(DomainError, match=f"너무 큽니다.*{read.MAX_FILE_BYTES // 2**20} MB 이하"):
        open_file(path)


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    with pytest.raises(DomainError, match="빈 파일"):
        open_file(path)


def test_hundred_thousand_rows_end_in_a_message(tmp_path):
    path = many_rows_xlsx(tmp_path / "huge.xlsx", 100_000)
    source = open_file(path)
    with pytest.raises(DomainError, match=r"100,001.*50,000"):
        source.read_sheet()


def test_hundred_thousand_csv_rows_end_in_a_message(tmp_path):
    path = csv_file(
        tmp_path / "huge.csv", [["기업명", "사업자등록번호"]] + [[f"기업{n}", "123-45-67891"] for n in range(100_000)]
    )
    with pytest.raises(DomainError, match="50,000"):
        open_file(path)


def test_megabytes_of_text_in_a_cell_are_cut_short(tmp_path):
    path = long_cell_xlsx(tmp_path / "long.xlsx", 1_500_000)  # 4.5 MB of UTF-8
    cell = open_file(path).read_sheet().rows[1][1]
    assert isinstance(cell, LongText)
    assert cell.length == 1_500_000 and len(str(cell)) < 100


def test_megabytes_of_text_in_a_csv_field_are_cut_short_with_their_real_length(tmp_path):
    # Beyond the csv module's own field limit (131,072), which would end in its English message.
    path = csv_file(tmp_path / "long.csv", [["기업명", "비고"], ["딥러닝랩스", "가" * 5_000_000]])
    cell = open_file(path).read_sheet().rows[1][1]
    assert isinstance(cell, LongText)
    assert cell.length == 5_000_000 and len(str(cell)) < 100


def test_too_many_columns_end_in_a_message(tmp_path):
    path = csv_file(tmp_path / "wide.csv", [[f"열{n}" for n in range(300)]])
    with pytest.raises(DomainError, match="300"):
        open_file(path)


class CancelAfter(Progress):
    def __init__(self, reports: int) -> None:
        super().__init__()
        self.reports = reports

    def report(self, done: int, total: int, message: str = "") -> None:
        self.reports -= 1
        if self.reports <= 0:
            self.cancel()


def test_reading_a_large_sheet_can_be_cancelled(tmp_path):
    path = many_rows_xlsx(tmp_path / "large.xlsx", 20_000)
    source = open_file(path)
    with pytest.raises(Cancelled):
        source.read_sheet(progress=CancelAfter(2))


def test_bom_is_not_part_of_the_first_header(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(codecs.BOM_UTF8 + "기업명,사업자등록번호\n".encode())
    assert open_file(path).read_sheet().rows[0][0] == "기업명"
