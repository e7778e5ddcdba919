"""One account of a batch: its lot rows in, one output row out (``docs/batch.md``).

``compute_account`` is the public entry point for engines that group rows themselves (Spark,
DuckDB, a database job): give it one account's rows as mappings of column name to cell text and
a ``BatchCatalog``, and it returns the output row as text, exactly as ``janus-gui batch`` writes
it (before spreadsheet neutralising). The batch command computes most accounts with a faster
column-wise path (``batch_engine``) that gives identical rows; anything unusual comes here.

Same-date lots are taken in ``seq`` order when the account gives a ``seq`` for every lot, else in
input order; the ``same_date_order`` column says which.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from janus_gui.core import inputs
from janus_gui.core.errors import InputError, JanusError, LotScheduleError
from janus_gui.core.exemptions import result_exemptions
from janus_gui.core.identifiers import IdentifierKind, classify
from janus_gui.core.lots import Lot, LotSchedule
from janus_gui.core.lots_csv import (
    EXEMPTION_COLUMNS,
    Collector,
    LotFileError,
    RowError,
    parse_date_cell,
    parse_lot_row,
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
    "exempt_reason": "exempt_reason",
    "exempt_recorded_by": "exempt_recorded_by",
    "exempt_recorded_on": "exempt_recorded_on",
    "seq": "seq",
}
REQUIRED_COLUMNS = ("account_id", "purchase_date", "shares")
PARAMETERS = (
    "cusip",
    "portfolio",
    "share_class",
    "redeem_date",
    "nav",
    "redeem_shares",
    "redeem_amount",
)
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
    "exempt_shares",
    "exempt_reasons",
    "same_date_order",
    "rule_citation",
    "error",
)
# same_date_order: how lots bought on one date were ordered (docs/batch.md)
ORDER_BY_SEQ = "seq"  # the account gives a seq for every lot
ORDER_BY_INPUT = "input order"  # no seq, and some lots share a date: their row order decided
ORDER_BY_DATE = "date"  # no seq, and no two lots share a date: row order cannot matter
MAX_SEQ_DIGITS = 12

RuleLookup = Callable[[str, ShareClass, dt.date], FeeRule]
ClassResolver = Callable[[str, str, str], tuple[str, ShareClass]]


@dataclass(frozen=True, slots=True)
class AccountLine:
    """One input row of an account: its line in the input and its cells by column name."""

    line: int
    cells: Mapping[str, str]


@dataclass(slots=True)
class BatchCatalog:
    """Portfolio/class resolution and fee rules for a batch, cached (accounts share a few).

    Build it with ``BatchCatalog.of(repository)`` or ``BatchCatalog.open(path)``; tests may pass
    their own ``resolve`` and ``rule_for`` functions.
    """

    resolve_class: ClassResolver
    rule_for_class: RuleLookup
    _classes: dict[tuple[str, str, str], tuple[str, ShareClass] | JanusError] = field(
        default_factory=dict
    )
    _rules: dict[tuple[str, ShareClass, dt.date], FeeRule] = field(default_factory=dict)

    @classmethod
    def of(cls, repo: Any) -> BatchCatalog:
        """A catalog over an open ``Repository``."""
        return cls(catalog_resolver(repo), catalog_rules(repo))

    @classmethod
    def open(cls, path: str | Path, *, immutable: bool = False) -> BatchCatalog:
        """Open the catalog database at ``path`` read-only (the content check is skipped)."""
        from janus_gui.core.repository import Repository

        return cls.of(Repository.open(Path(path), immutable=immutable, verify=False))

    def resolve(self, cusip: str, portfolio: str, share_class: str) -> tuple[str, ShareClass]:
        """``(portfolio_id, class)``; raises the same ``JanusError`` each time for bad input."""
        key = (cusip, portfolio, share_class)
        found = self._classes.get(key)
        if found is None:
            try:
                found = self.resolve_class(cusip, portfolio, share_class)
            except JanusError as exc:
                found = exc
            self._classes[key] = found
        if isinstance(found, JanusError):
            raise found
        return found

    def rule_for(self, pid: str, share_class: ShareClass, on: dt.date) -> FeeRule:
        """The redemption-fee rule in force for the class on ``on``."""
        key = (pid, share_class, on)
        rule = self._rules.get(key)
        if rule is None:
            rule = self._rules[key] = self.rule_for_class(pid, share_class, on)
        return rule


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
    """``redemption_fee_rule`` of the catalog."""
    from janus_gui.core.asof import redemption_fee_rule

    def rule_for(pid: str, share_class: ShareClass, on: dt.date) -> FeeRule:
        return redemption_fee_rule(repo, pid, share_class, on)

    return rule_for


# -- the cell rules --------------------------------------------------------------------------
def parse_request(params: Mapping[str, str], line: int) -> RedemptionRequest:
    """The account's redemption from its per-account cells (numbers and dates parsed here)."""
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
        return RedemptionRequest.of_amount(
            on, nav, parse_positive_decimal(amount, places=inputs.AMOUNT_PLACES)
        )
    except ValueError as exc:
        raise LotScheduleError(f"redeem_shares/redeem_amount {exc}", line=line) from None


def parse_seq(text: str) -> int:
    """A ``seq`` cell: a whole number, 0 or more (``ValueError`` with a user-facing message)."""
    value = text.strip()
    if not value.isdigit() or not value.isascii() or len(value) > MAX_SEQ_DIGITS:
        raise ValueError(f"{value!r} is not a whole number of at most {MAX_SEQ_DIGITS} digits")
    return int(value)


def same_date_order(by_seq: bool, dates: Sequence[object]) -> str:
    """Which rule ordered the account's lots (``same_date_order`` column)."""
    if by_seq:
        return ORDER_BY_SEQ
    return ORDER_BY_DATE if len(set(dates)) == len(dates) else ORDER_BY_INPUT


# -- the general path --------------------------------------------------------------------------
def error_row(account: str, message: str) -> list[object]:
    """An output row for an account that could not be computed."""
    row: list[object] = [""] * len(OUTPUT_COLUMNS)
    row[0], row[1], row[-1] = account, "error", message
    return row


def _parameters(rows: Sequence[AccountLine]) -> tuple[dict[str, str], int]:
    """The account's redemption parameters and the line that gives them.

    Each may be given on any of the account's rows (rows come in any order); a row that
    repeats one must give the same value.
    """
    params: dict[str, str] = {}
    given_on: dict[str, int] = {}
    for row in rows:
        for name in PARAMETERS:
            value = row.cells.get(name, "").strip()
            if not value:
                continue
            if name not in params:
                params[name], given_on[name] = value, row.line
            elif value != params[name]:
                raise LotScheduleError(
                    f"{name} {value!r} differs from line {given_on[name]} ({params[name]!r})",
                    line=row.line,
                )
    line = min(given_on.values(), default=rows[0].line)
    return {name: params.get(name, "") for name in PARAMETERS}, line


def _seqs(rows: Sequence[AccountLine]) -> list[int] | None:
    """The ``seq`` of every lot, or ``None`` when the account gives none (input order)."""
    texts = [row.cells.get("seq", "").strip() for row in rows]
    if not any(texts):
        return None
    seqs: list[int] = []
    first_line: dict[int, int] = {}
    for row, text in zip(rows, texts, strict=True):
        if not text:
            raise LotScheduleError(
                "seq is missing; give seq for every lot of the account or for none", line=row.line
            )
        try:
            seq = parse_seq(text)
        except ValueError as exc:
            raise LotScheduleError(f"seq {exc}", line=row.line) from None
        earlier = first_line.setdefault(seq, row.line)
        if earlier != row.line:
            raise LotScheduleError(
                f"seq {seq} is given twice (first on line {earlier})", line=row.line
            )
        seqs.append(seq)
    return seqs


def _lots(rows: Sequence[AccountLine], seqs: list[int] | None) -> list[Lot]:
    names = ["purchase_date", "shares", "lot_id", "exempt"]
    # Exemption cells are read only where an account gives them: they cost a look per row.
    names += [n for n in EXEMPTION_COLUMNS if any(row.cells.get(n) for row in rows)]
    columns = {name: index for index, name in enumerate(names)}
    state = Collector(limit=None)
    lots: list[Lot] = []
    for position, row in enumerate(rows):
        cells = [row.cells.get(name, "") for name in columns]
        seq = seqs[position] if seqs is not None else position + 1
        lot = parse_lot_row(cells, row.line, seq, columns, state)
        if lot is not None:
            lots.append(lot)
    if state.errors:
        raise LotFileError(state.errors)
    return lots


def result_row(
    account: str,
    pid: str,
    share_class: ShareClass,
    result: RedemptionResult,
    order: str,
    exempt_reasons: str = "",
) -> list[object]:
    """The output row of a computed account (``exempt_reasons``: ``ExemptShares.cell()``)."""
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
        result.shares_exempt,
        exempt_reasons,
        order,
        rule.citation.label() if rule.citation else "",
        "" if rule.documented else rule.reason,
    ]


def _line_of(row: AccountLine) -> int:
    return row.line


def account_row(account: str, rows: Sequence[AccountLine], catalog: BatchCatalog) -> list[object]:
    """One output row for one account's rows (an error row instead of raising)."""
    rows = sorted(rows, key=_line_of)  # input order, whatever order they were grouped in
    if not account:
        return error_row("", f"line {rows[0].line}: account_id is missing")
    try:
        params, line = _parameters(rows)
        request = parse_request(params, line)
        pid, share_class = catalog.resolve(
            params["cusip"], params["portfolio"], params["share_class"]
        )
        seqs = _seqs(rows)
        lots = _lots(rows, seqs)
        rule = catalog.rule_for(pid, share_class, request.redeem_date)
        schedule = LotSchedule.from_lots(lots)
        result = redeem(schedule, request, rule)
        order = same_date_order(seqs is not None, [lot.purchase_date for lot in lots])
        reasons = result_exemptions(schedule, result.lots).cell() if result.shares_exempt else ""
    except JanusError as exc:
        message = str(exc)
        if not message.startswith("line "):
            message = f"line {rows[0].line}: {message}"
        return error_row(account, message)
    return result_row(account, pid, share_class, result, order, reasons)


def cell_text(value: object) -> str:
    """The text of one output cell (dates ISO, ``None`` empty)."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def compute_account(
    account_id: str, rows: Iterable[Mapping[str, object]], catalog: BatchCatalog
) -> dict[str, str]:
    """Compute one account of a batch: the output row ``janus-gui batch`` writes for it.

    Args:
        account_id: the account (rows of other accounts must not be passed).
        rows: the account's lot rows as mappings of input column name (``docs/batch.md``) to
            cell text, in input order. A ``line`` entry, when present, is the row's line in
            the input and is used in error messages; otherwise rows are numbered from 1.
        catalog: the portfolios and fee rules (``BatchCatalog.open(path)``).

    Returns:
        The output row as ``{column: text}`` with the keys of ``OUTPUT_COLUMNS`` in order.
        ``status`` is ``ok``, or ``error`` with the reason in ``error``; it never raises for
        bad input. Cells are not neutralised for spreadsheets (the CSV writer does that).
    """
    lines = []
    for position, row in enumerate(rows, start=1):
        cells = {
            BATCH_COLUMNS.get(str(name).strip().lower(), ""): "" if value is None else str(value)
            for name, value in row.items()
        }
        cells.pop("", None)
        line = row.get("line")
        lines.append(AccountLine(int(str(line)) if line not in (None, "") else position, cells))
    if not lines:
        values = error_row(account_id, "the account has no rows")
    else:
        values = account_row(account_id.strip(), lines, catalog)
    return dict(zip(OUTPUT_COLUMNS, map(cell_text, values), strict=True))


def header_error(message: str) -> LotFileError:
    """An unusable batch header (exit code 2)."""
    return LotFileError([RowError(1, "", message)])
