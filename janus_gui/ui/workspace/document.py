"""The workspace as a document: its file, whether it changed since, save, open, recover, autosave.

Saving, opening and recovering run on a worker while the window keeps painting; the document
reports through signals (status text, progress, the path written or read) and never touches the
view's widgets. What a file holds comes from and goes to the view through two callables: a
snapshot of the inputs and rows, and ``apply`` for a file that was read.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, QThreadPool, Signal
from PySide6.QtWidgets import QWidget

from janus_gui.core import workspace_file
from janus_gui.core.workspace_file import Workspace
from janus_gui.ui.background import ProgressFn, Task, TaskRunner, release_in_slices
from janus_gui.ui.workspace import dialogs
from janus_gui.ui.workspace.autosave import AUTOSAVE_INTERVAL_MS, Autosaver, orphaned_autosaves
from janus_gui.ui.workspace.dialogs import SaveChoice
from janus_gui.workspace import files
from janus_gui.workspace.files import OpenedWorkspace

SHUTDOWN_WAIT_MS = 30_000  # a save still running at exit is finished, not cut off
Snapshot = Callable[[], Callable[[], Workspace]]  # on the GUI thread; the builder on a worker


def read_workspace(path: Path, progress: ProgressFn) -> OpenedWorkspace:
    """Runs on a worker: the file read (first half of the progress bar), then its rows parsed."""
    workspace = workspace_file.load(path, lambda done, total: progress(done, 2 * total))
    lots = list(workspace.lots)
    workspace = dataclasses.replace(workspace, lots=())
    count = max(1, len(lots))
    result = files.opened(workspace, lots, lambda done: progress(count + done, 2 * count))
    progress(2 * count, 2 * count)
    release_in_slices(lots)  # freed here in slices, not in one piece
    return result


def write_workspace(path: Path, build: Callable[[], Workspace], progress: ProgressFn) -> Path:
    """Runs on a worker: build the file's contents from the snapshot and write them atomically."""
    return workspace_file.save(path, build(), progress)


class WorkspaceDocument(QObject):
    """The file behind a workspace (see the module docstring).

    ``other_task_running()`` is True while the view runs a task that must not overlap a file
    task (an import); autosave also waits while ``busy()`` is True.
    """

    unsaved_changed = Signal(bool)
    saved = Signal(str)  # the path written
    loaded = Signal(str)  # the file opened or the autosave recovered
    failed = Signal(str)  # why a save, open or recovery did not happen
    task_started = Signal(str)  # what runs, for the status line; the progress bar shows
    task_progress = Signal(int, int)
    task_ended = Signal()
    status = Signal(str, bool)  # a message for the status line, and whether it is an error
    recovery_available = Signal(bool)  # whether to offer recovering an autosave
    autosaved = Signal(str)

    def __init__(
        self,
        snapshot: Snapshot,
        apply: Callable[[OpenedWorkspace], None],
        view: QWidget,
        *,
        other_task_running: Callable[[], bool],
        busy: Callable[[], bool],
        autosave_interval_ms: int = AUTOSAVE_INTERVAL_MS,
    ) -> None:
        super().__init__(view)
        self._snapshot = snapshot
        self._apply = apply
        self._view = view  # parent of the dialogs this document asks
        self._other_task_running = other_task_running
        self._path: Path | None = None
        self._dirty = False
        self._edits = 0  # changes so far; a save clears the unsaved flag only if none came since
        self._task: Task | None = None
        self._runner = TaskRunner(self)
        self._autosaver = Autosaver(
            snapshot, autosave_interval_ms, self, busy=lambda: busy() or self.task_running()
        )
        self._autosaver.autosaved.connect(self.autosaved.emit)

    # -- state --------------------------------------------------------------------------------
    def start(self) -> None:
        """Begin autosaving and say whether an earlier session left work to recover."""
        self._autosaver.start()
        self.recovery_available.emit(bool(orphaned_autosaves()))

    def path(self) -> Path | None:
        """The file last saved or opened."""
        return self._path

    def has_unsaved_changes(self) -> bool:
        """True when something changed since the last save or open."""
        return self._dirty

    def task_running(self) -> bool:
        """True while a save, open or recovery runs."""
        return self._task is not None

    def mark_changed(self) -> None:
        """Something the file would hold changed: unsaved, and due for an autosave."""
        self._set_dirty(True)

    def _set_dirty(self, dirty: bool) -> None:
        changed = dirty != self._dirty
        self._dirty = dirty
        if dirty:
            self._edits += 1
            self._autosaver.mark_dirty()
        if changed:
            self.unsaved_changed.emit(dirty)

    # -- saving -------------------------------------------------------------------------------
    def save(self, path: str | Path, *, on_done: Callable[[bool], None] | None = None) -> bool:
        """Start writing the workspace atomically on a worker; False when it cannot start.

        ``saved`` or ``failed`` follows (errors also as ``status``), then ``on_done(ok)``.
        The unsaved flag is cleared only once the file is written, and only if nothing
        changed meanwhile.
        """
        if not self._may_start():
            return False
        target = Path(path)
        build, edits = self._snapshot(), self._edits
        self._task = self._begin(
            f"Saving {target.name}…",
            lambda progress, _cancelled: write_workspace(target, build, progress),
            lambda _written: self._on_saved(target, edits, on_done),
            lambda message: self._on_save_failed(target, message, on_done),
        )
        return True

    def save_and_wait(self, path: Path) -> bool:
        """Save on the worker while the window keeps painting; True when the file was written."""
        finished: list[bool] = []
        loop = QEventLoop(self)

        def done(ok: bool) -> None:
            finished.append(ok)
            loop.quit()

        if not self.save(path, on_done=done):
            return False
        if not finished:
            loop.exec()
        return finished[0]

    def ask_path(self) -> Path | None:
        """Where to save, asked of the user."""
        path = dialogs.ask_save_path(
            self._view,
            "Save workspace",
            "redemption" + workspace_file.SUFFIX,
            dialogs.WORKSPACE_FILTER,
        )
        return Path(path) if path else None

    def confirm_close(self) -> bool:
        """Ask to save unsaved changes; True when it is fine to close."""
        self.wait_for_task()  # a save in flight may leave nothing to ask about
        if not self._dirty:
            return True
        choice = dialogs.ask_save_changes(self._view)
        if choice == SaveChoice.CANCEL:
            return False
        if choice == SaveChoice.DISCARD:
            return True
        path = self._path or self.ask_path()
        if path is None:
            return False
        return self.save_and_wait(path)

    def _on_saved(self, path: Path, edits: int, on_done: Callable[[bool], None] | None) -> None:
        self._end()
        self._path = path
        if self._edits == edits:  # a change made while saving is not in the file
            self._set_dirty(False)
        self.status.emit(f"Saved {path.name}.", False)
        self.saved.emit(str(path))
        if on_done is not None:
            on_done(True)

    def _on_save_failed(
        self, path: Path, message: str, on_done: Callable[[bool], None] | None
    ) -> None:
        self._end()
        self._fail(f"Could not save {path.name}: {message}")
        if on_done is not None:
            on_done(False)

    # -- opening and recovering ---------------------------------------------------------------
    def open(self, path: str | Path) -> bool:
        """Start reading a saved workspace on a worker; False when another file task runs.

        ``loaded`` follows once everything is replaced, or ``failed``.
        """
        target = Path(path)
        return self._start_reading(target, target.name, lambda got: self._on_opened(target, got))

    def recover(self) -> bool:
        """Start loading the newest orphaned autosave on a worker; False if none or busy.

        ``loaded`` follows; the recovered work counts as unsaved.
        """
        found = orphaned_autosaves()
        if not found:
            self.recovery_available.emit(False)
            return False
        return self._start_reading(
            found[0], "the autosave", lambda got: self._on_recovered(found, got)
        )

    def discard_recovery(self) -> None:
        """Delete orphaned autosaves without loading them."""
        for path in orphaned_autosaves():
            path.unlink(missing_ok=True)
        self.recovery_available.emit(False)

    def _start_reading(
        self, path: Path, name: str, on_read: Callable[[OpenedWorkspace], None]
    ) -> bool:
        if not self._may_start():
            return False
        self._task = self._begin(
            f"Opening {name}…",
            lambda progress, _cancelled: read_workspace(path, progress),
            on_read,
            lambda message: self._on_read_failed(name, message),
        )
        return True

    def _on_opened(self, path: Path, opened: OpenedWorkspace) -> None:
        self._end()
        self._apply(opened)
        self._path = path
        self._set_dirty(False)
        self.status.emit(f"Opened {path.name}.", False)
        self.loaded.emit(str(path))

    def _on_recovered(self, found: list[Path], opened: OpenedWorkspace) -> None:
        self._end()
        self._apply(opened)
        for path in found:
            path.unlink(missing_ok=True)
        self._path = None
        self._set_dirty(True)
        self.recovery_available.emit(False)
        self.status.emit(f"Recovered {len(opened.rows):,} lot rows from the autosave.", False)
        self.loaded.emit(str(found[0]))

    def _on_read_failed(self, name: str, message: str) -> None:
        self._end()
        self._fail(f"Could not open {name}: {message}")

    # -- the task -----------------------------------------------------------------------------
    def _may_start(self) -> bool:
        if self._task is None and not self._other_task_running():
            return True
        self.status.emit("Wait until the running import, save or open has finished.", True)
        return False

    def _begin(
        self,
        text: str,
        job: Callable[[ProgressFn, Callable[[], bool]], object],
        on_finished: Callable[..., None],
        on_failed: Callable[[str], None],
    ) -> Task:
        self.task_started.emit(text)
        return self._runner.start(job, on_finished, on_failed, self.task_progress.emit, heavy=True)

    def _end(self) -> None:
        self._task = None
        self.task_ended.emit()

    def _fail(self, text: str) -> None:
        self.status.emit(text, True)
        self.failed.emit(text)

    def wait_for_task(self) -> None:
        """Run the event loop (the window keeps painting) until a running save or open ends."""
        if self._task is None:
            return
        loop = QEventLoop(self)
        self.task_ended.connect(loop.quit)
        try:
            if self._task is not None:
                loop.exec()
        finally:
            self.task_ended.disconnect(loop.quit)

    def shutdown(self) -> None:
        """Clean exit: let a running save finish, stop autosaving, remove the autosave file."""
        if self._task is not None:
            QThreadPool.globalInstance().waitForDone(SHUTDOWN_WAIT_MS)
        self._autosaver.shutdown()
