"""The workspace's single doorway to the core fee engine (parsing cells and rows).

Widgets call these functions only, so the table model, the paste action and the import worker
read a cell exactly as the CLI's lot-file reader does (``core.lots_csv``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any, Protocol

from janus_gui.core import inputs, lots_csv, wording
from janus_gui.core.exemptions import (
    NOT_RECORDED,
    Exemption,
    ExemptShares,
    result_exemptions,
    schedule_exemption,
)
from janus_gui.core.lots import Lot, LotSchedule
from janus_gui.core.lots_csv import RowError
from janus_gui.core.models import Citation, FeeRule
from janus_gui.core.money import quantize_shares
from janus_gui.core.planner import plan_fee_free
from janus_gui.core.redemption import (
    LotRedemption,
    RedeemMode,
    RedemptionRequest,
    RedemptionResult,
    redeem,
)
from janus_gui.ui.workspace.timeline import LotState, TimelineLot


class ParsedLotRow(Protocol):
    """What the computation needs from a lot-table row."""

    purchase_date: dt.date | None
    shares: Decimal | None
    lot_id: str
    exempt: bool

    @property
    def valid(self) -> bool: ...  # noqa: D102


_SUBJECTS = {"purchase_date": "the purchase date", "shares": "the share count"}
COLUMN_KEYS = ("purchase_date", "shares", "lot_id", "exempt")


def _message(column: str, problem: str) -> str:
    """Turn the reader's short messages (``"is missing"``) into a sentence."""
    if problem.startswith("is "):
        return f"{_SUBJECTS.get(column, column)} {problem}"
    return problem


def parse_date_cell(text: str) -> tuple[dt.date | None, str | None]:
    """A purchase date, or ``(None, reason)``."""
    try:
        return lots_csv.parse_date_cell(text), None
    except ValueError as exc:
        return None, _message("purchase_date", str(exc))


def parse_shares_cell(text: str) -> tuple[Decimal | None, str | None]:
    """A positive share count with at most three decimals (returned with three), or a reason."""
    try:
        return lots_csv.parse_shares_cell(text), None
    except ValueError as exc:
        return None, _message("shares", str(exc))


def parse_exempt_cell(text: str) -> bool:
    """True for yes/true/1/exempt; anything unknown reads as not exempt."""
    try:
        return lots_csv.parse_exempt_cell(text)
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class TextRow:
    """A row's cells by meaning, as typed, with the reader's errors (column key -> message)."""

    line: int
    purchase_date: str
    shares: str
    lot_id: str
    exempt: str
    errors: dict[str, str]
    lot: Lot | None = None  # the parsed lot when the row has no error


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
            by_index.setdefault(index, {}).setdefault(key, _message(key, error.message))
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


def release(items: list[object]) -> None:
    """Empty a large list in slices, so freeing it never holds the interpreter for long."""
    while items:
        del items[-4096:]


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


# -- computing a redemption ---------------------------------------------------------------------
_SUM_SLICE = 2048


def sliced_total(schedule: LotSchedule) -> Decimal:
    """``schedule.total_shares()`` summed in slices.

    One ``sum(map(Decimal, ...))`` over 100,000 lots is a single C call that keeps the
    interpreter lock for about 100 ms, freezing the window while a worker computes; slices
    let the GUI thread in between.
    """
    count = len(schedule)
    if count == 0:
        return Decimal("0.000")
    total = schedule.shares(0)
    for start in range(1, count, _SUM_SLICE):
        stop = min(count, start + _SUM_SLICE)
        total += sum(map(schedule.shares, range(start, stop)), Decimal(0))
    return quantize_shares(total)


class SlicedSumSchedule(LotSchedule):
    """A ``LotSchedule`` whose total is summed in slices (see ``sliced_total``)."""

    __slots__ = ()

    def total_shares(self) -> Decimal:
        """Sum of the shares still held."""
        return sliced_total(self)


@dataclass(frozen=True, slots=True)
class LotColumns:
    """Valid lot-table rows as columns in table order; ``seqs`` are the 1-based row numbers."""

    dates: list[dt.date]
    shares: list[Decimal]
    ids: list[str]
    exempt: list[bool]
    seqs: list[int]

    def __len__(self) -> int:
        return len(self.dates)

    @classmethod
    def from_rows(cls, rows: Sequence[ParsedLotRow], seqs: Sequence[int]) -> LotColumns:
        """Columns of the valid rows (safe on a worker: rows are immutable)."""
        valid = [(q, r) for q, r in zip(seqs, rows, strict=True) if r.valid]
        return cls(
            [r.purchase_date for _q, r in valid],  # type: ignore[misc]
            [r.shares for _q, r in valid],  # type: ignore[misc]
            [r.lot_id for _q, r in valid],
            [r.exempt for _q, r in valid],
            [q for q, _r in valid],
        )

    @classmethod
    def from_schedule(cls, schedule: LotSchedule) -> LotColumns:
        """Columns of a schedule read from a lot file (the command line's ``fee --pdf``)."""
        count = range(len(schedule))
        return cls(
            [schedule.date(i) for i in count],
            [schedule.shares(i) for i in count],
            [schedule.lot_id(i) for i in count],
            [schedule.exempt_value(i) for i in count],
            [schedule.seq(i) for i in count],
        )

    def schedule(self) -> LotSchedule:
        """The FIFO schedule: by purchase date, ties in table order (the ``#`` column)."""
        dates = self.dates
        if all(a <= b for a, b in zip(dates, dates[1:], strict=False)):
            order: Sequence[int] = range(len(dates))  # already FIFO: files usually are
        else:  # one C-level sort (holds the interpreter lock briefly)
            order = sorted(range(len(dates)), key=dates.__getitem__)
        exempt = [self.exempt[i] for i in order]
        return SlicedSumSchedule(
            [self.dates[i] for i in order],
            [self.shares[i] for i in order],
            [self.ids[i] for i in order],
            [self.seqs[i] for i in order],
            exempt if any(exempt) else None,
        )


@dataclass(frozen=True, slots=True)
class Note:
    """A line under "Notes", with the citation behind it when there is one."""

    text: str
    citation: Citation | None = None


STEP_ROWS_SHOWN = 5000  # per-lot breakdown rows shown; the CSV export has them all


FEE_UNDETERMINED = "cannot be determined"  # never $0.00: silence is not a zero fee


@dataclass(frozen=True, slots=True)
class Outcome:
    """A computed redemption and everything the workspace shows about it.

    ``shown_steps`` (the first ``STEP_ROWS_SHOWN`` lots of the walk) is built with the rest on
    the worker: materialising thousands of steps on the GUI thread would freeze the window.
    """

    result: RedemptionResult
    rule_text: str
    notes: tuple[Note, ...]
    planner_lines: tuple[str, ...]
    timeline: tuple[TimelineLot, ...]
    computed_at: dt.datetime
    shares_remaining: Decimal
    shown_steps: tuple[LotRedemption, ...] = ()
    excluded_rows: int = 0  # lot-table rows with errors, left out of this result
    exemptions: ExemptShares | None = None  # exempt shares by recorded reason
    exemption_by_seq: dict[int, Exemption] = field(default_factory=dict)  # every exempt lot

    def exemption_text(self, seq: int) -> str:
        """The recorded reason of the lot in table row ``seq`` ("" when not exempt)."""
        found = self.exemption_by_seq.get(seq)
        return found.text() if found is not None else ""

    @property
    def rule(self) -> FeeRule:
        """The fee rule the result was computed with."""
        return self.result.rule

    @property
    def fee_known(self) -> bool:
        """False when no source documents the fee rule on the date: then no amount is shown."""
        return self.rule.documented

    def fee_figure(self, value: Decimal, render: Callable[[Decimal], str]) -> str:
        """A fee-dependent figure, or "cannot be determined" when the rule is not documented."""
        return render(value) if self.fee_known else FEE_UNDETERMINED

    def rounding_text(self) -> str:
        """The single rounding step, in words."""
        r = self.result
        if not self.fee_known:
            return f"No fee was computed: {FEE_UNDETERMINED} on {r.request.redeem_date}."
        return (
            f"{fixed(r.shares_subject_to_fee)} shares subject × {rate_text(r.rule)} × NAV "
            f"{fixed(r.request.nav)} = {plain(r.fee_unrounded)} unrounded; rounded once, "
            f"half up, to ${fixed(r.total_fee)}."
        )


WINDOW_FIELDS = inputs.RequestFields(
    nav="the NAV", shares="the shares to redeem", amount="the dollar amount"
)


def make_request(
    redeem_date: dt.date, mode: RedeemMode, quantity_text: str, nav_text: str
) -> RedemptionRequest:
    """Build the engine's request from the input fields (``InputError`` when one is invalid)."""
    return inputs.redemption_request(
        redeem_date, mode, quantity_text, nav_text, fields=WINDOW_FIELDS
    )


def plain(value: Decimal) -> str:
    """An unrounded amount in plain notation without trailing zeros: ``0``, ``3.3333``.

    ``str(Decimal)`` switches to scientific notation for small exponents (``0E-7``).
    """
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def fixed(value: Decimal) -> str:
    """A quantized amount in plain notation, its places kept: ``10.00``, ``0.000``."""
    return format(value, "f")


def rounding_remark(unrounded: Decimal) -> str:
    """`` (rounded once from …)`` after a fee, or nothing when no rounding took place."""
    if unrounded == unrounded.quantize(Decimal("0.01")):
        return ""
    return f" (rounded once from {plain(unrounded)})"


def rate_text(rule: FeeRule) -> str:
    """``1.00%``."""
    return wording.rate_text(rule.rate)


def describe_rule(rule: FeeRule) -> str:
    """The rule applied: its parameters in one line, then the catalog's summary."""
    return wording.rule_sentence(rule)


def _timeline(result: RedemptionResult, schedule: LotSchedule) -> list[TimelineLot]:
    holding = result.rule.holding_period_days
    bars: list[TimelineLot] = []
    for step in result.lots:
        state = LotState.SUBJECT if step.subject_to_fee else LotState.FREE
        tip = (
            f"Row {step.seq}{' · ' + step.lot_id if step.lot_id else ''}\n"
            f"Bought {step.purchase_date.isoformat()}, held {step.days_held} days\n"
            f"Redeemed {fixed(step.shares_redeemed)} of {fixed(step.shares_held)} shares"
            + ("; fee may apply" if step.subject_to_fee else "; fee-free")
            + (" (exempt)" if step.exempt else "")
        )
        if step.fee_free_from and step.within_window:
            tip += f"\nFee-free from {step.fee_free_from.isoformat()}"
        bars.append(
            TimelineLot(
                _label(step.seq, step.lot_id), step.purchase_date, step.shares_redeemed, state, tip
            )
        )
    remaining = result.remaining
    start = 1 if result.lots and result.lots[-1].shares_remaining > 0 else 0
    for index in range(start, len(remaining)):
        day, seq, lot_id = remaining.date(index), remaining.seq(index), remaining.lot_id(index)
        tip = f"Row {seq}{' · ' + lot_id if lot_id else ''}\nBought {day.isoformat()}; not redeemed"
        if holding is not None and result.rule.applies:
            free = day + dt.timedelta(days=holding + 1)
            tip += f"\nFee-free from {free.isoformat()}"
        bars.append(TimelineLot(_label(seq, lot_id), day, Decimal(0), LotState.KEPT, tip))
    del schedule
    return bars


def _label(seq: int, lot_id: str) -> str:
    return f"{seq} · {lot_id}" if lot_id else str(seq)


def planner_lines(schedule: LotSchedule, rule: FeeRule, redeem_date: dt.date) -> list[str]:
    """Shares redeemable on the date without a fee, and the next date more become fee-free."""
    if not rule.documented:
        return [
            f"Which shares are fee-free on {redeem_date.isoformat()} {FEE_UNDETERMINED}: no "
            "source documents the redemption-fee rule on that date."
        ]
    return wording.fee_free_sentences(plan_fee_free(schedule, redeem_date, rule), redeem_date, rule)


def compute(
    columns: LotColumns, request: RedemptionRequest, rule: FeeRule, excluded: int
) -> Outcome:
    """Run the core engine and prepare everything the workspace shows (safe on a worker)."""
    schedule = columns.schedule()
    result = redeem(schedule, request, rule)
    notes = [Note(text) for text in result.notes if text != rule.reason]  # shown as the rule
    exemptions = result_exemptions(schedule, result.lots) if result.shares_exempt else None
    if exemptions is not None:
        notes.append(Note(exemptions.text()))
    if excluded:
        notes.insert(
            0,
            Note(
                f"{excluded} lot-table row{'s' * (excluded > 1)} with errors "
                "left out of this computation."
            ),
        )
    return Outcome(
        result=result,
        rule_text=describe_rule(rule),
        notes=tuple(notes),
        planner_lines=tuple(planner_lines(schedule, rule, request.redeem_date)),
        timeline=tuple(_timeline(result, schedule)),
        computed_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
        shares_remaining=sliced_total(result.remaining),
        shown_steps=tuple(result.lots[:STEP_ROWS_SHOWN]),
        excluded_rows=excluded,
        exemptions=exemptions,
        exemption_by_seq={
            schedule.seq(i): schedule_exemption(schedule, i) or NOT_RECORDED
            for i in schedule.exempt_indexes()
        },
    )
