"""Unusable user folders fall back to a temporary folder with a one-line warning."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from janus_gui import userdirs


@pytest.fixture(autouse=True)
def _fresh_warnings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(userdirs, "_warned", set())
    monkeypatch.setattr(userdirs.tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))


@pytest.mark.parametrize("getter", [userdirs.data_dir, userdirs.log_dir, userdirs.config_dir,
                                    userdirs.cache_dir])
def test_user_dir_pointing_at_a_file_falls_back(
    getter, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv(userdirs.USER_DIR_ENV_VAR, str(blocker))
    folder = getter()
    assert folder.is_dir() and folder.is_relative_to(tmp_path / "tmp")
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("janus-gui: warning: cannot use ")
    assert getter() == folder
    assert capsys.readouterr().err == ""  # warned once


def test_a_read_only_folder_falls_back(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    monkeypatch.setenv(userdirs.USER_DIR_ENV_VAR, str(home))
    real_access = os.access
    monkeypatch.setattr(userdirs.os, "access",  # a 0555 folder (root would write anyway)
                        lambda path, mode: False if Path(path) == home / "config"
                        else real_access(path, mode))
    assert userdirs.config_dir() == tmp_path / "tmp" / f"{userdirs.APP_ID}-{os.getuid()}" / "config"
    assert "cannot use" in capsys.readouterr().err


def test_the_app_and_a_command_start_with_an_unusable_user_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    env = {**os.environ, "JANUS_GUI_USER_DIR": str(blocker), "TMPDIR": str(tmp_path / "t"),
           "QT_QPA_PLATFORM": "offscreen"}
    (tmp_path / "t").mkdir()
    window = {"JANUS_GUI_EXIT_AFTER_PAINT": "1"}  # the window opens, paints once and quits
    for argv, extra in ((["--self-test"], {}), ([], window), (["lookup", "471021709"], {})):
        done = subprocess.run([sys.executable, "-m", "janus_gui", *argv], capture_output=True,
                              text=True, env={**env, **extra}, timeout=180)
        assert "Traceback" not in done.stderr, (argv, done.stderr)
        assert done.returncode == 0, (argv, done.stderr)


def test_the_fallback_warning_is_one_line_even_without_logging_set_up(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    env = {**os.environ, "JANUS_GUI_USER_DIR": str(blocker), "TMPDIR": str(tmp_path)}
    script = "from janus_gui import userdirs; userdirs.cache_dir(); userdirs.cache_dir()"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, timeout=60)
    assert done.returncode == 0
    assert done.stderr.count("cannot use") == 1, done.stderr
