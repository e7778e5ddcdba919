"""The ``janus-gui`` command: no sub-command opens the window; sub-commands run headless."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from janus_gui import __version__
from janus_gui.cli_common import (
    EXIT_INVALID,
    EXIT_NO_MATCH,
    EXIT_OK,
    citation_payload,
    emit_json,
    fail,
    open_repository,
    parse_date,
)
from janus_gui.core.errors import JanusError
from janus_gui.core.models import Citation, ClassRules, FeeRule, SearchResult, ShareClass

logger = logging.getLogger(__name__)


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors on stderr with exit code 2 and no traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        fail(message, EXIT_INVALID)


# -- lookup ------------------------------------------------------------------------------------
def _lookup_payload(result: SearchResult) -> dict[str, object]:
    return {
        "query": result.query,
        "interpreted_as": result.kind,
        "normalized": result.normalized,
        "message": result.message,
        "matches": [
            {
                "portfolio": m.portfolio,
                "portfolio_id": m.portfolio_id,
                "share_class": m.share_class.value if m.share_class else None,
                "cusip": m.cusip,
                "ticker": m.ticker,
                "matched_on": m.matched_on,
                "matched_text": m.matched_text,
            }
            for m in result.matches
        ],
    }


def _print_lookup(result: SearchResult) -> None:
    if result.message:
        print(result.message)
    if not result.matches:
        print(f"No match for {result.query!r}.")
        return
    print(f"{'Portfolio':44} {'Class':13} {'CUSIP':10} {'Ticker':7} Matched on")
    for m in result.matches:
        share_class = m.share_class.value if m.share_class else "-"
        print(
            f"{m.portfolio[:44]:44} {share_class:13} {m.cusip or '-':10} {m.ticker or '-':7} "
            f"{m.matched_on} ({m.matched_text})"
        )


def _cmd_lookup(args: argparse.Namespace) -> int:
    from janus_gui.core.lookup import search

    repo = open_repository(args.db)
    as_of = parse_date(args.as_of, what="--as-of") if args.as_of else None
    result = search(repo, args.query, as_of=as_of)
    if args.json:
        emit_json(_lookup_payload(result))
    else:
        _print_lookup(result)
    return EXIT_OK if result.matches else EXIT_NO_MATCH


# -- show --------------------------------------------------------------------------------------
def show_payload(rules: ClassRules) -> dict[str, object]:
    """The JSON form of ``class_rules`` (also used by the window's copy-as-JSON)."""
    fee = rules.redemption_fee
    return {
        "portfolio": rules.portfolio_name,
        "portfolio_id": rules.portfolio.portfolio_id,
        "share_class": rules.share_class.value,
        "as_of": rules.as_of.isoformat(),
        "category": rules.portfolio.category,
        "status": {
            "state": rules.status.state.value,
            "text": rules.status.text,
            "citation": citation_payload(rules.status.citation),
        },
        "names": [
            {
                "name": n.name,
                "from": n.effective_from,
                "to": n.effective_to,
                "evidence": n.evidence.value,
                "evidence_reason": n.evidence_reason,
                "citation": citation_payload(n.citation),
            }
            for n in rules.names
        ],
        "securities": [
            {"cusip": s.cusip, "ticker": s.ticker, "citation": citation_payload(s.citation)}
            for s in rules.securities
        ],
        "redemption_fee": {
            "applies": fee.applies,
            "documented": fee.documented,
            "rate": fee.rate,
            "holding_period_days": fee.holding_period_days,
            "lot_order": fee.lot_order if fee.applies else None,
            "base": fee.base if fee.applies else None,
            "recipient": fee.recipient or None,
            "reason": fee.reason,
            "evidence": fee.evidence.value,
            "citation": citation_payload(fee.citation),
        },
        "rules": [
            {
                "rule_id": r.rule_id,
                "kind": r.kind.value,
                "summary": r.summary,
                "params": r.params,
                "effective_from": r.effective_from,
                "effective_to": r.effective_to,
                "evidence": r.evidence.value,
                "evidence_reason": r.evidence_reason,
                "note_ids": list(r.note_ids),
                "citation": citation_payload(r.citation),
            }
            for r in rules.rules
        ],
        "events": [
            {
                "date": e.date,
                "kind": e.kind,
                "description": e.description,
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
                "note_ids": list(f.note_ids),
                "citation": citation_payload(f.citation),
            }
            for f in rules.fee_table
        ],
        "expense_example": [
            {"years": e.years, "cost": e.cost_printed, "citation": citation_payload(e.citation)}
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


def _print_show(rules: ClassRules) -> None:
    fee = rules.redemption_fee
    print(f"{rules.portfolio_name} — {rules.share_class.value} shares, as of {rules.as_of}")
    category = rules.portfolio.category or "not stated in the sources"
    print(f"  Portfolio id {rules.portfolio.portfolio_id}; category: {category}")
    print(f"  Status: {rules.status.text}" + _cite(rules.status.citation))
    for s in rules.securities:
        print(f"  CUSIP {s.cusip}  ticker {s.ticker or 'none printed'}" + _cite(s.citation))
    print("  Names:")
    for n in rules.names:
        period = f"{n.effective_from or '?'} to {n.effective_to or 'open'}"
        print(f"    {n.name} ({period}; {n.evidence.value})" + _cite(n.citation))
    print("  Redemption fee: " + _fee_text(fee) + _cite(fee.citation))
    print("  Rules in force:")
    for r in rules.rules:
        notes = f" [data notes: {', '.join(r.note_ids)}]" if r.note_ids else ""
        print(f"    [{r.kind.value}] {r.summary}{notes}" + _cite(r.citation))
    for f in rules.fee_table:
        print(
            f"  1999 fee table: management {f.management_fee}, 12b-1 {f.distribution_fee}, "
            f"other {f.other_expenses}, total {f.total_gross}, waivers {f.waivers}, "
            f"net {f.total_net}" + _cite(f.citation)
        )
    for e in rules.events:
        print(f"  Event {e.date}: {e.description}" + _cite(e.citation))
    for d in rules.distributions:
        total = d.total if d.total is not None else "not printed"
        print(f"  Distribution {d.period} (record {d.record_date}): {total}" + _cite(d.citation))
    for note in rules.data_notes:
        print(f"  ⚠ Data note {note.note_id}: {note.title} — {note.explanation}")
    for line in rules.not_documented:
        print(f"  Not documented: {line}")


def _fee_text(fee: FeeRule) -> str:
    if not fee.applies:
        return fee.reason
    return (
        f"{fee.rate * 100:.2f}% on shares held {fee.holding_period_days} days or less "
        f"(fee that may apply), {fee.lot_order}, on the {fee.base}, paid to the {fee.recipient}"
    )


def _cite(citation: Citation | None) -> str:
    return f"  [{citation.label()}]" if citation is not None else ""


def _cmd_show(args: argparse.Namespace) -> int:
    from janus_gui.core.asof import class_rules

    repo = open_repository(args.db)
    portfolio = repo.resolve_portfolio(args.portfolio)
    share_class = ShareClass.parse(args.share_class)
    as_of = parse_date(args.as_of, what="--as-of") if args.as_of else repo.documented_range()[1]
    rules = class_rules(repo, portfolio.portfolio_id, share_class, as_of)
    if args.json:
        emit_json(show_payload(rules))
    else:
        _print_show(rules)
    return EXIT_OK


# -- build-db ----------------------------------------------------------------------------------
def _cmd_build_db(args: argparse.Namespace) -> int:
    try:
        from janus_gui.dbbuild.__main__ import main as build_main
    except ImportError:  # the packaged app ships without the builder
        fail(
            "build-db is not available in the packaged app; run `janus-gui build-db` from a "
            "source checkout or an installed wheel"
        )
    return build_main(["--out", args.out] if args.out else [])


# -- parser ------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (sub-commands from this module and the calculators)."""
    parser = _Parser(
        prog="janus-gui",
        description="Janus Aspen Series share-class rules desk. Without a sub-command, opens the "
        "window.",
    )
    parser.add_argument("--version", action="version", version=f"janus-gui {__version__}")
    parser.add_argument(
        "--self-test", action="store_true", help="check the database, engine and window; exit 0/1"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    lookup = sub.add_parser("lookup", help="find a portfolio and class by CUSIP, ticker or name")
    lookup.add_argument("query")
    lookup.add_argument("--as-of", metavar="YYYY-MM-DD")
    lookup.add_argument("--json", action="store_true")
    lookup.add_argument("--db", help="catalog database (default: the bundled one)")
    lookup.set_defaults(func=_cmd_lookup)

    show = sub.add_parser("show", help="everything known for a portfolio and class on a date")
    show.add_argument("portfolio", help="portfolio id (P4) or any current or former name")
    show.add_argument("share_class", help="Institutional, Service, Service II or Retirement")
    show.add_argument("--as-of", metavar="YYYY-MM-DD")
    show.add_argument("--json", action="store_true")
    show.add_argument("--db", help="catalog database (default: the bundled one)")
    show.set_defaults(func=_cmd_show)

    build = sub.add_parser("build-db", help="rebuild the catalog database from data/")
    build.add_argument("--out", help="output path (default: data/janus.sqlite)")
    build.set_defaults(func=_cmd_build_db)

    try:
        from janus_gui import cli_calc
    except ImportError:  # calculators not installed in this build
        logger.debug("calculator commands unavailable")
    else:
        cli_calc.add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``janus-gui`` and ``python -m janus_gui``."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or arguments == ["--exit-after-paint"]:
        from janus_gui.app import main as app_main

        return app_main(arguments)
    args = build_parser().parse_args(arguments)
    from janus_gui.core.safe_write import install_signal_cleanup

    install_signal_cleanup()  # SIGTERM/SIGHUP mid-write leave no temporary file behind
    if args.self_test:
        from janus_gui.selftest import run_self_test

        return run_self_test()
    if not getattr(args, "func", None):
        fail("choose a command; see `janus-gui --help`")
    try:
        return int(args.func(args))
    except JanusError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `janus-gui show ... | head`: the reader left; not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
