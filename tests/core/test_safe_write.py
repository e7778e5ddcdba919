"""Atomic writes: complete new file or untouched old file, never a partial one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from janus_gui.core import safe_write


def test_writes_new_file_and_creates_folder(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "ws.json"
    safe_write.write_text(target, "héllo\n")
    assert target.read_bytes() == "héllo\n".encode()


def test_replaces_existing_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "ws.json"
    target.write_text("old", encoding="utf-8")
    safe_write.write_bytes(target, b"new contents")
    assert target.read_bytes() == b"new contents"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ws.json"]


def test_text_is_written_without_newline_translation(tmp_path: Path) -> None:
    target = tmp_path / "crlf.txt"
    safe_write.write_text(target, "a\r\nb\n")
    assert target.read_bytes() == b"a\r\nb\n"


def test_failed_write_keeps_old_file_and_removes_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "ws.json"
    target.write_text("old", encoding="utf-8")

    def broken_replace(src: str, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(safe_write.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        safe_write.write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ws.json"]


def test_data_is_fsynced_before_the_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def spy_fsync(fd: int) -> None:
        calls.append("fsync")
        real_fsync(fd)

    def spy_replace(src: str, dst: object) -> None:
        calls.append("replace")
        real_replace(src, dst)

    monkeypatch.setattr(safe_write.os, "fsync", spy_fsync)
    monkeypatch.setattr(safe_write.os, "replace", spy_replace)
    safe_write.write_text(tmp_path / "x.json", "{}")
    assert calls.index("fsync") < calls.index("replace")


def test_temporary_file_lives_in_the_destination_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Path] = []
    real_replace = os.replace

    def spy_replace(src: str, dst: object) -> None:
        seen.append(Path(src))
        real_replace(src, dst)

    monkeypatch.setattr(safe_write.os, "replace", spy_replace)
    safe_write.write_text(tmp_path / "x.json", "{}")
    assert seen[0].parent == tmp_path


def test_stale_temporaries_of_killed_saves_are_cleared_fresh_ones_kept(tmp_path) -> None:
    import os
    import time

    target = tmp_path / "work.json"
    stale = tmp_path / ".work.json.abc123.tmp"
    fresh = tmp_path / ".work.json.def456.tmp"
    other = tmp_path / ".other.json.xyz.tmp"
    for leftover in (stale, fresh, other):
        leftover.write_text("partial")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    safe_write.write_text(target, "{}")
    assert target.read_text() == "{}"
    assert not stale.exists()
    assert fresh.exists() and other.exists()
