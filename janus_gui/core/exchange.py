"""Exchange checker: may shares of one portfolio and class be exchanged into another on a date?

The sources (1999 and 2012, same wording) allow an exchange only into the same class of another
Portfolio offered by the contract or plan, with no exchange fee. An exchange out of a class that
carries a redemption fee is treated as a redemption on its trade date; that is an assumption
(the sources are silent) and is labelled as one.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from janus_gui.core.asof import class_status, exchange_rule, redemption_fee_rule
from janus_gui.core.models import Citation, ClassState, FeeRule, ShareClass
from janus_gui.core.repository import Repository

logger = logging.getLogger(__name__)

REDEMPTION_ASSUMPTION = (
    "Assumption (the sources are silent): an exchange out of this class counts as a redemption "
    "on its trade date, so the redemption fee may apply (compute it with the fee calculator); "
    "the shares received start a new lot."
)
PLAN_CONDITION = (
    "The target Portfolio must also be offered as an investment option by the particular "
    "insurance company or qualified plan."
)


@dataclass(frozen=True, slots=True)
class Holding:
    """A portfolio and class, as named by the user and resolved to a lineage id."""

    portfolio_id: str
    share_class: ShareClass
    name: str = ""


@dataclass(frozen=True, slots=True)
class ExchangeCheck:
    """Whether an exchange is allowed on a date, why, and the source that says so."""

    source: Holding
    target: Holding
    on: dt.date
    allowed: bool
    reason: str
    citation: Citation | None
    documented: bool = True
    redemption_fee: FeeRule | None = None  # the fee rule of the class exchanged out of
    notes: tuple[str, ...] = field(default_factory=tuple)


def _refuse(
    source: Holding, target: Holding, on: dt.date, reason: str, citation: Citation | None,
    *, documented: bool = True,
) -> ExchangeCheck:
    return ExchangeCheck(source, target, on, False, reason, citation, documented)


def check_exchange(
    repo: Repository, source: Holding, target: Holding, on: dt.date
) -> ExchangeCheck:
    """Check an exchange from ``source`` into ``target`` on ``on``.

    Allowed only when the sources state an exchange privilege in force, both classes are offered
    on that date, the classes are the same and the portfolios differ.
    """
    rule = exchange_rule(repo, source.portfolio_id, source.share_class, on)
    citation = rule.citation if rule else None
    if source.share_class != target.share_class:
        return _refuse(
            source, target, on,
            f"Not allowed: shares of a class may be exchanged only for shares of the same class "
            f"of another Portfolio ({source.share_class.value} -> {target.share_class.value}).",
            citation,
        )
    if source.portfolio_id == target.portfolio_id:
        return _refuse(
            source, target, on,
            "Not an exchange: the exchange privilege is into another Portfolio.", citation,
        )
    for side, holding in (("from", source), ("into", target)):
        status = class_status(repo, holding.portfolio_id, holding.share_class, on)
        if status.state != ClassState.OFFERED:
            return _refuse(
                source, target, on,
                f"Not allowed: the class to exchange {side} is not offered on {on.isoformat()}. "
                f"{status.text}",
                status.citation,
                documented=status.state != ClassState.NOT_DOCUMENTED,
            )
    if rule is None:
        return _refuse(
            source, target, on,
            f"Not documented: no source states an exchange privilege for "
            f"{source.share_class.value} shares on {on.isoformat()}.",
            None,
            documented=False,
        )
    fee = redemption_fee_rule(repo, source.portfolio_id, source.share_class, on)
    notes = [PLAN_CONDITION]
    if fee.applies:
        notes.append(REDEMPTION_ASSUMPTION)
    return ExchangeCheck(
        source, target, on, True,
        f"Allowed: same class ({source.share_class.value}) of another Portfolio. {rule.summary}",
        citation, True, fee, tuple(notes),
    )
