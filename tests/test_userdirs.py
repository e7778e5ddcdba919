"""userdirs: the settings folder found without platformdirs on Linux is platformdirs' own."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from janus_gui import APP_ID, userdirs


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG rule is Linux's")
@pytest.mark.parametrize("xdg", [None, "", "   ", "relative/dir", "/srv/conf"])
def test_config_dir_on_linux_is_where_platformdirs_puts_it(
    xdg: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(userdirs.USER_DIR_ENV_VAR, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(userdirs, "_ensure", lambda path: path)  # nothing is created
    if xdg is None:
        monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CONFIG_HOME", xdg)
    assert userdirs.config_dir() == platformdirs.user_config_path(APP_ID, appauthor=False)


def test_the_override_puts_every_folder_under_one(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(userdirs.USER_DIR_ENV_VAR, str(tmp_path))
    assert userdirs.config_dir() == tmp_path / "config"
    assert userdirs.log_dir() == tmp_path / "logs"
    assert userdirs.data_dir() == tmp_path / "data"
    assert userdirs.cache_dir() == tmp_path / "cache"
