"""Classes side by side: golden cells from the sources, and what does not depend on the order."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from janus_gui.core.compare import compare_classes, parse_pair
from janus_gui.core.errors import InputError
from janus_gui.core.exchange import Holding
from janus_gui.core.models import ShareClass

D = dt.date


def _row(comparison, key):
    return next(r for r in comparison.rows if r.key == key)


def test_service_against_service_ii_before_the_conversion(repo) -> None:
    comparison = compare_classes(
        repo, [parse_pair(repo, "Overseas/Service"), parse_pair(repo, "P4/sii")], D(2012, 4, 20)
    )
    fee = _row(comparison, "redemption_fee")
    assert fee.differs
    assert fee.cells[1].citations() == "002:96-103"  # 1.00%, 60 days or less
    assert fee.cells[0].citations() == "002:96-98"  # the plan imposes none on Service
    # both pay up to 0.25% to JDLLC (002:57-61, 002:75-82): the same terms, different passages
    assert not _row(comparison, "distribution_fee").differs
    # only the Service Shares have a 1999 fee-table row (004:1080-1081)
    assert comparison.costs[0].ratio_percent == Decimal("1.06")
    assert comparison.costs[1].projection is None
    assert comparison.cost_difference(1, 1) is None


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        (["P4/Service"], "two or three"),
        (["P4/Service"] * 2, "twice"),
        (["P4/Service", "P4/Service II", "P1/Service", "P2/Service"], "two or three"),
    ],
)
def test_bad_selections_are_refused(repo, texts, message) -> None:
    holdings = [parse_pair(repo, t) for t in texts]
    with pytest.raises(InputError, match=message):
        compare_classes(repo, holdings, D(2012, 4, 20))


@pytest.mark.parametrize("text", ["P4", "/Service", "P4/", ""])
def test_a_pair_needs_both_sides(repo, text) -> None:
    with pytest.raises(InputError, match="PORTFOLIO/CLASS"):
        parse_pair(repo, text)


_pairs = st.tuples(st.sampled_from(["P1", "P4", "P6", "P13"]), st.sampled_from(list(ShareClass)))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(_pairs, _pairs, st.dates(min_value=D(1999, 6, 1), max_value=D(2014, 1, 31)))
def test_the_order_of_the_classes_changes_nothing_but_the_order(repo, a, b, day) -> None:
    if a == b:
        return
    first, second = Holding(*a), Holding(*b)
    forward = compare_classes(repo, [first, second], day)
    backward = compare_classes(repo, [second, first], day)
    for row, other in zip(forward.rows, backward.rows, strict=True):
        assert row.differs == other.differs
        assert [c.text for c in row.cells] == [c.text for c in reversed(other.cells)]
    for years in forward.years:
        diff, back = forward.cost_difference(1, years), backward.cost_difference(1, years)
        assert (diff is None) == (back is None)
        if diff is not None:
            assert diff == -back
