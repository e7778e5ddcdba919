"""The catalog commands: ``lookup`` (one query or a list), ``show`` and ``build-db``."""

from __future__ import annotations

import argparse
import codecs
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from janus_gui.cli import common
from janus_gui.cli.common import (
    EXIT_NO_MATCH,
    EXIT_OK,
    EXIT_SOME_FAILED,
    UsageError,
    fail,
    parse_date,
)
from janus_gui.cli.output import cite, emit_json
from janus_gui.core.errors import InputError
from janus_gui.core.identifiers import isin_from_cusip
from janus_gui.core.json_forms import citation_payload, class_rules_payload
from janus_gui.core.models import (
    Citation,
    ClassRules,
    Rule,
    SearchResult,
    Security,
    ShareClass,
)
from janus_gui.core.wording import fee_rule_text, standing_label

if TYPE_CHECKING:
    from janus_gui.core.lookup import Resolved


def add_commands(sub: Any) -> None:
    """Register ``lookup``, ``show`` and ``build-db``."""
    lookup = sub.add_parser("lookup", help="find a portfolio and class by CUSIP, ticker or name")
    lookup.add_argument(
        "query",
        nargs="?",
        metavar="QUERY",
        help="a CUSIP (471021709, 8 characters, spaces allowed), a US ISIN (US4710217096), "
        "a ticker (JAIG) or any current or former portfolio name",
    )
    lookup.add_argument(
        "--input",
        metavar="FILE",
        help="resolve a list instead: one query per line from FILE (- reads standard input); "
        "writes one CSV row per query; exit 0 all resolved, 3 some did not, 2 unusable input",
    )
    lookup.add_argument(
        "--column",
        metavar="NAME",
        help="with --input: FILE is a CSV file with a header row; read the queries from the "
        "column NAME",
    )
    lookup.add_argument(
        "--output",
        metavar="FILE",
        help="with --input: write the rows to FILE (replaced in one step) instead of "
        "standard output",
    )
    lookup.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="show portfolio names in force on this date (default: the last documented date)",
    )
    lookup.add_argument(
        "--json",
        action="store_true",
        help="print JSON: one object for QUERY, or one object per line (JSON lines) with --input",
    )
    lookup.add_argument("--db", help="catalog database (default: the bundled one)")
    lookup.set_defaults(func=_cmd_lookup)

    show = sub.add_parser("show", help="everything known for a portfolio and class on a date")
    show.add_argument(
        "portfolio",
        help="what you would type into lookup: a portfolio id (P4), any current or former name "
        "or an unambiguous part of one, a CUSIP, ISIN or ticker",
    )
    show.add_argument(
        "share_class",
        nargs="?",
        help="Institutional, Service, Service II or Retirement (optional after a CUSIP, "
        "ISIN or ticker, which names its class)",
    )
    show.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="the date the rules apply on (default: the last documented date); M/D/YYYY also works",
    )
    show.add_argument(
        "--json", action="store_true", help="print one JSON object with every fact and its source"
    )
    show.add_argument(
        "--pdf",
        metavar="FILE",
        help="also write the class rule sheet (every fact, its standing and source) as PDF, "
        "the window's File > Export rule sheet",
    )
    show.add_argument(
        "--paper",
        choices=["Letter", "A4"],
        help="page size of --pdf (default: Letter in the US and Canada, A4 elsewhere)",
    )
    show.add_argument("--db", help="catalog database (default: the bundled one)")
    show.set_defaults(func=_cmd_show)

    build = sub.add_parser(
        "build-db", help="rebuild the catalog database from the bundled sources and seed facts"
    )
    build.add_argument(
        "--out",
        "--output",
        dest="out",
        metavar="FILE",
        help="database file to write (default in a source checkout: data/janus.sqlite; "
        "required on an installed copy, which is never rewritten). Needs the build extra: "
        "pip install 'janus-gui[build]'",
    )
    build.set_defaults(func=_cmd_build_db)


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
                "isin": isin_from_cusip(m.cusip) if m.cusip else None,  # derived, not sourced
                "ticker": m.ticker,
                "ticker_citation": citation_payload(m.ticker_citation),
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
        source = _cite(m.ticker_citation) if m.matched_on == "ticker" else ""
        print(
            f"{m.portfolio[:44]:44} {share_class:13} {m.cusip or '-':10} {m.ticker or '-':7} "
            f"{m.matched_on} ({m.matched_text}){source}"
        )


def _cmd_lookup(args: argparse.Namespace) -> int:
    from janus_gui.core.lookup import search

    if (args.query is None) == (args.input is None):
        raise UsageError("give one QUERY, or --input FILE (or - for standard input) for a list")
    if args.input is None and (args.column or args.output):
        raise UsageError("--column and --output go with --input")
    if args.input is not None:
        return _lookup_list(args)
    repo = common.open_repository(args.db)
    as_of = parse_date(args.as_of, what="--as-of") if args.as_of else None
    result = search(repo, args.query, as_of=as_of)
    if args.json:
        emit_json(_lookup_payload(result))
    else:
        _print_lookup(result)
    return EXIT_OK if result.matches else EXIT_NO_MATCH


# -- lookup --input ----------------------------------------------------------------------------
MAX_INPUT_BYTES = 64 * 1024 * 1024


def _read_query_text(source: str) -> str:
    """The text of ``--input`` (a file, or ``-`` for standard input), decoded strictly."""
    if source == "-":
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        name = "standard input"
    else:
        from janus_gui.core.input_files import open_input

        # a folder, FIFO or device is named; the size limit applies before reading
        with open_input(
            Path(source).expanduser(), what="--input file", max_bytes=MAX_INPUT_BYTES
        ) as handle:
            data = handle.read()
        name = source
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{name} is larger than {MAX_INPUT_BYTES // 2**20} MB; split the list")
    if b"\0" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(f"{name} is not a text file (it holds NUL bytes)")
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name} is not UTF-8 text (byte {exc.start + 1}); save it as UTF-8 and retry"
        ) from None


def _lookup_list(args: argparse.Namespace) -> int:
    from janus_gui.core.lookup_list import (
        ListStatus,
        read_queries,
        records_csv,
        records_json_lines,
        resolve_queries,
    )
    from janus_gui.core.safe_write import write_text as atomic_write_text

    as_of = parse_date(args.as_of, what="--as-of") if args.as_of else None
    queries = read_queries(_read_query_text(args.input), args.column)
    repo = common.open_repository(args.db)
    resolved = list(resolve_queries(repo, queries, as_of))
    text = records_json_lines(resolved) if args.json else records_csv(resolved)
    if args.output:
        try:
            atomic_write_text(args.output, text)
        except OSError as exc:
            raise InputError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(text)
    counts = Counter(item.status for item in resolved)
    written = f"; written to {args.output}" if args.output else ""
    print(
        f"{len(resolved)} queries: {counts[ListStatus.OK]} resolved, "
        f"{counts[ListStatus.AMBIGUOUS]} ambiguous, {counts[ListStatus.NO_MATCH]} no match, "
        f"{counts[ListStatus.INVALID]} invalid{written}",
        file=sys.stderr,
    )
    return EXIT_OK if counts[ListStatus.OK] == len(resolved) else EXIT_SOME_FAILED


# -- show --------------------------------------------------------------------------------------
def _print_show(rules: ClassRules) -> None:
    fee = rules.redemption_fee
    name = rules.name
    assert name is not None
    print(f"{rules.portfolio_name} — {rules.share_class.value} shares, as of {rules.as_of}")
    print(f"  Name: {name.describe()}  [{standing_label(name.support)}]")
    if name.labels:
        print(f"  Also printed as: {', '.join(name.labels)} (table label)")
    category = rules.portfolio.category or "not stated in the sources"
    print(f"  Portfolio id {rules.portfolio.portfolio_id}; category: {category}")
    print(
        f"  Status: {rules.status.state.value} [{standing_label(rules.status.support)}] "
        f"{rules.status.text}" + _cite(rules.status.citation)
    )
    for s in rules.securities:
        print(
            f"  CUSIP {s.cusip}"
            + _cite(s.citation)
            + f"  ticker {_ticker_text(s)}"
            + _cite(s.ticker_citation)
        )
    print("  Names (the dates each source speaks for):")
    for n in rules.names:
        period = f"{n.documented_from} to {n.last_documented}"
        print(f"    {n.name} ({n.kind.value}; {period}; {n.evidence.value})" + _cite(n.citation))
    print(
        f"  Redemption fee [{standing_label(fee.support)}]: "
        + fee_rule_text(fee)
        + _cite(fee.citation)
    )
    print("  Rules in force:" if rules.rules else "  Rules in force: none")
    _print_rules(rules, rules.rules)
    if rules.former_rules:
        print(f"  Before it (rules in force on {rules.former_as_of}, not now):")
        _print_rules(rules, rules.former_rules)
    if rules.undated_rules:
        print("  From undated documents (placed on no date):")
        _print_rules(rules, rules.undated_rules)
    _print_fee_table(rules)
    for e in rules.events:
        print(f"  Event {e.date}: {e.description}" + _cite(e.citation))
    for d in rules.distributions:
        total = d.total if d.total is not None else "not printed"
        when = f"record {d.record_date}" if d.record_date else "year total"
        print(f"  Distribution {d.period} ({when}): {total} per share" + _cite(d.citation))
    for note in rules.data_notes:
        print(f"  ⚠ Data note {note.note_id}: {note.title} — {note.explanation}")
    for line in rules.not_documented:
        print(f"  Not documented: {line}")


def _ticker_text(security: Security) -> str:
    """The ticker, or how the sources leave it out (printed as "N/A", or not at all)."""
    if security.ticker:
        return security.ticker
    return "not printed (N/A)" if security.ticker_citation else "none printed"


def _print_rules(rules: ClassRules, shown: tuple[Rule, ...]) -> None:
    from janus_gui.core.asof import rule_support

    for r in shown:
        notes = f" [data notes: {', '.join(r.note_ids)}]" if r.note_ids else ""
        label = standing_label(rule_support(rules, r))
        print(f"    [{r.kind.value}] [{label}] {r.summary}{notes}" + _cite(r.citation))


def _print_fee_table(rules: ClassRules) -> None:
    label = standing_label(rules.fee_table_support)
    for f in rules.fee_table:
        corrected = ""
        if f.total_gross != f"{f.total_gross_used}%":
            corrected = f" (printed {f.total_gross}; the app uses {f.total_gross_used}%)"
        print(
            f"  1999 fee table [{label}]: management {f.management_fee}, 12b-1 "
            f"{f.distribution_fee}, other {f.other_expenses}, total {f.total_gross}{corrected}, "
            f"waivers {f.waivers}, net {f.total_net}" + _cite(f.citation)
        )
    for e in rules.expense_example:
        print(
            f"  1999 expense example [{label}]: ${e.cost_printed:,} over {e.years} "
            f"year{'s' if e.years > 1 else ''} ($10,000, 5% a year, redeemed at the end)"
            + _cite(e.citation)
        )


def _cite(citation: Citation | None) -> str:
    return cite(citation, gap="  ")


def _show_class(typed: str | None, resolved: Resolved) -> ShareClass:
    """The class asked for; a CUSIP, ISIN or ticker already names one, and must agree."""
    if typed is None:
        if resolved.share_class is None:
            fail(
                f"which class of {resolved.portfolio.portfolio_id}? add one of: "
                + ", ".join(c.value for c in ShareClass)
            )
        return resolved.share_class
    share_class = ShareClass.parse(typed)
    if resolved.share_class is not None and resolved.share_class != share_class:
        fail(
            f"that {resolved.how} identifies {resolved.share_class.value} Shares, not "
            f"{share_class.value} Shares; give the portfolio's name or id to see another class"
        )
    return share_class


def _cmd_show(args: argparse.Namespace) -> int:
    from janus_gui.core.asof import class_rules
    from janus_gui.core.lookup import resolve

    repo = common.open_repository(args.db)
    as_of = parse_date(args.as_of, what="--as-of") if args.as_of else repo.documented_range()[1]
    resolved = resolve(repo, args.portfolio, as_of)
    share_class = _show_class(args.share_class, resolved)
    rules = class_rules(repo, resolved.portfolio.portfolio_id, share_class, as_of)
    if args.pdf:  # first: a file that cannot be written leaves stdout empty
        _write_rule_sheet(args, repo, rules)
    if args.json:
        emit_json(class_rules_payload(rules))
    else:
        _print_show(rules)
    return EXIT_OK


def _write_rule_sheet(args: argparse.Namespace, repo: object, rules: ClassRules) -> None:
    """The window's class rule sheet, through the window's code, with no window (offscreen)."""
    from janus_gui.ui import printed

    printed.ensure_gui_application()
    from janus_gui.ui import rule_sheet

    paper = printed.PaperSize(args.paper) if args.paper else printed.default_paper()
    try:
        written = rule_sheet.write_pdf(args.pdf, repo, rules, paper)  # type: ignore[arg-type]
    except OSError as exc:
        raise InputError(f"cannot write {args.pdf}: {exc.strerror or exc}") from None
    print(f"Wrote the rule sheet to {written} ({paper.value} pages).", file=sys.stderr)


# -- build-db ----------------------------------------------------------------------------------
BUILD_EXTRA_HINT = (
    "build-db needs the catalog builder's libraries, which the app does not need to run; "
    "install them with: pip install 'janus-gui[build]' (in a checkout: .venv/bin/pip install "
    "-e '.[build]')"
)

_NO_BUILDER = (
    "build-db is not available in the packaged app; run `janus-gui build-db` from a "
    "source checkout or an installed wheel"
)


def _cmd_build_db(args: argparse.Namespace) -> int:
    from janus_gui import paths

    if paths.layout() == "frozen":
        fail(_NO_BUILDER)
    out = Path(args.out).expanduser().resolve() if args.out else None
    if paths.layout() == "installed":
        # An installed copy is never rewritten: its catalog belongs to the installation.
        if out is None:
            fail(
                "on an installed copy, build-db does not replace the installed catalog; give "
                "--out FILE, then open it with --db FILE (or JANUS_GUI_DB=FILE for the window)"
            )
        if out.is_relative_to(paths.PACKAGE_DIR):
            fail(f"--out {args.out} is inside the installed package; choose a folder of your own")
    try:
        from janus_gui.dbbuild.__main__ import main as build_main
    except ImportError as exc:
        if (exc.name or "").split(".")[0] == "sqlite_utils":
            fail(BUILD_EXTRA_HINT)
        fail(_NO_BUILDER)
    return build_main(["--out", str(out)] if out else [])
