"""Purchase lots and the FIFO-ordered lot schedule the fee engine walks.

A ``LotSchedule`` keeps its lots column-wise (dates, share text, ids, sequence numbers) in
first-in-first-out order. The fee engine converts shares to ``Decimal`` only for the lots a
redemption touches, so a schedule of a million lots costs no arithmetic beyond the lots redeemed.
Untouched lots are materialised as ``Lot`` objects only when someone iterates over them.
"""

from __future__ import annotations

import bisect
import datetime as dt
import logging
import operator
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import islice, repeat
from typing import Any, cast

from janus_gui.core.money import SHARES, quantize_shares

logger = logging.getLogger(__name__)

ColumnChunk = tuple[
    Sequence[Any],
    Sequence[Any],
    Sequence[str],
    Sequence[int],
    Sequence[bool] | None,
    Sequence[int | None] | None,
]
# quantize_shares as one C-level call, for map() over whole slices of lots
QUANTIZE_SHARES = operator.methodcaller("quantize", SHARES, rounding=ROUND_HALF_UP)
# Lots summed per slice: a few milliseconds. One ``sum`` over a whole column is a single C call
# that no other thread can interrupt; between slices the interpreter may switch threads as it
# always does (every ``sys.getswitchinterval()``), so a caller on a worker thread does not
# freeze a thread that waits for it. The core itself never hands the lock over on purpose.
SUM_SLICE = 4096


@dataclass(frozen=True, slots=True)
class Lot:
    """One purchase: trade date, shares (3 dp), an id, and its row order in the schedule.

    ``seq`` breaks ties between lots bought on the same day (file order, never amount or price).
    ``exempt`` is a user-supplied flag (off by default): the lot is still consumed in FIFO order
    but no fee is charged on it. It may be ``True`` or a ``core.exemptions.Exemption`` (always
    truthy) carrying the reason the user recorded. ``converted_from``/``converted_on`` tag lots
    carried through a share-class conversion.
    """

    purchase_date: dt.date
    shares: Decimal
    lot_id: str
    seq: int
    exempt: Any = False  # bool, or an Exemption with its reason
    converted_from: str | None = None
    converted_on: dt.date | None = None


class LotSchedule:
    """Lots in FIFO order (``purchase_date``, then ``seq``), stored column by column.

    The columns may be shared with other schedules (a "remaining lots" view shares the columns of
    the schedule it came from), so they are never modified after construction.
    """

    __slots__ = ("_dates", "_shares", "_ids", "_seqs", "_exempt", "_lines", "_start", "_head")

    def __init__(
        self,
        dates: Sequence[dt.date | str],
        shares: Sequence[str | Decimal],
        lot_ids: Sequence[str],
        seqs: Sequence[int],
        exempt: Sequence[bool] | None = None,
        lines: Sequence[int | None] | None = None,
        *,
        start: int = 0,
        head: Decimal | None = None,
    ) -> None:
        """Wrap columns that are already in FIFO order (use ``from_lots`` otherwise).

        Args:
            dates: purchase dates, as dates or all as ISO text (text order is date order).
            shares: validated share counts, as ``Decimal`` or as text ``Decimal`` accepts.
            lot_ids: lot ids (may be empty strings).
            seqs: file order of each lot (1-based).
            exempt: per-lot exemption flags, or ``None`` when no lot is exempt.
            lines: 1-based source line of each lot, when read from a file.
            start: index of the first lot still held (for views of remaining lots).
            head: shares still held in the first lot when it was partly redeemed.
        """
        self._dates = dates
        self._shares = shares
        self._ids = lot_ids
        self._seqs = seqs
        self._exempt = exempt
        self._lines = lines
        self._start = start
        self._head = head

    # -- construction ------------------------------------------------------------------------
    @classmethod
    def from_lots(cls, lots: Iterable[Lot]) -> LotSchedule:
        """Build a schedule from ``Lot`` objects in any order (sorted by date, then seq)."""
        ordered = sorted(lots, key=lambda lot: (lot.purchase_date, lot.seq))
        exempt = [lot.exempt for lot in ordered]
        return cls(
            [lot.purchase_date for lot in ordered],
            [lot.shares for lot in ordered],
            [lot.lot_id for lot in ordered],
            [lot.seq for lot in ordered],
            exempt if any(exempt) else None,
        )

    @classmethod
    def from_file_order(
        cls,
        dates: list[str],
        shares: list[str],
        lot_ids: list[str],
        exempt: list[bool] | None = None,
        lines: list[int] | None = None,
    ) -> LotSchedule:
        """Build a schedule from columns in file order; ``seq`` is the 1-based row number.

        Files are usually already in date order, which costs one linear check; otherwise the
        columns are reordered once with a stable sort on the date (ties keep file order).
        """
        count = len(dates)
        seqs: Sequence[int] = range(1, count + 1)
        if count > 1 and not all(map(operator.le, dates, islice(dates, 1, None))):
            order = sorted(range(count), key=dates.__getitem__)
            pick = operator.itemgetter(*order)
            dates, shares, lot_ids = list(pick(dates)), list(pick(shares)), list(pick(lot_ids))
            seqs = [i + 1 for i in order]
            exempt = list(pick(exempt)) if exempt is not None else None
            lines = list(pick(lines)) if lines is not None else None
        return cls(dates, shares, lot_ids, seqs, exempt, lines)

    # -- access ----------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._dates) - self._start

    def __bool__(self) -> bool:
        return len(self) > 0

    def date(self, index: int) -> dt.date:
        """Purchase date of the ``index``-th lot still held (0 = oldest)."""
        return _as_date(self._dates[self._start + index])

    def shares(self, index: int) -> Decimal:
        """Shares still held in the ``index``-th lot, as a 3-dp ``Decimal``."""
        if index == 0 and self._head is not None:
            return self._head
        return quantize_shares(Decimal(self._shares[self._start + index]))

    def lot_id(self, index: int) -> str:
        """Lot id of the ``index``-th lot (may be empty)."""
        return self._ids[self._start + index]

    def seq(self, index: int) -> int:
        """File order of the ``index``-th lot."""
        return self._seqs[self._start + index]

    def exempt(self, index: int) -> bool:
        """True when the user marked the lot exempt."""
        return bool(self._exempt[self._start + index]) if self._exempt is not None else False

    def exempt_value(self, index: int) -> Any:
        """The stored exemption of the lot: ``False``, ``True`` or an ``Exemption``."""
        return self._exempt[self._start + index] if self._exempt is not None else False

    def line(self, index: int) -> int | None:
        """1-based line of the lot in the file it came from, when known."""
        return self._lines[self._start + index] if self._lines is not None else None

    def lot(self, index: int) -> Lot:
        """The ``index``-th lot still held, as a ``Lot``."""
        return Lot(
            self.date(index),
            self.shares(index),
            self.lot_id(index),
            self.seq(index),
            self.exempt_value(index),
        )

    def __iter__(self) -> Iterator[Lot]:
        return (self.lot(i) for i in range(len(self)))

    def last_date(self) -> dt.date | None:
        """The latest purchase date (the last lot in FIFO order), or ``None`` when empty."""
        return _as_date(self._dates[-1]) if len(self) else None

    def total_shares(self) -> Decimal:
        """Sum of the shares still held.

        Summed in slices of ``SUM_SLICE`` lots (see there): one ``sum`` over 100,000 lots would
        be a single C call of tens of milliseconds that no other thread can interrupt. Every
        addition is exact (at most 12 + 3 digits a lot), so the slicing cannot change the result.
        """
        if not len(self):
            return Decimal("0.000")
        total = self.shares(0)
        end = len(self._shares)
        for begin in range(self._start + 1, end, SUM_SLICE):
            total += sum(
                map(Decimal, self._shares[begin : min(begin + SUM_SLICE, end)]), Decimal(0)
            )
        return quantize_shares(total)

    def remaining_after(self, taken_whole: int, head: Decimal | None) -> LotSchedule:
        """A view without the first ``taken_whole`` lots; ``head`` = shares left in the next."""
        return LotSchedule(
            self._dates,
            self._shares,
            self._ids,
            self._seqs,
            self._exempt,
            self._lines,
            start=self._start + taken_whole,
            head=head,
        )

    def iter_rows(
        self, size: int = 2048, begin: int = 0, end: int | None = None
    ) -> Iterator[tuple[dt.date | str, str | Decimal, str, int, bool, int | None]]:
        """``(date, shares, lot id, seq, exempt, line)`` of the lots held, oldest first.

        Dates and shares come as stored (ISO text or ``date``; validated text or ``Decimal``);
        read sequentially in chunks, which is much cheaper than indexing lot by lot.

        Args:
            size: lots read per chunk.
            begin: index of the first lot wanted (0 = the oldest still held).
            end: index after the last lot wanted (default: every lot).
        """
        for dates, shares, ids, seqs, exempt, lines in self.column_chunks(size, begin, end):
            yield from zip(
                dates,
                shares,
                ids,
                seqs,
                repeat(False) if exempt is None else exempt,
                repeat(None) if lines is None else lines,
                strict=False,  # exempt/lines may be endless repeats
            )

    def column_chunks(
        self, size: int = 2048, begin: int = 0, end: int | None = None
    ) -> Iterator[ColumnChunk]:
        """The columns of lots ``begin`` to ``end`` (exclusive), ``size`` lots at a time.

        Each chunk is ``(dates, shares, ids, seqs, exempt, lines)`` as stored; ``exempt`` and
        ``lines`` are ``None`` when the schedule has no such column.
        """
        first = self._start + begin
        stop_all = len(self._dates) if end is None else min(self._start + end, len(self._dates))
        for chunk in range(first, stop_all, size):
            stop = min(chunk + size, stop_all)
            shares: Sequence[str | Decimal] = self._shares[chunk:stop]
            if chunk == self._start and self._head is not None:
                shares = [self._head, *shares[1:]]
            yield (
                self._dates[chunk:stop],
                shares,
                self._ids[chunk:stop],
                self._seqs[chunk:stop],
                self._exempt[chunk:stop] if self._exempt is not None else None,
                self._lines[chunk:stop] if self._lines is not None else None,
            )

    def held_slices(self, begin: int = 0, end: int | None = None) -> Iterator[list[Decimal]]:
        """Shares held in lots ``begin`` to ``end`` (exclusive), each at 3 dp, slice by slice.

        Slices hold at most ``SUM_SLICE`` lots, so other threads may run between them.
        """
        stop = len(self) if end is None else min(end, len(self))
        if begin == 0 and stop > 0 and self._head is not None:
            yield [self._head]
            begin = 1
        for lo in range(self._start + begin, self._start + stop, SUM_SLICE):
            texts = self._shares[lo : min(lo + SUM_SLICE, self._start + stop)]
            yield list(map(QUANTIZE_SHARES, map(Decimal, texts)))

    def held_sum(self, begin: int = 0, end: int | None = None) -> Decimal:
        """Sum of the shares held in lots ``begin`` to ``end`` (exclusive), each at 3 dp."""
        return sum((sum(values, Decimal(0)) for values in self.held_slices(begin, end)), Decimal(0))

    def exempt_indexes(self, begin: int = 0, end: int | None = None) -> list[int]:
        """Indexes (from ``begin``, before ``end``) of the lots marked exempt."""
        if self._exempt is None:
            return []
        stop = len(self) if end is None else min(end, len(self))
        flags = self._exempt[self._start + begin : self._start + stop]
        return [begin + offset for offset, flag in enumerate(flags) if flag]

    def first_on_or_after(self, day: dt.date) -> int:
        """Index of the first lot bought on ``day`` or later (``len`` when none is)."""
        return bisect.bisect_left(range(len(self)), day, key=self.date)

    def text_chunks(
        self, size: int = 2048
    ) -> Iterator[tuple[list[str], list[str], list[str], Sequence[int]]]:
        """Ids, ISO dates, share text (as validated) and seqs of the lots held, chunk by chunk.

        For exporters that format many lots at once; small chunks stay in the CPU cache.
        """
        end = len(self._dates)
        for begin in range(self._start, end, size):
            stop = min(begin + size, end)
            dates = list(self._dates[begin:stop])
            # A column is all text or all values (see __init__), so the first item tells which.
            iso_dates = cast(list[str], dates)
            if not isinstance(dates[0], str):
                iso_dates = list(map(_iso, dates))
            held = list(self._shares[begin:stop])
            shares = cast(list[str], held)
            if not isinstance(held[0], str):
                shares = [str(quantize_shares(Decimal(value))) for value in held]
            if begin == self._start and self._head is not None:
                shares[0] = str(self._head)
            yield list(self._ids[begin:stop]), iso_dates, shares, self._seqs[begin:stop]

    def iter_text_rows(self) -> Iterator[tuple[str, str, str, int]]:
        """``(lot_id, ISO date, shares as 3-dp text, seq)`` per lot, cheaply, for exports."""
        start = self._start
        if self._head is not None and len(self):
            first = (self._ids[start], _iso(self._dates[start]), str(self._head))
            yield (*first, self._seqs[start])
            start += 1
        ids, dates, shares, seqs = self._ids, self._dates, self._shares, self._seqs
        for i in range(start, len(dates)):
            yield ids[i], _iso(dates[i]), _shares_text(shares[i]), seqs[i]


def _as_date(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _iso(value: dt.date | str) -> str:
    return value if isinstance(value, str) else value.isoformat()


def _shares_text(value: str | Decimal) -> str:
    """Validated share text as three decimals without Decimal arithmetic when possible."""
    if isinstance(value, Decimal):
        return str(quantize_shares(value))
    whole, _, frac = value.partition(".")
    canonical = whole.isdigit() and (whole == "0" or whole[0] != "0")
    if canonical and len(frac) <= 3 and (not frac or frac.isdigit()):
        return f"{whole}.{frac:0<3}"
    return str(quantize_shares(Decimal(value)))
