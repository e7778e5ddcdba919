"""Autosave and crash recovery for the workspace.

Every few seconds, and only after a change, the workspace is written atomically to
``userdirs.data_dir()/autosave/workspace-<pid>.janusws`` on a worker thread. A clean exit
removes the file. A file left by a process that is no longer running means that process did not
exit cleanly: the panel offers to recover it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from janus_gui import userdirs
from janus_gui.core import workspace_file
from janus_gui.core.workspace_file import Workspace
from janus_gui.ui.background import TaskRunner

logger = logging.getLogger(__name__)

AUTOSAVE_INTERVAL_MS = 5000
PREFIX = "workspace-"


def autosave_dir() -> Path:
    """Folder for autosaves (created on demand)."""
    folder = userdirs.data_dir() / "autosave"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def own_autosave_path() -> Path:
    """This process's autosave file."""
    return autosave_dir() / f"{PREFIX}{os.getpid()}{workspace_file.SUFFIX}"


MAX_PID = 2**32 - 1  # no system hands out larger pids; a longer number is a stray file


def _pid_of(path: Path) -> int | None:
    """The pid in an autosave's name, or None for any name this app could not have written."""
    stem = path.name.removeprefix(PREFIX).removesuffix(workspace_file.SUFFIX)
    if not (stem.isascii() and stem.isdigit()) or len(stem) > len(str(MAX_PID)):
        return None
    pid = int(stem)
    return pid if 0 < pid <= MAX_PID else None


def process_alive(pid: int) -> bool:
    """True when a process with ``pid`` is running (POSIX); elsewhere only our own pid counts."""
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except (OSError, OverflowError, ValueError):
        return False
    return True


def orphaned_autosaves() -> list[Path]:
    """Autosaves left by processes that are no longer running, newest first."""
    found = []
    for path in autosave_dir().glob(f"{PREFIX}*{workspace_file.SUFFIX}"):
        pid = _pid_of(path)
        if pid is not None and not process_alive(pid):
            found.append(path)
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


class Autosaver(QObject):
    """Writes a snapshot after changes, at most every ``interval_ms``, on a worker thread."""

    autosaved = Signal(str)  # the path written
    autosave_failed = Signal(str)

    def __init__(
        self,
        snapshot: Callable[[], Callable[[], Workspace]],
        interval_ms: int = AUTOSAVE_INTERVAL_MS,
        parent: QObject | None = None,
        *,
        busy: Callable[[], bool] | None = None,
    ) -> None:
        """``snapshot()`` runs on the GUI thread and returns a cheap builder for the worker.

        ``busy()`` True postpones the timed write (another heavy task is running).
        """
        super().__init__(parent)
        self._snapshot = snapshot
        self._busy = busy or (lambda: False)
        self._dirty = False
        self._writing = False
        self._runner = TaskRunner(self)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.path = own_autosave_path()

    def start(self) -> None:
        """Begin periodic autosaving."""
        self._timer.start()

    def stop(self) -> None:
        """Stop autosaving (before a clean exit)."""
        self._timer.stop()

    def mark_dirty(self) -> None:
        """Something changed: the next tick writes."""
        self._dirty = True

    def is_dirty(self) -> bool:
        """True when a change has not been autosaved yet."""
        return self._dirty

    def save_now(self) -> None:
        """Write at once if there is a change (also what the timer does)."""
        if not self._dirty or self._writing:
            return
        self._dirty = False
        self._writing = True
        build = self._snapshot()
        target = self.path
        self._runner.start(
            lambda _progress, _cancelled: str(workspace_file.save(target, build())),
            self._on_written,
            self._on_failed,
            heavy=True,
        )

    def shutdown(self) -> None:
        """Clean exit: stop, let an in-flight write finish, then delete the autosave."""
        self.stop()
        if self._writing:
            QThreadPool.globalInstance().waitForDone(5000)
        self.remove()

    def remove(self) -> None:
        """Delete this process's autosave (clean exit, or after a deliberate save)."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    def _on_timer_timeout(self) -> None:
        if not self._busy():
            self.save_now()

    def _on_written(self, path: object) -> None:
        self._writing = False
        logger.debug("autosaved to %s", path)
        self.autosaved.emit(str(path))

    def _on_failed(self, message: str) -> None:
        self._writing = False
        self._dirty = True
        logger.warning("autosave failed: %s", message)
        self.autosave_failed.emit(message)
