"""Render the application icon from its SVG into PNGs, a Windows .ico and a macOS .icns.

Usage: ``python scripts/make_icons.py`` (from anywhere; paths are relative to the repository).

Qt (QSvgRenderer, QImage) draws the pixels; the ICO and ICNS containers are written with
``struct`` because both are simple formats that may hold PNG images as they are.
"""

from __future__ import annotations

import os
import struct
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICON_DIR = ROOT / "resources" / "icons"
SVG_PATH = ICON_DIR / "janus-gui.svg"
ICON_NAME = "janus-gui"

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types that hold PNG data, by pixel size (the @2x types reuse larger renders).
ICNS_TYPES: tuple[tuple[str, int], ...] = (
    ("icp4", 16),
    ("icp5", 32),
    ("icp6", 64),
    ("ic07", 128),
    ("ic08", 256),
    ("ic09", 512),
    ("ic11", 32),
    ("ic12", 64),
    ("ic13", 256),
    ("ic14", 512),
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    if not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    return struct.unpack(">II", data[16:24])


def build_ico(pngs: Iterable[bytes]) -> bytes:
    """An ICO file holding each PNG as it is (PNG entries are valid since Windows Vista)."""
    images = list(pngs)
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, payload = [], []
    for data in images:
        width, height = png_size(data)
        if width > 256 or height > 256:
            raise ValueError(f"ICO images are at most 256 px, got {width}x{height}")
        # A stored 0 means 256 px.
        entries.append(
            struct.pack("<BBBBHHII", width % 256, height % 256, 0, 0, 1, 32, len(data), offset)
        )
        payload.append(data)
        offset += len(data)
    return header + b"".join(entries) + b"".join(payload)


def read_ico(data: bytes) -> list[tuple[int, int, bytes]]:
    """(width, height, image bytes) of each ICO entry; the inverse of ``build_ico``."""
    reserved, kind, count = struct.unpack_from("<HHH", data, 0)
    if reserved != 0 or kind != 1:
        raise ValueError("not an ICO file")
    images = []
    for index in range(count):
        width, height, _, _, _, _, size, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * index
        )
        images.append((width or 256, height or 256, data[offset : offset + size]))
    return images


def build_icns(elements: Iterable[tuple[str, bytes]]) -> bytes:
    """An ICNS file: ``icns`` + total length, then (type, length incl. 8-byte header, data)."""
    body = b""
    for kind, data in elements:
        code = kind.encode("ascii")
        if len(code) != 4:
            raise ValueError(f"ICNS element types are four characters, got {kind!r}")
        body += code + struct.pack(">I", len(data) + 8) + data
    return b"icns" + struct.pack(">I", len(body) + 8) + body


def read_icns(data: bytes) -> list[tuple[str, bytes]]:
    """(type, data) of each ICNS element; the inverse of ``build_icns``."""
    if data[:4] != b"icns" or struct.unpack(">I", data[4:8])[0] != len(data):
        raise ValueError("not an ICNS file (bad magic or length)")
    elements, position = [], 8
    while position < len(data):
        kind = data[position : position + 4].decode("ascii")
        (length,) = struct.unpack(">I", data[position + 4 : position + 8])
        if length < 8 or position + length > len(data):
            raise ValueError(f"ICNS element {kind!r} has a bad length")
        elements.append((kind, data[position + 8 : position + length]))
        position += length
    return elements


def render_pngs(svg_path: Path, sizes: Iterable[int]) -> dict[int, bytes]:
    """Render the SVG at each size into PNG bytes (needs Qt, which the build has anyway)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 (kept alive)
    renderer = QSvgRenderer(str(svg_path))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {svg_path}")
    pngs: dict[int, bytes] = {}
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(0)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        buffer_bytes = QByteArray()
        buffer = QBuffer(buffer_bytes)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        pngs[size] = bytes(buffer_bytes.data())
    return pngs


def write_all(pngs: Mapping[int, bytes], out_dir: Path) -> list[Path]:
    """Write the PNGs, the .ico and the .icns into ``out_dir``; return the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for size, data in sorted(pngs.items()):
        path = out_dir / f"{ICON_NAME}-{size}.png"
        path.write_bytes(data)
        written.append(path)
    ico = out_dir / f"{ICON_NAME}.ico"
    ico.write_bytes(build_ico(pngs[size] for size in ICO_SIZES))
    icns = out_dir / f"{ICON_NAME}.icns"
    icns.write_bytes(build_icns((kind, pngs[size]) for kind, size in ICNS_TYPES))
    return [*written, ico, icns]


def main() -> int:
    """Regenerate every raster icon from ``resources/icons/janus-gui.svg``."""
    for path in write_all(render_pngs(SVG_PATH, PNG_SIZES), ICON_DIR):
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
