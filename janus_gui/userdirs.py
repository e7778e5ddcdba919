"""Per-user folders the app may write to: settings, autosaves and recovery files, logs.

``JANUS_GUI_USER_DIR`` redirects all of them under one folder (tests, portable use).
Nothing is ever written inside the installation or the bundle.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from pathlib import Path

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
    import tempfile  # only for this rare case: the window's start-up does without it

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

    return _ensure(
        _override("data") or platformdirs.user_data_path(APP_ID, appauthor=False), "data"
    )


def log_dir() -> Path:
    """Rotating log files (on Linux found as config_dir is, see there)."""
    folder = _override("logs")
    if folder is None and _linux():
        folder = _xdg_home("XDG_STATE_HOME", ".local/state") / APP_ID / "log"
    if folder is None:
        import platformdirs

        folder = platformdirs.user_log_path(APP_ID, appauthor=False)
    return _ensure(folder, "logs")


def config_dir() -> Path:
    """Settings (the Qt settings file lives here too).

    On Linux the XDG rule is applied here: the window needs this folder before its first paint,
    and importing platformdirs for it costs more than the rest of the lookup.
    """
    folder = _override("config")
    if folder is None and _linux():
        folder = _xdg_home("XDG_CONFIG_HOME", ".config") / APP_ID
    if folder is None:
        import platformdirs

        folder = platformdirs.user_config_path(APP_ID, appauthor=False)
    return _ensure(folder, "config")


def cache_dir() -> Path:
    """Scratch files removed after use (the batch command's grouping database)."""
    import platformdirs

    return _ensure(
        _override("cache") or platformdirs.user_cache_path(APP_ID, appauthor=False), "cache"
    )
