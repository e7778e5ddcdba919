"""Autosave after changes, recovery after the process is killed, clean exit removes the file."""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from janus_gui.ui.workspace import autosave
from janus_gui.ui.workspace.panel import WorkspacePanel
from tests.helpers.workspace_files import saved_parts

ROOT = Path(__file__).resolve().parents[2]

EDIT_THEN_WAIT = textwrap.dedent(
    """
    import sys
    from PySide6.QtWidgets import QApplication
    from janus_gui.core.repository import Repository
    from janus_gui.ui.workspace.panel import WorkspacePanel

    app = QApplication([])
    panel = WorkspacePanel(Repository.open(sys.argv[1]), autosave_interval_ms=50)
    panel.autosaved.connect(lambda path: print("AUTOSAVED", path, flush=True))
    panel.paste_text("2023-01-01\\t100\\tKILLED-A\\n2023-02-15\\t50\\tKILLED-B\\n")
    panel.inputs.quantity.setText("120")
    app.exec()
    """
)

RECOVER = textwrap.dedent(
    """
    import sys
    from PySide6.QtWidgets import QApplication
    from janus_gui.core.repository import Repository
    from janus_gui.ui.workspace.panel import WorkspacePanel

    app = QApplication([])
    panel = WorkspacePanel(Repository.open(sys.argv[1]))
    print("BANNER", not panel.banner.isHidden())
    print("AVAILABLE", panel.recovery_available())


    def report(_path):
        print("LOTS", ",".join(panel.model.row_at(i).lot_id for i in range(panel.model.rowCount())))
        print("QUANTITY", panel.inputs.quantity.text())
        print("UNSAVED", panel.has_unsaved_changes())
        print("LEFT", panel.recovery_available())
        panel.shutdown()
        app.quit()

    panel.workspace_loaded.connect(report)
    panel.file_failed.connect(lambda message: print("FAILED", message) or app.quit())
    print("RECOVERED", panel.recover())
    app.exec()
    """
)


def _env() -> dict[str, str]:
    env = dict(os.environ)  # JANUS_GUI_USER_DIR points at this test's folder
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = str(ROOT)
    return env


def _wait_for_line(process: subprocess.Popen[str], prefix: str, timeout: float) -> str:
    """Read the child's output until a line starts with ``prefix`` (no sleeping)."""
    assert process.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not selector.select(deadline - time.monotonic()):
            break
        line = process.stdout.readline()
        if not line:
            break
        if line.startswith(prefix):
            return line.strip()
    raise AssertionError(f"the child never printed {prefix!r}")


@pytest.mark.slow
def test_recovery_after_the_process_is_killed(db_path: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", EDIT_THEN_WAIT, str(db_path)],
        env=_env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = _wait_for_line(child, "AUTOSAVED", timeout=60)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    saved = Path(line.split(" ", 1)[1])
    assert saved.is_file() and saved.parent == autosave.autosave_dir()
    assert f"workspace-{child.pid}" in saved.name
    second = subprocess.run(
        [sys.executable, "-c", RECOVER, str(db_path)],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    report = dict(line.split(" ", 1) for line in second.stdout.splitlines() if " " in line)
    assert report["BANNER"] == "True"
    assert report["AVAILABLE"] == "True"
    assert report["RECOVERED"] == "True"
    assert report["LOTS"] == "KILLED-A,KILLED-B"
    assert report["QUANTITY"] == "120"
    assert report["UNSAVED"] == "True"  # recovered work is not in a file yet
    assert report["LEFT"] == "False"
    assert not saved.exists()


def test_autosave_only_after_a_change_and_clean_exit_removes_it(qtbot, repo) -> None:
    panel = WorkspacePanel(repo, autosave_interval_ms=20)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.autosaved, timeout=5000) as blocker:
        panel.paste_text("2023-01-01\t5\tX\n")
    path = Path(blocker.args[0])
    assert path == autosave.own_autosave_path()
    assert saved_parts(path)[1][0]["lot_id"] == "X"
    assert not panel.recovery_available()  # our own autosave is not an orphan
    with qtbot.assertNotEmitted(panel.autosaved, wait=200):
        pass  # nothing changed, so nothing is written
    panel.shutdown()
    assert not path.exists()


def test_discarding_recovery_deletes_orphans(qtbot, repo) -> None:
    orphan = autosave.autosave_dir() / "workspace-999999999.janusws"
    orphan.write_text('{"format": "janus-gui-workspace", "version": 1}', encoding="utf-8")
    panel = WorkspacePanel(repo)
    qtbot.addWidget(panel)
    assert not panel.banner.isHidden()
    panel.discard_recovery_button.click()
    assert panel.banner.isHidden()
    assert not orphan.exists()
    assert panel.recover() is False


def _workspace_of(count: int):
    from janus_gui.core.workspace_file import LotText, RedeemMode, Workspace

    lots = tuple(
        LotText(f"2001-02-{i % 28 + 1:02d}", f"{i}.5", f"Lø{i}", i % 3 == 0) for i in range(count)
    )
    return Workspace("P4", "Service II Shares", "2001-03-01", RedeemMode.ALL, "", "10.00", lots)


def _version_1_text(workspace) -> str:
    """The same workspace as the version 1 file format wrote it: one JSON object."""
    import json

    lots = [
        {
            "purchase_date": lot.purchase_date,
            "shares": lot.shares,
            "lot_id": lot.lot_id,
            **({"exempt": True} if lot.exempt else {}),
        }
        for lot in workspace.lots
    ]
    return json.dumps(
        {
            "format": "janus-gui-workspace",
            "version": 1,
            "portfolio_id": workspace.portfolio_id,
            "share_class": workspace.share_class,
            "redeem_date": workspace.redeem_date,
            "mode": workspace.mode.value,
            "quantity": workspace.quantity,
            "nav": workspace.nav,
            "lots": lots,
        },
        indent=2,
        ensure_ascii=False,
    )


@pytest.mark.parametrize("count", [0, 1, 3, 2500])
def test_the_worker_reads_both_file_versions_into_the_same_rows(count: int, tmp_path: Path) -> None:
    from janus_gui.core import workspace_file
    from janus_gui.ui.workspace.document import read_workspace

    workspace = _workspace_of(count)
    new, old = tmp_path / "new.janusws", tmp_path / "old.janusws"
    workspace_file.save(new, workspace)
    old.write_text(_version_1_text(workspace), encoding="utf-8")
    reports: list[tuple[int, int]] = []
    opened = read_workspace(new, lambda done, total: reports.append((done, total)))
    assert read_workspace(old, lambda _d, _t: None) == opened
    assert [r.as_text() for r in opened.rows] == list(workspace.lots)
    assert opened.inputs == workspace.__class__(
        *[
            getattr(workspace, f)
            for f in ("portfolio_id", "share_class", "redeem_date", "mode", "quantity", "nav")
        ]
    )
    assert opened.invalid == 0
    assert all(done <= total for done, total in reports)
    if count >= 2000:  # a report per thousand rows read and per thousand parsed
        assert len(reports) >= 4 and reports[-1][0] == reports[-1][1]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"format": "janus-gui-workspace", "version": 1, "lots": [1,]}', "not valid JSON"),
        ('{"format": "janus-gui-workspace", "version": 1} extra', "not valid JSON"),
        ('{"format": "janus-gui-workspace", "version": 1, "lots": [1]}', "lot 1"),
        ('{"format": "other", "version": 1, "lots": []}', "not a Janus workspace"),
        ('{"format": "janus-gui-workspace", "version": 2}\r\nshares\r\n', "purchase_date"),
        ("[]", "not a Janus workspace"),
        ("", "not valid JSON"),
    ],
)
def test_the_worker_reports_bad_files_as_input_errors(
    text: str, reason: str, tmp_path: Path
) -> None:
    from janus_gui.core.errors import InputError
    from janus_gui.ui.workspace.document import read_workspace

    path = tmp_path / "bad.janusws"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=reason):
        read_workspace(path, lambda _d, _t: None)
