"""Share-class conversion at relative net asset values (DOMAIN.md §4).

The 2012 plan converts Service II shares into Service shares "based upon the relative net asset
values" and gives no formula or rounding. Convention: shares received = shares x NAV(from) /
NAV(to), rounded half-up to 3 decimals; the dollar value left over by that rounding is shown as
the residual. No fee applies to a conversion.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from janus_gui.core.errors import InputError
from janus_gui.core.lots import Lot
from janus_gui.core.money import quantize_shares, round_cents

logger = logging.getLogger(__name__)

MAX_DIGITS = 12


@dataclass(frozen=True, slots=True)
class ConversionResult:
    """Shares before and after a relative-NAV conversion, with the value residual."""

    shares_in: Decimal
    nav_from: Decimal
    nav_to: Decimal
    shares_out: Decimal
    value_in: Decimal  # shares_in x nav_from, to cents
    value_out: Decimal  # shares_out x nav_to, to cents
    residual: Decimal  # shares_out x nav_to - shares_in x nav_from, unrounded
    fee: Decimal = Decimal("0.00")
    notes: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class ConvertedLots:
    """Lots converted one by one, keeping purchase dates and file order."""

    lots: tuple[Lot, ...]
    shares_in: Decimal
    shares_out: Decimal  # sum of the per-lot results
    shares_out_as_one: Decimal  # the total converted in one step
    notes: tuple[str, ...] = field(default_factory=tuple)


def _check(nav_from: Decimal, nav_to: Decimal) -> None:
    if nav_from <= 0 or nav_to <= 0:
        raise InputError("both NAVs must be greater than zero")


def convert_shares(shares: Decimal, nav_from: Decimal, nav_to: Decimal) -> ConversionResult:
    """Convert ``shares`` at NAV ``nav_from`` into shares at NAV ``nav_to``.

    Raises:
        InputError: for a NAV or share count that is not greater than zero.
    """
    _check(nav_from, nav_to)
    if shares <= 0:
        raise InputError("shares to convert must be greater than zero")
    if shares.adjusted() >= MAX_DIGITS or (shares * nav_from / nav_to).adjusted() >= MAX_DIGITS:
        raise InputError(f"too many shares (at most {MAX_DIGITS} digits before the point)")
    shares_in = quantize_shares(shares)
    out = quantize_shares(shares_in * nav_from / nav_to)
    residual = out * nav_to - shares_in * nav_from
    notes = (
        "Shares received = shares x NAV(from) / NAV(to), rounded half-up to 3 decimals "
        "(the sources give no rounding rule).",
        f"Value residual from rounding: {residual} (value after minus value before).",
        "No fee applies to a conversion at relative NAV.",
    )
    return ConversionResult(
        shares_in,
        nav_from,
        nav_to,
        out,
        round_cents(shares_in * nav_from),
        round_cents(out * nav_to),
        residual,
        notes=notes,
    )


def convert_lots(
    lots: Iterable[Lot],
    nav_from: Decimal,
    nav_to: Decimal,
    *,
    from_class: str,
    on: dt.date,
) -> ConvertedLots:
    """Convert lot by lot; each keeps its purchase date and ``seq`` and is tagged.

    Per-lot rounding may differ from converting the total at once by a few thousandths of a
    share; both figures are returned and the difference is noted.
    """
    _check(nav_from, nav_to)
    source = list(lots)
    converted = tuple(
        replace(
            lot,
            shares=quantize_shares(lot.shares * nav_from / nav_to),
            converted_from=from_class,
            converted_on=on,
        )
        for lot in source
    )
    shares_in = quantize_shares(sum((lot.shares for lot in source), Decimal(0)))
    shares_out = quantize_shares(sum((lot.shares for lot in converted), Decimal(0)))
    as_one = quantize_shares(shares_in * nav_from / nav_to)
    notes = [
        f"Lots keep their purchase dates and order; tagged converted from {from_class} on "
        f"{on.isoformat()}."
    ]
    if shares_out != as_one:
        notes.append(
            f"Converting lot by lot gives {shares_out} shares; converting the total at once gives "
            f"{as_one} (per-lot rounding)."
        )
    return ConvertedLots(converted, shares_in, shares_out, as_one, tuple(notes))
