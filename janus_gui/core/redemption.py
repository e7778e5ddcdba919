"""FIFO redemption-fee calculator (DOMAIN.md §3; conventions in docs/calculations.md).

Conventions, all shown to the user with the result:

* days held = calendar days between the purchase and redemption trade dates;
* a lot is subject to the fee when ``days held <= holding period`` (0 days, same day, is subject);
* lots are consumed oldest first, ties on the same date in file order (``seq``);
* a partly redeemed lot keeps the remainder, computed by subtraction;
* fee = rate x NAV x shares subject, rounded once, half-up, to cents (per-lot portions are shown
  rounded too, with a note when they do not add up to the total);
* the sources say the fee "may be imposed", so the result is labelled as the fee that may apply.

The walk stops at the last lot it needs: lots after it are returned untouched as a view that
shares the schedule's columns, so a large schedule costs nothing beyond the lots redeemed.
"""

from __future__ import annotations

import datetime as dt
import logging
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any, overload

from janus_gui.core.errors import LotScheduleError
from janus_gui.core.exemptions import LABEL as EXEMPTION_LABEL
from janus_gui.core.lots import QUANTIZE_SHARES, Lot, LotSchedule
from janus_gui.core.models import FeeRule
from janus_gui.core.money import CENTS, quantize_shares, round_cents

logger = logging.getLogger(__name__)

FEE_LABEL = "fee that may apply (maximum)"
ZERO_SHARES = Decimal("0.000")
ZERO_CENTS = Decimal("0.00")
ZERO = Decimal("0")
_ROUND_CENTS = operator.methodcaller("quantize", CENTS, rounding=ROUND_HALF_UP)


class RedeemMode(StrEnum):
    """How the size of a redemption is given."""

    SHARES = "shares"
    AMOUNT = "amount"
    ALL = "all"


@dataclass(frozen=True, slots=True)
class RedemptionRequest:
    """A redemption: trade date, NAV per share, and shares, a gross dollar amount, or all."""

    redeem_date: dt.date
    nav: Decimal
    mode: RedeemMode
    shares: Decimal | None = None
    amount: Decimal | None = None

    @classmethod
    def of_shares(cls, redeem_date: dt.date, nav: Decimal, shares: Decimal) -> RedemptionRequest:
        """Redeem a number of shares."""
        return cls(redeem_date, nav, RedeemMode.SHARES, shares=shares)

    @classmethod
    def of_amount(cls, redeem_date: dt.date, nav: Decimal, amount: Decimal) -> RedemptionRequest:
        """Redeem a gross dollar amount (shares = amount / NAV, to 3 dp half-up)."""
        return cls(redeem_date, nav, RedeemMode.AMOUNT, amount=amount)

    @classmethod
    def of_all(cls, redeem_date: dt.date, nav: Decimal) -> RedemptionRequest:
        """Redeem every share held."""
        return cls(redeem_date, nav, RedeemMode.ALL)


@dataclass(frozen=True, slots=True)
class LotRedemption:
    """One step of the FIFO walk: what was taken from one lot and whether the fee applies."""

    lot_id: str
    seq: int
    purchase_date: dt.date
    shares_held: Decimal
    shares_redeemed: Decimal
    shares_remaining: Decimal
    days_held: int
    within_window: bool  # days held <= holding period (False when no fee rule applies)
    exempt: bool
    subject_to_fee: bool  # within the window and not exempt
    fee_unrounded: Decimal
    fee: Decimal  # the portion rounded to cents, for display; the total is rounded once
    fee_free_from: dt.date | None  # first redemption date with no fee for this lot
    line: int | None = None


@dataclass(frozen=True, slots=True)
class RedemptionResult:
    """The outcome of one redemption: per-lot walk, totals, the rule, notes and remaining lots."""

    request: RedemptionRequest
    rule: FeeRule
    lots: Sequence[LotRedemption]  # a LotSteps: steps are built when read
    shares_redeemed: Decimal
    shares_subject_to_fee: Decimal
    shares_exempt: Decimal
    redemption_value: Decimal
    fee_unrounded: Decimal
    total_fee: Decimal
    net_proceeds: Decimal
    remaining: LotSchedule
    notes: tuple[str, ...] = field(default_factory=tuple)
    label: str = FEE_LABEL

    @property
    def shares_free(self) -> Decimal:
        """Shares redeemed with no fee (outside the window, exempt, or no fee rule)."""
        return self.shares_redeemed - self.shares_subject_to_fee

    @property
    def fee_rate(self) -> Decimal:
        """The rate applied (0 when no fee applies)."""
        return self.rule.rate if self.rule.applies else Decimal("0")


def days_held(purchase_date: dt.date, redeem_date: dt.date) -> int:
    """Calendar days between the trade dates (same day = 0)."""
    return (redeem_date - purchase_date).days


def fee_free_from(purchase_date: dt.date, holding_period_days: int) -> dt.date:
    """The first redemption date on which a lot is past the window (purchase + period + 1)."""
    return purchase_date + dt.timedelta(days=holding_period_days + 1)


MAX_DIGITS = 12  # digits before the point for NAV, shares and amounts: products stay exact


def _too_large(value: Decimal | None) -> bool:
    return value is not None and value.is_finite() and value != 0 and value.adjusted() >= MAX_DIGITS


def _validate(request: RedemptionRequest) -> None:
    if request.nav <= 0:
        raise LotScheduleError(f"NAV must be greater than zero, got {request.nav}")
    for name, value in (
        ("NAV", request.nav),
        ("shares", request.shares),
        ("amount", request.amount),
    ):
        if _too_large(value):
            raise LotScheduleError(f"{name} {value} is too large (at most {MAX_DIGITS} digits)")
    if request.mode == RedeemMode.SHARES and (request.shares is None or request.shares <= 0):
        raise LotScheduleError("shares to redeem must be greater than zero")
    if request.mode == RedeemMode.AMOUNT and (request.amount is None or request.amount <= 0):
        raise LotScheduleError("the amount to redeem must be greater than zero")


def _target_shares(request: RedemptionRequest, schedule: LotSchedule, notes: list[str]) -> Decimal:
    """Shares to redeem, from shares, a dollar amount, or everything held."""
    if request.mode == RedeemMode.ALL:
        return schedule.total_shares()
    if request.mode == RedeemMode.AMOUNT:
        assert request.amount is not None
        raw = request.amount / request.nav
        if _too_large(raw):
            raise LotScheduleError(f"${request.amount} at NAV {request.nav} is too many shares")
        shares = quantize_shares(raw)
        if shares <= 0:
            raise LotScheduleError(
                f"${request.amount} at NAV {request.nav} is less than 0.0005 share"
            )
        notes.append(
            f"${request.amount} at NAV {request.nav} is {shares} shares "
            "(amount / NAV, rounded half-up to 3 decimals)."
        )
        return shares
    assert request.shares is not None
    shares = quantize_shares(request.shares)
    if shares != request.shares:
        notes.append(f"Shares to redeem {request.shares} rounded half-up to {shares}.")
    return shares


def check_no_later_lots(schedule: LotSchedule, redeem_date: dt.date) -> None:
    """Raise ``LotScheduleError`` naming the first lot bought after ``redeem_date``."""
    last = schedule.last_date()
    if last is not None and last > redeem_date:
        index = len(schedule) - 1
        while index > 0 and schedule.date(index - 1) > redeem_date:
            index -= 1
        where = f" on line {schedule.line(index)}" if schedule.line(index) else ""
        name = f" {schedule.lot_id(index)!r}" if schedule.lot_id(index) else ""
        raise LotScheduleError(
            f"lot{name}{where} was purchased on {schedule.date(index).isoformat()}, after the "
            f"redemption date {redeem_date.isoformat()}"
        )


DateFacts = tuple[dt.date, int, bool, dt.date | None]
LOT_BY_LOT = 256  # lots a redemption reads one at a time before it sums whole slices


class LotSteps(Sequence[LotRedemption]):
    """The steps of a FIFO walk: the first ``count`` lots of a schedule, the last one perhaps in
    part. Each ``LotRedemption`` is made only when read, so redeeming a million lots builds none
    of them unless asked; ``rows`` gives the same fields as plain tuples, chunk by chunk.
    """

    __slots__ = ("_schedule", "_count", "_last_take", "_facts", "_per_share")

    def __init__(
        self,
        schedule: LotSchedule,
        count: int,
        last_take: Decimal,
        facts: Callable[[dt.date | str], DateFacts],
        per_share: Decimal,
    ) -> None:
        """Steps over ``schedule``'s first ``count`` lots, taking ``last_take`` from the last."""
        self._schedule = schedule
        self._count = count
        self._last_take = last_take
        self._facts = facts
        self._per_share = per_share  # fee per share (rate x NAV) when a fee rule applies

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> LotRedemption: ...

    @overload
    def __getitem__(self, index: slice) -> list[LotRedemption]: ...

    def __getitem__(self, index: int | slice) -> LotRedemption | list[LotRedemption]:
        if isinstance(index, slice):
            start, stop, step = index.indices(self._count)
            if step != 1:
                return [self[i] for i in range(start, stop, step)]
            return [LotRedemption(*row) for row in self.rows(start, stop)]
        position = index + self._count if index < 0 else index
        if not 0 <= position < self._count:
            raise IndexError(index)
        return LotRedemption(*next(self.rows(position, position + 1)))

    def __iter__(self) -> Iterator[LotRedemption]:
        return (LotRedemption(*row) for row in self.rows())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(map(operator.eq, self, other))

    __hash__ = None  # type: ignore[assignment]  # compared by value, like a tuple

    def __repr__(self) -> str:
        return f"LotSteps({len(self)} steps)"

    def rows(self, begin: int = 0, end: int | None = None) -> Iterator[tuple[Any, ...]]:
        """The fields of steps ``begin`` to ``end`` in ``LotRedemption`` order, as tuples."""
        for columns in self.column_chunks(begin=begin, end=end):
            yield from zip(*columns, strict=True)

    def column_chunks(
        self, size: int = 2048, begin: int = 0, end: int | None = None
    ) -> Iterator[tuple[list[Any], ...]]:
        """The steps' fields column by column (``LotRedemption`` field order), chunk by chunk.

        Each column is computed for a whole chunk at once; whole lots leave 0.000 shares.
        """
        stop = self._count if end is None else min(end, self._count)
        facts, per_share = self._facts, self._per_share
        for offset, (dates, shares, ids, seqs, exempt, lines) in zip(
            range(begin, stop, size),
            self._schedule.column_chunks(size, begin, stop),
            strict=True,
        ):
            count = len(dates)
            held = list(map(QUANTIZE_SHARES, map(Decimal, shares)))
            taken, left = held, [ZERO_SHARES] * count
            if offset + count == self._count:  # the chunk holds the last step
                taken = [*held[:-1], self._last_take]
                left[-1] = held[-1] - self._last_take
            bought, days, within, free_from = _facts_columns(dates, facts)
            flags = [False] * count if exempt is None else list(map(bool, exempt))
            subject = (
                within
                if exempt is None
                else [w and not e for w, e in zip(within, flags, strict=True)]
            )
            unrounded, fees = _fee_columns(taken, subject, per_share)
            yield (
                list(ids),
                list(seqs),
                bought,
                held,
                taken,
                left,
                days,
                within,
                flags,
                subject,
                unrounded,
                fees,
                free_from,
                [None] * count if lines is None else list(lines),
            )


def _facts_columns(
    dates: Sequence[dt.date | str], facts: Callable[[dt.date | str], DateFacts]
) -> list[list[Any]]:
    """Purchase date, days held, inside the window, fee-free-from: a column each.

    Lots share few distinct dates, so each is worked out once and the columns are looked up.
    """
    distinct = {value: facts(value) for value in set(dates)}
    return [
        list(map({k: v[field] for k, v in distinct.items()}.__getitem__, dates))
        for field in range(4)
    ]


def _fee_columns(
    taken: list[Decimal], subject: list[bool], per_share: Decimal
) -> tuple[list[Decimal], list[Decimal]]:
    """Unrounded and rounded fee of each step (zero where the lot is not subject)."""
    if all(subject):  # lots are in date order: most chunks are wholly in or out of the window
        unrounded = list(map(per_share.__mul__, taken))
        return unrounded, list(map(_ROUND_CENTS, unrounded))
    if not any(subject):
        return [ZERO] * len(taken), [ZERO_CENTS] * len(taken)
    unrounded = [per_share * t if s else ZERO for t, s in zip(taken, subject, strict=True)]
    fees = [_ROUND_CENTS(u) if s else ZERO_CENTS for u, s in zip(unrounded, subject, strict=True)]
    return unrounded, fees


@dataclass(slots=True)
class _Walk:
    steps: LotSteps
    subject: Decimal = ZERO_SHARES
    exempt: Decimal = ZERO_SHARES
    taken_whole: int = 0
    head: Decimal | None = None
    portions: Decimal = ZERO_CENTS  # the per-lot fees, each rounded, added up


def _date_facts(request: RedemptionRequest, rule: FeeRule) -> Callable[[dt.date | str], DateFacts]:
    """Date, days held, inside the window, fee-free-from: computed once per distinct date."""
    window = rule.holding_period_days if rule.applies else None
    cache: dict[dt.date | str, DateFacts] = {}

    def facts(value: dt.date | str) -> DateFacts:
        found = cache.get(value)
        if found is None:
            purchased = value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
            held = days_held(purchased, request.redeem_date)
            free_from = fee_free_from(purchased, window) if window is not None else None
            found = cache[value] = (
                purchased,
                held,
                window is not None and held <= window,
                free_from,
            )
        return found

    return facts


def _stop(
    schedule: LotSchedule, target: Decimal, request: RedemptionRequest
) -> tuple[int, Decimal]:
    """How many of the oldest lots ``target`` shares reach into, and the shares from the last."""
    if request.mode == RedeemMode.ALL:
        count = len(schedule)
        return count, schedule.shares(count - 1)
    taken, index = ZERO_SHARES, 0
    # Lot by lot first, so a small redemption reads only the lots it takes; then in slices.
    for row in schedule.iter_rows(end=LOT_BY_LOT):
        held = quantize_shares(Decimal(row[1]))
        if taken + held >= target:
            return index + 1, target - taken
        taken += held
        index += 1
    for values in schedule.held_slices(LOT_BY_LOT):
        whole = sum(values, ZERO_SHARES)
        if taken + whole < target:  # the whole slice is redeemed: no need to look lot by lot
            taken += whole
            index += len(values)
            continue
        for held in values:
            if taken + held >= target:
                return index + 1, target - taken
            taken += held
            index += 1
    raise LotScheduleError(
        f"cannot redeem {target} shares: only {quantize_shares(taken)} are held on "
        f"{request.redeem_date.isoformat()}"
    )


def _walk(
    schedule: LotSchedule, target: Decimal, request: RedemptionRequest, rule: FeeRule
) -> _Walk:
    """Take ``target`` shares oldest first; stop at the last lot needed.

    Lots are in date order, so the lots inside the fee window are a run at the end of the walk
    (bought on or after redemption date - window): the shares subject to the fee are summed
    over that run slice by slice, and no step is built (see ``LotSteps``).
    """
    count, last_take = _stop(schedule, target, request)
    per_share = rule.rate * request.nav if rule.applies else ZERO
    walk = _Walk(LotSteps(schedule, count, last_take, _date_facts(request, rule), per_share))
    last_held = schedule.shares(count - 1)
    if last_take == last_held:
        walk.taken_whole = count
    else:
        walk.taken_whole, walk.head = count - 1, last_held - last_take
    if not rule.applies:
        return walk
    assert rule.holding_period_days is not None  # a rule that applies has one
    first = schedule.first_on_or_after(
        request.redeem_date - dt.timedelta(days=rule.holding_period_days)
    )
    if first >= count:
        return walk

    def taken(index: int) -> Decimal:
        return last_take if index == count - 1 else schedule.shares(index)

    fee_of = per_share.__mul__
    within = last_take
    walk.portions = round_cents(per_share * last_take)
    for values in schedule.held_slices(first, count - 1):
        within += sum(values, ZERO_SHARES)
        walk.portions += sum(map(_ROUND_CENTS, map(fee_of, values)), ZERO_CENTS)
    for index in schedule.exempt_indexes(first, count):
        walk.exempt += taken(index)
        walk.portions -= round_cents(per_share * taken(index))
    walk.subject = within - walk.exempt
    return walk


def _notes(rule: FeeRule, walk: _Walk, total_fee: Decimal) -> list[str]:
    notes = [
        "Days held are calendar days between trade dates; a lot held "
        f"{rule.holding_period_days} days or less is subject to the fee."
        if rule.applies
        else rule.reason,
    ]
    if rule.applies:
        notes.append(
            'The source says the fee "may be imposed": the amount shown is the fee that may '
            "apply (maximum), computed on the redemption value at the NAV given."
        )
    if walk.portions != total_fee:
        notes.append(
            f"Per-lot fees are shown rounded; they add up to {walk.portions}, but the fee is "
            f"rounded once on the total ({total_fee})."
        )
    if walk.exempt:
        notes.append(
            f"{walk.exempt} shares inside the window were marked exempt, {EXEMPTION_LABEL}; "
            "they are still redeemed in FIFO order."
        )
    return notes


def redeem(schedule: LotSchedule, request: RedemptionRequest, rule: FeeRule) -> RedemptionResult:
    """Compute the fee that may apply to one redemption, walking lots oldest first.

    Args:
        schedule: the lots held, in FIFO order.
        request: redemption date, NAV, and shares / amount / all.
        rule: the redemption-fee rule in force for the class on the redemption date.

    Returns:
        The per-lot walk, totals, notes and the lots that remain.

    Raises:
        LotScheduleError: NAV <= 0, nothing to redeem, a lot bought after the redemption date,
            or more shares than are held.
    """
    _validate(request)
    check_no_later_lots(schedule, request.redeem_date)
    notes: list[str] = []
    target = _target_shares(request, schedule, notes)
    if target <= 0:
        raise LotScheduleError("there are no shares to redeem")
    walk = _walk(schedule, target, request, rule)
    fee_unrounded = rule.rate * request.nav * walk.subject if rule.applies else Decimal("0")
    total_fee = round_cents(fee_unrounded)
    value = round_cents(target * request.nav)
    if request.mode == RedeemMode.AMOUNT and value != round_cents(request.amount or ZERO):
        notes.append(
            f"The redemption value of {target} shares is ${value}, not exactly ${request.amount}, "
            "because shares are rounded to 3 decimals."
        )
    return RedemptionResult(
        request=request,
        rule=rule,
        lots=walk.steps,
        shares_redeemed=target,
        shares_subject_to_fee=quantize_shares(walk.subject),
        shares_exempt=quantize_shares(walk.exempt),
        redemption_value=value,
        fee_unrounded=fee_unrounded,
        total_fee=total_fee,
        net_proceeds=value - total_fee,
        remaining=schedule.remaining_after(walk.taken_whole, walk.head),
        notes=tuple(notes + _notes(rule, walk, total_fee)),
    )


def redeem_lots(lots: Iterable[Lot], request: RedemptionRequest, rule: FeeRule) -> RedemptionResult:
    """``redeem`` for ``Lot`` objects in any order (the window's lot table)."""
    return redeem(LotSchedule.from_lots(lots), request, rule)
