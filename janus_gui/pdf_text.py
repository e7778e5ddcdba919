"""Page sizes and text of a PDF written by Qt (``QPdfWriter`` or ``QPrinter``), with the stdlib.

The self-test checks the PDFs the packaged app writes, and the bundle has no PDF library: this
reads exactly what Qt's PDF engine produces. Qt writes each page's content as one Flate-compressed
stream, its fonts as Type0/Identity-H with a ``/ToUnicode`` CMap, and every glyph as a two-byte
hex string (``<0012> Tj``), grouped in ``BT``...``ET`` blocks, one block per run of text. The
text of a page is the decoded glyphs of each block, blocks separated by a space. Other producers
(literal strings, other encodings, object streams) are outside its scope.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

_OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)\s*endobj", re.DOTALL)
_STREAM = re.compile(rb"^(<<.*?>>)\s*stream\r?\n(.*?)\r?\nendstream$", re.DOTALL)
_MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]")
_CONTENTS = re.compile(rb"/Contents\s+(\d+) 0 R")
_RESOURCES = re.compile(rb"/Resources\s+(\d+) 0 R")
_FONT_DICT = re.compile(rb"/Font\s*<<(.*?)>>", re.DOTALL)
_FONT_ENTRY = re.compile(rb"/(\w+)\s+(\d+) 0 R")
_TO_UNICODE = re.compile(rb"/ToUnicode\s+(\d+) 0 R")
_HEX = rb"<([0-9A-Fa-f]*)>"
_BF_CHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.DOTALL)
_BF_RANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.DOTALL)
_RANGE_LINE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])")
# Content-stream tokens that matter for text: font selection, shown strings, block ends.
_TOKEN = re.compile(rb"/(\w+)\s+[-\d.]+\s+Tf|" + _HEX + rb"\s*Tj|\[([^\]]*)\]\s*TJ|\bET\b")


class PdfReadError(ValueError):
    """The bytes are not a PDF this reader understands."""


@dataclass(frozen=True, slots=True)
class PdfFacts:
    """What a check needs: each page's size in points and its text."""

    page_sizes: tuple[tuple[float, float], ...]
    page_texts: tuple[str, ...]

    @property
    def text(self) -> str:
        """The text of every page, pages separated by a newline."""
        return "\n".join(self.page_texts)


def read_pdf(data: bytes) -> PdfFacts:
    """Page sizes (width, height in points) and text of a PDF written by Qt."""
    if not data.startswith(b"%PDF-"):
        raise PdfReadError("not a PDF file (no %PDF- header)")
    objects = {int(m.group(1)): m.group(2) for m in _OBJECT.finditer(data)}
    pages = [body for _, body in sorted(objects.items()) if re.search(rb"/Type\s*/Page\b", body)]
    if not pages:
        raise PdfReadError("the PDF has no pages")
    sizes, texts = [], []
    for page in pages:
        box = _MEDIA_BOX.search(page)
        if box is None:
            raise PdfReadError("a page has no /MediaBox")
        x0, y0, x1, y1 = (float(v) for v in box.groups())
        sizes.append((x1 - x0, y1 - y0))
        texts.append(_page_text(page, objects))
    return PdfFacts(tuple(sizes), tuple(texts))


def _stream(body: bytes) -> bytes:
    match = _STREAM.match(body)
    if match is None:
        raise PdfReadError("expected a stream object")
    header, raw = match.groups()
    if b"/FlateDecode" in header:
        return zlib.decompressobj().decompress(raw)
    return raw


def _referenced(pattern: re.Pattern[bytes], body: bytes, objects: dict[int, bytes]) -> bytes:
    match = pattern.search(body)
    if match is None or int(match.group(1)) not in objects:
        raise PdfReadError(f"missing reference {pattern.pattern!r}")
    return objects[int(match.group(1))]


def _page_text(page: bytes, objects: dict[int, bytes]) -> str:
    content = _stream(_referenced(_CONTENTS, page, objects))
    resources = _referenced(_RESOURCES, page, objects)
    fonts = _fonts(resources, objects)
    blocks: list[str] = []
    current: list[str] = []
    cmap: dict[int, str] = {}
    for match in _TOKEN.finditer(content):
        font, hex_string, array = match.groups()
        if font is not None:
            cmap = fonts.get(font.decode("ascii"), {})
        elif hex_string is not None:
            current.append(_decode(hex_string, cmap))
        elif array is not None:
            current.extend(_decode(h, cmap) for h in re.findall(_HEX, array))
        elif current:  # ET: the block is one run of text
            blocks.append("".join(current))
            current = []
    return " ".join(" ".join(blocks).split())


def _fonts(resources: bytes, objects: dict[int, bytes]) -> dict[str, dict[int, str]]:
    """Resource name (``F11``) -> glyph code -> text, from each font's ToUnicode CMap."""
    font_dict = _FONT_DICT.search(resources)
    if font_dict is None:
        return {}
    fonts = {}
    for name, number in _FONT_ENTRY.findall(font_dict.group(1)):
        font = objects.get(int(number), b"")
        if _TO_UNICODE.search(font):
            fonts[name.decode("ascii")] = _cmap(_stream(_referenced(_TO_UNICODE, font, objects)))
    return fonts


def _cmap(text: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for section in _BF_CHAR.findall(text):
        codes = re.findall(_HEX, section)
        for code, target in zip(codes[::2], codes[1::2], strict=False):
            mapping[int(code, 16)] = _utf16(target)
    for section in _BF_RANGE.findall(text):
        for low, high, target in _RANGE_LINE.findall(section):
            first, last = int(low, 16), int(high, 16)
            if target.startswith(b"["):
                for offset, item in enumerate(re.findall(_HEX, target)):
                    mapping[first + offset] = _utf16(item)
            else:
                start = int(target[1:-1], 16)
                for offset in range(last - first + 1):
                    mapping[first + offset] = chr(start + offset)
    return mapping


def _utf16(hex_text: bytes) -> str:
    return bytes.fromhex(hex_text.decode("ascii")).decode("utf-16-be", errors="replace")


def _decode(hex_string: bytes, cmap: dict[int, str]) -> str:
    """Two-byte glyph codes (Identity-H) to text; an unmapped glyph becomes U+FFFD."""
    raw = bytes.fromhex(hex_string.decode("ascii"))
    codes = (int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw) - 1, 2))
    return "".join(cmap.get(code, "\ufffd") for code in codes)
