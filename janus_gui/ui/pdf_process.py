"""A record rendered to PDF in a child process, so the window's interpreter stays free.

PySide6 keeps the interpreter lock through ``QTextDocument`` layout: laying out a 3,000-row table
on a worker thread held the GUI thread for 0.56 s, and a 1,500-lot fee record for 2.7 s. A thread
alone therefore cannot keep the window responsive. A spawned process has its own interpreter;
the calling thread only waits on a pipe, and Cancel ends the process at once. The child sends
progress as it goes and the finished document as bytes; the caller writes them (through the
safe-write routine), so a cancelled or failed render never leaves a file.

A frozen app starts the child through ``multiprocessing.freeze_support`` in ``__main__``.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from multiprocessing.connection import Connection

from janus_gui.core.errors import JanusError
from janus_gui.ui.printed import CancelledFn, PagedRecord, PaperSize, ProgressFn

logger = logging.getLogger(__name__)

POLL_S = 0.05  # how often the waiting thread looks at Cancel
STOP_WAIT_S = 5.0


class PdfRenderError(JanusError):
    """The child process could not render the record."""


def _render_in_child(conn: Connection, fields: tuple, paper: str) -> None:
    """Runs in the child: render, sending ``("progress", done, total)`` then the result."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no window system needed, whatever the parent has
    from janus_gui.ui import printed

    try:
        printed.ensure_gui_application()
        record = PagedRecord(*fields)

        def progress(done: int, total: int) -> None:
            conn.send(("progress", done, total))

        conn.send(("done", printed.pdf_bytes(record, PaperSize(paper), progress)))
    except Exception as exc:  # reported to the window as a message, never a traceback
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def render_pdf_bytes(
    record: PagedRecord, paper: PaperSize, progress: ProgressFn, cancelled: CancelledFn
) -> bytes | None:
    """The record as PDF bytes, rendered in a child process; ``None`` when cancelled."""
    context = multiprocessing.get_context("spawn")  # never fork a process running Qt
    receiver, sender = context.Pipe(duplex=False)
    fields = (record.title, record.header, record.footer_lines, record.body_html)
    child = context.Process(
        target=_render_in_child, args=(sender, fields, paper.value), daemon=True
    )
    child.start()
    sender.close()  # the child holds the only sending end: its exit ends the pipe
    try:
        while not cancelled():
            if not receiver.poll(POLL_S):
                continue
            try:
                message = receiver.recv()
            except EOFError:
                child.join(STOP_WAIT_S)
                raise PdfRenderError(
                    f"the PDF renderer stopped unexpectedly (exit code {child.exitcode})"
                ) from None
            if message[0] == "progress":
                progress(message[1], message[2])
            elif message[0] == "done":
                return bytes(message[1])
            else:
                raise PdfRenderError(f"the PDF could not be rendered: {message[1]}")
        return None
    finally:
        if child.is_alive():
            child.terminate()
        child.join(STOP_WAIT_S)
        receiver.close()
