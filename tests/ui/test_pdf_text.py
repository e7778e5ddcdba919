"""``janus_gui.pdf_text`` reads Qt's PDFs as pypdf does: page sizes and text, page by page.

The bundle's self-test relies on it (pypdf is a test tool, not in the bundle), so it is checked
here against pypdf on records written both ways the app writes them: ``QPdfWriter`` (PDF export)
and ``QPrinter`` (File ▸ Print to a PDF file).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrinter

from janus_gui.pdf_text import PdfReadError, read_pdf
from janus_gui.ui import printed
from tests.helpers.pdf_check import A4_POINTS, LETTER_POINTS, same_size
from tests.helpers.pdf_check import read_pdf as read_with_pypdf

# A body long enough for three pages, with words outside ASCII (an en dash, curly quotes, ≤).
LINES = [f"Line {n:03d} – “lot L{n:03d}” held ≤ 60 days: $1,{n:03d}.50" for n in range(1, 181)]
RECORD = printed.PagedRecord(
    title="Test record",
    header="Header of the test record",
    footer_lines=("Footer line one", "Footer line two"),
    body_html="<html><body>" + "".join(f"<p>{line}</p>" for line in LINES) + "</body></html>",
)


def _printed_to_file(path: Path) -> Path:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setPageSize(printed.PaperSize.A4.page_size())
    printed.render(RECORD, printer)
    del printer
    return path


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.usefixtures("qapp")
def test_a_pdf_export_reads_as_pypdf_reads_it(tmp_path: Path) -> None:
    path = printed.write_pdf(tmp_path / "record.pdf", RECORD, printed.PaperSize.LETTER)
    ours, theirs = read_pdf(path.read_bytes()), read_with_pypdf(path)
    assert len(ours.page_sizes) == len(theirs.sizes) >= 3
    assert all(same_size(size, LETTER_POINTS) for size in ours.page_sizes)
    assert [_words(t) for t in ours.page_texts] == theirs.pages
    for line in LINES:
        assert line in ours.text
    assert "Page 3 of" in ours.page_texts[2]


@pytest.mark.usefixtures("qapp")
def test_a_record_printed_to_a_pdf_file_reads_as_pypdf_reads_it(tmp_path: Path) -> None:
    path = _printed_to_file(tmp_path / "printed.pdf")
    ours, theirs = read_pdf(path.read_bytes()), read_with_pypdf(path)
    assert all(same_size(size, A4_POINTS) for size in ours.page_sizes)
    assert [_words(t) for t in ours.page_texts] == theirs.pages
    assert "Footer line two" in ours.page_texts[-1]


def test_not_a_pdf_is_refused() -> None:
    with pytest.raises(PdfReadError, match="not a PDF"):
        read_pdf(b"<html>not a pdf</html>")


def test_a_pdf_without_pages_is_refused() -> None:
    with pytest.raises(PdfReadError, match="no pages"):
        read_pdf(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n")
