"""The DuckDB sharding recipe in docs/batch.md, run as written: same rows as one batch run."""

from __future__ import annotations

import csv
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "batch.md"
HEADER = (
    "account_id,portfolio,share_class,redeem_date,nav,redeem_shares,purchase_date,shares,"
    "lot_id,seq\n"
)


def recipe() -> str:
    """The code block that follows the ``duckdb-recipe`` marker in docs/batch.md."""
    text = DOC.read_text(encoding="utf-8")
    found = re.search(r"<!-- duckdb-recipe -->\s*```python\n(.*?)```", text, re.DOTALL)
    assert found, "docs/batch.md has no DuckDB recipe block"
    return found.group(1)


def _extract(path: Path, accounts: int) -> None:
    rng = random.Random(2012)
    rows = []
    for number in range(accounts):
        lots = rng.randint(1, 6)
        for lot in range(lots):
            head = ",,,,"
            if lot == lots - 1:  # the per-account cells on the last row, to make it harder
                redeem = rng.choice(["all", "5", "12.5", "100000"])  # 100000: fails
                head = f"Overseas,Service II,2012-04-20,10.00,{redeem}"
            day = f"2012-0{rng.randint(1, 4)}-{rng.randint(10, 20)}"
            shares = f"{rng.randint(1_000, 20_000) / 1000:.3f}"
            rows.append(f"ACC{number:04d},{head},{day},{shares},L{lot},{lot + 1}\n")
    rng.shuffle(rows)
    path.write_text(HEADER + "".join(rows), encoding="utf-8")


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _without_line(row: list[str]) -> list[str]:
    return [*row[:-1], re.sub(r"^line \d+: ", "line N: ", row[-1])]


def test_duckdb_recipe_gives_the_rows_of_a_single_run(tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    extract = tmp_path / "extract.csv"
    _extract(extract, 600)
    env = {k: v for k, v in os.environ.items() if k != "JANUS_GUI_DB"}
    env["PYTHONPATH"] = str(ROOT)
    single = tmp_path / "single.csv"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "janus_gui",
            "batch",
            "--input",
            str(extract),
            "--output",
            str(single),
            "--jobs",
            "1",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 3, done.stderr  # some accounts redeem more than they hold
    script = recipe().replace(
        'JANUS_GUI = ["janus-gui"]', f'JANUS_GUI = [{sys.executable!r}, "-m", "janus_gui"]'
    )
    assert script != recipe(), "the recipe no longer names the janus-gui command"
    (tmp_path / "shard_and_run.py").write_text(script, encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    done = subprocess.run(
        [sys.executable, str(tmp_path / "shard_and_run.py"), str(extract), "3"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in work.glob("shard-*.csv")) == [
        "shard-0.csv",
        "shard-1.csv",
        "shard-2.csv",
    ]
    merged, expected = _rows(work / "fees.csv"), _rows(single)
    assert len(expected) == 601
    # error messages name the line in the file that was run: the shard, not the extract
    assert [_without_line(row) for row in merged] == [_without_line(row) for row in expected]
    assert [row for row in merged if row[1] == "ok"] == [row for row in expected if row[1] == "ok"]
    statuses = {row[1] for row in expected[1:]}
    assert statuses == {"ok", "error"}
