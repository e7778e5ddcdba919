"""Expense projection with the method that reproduces the 1999 expense example (DOMAIN.md §6).

The sources print only the 1- and 3-year figures ($10,000, 5% a year, redeemed at the end of
each period, expenses without waivers) and give no formula. This method, an inference, gives all
22 printed figures from the fee table's gross totals:

* each year, cost = e x (B + B x (g - e)) / 2, with e the expense ratio, g = 1 + return, and B the
  balance at the start of the year (the average of the start and end balances, times e);
* the next year starts from B x (g - e);
* the cumulative cost is rounded to whole dollars, half-up.

Other amounts, returns and horizons use the same method and are projections, not printed figures.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from janus_gui.core.errors import InputError
from janus_gui.core.models import ExpenseExampleRow, FeeTableRow
from janus_gui.core.money import round_dollars

logger = logging.getLogger(__name__)

EXAMPLE_AMOUNT = Decimal("10000")
EXAMPLE_RETURN = Decimal("5")
DEFAULT_YEARS = (1, 3, 5, 10)
MAX_YEARS = 100
MAX_AMOUNT_DIGITS = 15


@dataclass(frozen=True, slots=True)
class Projection:
    """Cumulative costs by horizon (whole dollars) for one expense ratio."""

    ratio_percent: Decimal
    amount: Decimal
    return_percent: Decimal
    costs: dict[int, Decimal]
    yearly_costs: tuple[Decimal, ...]  # unrounded cost of each year 1..max horizon
    notes: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class ExampleCheck:
    """A printed expense-example figure beside the recomputed one."""

    portfolio_id: str
    years: int
    ratio_percent: Decimal
    printed: int
    computed: int

    @property
    def matches(self) -> bool:
        """True when the recomputation gives the printed figure."""
        return self.printed == self.computed


def _validate(
    ratio: Decimal, amount: Decimal, return_percent: Decimal, years: Sequence[int]
) -> None:
    if ratio < 0 or ratio >= 100:
        raise InputError(f"the expense ratio must be a percentage from 0 to under 100, got {ratio}")
    if amount <= 0:
        raise InputError(f"the amount must be greater than zero, got {amount}")
    if amount.adjusted() >= MAX_AMOUNT_DIGITS:
        raise InputError(f"the amount is too large (at most {MAX_AMOUNT_DIGITS} digits)")
    if return_percent <= -100 or return_percent.adjusted() >= 4:
        message = f"the return must be above -100% and under 1000%, got {return_percent}"
        raise InputError(message)
    if not years or any(y < 1 or y > MAX_YEARS for y in years):
        raise InputError(f"years must be whole numbers from 1 to {MAX_YEARS}")


def project_costs(
    ratio_percent: Decimal,
    *,
    amount: Decimal = EXAMPLE_AMOUNT,
    return_percent: Decimal = EXAMPLE_RETURN,
    years: Iterable[int] = DEFAULT_YEARS,
) -> Projection:
    """Cumulative expense cost at each horizon in ``years``.

    Args:
        ratio_percent: annual expense ratio in percent (``Decimal("0.93")`` for 0.93%).
        amount: initial investment in dollars.
        return_percent: annual return in percent before expenses.
        years: horizons in whole years.

    Raises:
        InputError: for a ratio outside 0-100%, a non-positive amount, a return of -100% or
            less, or a horizon outside 1-100 years.
    """
    horizons = sorted(set(years))
    _validate(ratio_percent, amount, return_percent, horizons)
    e = ratio_percent / 100
    growth = 1 + return_percent / 100
    balance = amount
    cumulative = Decimal(0)
    yearly: list[Decimal] = []
    costs: dict[int, Decimal] = {}
    for year in range(1, horizons[-1] + 1):
        after = balance * (growth - e)
        cost = e * (balance + after) / 2
        yearly.append(cost)
        cumulative += cost
        balance = after
        if year in horizons:
            costs[year] = round_dollars(cumulative)
    notes = (
        "Projection with the method that reproduces the printed 1999 example: each year "
        "e x (B + B x (1 + r - e)) / 2, cumulative cost rounded to whole dollars.",
        "Only the 1- and 3-year figures of the $10,000 / 5% example are printed in the sources; "
        "other horizons and inputs are projections.",
    )
    return Projection(ratio_percent, amount, return_percent, costs, tuple(yearly), notes)


def check_expense_example(
    fee_rows: Iterable[FeeTableRow], example_rows: Iterable[ExpenseExampleRow]
) -> list[ExampleCheck]:
    """Recompute every printed example figure from the fee table's gross totals (as used)."""
    ratios = {(r.portfolio_id, r.share_class): r.total_gross_used for r in fee_rows}
    checks = []
    for row in example_rows:
        ratio = ratios.get((row.portfolio_id, row.share_class))
        if ratio is None:
            continue
        computed = project_costs(ratio, years=[row.years]).costs[row.years]
        checks.append(
            ExampleCheck(row.portfolio_id, row.years, ratio, row.cost_printed, int(computed))
        )
    return checks
