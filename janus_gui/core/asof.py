"""What is in force on a date, and how the sources support it.

Every answer has a standing (``Standing``): *documented* (a source speaks for the date),
*carried* (last documented earlier and contradicted by nothing; it may have changed since) or
*not documented* (nothing speaks for the date or before it). A boundary is never invented:
a class ends only where a source says so, and silence is never turned into "no" or "$0".

Periods are half-open (``from <= d < to``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Protocol

from janus_gui.core.models import (
    ClassEvidence,
    ClassEvidenceKind,
    ClassRules,
    ClassState,
    ClassStatus,
    Evidence,
    FeeRule,
    FeeTableRow,
    Rule,
    RuleKind,
    ShareClass,
    Standing,
    Support,
)
from janus_gui.core.repository import Repository


class _Noted(Protocol):
    """Any catalog item that names the data notes qualifying it."""

    @property
    def note_ids(self) -> tuple[str, ...]: ...


ONE_DAY = dt.timedelta(days=1)
# Documents that list the portfolios they speak for: a trust-wide rule from one of them reaches
# only the portfolios it lists. The 18f-3 plan (002) covers "each existing and future Portfolio".
DOCUMENTS_WITH_PORTFOLIO_LISTS = frozenset({"000", "001", "004"})
# A conversion's reason names the class the shares became.
CONVERSION_TARGET = ShareClass.SERVICE


# -- class status ---------------------------------------------------------------------------
def class_status(
    repo: Repository, portfolio_id: str, share_class: ShareClass, on: dt.date
) -> ClassStatus:
    """Status of one class of one portfolio on ``on``, with the evidence behind it."""
    evidence = repo.class_evidence(portfolio_id, share_class)
    if not evidence:
        return ClassStatus(
            ClassState.UNKNOWN,
            f"The sources never mention {share_class.value} shares of this portfolio.",
            None,
            Support(Standing.NOT_DOCUMENTED),
        )
    return _status_from(evidence, share_class, on)


def _of_kind(evidence: list[ClassEvidence], kind: ClassEvidenceKind) -> list[ClassEvidence]:
    return [e for e in evidence if e.kind == kind]


def _status_from(
    evidence: list[ClassEvidence], share_class: ShareClass, on: dt.date
) -> ClassStatus:
    ended = [e for e in _of_kind(evidence, ClassEvidenceKind.ENDS) if e.date_from <= on]
    if ended:
        return _ended(ended[0])
    not_started = [e for e in _of_kind(evidence, ClassEvidenceKind.STARTS) if e.date_from > on]
    if not_started:
        start = not_started[0]
        return ClassStatus(
            ClassState.NOT_OFFERED,
            f"Not offered on {on.isoformat()}: {start.reason} ({start.citation.label()}).",
            start.citation,
            Support(Standing.DOCUMENTED, on),
        )
    speaking = [e for e in evidence if _speaks_for(e, on)]
    if speaking:
        best = speaking[-1]
        return ClassStatus(
            ClassState.OFFERED,
            f"Offered on {on.isoformat()}: {best.reason} ({best.citation.label()}).",
            best.citation,
            Support(Standing.DOCUMENTED, on),
        )
    return _between_evidence(evidence, share_class, on)


def _speaks_for(item: ClassEvidence, on: dt.date) -> bool:
    if item.kind == ClassEvidenceKind.LISTED:
        return item.date_from <= on <= item.last_day
    return item.kind == ClassEvidenceKind.EXISTS and item.date_from == on


def _ended(item: ClassEvidence) -> ClassStatus:
    last_day = item.date_from - ONE_DAY
    converted = "conver" in item.reason.lower()
    if converted:
        text = f"{item.reason[0].upper()}{item.reason[1:]} ({item.citation.label()})."
    else:
        text = f"Ended after {last_day.isoformat()}: {item.reason} ({item.citation.label()})."
    return ClassStatus(
        ClassState.ENDED,
        text,
        item.citation,
        Support(Standing.DOCUMENTED, last_day),
        CONVERSION_TARGET if converted else None,
    )


def _between_evidence(
    evidence: list[ClassEvidence], share_class: ShareClass, on: dt.date
) -> ClassStatus:
    """No source speaks for ``on``: carry the last evidence forward unless something after it
    contradicts it, and never reach back before the first evidence."""
    positive = [
        e
        for e in evidence
        if e.kind in (ClassEvidenceKind.LISTED, ClassEvidenceKind.EXISTS, ClassEvidenceKind.STARTS)
    ]
    before = [e for e in positive if e.last_day < on]
    after = [e for e in positive if e.date_from > on]
    prior = max(before, key=lambda e: e.last_day) if before else None
    later = min(after, key=lambda e: e.date_from) if after else None
    # A later document that leaves the class out contradicts carrying it forward at all: it
    # ended at some unstated date after its last evidence, so the dates between are unknown too.
    contradicted = [
        e
        for e in _of_kind(evidence, ClassEvidenceKind.UNLISTED)
        if prior is not None
        and e.date_from > prior.last_day
        and (later is None or e.date_from <= later.date_from)
    ]
    if prior is not None and contradicted:
        gap = contradicted[0]
        return ClassStatus(
            ClassState.UNKNOWN,
            f"Not documented on {on.isoformat()}: {share_class.value} shares were last "
            f"documented on {prior.last_day.isoformat()} ({prior.citation.label()}), and "
            f"{gap.reason} ({gap.citation.label()}).",
            gap.citation,
            Support(Standing.NOT_DOCUMENTED, prior.last_day, None, gap.reason),
        )
    if prior is not None:
        last = prior.last_day.isoformat()
        if later is not None:
            text = (
                f"Offered on {on.isoformat()} (carried): documented on {last} "
                f"({prior.citation.label()}) and again on {later.date_from.isoformat()} "
                f"({later.citation.label()}); no source speaks for the dates between."
            )
        else:
            text = (
                f"Offered on {on.isoformat()} (carried): last documented {last} "
                f"({prior.citation.label()}); may have changed since."
            )
        return ClassStatus(
            ClassState.OFFERED,
            text,
            prior.citation,
            Support(
                Standing.CARRIED,
                prior.last_day,
                later.date_from if later else None,
                f"last documented {last}; may have changed since",
            ),
        )
    assert later is not None  # evidence exists, none of it ends, starts or speaks before `on`
    return ClassStatus(
        ClassState.UNKNOWN,
        f"Not documented on {on.isoformat()}: {share_class.value} shares are first documented "
        f"on {later.date_from.isoformat()} ({later.reason}, {later.citation.label()}).",
        later.citation,
        Support(Standing.NOT_DOCUMENTED, None, later.date_from, "not yet documented"),
    )


def classes_on(repo: Repository, portfolio_id: str, on: dt.date) -> list[ShareClass]:
    """Classes of a portfolio offered on ``on``, documented or carried."""
    return [
        share_class
        for share_class in ShareClass
        if class_status(repo, portfolio_id, share_class, on).state == ClassState.OFFERED
    ]


def documented_classes(repo: Repository, portfolio_id: str) -> list[ShareClass]:
    """Every class the sources document for a portfolio, on any date."""
    present = {e.share_class for e in repo.class_evidence(portfolio_id)}
    return [sc for sc in ShareClass if sc in present]


def converted_into(
    repo: Repository, portfolio_id: str, share_class: ShareClass, on: dt.date
) -> ShareClass | None:
    """The class this one's shares became, when it ended by a conversion on or before ``on``."""
    return class_status(repo, portfolio_id, share_class, on).converted_into


# -- rules ----------------------------------------------------------------------------------
def _specificity(rule: Rule) -> tuple[int, dt.date]:
    score = (2 if rule.portfolio_id else 0) + (1 if rule.share_class else 0)
    return score, rule.effective_from or rule.documented_from or dt.date.min


def _start(rule: Rule) -> dt.date:
    return rule.effective_from or rule.documented_from or dt.date.min


def rules_in_force(
    repo: Repository,
    portfolio_id: str,
    share_class: ShareClass,
    on: dt.date,
    kind: RuleKind | None = None,
) -> list[Rule]:
    """Rules in force on ``on`` for the portfolio and class, whatever the class's status.

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
        latest[key] = max(latest.get(key, dt.date.min), _start(rule))
    kept = [r for r in candidates if _start(r) == latest[(r.kind, r.portfolio_id, r.share_class)]]
    return sorted(kept, key=lambda r: (list(RuleKind).index(r.kind), r.rule_id))


def _reaches(repo: Repository, rule: Rule, portfolio_id: str) -> bool:
    if rule.portfolio_id is not None or rule.citation.doc not in DOCUMENTS_WITH_PORTFOLIO_LISTS:
        return True
    return rule.citation.doc in repo.portfolio_documents(portfolio_id)


def _undated_rules(repo: Repository, portfolio_id: str, share_class: ShareClass) -> list[Rule]:
    return [
        r
        for r in repo.rules(portfolio_id, share_class)
        if r.documented_from is None and r.effective_from is None
    ]


def _capped(own: Support, status: ClassStatus) -> Support:
    """A fact about a class is never better supported than the class's own status."""
    if status.standing == Standing.CARRIED and own.standing == Standing.DOCUMENTED:
        return status.support
    return own


def _rule_support(rule: Rule, status: ClassStatus, on: dt.date) -> Support:
    """A rule's support on ``on``, never better than the class's own status."""
    return _capped(rule.support(on), status)


# -- the redemption fee ---------------------------------------------------------------------
def _fee(
    reason: str,
    support: Support,
    rule: Rule | None = None,
    *,
    citation_rule: Rule | None = None,
    status: ClassStatus | None = None,
) -> FeeRule:
    """A fee rule under which no fee is charged (or none can be determined)."""
    cited = rule or citation_rule
    citation = cited.citation if cited else (status.citation if status else None)
    return FeeRule(
        applies=False,
        rate=Decimal("0"),
        holding_period_days=None,
        lot_order="FIFO",
        base="redemption value",
        recipient="",
        reason=reason,
        rule_id=cited.rule_id if cited else None,
        citation=citation,
        evidence=cited.evidence if cited else Evidence.DOCUMENTED,
        support=support,
    )


def _rate(rule: Rule) -> Decimal:
    text = rule.params.get("rate", "0").strip().rstrip("%") or "0"
    return Decimal(text) / 100


def redemption_fee_rule(
    repo: Repository, portfolio_id: str, share_class: ShareClass, on: dt.date
) -> FeeRule:
    """The redemption-fee rule for a class on a date (the engine never hard-codes one)."""
    status = class_status(repo, portfolio_id, share_class, on)
    if status.state == ClassState.ENDED:
        return _fee(
            f"No redemption fee applies: the class has ended. {status.text}",
            status.support,
            status=status,
        )
    if status.state != ClassState.OFFERED:
        detail = status.text.removeprefix(f"Not documented on {on.isoformat()}: ")
        return _fee(
            f"Cannot be determined: not documented on {on.isoformat()}. "
            f"{detail[:1].upper()}{detail[1:]}",
            Support(Standing.NOT_DOCUMENTED, status.support.documented_on, status.support.until),
            status=status,
        )
    rules = rules_in_force(repo, portfolio_id, share_class, on, RuleKind.REDEMPTION_FEE)
    if not rules:
        return _fee(
            f"Cannot be determined: no source states a redemption-fee rule for "
            f"{share_class.value} shares on {on.isoformat()}"
            f"{_nearest_fee_rule(repo, portfolio_id, share_class, on)}.",
            Support(Standing.NOT_DOCUMENTED),
        )
    rule = max(rules, key=_specificity)
    support = _rule_support(rule, status, on)
    rate = _rate(rule)
    if rate == 0:
        return _fee(f"No redemption fee: {rule.summary}", support, rule)
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
        support=support,
    )


def _nearest_fee_rule(
    repo: Repository, portfolio_id: str, share_class: ShareClass, on: dt.date
) -> str:
    later = [
        _start(r)
        for r in repo.rules(portfolio_id, share_class, RuleKind.REDEMPTION_FEE)
        if _start(r) > on
    ]
    return f"; the nearest documented date is {min(later).isoformat()}" if later else ""


def exchange_rule(
    repo: Repository, portfolio_id: str, share_class: ShareClass, on: dt.date
) -> Rule | None:
    """The exchange privilege in force for a class on a date, if the sources state one."""
    rules = rules_in_force(repo, portfolio_id, share_class, on, RuleKind.EXCHANGE)
    return max(rules, key=_specificity) if rules else None


# -- everything for one class ---------------------------------------------------------------
def class_rules(
    repo: Repository, portfolio_id: str, share_class: ShareClass, as_of: dt.date
) -> ClassRules:
    """Everything the catalog knows for one class on one date, each item with its citation."""
    portfolio = repo.portfolio(portfolio_id)
    status = class_status(repo, portfolio_id, share_class, as_of)
    rules, former, former_as_of = _rules_for_status(repo, portfolio_id, share_class, status, as_of)
    fee_rows = tuple(r for r in repo.fee_table(portfolio_id) if r.share_class == share_class)
    distributions = tuple(repo.distributions(portfolio_id, share_class))
    securities = tuple(s for s in repo.securities(portfolio_id) if s.share_class == share_class)
    events = tuple(repo.events(portfolio_id, share_class))
    evidence = repo.class_evidence(portfolio_id, share_class)
    undated = tuple(_undated_rules(repo, portfolio_id, share_class))
    note_ids: list[str] = []
    noted: tuple[_Noted, ...] = (
        *rules,
        *former,
        *undated,
        *fee_rows,
        *distributions,
        *portfolio.names,
        *securities,
        *events,
        *evidence,
    )
    for item in noted:
        note_ids.extend(item.note_ids)
    return ClassRules(
        portfolio=portfolio,
        share_class=share_class,
        as_of=as_of,
        portfolio_name=portfolio.name_on(as_of),
        status=status,
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
        not_documented=tuple(_gaps(rules, status, former_as_of, as_of)),
        name=portfolio.name_support(as_of),
        former_rules=tuple(former),
        former_as_of=former_as_of,
        fee_table_support=fee_table_support(fee_rows, status, as_of),
        undated_rules=undated,
    )


def _rules_for_status(
    repo: Repository,
    portfolio_id: str,
    share_class: ShareClass,
    status: ClassStatus,
    as_of: dt.date,
) -> tuple[list[Rule], list[Rule], dt.date | None]:
    """(rules in force, former rules, the day the former rules were in force).

    Only an offered class has rules in force; a class that ended, or whose existence on the
    date is not documented, shows the rules of its last documented day as former rules.
    """
    if status.state == ClassState.OFFERED:
        return rules_in_force(repo, portfolio_id, share_class, as_of), [], None
    last_day = status.support.documented_on
    if status.state in (ClassState.ENDED, ClassState.UNKNOWN) and last_day is not None:
        return [], rules_in_force(repo, portfolio_id, share_class, last_day), last_day
    return [], [], None


def fee_table_support(
    rows: tuple[FeeTableRow, ...], status: ClassStatus, as_of: dt.date
) -> Support:
    """How the sources support a class's fee-table rows on ``as_of`` (never better than the
    class's status; not documented for a class that is not offered)."""
    if not rows or status.state != ClassState.OFFERED:
        return Support(Standing.NOT_DOCUMENTED)
    return _capped(rows[0].support(as_of), status)


def _gaps(
    rules: list[Rule], status: ClassStatus, former_as_of: dt.date | None, as_of: dt.date
) -> list[str]:
    if status.state != ClassState.OFFERED:
        lines = [f"No rules are in force: {status.text}"]
        if former_as_of:
            lines.append(
                f"The rules listed as former rules were in force on {former_as_of.isoformat()}, "
                "the last day the class is documented."
            )
        return lines
    lines = [
        f"No {kind.value.replace('_', ' ')} rule is documented for this class on this date."
        for kind in (RuleKind.ELIGIBILITY, RuleKind.REDEMPTION_FEE, RuleKind.EXCHANGE)
        if not any(r.kind == kind for r in rules)
    ]
    carried = [r for r in rules if _rule_support(r, status, as_of).standing == Standing.CARRIED]
    if carried:
        docs = ", ".join(sorted({r.citation.doc for r in carried}))
        lines.append(
            f"{len(carried)} of these rules are carried from earlier documents ({docs}): no "
            "source speaks for this date, and they may have changed since."
        )
    return lines


def rule_support(rules: ClassRules, rule: Rule) -> Support:
    """How the sources support one of ``rules``' rules (in force or former) on its date."""
    if rule in rules.rules:
        return _rule_support(rule, rules.status, rules.as_of)
    return rule.support(rules.former_as_of or rules.as_of)
