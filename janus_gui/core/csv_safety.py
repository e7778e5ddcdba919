"""Neutralise spreadsheet formulas in exported CSV cells.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return can be run as a
formula when the file is opened in a spreadsheet. Such cells get a leading apostrophe, which
spreadsheets show as plain text. Plain numbers (``-5``, ``+1.25``) are left alone so that numeric
columns stay numeric; the app never writes negative amounts, but user-supplied ids might.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?[0-9]+(?:\.[0-9]+)?$")


def neutralize(value: object) -> str:
    """The text to write for one cell, made safe to open in a spreadsheet.

    Args:
        value: any cell value; ``None`` becomes an empty cell, dates ISO text, Decimals as is.

    Returns:
        The cell text, with a leading ``'`` when it would otherwise start a formula.
    """
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value) if not isinstance(value, str) else value
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return text
    if text.startswith(TRIGGERS) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def safe_row(values: Iterable[object]) -> list[str]:
    """``neutralize`` applied to every cell of a row."""
    return [neutralize(value) for value in values]
