"""ISIN check digits (ISO 6166, Luhn over the letters-as-numbers string) and ISIN lookups."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from janus_gui.core.errors import IdentifierError
from janus_gui.core.identifiers import (
    IdentifierKind,
    classify,
    cusip_check_digit,
    isin_check_digit,
    isin_from_cusip,
)
from janus_gui.core.lookup import search


@pytest.mark.parametrize(
    "isin",
    [
        "US0378331005",  # Apple: the usual published example
        "GB0002634946",  # BAE Systems: a check digit over a letter-led country code
        "DE000BAY0017",  # Bayer: letters inside the national number
        "AU0000XVGZA3",
    ],
)
def test_published_isins_have_valid_check_digits(isin: str) -> None:
    assert isin_check_digit(isin[:11]) == isin[11]
    assert classify(isin).kind == IdentifierKind.ISIN


def test_janus_overseas_isin_worked_by_hand() -> None:
    # US471021709 -> U=30, S=28 -> 3028471021709. From the right, double the 1st, 3rd, ...:
    # 9->18(9) 0 7->14(5) 1 2->4 0 1->2 7 4->8 8 2->4 0 3->6; sum 54; check (10 - 4) % 10 = 6.
    assert isin_from_cusip("471021709") == "US4710217096"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("US4710217093", "6"), ("US0378331004", "5"), ("us 0378 3310 09", "5")],
)
def test_wrong_isin_check_digit_names_the_expected_digit(text: str, expected: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        classify(text)
    assert caught.value.expected_check_digit == expected
    assert f"check digit should be {expected}" in str(caught.value)
    assert "not a valid ISIN" in str(caught.value)


def test_us_isin_holding_a_bad_cusip_is_rejected() -> None:
    body = "US471021700"  # CUSIP 471021700: its own check digit should be 9
    with pytest.raises(IdentifierError) as caught:
        classify(body + isin_check_digit(body))
    assert "471021700, which is not a valid CUSIP" in str(caught.value)
    assert caught.value.expected_check_digit == "9"


@pytest.mark.parametrize("text", ["INTERNATIONAL", "GLOBALGROWTH", "ABCDEFGHIJK1"])
def test_twelve_letter_words_are_not_isins(text: str) -> None:
    assert classify(text).kind != IdentifierKind.ISIN


_CUSIP_BODY = st.text(alphabet="0123456789ABCDEFGHJKLMNPQRSTUVWXYZ", min_size=8, max_size=8)


@given(_CUSIP_BODY.filter(lambda s: any(c.isdigit() for c in s)))
def test_every_cusip_gives_an_isin_that_classifies_back(body: str) -> None:
    cusip = body + cusip_check_digit(body)
    isin = isin_from_cusip(cusip)
    found = classify(isin)
    assert (found.kind, found.value) == (IdentifierKind.ISIN, isin)


@given(
    st.text(alphabet="0123456789", min_size=9, max_size=9),
    st.integers(min_value=2, max_value=10),
    st.integers(min_value=1, max_value=9),
)
def test_luhn_catches_every_single_digit_change(number: str, position: int, shift: int) -> None:
    isin = "US" + number + isin_check_digit("US" + number)
    digit = (int(isin[position]) + shift) % 10
    changed = isin[:position] + str(digit) + isin[position + 1 :]
    assert isin_check_digit(changed[:11]) != changed[11]


def test_isin_resolves_through_its_cusip(repo) -> None:
    result = search(repo, "US4710217096")
    assert result.kind == "isin"
    (match,) = result.matches
    assert (match.cusip, match.matched_on, match.matched_text) == (
        "471021709",
        "isin",
        "US4710217096",
    )
    assert "471021709" in result.message


def test_non_us_isin_is_explained_not_matched(repo) -> None:
    result = search(repo, "GB0002634946")
    assert result.matches == ()
    assert "only US ISINs" in result.message
