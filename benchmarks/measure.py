"""Timing helpers: child processes timed with their own peak memory, medians and percentiles."""

from __future__ import annotations

import math
import os
import statistics
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"


@dataclass(frozen=True)
class ChildRun:
    """One finished child process: wall and CPU time, peak resident memory, exit code, output."""

    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str


class ChildRunError(RuntimeError):
    """A measured command exited with an error; the benchmark figure would be meaningless."""


def python_executable() -> str:
    """The project's virtualenv interpreter (the one running this file as a fallback)."""
    import sys

    return str(PYTHON) if PYTHON.exists() else sys.executable


def run_child(
    argv: Sequence[str],
    env: Mapping[str, str],
    *,
    stdout_path: Path | None = None,
    check: bool = True,
) -> ChildRun:
    """Run ``argv`` and time it from spawn to exit; peak RSS comes from ``wait4`` of that child.

    ``wait4`` reports the rusage of exactly this child (``RUSAGE_CHILDREN`` would mix in every
    earlier child). Output goes to ``stdout_path`` when given, else it is captured.
    """
    out = open(stdout_path, "wb") if stdout_path else subprocess.PIPE  # noqa: SIM115
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(argv), env=dict(env), cwd=ROOT, stdout=out, stderr=subprocess.PIPE
        )
        captured_out, captured_err = b"", b""
        if stdout_path is None:
            captured_out, captured_err = _drain(proc)
        else:
            captured_err = proc.stderr.read() if proc.stderr else b""
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if stdout_path:
            out.close()  # type: ignore[union-attr]
    run = ChildRun(
        seconds,
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss / 1024,  # Linux reports kilobytes
        proc.returncode,
        captured_out.decode("utf-8", "replace"),
        captured_err.decode("utf-8", "replace"),
    )
    if check and run.returncode != 0:
        raise ChildRunError(f"{' '.join(argv)} exited {run.returncode}: {run.stderr[-2000:]}")
    return run


def _drain(proc: subprocess.Popen[bytes]) -> tuple[bytes, bytes]:
    """Read both pipes to the end without deadlocking and without reaping the child."""
    import threading

    chunks: dict[str, bytes] = {}

    def read(name: str, stream: object) -> None:
        chunks[name] = stream.read() if stream else b""  # type: ignore[attr-defined]

    threads = [
        threading.Thread(target=read, args=("out", proc.stdout)),
        threading.Thread(target=read, args=("err", proc.stderr)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return chunks["out"], chunks["err"]


def median(values: Sequence[float]) -> float:
    """Median of the runs (robust to one slow run on a shared machine)."""
    return statistics.median(values)


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of already sorted values (``fraction`` 0.99 for p99)."""
    if not sorted_values:
        raise ValueError("no values")
    rank = max(1, math.ceil(len(sorted_values) * fraction))
    return sorted_values[rank - 1]


def timed(func: object, *args: object) -> float:
    """Seconds one call of ``func(*args)`` takes."""
    start = time.perf_counter()
    func(*args)  # type: ignore[operator]
    return time.perf_counter() - start
