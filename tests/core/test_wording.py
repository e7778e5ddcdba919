"""The words of a fee rule and a fee-free plan, written here by hand from the rule's terms."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from janus_gui.core import wording
from janus_gui.core.models import Standing, Support
from janus_gui.core.planner import FeeFreePlan
from tests.core.test_redemption import NO_FEE, SII

D = Decimal


@pytest.mark.parametrize(
    ("rate", "text"),
    [
        (D("0.01"), "1.00%"),
        (D("0.02"), "2.00%"),
        (D("0.0125"), "1.25%"),
        (D("0"), "0.00%"),
    ],
)
def test_rate_text(rate: Decimal, text: str) -> None:
    assert wording.rate_text(rate) == text


def test_rule_terms() -> None:
    assert wording.rule_terms(SII) == "1.00% on shares held 60 days or less"


def test_rule_sentence_of_a_fee() -> None:
    assert wording.rule_sentence(SII) == (
        "1.00% of the redemption value, on shares held 60 days or less; FIFO order; paid to "
        "the Portfolio.\n1.00% if held 60 days or less"
    )


def test_rule_sentence_without_a_fee_is_its_reason() -> None:
    assert wording.rule_sentence(NO_FEE) == NO_FEE.reason


def test_rule_sentence_of_an_undocumented_rule_computes_nothing() -> None:
    silent = dataclasses.replace(NO_FEE, support=Support(Standing.NOT_DOCUMENTED))
    assert wording.rule_sentence(silent) == f"No fee computed. {NO_FEE.reason}"


def test_fee_free_sentences() -> None:
    plan = FeeFreePlan(
        dt.date(2012, 4, 20),
        SII,
        D("150.000"),
        D("100.000"),
        1,
        dt.date(2012, 6, 1),
        D("1150.000"),
        ("a note",),
    )
    assert wording.fee_free_sentences(plan, dt.date(2012, 4, 20), SII) == [
        "On 2012-04-20, 100.000 of 150.000 shares can be redeemed without a fee.",
        "Next fee-free date: 2012-06-01 (1,150.000 shares fee-free then).",
        "a note",
    ]


def test_fee_free_sentences_when_every_share_is_free() -> None:
    plan = FeeFreePlan(dt.date(2012, 4, 20), SII, D("5.000"), D("5.000"), 2, None, None)
    assert wording.fee_free_sentences(plan, dt.date(2012, 4, 20), SII)[1:] == [
        "Every share held is past the holding period on this date."
    ]
