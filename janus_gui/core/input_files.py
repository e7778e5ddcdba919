"""Opening a file the user names as input: checked, size-limited, read from one snapshot.

Every reader of a user file (lot files and ledgers, batch input, the window's import) opens it
here, so the same file gets the same answer everywhere:

* Only a regular file is read. A folder, a named pipe (FIFO), a device (``/dev/zero``), a socket
  or a symbolic-link loop is refused and named as such, before anything is read (a FIFO is
  opened without waiting for a writer).
* A file larger than the caller's limit is refused before reading (a sparse 2 GB file would
  otherwise be read to its end).
* The size and modification time are taken once, with ``fstat`` on the open file, and reading
  stops at that size. At the end of the file they are taken again; if either changed (a file
  still being written or copied), the read is refused with "changed while it was being read".
  A file torn before it was opened and left alone afterwards cannot be told from a finished
  one; that is the writer's job (write to a temporary name, then rename).
"""

from __future__ import annotations

import errno
import io
import os
import stat
import time
from pathlib import Path

from janus_gui.core.errors import InputError
from janus_gui.core.safe_text import escaped

MB = 1 << 20
MAX_LOT_FILE_BYTES = 256 * MB  # lot files and ledgers: about 11 million lots
MAX_BATCH_BYTES = 4096 * MB  # batch input (streamed, grouped on disk past a memory limit)

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class InputFileError(InputError):
    """An input file that cannot be read as asked; the message names the file and why."""


def _label(what: str, path: str | Path) -> str:
    return f"{what} {escaped(str(path))}"


def kind_of(mode: int) -> str | None:
    """What a non-regular file is (``"a folder"``, ...), or ``None`` for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _open_fd(path: str | Path, what: str) -> int:
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        return os.open(path, flags)
    except FileNotFoundError:
        raise InputFileError(f"{_label(what, path)} not found") from None
    except PermissionError:
        raise InputFileError(f"{_label(what, path)} cannot be read (permission denied)") from None
    except IsADirectoryError:
        raise InputFileError(f"{_label(what, path)} is a folder, not a file") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputFileError(f"{_label(what, path)} is a symbolic-link loop") from None
        if exc.errno == errno.ENOTDIR:
            message = f"{_label(what, path)} not found (a folder in its path is a file)"
            raise InputFileError(message) from None
        reason = exc.strerror or str(exc)
        raise InputFileError(f"{_label(what, path)} cannot be opened: {reason}") from None
    except ValueError:  # a NUL character in the name
        raise InputFileError(f"{_label(what, path)} is not a valid file name") from None


def open_input(path: str | Path, *, what: str, max_bytes: int) -> io.BufferedReader:
    """``path`` opened for binary reading from one snapshot (see the module docstring).

    Args:
        path: the file the user named.
        what: how messages name it ("lot file", "batch input").
        max_bytes: larger files are refused before reading.

    Raises:
        InputFileError: not found, unreadable, not a regular file, or too large. Reading
            raises it too when the file changes while it is read.
    """
    fd = _open_fd(path, what)
    try:
        info = os.fstat(fd)
        kind = kind_of(info.st_mode)
        if kind is not None:
            raise InputFileError(f"{_label(what, path)} is {kind}, not a regular file")
        if info.st_size > max_bytes:
            raise InputFileError(
                f"{_label(what, path)} is {info.st_size / MB:,.1f} MB; the limit is "
                f"{max_bytes // MB:,} MB"
            )
        if hasattr(os, "O_NONBLOCK"):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return io.BufferedReader(_SnapshotFile(fd, _label(what, path), info), buffer_size=1 << 16)


UNTERMINATED_SETTLE_SECONDS = 0.05


class _SnapshotFile(io.RawIOBase):
    """A regular file read up to the size it had when opened, checked again at the end."""

    def __init__(self, fd: int, label: str, info: os.stat_result) -> None:
        super().__init__()
        self._fd = fd
        self._label = label
        self._size = info.st_size
        self._mtime = info.st_mtime_ns
        self._position = 0
        self._ends_a_line = True  # the last byte read was a line end (or nothing was read)
        self.name = label

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        self._position = max(0, base + offset)
        return self._position

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        wanted = min(len(buffer), self._size - self._position)
        if wanted <= 0:
            if not self._ends_a_line:
                # A last row without a line end may be half written (a copy in progress): give
                # the writer a moment to show itself before the final check.
                time.sleep(UNTERMINATED_SETTLE_SECONDS)
            self._check_unchanged()
            return 0
        os.lseek(self._fd, self._position, os.SEEK_SET)
        data = os.read(self._fd, wanted)
        if not data:  # shorter than when it was opened
            self._check_unchanged()
            raise self._changed()
        buffer[: len(data)] = data
        self._position += len(data)
        self._ends_a_line = data[-1:] in (b"\n", b"\r")
        return len(data)

    def _check_unchanged(self) -> None:
        info = os.fstat(self._fd)
        if info.st_size != self._size or info.st_mtime_ns != self._mtime:
            raise self._changed()

    def _changed(self) -> InputFileError:
        return InputFileError(
            f"{self._label} changed while it was being read (is it still being written?); "
            "nothing was used from it; try again once it is complete"
        )

    def close(self) -> None:
        if not self.closed:
            os.close(self._fd)
        super().close()

    def fileno(self) -> int:
        return self._fd
