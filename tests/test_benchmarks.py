"""The benchmark runs end to end in quick mode and reports every figure, so it never rots."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = (
    "startup_s",
    "startup_floor_s",
    "startup_ratio",
    "search_p50_us",
    "search_p99_us",
    "search_100k_p99_us",
    "fee_1m_lots_s",
    "csv_read_1m_lots_s",
    "fee_ratio",
    "fee_100k_lots_s",
    "fee_scaling",
    "batch_100k_accounts_s",
    "csv_read_batch_s",
    "batch_ratio",
    "batch_peak_rss_mb",
    "batch_unsorted_s",
    "batch_unsorted_ratio",
    "batch_unsorted_peak_rss_mb",
    "batch_spill_s",
    "batch_jobs2_s",
    "batch_jobs_speedup",
    "gui_idle_rss_mb",
    "import_100k_lots_s",
    "ui_max_stall_ms",
)
GOAL_KEYS = {
    "startup_ratio",
    "search_p99_us",
    "search_100k_p99_us",
    "fee_ratio",
    "fee_scaling",
    "batch_ratio",
    "batch_unsorted_ratio",
    "batch_peak_rss_mb",
    "batch_unsorted_peak_rss_mb",
    "batch_jobs_speedup",
    "gui_idle_rss_mb",
    "ui_max_stall_ms",
}
AT_LEAST = {"batch_jobs_speedup"}


def _quick_report() -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k != "JANUS_GUI_DB"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_quick_benchmark_reports_every_figure_with_its_goal() -> None:
    report = _quick_report()
    for key in REQUIRED:
        value = report.get(key)
        assert isinstance(value, int | float) and not isinstance(value, bool), key
        assert math.isfinite(value) and value >= 0, (key, value)
    # derived figures are the ratios of the figures they are built from
    assert math.isclose(
        report["startup_ratio"], report["startup_s"] / report["startup_floor_s"], rel_tol=1e-9
    )
    assert math.isclose(
        report["fee_ratio"], report["fee_1m_lots_s"] / report["csv_read_1m_lots_s"], rel_tol=1e-9
    )
    assert math.isclose(
        report["fee_scaling"], report["fee_1m_lots_s"] / report["fee_100k_lots_s"], rel_tol=1e-9
    )
    assert report["mode"] == "quick"
    assert set(report["goals"]) == GOAL_KEYS
    assert report["passed"] == {
        k: report[k] >= report["goals"][k] if k in AT_LEAST else report[k] <= report["goals"][k]
        for k in GOAL_KEYS
    }
    assert math.isclose(
        report["batch_ratio"],
        report["batch_100k_accounts_s"] / report["csv_read_batch_s"],
        rel_tol=1e-9,
    )
    assert math.isclose(
        report["batch_jobs_speedup"],
        report["batch_100k_accounts_s"] / report["batch_jobs2_s"],
        rel_tol=1e-9,
    )
    # the quick sizes were really used: 1,000 queries on the bundled catalog, all timed
    assert report["sizes"]["fee_lots"] == 1_000
    assert report["search_queries"] == 1_000
    assert report["search_refused"] > 0  # wrong check digits are part of the mix
    assert report["machine"]["nproc"] >= 1


def test_percentile_is_nearest_rank() -> None:
    from benchmarks.measure import percentile

    values = [float(v) for v in range(1, 101)]  # 1..100
    assert percentile(values, 0.50) == 50.0
    assert percentile(values, 0.99) == 99.0
    assert percentile(values, 1.0) == 100.0
    assert percentile([7.0], 0.99) == 7.0


def test_lot_file_spans_the_90_days_before_the_redemption(tmp_path: Path) -> None:
    from benchmarks.inputs import write_lot_file

    lines = write_lot_file(tmp_path / "lots.csv", 90).read_text().splitlines()
    assert lines[0] == "purchase_date,shares,lot_id"
    assert len(lines) == 91
    dates = [line.split(",")[0] for line in lines[1:]]
    # 2012-04-20 minus 90 days is 2012-01-21; one lot a day up to the day before
    assert dates[0] == "2012-01-21"
    assert dates[-1] == "2012-04-19"
    assert dates == sorted(dates)


def test_batch_file_keeps_each_account_contiguous(tmp_path: Path) -> None:
    from benchmarks.inputs import write_batch_file

    rows = write_batch_file(tmp_path / "accounts.csv", 3).read_text().splitlines()[1:]
    accounts = [row.split(",")[0] for row in rows]
    assert accounts == ["A0000001"] * 10 + ["A0000002"] * 10 + ["A0000003"] * 10
    assert [row.split(",")[-1] for row in rows[:10]] == [str(n) for n in range(1, 11)]  # seq
    shuffled = write_batch_file(tmp_path / "s.csv", 3, shuffled=True).read_text().splitlines()
    assert shuffled[1:] != rows and sorted(shuffled[1:]) == sorted(rows)
    first = rows[10].split(",")
    assert first[1:6] == ["Overseas", "Service II", "2012-04-20", "10.00", "all"]
    assert rows[11].split(",")[1:6] == ["", "", "", "", ""]


def test_synthetic_rows_have_valid_cusips_and_fund_style_tickers() -> None:
    import random

    from benchmarks.catalog import synthetic_rows
    from janus_gui.core.identifiers import is_valid_cusip

    tables = synthetic_rows(50, 18, random.Random(1))
    securities = tables["security"]
    assert len(securities) == 100
    assert all(is_valid_cusip(str(s["cusip"])) for s in securities)
    assert not any(str(s["cusip"]).startswith("471021") for s in securities)
    tickers = [s["ticker"] for s in securities if s["share_class"] == "Institutional"]
    assert len(set(tickers)) == 50
    assert all(len(t) == 5 and t.endswith("X") and t.isupper() for t in tickers)
    assert {s["ticker"] for s in securities if s["share_class"] == "Service"} == {None}
    assert tables["portfolio"][0]["portfolio_id"] == "P18"
