"""Hostile lot files: every one is refused with a clear message, the line, and no output.

The corpus lives in ``tests/data/nasty`` (written by ``make_corpus.py``; the expected words and
lines are written by hand there from the file format in ``core/lots_csv.py``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from janus_gui.core.errors import JanusError, LotScheduleError
from janus_gui.core.lot_file import read_lot_file
from janus_gui.core.models import ShareClass
from tests.helpers.hardening import NASTY, ROOT, run_cli

MANIFEST = json.loads((NASTY / "manifest.json").read_text(encoding="utf-8"))
REDEEM_ON = dt.date(2012, 4, 20)
PYTHON = sys.executable


def fee_argv(path: Path | str, *extra: str) -> list[str]:
    """``janus-gui fee`` for 1 share of P13 Service II on 2012-04-20 at NAV 10.00."""
    return [
        "fee",
        "--lots",
        str(path),
        "--portfolio",
        "P13",
        "--share-class",
        "Service II",
        "--redeem-date",
        REDEEM_ON.isoformat(),
        "--shares",
        "1",
        "--nav",
        "10.00",
        *extra,
    ]


def _expected(name: str) -> tuple[list[str], int]:
    case = MANIFEST["bad"][name]
    return case["words"], case["line"]


def test_corpus_matches_its_generator(tmp_path: Path) -> None:
    """The committed files are exactly what make_corpus.py writes."""
    names = set(MANIFEST["bad"]) | set(MANIFEST["good"])
    committed = {p.name for p in NASTY.iterdir()} - {"make_corpus.py", "manifest.json"}
    assert committed == names
    assert len(MANIFEST["bad"]) >= 25


@pytest.mark.parametrize("name", sorted(MANIFEST["bad"]))
@pytest.mark.parametrize("as_json", [True, False], ids=["json", "text"])
def test_cli_refuses_nasty_file(name: str, as_json: bool, capsys) -> None:
    words, line = _expected(name)
    argv = fee_argv(NASTY / name, *(["--json"] if as_json else []))
    code, out, err = run_cli(argv, capsys)
    assert code == 2, (name, code, err)
    assert out == "", f"{name}: partial output on stdout: {out[:200]!r}"
    assert "Traceback" not in err
    assert err.startswith("janus-gui: error:")
    lowered = err.lower()
    for word in words:
        assert word in lowered, f"{name}: {word!r} missing from {err!r}"
    if line:
        assert f"line {line}" in err, f"{name}: line {line} not named in {err!r}"


def _read_and_redeem(path: Path, repo) -> object:
    from janus_gui.core.asof import redemption_fee_rule
    from janus_gui.core.redemption import RedemptionRequest, redeem

    schedule = read_lot_file(path).schedule
    rule = redemption_fee_rule(repo, "P13", ShareClass.SERVICE_II, REDEEM_ON)
    return redeem(
        schedule, RedemptionRequest.of_shares(REDEEM_ON, Decimal("10.00"), Decimal(1)), rule
    )


@pytest.mark.parametrize("name", sorted(MANIFEST["bad"]))
def test_core_raises_lot_schedule_error(name: str, repo) -> None:
    words, line = _expected(name)
    result = None
    try:
        result = _read_and_redeem(NASTY / name, repo)
    except LotScheduleError as exc:
        assert isinstance(exc, JanusError)
        for word in words:
            assert word in str(exc).lower(), (name, str(exc))
        if line:
            assert f"line {line}" in str(exc), (name, str(exc))
    except Exception as exc:  # noqa: BLE001 - any other type is the defect being tested for
        pytest.fail(f"{name}: {type(exc).__name__} escaped the reader: {exc!r}")
    assert result is None, f"{name}: a result was computed from a bad file"


@pytest.mark.parametrize("name", sorted(MANIFEST["good"]))
def test_documented_variants_are_accepted(name: str, capsys) -> None:
    """BOM, quoted thousands separators, extra columns, CRLF and M/D/YYYY are documented input."""
    expected_shares = MANIFEST["good"][name]["shares"]
    lots = list(read_lot_file(NASTY / name).schedule)
    assert [str(lot.shares) for lot in lots] == expected_shares
    code, out, err = run_cli(fee_argv(NASTY / name, "--json"), capsys)
    assert code == 0, err
    payload = json.loads(out)
    # 1 share redeemed on day 31 at NAV 10.00 under the 1% Service II rule: $0.10.
    assert payload["total_fee"] == "0.10"
    assert payload["shares_redeemed"] == "1.000"


def test_formula_in_lot_id_is_kept_as_text() -> None:
    """A formula in a lot file is data: read as text, never evaluated."""
    lot = next(iter(read_lot_file(NASTY / "formula_lot_id.csv").schedule))
    assert lot.lot_id == '=HYPERLINK("http://x")'


def test_subprocess_shows_no_traceback_for_the_worst_files() -> None:
    """The real command, as a user runs it: exit 2, one message, nothing on stdout."""
    for name in ("huge_plain_shares.csv", "binary_junk.csv", "utf16_bom.csv"):
        proc = subprocess.run(
            [PYTHON, "-m", "janus_gui", *fee_argv(NASTY / name, "--json")],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
            check=False,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
        assert proc.returncode == 2, (name, proc.stderr)
        assert proc.stdout == ""
        assert "Traceback" not in proc.stderr, proc.stderr
        assert proc.stderr.count("\n") == 1, proc.stderr


_CHILD = r"""
import json, resource, sys
from janus_gui import cli
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    code = cli.main(sys.argv[2:])
except SystemExit as exc:
    code = exc.code
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
open(sys.argv[1], "w").write(json.dumps({"code": code, "base_kb": base, "peak_kb": peak}))
"""

BIG_FILE_BYTES = 32 * 1024 * 1024
MEMORY_ALLOWANCE_KB = 16 * 1024


@pytest.mark.slow
def test_huge_file_is_streamed_or_refused_without_loading_it(tmp_path: Path) -> None:
    """A 32 MB file (sparse: a header, one lot, then NUL bytes with no line break).

    The reader must refuse it with a clear message naming line 3 (where the NULs start) while
    using far less memory than the file. The same holds at 1 GB; 32 MB keeps the test short.
    """
    big = tmp_path / "big.csv"
    with big.open("wb") as handle:
        handle.write(b"purchase_date,shares,lot_id\n2012-01-03,10,A\n")
        handle.truncate(BIG_FILE_BYTES)
    report = tmp_path / "report.json"
    proc = subprocess.run(
        [PYTHON, "-c", _CHILD, str(report), *fee_argv(big, "--json")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    facts = json.loads(report.read_text())
    assert facts["code"] == 2
    assert proc.stdout == ""
    grown_kb = facts["peak_kb"] - facts["base_kb"]
    problems = []
    if grown_kb >= MEMORY_ALLOWANCE_KB:
        problems.append(
            f"reading a {BIG_FILE_BYTES >> 20} MB file grew memory by {grown_kb >> 10} MB"
        )
    if "line 3" not in proc.stderr:
        problems.append(f"line 3 not named in {proc.stderr.strip()!r}")
    assert not problems, "; ".join(problems)
