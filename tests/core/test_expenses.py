"""Expense projection: reproduces every printed figure of the 1999 Service expense example.

Golden figures typed from 004:1129-1139 (1 and 3 years, $10,000, 5%), ratios from the gross
column of 004:1076-1088 with Aggressive Growth's printed 0.03% read as 0.93% (data note T1).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from janus_gui.core.errors import InputError
from janus_gui.core.expenses import check_expense_example, project_costs

D = Decimal

PRINTED = [
    # portfolio, gross ratio used, 1 year, 3 years
    ("Growth", "0.93", 95, 296),
    ("Aggressive Growth", "0.93", 95, 296),  # printed total 0.03% (T1)
    ("Capital Appreciation", "1.02", 104, 325),
    ("International Growth", "1.06", 108, 337),
    ("Worldwide Growth", "0.96", 98, 306),
    ("Balanced", "0.93", 95, 296),
    ("Equity Income", "1.48", 151, 468),
    ("Growth and Income", "1.13", 115, 359),
    ("Flexible Income", "0.97", 99, 309),
    ("High-Yield", "5.33", 532, 1591),
    ("Money Market", "0.66", 67, 211),
]


@pytest.mark.parametrize(("name", "ratio", "one", "three"), PRINTED)
def test_reproduces_the_printed_example(name: str, ratio: str, one: int, three: int) -> None:
    costs = project_costs(D(ratio), years=[1, 3]).costs
    assert (costs[1], costs[3]) == (D(one), D(three)), name


def test_first_year_by_hand() -> None:
    # 0.0093 x (10,000 + 10,000 x 1.0407) / 2 = 0.0093 x 10,203.5 = 94.89 -> $95
    projection = project_costs(D("0.93"), years=[1])
    assert projection.yearly_costs[0] == D("94.892550")


def test_printed_typo_would_not_reproduce_the_example() -> None:
    assert project_costs(D("0.03"), years=[1, 3]).costs == {1: D("3"), 3: D("10")}


def test_other_amounts_returns_and_horizons() -> None:
    # 1% on $1,000 at 0% return: B1 = 990, cost 0.01 x (1000 + 990) / 2 = 9.95 -> $10;
    # year 2: B = 990, next 980.1, cost 0.01 x 1970.1 / 2 = 9.8505; cumulative 19.8005 -> $20
    costs = project_costs(D("1"), amount=D("1000"), return_percent=D("0"), years=[2, 1]).costs
    assert costs == {1: D("10"), 2: D("20")}


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"ratio_percent": D("-0.1")}, "expense ratio"),
        ({"ratio_percent": D("100")}, "expense ratio"),
        ({"ratio_percent": D("1"), "amount": D("0")}, "amount"),
        ({"ratio_percent": D("1"), "return_percent": D("-100")}, "return"),
        ({"ratio_percent": D("1"), "years": [0]}, "years"),
        ({"ratio_percent": D("1"), "years": [101]}, "years"),
        ({"ratio_percent": D("1"), "years": []}, "years"),
    ],
)
def test_invalid_inputs(kwargs: dict, fragment: str) -> None:
    with pytest.raises(InputError, match=fragment):
        project_costs(**kwargs)


def test_catalog_example_matches_the_recomputation(repo) -> None:
    checks = check_expense_example(repo.fee_table(), repo.expense_example())
    assert len(checks) == 22
    assert [c for c in checks if not c.matches] == []
    by_name = {(c.portfolio_id, c.years): c.printed for c in checks}
    assert by_name[("P10", 3)] == 1591 and by_name[("P2", 1)] == 95
