"""Paged records (the redemption-fee record) rendered to a PDF file or a printer, one way.

A ``PagedRecord`` is HTML for the body plus the lines repeated on every page: a header naming
what the record is about, and a footer with the app version, the database content hash, the
generation time and "Page n of m". ``render`` lays the body out with the output device as the
text layout's paint device, so font point sizes and the page size are measured in the same
units (the device's resolution); page n is then painted by translating and clipping the laid-out
document, with the header and footer drawn around it.

PDF files are rendered into memory (``QBuffer``) and written by ``core.safe_write``, so a reader
sees the old file or the whole new one. The page size is a choice: Letter or A4, defaulting from the
locale (Letter in the United States and Canada).

A long record reports progress and can be stopped: ``render`` and ``pdf_bytes`` take
``progress(done, total)`` and ``cancelled()`` callables, check them before and after laying out
the body and between pages, and raise ``RenderCancelledError``. Laying out is one Qt call (about
half the time of a 10,000-lot record); appending the body in parts to report on it was measured
2.4 times slower overall, so it is not done. Nothing here touches a widget; the window renders
its PDFs in a child process (``ui.pdf_process``), since Qt's layout keeps the interpreter lock.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLocale, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from janus_gui import APP_NAME, __version__
from janus_gui.core.safe_write import write_bytes as atomic_write_bytes

logger = logging.getLogger(__name__)

BODY_POINTS = 9.5
MARGIN_LINE_POINTS = 8.5  # header and footer: the smallest text on the page
MARGINS_MM = QMarginsF(18, 14, 18, 14)
PDF_RESOLUTION = 1200  # device units per inch; layout and painting both use it
BAND_GAP_POINTS = 8.0  # between the header or footer and the body


class PaperSize(StrEnum):
    """The page sizes offered when saving or printing."""

    LETTER = "Letter"
    A4 = "A4"

    def page_size(self) -> QPageSize:
        """The Qt page size."""
        size_id = (
            QPageSize.PageSizeId.Letter if self is PaperSize.LETTER else (QPageSize.PageSizeId.A4)
        )
        return QPageSize(size_id)


LETTER_TERRITORIES = {QLocale.Country.UnitedStates, QLocale.Country.Canada}


def default_paper(locale: QLocale | None = None) -> PaperSize:
    """Letter in the United States and Canada, A4 elsewhere."""
    territory = (locale or QLocale()).territory()
    return PaperSize.LETTER if territory in LETTER_TERRITORIES else PaperSize.A4


ProgressFn = Callable[[int, int], None]
CancelledFn = Callable[[], bool]
PROGRESS_SCALE = 1000  # progress is (done, PROGRESS_SCALE): half for laying out, half for pages


class RenderCancelledError(Exception):
    """Rendering stopped because ``cancelled()`` said so; nothing was written."""


@dataclass(frozen=True, slots=True)
class PagedRecord:
    """What a printed record holds: a title, a body, and the lines repeated on every page."""

    title: str
    header: str
    footer_lines: tuple[str, ...]
    body_html: str


def _never() -> bool:
    return False


def _ignore(_done: int, _total: int) -> None:
    return None


def _font(points: float, *, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSizeF(points)
    font.setBold(bold)
    # No ligatures: "ff" in a hash or a lot id must stay two letters when copied or searched.
    for tag in ("liga", "clig", "dlig"):
        font.setFeature(QFont.Tag(tag), 0)
    return font


def _points(device: QPagedPaintDevice, points: float) -> float:
    """``points`` in the device's units (the device's resolution may be anything)."""
    return points * device.logicalDpiY() / 72.0


def layout_body(
    record: PagedRecord,
    device: QPagedPaintDevice,
    progress: ProgressFn = _ignore,
    cancelled: CancelledFn = _never,
) -> tuple[QTextDocument, QRectF]:
    """The body laid out for ``device``; the rectangle each page gives it (device units)."""
    # A painter on a paged device starts at the top-left of the printable area (margins
    # already applied), so the body rectangle is relative to it.
    paint = QRectF(device.pageLayout().paintRectPixels(device.logicalDpiX()))
    header_band = _band_height(device, 1)
    footer_band = _band_height(device, len(record.footer_lines))
    body = QRectF(0, header_band, paint.width(), paint.height() - header_band - footer_band)
    document = QTextDocument()
    document.documentLayout().setPaintDevice(device)
    document.setDefaultFont(_font(BODY_POINTS))
    document.setDocumentMargin(0)
    document.setHtml(record.body_html)
    document.setPageSize(QSizeF(body.width(), body.height()))
    if cancelled():
        raise RenderCancelledError
    document.pageCount()  # lays the whole body out: the long step
    progress(PROGRESS_SCALE // 2, PROGRESS_SCALE)
    return document, body


def _band_height(device: QPagedPaintDevice, lines: int) -> float:
    metrics = QFontMetricsF(_font(MARGIN_LINE_POINTS), device)
    return lines * metrics.lineSpacing() + _points(device, BAND_GAP_POINTS)


def render(
    record: PagedRecord,
    device: QPagedPaintDevice,
    progress: ProgressFn = _ignore,
    cancelled: CancelledFn = _never,
) -> int:
    """Paint every page of ``record`` on ``device`` (a PDF writer or a printer); the page count.

    ``RenderCancelledError`` when ``cancelled()`` turns true (checked after laying out and
    between pages).
    """
    document, body = layout_body(record, device, progress, cancelled)
    pages = max(1, document.pageCount())
    painter = QPainter()
    if not painter.begin(device):
        raise OSError("the output device could not be opened")
    try:
        for page in range(pages):
            if cancelled():
                raise RenderCancelledError
            progress(PROGRESS_SCALE // 2 + PROGRESS_SCALE * page // (2 * pages), PROGRESS_SCALE)
            if page:
                device.newPage()
            _paint_margins(painter, device, record, body, page + 1, pages)
            painter.save()
            painter.translate(body.left(), body.top() - page * body.height())
            document.drawContents(
                painter, QRectF(0, page * body.height(), body.width(), body.height())
            )
            painter.restore()
    finally:
        painter.end()
    return pages


def _paint_margins(
    painter: QPainter,
    device: QPagedPaintDevice,
    record: PagedRecord,
    body: QRectF,
    page: int,
    pages: int,
) -> None:
    font = _font(MARGIN_LINE_POINTS)
    painter.setFont(font)
    painter.setPen(QColor("#333333"))
    metrics = QFontMetricsF(font, device)
    line = metrics.lineSpacing()
    left, width = body.left(), body.width()
    top = body.top() - _band_height(device, 1)
    header = QRectF(left, top, width, line)
    painter.drawText(
        header,
        Qt.AlignmentFlag.AlignLeft,
        metrics.elidedText(record.header, Qt.TextElideMode.ElideRight, width * 0.8),
    )
    painter.drawText(header, Qt.AlignmentFlag.AlignRight, f"Page {page} of {pages}")
    rule_y = body.top() - _points(device, BAND_GAP_POINTS) / 2
    painter.drawLine(int(left), int(rule_y), int(left + width), int(rule_y))
    y = body.bottom() + _points(device, BAND_GAP_POINTS) / 2
    painter.drawLine(int(left), int(y), int(left + width), int(y))
    y += _points(device, BAND_GAP_POINTS) / 2
    for text in record.footer_lines:
        painter.drawText(QRectF(left, y, width, line), Qt.AlignmentFlag.AlignLeft, text)
        y += line


def pdf_bytes(
    record: PagedRecord,
    paper: PaperSize,
    progress: ProgressFn = _ignore,
    cancelled: CancelledFn = _never,
) -> bytes:
    """The record as a PDF document, in memory (``RenderCancelledError`` if stopped)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_RESOLUTION)
    writer.setTitle(record.title)
    writer.setCreator(f"{APP_NAME} {__version__}")
    writer.setPageLayout(
        QPageLayout(
            paper.page_size(),
            QPageLayout.Orientation.Portrait,
            MARGINS_MM,
            QPageLayout.Unit.Millimeter,
        )
    )
    try:
        render(record, writer, progress, cancelled)
    finally:
        del writer  # finishes the document
        buffer.close()
    progress(PROGRESS_SCALE, PROGRESS_SCALE)
    return bytes(data.data())


def write_pdf(
    path: Path | str,
    record: PagedRecord,
    paper: PaperSize | None = None,
    progress: ProgressFn = _ignore,
    cancelled: CancelledFn = _never,
) -> Path:
    """Write the record to ``path`` as PDF (atomically); ``paper`` defaults from the locale.

    The whole document is rendered before the file is touched, so a cancelled or failed
    render leaves no file, and an existing file unchanged.
    """
    data = pdf_bytes(record, paper or default_paper(), progress, cancelled)
    if cancelled():
        raise RenderCancelledError
    return atomic_write_bytes(path, data)


def ensure_gui_application() -> None:
    """Text layout needs a ``QGuiApplication``; the command line has none, and no display.

    The offscreen platform is chosen unless one was set, so no window system is needed.
    """
    import os

    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        ensure_gui_application.app = QGuiApplication([APP_NAME])  # type: ignore[attr-defined]


# -- HTML pieces shared by the records ------------------------------------------------------------
TABLE_CHUNK_ROWS = 100  # Qt lays out one long table in quadratic time; short ones stack fast


def table_parts(
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    numeric: set[int] = frozenset(),
    widths: Sequence[int] = (),
) -> list[str]:
    """An HTML table as consecutive tables of ``TABLE_CHUNK_ROWS`` rows with the same header,
    one body part each (cells are escaped here); ``widths`` in percent, per column."""
    head = "".join(
        f"<th align='{'right' if i in numeric else 'left'}'"
        + (f" width='{widths[i]}%'" if i < len(widths) else "")
        + f">{html.escape(h)}</th>"
        for i, h in enumerate(header)
    )
    opening = (
        "<table border='1' cellspacing='0' cellpadding='2' width='100%' "
        "style='border-collapse:collapse; border-color:#999999; border-style:solid'>"
        f"<thead><tr style='background-color:#eeeeee'>{head}</tr></thead>"
    )
    parts: list[str] = []
    body: list[str] = []
    for row in rows:
        body.append(
            "<tr>"
            + "".join(
                f"<td align='{'right' if i in numeric else 'left'}'>{html.escape(c)}</td>"
                for i, c in enumerate(row)
            )
            + "</tr>"
        )
        if len(body) == TABLE_CHUNK_ROWS:
            parts.append(opening + "".join(body) + "</table>")
            body = []
    if body or not parts:
        parts.append(opening + "".join(body) + "</table>")
    return parts


def catalog_facts(meta: Mapping[str, str]) -> list[tuple[str, str]]:
    """The app version and the catalog's identity, labelled, for the end of every record."""
    facts = [("App version", f"{APP_NAME} {__version__}")]
    for key, label in (
        ("content_sha256", "Database content SHA-256"),
        ("schema_version", "Database schema"),
        ("built_at", "Database built"),
        ("documented_from", "Documented from"),
        ("documented_to", "Documented to"),
    ):
        if meta.get(key):
            facts.append((label, str(meta[key])))
    return facts


def pairs_table(pairs: Iterable[tuple[str, str]]) -> str:
    """Labelled values as a borderless two-column table (escaped here)."""
    rows = "".join(
        f"<tr><td width='40%'><b>{html.escape(k)}</b></td><td>{html.escape(v)}</td></tr>"
        for k, v in pairs
    )
    return f"<table cellspacing='0' cellpadding='2' width='100%'>{rows}</table>"
