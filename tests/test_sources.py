"""data/sources must be byte-identical copies of the shared source documents."""

from __future__ import annotations

import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ROOT / "data" / "sources"
SHARED = ROOT / ".." / "shared" / "sources"

# Pinned sha256 of the five sources, so the check holds even where ../shared is absent.
PINNED = {
    "000_7b4b17f384faf991.txt": "c056f741dec039e104b68130ae03e3127c642f009c7ae0a512e81eaf05b1dc6a",
    "001_2f9d95a52f5b31ef.txt": "0cb8f259c31f23fa0a6f4a2af5113e30325b592665493c0603e8e067eb702980",
    "002_9a3a92caa630b855.txt": "a775120144b719821d3322a16876ac3ba5b8deb4f4c0f87187d246a006d777d0",
    "003_66156283d07c8b76.txt": "1e784284f7bba9ef2ab56014341a27ea5d09b8a23c736b8f829e3795532a5ef1",
    "004_546a7a10363b684d.txt": "64de70b11f9238ef2fae7d5c699c2590d7846a659ef287bdeaf9e709a114a1c8",
}


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.glob("*.txt")}


def test_sources_match_the_pinned_hashes() -> None:
    assert _digests(LOCAL) == PINNED


def test_sources_are_byte_identical_to_the_shared_copies() -> None:
    local = _digests(LOCAL)
    expected = _digests(SHARED) if SHARED.is_dir() else PINNED
    assert local == expected, "data/sources differs from ../shared/sources; copy them again"
