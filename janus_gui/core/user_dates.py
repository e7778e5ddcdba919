"""The one rule for a date typed or pasted into a field: ``YYYY-MM-DD`` or ``M/D/YYYY``.

Lot files, lot-table cells and the date fields of the window all read dates through
``lots_csv.parse_date_cell``; this adds what a field needs on top: surrounding whitespace and
quotes from a paste are dropped, and a date outside the range the field offers is refused with
a sentence that names the range.
"""

from __future__ import annotations

import datetime as dt
import re

from janus_gui.core.errors import InputError

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
    # Imported here: the lot-file reader (csv, its input rules) is not needed to show a date
    # field, only to read what was typed into it; the window's first paint does without it.
    from janus_gui.core.lots_csv import parse_date_cell

    value = _clean(text)
    if not value:
        raise InputError("Type a date as YYYY-MM-DD or M/D/YYYY.")
    try:
        day = parse_date_cell(value)
    except ValueError as exc:
        raise InputError(f"{str(exc)[:1].upper()}{str(exc)[1:]}.") from None
    if not earliest <= day <= latest:
        raise InputError(
            f"{day.isoformat()} is outside the dates offered "
            f"({earliest.isoformat()} – {latest.isoformat()})."
        )
    return day
