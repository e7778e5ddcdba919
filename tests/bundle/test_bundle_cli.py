"""The bundle's command line: batch workers start from the frozen executable.

``batch --jobs 2`` must compute in two worker processes and write the same file as one process.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
from pathlib import Path


def _accounts_csv(path: Path, accounts: int) -> Path:
    """Ten lots of 10 shares per account, 20 days apart from 2011-01-01; redeem 5 on 2012-04-20."""
    rows = ["account_id,portfolio,share_class,redeem_date,nav,redeem_shares,purchase_date,shares"]
    for account in range(accounts):
        for lot in range(10):
            bought = dt.date(2011, 1, 1) + dt.timedelta(days=20 * lot)
            head = "Overseas,Service II,2012-04-20,10.00,5" if lot == 0 else ",,,,"
            rows.append(f"A{account},{head},{bought.isoformat()},10")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_batch_in_two_worker_processes_writes_what_one_process_writes(
    bundle: Path, tmp_path: Path
) -> None:
    source = _accounts_csv(tmp_path / "accounts.csv", 3000)
    outputs = []
    for jobs in (1, 2):
        output = tmp_path / f"fees-{jobs}.csv"
        done = subprocess.run(
            [
                str(bundle / "JanusGUI"),
                "batch",
                "--jobs",
                str(jobs),
                "--input",
                str(source),
                "--output",
                str(output),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert "3000 accounts, 30000 rows: 3000 computed, 0 failed" in done.stderr + done.stdout
        outputs.append(output.read_bytes())
    assert outputs[0] == outputs[1]
    rows = {row["account_id"]: row for row in csv.DictReader(io.StringIO(outputs[0].decode()))}
    assert len(rows) == 3000
    # A1's oldest lot (2011-01-01) is held 475 days on 2012-04-20: 5 shares at 10.00, no fee.
    a1 = rows["A1"]
    assert (a1["status"], a1["portfolio_id"], a1["shares_redeemed"]) == ("ok", "P4", "5.000")
    assert (a1["shares_subject_to_fee"], a1["redemption_value"], a1["fee"]) == (
        "0.000",
        "50.00",
        "0.00",
    )
