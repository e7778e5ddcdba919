"""The other calculators: ``exchange``, ``convert``, ``costs`` and ``batch``."""

from __future__ import annotations

import argparse
import datetime as dt
import os
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
    add_db,
    database_location,
    parse_date,
    stdin_text,
)
from janus_gui.cli.output import cite, emit_json
from janus_gui.core import inputs
from janus_gui.core.errors import InputError, NotFoundError
from janus_gui.core.json_forms import citation_payload, fee_rule_payload, support_payload
from janus_gui.core.models import ShareClass, Standing


def add_commands(subparsers: Any) -> None:
    """Register ``exchange``, ``convert``, ``costs`` and ``batch``."""
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
    add_db(exchange)
    exchange.set_defaults(func=_cmd_exchange)

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
    add_db(convert)
    convert.set_defaults(func=_cmd_convert)

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
    add_db(costs)
    costs.set_defaults(func=_cmd_costs)

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
    batch.add_argument(
        "--jobs",
        type=_positive_int,
        metavar="N",
        help="worker processes (default: the machine's cores; one for an input under 4 MB)",
    )
    batch.add_argument(
        "--memory-mb",
        type=_positive_int,
        default=64,
        metavar="MB",
        help="input held in memory while grouping rows by account, before "
        "they move to a temporary database (default 64)",
    )
    add_db(batch)
    batch.set_defaults(func=_cmd_batch)


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
    repo = common.open_repository(args.db)
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
    print(check.reason + cite(check.citation))
    print(f"Standing: {check.standing.value.replace('_', ' ')}")
    for note in check.notes:
        print(f"Note: {note}")
    return EXIT_OK


# -- convert -----------------------------------------------------------------------------------
def _cmd_convert(args: argparse.Namespace) -> int:
    from janus_gui.core.conversion import convert_shares

    result = convert_shares(
        inputs.parse_field(args.shares, "--shares", inputs.SHARES),
        inputs.parse_field(args.from_nav, "--from-nav", inputs.NAV),
        inputs.parse_field(args.to_nav, "--to-nav", inputs.NAV),
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

    repo = common.open_repository(args.db)
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
        ratio = inputs.parse_field(args.expense_ratio.rstrip("%"), "--expense-ratio", inputs.RATE)
        source: dict[str, object] | None = None
        notes: list[str] = []
    else:
        ratio, source, notes = _ratio_from_catalog(args)
    amount = EXAMPLE_AMOUNT
    if args.amount:
        amount = inputs.parse_field(args.amount, "--amount", inputs.AMOUNT)
    rate = (
        inputs.parse_field(args.return_rate.rstrip("%"), "--return-rate", inputs.RATE)
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


def _open_batch_input(input_path: str) -> Any:
    """The ``--input`` file opened from one snapshot (``None`` for standard input): a folder,
    FIFO, device or over-large file is refused here, before anything is computed."""
    from janus_gui.core.input_files import MAX_BATCH_BYTES, open_input

    if input_path == STDIO:
        return None
    return open_input(input_path, what="--input file", max_bytes=MAX_BATCH_BYTES)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {text}")
    return value


def _check_batch_paths(input_path: str, output_path: str) -> None:
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
    raw_input = _open_batch_input(args.input)
    try:
        _check_batch_paths(args.input, args.output)
        return _run_batch_command(args, raw_input)
    finally:
        if raw_input is not None:
            raw_input.close()


def _run_batch_command(args: argparse.Namespace, raw_input: Any) -> int:
    import io
    from functools import partial

    from janus_gui import userdirs
    from janus_gui.core.batch import BatchCatalog, run_batch
    from janus_gui.core.safe_write import write_from

    repo = common.open_repository(args.db)  # checked once here; workers open it without the check
    path, immutable = database_location(args.db)
    jobs = args.jobs or _default_jobs(args.input)
    catalog = partial(BatchCatalog.open, path, immutable=immutable)
    if jobs == 1:
        catalog = partial(BatchCatalog.of, repo)
    progress = _progress_callback()

    def produce(sink: Any) -> Any:
        if raw_input is None:
            source = stdin_text()
        else:
            raw_input.seek(0)
            source = io.TextIOWrapper(raw_input, encoding="utf-8-sig", newline="")
        try:
            return run_batch(
                source,
                sink,
                catalog,
                jobs=jobs,
                temp_dir=userdirs.cache_dir(),
                memory_bytes=args.memory_mb << 20,
                progress=progress,
            )
        finally:
            if raw_input is None:
                source.close()
            else:
                source.detach()  # the binary file is closed by the caller

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
