"""A list pasted into the search box: resolved row by row, copied, exported, opened.

Identifiers from the sources: 000:25 ``471021709 Aspen Overseas`` (Institutional), 000:48
``471021667`` (Service); 001:19 ticker ``JAIG``. ``471021706`` has a wrong check digit (9 is right);
the ISIN ``US4710217096`` is US + 471021709 + its Luhn digit, worked in tests/core/test_isin.py.
"""

from __future__ import annotations

import csv
import io

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence

from janus_gui.core.models import ShareClass
from janus_gui.ui import dialogs
from janus_gui.ui.resolved_list import LIST_COLUMNS, ResolvedListDialog

PASTED = "471021709\n\nUS4710217096\r\njaig\n471021706\nOverseas\nno such thing\n"


def _paste(qtbot, main_window, text: str) -> ResolvedListDialog:
    box = main_window.search_box
    box.field.setFocus()
    QGuiApplication.clipboard().setText(text)
    with qtbot.waitSignal(box.list_pasted, timeout=5000):
        qtbot.keySequence(box.field, QKeySequence.StandardKey.Paste)
    dialog = main_window.resolved_list
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def _column(dialog: ResolvedListDialog, title: str) -> list[str]:
    col = [c.title for c in LIST_COLUMNS].index(title)
    return [dialog.proxy.index(r, col).data() for r in range(dialog.proxy.rowCount())]


def test_pasting_a_list_opens_the_resolved_table(qtbot, main_window) -> None:
    dialog = _paste(qtbot, main_window, PASTED)
    assert _column(dialog, "Line") == ["1", "3", "4", "5", "6", "7"]
    assert _column(dialog, "Status") == [
        "resolved",
        "resolved",
        "resolved",
        "invalid",
        "ambiguous",
        "no match",
    ]
    assert _column(dialog, "CUSIP")[:3] == ["471021709"] * 3
    assert _column(dialog, "ISIN (derived)")[0] == "US4710217096"
    assert _column(dialog, "Matched on")[:3] == ["cusip", "isin", "ticker"]
    assert "check digit should be 9" in _column(dialog, "Message")[3]
    assert "6 queries" in dialog.summary.text() and "3 resolved" in dialog.summary.text()
    # the field is free for the next single query, and says where the list went
    box = main_window.search_box
    assert box.field.text() == "" and not box.popup_visible()
    assert "list of 6 queries" in box.message()


def test_one_line_paste_is_an_ordinary_search(qtbot, main_window) -> None:
    box = main_window.search_box
    box.field.setFocus()
    QGuiApplication.clipboard().setText("471021709\n")
    with qtbot.assertNotEmitted(box.list_pasted):
        qtbot.keySequence(box.field, QKeySequence.StandardKey.Paste)
    qtbot.waitUntil(box.popup_visible)
    assert main_window.resolved_list is None


def test_copy_all_puts_every_row_on_the_clipboard(qtbot, main_window) -> None:
    dialog = _paste(qtbot, main_window, PASTED)
    dialog.view.selectRow(0)
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    lines = QGuiApplication.clipboard().text().splitlines()
    assert lines[0].split("\t")[:3] == ["Line", "Query", "Status"]
    assert len(lines) == 7


def test_export_writes_the_lookup_input_csv(qtbot, main_window, monkeypatch, tmp_path) -> None:
    target = tmp_path / "resolved.csv"
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *args: str(target))
    dialog = _paste(qtbot, main_window, PASTED)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [r["status"] for r in rows] == [
        "ok",
        "ok",
        "ok",
        "invalid",
        "ambiguous",
        "no_match",
    ]
    assert rows[1]["matched_on"] == "isin" and rows[1]["cusip"] == "471021709"
    assert f"Exported to {target}" in dialog.summary.text()


def test_export_cancelled_writes_nothing(qtbot, main_window, monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *args: "")
    dialog = _paste(qtbot, main_window, PASTED)
    before = dialog.summary.text()
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.summary.text() == before and list(tmp_path.iterdir()) == []


def test_export_failure_is_reported_in_the_window(qtbot, main_window, monkeypatch, tmp_path):
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *args: str(tmp_path))  # a folder
    dialog = _paste(qtbot, main_window, PASTED)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.summary.text().startswith(f"Could not write {tmp_path}")


def test_double_click_on_a_resolved_row_opens_that_class(qtbot, main_window) -> None:
    dialog = _paste(qtbot, main_window, "471021667\njaig\n")
    view = dialog.view
    rect = view.visualRect(dialog.proxy.index(0, 1))
    # a real double click: press and release, then the double-click event
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert main_window.portfolio_id() == "P4"
    assert main_window.share_class() == ShareClass.SERVICE


def test_the_list_model_passes_the_model_tester(qtbot, qtmodeltester, main_window) -> None:
    dialog = _paste(qtbot, main_window, PASTED)
    qtmodeltester.check(dialog.model)
    qtmodeltester.check(dialog.proxy)


@pytest.mark.parametrize("text", ["\n\n", "  \n\t\n"])
def test_a_list_of_blank_lines_is_not_a_list(qtbot, main_window, text) -> None:
    box = main_window.search_box
    with qtbot.assertNotEmitted(box.list_pasted):
        box.field.setText(text)
