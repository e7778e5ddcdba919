"""Per-user folders the app may write to: settings, autosaves and recovery files, logs.

``JANUS_GUI_USER_DIR`` redirects all of them under one folder (tests, portable use).
Nothing is ever written inside the installation or the bundle.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from janus_gui import APP_ID

USER_DIR_ENV_VAR = "JANUS_GUI_USER_DIR"


def _override(sub: str) -> Path | None:
    base = os.environ.get(USER_DIR_ENV_VAR)
    return Path(base).expanduser() / sub if base else None


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _xdg_home(variable: str, default: str) -> Path:
    """``$variable``, or ``~/default`` when it is unset, blank or relative (the XDG rule, as
    platformdirs applies it)."""
    value = os.environ.get(variable, "").strip()
    return Path(value) if value and Path(value).is_absolute() else Path.home() / default


def _linux() -> bool:
    return sys.platform.startswith("linux")


def data_dir() -> Path:
    """Autosaves, recovery files and other per-user data."""
    import platformdirs

    return _ensure(_override("data") or platformdirs.user_data_path(APP_ID, appauthor=False))


def log_dir() -> Path:
    """Rotating log files (on Linux found as config_dir is, see there)."""
    override = _override("logs")
    if override is None and _linux():
        override = _xdg_home("XDG_STATE_HOME", ".local/state") / APP_ID / "log"
    if override is None:
        import platformdirs

        override = platformdirs.user_log_path(APP_ID, appauthor=False)
    return _ensure(override)


def config_dir() -> Path:
    """Settings (the Qt settings file lives here too).

    On Linux the XDG rule is applied here: the window needs this folder before its first paint,
    and importing platformdirs for it costs more than the rest of the lookup.
    """
    override = _override("config")
    if override is None and _linux():
        override = _xdg_home("XDG_CONFIG_HOME", ".config") / APP_ID
    if override is None:
        import platformdirs

        override = platformdirs.user_config_path(APP_ID, appauthor=False)
    return _ensure(override)


def cache_dir() -> Path:
    """Scratch files removed after use (the batch command's grouping database)."""
    import platformdirs

    return _ensure(_override("cache") or platformdirs.user_cache_path(APP_ID, appauthor=False))
