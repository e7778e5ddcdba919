"""core.checks: sums, CUSIPs, regulatory limits, example costs (golden values by hand)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from janus_gui.core import checks


def test_fee_row_that_adds_up_passes() -> None:
    assert checks.check_fee_row("0.67%", "0.25%", "0.01%", "0.93%", "0.01%", "0.92%") == []


def test_t1_row_fails_both_sums() -> None:
    found = checks.check_fee_row("0.67%", "0.25%", "0.01%", "0.03%", "N/A", "0.93%")
    assert [f.check for f in found] == [
        "management + 12b-1 + other = total",
        "total - waivers = net",
    ]
    assert found[0].computed == "0.93"


def test_t2_row_fails_the_net_sum_only() -> None:
    found = checks.check_fee_row("0.75%", "0.25%", "4.33%", "5.33%", "4.08%", "1.26%")
    assert [(f.check, f.computed) for f in found] == [("total - waivers = net", "1.25%")]


def test_percent_value() -> None:
    assert checks.percent_value("0.67%") == Decimal("0.67")
    assert checks.percent_value(" N/A ") is None
    with pytest.raises(ValueError):
        checks.percent_value("about 1")


@pytest.mark.parametrize(
    ("cusip", "ok"),
    [("471021105", True), ("471021 10 5", True), ("471021106", False), ("38259P508", True)],
)
def test_check_cusip(cusip: str, ok: bool) -> None:
    assert (checks.check_cusip(cusip) == []) is ok


def test_cusip_failure_names_the_right_digit() -> None:
    [failure] = checks.check_cusip("471021106")
    assert failure.computed == "471021105"


def test_check_sum_treats_dash_as_zero() -> None:
    assert checks.check_sum("x", [Decimal("0.1"), None], Decimal("0.1")) == []
    assert checks.check_sum("x", [Decimal("0.1")], None)[0].printed == "-"


def test_rule_22c2_limits() -> None:
    assert checks.check_redemption_fee(Decimal("1.00"), 60) == []
    assert checks.check_redemption_fee(Decimal("2.01"), 60)[0].check == "redemption fee <= 2%"
    assert checks.check_redemption_fee(Decimal("1.00"), 6)[0].check.startswith("redemption-fee")
    assert checks.check_redemption_fee(Decimal("0"), 0) == []


def test_finra_limits() -> None:
    assert checks.check_distribution_fee(Decimal("0.25")) == []
    assert checks.check_distribution_fee(Decimal("0.76")) != []
    assert checks.check_service_fee(Decimal("0.25")) == []
    assert checks.check_service_fee(Decimal("0.30")) != []


@pytest.mark.parametrize(
    ("gross", "years", "cost"),
    [("0.93", 1, 95), ("0.93", 3, 296), ("5.33", 1, 532), ("5.33", 3, 1591), ("0.66", 3, 211)],
)
def test_example_cost_reproduces_printed_figures(gross: str, years: int, cost: int) -> None:
    assert checks.example_cost(Decimal(gross), years) == cost
    assert checks.check_example_cost(Decimal(gross), years, cost) == []


def test_printed_003_total_would_not_reproduce_the_example() -> None:
    # T1's proof: 0.03% would give about $3 for one year, not the printed $95
    assert checks.example_cost(Decimal("0.03"), 1) == 3
    assert checks.check_example_cost(Decimal("0.03"), 1, 95) != []
