"""Logging set-up: a rotating file in the per-user log folder, plus stderr when it exists."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

LOG_FILENAME = "janus_gui.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_configured_path: Path | None = None


def configure_logging(log_dir: Path, verbose: bool = False) -> Path:
    """Attach the handlers once and return the log file path.

    Windowed frozen builds have ``sys.stderr is None``; a stream handler on it would fail at
    the first record, so it is only added when the stream exists.
    """
    global _configured_path
    from logging.handlers import RotatingFileHandler  # here: the window imports this module early

    log_path = Path(log_dir) / LOG_FILENAME
    if _configured_path == log_path:
        return log_path
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    formatter = logging.Formatter(FORMAT)
    try:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        file_handler = RotatingFileHandler(
            log_path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
        )
    except OSError as exc:  # a read-only or full disk must not stop the app from starting
        if sys.stderr is not None:
            sys.stderr.write(f"cannot write the log file {log_path}: {exc}\n")
    else:
        file_handler.setFormatter(formatter)
        root.addHandler(file_handler)
    if sys.stderr is not None:
        stream_handler = logging.StreamHandler(sys.stderr)
        stream_handler.setFormatter(formatter)
        stream_handler.setLevel(logging.WARNING)
        root.addHandler(stream_handler)
    _configured_path = log_path
    return log_path


def log_file_path() -> Path | None:
    """The file ``configure_logging`` writes to, if it ran."""
    return _configured_path


def log_exception(exc: BaseException, message: str) -> Path | None:
    """Write ``message`` and ``exc``'s traceback to the log file only (never to stderr).

    Used by the command line's last-resort handler, which runs without the window's logging
    set-up. Returns the log file, or ``None`` when no log file can be written.
    """
    from logging.handlers import RotatingFileHandler

    from janus_gui import userdirs

    try:
        log_path = Path(userdirs.log_dir()) / LOG_FILENAME
        handler = RotatingFileHandler(
            log_path,
            maxBytes=MAX_BYTES,
            backupCount=BACKUP_COUNT,
            encoding="utf-8",
            errors="backslashreplace",
        )
    except (OSError, RuntimeError):
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    failed: list[bool] = []
    handler.handleError = lambda _record: failed.append(True)  # type: ignore[method-assign]
    record = logging.getLogger("janus_gui").makeRecord(
        "janus_gui",
        logging.CRITICAL,
        __file__,
        0,
        message,
        (),
        (type(exc), exc, exc.__traceback__),
    )
    try:
        handler.emit(record)
    finally:
        handler.close()
    return None if failed else log_path
