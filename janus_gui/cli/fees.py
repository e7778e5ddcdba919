"""The fee commands: ``fee`` (one redemption, or a ledger of them) and ``fee-free``.

Every command prints readable text, or one JSON document with ``--json`` (Decimal values as
strings such as ``"8.00"``). They call the same core functions as the window.
"""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from janus_gui.cli import common
from janus_gui.cli.common import (
    EXIT_OK,
    EXIT_PARTIAL,
    STDIO,
    UsageError,
    add_class_selector,
    add_db,
    parse_date,
    read_schedule,
    resolve_class,
    stdin_text,
)
from janus_gui.cli.lot_json import write_fee_json
from janus_gui.cli.output import cite, emit_json, fee_payload, fee_rule_payload
from janus_gui.core import inputs
from janus_gui.core.lots import LotSchedule
from janus_gui.core.models import FeeRule
from janus_gui.core.redemption import RedeemMode, RedemptionRequest
from janus_gui.core.wording import rule_terms

# Listing a million remaining lots in JSON costs about four times reading the file; above this
# many, --remaining auto gives the count only (docs/calculations.md).
AUTO_FULL_LIMIT = 100_000


def add_commands(subparsers: Any) -> None:
    """Register ``fee`` and ``fee-free`` on the ``janus-gui`` sub-command parser."""
    fee = subparsers.add_parser("fee", help="FIFO redemption fee that may apply to a redemption")
    source = fee.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--lots", metavar="FILE", help="lot schedule CSV (one redemption); - for standard input"
    )
    source.add_argument(
        "--ledger",
        metavar="FILE",
        help="purchases and redemptions CSV (type,date,shares[,amount][,nav][,lot_id]); "
        "each redemption uses the rule in force on its date; - for standard input",
    )
    add_class_selector(fee)
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
    add_db(fee)
    fee.set_defaults(func=_cmd_fee)

    free = subparsers.add_parser("fee-free", help="largest fee-free redemption on a date")
    free.add_argument(
        "--lots",
        required=True,
        metavar="FILE",
        help="lot schedule CSV: purchase_date,shares[,lot_id] (one row per purchase lot), or - "
        "for standard input",
    )
    add_class_selector(free)
    free.add_argument(
        "--date", required=True, metavar="DATE", help="redemption date, YYYY-MM-DD or M/D/YYYY"
    )
    free.add_argument("--json", action="store_true", help="print one JSON object")
    add_db(free)
    free.set_defaults(func=_cmd_fee_free)


# -- fee ---------------------------------------------------------------------------------------
CLI_FIELDS = inputs.RequestFields(nav="--nav", shares="--shares", amount="--amount")


def _request(args: argparse.Namespace) -> RedemptionRequest:
    """The redemption of ``--redeem-date``, ``--nav`` and one of the sizes (``core.inputs``)."""
    on = parse_date(args.redeem_date, what="--redeem-date")
    if args.all:
        mode, quantity = RedeemMode.ALL, ""
    elif args.amount is not None:
        mode, quantity = RedeemMode.AMOUNT, args.amount
    elif args.shares is not None:
        mode, quantity = RedeemMode.SHARES, args.shares
    else:
        inputs.parse_field(args.nav, "--nav", inputs.NAV)  # a bad --nav is named first
        raise UsageError("give --shares, --amount or --all")
    return inputs.redemption_request(on, mode, quantity, args.nav, fields=CLI_FIELDS)


def _print_fee(result: Any, context: dict[str, object]) -> None:
    rule = result.rule
    print(
        f"{context['portfolio']} — {context['share_class']} shares; redemption on "
        f"{result.request.redeem_date} at NAV {result.request.nav}"
    )
    if rule.applies:
        print(
            f"Rule: {rule_terms(rule)}, {rule.lot_order}, on the {rule.base}{cite(rule.citation)}"
        )
    else:
        print(f"Rule: {rule.reason}{cite(rule.citation)}")
    print(
        f"Rule standing: {rule.standing.value.replace('_', ' ')}"
        + (f" ({rule.support.text})" if rule.support.text else "")
    )
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
    schedule, read_notes = read_schedule(args.lots)
    repo = common.open_repository(args.db)
    portfolio_id, share_class, cusip = resolve_class(repo, args)
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
        write_fee_json(payload, steps, result.remaining if full else None)
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
    from janus_gui.ui.workspace import report
    from janus_gui.workspace.outcome import LotColumns, Note, compute

    outcome = compute(LotColumns.from_schedule(schedule), request, rule, 0)
    file_notes = tuple(Note(text) for text in read_notes)
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
    return inputs.parse_field(args.nav, "--nav", inputs.NAV)


def _cmd_fee_ledger(args: argparse.Namespace) -> int:
    from janus_gui.core.asof import redemption_fee_rule
    from janus_gui.core.ledger import run_ledger
    from janus_gui.core.lots_csv import read_ledger

    default_nav = _ledger_default_nav(args)
    entries = read_ledger(stdin_text() if args.ledger == STDIO else args.ledger)
    repo = common.open_repository(args.db)
    portfolio_id, share_class, cusip = resolve_class(repo, args)
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
                **fee_payload(done.result, _redemption_context(done, context_on)),
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


def _redemption_context(done: Any, context_on: Any) -> dict[str, object]:
    """What ``fee`` shows beside one redemption of a ledger: the names on its date and the
    exempt shares by recorded reason."""
    context: dict[str, object] = context_on(done.result.request.redeem_date)
    if done.exemptions is not None:
        context["exemptions"] = done.exemptions
    return context


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
        _print_fee(done.result, _redemption_context(done, context_on))
        print()
    for failure in result.failed:
        print(f"-- Ledger line {failure.line}: not applied -- {failure.reason}")
    if result.failed:
        print(
            _FAILED_NOTE.format(count=len(result.failed)).replace(" (see failed_redemptions)", "")
        )
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
    schedule, read_notes = read_schedule(args.lots)
    repo = common.open_repository(args.db)
    portfolio_id, share_class, cusip = resolve_class(repo, args)
    rule = redemption_fee_rule(repo, portfolio_id, share_class, on)
    plan = plan_fee_free(schedule, on, rule)
    payload = {
        "portfolio": repo.portfolio(portfolio_id).name_on(on),
        "portfolio_id": portfolio_id,
        "share_class": share_class.value,
        "cusip": cusip,
        "date": on,
        "shares_held": plan.shares_held,
        "fee_status": rule.standing.value,
        # silence is never "fee-free": no figure when no source documents the rule on the date
        "fee_free_shares": plan.fee_free_shares if rule.documented else None,
        "fee_free_lots": plan.fee_free_lots if rule.documented else None,
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
    if rule.documented:
        print(f"Redeemable fee-free:   {plan.fee_free_shares} ({plan.fee_free_lots} oldest lots)")
    else:
        print("Redeemable fee-free:   cannot be determined (the fee rule is not documented)")
    if plan.next_date:
        print(
            f"From {plan.next_date}: {plan.fee_free_shares_on_next_date} shares fee-free "
            "(if the same rule is in force)"
        )
    for note in payload["notes"]:  # type: ignore[attr-defined]
        print(f"Note: {note}")
    return EXIT_OK
