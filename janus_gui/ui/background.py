"""Background work for the window: tasks on the thread pool, and freeing large data without
freezing the window.

A task is a ``QRunnable`` carrying a ``QObject`` of signals.

Tasks run on ``QThreadPool.globalInstance()`` with auto-delete off; ``TaskRunner`` keeps a
reference until ``finished`` or ``failed`` arrives, so neither the runnable nor its signal
carrier is collected while the thread still uses them. Workers never touch widgets.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import sys
import threading
import time
import types
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from janus_gui.core.errors import JanusError

logger = logging.getLogger(__name__)

ProgressFn = Callable[[int, int], None]
CancelledFn = Callable[[], bool]
Job = Callable[[ProgressFn, CancelledFn], Any]


_gc_lock = threading.Lock()
_gc_pauses = 0
_saved_switch_interval = 0.005
HEAVY_SWITCH_INTERVAL_S = 0.001


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Keep the GUI thread responsive while a task builds many objects.

    A full garbage collection walks every tracked object (100,000 lots make about a million)
    in one C call that holds the interpreter lock, freezing the GUI thread for hundreds of
    milliseconds. Lot data has no reference cycles, so reference counting frees it; when the last
    heavy task ends, the survivors are frozen out of future collections (``gc.freeze``).
    The lock is also handed over more often meanwhile (``sys.setswitchinterval``), so every
    Python call the GUI thread makes waits at most about a millisecond for it.
    """
    global _gc_pauses, _saved_switch_interval
    with _gc_lock:
        if _gc_pauses == 0:
            gc.disable()
            _saved_switch_interval = sys.getswitchinterval()
            sys.setswitchinterval(HEAVY_SWITCH_INTERVAL_S)
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0:
                sys.setswitchinterval(_saved_switch_interval)
                gc.freeze()
                gc.enable()


BIG_CONTAINER = 256  # items: larger containers are copied and freed in slices, not walked
_FREE_SLICE = 4096
_WALK_LIMIT = 2000  # objects inspected when looking for large containers
_OPAQUE = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType, types.MethodType)


def _large_containers(root: object) -> list[list[object]]:
    """Copies of the large lists, tuples and dicts reachable from ``root``.

    Only small objects are walked (at most ``_WALK_LIMIT``); large containers are copied, not
    entered. The copies hold the items, so dropping ``root`` afterwards frees no item.
    """
    found: list[list[object]] = []
    seen: set[int] = set()
    pending = [root]
    while pending and len(seen) < _WALK_LIMIT:
        obj = pending.pop()
        if id(obj) in seen or isinstance(obj, _OPAQUE):
            continue
        seen.add(id(obj))
        if isinstance(obj, list | tuple) and len(obj) > BIG_CONTAINER:
            found.append(list(obj))
        elif isinstance(obj, dict) and len(obj) > BIG_CONTAINER:
            found.append([*obj.keys(), *obj.values()])
        else:
            pending.extend(gc.get_referents(obj))
    return found


def _free_in_slices(holders: list[list[object]]) -> None:
    for items in holders:
        release_in_slices(items)


def release_in_slices(items: list[Any]) -> None:
    """Empty a large list in slices on a worker, so freeing it never holds the interpreter long."""
    while items:
        del items[-_FREE_SLICE:]
        time.sleep(0)  # hand the interpreter lock to the GUI thread between slices


def dispose(obj: object) -> None:
    """Free a large object graph on a pool thread, a slice at a time.

    Dropping the last reference to 100,000 lots (rows, timeline bars, a computed walk) frees
    them in one C call: 50-90 ms with the interpreter lock held, wherever it happens. The
    caller must not keep other references to ``obj``.
    """
    holder = [obj]
    del obj

    def run() -> None:
        root = holder.pop()
        big = _large_containers(root)
        del root  # frees the small remainder; the items of large containers stay in ``big``
        _free_in_slices(big)

    QThreadPool.globalInstance().start(run)


class TaskSignals(QObject):
    """Signals a task emits from its worker thread (queued to the receiver's thread)."""

    progress = Signal(int, int)  # done, total
    finished = Signal(object)  # the job's return value
    failed = Signal(str)  # a message fit to show a user


class Task(QRunnable):
    """Runs ``job(progress, cancelled)`` on a pool thread and reports through ``signals``."""

    def __init__(self, job: Job, *, heavy: bool = False) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = TaskSignals()
        self._job = job
        self._heavy = heavy
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Ask the job to stop at its next check."""
        self._cancel.set()

    def is_cancelled(self) -> bool:
        """True once ``cancel`` was called."""
        return self._cancel.is_set()

    def _report_progress(self, done: int, total: int) -> None:
        """Tell the GUI thread, then hand it the interpreter lock: the queued update needs the
        lock on the GUI thread, and a job that reports often would otherwise keep the window
        waiting for it (measured: 75-90 ms stalls while a 100,000-lot save reported every
        thousand lots)."""
        self.signals.progress.emit(done, total)
        time.sleep(0)

    def run(self) -> None:
        try:
            with gc_paused() if self._heavy else contextlib.nullcontext():
                result = self._job(self._report_progress, self._cancel.is_set)
        except JanusError as exc:
            self.signals.failed.emit(str(exc))
        except OSError as exc:
            self.signals.failed.emit(f"{exc.strerror or exc} ({exc.filename or 'file'})")
        except MemoryError:
            logger.exception("background task ran out of memory")
            self.signals.failed.emit(
                "there is not enough memory to finish (is the file very "
                "large?); nothing was changed"
            )
        except Exception as exc:  # a bug: log it with the traceback, tell the user briefly
            logger.exception("background task failed")
            from janus_gui.log import log_file_path

            where = log_file_path()
            details = f"; details are in the log file {where}" if where else ""
            self.signals.failed.emit(f"unexpected error ({type(exc).__name__}){details}")
        else:
            self.signals.finished.emit(result)


class TaskRunner(QObject):
    """Starts tasks and keeps them alive until they report.

    Signals are connected to this object's bound methods (not lambdas), so Qt queues them to
    the GUI thread where the runner lives; the callbacks therefore run on the GUI thread.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._running: dict[TaskSignals, tuple[Task, _Callbacks]] = {}

    def start(
        self,
        job: Job,
        on_finished: Callable[[Any], None],
        on_failed: Callable[[str], None],
        on_progress: Callable[[int, int], None] | None = None,
        *,
        heavy: bool = False,
    ) -> Task:
        """Queue ``job``; the callbacks run on the GUI thread.

        ``heavy`` jobs (thousands of lots) run with the garbage collector paused (``gc_paused``).
        """
        task = Task(job, heavy=heavy)
        self._running[task.signals] = (task, _Callbacks(on_finished, on_failed, on_progress))
        task.signals.finished.connect(self._on_task_finished)
        task.signals.failed.connect(self._on_task_failed)
        task.signals.progress.connect(self._on_task_progress)
        QThreadPool.globalInstance().start(task)
        return task

    def _entry(self) -> tuple[Task, _Callbacks] | None:
        sender = self.sender()
        return self._running.get(sender) if isinstance(sender, TaskSignals) else None

    def _on_task_finished(self, result: object) -> None:
        entry = self._entry()
        if entry is not None:
            del self._running[entry[0].signals]
            entry[1].finished(result)

    def _on_task_failed(self, message: str) -> None:
        entry = self._entry()
        if entry is not None:
            del self._running[entry[0].signals]
            entry[1].failed(message)

    def _on_task_progress(self, done: int, total: int) -> None:
        entry = self._entry()
        if entry is not None and entry[1].progress is not None:
            entry[1].progress(done, total)

    def running(self) -> int:
        """Tasks started and not yet reported."""
        return len(self._running)


class _Callbacks:
    """What to call when a task reports."""

    def __init__(
        self,
        finished: Callable[[Any], None],
        failed: Callable[[str], None],
        progress: Callable[[int, int], None] | None,
    ) -> None:
        self.finished = finished
        self.failed = failed
        self.progress = progress
