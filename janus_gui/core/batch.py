"""Batch redemption fees: one input CSV with the lots of many accounts, one output row each.

Format (``docs/batch.md``): each input row is one lot of one account (``account_id``,
``purchase_date``, ``shares``, optional ``lot_id``/``exempt``); the account's redemption is given
on its first row (``cusip`` or ``portfolio`` + ``share_class``, ``redeem_date``, ``nav`` and
``redeem_shares`` (a number or ``all``) or ``redeem_amount``). Later rows may repeat those values
or leave them blank. Rows of one account must be contiguous: accounts are computed and written as
soon as their last row is read, so the file is never held in memory. A bad account gets an error
row and never stops the others.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import IO, Any

from janus_gui.core import inputs, safe_write
from janus_gui.core.csv_safety import safe_row
from janus_gui.core.errors import InputError, JanusError, LotScheduleError
from janus_gui.core.identifiers import IdentifierKind, classify
from janus_gui.core.lots import Lot, LotSchedule
from janus_gui.core.lots_csv import (
    LotFileError,
    RowError,
    _Collector,
    _map_header,
    _parse_lot_row,
    parse_date_cell,
    parse_positive_decimal,
)
from janus_gui.core.models import FeeRule, ShareClass
from janus_gui.core.redemption import RedemptionRequest, RedemptionResult, redeem

logger = logging.getLogger(__name__)

BATCH_COLUMNS = {
    "account_id": "account_id",
    "account": "account_id",
    "cusip": "cusip",
    "portfolio": "portfolio",
    "share_class": "share_class",
    "class": "share_class",
    "redeem_date": "redeem_date",
    "nav": "nav",
    "redeem_shares": "redeem_shares",
    "redeem_amount": "redeem_amount",
    "purchase_date": "purchase_date",
    "shares": "shares",
    "lot_id": "lot_id",
    "exempt": "exempt",
}
PARAMETERS = ("cusip", "portfolio", "share_class", "redeem_date", "nav", "redeem_shares",
              "redeem_amount")
OUTPUT_COLUMNS = (
    "account_id",
    "status",
    "portfolio_id",
    "share_class",
    "redeem_date",
    "nav",
    "shares_redeemed",
    "shares_subject_to_fee",
    "redemption_value",
    "fee",
    "net_proceeds",
    "fee_rate",
    "holding_period_days",
    "lots_redeemed",
    "lots_remaining",
    "rule_citation",
    "error",
)

RuleLookup = Callable[[str, ShareClass, dt.date], FeeRule]
ClassResolver = Callable[[str, str, str], tuple[str, ShareClass]]


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """Counts after a batch run."""

    accounts: int
    ok: int
    failed: int
    rows: int


@dataclass(frozen=True, slots=True)
class _Line:
    line: int
    cells: dict[str, str]


def _account_error(account: str, message: str) -> list[object]:
    row: list[object] = [""] * len(OUTPUT_COLUMNS)
    row[0], row[1], row[-1] = account, "error", message
    return row


def _parameters(rows: Sequence[_Line]) -> dict[str, str]:
    """The account's redemption parameters: first row, repeated values must agree."""
    first = rows[0]
    params = {name: first.cells.get(name, "").strip() for name in PARAMETERS}
    for row in rows[1:]:
        for name in PARAMETERS:
            value = row.cells.get(name, "").strip()
            if value and value != params[name]:
                raise LotScheduleError(
                    f"{name} {value!r} differs from the account's first row ({params[name]!r})",
                    line=row.line,
                )
    return params


def _request(params: dict[str, str], line: int) -> RedemptionRequest:
    try:
        on = parse_date_cell(params["redeem_date"])
    except ValueError as exc:
        raise LotScheduleError(f"redeem_date {exc}", line=line) from None
    try:
        nav = parse_positive_decimal(params["nav"], places=inputs.NAV_PLACES)
    except ValueError as exc:
        raise LotScheduleError(f"nav {exc}", line=line) from None
    shares, amount = params["redeem_shares"], params["redeem_amount"]
    if bool(shares) == bool(amount):
        raise LotScheduleError("give exactly one of redeem_shares or redeem_amount", line=line)
    try:
        if shares.lower() == "all":
            return RedemptionRequest.of_all(on, nav)
        if shares:
            return RedemptionRequest.of_shares(on, nav, parse_positive_decimal(shares, places=3))
        amount_value = parse_positive_decimal(amount, places=inputs.AMOUNT_PLACES)
        return RedemptionRequest.of_amount(on, nav, amount_value)
    except ValueError as exc:
        raise LotScheduleError(f"redeem_shares/redeem_amount {exc}", line=line) from None


def _lots(rows: Sequence[_Line], columns: dict[str, int]) -> list[Lot]:
    state = _Collector(limit=None)
    lots: list[Lot] = []
    for seq, row in enumerate(rows, start=1):
        cells = [row.cells.get(name, "") for name in columns]
        lot = _parse_lot_row(cells, row.line, seq, columns, state)
        if lot is not None:
            lots.append(lot)
    if state.errors:
        raise LotFileError(state.errors)
    return lots


def _result_row(account: str, pid: str, share_class: ShareClass, result: RedemptionResult):
    rule = result.rule
    return [
        account,
        "ok",
        pid,
        share_class.value,
        result.request.redeem_date,
        result.request.nav,
        result.shares_redeemed,
        result.shares_subject_to_fee,
        result.redemption_value,
        result.total_fee,
        result.net_proceeds,
        result.fee_rate,
        rule.holding_period_days if rule.applies else "",
        len(result.lots),
        len(result.remaining),
        rule.citation.label() if rule.citation else "",
        "" if rule.documented else rule.reason,
    ]


def compute_account(
    account: str,
    rows: Sequence[_Line],
    resolve: ClassResolver,
    rule_for: RuleLookup,
) -> list[object]:
    """One output row for one account (an error row instead of raising)."""
    lot_columns = {"purchase_date": 0, "shares": 1, "lot_id": 2, "exempt": 3}
    try:
        params = _parameters(rows)
        request = _request(params, rows[0].line)
        pid, share_class = resolve(params["cusip"], params["portfolio"], params["share_class"])
        lots = _lots(rows, lot_columns)
        rule = rule_for(pid, share_class, request.redeem_date)
        result = redeem(LotSchedule.from_lots(lots), request, rule)
    except JanusError as exc:
        message = str(exc)
        if not message.startswith("line "):
            message = f"line {rows[0].line}: {message}"
        return _account_error(account, message)
    return _result_row(account, pid, share_class, result)


def _grouped(reader: Any, columns: dict[str, int]) -> Iterator[tuple[str, list[_Line]]]:
    """(account id, its rows) for each contiguous run of rows; blank rows are skipped."""

    def lines() -> Iterator[_Line]:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            cells = {name: row[i] if i < len(row) else "" for name, i in columns.items()}
            yield _Line(reader.line_num, cells)

    for account, group in groupby(lines(), key=lambda line: line.cells["account_id"].strip()):
        yield account, list(group)


def run_batch(
    reader: Iterable[list[str]] | Any,
    write_row: Callable[[Sequence[object]], None],
    resolve: ClassResolver,
    rule_for: RuleLookup,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> BatchSummary:
    """Compute every account of a batch as its rows complete.

    Args:
        reader: a ``csv.reader`` over the input (header row first).
        write_row: called with each output row (the header first).
        resolve: ``(cusip, portfolio, share_class) -> (portfolio_id, ShareClass)``.
        rule_for: ``(portfolio_id, share_class, date) -> FeeRule``.
        progress: optional ``(accounts done, rows read)`` callback.

    Raises:
        LotFileError: only for an unusable header; row problems become error rows.
    """
    header = next(reader, None)
    if header is None:
        raise LotFileError([RowError(1, "", "the batch file is empty; a header row is required")])
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0][1:]
    columns, _ = _map_header(header, BATCH_COLUMNS, ("account_id", "purchase_date", "shares"))
    write_row(OUTPUT_COLUMNS)
    seen: set[str] = set()
    accounts = ok = rows_read = 0
    for account, rows in _grouped(reader, columns):
        rows_read += len(rows)
        accounts += 1
        if not account:
            output = _account_error("", f"line {rows[0].line}: account_id is missing")
        elif account in seen:
            output = _account_error(
                account,
                f"line {rows[0].line}: rows of account {account!r} are not contiguous "
                "(group each account's rows together)",
            )
        else:
            output = compute_account(account, rows, resolve, rule_for)
        seen.add(account)
        ok += output[1] == "ok"
        write_row(output)
        if progress is not None:
            progress(accounts, rows_read)
    return BatchSummary(accounts, ok, accounts - ok, rows_read)


def catalog_resolver(repo: Any) -> ClassResolver:
    """Resolve ``cusip`` or ``portfolio`` + ``share_class`` against the catalog."""

    def resolve(cusip: str, portfolio: str, share_class: str) -> tuple[str, ShareClass]:
        if cusip:
            found = classify(cusip)
            if found.kind not in (IdentifierKind.CUSIP, IdentifierKind.CUSIP8):
                raise InputError(f"cusip {cusip!r} is not a CUSIP")
            security = repo.security(found.value)
            if security is None:
                raise InputError(f"CUSIP {found.value} is not in the catalog")
            return security.portfolio_id, security.share_class
        if not portfolio or not share_class:
            raise InputError("give cusip, or portfolio and share_class")
        return repo.resolve_portfolio(portfolio).portfolio_id, ShareClass.parse(share_class)

    return resolve


def catalog_rules(repo: Any) -> RuleLookup:
    """``redemption_fee_rule`` with a cache (many accounts share a class and date)."""
    from janus_gui.core.asof import redemption_fee_rule

    cache: dict[tuple[str, ShareClass, dt.date], FeeRule] = {}

    def rule_for(pid: str, share_class: ShareClass, on: dt.date) -> FeeRule:
        key = (pid, share_class, on)
        if key not in cache:
            cache[key] = redemption_fee_rule(repo, pid, share_class, on)
        return cache[key]

    return rule_for


def _same_file(first: Path, second: Path) -> bool:
    try:
        if first.resolve() == second.resolve():
            return True
        return first.exists() and second.exists() and os.path.samefile(first, second)
    except (OSError, RuntimeError):  # a symbolic-link loop: reported when it is opened
        return False


def run_batch_files(
    repo: Any,
    input_path: str | Path,
    output_path: str | Path,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> BatchSummary:
    """Read ``input_path`` and write one row per account to ``output_path`` (CSV, UTF-8).

    Rows are streamed to a temporary file beside the output, which replaces the output only
    when the whole batch has been read: a failed run leaves an existing output untouched and no
    partial results behind.

    Raises:
        InputError: when the output is the input file, or the input is not UTF-8 text.
        LotFileError: for an unusable header.
    """
    source_path, target_path = Path(input_path), Path(output_path)
    safe_write.check_target(target_path)
    if _same_file(source_path, target_path):
        raise InputError(f"the output file must not be the input file ({output_path})")
    # The output is checked and its temporary reserved before any account is computed.
    with (
        safe_write.open_for_replace(target_path) as target,
        open(source_path, encoding="utf-8-sig", newline="") as source,
    ):
        writer = csv.writer(target)

        def write_row(row: Sequence[object]) -> None:
            writer.writerow(safe_row(row))
            target.flush()

        try:
            summary = run_batch(
                csv.reader(source),
                write_row,
                catalog_resolver(repo),
                catalog_rules(repo),
                progress=progress,
            )
        except UnicodeDecodeError:
            raise InputError(f"{input_path} is not UTF-8 text") from None
    return summary


def write_rows_to(stream: IO[str]) -> Callable[[Sequence[object]], None]:
    """A ``write_row`` for ``run_batch`` writing neutralised CSV rows to ``stream``."""
    writer = csv.writer(stream)
    return lambda row: writer.writerow(safe_row(row))
