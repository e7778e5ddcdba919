"""Crashes: logged and shown with copyable details, the app keeps running, saves stay whole."""

from __future__ import annotations

import logging
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from janus_gui import app, log, userdirs
from janus_gui.core import workspace_file
from tests.helpers.hardening import ROOT

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import workspace_saver_child as saver  # noqa: E402


class BoomError(RuntimeError):
    """An unexpected error, as a bug would raise."""


@pytest.fixture
def app_logging(monkeypatch):
    """The app's real log set-up, in the per-test user folder; handlers removed afterwards."""
    root = logging.getLogger()
    before = list(root.handlers)
    level = root.level
    monkeypatch.setattr(log, "_configured_path", None)
    path = log.configure_logging(userdirs.log_dir())
    yield path
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


@pytest.fixture
def crash_dialogs(monkeypatch):
    """Crash dialogs are built for real but not run modally; each one is recorded."""
    from janus_gui.ui.dialogs import CrashDialog

    shown: list[CrashDialog] = []

    def fake_exec(dialog: CrashDialog) -> int:
        shown.append(dialog)
        return 0

    monkeypatch.setattr(CrashDialog, "exec", fake_exec)
    return shown


def _raise_boom() -> None:
    raise BoomError("the lot table lost its rows")


def test_excepthook_logs_and_shows_copyable_details(qapp, qtbot, app_logging, crash_dialogs):
    try:
        _raise_boom()
    except BoomError as exc:
        app.excepthook(BoomError, exc, exc.__traceback__)
    assert app_logging.parent == userdirs.log_dir()
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = app_logging.read_text(encoding="utf-8")
    assert "CRITICAL" in text and "unexpected error" in text
    assert "BoomError: the lot table lost its rows" in text and "_raise_boom" in text
    assert len(crash_dialogs) == 1
    dialog = crash_dialogs[0]
    qtbot.addWidget(dialog)
    report = dialog.report()
    for key in ("App:", "Python:", "Qt:", "OS:", "Database:", "Database user_version:"):
        assert key in report
    assert f"Log file: {app_logging}" in report
    assert "Traceback (most recent call last)" in report and "_raise_boom" in report
    assert dialog.details_view.toPlainText() == report
    assert dialog.details_view.isReadOnly()
    dialog.copy_button.click()
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == report
    assert dialog.copy_button.text() == "Copied"


def test_log_file_rotates(app_logging):
    """The log is a rotating file with a size cap, so it cannot fill the disk."""
    from logging.handlers import RotatingFileHandler

    handlers = [
        h
        for h in logging.getLogger().handlers
        if isinstance(h, RotatingFileHandler) and Path(h.baseFilename) == app_logging
    ]
    assert len(handlers) == 1
    assert handlers[0].maxBytes == log.MAX_BYTES > 0
    assert handlers[0].backupCount == log.BACKUP_COUNT > 0


def test_excepthook_without_application_falls_back(monkeypatch, app_logging):
    """No QApplication (a command-line run): the default hook prints, nothing is shown."""
    from PySide6.QtWidgets import QApplication

    calls: list[type[BaseException]] = []
    monkeypatch.setattr(QApplication, "instance", staticmethod(lambda: None))
    monkeypatch.setattr(sys, "__excepthook__", lambda t, e, tb: calls.append(t))
    try:
        _raise_boom()
    except BoomError as exc:
        app.excepthook(BoomError, exc, exc.__traceback__)
    assert calls == [BoomError]


def test_window_keeps_running_after_exception_in_slot(
    qapp, qtbot, repo, app_logging, crash_dialogs, monkeypatch
):
    from PySide6.QtCore import QObject, Signal

    from janus_gui.ui.main_window import MainWindow
    from janus_gui.ui.settings import AppSettings

    window = MainWindow(repo, AppSettings())
    qtbot.addWidget(window)
    window.show()

    class Carrier(QObject):
        fired = Signal()

    carrier = Carrier()
    carrier.fired.connect(_raise_boom)
    with qtbot.capture_exceptions() as captured:
        monkeypatch.setattr(sys, "excepthook", app.excepthook)
        carrier.fired.emit()
        monkeypatch.setattr(sys, "excepthook", sys.__excepthook__)
    assert not captured, "the slot's exception bypassed the app's hook"
    assert len(crash_dialogs) == 1
    assert "BoomError: the lot table lost its rows" in crash_dialogs[0].report()
    qtbot.addWidget(crash_dialogs[0])
    # The window still answers: a search typed afterwards shows its results.
    with qtbot.waitSignal(window.search_box.results_shown, timeout=5000) as blocker:
        qtbot.keyClicks(window.search_box.field, "Overseas")
    assert any(m.portfolio_id for m in blocker.args[0].matches)
    assert window.isVisible()


# -- atomic saves under SIGKILL ------------------------------------------------------------------
KILLS = 200


def _check_on_disk(path: Path, last_reported: int) -> int:
    """The file is one complete version: the last reported one or the one being written."""
    loaded = workspace_file.load(path)
    seq = saver.sequence_of(loaded)
    assert seq in (last_reported, last_reported + 1), (seq, last_reported)
    return seq


class Launcher:
    """Talks to ``workspace_saver_child.py`` running as a fork launcher."""

    def __init__(self, path: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "workspace_saver_child.py"), str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
            env=env,
        )
        self.last = 0  # highest sequence number any saver reported as saved

    def _line(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line, "the launcher ended"
        assert not line.startswith("error"), line
        if line.strip().isdigit():
            self.last = max(self.last, int(line))
        return line.strip()

    def send(self, command: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()

    def start_saver(self, saves: int) -> int:
        """Fork a saver and return once it has reported ``saves`` complete saves."""
        self.send("go")
        pid, seen = 0, 0
        while not pid or seen < saves:
            line = self._line()
            if line.startswith("pid "):
                pid = int(line.split()[1])
            else:
                seen += 1
        return pid

    def reap(self, pid: int) -> int:
        """Wait for a killed saver; every line it wrote has then been read."""
        self.send(f"reap {pid}")
        while not (line := self._line()).startswith(f"reaped {pid} "):
            pass
        return int(line.split()[2])

    def close(self) -> None:
        self.send("quit")
        self.process.wait(timeout=30)
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


@pytest.mark.slow
def test_workspace_file_survives_sigkill_at_random_moments(tmp_path: Path) -> None:
    path = tmp_path / "desk.janusws"
    rng = random.Random(1999)
    kept_previous = 0
    launcher = Launcher(path)
    try:
        for _ in range(KILLS):
            pid = launcher.start_saver(rng.randint(1, 3))
            for _ in range(rng.randint(0, 80)):  # a random amount of work: the saver moves on
                saver.version(launcher.last)
            os.kill(pid, signal.SIGKILL)
            status = launcher.reap(pid)
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, status
            seq = _check_on_disk(path, launcher.last)
            kept_previous += seq == launcher.last
            launcher.last = seq
    finally:
        launcher.close()
    leftovers = [p.name for p in tmp_path.iterdir() if p != path]
    assert all(n.startswith(".desk.janusws.") and n.endswith(".tmp") for n in leftovers), leftovers
    print(
        f"\n{KILLS} kills: {kept_previous} found the last reported version, "
        f"{KILLS - kept_previous} a newer one not yet reported; "
        f"{len(leftovers)} temporary files left behind"
    )
