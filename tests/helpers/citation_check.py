"""Quote checks shared by the citation tests: does a quote occur in the cited source lines?

Lines are 1-based and inclusive. Both the quote and the cited lines are compared with every run of
whitespace (spaces, tabs, line breaks, no-break spaces) collapsed to one space, the convention of
every ``quote`` column in ``data/seed/``.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES_DIR = ROOT / "data" / "sources"
SEED_DIR = ROOT / "data" / "seed"
CITATION_COLUMNS = ("source_file", "line_start", "line_end", "quote")


def collapse(text: str) -> str:
    """Collapse every run of whitespace to a single space and trim the ends."""
    return " ".join(text.split())


@lru_cache(maxsize=16)
def source_lines(source_path: Path) -> tuple[str, ...]:
    """The lines of a source file, numbered as ``sed -n`` numbers them (no phantom last line)."""
    text = source_path.read_bytes().decode("utf-8")
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()  # a final newline ends the last line; it does not start a new one
    return tuple(line.rstrip("\r") for line in lines)


def line_range_is_valid(source_path: Path, start: int, end: int) -> bool:
    """True when ``1 <= start <= end <=`` the number of lines in the file."""
    return 1 <= start <= end <= len(source_lines(source_path))


def cited_text(source_path: Path, start: int, end: int) -> str:
    """Lines ``start``..``end`` joined with single spaces, whitespace collapsed."""
    return collapse(" ".join(source_lines(source_path)[start - 1 : end]))


def quote_in_lines(source_path: str | Path, start: int, end: int, quote: str) -> bool:
    """True when the (collapsed, non-empty) quote occurs in the cited lines of the source.

    An invalid line range or a missing file is reported as ``False``, never as an exception,
    so callers can list every bad row at once.
    """
    path = Path(source_path)
    wanted = collapse(quote)
    if not wanted or not path.is_file() or not line_range_is_valid(path, start, end):
        return False
    return wanted in cited_text(path, start, end)


def cited_seed_files(seed_dir: Path = SEED_DIR) -> list[Path]:
    """Every CSV in ``seed_dir`` whose header has all four citation columns."""
    found = []
    for path in sorted(seed_dir.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
        if all(column in header for column in CITATION_COLUMNS):
            found.append(path)
    return found


def read_seed_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """Rows of a seed CSV as ``(line number in the file, row)``; blank rows are skipped."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        _ = reader.fieldnames  # reads the header first, so line_num counts it
        rows = []
        start = reader.line_num + 1
        for row in reader:
            if any((value or "").strip() for value in row.values() if isinstance(value, str)):
                rows.append((start, row))
            start = reader.line_num + 1
        return rows
