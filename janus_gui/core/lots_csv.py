r"""The lot and ledger CSV format: columns, cell and row parsers, ledgers, and writing CSV.

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
``parse_lot_row`` is the one row parser: the window, batch and ``core.lot_file`` (which reads lot
schedule files of any size) all use it. Files are opened through ``open_text_file``: one
snapshot, strict UTF-8 with the failing line named, every line end read as ``\n``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
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


def has_reasons(columns: dict[str, int]) -> bool:
    """True when the header names a column describing an exemption."""
    return any(name in columns for name in EXEMPTION_COLUMNS)


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


def map_header(
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


def looks_like_data(header: Sequence[str]) -> bool:
    """True when a "header" row starts with a date: a file without its header row."""
    first = header[0] if header else ""
    try:
        parse_date_cell(first)
    except ValueError:
        return False
    return True


# -- the row-by-row path (exact messages; also used by the window) ------------------------------
@dataclass(slots=True)
class Collector:
    """Shared state while reading: errors, seen lot ids (id -> first line)."""

    errors: list[RowError] = field(default_factory=list)
    seen_ids: dict[str, int] = field(default_factory=dict)
    truncated: bool = False
    limit: int | None = MAX_ERRORS

    def add(self, error: RowError) -> None:
        """Record an error (past ``limit`` errors, only that there were more)."""
        if self.limit is None or len(self.errors) < self.limit:
            self.errors.append(error)
        else:
            self.truncated = True


def cell_text(row: Sequence[str], index: int | None) -> str:
    """The cell at ``index`` ("" when the column is absent or the row is short)."""
    if index is None or index >= len(row):
        return ""
    return row[index]


def parse_lot_row(
    row: Sequence[str],
    line: int,
    seq: int,
    columns: dict[str, int],
    state: Collector,
    *,
    check_ids: bool = True,
) -> Lot | None:
    """One lot row; problems go to ``state`` and ``None`` is returned."""
    before = len(state.errors) + state.truncated
    date = shares = None
    exempt = False
    try:
        date = parse_date_cell(cell_text(row, columns["purchase_date"]))
    except ValueError as exc:
        state.add(RowError(line, "purchase_date", str(exc)))
    try:
        shares = parse_shares_cell(cell_text(row, columns["shares"]))
    except ValueError as exc:
        state.add(RowError(line, "shares", str(exc)))
    if "exempt" in columns:
        try:
            exempt = parse_exempt_cell(cell_text(row, columns["exempt"]))
        except ValueError as exc:
            state.add(RowError(line, "exempt", str(exc)))
    if has_reasons(columns):
        exempt = _exemption_cells(row, line, columns, state, exempt)
    try:
        lot_id = inputs.parse_lot_id(cell_text(row, columns.get("lot_id")))
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
    row: Sequence[str], line: int, columns: dict[str, int], state: Collector, exempt: bool
) -> Any:
    """The lot's exemption: an ``Exemption`` when a reason is given, else the plain flag."""
    reason = cell_text(row, columns.get("exempt_reason")).strip()
    by = cell_text(row, columns.get("exempt_recorded_by"))
    on_text = cell_text(row, columns.get("exempt_recorded_on")).strip()
    if not reason:
        if by.strip() or on_text:
            state.add(RowError(line, "exempt_reason", "is blank, but who recorded it is given"))
        return exempt
    if "exempt" in columns and cell_text(row, columns["exempt"]).strip() and not exempt:
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
        columns, _ = map_header(header, LOT_COLUMNS, ("purchase_date", "shares"))
    state = Collector(limit=None)
    lots: list[Lot | None] = []
    for offset, row in enumerate(rows):
        line = first_line + offset
        if not any(cell.strip() for cell in row):
            lots.append(None)
            continue
        lots.append(parse_lot_row(row, line, offset + 1, columns, state))
    return ParsedRows(tuple(lots), tuple(state.errors))


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


def open_text(source: str | Path | IO[str], what: str = "lot file") -> tuple[Any, bool]:
    """A path opened with ``open_text_file``, or an open stream with unified line ends; and
    whether the caller owns (must close) the stream."""
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


# -- ledgers -----------------------------------------------------------------------------------
def _parse_ledger_row(
    row: Sequence[str], line: int, seq: int, columns: dict[str, int], state: Collector
) -> LedgerEntry | None:
    before = len(state.errors)
    kind_text = cell_text(row, columns["type"]).strip().lower()
    kind = {"purchase": LedgerType.PURCHASE, "buy": LedgerType.PURCHASE}.get(kind_text)
    if kind_text in {"redemption", "redeem", "sell"}:
        kind = LedgerType.REDEMPTION
    if kind is None:
        state.add(RowError(line, "type", f"{kind_text!r} is not purchase or redemption"))
    date = shares = amount = nav = None
    redeem_all = False
    try:
        date = parse_date_cell(cell_text(row, columns["date"]))
    except ValueError as exc:
        state.add(RowError(line, "date", str(exc)))
    shares_text = cell_text(row, columns["shares"]).strip()
    amount_text = cell_text(row, columns.get("amount")).strip()
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
        nav_text = cell_text(row, columns.get("nav")).strip()
        nav = parse_positive_decimal(nav_text, places=inputs.NAV_PLACES) if nav_text else None
    except ValueError as exc:
        state.add(RowError(line, "amount/nav", str(exc)))
    if kind == LedgerType.REDEMPTION and shares is not None and amount is not None:
        state.add(RowError(line, "", "give shares or amount for a redemption, not both"))
    exempt: Any = False
    try:
        exempt = parse_exempt_cell(cell_text(row, columns.get("exempt")))
    except ValueError as exc:
        state.add(RowError(line, "exempt", str(exc)))
    if has_reasons(columns):
        exempt = _exemption_cells(row, line, columns, state, exempt)
    if len(state.errors) != before or kind is None or date is None:
        return None
    lot_id = cell_text(row, columns.get("lot_id")).strip()
    return LedgerEntry(line, seq, kind, date, shares, amount, nav, lot_id, exempt, redeem_all)


def read_ledger(source: str | Path | IO[str]) -> list[LedgerEntry]:
    """Read a ledger (``type,date,shares[,amount][,nav][,lot_id]``), all or nothing.

    Returns:
        Entries sorted by date; entries on the same date keep file order.
    """
    stream, owned = open_text(source, "ledger")
    reader = csv.reader(stream)
    state = Collector()
    entries: list[LedgerEntry] = []
    try:
        header = _read_header(reader, "ledger")
        columns, _ = map_header(header, LEDGER_COLUMNS, ("type", "date", "shares"))
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
