"""A printed record (the fee record, a class rule sheet) written as PDF on a worker: progress,
an immediate cancel, the file whole or not at all; the window keeps painting meanwhile.

The record is rendered in a child process (``ui.pdf_process``), so Cancel ends the rendering at
once; the file is written only once rendering has ended, through ``core.safe_write``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, Signal

from janus_gui.core import safe_write
from janus_gui.ui.background import CancelledFn, ProgressFn, Task, TaskRunner
from janus_gui.ui.pdf_process import render_pdf_bytes
from janus_gui.ui.printed import PagedRecord, PaperSize


def write_record_pdf(
    target: Path,
    record: Callable[[], PagedRecord],
    paper: PaperSize,
    progress: ProgressFn,
    cancelled: CancelledFn,
) -> Path | None:
    """Runs on a worker: build and render the record, then write it whole; ``None`` when
    cancelled, and then nothing is written."""
    data = render_pdf_bytes(record(), paper, progress, cancelled)
    if data is None or cancelled():
        return None
    return safe_write.write_bytes(target, data)


class RecordExport(QObject):
    """One PDF export at a time (see the module docstring); it reports through signals.

    ``what`` names the record in status messages ("the fee record").
    """

    started = Signal(str)  # what runs, for the status line
    progress = Signal(int, int)  # pages done, pages in all
    ended = Signal()  # the export is over, however it ended (the progress bar may go)
    status = Signal(str, bool)  # a message for the status line, and whether it is an error
    exported = Signal(str)  # the PDF written
    failed = Signal(str)  # why no PDF was written
    cancelled = Signal()

    def __init__(self, parent: QObject | None = None, *, what: str = "the record") -> None:
        super().__init__(parent)
        self._what = what
        self._runner = TaskRunner(self)
        self._task: Task | None = None

    def running(self) -> bool:
        """True while an export runs."""
        return self._task is not None

    def start(self, target: Path, record: Callable[[], PagedRecord], paper: PaperSize) -> bool:
        """Start writing ``record()`` (built on the worker) to ``target``; False when an export
        already runs. ``exported``, ``failed`` or ``cancelled`` follows."""
        if self._task is not None:
            self.status.emit("A PDF export is already running.", True)
            return False
        self.started.emit(f"Writing {self._what} to {target.name}…")
        task = self._runner.start(
            lambda progress, cancelled: write_record_pdf(
                target, record, paper, progress, cancelled
            ),
            lambda written: self._on_done(task, target, written),
            lambda message: self._on_failed(task, target, message),
            lambda done, total: self._on_progress(task, done, total),
            heavy=True,
        )
        self._task = task
        return True

    def cancel(self) -> None:
        """Stop the running export at once: the rendering process ends, nothing is written."""
        task = self._task
        if task is None:
            return
        task.cancel()
        self._end()
        self.status.emit("PDF export cancelled; no file was written.", False)
        self.cancelled.emit()

    def wait(self, start: Callable[[], bool]) -> bool:
        """Run ``start()`` and the event loop (the window keeps painting) until the export it
        started ends; True when the file was written."""
        ended: list[bool] = []
        loop = QEventLoop(self)

        def done(ok: bool) -> None:
            ended.append(ok)
            loop.quit()

        signals = (
            (self.exported, lambda _path: done(True)),
            (self.failed, lambda _message: done(False)),
            (self.cancelled, lambda: done(False)),
        )
        for signal, slot in signals:
            signal.connect(slot)
        try:
            if not start():
                return False
            if not ended:
                loop.exec()
        finally:
            for signal, slot in signals:
                signal.disconnect(slot)
        return ended[0]

    def _end(self) -> None:
        self._task = None
        self.ended.emit()

    def _on_progress(self, task: Task, done: int, total: int) -> None:
        if task is self._task:
            self.progress.emit(done, total)

    def _on_done(self, task: Task, target: Path, written: Path | None) -> None:
        if task is not self._task:  # cancelled: the user was told already
            if written is not None:
                self.status.emit(f"{target.name} was written before the cancel took effect.", True)
            return
        self._end()
        if written is None:
            self.status.emit("PDF export cancelled; no file was written.", False)
            self.cancelled.emit()
            return
        self.status.emit(f"Wrote {self._what} to {target.name}.", False)
        self.exported.emit(str(written))

    def _on_failed(self, task: Task, target: Path, message: str) -> None:
        if task is not self._task:
            return
        self._end()
        self.status.emit(f"Could not write {target.name}: {message}", True)
        self.failed.emit(message)
