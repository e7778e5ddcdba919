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
"""

from __future__ import annotations

import logging
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
        size_id = QPageSize.PageSizeId.Letter if self is PaperSize.LETTER else (
            QPageSize.PageSizeId.A4
        )
        return QPageSize(size_id)


LETTER_TERRITORIES = {QLocale.Country.UnitedStates, QLocale.Country.Canada}


def default_paper(locale: QLocale | None = None) -> PaperSize:
    """Letter in the United States and Canada, A4 elsewhere."""
    territory = (locale or QLocale()).territory()
    return PaperSize.LETTER if territory in LETTER_TERRITORIES else PaperSize.A4


@dataclass(frozen=True, slots=True)
class PagedRecord:
    """What a printed record holds: a title, a body, and the lines repeated on every page."""

    title: str
    header: str
    footer_lines: tuple[str, ...]
    body_html: str


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


def layout_body(record: PagedRecord, device: QPagedPaintDevice) -> tuple[QTextDocument, QRectF]:
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
    return document, body


def _band_height(device: QPagedPaintDevice, lines: int) -> float:
    metrics = QFontMetricsF(_font(MARGIN_LINE_POINTS), device)
    return lines * metrics.lineSpacing() + _points(device, BAND_GAP_POINTS)


def render(record: PagedRecord, device: QPagedPaintDevice) -> int:
    """Paint every page of ``record`` on ``device`` (a PDF writer or a printer); the page count."""
    document, body = layout_body(record, device)
    pages = max(1, document.pageCount())
    painter = QPainter()
    if not painter.begin(device):
        raise OSError("the output device could not be opened")
    try:
        for page in range(pages):
            if page:
                device.newPage()
            _paint_margins(painter, device, record, body, page + 1, pages)
            painter.save()
            painter.translate(body.left(), body.top() - page * body.height())
            document.drawContents(painter, QRectF(0, page * body.height(), body.width(),
                                                  body.height()))
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
    painter.drawText(header, Qt.AlignmentFlag.AlignLeft, metrics.elidedText(
        record.header, Qt.TextElideMode.ElideRight, width * 0.8))
    painter.drawText(header, Qt.AlignmentFlag.AlignRight, f"Page {page} of {pages}")
    rule_y = body.top() - _points(device, BAND_GAP_POINTS) / 2
    painter.drawLine(int(left), int(rule_y), int(left + width), int(rule_y))
    y = body.bottom() + _points(device, BAND_GAP_POINTS) / 2
    painter.drawLine(int(left), int(y), int(left + width), int(y))
    y += _points(device, BAND_GAP_POINTS) / 2
    for text in record.footer_lines:
        painter.drawText(QRectF(left, y, width, line), Qt.AlignmentFlag.AlignLeft, text)
        y += line


def pdf_bytes(record: PagedRecord, paper: PaperSize) -> bytes:
    """The record as a PDF document, in memory."""
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
    render(record, writer)
    del writer  # finishes the document
    buffer.close()
    return bytes(data.data())


def write_pdf(path: Path | str, record: PagedRecord, paper: PaperSize | None = None) -> Path:
    """Write the record to ``path`` as PDF (atomically); ``paper`` defaults from the locale."""
    return atomic_write_bytes(path, pdf_bytes(record, paper or default_paper()))


def ensure_gui_application() -> None:
    """Text layout needs a ``QGuiApplication``; the command line has none, and no display.

    The offscreen platform is chosen unless one was set, so no window system is needed.
    """
    import os

    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        ensure_gui_application.app = QGuiApplication([APP_NAME])  # type: ignore[attr-defined]
