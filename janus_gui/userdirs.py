"""Per-user folders the app may write to: settings, autosaves and recovery files, logs.

``JANUS_GUI_USER_DIR`` redirects all of them under one folder (tests, portable use).
Nothing is ever written inside the installation or the bundle.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import tempfile
from pathlib import Path

import platformdirs

from janus_gui import APP_ID
from janus_gui.core.safe_text import escaped

USER_DIR_ENV_VAR = "JANUS_GUI_USER_DIR"


def _override(sub: str) -> Path | None:
    base = os.environ.get(USER_DIR_ENV_VAR)
    return Path(base).expanduser() / sub if base else None


_warned: set[str] = set()


def _usable(path: Path) -> bool:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except (OSError, RuntimeError):  # read-only, a file in the way, a link loop
        return False
    return path.is_dir() and os.access(path, os.W_OK | os.X_OK)


def fallback_dir(sub: str) -> Path:
    """A per-user folder under the system temporary folder, used when the usual one fails."""
    user = str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    return Path(tempfile.gettempdir()) / f"{APP_ID}-{user}" / sub


def _ensure(path: Path, sub: str = "") -> Path:
    """``path``, created if needed; an unusable one falls back to a temporary folder with a
    one-line warning on stderr (once per folder), never an error at start-up."""
    if _usable(path):
        return path
    fallback = fallback_dir(sub or path.name)
    if not _usable(fallback):
        raise OSError(f"no usable folder for {sub or path.name}: {path}, {fallback}")
    if str(path) not in _warned:
        _warned.add(str(path))
        message = (
            f"janus-gui: warning: cannot use {escaped(str(path))}; using {fallback} instead "
            "(files there may be removed by the system)\n"
        )
        with contextlib.suppress(OSError, ValueError, AttributeError):
            sys.stderr.write(message)
        logging.getLogger(__name__).info("%s", message.strip())  # stderr has it already
    return fallback


def data_dir() -> Path:
    """Autosaves, recovery files and other per-user data."""
    return _ensure(
        _override("data") or platformdirs.user_data_path(APP_ID, appauthor=False), "data"
    )


def log_dir() -> Path:
    """Rotating log files."""
    return _ensure(
        _override("logs") or platformdirs.user_log_path(APP_ID, appauthor=False), "logs"
    )


def config_dir() -> Path:
    """Settings (the Qt settings file lives here too)."""
    return _ensure(
        _override("config") or platformdirs.user_config_path(APP_ID, appauthor=False), "config"
    )


def cache_dir() -> Path:
    """Scratch files removed after use (the batch command's grouping database)."""
    return _ensure(
        _override("cache") or platformdirs.user_cache_path(APP_ID, appauthor=False), "cache"
    )
