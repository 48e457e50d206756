"""The main window: sidebar of pages, the global as-of date, status bar, menus."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDateEdit, QLabel, QListWidget, QListWidgetItem, QMainWindow, QPushButton, QSplitter, QStackedWidget, QToolBar,
    QWidget,
)

from camp_manager.i18n import tr
from camp_manager.ui.context import AppContext
from camp_manager.ui.pages.base import Page
from camp_manager.ui.pages.placeholder import PlaceholderPage

PageFactory = Callable[[AppContext], Page]


def page_factories() -> list[tuple[str, PageFactory]]:
    """Sidebar order: (key, factory). Keys are stable: they are saved as the last page."""

    def placeholder(title: str) -> PageFactory:
        return lambda context: PlaceholderPage(context, title)

    return [
        ("dashboard", placeholder(tr("대시보드"))),
        ("residents", placeholder(tr("입주기업"))),
        ("rooms", placeholder(tr("호실 현황"))),
        ("requests", placeholder(tr("확장·대기"))),
        ("mentoring", placeholder(tr("멘토링"))),
        ("exits", placeholder(tr("퇴거·졸업"))),
        ("reports", placeholder(tr("보고서"))),
        ("import", placeholder(tr("가져오기"))),
        ("settings", placeholder(tr("설정"))),
    ]


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class MainWindow(QMainWindow):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Camp Manager")
        self.pages: dict[str, Page] = {}

        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.stack = QStackedWidget()
        for key, factory in page_factories():
            page = factory(context)
            self.pages[key] = page
            self.stack.addWidget(page)
            item = QListWidgetItem(page.title())
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.sidebar.addItem(item)
        self.sidebar.currentRowChanged.connect(self._show_row)

        self.splitter = QSplitter()
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([180, 1100])
        self.setCentralWidget(self.splitter)

        self._build_toolbar()
        self._build_menus()
        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label)

        context.asOfChanged.connect(lambda _day: self._refresh_current())
        context.dataChanged.connect(self._refresh_current)
        self._restore_state()

    # --- building ------------------------------------------------------------------
    def _build_toolbar(self) -> None:
        toolbar = QToolBar(tr("기준일"))
        toolbar.setObjectName("as_of_toolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(QLabel(tr("기준일") + " "))
        self.as_of_edit = QDateEdit(to_qdate(self.context.as_of))
        self.as_of_edit.setCalendarPopup(True)
        self.as_of_edit.setDisplayFormat("yyyy-MM-dd")
        self.as_of_edit.dateChanged.connect(lambda value: self.context.set_as_of(from_qdate(value)))
        toolbar.addWidget(self.as_of_edit)
        today = QPushButton(tr("오늘"))
        today.clicked.connect(lambda: self.as_of_edit.setDate(to_qdate(date.today())))
        toolbar.addWidget(today)
        self.addToolBar(toolbar)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(tr("파일(&F)"))
        quit_action = QAction(tr("끝내기"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu(tr("보기(&V)"))
        refresh_action = QAction(tr("새로 고침"), self)
        refresh_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        refresh_action.triggered.connect(self._refresh_current)
        view_menu.addAction(refresh_action)

    # --- behaviour -----------------------------------------------------------------
    def show_page(self, key: str) -> Page:
        row = list(self.pages).index(key)
        self.sidebar.setCurrentRow(row)
        return self.pages[key]

    def current_page(self) -> Page:
        return self.stack.currentWidget()

    def _show_row(self, row: int) -> None:
        self.stack.setCurrentIndex(row)
        self._refresh_current()

    def _refresh_current(self) -> None:
        page = self.current_page()
        if page is not None:
            page.refresh()
        self.status_label.setText(
            tr("DB: {where} · 기준일 {as_of}", where=self.context.database_label(), as_of=self.context.as_of.isoformat())
        )

    def _restore_state(self) -> None:
        settings = self.context.settings
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1360, 860)
        splitter = settings.value("window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        last = settings.value("window/last_page", "dashboard")
        self.show_page(last if last in self.pages else "dashboard")

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        settings = self.context.settings
        settings.set_value("window/geometry", self.saveGeometry())
        settings.set_value("window/splitter", self.splitter.saveState())
        key = self.sidebar.currentItem().data(Qt.ItemDataRole.UserRole) if self.sidebar.currentItem() else "dashboard"
        settings.set_value("window/last_page", key)
        super().closeEvent(event)
