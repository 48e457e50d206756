"""The generic table model and filter proxy, and the models of the shell's pages, under qtmodeltester."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt

from camp_manager.services import directory
from camp_manager.ui.models.table import Column, RowFilterProxy, RowTableModel
from camp_manager.ui.pages.dashboard_page import DashboardPage
from camp_manager.ui.pages.residents_page import ResidentsPage, list_columns
from camp_manager.ui.pages.settings_page import SettingsPage
from camp_manager.ui.widgets.table_view import DataTable
from camp_manager.ui.workers import wait_for_background
from tests.conftest import DEMO_TODAY
from tests.ui_helpers import app_context, wired


@dataclass(frozen=True)
class Row:
    name: str
    number: str
    day: date | None


ROWS = [
    Row("다온헬스", "1168200276", date(2024, 3, 1)),
    Row("가온랩스", "1348672683", None),
    Row("나래소프트", "2208162517", date(2023, 1, 5)),
]


def columns() -> list[Column[Row]]:
    return [
        Column(title=lambda: "이름", text=lambda r: r.name, searchable=True),
        Column(
            title=lambda: "번호",
            text=lambda r: f"{r.number[:3]}-{r.number[3:5]}-{r.number[5:]}",
            searchable=True,
            search_text=lambda r: f"{r.number[:3]}-{r.number[3:5]}-{r.number[5:]} {r.number}",
        ),
        Column(title=lambda: "날짜", text=lambda r: r.day.isoformat() if r.day else "", sort_key=lambda r: r.day),
    ]


@pytest.fixture
def proxy(qapp):
    model = RowTableModel(columns())
    model.set_rows(ROWS)
    proxy = RowFilterProxy()
    proxy.setSourceModel(model)
    return proxy


def names(proxy) -> list[str]:
    return [proxy.row_at(row).name for row in range(proxy.rowCount())]


def test_models_pass_the_model_tester(qtmodeltester, proxy):
    qtmodeltester.check(proxy.sourceModel())
    qtmodeltester.check(proxy)
    proxy.set_search("온")
    proxy.sort(2, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(proxy)


def test_sorting_uses_real_values_and_puts_unknown_last(proxy):
    proxy.sort(2, Qt.SortOrder.AscendingOrder)
    assert names(proxy) == ["나래소프트", "다온헬스", "가온랩스"]
    proxy.sort(2, Qt.SortOrder.DescendingOrder)
    assert names(proxy) == ["다온헬스", "나래소프트", "가온랩스"]
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    assert names(proxy) == ["가온랩스", "나래소프트", "다온헬스"]


def test_new_rows_keep_the_chosen_order(proxy):
    proxy.sort(0, Qt.SortOrder.DescendingOrder)
    proxy.sourceModel().set_rows([*ROWS, Row("라온에너지", "1000000002", None)])
    assert names(proxy) == ["라온에너지", "다온헬스", "나래소프트", "가온랩스"]


def test_a_selection_follows_its_row_through_a_sort(proxy):
    model = proxy.sourceModel()
    held = QPersistentModelIndex(model.index(0, 0))
    assert model.data(held, Qt.ItemDataRole.DisplayRole) == "다온헬스"
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert held.row() == 2 and model.data(held, Qt.ItemDataRole.DisplayRole) == "다온헬스"


@pytest.mark.parametrize(
    "needle, expected",
    [("1168200276", ["다온헬스"]), ("116-82", ["다온헬스"]), ("소프트", ["나래소프트"]), ("없는", [])],
)
def test_search_finds_numbers_with_or_without_dashes(proxy, needle, expected):
    proxy.set_search(needle)
    assert names(proxy) == expected


def test_predicates_combine_with_the_search(proxy):
    proxy.set_predicate("dated", lambda r: r.day is not None)
    assert sorted(names(proxy)) == ["나래소프트", "다온헬스"]
    proxy.set_search("다온")
    assert names(proxy) == ["다온헬스"]
    proxy.set_predicate("dated", None)
    proxy.set_search("")
    assert len(names(proxy)) == 3


def test_residents_list_model_on_the_demo(qtmodeltester, qapp, demo_session):
    table = DataTable(list_columns(), name="t")
    table.set_rows(directory.company_list(demo_session, on=DEMO_TODAY))
    qtmodeltester.check(table.source)
    qtmodeltester.check(table.proxy)
    table.sortByColumn(7, Qt.SortOrder.DescendingOrder)  # employees, unknown last
    employees = [row.employees for row in table.visible_rows()]
    known = [count for count in employees if count is not None]
    assert known == sorted(known, reverse=True) and employees[: len(known)] == known


def test_every_list_of_the_shell_pages_passes_the_model_tester(qtbot, qtmodeltester, demo_engine, tmp_path):
    checked = 0
    for page_class in (DashboardPage, ResidentsPage, SettingsPage):
        page = page_class(app_context(demo_engine, tmp_path, DEMO_TODAY))
        qtbot.addWidget(page)
        wired(page)
        wait_for_background()
        for table in page.findChildren(DataTable):
            qtmodeltester.check(table.source)
            qtmodeltester.check(table.proxy)
            checked += table.source.rowCount() > 0
    assert checked >= 10  # the watch list, the residents list and its history tabs, facilities, rooms


def test_a_search_matches_the_rows_of_the_latest_load_in_any_order(proxy):
    proxy.set_search("소프트")
    proxy.sort(0, Qt.SortOrder.DescendingOrder)
    assert names(proxy) == ["나래소프트"]
    proxy.set_search("")
    proxy.sourceModel().set_rows([Row("소프트웨어랩", "1000000002", None), *ROWS])  # loaded with no search on
    proxy.sort(2, Qt.SortOrder.AscendingOrder)
    proxy.set_search("소프트")
    assert names(proxy) == ["나래소프트", "소프트웨어랩"]
    proxy.sourceModel().set_rows(ROWS[:1])  # loaded while searching
    assert names(proxy) == []
