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
from janus_gui.core.models import Citation, ClassState, FeeRule, ShareClass, Standing
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
    """Whether an exchange is allowed on a date, why, how the sources support the answer, and
    the source that says so. ``allowed`` is ``None`` when the sources cannot decide."""

    source: Holding
    target: Holding
    on: dt.date
    allowed: bool | None
    reason: str
    citation: Citation | None
    standing: Standing = Standing.DOCUMENTED
    redemption_fee: FeeRule | None = None  # the fee rule of the class exchanged out of
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def documented(self) -> bool:
        """False when the sources cannot decide (``allowed`` is then ``None``)."""
        return self.allowed is not None


def _refuse(
    source: Holding,
    target: Holding,
    on: dt.date,
    reason: str,
    citation: Citation | None,
    standing: Standing,
) -> ExchangeCheck:
    return ExchangeCheck(source, target, on, False, reason, citation, standing)


def _undecided(
    source: Holding, target: Holding, on: dt.date, reason: str, citation: Citation | None
) -> ExchangeCheck:
    return ExchangeCheck(source, target, on, None, reason, citation, Standing.NOT_DOCUMENTED)


def check_exchange(
    repo: Repository, source: Holding, target: Holding, on: dt.date
) -> ExchangeCheck:
    """Check an exchange from ``source`` into ``target`` on ``on``.

    Allowed when the sources state an exchange privilege in force, both classes are offered
    on that date, the classes are the same and the portfolios differ. Refused where a source
    says no (another class, a class that ended or had not started); undecided (``None``) where
    the sources are silent.
    """
    statuses = [
        (side, class_status(repo, holding.portfolio_id, holding.share_class, on))
        for side, holding in (("from", source), ("into", target))
    ]
    for side, status in statuses:
        if status.state in (ClassState.ENDED, ClassState.NOT_OFFERED):
            return _refuse(
                source,
                target,
                on,
                f"Not allowed: the class to exchange {side} is not offered on {on.isoformat()}. "
                f"{status.text}",
                status.citation,
                status.standing,
            )
    rule = exchange_rule(repo, source.portfolio_id, source.share_class, on)
    if rule is None:
        return _undecided(
            source,
            target,
            on,
            f"Cannot be determined: no source states an exchange privilege for "
            f"{source.share_class.value} shares on {on.isoformat()}.",
            None,
        )
    rule_standing = rule.support(on).standing
    if source.share_class != target.share_class:
        return _refuse(
            source,
            target,
            on,
            f"Not allowed: shares of a class may be exchanged only for shares of the same class "
            f"of another Portfolio ({source.share_class.value} -> {target.share_class.value}).",
            rule.citation,
            rule_standing,
        )
    if source.portfolio_id == target.portfolio_id:
        return _refuse(
            source,
            target,
            on,
            "Not an exchange: the exchange privilege is into another Portfolio.",
            rule.citation,
            rule_standing,
        )
    standing = rule_standing
    for side, status in statuses:
        if status.state == ClassState.UNKNOWN:
            return _undecided(
                source,
                target,
                on,
                f"Cannot be determined: whether the class to exchange {side} exists on "
                f"{on.isoformat()} is not documented. {status.text}",
                status.citation,
            )
        standing = standing.weaker(status.standing)
    fee = redemption_fee_rule(repo, source.portfolio_id, source.share_class, on)
    notes = [PLAN_CONDITION]
    if fee.applies:
        notes.append(REDEMPTION_ASSUMPTION)
    if standing == Standing.CARRIED:
        notes.append(
            "Carried: no source speaks for this date; the answer rests on the last documented "
            "rule and classes, which may have changed since."
        )
    return ExchangeCheck(
        source,
        target,
        on,
        True,
        f"Allowed: same class ({source.share_class.value}) of another Portfolio. {rule.summary}",
        rule.citation,
        standing,
        fee,
        tuple(notes),
    )
