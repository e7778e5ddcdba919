"""`janus-gui show` takes what a user types: ids, names, parts of names, CUSIPs, tickers.

Expected portfolios come from the sources: "Janus Aspen Series Forty Portfolio" (001:20),
"Janus Aspen Series Global Research Portfolio" (001:12), "Janus Aspen Series INTECH U.S. Low
Volatility Portfolio" (001:34), CUSIP 471021709
"Aspen Overseas" in the Institutional table (000:25).
"""

from __future__ import annotations

import json

import pytest
from helpers.cli import run


def shown(capsys, *argv: str) -> dict:
    code, out, err = run(capsys, "show", *argv, "--as-of", "2013-12-31", "--json")
    assert (code, err) == (0, ""), err
    return json.loads(out)


@pytest.mark.parametrize(
    ("typed", "portfolio_id"),
    [
        ("Forty", "P3"),
        ("forty", "P3"),
        ("Global Research", "P5"),
        ("INTECH", "P15"),
        ("Low Volatility", "P15"),
        ("Perkins", "P14"),
        ("Capital Appreciation", "P3"),  # the 1999 name (004:196)
        ("P4", "P4"),
        ("  Aspen   Overseas ", "P4"),  # the 2012 label, with stray spaces
    ],
)
def test_show_resolves_names_and_parts_of_names(capsys, typed: str, portfolio_id: str) -> None:
    payload = shown(capsys, typed, "Service")
    assert payload["portfolio_id"] == portfolio_id
    assert payload["share_class"] == "Service"


@pytest.mark.parametrize("typed", ["471021709", "471021 70 9", "47102170", "US4710217096", "JAIG"])
def test_an_identifier_names_its_class(capsys, typed: str) -> None:
    payload = shown(capsys, typed)
    assert (payload["portfolio_id"], payload["share_class"]) == ("P4", "Institutional")


def test_an_identifier_with_the_same_class_is_accepted(capsys) -> None:
    payload = shown(capsys, "471021709", "Institutional")
    assert payload["portfolio_id"] == "P4"


def test_an_identifier_of_another_class_is_refused(capsys) -> None:
    code, out, err = run(capsys, "show", "JAIG", "Service")
    assert (code, out) == (2, "")
    assert "identifies Institutional Shares, not Service Shares" in err


def test_an_ambiguous_part_lists_the_candidates_and_exits_2(capsys) -> None:
    code, out, err = run(capsys, "show", "Global", "Service")
    assert (code, out) == (2, "")
    assert "matches 3 portfolios" in err
    for candidate in ("P5 ", "P13 ", "P17 "):
        assert candidate in err
    assert "Traceback" not in err


def test_nothing_matching_exits_2(capsys) -> None:
    code, out, err = run(capsys, "show", "Nonexistent Fund", "Service")
    assert (code, out) == (2, "")
    assert "nothing in the catalog matches" in err


def test_a_name_without_a_class_asks_for_one(capsys) -> None:
    code, out, err = run(capsys, "show", "Forty")
    assert (code, out) == (2, "")
    assert "which class of P3" in err and "Service II" in err


def test_a_bad_check_digit_is_named(capsys) -> None:
    code, out, err = run(capsys, "show", "471021706")
    assert (code, out) == (2, "")
    assert "check digit should be 9" in err
