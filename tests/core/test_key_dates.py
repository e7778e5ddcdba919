"""Key dates come from the catalog's events, not from the window's code."""

from __future__ import annotations

import dataclasses
import datetime as dt

from janus_gui.core.key_dates import KeyDate, key_dates
from janus_gui.core.models import EventKind, ShareClass


def test_key_dates_of_the_bundled_catalog(repo) -> None:
    # 004:2 the 1999 N-1A amendment filed 1999-10-26; 002: Service II converts into Service at
    # the close of business on 2012-04-27 (P4 and P13, one date).
    assert [(k.label, k.day) for k in key_dates(repo)] == [
        ("1999 filing", dt.date(1999, 10, 26)),
        ("2012-04-20", dt.date(2012, 4, 20)),
        ("2012-04-28", dt.date(2012, 4, 28)),
    ]
    assert key_dates(repo)[2].why == "The day after Service II converted to Service shares."


class _Events:
    """A catalog stand-in offering only events."""

    def __init__(self, events: list) -> None:
        self._events = events

    def events(self) -> list:
        return self._events


def test_key_dates_follow_the_events(repo) -> None:
    conversion = next(e for e in repo.events() if e.kind == EventKind.CONVERSION)
    later = dataclasses.replace(
        conversion, date=dt.date(2020, 1, 10), share_class=ShareClass.RETIREMENT
    )
    assert key_dates(_Events([later])) == (
        KeyDate("2020-01-03", dt.date(2020, 1, 3), "A week before the Retirement conversion."),
        KeyDate(
            "2020-01-11",
            dt.date(2020, 1, 11),
            "The day after Retirement converted to Service shares.",
        ),
    )
    assert key_dates(_Events([])) == ()


def test_every_stored_event_kind_is_known(repo) -> None:
    assert {e.kind for e in repo.events()} <= set(EventKind)
    assert all(isinstance(e.kind, EventKind) for e in repo.events())
