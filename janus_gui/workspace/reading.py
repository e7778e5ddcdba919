"""Lot rows from pasted text and lot files, read with the core's row parser.

A paste or an import never fails as a whole for bad cells: every row comes back with its text
and its errors, so the preview can show them and the table can keep them. Only a file that is not
CSV at all, or has no usable header, is refused.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from janus_gui.core import lots_csv
from janus_gui.core.lots_csv import RowError
from janus_gui.workspace.rows import LotRow, TextRow, cell_message, row_from_parsed


def sniff_delimiter(text: str) -> str:
    """Tab when the first non-blank line has one (spreadsheet paste), else comma."""
    for line in text.splitlines():
        if line.strip():
            return "\t" if "\t" in line else ","
    return ","


def has_header(first_row: Sequence[str]) -> bool:
    """True when the first row names columns rather than holding a lot."""
    keys = {"_".join(cell.strip().lower().replace("-", " ").split()) for cell in first_row}
    return bool(keys & set(lots_csv.LOT_COLUMNS))


def _positions(header: Sequence[str] | None) -> dict[str, int]:
    if header is None:
        return {"purchase_date": 0, "shares": 1, "lot_id": 2, "exempt": 3}
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        key = lots_csv.LOT_COLUMNS.get("_".join(name.strip().lower().replace("-", " ").split()))
        if key is not None and key not in positions:
            positions[key] = index
    return positions


def _cell(row: Sequence[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


def split_rows(
    records: Sequence[Sequence[str]],
    header: Sequence[str] | None,
    first_line: int,
    seen_ids: dict[str, int],
) -> list[TextRow]:
    """Parse records with the core row parser; blank records are dropped.

    ``seen_ids`` (lot id -> first line) carries duplicate detection across chunks.
    """
    positions = _positions(header)
    kept = [(first_line + i, r) for i, r in enumerate(records) if any(c.strip() for c in r)]
    parsed = lots_csv.parse_lot_rows([r for _line, r in kept], header=header, first_line=first_line)
    by_index: dict[int, dict[str, str]] = {}
    line_to_index = {first_line + i: i for i in range(len(kept))}
    for error in parsed.errors:
        index = line_to_index.get(error.line)
        if index is not None:
            key = error.column or "purchase_date"
            by_index.setdefault(index, {}).setdefault(key, cell_message(key, error.message))
    rows: list[TextRow] = []
    for index, (line, record) in enumerate(kept):
        errors = by_index.get(index, {})
        lot_id = _cell(record, positions.get("lot_id"))
        if lot_id:
            first = seen_ids.setdefault(lot_id, line)
            if first != line and "lot_id" not in errors:
                errors["lot_id"] = f"duplicate lot id {lot_id!r} (first on line {first})"
        rows.append(
            TextRow(
                line,
                _cell(record, positions.get("purchase_date")),
                _cell(record, positions.get("shares")),
                lot_id,
                _cell(record, positions.get("exempt")),
                errors,
                None if errors else parsed.lots[index],
            )
        )
    return rows


def parse_pasted_text(text: str) -> list[TextRow]:
    """Rows pasted from a spreadsheet or a text file: tab- or comma-separated, header optional.

    Without a header the columns are ``purchase_date, shares, lot_id[, exempt]``.
    """
    records = list(csv.reader(io.StringIO(text), delimiter=sniff_delimiter(text)))
    while records and not any(c.strip() for c in records[0]):
        records.pop(0)
    if not records:
        return []
    header = records[0] if has_header(records[0]) else None
    body = records[1:] if header is not None else records
    return split_rows(body, header, 2 if header is not None else 1, {})


@dataclass(frozen=True, slots=True)
class ImportedFile:
    """A lot file read for the import preview: every row (valid or not) and the header problems."""

    rows: list[TextRow]
    problems: list[RowError]
    cancelled: bool = False

    @property
    def error_rows(self) -> list[TextRow]:
        """Rows with at least one problem."""
        return [r for r in self.rows if r.errors]


PREVIEW_LIMIT = 500  # error rows kept for the import preview


@dataclass(frozen=True, slots=True)
class ImportPreview:
    """What the import preview shows: counts, the first error rows, file-level problems."""

    total: int
    error_count: int
    error_rows: tuple[TextRow, ...]
    problems: tuple[RowError, ...]
    cancelled: bool = False


@dataclass(frozen=True, slots=True)
class ImportedLots:
    """What an import hands the table: its preview, the rows to show, how many are invalid."""

    preview: ImportPreview
    rows: list[LotRow]
    invalid: int


def table_rows(imported: ImportedFile) -> ImportedLots:
    """The lot table's rows of a file read for import (none when the import was cancelled)."""
    rows = [] if imported.cancelled else [row_from_parsed(r) for r in imported.rows]
    return ImportedLots(preview_of(imported), rows, sum(1 for r in rows if not r.valid))


def preview_of(imported: ImportedFile) -> ImportPreview:
    """The small summary of an imported file that the preview dialog needs."""
    bad = [r for r in imported.rows if r.errors]
    return ImportPreview(
        len(imported.rows),
        len(bad),
        tuple(bad[:PREVIEW_LIMIT]),
        tuple(imported.problems),
        imported.cancelled,
    )


class _CountingLines:
    """Iterates a text stream line by line, counting the characters read (for progress)."""

    def __init__(self, stream: io.TextIOBase) -> None:
        self._stream = stream
        self.read = 0

    def __iter__(self) -> _CountingLines:
        return self

    def __next__(self) -> str:
        line = self._stream.readline()
        if not line:
            raise StopIteration
        self.read += len(line)
        return line


def read_lot_csv(
    path: str | Path,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    chunk_rows: int = 5000,
) -> ImportedFile:
    """Read a lot CSV row by row for the preview (never all-or-nothing).

    ``progress(done, total)`` (characters read, file size) is called after each chunk;
    ``cancelled()`` is polled between chunks. A header row is required, as for the command line.
    """
    stream = lots_csv.open_text_file(path)  # a folder, FIFO or device is named, not read
    total = max(1, os.fstat(stream.fileno()).st_size)
    limit = csv.field_size_limit(lots_csv.MAX_LINE_CHARS)
    try:
        return _read_rows(stream, total, progress, cancelled, chunk_rows)
    except csv.Error as exc:  # the whole import stops; the lot table is not touched
        line = stream.lines_read()
        raise lots_csv.LotFileError([RowError(line, "", f"not valid CSV ({exc})")]) from None
    finally:
        csv.field_size_limit(limit)
        stream.close()


def _read_rows(
    stream: Any,
    total: int,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
    chunk_rows: int,
) -> ImportedFile:
    lines = _CountingLines(stream)
    reader = csv.reader(lines)
    header = next((r for r in reader if any(c.strip() for c in r)), None)
    if header is None:
        return ImportedFile([], [RowError(1, "", "the lot file is empty")])
    positions = _positions(header)
    missing = [k for k in ("purchase_date", "shares") if k not in positions]
    if missing:
        found = ", ".join(h.strip() for h in header)
        message = f"header row must name {', '.join(missing)} (found: {found})"
        return ImportedFile([], [RowError(reader.line_num, "", message)])
    rows: list[TextRow] = []
    seen: dict[str, int] = {}
    line = reader.line_num + 1
    while True:
        chunk = list(islice(reader, chunk_rows))
        if not chunk:
            break
        rows.extend(split_rows(chunk, header, line, seen))
        line = reader.line_num + 1
        if progress is not None:
            progress(min(lines.read, total), total)
        if cancelled is not None and cancelled():
            return ImportedFile(rows, [], cancelled=True)
    if progress is not None:
        progress(total, total)
    return ImportedFile(rows, [])
