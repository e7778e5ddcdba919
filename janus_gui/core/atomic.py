"""Atomic file writes: a reader sees either the old file or the complete new one, never a mix.

The data goes to a temporary file in the destination folder (same file system, so the final
rename is atomic), is flushed and ``fsync``-ed, then replaces the destination with
``os.replace``. On POSIX the folder is ``fsync``-ed too, so the rename survives a power cut.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")


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


STALE_TEMPORARY_SECONDS = 60.0


def _remove_stale_temporaries(target: Path) -> None:
    """Delete temporaries left by a save that was killed before its rename.

    Only old ones: a temporary younger than a minute may belong to a save still under way.
    """
    cutoff = time.time() - STALE_TEMPORARY_SECONDS
    for leftover in target.parent.glob(f".{target.name}.*.tmp"):
        with contextlib.suppress(OSError):
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()


def atomic_write_bytes(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically, creating the parent folder if needed.

    Args:
        path: Destination file.
        data: The complete new contents.

    Returns:
        The destination path.

    Raises:
        OSError: The folder is not writable or the disk is full; the old file is left intact
            and the temporary file is removed.
    """
    atomic_write_from(path, lambda handle: handle.write(data))
    return Path(path)


def atomic_write_from(
    path: Path | str, produce: Callable[[IO[bytes]], T], *, respect_umask: bool = False
) -> T:
    """Write what ``produce`` writes to the handle it is given to ``path``, atomically.

    For output too large to hold in memory: ``produce`` streams into the temporary file (which
    it may rewind and truncate). If it raises, the destination is left as it was.

    Args:
        path: Destination file.
        produce: Called once with the open (binary, seekable) temporary file.
        respect_umask: Give the file the usual mode for a new file (0666 less the umask)
            instead of the private 0600 of a temporary file.

    Returns:
        What ``produce`` returned.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(target)
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w+b") as handle:
            result = produce(handle)
            handle.flush()
            if respect_umask:
                os.chmod(temp_name, 0o666 & ~_current_umask())
            os.fsync(handle.fileno())
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    _fsync_folder(target.parent)
    return result


def _current_umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it; put it straight back
    os.umask(mask)
    return mask


def atomic_write_text(path: Path | str, text: str, *, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (no newline translation: what you pass is written).

    Args:
        path: Destination file.
        text: The complete new contents.
        encoding: Text encoding, UTF-8 unless told otherwise.

    Returns:
        The destination path.
    """
    return atomic_write_bytes(path, text.encode(encoding))
