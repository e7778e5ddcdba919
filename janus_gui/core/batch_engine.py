"""Compute a chunk of whole accounts column by column; the batch command's hot path.

A chunk is a run of input rows holding whole accounts, each account's rows together. Its cells
are split into columns in one C-level pass, and a typical account (ISO dates, shares with three
decimals, no exemptions to look up twice) is computed in integer thousandths of a share with a
handful of ``Decimal`` operations for the money. The result is the same row, character for
character, as the general path (``batch_account.account_row``) gives; every account the fast path
does not fully understand (any error, an unusual cell) is handed to the general path, so error
messages come from one place. A test compares the two on generated accounts.
"""

from __future__ import annotations

import csv
import io
import operator
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate, compress, islice, repeat
from typing import Any

from janus_gui.core.batch_account import (
    ORDER_BY_DATE,
    ORDER_BY_INPUT,
    ORDER_BY_SEQ,
    PARAMETERS,
    AccountLine,
    BatchCatalog,
    account_row,
    error_row,
    parse_request,
    parse_seq,
)
from janus_gui.core.csv_safety import TRIGGERS, safe_row
from janus_gui.core.errors import JanusError
from janus_gui.core.exemptions import NOT_RECORDED
from janus_gui.core.lots_csv import (
    EXEMPT_WORDS,
    EXEMPTION_COLUMNS,
    MAX_LOT_ID_CHARS,
    parse_date_cell,
)
from janus_gui.core.models import FeeRule
from janus_gui.core.money import quantize_shares
from janus_gui.core.redemption import RedeemMode, RedemptionRequest

# A shares column where every value has exactly three decimals (the common export format).
_THREE_DECIMALS = re.compile(r"(?:[0-9]{1,12}\.[0-9]{3}\n)*")
# Output cells that need neither CSV quoting nor a formula guard.
_DIGITS = re.compile(r"(?:[0-9]{1,12}\n)*")  # a seq column of plain numbers
_WHOLE_OR_THREE_DECIMALS = re.compile(r"[0-9]{1,12}(?:\.[0-9]{3})?")
_PLAIN_CELL = re.compile(r"[^,\"\r\n]*")
_ZERO_SHARES = Decimal("0.000")
_ZERO_CENTS = Decimal("0.00")
SEQ_SPAN = 10**12  # seq has at most 12 digits, so date x SEQ_SPAN + seq orders by (date, seq)
REQUEST_CACHE = 4096  # distinct per-account cell sets remembered (most accounts share a few)


@dataclass(frozen=True, slots=True)
class Chunk:
    """Whole accounts: raw text rows (no quotes, one line each) or parsed rows, with lines."""

    lines: Sequence[int]
    text: str | None = None
    rows: list[list[str]] | None = None


@dataclass(frozen=True, slots=True)
class ChunkResult:
    """Output text of a chunk's accounts (in order), the accounts, and counts."""

    data: bytes  # UTF-8, encoded in the worker
    accounts: list[str]
    ok: int
    rows: int


class ChunkEngine:
    """Computes chunks against one catalog; one per process."""

    def __init__(self, columns: dict[str, int], width: int, catalog: BatchCatalog) -> None:
        """``columns``: index of each canonical column; ``width``: header cells."""
        self.columns = columns
        self.header_width = width
        self.width = max(width, max(columns.values()) + 1)
        self._wide: dict[int, int] = {}  # line -> cells, for rows wider than the header
        self.catalog = catalog
        self._dates: dict[str, int | None] = {}  # purchase date text -> ordinal
        self._contexts: dict[tuple[str, ...], _Context | None] = {}

    # -- columns -----------------------------------------------------------------------------
    def _columns(self, chunk: Chunk) -> tuple[dict[str, list[str]], bool]:
        """Cells by canonical column name, and whether every cell is already trimmed.

        Rows wider than the header (with something in the extra cells) are noted in
        ``self._wide`` by line: their account gets an error row, as ``fee`` refuses them.
        """
        width = self.width
        self._wide = {}
        if chunk.text is not None:
            texts = chunk.text.split("\n")
            if set(map(str.count, texts, repeat(","))) == {width - 1}:  # every row full width
                flat = chunk.text.replace("\n", ",").split(",")
                columns = {name: flat[i::width] for name, i in self.columns.items()}
                return columns, not any(map(_padded, columns.values()))
            rows = [line.split(",") for line in texts]
        else:
            rows = chunk.rows or []
        self._wide = wide_rows(rows, chunk.lines, self.header_width)
        return {
            name: [row[i] if i < len(row) else "" for row in rows]
            for name, i in self.columns.items()
        }, False

    def compute(self, chunk: Chunk) -> ChunkResult:
        """Every account of the chunk, in order of appearance; blank rows are skipped."""
        columns, trimmed = self._columns(chunk)
        keys = columns["account_id"]
        if not trimmed:
            keys = [key.strip() for key in keys]
        lines = chunk.lines
        if "" in keys:  # maybe blank rows (else: a row without account_id, an error row)
            columns, keys, lines = _without_blank_rows(columns, keys, lines)
        count = len(keys)
        starts = [0, *compress(range(1, count), map(operator.ne, keys[1:], keys[:-1]))]
        ends = [*starts[1:], count]
        out: list[str] = []
        ok = 0
        reasons = any(any(columns.get(name, ())) for name in EXEMPTION_COLUMNS)
        prepared = self._prepare(columns, starts) if trimmed and count and not reasons else None
        accounts = [keys[s] for s in starts]
        plain = _PLAIN_CELL.fullmatch("".join(accounts)) is not None  # no quote, comma, newline
        for number, (start, end) in enumerate(zip(starts, ends, strict=True)):
            account = accounts[number]
            text = None
            if prepared is not None:
                text = self._fast(account, plain, prepared, number, start, end)
            if text is None:
                text, computed = self._general(account, columns, lines, start, end)
                ok += computed
            else:
                ok += 1
            out.append(text)
        data = "".join(out).encode("utf-8")
        return ChunkResult(data, accounts, ok, count)

    def _prepare(self, columns: dict[str, list[str]], starts: list[int]) -> _Prepared:
        """The chunk's cells turned into numbers column by column."""
        dates = self._dates
        for text in set(columns["purchase_date"]).difference(dates):
            dates[text] = self._date_ordinal(text)
        ordinals = list(map(dates.__getitem__, columns["purchase_date"]))
        thousandths = _thousandths(columns["shares"])
        params = _params_by_row([columns.get(name) for name in PARAMETERS], starts, len(ordinals))
        ids = columns.get("lot_id")
        ids_checked = ids is None or (
            len(set(ids)) == len(ids)
            and max(map(len, ids), default=0) <= MAX_LOT_ID_CHARS
            and "".join(ids).isprintable()
        )
        seqs = columns.get("seq")
        dates_ok = None not in ordinals
        # every lot of the chunk has a seq: FIFO order is (date, seq)
        every_seq = bool(
            seqs is not None
            and any(seqs)
            and dates_ok
            and _DIGITS.fullmatch("\n".join(seqs) + "\n")
        )
        return _Prepared(
            columns,
            ordinals,
            thousandths,
            params,
            [columns.get(name) for name in PARAMETERS],
            "exempt" in columns and any(columns["exempt"]),
            seqs is not None and any(seqs),
            ids_checked,
            every_seq,
            dates_ok,
            _non_rising_counts(ordinals) if dates_ok else None,
        )

    # -- the general path --------------------------------------------------------------------
    def _general(
        self,
        account: str,
        columns: dict[str, list[str]],
        lines: Sequence[int],
        start: int,
        end: int,
    ) -> tuple[str, bool]:
        names = list(columns)
        rows = [
            AccountLine(lines[i], dict(zip(names, (columns[n][i] for n in names), strict=True)))
            for i in range(start, end)
        ]
        wide = [line for line in lines[start:end] if line in self._wide]
        if wide:
            line = min(wide)
            message = f"line {line}: row has {self._wide[line]} cells; the header has "
            row = error_row(account, message + str(self.header_width))
        else:
            row = account_row(account, rows, self.catalog)
        out = io.StringIO()
        csv.writer(out).writerow(safe_row(row))
        return out.getvalue(), row[1] == "ok"

    # -- the fast path -----------------------------------------------------------------------
    def _date_ordinal(self, text: str) -> int | None:
        try:
            return parse_date_cell(text).toordinal()
        except ValueError:
            return None

    def _context(self, params: tuple[str, ...]) -> _Context | None:
        """What accounts with these per-account cells share; ``None``: not usable here."""
        try:
            return self._contexts[params]
        except KeyError:
            pass
        context = None
        try:
            request = parse_request(dict(zip(PARAMETERS, params, strict=True)), 0)
            pid, share_class = self.catalog.resolve(params[0], params[1], params[2])
            rule = self.catalog.rule_for(pid, share_class, request.redeem_date)
            head = ["ok", pid, share_class.value, request.redeem_date, request.nav]
            context = _Context.of(request, rule, _csv_line(head)[:-2])
        except JanusError:
            pass
        if len(self._contexts) > REQUEST_CACHE:
            self._contexts.clear()
        self._contexts[params] = context
        return context

    def _fast(
        self, account: str, plain: bool, prepared: _Prepared, number: int, start: int, end: int
    ) -> str | None:
        """The output line of one account, or ``None`` to use the general path.

        ``plain``: no account of the chunk needs CSV quoting.
        """
        if not account or account.startswith(TRIGGERS):
            return None
        if not plain and not _PLAIN_CELL.fullmatch(account):
            return None
        params = (
            prepared.params[number]
            if prepared.params is not None
            else (_params_anywhere(prepared.param_columns, start, end))
        )
        if params is None:
            return None
        shares_text = params[5]
        target = None
        if not params[6] and _WHOLE_OR_THREE_DECIMALS.fullmatch(shares_text):
            # one context serves every account with the same date, NAV and class
            target = int(shares_text.replace(".", "")) * (1 if "." in shares_text else 1000)
            if not target:
                return None
            params = (*params[:5], "1", "")
        context = self._context(params)
        if context is None:
            return None
        lots = _fast_lots(prepared, start, end)
        if lots is None:
            return None
        ordinals, thousandths, exempt, order = lots
        walk = _fast_walk(ordinals, thousandths, exempt, context, target)
        if walk is None:
            return None
        shares, subject, count, remaining, exempt_shares = walk
        money = context.cents(shares, subject)
        if money is None:
            return None
        value, fee = money
        # account, head, shares redeemed and subject (3 places), value, fee and net (cents)...
        return _LINE % (
            account,
            context.head,
            *divmod(shares, 1000),
            *divmod(subject, 1000),
            *divmod(value, 100),
            *divmod(fee, 100),
            *divmod(value - fee, 100),
            context.rate_cells,
            count,
            remaining,
            _exempt_cells(exempt_shares),
            context.tails[order],
        )


# One output row of the fast path (the columns of ``batch.OUTPUT_COLUMNS``).
_LINE = "%s,%s,%d.%03d,%d.%03d,%d.%02d,%d.%02d,%d.%02d,%s,%d,%d,%s,%s"
EXACT_DIGITS = 10**28  # Decimal's precision: below it every product is exact


@dataclass(frozen=True, slots=True)
class _Context:
    """A redemption's date, NAV and rule, with the integer forms the fast path uses."""

    request: RedemptionRequest
    rule: FeeRule
    head: str  # ``ok,portfolio_id,share_class,redeem_date,nav``
    rate_cells: str  # ``fee_rate,holding_period_days``
    tails: dict[str, str]  # per same-date rule: ``same_date_order,rule_citation,error``, line end
    on: int  # redemption date ordinal
    cutoff: int | None  # first purchase ordinal inside the fee window (None: no fee)
    nav: int  # NAV = nav x 10**nav_exponent
    nav_exponent: int
    rate: int  # rate = rate x 10**rate_exponent
    rate_exponent: int

    @classmethod
    def of(cls, request: RedemptionRequest, rule: FeeRule, head: str) -> _Context:
        nav, nav_exponent = _integer(request.nav)
        rate, rate_exponent = _integer(rule.rate)
        applies = rule.applies and rule.holding_period_days is not None
        on = request.redeem_date.toordinal()
        cutoff = on - rule.holding_period_days if applies else None  # type: ignore[operator]
        rate_cells = _csv_line(
            [
                rule.rate if rule.applies else Decimal("0"),
                rule.holding_period_days if rule.applies else "",
            ]
        )[:-2]
        tails = {
            order: _csv_line(
                [
                    order,
                    rule.citation.label() if rule.citation else "",
                    "" if rule.documented else rule.reason,
                ]
            )
            for order in (ORDER_BY_DATE, ORDER_BY_INPUT, ORDER_BY_SEQ)
        }
        return cls(
            request,
            rule,
            head,
            rate_cells,
            tails,
            on,
            cutoff,
            nav,
            nav_exponent,
            rate,
            rate_exponent,
        )

    def cents(self, shares: int, subject: int) -> tuple[int, int] | None:
        """``round_cents(shares x NAV)`` and ``round_cents(rate x NAV x subject)`` (0 when no
        fee applies), with integers; ``None`` past Decimal's precision."""
        value = shares * self.nav
        if value >= EXACT_DIGITS:
            return None
        value = _round_half_up(value, 3 - self.nav_exponent - 2)
        if self.cutoff is None or not subject:
            return value, 0
        fee = self.rate * self.nav * subject
        if fee >= EXACT_DIGITS or self.rate * self.nav >= EXACT_DIGITS:
            return None
        return value, _round_half_up(fee, 3 - self.nav_exponent - self.rate_exponent - 2)


def _integer(value: Decimal) -> tuple[int, int]:
    """``value`` as ``(coefficient, exponent)``."""
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int) and not sign
    return int("".join(map(str, digits)) or "0"), exponent


def _round_half_up(number: int, places: int) -> int:
    """``number / 10**places`` rounded half up (``number`` >= 0)."""
    if places <= 0:
        return number * int(10**-places)
    scale = int(10**places)
    return (2 * number + scale) // (2 * scale)


def _thousandths_text(value: int) -> str:
    return f"{value // 1000}.{value % 1000:03d}"


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A chunk's columns with dates, shares and per-account cells already converted."""

    columns: dict[str, list[str]]
    ordinals: list[int | None]  # purchase dates as ordinals (None: not a date)
    thousandths: list[int] | None  # shares in thousandths (None: some value is unusual)
    params: list[tuple[str, ...]] | None  # per account, when given on first rows only
    param_columns: list[list[str] | None]
    any_exempt: bool
    any_seq: bool
    ids_checked: bool  # lot ids are unique in the whole chunk and short enough
    every_seq: bool  # every lot of the chunk has a valid seq
    dates_ok: bool  # every purchase date of the chunk is a date
    # non_rising[i]: pairs of neighbouring purchase dates before row i that do not strictly
    # rise; an account with none is in FIFO order with no two lots on one day
    non_rising: list[int] | None

    def strictly_rising(self, start: int, end: int) -> bool:
        """True when the purchase dates of rows ``start`` to ``end`` strictly rise (no tie, no
        row out of order), so the account needs neither a sort nor a tie-break."""
        counts = self.non_rising
        return counts is not None and counts[end - 1] == counts[start]


def wide_rows(rows: Sequence[Sequence[str]], lines: Sequence[int], width: int) -> dict[int, int]:
    """Line -> cell count of rows with non-blank cells past the header's ``width``."""
    return {
        line: len(row)
        for row, line in zip(rows, lines, strict=True)
        if len(row) > width and any(cell.strip() for cell in row[width:])
    }


def _params_by_row(
    param_columns: list[list[str] | None], starts: list[int], count: int
) -> list[tuple[str, ...]] | None:
    """Per-account cells of every account when each gives them all on one row (any row).

    ``None`` when some account spreads or repeats them over several rows (then each account
    is looked at on its own).
    """
    present = [column for column in param_columns if column is not None]
    if not present:
        return None
    firsts = _on_first_rows(present, starts)
    if firsts is not None:
        blank = [""] * len(starts)
        found = iter(firsts)
        return list(
            zip(
                *[next(found) if column is not None else blank for column in param_columns],
                strict=True,
            )
        )
    given = list(compress(range(count), map(any, zip(*present, strict=True))))
    ends = [*starts[1:], count]
    if len(given) != len(starts) or not (
        all(map(operator.le, starts, given)) and all(map(operator.lt, given, ends))
    ):
        return None
    blank = [""] * len(given)
    return list(
        zip(
            *[
                list(map(column.__getitem__, given)) if column is not None else blank
                for column in param_columns
            ],
            strict=True,
        )
    )


def _on_first_rows(columns: list[list[str]], starts: list[int]) -> list[list[str]] | None:
    """Each column's cells on the accounts' first rows, when every non-blank cell is on one
    and every first row has one (the usual extract); else ``None``.

    Counting blank cells (``list.count``) settles it without looking at rows one by one.
    """
    firsts = [list(map(column.__getitem__, starts)) for column in columns]
    for column, first in zip(columns, firsts, strict=True):
        if len(column) - column.count("") != len(first) - first.count(""):
            return None  # a cell given on a later row
    if not all(map(any, zip(*firsts, strict=True))):
        return None  # an account without its cells on its first row
    return firsts


def _params_anywhere(
    param_columns: list[list[str] | None], start: int, end: int
) -> tuple[str, ...] | None:
    """Per-account cells given on any row; ``None`` when two rows disagree."""
    params = []
    for column in param_columns:
        if column is None:
            params.append("")
            continue
        values = set(column[start:end])
        values.discard("")
        if len(values) > 1:  # the general path says which rows disagree
            return None
        params.append(values.pop() if values else "")
    return tuple(params)


def _padded(column: list[str]) -> bool:
    """True when a cell starts or ends with white space (cells are trimmed on input).

    Spaces are rare outside names, so usually one scan of the joined column settles it; else
    each distinct value is checked (a column of names has few).
    """
    joined = "".join(column)
    if " " not in joined and "\t" not in joined and "\r" not in joined:
        return False
    return any(value != value.strip() for value in set(column))


def _without_blank_rows(
    columns: dict[str, list[str]], keys: list[str], lines: Sequence[int]
) -> tuple[dict[str, list[str]], list[str], list[int]]:
    """The chunk without rows whose cells are all blank."""
    values = list(columns.values())
    keep = [any(cell.strip() for cell in row) for row in zip(*values, strict=True)]
    return (
        {name: list(compress(column, keep)) for name, column in columns.items()},
        list(compress(keys, keep)),
        list(compress(lines, keep)),
    )


def _csv_line(values: Sequence[object]) -> str:
    out = io.StringIO()
    csv.writer(out).writerow(safe_row(values))
    return out.getvalue()


def _thousandths(texts: list[str]) -> list[int] | None:
    """Shares as integer thousandths when every value has exactly three decimals."""
    joined = "\n".join(texts) + "\n"
    if not _THREE_DECIMALS.fullmatch(joined):
        return None
    values = list(map(int, joined.replace(".", "").split()))
    return values if 0 not in values else None


def _non_rising_counts(keys: Sequence[Any]) -> list[int]:
    """Running count of neighbouring keys that do not strictly rise (see ``_Prepared``)."""
    return list(accumulate(map(operator.ge, keys, islice(keys, 1, None)), initial=0))


def _fast_lots(
    prepared: _Prepared, start: int, end: int
) -> tuple[list[int], list[int], list[bool] | None, str] | None:
    """Purchase ordinals, thousandths and exempt flags in FIFO order, and the order rule."""
    ordinals = prepared.ordinals[start:end]
    if not prepared.dates_ok and None in ordinals:
        return None
    columns = prepared.columns
    if prepared.thousandths is not None:
        thousandths = prepared.thousandths[start:end]
    else:
        found = _thousandths(columns["shares"][start:end])
        if found is None:
            return None
        thousandths = found
    exempt: list[bool] | None = None
    if prepared.any_exempt:
        flags = columns["exempt"][start:end]
        if any(flags):
            looked_up = [EXEMPT_WORDS.get(flag.lower()) for flag in flags]
            if None in looked_up:
                return None
            exempt = looked_up  # type: ignore[assignment]
    if not prepared.ids_checked:
        ids = columns["lot_id"][start:end]
        if max(map(len, ids)) > MAX_LOT_ID_CHARS or not "".join(ids).isprintable():
            return None  # the general path names the character
        if len(set(ids)) != len(ids):
            ids = [i for i in ids if i]
            if len(set(ids)) != len(ids):
                return None
    keys: list[Any] = ordinals
    if (prepared.every_seq or not prepared.any_seq) and prepared.strictly_rising(start, end):
        # the common case: nothing to sort or tie-break (a seq orders only lots of one day)
        order = ORDER_BY_SEQ if prepared.every_seq else ORDER_BY_DATE
        return ordinals, thousandths, exempt, order  # type: ignore[return-value]
    if prepared.every_seq:
        keys = list(
            map(
                operator.add,
                map(operator.mul, ordinals, repeat(SEQ_SPAN)),
                map(int, columns["seq"][start:end]),
            )
        )
        order = ORDER_BY_SEQ
        if len(set(keys)) != len(keys):  # a seq given twice: the general path says where
            return None
    elif prepared.any_seq:
        order = ORDER_BY_DATE if len(set(ordinals)) == len(ordinals) else ORDER_BY_INPUT
        if any(columns["seq"][start:end]):
            try:
                seqs = list(map(parse_seq, columns["seq"][start:end]))
            except ValueError:
                return None
            if len(set(seqs)) != len(seqs):
                return None
            keys, order = list(zip(ordinals, seqs, strict=True)), ORDER_BY_SEQ
    else:
        order = ORDER_BY_DATE if len(set(ordinals)) == len(ordinals) else ORDER_BY_INPUT
    if not all(map(operator.le, keys, keys[1:])):  # not yet in FIFO order: a stable sort
        index = sorted(range(len(keys)), key=keys.__getitem__)
        ordinals = [ordinals[i] for i in index]
        thousandths = [thousandths[i] for i in index]
        exempt = [exempt[i] for i in index] if exempt is not None else None
    return ordinals, thousandths, exempt, order  # type: ignore[return-value]


def _exempt_cells(exempt: int) -> str:
    """``exempt_shares,exempt_reasons`` of a walk over lots flagged exempt with no reason."""
    if not exempt:
        return "0.000,"
    shares = _thousandths_text(exempt)
    return f"{shares},{NOT_RECORDED.cell()}={shares}"


def _fast_walk(
    ordinals: list[int],
    thousandths: list[int],
    exempt: list[bool] | None,
    context: _Context,
    shares: int | None,
) -> tuple[int, int, int, int, int] | None:
    """Shares redeemed, subject to the fee, lots touched, lots left, shares exempt
    (thousandths).

    ``shares``: the shares to redeem in thousandths when known already (else from the request).
    """
    if ordinals[-1] > context.on:
        return None
    held = list(accumulate(thousandths))
    total = held[-1]
    request = context.request
    if shares is not None:
        target = shares
    elif request.mode == RedeemMode.ALL:
        target = total
    else:
        quantity = (
            request.shares
            if request.mode == RedeemMode.SHARES
            else (
                request.amount / request.nav  # type: ignore[operator]
            )
        )
        if quantity is None or quantity.adjusted() >= 12:
            return None
        target = int(quantize_shares(quantity).scaleb(3))
    if target <= 0 or target > total:
        return None
    count = bisect_left(held, target) + 1  # the first lot that completes the redemption
    before = held[count - 2] if count > 1 else 0
    last_take = target - before
    remaining = len(thousandths) - count + (last_take != thousandths[count - 1])
    subject = exempt_shares = 0
    if context.cutoff is not None:
        first = bisect_left(ordinals, context.cutoff)
        if first < count:
            subject = before - (held[first - 1] if first else 0) + last_take
            if exempt is not None:
                for index in range(first, count):
                    if exempt[index]:
                        exempt_shares += last_take if index == count - 1 else thousandths[index]
                subject -= exempt_shares
    return target, subject, count, remaining, exempt_shares
