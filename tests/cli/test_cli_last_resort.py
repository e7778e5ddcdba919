"""An unexpected exception inside a command: one short line, a log file, exit 4, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from janus_gui import cli
from janus_gui.cli import fees as cli_fees
from janus_gui.cli.common import EXIT_INTERNAL

LOTS = Path(__file__).resolve().parent.parent / "data" / "lots"
FEE = [
    "fee",
    "--lots",
    str(LOTS / "sii_2012.csv"),
    "--portfolio",
    "Overseas",
    "--share-class",
    "Service II",
    "--redeem-date",
    "2012-04-20",
    "--nav",
    "10",
    "--shares",
    "1",
]


def _explode(_args: object) -> int:
    raise ValueError("boom \x1b[2J\u202e")


def test_unexpected_exception_gives_one_line_and_a_log(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_fees, "_cmd_fee", _explode)
    assert cli.main(FEE) == EXIT_INTERNAL
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err
    assert "\x1b" not in captured.err and "\u202e" not in captured.err
    assert "ValueError" in lines[0] and "\\x1b" in lines[0]
    log = Path(os.environ["JANUS_GUI_USER_DIR"]) / "logs" / "janus_gui.log"
    assert str(log) in lines[0]
    logged = log.read_text(encoding="utf-8")
    assert "Traceback" in logged and "boom" in logged and "_explode" in logged


def test_unexpected_exception_with_an_unwritable_log_folder(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("JANUS_GUI_USER_DIR", str(blocker))
    monkeypatch.setattr(cli_fees, "_cmd_fee", _explode)
    assert cli.main(FEE) == EXIT_INTERNAL
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Traceback" not in captured.err
    assert "ValueError" in captured.err


def test_unexpected_exception_in_a_subprocess_prints_no_traceback(tmp_path: Path) -> None:
    """A real process: a memory error deep inside a command is caught at the top."""
    script = (
        "import sys\n"
        "from janus_gui import cli\n"
        "from janus_gui.cli import fees as cli_fees\n"
        "def explode(_a):\n"
        "    raise MemoryError()\n"
        "cli_fees._cmd_fee = explode\n"
        f"sys.exit(cli.main({FEE!r}))\n"
    )
    env = {**os.environ, "JANUS_GUI_USER_DIR": str(tmp_path / "user")}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == EXIT_INTERNAL, done.stderr
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert "MemoryError" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
