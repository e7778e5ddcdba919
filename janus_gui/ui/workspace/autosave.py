"""Autosave and crash recovery for the workspace.

Every few seconds, and only after a change, the workspace is written atomically to
``userdirs.data_dir()/autosave/workspace-<pid>.janusws`` on a worker thread. A clean exit
removes the file. A file left by a process that is no longer running means that process did not
exit cleanly: the panel offers to recover it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from janus_gui import userdirs
from janus_gui.core import safe_write, workspace_file
from janus_gui.core.errors import InputError
from janus_gui.core.workspace_file import Workspace
from janus_gui.ui.workspace.workers import TaskRunner

logger = logging.getLogger(__name__)

AUTOSAVE_INTERVAL_MS = 5000
PREFIX = "workspace-"
SLICE_LOTS = 1000  # lots serialised per slice: about a millisecond of work
_LOTS_TAIL = '"lots": []\n}\n'


def _lots_slice_text(workspace: Workspace, begin: int, end: int) -> str:
    """Lots ``begin`` to ``end`` as they appear inside the saved file's ``lots`` array."""
    part = dataclasses.replace(workspace, lots=workspace.lots[begin:end])
    items = json.dumps(workspace_file.to_dict(part)["lots"], indent=2, ensure_ascii=False)
    # items is "[\n  {...},\n  {...}\n]" at top level; in the file the array sits one level
    # deeper. JSON escapes newlines inside strings, so every "\n" here is a line break.
    return "  " + items[2:-2].replace("\n", "\n  ")


ProgressFn = Callable[[int, int], None]


def dumps_in_slices(
    workspace: Workspace, slice_lots: int = SLICE_LOTS, progress: ProgressFn | None = None
) -> bytes:
    """``workspace_file.dumps(workspace)`` encoded as UTF-8, built slice by slice.

    One ``json.dumps`` of 100,000 lots ends in a single join and encode of millions of small
    strings that keep the interpreter lock for 50-150 ms, freezing the window even though the
    write runs on a worker. Slices of ``slice_lots`` lots hand the lock over between them.
    ``progress(done, total)`` is told the lots serialised after each slice.
    """
    head = workspace_file.dumps(dataclasses.replace(workspace, lots=()))
    if not workspace.lots:
        return head.encode("utf-8")
    if not head.endswith(_LOTS_TAIL):  # the file format changed: fall back to one piece
        return workspace_file.dumps(workspace).encode("utf-8")
    parts = [(head[: -len(_LOTS_TAIL)] + '"lots": [\n').encode("utf-8")]
    for begin in range(0, len(workspace.lots), slice_lots):
        text = _lots_slice_text(workspace, begin, begin + slice_lots)
        parts.append(("" if begin == 0 else ",\n").encode("utf-8") + text.encode("utf-8"))
        if progress is not None:
            progress(min(begin + slice_lots, len(workspace.lots)), len(workspace.lots))
        time.sleep(0)  # let the GUI thread take the interpreter lock
    parts.append(b"\n  ]\n}\n")
    return b"".join(parts)


def write_in_slices(path: Path, workspace: Workspace, progress: ProgressFn | None = None) -> Path:
    """Write ``workspace`` atomically, serialised in slices (see ``dumps_in_slices``)."""
    return safe_write.write_bytes(path, dumps_in_slices(workspace, progress=progress))


_SPACE = re.compile(r"[ \t\n\r]*")


class _MalformedError(ValueError):
    """The text is not the plain JSON object the sliced reader expects."""


def _skip(text: str, at: int) -> int:
    return _SPACE.match(text, at).end()  # type: ignore[union-attr]  # always matches


def _expect(text: str, at: int, char: str) -> int:
    if text[at : at + 1] != char:
        raise _MalformedError(char)
    return _skip(text, at + 1)


def _array_in_slices(
    decoder: json.JSONDecoder, text: str, at: int, progress: ProgressFn | None
) -> tuple[list[Any], int]:
    """The array starting at ``text[at]`` (``[``), decoded one item per call."""
    items: list[Any] = []
    at = _expect(text, at, "[")
    if text[at : at + 1] == "]":
        return items, at + 1
    while True:
        item, at = decoder.raw_decode(text, at)
        items.append(item)
        if progress is not None and len(items) % SLICE_LOTS == 0:
            progress(at, len(text))
            time.sleep(0)  # let the GUI thread take the interpreter lock
        at = _skip(text, at)
        if text[at : at + 1] == "]":
            return items, at + 1
        at = _expect(text, at, ",")


def _object_in_slices(text: str, progress: ProgressFn | None) -> dict[str, Any]:
    """The top-level JSON object, its ``lots`` array decoded item by item.

    One ``json.loads`` of 100,000 lots is a single C call that keeps the interpreter lock for
    well over 100 ms; small ``raw_decode`` calls let the GUI thread run between them.
    """
    decoder = json.JSONDecoder()
    obj: dict[str, Any] = {}
    at = _expect(text, _skip(text, 0), "{")
    if text[at : at + 1] == "}":
        at += 1
    else:
        while True:
            key, at = decoder.raw_decode(text, at)
            if not isinstance(key, str):
                raise _MalformedError("key")
            at = _expect(text, _skip(text, at), ":")
            if key == "lots" and text[at : at + 1] == "[":
                obj[key], at = _array_in_slices(decoder, text, at, progress)
            else:
                obj[key], at = decoder.raw_decode(text, at)
            at = _skip(text, at)
            if text[at : at + 1] == "}":
                at += 1
                break
            at = _expect(text, at, ",")
    if _skip(text, at) != len(text):
        raise _MalformedError("trailing text")
    return obj


def loads_in_slices(text: str, progress: ProgressFn | None = None) -> Workspace:
    """``workspace_file.loads(text)`` without holding the interpreter lock for long.

    Text the sliced reader does not accept goes to ``workspace_file.loads``, whose error
    message names the problem (such text is rarely large).

    Raises:
        InputError: The text is not JSON or not a valid workspace.
    """
    if len(text) > workspace_file.MAX_WORKSPACE_CHARS:
        return workspace_file.loads(text)  # raises the size error
    try:
        obj = _object_in_slices(text, progress)
    except (ValueError, RecursionError):  # JSONDecodeError and _MalformedError are ValueErrors
        return workspace_file.loads(text)
    lots = obj.get("lots")
    try:
        return workspace_file.from_dict(obj)
    finally:
        obj.clear()
        if isinstance(lots, list):
            release_in_slices(lots)


def release_in_slices(items: list[Any]) -> None:
    """Empty a large list in slices, so freeing it never holds the interpreter for long."""
    while items:
        del items[-4096:]
        time.sleep(0)


def load_in_slices(path: Path, progress: ProgressFn | None = None) -> Workspace:
    """``workspace_file.load(path)`` read with ``loads_in_slices``.

    Raises:
        InputError: The file cannot be read or is not a valid workspace.
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the workspace file {Path(path).name}: {exc}") from None
    return loads_in_slices(text, progress)


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
            lambda _progress, _cancelled: str(write_in_slices(target, build())),
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
