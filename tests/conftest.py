"""Shared fixtures: headless Qt, isolated settings and user folders, the bundled catalog."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_SOURCES = ROOT.parent / "shared" / "sources"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--onscreen", action="store_true", help="show Qt windows on a real screen")


def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption("--onscreen"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Settings, logs, autosaves and recovery files go to a temporary folder in every test."""
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("JANUS_GUI_USER_DIR", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("JANUS_GUI_DB", raising=False)
    if "PySide6.QtCore" in sys.modules:
        from PySide6.QtCore import QSettings, QStandardPaths

        QStandardPaths.setTestModeEnabled(True)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(home / "qt"))
    yield home
    if "PySide6.QtCore" in sys.modules:
        from PySide6.QtCore import QThreadPool

        QThreadPool.globalInstance().waitForDone(5000)


@pytest.fixture(scope="session")
def db_path() -> Path:
    """The committed, bundled catalog."""
    path = ROOT / "data" / "janus.sqlite"
    assert path.is_file(), "data/janus.sqlite is missing: run `janus-gui build-db`"
    return path


@pytest.fixture(scope="session")
def repo(db_path: Path):
    """A read-only repository over the bundled catalog (shared by the tests of a session)."""
    from janus_gui.core.repository import Repository

    repository = Repository.open(db_path)
    yield repository
    repository.close()
