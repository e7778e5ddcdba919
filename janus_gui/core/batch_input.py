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
from itertools import chain, compress, count, filterfalse, repeat
from pathlib import Path
from typing import IO

from janus_gui.core.batch_account import header_error
from janus_gui.core.batch_engine import Chunk
from janus_gui.core.lots_csv import LotFileError, RowError, first_header_line

logger = logging.getLogger(__name__)

BLOCK_CHARS = 1 << 18  # text read at a time; a chunk is about this size
CHUNK_ROWS = 4096  # rows per chunk when rows come one by one
MAX_LINE_CHARS = 1 << 20  # a longer line is refused (a lot row is a few dozen characters)
DEFAULT_MEMORY_BYTES = 64 << 20  # input text held in memory before rows move to SQLite
_WHITE_SPACE = re.compile(r"\s")
ACCOUNTS_PER_BUCKET = 4096  # accounts whose rows are sorted together when grouping


class NotContiguous(Exception):  # noqa: N818 - a signal between reader and runner, not an error
    """An account's rows are not all in one run: the input must be grouped first."""


def read_header(stream: IO[str]) -> tuple[list[str], int]:
    """The first non-blank line parsed as CSV, and its 1-based line number."""
    found = first_header_line(stream)
    if found is None:
        raise header_error("the batch file is empty; a header row is required")
    return found


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
    """A chunk of complete lines (``text`` without its final newline); blank lines stay in
    (the engine skips them, so no line is looked at here)."""
    if not text:
        return None
    return Chunk(range(first_line, first_line + text.count("\n") + 1), text=text)


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
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                yield first_line - 1 + reader.line_num, row
    except csv.Error as exc:
        line = first_line - 1 + reader.line_num
        if "field limit" in str(exc):
            message = f"a cell is longer than {csv.field_size_limit():,} characters"
        else:
            message = f"not valid CSV ({exc})"
        raise LotFileError([RowError(line, "", message)]) from None


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

    Accounts are numbered in order of first appearance and rows go to buckets of
    ``ACCOUNTS_PER_BUCKET`` consecutive accounts, as blocks of text; a bucket is sorted by
    account when it is read back (rows keep their input order within an account). Past
    ``memory_bytes`` of text every row moves to a temporary SQLite database in ``temp_dir``
    and is sorted there instead.
    """

    def __init__(
        self,
        account_index: int,
        width: int,
        temp_dir: Path,
        memory_bytes: int = DEFAULT_MEMORY_BYTES,
    ) -> None:
        """Group on column ``account_index`` of ``width``-cell rows; spill past the limit."""
        self._index = account_index
        self._width = width
        self._temp_dir = temp_dir
        self._limit = memory_bytes
        self._first: dict[str, int] = {}  # account -> its number in order of first appearance
        self._buckets: list[_Bucket] = []
        self._held = 0
        self._db: sqlite3.Connection | None = None
        self._db_path: Path | None = None
        self.spilled = False
        self.rows_as_json = False

    # -- adding ------------------------------------------------------------------------------
    def _keys(self, chunk: Chunk) -> tuple[list[str], list[str]]:
        """Row texts and their account ids."""
        if chunk.text is None:
            self.rows_as_json = True
            rows = chunk.rows or []
            return [json.dumps(row, ensure_ascii=False) for row in rows], [
                _key(row, self._index) for row in rows
            ]
        texts = chunk.text.split("\n")
        index = self._index
        if index == 0:  # the usual layout: no other cell is split out
            keys = [text.partition(",")[0] for text in texts]
        else:
            cells = [text.split(",", index + 1) for text in texts]
            keys = [row[index] if len(row) > index else "" for row in cells]
        if _WHITE_SPACE.search("".join(keys)):
            keys = [key.strip() for key in keys]
        return texts, keys

    def add(self, chunk: Chunk) -> None:
        """Add a chunk's rows (any accounts, any order)."""
        texts, keys = self._keys(chunk)
        if not texts:
            return
        first = self._first
        fresh = filterfalse(first.__contains__, dict.fromkeys(keys))
        first.update(zip(fresh, count(len(first))))  # numbered in order of first appearance
        numbers = list(map(first.__getitem__, keys))
        lines = list(chunk.lines)
        if self._db is not None:
            self._insert(numbers, lines, texts)
            return
        buckets = list(map(operator.floordiv, numbers, repeat(ACCOUNTS_PER_BUCKET)))
        order = sorted(range(len(numbers)), key=buckets.__getitem__)
        pick = operator.itemgetter(*order) if len(order) > 1 else (lambda seq: (seq[0],))
        texts, numbers, lines = list(pick(texts)), list(pick(numbers)), list(pick(lines))
        sorted_buckets = list(pick(buckets))
        starts = [
            0,
            *compress(
                range(1, len(order)), map(operator.ne, sorted_buckets[1:], sorted_buckets[:-1])
            ),
        ]
        for begin, end in zip(starts, [*starts[1:], len(order)], strict=True):
            bucket = sorted_buckets[begin]
            while len(self._buckets) <= bucket:
                self._buckets.append(_Bucket())
            text = "\n".join(texts[begin:end])
            self._buckets[bucket].add(text, numbers[begin:end], lines[begin:end])
            self._held += len(text)
        if self._held > self._limit:
            self._spill()

    def _rows_in_memory(self) -> Iterator[tuple[int, int, str]]:
        for bucket in self._buckets:
            yield from bucket.rows()

    def _spill(self) -> None:
        """Move every row held so far to a new SQLite database; later rows go there directly."""
        handle, name = tempfile.mkstemp(prefix="janus-batch-", suffix=".sqlite", dir=self._temp_dir)
        os.close(handle)
        self._db_path = Path(name)
        self._db = sqlite3.connect(name, isolation_level=None)
        for pragma in (
            "journal_mode=OFF",
            "synchronous=OFF",
            "temp_store=FILE",
            "cache_size=-16000",
        ):
            self._db.execute(f"PRAGMA {pragma}")
        self._db.execute("CREATE TABLE row(account INTEGER, line INTEGER, text TEXT)")
        self._db.execute("BEGIN")
        self._db.executemany("INSERT INTO row VALUES (?, ?, ?)", self._rows_in_memory())
        self.spilled = True
        logger.info("batch rows moved to %s", name)
        self._buckets, self._held = [], 0

    def _insert(self, numbers: list[int], lines: list[int], texts: list[str]) -> None:
        assert self._db is not None
        rows = zip(numbers, lines, texts, strict=True)
        self._db.executemany("INSERT INTO row VALUES (?, ?, ?)", rows)

    # -- reading back ------------------------------------------------------------------------
    def chunks(self) -> Iterator[Chunk]:
        """Chunks of whole accounts, accounts in order of first appearance."""
        if self._db is None:
            for bucket in self._buckets:
                yield from bucket.chunks(self.rows_as_json)
            return
        self._db.execute("COMMIT")
        cursor = self._db.execute("SELECT account, line, text FROM row ORDER BY account, line")
        pending: list[tuple[int, int, str]] = []
        while batch := cursor.fetchmany(CHUNK_ROWS):
            if pending and batch[0][0] != pending[-1][0]:
                yield _chunk_of(pending, self.rows_as_json)
                pending = []
            pending.extend(batch)
            last = pending[-1][0]
            cut = len(pending)
            while cut > 0 and pending[cut - 1][0] == last:
                cut -= 1
            if cut:
                yield _chunk_of(pending[:cut], self.rows_as_json)
                pending = pending[cut:]
        if pending:
            yield _chunk_of(pending, self.rows_as_json)

    def close(self) -> None:
        """Delete the temporary database, if one was made."""
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._db_path is not None:
            with contextlib.suppress(OSError):
                self._db_path.unlink()
            self._db_path = None


class _Bucket:
    """The rows of a range of accounts: blocks of text with each row's account and line."""

    __slots__ = ("texts", "numbers", "lines")

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.numbers: array[int] = array("I")
        self.lines: array[int] = array("I")

    def add(self, text: str, numbers: list[int], lines: list[int]) -> None:
        self.texts.append(text)
        self.numbers.extend(numbers)
        self.lines.extend(lines)

    def _sorted(self) -> tuple[list[str], list[int], list[int]]:
        """Rows, accounts and lines, by account (input order within each, as added)."""
        texts = "\n".join(self.texts).split("\n")
        numbers = self.numbers.tolist()  # ints made once, not at every look-up of the sort
        order = sorted(range(len(numbers)), key=numbers.__getitem__)
        return (
            list(map(texts.__getitem__, order)),
            list(map(numbers.__getitem__, order)),
            list(map(self.lines.tolist().__getitem__, order)),
        )

    def rows(self) -> Iterator[tuple[int, int, str]]:
        texts, numbers, lines = self._sorted()
        return zip(numbers, lines, texts, strict=True)

    def chunks(self, as_json: bool) -> Iterator[Chunk]:
        if not self.texts:
            return
        texts, numbers, lines = self._sorted()
        begin = 0
        while begin < len(texts):
            end = min(begin + CHUNK_ROWS, len(texts))
            while end < len(texts) and numbers[end] == numbers[end - 1]:
                end += 1
            yield _make_chunk(lines[begin:end], texts[begin:end], as_json)
            begin = end


def _chunk_of(rows: list[tuple[int, int, str]], as_json: bool) -> Chunk:
    return _make_chunk([row[1] for row in rows], [row[2] for row in rows], as_json)


def _make_chunk(lines: list[int], texts: list[str], as_json: bool) -> Chunk:
    if as_json:
        return Chunk(lines, rows=[_row_of(text) for text in texts])
    return Chunk(lines, text="\n".join(texts))


def _row_of(text: str) -> list[str]:
    """A row stored by ``GroupedRows``: JSON for rows read by the ``csv`` module."""
    return json.loads(text) if text.startswith('["') else text.split(",")
