"""CUSIP check digits and query classification (DOMAIN.md §2)."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from janus_gui.core.errors import IdentifierError
from janus_gui.core.identifiers import (
    IdentifierKind,
    classify,
    cusip_check_digit,
    format_cusip_spaced,
    is_valid_cusip,
    normalize,
)


@pytest.mark.parametrize(
    "cusip",
    [
        "037833100",
        "17275R102",
        "38259P508",
        "594918104",
        "68389X105",
        "471021105",
        "471021865",
        "471021378",
        "FDIC99425",
    ],
)
def test_known_valid_cusips(cusip: str) -> None:
    assert is_valid_cusip(cusip)
    assert cusip_check_digit(cusip[:8]) == cusip[8]


@pytest.mark.parametrize(("cusip", "expected"), [("471021106", "5"), ("68389X106", "5")])
def test_wrong_check_digit_names_the_expected_digit(cusip: str, expected: str) -> None:
    assert not is_valid_cusip(cusip)
    with pytest.raises(IdentifierError) as caught:
        classify(cusip)
    assert caught.value.expected_check_digit == expected
    assert f"should be {expected}" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("471021 10 5", IdentifierKind.CUSIP, "471021105"),
        ("471021-10-5", IdentifierKind.CUSIP, "471021105"),
        ("  471021709 ", IdentifierKind.CUSIP, "471021709"),
        ("47102110", IdentifierKind.CUSIP8, "471021105"),
        ("38259p508", IdentifierKind.CUSIP, "38259P508"),
        (" jagr ", IdentifierKind.TICKER, "JAGR"),
        ("JACAX", IdentifierKind.TICKER, "JACAX"),
        ("Forty", IdentifierKind.TICKER, "FORTY"),
        ("overseas", IdentifierKind.NAME, "overseas"),
        ("OVERSEAS", IdentifierKind.NAME, "OVERSEAS"),
        ("International  Growth", IdentifierKind.NAME, "International Growth"),
        ("N/A", IdentifierKind.NONE, ""),
        ("na", IdentifierKind.NONE, ""),
        ("-", IdentifierKind.NONE, ""),
        ("   ", IdentifierKind.NONE, ""),
        ("4710217", IdentifierKind.SHORT_NUMBER, "004710217"),
    ],
)
def test_classify_whole_string(text: str, kind: IdentifierKind, value: str) -> None:
    result = classify(text)
    assert (result.kind, result.value) == (kind, value)


def test_spaced_form_round_trips() -> None:
    assert format_cusip_spaced("471021709") == "471021 70 9"
    assert normalize(format_cusip_spaced("471021709")) == "471021709"


_CUSIP_CHARS = st.sampled_from("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*@#")


@given(st.lists(_CUSIP_CHARS, min_size=8, max_size=8).map("".join))
def test_exactly_one_check_digit_is_valid(first8: str) -> None:
    valid = [d for d in "0123456789" if is_valid_cusip(first8 + d)]
    assert valid == [cusip_check_digit(first8)]


@given(st.text(max_size=300))
def test_classify_never_raises_anything_but_identifier_error(text: str) -> None:
    with contextlib.suppress(IdentifierError):
        classify(text)
