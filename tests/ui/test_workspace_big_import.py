"""A 100,000-lot file imports on a worker with progress, and the event loop keeps running."""

from __future__ import annotations

import datetime as dt
import os
import time
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from janus_gui.core.models import Citation, Evidence, FeeRule, ShareClass
from janus_gui.ui.workspace.dialogs import ImportPreviewDialog
from janus_gui.ui.workspace.panel import WorkspacePanel

LOTS = 100_000
MAX_GAP_S = 0.100
# When more threads want a CPU than there are CPUs (load average above twice the CPU count),
# the limit is relaxed. Measured on 2 CPUs with two busy-loop processes: no thread of this
# process ran longer than 10 ms inside any gap over 40 ms (no long call holding the interpreter
# lock); the gap was time the GUI thread, or the worker holding the lock, spent waiting in the
# OS run queue (per-thread /proc/<pid>/task/<tid>/schedstat), or time when neither ran at all
# (virtual-CPU steal). Below that load the longest gap was at most 68 ms in 44 runs.
OVERLOADED_GAP_S = 0.250
RULE = FeeRule(
    applies=True,
    rate=Decimal("0.01"),
    holding_period_days=60,
    lot_order="FIFO",
    base="redemption value",
    recipient="Portfolio",
    reason="Service II Shares: 1.00% on interests held 60 days or less.",
    rule_id="golden",
    citation=Citation("002_9a3a92caa630b855.txt", 96, 103, "a 1.00% redemption fee may"),
    evidence=Evidence.DOCUMENTED,
)


class GapMeter:
    """A 10 ms timer that records the longest time between two of its ticks."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._on_tick)
        self.last = 0.0
        self.longest = 0.0
        self.ticks = 0

    def start(self) -> None:
        self.last = time.perf_counter()
        self.timer.start()

    def _on_tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now
        self.ticks += 1

    def stop(self) -> None:
        """Stop, counting the time since the last tick: work that ends in the awaited signal
        (showing the result, then emitting) would otherwise never be measured."""
        self.timer.stop()
        self.longest = max(self.longest, time.perf_counter() - self.last)


def _write_lots(path: Path) -> None:
    start = dt.date(2000, 1, 1)
    lines = ["purchase_date,shares,lot_id"]
    # 100 lots a day; the last 500 lots fall inside the 60-day window before the redemption
    for i in range(LOTS):
        day = start + dt.timedelta(days=i // 100)
        lines.append(f"{day.isoformat()},{i % 97 + 1}.125,L{i}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.slow
def test_100k_lot_import_reports_progress_and_never_blocks(
    qtbot, repo, tmp_path: Path, monkeypatch
) -> None:
    source = tmp_path / "big.csv"
    _write_lots(source)
    last_day = dt.date(2000, 1, 1) + dt.timedelta(days=(LOTS - 1) // 100)
    monkeypatch.setattr(ImportPreviewDialog, "ask", lambda *_args: True)
    panel = WorkspacePanel(repo, fee_rule_for=lambda *_args: RULE)
    qtbot.addWidget(panel)
    panel.preset("P4", ShareClass.SERVICE_II, last_day + dt.timedelta(days=10))
    panel.inputs.mode.setCurrentIndex(panel.inputs.mode.findText("All shares held"))
    panel.inputs.nav.setText("10.00")
    progress: list[int] = []
    panel.progress.valueChanged.connect(progress.append)
    meter = GapMeter()
    meter.start()
    with (
        qtbot.waitSignal(panel.result_computed, timeout=120_000) as blocker,
        qtbot.waitSignal(panel.import_finished, timeout=120_000) as imported,
    ):
        panel.import_lots_file(source)
        assert not panel.progress.isHidden()
        assert panel.model.rowCount() == 0  # nothing replaced while reading
    meter.stop()
    assert imported.args == [LOTS]
    assert panel.model.rowCount() == LOTS
    assert panel.model.invalid_count() == 0
    assert len(progress) >= 10 and progress[-1] == 1000
    assert progress == sorted(progress)
    outcome = blocker.args[0]
    # days held on the redemption date: the last 6 dates (lots bought 10..15 days before) and
    # so on back to 60 days: dates last_day-50 .. last_day are within the window
    within = [
        i
        for i in range(LOTS)
        if (last_day - dt.timedelta(days=50)) <= (dt.date(2000, 1, 1) + dt.timedelta(days=i // 100))
    ]
    expected_subject = sum(Decimal(f"{i % 97 + 1}.125") for i in within)
    assert outcome.result.shares_subject_to_fee == expected_subject
    assert panel.timeline.lot_count() == LOTS
    assert meter.ticks > 20
    overloaded = os.getloadavg()[0] > (os.cpu_count() or 1) * 2
    limit = OVERLOADED_GAP_S if overloaded else MAX_GAP_S
    assert meter.longest < limit, f"event loop blocked for {meter.longest * 1000:.0f} ms"


def test_cancel_leaves_the_table_unchanged(qtbot, repo, tmp_path: Path, monkeypatch) -> None:
    source = tmp_path / "big.csv"
    _write_lots(source)
    asked: list[str] = []
    monkeypatch.setattr(ImportPreviewDialog, "ask", lambda *_args: asked.append("x") or True)
    panel = WorkspacePanel(repo, fee_rule_for=lambda *_args: RULE)
    qtbot.addWidget(panel)
    panel.paste_text("2020-01-01\t1\tKEEP\n")
    with qtbot.waitSignal(panel.import_cancelled, timeout=60_000):
        panel.import_lots_file(source)
        panel.cancel_button.click()
    assert asked == []
    assert panel.model.rowCount() == 1
    assert panel.status.text() == "Import cancelled; the lot table is unchanged."
