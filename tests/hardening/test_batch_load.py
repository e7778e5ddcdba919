"""``janus-gui batch`` under load: 2,000 accounts, 1% of them malformed.

Every bad account gets an error row naming its input line; every good one is computed. Run this
file as a script for the full-size benchmark (not a test):
``python tests/hardening/test_batch_load.py 100000``.
"""

from __future__ import annotations

import csv
import sys
import time
from decimal import Decimal
from pathlib import Path

HEADER = (
    "account_id,portfolio,share_class,redeem_date,nav,redeem_shares,purchase_date,shares,lot_id\n"
)
# Every account holds 10 shares bought 2012-01-03 (108 days before 2012-04-20: past the 60-day
# window) and 10 bought 2012-03-20 (31 days: within it). Redeeming 10 + k shares (k = 1..10)
# takes the old lot first (FIFO, free), then k young shares at NAV 10.00 and 1%: fee = k x $0.10.
BAD_KINDS = {
    "shares": ("2012-03-20", "abc", "15", "10.00", "P13", "'abc' is not a number"),
    "date": ("2012-02-30", "10", "15", "10.00", "P13", "not a calendar date"),
    "oversold": ("2012-03-20", "10", "1000", "10.00", "P13", "1000"),
    "nav": ("2012-03-20", "10", "15", "-1", "P13", "nav"),
    "portfolio": ("2012-03-20", "10", "15", "10.00", "P99", "P99"),
}


def young_shares(index: int) -> int:
    """Shares of the young lot redeemed by good account ``index`` (1..10)."""
    return index % 10 + 1


def write_accounts(path: Path, accounts: int, bad_every: int = 100) -> dict[str, tuple[str, int]]:
    """Write the batch input; returns the bad accounts: id -> (kind, line of its bad row)."""
    bad: dict[str, tuple[str, int]] = {}
    kinds = sorted(BAD_KINDS)
    line = 1
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        for index in range(accounts):
            account = f"ACC{index:06d}"
            if index % bad_every == bad_every - 1:
                kind = kinds[len(bad) % len(kinds)]
                date, shares, redeem, nav, portfolio, _ = BAD_KINDS[kind]
                # lot-cell problems are on the second row; per-account values on the first
                bad[account] = (kind, line + (2 if kind in ("shares", "date") else 1))
            else:
                date, shares, nav, portfolio = "2012-03-20", "10", "10.00", "P13"
                redeem = str(10 + young_shares(index))
            out.write(
                f"{account},{portfolio},Service II,2012-04-20,{nav},{redeem},2012-01-03,10,a\n"
            )
            out.write(f"{account},,,,,,{date},{shares},b\n")
            line += 2
    return bad


def run(path: Path, output: Path, expected_code: int = 3) -> float:
    """Run the command; returns seconds taken."""
    from janus_gui import cli

    started = time.perf_counter()
    try:
        code = cli.main(["batch", "--input", str(path), "--output", str(output)])
    except SystemExit as exc:
        code = exc.code
    assert code == expected_code, code
    return time.perf_counter() - started


def test_two_thousand_accounts_with_one_percent_malformed(tmp_path: Path, capsys) -> None:
    source, target = tmp_path / "accounts.csv", tmp_path / "fees.csv"
    bad = write_accounts(source, 2000)
    assert len(bad) == 20
    seconds = run(source, target)
    _out, err = capsys.readouterr()
    assert "2000 accounts, 4000 rows: 1980 computed, 20 failed" in err
    rows = list(csv.DictReader(target.open(encoding="utf-8", newline="")))
    assert len(rows) == 2000
    assert [r["account_id"] for r in rows] == [f"ACC{i:06d}" for i in range(2000)]
    for index, row in enumerate(rows):
        account = row["account_id"]
        if account in bad:
            kind, line = bad[account]
            assert row["status"] == "error", row
            assert row["error"].startswith(f"line {line}"), (kind, row["error"])
            assert BAD_KINDS[kind][-1].lower() in row["error"].lower(), (kind, row["error"])
            assert row["fee"] == ""
            continue
        k = young_shares(index)
        assert row["status"] == "ok", row
        assert row["error"] == ""
        assert row["shares_redeemed"] == f"{10 + k}.000"
        assert row["shares_subject_to_fee"] == f"{k}.000"
        assert Decimal(row["fee"]) == Decimal(k) * Decimal("0.10")
        assert row["fee"] == f"{Decimal(k) * Decimal('0.10'):.2f}"
        assert Decimal(row["net_proceeds"]) == Decimal(10 + k) * 10 - Decimal(row["fee"])
    print(f"\nbatch: 2000 accounts (4000 lot rows) in {seconds:.2f} s")


if __name__ == "__main__":  # full-size benchmark
    import tempfile

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder, "accounts.csv"), Path(folder, "fees.csv")
        write_accounts(source, count)
        seconds = run(source, target)
        print(
            f"{count} accounts ({2 * count} lot rows): {seconds:.2f} s, "
            f"{count / seconds:,.0f} accounts/s"
        )
