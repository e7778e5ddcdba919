"""Per-user folders the app may write to: settings, autosaves and recovery files, logs.

``JANUS_GUI_USER_DIR`` redirects all of them under one folder (tests, portable use).
Nothing is ever written inside the installation or the bundle.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from janus_gui import APP_ID

USER_DIR_ENV_VAR = "JANUS_GUI_USER_DIR"


def _override(sub: str) -> Path | None:
    base = os.environ.get(USER_DIR_ENV_VAR)
    return Path(base).expanduser() / sub if base else None


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    """Autosaves, recovery files and other per-user data."""
    return _ensure(_override("data") or platformdirs.user_data_path(APP_ID, appauthor=False))


def log_dir() -> Path:
    """Rotating log files."""
    return _ensure(_override("logs") or platformdirs.user_log_path(APP_ID, appauthor=False))


def config_dir() -> Path:
    """Settings (the Qt settings file lives here too)."""
    return _ensure(_override("config") or platformdirs.user_config_path(APP_ID, appauthor=False))


def cache_dir() -> Path:
    """Scratch files removed after use (the batch command's grouping database)."""
    return _ensure(_override("cache") or platformdirs.user_cache_path(APP_ID, appauthor=False))
