"""Read lot schedules and ledgers from CSV, and write results back out.

File format (see ``docs/calculations.md``):

* UTF-8, with or without a byte-order mark; comma-separated; a header row is required.
* Lot schedules: ``purchase_date`` and ``shares`` are required; ``lot_id`` and ``exempt`` are
  optional. Header names are case-insensitive; ``trade_date``/``date`` and ``lot``/``id`` are
  accepted as aliases. Other columns are allowed and ignored; the result lists them in a note.
* Dates: ``YYYY-MM-DD`` or ``M/D/YYYY``. Shares: a positive number with at most three decimal
  places (zeros beyond the third place are accepted: ``1.2500`` is 1.250); thousands separators
  (``1,000.5``) are accepted; ``NaN``, ``Infinity`` and exponents are rejected.
* Lot ids, when given, must be unique. Blank rows are skipped.

Reading is all-or-nothing: every row is checked, errors name the 1-based line, and either the
whole schedule is returned or ``LotFileError`` is raised (listing up to ``MAX_ERRORS`` errors).

The reader streams: it takes the rows in chunks and checks each chunk column by column (a single
regular-expression pass over the share column, a date cache, set operations for duplicate ids).
A chunk that fails a fast check is re-read row by row to produce exact messages.
"""

from __future__ import annotations

import bisect
import codecs
import contextlib
import csv
import datetime as dt
import gc
import io
import logging
import operator
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain, groupby, islice
from pathlib import Path
from typing import IO, Any

from janus_gui.core import inputs, safe_write
from janus_gui.core.csv_safety import safe_row
from janus_gui.core.errors import LotScheduleError
from janus_gui.core.exemptions import parse_exemption
from janus_gui.core.input_files import MAX_LOT_FILE_BYTES, open_input
from janus_gui.core.ledger import LedgerEntry, LedgerType
from janus_gui.core.lots import Lot, LotSchedule
from janus_gui.core.money import quantize_shares

logger = logging.getLogger(__name__)

MAX_ERRORS = 50
CHUNK_ROWS = 4096
MAX_LINE_CHARS = 1 << 20  # a longer line is refused (a lot row is a few dozen characters)
MAX_LOT_ID_CHARS = inputs.MAX_LOT_ID_CHARS
# Lots held cell by cell (a file that cannot be kept as text blocks: dates out of order, ids not
# increasing, quotes...) cost about 300 bytes each; past this many the read is refused, which
# keeps a `fee` run under about 400 MB. Files read as a stream have no such limit.
MAX_HELD_LOTS = 1_000_000
HELD_LOTS_MESSAGE = (
    "more than {limit:,} lots that cannot be read as a stream; a file this large must have "
    "ISO dates (YYYY-MM-DD) in order, lot ids (if any) in increasing order, no exempt column "
    "and no quotes or spaces around cells. Sort it that way, or split it"
)
MAX_SHARE_DIGITS = 12  # digits before the decimal point (keeps every product exact in Decimal)
BLOCK_CHARS = 1 << 16  # characters read at a time: small blocks stay in the CPU cache

LOT_COLUMNS = {
    "purchase_date": "purchase_date",
    "trade_date": "purchase_date",
    "date": "purchase_date",
    "shares": "shares",
    "lot_id": "lot_id",
    "lot": "lot_id",
    "id": "lot_id",
    "exempt": "exempt",
    "exempt_reason": "exempt_reason",
    "exemption_reason": "exempt_reason",
    "exempt_recorded_by": "exempt_recorded_by",
    "exempt_recorded_on": "exempt_recorded_on",
}
# Columns that describe an exemption; a schedule with any of them is read row by row.
EXEMPTION_COLUMNS = ("exempt_reason", "exempt_recorded_by", "exempt_recorded_on")
LEDGER_COLUMNS = {
    "type": "type",
    "date": "date",
    "trade_date": "date",
    "shares": "shares",
    "amount": "amount",
    "nav": "nav",
    "lot_id": "lot_id",
    "lot": "lot_id",
    "exempt": "exempt",
    "exempt_reason": "exempt_reason",
    "exemption_reason": "exempt_reason",
    "exempt_recorded_by": "exempt_recorded_by",
    "exempt_recorded_on": "exempt_recorded_on",
}
EXEMPT_WORDS = {
    "": False,
    "0": False,
    "false": False,
    "no": False,
    "n": False,
    "1": True,
    "true": True,
    "yes": True,
    "y": True,
    "exempt": True,
}

# ASCII digits only (``\d`` alone would admit Arabic-Indic and other digits).
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$", re.ASCII)
_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", re.ASCII)


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
    return "exempt" not in columns and not _has_reasons(columns)


def _has_reasons(columns: dict[str, int]) -> bool:
    return any(name in columns for name in EXEMPTION_COLUMNS)


def _ids_plain(joined: str) -> bool:
    """Every character of the joined ids is visible or a space (``inputs.parse_lot_id``)."""
    return joined.isprintable()


def _needs_strip(joined: str) -> bool:
    return " " in joined or "\t" in joined


@dataclass(frozen=True, slots=True)
class RowError:
    """A problem with one row (``line`` is 1-based; ``column`` the header name, if any)."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f" ({self.column})" if self.column else ""
        return f"line {self.line}{where}: {self.message}"


class LotFileError(LotScheduleError):
    """A lot file or ledger that cannot be used; ``errors`` lists every problem found."""

    def __init__(self, errors: Sequence[RowError], *, truncated: bool = False) -> None:
        first = errors[0]
        more = len(errors) - 1
        suffix = ""
        if more:
            suffix = f" (and {more}{'+' if truncated else ''} more error{'s' * (more > 1)})"
        super().__init__(
            f"{first.column + ': ' if first.column else ''}{first.message}{suffix}",
            line=first.line,
        )
        self.errors = tuple(errors)
        self.truncated = truncated


@dataclass(frozen=True, slots=True)
class LotFile:
    """A lot schedule read from a file, plus notes (ignored columns, reordering)."""

    schedule: LotSchedule
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ParsedRows:
    """Rows parsed for the window's lot table: one entry per input row, errors per row."""

    lots: tuple[Lot | None, ...]
    errors: tuple[RowError, ...]

    @property
    def ok(self) -> bool:
        """True when every row parsed."""
        return not self.errors

    def valid_lots(self) -> list[Lot]:
        """The rows that parsed, in input order."""
        return [lot for lot in self.lots if lot is not None]


# -- cell parsers ----------------------------------------------------------------------------
def parse_date_cell(text: str) -> dt.date:
    """``YYYY-MM-DD`` or ``M/D/YYYY`` (``core.inputs``); ``ValueError`` with the reason."""
    return inputs.parse_date(text)


def parse_positive_decimal(
    text: str, *, places: int | None, max_digits: int = MAX_SHARE_DIGITS
) -> Decimal:
    """A positive plain number with at most ``places`` decimals (``core.inputs`` rules).

    ``max_digits`` is the input rules' limit of digits before the point; it stays a parameter
    for callers written against it.
    """
    del max_digits  # one limit for every number: inputs.MAX_INTEGER_DIGITS
    dollars = places is None or places == inputs.AMOUNT_PLACES
    return inputs.parse_number(text, inputs.NumberRule("value", places, dollar_sign=dollars))


def parse_shares_cell(text: str) -> Decimal:
    """Shares: positive, at most three decimal places, returned with exactly three."""
    return quantize_shares(parse_positive_decimal(text, places=3))


def parse_exempt_cell(text: str) -> bool:
    """``yes/no``, ``true/false``, ``1/0`` or blank (not exempt)."""
    try:
        return EXEMPT_WORDS[text.strip().lower()]
    except KeyError:
        raise ValueError(f"{text.strip()!r} is not yes/no") from None


# -- headers ---------------------------------------------------------------------------------
def _key(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def _map_header(
    header: Sequence[str], aliases: dict[str, str], required: Sequence[str]
) -> tuple[dict[str, int], list[str]]:
    """Column index per canonical name, plus the names of ignored columns."""
    positions: dict[str, int] = {}
    ignored: list[str] = []
    errors: list[RowError] = []
    for index, name in enumerate(header):
        canonical = aliases.get(_key(name))
        if canonical is None:
            if name.strip():
                ignored.append(name.strip())
            continue
        if canonical in positions:
            errors.append(RowError(1, name.strip(), f"column {canonical} is given twice"))
            continue
        positions[canonical] = index
    missing = [name for name in required if name not in positions]
    if missing:
        found = ", ".join(h.strip() for h in header) or "nothing"
        errors.append(
            RowError(1, "", f"header row must name {', '.join(missing)} (found: {found})")
        )
    if errors:
        raise LotFileError(errors)
    return positions, ignored


def _looks_like_data(header: Sequence[str]) -> bool:
    first = header[0] if header else ""
    try:
        parse_date_cell(first)
    except ValueError:
        return False
    return True


# -- the row-by-row path (exact messages; also used by the window) ------------------------------
@dataclass(slots=True)
class _Collector:
    """Shared state while reading: errors, seen lot ids (id -> first line)."""

    errors: list[RowError] = field(default_factory=list)
    seen_ids: dict[str, int] = field(default_factory=dict)
    truncated: bool = False
    limit: int | None = MAX_ERRORS

    def add(self, error: RowError) -> None:
        if self.limit is None or len(self.errors) < self.limit:
            self.errors.append(error)
        else:
            self.truncated = True


def _cell(row: Sequence[str], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    return row[index]


def _parse_lot_row(
    row: Sequence[str],
    line: int,
    seq: int,
    columns: dict[str, int],
    state: _Collector,
    *,
    check_ids: bool = True,
) -> Lot | None:
    """One lot row; problems go to ``state`` and ``None`` is returned."""
    before = len(state.errors) + state.truncated
    date = shares = None
    exempt = False
    try:
        date = parse_date_cell(_cell(row, columns["purchase_date"]))
    except ValueError as exc:
        state.add(RowError(line, "purchase_date", str(exc)))
    try:
        shares = parse_shares_cell(_cell(row, columns["shares"]))
    except ValueError as exc:
        state.add(RowError(line, "shares", str(exc)))
    if "exempt" in columns:
        try:
            exempt = parse_exempt_cell(_cell(row, columns["exempt"]))
        except ValueError as exc:
            state.add(RowError(line, "exempt", str(exc)))
    if _has_reasons(columns):
        exempt = _exemption_cells(row, line, columns, state, exempt)
    try:
        lot_id = inputs.parse_lot_id(_cell(row, columns.get("lot_id")))
    except ValueError as exc:
        state.add(RowError(line, "lot_id", str(exc)))
        lot_id = ""
    if lot_id and check_ids:
        first = state.seen_ids.setdefault(lot_id, line)
        if first != line:
            message = f"duplicate lot id {lot_id!r} (first on line {first})"
            state.add(RowError(line, "lot_id", message))
    if len(state.errors) + state.truncated != before or date is None or shares is None:
        return None
    return Lot(date, shares, lot_id, seq, exempt)


def _exemption_cells(
    row: Sequence[str], line: int, columns: dict[str, int], state: _Collector, exempt: bool
) -> Any:
    """The lot's exemption: an ``Exemption`` when a reason is given, else the plain flag."""
    reason = _cell(row, columns.get("exempt_reason")).strip()
    by = _cell(row, columns.get("exempt_recorded_by"))
    on_text = _cell(row, columns.get("exempt_recorded_on")).strip()
    if not reason:
        if by.strip() or on_text:
            state.add(RowError(line, "exempt_reason", "is blank, but who recorded it is given"))
        return exempt
    if "exempt" in columns and _cell(row, columns["exempt"]).strip() and not exempt:
        state.add(RowError(line, "exempt", "is no, but an exempt_reason is given"))
        return False
    try:
        on = parse_date_cell(on_text) if on_text else None
    except ValueError as exc:
        state.add(RowError(line, "exempt_recorded_on", str(exc)))
        return False
    try:
        return parse_exemption(reason, by, on)
    except ValueError as exc:
        state.add(RowError(line, "exempt_reason", str(exc)))
        return False


def parse_lot_rows(
    rows: Iterable[Sequence[str]],
    *,
    header: Sequence[str] | None = None,
    first_line: int = 1,
) -> ParsedRows:
    """Parse lot rows given as lists of strings (the window's lot table, a clipboard paste).

    Args:
        rows: the data rows, each a list of cell texts.
        header: column names; ``None`` means ``purchase_date, shares, lot_id`` in that order.
        first_line: the line number reported for the first row.

    Returns:
        One entry per input row (``None`` where the row failed) and every row's errors; blank
        rows give ``None`` without an error. Never raises for bad cells.
    """
    columns = {"purchase_date": 0, "shares": 1, "lot_id": 2}
    if header is not None:
        columns, _ = _map_header(header, LOT_COLUMNS, ("purchase_date", "shares"))
    state = _Collector(limit=None)
    lots: list[Lot | None] = []
    for offset, row in enumerate(rows):
        line = first_line + offset
        if not any(cell.strip() for cell in row):
            lots.append(None)
            continue
        lots.append(_parse_lot_row(row, line, offset + 1, columns, state))
    return ParsedRows(tuple(lots), tuple(state.errors))


# -- the streaming file reader ----------------------------------------------------------------
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


class _LazyColumn(Sequence[str]):
    """One column of ``_TextBlocks`` as a read-only sequence."""

    def __init__(self, blocks: _TextBlocks, col: int | None) -> None:
        self._blocks = blocks
        self._col = col

    def __len__(self) -> int:
        return self._blocks.total

    def __getitem__(self, index: Any) -> Any:
        blocks = self._blocks
        if isinstance(index, slice):
            start, stop, step = index.indices(blocks.total)
            if step != 1 or start >= stop:
                return [self[i] for i in range(start, stop, step)]
            return self._slice(start, stop)
        if self._col is None:
            blocks.locate(index)
            return ""
        block, row = blocks.locate(index)
        return blocks.flat(block)[row * blocks.width + self._col]

    def _slice(self, start: int, stop: int) -> list[str]:
        blocks = self._blocks
        result: list[str] = []
        first, _ = blocks.locate(start)
        for block in range(first, len(blocks.texts)):
            begin = blocks.starts[block]
            if begin >= stop:
                break
            rows = blocks.starts[block + 1] if block + 1 < len(blocks.starts) else blocks.total
            # one split per block, shared by the columns
            cells = [""] * (rows - begin) if self._col is None else blocks.column(block, self._col)
            result.extend(cells[max(0, start - begin) : stop - begin])
        return result


class _LazyLines(Sequence[int]):
    """Source line of each row of ``_TextBlocks`` (rows of a clean block are consecutive)."""

    def __init__(self, blocks: _TextBlocks) -> None:
        self._blocks = blocks

    def __len__(self) -> int:
        return self._blocks.total

    def __getitem__(self, index: Any) -> Any:
        blocks = self._blocks
        if isinstance(index, slice):
            start, stop, step = index.indices(blocks.total)
            if step != 1 or start >= stop:
                return [self[i] for i in range(start, stop, step)]
            lines: list[int] = []
            block, _ = blocks.locate(start)
            while block < len(blocks.starts) and blocks.starts[block] < stop:
                begin = blocks.starts[block]
                first = blocks.first_lines[block] - begin  # line of row r is first + r
                last = min(stop, _end(blocks, block))
                lines.extend(range(first + max(start, begin), first + last))
                block += 1
            return lines
        block, row = blocks.locate(index)
        return blocks.first_lines[block] + row


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
        self.state = _Collector()
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
        if _has_reasons(self.columns):
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
        if _has_reasons(self.columns):
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
            lot = _parse_lot_row(row, line, 0, self.columns, state, check_ids=False)
            if lot is None or state.errors:
                lot_id = _cell(row, self.columns.get("lot_id")).strip(" \t")
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
        pairs = sorted([*zip(self.out.ids, self.out.lines, strict=True), *self.rejected_ids],
                       key=lambda pair: pair[1])
        first: dict[str, int] = {}
        for lot_id, line in pairs:
            if not lot_id:
                continue
            seen = first.setdefault(lot_id, line)
            if seen != line:
                message = f"duplicate lot id {lot_id!r} (first on line {seen})"
                self.state.add(RowError(line, "lot_id", message))


class _Utf8Reader:
    """A text view of a file that names the line of the first byte that is not UTF-8.

    Decodes with an incremental UTF-8 decoder (a byte-order mark is dropped); ``read`` and
    ``readline`` behave like a text file opened with ``newline=""``.
    """

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self._buffer = ""
        self._lines = 0  # line breaks decoded so far
        self._eof = False

    def _fill(self) -> None:
        data = self._raw.read(BLOCK_CHARS)
        try:
            text = self._decoder.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            before = data[: max(exc.start, 0)]
            line = self._lines + (before.count(b"\n") or before.count(b"\r")) + 1  # CR-only too
            raise LotFileError([RowError(line, "", "the file is not UTF-8 text")]) from None
        self._lines += text.count("\n") or text.count("\r")
        self._buffer += text
        self._eof = not data

    def read(self, size: int = -1) -> str:
        while not self._eof and (size < 0 or len(self._buffer) < size):
            self._fill()
        cut = len(self._buffer) if size < 0 else size
        text, self._buffer = self._buffer[:cut], self._buffer[cut:]
        return text

    def readline(self) -> str:
        while "\n" not in self._buffer and not self._eof:
            if len(self._buffer) > MAX_LINE_CHARS:
                message = f"line is longer than {MAX_LINE_CHARS:,} characters"
                raise LotFileError([RowError(self._lines + 1, "", message)])
            self._fill()
        cut = self._buffer.find("\n") + 1 or len(self._buffer)
        text, self._buffer = self._buffer[:cut], self._buffer[cut:]
        return text

    def __iter__(self) -> Iterator[str]:
        return iter(self.readline, "")

    def fileno(self) -> int:
        return self._raw.fileno()

    def close(self) -> None:
        self._raw.close()


class _UnifiedNewlines:
    r"""A text stream whose line ends (``\r\n``, ``\r`` alone, ``\n``) all read as ``\n``,
    so a file saved with old Mac line ends reads as it does in batch and the window."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self._buffer = ""
        self._eof = False
        self._lines = 0  # lines given out by readline

    def _fill(self) -> None:
        data = self._stream.read(BLOCK_CHARS)
        self._eof = not data
        text = self._buffer + data
        if "\r" in text:
            held = "\r" if text.endswith("\r") and not self._eof else ""  # maybe a \r\n
            text = text[: len(text) - len(held)].replace("\r\n", "\n").replace("\r", "\n")
            text += held
        self._buffer = text

    def read(self, size: int = -1) -> str:
        while not self._eof and (size < 0 or len(self._buffer) <= size):
            self._fill()
        cut = len(self._buffer) if size < 0 else size
        if not self._eof and self._buffer[:cut].endswith("\r"):
            cut -= 1
        text, self._buffer = self._buffer[:cut], self._buffer[cut:]
        return text

    def readline(self) -> str:
        while "\n" not in self._buffer and not self._eof:
            if len(self._buffer) > MAX_LINE_CHARS:
                message = f"line is longer than {MAX_LINE_CHARS:,} characters"
                raise LotFileError([RowError(self._lines + 1, "", message)])
            self._fill()
        cut = self._buffer.find("\n") + 1 or len(self._buffer)
        text, self._buffer = self._buffer[:cut], self._buffer[cut:]
        self._lines += 1
        return text

    def __iter__(self) -> Iterator[str]:
        return iter(self.readline, "")

    def lines_read(self) -> int:
        """Lines given out by ``readline`` so far."""
        return self._lines

    def fileno(self) -> int:
        return int(self._stream.fileno())

    def close(self) -> None:
        self._stream.close()


def open_text_file(path: str | Path, what: str = "lot file") -> Any:
    r"""A lot file opened as text the way every reader opens it: one snapshot, regular files
    only, strict UTF-8 with the failing line named, every line end read as ``\n``."""
    raw = open_input(path, what=what, max_bytes=MAX_LOT_FILE_BYTES)
    return _UnifiedNewlines(_Utf8Reader(raw))


def _open_text(source: str | Path | IO[str], what: str = "lot file") -> tuple[Any, bool]:
    if isinstance(source, str | Path):
        return open_text_file(source, what), True
    return _UnifiedNewlines(source), False


def _read_header(reader: Iterator[list[str]], what: str) -> list[str]:
    for header in reader:
        if any(cell.strip() for cell in header):
            if header and header[0].startswith("\ufeff"):
                header[0] = header[0][1:]
            return header
    raise LotFileError([RowError(1, "", f"the {what} is empty; a header row is required")])


def read_lot_file(source: str | Path | IO[str]) -> LotFile:
    """Read a lot schedule (path or open text stream), all or nothing.

    Raises:
        LotFileError: for any problem; ``errors`` lists each with its 1-based line.
    """
    stream, owned = _open_text(source)
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


def first_header_line(stream: IO[str]) -> tuple[list[str], int] | None:
    """The first non-blank line parsed as CSV (byte-order mark removed) and its 1-based line
    number; ``None`` for a file with no such line. Lot files and batch files share it."""
    for line_no, raw in enumerate(iter(stream.readline, ""), start=1):
        cells = next(csv.reader([raw]), [])
        if any(cell.strip() for cell in cells):
            if cells[0].startswith("\ufeff"):
                cells[0] = cells[0][1:]
            return cells, line_no
    return None


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
        if _looks_like_data(header):
            raise LotFileError(
                [RowError(line, "", "a header row is required (purchase_date,shares)")]
            )
        columns, ignored = _map_header(header, LOT_COLUMNS, ("purchase_date", "shares"))
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


# -- ledgers -----------------------------------------------------------------------------------
def _parse_ledger_row(
    row: Sequence[str], line: int, seq: int, columns: dict[str, int], state: _Collector
) -> LedgerEntry | None:
    before = len(state.errors)
    kind_text = _cell(row, columns["type"]).strip().lower()
    kind = {"purchase": LedgerType.PURCHASE, "buy": LedgerType.PURCHASE}.get(kind_text)
    if kind_text in {"redemption", "redeem", "sell"}:
        kind = LedgerType.REDEMPTION
    if kind is None:
        state.add(RowError(line, "type", f"{kind_text!r} is not purchase or redemption"))
    date = shares = amount = nav = None
    redeem_all = False
    try:
        date = parse_date_cell(_cell(row, columns["date"]))
    except ValueError as exc:
        state.add(RowError(line, "date", str(exc)))
    shares_text = _cell(row, columns["shares"]).strip()
    amount_text = _cell(row, columns.get("amount")).strip()
    try:
        if kind == LedgerType.REDEMPTION and shares_text.lower() == "all":
            redeem_all = True
        elif shares_text or kind == LedgerType.PURCHASE or not amount_text:
            shares = parse_shares_cell(shares_text)
    except ValueError as exc:
        state.add(RowError(line, "shares", str(exc)))
    try:
        if amount_text:
            amount = parse_positive_decimal(amount_text, places=inputs.AMOUNT_PLACES)
        nav_text = _cell(row, columns.get("nav")).strip()
        nav = parse_positive_decimal(nav_text, places=inputs.NAV_PLACES) if nav_text else None
    except ValueError as exc:
        state.add(RowError(line, "amount/nav", str(exc)))
    if kind == LedgerType.REDEMPTION and shares is not None and amount is not None:
        state.add(RowError(line, "", "give shares or amount for a redemption, not both"))
    exempt: Any = False
    try:
        exempt = parse_exempt_cell(_cell(row, columns.get("exempt")))
    except ValueError as exc:
        state.add(RowError(line, "exempt", str(exc)))
    if _has_reasons(columns):
        exempt = _exemption_cells(row, line, columns, state, exempt)
    if len(state.errors) != before or kind is None or date is None:
        return None
    lot_id = _cell(row, columns.get("lot_id")).strip()
    return LedgerEntry(line, seq, kind, date, shares, amount, nav, lot_id, exempt, redeem_all)


def read_ledger(source: str | Path | IO[str]) -> list[LedgerEntry]:
    """Read a ledger (``type,date,shares[,amount][,nav][,lot_id]``), all or nothing.

    Returns:
        Entries sorted by date; entries on the same date keep file order.
    """
    stream, owned = _open_text(source, "ledger")
    reader = csv.reader(stream)
    state = _Collector()
    entries: list[LedgerEntry] = []
    try:
        header = _read_header(reader, "ledger")
        columns, _ = _map_header(header, LEDGER_COLUMNS, ("type", "date", "shares"))
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            entry = _parse_ledger_row(row, reader.line_num, len(entries) + 1, columns, state)
            if entry is not None:
                entries.append(entry)
            if state.truncated:
                break
    except UnicodeDecodeError:
        line = reader.line_num + 1
        raise LotFileError([RowError(line, "", "the file is not UTF-8 text")]) from None
    except csv.Error as exc:
        raise LotFileError([RowError(reader.line_num, "", f"not valid CSV ({exc})")]) from None
    finally:
        if owned:
            stream.close()
    if state.errors:
        raise LotFileError(state.errors, truncated=state.truncated)
    return sorted(entries, key=lambda e: (e.date, e.seq))


# -- writers -----------------------------------------------------------------------------------
def write_lots(target: str | Path | IO[str], schedule: LotSchedule | Iterable[Lot]) -> int:
    """Write lots as ``purchase_date,shares,lot_id`` (FIFO order); returns the row count.

    A path is written through ``core.safe_write`` (checked target, atomic replace).
    """
    if isinstance(target, str | Path):
        with safe_write.open_for_replace(target) as stream:
            return _write_lot_rows(stream, schedule)
    return _write_lot_rows(target, schedule)


def _write_lot_rows(stream: IO[str], schedule: LotSchedule | Iterable[Lot]) -> int:
    writer = csv.writer(stream)
    writer.writerow(["purchase_date", "shares", "lot_id"])
    count = 0
    if isinstance(schedule, LotSchedule):
        for lot_id, iso, shares, _seq in schedule.iter_text_rows():
            writer.writerow(safe_row((iso, shares, lot_id)))
            count += 1
    else:
        for lot in schedule:
            held = quantize_shares(lot.shares)
            writer.writerow(safe_row((lot.purchase_date.isoformat(), held, lot.lot_id)))
            count += 1
    return count


def write_rows(target: IO[str], header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Write a header and rows with every cell neutralised against formula injection."""
    writer = csv.writer(target)
    writer.writerow(safe_row(header))
    for row in rows:
        writer.writerow(safe_row(row))
