"""Batch rows follow the same input rules as `fee` and the window, and bad cells are named."""

from __future__ import annotations

import pytest

from janus_gui.core import inputs
from janus_gui.core.batch import compute_account
from janus_gui.core.errors import InputError
from janus_gui.core.lots_csv import LotFileError
from tests.core.test_batch import catalog, run, run_text

GOOD = "A1,Overseas,Service II,,2023-03-02,{nav},{shares},{amount},2023-01-01,100,a\n"


def _row(nav: str = "10", shares: str = "10", amount: str = "") -> str:
    return GOOD.format(nav=nav, shares=shares, amount=amount)


def _reason(text: str, rule: inputs.NumberRule) -> str:
    with pytest.raises(ValueError) as caught:
        inputs.parse_number(text, rule)
    return str(caught.value)


@pytest.mark.parametrize("nav", ["10.1234567", "0.4999999999999999999999999999999"])
def test_nav_has_at_most_six_decimals(nav: str) -> None:
    (row,) = run(_row(nav=nav))
    assert row["status"] == "error"
    assert row["error"] == f"line 2: nav {_reason(nav, inputs.NAV)}"


@pytest.mark.parametrize("nav", ["10.123456", "10.1234560000"])
def test_nav_with_six_decimals_is_accepted(nav: str) -> None:
    (row,) = run(_row(nav=nav))
    assert row["status"] == "ok", row["error"]


@pytest.mark.parametrize("amount", ["10.005", "1_000", "１０"])
def test_amount_follows_the_amount_rule(amount: str) -> None:
    (row,) = run(_row(shares="", amount=amount))
    assert row["status"] == "error"
    assert row["error"].endswith(_reason(amount, inputs.AMOUNT))


@pytest.mark.parametrize("shares", ["1.0001", "1,5", "1e3"])
def test_redeem_shares_follow_the_shares_rule(shares: str) -> None:
    (row,) = run(_row(shares=f'"{shares}"'))
    assert row["status"] == "error"
    assert row["error"].endswith(_reason(shares, inputs.SHARES))


def test_compute_account_uses_the_same_rules() -> None:
    cells = {
        "purchase_date": "2023-01-01",
        "shares": "100",
        "portfolio": "Overseas",
        "share_class": "Service II",
        "redeem_date": "2023-03-02",
        "nav": "10.1234567",
        "redeem_shares": "10",
    }
    out = compute_account("A1", [cells], catalog())
    assert out["status"] == "error"
    assert "more than 6 decimal places" in out["error"]


def test_a_row_wider_than_the_header_is_an_error_row() -> None:
    """An unquoted ``1,5`` splits a cell in two: never read as 1 with a stray column."""
    rows = run(
        "A1,Overseas,Service II,,2023-03-02,10,5,,2023-01-01,1,5,a\n"
        "A2,Overseas,Service II,,2023-03-02,10,5,,2023-01-01,100,b\n"
    )
    assert rows[0]["status"] == "error"
    assert rows[0]["error"] == "line 2: row has 12 cells; the header has 11"
    assert rows[1]["status"] == "ok"


def test_one_wide_and_one_short_row_do_not_shift_columns() -> None:
    """One extra cell and one missing cell balance out in a chunk: still caught."""
    rows = run(
        "A1,Overseas,Service II,,2023-03-02,10,5,,2023-01-01,1,5,a\n"
        "A2,Overseas,Service II,,2023-03-02,10,5,,2023-01-01,100\n"
    )
    assert [r["account_id"] for r in rows] == ["A1", "A2"]
    assert rows[0]["error"] == "line 2: row has 12 cells; the header has 11"
    assert rows[1]["status"] == "ok"


def test_trailing_empty_cells_are_allowed() -> None:
    (row,) = run("A1,Overseas,Service II,,2023-03-02,10,5,,2023-01-01,100,a,,\n")
    assert row["status"] == "ok", row["error"]


def test_wide_rows_in_any_order_are_caught() -> None:
    rows = run(
        "A1,Overseas,Service II,,2023-03-02,10,5,,2023-01-01,1,5,a\n"
        "A2,Overseas,Service II,,2023-03-02,10,5,,2023-01-01,100\n"
        "A1,,,,,,,,2023-01-02,3,c\n"
    )
    assert [r["account_id"] for r in rows] == ["A1", "A2"]
    assert rows[0]["error"] == "line 2: row has 12 cells; the header has 11"
    assert rows[1]["status"] == "ok"


def test_a_cell_over_the_csv_field_limit_names_its_line() -> None:
    text = (
        "account_id,cusip,redeem_date,nav,redeem_shares,purchase_date,shares\n"
        "A1,471021709,2012-04-20,10,5,2012-04-01,10\n"
        f'A2,471021709,2012-04-20,10,5,2012-04-01,"{"x" * 2_000_000}"\n'
    )
    with pytest.raises((InputError, LotFileError)) as caught:
        run_text(text)
    message = str(caught.value)
    assert message.startswith("line 3:"), message
    assert "longer than" in message


def test_a_long_quoted_cell_under_the_line_limit_is_an_error_row_not_a_csv_error() -> None:
    text = (
        "account_id,cusip,redeem_date,nav,redeem_shares,purchase_date,shares,lot_id\n"
        f'A1,471021709,2012-04-20,10,5,2012-04-01,10,"{"x" * 200_000}"\n'
    )
    rows, _summary = run_text(text)
    assert rows[0]["status"] == "error"
    assert "lot_id" in rows[0]["error"] and "longer than 200" in rows[0]["error"]
