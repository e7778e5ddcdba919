"""The class rule sheet: everything the Class detail tabs show for one class on one date, on paper.

Every fact is printed with its standing on the date (documented, carried from the last
documented day, or not documented), its citation and the quoted source text; the header names
the portfolio, class and as-of date, the footer the app version, the catalog's content hash and
the generation time. The same record is written by the window (File ▸ Export / Print rule sheet)
and by ``janus-gui show PORTFOLIO CLASS --pdf FILE``, through ``ui.printed``.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from janus_gui import APP_NAME, __version__
from janus_gui.core.asof import rule_support
from janus_gui.core.models import (
    Citation,
    ClassEvidence,
    ClassRules,
    Evidence,
    Rule,
    Security,
    Standing,
    Support,
)
from janus_gui.core.repository import Repository
from janus_gui.core.wording import fee_rule_text, standing_label
from janus_gui.ui import printed

FACT_HEADER = ("Fact", "Standing", "Source", "Quoted source text")
FACT_WIDTHS = (40, 18, 14, 28)  # percent; a source label such as 002:123-124 stays on one line
DOCUMENTED = Support(Standing.DOCUMENTED)


def standing_words(support: Support) -> str:
    """The short label, with what a carried or undocumented fact leaves open."""
    if support.standing == Standing.CARRIED and support.documented_on:
        return f"{standing_label(support)} (may have changed since)"
    if support.standing == Standing.NOT_DOCUMENTED and support.text:
        return f"{standing_label(support)} ({support.text})"
    return standing_label(support)


def _row(fact: str, support: Support, citation: Citation | None) -> tuple[str, str, str, str]:
    if citation is None:
        return (fact, standing_words(support), "no source", "")
    return (fact, standing_words(support), citation.label(), citation.quote)


def _facts(rows: Iterable[tuple[str, str, str, str]], empty: str = "None.") -> str:
    listed = list(rows)
    if not listed:
        return f"<p>{html.escape(empty)}</p>"
    return "".join(printed.table_parts(FACT_HEADER, listed, widths=FACT_WIDTHS))


def _inferred(text: str, evidence: Evidence) -> str:
    return f"{text} (inferred)" if evidence == Evidence.INFERRED else text


def _security_rows(security: Security) -> list[tuple[str, str, str, str]]:
    rows = [_row(f"CUSIP {security.cusip}", DOCUMENTED, security.citation)]
    if security.ticker_citation is not None:  # cited where the ticker is printed
        ticker = security.ticker or "not printed (N/A)"
        rows.append(_row(f"Ticker {ticker}", DOCUMENTED, security.ticker_citation))
    return rows


def _rule_rows(rules: ClassRules, shown: Iterable[Rule]) -> list[tuple[str, str, str, str]]:
    rows = []
    for rule in shown:
        kind = rule.kind.value.replace("_", " ").capitalize()
        notes = f" [data notes: {', '.join(rule.note_ids)}]" if rule.note_ids else ""
        text = _inferred(f"{kind}: {rule.summary}{notes}", rule.evidence)
        rows.append(_row(text, rule_support(rules, rule), rule.citation))
    return rows


def _evidence_rows(items: Iterable[ClassEvidence]) -> list[tuple[str, str, str, str]]:
    rows = []
    for item in items:
        when = item.date_from.isoformat()
        if item.date_to is not None:
            when += f" to {item.last_day.isoformat()}"
        text = _inferred(f"{item.kind.value} {when}: {item.reason}", item.evidence)
        rows.append(_row(text, DOCUMENTED, item.citation))
    return rows


def _fee_table_rows(rules: ClassRules) -> list[tuple[str, str, str, str]]:
    support = rules.fee_table_support
    rows = []
    for f in rules.fee_table:
        corrected = ""
        if f.total_gross != f"{f.total_gross_used}%":
            corrected = f" (printed {f.total_gross}; the app uses {f.total_gross_used}%)"
        text = (
            f"Fee table: management {f.management_fee}, 12b-1 {f.distribution_fee}, other "
            f"{f.other_expenses}, total {f.total_gross}{corrected}, waivers {f.waivers}, "
            f"net {f.total_net}"
        )
        rows.append(_row(text, support, f.citation))
    for e in rules.expense_example:
        text = (
            f"Expense example: ${e.cost_printed:,} over {e.years} year{'s' * (e.years > 1)} "
            "($10,000, 5% a year, redeemed at the end)"
        )
        rows.append(_row(text, support, e.citation))
    return rows


def _note_html(rules: ClassRules) -> str:
    if not rules.data_notes:
        return "<p>None.</p>"
    items = []
    for note in rules.data_notes:
        parts = [f"<b>{html.escape(note.note_id)}: {html.escape(note.title)}</b>"]
        for label, value in (
            ("Printed", note.printed),
            ("Computed", note.computed),
            ("Used", note.used),
        ):
            if value:
                parts.append(f"{label}: {html.escape(value)}")
        parts.append(html.escape(note.explanation))
        parts.append(
            f"Source [{html.escape(note.citation.label())}]: “{html.escape(note.citation.quote)}”"
        )
        items.append("<li>" + "<br>".join(parts) + "</li>")
    return f"<ul>{''.join(items)}</ul>"


def record_facts(rules: ClassRules, meta: Mapping[str, str], generated: dt.datetime) -> list:
    """The as-of date, the app and catalog versions and the generation time, labelled."""
    facts = [("As of", rules.as_of.isoformat()), *printed.catalog_facts(meta)]
    facts.append(("Generated (UTC)", generated.isoformat(timespec="seconds")))
    return facts


def sheet_html(
    repo: Repository, rules: ClassRules, meta: Mapping[str, str], generated: dt.datetime
) -> str:
    """The body of the rule sheet as HTML for ``QTextDocument`` (sizes in points)."""
    day = rules.as_of.isoformat()
    name = rules.name
    name_text = name.describe() if name else rules.portfolio_name
    fee = rules.redemption_fee
    status = rules.status
    summary = [
        _row(f"Name: {name_text}", name.support if name else DOCUMENTED, None),
        _row(f"Status: {status.state.value}. {status.text}", status.support, status.citation),
        _row(f"Redemption fee: {fee_rule_text(fee)}", fee.support, fee.citation),
    ]
    if name is not None:
        shown = [n for n in rules.names if n.name == name.name]
        summary[0] = _row(summary[0][0], name.support, shown[-1].citation if shown else None)
    names = [
        _row(
            _inferred(
                f"{n.name} ({n.kind.value}; {n.documented_from} to {n.last_documented})", n.evidence
            ),
            Support.of_span(n.documented_from, n.documented_to, rules.as_of),
            n.citation,
        )
        for n in rules.names
    ]
    identity = [
        ("Portfolio", rules.portfolio_name),
        ("Lineage id", rules.portfolio.portfolio_id),
        ("Category", rules.portfolio.category or "not stated in the sources"),
        ("Objective", rules.portfolio.objective or "not stated in the sources"),
        ("Share class", f"{rules.share_class.value} shares"),
        ("As of", day),
    ]
    evidence = repo.class_evidence(rules.portfolio.portfolio_id, rules.share_class)
    events = [_row(f"{e.date} {e.description}", DOCUMENTED, e.citation) for e in rules.events]
    distributions = [
        _row(
            f"{d.period} (record {d.record_date or 'not printed'}): "
            + (f"${d.total}" if d.total is not None else "no total printed")
            + (f" [data notes: {', '.join(d.note_ids)}]" if d.note_ids else ""),
            DOCUMENTED,
            d.citation,
        )
        for d in rules.distributions
    ]
    former = ""
    if rules.former_rules:
        former = (
            f"<h3>Before it: rules in force on {rules.former_as_of}, not on {day}</h3>"
            + _facts(_rule_rows(rules, rules.former_rules))
        )
    undated = ""
    if rules.undated_rules:
        undated = "<h3>From undated documents (placed on no date)</h3>" + _facts(
            _rule_rows(rules, rules.undated_rules)
        )
    not_documented = "".join(f"<li>{html.escape(line)}</li>" for line in rules.not_documented)
    return "".join(
        [
            "<p style='font-size:16pt; font-weight:bold'>Class rule sheet</p>",
            f"<p style='font-size:13pt; font-weight:bold'>{html.escape(rules.portfolio_name)} — "
            f"{html.escape(rules.share_class.value)} shares, as of {day}</p>",
            "<p>Every fact below carries its standing on this date: <i>documented</i> (a source "
            "speaks for the date), <i>carried</i> (last documented earlier and contradicted by "
            "nothing; it may have changed since) or <i>not documented</i>; and its source, as "
            "document:line, with the quoted text.</p>",
            printed.pairs_table(identity),
            "<h3>On this date</h3>",
            _facts(summary),
            "<h3>CUSIPs and tickers</h3>",
            _facts(
                (r for s in rules.securities for r in _security_rows(s)),
                "No CUSIP or ticker is printed for this class in any source.",
            ),
            "<h3>Names over time</h3>",
            _facts(names),
            "<h3>When the class is documented</h3>",
            _facts(_evidence_rows(evidence)),
            f"<h3>Rules in force on {day}</h3>",
            _facts(_rule_rows(rules, rules.rules), "None: no rule of this class is in force."),
            former,
            undated,
            "<h3>Fees and expenses</h3>",
            _facts(_fee_table_rows(rules), "No fee table speaks for this class."),
            "<h3>Events</h3>",
            _facts(events),
            "<h3>Distributions</h3>",
            _facts(distributions),
            "<h3>Data notes</h3>",
            _note_html(rules),
            "<h3>Not documented on this date</h3>",
            f"<ul>{not_documented}</ul>" if not_documented else "<p>Nothing listed.</p>",
            "<h3>Record</h3>",
            printed.pairs_table(record_facts(rules, meta, generated)),
        ]
    )


def rule_sheet(
    repo: Repository, rules: ClassRules, generated: dt.datetime | None = None
) -> printed.PagedRecord:
    """The rule sheet as a printable record."""
    meta = repo.meta()
    when = generated or dt.datetime.now(dt.UTC)
    day = rules.as_of.isoformat()
    return printed.PagedRecord(
        title=f"Class rule sheet: {rules.portfolio_name}, {rules.share_class.value}, {day}",
        header=f"Class rule sheet · {rules.portfolio_name} · {rules.share_class.value} · "
        f"as of {day}",
        footer_lines=(
            f"{APP_NAME} {__version__} · generated {when.strftime('%Y-%m-%d %H:%M:%S UTC')}",
            f"Database content SHA-256 {meta.get('content_sha256', 'unknown')}",
        ),
        body_html=sheet_html(repo, rules, meta, when),
    )


def write_pdf(
    path: Path | str, repo: Repository, rules: ClassRules, paper: printed.PaperSize | None = None
) -> Path:
    """Write the rule sheet as PDF (atomically); Letter or A4, by default from the locale."""
    return printed.write_pdf(path, rule_sheet(repo, rules), paper)


def suggested_name(rules: ClassRules) -> str:
    """``Overseas-ServiceII-2012-04-20-rules.pdf``."""
    from janus_gui.ui.workspace.report import short_portfolio_name

    class_part = re.sub(r"[^A-Za-z0-9]+", "", rules.share_class.value) or "Class"
    return (
        f"{short_portfolio_name(rules.portfolio_name)}-{class_part}-"
        f"{rules.as_of.isoformat()}-rules.pdf"
    )
