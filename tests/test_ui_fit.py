"""The app on an office laptop: every page at 1366×768 less the taskbar (1366×728), with the
bundled font and the stylesheet the app starts with, on the demo data.

Nothing a manager needs may fall outside the window or be cut: action buttons lie inside
the window, table headers show their whole title, chart labels are not elided, and the
Rooms page's per-floor table shows every floor. The window itself opens at a size that fits
its screen.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCharts import QChartView
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QToolButton,
    QWidget,
)

from camp_manager.errors import DomainError
from camp_manager.i18n import set_language
from camp_manager.services.floorplan import TileHolder
from camp_manager.ui.dialogs.company_dialog import CompanyDialog
from camp_manager.ui.dialogs.exit_dialog import ExitDialog
from camp_manager.ui.dialogs.request_dialog import RequestDialog
from camp_manager.ui.dialogs.session_dialog import SessionDialog
from camp_manager.ui.main_window import (
    FRAME_MARGINS,
    MainWindow,
    fitting_geometry,
)
from camp_manager.ui.start import create_application
from camp_manager.ui.widgets.floor_map import LEGAL_PREFIXES, holder_summary, wrap_name
from camp_manager.ui.widgets.forms import FieldWithError
from camp_manager.ui.widgets.table_view import DataTable
from camp_manager.ui.workers import wait_for_background
from tests.conftest import DEMO_TODAY
from tests.dialog_guard import unexpected_dialogs_fail  # noqa: F401 (a fixture)
from tests.ui_helpers import app_context

pytestmark = pytest.mark.usefixtures("unexpected_dialogs_fail")

OFFICE_SCREEN = QRect(0, 0, 1366, 728)  # 1366×768 with the Windows taskbar
ELLIPSES = ("…", "...")
SHOTS = Path("/tmp/fit-shots")  # when the folder exists, the tests leave what they rendered there to look at


@pytest.fixture
def styled_app(qapp):
    """The application as `run` makes it (bundled font, Fusion, stylesheet), put back afterwards."""
    style, sheet, font = qapp.style().name(), qapp.styleSheet(), QFont(qapp.font())
    yield create_application([])
    qapp.setStyleSheet(sheet)
    qapp.setStyle(style)
    qapp.setFont(font)


def settle(window: QWidget) -> None:
    for _ in range(3):
        wait_for_background()
        QApplication.processEvents()


@pytest.fixture
def office_window(qtbot, styled_app, demo_engine, tmp_path):
    window = MainWindow(app_context(demo_engine, tmp_path, DEMO_TODAY))
    qtbot.addWidget(window)
    window.resize(OFFICE_SCREEN.size())
    window.show()
    qtbot.waitExposed(window)
    settle(window)
    yield window
    wait_for_background()


def fits_screen(geometry: QRect, available: QRect) -> bool:
    """Whether a window of `geometry` (without its frame) lies within `available`, frame and all."""
    return available.contains(geometry.marginsAdded(FRAME_MARGINS))


def visible_rect(widget: QWidget, window: QWidget) -> QRect:
    """The part of `widget` its ancestors leave on screen, in window coordinates."""
    rect = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        rect &= QRect(parent.mapTo(window, parent.rect().topLeft()), parent.size())
        parent = parent.parentWidget()
    return rect & window.rect()


def cut_buttons(window: QWidget) -> list[str]:
    """Visible action buttons not wholly inside the window."""
    cut = []
    for button in window.findChildren(QAbstractButton):
        if not isinstance(button, (QPushButton, QToolButton)) or not button.isVisible():
            continue
        shown = visible_rect(button, window)
        if shown.size() != button.size():
            cut.append(
                f"{button.text() or button.toolTip() or button.objectName() or type(button.parentWidget()).__name__}"
                f" {button.size().toTuple()} shows {shown.size().toTuple()}"
            )
    return cut


def title_widths(header: QHeaderView) -> list[int]:
    """The width each column title needs: the header's own measure, which counts the sort arrow
    in every column, though only the sorted column draws it."""
    with_arrow = [header.sectionSizeFromContents(logical).width() for logical in range(header.count())]
    shown = header.isSortIndicatorShown()
    header.setSortIndicatorShown(False)
    without_arrow = [header.sectionSizeFromContents(logical).width() for logical in range(header.count())]
    header.setSortIndicatorShown(shown)
    sorted_column = header.sortIndicatorSection() if shown else -1
    return [with_arrow[i] if i == sorted_column else without_arrow[i] for i in range(header.count())]


def elided_headers(window: QWidget) -> list[str]:
    """Column titles narrower than they need to be drawn whole (the header then elides them)."""
    elided = []
    for header in window.findChildren(QHeaderView):
        if header.orientation() != Qt.Orientation.Horizontal or not header.isVisible() or header.model() is None:
            continue
        sizes = [header.sectionSize(logical) for logical in range(header.count())]
        for logical, needed in enumerate(title_widths(header)):
            title = header.model().headerData(logical, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
            if title and not header.isSectionHidden(logical) and sizes[logical] < needed:
                elided.append(f"{header.parentWidget().objectName()}: {title!r} {sizes[logical]} < {needed}")
    return elided


SUMMARY_COLUMNS = 4  # a table of this many columns or fewer is a summary, read whole; longer lists may scroll


def scrolled_out_columns(window: QWidget) -> list[str]:
    """Column titles of a summary table that lie beyond its right edge: only a scroll bar shows them."""
    out = []
    for header in window.findChildren(QHeaderView):
        if (
            header.orientation() != Qt.Orientation.Horizontal
            or not header.isVisible()
            or header.model() is None
            or header.count() > SUMMARY_COLUMNS
        ):
            continue
        for logical in range(header.count()):
            right = header.sectionPosition(logical) + header.sectionSize(logical)
            title = header.model().headerData(logical, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
            if title and not header.isSectionHidden(logical) and right > header.viewport().width():
                out.append(
                    f"{header.parentWidget().objectName()}: {title!r} ends at {right} > {header.viewport().width()}"
                )
    return out


def cut_titles(window: QWidget) -> list[str]:
    return cut_buttons(window) + elided_headers(window) + scrolled_out_columns(window) + elided_chart_labels(window)


def elided_chart_labels(window: QWidget) -> list[str]:
    """Chart texts (axis labels, legend, titles) that QtCharts shortened to fit."""
    elided = []
    for view in window.findChildren(QChartView):
        if not view.isVisible():
            continue
        for item in view.scene().items():
            text_item = item.toGraphicsObject()
            if item.isVisible() and hasattr(text_item, "toPlainText") and text_item.toPlainText().endswith(ELLIPSES):
                elided.append(f"{view.chart().title()}: {text_item.toPlainText()!r}")
    return elided


def cut_code_labels(window: QWidget) -> list[str]:
    """Columns of code labels (a request's kind, a mentor's field) narrower than a label they show."""
    cut = []
    for table in window.findChildren(DataTable):
        if not table.isVisible():
            continue
        for logical, column in enumerate(table.source.columns()):
            needed = table.sizeHintForColumn(logical)
            if column.codes is not None and not table.isColumnHidden(logical) and table.columnWidth(logical) < needed:
                cut.append(f"{table.objectName()}: {column.title()!r} {table.columnWidth(logical)} < {needed}")
    return cut


@pytest.fixture(params=["ko", "en"])
def language(request):
    set_language(request.param)  # before the window is made; conftest puts Korean back after each test


def test_every_page_fits_an_office_laptop_screen(language, office_window):
    # English titles and labels run longer than the Korean ones the column widths were first chosen for.
    problems = {}
    for key in office_window.pages:
        office_window.show_page(key)
        settle(office_window)
        assert office_window.size() == OFFICE_SCREEN.size(), f"{key} makes the window larger than the screen"
        if found := cut_titles(office_window) + cut_code_labels(office_window):
            problems[key] = found
    assert problems == {}


def test_the_rooms_page_shows_every_floor_and_its_actions(office_window):
    rooms = office_window.show_page("rooms")
    settle(office_window)
    floors = rooms.floor_table
    assert floors.proxy.rowCount() == len(rooms.plan.floors) > 1
    assert floors.viewport().height() >= floors.proxy.rowCount() * floors.verticalHeader().defaultSectionSize()
    assert not floors.verticalScrollBar().isVisible() and not floors.horizontalScrollBar().isVisible()
    assert visible_rect(floors, office_window).size() == floors.size(), "the per-floor table is clipped"
    for button in (
        rooms.allocate_button,
        rooms.expand_button,
        rooms.move_button,
        rooms.release_button,
        rooms.history_button,
        rooms.exit_button,
    ):
        assert visible_rect(button, office_window).size() == button.size(), button.text()


def test_the_dashboard_needs_no_scrolling_and_names_every_business_field(office_window):
    dashboard = office_window.show_page("dashboard")
    settle(office_window)
    assert dashboard.data is not None and elided_chart_labels(dashboard) == []
    assert not dashboard.findChild(QScrollArea).verticalScrollBar().isVisible()
    labels = dashboard.field_chart.chart().axes(Qt.Orientation.Vertical)[0].categories()
    assert len(labels) == 8


# --- the window's own size ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "available", [OFFICE_SCREEN, QRect(0, 0, 1920, 1040), QRect(1920, 0, 1280, 984), QRect(0, 0, 800, 560)]
)
def test_a_first_start_opens_a_window_that_fits_the_screen(available):
    geometry = fitting_geometry(available)
    assert fits_screen(geometry, available)
    assert geometry.marginsAdded(FRAME_MARGINS).center() == available.center()
    assert geometry.width() <= 1360 and geometry.height() <= 860
    if available.width() > 1400 and available.height() > 900:
        assert (geometry.width(), geometry.height()) == (1360, 860)  # roomy on a large screen


def test_a_saved_geometry_larger_than_the_screen_is_not_restored(qtbot, demo_engine, tmp_path):
    context = app_context(demo_engine, tmp_path, DEMO_TODAY)
    window = MainWindow(context)
    qtbot.addWidget(window)
    available = window.screen().availableGeometry()
    assert fits_screen(window.geometry(), available)  # no saved geometry: fitted
    window.setGeometry(QRect(available.topLeft(), available.size() * 2))  # e.g. saved on a large monitor
    window.save_state()
    window.close()

    again = MainWindow(context)
    qtbot.addWidget(again)
    assert fits_screen(again.geometry(), available)
    again.close()


def test_a_saved_geometry_that_fits_is_restored(qtbot, demo_engine, tmp_path):
    context = app_context(demo_engine, tmp_path, DEMO_TODAY)
    window = MainWindow(context)
    qtbot.addWidget(window)
    available = window.screen().availableGeometry()
    chosen = QRect(available.topLeft(), available.size() * 0.6).translated(FRAME_MARGINS.left(), FRAME_MARGINS.top())
    window.setGeometry(chosen)
    window.save_state()
    window.close()

    again = MainWindow(context)
    qtbot.addWidget(again)
    assert again.geometry().size() == chosen.size()
    again.close()


# --- room tiles -----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["(주)시냅스솔루션", "(주)큐브스튜디오", "㈜브레인스튜디오", "(주)뉴로헬스케어"])
def test_a_tile_never_leaves_the_legal_prefix_alone_on_a_line(styled_app, name):
    metrics = QFontMetricsF(QApplication.font())
    width = metrics.horizontalAdvance(name) * 0.8  # too narrow for the whole name on one line
    lines = wrap_name(name, metrics, width, lines=2)
    assert len(lines) == 2 and "".join(lines) == name
    assert lines[0] not in LEGAL_PREFIXES and all(metrics.horizontalAdvance(line) <= width for line in lines)


def test_a_tile_breaks_before_the_last_word_of_a_name(styled_app):
    metrics = QFontMetricsF(QApplication.font())
    assert wrap_name("클라우드스튜디오", metrics, metrics.horizontalAdvance("클라우드스튜"), lines=2) == [
        "클라우드",
        "스튜디오",
    ]
    assert wrap_name("주식회사 블루에너지", metrics, metrics.horizontalAdvance("주식회사 블루"), lines=2) == [
        "주식회사",
        "블루에너지",
    ]


def test_an_unknown_headcount_reads_not_recorded():
    holder = TileHolder(
        allocation_id=1,
        company_id=1,
        company_name="가온",
        seats=5,
        start_on=DEMO_TODAY,
        end_on=None,
        override_reason="",
        employees=None,
        seats_held=5,
        rooms_held=1,
        contract_end=None,
        version=1,
    )
    assert holder_summary(holder) == "직원 미기록 · 5석"
    assert holder_summary(replace(holder, rooms_held=2, seats_held=10)) == "직원 미기록 · 2실 10석"
    assert holder_summary(replace(holder, employees=4)) == "직원 4명 · 5석"
    assert holder_summary(replace(holder, employees=4, rooms_held=2, seats_held=10)) == "4명 · 2실 10석"


# --- disabled looks disabled ----------------------------------------------------------------------
def text_darkness(image: QImage, rect: QRect) -> int:
    """How dark the darkest pixel in `rect` is (0 white … 255 black): the text's colour, in effect."""
    return max(
        255 - QColor(image.pixel(x, y)).lightness()
        for x in range(rect.left(), rect.right())
        for y in range(rect.top(), rect.bottom())
    )


def test_a_vacant_rooms_disabled_actions_look_disabled(office_window):
    rooms = office_window.show_page("rooms")
    settle(office_window)
    vacant = next(t for t in rooms.plan.tiles if t.assignable and not t.holders)
    menu = rooms.tile_menu(vacant)
    menu.ensurePolished()
    menu.resize(menu.sizeHint())
    image = menu.grab().toImage()
    actions = {action.text(): action for action in menu.actions() if not action.isSeparator()}
    enabled = [a for a in actions.values() if a.isEnabled()]
    disabled = [a for a in actions.values() if not a.isEnabled()]
    assert [a.text() for a in enabled] == ["배정…", "호실 이력"] and len(disabled) == 4
    enabled_ink = min(text_darkness(image, menu.actionGeometry(a)) for a in enabled)
    for action in disabled:
        assert text_darkness(image, menu.actionGeometry(action)) < enabled_ink - 60, action.text()
    if SHOTS.is_dir():
        image.save(str(SHOTS / "rooms-vacant-menu.png"))


def test_disabled_buttons_and_inputs_are_drawn_lighter(styled_app, qtbot):
    for make in (lambda: QPushButton("확장…"), lambda: QLineEdit("가온랩스")):
        on, off = make(), make()
        off.setEnabled(False)
        for widget in (on, off):
            qtbot.addWidget(widget)
            widget.resize(120, 32)
            widget.ensurePolished()
        inks = [text_darkness(w.grab().toImage(), QRect(6, 6, 100, 20)) for w in (on, off)]
        assert inks[1] < inks[0] - 60, type(on).__name__


# --- a field's error has room of its own ----------------------------------------------------------
LONG_MESSAGE = (
    "사업자등록번호 '123-45-67890'의 검증번호(마지막 자리)가 맞지 않습니다. 사업자등록증의 번호를 다시 확인하세요."
)


def rect_in(widget: QWidget, dialog: QWidget) -> QRect:
    return QRect(widget.mapTo(dialog, widget.rect().topLeft()), widget.size())


def overlapping_rows(dialog: QWidget) -> list[str]:
    """Inputs and shown error lines of the dialog's rows that cover one another."""
    parts = []
    for row in dialog.findChildren(FieldWithError):
        if row.isVisible():
            parts.append((f"{row.widget.objectName() or type(row.widget).__name__}", rect_in(row.widget, dialog)))
            if row.error_label.isVisible():
                parts.append((f"error: {row.error}", rect_in(row.error_label, dialog)))
    return [f"{a} × {b}" for i, (a, ra) in enumerate(parts) for b, rb in parts[i + 1 :] if ra.intersects(rb)]


def shown_like_exec(qtbot, dialog: QWidget) -> None:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)


def test_the_business_number_error_gets_its_own_line_and_the_memo_keeps_its_height(
    qtbot, styled_app, demo_engine, tmp_path
):
    dialog = CompanyDialog(app_context(demo_engine, tmp_path, DEMO_TODAY))
    shown_like_exec(qtbot, dialog)
    memo_height = dialog.notes.height()
    dialog.name.setText("뉴로웨이브랩스")
    dialog.biz_reg_no.setText("123-45-67890")  # a wrong check digit
    QApplication.processEvents()
    error = dialog.fields["biz_reg_no"].error_label
    assert error.isVisible() and "검증번호" in error.text()
    assert not rect_in(error, dialog).intersects(rect_in(dialog.biz_reg_no, dialog))
    assert error.height() >= error.heightForWidth(error.width())  # every line of it
    assert dialog.notes.height() == memo_height >= 3 * dialog.notes.fontMetrics().lineSpacing()
    assert overlapping_rows(dialog) == []
    if SHOTS.is_dir():
        dialog.grab().save(str(SHOTS / "dialog-company-new-error.png"))


@pytest.mark.parametrize(
    "make",
    [
        SessionDialog,
        ExitDialog,
        RequestDialog,
    ],
    ids=["session", "exit", "request"],
)
def test_every_form_dialog_grows_for_its_errors(qtbot, styled_app, demo_engine, tmp_path, make):
    dialog = make(app_context(demo_engine, tmp_path, DEMO_TODAY))
    shown_like_exec(qtbot, dialog)
    memo = next(w for w in dialog.findChildren(QPlainTextEdit))
    memo_height = memo.height()
    for field in list(dialog._fields)[:3]:
        dialog.show_domain_error(DomainError(LONG_MESSAGE, field=field))
    dialog.show_domain_error(DomainError(LONG_MESSAGE))  # one the form shows above the rows
    QApplication.processEvents()
    assert overlapping_rows(dialog) == []
    assert memo.height() == memo_height
    general = dialog.general_error
    assert general.height() >= general.heightForWidth(general.width())
    assert not rect_in(general, dialog).intersects(rect_in(dialog.findChildren(FieldWithError)[0], dialog))
