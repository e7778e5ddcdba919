"""``janus-gui batch`` and the file arguments of ``fee``: exit codes 0/3/2, ``-``, umask, jobs."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from janus_gui import cli

ROOT = Path(__file__).resolve().parents[2]
LOTS = ROOT / "tests" / "data" / "lots"
HEADER = "account_id,portfolio,share_class,redeem_date,nav,redeem_shares,purchase_date,shares,seq\n"
GOOD = (
    HEADER
    + "A1,Overseas,Service II,2012-04-20,10.00,15,2012-01-03,10,1\n"
    + "A1,,,,,,2012-03-20,10,2\n"
    + "B2,Overseas,Service II,2012-04-20,10.00,all,2012-03-20,5,1\n"
)


def batch(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = cli.main(["batch", *argv])
    except SystemExit as exc:
        code = exc.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_exit_0_when_every_account_is_computed(capsys, tmp_path: Path) -> None:
    source, target = write(tmp_path / "in.csv", GOOD), tmp_path / "out.csv"
    code, out, err = batch(capsys, "--input", str(source), "--output", str(target), "--jobs", "1")
    assert (code, out) == (0, "")
    assert f"2 accounts, 3 rows: 2 computed, 0 failed; written to {target}" in err
    rows = list(csv.DictReader(target.open(encoding="utf-8", newline="")))
    # A1: 10 old shares free, 5 young ones at 1% of $10.00 = $0.50; B2: 5 young shares = $0.50
    assert [(r["account_id"], r["fee"]) for r in rows] == [("A1", "0.50"), ("B2", "0.50")]


def test_exit_3_when_some_accounts_fail_and_every_good_one_is_written(capsys, tmp_path) -> None:
    target = tmp_path / "out.csv"
    code, out, err = batch(capsys, "--input", str(LOTS / "batch.csv"), "--output", str(target))
    assert (code, out) == (3, "")
    assert "7 accounts, 9 rows (rows grouped by account first): 2 computed, 5 failed" in err
    rows = list(csv.DictReader(target.open(encoding="utf-8", newline="")))
    assert [r["account_id"] for r in rows] == ["A1", "B2", "C3", "D4", "E5", "F6", "G7"]
    assert [r["status"] for r in rows].count("ok") == 2


def fails(capsys, *argv: str) -> str:
    code, out, err = batch(capsys, *argv)
    assert (code, out) == (2, ""), err
    assert "janus-gui: error:" in err and "Traceback" not in err
    return err


def test_exit_2_for_unusable_input_leaves_an_existing_output_untouched(capsys, tmp_path) -> None:
    target = write(tmp_path / "out.csv", "last month\n")
    out = str(target)
    assert "--input file missing.csv not found" in fails(
        capsys, "--input", "missing.csv", "--output", out
    )
    empty = write(tmp_path / "empty.csv", "")
    assert "header row is required" in fails(capsys, "--input", str(empty), "--output", out)
    wrong = write(tmp_path / "wrong.csv", "a,b\n1,2\n")
    assert "header row must name account_id" in fails(
        capsys, "--input", str(wrong), "--output", out
    )
    binary = tmp_path / "binary.csv"
    binary.write_bytes(GOOD.encode() + b"C3,\xff\xfe\n" * 100_000)
    assert "not UTF-8" in fails(capsys, "--input", str(binary), "--output", out)
    assert "output is a folder" in fails(capsys, "--input", str(empty), "--output", str(tmp_path))
    assert "--jobs: must be 1 or more" in fails(
        capsys, "--input", str(empty), "--output", out, "--jobs", "0"
    )
    assert target.read_text(encoding="utf-8") == "last month\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "binary.csv",
        "empty.csv",
        "out.csv",
        "wrong.csv",
    ]


def test_output_equal_to_the_input_is_refused_also_through_a_symlink(capsys, tmp_path) -> None:
    source = write(tmp_path / "in.csv", GOOD)
    link = tmp_path / "link.csv"
    link.symlink_to(source)
    hard = tmp_path / "hard.csv"
    os.link(source, hard)
    for output in (source, link, hard, tmp_path / "." / "in.csv"):
        assert "must not be the input" in fails(
            capsys, "--input", str(source), "--output", str(output)
        )
    assert "must not be the input" in fails(capsys, "--input", str(link), "--output", str(source))
    assert source.read_text(encoding="utf-8") == GOOD


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_output_file_respects_the_umask(capsys, tmp_path: Path, umask: int, mode: int) -> None:
    source, target = write(tmp_path / "in.csv", GOOD), tmp_path / "out.csv"
    previous = os.umask(umask)
    try:
        code, _out, err = batch(capsys, "--input", str(source), "--output", str(target))
    finally:
        os.umask(previous)
    assert code == 0, err
    assert stat.S_IMODE(target.stat().st_mode) == mode


def _janus(*argv: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "JANUS_GUI_DB"}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "janus_gui", *argv],
        input=stdin,
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=300,
        check=False,
    )


def test_dash_reads_stdin_and_writes_stdout(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    done = _janus(
        "batch", "--input", str(write(tmp_path / "in.csv", GOOD)), "--output", str(target)
    )
    assert done.returncode == 0, done.stderr
    piped = _janus("batch", "--input", "-", "--output", "-", stdin=("\ufeff" + GOOD).encode())
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == target.read_bytes()
    assert b"written to standard output" in piped.stderr
    assert not (ROOT / "-").exists()


def test_dash_with_unusable_input_writes_nothing_to_stdout() -> None:
    done = _janus("batch", "--input", "-", "--output", "-", stdin=b"a,b\n1,2\n")
    assert (done.returncode, done.stdout) == (2, b"")
    bad = _janus(
        "batch", "--input", "-", "--output", "-", stdin=GOOD.encode() + b"C3,\xff\n" * 100_000
    )
    assert (bad.returncode, bad.stdout) == (2, b"")
    assert b"not UTF-8" in bad.stderr


def _extract(accounts: int) -> list[str]:
    rng = random.Random(14)
    rows = []
    for number in range(accounts):
        lots = rng.randint(1, 5)
        for lot in range(lots):
            redeem = rng.choice(["all", "1"])
            head = f"Overseas,Service II,2012-04-20,10.00,{redeem}" if lot == 0 else ",,,,"
            day = f"2012-0{rng.randint(1, 4)}-{rng.randint(10, 19)}"
            rows.append(f"N{number:05d},{head},{day},{rng.randint(1_000, 9_999)}.125,{lot}\n")
    return rows


def test_jobs_give_byte_identical_output(tmp_path: Path) -> None:
    rows = _extract(12_000)  # about 1.3 MB: several chunks for the workers
    shuffled = rows[:]
    random.Random(3).shuffle(shuffled)
    outputs = {}
    for name, body in (("sorted", rows), ("shuffled", shuffled)):
        source = write(tmp_path / f"{name}.csv", HEADER + "".join(body))
        for jobs in ("1", "2", "3"):
            target = tmp_path / f"{name}-{jobs}.csv"
            done = _janus(
                "batch",
                "--input",
                str(source),
                "--output",
                str(target),
                "--jobs",
                jobs,
                "--memory-mb",
                "1",
            )
            assert done.returncode == 0, done.stderr
            outputs[name, jobs] = target.read_bytes()
    assert outputs["sorted", "1"] == outputs["sorted", "2"] == outputs["sorted", "3"]
    assert outputs["shuffled", "1"] == outputs["shuffled", "2"] == outputs["shuffled", "3"]

    def by_account(data: bytes) -> list[list[str]]:
        return sorted(csv.reader(io.StringIO(data.decode())))

    assert by_account(outputs["sorted", "1"]) == by_account(outputs["shuffled", "1"])


# -- "-" for the fee commands ------------------------------------------------------------------
OVERSEAS_SII = ["--portfolio", "Overseas", "--share-class", "Service II"]


def _stdin(monkeypatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))


def _json(capsys, *argv: str) -> tuple[int, dict]:
    code = cli.main([*argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_fee_and_fee_free_read_lots_from_stdin(capsys, monkeypatch, tmp_path: Path) -> None:
    lots = "purchase_date,shares,lot_id\n2012-01-03,10,a\n2012-03-20,10,b\n"
    path = write(tmp_path / "lots.csv", lots)
    args = ["fee", *OVERSEAS_SII, "--redeem-date", "2012-04-20", "--nav", "10", "--shares", "15"]
    from_file = _json(capsys, *args, "--lots", str(path))
    _stdin(monkeypatch, lots)
    assert _json(capsys, *args, "--lots", "-") == from_file
    assert from_file[1]["total_fee"] == "0.50"
    free = ["fee-free", *OVERSEAS_SII, "--date", "2012-04-20"]
    from_file = _json(capsys, *free, "--lots", str(path))
    _stdin(monkeypatch, lots)
    assert _json(capsys, *free, "--lots", "-") == from_file


def test_fee_ledger_reads_stdin(capsys, monkeypatch, tmp_path: Path) -> None:
    ledger = "type,date,shares,nav\npurchase,2012-03-01,100,\nredemption,2012-04-20,30,12.50\n"
    from_file = _json(
        capsys, "fee", "--ledger", str(write(tmp_path / "l.csv", ledger)), *OVERSEAS_SII
    )
    _stdin(monkeypatch, ledger)
    assert _json(capsys, "fee", "--ledger", "-", *OVERSEAS_SII) == from_file
    assert from_file[0] == 0 and from_file[1]["totals"]["total_fee"] == "3.75"


def test_fee_with_a_bad_lot_file_on_stdin_exits_2(capsys, monkeypatch) -> None:
    _stdin(monkeypatch, "purchase_date,shares\n2012-02-30,10\n")
    with pytest.raises(SystemExit) as caught:
        cli.main(
            [
                "fee",
                "--lots",
                "-",
                *OVERSEAS_SII,
                "--redeem-date",
                "2012-04-20",
                "--nav",
                "10",
                "--all",
            ]
        )
    assert caught.value.code == 2
    assert "line 2" in capsys.readouterr().err


def test_default_jobs_are_the_cores_except_for_a_small_file(tmp_path: Path) -> None:
    from janus_gui.cli.tools import _cores, _default_jobs

    small = write(tmp_path / "small.csv", GOOD)
    large = tmp_path / "large.csv"
    with large.open("wb") as handle:
        handle.truncate(5 << 20)
    assert _default_jobs(str(small)) == 1
    assert _default_jobs(str(large)) == _cores() >= 1
    assert _default_jobs("-") == _cores()
