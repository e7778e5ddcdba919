"""Dates typed or pasted into a field: the two accepted forms, and refusals in plain words."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from janus_gui.core.errors import InputError
from janus_gui.core.inputs import EARLIEST, LATEST, looks_complete, parse_user_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2013-06-30", dt.date(2013, 6, 30)),
        ("6/30/2013", dt.date(2013, 6, 30)),
        ("06/30/2013", dt.date(2013, 6, 30)),
        ("1/2/1999", dt.date(1999, 1, 2)),  # month first, as US staff write it
        ("  1999-12-31\n", dt.date(1999, 12, 31)),  # a pasted spreadsheet cell
        ('"2012-04-20"', dt.date(2012, 4, 20)),
        ("2012-04-20\u00a0", dt.date(2012, 4, 20)),
    ],
)
def test_accepted_forms(text: str, expected: dt.date) -> None:
    assert parse_user_date(text) == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "Type a date"),
        ("2013-02-30", "not a calendar date"),
        ("13/1/2013", "not a calendar date"),
        ("30.06.2013", "not a date"),
        ("2013-6-30", "not a date"),
        ("June 30, 2013", "not a date"),
        ("1899-12-31", "outside the dates offered"),
    ],
)
def test_refusals_say_why(text: str, words: str) -> None:
    with pytest.raises(InputError, match=words):
        parse_user_date(text)


def test_range_is_the_fields() -> None:
    with pytest.raises(InputError, match="2012-01-01 – 2012-12-31"):
        parse_user_date("2013-01-01", earliest=dt.date(2012, 1, 1), latest=dt.date(2012, 12, 31))


@given(st.dates(min_value=EARLIEST, max_value=LATEST))
def test_both_forms_read_back_the_same_day(day: dt.date) -> None:
    assert parse_user_date(day.isoformat()) == day
    assert parse_user_date(f"{day.month}/{day.day}/{day.year}") == day


def test_complete_shapes_only() -> None:
    assert looks_complete("2013-06-30") and looks_complete(" 6/3/2013 ")
    assert not looks_complete("2013-06-3") and not looks_complete("6/3/201")
