"""Which share class fits a buyer: the distinctions the sources draw between the classes.

The sources separate the classes on three questions only:

* who the buyer is: every class is sold only to insurance company separate accounts and qualified
  plans, and Retirement shares only to qualified plans (002:19-20; 004:10088-10090);
* whether the plan or contract needs a fee paid out of Portfolio assets for distribution or
  administrative services: Service, Service II and Retirement shares are for buyers that do
  (002:20-22; 004:10089-10093); Institutional shares for buyers that do not (002:109-111), since
  no distribution fee is paid on them (002:51-52; 004:10202-10203);
* whether the insurer or plan agrees to administer a redemption fee: required for Service II
  (002:22-24, 115-116).

The criteria are fixed by class; the reason shown and its citation come from the eligibility
rule the catalog holds for that class on the date, so an answer never outruns the sources.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from janus_gui.core.models import Citation, Rule, RuleKind, ShareClass


class Buyer(StrEnum):
    """Who would hold the shares of record."""

    SEPARATE_ACCOUNT = "insurance company separate account"
    QUALIFIED_PLAN = "qualified plan"
    OTHER = "other investor"


class Verdict(StrEnum):
    """Outcome for one class."""

    FITS = "fits"
    DOES_NOT_FIT = "does not fit"
    NOT_DOCUMENTED = "not documented"


@dataclass(frozen=True, slots=True)
class Needs:
    """The answers to the three questions the sources distinguish on."""

    buyer: Buyer
    fee_from_assets: bool
    administers_redemption_fee: bool


@dataclass(frozen=True, slots=True)
class ClassFit:
    """Whether one class fits, why, and the rule that says so."""

    share_class: ShareClass
    verdict: Verdict
    reason: str
    citation: Citation | None


@dataclass(frozen=True, slots=True)
class _Criteria:
    buyers: frozenset[Buyer]
    fee_from_assets: bool
    administers_redemption_fee: bool


_BOTH = frozenset({Buyer.SEPARATE_ACCOUNT, Buyer.QUALIFIED_PLAN})

CRITERIA: dict[ShareClass, _Criteria] = {
    ShareClass.INSTITUTIONAL: _Criteria(_BOTH, False, False),
    ShareClass.SERVICE: _Criteria(_BOTH, True, False),
    ShareClass.SERVICE_II: _Criteria(_BOTH, True, True),
    ShareClass.RETIREMENT: _Criteria(frozenset({Buyer.QUALIFIED_PLAN}), True, False),
}


def _buyers_text(buyers: frozenset[Buyer]) -> str:
    if buyers == _BOTH:
        return "insurance company separate accounts and qualified plans"
    return "qualified plans"


def _unmet(share_class: ShareClass, needs: Needs) -> str | None:
    """The first condition the buyer does not meet, in plain words (None when all are met)."""
    criteria = CRITERIA[share_class]
    name = f"{share_class.value} shares"
    if needs.buyer not in criteria.buyers:
        return f"{name} are sold only to {_buyers_text(criteria.buyers)}."
    if needs.fee_from_assets and not criteria.fee_from_assets:
        return (
            f"{name} pay no fee out of Portfolio assets for distribution or administrative "
            "services; they are for plans and contracts that do not require one."
        )
    if not needs.fee_from_assets and criteria.fee_from_assets:
        return (
            f"{name} are for plans and contracts that require a fee out of Portfolio assets "
            "(12b-1) for distribution or administrative services."
        )
    if criteria.administers_redemption_fee and not needs.administers_redemption_fee:
        return (
            f"{name} are available only to insurers and plans that agree to administer a "
            "redemption fee."
        )
    return None


def _governing_rule(share_class: ShareClass, rules: Sequence[Rule]) -> Rule | None:
    """The most specific eligibility rule for the class (class-specific before trust-wide)."""
    relevant = [
        r for r in rules if r.kind == RuleKind.ELIGIBILITY and r.share_class in (share_class, None)
    ]
    if not relevant:
        return None
    return max(relevant, key=lambda r: (r.share_class is not None, r.portfolio_id is not None))


def class_fit(share_class: ShareClass, needs: Needs, rules: Sequence[Rule]) -> ClassFit:
    """Whether ``share_class`` fits ``needs``, given the eligibility rules in force for it."""
    rule = _governing_rule(share_class, rules)
    if rule is None or share_class not in CRITERIA:
        return ClassFit(
            share_class,
            Verdict.NOT_DOCUMENTED,
            f"No eligibility rule for {share_class.value} shares is documented on this date.",
            None,
        )
    unmet = _unmet(share_class, needs)
    if unmet is not None:
        return ClassFit(share_class, Verdict.DOES_NOT_FIT, unmet, rule.citation)
    return ClassFit(share_class, Verdict.FITS, rule.summary, rule.citation)


def class_fits(needs: Needs, eligibility: Mapping[ShareClass, Sequence[Rule]]) -> list[ClassFit]:
    """One answer per offered class, fitting classes first, otherwise in the canonical order.

    Args:
        needs: The buyer's answers.
        eligibility: For each class offered on the date, the eligibility rules in force for it.

    Returns:
        A ``ClassFit`` per class, with the reason and the citation of the rule behind it.
    """
    order = list(ShareClass)
    fits = [class_fit(sc, needs, eligibility[sc]) for sc in sorted(eligibility, key=order.index)]
    rank = {Verdict.FITS: 0, Verdict.DOES_NOT_FIT: 1, Verdict.NOT_DOCUMENTED: 2}
    return sorted(fits, key=lambda f: (rank[f.verdict], order.index(f.share_class)))
