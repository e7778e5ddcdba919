"""Type-ahead search: debounce, stale results, keys, inline errors.

Golden identifiers come from the sources: 000:25 prints ``471021709 Aspen Overseas``; 001:19
prints ``Janus Aspen Series Overseas Portfolio 471021 70 9 JAIG``; the 1999 name of the same
lineage is International Growth Portfolio (DOMAIN.md §1, P4).
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QVBoxLayout, QWidget

from janus_gui.core.errors import IdentifierError
from janus_gui.core.models import SearchMatch, SearchResult, ShareClass
from janus_gui.ui.search_box import SearchBox, matched_text

OVERSEAS_CUSIP = "471021709"


def _match(pid: str, share_class: ShareClass, on: str, text: str) -> SearchMatch:
    return SearchMatch(pid, f"Portfolio {pid}", share_class, None, None, on, text, 0)


class FakeSearch:
    """Records every query; answers with one match named after the query."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dt.date]] = []

    def __call__(self, text: str, day: dt.date) -> SearchResult:
        self.calls.append((text, day))
        if text == "bad":
            raise IdentifierError("the check digit should be 5", expected_check_digit="5")
        matches = (
            _match("P1", ShareClass.INSTITUTIONAL, "name", text),
            _match("P1", ShareClass.SERVICE, "name", text),
        )
        return SearchResult(text, "name", text, matches)


@pytest.fixture
def fake_search() -> FakeSearch:
    return FakeSearch()


@pytest.fixture
def box(qtbot, fake_search: FakeSearch) -> SearchBox:
    host = QWidget()
    host.resize(900, 400)
    layout = QVBoxLayout(host)
    search_box = SearchBox(fake_search, host)
    layout.addWidget(search_box)
    layout.addStretch(1)
    qtbot.addWidget(host)
    host.show()
    search_box.test_host = host  # keep the parent alive for the test's duration
    return search_box


def test_typing_runs_one_search_after_the_pause(qtbot, box: SearchBox, fake_search: FakeSearch):
    qtbot.keyClicks(box.field, "growth")
    qtbot.waitUntil(box.popup_visible)
    assert [text for text, _ in fake_search.calls] == ["growth"]
    assert len(box.matches()) == 2


def test_the_results_list_is_built_for_the_first_results(qtbot, box: SearchBox) -> None:
    from PySide6.QtWidgets import QTableView

    assert box.test_host.findChildren(QTableView) == []  # none for the first paint
    assert box.matches() == [] and not box.popup_visible()
    qtbot.keyClicks(box.field, "growth")
    qtbot.waitUntil(box.popup_visible)
    (table,) = box.test_host.findChildren(QTableView)
    assert table is box.results_view and table.model().rowCount() == 2


def test_stale_result_is_dropped(qtbot, box: SearchBox, fake_search: FakeSearch):
    qtbot.keyClicks(box.field, "first")
    qtbot.waitUntil(box.popup_visible)
    stale_token = box._token
    box.field.setText("second")  # a newer query starts; the old answer must not show
    late = SearchResult("first", "name", "first", (_match("P9", ShareClass.SERVICE, "name", "x"),))
    box._apply(stale_token, late)
    assert all(m.portfolio_id == "P1" for m in box.matches())
    qtbot.waitUntil(lambda: fake_search.calls[-1][0] == "second")


def test_identifier_error_is_shown_inline_not_in_a_dialog(qtbot, box, monkeypatch):
    def no_dialog(*args, **kwargs):
        raise AssertionError("a dialog was opened for an input error")

    for name in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, no_dialog)
    qtbot.keyClicks(box.field, "bad")
    qtbot.waitUntil(lambda: "check digit should be 5" in box.message())
    assert box.message_icon.isVisibleTo(box)
    assert not box.popup_visible()


def test_down_then_enter_picks_the_second_row(qtbot, box: SearchBox):
    qtbot.keyClicks(box.field, "growth")
    qtbot.waitUntil(box.popup_visible)
    qtbot.keyClick(box.field, Qt.Key.Key_Down)
    with qtbot.waitSignal(box.match_chosen, timeout=5000) as blocker:
        qtbot.keyClick(box.field, Qt.Key.Key_Return)
    assert blocker.args[0].share_class == ShareClass.SERVICE
    assert not box.popup_visible()


def test_up_stops_at_the_first_row(qtbot, box: SearchBox):
    qtbot.keyClicks(box.field, "growth")
    qtbot.waitUntil(box.popup_visible)
    qtbot.keyClick(box.field, Qt.Key.Key_Down)
    qtbot.keyClick(box.field, Qt.Key.Key_Up)
    qtbot.keyClick(box.field, Qt.Key.Key_Up)
    assert box.results_view.currentIndex().row() == 0


def test_enter_before_the_pause_searches_at_once(qtbot, box: SearchBox):
    box.field.setText("growth")
    with qtbot.waitSignal(box.match_chosen, timeout=5000) as blocker:
        qtbot.keyClick(box.field, Qt.Key.Key_Enter)
    assert blocker.args[0].share_class == ShareClass.INSTITUTIONAL


def test_escape_closes_the_results(qtbot, box: SearchBox):
    qtbot.keyClicks(box.field, "growth")
    qtbot.waitUntil(box.popup_visible)
    qtbot.keyClick(box.field, Qt.Key.Key_Escape)
    assert not box.popup_visible()


def test_results_model_passes_the_model_tester(qtbot, qtmodeltester, box: SearchBox):
    qtbot.keyClicks(box.field, "growth")
    qtbot.waitUntil(box.popup_visible)
    qtmodeltester.check(box.results_model)


def test_matched_text_names_the_field():
    match = SearchMatch(
        "P4", "Overseas", ShareClass.INSTITUTIONAL, OVERSEAS_CUSIP, "JAIG", "ticker", "JAIG", 0
    )
    assert matched_text(match) == "ticker JAIG"


# -- the real catalog through the main window ------------------------------------------------
@pytest.mark.parametrize(
    "query",
    ["471021709", "471021 70 9", "47102170", "JAIG", "jaig"],
)
def test_identifiers_find_overseas_institutional(qtbot, main_window, query: str):
    box = main_window.search_box
    qtbot.keyClicks(box.field, query)
    qtbot.waitUntil(lambda: bool(box.matches()))
    first = box.matches()[0]
    assert (first.portfolio_id, first.share_class, first.cusip) == (
        "P4",
        ShareClass.INSTITUTIONAL,
        OVERSEAS_CUSIP,
    )
    assert first.ticker == "JAIG"


@pytest.mark.parametrize("query", ["International Growth", "overseas"])
def test_names_old_and_new_find_the_overseas_lineage(qtbot, main_window, query: str):
    box = main_window.search_box
    qtbot.keyClicks(box.field, query)
    qtbot.waitUntil(lambda: bool(box.matches()))
    assert {m.portfolio_id for m in box.matches()} == {"P4"}
    assert box.matches()[0].matched_on == "name"


def test_bad_check_digit_names_the_expected_digit(qtbot, main_window):
    # 4 7 1 0 2 1 7 0, even positions doubled: 4+(1+4)+1+0+2+2+7+0 = 21 -> (10 - 1) % 10 = 9
    box = main_window.search_box
    qtbot.keyClicks(box.field, "471021706")
    qtbot.waitUntil(lambda: "check digit should be 9" in box.message())
    assert box.matches() == []
