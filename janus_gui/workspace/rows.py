"""Lot rows as typed: each cell parsed by the core's input rules, invalid text kept with its reason.

A row whose cell does not parse keeps the text the user typed and the reason, and is left out of
the computation until it is fixed. The column numbers are the lot table's.
"""

from __future__ import annotations

import datetime as dt
import getpass
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from janus_gui.core import inputs, lots_csv
from janus_gui.core.exemptions import Exemption, parse_exemption
from janus_gui.core.lots import Lot
from janus_gui.core.workspace_file import LotText

COL_SEQ = 0
COL_DATE = 1
COL_SHARES = 2
COL_LOT_ID = 3
COL_EXEMPT = 4
COLUMN_TITLES = ("#", "Purchase date", "Shares", "Lot id", "Exempt")

_SUBJECTS = {"purchase_date": "the purchase date", "shares": "the share count"}


def cell_message(column: str, problem: str) -> str:
    """Turn the reader's short messages (``"is missing"``) into a sentence."""
    if problem.startswith("is "):
        return f"{_SUBJECTS.get(column, column)} {problem}"
    return problem


def parse_date_cell(text: str) -> tuple[dt.date | None, str | None]:
    """A purchase date, or ``(None, reason)``."""
    try:
        return lots_csv.parse_date_cell(text), None
    except ValueError as exc:
        return None, cell_message("purchase_date", str(exc))


def parse_shares_cell(text: str) -> tuple[Decimal | None, str | None]:
    """A positive share count with at most three decimals (returned with three), or a reason."""
    try:
        return lots_csv.parse_shares_cell(text), None
    except ValueError as exc:
        return None, cell_message("shares", str(exc))


def parse_exempt_cell(text: str) -> bool:
    """True for yes/true/1/exempt; anything unknown reads as not exempt."""
    try:
        return lots_csv.parse_exempt_cell(text)
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class TextRow:
    """A row's cells by meaning, as read, with the reader's errors (column key -> message)."""

    line: int
    purchase_date: str
    shares: str
    lot_id: str
    exempt: str
    errors: dict[str, str]
    lot: Lot | None = None  # the parsed lot when the row has no error


@dataclass(frozen=True, slots=True)
class LotRow:
    """One row as typed, with the parsed values (``None`` when invalid) and per-column errors."""

    date_text: str = ""
    shares_text: str = ""
    lot_id: str = ""
    exempt: Any = False  # False, True (no reason recorded) or an Exemption
    purchase_date: dt.date | None = None
    shares: Decimal | None = None
    errors: dict[int, str] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        """True when the row takes part in the computation."""
        return not self.errors and self.purchase_date is not None and self.shares is not None

    def error_text(self) -> str:
        """Every problem of the row, one per line."""
        return "\n".join(f"{COLUMN_TITLES[c]}: {msg}" for c, msg in sorted(self.errors.items()))

    def as_text(self) -> LotText:
        """The row as typed, for a workspace file."""
        return LotText(self.date_text, self.shares_text, self.lot_id, self.exempt)


def parse_row(date_text: str, shares_text: str, lot_id: str = "", exempt: Any = False) -> LotRow:
    """Build a ``LotRow`` from typed text, recording why a cell does not parse."""
    row = LotRow(date_text.strip(), shares_text.strip(), lot_id.strip(), exempt)
    row = with_cell(row, COL_DATE, row.date_text)
    row = with_cell(row, COL_SHARES, row.shares_text)
    return with_lot_id(row, row.lot_id)


def with_lot_id(row: LotRow, text: str) -> LotRow:
    """The lot id as typed, refused (a red cell) where the input rules refuse it."""
    errors = {c: m for c, m in row.errors.items() if c != COL_LOT_ID}
    try:
        inputs.parse_lot_id(text)
    except ValueError as exc:
        errors[COL_LOT_ID] = f"the lot id {exc}"
    return replace(row, lot_id=text.strip(), errors=errors)


def with_cell(row: LotRow, column: int, text: str) -> LotRow:
    """``row`` with its purchase date (``COL_DATE``) or shares (``COL_SHARES``) retyped."""
    errors = dict(row.errors)
    errors.pop(column, None)
    if column == COL_DATE:
        value, problem = parse_date_cell(text)
        return replace(
            row, date_text=text, purchase_date=value, errors=_set(errors, problem, column)
        )
    value_shares, problem = parse_shares_cell(text)
    return replace(row, shares_text=text, shares=value_shares, errors=_set(errors, problem, column))


def _set(errors: dict[int, str], problem: str | None, column: int) -> dict[int, str]:
    if problem:
        errors[column] = problem
    return errors


def row_from_text(lot: LotText) -> LotRow:
    """A row from a saved workspace row."""
    return parse_row(lot.purchase_date, lot.shares, lot.lot_id, lot.exempt)


_ERROR_COLUMNS = {
    "purchase_date": COL_DATE,
    "shares": COL_SHARES,
    "lot_id": COL_LOT_ID,
    "exempt": COL_EXEMPT,
    "exempt_reason": COL_EXEMPT,
    "exempt_recorded_by": COL_EXEMPT,
    "exempt_recorded_on": COL_EXEMPT,
}


def row_from_parsed(text_row: TextRow) -> LotRow:
    """A row from a pasted or imported row already parsed by the core reader."""
    lot = text_row.lot
    errors = {_ERROR_COLUMNS.get(k, COL_SEQ): msg for k, msg in text_row.errors.items()}
    if lot is not None:
        return LotRow(
            text_row.purchase_date,
            text_row.shares,
            text_row.lot_id,
            lot.exempt,
            lot.purchase_date,
            lot.shares,
            errors,
        )
    # A row with an error keeps the values of its good cells, so fixing the bad cell is
    # enough to bring the row back into the computation.
    return LotRow(
        text_row.purchase_date,
        text_row.shares,
        text_row.lot_id,
        parse_exempt_cell(text_row.exempt),
        parse_date_cell(text_row.purchase_date)[0],
        parse_shares_cell(text_row.shares)[0],
        errors,
    )


def current_user() -> str:
    """Who is recording an exemption: the operating-system account name."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment or the password database
        return ""


def recorded_exemption(text: str) -> Exemption | None:
    """An exemption chosen in the table, recorded now by the current user (``ValueError`` for
    an unknown reason or "other" without a note)."""
    return parse_exemption(text, current_user(), dt.date.today())
