"""000: the December 2012 distribution, checked against values typed from the source text."""

from __future__ import annotations

import json

import pytest

from janus_gui.dbbuild.parse_000 import parse_000


@pytest.fixture(scope="module")
def parsed(source, names):
    return parse_000(source("000"), names)


def _by_cusip(parsed, cusip):
    [row] = [d for d in parsed.distributions if d["cusip"] == cusip]
    return row


def test_nineteen_rows_and_every_labelled_sum_holds(parsed) -> None:
    assert len(parsed.distributions) == 19
    assert len(parsed.occurrences) == 19
    assert parsed.failures == []


def test_overseas_institutional_components_exactly_as_printed(parsed) -> None:
    # 000:25  471021709  Aspen Overseas  \$0.09081 \$0.00000 \$0.09081 \$0.00000 \$0.09081
    row = _by_cusip(parsed, "471021709")
    assert row["share_class"] == "Institutional"
    assert row["portfolio_id"] == "P4"
    assert json.loads(row["components"]) == {
        "investment_income": "0.09081",
        "short_term_capital_gain": "0.00000",
        "total_dividends": "0.09081",
        "capital_gain_distributions": "0.00000",
    }
    assert row["total"] == "0.09081"
    assert (row["record_date"], row["ex_date"], row["pay_date"]) == (
        "2012-12-06",
        None,
        "2012-12-07",
    )
    assert (row["line_start"], row["line_end"]) == (25, 25)
    assert row["period"] == "2012-12"


def test_overseas_service_from_the_service_table(parsed) -> None:
    row = _by_cusip(parsed, "471021667")  # 000:48
    assert row["share_class"] == "Service"
    assert row["total"] == "0.07527"
    assert row["line_start"] == 48


def test_class_comes_from_the_table_the_row_sits_in(parsed) -> None:
    classes = {o["cusip"]: o["share_class"] for o in parsed.occurrences}
    assert classes["471021105"] == "Institutional"  # Aspen Janus, Institutional table
    assert classes["471021675"] == "Service"  # Aspen Janus, Service table
    assert sum(c == "Institutional" for c in classes.values()) == 9
    assert sum(c == "Service" for c in classes.values()) == 10


def test_intech_is_printed_only_in_the_service_table(parsed) -> None:
    intech = [o for o in parsed.occurrences if o["portfolio_id"] == "P15"]
    assert [(o["cusip"], o["share_class"], o["line_start"]) for o in intech] == [
        ("471021378", "Service", 52)
    ]


def test_names_as_printed_map_to_lineages(parsed) -> None:
    printed = {o["name_as_printed"]: o["portfolio_id"] for o in parsed.occurrences}
    assert printed["Aspen Janus"] == "P1"
    assert printed["Aspen Worldwide"] == "P5"
    assert printed["Aspen Flexible Bond"] == "P9"
