"""``janus-gui compare`` (classes side by side) and ``janus-gui changes`` (one class, two dates).

Both print readable text, or one JSON document with ``--json``; ``compare`` can also write the
comparison as CSV (``--csv``) and as a printed record (``--pdf``, the window's report code).
Invalid input exits with code 2, a message on stderr and nothing on stdout.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from janus_gui.cli.common import EXIT_OK, add_db, open_repository, parse_date
from janus_gui.cli.output import emit_json
from janus_gui.core import inputs
from janus_gui.core.changes import Change, ChangeReport, changes_between
from janus_gui.core.compare import Comparison, compare_classes, parse_pair
from janus_gui.core.errors import InputError
from janus_gui.core.exchange import ExchangeCheck
from janus_gui.core.json_forms import (
    changes_payload,
    citation_payload,
    fact_payload,
    support_payload,
)
from janus_gui.core.models import Citation, ShareClass
from janus_gui.core.wording import standing_label


def _cite(citation: Citation | None) -> str:
    return f"  [{citation.label()}]" if citation is not None else ""


# -- changes -------------------------------------------------------------------------------------
def _print_change(change: Change) -> None:
    print(f"  {change.topic} ({change.aspect.value} changed)")
    for fact in (change.before, change.after):
        print(
            f"    {fact.as_of.isoformat()} [{standing_label(fact.support)}]: {fact.text}"
            + _cite(fact.citation)
        )


def _print_changes(report: ChangeReport) -> None:
    print(
        f"{report.portfolio_name} — {report.share_class.value} shares: what changed from "
        f"{report.date_from.isoformat()} to {report.date_to.isoformat()}"
    )
    print(f"{len(report.changes)} facts changed; {report.unchanged} unchanged (not listed).")
    heading: str | None = None
    for change in report.changes:
        explained = change.explained_by
        line = explained.line() if explained else "Not explained by a dated event in the sources"
        if line != heading:
            print()
            print(line)
            heading = line
        _print_change(change)
    print()
    if report.events:
        print(f"Events after {report.date_from.isoformat()} through {report.date_to.isoformat()}:")
        for event in report.events:
            print(f"  {event.date.isoformat()}: {event.description}" + _cite(event.citation))
    else:
        print("No dated event in the sources falls between the two dates.")


def _cmd_changes(args: argparse.Namespace) -> int:
    date_from = parse_date(args.from_, what="--from")
    date_to = parse_date(args.to, what="--to")
    share_class = ShareClass.parse(args.share_class)
    repo = open_repository(args.db)
    portfolio = repo.resolve_portfolio(args.portfolio)
    report = changes_between(repo, portfolio.portfolio_id, share_class, date_from, date_to)
    if args.json:
        emit_json(changes_payload(report))
    else:
        _print_changes(report)
    return EXIT_OK


# -- compare -------------------------------------------------------------------------------------
def _exchange_payload(check: ExchangeCheck) -> dict[str, object]:
    return {
        "from": {
            "portfolio_id": check.source.portfolio_id,
            "share_class": check.source.share_class.value,
        },
        "to": {
            "portfolio_id": check.target.portfolio_id,
            "share_class": check.target.share_class.value,
        },
        "allowed": check.allowed,
        "standing": check.standing.value,
        "reason": check.reason,
        "citation": citation_payload(check.citation),
    }


def compare_payload(comparison: Comparison) -> dict[str, object]:
    """The JSON form of ``compare_classes``."""
    return {
        "as_of": comparison.as_of,
        "classes": [
            {
                "portfolio": rules.portfolio_name,
                "portfolio_id": rules.portfolio.portfolio_id,
                "share_class": rules.share_class.value,
            }
            for rules in comparison.classes
        ],
        "rows": [
            {
                "key": row.key,
                "topic": row.topic,
                "differs": row.differs,
                "cells": [
                    {
                        "text": cell.text,
                        **support_payload(cell.support),
                        "facts": [fact_payload(f) for f in cell.facts],
                    }
                    for cell in row.cells
                ],
            }
            for row in comparison.rows
        ],
        "exchanges": [_exchange_payload(c) for c in comparison.exchanges],
        "costs": {
            "amount": comparison.amount,
            "return_rate_percent": comparison.return_percent,
            "basis": comparison.basis,
            "years": list(comparison.years),
            "columns": [
                {
                    "expense_ratio_percent": column.ratio_percent,
                    "costs": (
                        {str(y): c for y, c in column.projection.costs.items()}
                        if column.projection
                        else None
                    ),
                    "difference_from_first": (
                        {str(y): comparison.cost_difference(index, y) for y in comparison.years}
                        if index and column.projection
                        else None
                    ),
                    **support_payload(column.support),
                    "reason": column.reason or None,
                    "citation": citation_payload(column.fact.citation) if column.fact else None,
                }
                for index, column in enumerate(comparison.costs)
            ],
        },
    }


def _print_compare(comparison: Comparison) -> None:
    titles = [comparison.title(i) for i in range(len(comparison.classes))]
    print(f"Compared on {comparison.as_of.isoformat()}: " + " | ".join(titles))
    for row in comparison.rows:
        print()
        print(f"{row.topic}{'  (differs)' if row.differs else ''}")
        for title, cell in zip(titles, row.cells, strict=True):
            cites = f"  [{cell.citations()}]" if cell.citations() else ""
            print(f"  {title} [{standing_label(cell.support)}]: {cell.text}{cites}")
    print()
    print("Exchanges")
    for check in comparison.exchanges:
        print(
            f"  {check.source.share_class.value} ({check.source.portfolio_id}) -> "
            f"{check.target.share_class.value} ({check.target.portfolio_id}): {check.reason}"
            + _cite(check.citation)
        )
    print()
    print(
        f"Cost projection: ${comparison.amount:,} invested, {comparison.return_percent}% a year, "
        f"{comparison.basis} expense ratio (the 1999 example method)"
    )
    for index, (title, column) in enumerate(zip(titles, comparison.costs, strict=True)):
        if column.projection is None:
            print(f"  {title}: {column.reason}")
            continue
        parts = []
        for years in comparison.years:
            cost = column.projection.costs[years]
            diff = comparison.cost_difference(index, years) if index else None
            more = f" ({'+' if diff >= 0 else '-'}${abs(diff):,})" if diff is not None else ""
            parts.append(f"{years}y ${cost:,}{more}")
        print(
            f"  {title} at {column.ratio_percent}% [{standing_label(column.support)}]: "
            + ", ".join(parts)
            + (_cite(column.fact.citation) if column.fact else "")
        )


def _decimal(text: str, what: str, rule: inputs.NumberRule) -> Any:
    try:
        return inputs.parse_number(text.rstrip("%"), rule)
    except ValueError as exc:
        raise inputs.with_field(what, exc) from None


def _years(text: str) -> list[int]:
    try:
        years = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise InputError(
            f"--years must be whole numbers separated by commas, got {text!r}"
        ) from None
    if not years:
        raise InputError("--years is empty")
    return years


def _cmd_compare(args: argparse.Namespace) -> int:
    from janus_gui.core.expenses import EXAMPLE_AMOUNT, EXAMPLE_RETURN

    if not 2 <= len(args.classes) <= 3:
        raise InputError(
            f"compare takes two or three PORTFOLIO/CLASS pairs, got {len(args.classes)}"
        )
    as_of = parse_date(args.as_of, what="--as-of")
    amount = _decimal(args.amount, "--amount", inputs.AMOUNT) if args.amount else EXAMPLE_AMOUNT
    rate = (
        _decimal(args.return_rate, "--return-rate", inputs.RATE)
        if args.return_rate
        else EXAMPLE_RETURN
    )
    repo = open_repository(args.db)
    holdings = [parse_pair(repo, text) for text in args.classes]
    comparison = compare_classes(
        repo,
        holdings,
        as_of,
        amount=amount,
        return_percent=rate,
        years=_years(args.years),
        net=args.net,
    )
    if args.csv:  # files first: one that cannot be written leaves stdout empty
        from janus_gui.core.compare_export import write_csv

        written = write_csv(args.csv, comparison)
        print(f"Wrote the comparison to {written}.", file=sys.stderr)
    if args.pdf:
        from janus_gui.ui import printed

        printed.ensure_gui_application()
        from janus_gui.ui.compare_report import write_pdf

        paper = printed.PaperSize(args.paper) if args.paper else printed.default_paper()
        written = write_pdf(args.pdf, comparison, repo.meta(), paper)
        print(f"Wrote the comparison to {written} ({paper.value} pages).", file=sys.stderr)
    if args.json:
        emit_json(compare_payload(comparison))
    else:
        _print_compare(comparison)
    return EXIT_OK


# -- registration --------------------------------------------------------------------------------
def add_commands(subparsers: Any) -> None:
    """Register the ``compare`` and ``changes`` sub-commands."""
    compare = subparsers.add_parser(
        "compare", help="two or three portfolio/class pairs side by side on one date"
    )
    compare.add_argument(
        "classes",
        nargs="+",
        metavar="PORTFOLIO/CLASS",
        help='two or three classes to compare, each "portfolio id or name/class" '
        '("Overseas/Service II", "P4/Service")',
    )
    compare.add_argument(
        "--as-of",
        required=True,
        metavar="DATE",
        help="the date to compare on, YYYY-MM-DD or M/D/YYYY",
    )
    compare.add_argument(
        "--amount", metavar="USD", help="cost projection: amount invested (default 10000)"
    )
    compare.add_argument(
        "--return-rate", metavar="PCT", help="cost projection: annual return in percent (default 5)"
    )
    compare.add_argument(
        "--years",
        default="1,3,5,10",
        help="cost projection: horizons in years, comma-separated (default 1,3,5,10)",
    )
    compare.add_argument(
        "--net",
        action="store_true",
        help="cost projection: use the expense ratio after waivers instead of the gross total",
    )
    compare.add_argument(
        "--csv",
        metavar="FILE",
        help="also write the comparison as CSV to FILE (replaced in one step)",
    )
    compare.add_argument(
        "--pdf", metavar="FILE", help="also write the comparison as a printed record (PDF) to FILE"
    )
    compare.add_argument(
        "--paper",
        choices=["Letter", "A4"],
        help="page size of --pdf (default: Letter in the US and Canada, A4 elsewhere)",
    )
    compare.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object with every cell, its standing and its source",
    )
    add_db(compare)
    compare.set_defaults(func=_cmd_compare)

    changes = subparsers.add_parser(
        "changes", help="what changed for a portfolio and class between two dates"
    )
    changes.add_argument("portfolio", help="portfolio id (P4) or any current or former name")
    changes.add_argument("share_class", help="Institutional, Service, Service II or Retirement")
    changes.add_argument(
        "--from",
        dest="from_",
        required=True,
        metavar="DATE",
        help="the earlier date, YYYY-MM-DD or M/D/YYYY",
    )
    changes.add_argument(
        "--to", required=True, metavar="DATE", help="the later date, YYYY-MM-DD or M/D/YYYY"
    )
    changes.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object with both values, citations and standings of every change",
    )
    add_db(changes)
    changes.set_defaults(func=_cmd_changes)
