"""Every command that reads a named file refuses a folder, FIFO, device or link loop by name."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from janus_gui import cli

LOTS = Path(__file__).resolve().parent.parent / "data" / "lots"
CLASS = ["--portfolio", "Overseas", "--share-class", "Service II"]
REDEEM = ["--redeem-date", "2012-04-20", "--nav", "10", "--shares", "1"]


def _targets(tmp_path: Path) -> dict[str, tuple[str, str]]:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    loop = tmp_path / "loop.csv"
    loop.symlink_to(loop)
    return {
        "folder": (str(tmp_path), "is a folder, not a regular file"),
        "fifo": (str(fifo), "is a named pipe (FIFO), not a regular file"),
        "device": ("/dev/zero", "is a character device, not a regular file"),
        "loop": (str(loop), "is a symbolic-link loop"),
    }


def _commands(path: str, out: Path) -> dict[str, list[str]]:
    return {
        "fee --lots": ["fee", "--lots", path, *CLASS, *REDEEM],
        "fee --ledger": ["fee", "--ledger", path, *CLASS],
        "fee-free --lots": ["fee-free", "--lots", path, *CLASS, "--date", "2012-04-20"],
        "batch --input": ["batch", "--input", path, "--output", str(out)],
    }


@pytest.mark.parametrize("kind", ["folder", "fifo", "device", "loop"])
@pytest.mark.parametrize(
    "command", ["fee --lots", "fee --ledger", "fee-free --lots", "batch --input"]
)
def test_non_regular_inputs_are_named(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str, command: str
) -> None:
    path, reason = _targets(tmp_path)[kind]
    out = tmp_path / "out.csv"
    with pytest.raises(SystemExit) as caught:
        cli.main(_commands(path, out)[command])
    assert caught.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"{path} {reason}" in captured.err
    assert "not found" not in captured.err
    assert not out.exists()


def test_batch_over_the_size_limit_is_refused_before_reading(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from janus_gui.core import input_files

    monkeypatch.setattr(input_files, "MAX_BATCH_BYTES", 1 << 20)
    big = tmp_path / "big.csv"
    with big.open("wb") as handle:
        handle.truncate(3 << 20)
    out = tmp_path / "out.csv"
    with pytest.raises(SystemExit) as caught:
        cli.main(["batch", "--input", str(big), "--output", str(out)])
    assert caught.value.code == 2
    assert "is 3.0 MB; the limit is 1 MB" in capsys.readouterr().err
    assert not out.exists()
