"""The main window: sidebar of pages, the global as-of date, status bar, menus."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date
from importlib import import_module

from PySide6.QtCore import QMargins, QRect, QSize, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from camp_manager.i18n import tr
from camp_manager.services import demo, directory
from camp_manager.ui.context import AppContext
from camp_manager.ui.dialogs.about_dialog import AboutDialog
from camp_manager.ui.logs import log_file
from camp_manager.ui.pages.base import Page
from camp_manager.ui.pages.welcome_page import WelcomePage
from camp_manager.ui.style import icon
from camp_manager.ui.widgets.dates import date_edit, from_qdate, to_qdate
from camp_manager.ui.widgets.state import restore_widget_state, save_widget_state
from camp_manager.ui.workers import wait_for_background

PageFactory = Callable[[AppContext], Page]
WELCOME = "welcome"
# Roomy on a desktop monitor; on a smaller screen the window takes what the screen offers.
PREFERRED_SIZE = QSize(1360, 860)
# The title bar and borders the window system adds around the window (Windows 10/11: about 31 and 8 px),
# unknown until the window is shown.
FRAME_MARGINS = QMargins(8, 32, 8, 8)

__all__ = ["MainWindow", "from_qdate", "page_factories", "to_qdate"]


def fitting_geometry(available: QRect) -> QRect:
    """The window's geometry (without its frame) on a screen whose free area, taskbar left out, is
    `available`: the preferred size or less, frame included, centred."""
    frame = QRect(available.topLeft(), (PREFERRED_SIZE.grownBy(FRAME_MARGINS)).boundedTo(available.size()))
    frame.moveCenter(available.center())
    return frame.marginsRemoved(FRAME_MARGINS)


def _within(widget: QWidget, container: QWidget) -> bool:
    """`widget` is `container` or inside it, popups included (the date's calendar)."""
    while widget is not None and widget is not container:
        widget = widget.parentWidget()
    return widget is container


def _page(module: str, name: str) -> PageFactory:
    """A page class imported when the page is first built: the report, import and export packages
    (ReportLab, openpyxl, calamine) then load when first used, not at start."""

    def build(context: AppContext) -> Page:
        page: Page = getattr(import_module(f"camp_manager.ui.pages.{module}"), name)(context)
        return page

    return build


def page_factories() -> list[tuple[str, PageFactory]]:
    """Sidebar order: (key, factory). Keys are stable: they are saved as the last page."""

    return [
        ("dashboard", _page("dashboard_page", "DashboardPage")),
        ("residents", _page("residents_page", "ResidentsPage")),
        ("rooms", _page("rooms_page", "RoomsPage")),
        ("requests", _page("requests_page", "RequestsPage")),
        ("mentoring", _page("mentoring_page", "MentoringPage")),
        ("support", _page("support_page", "SupportPage")),
        ("outcomes", _page("outcomes_page", "OutcomesPage")),
        ("exits", _page("exits_page", "ExitsPage")),
        ("reports", _page("reports_page", "ReportsPage")),
        ("import", _page("import_wizard.page", "ImportPage")),
        ("settings", _page("settings_page", "SettingsPage")),
    ]


def page_titles() -> dict[str, str]:
    """Each page's title (as its `title()` says), for the sidebar and menus before the page is built."""
    return {
        "dashboard": tr("대시보드"),
        "residents": tr("입주기업"),
        "rooms": tr("호실 현황"),
        "requests": tr("확장·대기"),
        "mentoring": tr("멘토링"),
        "support": tr("지원 요청"),
        "outcomes": tr("성과"),
        "exits": tr("퇴거·졸업"),
        "reports": tr("보고서"),
        "import": tr("가져오기"),
        "settings": tr("설정"),
    }


class LazyPages(Mapping[str, Page]):
    """The sidebar's pages, each built the first time it is asked for (shown, or reached from code),
    into its own slot of the stack; `built()` lists those that exist so far."""

    def __init__(self, factories: list[tuple[str, PageFactory]], build: Callable[[str, PageFactory], Page]) -> None:
        self._factories = dict(factories)
        self._build = build
        self._pages: dict[str, Page] = {}

    def __getitem__(self, key: str) -> Page:
        if key not in self._pages:
            self._pages[key] = self._build(key, self._factories[key])
        return self._pages[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._factories)

    def __len__(self) -> int:
        return len(self._factories)

    def built(self) -> dict[str, Page]:
        return dict(self._pages)


class MainWindow(QMainWindow):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(tr("Camp Manager — {where}", where=context.database_label()))
        self.pages = LazyPages(page_factories(), self._build_page)
        # Pages not in view reload when next shown, not on every change.
        self._stale: set[str] = set()

        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setIconSize(QSize(20, 20))
        self.sidebar.setSpacing(0)
        self.sidebar.setContentsMargins(0, 8, 0, 0)
        self.stack = QStackedWidget()
        titles = page_titles()
        self._slots: dict[str, QWidget] = {}  # each page's place in the stack: the page, once built
        for key in self.pages:
            slot = QWidget()  # stands in for the page until it is built
            self._slots[key] = slot
            self.stack.addWidget(slot)
            item = QListWidgetItem(icon(key), titles[key])
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setSizeHint(QSize(140, 38))
            self.sidebar.addItem(item)
        # Wide enough for the longest page title in the current language.
        self.sidebar.ensurePolished()  # the stylesheet's font, which the widths are measured in
        widest = max(self.sidebar.fontMetrics().horizontalAdvance(title) for title in titles.values())
        self.sidebar.setMinimumWidth(max(150, widest + 76))  # icon, gaps and the item's rounded margins
        self.welcome = WelcomePage(context)
        self.stack.addWidget(self.welcome)
        self._stale = set(self.pages)
        self.sidebar.currentRowChanged.connect(self._show_row)

        self.splitter = QSplitter()
        self.splitter.setObjectName("main_splitter")
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(0, False)
        self.splitter.setSizes([self.sidebar.minimumWidth() + 10, 1190])
        self.setCentralWidget(self.splitter)

        self._build_toolbar()
        self._build_menus()
        self.database_label = QLabel()
        self.counts_label = QLabel()
        self.statusBar().addWidget(self.database_label, 1)
        self.statusBar().addPermanentWidget(self.counts_label)

        QApplication.instance().focusChanged.connect(self._keep_focus_off_the_as_of_date)
        context.asOfChanged.connect(self._as_of_changed)
        context.dataChanged.connect(self._data_changed)
        context.navigateRequested.connect(self.navigate)
        self._restore_state()

    # --- building ------------------------------------------------------------------
    def _build_toolbar(self) -> None:
        toolbar = QToolBar(tr("기준일"))
        toolbar.setObjectName("as_of_toolbar")
        toolbar.setMovable(False)
        caption = QLabel(tr("기준일"))
        caption.setToolTip(tr("모든 화면이 이 날짜의 현황을 보여 줍니다."))
        toolbar.addWidget(caption)
        self.as_of_edit = date_edit(self.context.as_of)
        self.as_of_edit.setToolTip(caption.toolTip())
        self.as_of_edit.dateChanged.connect(lambda value: self.context.set_as_of(from_qdate(value)))
        toolbar.addWidget(self.as_of_edit)
        today = QPushButton(tr("오늘"))
        today.clicked.connect(self.go_to_today)
        toolbar.addWidget(today)
        self.addToolBar(toolbar)

    def _action(self, text: str, handler: Callable[[], None], shortcut: QKeySequence | str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: handler())
        return action

    def _build_menus(self) -> None:
        self.actions: dict[str, QAction] = {}
        file_menu = self.menuBar().addMenu(tr("파일(&F)"))
        self.actions["new"] = self._action(
            tr("새로 만들기"), lambda: self.current_page().create_new(), QKeySequence.StandardKey.New
        )
        self.actions["export"] = self._action(tr("Excel로 내보내기…"), lambda: self.current_page().export_list())
        self.actions["backup"] = self._action(tr("지금 백업"), self.back_up_now)
        self.actions["quit"] = self._action(tr("끝내기"), self.close, QKeySequence.StandardKey.Quit)
        file_menu.addAction(self.actions["new"])
        file_menu.addAction(self.actions["export"])
        file_menu.addAction(self.actions["backup"])
        file_menu.addSeparator()
        file_menu.addAction(self.actions["quit"])

        edit_menu = self.menuBar().addMenu(tr("편집(&E)"))
        self.actions["find"] = self._action(
            tr("찾기"), lambda: self.current_page().focus_search(), QKeySequence.StandardKey.Find
        )
        # Enter opens from the list itself (a window-wide Enter would steal it from every field),
        # so the menu only names the key.
        self.actions["open"] = self._action(tr("열기") + "\tEnter", lambda: self.current_page().open_selected())
        self.actions["delete"] = self._action(
            tr("삭제…"), lambda: self.current_page().delete_selected(), QKeySequence(Qt.Key.Key_Delete)
        )
        for key in ("find", "open", "delete"):
            edit_menu.addAction(self.actions[key])

        view_menu = self.menuBar().addMenu(tr("보기(&V)"))
        self.actions["refresh"] = self._action(tr("새로 고침"), self.refresh_current, QKeySequence(Qt.Key.Key_F5))
        self.actions["today"] = self._action(tr("기준일을 오늘로"), self.go_to_today, "Ctrl+T")
        view_menu.addAction(self.actions["refresh"])
        view_menu.addAction(self.actions["today"])
        view_menu.addSeparator()
        titles = page_titles()
        for number, (key, title) in enumerate(titles.items(), start=1):
            # Ctrl+1 … Ctrl+9 for the first nine pages, as the digits lie on the keyboard, and Ctrl+0 for
            # the last (Settings); the one between (Import) is reached from the sidebar or the welcome page.
            shortcut = f"Ctrl+{number}" if number <= 9 else "Ctrl+0" if number == len(titles) else None
            action = self._action(title, lambda key=key: self.show_page(key), shortcut)
            self.actions[f"page:{key}"] = action
            view_menu.addAction(action)

        help_menu = self.menuBar().addMenu(tr("도움말(&H)"))
        help_menu.addAction(self._action(tr("로그 폴더 열기"), self.open_log_folder))
        help_menu.addAction(self._action(tr("Camp Manager 정보"), self.about))
        self.addActions(list(self.actions.values()))

    # --- pages ---------------------------------------------------------------------
    def _build_page(self, key: str, factory: PageFactory) -> Page:
        page = factory(self.context)
        slot = self._slots[key]
        was_current = self.stack.currentWidget() is slot
        self.stack.insertWidget(self.stack.indexOf(slot), page)
        self._slots[key] = page
        if was_current:
            # Before the slot goes: removing the current widget would make the next page's slot current
            # for a moment, and the focus handler would build that page too (6 MiB for Import, unasked).
            self.stack.setCurrentWidget(page)
        self.stack.removeWidget(slot)
        slot.deleteLater()
        restore_widget_state(page, self.context.settings, f"pages/{key}")
        return page

    def show_page(self, key: str) -> Page:
        if key == WELCOME:
            self.show_welcome()
            return self.welcome
        self.sidebar.setCurrentRow(list(self.pages).index(key))
        return self.pages[key]

    def show_welcome(self) -> None:
        self.sidebar.blockSignals(True)
        self.sidebar.setCurrentRow(-1)
        self.sidebar.blockSignals(False)
        self.stack.setCurrentWidget(self.welcome)
        self.actions["export"].setEnabled(False)
        # Focus on the sidebar would make its first item current and leave the welcome page.
        self.welcome.demo_button.setFocus()

    def current_page(self) -> Page:
        key = self.current_key()
        return self.welcome if key == WELCOME else self.pages[key]

    def current_key(self) -> str:
        slot = self.stack.currentWidget()
        return next((key for key, candidate in self._slots.items() if candidate is slot), WELCOME)

    def navigate(self, key: str, item: object = None) -> None:
        page = self.show_page(key)
        if item is not None:
            page.show_item(item)

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        self.actions["export"].setEnabled(self.current_page().can_export_list())
        key = self.current_key()
        if key in self._stale:
            self.refresh_current()

    def refresh_current(self) -> None:
        key = self.current_key()
        self._stale.discard(key)
        self.current_page().refresh()
        self._update_status()

    def _as_of_changed(self, day: date) -> None:
        if from_qdate(self.as_of_edit.date()) != day:
            self.as_of_edit.blockSignals(True)
            self.as_of_edit.setDate(to_qdate(day))
            self.as_of_edit.blockSignals(False)
        self._stale = set(self.pages)
        self.refresh_current()

    def _data_changed(self) -> None:
        self._stale = set(self.pages)
        self.refresh_current()

    def _keep_focus_off_the_as_of_date(self, old: QWidget | None, new: QWidget | None) -> None:
        """Focus the window hands on by itself goes to the page in view, never elsewhere — not to
        the as-of date, where one stray key would change the date of every page, nor the sidebar:
        when a dialog closes (focus comes back from no widget) or the focused widget is hidden or
        disabled (an import's button). A click or a Tab from a widget still in use goes where it goes."""
        if new is None or not (_within(new, self.as_of_edit) or new is self.sidebar):
            return
        if old is not None and (_within(old, self.as_of_edit) or (old.isVisible() and old.isEnabled())):
            return
        self.current_page().focus_first()

    def go_to_today(self) -> None:
        self.as_of_edit.setDate(to_qdate(self.context.today()))

    def _update_status(self) -> None:
        on = self.context.as_of
        with self.context.unit_of_work() as session:
            counts = directory.resident_counts(session, on=on)
        self.database_label.setText(tr("데이터베이스: {where}", where=self.context.database_label()))
        detail = " · ".join(f"{name} {count:,}" for name, count in counts)
        self.counts_label.setText(
            tr("기준일 {date} · 입주기업 {total:,}개", date=on.isoformat(), total=sum(count for _, count in counts))
            + (f" ({detail})" if detail else "")
        )

    # --- commands ------------------------------------------------------------------
    def back_up_now(self) -> None:
        from camp_manager.ui.pages.settings_page import start_backup  # noqa: PLC0415 (with the Settings page, when first used)

        start_backup(
            self,
            self.context,
            on_done=lambda path: self.statusBar().showMessage(tr("백업했습니다: {path}", path=path), 10_000),
        )

    def open_log_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_file().parent)))

    def about(self) -> None:
        AboutDialog(self.context, self).exec()

    # --- state between runs ----------------------------------------------------------
    def _database_is_empty(self) -> bool:
        with self.context.unit_of_work() as session:
            return not demo.has_data(session)

    def _restore_state(self) -> None:
        settings = self.context.settings
        self._restore_geometry(settings.value("window/geometry"))
        state = settings.value("window/state")
        if state is not None:
            self.restoreState(state)
        splitter = settings.value("window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        if self._database_is_empty():
            self.show_welcome()
            self._update_status()
            return
        last = settings.value("window/last_page", "dashboard")
        self.show_page(last if last in self.pages else "dashboard")

    def _restore_geometry(self, saved) -> None:
        """The last run's geometry if it still fits a screen (a laptop unplugged from its monitor
        would otherwise open a window larger than its screen), else a size that fits."""
        if saved is not None and self.restoreGeometry(saved):
            if self.isMaximized():
                return  # the window system fits a maximised window to its screen
            screen = QGuiApplication.screenAt(self.geometry().center())
            if screen is not None:
                # No larger than the window would open at on this screen (or than the window can be).
                room = fitting_geometry(screen.availableGeometry()).size().expandedTo(self.minimumSizeHint())
                if self.width() <= room.width() and self.height() <= room.height():
                    return
        screen = self.screen() or QGuiApplication.primaryScreen()
        self.setGeometry(fitting_geometry(screen.availableGeometry()))

    def save_state(self) -> None:
        settings = self.context.settings
        settings.set_value("window/geometry", self.saveGeometry())
        settings.set_value("window/state", self.saveState())
        settings.set_value("window/splitter", self.splitter.saveState())
        for key, page in self.pages.built().items():  # a page never built keeps the state saved before
            save_widget_state(page, settings, f"pages/{key}")
        if self.current_key() != WELCOME:
            settings.set_value("window/last_page", self.current_key())

    def closeEvent(self, event) -> None:
        self.save_state()
        wait_for_background(5_000)
        super().closeEvent(event)
