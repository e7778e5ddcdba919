"""Fee-free planner: how many shares can be redeemed on a date without the redemption fee.

FIFO takes the oldest lots first, so a fee-free redemption can only use the leading run of lots
that are past the holding window (or marked exempt) on that date. The first lot still inside
the window ends the run; the day it leaves the window is the next date on which more shares
become fee-free.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from janus_gui.core.lots import LotSchedule
from janus_gui.core.models import FeeRule
from janus_gui.core.money import quantize_shares
from janus_gui.core.redemption import check_no_later_lots, days_held, fee_free_from

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FeeFreePlan:
    """The largest fee-free redemption on ``on`` and when more shares become fee-free."""

    on: dt.date
    rule: FeeRule
    shares_held: Decimal
    fee_free_shares: Decimal
    fee_free_lots: int
    next_date: dt.date | None  # None when every share is already fee-free
    fee_free_shares_on_next_date: Decimal | None
    notes: tuple[str, ...] = field(default_factory=tuple)


def _leading_run(schedule: LotSchedule, on: dt.date, window: int) -> tuple[int, Decimal]:
    """Count and shares of the leading lots past the window (or exempt) on ``on``."""
    total = Decimal("0")
    index = 0
    while index < len(schedule):
        if days_held(schedule.date(index), on) <= window and not schedule.exempt(index):
            break
        total += schedule.shares(index)
        index += 1
    return index, quantize_shares(total)


def plan_fee_free(schedule: LotSchedule, on: dt.date, rule: FeeRule) -> FeeFreePlan:
    """Plan a fee-free redemption on ``on`` under ``rule``.

    Args:
        schedule: the lots held, in FIFO order.
        on: the intended redemption date.
        rule: the redemption-fee rule in force for the class on that date.

    Raises:
        LotScheduleError: when a lot was bought after ``on``.
    """
    check_no_later_lots(schedule, on)
    held = schedule.total_shares()
    if not rule.applies or rule.holding_period_days is None:
        said = "No redemption fee applies" if rule.documented else "Fee-free shares"
        return FeeFreePlan(
            on,
            rule,
            held,
            held,
            len(schedule),
            None,
            None,
            (f"{said} on {on.isoformat()}: {rule.reason}",),
        )
    window = rule.holding_period_days
    count, free = _leading_run(schedule, on, window)
    notes = [
        f"FIFO redeems the oldest lots first, so only the leading lots held more than {window} "
        "days can be redeemed without the fee. The rule in force on a later date may differ."
    ]
    if count == len(schedule):
        return FeeFreePlan(on, rule, held, free, count, None, None, tuple(notes))
    next_date = fee_free_from(schedule.date(count), window)
    _, free_next = _leading_run(schedule, next_date, window)
    return FeeFreePlan(on, rule, held, free, count, next_date, free_next, tuple(notes))
