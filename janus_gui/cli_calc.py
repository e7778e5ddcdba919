"""Calculator sub-commands of ``janus-gui``: fee, fee-free, exchange, convert, costs, batch.

Every command prints readable text, or one JSON document with ``--json`` (Decimal values as
strings such as ``"8.00"``). Invalid input exits with code 2, a message on stderr and nothing on
stdout. The commands call the same core functions as the window.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import logging
import operator
import os
import sys
from collections.abc import Iterator
from decimal import Decimal
from itertools import chain, repeat
from pathlib import Path
from typing import Any

from janus_gui.cli_common import (
    EXIT_OK,
    EXIT_PARTIAL,
    STDIO,
    UsageError,
    citation_payload,
    database_location,
    emit_json,
    fail,
    fee_rule_payload,
    open_repository,
    parse_date,
    stdin_text,
    support_payload,
    to_jsonable,
)
from janus_gui.core import inputs
from janus_gui.core.errors import InputError, JanusError, NotFoundError
from janus_gui.core.lots import LotSchedule
from janus_gui.core.models import Citation, FeeRule, ShareClass, Standing

logger = logging.getLogger(__name__)

_DIGITS_TO_9 = str.maketrans("012345678", "999999999")
# Listing a million remaining lots in JSON costs about four times reading the file; above this
# many, --remaining auto gives the count only (docs/calculations.md).
AUTO_FULL_LIMIT = 100_000


# -- shared helpers ----------------------------------------------------------------------------
def _decimal(text: str, what: str, rule: inputs.NumberRule) -> Decimal:
    try:
        return inputs.parse_number(text, rule)
    except ValueError as exc:
        raise inputs.with_field(what, exc) from None


def _cite(citation: Citation | None) -> str:
    return f" [{citation.label()}]" if citation is not None else ""


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="catalog database (default: the bundled one)")


def _add_class_selector(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--cusip", help="CUSIP of the portfolio and class (e.g. 471021709)")
    group.add_argument("--portfolio", help="portfolio id (P4) or any current or former name")
    parser.add_argument(
        "--share-class",
        help="with --portfolio: Institutional, Service, Service II or Retirement",
    )


def _resolve_class(repo: Any, args: argparse.Namespace) -> tuple[str, ShareClass, str | None]:
    """(portfolio_id, class, cusip) from ``--cusip`` or ``--portfolio`` + ``--share-class``."""
    from janus_gui.core.identifiers import IdentifierKind, classify

    if args.cusip:
        found = classify(args.cusip)
        if found.kind not in (IdentifierKind.CUSIP, IdentifierKind.CUSIP8):
            raise InputError(f"--cusip {args.cusip!r} is not a CUSIP")
        security = repo.security(found.value)
        if security is None:
            raise NotFoundError(f"CUSIP {found.value} is not in the catalog")
        return security.portfolio_id, security.share_class, security.cusip
    if not args.portfolio or not args.share_class:
        raise UsageError("give --cusip, or --portfolio and --share-class")
    portfolio = repo.resolve_portfolio(args.portfolio)
    return portfolio.portfolio_id, ShareClass.parse(args.share_class), None


def _run(handler: Any, args: argparse.Namespace) -> int:
    """Run a command, turning expected failures into exit 2 with nothing on stdout.

    The cyclic garbage collector is paused while a command runs: a large lot file creates
    millions of objects that hold no cycles, and repeated collections would triple the time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return int(handler(args))
    except JanusError as exc:
        fail(str(exc))
    except BrokenPipeError:  # `... | head` left early: not an error; main() exits quietly
        raise
    except OSError as exc:
        fail(f"cannot read or write {exc.filename or 'a file'}: {exc.strerror or exc}")
    except ArithmeticError:  # a number beyond what the calculators accept
        fail("a number is out of range for this calculation")
    finally:
        if enabled:
            gc.enable()


def _read_schedule(path: str) -> tuple[LotSchedule, tuple[str, ...]]:
    """The lot schedule of ``--lots`` (``-``: standard input)."""
    from janus_gui.core.lots_csv import read_lot_file

    if path == STDIO:
        result = read_lot_file(stdin_text())
    elif not Path(path).is_file():
        raise InputError(f"lot file not found: {path}")
    else:
        result = read_lot_file(path)
    return result.schedule, result.notes


# -- fee ---------------------------------------------------------------------------------------
def _request(args: argparse.Namespace) -> Any:
    from janus_gui.core.redemption import RedemptionRequest

    on = parse_date(args.redeem_date, what="--redeem-date")
    nav = _decimal(args.nav, "--nav", inputs.NAV)
    if nav <= 0:
        raise InputError(f"--nav must be greater than zero, got {args.nav}")
    if args.all:
        return RedemptionRequest.of_all(on, nav)
    if args.amount is not None:
        amount = _decimal(args.amount, "--amount", inputs.AMOUNT)
        return RedemptionRequest.of_amount(on, nav, amount)
    if args.shares is None:
        raise UsageError("give --shares, --amount or --all")
    return RedemptionRequest.of_shares(on, nav, _decimal(args.shares, "--shares", inputs.SHARES))


def fee_payload(
    result: Any, context: dict[str, object], *, with_lots: bool = True
) -> dict[str, object]:
    """The JSON form of a redemption result (``remaining_lots`` is filled in by the caller).

    ``with_lots=False`` leaves ``lots`` empty for a caller that streams the walk itself.
    """
    rule = result.rule
    known = rule.documented  # silence is never $0: no amount when the rule is not documented
    exemptions = context.get("exemptions")
    return {
        **context,
        "exemptions": exemptions.payload() if exemptions is not None else None,  # type: ignore[attr-defined]
        "redeem_date": result.request.redeem_date,
        "nav": result.request.nav,
        "mode": result.request.mode.value,
        "label": result.label,
        "fee_status": rule.standing.value,
        "total_fee": result.total_fee if known else None,
        "fee_unrounded": result.fee_unrounded if known else None,
        "fee_rate": result.fee_rate if known else None,
        "holding_period_days": rule.holding_period_days if rule.applies else None,
        "shares_redeemed": result.shares_redeemed,
        "shares_subject_to_fee": result.shares_subject_to_fee if known else None,
        "shares_free": result.shares_free if known else None,
        "shares_exempt": result.shares_exempt,
        "redemption_value": result.redemption_value,
        "net_proceeds": result.net_proceeds if known else None,
        "lots": [
            {
                "lot_id": step.lot_id,
                "seq": step.seq,
                "line": step.line,
                "purchase_date": step.purchase_date,
                "shares_held": step.shares_held,
                "shares_redeemed": step.shares_redeemed,
                "shares_remaining": step.shares_remaining,
                "days_held": step.days_held,
                "subject_to_fee": step.subject_to_fee if known else None,
                "exempt": step.exempt,
                "fee_unrounded": step.fee_unrounded if known else None,
                "fee": step.fee if known else None,
                "fee_free_from": step.fee_free_from if known else None,
            }
            for step in (result.lots if with_lots else ())
        ],
        "remaining_lot_count": len(result.remaining),
        "remaining_lots": None,
        "notes": list(result.notes),
        "rule": fee_rule_payload(rule),
    }


def remaining_lot_chunks(schedule: LotSchedule) -> Iterator[str]:
    """The remaining lots as JSON array items (one per line), in text chunks.

    Formatted column-wise by interleaving the columns with the fixed parts of each line, which
    keeps a million lots cheap; ids are escaped only in chunks where some id needs it.
    """
    from janus_gui.core.lots import _shares_text

    parts = (',\n    {"lot_id": "', '", "purchase_date": "', '", "shares": "', '", "seq": ', "}")
    first = True
    for ids, dates, shares, seqs in schedule.text_chunks():
        joined_ids = "".join(ids)
        if not joined_ids.isprintable() or '"' in joined_ids or "\\" in joined_ids:
            ids = [json.dumps(i, ensure_ascii=False)[1:-1] for i in ids]
        nines = "\n".join(shares).translate(_DIGITS_TO_9) + "\n"
        if nines.count(".999\n") != len(shares):  # some share is not written with 3 decimals
            shares = list(map(_shares_text, shares))
        columns = zip(
            repeat(parts[0]),
            ids,
            repeat(parts[1]),
            dates,
            repeat(parts[2]),
            shares,
            repeat(parts[3]),
            map(str, seqs),
            repeat(parts[4]),
        )
        text = "".join(chain.from_iterable(columns))
        yield text[2:] if first else text
        first = False


def lot_step_chunks(steps: Any, indent: str = "    ", size: int = 2048) -> Iterator[str]:
    """The per-lot walk as JSON array items, one compact object per line, in text chunks.

    Steps that offer ``rows`` (``LotSteps``) are formatted from plain tuples with one template,
    which is many times cheaper than building and encoding a dict per lot; ids are escaped only
    in chunks where some id needs it. The text is the same as ``json.dumps`` of ``_step_json``.
    """
    if not hasattr(steps, "rows"):
        for begin in range(0, len(steps), size):
            items = [
                indent + json.dumps(_step_json(step), ensure_ascii=False)
                for step in steps[begin : begin + size]
            ]
            yield ("" if begin == 0 else ",\n") + ",\n".join(items)
        return
    iso: dict[Any, str] = {None: "null"}
    flag = {True: "true", False: "false"}

    def quoted_dates(values: list[Any]) -> list[str]:
        for value in set(values).difference(iso):
            iso[value] = f'"{value.isoformat()}"'
        return list(map(iso.__getitem__, values))

    first = True
    for columns in steps.column_chunks(size):
        (
            ids,
            seqs,
            bought,
            held,
            taken,
            left,
            days,
            _within,
            exempt,
            subject,
            unrounded,
            fees,
            free_from,
            lines,
        ) = columns
        joined = "".join(ids)
        if joined.isprintable() and '"' not in joined and "\\" not in joined:
            quoted_ids = ['"' + i + '"' for i in ids]
        else:
            quoted_ids = [json.dumps(i, ensure_ascii=False) for i in ids]
        held_text = list(map(str, held))
        taken_text = held_text if taken is held else list(map(str, taken))
        fields = (
            quoted_ids,
            map(str, seqs),
            _texts(lines),
            quoted_dates(bought),
            held_text,
            taken_text,
            _texts(left),
            map(str, days),
            map(flag.__getitem__, subject),
            map(flag.__getitem__, exempt),
            _texts(unrounded),
            _texts(fees),
            quoted_dates(free_from),
        )
        columns = _interleave((f",\n{indent}{_STEP_PARTS[0]}", *_STEP_PARTS[1:]), fields)
        text = "".join(chain.from_iterable(zip(*columns, strict=False)))
        yield text[2:] if first else text
        first = False


def _texts(values: list[Any]) -> list[str]:
    """JSON text of each number (``null`` for ``None``), cheaply when one object repeats.

    Whole lots leave the same zero object and lots outside the window the same zero fee, so a
    chunk is usually one repeated value, perhaps followed by a different last one.
    """

    def text(value: Any) -> str:
        return "null" if value is None else str(value)

    head, first = values[:-1], values[0]
    if all(map(operator.is_, head, repeat(first))):
        return [text(first)] * len(head) + [text(values[-1])]
    if None in values:
        return list(map(text, values))
    return list(map(str, values))


# The fixed text around each field of a step, as json.dumps(_step_json(step)) writes it.
_STEP_PARTS = (
    '{"lot_id": ',
    ', "seq": ',
    ', "line": ',
    ', "purchase_date": ',
    ', "shares_held": "',
    '", "shares_redeemed": "',
    '", "shares_remaining": "',
    '", "days_held": ',
    ', "subject_to_fee": ',
    ', "exempt": ',
    ', "fee_unrounded": "',
    '", "fee": "',
    '", "fee_free_from": ',
    "}",
)


def _interleave(parts: tuple[str, ...], fields: tuple[Any, ...]) -> list[Any]:
    """Columns to zip: each fixed part repeated, followed by its field's column."""
    columns: list[Any] = []
    for part, field in zip(parts, fields, strict=False):
        columns += [repeat(part), field]
    return [*columns, repeat(parts[-1])]


def _step_json(step: Any) -> dict[str, object]:
    return {
        "lot_id": step.lot_id,
        "seq": step.seq,
        "line": step.line,
        "purchase_date": step.purchase_date.isoformat(),
        "shares_held": str(step.shares_held),
        "shares_redeemed": str(step.shares_redeemed),
        "shares_remaining": str(step.shares_remaining),
        "days_held": step.days_held,
        "subject_to_fee": step.subject_to_fee,
        "exempt": step.exempt,
        "fee_unrounded": str(step.fee_unrounded),
        "fee": str(step.fee),
        "fee_free_from": step.fee_free_from.isoformat() if step.fee_free_from else None,
    }


def _write_fee_json(payload: dict[str, object], steps: Any, remaining: LotSchedule | None) -> None:
    """One JSON document; the lot arrays are streamed as text instead of built as objects."""
    streams: dict[str, Iterator[str] | None] = {
        "lots": lot_step_chunks(steps) if steps else None,
        "remaining_lots": remaining_lot_chunks(remaining) if remaining else None,
    }
    marked = {**payload}
    for key, chunks in streams.items():
        if chunks is not None:
            marked[key] = f"\x00{key}\x00"
        elif not marked.get(key) and (remaining is not None or key == "lots"):
            marked[key] = []
    text = json.dumps(to_jsonable(marked), indent=2, ensure_ascii=False)
    out = sys.stdout
    for key, chunks in streams.items():
        if chunks is None:
            continue
        head, text = text.split(json.dumps(f"\x00{key}\x00"), 1)
        out.write(head + "[\n")
        for chunk in chunks:
            out.write(chunk)
        out.write("\n  ]")
    out.write(text + "\n")


def _print_fee(result: Any, context: dict[str, object]) -> None:
    rule = result.rule
    print(
        f"{context['portfolio']} — {context['share_class']} shares; redemption on "
        f"{result.request.redeem_date} at NAV {result.request.nav}"
    )
    if rule.applies:
        print(
            f"Rule: {rule.rate * 100:.2f}% on shares held {rule.holding_period_days} days or "
            f"less, {rule.lot_order}, on the {rule.base}{_cite(rule.citation)}"
        )
    else:
        print(f"Rule: {rule.reason}{_cite(rule.citation)}")
    print(f"Rule standing: {rule.standing.value.replace('_', ' ')}"
          + (f" ({rule.support.text})" if rule.support.text else ""))
    known = rule.documented
    print(f"{'Lot':12} {'Purchased':10} {'Shares':>14} {'Days':>5} {'Subject':7} {'Fee':>10}")
    for step in result.lots:
        subject = (
            "exempt"
            if step.exempt and step.within_window
            else ("yes" if step.subject_to_fee else "no")
        )
        print(
            f"{(step.lot_id or f'#{step.seq}')[:12]:12} {step.purchase_date.isoformat():10} "
            f"{step.shares_redeemed:>14} {step.days_held:>5} {subject if known else '?':7} "
            f"{step.fee if known else 'unknown':>10}"
        )
    print(f"Shares redeemed:          {result.shares_redeemed}")
    if known:
        print(f"Shares subject to fee:    {result.shares_subject_to_fee}")
    print(f"Redemption value:         ${result.redemption_value}")
    if known:
        print(f"Fee that may apply (max): ${result.total_fee}")
        print(f"Net proceeds:             ${result.net_proceeds}")
    else:
        print(f"Fee that may apply (max): cannot be determined — {rule.reason}")
    print(f"Lots remaining:           {len(result.remaining)}")
    if context.get("exemptions") is not None:
        print(context["exemptions"].text())  # type: ignore[attr-defined]
    for note in result.notes:
        print(f"Note: {note}")


def _cmd_fee(args: argparse.Namespace) -> int:
    from janus_gui.core.asof import redemption_fee_rule
    from janus_gui.core.redemption import redeem

    if args.ledger is not None:
        if args.pdf:
            raise UsageError("--pdf writes the record of one redemption; use it with --lots")
        return _cmd_fee_ledger(args)
    if args.redeem_date is None or args.nav is None:
        missing = "--redeem-date" if args.redeem_date is None else "--nav"
        raise UsageError(f"{missing} is required with --lots")
    request = _request(args)
    schedule, read_notes = _read_schedule(args.lots)
    repo = open_repository(args.db)
    portfolio_id, share_class, cusip = _resolve_class(repo, args)
    rule = redemption_fee_rule(repo, portfolio_id, share_class, request.redeem_date)
    result = redeem(schedule, request, rule)
    context: dict[str, object] = {
        "portfolio": repo.portfolio(portfolio_id).name_on(request.redeem_date),
        "portfolio_id": portfolio_id,
        "share_class": share_class.value,
        "cusip": cusip,
    }
    if result.shares_exempt:
        from janus_gui.core.exemptions import result_exemptions

        context["exemptions"] = result_exemptions(schedule, result.lots)
    if args.pdf:  # first: a file that cannot be written leaves stdout empty
        written, paper = _write_fee_pdf(args, repo, schedule, request, rule, context, read_notes)
        print(f"Wrote the fee record to {written} ({paper} pages).", file=sys.stderr)
    if args.json:
        # The walk is streamed as text; an undetermined fee has no amounts, so it is not.
        payload = fee_payload(result, context, with_lots=not rule.documented)
        payload["notes"] = [*read_notes, *result.notes]
        count = len(result.remaining)
        full = _list_remaining(args, count)
        if not full:
            payload["notes"].append(_unlisted_note(count))  # type: ignore[attr-defined]
        steps = result.lots if rule.documented else None
        _write_fee_json(payload, steps, result.remaining if full else None)
    else:
        _print_fee(result, context)
    return EXIT_OK


_MODE_WORDS = {"shares": "Shares", "amount": "Dollar amount", "all": "All shares held"}


def _write_fee_pdf(
    args: argparse.Namespace,
    repo: Any,
    schedule: LotSchedule,
    request: Any,
    rule: FeeRule,
    context: dict[str, object],
    read_notes: tuple[str, ...],
) -> tuple[Path, str]:
    """The window's fee record, through the window's code, with no window (offscreen Qt)."""
    import dataclasses

    from janus_gui.ui import printed

    printed.ensure_gui_application()
    from janus_gui.ui.workspace import engine, report

    outcome = engine.compute(engine.LotColumns.from_schedule(schedule), request, rule, 0)
    file_notes = tuple(engine.Note(text) for text in read_notes)
    outcome = dataclasses.replace(outcome, notes=(*file_notes, *outcome.notes))
    mode = request.mode.value
    quantity = {"shares": args.shares, "amount": args.amount}.get(mode) or ""
    record_context = report.ReportContext(
        portfolio=f"{context['portfolio']} ({context['portfolio_id']})",
        share_class=str(context["share_class"]),
        mode=_MODE_WORDS.get(mode, mode),
        quantity=quantity,
        excluded_rows=0,
    )
    paper = printed.PaperSize(args.paper) if args.paper else printed.default_paper()
    path = report.write_pdf(args.pdf, outcome, record_context, repo.meta(), paper)
    return path, paper.value


def _list_remaining(args: argparse.Namespace, count: int) -> bool:
    """Whether ``--remaining`` asks for every remaining lot to be listed."""
    return args.remaining == "full" or (args.remaining == "auto" and count <= AUTO_FULL_LIMIT)


def _unlisted_note(count: int) -> str:
    return (
        f"remaining_lots is not listed ({count} lots remain); use --remaining full to list "
        "every lot."
    )


# -- fee --ledger ------------------------------------------------------------------------------
# Options that size one redemption; a ledger gives the date and size of each of its redemptions.
_ONE_REDEMPTION_OPTIONS = (
    ("redeem_date", "--redeem-date"),
    ("shares", "--shares"),
    ("amount", "--amount"),
    ("all", "--all"),
)


def _ledger_default_nav(args: argparse.Namespace) -> Decimal | None:
    """``--nav`` for rows without a ``nav`` cell; refuses the options of a single redemption."""
    given = [
        flag for attr, flag in _ONE_REDEMPTION_OPTIONS if getattr(args, attr) not in (None, False)
    ]
    if given:
        raise UsageError(
            f"--ledger gives the date and size of each redemption; remove {', '.join(given)}"
        )
    if args.nav is None:
        return None
    nav = _decimal(args.nav, "--nav", inputs.NAV)
    if nav <= 0:
        raise InputError(f"--nav must be greater than zero, got {args.nav}")
    return nav


def _cmd_fee_ledger(args: argparse.Namespace) -> int:
    from janus_gui.core.asof import redemption_fee_rule
    from janus_gui.core.lots_csv import read_ledger
    from janus_gui.core.redemption import run_ledger

    default_nav = _ledger_default_nav(args)
    if args.ledger == STDIO:
        entries = read_ledger(stdin_text())
    elif not Path(args.ledger).is_file():
        raise InputError(f"ledger file not found: {args.ledger}")
    else:
        entries = read_ledger(args.ledger)
    repo = open_repository(args.db)
    portfolio_id, share_class, cusip = _resolve_class(repo, args)
    portfolio = repo.portfolio(portfolio_id)

    def rule_for(on: Any) -> FeeRule:
        return redemption_fee_rule(repo, portfolio_id, share_class, on)

    result = run_ledger(entries, rule_for, default_nav=default_nav, keep_going=True)

    selected = {"portfolio_id": portfolio_id, "share_class": share_class.value, "cusip": cusip}

    def context_on(on: Any) -> dict[str, object]:
        return {"portfolio": portfolio.name_on(on), **selected}

    if args.json:
        emit_json({**selected, **_ledger_payload(args, result, context_on)})
    else:
        _print_ledger(result, context_on)
    if not result.failed:
        return EXIT_OK
    for failure in result.failed:
        sys.stderr.write(f"janus-gui: line {failure.line}: {failure.reason}\n")
    print(
        f"{len(result.redemptions) + len(result.failed)} redemptions: "
        f"{len(result.redemptions)} computed, {len(result.failed)} failed",
        file=sys.stderr,
    )
    return EXIT_PARTIAL


_FAILED_NOTE = (
    "{count} redemption(s) could not be made and were not applied: their shares stay held for "
    "the redemptions after them (see failed_redemptions)."
)


def _ledger_payload(args: argparse.Namespace, result: Any, context_on: Any) -> dict[str, object]:
    """Per-redemption results (the keys of ``fee`` plus ``line``), totals and the lots left."""
    remaining = result.remaining
    count = len(remaining)
    notes = [] if result.redemptions or result.failed else ["The ledger has no redemptions."]
    if result.failed:
        notes.append(_FAILED_NOTE.format(count=len(result.failed)))
    listed = None
    if _list_remaining(args, count):
        listed = [
            {"lot_id": lot_id, "purchase_date": iso, "shares": shares, "seq": seq}
            for lot_id, iso, shares, seq in remaining.iter_text_rows()
        ]
    else:
        notes.append(_unlisted_note(count))
    return {
        "redemptions": [
            {
                "line": done.line,
                **fee_payload(done.result, context_on(done.result.request.redeem_date)),
            }
            for done in result.redemptions
        ],
        "totals": _ledger_totals(result),
        "failed_redemptions": [
            {"line": failure.line, "error": failure.reason} for failure in result.failed
        ],
        "remaining_lot_count": count,
        "remaining_lots": listed,
        "notes": notes,
    }


def _ledger_totals(result: Any) -> dict[str, object]:
    known = all(done.result.rule.documented for done in result.redemptions)
    return {
        "redemptions": len(result.redemptions),
        "fee_status": "documented" if known else "not_documented",
        "shares_redeemed": result.shares_redeemed,
        "shares_subject_to_fee": result.shares_subject_to_fee if known else None,
        "redemption_value": result.redemption_value,
        "total_fee": result.total_fee if known else None,
        "net_proceeds": result.net_proceeds if known else None,
        "shares_remaining": result.remaining.total_shares(),
    }


def _print_ledger(result: Any, context_on: Any) -> None:
    for done in result.redemptions:
        print(f"-- Ledger line {done.line} --")
        _print_fee(done.result, context_on(done.result.request.redeem_date))
        print()
    for failure in result.failed:
        print(f"-- Ledger line {failure.line}: not applied -- {failure.reason}")
    if result.failed:
        print(_FAILED_NOTE.format(count=len(result.failed)).replace(" (see failed_redemptions)",
                                                                   ""))
        print()
    if not result.redemptions and not result.failed:
        print("The ledger has no redemptions.")
    totals = _ledger_totals(result)
    print(f"Ledger totals: {totals['redemptions']} redemptions")
    print(f"Shares redeemed:           {totals['shares_redeemed']}")
    print(f"Redemption value:          ${totals['redemption_value']}")
    if totals["total_fee"] is None:
        print("Fees that may apply (max): cannot be determined for every redemption (see above)")
    else:
        print(f"Fees that may apply (max): ${totals['total_fee']}")
        print(f"Net proceeds:              ${totals['net_proceeds']}")
    count = len(result.remaining)
    print(f"Lots remaining:            {count} ({totals['shares_remaining']} shares)")


# -- fee-free ----------------------------------------------------------------------------------
def _cmd_fee_free(args: argparse.Namespace) -> int:
    from janus_gui.core.asof import redemption_fee_rule
    from janus_gui.core.planner import plan_fee_free

    on = parse_date(args.date, what="--date")
    schedule, read_notes = _read_schedule(args.lots)
    repo = open_repository(args.db)
    portfolio_id, share_class, cusip = _resolve_class(repo, args)
    rule = redemption_fee_rule(repo, portfolio_id, share_class, on)
    plan = plan_fee_free(schedule, on, rule)
    payload = {
        "portfolio": repo.portfolio(portfolio_id).name_on(on),
        "portfolio_id": portfolio_id,
        "share_class": share_class.value,
        "cusip": cusip,
        "date": on,
        "shares_held": plan.shares_held,
        "fee_free_shares": plan.fee_free_shares,
        "fee_free_lots": plan.fee_free_lots,
        "next_date": plan.next_date,
        "fee_free_shares_on_next_date": plan.fee_free_shares_on_next_date,
        "notes": [*read_notes, *plan.notes],
        "rule": fee_rule_payload(rule),
    }
    if args.json:
        emit_json(payload)
        return EXIT_OK
    print(f"{payload['portfolio']} — {share_class.value} shares on {on}")
    print(f"Shares held:           {plan.shares_held}")
    print(f"Redeemable fee-free:   {plan.fee_free_shares} ({plan.fee_free_lots} oldest lots)")
    if plan.next_date:
        print(
            f"From {plan.next_date}: {plan.fee_free_shares_on_next_date} shares fee-free "
            "(if the same rule is in force)"
        )
    for note in payload["notes"]:  # type: ignore[attr-defined]
        print(f"Note: {note}")
    return EXIT_OK


# -- exchange ----------------------------------------------------------------------------------
def _holding(repo: Any, text: str, option: str) -> Any:
    from janus_gui.core.exchange import Holding

    portfolio_text, slash, class_text = text.rpartition("/")
    if not slash or not portfolio_text.strip() or not class_text.strip():
        raise UsageError(f'{option} must look like "PORTFOLIO/CLASS", got {text!r}')
    portfolio = repo.resolve_portfolio(portfolio_text)
    return Holding(portfolio.portfolio_id, ShareClass.parse(class_text), portfolio_text.strip())


def _cmd_exchange(args: argparse.Namespace) -> int:
    from janus_gui.core.exchange import check_exchange

    on = parse_date(args.date, what="--date")
    repo = open_repository(args.db)
    source = _holding(repo, args.from_, "--from")
    target = _holding(repo, args.to, "--to")
    check = check_exchange(repo, source, target, on)
    fee = check.redemption_fee
    payload = {
        "from": {
            "portfolio_id": source.portfolio_id,
            "share_class": source.share_class.value,
            "portfolio": repo.portfolio(source.portfolio_id).name_on(on),
        },
        "to": {
            "portfolio_id": target.portfolio_id,
            "share_class": target.share_class.value,
            "portfolio": repo.portfolio(target.portfolio_id).name_on(on),
        },
        "date": on,
        "allowed": check.allowed,
        "standing": check.standing.value,
        "documented": check.documented,
        "reason": check.reason,
        "citation": citation_payload(check.citation),
        "redemption_fee": fee_rule_payload(fee) if fee is not None else None,
        "notes": list(check.notes),
    }
    if args.json:
        emit_json(payload)
        return EXIT_OK
    print(check.reason + _cite(check.citation))
    print(f"Standing: {check.standing.value.replace('_', ' ')}")
    for note in check.notes:
        print(f"Note: {note}")
    return EXIT_OK


# -- convert -----------------------------------------------------------------------------------
def _cmd_convert(args: argparse.Namespace) -> int:
    from janus_gui.core.conversion import convert_shares

    result = convert_shares(
        _decimal(args.shares, "--shares", inputs.SHARES),
        _decimal(args.from_nav, "--from-nav", inputs.NAV),
        _decimal(args.to_nav, "--to-nav", inputs.NAV),
    )
    payload = {
        "shares_in": result.shares_in,
        "from_nav": result.nav_from,
        "to_nav": result.nav_to,
        "shares": result.shares_out,
        "value_before": result.value_in,
        "value_after": result.value_out,
        "residual": result.residual,
        "fee": result.fee,
        "notes": list(result.notes),
    }
    if args.json:
        emit_json(payload)
        return EXIT_OK
    print(
        f"{result.shares_in} shares at {result.nav_from} -> {result.shares_out} shares at "
        f"{result.nav_to}"
    )
    print(
        f"Value before ${result.value_in}, after ${result.value_out}, "
        f"residual {result.residual}; no fee."
    )
    return EXIT_OK


# -- costs -------------------------------------------------------------------------------------
def _years(text: str) -> list[int]:
    try:
        years = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        message = f"--years must be whole numbers separated by commas, got {text!r}"
        raise InputError(message) from None
    if not years:
        raise InputError("--years is empty")
    return years


def _ratio_from_catalog(args: argparse.Namespace) -> tuple[Decimal, dict[str, object], list[str]]:
    from janus_gui.core.asof import class_status, fee_table_support

    repo = open_repository(args.db)
    portfolio = repo.resolve_portfolio(args.portfolio)
    share_class = ShareClass.parse(args.share_class)
    rows = [r for r in repo.fee_table(portfolio.portfolio_id) if r.share_class == share_class]
    if not rows:
        raise NotFoundError(
            f"the sources print no fee table for {share_class.value} shares of "
            f"{portfolio.name_on(repo.documented_range()[0])}"
        )
    row = rows[0]
    ratio = row.total_net_used if args.net else row.total_gross_used
    printed = row.total_net if args.net else row.total_gross
    notes = ["Expense ratio from the 1999 fee table (estimates for the first fiscal year)."]
    if f"{ratio}%" != printed:
        notes.append(
            f"Printed {printed}; {ratio}% is used (data notes: "
            f"{', '.join(row.note_ids) or 'none'})."
        )
    standing: dict[str, object] = {
        "standing": "documented",
        "table_documented_from": row.documented_from,
        "table_documented_to": row.documented_to - dt.timedelta(days=1)
        if row.documented_to
        else None,
    }
    if args.as_of:
        on = parse_date(args.as_of, what="--as-of")
        status = class_status(repo, portfolio.portfolio_id, share_class, on)
        support = fee_table_support(tuple(rows), status, on)
        if support.standing == Standing.NOT_DOCUMENTED:
            raise InputError(
                f"the fee table is not documented for {share_class.value} shares on "
                f"{on.isoformat()}: {status.text}"
            )
        standing = {**standing, **support_payload(support)}
        notes.append(status.text)
        if support.standing == Standing.CARRIED:
            notes.append(
                f"The fee table is carried: {support.text}; it was printed for the Service "
                "Shares' initial fiscal year."
            )
    source = {
        **standing,
        "portfolio_id": portfolio.portfolio_id,
        "share_class": share_class.value,
        "basis": "net" if args.net else "gross",
        "printed": printed,
        "note_ids": list(row.note_ids),
        "citation": citation_payload(row.citation),
        "printed_example": {
            str(e.years): e.cost_printed
            for e in repo.expense_example(portfolio.portfolio_id)
            if e.share_class == share_class
        },
    }
    return ratio, source, notes


def _cmd_costs(args: argparse.Namespace) -> int:
    from janus_gui.core.expenses import EXAMPLE_AMOUNT, EXAMPLE_RETURN, project_costs

    if args.expense_ratio is None and not (args.portfolio and args.share_class):
        raise UsageError("give --expense-ratio, or --portfolio and --share-class")
    if args.expense_ratio is not None:
        ratio = _decimal(args.expense_ratio.rstrip("%"), "--expense-ratio", inputs.RATE)
        source: dict[str, object] | None = None
        notes: list[str] = []
    else:
        ratio, source, notes = _ratio_from_catalog(args)
    amount = _decimal(args.amount, "--amount", inputs.AMOUNT) if args.amount else EXAMPLE_AMOUNT
    rate = (
        _decimal(args.return_rate.rstrip("%"), "--return-rate", inputs.RATE)
        if args.return_rate
        else (EXAMPLE_RETURN)
    )
    projection = project_costs(ratio, amount=amount, return_percent=rate, years=_years(args.years))
    payload = {
        "expense_ratio_percent": ratio,
        "amount": amount,
        "return_rate_percent": rate,
        "costs": {str(y): c for y, c in projection.costs.items()},
        "source": source,
        "notes": [*notes, *projection.notes],
    }
    if args.json:
        emit_json(payload)
        return EXIT_OK
    print(f"Expense ratio {ratio}%, ${amount} invested, {rate}% return a year (projection)")
    for years, cost in projection.costs.items():
        print(f"  {years:>3} year{'s' if years > 1 else ' '}: ${cost:,}")
    for note in payload["notes"]:  # type: ignore[attr-defined]
        print(f"Note: {note}")
    return EXIT_OK


# -- batch -------------------------------------------------------------------------------------
def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


SMALL_BATCH_BYTES = 4 << 20  # below this, starting worker processes costs more than it saves


def _default_jobs(input_path: str) -> int:
    """The machine's cores, or one process for a small input file."""
    if input_path != STDIO and Path(input_path).stat().st_size < SMALL_BATCH_BYTES:
        return 1
    return _cores()


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {text}")
    return value


def _check_batch_paths(input_path: str, output_path: str) -> None:
    if input_path != STDIO and not Path(input_path).is_file():
        raise InputError(f"input file not found: {input_path}")
    if output_path == STDIO:
        return
    target = Path(output_path)
    if target.is_dir():
        raise InputError(f"the output is a folder: {output_path}")
    if input_path != STDIO and _same_file(Path(input_path), target):
        raise InputError(f"the output file must not be the input file ({output_path})")


def _same_file(first: Path, second: Path) -> bool:
    """True when both paths name one file (also through symbolic links or hard links); a path
    that cannot be resolved (a symbolic-link loop) is left to the safe-write checks."""
    try:
        if first.resolve() == second.resolve():
            return True
        return second.exists() and os.path.samefile(first, second)
    except (OSError, RuntimeError):
        return False


def _cmd_batch(args: argparse.Namespace) -> int:
    from functools import partial

    from janus_gui import userdirs
    from janus_gui.core.batch import BatchCatalog, run_batch
    from janus_gui.core.safe_write import write_from

    _check_batch_paths(args.input, args.output)
    repo = open_repository(args.db)  # checked once here; workers open it without the check
    path, immutable = database_location(args.db)
    jobs = args.jobs or _default_jobs(args.input)
    catalog = partial(BatchCatalog.open, path, immutable=immutable)
    if jobs == 1:
        catalog = partial(BatchCatalog.of, repo)
    progress = _progress_callback()

    def produce(sink: Any) -> Any:
        source = stdin_text() if args.input == STDIO else open(  # noqa: SIM115
            args.input, encoding="utf-8-sig", newline=""
        )
        with source:
            return run_batch(source, sink, catalog, jobs=jobs, temp_dir=userdirs.cache_dir(),
                             memory_bytes=args.memory_mb << 20, progress=progress)

    if args.output == STDIO:
        summary = _batch_to_stdout(produce)
    else:
        summary = write_from(args.output, produce)
    if progress is not None:
        sys.stderr.write("\n")
    grouped = " (rows grouped by account first)" if summary.grouped else ""
    where = "standard output" if args.output == STDIO else args.output
    print(
        f"{summary.accounts} accounts, {summary.rows} rows{grouped}: {summary.ok} computed, "
        f"{summary.failed} failed; written to {where}",
        file=sys.stderr,
    )
    return EXIT_PARTIAL if summary.failed else EXIT_OK


def _batch_to_stdout(produce: Any) -> Any:
    """Run the batch into a spooled file, then copy it out: a run that fails writes nothing."""
    import shutil
    import tempfile

    from janus_gui import userdirs

    with tempfile.SpooledTemporaryFile(max_size=8 << 20, dir=userdirs.cache_dir()) as spool:
        summary = produce(spool)
        spool.seek(0)
        sys.stdout.flush()
        shutil.copyfileobj(spool, sys.stdout.buffer, 1 << 20)
        sys.stdout.buffer.flush()
    return summary


def _progress_callback() -> Any:
    """A progress line on stderr, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None

    def report(accounts: int, rows: int) -> None:
        sys.stderr.write(f"\r{accounts} accounts, {rows} rows")
        sys.stderr.flush()

    return report


# -- registration ------------------------------------------------------------------------------
def add_commands(subparsers: Any) -> None:
    """Register the calculator commands on the ``janus-gui`` sub-command parser."""
    fee = subparsers.add_parser("fee", help="FIFO redemption fee that may apply to a redemption")
    source = fee.add_mutually_exclusive_group(required=True)
    source.add_argument("--lots", metavar="FILE",
                        help="lot schedule CSV (one redemption); - for standard input")
    source.add_argument(
        "--ledger",
        metavar="FILE",
        help="purchases and redemptions CSV (type,date,shares[,amount][,nav][,lot_id]); "
        "each redemption uses the rule in force on its date; - for standard input",
    )
    _add_class_selector(fee)
    fee.add_argument("--redeem-date", metavar="DATE", help="with --lots: the redemption date")
    size = fee.add_mutually_exclusive_group()
    size.add_argument("--shares", metavar="N", help="with --lots: shares to redeem")
    size.add_argument("--amount", metavar="USD", help="with --lots: gross dollar amount to redeem")
    size.add_argument("--all", action="store_true", help="with --lots: redeem every share held")
    fee.add_argument(
        "--nav",
        metavar="NAV",
        help="NAV per share at redemption (with --ledger: for rows without a nav)",
    )
    fee.add_argument(
        "--remaining",
        choices=("auto", "full", "summary"),
        default="auto",
        help="JSON: list every remaining lot (full), only count them (summary), or list them "
        f"when at most {AUTO_FULL_LIMIT:,} remain (auto, the default)",
    )
    fee.add_argument(
        "--json", action="store_true", help="print one JSON object with every lot step and the rule"
    )
    fee.add_argument(
        "--pdf",
        metavar="FILE",
        help="with --lots: also write the fee record (every lot, the rule and its source, notes, "
        "version, database hash) as a PDF, as File > Export PDF does in the window",
    )
    fee.add_argument(
        "--paper",
        choices=("Letter", "A4"),
        help="page size of --pdf (default: Letter in the US and Canada, A4 elsewhere)",
    )
    _add_db(fee)
    fee.set_defaults(func=lambda a: _run(_cmd_fee, a))

    free = subparsers.add_parser("fee-free", help="largest fee-free redemption on a date")
    free.add_argument(
        "--lots",
        required=True,
        metavar="FILE",
        help="lot schedule CSV: purchase_date,shares[,lot_id] (one row per purchase lot), or - "
        "for standard input",
    )
    _add_class_selector(free)
    free.add_argument(
        "--date", required=True, metavar="DATE", help="redemption date, YYYY-MM-DD or M/D/YYYY"
    )
    free.add_argument("--json", action="store_true", help="print one JSON object")
    _add_db(free)
    free.set_defaults(func=lambda a: _run(_cmd_fee_free, a))

    exchange = subparsers.add_parser("exchange", help="may one class be exchanged into another")
    exchange.add_argument(
        "--from",
        dest="from_",
        required=True,
        metavar="PORTFOLIO/CLASS",
        help='the holding to exchange: portfolio id or name, a slash, the class ("P4/Service")',
    )
    exchange.add_argument(
        "--to", required=True, metavar="PORTFOLIO/CLASS", help="the class to exchange into"
    )
    exchange.add_argument(
        "--date", required=True, metavar="DATE", help="date of the exchange, YYYY-MM-DD or M/D/YYYY"
    )
    exchange.add_argument("--json", action="store_true", help="print one JSON object")
    _add_db(exchange)
    exchange.set_defaults(func=lambda a: _run(_cmd_exchange, a))

    convert = subparsers.add_parser("convert", help="convert shares at relative NAVs")
    convert.add_argument(
        "--shares", required=True, metavar="N", help="shares held in the class converted from"
    )
    convert.add_argument(
        "--from-nav", required=True, metavar="X", help="NAV per share of the class converted from"
    )
    convert.add_argument(
        "--to-nav", required=True, metavar="Y", help="NAV per share of the class converted into"
    )
    convert.add_argument("--json", action="store_true", help="print one JSON object")
    _add_db(convert)
    convert.set_defaults(func=lambda a: _run(_cmd_convert, a))

    costs = subparsers.add_parser("costs", help="expense cost projection (1999 example method)")
    costs.add_argument("--expense-ratio", metavar="PCT", help="annual expense ratio, e.g. 0.93")
    costs.add_argument(
        "--portfolio",
        help="instead of --expense-ratio: take the ratio from this portfolio's fee table "
        "(id such as P4, or any name)",
    )
    costs.add_argument(
        "--share-class", help="with --portfolio: Institutional, Service, Service II or Retirement"
    )
    costs.add_argument(
        "--as-of", metavar="DATE", help="with --portfolio: the fee table in force on this date"
    )
    costs.add_argument("--net", action="store_true", help="use the ratio after waivers")
    costs.add_argument("--amount", metavar="USD", help="initial investment (default 10000)")
    costs.add_argument("--return-rate", metavar="PCT", help="annual return (default 5)")
    costs.add_argument("--years", default="1,3,5,10", help="horizons (default 1,3,5,10)")
    costs.add_argument("--json", action="store_true", help="print one JSON object")
    _add_db(costs)
    costs.set_defaults(func=lambda a: _run(_cmd_costs, a))

    batch = subparsers.add_parser("batch", help="fees for many accounts from one CSV")
    batch.add_argument(
        "--input",
        required=True,
        metavar="FILE",
        help="accounts CSV: one row per purchase lot, rows in any order (docs/batch.md), or - "
        "for standard input",
    )
    batch.add_argument(
        "--output",
        required=True,
        metavar="FILE",
        help="result CSV, one row per account (status ok or error, fee, net proceeds, ...), or "
        "- for standard output",
    )
    batch.add_argument("--jobs", type=_positive_int, metavar="N",
                       help="worker processes (default: the machine's cores; one for an "
                       "input under 4 MB)")
    batch.add_argument("--memory-mb", type=_positive_int, default=64, metavar="MB",
                       help="input held in memory while grouping rows by account, before "
                       "they move to a temporary database (default 64)")
    _add_db(batch)
    batch.set_defaults(func=lambda a: _run(_cmd_batch, a))
