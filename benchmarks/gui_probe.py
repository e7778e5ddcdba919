"""Child-process probes of the window, run by ``benchmarks/run.py``; each prints one JSON line.

``python -m benchmarks.gui_probe idle``
    Starts the app exactly as ``python -m janus_gui`` does (``janus_gui.app.main``), lets the
    event loop idle for a second after the main window's first paint, then prints its resident
    memory (``VmRSS`` from ``/proc/self/status``).

``python -m benchmarks.gui_probe import LOTS.csv``
    Opens the main window, presets the redemption-fee workspace (Overseas Service II, redeem
    everything on 2012-04-20 at NAV 10.00), imports the lot file through the workspace's own
    worker, and reports the time to the imported table, the time to the recomputed result, and
    the longest gap between ticks of a 10 ms timer (the longest event-loop stall) meanwhile.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QEventLoop, QObject, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

IDLE_AFTER_PAINT_MS = 1_000
WAIT_LIMIT_MS = 600_000


def vm_kib(field: str) -> int:
    """A ``Vm*`` line of ``/proc/self/status`` in KiB (``VmRSS``, ``VmHWM``)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


class PaintWatcher(QObject):
    """Counts paint events of main windows (installed on the application)."""

    def __init__(self) -> None:
        super().__init__()
        self.first_paint_at: float | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            self.first_paint_at is None
            and event.type() == QEvent.Type.Paint
            and isinstance(watched, QMainWindow)
        ):
            self.first_paint_at = time.perf_counter()
        return False


class GapMeter(QObject):
    """A 10 ms timer that records the longest time between two of its ticks."""

    def __init__(self) -> None:
        super().__init__()
        self.timer = QTimer(self)
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._on_timer_timeout)
        self.last = 0.0
        self.longest = 0.0
        self.ticks = 0
        self.phase = ""  # what the app is doing, so the longest stall can be placed
        self.longest_phase = ""
        self.stalls_over_100ms = 0

    def start(self) -> None:
        self.last = time.perf_counter()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self._record(time.perf_counter() - self.last)

    def _record(self, gap: float) -> None:
        if gap > self.longest:
            self.longest, self.longest_phase = gap, self.phase
        self.stalls_over_100ms += gap > 0.100

    def _on_timer_timeout(self) -> None:
        now = time.perf_counter()
        self._record(now - self.last)
        self.last = now
        self.ticks += 1


def idle() -> int:
    """Run the real app; report memory once it has painted and idled."""
    from janus_gui import app as janus_app

    qapp = QApplication(sys.argv[:1])
    watcher = PaintWatcher()
    qapp.installEventFilter(watcher)
    report: dict[str, object] = {}

    def check() -> None:
        if watcher.first_paint_at is None:
            QTimer.singleShot(100, check)
            return
        idle_ms = (time.perf_counter() - watcher.first_paint_at) * 1000
        if idle_ms < IDLE_AFTER_PAINT_MS:
            QTimer.singleShot(int(IDLE_AFTER_PAINT_MS - idle_ms) + 1, check)
            return
        report.update(rss_kib=vm_kib("VmRSS"), hwm_kib=vm_kib("VmHWM"))
        qapp.quit()

    QTimer.singleShot(0, check)
    code = janus_app.main([])
    print(json.dumps(report))
    return 0 if code == 0 and report else 1


def _wait_for(signal: object, what: str) -> tuple[object, ...]:
    """Run the event loop until ``signal`` fires; its arguments."""
    loop = QEventLoop()
    received: list[tuple[object, ...]] = []

    def on_signal(*args: object) -> None:
        received.append(args)
        loop.quit()

    signal.connect(on_signal)  # type: ignore[attr-defined]
    QTimer.singleShot(WAIT_LIMIT_MS, loop.quit)
    loop.exec()
    signal.disconnect(on_signal)  # type: ignore[attr-defined]
    if not received:
        raise RuntimeError(f"timed out waiting for {what}")
    return received[0]


def import_lots(path: str) -> int:
    """Import a lot file through the main window's workspace; report times and the worst stall."""
    import datetime as dt

    from janus_gui import paths
    from janus_gui.core.models import ShareClass
    from janus_gui.core.repository import Repository
    from janus_gui.core.workspace_file import RedeemMode
    from janus_gui.ui.main_window import MainWindow
    from janus_gui.ui.settings import AppSettings
    from janus_gui.ui.workspace.dialogs import ImportPreviewDialog

    qapp = QApplication(sys.argv[:1])
    ImportPreviewDialog.ask = classmethod(lambda *_args: True)  # accept the preview unseen
    repo = Repository.open(paths.database_path())
    window = MainWindow(repo, AppSettings())
    window.show()
    portfolio_id = repo.resolve_portfolio("Overseas").portfolio_id
    window.open_workspace(portfolio_id, ShareClass.SERVICE_II, dt.date(2012, 4, 20))
    panel = window.workspace
    panel.inputs.set_values(None, None, None, mode=RedeemMode.ALL, nav="10.00")
    _wait_for(panel.computation_failed, "the empty table's first computation")
    meter = GapMeter()
    meter.start()
    start = time.perf_counter()
    meter.phase = "reading the file"
    panel.import_lots_file(path)
    (rows,) = _wait_for(panel.import_finished, "the import")
    imported_s = time.perf_counter() - start
    meter.phase = "computing the result"
    (outcome,) = _wait_for(panel.result_computed, "the result")
    result_s = time.perf_counter() - start
    meter.stop()
    report = {
        "rows": rows,
        "import_s": imported_s,
        "to_result_s": result_s,
        "max_stall_ms": meter.longest * 1000,
        "max_stall_phase": meter.longest_phase,
        "stalls_over_100ms": meter.stalls_over_100ms,
        "ticks": meter.ticks,
        "total_fee": str(outcome.result.total_fee),  # type: ignore[attr-defined]
    }
    print(json.dumps(report), flush=True)
    # Closing would ask whether to save the (changed) workspace in a modal dialog; the figures
    # are out, so let running workers finish and leave without the window's shutdown path.
    panel.shutdown()
    QThreadPool.globalInstance().waitForDone(10_000)
    qapp.processEvents()
    os._exit(0)


def main(argv: list[str]) -> int:
    """Dispatch ``idle`` or ``import FILE``."""
    if argv[:1] == ["idle"]:
        return idle()
    if argv[:1] == ["import"] and len(argv) == 2:
        return import_lots(argv[1])
    print("usage: python -m benchmarks.gui_probe idle | import LOTS.csv", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
