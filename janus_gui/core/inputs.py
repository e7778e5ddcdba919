"""The one set of rules for numbers and dates typed or read by the app.

The command line, the lot and ledger reader, batch, and the window's fields all call these
functions, so the same text is accepted or refused everywhere, with the same message.

Numbers are plain ASCII decimals: digits, at most one decimal point, and commas only as
thousands separators between groups of exactly three digits (``1,000.5``; ``10,50`` and
``1,2,3`` are refused). No underscores, exponents, ``NaN``/``Infinity``, spaces inside, or
non-ASCII digits. A sign is accepted only where a field allows one (none of the money fields
does). Limits (``docs/calculations.md``): at most 12 digits before the point; shares at most 3
decimals, NAV at most 6, dollar amounts at most 2. Zeros after the last allowed decimal are
accepted (``1.2500`` shares is 1.250). Dates are ISO ``YYYY-MM-DD`` or ``M/D/YYYY`` exactly.

Errors are ``InputValueError``: both an ``InputError`` (reported to users) and a ``ValueError``
(what the readers collect per row). The message reads after the field's name:
``"--nav: '10,50' is not a number (...)"``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from janus_gui.core.errors import InputError
from janus_gui.core.safe_text import escaped

MAX_INTEGER_DIGITS = 12
SHARES_PLACES = 3
NAV_PLACES = 6
AMOUNT_PLACES = 2

_NUMBER = re.compile(
    r"(?P<sign>[+-]?)(?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?:\.(?P<frac>[0-9]*))?", re.ASCII
)
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", re.ASCII)
_US = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})", re.ASCII)
_NOT_FINITE = {"nan", "snan", "inf", "infinity"}
PLAIN_NUMBER_HINT = "plain digits, one decimal point, commas only between groups of three digits"


class InputValueError(InputError, ValueError):
    """A number or date that breaks the input rules; the message names the text."""


@dataclass(frozen=True, slots=True)
class NumberRule:
    """What one kind of number may look like."""

    name: str
    places: int | None  # decimals allowed (None: any)
    positive: bool = True  # zero and negatives refused
    signed: bool = False  # a leading + or - allowed


SHARES = NumberRule("shares", SHARES_PLACES)
NAV = NumberRule("NAV", NAV_PLACES)
AMOUNT = NumberRule("amount", AMOUNT_PLACES)
RATE = NumberRule("rate", 6, positive=False, signed=True)  # percentages (returns, ratios)


def parse_number(text: str, rule: NumberRule) -> Decimal:
    """``text`` as an exact ``Decimal`` under ``rule``; ``InputValueError`` otherwise.

    Surrounding spaces are ignored. The value is built from the digits themselves, never
    through a rounding context, so no digit is lost.
    """
    value = text.strip()
    if not value:
        raise InputValueError("is missing")
    match = _NUMBER.fullmatch(value)
    if match is None or not (match["int"] or match["frac"]):
        raise InputValueError(_not_a_number(value))
    if match["sign"] and not rule.signed:
        if match["sign"] == "-":
            raise InputValueError(f"{value!r} must be greater than zero")
        raise InputValueError(f"{value!r} must be written without a sign")
    digits = match["int"].replace(",", "").lstrip("0")
    if len(digits) > MAX_INTEGER_DIGITS:
        raise InputValueError(
            f"{value!r} is too large (at most {MAX_INTEGER_DIGITS} digits before the point)"
        )
    written = match["frac"] or ""
    if rule.places is not None and len(written.rstrip("0")) > rule.places:
        raise InputValueError(f"{value!r} has more than {rule.places} decimal places")
    # Kept as written (``12.50`` stays 12.50), trailing zeros beyond the limit dropped.
    fraction = written[: max(rule.places or 0, len(written.rstrip("0")))]
    number = Decimal(f"{match['sign']}{digits or '0'}" + (f".{fraction}" if fraction else ""))
    if rule.positive and number <= 0:
        raise InputValueError(f"{value!r} must be greater than zero")
    return number


def _not_a_number(value: str) -> str:
    if value.lower().lstrip("+-") in _NOT_FINITE:
        return f"{value!r} is not a finite number"
    return f"{value!r} is not a number ({PLAIN_NUMBER_HINT})"


def parse_date(text: str) -> dt.date:
    """``YYYY-MM-DD`` or ``M/D/YYYY`` (ASCII digits, nothing else); ``InputValueError``."""
    value = text.strip()
    if not value:
        raise InputValueError("is missing")
    iso = _ISO.fullmatch(value)
    us = None if iso else _US.fullmatch(value)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif us:
        month, day, year = (int(part) for part in us.groups())
    else:
        raise InputValueError(f"{value!r} is not a date (use YYYY-MM-DD or M/D/YYYY)")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise InputValueError(f"{value!r} is not a calendar date") from None


def with_field(what: str, error: ValueError) -> InputValueError:
    """The error with the field's name in front: ``--nav: '1,2,3' is not ...``."""
    problem = str(error)
    joiner = " " if problem.startswith("is ") else ": "
    return InputValueError(f"{what}{joiner}{problem}")


MAX_LOT_ID_CHARS = 200
_ID_PADDING = " \t"  # the only characters trimmed from a lot id's ends


def parse_lot_id(text: str) -> str:
    """A lot id: trimmed of spaces and tabs; visible characters and inner spaces only.

    Control characters (``A\\f``), bidi and other invisible format characters (U+202E,
    U+200B), separators other than the space (U+00A0, U+2028) and lone surrogates are
    refused rather than trimmed or kept: ``A`` and ``A\\f`` would otherwise be one lot in one
    reader and two in another, and would look the same on screen either way.
    """
    value = text.strip(_ID_PADDING)
    if len(value) > MAX_LOT_ID_CHARS:
        raise InputValueError(f"is longer than {MAX_LOT_ID_CHARS} characters")
    if not value.isprintable():
        bad = next(char for char in value if not char.isprintable())
        raise InputValueError(
            f"{value!r} holds an invisible or control character ({escaped(bad)}); "
            "lot ids may hold visible characters and spaces only"
        )
    return value
