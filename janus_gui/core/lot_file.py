"""Reading a lot schedule file, all or nothing, at any size (``read_lot_file``).

Every file can be read the plain way: ``csv.reader``, then ``lots_csv.parse_lot_row`` for each
row. Files of a million lots need more, and that machinery lives here and nowhere else:

* blocks of unquoted lines are checked column by column (one pass over the share column, a
  date cache, set operations for duplicate ids), and a block that fails a check is re-read row
  by row to produce exact messages;
* a file with ISO dates in order and increasing lot ids is kept as its text blocks
  (``_TextBlocks`` behind ``_LazyColumn``): the FIFO walk then splits only the block or two it
  touches, and a million lots never become a million strings.

The result is the same either way; ``tests/core/test_lots_csv.py`` reads files both ways.
"""

from __future__ import annotations

import bisect
import contextlib
import csv
import gc
import io
import operator
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, groupby, islice
from pathlib import Path
from typing import IO, Any

from janus_gui.core.lots import Lot, LotSchedule
from janus_gui.core.lots_csv import (
    BLOCK_CHARS,
    CHUNK_ROWS,
    EXEMPT_WORDS,
    LOT_COLUMNS,
    MAX_LINE_CHARS,
    MAX_LOT_ID_CHARS,
    MAX_SHARE_DIGITS,
    Collector,
    LotFile,
    LotFileError,
    RowError,
    cell_text,
    first_header_line,
    has_reasons,
    looks_like_data,
    map_header,
    open_text,
    parse_date_cell,
    parse_lot_row,
)

# Lots held cell by cell (a file that cannot be kept as text blocks: dates out of order, ids not
# increasing, quotes...) cost about 300 bytes each; past this many the read is refused, which
# keeps a `fee` run under about 400 MB. Files read as a stream have no such limit.
MAX_HELD_LOTS = 1_000_000
HELD_LOTS_MESSAGE = (
    "more than {limit:,} lots that cannot be read as a stream; a file this large must have "
    "ISO dates (YYYY-MM-DD) in order, lot ids (if any) in increasing order, no exempt column "
    "and no quotes or spaces around cells. Sort it that way, or split it"
)

# Text-block checks, all single C-level passes over a block (no per-row Python work).
_LAYOUT = {code: None for code in range(128) if chr(code) not in ",\n"}  # keep , and newline
_NOT_NUMBER_CHARS = str.maketrans("", "", "0123456789.\n")
_DIGITS_TO_9 = str.maketrans("012345678", "999999999")
_DROP_ZEROS = str.maketrans("", "", "0.")


def _row_shape(width: int) -> str:
    return "," * (width - 1) + "\n"


def _shares_ok(joined: str) -> bool:
    """Every newline-separated cell is a positive plain number with at most 3 decimals."""
    if joined.translate(_NOT_NUMBER_CHARS):
        return False  # a sign, letter, space, comma or other character
    nines = "\n" + joined.translate(_DIGITS_TO_9) + "\n"
    if "\n\n" in nines or "\n.\n" in nines or ".9999" in nines or ".." in nines.replace("9", ""):
        return False  # empty cell, lone dot, 4+ decimals, two dots in a cell
    if "9" * (MAX_SHARE_DIGITS + 1) in nines:
        return False  # too many digits (the row-by-row path explains)
    return "\n\n" not in "\n" + joined.translate(_DROP_ZEROS) + "\n"  # a cell of zeros


def _has_blank_or_padded_cell(text: str) -> bool:
    """An empty cell, or spaces/tabs anywhere, in a block of unquoted lines."""
    return (
        " " in text
        or "\t" in text
        or ",," in text
        or ",\n" in text
        or "\n," in text
        or text.startswith(",")
    )


def _lazy_columns_ok(columns: dict[str, int]) -> bool:
    """Lazy blocks serve plain schedules only (no exemption column)."""
    return "exempt" not in columns and not has_reasons(columns)


def _ids_plain(joined: str) -> bool:
    """Every character of the joined ids is visible or a space (``inputs.parse_lot_id``)."""
    return joined.isprintable()


def _needs_strip(joined: str) -> bool:
    return " " in joined or "\t" in joined


@dataclass(slots=True)
class _Columns:
    """Columns of the lots accepted so far, in file order."""

    dates: list[str] = field(default_factory=list)  # ISO text
    shares: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    exempt: list[bool] = field(default_factory=list)


def _physical_lines(row: Sequence[str]) -> int:
    """Lines a parsed record spanned (quoted cells may hold line breaks)."""
    breaks = 0
    for cell in row:
        if "\n" in cell or "\r" in cell:
            breaks += cell.count("\n") + cell.count("\r") - cell.count("\r\n")
    return 1 + breaks


def _row_lines(chunk: list[list[str]], start_line: int, end_line: int) -> list[int]:
    """The line on which each record of a chunk ends (records may span several lines)."""
    if end_line - start_line == len(chunk):
        return list(range(start_line + 1, end_line + 1))
    lines, line = [], start_line
    for row in chunk:
        line += _physical_lines(row)
        lines.append(line)
    return lines


class _TextBlocks:
    """Clean text blocks kept as they were read; cells are split out only when asked for.

    Used when every block passed the fast checks, the dates are ISO text in order and the lot
    ids (if any) increase: the FIFO walk then touches only the first block or two, and nothing
    else is ever split into cells or kept as a million separate strings.
    """

    def __init__(self, width: int) -> None:
        self.width = width
        self.texts: list[str] = []
        self.starts: list[int] = []
        self.first_lines: list[int] = []
        self.total = 0
        self._recent: dict[int, list[str]] = {}  # the last two blocks split (chunks span two)

    def add(self, text: str, rows: int, first_line: int) -> None:
        self.texts.append(text)
        self.starts.append(self.total)
        self.first_lines.append(first_line)
        self.total += rows

    def locate(self, index: int) -> tuple[int, int]:
        """(block, row within the block) of a row index (negative indexes count from the end)."""
        if index < 0:
            index += self.total
        if not 0 <= index < self.total:
            raise IndexError(index)
        block = bisect.bisect_right(self.starts, index) - 1
        return block, index - self.starts[block]

    def flat(self, block: int) -> list[str]:
        cells = self._recent.get(block)
        if cells is None:
            if len(self._recent) >= 2:
                del self._recent[next(iter(self._recent))]  # the least recently split
            cells = self._recent[block] = _split_block(self.texts[block])
        return cells

    def column(self, block: int, col: int) -> list[str]:
        return self.flat(block)[col :: self.width]


class _BlockView(Sequence[Any]):
    """A read-only sequence over the rows of ``_TextBlocks``: an item, or a slice of rows."""

    def __init__(self, blocks: _TextBlocks) -> None:
        self._blocks = blocks

    def __len__(self) -> int:
        return self._blocks.total

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            start, stop, step = index.indices(self._blocks.total)
            if step != 1 or start >= stop:
                return [self[i] for i in range(start, stop, step)]
            return self._slice(start, stop)
        return self._item(*self._blocks.locate(index))

    def _item(self, block: int, row: int) -> Any:
        raise NotImplementedError

    def _slice(self, start: int, stop: int) -> list[Any]:
        raise NotImplementedError


class _LazyColumn(_BlockView):
    """One column of ``_TextBlocks`` (``None``: a column the file does not have, all blank)."""

    def __init__(self, blocks: _TextBlocks, col: int | None) -> None:
        super().__init__(blocks)
        self._col = col

    def _item(self, block: int, row: int) -> str:
        if self._col is None:
            return ""
        return self._blocks.flat(block)[row * self._blocks.width + self._col]

    def _slice(self, start: int, stop: int) -> list[str]:
        blocks = self._blocks
        result: list[str] = []
        first, _ = blocks.locate(start)
        for block in range(first, len(blocks.texts)):
            begin = blocks.starts[block]
            if begin >= stop:
                break
            rows = _end(blocks, block)
            # one split per block, shared by the columns
            cells = [""] * (rows - begin) if self._col is None else blocks.column(block, self._col)
            result.extend(cells[max(0, start - begin) : stop - begin])
        return result


class _LazyLines(_BlockView):
    """Source line of each row of ``_TextBlocks`` (rows of a clean block are consecutive)."""

    def _item(self, block: int, row: int) -> int:
        return self._blocks.first_lines[block] + row

    def _slice(self, start: int, stop: int) -> list[int]:
        blocks = self._blocks
        lines: list[int] = []
        block, _ = blocks.locate(start)
        while block < len(blocks.starts) and blocks.starts[block] < stop:
            begin = blocks.starts[block]
            first = blocks.first_lines[block] - begin  # line of row r is first + r
            last = min(stop, _end(blocks, block))
            lines.extend(range(first + max(start, begin), first + last))
            block += 1
        return lines


def _end(blocks: _TextBlocks, block: int) -> int:
    return blocks.starts[block + 1] if block + 1 < len(blocks.starts) else blocks.total


def _split_block(text: str) -> list[str]:
    return text[:-1].replace("\n", ",").split(",")


class _LotReader:
    """Checks lot rows chunk by chunk, column-wise when the chunk is clean.

    Dates are kept as ISO text (text order is date order), so clean chunks need no per-row
    Python work; lot ids are checked for duplicates once, at the end.
    """

    def __init__(self, columns: dict[str, int], width: int) -> None:
        self.columns = columns
        self.width = width
        self.out = _Columns()
        self.state = Collector()
        self.iso_cache: dict[str, str | None] = {}
        self.rejected_ids: list[tuple[str, int]] = []  # ids of rows that failed other checks
        self.lazy: _TextBlocks | None = _TextBlocks(width) if _lazy_columns_ok(columns) else None
        self.last_date = ""
        self.last_id = ""

    def feed(self, chunk: list[list[str]], lines: list[int]) -> None:
        self.materialize()
        if not self.state.errors and self._fast(chunk, lines):
            self._check_held(lines[-1] if lines else 0)
            return
        self._slow(chunk, lines)
        self._check_held(lines[-1] if lines else 0)

    def _check_held(self, line: int) -> None:
        """Refuse the file once more lots are held cell by cell than memory allows."""
        if len(self.out.dates) > MAX_HELD_LOTS:
            message = HELD_LOTS_MESSAGE.format(limit=MAX_HELD_LOTS)
            raise LotFileError([RowError(line, "", message)])

    def feed_text(self, text: str, first_line: int) -> None:
        r"""A block of whole lines with no quotes and ``\n`` endings; ``first_line`` is 1-based.

        Clean blocks are split with string operations only; anything unusual (blank lines, a
        wrong number of cells, a value that fails a fast check) goes through the CSV path.
        """
        rows = text.count("\n")
        if self.lazy is not None:
            if self._lazy_text(text, rows, first_line):
                return
            self.materialize()
        if not self.state.errors and self._fast_text(text, rows, first_line):
            self._check_held(first_line + rows - 1)
            return
        reader = csv.reader(io.StringIO(text))
        chunk = list(reader)
        self.feed(chunk, _row_lines(chunk, first_line - 1, first_line - 1 + rows))

    def _lazy_text(self, text: str, rows: int, first_line: int) -> bool:
        """Check a block without keeping its cells: ISO dates in order, ids increasing.

        Only text-wide operations and one pass per column: no per-row Python code.
        """
        width = self.width
        if self.state.errors or text.translate(_LAYOUT) != _row_shape(width) * rows:
            return False
        if _has_blank_or_padded_cell(text):
            return False
        flat = _split_block(text)
        if not self._dates_in_order(flat[self.columns["purchase_date"] :: width]):
            return False
        if not _shares_ok("\n".join(flat[self.columns["shares"] :: width])):
            return False
        id_col = self.columns.get("lot_id")
        if id_col is not None:
            ids = flat[id_col::width]
            if max(map(len, ids)) > MAX_LOT_ID_CHARS or not _ids_plain("".join(ids)):
                return False
            if not (self.last_id < ids[0] and all(map(operator.lt, ids, islice(ids, 1, None)))):
                return False
            self.last_id = ids[-1]
        assert self.lazy is not None
        self.lazy.add(text, rows, first_line)
        return True

    def _dates_in_order(self, dates: list[str]) -> bool:
        """ISO calendar dates, never decreasing (checked on the runs of equal dates)."""
        runs = [day for day, _ in groupby(dates)]
        if not (self.last_date <= runs[0] and all(map(operator.lt, runs, islice(runs, 1, None)))):
            return False
        cache = self.iso_cache
        for day in runs:
            if day not in cache:
                try:
                    cache[day] = parse_date_cell(day).isoformat()
                except ValueError:
                    cache[day] = None
            if cache[day] != day:
                return False
        self.last_date = runs[-1]
        return True

    def materialize(self) -> None:
        """Leave lazy mode: split every block kept so far into the ordinary columns."""
        blocks, self.lazy = self.lazy, None
        if blocks is None:
            return
        for text, first_line in zip(blocks.texts, blocks.first_lines, strict=True):
            rows = text.count("\n")
            if not self._fast_text(text, rows, first_line):  # pragma: no cover - checked before
                raise AssertionError("a block that passed the lazy checks failed the fast ones")
            self._check_held(first_line + rows - 1)

    def lazy_schedule(self) -> LotSchedule | None:
        """The schedule over the kept blocks, when still in lazy mode."""
        blocks = self.lazy
        if blocks is None:
            return None
        id_col = self.columns.get("lot_id")
        return LotSchedule(
            _LazyColumn(blocks, self.columns["purchase_date"]),
            _LazyColumn(blocks, self.columns["shares"]),
            _LazyColumn(blocks, id_col),
            range(1, blocks.total + 1),
            None,
            _LazyLines(blocks),
        )

    def _fast_text(self, text: str, rows: int, first_line: int) -> bool:
        width = self.width
        if text.translate(_LAYOUT) != _row_shape(width) * rows:
            return False  # blank lines, ragged rows or non-ASCII text: use the CSV path
        flat = text[:-1].replace("\n", ",").split(",")
        dates = self._iso_fast(flat[self.columns["purchase_date"] :: width])
        if dates is None:
            return False
        shares = flat[self.columns["shares"] :: width]
        if not _shares_ok("\n".join(shares)):
            return False
        exempt: list[bool] = []
        if has_reasons(self.columns):
            return False
        if "exempt" in self.columns:
            cells = flat[self.columns["exempt"] :: width]
            words = [EXEMPT_WORDS.get(v.strip().lower()) for v in cells]
            if None in words:
                return False
            exempt = [bool(w) for w in words]
        id_col = self.columns.get("lot_id")
        ids = flat[id_col::width] if id_col is not None else [""] * rows
        if id_col is not None and max(map(len, ids)) > MAX_LOT_ID_CHARS:
            return False
        if id_col is not None and not _ids_plain("".join(ids)):
            return False  # the row-by-row path names the character
        if id_col is not None and _needs_strip("\n".join(ids)):
            ids = [lot_id.strip(" \t") for lot_id in ids]
        out = self.out
        out.ids.extend(ids)
        out.dates.extend(dates)
        out.shares.extend(shares)
        out.lines.extend(range(first_line, first_line + rows))
        out.exempt.extend(exempt)
        return True

    def _iso_fast(self, texts: list[str]) -> list[str] | None:
        """ISO text for each date (the list itself when already ISO), or ``None`` if one fails."""
        cache = self.iso_cache
        distinct = set(texts)
        for text in distinct.difference(cache):
            try:
                cache[text] = parse_date_cell(text).isoformat()
            except ValueError:
                cache[text] = None
        if any(cache[text] is None for text in distinct):
            return None
        # One string per distinct date, shared by every lot of that date: a million lots
        # then hold a few thousand date strings instead of a million (about 59 bytes each).
        return list(map(cache.__getitem__, texts))  # type: ignore[arg-type]

    def _iso(self, texts: Sequence[str]) -> list[str | None]:
        cache = self.iso_cache
        for text in set(texts).difference(cache):
            try:
                cache[text] = parse_date_cell(text).isoformat()
            except ValueError:
                cache[text] = None
        return list(map(cache.__getitem__, texts))

    def _fast(self, chunk: list[list[str]], lines: list[int]) -> bool:
        """Accept a clean chunk with column operations; False sends it to the slow path."""
        try:
            cols = list(zip(*chunk, strict=True))
        except ValueError:  # ragged rows
            return False
        if len(cols) != self.width:
            return False
        dates = self._iso(cols[self.columns["purchase_date"]])
        if None in dates:
            return False
        shares = cols[self.columns["shares"]]
        if not _shares_ok("\n".join(shares)):
            return False
        exempt: list[bool] = []
        if has_reasons(self.columns):
            return False
        if "exempt" in self.columns:
            words = [EXEMPT_WORDS.get(v.strip().lower()) for v in cols[self.columns["exempt"]]]
            if None in words:
                return False
            exempt = [bool(w) for w in words]
        id_col = self.columns.get("lot_id")
        if id_col is not None and (
            max(map(len, cols[id_col])) > MAX_LOT_ID_CHARS
            or not _ids_plain("".join(cols[id_col]).replace("\t", ""))
        ):
            return False
        out = self.out
        out.ids.extend(
            [lot_id.strip(" \t") for lot_id in cols[id_col]]
            if id_col is not None
            else [""] * len(chunk)
        )
        out.dates.extend(dates)  # type: ignore[arg-type]  # no None left
        out.shares.extend(shares)
        out.lines.extend(lines)
        out.exempt.extend(exempt)
        return True

    def _slow(self, chunk: list[list[str]], lines: list[int]) -> None:
        self.materialize()
        out, state = self.out, self.state
        for row, line in zip(chunk, lines, strict=True):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > self.width and any(cell.strip() for cell in row[self.width :]):
                message = f"row has {len(row)} cells; the header has {self.width}"
                state.add(RowError(line, "", message))
                continue
            lot = parse_lot_row(row, line, 0, self.columns, state, check_ids=False)
            if lot is None or state.errors:
                lot_id = cell_text(row, self.columns.get("lot_id")).strip(" \t")
                if lot_id:
                    self.rejected_ids.append((lot_id, line))
                continue
            out.dates.append(lot.purchase_date.isoformat())
            out.shares.append(str(lot.shares))
            out.ids.append(lot.lot_id)
            out.lines.append(line)
            out.exempt.append(lot.exempt)

    def check_ids(self) -> None:
        """Report duplicate lot ids (a strictly increasing id column needs no hashing)."""
        ids = [i for i in self.out.ids if i] if "" in self.out.ids else self.out.ids
        if not self.rejected_ids and (
            all(map(operator.lt, ids, islice(ids, 1, None))) or len(set(ids)) == len(ids)
        ):
            return
        pairs = sorted(
            [*zip(self.out.ids, self.out.lines, strict=True), *self.rejected_ids],
            key=lambda pair: pair[1],
        )
        first: dict[str, int] = {}
        for lot_id, line in pairs:
            if not lot_id:
                continue
            seen = first.setdefault(lot_id, line)
            if seen != line:
                message = f"duplicate lot id {lot_id!r} (first on line {seen})"
                self.state.add(RowError(line, "lot_id", message))


def read_lot_file(source: str | Path | IO[str]) -> LotFile:
    """Read a lot schedule (path or open text stream), all or nothing.

    Raises:
        LotFileError: for any problem; ``errors`` lists each with its 1-based line.
    """
    stream, owned = open_text(source)
    try:
        with _no_gc():
            return _read_lot_stream(stream)
    finally:
        if owned:
            stream.close()


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic collector: a million lots would make it rescan the heap often."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _header_line(stream: IO[str]) -> tuple[list[str], int]:
    found = first_header_line(stream)
    if found is None:
        raise LotFileError([RowError(1, "", "the lot file is empty; a header row is required")])
    return found


def _blocks(stream: IO[str], line: int) -> Iterator[str]:
    """The rest of the stream in blocks of whole lines, each ending with a newline.

    ``line`` is the number of lines already read; a line longer than ``MAX_LINE_CHARS`` is
    refused before it is held in memory.
    """
    carry = ""
    while data := stream.read(BLOCK_CHARS):
        text = carry + data
        cut = text.rfind("\n") + 1
        if cut:
            line += text.count("\n", 0, cut)
            yield text[:cut]
        carry = text[cut:]
        if len(carry) > MAX_LINE_CHARS:
            message = f"line is longer than {MAX_LINE_CHARS:,} characters; not a lot schedule"
            raise LotFileError([RowError(line + 1, "", message)])
    if carry:
        yield carry + "\n"


def _read_lot_stream(stream: IO[str]) -> LotFile:
    line = 0
    limit = csv.field_size_limit(MAX_LINE_CHARS)  # a long cell is reported, not a CSV error
    try:
        header, line = _header_line(stream)
        if looks_like_data(header):
            raise LotFileError(
                [RowError(line, "", "a header row is required (purchase_date,shares)")]
            )
        columns, ignored = map_header(header, LOT_COLUMNS, ("purchase_date", "shares"))
        lot_reader = _LotReader(columns, len(header))
        blocks = _blocks(stream, line)
        for text in blocks:
            if "\r" in text:
                text = text.replace("\r\n", "\n")
            if '"' in text or "\r" in text:
                # Quoted cells may hold commas and line breaks across blocks: CSV from here on.
                rest = _lines_of(chain([text], blocks))
                _feed_csv(lot_reader, csv.reader(rest), line)
                break
            lot_reader.feed_text(text, line + 1)
            line += text.count("\n")
            if lot_reader.state.truncated:
                break
    except UnicodeDecodeError:
        message = "the file is not UTF-8 text (at or after this line)"
        raise LotFileError([RowError(line + 1, "", message)]) from None
    except csv.Error as exc:
        raise LotFileError([RowError(line + 1, "", f"not valid CSV ({exc})")]) from None
    finally:
        csv.field_size_limit(limit)
    return _finish(lot_reader, ignored)


def _lines_of(blocks: Iterable[str]) -> Iterator[str]:
    """Lines (with their newline) of blocks that each end with a newline."""
    for text in blocks:
        for part in text[:-1].split("\n"):
            yield part + "\n"


def _feed_csv(lot_reader: _LotReader, reader: Any, line: int) -> None:
    """Feed rows parsed by the CSV module, in chunks; ``line`` = lines already consumed."""
    start = 0
    while chunk := list(islice(reader, CHUNK_ROWS)):
        lot_reader.feed(chunk, _row_lines(chunk, line + start, line + reader.line_num))
        start = reader.line_num
        if lot_reader.state.truncated:
            break


def _finish(lot_reader: _LotReader, ignored: list[str]) -> LotFile:
    notes = [f"Ignored columns: {', '.join(ignored)}."] if ignored else []
    lazy = lot_reader.lazy_schedule()
    if lazy is not None:
        return LotFile(lazy, tuple(notes))
    state, out = lot_reader.state, lot_reader.out
    if not state.truncated:
        lot_reader.check_ids()
    if state.errors:
        errors = sorted(state.errors, key=lambda e: e.line)
        raise LotFileError(errors, truncated=state.truncated)
    schedule = LotSchedule.from_file_order(
        out.dates, out.shares, out.ids, out.exempt if any(out.exempt) else None, out.lines
    )
    return LotFile(schedule, tuple(notes))


def read_lots(source: str | Path | IO[str]) -> list[Lot]:
    """Read a lot schedule into ``Lot`` objects in file order (for small files and the window)."""
    schedule = read_lot_file(source).schedule
    return sorted(schedule, key=lambda lot: lot.seq)
