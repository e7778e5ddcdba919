"""build-db builds beside its target and replaces it only after its checks pass."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from janus_gui.dbbuild import build
from janus_gui.dbbuild.__main__ import main as build_main

ROOT = Path(__file__).resolve().parents[2]
PREVIOUS = b"the previous database\n"


def test_symbolic_link_as_out_is_refused_and_its_target_kept(tmp_path: Path, capsys) -> None:
    real = tmp_path / "real.sqlite"
    real.write_bytes(PREVIOUS)
    (tmp_path / "link.sqlite").symlink_to(real)
    assert build_main(["--out", str(tmp_path / "link.sqlite")]) == 1
    err = capsys.readouterr().err
    assert "symbolic link" in err and "Traceback" not in err
    assert real.read_bytes() == PREVIOUS
    assert (tmp_path / "link.sqlite").is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.sqlite", "real.sqlite"]


def test_device_as_out_is_refused(capsys) -> None:
    assert build_main(["--out", "/dev/null"]) == 1
    assert "character device" in capsys.readouterr().err
    assert Path("/dev/null").is_char_device()


def test_disk_full_keeps_the_previous_file_and_prints_one_line(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "janus.sqlite"
    target.write_bytes(PREVIOUS)

    def full_disk(*_args: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(build, "_write", full_disk)
    assert build_main(["--out", str(target)]) == 1
    err = capsys.readouterr().err
    assert "disk is full" in err and "previous file is unchanged" in err
    assert len(err.strip().splitlines()) == 1
    assert target.read_bytes() == PREVIOUS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["janus.sqlite"]


def test_failed_check_keeps_the_previous_file(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "janus.sqlite"
    target.write_bytes(PREVIOUS)
    real_write = build._write

    def write_then_damage(path: Path, *args: object) -> None:
        real_write(path, *args)
        with sqlite3.connect(path) as connection:  # contents no longer match the recorded hash
            connection.execute("UPDATE meta SET value = '2099-12-31' WHERE key = 'documented_to'")

    monkeypatch.setattr(build, "_write", write_then_damage)
    assert build_main(["--out", str(target)]) == 1
    assert "content hash" in capsys.readouterr().err
    assert target.read_bytes() == PREVIOUS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["janus.sqlite"]


def test_kill_at_random_moments_leaves_old_or_complete_new_file(tmp_path: Path) -> None:
    """Twelve SIGKILLs during build-db: the target is always the old bytes or a full build."""
    complete = tmp_path / "complete.sqlite"
    assert build_main(["--out", str(complete)]) == 0
    fresh = complete.read_bytes()
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "janus.sqlite"
    chooser = random.Random(13)
    outcomes = {"old": 0, "new": 0}
    for _ in range(12):
        target.write_bytes(PREVIOUS)
        child = subprocess.Popen(
            [sys.executable, "-m", "janus_gui", "build-db", "--out", str(target)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(chooser.uniform(0.05, 0.6))
        child.send_signal(signal.SIGKILL)
        child.wait()
        data = target.read_bytes()
        assert data in (PREVIOUS, fresh), "a killed build-db left a damaged database"
        outcomes["old" if data == PREVIOUS else "new"] += 1
    # Leftovers of the killed builds carry their dead pid and go with the next build.
    assert build_main(["--out", str(target)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["janus.sqlite"]
    assert target.read_bytes() == fresh
