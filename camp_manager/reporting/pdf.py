"""The monthly report as an A4 PDF (ReportLab), laid out from a `MonthlyReport`.

The bundled NanumGothic TrueType font is embedded (subset) — never ReportLab's CID
fonts, which are not embedded and print as boxes on PCs without a Korean font. Every
page has a header (facility, month) and a footer (page x / y, generation time); long
tables repeat their header row on each page; Korean text wraps between syllables
(wordWrap='CJK'), English between words.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak, Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle,
)

from camp_manager.i18n import tr
from camp_manager.progress import NullProgress, Progress
from camp_manager.reporting.monthly import CONTRACT_WATCH_DAYS, REQUEST_WATCH_DAYS, FigureKind, MonthlyReport, format_figure, header_case
from camp_manager.resources import resource_path

FONT = "NanumGothic"
FONT_BOLD = "NanumGothic-Bold"

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 20 * mm
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN_X

NAVY = colors.HexColor("#1F3864")
INK = colors.HexColor("#1A1A1A")
MUTED = colors.HexColor("#5A6270")
RULE = colors.HexColor("#B7BDC7")
STRIPE = colors.HexColor("#F3F5F8")
TOTAL_FILL = colors.HexColor("#E1E7F0")
SERIES = [colors.HexColor(c) for c in ("#1F3864", "#2E75B6", "#9DC3E6", "#C55A11", "#F4B183", "#548235", "#A9D18E", "#7F6000", "#FFD966", "#7030A0")]

TABLE_FONT_SIZE = 8
CELL_PADDING = 3


def register_fonts() -> None:
    """Register NanumGothic regular and bold once, as embeddable TrueType fonts."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(FONT, str(resource_path("fonts", "NanumGothic.ttf"))))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(resource_path("fonts", "NanumGothicBold.ttf"))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def _style(name: str, *, size: float = 9, bold: bool = False, align: int = TA_LEFT, color=INK, leading: float | None = None, **extra) -> ParagraphStyle:
    return ParagraphStyle(
        name, fontName=FONT_BOLD if bold else FONT, fontSize=size, leading=leading or size * 1.35, alignment=align,
        textColor=color, **{"wordWrap": "CJK", **extra},
    )


STYLES = {
    "title": _style("title", size=20, bold=True, align=TA_CENTER, color=NAVY, leading=26),
    "subtitle": _style("subtitle", size=12, align=TA_CENTER, color=MUTED, leading=16),
    "h1": _style("h1", size=13, bold=True, color=NAVY, spaceBefore=10, spaceAfter=5, leading=17, keepWithNext=1),
    "h2": _style("h2", size=10, bold=True, color=INK, spaceBefore=7, spaceAfter=3, keepWithNext=1),
    "body": _style("body", size=9),
    "lead": _style("lead", size=9, spaceAfter=2, keepWithNext=1),
    "note": _style("note", size=7.5, color=MUTED),
    "note_lead": _style("note_lead", size=7.5, color=MUTED, keepWithNext=1),
    "cell": _style("cell", size=TABLE_FONT_SIZE, leading=TABLE_FONT_SIZE * 1.25),
    "cell_words": _style("cell_words", size=TABLE_FONT_SIZE, leading=TABLE_FONT_SIZE * 1.25, wordWrap=None),
    "head": _style("head", size=TABLE_FONT_SIZE, bold=True, color=colors.white, align=TA_CENTER, leading=TABLE_FONT_SIZE * 1.2),
    "head_words": _style("head_words", size=TABLE_FONT_SIZE, bold=True, color=colors.white, align=TA_CENTER, leading=TABLE_FONT_SIZE * 1.2, wordWrap=None),
    "empty": _style("empty", size=8.5, color=MUTED, leftIndent=4),
}


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _has_cjk(text: str) -> bool:
    return any(unicodedata.east_asian_width(ch) in "WF" for ch in text)


def _fit(text: str, width: float) -> str | Paragraph:
    """Plain text when it fits the column (fast); a wrapping Paragraph when it does not.

    Korean wraps between any two syllables; other text only between words, so an English
    word is never cut in two.
    """
    if pdfmetrics.stringWidth(text, FONT, TABLE_FONT_SIZE) <= width - 2 * CELL_PADDING:
        return text
    return Paragraph(_escape(text), STYLES["cell" if _has_cjk(text) else "cell_words"])


def _count(value: int | None) -> str:
    return "" if value is None else format_figure(value, FigureKind.COUNT)


def _rate(value: float) -> str:
    return format_figure(value, FigureKind.PERCENT)


def _hours(value: float) -> str:
    return format_figure(value, FigureKind.HOURS)


def _date(value) -> str:
    return value.isoformat() if value else ""


def _header_cell(text: str) -> Paragraph:
    style = STYLES["head"] if _has_cjk(text) else STYLES["head_words"]
    return Paragraph(_escape(text), style)


def _longest_word(text: str, font: str = FONT) -> float:
    """The narrowest a cell can get without cutting a word (Korean may break anywhere)."""
    if _has_cjk(text):
        return pdfmetrics.stringWidth(text[:3], font, TABLE_FONT_SIZE)
    return max((pdfmetrics.stringWidth(word, font, TABLE_FONT_SIZE) for word in text.split()), default=0.0)


@dataclass(frozen=True)
class Column:
    header: str
    width: float  # mm; in a stretched table, the share of the room left for wrapping columns
    align: str = "LEFT"
    wrap: bool = False


def _stretched_widths(columns: Sequence[Column], headers: list[str], rows: list[list]) -> list[float]:
    """Fit the body width: columns that never wrap get their widest value; the wrapping ones
    share what is left by their nominal width, never narrower than their longest word."""
    padding = 2 * CELL_PADDING
    natural, narrowest = [], []
    for i, column in enumerate(columns):
        cells = [str(row[i]) for row in rows]
        widest = max((pdfmetrics.stringWidth(text, FONT, TABLE_FONT_SIZE) for text in cells), default=0.0)
        header_word = _longest_word(headers[i], FONT_BOLD)
        natural.append(max(widest, header_word) + padding)
        narrowest.append(max([header_word, *(_longest_word(text) for text in cells)]) + padding if column.wrap else natural[-1])
    fixed = sum(w for w, c in zip(natural, columns) if not c.wrap)
    flexible = [i for i, c in enumerate(columns) if c.wrap]
    room = BODY_WIDTH - fixed
    if not flexible or sum(natural[i] for i in flexible) <= room:
        # Everything fits on one line: spread the spare room over all columns.
        spare = (BODY_WIDTH - sum(natural)) / len(columns)
        return [w + spare for w in natural]
    weights = {i: columns[i].width for i in flexible}
    widths = list(natural)
    for i in flexible:
        widths[i] = max(narrowest[i], room * weights[i] / sum(weights.values()))
    overflow = sum(widths) - BODY_WIDTH
    if overflow > 0:  # the minimums took more than their share: take it back from the roomier columns
        slack = {i: widths[i] - narrowest[i] for i in flexible}
        total_slack = sum(slack.values()) or 1.0
        for i in flexible:
            widths[i] -= overflow * slack[i] / total_slack
    return widths


def data_table(columns: Sequence[Column], rows: Sequence[Sequence[object]], *, total_rows: Sequence[int] = (), stretch: bool = False) -> Table:
    """A ruled table with a navy header row that repeats on every page it spans."""
    headers = [header_case(c.header) for c in columns]
    body = [list(row) for row in rows]
    if stretch:
        widths = _stretched_widths(columns, headers, body)
    else:
        widths = [max(c.width * mm, _longest_word(h, FONT_BOLD) + 2 * CELL_PADDING) for c, h in zip(columns, headers)]
    wrapping = [i for i, c in enumerate(columns) if c.wrap]
    for row in body:
        for i in wrapping:
            row[i] = _fit(str(row[i]), widths[i])
    table = Table([[_header_cell(h) for h in headers], *body], colWidths=widths, repeatRows=1, hAlign="LEFT")
    commands = [
        ("FONT", (0, 0), (-1, -1), FONT, TABLE_FONT_SIZE),
        ("TEXTCOLOR", (0, 1), (-1, -1), INK),
        ("BACKGROUND", (0, 0), (-1, 0), NAVY),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("BOX", (0, 0), (-1, -1), 0.6, NAVY),
        ("TOPPADDING", (0, 0), (-1, -1), 2.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, STRIPE]),
    ]
    commands += [("ALIGN", (i, 1), (i, -1), c.align) for i, c in enumerate(columns) if c.align != "LEFT"]
    for index in total_rows:
        commands += [("BACKGROUND", (0, index + 1), (-1, index + 1), TOTAL_FILL), ("FONT", (0, index + 1), (-1, index + 1), FONT_BOLD, TABLE_FONT_SIZE)]
    table.setStyle(TableStyle(commands))
    return table


def side_by_side(*parts: Flowable, widths: Sequence[float], stacked: bool = False) -> Table:
    """Flowables next to each other (or one above the other), without rules or padding."""
    cells = [[part] for part in parts] if stacked else [list(parts)]
    layout = Table(cells, colWidths=list(widths))
    # Every table cell gets a font, even one holding only flowables: the default would be Helvetica.
    layout.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, TABLE_FONT_SIZE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]))
    return layout


def _empty(text: str | None = None) -> Paragraph:
    return Paragraph(_escape(text or tr("해당 없음")), STYLES["empty"])


def _heading(text: str, room: float = 45 * mm) -> list[Flowable]:
    """A section title that moves to the next page unless `room` is left below it."""
    return [CondPageBreak(room), Paragraph(_escape(text), STYLES["h1"])]


def _subheading(text: str) -> Paragraph:
    return Paragraph(_escape(text), STYLES["h2"])


# --- charts ------------------------------------------------------------------------------


def _drawing(width: float, height: float) -> Drawing:
    drawing = Drawing(width, height)
    drawing.initialFontName = FONT  # the graphics default is Helvetica, which would not be embedded
    return drawing


def _no_data_drawing(width: float, height: float, title: str) -> Drawing:
    drawing = _drawing(width, height)
    drawing.add(String(4, height - 12, title, fontName=FONT_BOLD, fontSize=8.5, fillColor=INK))
    drawing.add(String(width / 2, height / 2, tr("자료 없음"), fontName=FONT, fontSize=9, fillColor=MUTED, textAnchor="middle"))
    return drawing


def _axis_fonts(chart, *, rotate_categories: bool) -> None:
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = FONT
        axis.labels.fontSize = 7
        axis.labels.fillColor = INK
        axis.strokeColor = RULE
    chart.valueAxis.labelTextFormat = "%.0f"
    chart.valueAxis.gridStrokeColor = colors.HexColor("#E3E6EA")
    chart.valueAxis.visibleGrid = True
    if rotate_categories:
        chart.categoryAxis.labels.angle = 40
        chart.categoryAxis.labels.boxAnchor = "ne"
        chart.categoryAxis.labels.dy = -2


def _nice_ceiling(value: float) -> float:
    """A round axis maximum a little above `value` (room for the labels on top of the bars)."""
    target = value * 1.12
    magnitude = 10 ** math.floor(math.log10(target)) if target > 0 else 1
    return next(step * magnitude for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if step * magnitude >= target)


def _crowded(categories: list[str], width: float) -> bool:
    """True when the category labels would run into each other if written level."""
    widest = max(pdfmetrics.stringWidth(c, FONT, 7) for c in categories)
    return widest + 4 > width / len(categories)


def bar_chart(
    title: str, categories: list[str], series: list[list[float]], *, width: float, height: float, horizontal: bool = False,
    stacked: bool = False, names: list[str] | None = None, label_format: str = "%.0f", value_max: float | None = None,
    palette: Sequence = SERIES,
) -> Drawing:
    """Bars with Korean labels; several series side by side or stacked (then with a legend)."""
    if not categories or not any(any(v for v in s) for s in series):
        return _no_data_drawing(width, height, title)
    if horizontal:  # a horizontal chart draws its first category at the bottom; read top-down instead
        categories, series = categories[::-1], [values[::-1] for values in series]
    legend_rows = -(-len(names) // 4) if names and len(names) > 1 else 0
    legend_height = 12 * legend_rows + (6 if legend_rows else 0)
    drawing = _drawing(width, height)
    drawing.add(String(4, height - 12, title, fontName=FONT_BOLD, fontSize=8.5, fillColor=INK))
    chart = HorizontalBarChart() if horizontal else VerticalBarChart()
    left = max(pdfmetrics.stringWidth(c, FONT, 7) for c in categories) + 10 if horizontal else 30
    rotate = not horizontal and _crowded(categories, width - left - 14)
    chart.x, chart.y = left, (20 if not rotate else 34) + legend_height
    chart.width = width - left - 16
    chart.height = height - chart.y - 24
    chart.data = series
    chart.categoryAxis.categoryNames = categories
    chart.valueAxis.valueMin = 0
    tallest = max(map(sum, zip(*series))) if stacked else max(max(values) for values in series)
    chart.valueAxis.valueMax = value_max if value_max is not None else _nice_ceiling(tallest)
    _axis_fonts(chart, rotate_categories=rotate)
    chart.barSpacing = 1
    chart.groupSpacing = 6
    for index in range(len(series)):
        chart.bars[index].fillColor = palette[index % len(palette)]
        chart.bars[index].strokeColor = None
    if stacked:
        chart.categoryAxis.style = "stacked"
    else:
        chart.barLabelFormat = label_format
        chart.barLabels.fontName = FONT
        chart.barLabels.fontSize = 6.5
        chart.barLabels.fillColor = INK
        if horizontal:
            chart.barLabels.boxAnchor = "w"
            chart.barLabels.dx = 3
        else:
            chart.barLabels.nudge = 6
    drawing.add(chart)
    if legend_rows:
        drawing.add(_legend(names, palette, x=chart.x, y=legend_height - 4, rows=legend_rows, width=chart.width))
    return drawing


def _legend(names: list[str], palette: Sequence, *, x: float, y: float, rows: int, width: float) -> Legend:
    """Swatches laid out in rows, read left to right."""
    columns = -(-len(names) // rows)
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName = FONT
    legend.fontSize = 7
    legend.alignment = "right"
    legend.columnMaximum = rows
    legend.dx = legend.dy = 7
    legend.deltax = width / columns
    legend.deltay = 12
    legend.dxTextSpace = 4
    pairs = [(palette[i % len(palette)], name) for i, name in enumerate(names)]
    # The legend fills column by column; reorder so that it reads row by row.
    legend.colorNamePairs = [pairs[r * columns + c] for c in range(columns) for r in range(rows) if r * columns + c < len(pairs)]
    return legend


def line_chart(title: str, categories: list[str], values: list[float], *, width: float, height: float, label_format: str) -> Drawing:
    """A percentage over time (0–100 %), each point labelled."""
    if not values:
        return _no_data_drawing(width, height, title)
    drawing = _drawing(width, height)
    drawing.add(String(4, height - 12, title, fontName=FONT_BOLD, fontSize=8.5, fillColor=INK))
    chart = HorizontalLineChart()
    rotate = _crowded(categories, width - 48)
    chart.x, chart.y = 30, 34 if rotate else 22
    chart.width, chart.height = width - 44, height - chart.y - 28
    chart.data = [values]
    chart.categoryAxis.categoryNames = categories
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = 100
    chart.valueAxis.valueStep = 20
    _axis_fonts(chart, rotate_categories=rotate)
    chart.lines[0].strokeColor = SERIES[1]
    chart.lines[0].strokeWidth = 1.6
    chart.lines[0].symbol = makeMarker("FilledCircle", size=3.5, fillColor=SERIES[0], strokeColor=SERIES[0])
    chart.lineLabelFormat = label_format
    chart.lineLabels.fontName = FONT
    chart.lineLabels.fontSize = 6.5
    chart.lineLabels.dy = 6
    drawing.add(chart)
    return drawing


# --- page furniture ----------------------------------------------------------------------


class _NumberedCanvas(Canvas):
    """Holds pages back until the end so each footer can say 'page x / y'."""

    def __init__(self, *args, footer: Callable[[Canvas, int, int], None], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._pages: list[dict] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._footer(self, number, total)
            super().showPage()
        super().save()


def _draw_header(canvas: Canvas, doc, *, report: MonthlyReport) -> None:
    canvas.saveState()
    top = PAGE_HEIGHT - 13 * mm
    canvas.setFont(FONT_BOLD, 8.5)
    canvas.setFillColor(NAVY)
    canvas.drawString(MARGIN_X, top, f"{report.title} · {report.facility_name}")
    canvas.setFont(FONT, 8.5)
    canvas.drawRightString(PAGE_WIDTH - MARGIN_X, top, report.month.label())
    canvas.setStrokeColor(NAVY)
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN_X, top - 3 * mm, PAGE_WIDTH - MARGIN_X, top - 3 * mm)
    canvas.restoreState()


def _draw_footer(canvas: Canvas, number: int, total: int, *, report: MonthlyReport) -> None:
    canvas.saveState()
    bottom = 11 * mm
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN_X, bottom + 4 * mm, PAGE_WIDTH - MARGIN_X, bottom + 4 * mm)
    canvas.setFont(FONT, 7.5)
    canvas.setFillColor(MUTED)
    canvas.drawString(MARGIN_X, bottom, tr("생성 {time} · Camp Manager", time=report.generated_at.strftime("%Y-%m-%d %H:%M")))
    canvas.drawRightString(PAGE_WIDTH - MARGIN_X, bottom, tr("{page} / {total} 쪽", page=number, total=total))
    canvas.restoreState()


# --- sections ------------------------------------------------------------------------------


def _facility_column(report: MonthlyReport, width: float = 20) -> list[Column]:
    """The facility column, shown only in a report on all facilities."""
    return [Column(tr("시설"), width)] if report.all_facilities else []


def _facility_cell(report: MonthlyReport, facility: str) -> list[str]:
    return [facility] if report.all_facilities else []


def _cover(report: MonthlyReport) -> list[Flowable]:
    facility = report.facility_name if not report.all_facilities else f"{report.facility_name} ({', '.join(report.facility_names)})"
    meta = [
        [tr("시설"), facility],
        [tr("대상 기간"), f"{report.month.first_day.isoformat()} ~ {report.month.last_day.isoformat()}"],
        [tr("기준일"), report.as_of.isoformat()],
        [tr("작성일"), report.generated_at.strftime("%Y-%m-%d")],
    ]
    table = Table([[Paragraph(f"<b>{_escape(k)}</b>", STYLES["body"]), Paragraph(_escape(v), STYLES["body"])] for k, v in meta], colWidths=[30 * mm, 110 * mm])
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 9), ("LINEABOVE", (0, 0), (-1, 0), 0.8, NAVY), ("LINEBELOW", (0, -1), (-1, -1), 0.8, NAVY),
        ("LINEBELOW", (0, 0), (-1, -2), 0.3, RULE), ("BACKGROUND", (0, 0), (0, -1), STRIPE),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return [
        Spacer(1, 2 * mm),
        Paragraph(_escape(report.title), STYLES["title"]),
        Spacer(1, 2 * mm),
        Paragraph(_escape(f"{report.facility_name} · {report.month.label()}"), STYLES["subtitle"]),
        Spacer(1, 5 * mm),
        table,
    ]


def _summary(report: MonthlyReport) -> list[Flowable]:
    summary = report.summary
    table = data_table([Column(tr("항목"), 50), Column(tr("값"), 26, "RIGHT")], [[f.label, f.text] for f in summary.figures()])
    chart_width = BODY_WIDTH - 84 * mm
    seat_rate = summary.seats_used / summary.seats_total if summary.seats_total else 0.0
    office_rate = summary.occupancy_rate
    use_chart = bar_chart(
        tr("사용률(%)"), [tr("사무실 {used}/{total}실", used=summary.rooms_occupied, total=summary.rooms_total), tr("공유 좌석 {used}/{total}석", used=summary.seats_used, total=summary.seats_total)],
        [[round(office_rate * 100, 1), round(seat_rate * 100, 1)], [round(100 - office_rate * 100, 1), round(100 - seat_rate * 100, 1)]],
        width=chart_width, height=110, horizontal=True, stacked=True, names=[tr("사용"), tr("빈 자리")], value_max=100,
        palette=[NAVY, colors.HexColor("#D0D5DD")],
    )
    months = report.trend.months
    trend_chart = line_chart(
        tr("최근 {count}개월 사무실 입주율(%)", count=len(months)), [p.month.label_short() for p in months],
        [round(p.occupancy_rate * 100, 1) for p in months], width=chart_width, height=150, label_format="%.0f",
    )
    layout = side_by_side(table, side_by_side(use_chart, trend_chart, widths=[chart_width], stacked=True), widths=[84 * mm, chart_width])
    note = Paragraph(
        _escape(tr("입주기업·호실·고용인원은 기준일({date}) 현재, 입주·퇴거·멘토링은 {start}부터 {end}까지의 집계입니다. 사무실 입주율 = 사용 중인 사무실 ÷ 전체 사무실.", date=report.as_of.isoformat(), start=report.month.first_day.isoformat(), end=report.month.last_day.isoformat())),
        STYLES["note"],
    )
    return [*_heading(tr("1. 요약")), layout, Spacer(1, 2 * mm), note]


def _floors(report: MonthlyReport) -> list[Flowable]:
    columns = [
        Column(tr("시설"), 24, wrap=True), Column(tr("층"), 12), Column(tr("사무실"), 14, "RIGHT"), Column(tr("사용"), 12, "RIGHT"),
        Column(tr("공실"), 12, "RIGHT"), Column(tr("입주율"), 15, "RIGHT"), Column(tr("공유 좌석"), 22, "RIGHT"),
        Column(tr("면적(m²)"), 26, "RIGHT"), Column(tr("입주기업"), 15, "RIGHT"),
    ]
    rows, totals = [], []
    for index, row in enumerate(report.floors):
        if row.is_total:
            totals.append(index)
        offices = bool(row.rooms_total)
        rows.append([
            row.facility, row.place,
            *([_count(row.rooms_total), _count(row.rooms_occupied), _count(row.rooms_total - row.rooms_occupied), _rate(row.occupancy_rate)] if offices else ["-"] * 4),
            f"{row.seats_used:,} / {row.seats_total:,}" if row.seats_total else "-",
            f"{row.area_occupied:,.0f} / {row.area_total:,.0f}" if row.area_total else "-",
            _count(row.residents),
        ])
    note = Paragraph(_escape(tr("공유 좌석과 면적은 사용/전체입니다. 입주기업 수는 시설 단위로 셉니다(한 기업이 여러 층을 쓸 수 있음).")), STYLES["note_lead"])
    floors = [r for r in report.floors if not r.is_total and r.rooms_total]
    many = len(report.facility_names) > 1
    chart = bar_chart(
        tr("층별 사무실 입주율(%)"), [f"{r.facility} {r.place}" if many else r.place for r in floors],
        [[round(r.occupancy_rate * 100, 1) for r in floors]], width=BODY_WIDTH, height=max(90, 15 * len(floors) + 40),
        horizontal=True, value_max=100, label_format="%.1f",
    )
    table = data_table(columns, rows, total_rows=totals, stretch=True)
    return [*_heading(tr("2. 시설·층별 입주 현황")), note, Spacer(1, 1.5 * mm), table, Spacer(1, 3 * mm), KeepTogether([chart])]


def _roster(report: MonthlyReport) -> list[Flowable]:
    flow = [*_heading(tr("3. 입주기업 명단"), room=80 * mm)]
    if not report.roster:
        return [*flow, _empty()]
    columns = [
        Column(tr("번호"), 9, "RIGHT"), Column(tr("기업명"), 40, wrap=True), *_facility_column(report, 17),
        Column(tr("대표자"), 14, wrap=True), Column(tr("사업자등록번호"), 22, "CENTER"), Column(tr("분야"), 21, wrap=True),
        Column(tr("호실"), 13, wrap=True), Column(tr("입주일"), 18, "CENTER"), Column(tr("계약 만료일"), 18, "CENTER"), Column(tr("고용"), 10, "RIGHT"),
    ]
    rows = [
        [str(r.no), r.company, *_facility_cell(report, r.facility), r.representative, r.biz_reg_no, r.field, r.rooms,
         _date(r.move_in), _date(r.contract_end), _count(r.employees)]
        for r in report.roster
    ]
    note = Paragraph(_escape(tr("{date} 현재 입주기업 {count}개, 기업명 가나다순. 고용은 기준일까지 신고된 최근 상시 고용인원입니다.", date=report.as_of.isoformat(), count=len(report.roster))), STYLES["note_lead"])
    return [*flow, note, Spacer(1, 2 * mm), data_table(columns, rows, stretch=True)]


def _movements(report: MonthlyReport) -> list[Flowable]:
    flow: list[Flowable] = [*_heading(tr("4. 이달의 입퇴거·호실 변동"))]
    if report.movements:
        columns = [
            Column(tr("날짜"), 18, "CENTER"), Column(tr("구분"), 13, "CENTER"), Column(tr("기업명"), 32, wrap=True), *_facility_column(report),
            Column(tr("호실"), 14, wrap=True), Column(tr("내용"), 50, wrap=True),
        ]
        rows = [[_date(m.on), m.kind_label, m.company, *_facility_cell(report, m.facility), m.rooms, m.detail] for m in report.movements]
        flow.append(data_table(columns, rows, stretch=True))
    else:
        flow.append(_empty(tr("이달에는 입주·퇴거·호실 변동이 없습니다.")))
    flow.append(_subheading(tr("이달 퇴거 사유")))
    if report.exits_by_reason:
        rows = [[r.label, _count(r.count)] for r in report.exits_by_reason]
        rows.append([tr("합계"), _count(sum(r.count for r in report.exits_by_reason))])
        flow.append(data_table([Column(tr("사유"), 50), Column(tr("기업 수"), 22, "RIGHT")], rows, total_rows=[len(rows) - 1]))
    else:
        flow.append(_empty(tr("이달 퇴거 없음")))
    return flow


def _mentoring(report: MonthlyReport) -> list[Flowable]:
    section = report.mentoring
    flow: list[Flowable] = [
        *_heading(tr("5. 이달의 멘토링")),
        Paragraph(_escape(tr("멘토링 {sessions}회 · {hours}시간 · 참여 기업 {companies}개", sessions=section.sessions, hours=_hours(section.hours), companies=section.companies_reached)), STYLES["lead"]),
    ]
    numbers = [Column(tr("횟수"), 14, "RIGHT"), Column(tr("시간"), 14, "RIGHT")]
    field_rows = [[line.name, _count(line.sessions), _hours(line.hours), _count(line.companies)] for line in section.by_field]
    field_rows.append([tr("합계"), _count(section.sessions), _hours(section.hours), _count(section.companies_reached)])
    field_table = data_table([Column(tr("분야"), 30), *numbers, Column(tr("기업 수"), 16, "RIGHT")], field_rows, total_rows=[len(field_rows) - 1])
    chart_width = BODY_WIDTH - 84 * mm
    chart = bar_chart(tr("분야별 멘토링 횟수"), [line.name for line in section.by_field], [[line.sessions for line in section.by_field]], width=chart_width, height=110)
    flow += [_subheading(tr("분야별")), side_by_side(field_table, chart, widths=[84 * mm, chart_width]), _subheading(tr("멘토별"))]
    if section.by_mentor:
        rows = [[line.name, line.detail, _count(line.sessions), _hours(line.hours), _count(line.companies)] for line in section.by_mentor]
        flow.append(data_table([Column(tr("멘토"), 30, wrap=True), Column(tr("분야"), 30), *numbers, Column(tr("기업 수"), 16, "RIGHT")], rows))
    else:
        flow.append(_empty())
    flow.append(_subheading(tr("참여 기업")))
    if section.by_company:
        rows = [[line.name, _count(line.sessions), _hours(line.hours)] for line in section.by_company]
        flow.append(data_table([Column(tr("기업명"), 76, wrap=True), *numbers], rows))
    else:
        flow.append(_empty())
    return flow


def _watch(report: MonthlyReport) -> list[Flowable]:
    watch = report.watch
    flow: list[Flowable] = [*_heading(tr("6. 주의 목록"))]
    flow.append(_subheading(tr("정원 초과(고용인원이 보유 좌석보다 많음): {count}개", count=len(watch.over_capacity))))
    if watch.over_capacity:
        columns = [
            Column(tr("기업명"), 40, wrap=True), *_facility_column(report), Column(tr("호실"), 18, wrap=True), Column(tr("보유 좌석"), 15, "RIGHT"),
            Column(tr("고용인원"), 15, "RIGHT"), Column(tr("초과"), 12, "RIGHT"), Column(tr("확장 신청"), 15, "CENTER"),
        ]
        rows = [[w.company, *_facility_cell(report, w.facility), w.rooms, _count(w.seats_held), _count(w.employees), _count(w.excess), tr("있음") if w.open_request else "-"] for w in watch.over_capacity]
        flow.append(data_table(columns, rows, stretch=True))
    else:
        flow.append(_empty())
    flow.append(_subheading(tr("{days}일 안에 계약이 끝나는 기업: {count}개", days=CONTRACT_WATCH_DAYS, count=len(watch.contracts_ending))))
    if watch.contracts_ending:
        columns = [Column(tr("기업명"), 40, wrap=True), *_facility_column(report), Column(tr("호실"), 18, wrap=True), Column(tr("계약 만료일"), 20, "CENTER"), Column(tr("남은 일수"), 15, "RIGHT")]
        rows = [[w.company, *_facility_cell(report, w.facility), w.rooms, _date(w.contract_end), _count(w.days_left)] for w in watch.contracts_ending]
        flow.append(data_table(columns, rows, stretch=True))
    else:
        flow.append(_empty())
    flow.append(_subheading(tr("{days}일 넘게 기다리는 신청: {count}건", days=REQUEST_WATCH_DAYS, count=len(watch.waiting_requests))))
    if watch.waiting_requests:
        columns = [
            Column(tr("기업명"), 32, wrap=True), *_facility_column(report), Column(tr("유형"), 15, "CENTER"), Column(tr("신청일"), 18, "CENTER"),
            Column(tr("대기 일수"), 14, "RIGHT"), Column(tr("메모"), 40, wrap=True),
        ]
        rows = [[w.company, *_facility_cell(report, w.facility), w.kind, _date(w.requested_on), _count(w.days_waiting), w.note] for w in watch.waiting_requests]
        flow.append(data_table(columns, rows, stretch=True))
    else:
        flow.append(_empty())
    return flow


def _trend(report: MonthlyReport) -> list[Flowable]:
    trend = report.trend
    flow: list[Flowable] = [*_heading(tr("7. 추이")), _subheading(tr("최근 {count}개월 입주 현황", count=len(trend.months)))]
    flow.append(line_chart(
        tr("월말 사무실 입주율(%)"), [p.month.label_short() for p in trend.months],
        [round(p.occupancy_rate * 100, 1) for p in trend.months], width=BODY_WIDTH, height=150, label_format="%.1f",
    ))
    columns = [Column(tr("월"), 24), Column(tr("기준일"), 22, "CENTER"), Column(tr("입주기업"), 18, "RIGHT"), Column(tr("사용 중인 사무실"), 24, "RIGHT"), Column(tr("전체 사무실"), 20, "RIGHT"), Column(tr("입주율"), 16, "RIGHT")]
    rows = [[p.month.label(), _date(p.as_of), _count(p.residents), _count(p.rooms_occupied), _count(p.rooms_total), _rate(p.occupancy_rate)] for p in trend.months]
    flow += [Spacer(1, 2 * mm), data_table(columns, rows, stretch=True)]

    half = (BODY_WIDTH - 6 * mm) / 2
    year_chart = bar_chart(tr("12월 31일 기준 입주기업 수"), [str(year) for year, _ in trend.year_ends], [[count for _, count in trend.year_ends]], width=half, height=140)
    year_rows = [[str(year), _count(count)] for year, count in trend.year_ends]
    year_table = data_table([Column(tr("연도"), 20, "CENTER"), Column(tr("12월 31일 입주기업"), 34, "RIGHT")], year_rows) if year_rows else _empty()
    flow += [CondPageBreak(60 * mm), _subheading(tr("연말 입주기업 수")), side_by_side(year_chart, year_table, widths=[half + 6 * mm, half])]

    exits = trend.exits
    flow += [CondPageBreak(90 * mm), _subheading(tr("연도별 퇴거 사유"))]
    if not exits.reasons:
        return [*flow, _empty()]
    names = [reason.label for reason in exits.reasons]
    series = [[exits.counts[y][r] for y in range(len(exits.years))] for r in range(len(exits.reasons))]
    flow.append(bar_chart(tr("연도별 퇴거 기업 수(사유별)"), [str(y) for y in exits.years], series, width=BODY_WIDTH, height=190, stacked=True, names=names))
    # Reasons down, years across: long reason names stay on one line.
    columns = [Column(tr("사유"), 34), *[Column(str(year), 13, "RIGHT") for year in exits.years], Column(tr("합계"), 14, "RIGHT")]
    rows = [[reason.label, *[_count(exits.counts[y][r]) for y in range(len(exits.years))], _count(reason.count)] for r, reason in enumerate(exits.reasons)]
    rows.append([tr("합계"), *[_count(exits.year_total(y)) for y in range(len(exits.years))], _count(sum(r.count for r in exits.reasons))])
    return [*flow, Spacer(1, 2 * mm), data_table(columns, rows, total_rows=[len(rows) - 1], stretch=True)]


def render_pdf(report: MonthlyReport, path: Path, *, progress: Progress | None = None) -> Path:
    """Write the report as an A4 PDF at `path` and return the path."""
    progress = progress or NullProgress()
    register_fonts()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sections: list[Callable[[MonthlyReport], list[Flowable]]] = [_cover, _summary, _floors, _roster, _movements, _mentoring, _watch, _trend]
    story: list[Flowable] = []
    for index, section in enumerate(sections):
        progress.check_cancelled()
        progress.report(index, len(sections) + 1, tr("PDF 작성 중…"))
        story += section(report)
    doc = SimpleDocTemplate(
        str(path), pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
        title=f"{report.title} — {report.facility_name} {report.month.label()}", author="Camp Manager",
        subject=report.title, creator="Camp Manager", lang=report.language,
        initialFontName=FONT,  # not Helvetica: no font may be left unembedded
    )

    def page_started(canvas: Canvas, doc) -> None:
        # Laying out the pages is most of the work: a cancel stops it here, before anything is written.
        progress.check_cancelled()
        progress.report(len(sections), len(sections) + 1, tr("PDF 작성 중… {page}쪽", page=doc.page))
        _draw_header(canvas, doc, report=report)

    doc.build(story, onFirstPage=page_started, onLaterPages=page_started, canvasmaker=partial(_NumberedCanvas, footer=partial(_draw_footer, report=report)))
    progress.report(len(sections) + 1, len(sections) + 1, tr("PDF를 저장했습니다."))
    return path
