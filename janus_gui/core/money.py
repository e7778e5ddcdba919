"""Decimal quantities: shares to 3 places, money to cents, rounded half-up once."""

from __future__ import annotations

import decimal
from decimal import ROUND_HALF_UP, Decimal

# Every accepted product is exact. Inputs have at most 12 digits before the point (core.inputs):
# shares 12+3 digits, NAV 12+6, so shares x NAV has at most 33 significant digits; a sum of
# 10 million lots adds 7 more, and a fee rate (at most 6 significant digits in the catalog) 6
# more: 46 digits. 60 leaves room, and still rounds a quotient (an amount / NAV) far below a
# share's thousandth. Python's default of 28 digits rounded such products silently.
PRECISION = 60


def _use_exact_precision() -> None:
    """Raise the precision of this thread's context and of every thread created later."""
    decimal.DefaultContext.prec = max(decimal.DefaultContext.prec, PRECISION)
    context = decimal.getcontext()
    context.prec = max(context.prec, PRECISION)


_use_exact_precision()

SHARES = Decimal("0.001")
CENTS = Decimal("0.01")
DOLLARS = Decimal("1")


def quantize_shares(value: Decimal) -> Decimal:
    """Shares carry three decimal places."""
    return value.quantize(SHARES, rounding=ROUND_HALF_UP)


def round_cents(value: Decimal) -> Decimal:
    """Round money to cents, half-up (never Python's half-even ``round``)."""
    return value.quantize(CENTS, rounding=ROUND_HALF_UP)


def round_dollars(value: Decimal) -> Decimal:
    """Round money to whole dollars, half-up."""
    return value.quantize(DOLLARS, rounding=ROUND_HALF_UP)
