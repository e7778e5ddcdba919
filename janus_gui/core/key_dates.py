"""The dates worth a shortcut in the window, read from the catalog's events.

A date a filing was made, and around each conversion the week before it and the day after it
(the fee rules of the converted class before, the class it became after). Nothing here is
hard-coded: a catalog with other filings or conversions offers other dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from janus_gui.core.models import Event, EventKind
from janus_gui.core.repository import Repository

WEEK = dt.timedelta(days=7)
DAY = dt.timedelta(days=1)
_FILED = " filed"  # a document event that records a filing says so ("... (485APOS) filed: ...")


@dataclass(frozen=True, slots=True)
class KeyDate:
    """A date with its short label and the reason it is worth a look."""

    label: str
    day: dt.date
    why: str


def _is_filing(event: Event) -> bool:
    return event.kind == EventKind.DOCUMENT and _FILED in event.description.split(":", 1)[0]


def key_dates(repo: Repository) -> tuple[KeyDate, ...]:
    """Filing dates, then the week before and the day after each conversion date, in order."""
    found: dict[dt.date, KeyDate] = {}
    events = repo.events()
    for event in events:
        if _is_filing(event):
            doc = event.citation.source_file[:3]
            found.setdefault(
                event.date,
                KeyDate(
                    f"{event.date.year} filing",
                    event.date,
                    f"The {event.date.year} filing ({doc}) was filed on {event.date.isoformat()}.",
                ),
            )
    for event in events:
        if event.kind != EventKind.CONVERSION or event.share_class is None:
            continue
        before, after = event.date - WEEK, event.date + DAY
        source = event.share_class.value
        into = event.to_share_class.value if event.to_share_class else "another class"
        found.setdefault(
            before, KeyDate(before.isoformat(), before, f"A week before the {source} conversion.")
        )
        found.setdefault(
            after,
            KeyDate(
                after.isoformat(), after, f"The day after {source} converted to {into} shares."
            ),
        )
    return tuple(sorted(found.values(), key=lambda key: key.day))
