"""What is in force on a date: class status, rules, the redemption-fee rule, everything for a class.

Periods are half-open (``from <= d < to``). A boundary is never invented: where no source covers a
date, the answer says "not documented" and names the nearest evidence instead of guessing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from janus_gui.core.models import (
    ClassAvailability,
    ClassRules,
    ClassState,
    ClassStatus,
    Evidence,
    FeeRule,
    Rule,
    RuleKind,
    ShareClass,
    period_covers,
)
from janus_gui.core.repository import Repository

ONE_DAY = dt.timedelta(days=1)
# Documents that list the portfolios they speak for: a trust-wide rule from one of them reaches
# only the portfolios it lists. The 18f-3 plan (002) covers "each existing and future Portfolio".
DOCUMENTS_WITH_PORTFOLIO_LISTS = frozenset({"000", "001", "004"})


def _fmt(day: dt.date | None) -> str:
    return day.isoformat() if day else "an unknown date"


def _covers(period: ClassAvailability, on: dt.date) -> bool:
    return period_covers(period.available_from, period.available_to, on)


def _offered_text(period: ClassAvailability, on: dt.date) -> str:
    if period.available_from is None:
        since = "documented"
    elif period.from_precision == "in_force_by":
        since = f"documented as in force by {period.available_from.isoformat()}"
    else:
        since = f"offered from {period.available_from.isoformat()}"
    until = ""
    if period.available_to:
        until = f", until the close of {(period.available_to - ONE_DAY).isoformat()}"
    return f"Offered on {on.isoformat()} ({since}{until})."


def _ended_status(period: ClassAvailability, on: dt.date) -> ClassStatus:
    assert period.available_to is not None
    last_day = period.available_to - ONE_DAY
    reason = period.end_reason or "the sources give no reason"
    lowered = reason.lower()
    if "conver" in lowered:
        text = (
            f"{reason[0].upper()}{reason[1:]}."
            if last_day.isoformat() in reason
            else f"Converted at the close of business on {last_day.isoformat()}: {reason}."
        )
        return ClassStatus(ClassState.CONVERTED, text, period.citation)
    if "terminat" in lowered or "ended" in lowered:
        return ClassStatus(
            ClassState.ENDED, f"Ended after {last_day.isoformat()}: {reason}", period.citation
        )
    return ClassStatus(
        ClassState.NOT_DOCUMENTED,
        f"Not documented on {on.isoformat()}: last documented on {last_day.isoformat()} "
        f"({reason}).",
        period.citation,
    )


def class_status(
    repo: Repository, portfolio_id: str, share_class: ShareClass, on: dt.date
) -> ClassStatus:
    """Status of one class of one portfolio on ``on``, with the evidence behind it."""
    periods = repo.availability(portfolio_id, share_class)
    if not periods:
        return ClassStatus(
            ClassState.NOT_DOCUMENTED,
            f"The sources never mention {share_class.value} shares of this portfolio.",
            None,
        )
    last = repo.documented_range()[1]
    period = _covering_period(periods, on)
    if period is not None:
        if _past_the_sources(period, on, last):
            return ClassStatus(
                ClassState.NOT_DOCUMENTED,
                f"Not documented on {on.isoformat()}: the sources end on {last.isoformat()}, "
                "when the class was offered.",
                period.citation,
            )
        return ClassStatus(ClassState.OFFERED, _offered_text(period, on), period.citation)
    starts = [p for p in periods if p.available_from and p.available_from > on]
    ended = [p for p in periods if p.available_to and p.available_to <= on]
    if ended and not starts:
        return _ended_status(max(ended, key=lambda p: p.available_to or dt.date.min), on)
    if starts and not ended:
        nxt = min(starts, key=lambda p: p.available_from or dt.date.max)
        return ClassStatus(
            ClassState.NOT_YET,
            f"Not documented before {_fmt(nxt.available_from)}; the class is first documented "
            "then.",
            nxt.citation,
        )
    before = max(ended, key=lambda p: p.available_to or dt.date.min)
    after = min(starts, key=lambda p: p.available_from or dt.date.max)
    return ClassStatus(
        ClassState.NOT_DOCUMENTED,
        f"Not documented on {on.isoformat()}: documented until {_fmt(before.available_to)} "
        f"and again from {_fmt(after.available_from)}.",
        after.citation,
    )


def _covering_period(periods: list[ClassAvailability], on: dt.date) -> ClassAvailability | None:
    covering = [p for p in periods if _covers(p, on)]
    return covering[-1] if covering else None


def _past_the_sources(period: ClassAvailability, on: dt.date, last: dt.date) -> bool:
    """An open-ended period says nothing about dates after the last source."""
    return on > last and period.available_to is None


def classes_on(repo: Repository, portfolio_id: str, on: dt.date) -> list[ShareClass]:
    """Classes of a portfolio offered on ``on`` (the OFFERED test of ``class_status``, without
    building its text: search calls this for every hit)."""
    last = repo.documented_range()[1]
    offered = []
    for share_class in ShareClass:
        period = _covering_period(repo.availability(portfolio_id, share_class), on)
        if period is not None and not _past_the_sources(period, on, last):
            offered.append(share_class)
    return offered


def documented_classes(repo: Repository, portfolio_id: str) -> list[ShareClass]:
    """Every class the sources document for a portfolio, on any date."""
    present = {p.share_class for p in repo.availability(portfolio_id)}
    return [sc for sc in ShareClass if sc in present]


def _specificity(rule: Rule) -> tuple[int, dt.date]:
    score = (2 if rule.portfolio_id else 0) + (1 if rule.share_class else 0)
    return score, rule.effective_from or dt.date.min


def rules_in_force(
    repo: Repository,
    portfolio_id: str,
    share_class: ShareClass,
    on: dt.date,
    kind: RuleKind | None = None,
) -> list[Rule]:
    """Rules in force on ``on`` for the portfolio and class.

    Where documents of different dates speak to the same kind of rule for the same scope, only
    the latest document's rules are kept (a later document supersedes an earlier one).
    """
    candidates = [
        r
        for r in repo.rules(portfolio_id, share_class, kind)
        if r.in_force(on) and _reaches(repo, r, portfolio_id)
    ]
    latest: dict[tuple[RuleKind, str | None, ShareClass | None], dt.date] = {}
    for rule in candidates:
        key = (rule.kind, rule.portfolio_id, rule.share_class)
        start = rule.effective_from or dt.date.min
        latest[key] = max(latest.get(key, dt.date.min), start)
    kept = [
        r
        for r in candidates
        if (r.effective_from or dt.date.min) == latest[(r.kind, r.portfolio_id, r.share_class)]
    ]
    return sorted(kept, key=lambda r: (list(RuleKind).index(r.kind), r.rule_id))


def _reaches(repo: Repository, rule: Rule, portfolio_id: str) -> bool:
    if rule.portfolio_id is not None or rule.citation.doc not in DOCUMENTS_WITH_PORTFOLIO_LISTS:
        return True
    return rule.citation.doc in repo.portfolio_documents(portfolio_id)


def carried_forward(repo: Repository, rules: list[Rule], on: dt.date) -> list[Rule]:
    """Rules whose document is older than a later document dated on or before ``on``.

    They are shown as last documented: no later source in the set restates or changes them.
    """
    dates = repo.document_dates()
    newer_by = sorted(d for d in dates.values() if d and d <= on)
    latest = newer_by[-1] if newer_by else None
    return [r for r in rules if latest and (dates.get(r.citation.doc) or latest) < latest]


def _no_fee(reason: str, rule: Rule | None, *, documented: bool = True) -> FeeRule:
    return FeeRule(
        applies=False,
        rate=Decimal("0"),
        holding_period_days=None,
        lot_order="FIFO",
        base="redemption value",
        recipient="",
        reason=reason,
        rule_id=rule.rule_id if rule else None,
        citation=rule.citation if rule else None,
        evidence=rule.evidence if rule else Evidence.INFERRED,
        documented=documented,
    )


def _rate(rule: Rule) -> Decimal:
    text = rule.params.get("rate", "0").strip().rstrip("%") or "0"
    return Decimal(text) / 100


def redemption_fee_rule(
    repo: Repository, portfolio_id: str, share_class: ShareClass, on: dt.date
) -> FeeRule:
    """The redemption-fee rule for a class on a date (the engine never hard-codes one)."""
    status = class_status(repo, portfolio_id, share_class, on)
    if status.state in (ClassState.CONVERTED, ClassState.ENDED):
        ended = _no_fee(f"No redemption fee applies. {status.text}", None)
        return replace(ended, citation=status.citation, evidence=Evidence.DOCUMENTED)
    if status.state != ClassState.OFFERED:
        return _no_fee(f"Not documented. {status.text}", None, documented=False)
    rules = [
        r for r in repo.rules(portfolio_id, share_class, RuleKind.REDEMPTION_FEE) if r.in_force(on)
    ]
    if not rules:
        return _no_fee(
            f"Not documented: no source states a redemption-fee rule for {share_class.value} "
            f"shares on {on.isoformat()}.",
            None,
            documented=False,
        )
    rule = max(rules, key=_specificity)
    rate = _rate(rule)
    if rate == 0:
        return _no_fee(f"No redemption fee: {rule.summary}", rule)
    return FeeRule(
        applies=True,
        rate=rate,
        holding_period_days=int(rule.params.get("holding_period_days", "0")),
        lot_order=rule.params.get("lot_order", "FIFO"),
        base=rule.params.get("base", "redemption value"),
        recipient=rule.params.get("recipient", ""),
        reason=rule.summary,
        rule_id=rule.rule_id,
        citation=rule.citation,
        evidence=rule.evidence,
    )


def exchange_rule(
    repo: Repository, portfolio_id: str, share_class: ShareClass, on: dt.date
) -> Rule | None:
    """The exchange privilege in force for a class on a date, if the sources state one."""
    rules = rules_in_force(repo, portfolio_id, share_class, on, RuleKind.EXCHANGE)
    return max(rules, key=_specificity) if rules else None


def class_rules(
    repo: Repository, portfolio_id: str, share_class: ShareClass, as_of: dt.date
) -> ClassRules:
    """Everything the catalog knows for one class on one date, each item with its citation."""
    portfolio = repo.portfolio(portfolio_id)
    rules = rules_in_force(repo, portfolio_id, share_class, as_of)
    fee_rows = tuple(r for r in repo.fee_table(portfolio_id) if r.share_class == share_class)
    distributions = tuple(repo.distributions(portfolio_id, share_class))
    securities = tuple(s for s in repo.securities(portfolio_id) if s.share_class == share_class)
    events = tuple(repo.events(portfolio_id, share_class))
    periods = repo.availability(portfolio_id, share_class)
    note_ids: list[str] = []
    for item in (
        *rules,
        *fee_rows,
        *distributions,
        *portfolio.names,
        *securities,
        *events,
        *periods,
    ):
        note_ids.extend(item.note_ids)
    not_documented = [
        f"No {kind.value.replace('_', ' ')} rule is documented for this class on this date."
        for kind in (RuleKind.ELIGIBILITY, RuleKind.REDEMPTION_FEE, RuleKind.EXCHANGE)
        if not any(r.kind == kind for r in rules)
    ]
    older = carried_forward(repo, rules, as_of)
    if older:
        docs = ", ".join(sorted({r.citation.doc for r in older}))
        not_documented.append(
            f"{len(older)} of these rules come from older documents ({docs}) that no later source "
            "restates; they are shown as last documented."
        )
    return ClassRules(
        portfolio=portfolio,
        share_class=share_class,
        as_of=as_of,
        portfolio_name=portfolio.name_on(as_of),
        status=class_status(repo, portfolio_id, share_class, as_of),
        securities=securities,
        names=portfolio.names,
        rules=tuple(rules),
        redemption_fee=redemption_fee_rule(repo, portfolio_id, share_class, as_of),
        events=events,
        distributions=distributions,
        fee_table=fee_rows,
        expense_example=tuple(
            e for e in repo.expense_example(portfolio_id) if e.share_class == share_class
        ),
        data_notes=tuple(repo.data_notes(note_ids)),
        not_documented=tuple(not_documented),
    )
