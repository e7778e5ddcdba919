"""Import a lot CSV through the preview, export the result as CSV and PDF, and read them back."""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

from janus_gui.core.models import ShareClass
from janus_gui.core.workspace_file import RedeemMode
from janus_gui.ui.workspace import report
from janus_gui.ui.workspace.dialogs import ImportPreviewDialog
from janus_gui.ui.workspace.panel import WorkspacePanel
from janus_gui.workspace.outcome import LotColumns, compute, fixed, make_request, plain
from tests.helpers.golden_rule import SERVICE_II_RULE as RULE
from tests.helpers.pdf_check import read_pdf

DATA = Path(__file__).resolve().parent.parent / "data" / "workspace"


class PreviewRecorder:
    """Stands in for the modal preview: records what it was shown, answers as told."""

    def __init__(self, answer: bool) -> None:
        self.answer = answer
        self.seen: list[tuple[str, int, list[int]]] = []

    def __call__(self, _parent, file_name, preview) -> bool:
        self.seen.append((file_name, preview.total, [r.line for r in preview.error_rows]))
        return self.answer


@pytest.fixture
def panel(qtbot, repo) -> WorkspacePanel:
    widget = WorkspacePanel(repo, fee_rule_for=lambda *_args: RULE)
    qtbot.addWidget(widget)
    widget.preset("P4", ShareClass.SERVICE_II, dt.date(2023, 3, 2))
    widget.inputs.quantity.setText("120")
    widget.inputs.nav.setText("10.00")
    return widget


def _import(qtbot, panel: WorkspacePanel, path: Path, monkeypatch, answer: bool = True):
    recorder = PreviewRecorder(answer)
    monkeypatch.setattr(ImportPreviewDialog, "ask", recorder)
    signal = panel.import_finished if answer else panel.import_cancelled
    with qtbot.waitSignal(signal, timeout=10000):
        panel.import_lots_file(path)
    return recorder


def test_preview_lists_errors_by_line_before_replacing(qtbot, panel, monkeypatch) -> None:
    panel.paste_text("2020-01-01\t1\tKEEP\n")
    recorder = _import(qtbot, panel, DATA / "lots_with_errors.csv", monkeypatch, answer=False)
    assert recorder.seen == [("lots_with_errors.csv", 4, [3, 5])]
    assert panel.model.rowCount() == 1 and panel.model.row_at(0).lot_id == "KEEP"
    assert "unchanged" in panel.status.text()


def test_accepted_import_keeps_bad_rows_visible_and_excluded(qtbot, panel, monkeypatch):
    with qtbot.waitSignal(panel.result_computed, timeout=10000):
        _import(qtbot, panel, DATA / "lots_with_errors.csv", monkeypatch)
    assert panel.model.rowCount() == 4
    assert panel.model.invalid_count() == 2
    assert panel.excluded_label.text() == "2 rows excluded — see red cells"
    assert panel.outcome().result.total_fee == Decimal("12.00")  # the two good rows are G1


def test_csv_round_trip_and_export(qtbot, panel, monkeypatch, tmp_path: Path) -> None:
    with qtbot.waitSignal(panel.result_computed, timeout=10000):
        _import(qtbot, panel, DATA / "g1_lots.csv", monkeypatch)
    assert [panel.model.row_at(i).lot_id for i in range(2)] == ["first", "second"]
    out = tmp_path / "result.csv"
    assert panel.export_csv(out)
    rows = list(csv.reader(out.open(encoding="utf-8", newline="")))
    assert rows[0][:5] == ["row", "lot_id", "purchase_date", "shares_held", "shares_redeemed"]
    assert rows[1][:6] == ["1", "first", "2023-01-01", "100.000", "100.000", "60"]
    assert rows[2][:6] == ["2", "second", "2023-02-15", "50.000", "20.000", "15"]
    totals = {r[0]: r[1] for r in rows[3:] if len(r) == 2}
    assert totals["fee_that_may_apply"] == "12.00"
    assert totals["redemption_value"] == "1200.00"
    assert totals["net_proceeds"] == "1188.00"
    assert totals["citation"] == "002:96-103"
    # the exported walk reads back in as a lot file (purchase dates and shares held)
    back = tmp_path / "back.csv"
    back.write_text(
        "purchase_date,shares,lot_id\n" + "".join(f"{r[2]},{r[3]},{r[1]}\n" for r in rows[1:3]),
        encoding="utf-8",
    )
    with qtbot.waitSignal(panel.result_computed, timeout=10000):
        _import(qtbot, panel, back, monkeypatch)
    assert panel.outcome().result.total_fee == Decimal("12.00")


def test_export_neutralises_formula_cells_typed_in_the_table(qtbot, panel, tmp_path: Path):
    ids = ["=HYPERLINK(1)", "+SUM(A1)", "-2+3", "@cmd"]
    with qtbot.waitSignal(panel.result_computed, timeout=10000):
        for number, lot_id in enumerate(ids):
            panel.paste_text(f'2023-01-0{number + 1},10,"{lot_id}"\n')
        panel.inputs.quantity.setText("40")
    out = tmp_path / "formula.csv"
    assert panel.export_csv(out)
    rows = list(csv.reader(out.open(encoding="utf-8", newline="")))
    assert [r[1] for r in rows[1:5]] == ["'" + lot_id for lot_id in ids]
    assert all(not cell.startswith(("=", "+", "@")) for r in rows for cell in r)


def test_export_neutralises_tab_and_carriage_return_ids() -> None:
    # ids read from a file can start with a tab or CR (the table trims what is typed)
    columns = LotColumns(
        [dt.date(2023, 1, 1), dt.date(2023, 1, 2)],
        [Decimal("10.000"), Decimal("10.000")],
        ["\tTAB", "\rCR"],
        [False, False],
        [1, 2],
    )
    request = make_request(dt.date(2023, 3, 2), RedeemMode.ALL, "", "10.00")
    outcome = compute(columns, request, RULE, 0)
    context = report.ReportContext("=Portfolio", "Service II", "All shares held", "", 0)
    rows = list(csv.reader(io.StringIO(report.csv_text(outcome, context), newline="")))
    assert [r[1] for r in rows[1:3]] == ["'\tTAB", "'\rCR"]
    totals = {r[0]: r[1] for r in rows[3:] if len(r) == 2}
    assert totals["portfolio"] == "'=Portfolio"
    assert totals["fee_that_may_apply"] == "2.00"  # 20 shares x 10.00 x 1%, both within 60 days


def test_pdf_report_holds_inputs_totals_rule_and_build_facts(
    qtbot, panel, monkeypatch, tmp_path: Path, repo
) -> None:
    with qtbot.waitSignal(panel.result_computed, timeout=10000):
        _import(qtbot, panel, DATA / "g1_lots.csv", monkeypatch)
    out = tmp_path / "report.pdf"
    assert panel.export_pdf(out)
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 2000
    assert not list(tmp_path.glob(".*"))  # no temporary file left behind
    text = unicodedata.normalize("NFKC", " ".join(read_pdf(out).pages))  # "ﬁrst" -> "first"
    squeezed = "".join(text.split())  # Qt places words apart without space glyphs
    for expected in (
        "$12.00",
        "$1,200.00",
        "$1,188.00",
        "120.000",
        "002:96-103",
        "2023-03-02",
        "first",
        "second",
    ):
        assert expected in squeezed, expected
    assert repo.meta()["content_sha256"] in squeezed
    assert "Redemption-feerecord" in squeezed


def test_export_without_a_result_says_so(qtbot, repo, tmp_path: Path) -> None:
    empty = WorkspacePanel(repo, fee_rule_for=lambda *_args: RULE)
    qtbot.addWidget(empty)
    assert empty.export_csv(tmp_path / "x.csv") is False
    assert empty.export_pdf(tmp_path / "x.pdf") is False
    assert "no result yet" in empty.status.text()
    assert not (tmp_path / "x.csv").exists()


def _compute(qtbot, panel: WorkspacePanel, lots: str, redeem: dt.date, shares: str) -> None:
    with qtbot.waitSignal(panel.result_computed, timeout=10000):
        panel.paste_text(lots)
        panel.inputs.redeem_date.setDate(redeem)
        panel.inputs.quantity.setText(shares)


def _csv_totals(panel: WorkspacePanel, path: Path) -> tuple[list[list[str]], dict[str, str]]:
    assert panel.export_csv(path)
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    return rows, {r[0]: r[1] for r in rows if len(r) == 2}


def test_no_shares_subject_prints_a_plain_zero_everywhere(qtbot, panel, tmp_path: Path) -> None:
    # G4: bought 2024-01-01, redeemed 2024-03-02 after 61 days: nothing subject, fee $0.00
    _compute(qtbot, panel, "2024-01-01\t100\tA\n", dt.date(2024, 3, 2), "100")
    assert panel.summary.total_labels["fee"].text() == "$0.00"
    method = panel.method.label.text()
    assert "= 0 unrounded" in method and "E-" not in method
    _rows, totals = _csv_totals(panel, tmp_path / "g4.csv")
    assert totals["fee_unrounded"] == "0"
    assert totals["fee_that_may_apply"] == "0.00"
    assert totals["shares_subject_to_fee"] == "0.000"
    page = report.report_html(panel.outcome(), panel._report_context(), {})
    assert "E-" not in page and "<td>0</td>" in page


def test_unrounded_fee_is_plain_and_the_remark_only_when_rounding_happened(
    qtbot, panel, tmp_path: Path
) -> None:
    # G7: 33.333 shares x 1% x $10.00 = 3.3333, rounded once to $3.33
    _compute(qtbot, panel, "2023-01-01\t100.000\tA\n", dt.date(2023, 1, 31), "33.333")
    assert panel.summary.total_labels["fee"].text() == "$3.33 (rounded once from 3.3333)"
    rows, totals = _csv_totals(panel, tmp_path / "g7.csv")
    assert rows[1][8] == "3.3333"
    assert totals["fee_unrounded"] == "3.3333"
    assert panel.steps_model.data(panel.steps_model.index(0, 6)) == "3.3333"


def test_whole_cent_fee_has_no_rounding_remark(qtbot, panel) -> None:
    # G1: 100 + 20 shares held 60 and 15 days, x 1% x $10.00 = 12 exactly
    _compute(qtbot, panel, "2023-01-01\t100\n2023-02-15\t50\n", dt.date(2023, 3, 2), "120")
    assert panel.summary.total_labels["fee"].text() == "$12.00"
    assert panel.steps_model.data(panel.steps_model.index(1, 6)) == "2"  # 20 x 1% x $10


def test_plain_keeps_digits_and_drops_the_exponent() -> None:
    assert plain(Decimal("0E-7")) == "0"
    assert plain(Decimal("3.33330")) == "3.3333"
    assert plain(Decimal("1.0250")) == "1.025"
    assert plain(Decimal("1.2E+3")) == "1200"
    assert fixed(Decimal("1E+1")) == "10"
