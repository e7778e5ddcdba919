"""Identifier normalisation and classification (CUSIP, ticker, name text)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from janus_gui.core.errors import IdentifierError

_CUSIP9 = re.compile(r"^[0-9A-Z*@#]{8}[0-9]$")
_CUSIP8 = re.compile(r"^[0-9A-Z*@#]{8}$")
_LOST_ZEROS = re.compile(r"^[0-9]{6,7}$")
_TICKER = re.compile(r"^[A-Z]{1,5}$")
# ISIN: 2-letter country, 9-character national number (a CUSIP for US ISINs), 1 check digit.
_ISIN = re.compile(r"^[A-Z]{2}[0-9A-Z]{9}[0-9]$")
CUSIP_COUNTRY = "US"
_NONE_WORDS = {"", "N/A", "NA", "-"}


class IdentifierKind(StrEnum):
    """How a search string was read."""

    NONE = "none"
    CUSIP = "cusip"
    CUSIP8 = "cusip8"
    ISIN = "isin"
    SHORT_NUMBER = "short_number"
    TICKER = "ticker"
    NAME = "name"


@dataclass(frozen=True, slots=True)
class Classified:
    """A search string after classification. ``value`` is the normalised identifier."""

    kind: IdentifierKind
    value: str
    text: str


def normalize(text: str) -> str:
    """Trim, drop spaces and hyphens, upper-case: ``'471021 10 5'`` -> ``'471021105'``."""
    return re.sub(r"[\s\-]+", "", text).upper()


def _char_value(ch: str) -> int:
    if ch.isdigit():
        return int(ch)
    if "A" <= ch <= "Z":
        return ord(ch) - ord("A") + 10
    return {"*": 36, "@": 37, "#": 38}[ch]


def cusip_check_digit(first8: str) -> str:
    """Modulus-10 "double-add-double" check digit of the first eight CUSIP characters."""
    first8 = first8.upper()
    if not _CUSIP8.match(first8):
        raise IdentifierError(f"not the first eight characters of a CUSIP: {first8!r}")
    total = 0
    for position, ch in enumerate(first8, start=1):
        value = _char_value(ch)
        if position % 2 == 0:
            value *= 2
        total += value // 10 + value % 10
    return str((10 - total % 10) % 10)


def is_valid_cusip(text: str) -> bool:
    """True for a 9-character CUSIP whose check digit is right."""
    value = normalize(text)
    return bool(_CUSIP9.match(value)) and cusip_check_digit(value[:8]) == value[8]


def isin_check_digit(first11: str) -> str:
    """ISIN check digit (ISO 6166): letters become two digits, then the Luhn algorithm.

    Letters map to 10-35 (``A`` = 10); in the resulting digit string, every second digit counted
    from the right, starting with the rightmost, is doubled; the digits are summed and the check
    digit is ``(10 - sum mod 10) mod 10``.
    """
    first11 = first11.upper()
    if not re.fullmatch(r"[A-Z]{2}[0-9A-Z]{9}", first11):
        raise IdentifierError(f"not the first eleven characters of an ISIN: {first11!r}")
    digits = "".join(str(_char_value(ch)) for ch in first11)
    total = 0
    for offset, ch in enumerate(reversed(digits)):
        value = int(ch) * 2 if offset % 2 == 0 else int(ch)
        total += value // 10 + value % 10
    return str((10 - total % 10) % 10)


def isin_from_cusip(cusip: str) -> str:
    """The US ISIN derived from a 9-character CUSIP: ``US`` + CUSIP + ISIN check digit."""
    body = CUSIP_COUNTRY + cusip.upper()
    return body + isin_check_digit(body)


def _is_isin_shaped(value: str) -> bool:
    # A digit inside the national number keeps 12-letter words out of the ISIN path.
    return bool(_ISIN.match(value)) and any(ch.isdigit() for ch in value[2:11])


def _classify_isin(value: str, stripped: str) -> Classified:
    expected = isin_check_digit(value[:11])
    if expected != value[11]:
        raise IdentifierError(
            f"{value} is not a valid ISIN: the check digit should be {expected} "
            f"({value[:11]}{expected})",
            expected_check_digit=expected,
        )
    if value[:2] == CUSIP_COUNTRY:
        cusip = value[2:11]
        cusip_expected = cusip_check_digit(cusip[:8])
        if cusip_expected != cusip[8]:
            raise IdentifierError(
                f"{value} holds {cusip}, which is not a valid CUSIP: its check digit should be "
                f"{cusip_expected}",
                expected_check_digit=cusip_expected,
            )
    return Classified(IdentifierKind.ISIN, value, stripped)


def classify(text: str) -> Classified:
    """Classify the whole string (never by its first letter).

    Raises ``IdentifierError`` for a 9-character CUSIP or a 12-character ISIN with a wrong
    check digit, naming the expected digit.
    """
    stripped = text.strip()
    value = normalize(stripped)
    if value in _NONE_WORDS or not value:
        return Classified(IdentifierKind.NONE, "", stripped)
    has_digit = any(ch.isdigit() for ch in value)
    if _is_isin_shaped(value):
        return _classify_isin(value, stripped)
    if _CUSIP9.match(value) and has_digit:
        expected = cusip_check_digit(value[:8])
        if expected != value[8]:
            raise IdentifierError(
                f"{value} is not a valid CUSIP: the check digit should be {expected} "
                f"({value[:8]}{expected})",
                expected_check_digit=expected,
            )
        return Classified(IdentifierKind.CUSIP, value, stripped)
    if _CUSIP8.match(value) and has_digit:
        return Classified(IdentifierKind.CUSIP8, value + cusip_check_digit(value), stripped)
    if _LOST_ZEROS.match(value):
        return Classified(IdentifierKind.SHORT_NUMBER, value.zfill(9), stripped)
    if _TICKER.match(value):
        return Classified(IdentifierKind.TICKER, value, stripped)
    return Classified(IdentifierKind.NAME, " ".join(stripped.split()), stripped)


def format_cusip_spaced(cusip: str) -> str:
    """``471021105`` -> ``471021 10 5`` (the 6-2-1 form used in tax tables)."""
    return f"{cusip[:6]} {cusip[6:8]} {cusip[8]}"
