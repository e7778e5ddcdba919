"""Timing helpers: child processes timed with their own peak memory, medians and percentiles."""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
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
    return str(PYTHON) if PYTHON.exists() else sys.executable


def run_child(
    argv: Sequence[str],
    env: Mapping[str, str],
    *,
    stdout_path: Path | None = None,
    check: bool = True,
) -> ChildRun:
    """Run ``argv`` through a small launcher that times it and takes its peak RSS from ``wait4``.

    A child forked straight from this (large) process would report this process's memory as
    its peak: Linux folds the pre-``exec`` image into ``ru_maxrss``. The launcher is a fresh,
    small interpreter, so the figure is the command's own. Output goes to ``stdout_path`` when
    given, else it is captured.
    """
    with tempfile.TemporaryDirectory(prefix="janus-child-") as folder:
        report = Path(folder) / "usage.json"
        launcher = [python_executable(), "-m", "benchmarks.measure", str(report), "--", *argv]
        out = open(stdout_path, "wb") if stdout_path else subprocess.PIPE  # noqa: SIM115
        try:
            done = subprocess.run(
                launcher, env=dict(env), cwd=ROOT, stdout=out, stderr=subprocess.PIPE, check=False
            )
        finally:
            if stdout_path:
                out.close()  # type: ignore[union-attr]
        if not report.exists():
            raise ChildRunError(f"launcher failed: {done.stderr.decode('utf-8', 'replace')}")
        usage = json.loads(report.read_text(encoding="utf-8"))
    run = ChildRun(
        usage["seconds"],
        usage["cpu_seconds"],
        usage["maxrss_kib"] / 1024,  # Linux reports kilobytes
        usage["returncode"],
        (done.stdout or b"").decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
    )
    if check and run.returncode != 0:
        raise ChildRunError(f"{' '.join(argv)} exited {run.returncode}: {run.stderr[-2000:]}")
    return run


def launch(report: Path, argv: Sequence[str]) -> None:
    """In the launcher: run ``argv`` (inheriting stdio), write its times and peak RSS as JSON."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(argv))
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    report.write_text(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": usage.ru_utime + usage.ru_stime,
                "maxrss_kib": usage.ru_maxrss,
                "returncode": proc.returncode,
            }
        ),
        encoding="utf-8",
    )


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


if __name__ == "__main__":  # the launcher: python -m benchmarks.measure REPORT -- ARGV...
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        sys.exit("usage: python -m benchmarks.measure REPORT.json -- COMMAND [ARGS...]")
    launch(Path(sys.argv[1]), sys.argv[3:])
