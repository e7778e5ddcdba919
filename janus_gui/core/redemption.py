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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from janus_gui.core.errors import LotScheduleError
from janus_gui.core.lots import Lot, LotSchedule
from janus_gui.core.lots_csv import LedgerEntry, LedgerType
from janus_gui.core.models import FeeRule
from janus_gui.core.money import quantize_shares, round_cents

logger = logging.getLogger(__name__)

FEE_LABEL = "fee that may apply (maximum)"
ZERO_SHARES = Decimal("0.000")
ZERO_CENTS = Decimal("0.00")


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
    lots: tuple[LotRedemption, ...]
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
    for name, value in (("NAV", request.nav), ("shares", request.shares),
                        ("amount", request.amount)):
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


@dataclass(slots=True)
class _Walk:
    steps: list[LotRedemption] = field(default_factory=list)
    subject: Decimal = ZERO_SHARES
    exempt: Decimal = ZERO_SHARES
    taken_whole: int = 0
    head: Decimal | None = None


def _date_facts(
    request: RedemptionRequest, rule: FeeRule
) -> Callable[[dt.date | str], tuple[dt.date, int, bool, dt.date | None]]:
    """Date, days held, inside the window, fee-free-from: computed once per distinct date."""
    window = rule.holding_period_days if rule.applies else None
    cache: dict[dt.date | str, tuple[dt.date, int, bool, dt.date | None]] = {}

    def facts(value: dt.date | str) -> tuple[dt.date, int, bool, dt.date | None]:
        found = cache.get(value)
        if found is None:
            purchased = value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
            held = days_held(purchased, request.redeem_date)
            free_from = fee_free_from(purchased, window) if window is not None else None
            found = cache[value] = (purchased, held, window is not None and held <= window,
                                    free_from)
        return found

    return facts


def _walk(
    schedule: LotSchedule, target: Decimal, request: RedemptionRequest, rule: FeeRule
) -> _Walk:
    """Take ``target`` shares oldest first; stop at the last lot needed."""
    walk = _Walk()
    still = target
    facts = _date_facts(request, rule)
    per_share = rule.rate * request.nav if rule.applies else Decimal("0")
    for stored_date, stored_shares, lot_id, seq, exempt, line in schedule.iter_rows():
        if still <= 0:
            break
        held = quantize_shares(Decimal(stored_shares))
        take = min(still, held)
        purchased, held_days, within, free_from = facts(stored_date)
        subject = within and not exempt
        unrounded = per_share * take if subject else Decimal("0")
        walk.steps.append(
            LotRedemption(
                lot_id, seq, purchased, held, take, held - take, held_days, within, bool(exempt),
                subject, unrounded, round_cents(unrounded), free_from, line,
            )
        )
        if subject:
            walk.subject += take
        elif exempt and within:
            walk.exempt += take
        still -= take
        if take == held:
            walk.taken_whole += 1
        else:
            walk.head = held - take
    if still > 0:
        held_total = quantize_shares(target - still)
        raise LotScheduleError(
            f"cannot redeem {target} shares: only {held_total} are held on "
            f"{request.redeem_date.isoformat()}"
        )
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
            "The source says the fee \"may be imposed\": the amount shown is the fee that may "
            "apply (maximum), computed on the redemption value at the NAV given."
        )
    portions = sum((s.fee for s in walk.steps), ZERO_CENTS)
    if portions != total_fee:
        notes.append(
            f"Per-lot fees are shown rounded; they add up to {portions}, but the fee is rounded "
            f"once on the total ({total_fee})."
        )
    if walk.exempt:
        notes.append(f"{walk.exempt} shares inside the window were marked exempt by the user.")
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
    if request.mode == RedeemMode.AMOUNT and value != round_cents(request.amount or 0):
        notes.append(
            f"The redemption value of {target} shares is ${value}, not exactly ${request.amount}, "
            "because shares are rounded to 3 decimals."
        )
    return RedemptionResult(
        request=request,
        rule=rule,
        lots=tuple(walk.steps),
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


# -- ledgers -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class LedgerRedemption:
    """One redemption of a ledger, with the ledger line it came from."""

    line: int
    result: RedemptionResult


@dataclass(frozen=True, slots=True)
class LedgerResult:
    """Every redemption of a ledger, in date order, and the lots held at the end."""

    redemptions: tuple[LedgerRedemption, ...]
    remaining: LotSchedule

    @property
    def total_fee(self) -> Decimal:
        """Sum of the (already rounded) fees of each redemption."""
        return sum((r.result.total_fee for r in self.redemptions), ZERO_CENTS)

    @property
    def shares_redeemed(self) -> Decimal:
        """Shares redeemed by every redemption together."""
        return sum((r.result.shares_redeemed for r in self.redemptions), ZERO_SHARES)

    @property
    def shares_subject_to_fee(self) -> Decimal:
        """Shares inside the window of a fee rule, over every redemption."""
        return sum((r.result.shares_subject_to_fee for r in self.redemptions), ZERO_SHARES)

    @property
    def redemption_value(self) -> Decimal:
        """Sum of the redemption values (each already rounded to cents)."""
        return sum((r.result.redemption_value for r in self.redemptions), ZERO_CENTS)

    @property
    def net_proceeds(self) -> Decimal:
        """Sum of the net proceeds (value minus fee) of each redemption."""
        return sum((r.result.net_proceeds for r in self.redemptions), ZERO_CENTS)


def _ledger_request(entry: LedgerEntry, nav: Decimal | None) -> RedemptionRequest:
    if nav is None:
        raise LotScheduleError("a NAV is needed for this redemption (nav column or --nav)")
    if entry.redeem_all:
        return RedemptionRequest.of_all(entry.date, nav)
    if entry.amount is not None:
        return RedemptionRequest.of_amount(entry.date, nav, entry.amount)
    assert entry.shares is not None
    return RedemptionRequest.of_shares(entry.date, nav, entry.shares)


@dataclass(slots=True)
class _Holdings:
    """The lots held between ledger steps, column by column, in FIFO order.

    Purchases arrive in date order (same date: file order), so appending keeps FIFO order and
    no sort is needed; each lot keeps the ledger line it was bought on.
    """

    dates: list[dt.date | str] = field(default_factory=list)
    shares: list[str | Decimal] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    seqs: list[int] = field(default_factory=list)
    exempt: list[bool] = field(default_factory=list)
    lines: list[int | None] = field(default_factory=list)

    def buy(self, entry: LedgerEntry) -> None:
        assert entry.shares is not None
        for column, value in zip(
            self.columns(),
            (entry.date, entry.shares, entry.lot_id, entry.seq, entry.exempt, entry.line),
            strict=True,
        ):
            column.append(value)

    def columns(self) -> tuple[list[Any], ...]:
        return self.dates, self.shares, self.ids, self.seqs, self.exempt, self.lines

    def schedule(self) -> LotSchedule:
        return LotSchedule(
            self.dates, self.shares, self.ids, self.seqs,
            self.exempt if any(self.exempt) else None, self.lines,
        )

    @classmethod
    def of(cls, schedule: LotSchedule) -> _Holdings:
        held = cls()
        columns = held.columns()
        for row in schedule.iter_rows():
            for column, value in zip(columns, row, strict=True):
                column.append(value)
        return held


def run_ledger(
    entries: Iterable[LedgerEntry],
    rule_for: Callable[[dt.date], FeeRule],
    *,
    default_nav: Decimal | None = None,
) -> LedgerResult:
    """Apply purchases and redemptions in date order (same date: file order).

    Each redemption uses the fee rule in force on its own date (``rule_for``) and the lots left
    by the previous steps; every lot keeps the ledger line of its purchase.

    Args:
        entries: ledger rows, in any order (``read_ledger`` output).
        rule_for: the redemption-fee rule in force on a date.
        default_nav: NAV for redemption rows that give none.

    Returns:
        Each redemption's result with its ledger line, and the lots held at the end.

    Raises:
        LotScheduleError: naming the ledger line of the first redemption that cannot be made.
    """
    held = _Holdings()
    done: list[LedgerRedemption] = []
    for entry in sorted(entries, key=lambda e: (e.date, e.seq)):
        if entry.kind == LedgerType.PURCHASE:
            held.buy(entry)
            continue
        try:
            request = _ledger_request(entry, entry.nav or default_nav)
            result = redeem(held.schedule(), request, rule_for(entry.date))
        except LotScheduleError as exc:
            raise LotScheduleError(exc.reason, line=entry.line) from None
        done.append(LedgerRedemption(entry.line, result))
        held = _Holdings.of(result.remaining)
    return LedgerResult(tuple(done), held.schedule())
