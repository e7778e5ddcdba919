"""The window's lot import: every unusable file gets a clear status line and changes nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from janus_gui.ui.workspace.dialogs import ImportPreviewDialog
from janus_gui.ui.workspace.panel import WorkspacePanel
from tests.helpers.golden_rule import SERVICE_II_RULE as RULE


def _bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    loop = tmp_path / "loop.csv"
    loop.symlink_to(loop)
    bad_byte = tmp_path / "latin1.csv"
    bad_byte.write_bytes(
        b"purchase_date,shares\n" + b"2012-01-01,1\n" * 80 + b"2012-01-02,2,caf\xe9\n"
    )
    huge_cell = tmp_path / "huge.csv"
    huge_cell.write_text('purchase_date,shares\n2012-01-01,"' + "9" * 2_000_000 + '"\n')
    growing_name = tmp_path / "x" / "missing.csv"
    return {
        "folder": (tmp_path, "is a folder, not a regular file"),
        "fifo": (fifo, "is a named pipe (FIFO), not a regular file"),
        "loop": (loop, "is a symbolic-link loop"),
        "device": (Path("/dev/zero"), "is a character device, not a regular file"),
        "bad byte": (bad_byte, "line 82: the file is not UTF-8 text"),
        "huge cell": (huge_cell, "line 2: line is longer than 1,048,576 characters"),
        "missing": (growing_name, "not found"),
    }


@pytest.mark.parametrize(
    "kind", ["folder", "fifo", "loop", "device", "bad byte", "huge cell", "missing"]
)
def test_import_refusals_are_clear_and_change_nothing(
    qtbot, repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    path, reason = _bad_files(tmp_path)[kind]
    asked: list[str] = []
    monkeypatch.setattr(ImportPreviewDialog, "ask", lambda *_args: asked.append("x") or True)
    panel = WorkspacePanel(repo, fee_rule_for=lambda *_args: RULE)
    qtbot.addWidget(panel)
    panel.paste_text("2020-01-01\t1\tKEEP\n")
    with qtbot.waitSignal(panel.import_cancelled, timeout=60_000):
        panel.import_lots_file(path)
    status = panel.status.text()
    assert status.startswith("Import failed: ") and status.endswith("The lot table is unchanged.")
    assert reason in status, status
    assert "unexpected" not in status and "position" not in status
    assert asked == []
    assert panel.model.rowCount() == 1
    assert panel.model.index(0, 0).isValid()


def test_a_spoofing_file_name_is_shown_escaped(
    qtbot, repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spoof = tmp_path / "a\x1b]0;owned\x07\u202egpj.csv"
    os.mkfifo(spoof)
    panel = WorkspacePanel(repo, fee_rule_for=lambda *_args: RULE)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.import_cancelled, timeout=60_000):
        panel.import_lots_file(spoof)
    status = panel.status.text()
    assert "\x1b" not in status and "\x07" not in status and "\u202e" not in status
    assert "a\\x1b]0;owned\\x07\\u202egpj.csv" in status
