"""The monthly report as a PDF: embedded Korean fonts, page furniture, every section, both languages."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date

import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics
from sqlmodel import Session

from camp_manager.i18n import language_scope
from camp_manager.progress import Cancelled, Progress
from camp_manager.reporting.build import build_report
from camp_manager.reporting.document import (
    CELL_PADDING,
    FONT,
    PAGE_HEIGHT,
    TABLE_FONT_SIZE,
    Column,
    data_table,
    register_fonts,
)
from camp_manager.reporting.monthly import ReportMonth
from camp_manager.reporting.options import ReportOptions
from camp_manager.reporting.pdf import render_pdf
from tests.factories import facility_with_rooms, resident

MONTH = ReportMonth(2026, 10)


def _fonts(resources, seen: set[int]):
    """Every font dictionary reachable from a page's resources (also inside form XObjects)."""
    if resources is None:
        return
    resources = resources.get_object()
    for reference in (resources.get("/Font") or {}).values():
        font = reference.get_object()
        if id(font) not in seen:
            seen.add(id(font))
            yield font
    for reference in (resources.get("/XObject") or {}).values():
        xobject = reference.get_object()
        if xobject.get("/Subtype") == "/Form":
            yield from _fonts(xobject.get("/Resources"), seen)


def _embedded(font) -> bool:
    if font["/Subtype"] == "/Type0":
        return all(_embedded(descendant.get_object()) for descendant in font["/DescendantFonts"])
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return False
    descriptor = descriptor.get_object()
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def _text(path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


@pytest.fixture
def report(demo_engine):
    with Session(demo_engine) as session:
        return build_report(session, month=MONTH)


def test_every_font_is_nanum_gothic_embedded_and_subset(report, tmp_path):
    path = render_pdf(report, tmp_path / "report.pdf")
    seen: set[int] = set()
    fonts = [font for page in PdfReader(path).pages for font in _fonts(page.get("/Resources"), seen)]
    assert fonts, "the PDF uses fonts"
    names = {str(font["/BaseFont"]) for font in fonts}
    assert all(_embedded(font) for font in fonts), f"fonts not embedded: {names}"
    assert all(font["/Subtype"] == "/TrueType" for font in fonts), "TrueType only, never CID fonts"
    assert all(re.fullmatch(r"/[A-Z]{6}\+NanumGothic(Bold)?", name) for name in names), names
    assert any(name.endswith("NanumGothicBold") for name in names) and any(
        name.endswith("+NanumGothic") for name in names
    )


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) is not installed")
def test_pdffonts_agrees_that_nothing_is_left_unembedded(report, tmp_path):
    path = render_pdf(report, tmp_path / "report.pdf")
    lines = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, encoding="utf-8", check=True
    ).stdout.splitlines()[2:]
    assert lines, "pdffonts lists the fonts"
    for line in lines:
        embedded, subset = line.split()[-5:-3]
        assert (embedded, subset) == ("yes", "yes"), line


def test_pages_carry_header_footer_and_repeated_table_headers(report, tmp_path):
    pages = _text(render_pdf(report, tmp_path / "report.pdf"))
    total = len(pages)
    assert total >= 5
    for number, page in enumerate(pages, start=1):
        assert f"{number} / {total} 쪽" in page, f"footer of page {number}"
        assert "월간 입주 현황 보고서 · 전체 시설" in page and "2026년 10월" in page, f"header of page {number}"
        assert f"생성 {report.generated_at:%Y-%m-%d %H:%M}" in page
    roster_pages = [page for page in pages if any(row.company in page for row in report.roster[-5:])]
    assert len([page for page in pages if "사업자등록번호" in page]) >= 2, (
        "the roster spans pages and repeats its header"
    )
    assert all("사업자등록번호" in page for page in roster_pages)


def test_every_section_and_its_rows_are_in_the_pdf(report, tmp_path):
    text = "\n".join(_text(render_pdf(report, tmp_path / "report.pdf")))
    flat = " ".join(text.split())
    for heading in (
        "1. 요약",
        "2. 시설·층별 입주 현황",
        "3. 입주기업 명단",
        "4. 이달의 입퇴거·호실 변동",
        "5. 이달의 멘토링",
        "6. 주의 목록",
        "7. 추이",
    ):
        assert heading in flat
    for row in report.roster:
        assert row.biz_reg_no in flat and re.fullmatch(r"\d{3}-\d{2}-\d{5}", row.biz_reg_no)
    for movement in report.movements:
        assert movement.company.replace(" ", "") in flat.replace(" ", "")
    for watch in report.watch.contracts_ending:
        assert watch.contract_end.isoformat() in flat
    # Charts: titles and their axis labels are drawn with the embedded font.
    for title in (
        "최근 12개월 사무실 입주율(%)",
        "층별 사무실 입주율(%)",
        "분야별 멘토링 횟수",
        "12월 31일 기준 입주기업 수",
        "연도별 퇴거 기업 수(사유별)",
    ):
        assert title in flat, title
    for point in report.trend.months:
        assert point.month.label_short() in flat


def test_english_report_has_english_furniture(demo_engine, tmp_path):
    with language_scope("en"), Session(demo_engine) as session:
        report = build_report(session, month=MONTH)
        pages = _text(render_pdf(report, tmp_path / "report.pdf"))
    flat = " ".join(" ".join(pages).split())
    assert "Monthly Occupancy Report" in flat and "1. Summary" in flat and "7. Trend" in flat
    assert "Office occupancy" in flat and "Page 1 / " in flat
    assert "요약" not in flat and "입주기업 명단" not in flat


def test_a_month_without_history_still_renders(session, tmp_path):
    """A new facility: empty sections say so instead of drawing empty charts."""
    facility, _rooms, _ = facility_with_rooms(session)
    resident(session, facility, name="=딥러닝랩스 주식회사 " + "아주긴이름" * 8, move_in_on=date(2026, 10, 20))
    session.commit()
    report = build_report(session, month=MONTH, facility_id=facility.id)
    flat = " ".join(" ".join(_text(render_pdf(report, tmp_path / "report.pdf"))).split())
    assert "해당 없음" in flat and "자료 없음" in flat
    assert "아주긴이름" in flat, "a long company name wraps inside its cell"


class _CancelAfter(Progress):
    """Asks to cancel after a number of progress reports, as the progress dialog's button would."""

    def __init__(self, reports: int) -> None:
        super().__init__()
        self.left = reports
        self.messages: list[str] = []

    def report(self, done: int, total: int, message: str = "") -> None:
        self.messages.append(message)
        self.left -= 1
        if self.left == 0:
            self.cancel()


def test_cancel_while_laying_out_pages_writes_no_file(report, tmp_path):
    progress = _CancelAfter(10)
    with pytest.raises(Cancelled):
        render_pdf(report, tmp_path / "report.pdf", progress=progress)
    assert not (tmp_path / "report.pdf").exists()
    assert any("쪽" in message for message in progress.messages), "page layout reports its progress"


def test_a_room_code_is_never_split_across_lines():
    # Korean text may wrap between any two syllables; a room code such as 2F-오픈존 may not.
    register_fonts()
    columns = [Column("Company name", 120, wrap=True), Column("Room", 5, wrap=True, codes=True)]
    rows = [["주식회사 아주 긴 이름의 회사" * 6, "2F-오픈존, 301"]]
    table = data_table(columns, rows, stretch=True)
    assert table._colWidths[1] > pdfmetrics.stringWidth("2F-오픈존", FONT, TABLE_FONT_SIZE)
    assert table._cellvalues[1][1].style.wordWrap is None


def test_office_and_approval_box_only_when_asked(report, tmp_path):
    plain = _text(render_pdf(report, tmp_path / "plain.pdf"))
    options = ReportOptions(office="AI 창업캠프 운영팀", approval=True)
    dressed = _text(render_pdf(report, tmp_path / "dressed.pdf", options=options))
    assert all("AI 창업캠프 운영팀" in page for page in dressed), "in every page's header"
    assert all(heading in dressed[0] for heading in ("담당", "팀장", "센터장"))
    assert not any("운영팀" in page for page in plain)
    assert not any(heading in plain[0] for heading in ("담당", "팀장", "센터장"))
    chosen = ReportOptions(approval=True, approval_titles=("기안", "검토", "승인"))
    [first] = _text(render_pdf(report, tmp_path / "chosen.pdf", options=chosen))[:1]
    assert all(heading in first for heading in ("기안", "검토", "승인")) and "센터장" not in first


def test_a_short_header_is_never_cut_and_a_long_one_only_between_words():
    register_fonts()
    columns = [
        Column("항목", 30, wrap=True),
        Column("아이플렉스", 1, "RIGHT", wrap=True),
        Column("사용 중인 사무실 합계", 1, "RIGHT", wrap=True),
        Column("정의", 200, wrap=True),
    ]
    table = data_table(columns, [["연중 입주기업", "12", "3", "하루라도 입주한 기업 수 " * 20]], stretch=True)
    lines = []
    for index in (1, 2):
        header = table._cellvalues[0][index]
        header.wrap(table._colWidths[index] - 2 * CELL_PADDING, PAGE_HEIGHT)
        lines.append([" ".join(map(str, line[1])) for line in header.blPara.lines])
    assert lines[0] == ["아이플렉스"]
    words = "사용 중인 사무실 합계".split()
    assert len(lines[1]) > 1 and all(set(line.split()) <= set(words) for line in lines[1]), lines[1]
