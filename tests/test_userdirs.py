"""User folders: an unusable one falls back to a temporary folder with a one-line warning; the
settings and log folders found without platformdirs on Linux are platformdirs' own."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import platformdirs
import pytest

from janus_gui import APP_ID, userdirs


@pytest.fixture(autouse=True)
def _fresh_warnings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(userdirs, "_warned", set())
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))


@pytest.mark.parametrize(
    "getter", [userdirs.data_dir, userdirs.log_dir, userdirs.config_dir, userdirs.cache_dir]
)
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
    monkeypatch.setattr(
        userdirs.os,
        "access",  # a 0555 folder (root would write anyway)
        lambda path, mode: False if Path(path) == home / "config" else real_access(path, mode),
    )
    assert userdirs.config_dir() == tmp_path / "tmp" / f"{userdirs.APP_ID}-{os.getuid()}" / "config"
    assert "cannot use" in capsys.readouterr().err


def test_the_app_and_a_command_start_with_an_unusable_user_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    env = {
        **os.environ,
        "JANUS_GUI_USER_DIR": str(blocker),
        "TMPDIR": str(tmp_path / "t"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    (tmp_path / "t").mkdir()
    window = {"JANUS_GUI_EXIT_AFTER_PAINT": "1"}  # the window opens, paints once and quits
    for argv, extra in ((["--self-test"], {}), ([], window), (["lookup", "471021709"], {})):
        done = subprocess.run(
            [sys.executable, "-m", "janus_gui", *argv],
            capture_output=True,
            text=True,
            env={**env, **extra},
            timeout=180,
        )
        assert "Traceback" not in done.stderr, (argv, done.stderr)
        assert done.returncode == 0, (argv, done.stderr)


def test_the_fallback_warning_is_one_line_even_without_logging_set_up(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    env = {**os.environ, "JANUS_GUI_USER_DIR": str(blocker), "TMPDIR": str(tmp_path)}
    script = "from janus_gui import userdirs; userdirs.cache_dir(); userdirs.cache_dir()"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0
    assert done.stderr.count("cannot use") == 1, done.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG rule is Linux's")
@pytest.mark.parametrize("xdg", [None, "", "   ", "relative/dir", "/srv/conf"])
@pytest.mark.parametrize(
    ("variable", "ours", "theirs"),
    [
        ("XDG_CONFIG_HOME", userdirs.config_dir, platformdirs.user_config_path),
        ("XDG_STATE_HOME", userdirs.log_dir, platformdirs.user_log_path),
    ],
    ids=["config", "log"],
)
def test_folders_on_linux_are_where_platformdirs_puts_them(
    variable: str,
    ours,
    theirs,
    xdg: str | None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(userdirs.USER_DIR_ENV_VAR, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(userdirs, "_ensure", lambda path, sub="": path)  # nothing is created
    if xdg is None:
        monkeypatch.delenv(variable, raising=False)
    else:
        monkeypatch.setenv(variable, xdg)
    assert ours() == theirs(APP_ID, appauthor=False)


def test_the_override_puts_every_folder_under_one(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(userdirs.USER_DIR_ENV_VAR, str(tmp_path))
    assert userdirs.config_dir() == tmp_path / "config"
    assert userdirs.log_dir() == tmp_path / "logs"
    assert userdirs.data_dir() == tmp_path / "data"
    assert userdirs.cache_dir() == tmp_path / "cache"
