"""The one routine through which the app writes a file: checked target, atomic replace.

Every file the app writes (batch output, workspace saves and autosaves, CSV and PDF exports,
lot files, ``build-db``) goes through :func:`replacing`. Before anything is computed it checks
the target and reserves a temporary file in the target's own folder:

* a target that exists and is not a regular file (device, FIFO, folder, socket) is refused,
  and so is a symbolic link (the link is never followed nor replaced; give the real path);
* a read-only target, or one with other hard links (replacing it would split them), is refused;
* the temporary file sits beside the final file, so the final rename can never cross devices.

The caller writes the temporary file; on success it is ``fsync``-ed, given the old file's
permission bits (a new file honours the umask), and swapped in with ``os.replace``; the folder
is ``fsync``-ed too. On any failure the temporary file is removed and the target is untouched.
SIGTERM and SIGHUP remove temporaries still open (:func:`install_signal_cleanup`), and the next
write to the same target sweeps leftovers of dead processes by name.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
import signal
import stat
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

from janus_gui.core.errors import JanusError

logger = logging.getLogger(__name__)

TEMP_SUFFIX = ".tmp"
STALE_SECONDS = 24 * 3600.0  # a temporary this old is stale even if its pid is alive (reused)
LEGACY_STALE_SECONDS = 60.0  # older names carry no pid: only age tells a dead save from a live one

_live_temporaries: set[str] = set()
_registry_lock = threading.Lock()
_umask_lock = threading.Lock()


class UnsafeTargetError(JanusError, OSError):
    """The chosen output cannot be written safely; nothing was written.

    Also an ``OSError``, so every handler that reports a failed write reports this one too.
    """


# -- checks -------------------------------------------------------------------------------------
def _kind(mode: int) -> str:
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISLNK, "a symbolic link"),
    )
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def check_target(path: Path | str) -> Path:
    """The absolute path that :func:`replacing` would write, or ``UnsafeTargetError``.

    The folder part is resolved (a linked folder is fine); the file itself must be absent or a
    regular, writable file with a single link.
    """
    given = Path(path)
    if given.name in ("", ".", ".."):
        raise UnsafeTargetError(f"the output {given} is not a file name")
    folder = Path(os.path.abspath(given.parent))
    with contextlib.suppress(OSError):
        folder = folder.resolve(strict=False)
    target = folder / given.name
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise UnsafeTargetError(f"the output {given} cannot be checked ({exc.strerror})") from None
    if stat.S_ISLNK(info.st_mode):
        raise UnsafeTargetError(
            f"the output {given} is a symbolic link; give the path of the file itself"
        )
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeTargetError(f"the output {given} is {_kind(info.st_mode)}, not a regular file")
    if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise UnsafeTargetError(f"the output {given} is read-only; it was left unchanged")
    if info.st_nlink > 1:
        raise UnsafeTargetError(
            f"the output {given} has other hard links; replacing it would separate them"
        )
    return target


def _new_file_mode() -> int:
    """``0o666`` less the process umask (read without changing it where the OS allows)."""
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status") as status:
        for line in status:
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    with _umask_lock:
        mask = os.umask(0o022)
        os.umask(mask)
    return 0o666 & ~mask


# -- temporaries ---------------------------------------------------------------------------------
def _temp_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}")


def _pid_alive(pid: int) -> bool:
    if pid <= 0 or pid > 2**31 - 1:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, OverflowError):
        return True  # exists (another user's) or cannot tell: keep it
    return True


def sweep_stale_temporaries(target: Path | str) -> int:
    """Remove temporaries of ``target`` left by dead processes (or older than a day).

    Names have the form ``.<name>.<pid>.<hex>.tmp`` (plus SQLite's ``-journal`` beside a
    database being built). Names of earlier versions (``.<name>.<random>.tmp``/``.part``)
    carry no pid and go once they are a minute old. Returns the number removed.
    """
    import time

    target = Path(target)
    pattern = re.compile(
        rf"^\.{re.escape(target.name)}\.(\d{{1,12}})\.[0-9a-f]{{8}}{re.escape(TEMP_SUFFIX)}"
        r"(-journal)?$"
    )
    legacy = re.compile(rf"^\.{re.escape(target.name)}\.[A-Za-z0-9_]+\.(tmp|part)$")
    removed = 0
    now = time.time()
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return 0
    for entry in entries:
        match = pattern.match(entry.name)
        if not match and not legacy.match(entry.name):
            continue
        with contextlib.suppress(OSError):
            age = now - entry.stat(follow_symlinks=False).st_mtime
            if match:
                stale = age > STALE_SECONDS or not _pid_alive(int(match.group(1)))
            else:
                stale = age > LEGACY_STALE_SECONDS
            if stale:
                os.unlink(entry.path)
                removed += 1
    return removed


def _register(temp: Path) -> None:
    with _registry_lock:
        _live_temporaries.add(str(temp))


def _forget(temp: Path) -> None:
    with _registry_lock:
        _live_temporaries.discard(str(temp))


def remove_live_temporaries() -> None:
    """Delete every temporary this process has open (used by the signal handler)."""
    with _registry_lock:
        names = list(_live_temporaries)
        _live_temporaries.clear()
    for name in names:
        for leftover in (name, name + "-journal"):
            with contextlib.suppress(OSError):
                os.unlink(leftover)


def install_signal_cleanup() -> None:
    """On SIGTERM/SIGHUP: remove open temporaries, then die of the signal as before.

    Call from the main thread of the command line or the app; does nothing elsewhere.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is None:
            continue
        previous = signal.getsignal(number)
        signal.signal(number, _make_handler(number, previous))


def _make_handler(number: int, previous: Any) -> Callable[[int, Any], None]:
    def handler(signum: int, frame: Any) -> None:
        remove_live_temporaries()
        _stop_worker_processes()
        if callable(previous):
            previous(signum, frame)
            return
        if previous == signal.SIG_IGN:
            return
        signal.signal(number, signal.SIG_DFL)
        os.kill(os.getpid(), number)

    return handler


def _stop_worker_processes() -> None:
    """Worker processes (batch ``--jobs``) share the output pipes: stop them with the parent."""
    import multiprocessing

    for child in multiprocessing.active_children():
        with contextlib.suppress(OSError):
            child.terminate()


# -- writing -------------------------------------------------------------------------------------
def _fsync_folder(folder: Path) -> None:
    """Persist the rename itself (POSIX only; Windows cannot open a folder for fsync)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        logger.debug("fsync of folder %s not supported", folder)
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def replacing(path: Path | str, *, create_folder: bool = True) -> Iterator[Path]:
    """Reserve a checked temporary beside ``path``; on a clean exit it replaces ``path``.

    The block writes the yielded temporary path by any means (a file handle, SQLite). Raising
    inside the block removes the temporary and leaves ``path`` as it was.

    Raises:
        UnsafeTargetError: ``path`` exists and is not a regular, writable, single-link file,
            or is a symbolic link.
        OSError: the folder cannot be written or the disk is full.
    """
    target = check_target(path)
    if create_folder:
        target.parent.mkdir(parents=True, exist_ok=True)
    sweep_stale_temporaries(target)
    existing_mode = _existing_mode(target)
    temp = _temp_name(target)
    _register(temp)
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        _same_device_or_refuse(temp, target)
        yield temp
        check_target(target)  # the target may have been swapped for a device meanwhile
        os.chmod(temp, existing_mode if existing_mode is not None else _new_file_mode())
        _fsync_file(temp)
        os.replace(temp, target)
    except BaseException:
        for leftover in (temp, Path(f"{temp}-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink()
        raise
    finally:
        _forget(temp)
    _fsync_folder(target.parent)


def _existing_mode(target: Path) -> int | None:
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        return None


def _same_device_or_refuse(temp: Path, target: Path) -> None:
    """The rename must stay on one file system; checked before any work is done."""
    if os.stat(temp).st_dev != os.stat(target.parent).st_dev:
        raise UnsafeTargetError(
            f"the output {target} is on another file system than its folder; choose another path"
        )


@contextlib.contextmanager
def open_for_replace(
    path: Path | str, *, encoding: str | None = "utf-8", newline: str | None = ""
) -> Iterator[IO[Any]]:
    """A text (or, with ``encoding=None``, binary) handle whose contents replace ``path``."""
    with replacing(path) as temp:
        if encoding is None:
            with open(temp, "wb") as handle:
                yield handle
        else:
            with open(temp, "w", encoding=encoding, newline=newline) as handle:
                yield handle


def write_bytes(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` safely and atomically; returns the path written."""
    with replacing(path) as temp, open(temp, "wb") as handle:
        handle.write(data)
    return Path(path)


def write_text(path: Path | str, text: str, *, encoding: str = "utf-8") -> Path:
    """Write ``text`` (no newline translation) to ``path`` safely and atomically."""
    return write_bytes(path, text.encode(encoding))


T = TypeVar("T")


def write_from(path: Path | str, produce: Callable[[IO[bytes]], T]) -> T:
    """Write what ``produce`` writes into the binary handle it is given to ``path``, with the
    same checks as ``write_bytes``; for output too large to hold in memory. If ``produce``
    raises, ``path`` is left as it was."""
    with replacing(path) as temp, open(temp, "w+b") as handle:
        result = produce(handle)
        handle.flush()
    return result
