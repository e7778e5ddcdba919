"""Which class fits: the three distinctions the 2012 plan and the 1999 plan draw between classes."""

from __future__ import annotations

import datetime as dt

import pytest

from janus_gui.core.eligibility import Buyer, Needs, Verdict, class_fit, class_fits
from janus_gui.core.models import (
    Citation,
    DatePrecision,
    Evidence,
    Rule,
    RuleKind,
    ShareClass,
)

PLAN_2012 = "002_9a3a92caa630b855.txt"
FILING_1999 = "004_546a7a10363b684d.txt"

INSTITUTIONAL_2012 = Citation(
    PLAN_2012, 19, 20, "Institutional Shares may be sold only to insurance company separate"
)
SERVICE_2012 = Citation(
    PLAN_2012, 20, 22, "Service Shares and Service II Shares may be sold to insurance company"
)
SERVICE_II_2012 = Citation(
    PLAN_2012, 22, 24, "available to insurance companies and qualified plans who agree to"
)
RETIREMENT_1999 = Citation(
    FILING_1999, 10089, 10090, "Retirement Shares may be sold only to qualified plans"
)


def _rule(share_class: ShareClass | None, citation: Citation, summary: str) -> Rule:
    return Rule(
        rule_id=f"elig-{share_class}",
        kind=RuleKind.ELIGIBILITY,
        portfolio_id=None,
        share_class=share_class,
        effective_from=dt.date(2012, 3, 15),
        from_precision=DatePrecision.IN_FORCE_BY,
        effective_to=None,
        summary=summary,
        params={},
        evidence=Evidence.DOCUMENTED,
        evidence_reason="",
        citation=citation,
    )


RULES_2012 = {
    ShareClass.INSTITUTIONAL: [
        _rule(ShareClass.INSTITUTIONAL, INSTITUTIONAL_2012, "separate accounts and plans")
    ],
    ShareClass.SERVICE: [_rule(ShareClass.SERVICE, SERVICE_2012, "plans needing a fee")],
    ShareClass.SERVICE_II: [
        _rule(ShareClass.SERVICE_II, SERVICE_II_2012, "plans administering a redemption fee")
    ],
}


def _verdicts(needs: Needs, rules=RULES_2012) -> dict[ShareClass, Verdict]:
    return {fit.share_class: fit.verdict for fit in class_fits(needs, rules)}


def test_plan_without_fee_need_fits_institutional_only() -> None:
    needs = Needs(Buyer.QUALIFIED_PLAN, fee_from_assets=False, administers_redemption_fee=False)
    assert _verdicts(needs) == {
        ShareClass.INSTITUTIONAL: Verdict.FITS,
        ShareClass.SERVICE: Verdict.DOES_NOT_FIT,
        ShareClass.SERVICE_II: Verdict.DOES_NOT_FIT,
    }


def test_separate_account_needing_a_fee_fits_service_not_service_ii() -> None:
    needs = Needs(Buyer.SEPARATE_ACCOUNT, fee_from_assets=True, administers_redemption_fee=False)
    assert _verdicts(needs) == {
        ShareClass.INSTITUTIONAL: Verdict.DOES_NOT_FIT,
        ShareClass.SERVICE: Verdict.FITS,
        ShareClass.SERVICE_II: Verdict.DOES_NOT_FIT,
    }


def test_administering_a_redemption_fee_opens_service_ii() -> None:
    needs = Needs(Buyer.SEPARATE_ACCOUNT, fee_from_assets=True, administers_redemption_fee=True)
    fits = class_fits(needs, RULES_2012)
    assert [f.share_class for f in fits if f.verdict == Verdict.FITS] == [
        ShareClass.SERVICE,
        ShareClass.SERVICE_II,
    ]
    service_ii = next(f for f in fits if f.share_class == ShareClass.SERVICE_II)
    assert service_ii.citation == SERVICE_II_2012
    assert service_ii.citation.label() == "002:22-24"


def test_fitting_classes_are_listed_first() -> None:
    needs = Needs(Buyer.QUALIFIED_PLAN, fee_from_assets=True, administers_redemption_fee=False)
    order = [f.share_class for f in class_fits(needs, RULES_2012)]
    assert order == [ShareClass.SERVICE, ShareClass.INSTITUTIONAL, ShareClass.SERVICE_II]


@pytest.mark.parametrize("fee", [True, False])
def test_an_individual_fits_no_class(fee: bool) -> None:
    needs = Needs(Buyer.OTHER, fee_from_assets=fee, administers_redemption_fee=True)
    fits = class_fits(needs, RULES_2012)
    assert {f.verdict for f in fits} == {Verdict.DOES_NOT_FIT}
    institutional = next(f for f in fits if f.share_class == ShareClass.INSTITUTIONAL)
    assert "sold only to insurance company separate accounts and qualified plans" in (
        institutional.reason
    )


def test_retirement_1999_is_for_qualified_plans_only() -> None:
    rules = {ShareClass.RETIREMENT: [_rule(ShareClass.RETIREMENT, RETIREMENT_1999, "plans")]}
    account = Needs(Buyer.SEPARATE_ACCOUNT, fee_from_assets=True, administers_redemption_fee=False)
    plan = Needs(Buyer.QUALIFIED_PLAN, fee_from_assets=True, administers_redemption_fee=False)
    assert class_fit(ShareClass.RETIREMENT, account, rules[ShareClass.RETIREMENT]).verdict == (
        Verdict.DOES_NOT_FIT
    )
    fit = class_fit(ShareClass.RETIREMENT, plan, rules[ShareClass.RETIREMENT])
    assert fit.verdict == Verdict.FITS
    assert fit.citation.label() == "004:10089-10090"


def test_a_class_without_an_eligibility_rule_is_not_documented() -> None:
    needs = Needs(Buyer.QUALIFIED_PLAN, fee_from_assets=True, administers_redemption_fee=False)
    fit = class_fit(ShareClass.SERVICE, needs, [])
    assert fit.verdict == Verdict.NOT_DOCUMENTED
    assert fit.citation is None


def test_class_specific_rule_wins_over_a_trust_wide_one() -> None:
    trust_wide = _rule(None, INSTITUTIONAL_2012, "every class")
    specific = _rule(ShareClass.SERVICE, SERVICE_2012, "service rule")
    needs = Needs(Buyer.QUALIFIED_PLAN, fee_from_assets=True, administers_redemption_fee=False)
    fit = class_fit(ShareClass.SERVICE, needs, [trust_wide, specific])
    assert fit.citation == SERVICE_2012
    assert fit.reason == "service rule"
