"""Ledgers: purchases and redemptions in date order, each redemption under its own rule.

``lots_csv.read_ledger`` reads the rows; ``run_ledger`` applies them. Every redemption is
computed by ``redemption.redeem`` on the lots the steps before it left.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from janus_gui.core.errors import LotScheduleError
from janus_gui.core.exemptions import ExemptShares, result_exemptions
from janus_gui.core.lots import LotSchedule
from janus_gui.core.models import FeeRule
from janus_gui.core.redemption import (
    ZERO_CENTS,
    ZERO_SHARES,
    RedemptionRequest,
    RedemptionResult,
    redeem,
)


class LedgerType(StrEnum):
    """Kinds of ledger row."""

    PURCHASE = "purchase"
    REDEMPTION = "redemption"


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One ledger row: a purchase (shares) or a redemption (shares, amount, or all)."""

    line: int
    seq: int
    kind: LedgerType
    date: dt.date
    shares: Decimal | None
    amount: Decimal | None = None
    nav: Decimal | None = None
    lot_id: str = ""
    exempt: Any = False  # bool, or an Exemption with the reason recorded
    redeem_all: bool = False


@dataclass(frozen=True, slots=True)
class LedgerRedemption:
    """One redemption of a ledger, with the ledger line it came from and, when exempt lots were
    redeemed inside the fee window, their shares by recorded reason."""

    line: int
    result: RedemptionResult
    exemptions: ExemptShares | None = None


@dataclass(frozen=True, slots=True)
class LedgerFailure:
    """A redemption of a ledger that could not be made (it was not applied)."""

    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class LedgerResult:
    """Every redemption of a ledger, in date order, and the lots held at the end."""

    redemptions: tuple[LedgerRedemption, ...]
    remaining: LotSchedule
    failed: tuple[LedgerFailure, ...] = ()

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
    exempt: list[Any] = field(default_factory=list)  # bools or Exemptions
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
            self.dates,
            self.shares,
            self.ids,
            self.seqs,
            self.exempt if any(self.exempt) else None,
            self.lines,
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
    keep_going: bool = False,
) -> LedgerResult:
    """Apply purchases and redemptions in date order (same date: file order).

    Each redemption uses the fee rule in force on its own date (``rule_for``) and the lots left
    by the previous steps; every lot keeps the ledger line of its purchase.

    Args:
        entries: ledger rows, in any order (``read_ledger`` output).
        rule_for: the redemption-fee rule in force on a date.
        default_nav: NAV for redemption rows that give none.
        keep_going: record a redemption that cannot be made in ``failed`` and go on without
            it (its lots stay held) instead of raising.

    Returns:
        Each redemption's result with its ledger line, and the lots held at the end.

    Raises:
        LotScheduleError: naming the ledger line of the first redemption that cannot be made
            (unless ``keep_going``).
    """
    held = _Holdings()
    done: list[LedgerRedemption] = []
    failed: list[LedgerFailure] = []
    for entry in sorted(entries, key=lambda e: (e.date, e.seq)):
        if entry.kind == LedgerType.PURCHASE:
            held.buy(entry)
            continue
        try:
            request = _ledger_request(entry, entry.nav or default_nav)
            before = held.schedule()
            result = redeem(before, request, rule_for(entry.date))
        except LotScheduleError as exc:
            if not keep_going:
                raise LotScheduleError(exc.reason, line=entry.line) from None
            failed.append(LedgerFailure(entry.line, exc.reason))
            continue
        exempt = result_exemptions(before, result.lots) if result.shares_exempt else None
        done.append(LedgerRedemption(entry.line, result, exempt))
        held = _Holdings.of(result.remaining)
    return LedgerResult(tuple(done), held.schedule(), tuple(failed))
