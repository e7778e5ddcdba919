"""Silence is never $0.00: a workspace result on a date no source documents the fee rule for.

Overseas Service II shares are first documented on 2012-03-15, in the Rule 18f-3 plan as
amended through that date (002:10, 002:123-124); on 2012-03-10 no source states whether the
1% fee (002:96-103) applied, so the window, the CSV and the PDF say "cannot be determined".
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from pypdf import PdfReader

from janus_gui.core.models import ShareClass
from janus_gui.ui.workspace.panel import WorkspacePanel
from janus_gui.ui.workspace.results_view import FEE_COLUMNS
from janus_gui.workspace.rows import COL_DATE, COL_SHARES

UNDOCUMENTED_DAY = dt.date(2012, 3, 10)


@pytest.fixture
def panel(qtbot, repo) -> WorkspacePanel:
    widget = WorkspacePanel(repo)  # the catalog's own rule for the date
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.result_computed, timeout=5000):
        widget.preset("P4", ShareClass.SERVICE_II, UNDOCUMENTED_DAY)
        widget.add_button.click()
        model = widget.table.model()
        row = widget.table.currentIndex().row()
        model.setData(model.index(row, COL_DATE), "2012-03-01")
        model.setData(model.index(row, COL_SHARES), "100")
        widget.inputs.redeem_date.setDate(UNDOCUMENTED_DAY)
        widget.inputs.quantity.setText("100")
        widget.inputs.nav.setText("10.00")
    return widget


def test_window_says_cannot_be_determined_instead_of_zero(panel: WorkspacePanel) -> None:
    labels = panel.summary.total_labels
    assert labels["fee"].text() == "cannot be determined"
    assert labels["subject"].text() == "cannot be determined"
    assert labels["net"].text() == "cannot be determined"
    assert labels["value"].text() == "$1,000.00"  # the redemption value does not depend on it
    headline = panel.summary.headline.text()
    assert "cannot be determined" in headline and "2012-03-10" in headline
    assert "$0.00" not in headline
    assert "first documented on 2012-03-15" in panel.summary.rule.text()
    for column in FEE_COLUMNS:
        assert panel.steps_view.isColumnHidden(column)
    assert not panel.steps_note.isHidden()  # on the breakdown tab, which may be behind another
    assert "cannot be determined" in panel.steps_note.text()


def test_a_documented_date_shows_the_fee_columns_again(qtbot, panel: WorkspacePanel) -> None:
    with qtbot.waitSignal(panel.result_computed, timeout=5000):
        panel.inputs.redeem_date.setDate(dt.date(2012, 4, 20))  # 50 days held: subject
    assert panel.summary.total_labels["fee"].text() == "$10.00"
    for column in FEE_COLUMNS:
        assert not panel.steps_view.isColumnHidden(column)


def test_csv_export_leaves_no_zero_fee(panel: WorkspacePanel, tmp_path) -> None:
    target = tmp_path / "record.csv"
    assert panel.export_csv(target)
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    labelled = {row[0]: row[1] for row in rows if len(row) == 2}
    assert labelled["fee_that_may_apply"] == "cannot be determined"
    assert labelled["fee_unrounded"] == "cannot be determined"
    assert labelled["fee_status"] == "not_documented"
    lot = rows[1]
    assert lot[6] == "unknown" and lot[8] == ""  # subject, fee portion


def test_pdf_record_says_cannot_be_determined(panel: WorkspacePanel, tmp_path) -> None:
    target = tmp_path / "record.pdf"
    assert panel.export_pdf(target)
    text = " ".join(page.extract_text() for page in PdfReader(target).pages)
    text = " ".join(text.split())
    assert "Fee that may apply (maximum) cannot be determined" in text
    assert "not documented on this date" in text
    assert "$0.00" not in text
