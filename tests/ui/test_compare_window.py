"""Compare classes, compare dates, and copy any fact with its source, driven like a user.

Golden facts from the sources: the 2012 plan's Service II fee (002:96-103: 1.00%, 60 days or
less) and its conversion of Overseas Service II into Service at the close of 2012-04-27
(002:121-131); the Service Shares' 12b-1 fee of up to 0.25% (002:57-61).
"""

from __future__ import annotations

import csv
import datetime as dt
import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from janus_gui.cli import main as cli_main
from janus_gui.core.models import ShareClass
from janus_gui.ui import dialogs
from janus_gui.ui.citation_label import CitationLabel, CitedText
from janus_gui.ui.compare_view import DIFFERS_MARK, CompareView
from janus_gui.ui.fact_copy import MARKDOWN_MIME

BEFORE = dt.date(2012, 4, 20)


def _clipboard() -> str:
    return QGuiApplication.clipboard().text()


def _type_date(qtbot, field, text: str) -> None:
    qtbot.keyClick(field.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field.edit, text)
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)


def _row(view: CompareView, topic: str) -> int:
    for row in range(view.model.rowCount()):
        if view.model.index(row, 0).data().removeprefix(DIFFERS_MARK) == topic:
            return row
    raise AssertionError(f"no row {topic!r}")


@pytest.fixture
def compare(qtbot, repo) -> CompareView:
    view = CompareView(repo)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    qtbot.waitExposed(view)
    view.preset([("P4", ShareClass.SERVICE), ("P4", ShareClass.SERVICE_II)], BEFORE)
    return view


# -- the Compare window --------------------------------------------------------------------------
def test_compare_model_passes_the_model_tester(qtmodeltester, compare) -> None:
    qtmodeltester.check(compare.model)


def test_the_fee_row_differs_and_cites_the_plan(compare) -> None:
    row = _row(compare, "Redemption fee")
    assert compare.model.index(row, 0).data().startswith(DIFFERS_MARK)
    assert compare.model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    service_ii = compare.model.index(row, 2)
    assert service_ii.data().startswith("1.00% on shares held 60 days or less")
    assert "[documented · 002:96-103]" in service_ii.data()
    assert "1.00% redemption fee may be imposed" in service_ii.data(Qt.ItemDataRole.ToolTipRole)
    twelve_b1 = _row(compare, "12b-1 distribution fee")
    assert not compare.model.index(twelve_b1, 0).data().startswith(DIFFERS_MARK)


def test_ctrl_c_on_a_cell_copies_the_fact_with_its_source(qtbot, compare) -> None:
    row = _row(compare, "Redemption fee")
    compare.table.setFocus()
    compare.table.setCurrentIndex(compare.model.index(row, 2))
    qtbot.keyClick(compare.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    text = _clipboard()
    assert text.startswith("Redemption fee: 1.00% on shares held 60 days or less")
    assert "Source: 002:96-103 (002_9a3a92caa630b855.txt, lines 96-103)" in text
    assert "Standing: documented; as of 2012-04-20" in text
    markdown = bytes(QGuiApplication.clipboard().mimeData().data(MARKDOWN_MIME)).decode()
    assert markdown.startswith("**Redemption fee:**") and "`002:96-103`" in markdown
    titles = [a.text() for a in compare.table.actions()]
    assert {"Copy fact with source", "Copy fact as Markdown"} <= set(titles)
    compare.copy_markdown_action.trigger()
    assert _clipboard().startswith("**Redemption fee:**")


def test_typing_a_date_and_a_third_class_recompares(qtbot, compare) -> None:
    with qtbot.waitSignal(compare.compared, timeout=5000):
        _type_date(qtbot, compare.as_of, "2012-04-28")
    status = compare.model.index(_row(compare, "Status"), 2).data()
    assert status.startswith("Converted to Service Shares at the close of business")
    third = compare.pickers[2]
    with qtbot.waitSignal(compare.compared, timeout=5000):
        third.portfolio.setCurrentIndex(third.portfolio.findData("P4"))
    assert compare.model.columnCount() == 4
    exchanges = [compare.model.index(r, 0).data() for r in range(compare.model.rowCount())]
    assert sum(t.startswith("Exchange into") for t in exchanges) == 6


def test_bad_projection_input_is_refused_and_changes_nothing(qtbot, compare) -> None:
    before = compare.model.rowCount()
    compare.amount.setFocus()
    qtbot.keyClick(compare.amount, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(compare.amount, "-5")
    with qtbot.assertNotEmitted(compare.compared):
        qtbot.keyClick(compare.amount, Qt.Key.Key_Tab)
    assert compare.message.text().startswith("Cannot compare:")
    assert compare.model.rowCount() == before


def test_export_csv_and_pdf(compare, tmp_path, monkeypatch) -> None:
    from tests.helpers.pdf_check import read_pdf

    answers = iter([str(tmp_path / "cmp"), str(tmp_path / "cmp")])
    monkeypatch.setattr(
        dialogs, "ask_save_path_and_filter", lambda *args: (next(answers), args[-1])
    )
    compare.export_csv_button.click()
    rows = list(csv.DictReader((tmp_path / "cmp.csv").open(encoding="utf-8", newline="")))
    fee = [r for r in rows if r["topic"] == "Redemption fee"]
    assert [r["sources"] for r in fee] == ["002:96-98", "002:96-103"]
    compare.export_pdf_button.click()
    text = read_pdf(tmp_path / "cmp.pdf").text
    assert "Share classes compared" in text and "002:96-103" in text


def test_export_to_a_folder_is_reported_not_raised(compare, tmp_path) -> None:
    assert compare.export_csv(str(tmp_path)) is False
    assert compare.message.text().startswith("Could not write the file")


def test_view_menu_opens_compare_preset_to_the_class_shown(qtbot, main_window) -> None:
    main_window.select("P4", ShareClass.SERVICE_II, BEFORE)
    main_window.compare_action.trigger()
    view = main_window.compare_view
    assert view is not None and view.isVisible()
    assert view.comparison is not None and view.comparison.as_of == BEFORE
    assert view.comparison.holdings[0].share_class == ShareClass.SERVICE_II
    assert main_window.compare_action.shortcut().toString() == "Ctrl+3"


# -- Compare dates on the class detail ------------------------------------------------------------
def test_compare_dates_lists_the_conversion_and_the_removal_of_the_fee(qtbot, main_window):
    main_window.select("P4", ShareClass.SERVICE_II, BEFORE)
    detail = main_window.detail
    qtbot.mouseClick(detail.compare_dates_button, Qt.MouseButton.LeftButton)
    assert detail.changes_view.isVisible() and not detail.tabs.isVisible()
    _type_date(qtbot, detail.changes_view.other_date, "2012-04-28")
    model = detail.changes_view.model
    assert model.rowCount() == 12
    assert model.index(0, 0).data() == (
        "2012-04-27 close: Service II converted to Service (002:121-131)"
    )
    fee = next(r for r in range(model.rowCount()) if model.index(r, 1).data() == "Redemption fee")
    assert "[documented · 002:96-103]" in model.index(fee, 3).data()
    assert "No redemption fee applies" in model.index(fee, 4).data()
    assert "12 facts changed; 1 unchanged" in detail.changes_view.summary.text()
    detail.changes_view.table.setCurrentIndex(model.index(fee, 3))
    detail.changes_view.copy_change_action.trigger()
    assert "Source: 002:96-103" in _clipboard() and "Source: 002:128-131" in _clipboard()
    qtbot.mouseClick(detail.compare_dates_button, Qt.MouseButton.LeftButton)
    assert detail.tabs.isVisible() and not detail.changes_view.isVisible()


def test_compare_dates_with_the_same_date_says_so(qtbot, main_window) -> None:
    main_window.select("P4", ShareClass.SERVICE_II, BEFORE)
    detail = main_window.detail
    detail.compare_dates_button.click()
    _type_date(qtbot, detail.changes_view.other_date, "2012-04-20")
    assert detail.changes_view.model.rowCount() == 0
    assert "must be after" in detail.changes_view.summary.text()


# -- Copy on the class detail ---------------------------------------------------------------------
def test_ctrl_c_on_a_focused_citation_copies_the_fact(qtbot, main_window) -> None:
    main_window.select("P4", ShareClass.SERVICE_II, BEFORE)
    detail = main_window.detail
    detail.select_tab(detail.redemption_tab)
    links = [
        w
        for w in (
            *detail.redemption_tab.findChildren(CitationLabel),
            *detail.redemption_tab.findChildren(CitedText),
        )
        if w.citation() is not None and w.citation().label() == "002:96-103" and w.isVisible()
    ]
    assert links, "the Redemption fee tab cites 002:96-103"
    link = links[0]
    assert link.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    assert [a.text() for a in link.actions()] == ["Copy fact with source", "Copy fact as Markdown"]
    link.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is link)
    qtbot.keyClick(link, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    text = _clipboard()
    assert "Source: 002:96-103" in text
    assert "Standing: documented; as of 2012-04-20" in text
    assert 'Quote: "a 1.00% redemption fee may be imposed' in text


def test_banner_citation_copies_the_status(qtbot, main_window) -> None:
    main_window.select("P4", ShareClass.SERVICE_II, BEFORE)
    main_window.detail.show_class("P4", ShareClass.SERVICE_II, dt.date(2012, 4, 28))
    link = main_window.detail.banner.citation
    link.actions()[1].trigger()  # Copy fact as Markdown
    assert _clipboard().startswith("**Class status:** Converted to Service Shares")
    assert "`002:128-131`" in _clipboard()


def test_copy_as_json_is_the_show_json_payload(qtbot, main_window, capsys) -> None:
    main_window.select("P4", ShareClass.SERVICE_II, BEFORE)
    qtbot.mouseClick(main_window.detail.copy_json_button, Qt.MouseButton.LeftButton)
    copied = json.loads(_clipboard())
    assert cli_main(["show", "P4", "Service II", "--as-of", "2012-04-20", "--json"]) == 0
    assert copied == json.loads(capsys.readouterr().out)
    assert copied["redemption_fee"]["citation"]["label"] == "002:96-103"


def test_a_table_row_copies_its_fact_with_source(qtbot, main_window) -> None:
    from janus_gui.ui.tables import CopyableTableView, RowRole

    main_window.select("P4", ShareClass.SERVICE_II, BEFORE)
    tab = main_window.detail.overview_tab
    tables = [
        t
        for t in tab.findChildren(CopyableTableView)
        if t.model() is not None
        and t.model().rowCount()
        and getattr(t.model().index(0, 0).data(RowRole), "cusip", None)
    ]
    assert tables, "the Overview lists the CUSIPs"
    table = tables[0]
    row = next(
        r
        for r in range(table.model().rowCount())
        if table.model().index(r, 0).data(RowRole).cusip == "471021709"
    )
    table.setCurrentIndex(table.model().index(row, 0))
    action = next(a for a in table.actions() if a.text() == "Copy fact with source")
    action.trigger()
    text = _clipboard()
    # Institutional's CUSIP, listed beside Service II's class: copied as its row reads.
    assert text.startswith("Row: Class: Institutional; CUSIP: 471021709;")
    assert "Ticker: JAIG" in text
    assert "Source: 000:25" in text and "as of 2012-04-20" in text
