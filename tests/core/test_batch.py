"""Batch fees: one output row per account, error rows, streaming order, formula neutralising."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest

from janus_gui.core.batch import OUTPUT_COLUMNS, run_batch, run_batch_files, write_rows_to
from janus_gui.core.errors import InputError
from janus_gui.core.lots_csv import LotFileError
from janus_gui.core.models import FeeRule, ShareClass
from tests.core.test_redemption import NO_FEE, SII

DATA = Path(__file__).resolve().parent.parent / "data" / "lots"
HEADER = (
    "account_id,portfolio,share_class,cusip,redeem_date,nav,redeem_shares,redeem_amount,"
    "purchase_date,shares,lot_id\n"
)


def resolve(cusip: str, portfolio: str, share_class: str) -> tuple[str, ShareClass]:
    if portfolio == "Nowhere":
        raise InputError("no portfolio is named 'Nowhere'")
    return "P4", ShareClass.parse(share_class or "Service II")


def rule_for(_pid: str, share_class: ShareClass, _on: dt.date) -> FeeRule:
    return SII if share_class == ShareClass.SERVICE_II else NO_FEE


def run(text: str, progress=None) -> list[dict[str, str]]:
    out = io.StringIO()
    run_batch(csv.reader(io.StringIO(HEADER + text)), write_rows_to(out), resolve, rule_for,
              progress=progress)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_accounts_computed_with_hand_values() -> None:
    rows = run(
        "A1,Overseas,Service II,,2023-03-02,10.00,120,,2023-01-01,100,a\n"
        "A1,,,,,,,,2023-02-15,50,b\n"
        "B2,Overseas,Service II,,2023-03-03,10.00,all,,2023-02-15,50,x\n"
        "C3,Overseas,Service II,,2023-01-20,10.00,,102.50,2023-01-01,20,y\n"
    )
    assert [r["account_id"] for r in rows] == ["A1", "B2", "C3"]
    assert rows[0]["fee"] == "12.00" and rows[0]["lots_remaining"] == "1"  # G1
    assert rows[1]["fee"] == "5.00" and rows[1]["shares_redeemed"] == "50.000"  # 16 days
    # $102.50 / 10 = 10.250 shares, 19 days: 0.01 x 10 x 10.25 = 1.025 -> 1.03 (G9)
    assert rows[2]["fee"] == "1.03" and rows[2]["net_proceeds"] == "101.47"
    assert all(r["status"] == "ok" for r in rows)


def test_bad_accounts_get_error_rows_and_never_stop_the_others() -> None:
    rows = run(
        "A1,Overseas,Service II,,2023-03-02,10.00,500,,2023-01-01,100,a\n"
        "B2,Nowhere,Service,,2023-03-02,10.00,1,,2023-01-01,100,b\n"
        "C3,Overseas,Service,,2023-02-30,10.00,1,,2023-01-01,100,c\n"
        "D4,Overseas,Service,,2023-03-02,10.00,1,5,2023-01-01,100,d\n"
        "E5,Overseas,Service,,2023-03-02,10.00,1,,2023-01-01,abc,e\n"
        "F6,Overseas,Service,,2023-03-02,10.00,1,,2023-01-01,1,f\n"
        "F6,Balanced,Service,,,,,,2023-01-02,1,g\n"
        ",Overseas,Service,,2023-03-02,10.00,1,,2023-01-01,1,h\n"
        "A1,Overseas,Service,,2023-03-02,10.00,1,,2023-01-01,1,z\n"
        "G7,Overseas,Service,,2023-03-02,10.00,1,,2023-01-01,1,ok\n"
    )
    status = {(r["account_id"], r["status"]): r["error"] for r in rows[:-2]}
    assert status[("A1", "error")].startswith("line 2: cannot redeem 500.000 shares")
    assert "line 3: no portfolio is named 'Nowhere'" in status[("B2", "error")]
    assert "line 4: redeem_date '2023-02-30' is not a calendar date" in status[("C3", "error")]
    assert "exactly one of redeem_shares or redeem_amount" in status[("D4", "error")]
    assert "line 6" in status[("E5", "error")] and "not a number" in status[("E5", "error")]
    assert "line 8: portfolio 'Balanced' differs" in status[("F6", "error")]
    assert "account_id is missing" in status[("", "error")]
    assert [r["account_id"] for r in rows][-2:] == ["A1", "G7"]
    assert "not contiguous" in rows[-2]["error"]
    assert rows[-1]["status"] == "ok" and rows[-1]["fee"] == "0.00"


def test_progress_reports_after_each_account() -> None:
    calls: list[tuple[int, int]] = []
    run(
        "A1,Overseas,Service,,2023-03-02,10.00,1,,2023-01-01,1,a\n"
        "A1,,,,,,,,2023-01-02,1,b\n"
        "B2,Overseas,Service,,2023-03-02,10.00,1,,2023-01-01,1,c\n",
        progress=lambda accounts, rows: calls.append((accounts, rows)),
    )
    assert calls == [(1, 2), (2, 3)]


def test_output_cells_are_neutralised() -> None:
    rows = run("=cmd(),Overseas,Service,,2023-03-02,10.00,1,,2023-01-01,1,a\n")
    assert rows[0]["account_id"] == "'=cmd()"


def test_header_is_required() -> None:
    with pytest.raises(LotFileError, match="header row must name account_id"):
        run_batch(csv.reader(io.StringIO("a,b\n")), lambda row: None, resolve, rule_for)
    with pytest.raises(LotFileError, match="empty"):
        run_batch(csv.reader(io.StringIO("")), lambda row: None, resolve, rule_for)


def test_files_against_the_catalog(repo, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    summary = run_batch_files(repo, DATA / "batch.csv", target)
    assert (summary.accounts, summary.ok, summary.failed) == (8, 3, 5)
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert list(rows[0]) == list(OUTPUT_COLUMNS)
    assert rows[0]["account_id"] == "A1" and rows[0]["fee"] == "0.00"  # Service: no fee
    assert Decimal(rows[-1]["shares_redeemed"]) == Decimal("5.555")  # $55.55 at 10.00
