"""How a fee rule and a fee-free plan are put into words, for the window and the command line.

One place for the sentences, so a rate reads ``1.00%`` and a holding period "on shares held 60
days or less" on every surface. Each surface still chooses its layout (a table row, a line of
text output, a tooltip); the words come from here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from janus_gui.core.models import FeeRule, Standing, Support
from janus_gui.core.planner import FeeFreePlan


def rate_text(rate: Decimal) -> str:
    """A fee rate as a percentage with two decimals: ``Decimal('0.01')`` -> ``1.00%``."""
    return f"{rate * 100:.2f}%"


def holding_text(days: int | None) -> str:
    """``on shares held 60 days or less``."""
    return f"on shares held {days} days or less"


def rule_terms(rule: FeeRule) -> str:
    """The fee's rate and window in a phrase: ``1.00% on shares held 60 days or less``."""
    return f"{rate_text(rule.rate)} {holding_text(rule.holding_period_days)}"


def fee_rule_text(fee: FeeRule) -> str:
    """The redemption-fee rule in one sentence (the reason when no fee applies)."""
    if not fee.applies:
        return fee.reason
    return (
        f"{rule_terms(fee)} (fee that may apply), {fee.lot_order}, on the {fee.base}, paid to "
        f"the {fee.recipient}"
    )


def rule_sentence(rule: FeeRule) -> str:
    """The rule applied, as the window shows it: its terms in one line, then the source's summary.

    A rule the sources do not document on the date says that no fee is computed.
    """
    if rule.applies:
        terms = (
            f"{rate_text(rule.rate)} of the {rule.base}, {holding_text(rule.holding_period_days)}"
            f"; {rule.lot_order} order; paid to the {rule.recipient or 'Portfolio'}."
        )
        return f"{terms}\n{rule.reason}".strip()
    if not rule.documented:
        return f"No fee computed. {rule.reason}"
    return rule.reason


def fee_free_sentences(plan: FeeFreePlan, on: dt.date, rule: FeeRule) -> list[str]:
    """Shares redeemable on ``on`` without a fee, the next date more become fee-free, notes."""
    lines = [
        f"On {on.isoformat()}, {plan.fee_free_shares:,f} of {plan.shares_held:,f} "
        "shares can be redeemed without a fee."
    ]
    if plan.next_date is not None:
        lines.append(
            f"Next fee-free date: {plan.next_date.isoformat()} "
            f"({plan.fee_free_shares_on_next_date:,f} shares fee-free then)."
        )
    elif rule.applies:
        lines.append("Every share held is past the holding period on this date.")
    lines.extend(plan.notes)
    return lines


# -- standings (docs/calculations.md, "Standing") ------------------------------------------------
def standing_label(support: Support) -> str:
    """A short label: ``documented``, ``carried from 2000-04-30`` or ``not documented``."""
    if support.standing == Standing.CARRIED and support.documented_on:
        return f"carried from {support.documented_on.isoformat()}"
    return support.standing.value.replace("_", " ")


def standing_badge(support: Support) -> str:
    """The window's badge: the standing in words a reader cannot mistake for a current fact."""
    if support.standing == Standing.DOCUMENTED:
        return "documented"
    if support.standing == Standing.CARRIED and support.documented_on:
        return (
            f"carried: last documented {support.documented_on.isoformat()}, may have changed since"
        )
    return "not documented on this date"
