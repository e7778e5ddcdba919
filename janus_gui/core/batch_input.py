"""Reading a batch input into chunks of whole accounts, in first-appearance order of accounts.

Two readers share one output, ``Chunk``s (``batch_engine``):

* ``contiguous_chunks`` streams a file whose accounts are each in one run of rows (the usual
  case, and what a sorted extract gives). It cuts the text into blocks at account boundaries and
  does no per-row work; the caller checks that no account appears in two runs.
* ``GroupedRows`` takes rows in any order. It keeps them in memory, compactly, up to a limit,
  then moves them to a temporary SQLite database (standard library ``sqlite3``) in the folder it
  is given and sorts them there, so memory stays bounded whatever the file size. The database
  is deleted when the reader is closed.
"""

from __future__ import annotations

import contextlib
import csv
import json
import logging
import operator
import os
import re
import sqlite3
import tempfile
from array import array
from collections.abc import Iterable, Iterator
from itertools import accumulate, chain
from pathlib import Path
from typing import IO

from janus_gui.core.batch_account import header_error
from janus_gui.core.batch_engine import Chunk
from janus_gui.core.lots_csv import LotFileError, RowError

logger = logging.getLogger(__name__)

BLOCK_CHARS = 1 << 18  # text read at a time; a chunk is about this size
CHUNK_ROWS = 4096  # rows per chunk when rows come one by one
MAX_LINE_CHARS = 1 << 20  # a longer line is refused (a lot row is a few dozen characters)
DEFAULT_MEMORY_BYTES = 64 << 20  # input text held in memory before rows move to SQLite
_BLANK_LINE = re.compile(r"^[ \t,]*$", re.MULTILINE)


class NotContiguous(Exception):  # noqa: N818 - a signal between reader and runner, not an error
    """An account's rows are not all in one run: the input must be grouped first."""


def read_header(stream: IO[str]) -> tuple[list[str], int]:
    """The first non-blank line parsed as CSV, and its 1-based line number."""
    for line_no, raw in enumerate(iter(stream.readline, ""), start=1):
        cells = next(csv.reader([raw]), [])
        if any(cell.strip() for cell in cells):
            if cells[0].startswith("\ufeff"):
                cells[0] = cells[0][1:]
            return cells, line_no
    raise header_error("the batch file is empty; a header row is required")


def _account_of(line: str, index: int) -> str:
    parts = line.split(",", index + 1)
    return parts[index].strip() if index < len(parts) else ""


def _last_run_start(text: str, index: int) -> int:
    """Offset in ``text`` (complete lines, no final newline) where the last account's run starts."""
    end = len(text)
    start = text.rfind("\n") + 1
    account = _account_of(text[start:end], index)
    while start > 0:
        before = text.rfind("\n", 0, start - 1) + 1
        if _account_of(text[before : start - 1], index) != account:
            return start
        start = before
    return 0


def _text_chunk(text: str, first_line: int) -> Chunk | None:
    """A chunk of complete lines (``text`` without its final newline); blank lines dropped."""
    if not text:
        return None
    count = text.count("\n") + 1
    if not _maybe_blank_line(text):
        return Chunk(range(first_line, first_line + count), text=text)
    kept = [
        (number, line)
        for number, line in enumerate(text.split("\n"), start=first_line)
        if _BLANK_LINE.fullmatch(line) is None
    ]
    if not kept:
        return None
    return Chunk([n for n, _ in kept], text="\n".join(line for _, line in kept))


def _maybe_blank_line(text: str) -> bool:
    """A cheap test that every line has a cell that is not blank (then no per-line check)."""
    return (
        "\n\n" in text or "\n," in text or "\n " in text or "\n\t" in text
        or text[:1] in ("", ",", " ", "\t") or text[-1:] in ("\n", ",", " ", "\t")
    )


def _check_line_length(carry: str, line: int) -> None:
    if len(carry) > MAX_LINE_CHARS and "\n" not in carry:
        message = f"line is longer than {MAX_LINE_CHARS:,} characters; not a batch file"
        raise LotFileError([RowError(line, "", message)])


def contiguous_chunks(stream: IO[str], line: int, account_index: int) -> Iterator[Chunk]:
    """Chunks of whole accounts from a stream positioned after the header (line ``line``).

    Text without quotes is cut into blocks at account boundaries; from the first block with a
    quote or a lone carriage return on, rows come from the ``csv`` module.
    """
    carry, carry_line = "", line + 1
    while data := stream.read(BLOCK_CHARS):
        text = carry + data
        if "\r" in text:
            text = text.replace("\r\n", "\n")
        if '"' in text or "\r" in text:
            yield from _csv_chunks(chain([text], stream), carry_line, account_index)
            return
        cut = text.rfind("\n")
        if cut < 0:
            carry = text
            _check_line_length(carry, carry_line)
            continue
        complete = text[:cut]
        start = _last_run_start(complete, account_index)
        if start == 0:  # one account so far: read on
            carry = text
            continue
        chunk = _text_chunk(complete[: start - 1], carry_line)
        if chunk is not None:
            yield chunk
        carry_line += complete.count("\n", 0, start)
        carry = text[start:]
    if carry.endswith("\n"):
        carry = carry[:-1]
    chunk = _text_chunk(carry, carry_line)
    if chunk is not None:
        yield chunk


def _csv_rows(pieces: Iterable[str], first_line: int) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of each non-blank CSV row; ``line`` is where the row ends."""
    reader = csv.reader(_lines_of(pieces))
    for row in reader:
        if any(cell.strip() for cell in row):
            yield first_line - 1 + reader.line_num, row


def _lines_of(pieces: Iterable[str]) -> Iterator[str]:
    carry = ""
    for piece in pieces:
        text = carry + piece
        parts = text.split("\n")
        carry = parts.pop()
        for part in parts:
            yield part + "\n"
    if carry:
        yield carry


def _csv_chunks(pieces: Iterable[str], first_line: int, account_index: int) -> Iterator[Chunk]:
    rows = _csv_rows(pieces, first_line)
    pending: list[tuple[int, list[str]]] = []
    for item in rows:
        if len(pending) >= CHUNK_ROWS and _key(item[1], account_index) != _key(
            pending[-1][1], account_index
        ):
            yield Chunk([n for n, _ in pending], rows=[r for _, r in pending])
            pending = []
        pending.append(item)
    if pending:
        yield Chunk([n for n, _ in pending], rows=[r for _, r in pending])


def _key(row: list[str], index: int) -> str:
    return row[index].strip() if index < len(row) else ""


def check_contiguous(seen: set[str], accounts: list[str]) -> None:
    """Record the accounts of a chunk; raise ``NotContiguous`` if one was seen before."""
    before = len(seen)
    seen.update(accounts)
    if len(seen) != before + len(accounts):
        raise NotContiguous


# -- any order ---------------------------------------------------------------------------------
class GroupedRows:
    """Rows of any order, given back as chunks of whole accounts in first-appearance order.

    In memory each row costs its text plus three 4-byte numbers; past ``memory_bytes`` of text
    every row moves to a temporary SQLite database in ``temp_dir`` and is sorted there.
    """

    def __init__(
        self, account_index: int, temp_dir: Path, memory_bytes: int = DEFAULT_MEMORY_BYTES
    ) -> None:
        """Group on column ``account_index``; spill to ``temp_dir`` past ``memory_bytes``."""
        self._index = account_index
        self._temp_dir = temp_dir
        self._limit = memory_bytes
        self._first: dict[str, int] = {}  # account -> its number in order of first appearance
        self._texts: list[str] = []  # blocks of rows, joined with newlines
        self._block: array[int] = array("I")  # per row: its block
        self._offset: array[int] = array("I")  # per row: where it starts in its block
        self._account: array[int] = array("I")  # per row: its account's number
        self._line: array[int] = array("I")  # per row: its line in the input
        self._held = 0
        self._db: sqlite3.Connection | None = None
        self._db_path: Path | None = None
        self.spilled = False
        self.rows_as_json = False

    # -- adding ------------------------------------------------------------------------------
    def add(self, chunk: Chunk) -> None:
        """Add a chunk's rows (any accounts, any order)."""
        if chunk.text is not None:
            texts = chunk.text.split("\n")
        else:
            self.rows_as_json = True
            texts = [json.dumps(row, ensure_ascii=False) for row in chunk.rows or []]
        keys = (
            [_account_of(t, self._index) for t in texts]
            if chunk.text is not None
            else [_key(row, self._index) for row in chunk.rows or []]
        )
        first = self._first
        for key in dict.fromkeys(keys):
            if key not in first:
                first[key] = len(first)
        numbers = list(map(first.__getitem__, keys))
        if self._db is not None:
            self._insert(numbers, chunk.lines, texts)
            return
        block_text = "\n".join(texts)
        offsets = accumulate((len(text) + 1 for text in texts[:-1]), initial=0)
        self._block.extend([len(self._texts)] * len(texts))
        self._offset.extend(offsets)
        self._account.extend(numbers)
        self._line.extend(chunk.lines)
        self._texts.append(block_text)
        self._held += len(block_text)
        if self._held > self._limit:
            self._spill()

    def _rows_in_memory(self) -> Iterator[tuple[int, int, str]]:
        for block, offset, number, line in zip(
            self._block, self._offset, self._account, self._line, strict=True
        ):
            text = self._texts[block]
            end = text.find("\n", offset)
            yield number, line, text[offset:] if end < 0 else text[offset:end]

    def _spill(self) -> None:
        """Move every row held so far to a new SQLite database; later rows go there directly."""
        handle, name = tempfile.mkstemp(prefix="janus-batch-", suffix=".sqlite",
                                        dir=self._temp_dir)
        os.close(handle)
        self._db_path = Path(name)
        self._db = sqlite3.connect(name, isolation_level=None)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "temp_store=FILE",
                       "cache_size=-16000"):
            self._db.execute(f"PRAGMA {pragma}")
        self._db.execute("CREATE TABLE row(account INTEGER, line INTEGER, text TEXT)")
        self._db.execute("BEGIN")
        self._db.executemany("INSERT INTO row VALUES (?, ?, ?)", self._rows_in_memory())
        self.spilled = True
        logger.info("batch rows moved to %s after %d rows", name, len(self._line))
        self._texts, self._held = [], 0
        self._block, self._offset = array("I"), array("I")
        self._account, self._line = array("I"), array("I")

    def _insert(self, numbers: list[int], lines: Iterable[int], texts: list[str]) -> None:
        assert self._db is not None
        rows = zip(numbers, lines, texts, strict=True)
        self._db.executemany("INSERT INTO row VALUES (?, ?, ?)", rows)

    # -- reading back ------------------------------------------------------------------------
    def _sorted_rows(self) -> Iterator[tuple[int, int, str]]:
        if self._db is not None:
            self._db.execute("COMMIT")
            cursor = self._db.execute("SELECT account, line, text FROM row ORDER BY account, line")
            while batch := cursor.fetchmany(CHUNK_ROWS):
                yield from batch
            return
        # Rows are in line order already: a stable sort on the account keeps it within each.
        order = sorted(range(len(self._account)), key=self._account.__getitem__)
        block, offset, account, line = self._block, self._offset, self._account, self._line
        texts = self._texts
        for row in order:
            text = texts[block[row]]
            start = offset[row]
            end = text.find("\n", start)
            yield account[row], line[row], text[start:] if end < 0 else text[start:end]

    def chunks(self) -> Iterator[Chunk]:
        """Chunks of whole accounts, accounts in order of first appearance."""
        rows = self._sorted_rows()
        pending: list[tuple[int, int, str]] = []
        for item in rows:
            if len(pending) >= CHUNK_ROWS and item[0] != pending[-1][0]:
                yield self._chunk(pending)
                pending = []
            pending.append(item)
        if pending:
            yield self._chunk(pending)

    def _chunk(self, rows: list[tuple[int, int, str]]) -> Chunk:
        lines = list(map(operator.itemgetter(1), rows))
        texts = list(map(operator.itemgetter(2), rows))
        if self.rows_as_json:
            return Chunk(lines, rows=[_row_of(text) for text in texts])
        return Chunk(lines, text="\n".join(texts))

    def close(self) -> None:
        """Delete the temporary database, if one was made."""
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._db_path is not None:
            with contextlib.suppress(OSError):
                self._db_path.unlink()
            self._db_path = None


def _row_of(text: str) -> list[str]:
    """A row stored by ``GroupedRows``: JSON for rows read by the ``csv`` module."""
    return json.loads(text) if text.startswith('["') else text.split(",")
