"""Exported CSV cells never start a spreadsheet formula."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from janus_gui.core.csv_safety import neutralize, safe_row


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        ("-5", "-5"),
        ("+1.25", "+1.25"),
        ("", ""),
    ],
)
def test_neutralize_text(value: str, expected: str) -> None:
    assert neutralize(value) == expected


def test_non_text_values() -> None:
    assert safe_row([None, dt.date(2023, 1, 2), Decimal("8.00"), 3, True]) == [
        "",
        "2023-01-02",
        "8.00",
        "3",
        "True",
    ]
