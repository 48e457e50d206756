"""PDF building blocks (ReportLab) for A4 documents: fonts, styles, the page template with
its header and footer, tables and charts. They know nothing of the monthly report, which
`reporting.pdf` lays out with them (as `reporting.workbook` serves `reporting.xlsx`).

The bundled NanumGothic TrueType font is embedded (subset) — never ReportLab's CID
fonts, which are not embedded and print as boxes on PCs without a Korean font. Every
page has a header and a footer (page x / y); long tables repeat their header row on each
page; Korean text wraps between syllables (wordWrap='CJK'), English between words.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Literal

from reportlab.graphics.charts.barcharts import BarChart, HorizontalBarChart, VerticalBarChart
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
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from camp_manager.i18n import tr
from camp_manager.reporting.monthly import header_case
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
SERIES = [
    colors.HexColor(c)
    for c in (
        "#1F3864",
        "#2E75B6",
        "#9DC3E6",
        "#C55A11",
        "#F4B183",
        "#548235",
        "#A9D18E",
        "#7F6000",
        "#FFD966",
        "#7030A0",
    )
]

TABLE_FONT_SIZE = 8
CELL_PADDING = 3
SHORT_HEADER = 16 * mm  # a header this wide or less stays on one line

_Alignment = Literal[0, 1, 2, 4]  # TA_LEFT, TA_CENTER, TA_RIGHT, TA_JUSTIFY
# An opcode, the first and last cell of the range it styles, and its arguments.
_TableCommand = tuple[str, tuple[int, int], tuple[int, int], *tuple[Any, ...]]


def register_fonts() -> None:
    """Register NanumGothic regular and bold once, as embeddable TrueType fonts."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(FONT, str(resource_path("fonts", "NanumGothic.ttf"))))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(resource_path("fonts", "NanumGothicBold.ttf"))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def _style(
    name: str,
    *,
    size: float = 9,
    bold: bool = False,
    align: _Alignment = TA_LEFT,
    color: colors.Color = INK,
    leading: float | None = None,
    **extra: Any,
) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=FONT_BOLD if bold else FONT,
        fontSize=size,
        leading=leading or size * 1.35,
        alignment=align,
        textColor=color,
        **{"wordWrap": "CJK", **extra},
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
    # A header wraps between words only: its column is never narrower than its longest word.
    "head": _style(
        "head",
        size=TABLE_FONT_SIZE,
        bold=True,
        color=colors.white,
        align=TA_CENTER,
        leading=TABLE_FONT_SIZE * 1.2,
        wordWrap=None,
    ),
    "empty": _style("empty", size=8.5, color=MUTED, leftIndent=4),
    "approval": _style("approval", size=TABLE_FONT_SIZE, bold=True, color=NAVY, align=TA_CENTER, wordWrap=None),
}


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _has_cjk(text: str) -> bool:
    return any(unicodedata.east_asian_width(ch) in "WF" for ch in text)


def _fit(text: str, width: float, *, codes: bool = False) -> str | Paragraph:
    """Plain text when it fits the column (fast); a wrapping Paragraph when it does not.

    Korean wraps between any two syllables; other text only between words, so an English
    word is never cut in two.
    """
    if pdfmetrics.stringWidth(text, FONT, TABLE_FONT_SIZE) <= width - 2 * CELL_PADDING:
        return text
    return Paragraph(escape(text), STYLES["cell" if _has_cjk(text) and not codes else "cell_words"])


def _header_cell(text: str) -> Paragraph:
    return Paragraph(escape(text), STYLES["head"])


def _longest_word(text: str, *, codes: bool = False) -> float:
    """The narrowest a cell can get without cutting a word (Korean may break anywhere, a code nowhere)."""
    if _has_cjk(text) and not codes:
        return pdfmetrics.stringWidth(text[:3], FONT, TABLE_FONT_SIZE)
    return max((pdfmetrics.stringWidth(word, FONT, TABLE_FONT_SIZE) for word in text.split()), default=0.0)


def _header_width(text: str) -> float:
    """The narrowest a header's column gets: its whole text when short (a facility name such as
    아이플렉스), else its longest word — never cut within a word, Korean or not."""
    whole = pdfmetrics.stringWidth(text, FONT_BOLD, TABLE_FONT_SIZE)
    if whole <= SHORT_HEADER:
        return whole + 2 * CELL_PADDING
    return max(pdfmetrics.stringWidth(word, FONT_BOLD, TABLE_FONT_SIZE) for word in text.split()) + 2 * CELL_PADDING


@dataclass(frozen=True)
class Column:
    header: str
    width: float  # mm; in a stretched table, the share of the room left for wrapping columns
    align: str = "LEFT"
    wrap: bool = False
    # Cells list codes (rooms such as 2F-오픈존): wrapped between codes, never within one.
    codes: bool = False


def _stretched_widths(columns: Sequence[Column], headers: list[str], rows: list[list[object]]) -> list[float]:
    """Fit the body width: columns that never wrap get their widest value; the wrapping ones
    share what is left by their nominal width, never narrower than their longest word."""
    padding = 2 * CELL_PADDING
    natural, narrowest = [], []
    for i, column in enumerate(columns):
        cells = [str(row[i]) for row in rows]
        widest = max((pdfmetrics.stringWidth(text, FONT, TABLE_FONT_SIZE) for text in cells), default=0.0)
        header = _header_width(headers[i])
        natural.append(max(widest + padding, header))
        narrowest.append(
            max(header, max((_longest_word(text, codes=column.codes) for text in cells), default=0.0) + padding)
            if column.wrap
            else natural[-1]
        )
    fixed = sum(w for w, c in zip(natural, columns, strict=True) if not c.wrap)
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


def data_table(
    columns: Sequence[Column],
    rows: Sequence[Sequence[object]],
    *,
    total_rows: Sequence[int] = (),
    stretch: bool = False,
) -> Table:
    """A ruled table with a navy header row that repeats on every page it spans."""
    headers = [header_case(c.header) for c in columns]
    body = [list(row) for row in rows]
    if stretch:
        widths = _stretched_widths(columns, headers, body)
    else:
        widths = [max(c.width * mm, _header_width(h)) for c, h in zip(columns, headers, strict=True)]
    wrapping = [i for i, c in enumerate(columns) if c.wrap]
    for row in body:
        for i in wrapping:
            row[i] = _fit(str(row[i]), widths[i], codes=columns[i].codes)
    table = Table([[_header_cell(h) for h in headers], *body], colWidths=widths, repeatRows=1, hAlign="LEFT")
    commands: list[_TableCommand] = [
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
        commands += [
            ("BACKGROUND", (0, index + 1), (-1, index + 1), TOTAL_FILL),
            ("FONT", (0, index + 1), (-1, index + 1), FONT_BOLD, TABLE_FONT_SIZE),
        ]
    table.setStyle(TableStyle(commands))
    return table


def side_by_side(*parts: Flowable, widths: Sequence[float], stacked: bool = False) -> Table:
    """Flowables next to each other (or one above the other), without rules or padding."""
    cells = [[part] for part in parts] if stacked else [list(parts)]
    layout = Table(cells, colWidths=list(widths))
    # Every table cell gets a font, even one holding only flowables: the default would be Helvetica.
    layout.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, TABLE_FONT_SIZE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return layout


APPROVAL_BOX_WIDTH = 17 * mm  # the narrowest box of an approval box
APPROVAL_SIGNATURE_HEIGHT = 15 * mm


def approval_box(headings: Sequence[str]) -> Table:
    """An approval box (결재란): its label down the left, then a box per heading with room to sign."""
    label = tr("결재")
    # A Korean label reads downwards, a syllable a line; another stays one word across.
    stacked = _has_cjk(label)
    label_width = pdfmetrics.stringWidth(label[:1] if stacked else label, FONT_BOLD, TABLE_FONT_SIZE) + 2 * CELL_PADDING
    label_cell = Paragraph("<br/>".join(map(escape, label)) if stacked else escape(label), STYLES["approval"])
    widths = [
        label_width,
        *(max(APPROVAL_BOX_WIDTH, _header_width(heading)) for heading in headings),
    ]
    box = Table(
        [[label_cell, *(Paragraph(escape(h), STYLES["approval"]) for h in headings)], ["", *([""] * len(headings))]],
        colWidths=widths,
        rowHeights=[None, APPROVAL_SIGNATURE_HEIGHT],  # the headings' row as tall as they need
        hAlign="RIGHT",
    )
    box.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, TABLE_FONT_SIZE),
                ("SPAN", (0, 0), (0, 1)),
                ("GRID", (0, 0), (-1, -1), 0.6, NAVY),
                ("BACKGROUND", (0, 0), (-1, 0), STRIPE),
                ("BACKGROUND", (0, 0), (0, 1), STRIPE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
    )
    return box


def title_block(title: str, subtitle: str, approval: Sequence[str] = ()) -> list[Flowable]:
    """A first page's title and subtitle, with the approval box of `approval`'s headings at its right."""
    lines: list[Flowable] = [
        Paragraph(escape(title), STYLES["title"]),
        Spacer(1, 2 * mm),
        Paragraph(escape(subtitle), STYLES["subtitle"]),
    ]
    if not approval:
        return [Spacer(1, 2 * mm), *lines]
    box = approval_box(approval)
    width, _height = box.wrap(BODY_WIDTH, PAGE_HEIGHT)
    heading = side_by_side(
        side_by_side(*lines, widths=[BODY_WIDTH - width], stacked=True), box, widths=[BODY_WIDTH - width, width]
    )
    heading.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return [heading]


def empty_note(text: str | None = None) -> Paragraph:
    return Paragraph(escape(text or tr("해당 없음")), STYLES["empty"])


def heading(text: str, room: float = 45 * mm) -> list[Flowable]:
    """A section title that moves to the next page unless `room` is left below it."""
    return [CondPageBreak(room), Paragraph(escape(text), STYLES["h1"])]


def subheading(text: str) -> Paragraph:
    return Paragraph(escape(text), STYLES["h2"])


# --- charts ------------------------------------------------------------------------------
# reportlab's stubs type chart and legend geometry as int, though reportlab checks only that it
# is a number: a fractional position or size is assigned under an `ignore[assignment]`.


def _drawing(width: float, height: float) -> Drawing:
    # The graphics default is Helvetica, which would not be embedded.
    return Drawing(width, height, initialFontName=FONT)


def _no_data_drawing(width: float, height: float, title: str) -> Drawing:
    drawing = _drawing(width, height)
    drawing.add(String(4, height - 12, title, fontName=FONT_BOLD, fontSize=8.5, fillColor=INK))
    drawing.add(
        String(width / 2, height / 2, tr("자료 없음"), fontName=FONT, fontSize=9, fillColor=MUTED, textAnchor="middle")
    )
    return drawing


def _axis_fonts(chart: BarChart | HorizontalLineChart, *, rotate_categories: bool) -> None:
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
    title: str,
    categories: list[str],
    series: Sequence[Sequence[float]],
    *,
    width: float,
    height: float,
    horizontal: bool = False,
    stacked: bool = False,
    names: list[str] | None = None,
    label_format: str = "%.0f",
    value_max: float | None = None,
    palette: Sequence[colors.Color] = SERIES,
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
    chart.x, chart.y = left, (20 if not rotate else 34) + legend_height  # type: ignore[assignment]  # a float: see above
    chart.width = width - left - 16  # type: ignore[assignment]  # a float: see above
    chart.height = height - chart.y - 24  # type: ignore[assignment]  # a float: see above
    chart.data = series
    chart.categoryAxis.categoryNames = categories
    chart.valueAxis.valueMin = 0
    tallest = max(map(sum, zip(*series, strict=True))) if stacked else max(max(values) for values in series)
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
    if names and legend_rows:
        drawing.add(_legend(names, palette, x=chart.x, y=legend_height - 4, rows=legend_rows, width=chart.width))
    return drawing


def _legend(
    names: list[str], palette: Sequence[colors.Color], *, x: float, y: float, rows: int, width: float
) -> Legend:
    """Swatches laid out in rows, read left to right."""
    columns = -(-len(names) // rows)
    legend = Legend()
    legend.x, legend.y = x, y  # type: ignore[assignment]  # a float: see above
    legend.fontName = FONT
    legend.fontSize = 7
    legend.alignment = "right"
    legend.columnMaximum = rows
    legend.dx = legend.dy = 7
    legend.deltax = width / columns  # type: ignore[assignment]  # a float: see above
    legend.deltay = 12
    legend.dxTextSpace = 4
    pairs = [(palette[i % len(palette)], name) for i, name in enumerate(names)]
    # The legend fills column by column; reorder so that it reads row by row.
    legend.colorNamePairs = [
        pairs[r * columns + c] for c in range(columns) for r in range(rows) if r * columns + c < len(pairs)
    ]
    return legend


def line_chart(
    title: str, categories: list[str], values: list[float], *, width: float, height: float, label_format: str
) -> Drawing:
    """A percentage over time (0–100 %), each point labelled."""
    if not values:
        return _no_data_drawing(width, height, title)
    drawing = _drawing(width, height)
    drawing.add(String(4, height - 12, title, fontName=FONT_BOLD, fontSize=8.5, fillColor=INK))
    chart = HorizontalLineChart()
    rotate = _crowded(categories, width - 48)
    chart.x, chart.y = 30, 34 if rotate else 22
    chart.width, chart.height = width - 44, height - chart.y - 28  # type: ignore[assignment]  # a float: see above
    chart.data = [values]
    chart.categoryAxis.categoryNames = categories
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = 100
    chart.valueAxis.valueStep = 20
    _axis_fonts(chart, rotate_categories=rotate)
    chart.lines[0].strokeColor = SERIES[1]
    chart.lines[0].strokeWidth = 1.6
    # The stubs leave makeMarker unannotated.
    chart.lines[0].symbol = makeMarker(  # type: ignore[no-untyped-call]
        "FilledCircle", size=3.5, fillColor=SERIES[0], strokeColor=SERIES[0]
    )
    chart.lineLabelFormat = label_format
    chart.lineLabels.fontName = FONT
    chart.lineLabels.fontSize = 6.5
    chart.lineLabels.dy = 6
    drawing.add(chart)
    return drawing


# --- page furniture ----------------------------------------------------------------------


class _NumberedCanvas(Canvas):
    """Holds pages back until the end so each footer can say 'page x / y'."""

    def __init__(self, *args: Any, footer: Callable[[Canvas, int, int], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # Canvas's own page reset, which the stubs leave out

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._footer(self, number, total)
            super().showPage()
        super().save()


def _draw_header(canvas: Canvas, *, left: str, right: str) -> None:
    canvas.saveState()
    top = PAGE_HEIGHT - 13 * mm
    canvas.setFont(FONT_BOLD, 8.5)
    canvas.setFillColor(NAVY)
    canvas.drawString(MARGIN_X, top, left)
    canvas.setFont(FONT, 8.5)
    canvas.drawRightString(PAGE_WIDTH - MARGIN_X, top, right)
    canvas.setStrokeColor(NAVY)
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN_X, top - 3 * mm, PAGE_WIDTH - MARGIN_X, top - 3 * mm)
    canvas.restoreState()


def _draw_footer(canvas: Canvas, number: int, total: int, *, note: str) -> None:
    canvas.saveState()
    bottom = 11 * mm
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN_X, bottom + 4 * mm, PAGE_WIDTH - MARGIN_X, bottom + 4 * mm)
    canvas.setFont(FONT, 7.5)
    canvas.setFillColor(MUTED)
    canvas.drawString(MARGIN_X, bottom, note)
    canvas.drawRightString(PAGE_WIDTH - MARGIN_X, bottom, tr("{page} / {total} 쪽", page=number, total=total))
    canvas.restoreState()


def build_document(
    path: Path,
    story: list[Flowable],
    *,
    title: str,
    subject: str,
    language: str,
    header: tuple[str, str],
    footer: str,
    page_started: Callable[[int], None],
) -> None:
    """Lay `story` out on A4 pages and write them to `path`.

    Each page gets `header` (left, bold; right) and `footer` with its number of the total;
    `page_started` is called with the page number before each page is laid out.
    """
    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author="Camp Manager",
        subject=subject,
        creator="Camp Manager",
        lang=language,
        initialFontName=FONT,  # not Helvetica: no font may be left unembedded
    )
    left, right = header

    def on_page(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        page_started(doc.page)
        _draw_header(canvas, left=left, right=right)

    doc.build(
        story,
        onFirstPage=on_page,
        onLaterPages=on_page,
        canvasmaker=partial(_NumberedCanvas, footer=partial(_draw_footer, note=footer)),
    )
