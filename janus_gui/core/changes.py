"""What changed for one class between two dates, and the dated events that explain it.

Both dates are resolved with ``class_rules`` and flattened to facts (``core.facts``). A fact
differs when its substance, its source or its standing differs; each change keeps both values,
both citations and both standings. Changes are ordered by the event that explains them (the
class's start or end, a rule's own start or end, or the document that speaks for the later date);
unchanged facts are only counted.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from janus_gui.core.asof import class_rules
from janus_gui.core.errors import InputError
from janus_gui.core.facts import Fact, class_facts
from janus_gui.core.models import (
    Citation,
    ClassEvidenceKind,
    ClassRules,
    ClassState,
    Event,
    Rule,
    RuleKind,
    ShareClass,
    Standing,
    Support,
)
from janus_gui.core.repository import Repository

ONE_DAY = dt.timedelta(days=1)


class Aspect(StrEnum):
    """What about a fact changed (the most significant one is named)."""

    VALUE = "value"  # what it says, or whether it holds at all
    SOURCE = "source"  # the same substance, stated by another passage
    STANDING = "standing"  # the same fact, supported differently


@dataclass(frozen=True, slots=True)
class Explanation:
    """The dated event behind a change."""

    date: dt.date | None
    text: str
    citation: Citation | None
    when: str = ""  # the time of day, when a source names it ("close")

    def line(self) -> str:
        """``2012-04-27 close: Service II converted to Service (002:121-131)``."""
        cite = f" ({self.citation.label()})" if self.citation else ""
        if self.date is None:
            return f"{self.text}{cite}"
        when = f" {self.when}" if self.when else ""
        return f"{self.date.isoformat()}{when}: {self.text}{cite}"


@dataclass(frozen=True, slots=True)
class Change:
    """One fact that differs between the two dates."""

    topic: str
    aspect: Aspect
    before: Fact
    after: Fact
    explained_by: Explanation | None


@dataclass(frozen=True, slots=True)
class ChangeReport:
    """Everything that differs for one class between ``date_from`` and ``date_to``."""

    portfolio_id: str
    portfolio_name: str
    share_class: ShareClass
    date_from: dt.date
    date_to: dt.date
    changes: tuple[Change, ...]
    events: tuple[Event, ...]  # dated after date_from, up to and including date_to
    unchanged: int
    before: ClassRules
    after: ClassRules


def changes_between(
    repo: Repository,
    portfolio_id: str,
    share_class: ShareClass,
    date_from: dt.date,
    date_to: dt.date,
) -> ChangeReport:
    """Every fact about the class that differs between ``date_from`` and ``date_to``.

    Raises:
        InputError: when ``date_to`` is not after ``date_from``.
    """
    if date_to <= date_from:
        raise InputError(
            f"the second date ({date_to.isoformat()}) must be after the first "
            f"({date_from.isoformat()})"
        )
    before = class_rules(repo, portfolio_id, share_class, date_from)
    after = class_rules(repo, portfolio_id, share_class, date_to)
    events = tuple(
        e for e in repo.events(portfolio_id, share_class) if date_from < e.date <= date_to
    )
    pairs = _paired_facts(before, after)
    explain = _Explainer(repo, before, after, events)
    changes: list[Change] = []
    unchanged = 0
    for old, new in pairs:
        aspect = _aspect(old, new)
        if aspect is None:
            unchanged += 1
            continue
        changes.append(Change(new.topic or old.topic, aspect, old, new, explain(old, new)))
    changes.sort(key=_order)
    return ChangeReport(
        portfolio_id,
        after.portfolio_name,
        share_class,
        date_from,
        date_to,
        tuple(changes),
        events,
        unchanged,
        before,
        after,
    )


def _order(change: Change) -> tuple[dt.date, int]:
    explained = change.explained_by
    day = explained.date if explained and explained.date else dt.date.max
    return day, list(Aspect).index(change.aspect)


def _aspect(old: Fact, new: Fact) -> Aspect | None:
    if old.value != new.value:
        return Aspect.VALUE
    if old.citation != new.citation:
        return Aspect.SOURCE
    if old.support.standing != new.support.standing:
        return Aspect.STANDING
    return None


# -- pairing the facts of the two dates -------------------------------------------------------
def _group(facts: list[Fact]) -> dict[str, list[Fact]]:
    """Rules group by kind (a kind's rule may be restated by another passage); the rest by key."""
    groups: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        group = ":".join(fact.key.split(":")[:2]) if fact.key.startswith("rule:") else fact.key
        groups[group].append(fact)
    return groups


def _paired_facts(before: ClassRules, after: ClassRules) -> list[tuple[Fact, Fact]]:
    old_groups, new_groups = _group(class_facts(before)), _group(class_facts(after))
    pairs: list[tuple[Fact, Fact]] = []
    for group in dict.fromkeys([*old_groups, *new_groups]):
        old, new = old_groups.get(group, []), new_groups.get(group, [])
        new_by_key = {f.key: f for f in new}
        same = [(f, new_by_key[f.key]) for f in old if f.key in new_by_key]
        old_rest = [f for f in old if f.key not in new_by_key]
        kept = {f.key for f in old}
        new_rest = [f for f in new if f.key not in kept]
        pairs.extend(same)
        for index in range(max(len(old_rest), len(new_rest))):
            old_fact = old_rest[index] if index < len(old_rest) else None
            new_fact = new_rest[index] if index < len(new_rest) else None
            pairs.append(
                (
                    old_fact or _absent(before, new_fact),  # type: ignore[arg-type]
                    new_fact or _absent(after, old_fact),  # type: ignore[arg-type]
                )
            )
    return pairs


def _absent(rules: ClassRules, other: Fact) -> Fact:
    """The stand-in for a fact that does not hold on ``rules.as_of``: why, with the source."""
    on = rules.as_of.isoformat()
    status = rules.status
    if status.state != ClassState.OFFERED:
        text = f"Not in force on {on}: {status.text}"
        return Fact(other.key, other.topic, text, status.citation, status.support, "", rules.as_of)
    text = f"No source states this for {rules.share_class.value} shares on {on}."
    return Fact(
        other.key, other.topic, text, None, Support(Standing.NOT_DOCUMENTED), "", rules.as_of
    )


# -- explaining a change ----------------------------------------------------------------------
class _Explainer:
    """Finds the dated event behind each change."""

    def __init__(
        self, repo: Repository, before: ClassRules, after: ClassRules, events: tuple[Event, ...]
    ) -> None:
        self.before, self.after, self.events = before, after, events
        self.rules = {r.rule_id: r for r in (*before.rules, *after.rules)}
        self.boundary = self._class_boundary(repo)

    def __call__(self, old: Fact, new: Fact) -> Explanation | None:
        if self.boundary is not None and (
            old.key == "status" or not old.value or not new.value or old.key == "redemption_fee"
        ):
            return self.boundary
        for fact, end in ((new, False), (old, True)):
            rule = self._rule(fact)
            if rule is not None:
                found = self._rule_boundary(rule, end)
                if found is not None:
                    return found
        return self._document(old, new)

    def _rule(self, fact: Fact) -> Rule | None:
        return self.rules.get(fact.key.split(":", 2)[2]) if fact.key.startswith("rule:") else None

    def _in_window(self, day: dt.date | None) -> bool:
        return day is not None and self.before.as_of < day <= self.after.as_of

    def _class_boundary(self, repo: Repository) -> Explanation | None:
        """The class's start or end between the dates, when its status changed."""
        if self.before.status.state == self.after.status.state:
            return None
        evidence = repo.class_evidence(self.before.portfolio.portfolio_id, self.before.share_class)
        for item in evidence:
            if item.kind not in (ClassEvidenceKind.ENDS, ClassEvidenceKind.STARTS):
                continue
            if not self._in_window(item.date_from):
                continue
            if item.kind == ClassEvidenceKind.ENDS:
                return self._ending(item.date_from - ONE_DAY, item.reason, item.citation)
            return Explanation(item.date_from, f"class starts: {item.reason}", item.citation)
        return None

    def _ending(self, last_day: dt.date, reason: str, citation: Citation) -> Explanation:
        conversion = next(
            (
                r
                for r in self.before.rules
                if r.kind == RuleKind.CONVERSION and r.params.get("to_class")
            ),
            None,
        )
        if conversion is not None:
            when = "close" if conversion.params.get("at") == "close of business" else ""
            text = (
                f"{conversion.params.get('from_class', self.before.share_class.value)} converted "
                f"to {conversion.params['to_class']}"
            )
            return Explanation(last_day, text, conversion.citation, when)
        return Explanation(last_day, f"class ends: {reason}", citation)

    def _rule_boundary(self, rule: Rule, end: bool) -> Explanation | None:
        if end and self._in_window(rule.effective_to):
            assert rule.effective_to is not None
            return Explanation(
                rule.effective_to - ONE_DAY, "last day in force of the rule", rule.citation
            )
        if not end and self._in_window(rule.effective_from):
            return Explanation(rule.effective_from, "rule in force from this date", rule.citation)
        return None

    def _document(self, old: Fact, new: Fact) -> Explanation | None:
        """A change the sources date only through their documents: the latest event in the
        window from the document that speaks for the later date, else the day the earlier
        document stops speaking."""
        doc = new.citation.doc if new.citation else None
        from_doc = [e for e in self.events if doc and e.citation.doc == doc]
        if from_doc and old.citation != new.citation:
            event = from_doc[-1]
            return Explanation(event.date, event.description, event.citation)
        if new.support.standing == Standing.CARRIED and new.support.documented_on:
            return Explanation(
                new.support.documented_on,
                "last day a source speaks for it; carried after this date",
                old.citation,
            )
        return None
