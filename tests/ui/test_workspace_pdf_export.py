"""The fee record is rendered on a worker: the window keeps running, Cancel writes nothing.

Lots are made by hand: 25 lots a day from 2011-01-03 on, 10 shares each, redeemed in full on a
day after the last purchase, so the record lists every lot in its walk table.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from test_workspace_big_import import (
    MAX_GAP_S,
    OVERLOADED_GAP_S,
    GapMeter,
    ran_in_fresh_process,
)

from janus_gui.core.models import ShareClass
from janus_gui.ui import printed
from janus_gui.ui.workspace.dialogs import ImportPreviewDialog
from janus_gui.ui.workspace.panel import WorkspacePanel
from tests.helpers.golden_rule import SERVICE_II_RULE as RULE
from tests.helpers.pdf_check import read_pdf

START = dt.date(2011, 1, 3)
PER_DAY = 25


def _lot_ids(count: int) -> list[str]:
    return [f"K{i:05d}" for i in range(count)]


def _panel_with_lots(qtbot, repo, tmp_path: Path, monkeypatch, count: int) -> WorkspacePanel:
    source = tmp_path / "lots.csv"
    lines = ["purchase_date,shares,lot_id"]
    for i, lot in enumerate(_lot_ids(count)):
        lines.append(f"{(START + dt.timedelta(days=i // PER_DAY)).isoformat()},10,{lot}")
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(ImportPreviewDialog, "ask", lambda *_args: True)
    panel = WorkspacePanel(repo, fee_rule_for=lambda *_args: RULE)
    qtbot.addWidget(panel)
    last = START + dt.timedelta(days=(count - 1) // PER_DAY)
    panel.preset("P4", ShareClass.SERVICE_II, last + dt.timedelta(days=5))
    panel.inputs.mode.setCurrentIndex(panel.inputs.mode.findText("All shares held"))
    panel.inputs.nav.setText("10.00")
    with (
        qtbot.waitSignal(panel.result_computed, timeout=60_000),
        qtbot.waitSignal(panel.import_finished, timeout=60_000),
    ):
        panel.import_lots_file(source)
    qtbot.waitUntil(lambda: len(panel.outcome().result.lots) == count, timeout=60_000)
    source.unlink()
    return panel


def _left_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.slow
def test_export_runs_on_a_worker_and_the_window_keeps_running(
    qtbot, repo, tmp_path: Path, monkeypatch, request
) -> None:
    if ran_in_fresh_process(request):
        return
    count = 1500
    panel = _panel_with_lots(qtbot, repo, tmp_path, monkeypatch, count)
    panel.show()
    out = tmp_path / "record.pdf"
    progress: list[int] = []
    panel.progress.valueChanged.connect(progress.append)
    meter = GapMeter()
    meter.start()
    with qtbot.waitSignal(panel.record_exported, timeout=120_000) as exported:
        assert panel.start_pdf_export(out, printed.PaperSize.LETTER)
        assert not panel.progress.isHidden() and not panel.cancel_button.isHidden()
        assert not out.exists()  # nothing is written until the whole record is rendered
        # the window takes input meanwhile: the result tabs switch at a click
        tab_bar = panel.tabs.tabBar()
        qtbot.mouseClick(tab_bar, Qt.MouseButton.LeftButton, pos=tab_bar.tabRect(2).center())
        assert panel.tabs.currentIndex() == 2
    meter.stop()
    assert exported.args == [str(out)]
    assert panel.progress.isHidden() and panel.cancel_button.isHidden()
    assert "Wrote the fee record to record.pdf" in panel.status.text()
    assert progress == sorted(progress) and progress[-1] == 1000 and len(progress) > 5
    facts = read_pdf(out)
    words = set(facts.text.split())
    assert all(lot in words for lot in _lot_ids(count))
    assert meter.ticks > 20
    overloaded = os.getloadavg()[0] > (os.cpu_count() or 1) * 2
    limit = OVERLOADED_GAP_S if overloaded else MAX_GAP_S
    assert meter.longest < limit, f"event loop blocked for {meter.longest * 1000:.0f} ms"


def test_cancel_writes_nothing_and_keeps_the_old_file(
    qtbot, repo, tmp_path: Path, monkeypatch
) -> None:
    panel = _panel_with_lots(qtbot, repo, tmp_path, monkeypatch, 1500)
    out = tmp_path / "record.pdf"
    out.write_bytes(b"the record filed last week")
    before = _left_in(tmp_path)
    painting: list[int] = []
    with qtbot.waitSignal(
        panel.progress.valueChanged,
        timeout=120_000,
        check_params_cb=lambda value: 500 <= value < 1000,  # laid out, pages being painted
    ):
        assert panel.start_pdf_export(out, printed.PaperSize.A4)
    painting.append(panel.progress.value())
    with qtbot.waitSignal(panel.record_export_cancelled, timeout=5000):
        qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    assert panel.progress.isHidden() and panel.cancel_button.isHidden()
    assert "cancelled; no file was written" in panel.status.text()
    assert QThreadPool.globalInstance().waitForDone(60_000)  # the worker has stopped too
    qtbot.wait(0)  # deliver its late report, which must change nothing
    assert out.read_bytes() == b"the record filed last week"
    assert _left_in(tmp_path) == before  # no partial file, no temporary file
    assert "cancelled" in panel.status.text()
    # a new export can start once cancelled
    with qtbot.waitSignal(panel.record_exported, timeout=120_000):
        assert panel.start_pdf_export(out, printed.PaperSize.A4)
    assert out.read_bytes().startswith(b"%PDF-")


def test_a_failed_export_says_why_and_leaves_nothing(
    qtbot, repo, tmp_path: Path, monkeypatch
) -> None:
    panel = _panel_with_lots(qtbot, repo, tmp_path, monkeypatch, 30)
    folder = tmp_path / "a folder"
    folder.mkdir()
    before = _left_in(tmp_path)
    with qtbot.waitSignal(panel.record_export_failed, timeout=60_000):
        assert panel.start_pdf_export(folder, printed.PaperSize.A4)
    assert "Could not write a folder" in panel.status.text()
    assert panel.progress.isHidden()
    assert _left_in(tmp_path) == before and not any(folder.iterdir())


def test_a_second_export_waits_for_the_first(qtbot, repo, tmp_path: Path, monkeypatch) -> None:
    panel = _panel_with_lots(qtbot, repo, tmp_path, monkeypatch, 30)
    with qtbot.waitSignal(panel.record_exported, timeout=60_000):
        assert panel.start_pdf_export(tmp_path / "one.pdf")
        assert not panel.start_pdf_export(tmp_path / "two.pdf")
        assert "already running" in panel.status.text()
    assert (tmp_path / "one.pdf").exists() and not (tmp_path / "two.pdf").exists()


def test_render_stops_when_cancelled_and_writes_nothing(tmp_path: Path) -> None:
    record = printed.PagedRecord(
        "t",
        "header",
        ("footer",),
        "".join(printed.table_parts(("Lot",), ([f"R{i}"] for i in range(400)))),
    )
    seen: list[int] = []

    def stop_after_first_page() -> bool:
        return len(seen) >= 2

    out = tmp_path / "x.pdf"
    with pytest.raises(printed.RenderCancelledError):
        printed.write_pdf(
            out, record, printed.PaperSize.A4, lambda d, _t: seen.append(d), stop_after_first_page
        )
    assert seen == [500, 500]  # laid out; the first page started, then it stopped
    assert not list(tmp_path.iterdir())
    printed.write_pdf(out, record, printed.PaperSize.A4, lambda d, _t: seen.append(d))
    assert len(read_pdf(out).pages) > 2 and seen[-1] == 1000
