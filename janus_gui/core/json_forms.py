"""The JSON forms of answers, one for each kind, shared by the command line and the window.

Decimals are written as strings (``"8.00"``), dates as ISO strings, enums as their values.
``fee_rule_payload`` is the one JSON form of a redemption-fee rule; ``class_rules_payload`` is
``show --json`` and the window's "copy as JSON" of a class; ``changes_payload`` is ``changes
--json`` and the copy of a change list.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import asdict, is_dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from janus_gui.core.asof import rule_support
from janus_gui.core.changes import ChangeReport, Explanation
from janus_gui.core.facts import Fact
from janus_gui.core.models import (
    Citation,
    ClassRules,
    FeeRule,
    PortfolioName,
    Rule,
    Standing,
    Support,
)


def json_text(payload: Any) -> str:
    """One JSON document, indented, non-ASCII kept as it is."""
    return json.dumps(to_jsonable(payload), indent=2, ensure_ascii=False)


def to_jsonable(value: Any) -> Any:
    """Decimals become strings (``"8.00"``), dates ISO strings, enums their values."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if is_dataclass(value) and not isinstance(value, type):
        return {k: to_jsonable(v) for k, v in asdict(value).items()}
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value


def citation_payload(citation: Citation | None) -> dict[str, object] | None:
    """A citation as JSON: file, line range, ``002:96-103`` label and quote."""
    if citation is None:
        return None
    return {
        "source_file": citation.source_file,
        "lines": [citation.line_start, citation.line_end],
        "label": citation.label(),
        "quote": citation.quote,
    }


def support_payload(support: Support) -> dict[str, object]:
    """How a fact is supported on the answer's date, as JSON keys."""
    return {
        "standing": support.standing.value,
        "documented_on": support.documented_on,
        "next_documented": support.until,
        "standing_text": support.text,
    }


def fee_rule_payload(rule: FeeRule) -> dict[str, object]:
    """The redemption-fee rule for a class on a date, with its standing and citation.

    ``fee_status`` is ``documented``, ``carried`` or ``not_documented``; when it is
    ``not_documented`` no fee amount may be shown (the sources cannot decide it).
    """
    return {
        "applies": rule.applies if rule.documented else None,
        "fee_status": rule.standing.value,
        **support_payload(rule.support),
        "rate": rule.rate if rule.documented else None,
        "holding_period_days": rule.holding_period_days,
        "lot_order": rule.lot_order if rule.applies else None,
        "base": rule.base if rule.applies else None,
        "recipient": rule.recipient or None,
        "reason": rule.reason,
        "rule_id": rule.rule_id,
        "evidence": rule.evidence.value,
        "citation": citation_payload(rule.citation),
    }


def fact_payload(fact: Fact) -> dict[str, object]:
    """One fact as JSON: its text, standing, date and citation."""
    return {
        "topic": fact.topic,
        "text": fact.text,
        "as_of": fact.as_of,
        **support_payload(fact.support),
        "note_ids": list(fact.note_ids),
        "citation": citation_payload(fact.citation),
    }


def class_rules_payload(rules: ClassRules) -> dict[str, object]:
    """The JSON form of ``class_rules`` (``show --json``, the window's copy as JSON): every
    fact with its standing and citation."""
    fee = rules.redemption_fee
    name = rules.name
    assert name is not None
    return {
        "portfolio": rules.portfolio_name,
        "portfolio_id": rules.portfolio.portfolio_id,
        "share_class": rules.share_class.value,
        "as_of": rules.as_of.isoformat(),
        "category": rules.portfolio.category,
        "name": {
            "name": name.name,
            "renamed_to": name.renamed_to,
            "labels": list(name.labels),
            "text": name.describe(),
            **support_payload(name.support),
        },
        "status": {
            "state": rules.status.state.value,
            **support_payload(rules.status.support),
            "text": rules.status.text,
            "converted_into": (
                rules.status.converted_into.value if rules.status.converted_into else None
            ),
            "citation": citation_payload(rules.status.citation),
        },
        "names": [
            {
                "name": n.name,
                "kind": n.kind.value,
                "documented_from": n.documented_from,
                "documented_to": n.last_documented,
                **support_payload(n_support(rules, n)),
                "evidence": n.evidence.value,
                "evidence_reason": n.evidence_reason,
                "citation": citation_payload(n.citation),
            }
            for n in rules.names
        ],
        "securities": [
            {
                "cusip": s.cusip,
                "ticker": s.ticker,
                "citation": citation_payload(s.citation),
                "ticker_citation": citation_payload(s.ticker_citation),
            }
            for s in rules.securities
        ],
        "redemption_fee": fee_rule_payload(fee),
        "rules": [_rule_payload(rules, r) for r in rules.rules],
        "former_rules": [_rule_payload(rules, r) for r in rules.former_rules],
        "former_rules_as_of": rules.former_as_of,
        "undated_rules": [_rule_payload(rules, r) for r in rules.undated_rules],
        "events": [
            {
                "date": e.date,
                "kind": e.kind,
                "description": e.description,
                "standing": Standing.DOCUMENTED.value,
                "evidence": e.evidence.value,
                "citation": citation_payload(e.citation),
            }
            for e in rules.events
        ],
        "fee_table": [
            {
                "management_fee": f.management_fee,
                "distribution_fee": f.distribution_fee,
                "other_expenses": f.other_expenses,
                "total_gross": f.total_gross,
                "waivers": f.waivers,
                "total_net": f.total_net,
                "total_gross_used": f"{f.total_gross_used}%",
                "total_net_used": f"{f.total_net_used}%",
                **support_payload(rules.fee_table_support),
                "note_ids": list(f.note_ids),
                "citation": citation_payload(f.citation),
            }
            for f in rules.fee_table
        ],
        "expense_example": [
            {
                "years": e.years,
                "cost": e.cost_printed,
                **support_payload(rules.fee_table_support),
                "citation": citation_payload(e.citation),
            }
            for e in rules.expense_example
        ],
        "distributions": [
            {
                "cusip": d.cusip,
                "period": d.period,
                "record_date": d.record_date,
                "ex_date": d.ex_date,
                "pay_date": d.pay_date,
                "components": d.components,
                "total": d.total,
                "standing": Standing.DOCUMENTED.value,
                "note_ids": list(d.note_ids),
                "citation": citation_payload(d.citation),
            }
            for d in rules.distributions
        ],
        "data_notes": [
            {
                "note_id": n.note_id,
                "title": n.title,
                "printed": n.printed,
                "computed": n.computed,
                "used": n.used,
                "explanation": n.explanation,
                "citation": citation_payload(n.citation),
            }
            for n in rules.data_notes
        ],
        "not_documented": list(rules.not_documented),
    }


def n_support(rules: ClassRules, name: PortfolioName) -> Support:
    """How one stored name is supported on the answer's date."""
    return Support.of_span(name.documented_from, name.documented_to, rules.as_of)


def _rule_payload(rules: ClassRules, rule: Rule) -> dict[str, object]:
    last = rule.documented_to - dt.timedelta(days=1) if rule.documented_to else None
    return {
        "rule_id": rule.rule_id,
        "kind": rule.kind.value,
        "summary": rule.summary,
        "params": rule.params,
        "effective_from": rule.effective_from,
        "effective_to": rule.effective_to,
        "documented_from": rule.documented_from,
        "documented_to": last,
        **support_payload(rule_support(rules, rule)),
        "evidence": rule.evidence.value,
        "evidence_reason": rule.evidence_reason,
        "note_ids": list(rule.note_ids),
        "citation": citation_payload(rule.citation),
    }


def _explanation_payload(explanation: Explanation | None) -> dict[str, object] | None:
    """Why a change happened (a documented event), as JSON."""
    if explanation is None:
        return None
    return {
        "date": explanation.date,
        "when": explanation.when or None,
        "text": explanation.text,
        "line": explanation.line(),
        "citation": citation_payload(explanation.citation),
    }


def changes_payload(report: ChangeReport) -> dict[str, object]:
    """The JSON form of ``changes_between`` (also the window's copy of a change list)."""
    return {
        "portfolio": report.portfolio_name,
        "portfolio_id": report.portfolio_id,
        "share_class": report.share_class.value,
        "from": report.date_from,
        "to": report.date_to,
        "changed": len(report.changes),
        "unchanged": report.unchanged,
        "changes": [
            {
                "topic": c.topic,
                "aspect": c.aspect.value,
                "before": fact_payload(c.before),
                "after": fact_payload(c.after),
                "explained_by": _explanation_payload(c.explained_by),
            }
            for c in report.changes
        ],
        "events": [
            {
                "date": e.date,
                "kind": e.kind,
                "description": e.description,
                "citation": citation_payload(e.citation),
            }
            for e in report.events
        ],
    }
