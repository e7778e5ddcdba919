"""What changed for a class between two dates: golden cases written from the sources."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from janus_gui.core.changes import Aspect, changes_between
from janus_gui.core.errors import InputError
from janus_gui.core.facts import class_facts
from janus_gui.core.models import ShareClass

D = dt.date


def _by_topic(report):
    found: dict[str, list] = {}
    for change in report.changes:
        found.setdefault(change.topic, []).append(change)
    return found


def test_overseas_service_ii_across_the_2012_conversion(repo) -> None:
    # 002:121-127: at the close of business on 2012-04-27 Service II of Overseas converts into
    # Service; 002:128-131: the remaining Service II shares are terminated and the fee removed.
    report = changes_between(repo, "P4", ShareClass.SERVICE_II, D(2012, 4, 20), D(2012, 4, 28))
    topics = _by_topic(report)

    (status,) = topics["Class status"]
    assert status.before.value.startswith("offered") and status.after.value.startswith("ended")
    assert status.after.citation.label() == "002:128-131"

    (fee,) = topics["Redemption fee"]
    assert fee.aspect == Aspect.VALUE
    assert fee.before.text.startswith("1.00% on shares held 60 days or less")
    assert fee.before.citation.label() == "002:96-103"
    assert "class has ended" in fee.after.text and fee.after.citation.label() == "002:128-131"

    (conversion,) = topics["Conversion"]
    assert conversion.before.citation.label() == "002:121-131"
    # Every change is explained by the conversion, cited to the plan's conversion feature.
    lines = {c.explained_by.line() for c in report.changes}
    assert lines == {"2012-04-27 close: Service II converted to Service (002:121-131)"}
    assert [e.date for e in report.events] == [D(2012, 4, 27)]
    assert report.events[0].citation.label() == "002:121-126"
    # Only the portfolio name (Overseas Portfolio on both dates, 002:123) is unchanged.
    assert report.unchanged == 1


def test_the_first_change_listed_is_the_status_then_the_fee(repo) -> None:
    report = changes_between(repo, "P4", ShareClass.SERVICE_II, D(2012, 4, 20), D(2012, 4, 28))
    assert [c.topic for c in report.changes[:2]] == ["Class status", "Redemption fee"]


def test_nothing_changes_between_two_days_the_same_document_speaks_for(repo) -> None:
    # 002 speaks for 2012-03-15 onwards; Service II is listed until its conversion.
    report = changes_between(repo, "P4", ShareClass.SERVICE_II, D(2012, 3, 20), D(2012, 4, 20))
    assert report.changes == ()
    assert report.unchanged > 5


def test_service_1999_to_2012_the_12b1_fee_is_restated_by_the_2012_plan(repo) -> None:
    # 1999: 004:10213-10219; 2012 plan: 002:57-61, in force from the 2012-03-15 amendment.
    report = changes_between(repo, "P4", ShareClass.SERVICE, D(2000, 1, 1), D(2012, 4, 20))
    (fee,) = _by_topic(report)["12b-1 distribution fee"]
    assert fee.before.citation.doc == "004" and fee.after.citation.label() == "002:57-61"
    assert fee.explained_by.date == D(2012, 3, 15)
    # The 1999 fee table is still the one in force, but only carried: a standing change.
    (table,) = _by_topic(report)["1999 fee table"]
    assert table.aspect == Aspect.STANDING
    assert table.before.standing.value == "documented" and table.after.standing.value == "carried"
    # The name changed with the documents: International Growth (004) -> Overseas (002).
    (name,) = _by_topic(report)["Portfolio name"]
    assert (name.before.text, name.after.text) == (
        "International Growth Portfolio",
        "Overseas Portfolio",
    )


def test_changes_are_in_date_order_of_their_explanations(repo) -> None:
    report = changes_between(repo, "P4", ShareClass.SERVICE, D(2000, 1, 1), D(2012, 4, 20))
    days = [c.explained_by.date for c in report.changes if c.explained_by]
    assert days == sorted(days)


@pytest.mark.parametrize(
    ("first", "second"), [(D(2012, 4, 20), D(2012, 4, 20)), (D(2012, 4, 28), D(2012, 4, 20))]
)
def test_the_second_date_must_be_later(repo, first, second) -> None:
    with pytest.raises(InputError, match="must be after"):
        changes_between(repo, "P4", ShareClass.SERVICE_II, first, second)


_days = st.dates(min_value=D(1999, 1, 1), max_value=D(2014, 6, 30))


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sampled_from(["P1", "P4", "P5", "P13"]), st.sampled_from(list(ShareClass)), _days, _days)
def test_every_listed_change_really_differs_and_nothing_is_lost(repo, pid, share_class, a, b):
    if a == b:
        return
    first, second = sorted((a, b))
    report = changes_between(repo, pid, share_class, first, second)
    before = {f.key: (f.value, f.citation, f.standing) for f in class_facts(report.before)}
    after = {f.key: (f.value, f.citation, f.standing) for f in class_facts(report.after)}
    for change in report.changes:
        assert (change.before.as_of, change.after.as_of) == (first, second)
        old, new = change.before, change.after
        assert (old.value, old.citation, old.standing) != (new.value, new.citation, new.standing)
    # unchanged = facts present on both dates and identical in value, source and standing
    assert report.unchanged == sum(1 for k in before.keys() & after.keys() if before[k] == after[k])
    # and every other fact of either date is in a change
    shown = {c.before.key for c in report.changes} | {c.after.key for c in report.changes}
    differing = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert differing <= shown
    assert all(first < e.date <= second for e in report.events)
