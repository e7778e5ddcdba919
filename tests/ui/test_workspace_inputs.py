"""Workspace inputs a person can trust: excluded rows are announced as loudly as the fee, the
dollar mode says dollars and starts empty, and lot-table dates take both written forms.

Rule: 1.00% on Service II shares held 60 days or less (002:96-103). 100 shares bought
2023-01-01, redeemed 2023-03-02 (60 days) at NAV 10.00: fee $10.00.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit

from janus_gui.core.models import ShareClass
from janus_gui.core.workspace_file import RedeemMode
from janus_gui.ui.workspace.panel import WorkspacePanel
from janus_gui.workspace.rows import COL_DATE, COL_SHARES
from tests.helpers.golden_rule import SERVICE_II_RULE


@pytest.fixture
def panel(qtbot, repo) -> WorkspacePanel:
    widget = WorkspacePanel(repo, fee_rule_for=lambda *_a: SERVICE_II_RULE)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    widget.preset("P4", ShareClass.SERVICE_II, dt.date(2023, 3, 2))
    widget.inputs.nav.setText("10.00")
    return widget


def test_excluded_rows_head_the_result_in_the_fees_font(qtbot, panel: WorkspacePanel) -> None:
    panel.inputs.quantity.setText("100")
    with qtbot.waitSignal(panel.result_computed, timeout=5000):
        panel.paste_text("2023-01-01\t100\tgood\n2023-13-45\t20\tbad\n")
    summary = panel.summary
    assert summary.exclusion.isVisible()
    assert summary.exclusion.text().startswith("1 row excluded")
    assert summary.exclusion.font() == summary.headline.font()
    assert summary.headline.text() == "Fee that may apply (maximum): $10.00"
    assert panel.outcome().excluded_rows == 1
    # fixing the cell removes the announcement
    bad = next(r for r in range(panel.model.rowCount()) if panel.model.row_at(r).lot_id == "bad")
    with qtbot.waitSignal(panel.result_computed, timeout=5000):
        panel.model.setData(panel.model.index(bad, COL_DATE), "2022-12-01")
    assert not summary.exclusion.isVisible()
    assert panel.outcome().excluded_rows == 0


def test_exports_record_the_exclusion(qtbot, panel: WorkspacePanel, tmp_path) -> None:
    from tests.helpers.pdf_check import read_pdf

    panel.inputs.quantity.setText("100")
    with qtbot.waitSignal(panel.result_computed, timeout=5000):
        panel.paste_text("2023-01-01\t100\tgood\nnot a date\t20\tbad\n")
    assert panel.export_csv(tmp_path / "x.csv")
    text = (tmp_path / "x.csv").read_text(encoding="utf-8")
    assert "rows_excluded,1" in text
    assert "1 lot-table row with errors left out of this computation." in text
    assert panel.export_pdf(tmp_path / "x.pdf")
    assert "1 row excluded" in read_pdf(tmp_path / "x.pdf").text


def _choose_mode(qtbot, panel: WorkspacePanel, mode: RedeemMode) -> None:
    combo = panel.inputs.mode
    combo.setFocus()
    while RedeemMode(combo.currentData()) != mode:
        qtbot.keyClick(combo, Qt.Key.Key_Down)


def test_dollar_mode_relabels_and_clears_the_box(qtbot, panel: WorkspacePanel) -> None:
    inputs = panel.inputs
    inputs.quantity.setFocus()
    qtbot.keyClicks(inputs.quantity, "120")
    assert inputs.quantity_label.text() == "Shares:"
    _choose_mode(qtbot, panel, RedeemMode.AMOUNT)
    assert inputs.quantity_label.text() == "Amount ($):"
    assert inputs.quantity.text() == ""
    assert "dollars" in inputs.quantity.placeholderText()
    qtbot.keyClicks(inputs.quantity, "1,200.00")
    _choose_mode(qtbot, panel, RedeemMode.ALL)
    assert inputs.quantity.text() == "" and not inputs.quantity.isEnabled()


def test_loading_a_workspace_keeps_its_amount(panel: WorkspacePanel) -> None:
    panel.inputs.set_values(None, None, None, RedeemMode.AMOUNT, "1200", None)
    assert panel.inputs.quantity.text() == "1200"
    assert panel.inputs.quantity_label.text() == "Amount ($):"


def test_lot_table_date_cell_takes_a_typed_us_date(qtbot, panel: WorkspacePanel) -> None:
    panel.add_button.click()  # opens the editor on the new row's date cell
    view = panel.table
    editor = view.viewport().findChild(QLineEdit)
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, "1/1/2023")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)  # queued commit
    view.model().setData(view.model().index(0, COL_SHARES), "100")
    row = panel.model.row_at(0)
    assert row.purchase_date == dt.date(2023, 1, 1) and row.valid
    assert row.shares == Decimal("100.000")
