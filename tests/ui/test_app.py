"""Start-up: the crash handler, database errors, logging and a real start that quits itself."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication

from janus_gui import app, log
from janus_gui.ui import dialogs
from janus_gui.ui.dialogs import CrashDialog

ROOT = Path(__file__).resolve().parents[2]


def _raise_and_catch() -> tuple[type[BaseException], BaseException, object]:
    try:
        raise ValueError("boom in a slot")
    except ValueError as exc:
        return type(exc), exc, exc.__traceback__


def test_excepthook_logs_critical_and_shows_the_crash_dialog(
    qapp, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    shown: list[CrashDialog] = []
    monkeypatch.setattr(CrashDialog, "exec", lambda self: shown.append(self) or 0)
    with caplog.at_level(logging.CRITICAL, logger="janus_gui.app"):
        app.excepthook(*_raise_and_catch())
    assert [r.levelno for r in caplog.records] == [logging.CRITICAL]
    assert caplog.records[0].exc_info[0] is ValueError
    assert len(shown) == 1
    report = shown[0].report()
    assert "ValueError: boom in a slot" in report
    for key in ("App:", "Python:", "Qt:", "OS:", "Database user_version:", "Log file:"):
        assert key in report
    shown[0].deleteLater()


def test_copy_details_puts_the_report_on_the_clipboard(qtbot):
    dialog = CrashDialog("ValueError: x", "Traceback ...", {"App": "Janus 0.1.0"})
    qtbot.addWidget(dialog)
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == "App: Janus 0.1.0\n\nTraceback ...\n"
    assert dialog.copy_button.text() == "Copied"


def test_database_user_version_of_the_bundled_catalog(db_path: Path, repo):
    assert app.database_user_version(db_path) == repo.meta()["schema_version"]


def _record_errors(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []

    def record(_parent: object, title: str, text: str) -> None:
        shown.append((title, text))

    monkeypatch.setattr(dialogs, "show_error", record)
    monkeypatch.setattr(app, "configure_logging", lambda folder: folder / "janus_gui.log")
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    return shown


def test_missing_database_exits_1_naming_the_file_and_the_repair(qapp, tmp_path, monkeypatch):
    shown = _record_errors(monkeypatch)
    missing = tmp_path / "nowhere" / "janus.sqlite"
    monkeypatch.setenv("JANUS_GUI_DB", str(missing))
    assert app.main([]) == 1
    assert len(shown) == 1
    assert str(missing) in shown[0][1]
    assert "janus-gui build-db" in shown[0][1]


def test_damaged_database_exits_1_with_the_message(qapp, tmp_path, monkeypatch):
    shown = _record_errors(monkeypatch)
    damaged = tmp_path / "janus.sqlite"
    damaged.write_bytes(b"this is not a database" * 100)
    monkeypatch.setenv("JANUS_GUI_DB", str(damaged))
    assert app.main([]) == 1
    assert str(damaged) in shown[0][1]
    assert "Reinstall" in shown[0][1]


def test_missing_streams_are_pointed_at_devnull(monkeypatch):
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    app.guard_stdio()
    assert sys.stdout is not None and sys.stdout.name == os.devnull
    assert sys.stderr is not None and sys.stderr.name == os.devnull
    sys.stdout.close()
    sys.stderr.close()


def test_logging_writes_a_rotating_file_and_skips_a_missing_stderr(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "stderr", None)
    monkeypatch.setattr(log, "_configured_path", None)
    root = logging.getLogger()
    before = list(root.handlers)
    level = root.level
    try:
        path = log.configure_logging(tmp_path)
        added = [h for h in root.handlers if h not in before]
        assert [type(h).__name__ for h in added] == ["RotatingFileHandler"]
        logging.getLogger("janus_gui.test").warning("written to the file")
        added[0].flush()
        assert "written to the file" in path.read_text(encoding="utf-8")
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(level)


def test_app_starts_and_quits_after_the_first_paint(tmp_path: Path):
    args: list[str] = []
    environment = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "JANUS_GUI_USER_DIR": str(tmp_path),
        "JANUS_GUI_EXIT_AFTER_PAINT": "1",
    }
    environment.pop("JANUS_GUI_DB", None)
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "janus_gui", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert elapsed < 15, f"took {elapsed:.1f} s to start and quit"
    log_text = (tmp_path / "logs" / "janus_gui.log").read_text(encoding="utf-8")
    assert "first paint done" in log_text


def test_unwritable_log_folder_does_not_stop_the_start(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the log folder should be", encoding="utf-8")
    monkeypatch.setattr(log, "_configured_path", None)
    root = logging.getLogger()
    before = list(root.handlers)
    level = root.level
    try:
        log.configure_logging(blocker / "logs")
        assert "cannot write the log file" in capsys.readouterr().err
        assert not any(
            type(h).__name__ == "RotatingFileHandler" for h in root.handlers if h not in before
        )
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(level)


def test_window_start_does_not_load_the_command_line_parser(tmp_path: Path):
    probe = (
        "import atexit, runpy, sys\n"
        "atexit.register(lambda: print('loaded:', sorted(\n"
        "    m for m in ('janus_gui.cli', 'janus_gui.cli.common') if m in sys.modules)))\n"
        "sys.argv = ['janus_gui']\n"
        "runpy.run_module('janus_gui', run_name='__main__', alter_sys=True)\n"
    )
    environment = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "JANUS_GUI_USER_DIR": str(tmp_path),
        "JANUS_GUI_EXIT_AFTER_PAINT": "1",
    }
    environment.pop("JANUS_GUI_DB", None)
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "loaded: []" in done.stdout


def test_startup_trace_names_each_step_and_sets_up_logging_after_the_first_paint(tmp_path: Path):
    environment = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "JANUS_GUI_USER_DIR": str(tmp_path),
        "JANUS_GUI_STARTUP_TRACE": "1",
        "JANUS_GUI_FIRST_PAINT_REPORT": "1",
        "JANUS_GUI_EXIT_AFTER_PAINT": "1",
    }
    environment.pop("JANUS_GUI_DB", None)
    launched = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "janus_gui"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    steps = [
        line.split(" ms: ", 1)[1]
        for line in done.stderr.splitlines()
        if line.startswith("startup:")
    ]
    assert steps == [
        "app.main",
        "database opened and verified",
        "QApplication created",
        "window modules imported",
        "window built",
        "first paint",
        "logging and signal clean-up set up",
    ]
    assert (tmp_path / "logs" / "janus_gui.log").is_file()
    # The benchmark's report of the first paint: the system's monotonic clock, the process's CPU.
    (report,) = [
        line.split() for line in done.stderr.splitlines() if line.startswith("first paint: ")
    ]
    assert report[2] == "monotonic" and report[4] == "cpu"
    assert launched < float(report[3]) < time.monotonic()
    assert 0 < float(report[5]) < 60
