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
    assert '"lot_id": "X"' in path.read_text(encoding="utf-8")
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


def test_sliced_autosave_text_is_the_saved_file_format() -> None:
    expected = (
        '{\n  "format": "janus-gui-workspace",\n  "version": 1,\n  "portfolio_id": "P4",\n'
        '  "share_class": "Service II Shares",\n  "redeem_date": "2001-03-01",\n'
        '  "mode": "all",\n  "quantity": "",\n  "nav": "10.00",\n  "lots": [\n'
        '    {\n      "purchase_date": "2001-02-01",\n      "shares": "0.5",\n'
        '      "lot_id": "Lø0",\n      "exempt": true\n    },\n'
        '    {\n      "purchase_date": "2001-02-02",\n      "shares": "1.5",\n'
        '      "lot_id": "Lø1"\n    }\n  ]\n}\n'
    )
    assert autosave.dumps_in_slices(_workspace_of(2), slice_lots=1).decode("utf-8") == expected


@pytest.mark.parametrize(("count", "slice_lots"), [(0, 3), (1, 3), (3, 3), (7, 3), (2500, 1000)])
def test_sliced_autosave_matches_a_plain_save(count: int, slice_lots: int, tmp_path: Path) -> None:
    from janus_gui.core import workspace_file

    workspace = _workspace_of(count)
    data = autosave.dumps_in_slices(workspace, slice_lots=slice_lots)
    assert data == workspace_file.dumps(workspace).encode("utf-8")
    target = autosave.write_in_slices(tmp_path / "w.janusws", workspace)
    assert workspace_file.load(target) == workspace


@pytest.mark.parametrize(
    "text",
    [
        '{"format": "janus-gui-workspace", "version": 1}',
        '{"format": "janus-gui-workspace", "version": 1, "lots": []}',
        ' {"lots": [{"purchase_date": "2001-01-01", "shares": "1"} ,{"purchase_date": "x",'
        ' "shares": "2", "lot_id": "\\u00e9\\"", "exempt": true}],'
        ' "format": "janus-gui-workspace", "version": 1, "mode": "all"}\n',
    ],
)
def test_sliced_reader_reads_what_the_plain_reader_reads(text: str) -> None:
    from janus_gui.core import workspace_file

    assert autosave.loads_in_slices(text) == workspace_file.loads(text)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"format": "janus-gui-workspace", "version": 1, "lots": [1,]}', "not valid JSON"),
        ('{"format": "janus-gui-workspace", "version": 1} extra', "not valid JSON"),
        ('{"format": "janus-gui-workspace", "version": 1, "lots": [1]}', "lot 1"),
        ('{"format": "other", "version": 1, "lots": []}', "not a Janus workspace"),
        ("[]", "not a Janus workspace"),
        ("", "not valid JSON"),
    ],
)
def test_sliced_reader_reports_bad_text_like_the_plain_reader(text: str, reason: str) -> None:
    from janus_gui.core.errors import InputError

    with pytest.raises(InputError, match=reason):
        autosave.loads_in_slices(text)
