"""One class on one date as a flat list of facts, each with its citation and standing.

``compare`` (classes side by side), ``changes`` (one class on two dates) and the window's
"Copy" all read the same list, so a fact reads the same wherever it appears. A fact's ``value``
is what comparisons look at: the substance (a rule's parameters, a status, a rate), never the
date-laden wording of ``text``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from janus_gui.core.asof import rule_support
from janus_gui.core.models import (
    Citation,
    ClassRules,
    FeeRule,
    FeeTableRow,
    NameKind,
    Rule,
    RuleKind,
    Standing,
    Support,
)
from janus_gui.core.wording import fee_rule_text, standing_label

RULE_TOPICS: dict[RuleKind, str] = {
    RuleKind.ELIGIBILITY: "Eligibility",
    RuleKind.PURPOSE: "Purpose",
    RuleKind.DISTRIBUTION_FEE: "12b-1 distribution fee",
    RuleKind.ADMIN_FEE: "Administration fee",
    RuleKind.SALES_CHARGE: "Sales charge",
    RuleKind.REDEMPTION_FEE: "Redemption-fee rule text",
    RuleKind.EXCHANGE: "Exchange privilege",
    RuleKind.CONVERSION: "Conversion",
    RuleKind.MANAGEMENT_FEE: "Management fee",
    RuleKind.EXPENSE_LIMIT: "Expense limit",
    RuleKind.PRICING: "Pricing",
    RuleKind.REDEMPTION: "Redemptions",
    RuleKind.DISTRIBUTION_POLICY: "Distribution policy",
    RuleKind.CLASS_EXPENSES: "Class expenses",
    RuleKind.OTHER: "Other rule",
}
IDENTIFIER_SUPPORT = Support(Standing.DOCUMENTED, text="identifier as printed (not dated)")


@dataclass(frozen=True, slots=True)
class Fact:
    """One fact about a class on a date: what it says, where it comes from, how well."""

    key: str  # stable across dates and classes: "status", "rule:eligibility:<id>", ...
    topic: str  # what the fact is about, in words
    text: str  # the fact in words
    citation: Citation | None
    support: Support
    value: str  # what comparisons look at
    as_of: dt.date
    note_ids: tuple[str, ...] = ()

    @property
    def standing(self) -> Standing:
        """How the sources support the fact on its date."""
        return self.support.standing


def fee_rule_value(fee: FeeRule) -> str:
    """The substance of a fee rule: whether it applies, its rate and window (or why not)."""
    if not fee.documented:
        return "cannot be determined"
    if not fee.applies:
        return "no fee"
    return f"{fee.rate}|{fee.holding_period_days}|{fee.lot_order}|{fee.base}"


def rule_value(rule: Rule) -> str:
    """A rule's substance: its parameters when it has any, else its summary."""
    if rule.params:
        return "; ".join(f"{k}={v}" for k, v in sorted(rule.params.items()))
    return rule.summary


def fee_table_text(row: FeeTableRow) -> str:
    """A 1999 fee-table row as printed, with the corrected total when the app uses another."""
    corrected = ""
    if row.total_gross != f"{row.total_gross_used}%":
        corrected = f" (printed {row.total_gross}; the app uses {row.total_gross_used}%)"
    return (
        f"management {row.management_fee}, 12b-1 {row.distribution_fee}, other "
        f"{row.other_expenses}, total {row.total_gross}{corrected}, waivers {row.waivers}, "
        f"net {row.total_net}"
    )


def class_facts(rules: ClassRules) -> list[Fact]:
    """Every fact the catalog states for one class on one date, in a stable order."""
    on = rules.as_of
    facts = [
        Fact(
            "status",
            "Class status",
            rules.status.text,
            rules.status.citation,
            rules.status.support,
            f"{rules.status.state.value}|{rules.status.converted_into or ''}",
            on,
        )
    ]
    if rules.name is not None:
        facts.append(
            Fact(
                "name",
                "Portfolio name",
                rules.name.describe(),
                _name_citation(rules),
                rules.name.support,
                rules.name.display(),
                on,
            )
        )
    for security in rules.securities:
        text = f"CUSIP {security.cusip}, ticker {security.ticker or 'none printed'}"
        facts.append(
            Fact(
                f"identifier:{security.cusip}",
                "Identifier",
                text,
                security.citation,
                IDENTIFIER_SUPPORT,
                text,
                on,
                security.note_ids,
            )
        )
    fee = rules.redemption_fee
    facts.append(
        Fact(
            "redemption_fee",
            "Redemption fee",
            fee_rule_text(fee),
            fee.citation,
            fee.support,
            fee_rule_value(fee),
            on,
        )
    )
    for rule in rules.rules:
        facts.append(rule_fact(rules, rule))
    for row in rules.fee_table:
        facts.extend(fee_table_facts(rules, row))
    for example in rules.expense_example:
        plural = "s" if example.years > 1 else ""
        facts.append(
            Fact(
                f"expense_example:{example.years}",
                f"1999 expense example, {example.years} year{plural}",
                f"${example.cost_printed:,} over {example.years} year{plural} ($10,000, 5% a "
                "year, redeemed at the end)",
                example.citation,
                rules.fee_table_support,
                str(example.cost_printed),
                on,
            )
        )
    return facts


def _name_citation(rules: ClassRules) -> Citation | None:
    """Where the name shown for the date is printed (the record nearest before the date)."""
    assert rules.name is not None
    printed = [n for n in rules.names if n.kind == NameKind.LEGAL and n.name == rules.name.name]
    if not printed:
        return None
    on_or_before = [n for n in printed if n.documented_from <= rules.as_of]
    chosen = max(on_or_before, key=lambda n: n.documented_from) if on_or_before else printed[0]
    return chosen.citation


def rule_fact(rules: ClassRules, rule: Rule) -> Fact:
    """One rule in force as a fact."""
    return Fact(
        f"rule:{rule.kind.value}:{rule.rule_id}",
        RULE_TOPICS.get(rule.kind, rule.kind.value),
        rule.summary,
        rule.citation,
        rule_support(rules, rule),
        rule_value(rule),
        rules.as_of,
        rule.note_ids,
    )


def fee_table_facts(rules: ClassRules, row: FeeTableRow) -> list[Fact]:
    """A fee-table row as three facts: the row as printed, the gross and the net total used."""
    support = rules.fee_table_support
    notes = f" (data notes: {', '.join(row.note_ids)})" if row.note_ids else ""
    return [
        Fact(
            "fee_table:row",
            "1999 fee table",
            fee_table_text(row) + notes,
            row.citation,
            support,
            fee_table_text(row),
            rules.as_of,
            row.note_ids,
        ),
        Fact(
            "fee_table:gross",
            "Total expenses, gross",
            f"{row.total_gross_used}%{notes}",
            row.citation,
            support,
            str(row.total_gross_used),
            rules.as_of,
            row.note_ids,
        ),
        Fact(
            "fee_table:net",
            "Total expenses, net of waivers",
            f"{row.total_net_used}%{notes}",
            row.citation,
            support,
            str(row.total_net_used),
            rules.as_of,
            row.note_ids,
        ),
    ]


def shown_facts(rules: ClassRules) -> list[Fact]:
    """``class_facts`` plus what the window shows beside them: former and undated rules, every
    stored name, events and distributions, each with its own standing."""
    facts = class_facts(rules)
    former_on = rules.former_as_of or rules.as_of
    for rule in rules.former_rules:
        topic = RULE_TOPICS.get(rule.kind, rule.kind.value)
        facts.append(
            Fact(
                f"former:{rule.kind.value}:{rule.rule_id}",
                f"{topic} (in force on {former_on.isoformat()})",
                rule.summary,
                rule.citation,
                rule.support(former_on),
                rule_value(rule),
                rules.as_of,
                rule.note_ids,
            )
        )
    for rule in rules.undated_rules:
        facts.append(
            Fact(
                f"undated:{rule.kind.value}:{rule.rule_id}",
                f"{RULE_TOPICS.get(rule.kind, rule.kind.value)} (undated document)",
                rule.summary,
                rule.citation,
                Support(Standing.NOT_DOCUMENTED, text="from an undated document"),
                rule_value(rule),
                rules.as_of,
                rule.note_ids,
            )
        )
    for name in rules.names:
        period = f"{name.documented_from.isoformat()} to {name.last_documented.isoformat()}"
        facts.append(
            Fact(
                f"name:{name.name}:{name.documented_from}",
                f"Name ({name.kind.value}, {period})",
                name.name,
                name.citation,
                Support.of_span(name.documented_from, name.documented_to, rules.as_of),
                name.name,
                rules.as_of,
                name.note_ids,
            )
        )
    for event in rules.events:
        facts.append(
            Fact(
                f"event:{event.event_id}",
                f"Event {event.date.isoformat()}",
                event.description,
                event.citation,
                Support(Standing.DOCUMENTED, event.date),
                event.description,
                rules.as_of,
                event.note_ids,
            )
        )
    for item in rules.distributions:
        total = str(item.total) if item.total is not None else "not printed"
        facts.append(
            Fact(
                f"distribution:{item.distribution_id}",
                f"Distribution {item.period}",
                f"{total} per share (CUSIP {item.cusip}, record date "
                f"{item.record_date.isoformat() if item.record_date else 'not printed'})",
                item.citation,
                Support(Standing.DOCUMENTED, item.record_date),
                total,
                rules.as_of,
                item.note_ids,
            )
        )
    return facts


def fact_for_citation(facts: list[Fact], citation: Citation, text: str = "") -> Fact | None:
    """The fact shown with ``citation`` (the one whose text is ``text``, when several are)."""
    cited = [f for f in facts if f.citation == citation]
    if text:
        for fact in cited:
            if fact.text == text or text in fact.text or fact.text in text:
                return fact
    return cited[0] if cited else None


# -- copying a fact --------------------------------------------------------------------------
def copy_plain(fact: Fact) -> str:
    """A fact as plain text: the fact, its quote, ``file:lines``, standing and date."""
    lines = [f"{fact.topic}: {fact.text}"]
    if fact.citation is not None:
        lines.append(f'Quote: "{fact.citation.quote}"')
        lines.append(
            f"Source: {fact.citation.label()} ({fact.citation.source_file}, lines "
            f"{fact.citation.line_start}-{fact.citation.line_end})"
        )
    else:
        lines.append("Source: none (the sources state nothing for this)")
    lines.append(f"Standing: {standing_label(fact.support)}; as of {fact.as_of.isoformat()}")
    return "\n".join(lines)


def copy_markdown(fact: Fact) -> str:
    """A fact as Markdown: the fact in bold, the quote as a block quote, source and standing."""
    lines = [f"**{_md(fact.topic)}:** {_md(fact.text)}", ""]
    if fact.citation is not None:
        lines.append(f"> {_md(fact.citation.quote)}")
        lines.append("")
        lines.append(
            f"Source: `{fact.citation.label()}` ({_md(fact.citation.source_file)}, lines "
            f"{fact.citation.line_start}-{fact.citation.line_end}) · "
            f"{standing_label(fact.support)} · as of {fact.as_of.isoformat()}"
        )
    else:
        lines.append(
            f"Source: none · {standing_label(fact.support)} · as of {fact.as_of.isoformat()}"
        )
    return "\n".join(lines)


_MD_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>|"})


def _md(text: str) -> str:
    return " ".join(text.split()).translate(_MD_SPECIAL)
