"""Recording why a lot is exempt, in the workspace's lot table, the way a user does it.

G1 (DOMAIN.md §3, rule 002:96-103: 1.00%, 60 days or less, NAV 10.00): lots 2023-01-01 x 100
and 2023-02-15 x 50, 120 shares redeemed on 2023-03-02 owe $12.00. With the first lot exempt for
death or disability it is still redeemed first and the second lot's $2.00 is all that remains.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from janus_gui.core.exemptions import LABEL, ExemptionReason
from janus_gui.core.models import ShareClass
from janus_gui.ui.workspace.panel import WorkspacePanel
from janus_gui.workspace import rows as lot_rows
from janus_gui.workspace.rows import COL_EXEMPT
from tests.helpers.golden_rule import SERVICE_II_RULE
from tests.helpers.workspace_files import saved_parts
from tests.ui.test_workspace_panel import GOLDEN, set_request, type_lots


def _rule(_repo, _pid, _cls, _day):
    return SERVICE_II_RULE


@pytest.fixture
def panel(qtbot, repo, monkeypatch) -> WorkspacePanel:
    monkeypatch.setattr(lot_rows, "current_user", lambda: "ana")
    widget = WorkspacePanel(repo, fee_rule_for=_rule)
    qtbot.addWidget(widget)
    widget.preset("P4", ShareClass.SERVICE_II, dt.date(2023, 3, 2))
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _editor(panel: WorkspacePanel) -> QComboBox:
    editors = [e for e in panel.table.viewport().findChildren(QComboBox) if e.isVisible()]
    assert len(editors) == 1, "the reason editor is open"
    return editors[0]


def _choose_reason(qtbot, panel: WorkspacePanel, row: int, text: str) -> None:
    """Select the Exempt cell, press F2, type the reason and press Enter."""
    index = panel.table.model().index(row, COL_EXEMPT)
    panel.table.setFocus()
    panel.table.setCurrentIndex(index)
    qtbot.keyClick(panel.table, Qt.Key.Key_F2)
    editor = _editor(panel)
    editor.lineEdit().selectAll()
    qtbot.keyClicks(editor.lineEdit(), text)
    qtbot.keyClick(editor.lineEdit(), Qt.Key.Key_Return)


def test_recording_a_reason_waives_that_lot_only(qtbot, panel: WorkspacePanel) -> None:
    with qtbot.waitSignal(panel.result_computed, timeout=5000):
        type_lots(panel, GOLDEN[0][1])
        set_request(panel, dt.date(2023, 3, 2), "120")
    assert panel.outcome().result.total_fee == Decimal("12.00")
    with qtbot.waitSignal(panel.result_computed, timeout=5000):
        _choose_reason(qtbot, panel, 0, "death or disability")
    row = panel.model.row_at(0)
    assert row.exempt.reason == ExemptionReason.DEATH_OR_DISABILITY
    assert (row.exempt.recorded_by, row.exempt.recorded_on) == ("ana", dt.date.today())
    cell = panel.model.index(0, COL_EXEMPT)
    assert cell.data() == "death or disability"
    assert cell.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert LABEL in cell.data(Qt.ItemDataRole.ToolTipRole)
    outcome = panel.outcome()
    assert [s.shares_redeemed for s in outcome.result.lots] == [
        Decimal("100.000"),
        Decimal("20.000"),
    ]
    assert outcome.result.total_fee == Decimal("2.00")
    assert outcome.result.lots[1].fee == Decimal("2.00")
    assert outcome.exemptions.cell() == "death_or_disability=100.000"


def test_other_needs_a_note_and_a_bad_reason_changes_nothing(qtbot, panel) -> None:
    type_lots(panel, GOLDEN[0][1])
    _choose_reason(qtbot, panel, 0, "other")
    assert panel.model.row_at(0).exempt is False  # refused: "other" needs a note
    _choose_reason(qtbot, panel, 0, "other: court order")
    exemption = panel.model.row_at(0).exempt
    assert (exemption.reason, exemption.note) == (ExemptionReason.OTHER, "court order")
    _choose_reason(qtbot, panel, 0, "not exempt")
    assert panel.model.row_at(0).exempt is False


def test_reason_goes_to_the_csv_export_and_survives_save_and_open(
    qtbot, panel: WorkspacePanel, repo, tmp_path: Path
) -> None:
    with qtbot.waitSignal(panel.result_computed, timeout=5000):
        type_lots(panel, GOLDEN[0][1])
        set_request(panel, dt.date(2023, 3, 2), "120")
    with qtbot.waitSignal(panel.result_computed, timeout=5000):
        _choose_reason(qtbot, panel, 0, "plan-level transaction")
    out = tmp_path / "fees.csv"
    assert panel.export_csv(out)
    rows = list(csv.reader(out.open(encoding="utf-8", newline="")))
    header = rows[0]
    first = dict(zip(header, rows[1], strict=False))
    assert (first["exempt"], first["exempt_reason"]) == ("yes", "plan-level transaction")
    labelled = {
        r[0]: r[1]
        for r in rows
        if len(r) >= 2 and r[0] in ("exemptions", "exempt_shares", "exempt_reasons")
    }
    assert labelled == {
        "exemptions": LABEL,
        "exempt_shares": "100.000",
        "exempt_reasons": "plan_level_transaction=100.000",
    }
    record = panel.fee_record()
    assert record is not None and "plan-level transaction" in record.body_html
    target = tmp_path / "saved.janusws"
    with qtbot.waitSignal(panel.workspace_saved, timeout=5000):
        assert panel.save_workspace_file(target)
    saved = saved_parts(target)[1][0]
    assert saved["exempt_reason"] == "plan_level_transaction"
    assert saved["exempt_recorded_by"] == "ana"
    other = WorkspacePanel(repo, fee_rule_for=_rule)
    qtbot.addWidget(other)
    with qtbot.waitSignal(other.result_computed, timeout=5000):
        assert other.open_workspace_file(target)
    assert other.model.row_at(0).exempt == panel.model.row_at(0).exempt
    assert other.outcome().result.total_fee == Decimal("2.00")


def test_the_rule_applied_copies_with_its_source(qtbot, panel: WorkspacePanel) -> None:
    from PySide6.QtGui import QGuiApplication

    with qtbot.waitSignal(panel.result_computed, timeout=5000):
        type_lots(panel, GOLDEN[0][1])
        set_request(panel, dt.date(2023, 3, 2), "120")
    rule_label = panel.summary.rule
    copy = next(a for a in rule_label.actions() if a.text() == "Copy fact with source")
    copy.trigger()
    text = QGuiApplication.clipboard().text()
    assert text.startswith("Redemption fee: 1.00% on shares held 60 days or less")
    assert "Source: 002:96-103" in text and "as of 2023-03-02" in text
