"""The one set of rules for numbers and dates typed or read by the app.

The command line, the lot and ledger reader, batch, and the window's fields all call these
functions, so the same text is accepted or refused everywhere, with the same message.

Numbers are plain ASCII decimals: digits, at most one decimal point, and commas only as
thousands separators between groups of exactly three digits (``1,000.5``; ``10,50`` and
``1,2,3`` are refused). No underscores, exponents, ``NaN``/``Infinity``, spaces inside, or
non-ASCII digits. A sign is accepted only where a field allows one (none of the money fields
does); a dollar amount may start with ``$`` (``$1,200.00``), no other number may. Limits
(``docs/calculations.md``): at most 12 digits before the point; shares at most 3 decimals, NAV
at most 6, dollar amounts at most 2. Zeros after the last allowed decimal are
accepted (``1.2500`` shares is 1.250). Dates are ISO ``YYYY-MM-DD`` or ``M/D/YYYY`` exactly;
a date typed or pasted into a field may also carry quotes and surrounding spaces
(``parse_user_date``), and must fall in the range the field offers.

``redemption_request`` builds the calculator's request from the typed fields; the command line
and the window's workspace both call it, naming the fields their own way.

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
from janus_gui.core.redemption import RedeemMode, RedemptionRequest
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
    dollar_sign: bool = False  # a leading $ allowed (dollar amounts)


SHARES = NumberRule("shares", SHARES_PLACES)
NAV = NumberRule("NAV", NAV_PLACES)
AMOUNT = NumberRule("amount", AMOUNT_PLACES, dollar_sign=True)
RATE = NumberRule("rate", 6, positive=False, signed=True)  # percentages (returns, ratios)


def parse_number(text: str, rule: NumberRule) -> Decimal:
    """``text`` as an exact ``Decimal`` under ``rule``; ``InputValueError`` otherwise.

    Surrounding spaces are ignored. The value is built from the digits themselves, never
    through a rounding context, so no digit is lost.
    """
    value = text.strip()
    if rule.dollar_sign and value.startswith("$"):
        value = value[1:].strip()
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


def parse_field(text: str, what: str, rule: NumberRule) -> Decimal:
    """A number typed into a named field; the error names it (``--nav: '1e1' is not ...``)."""
    try:
        return parse_number(text, rule)
    except ValueError as exc:
        raise with_field(what, exc) from None


# -- dates typed or pasted into a field ------------------------------------------------------------
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)

# A complete date as typed: four-digit year, so "6/3/201" is still being typed.
_COMPLETE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})\s*$")


def _clean(text: str) -> str:
    """A pasted cell may carry quotes, a trailing newline or a non-breaking space."""
    return text.replace("\u00a0", " ").strip().strip("\"'").strip()


def looks_complete(text: str) -> bool:
    """True when ``text`` has the shape of a whole date (the field may apply it at once)."""
    return bool(_COMPLETE.match(_clean(text)))


def parse_user_date(
    text: str, *, earliest: dt.date = EARLIEST, latest: dt.date = LATEST
) -> dt.date:
    """A date typed or pasted by a person.

    Args:
        text: ``YYYY-MM-DD`` or ``M/D/YYYY``, with surrounding whitespace or quotes allowed.
        earliest: The first date accepted.
        latest: The last date accepted.

    Returns:
        The calendar date.

    Raises:
        InputError: The text is empty, not a date in either form, not a calendar date, or
            outside ``earliest`` – ``latest``; the message says which, in plain words.
    """
    value = _clean(text)
    if not value:
        raise InputError("Type a date as YYYY-MM-DD or M/D/YYYY.")
    try:
        day = parse_date(value)
    except ValueError as exc:
        raise InputError(f"{str(exc)[:1].upper()}{str(exc)[1:]}.") from None
    if not earliest <= day <= latest:
        raise InputError(
            f"{day.isoformat()} is outside the dates offered "
            f"({earliest.isoformat()} – {latest.isoformat()})."
        )
    return day


# -- a redemption request from its fields --------------------------------------------------------
@dataclass(frozen=True, slots=True)
class RequestFields:
    """How a surface names the fields of a redemption in its messages."""

    nav: str
    shares: str
    amount: str


def redemption_request(
    redeem_date: dt.date, mode: RedeemMode, quantity: str, nav: str, *, fields: RequestFields
) -> RedemptionRequest:
    """The calculator's request from typed text (``quantity`` is unused for ``ALL``).

    Raises:
        InputValueError: a number breaks its rule; the message starts with the field's name.
    """
    nav_value = parse_field(nav, fields.nav, NAV)
    if mode == RedeemMode.ALL:
        return RedemptionRequest.of_all(redeem_date, nav_value)
    if mode == RedeemMode.AMOUNT:
        amount = parse_field(quantity, fields.amount, AMOUNT)
        return RedemptionRequest.of_amount(redeem_date, nav_value, amount)
    shares = parse_field(quantity, fields.shares, SHARES)
    return RedemptionRequest.of_shares(redeem_date, nav_value, shares)


# -- lot ids ---------------------------------------------------------------------------------------
MAX_LOT_ID_CHARS = 200
_ID_PADDING = " \t"  # the only characters trimmed from a lot id's ends


def parse_lot_id(text: str) -> str:
    r"""A lot id: trimmed of spaces and tabs; visible characters and inner spaces only.

    Control characters (``A\f``), bidi and other invisible format characters (U+202E,
    U+200B), separators other than the space (U+00A0, U+2028) and lone surrogates are
    refused rather than trimmed or kept: ``A`` and ``A\f`` would otherwise be one lot in one
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
