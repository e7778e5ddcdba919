"""userdirs: the settings and log folders found without platformdirs on Linux are platformdirs'."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from janus_gui import APP_ID, userdirs


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
    variable: str, ours, theirs, xdg: str | None, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(userdirs.USER_DIR_ENV_VAR, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(userdirs, "_ensure", lambda path: path)  # nothing is created
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
