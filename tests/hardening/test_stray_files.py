"""Stray files in the user folders never stop the window from starting."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from janus_gui.ui.workspace import autosave


@pytest.mark.parametrize(
    "stem",
    ["99999999999999999999", "4294967296", "0", "-5", "\u00b2", "\u0661\u0662", "12a", ""],
)
def test_autosave_names_that_no_process_wrote_are_ignored(
    stem: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(autosave, "autosave_dir", lambda: tmp_path)
    stray = tmp_path / f"{autosave.PREFIX}{stem}{autosave.workspace_file.SUFFIX}"
    stray.write_text("{}", encoding="utf-8")
    assert autosave.orphaned_autosaves() == []


def test_process_alive_survives_any_integer() -> None:
    assert autosave.process_alive(os.getpid())
    assert not autosave.process_alive(10**20)
    assert not autosave.process_alive(-(10**20))


def test_fee_json_into_head_exits_quietly(tmp_path: Path) -> None:
    """``janus-gui fee --json | head -1``: the reader leaves early; no error, no traceback."""
    import subprocess
    import sys

    lots = tmp_path / "lots.csv"
    lots.write_text("purchase_date,shares\n" + "2012-03-01,1\n" * 20_000, encoding="utf-8")
    root = Path(__file__).resolve().parents[2]
    command = (
        f"{sys.executable} -m janus_gui fee --json --lots {lots} --portfolio P13 "
        "--share-class 'Service II' --redeem-date 2012-04-20 --nav 10 --all | head -1"
    )
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout == "{\n"
    assert done.stderr == "" and done.returncode == 0, (done.returncode, done.stderr)
