"""Time to first window of the packaged app against a minimal packaged PySide6 window.

Usage: ``.venv/bin/python scripts/measure_startup.py [--runs 9] [--rebuild] [--onscreen]``

Both executables are onedir PyInstaller bundles. Each run starts the executable with
``JANUS_GUI_EXIT_AFTER_PAINT=1`` (the window quits itself right after its first paint) and
``JANUS_GUI_FIRST_PAINT_REPORT=1`` (it prints the system's monotonic clock and its CPU time at
the first paint), and measures the time to the first paint and to the process's exit (which
adds tearing the window and the interpreter down). One untimed warm-up run per
executable fills the file cache first; then the two are timed in pairs, one right after the
other (which goes first alternates), so both see the same load on a shared machine. Reported:
the median of each, their ratio, and the median of the per-pair ratios, for wall-clock time and
for CPU time (user + system of the process, read with ``wait4``): on a shared machine the CPU
time moves far less with other work than the wall-clock time does.
Headless by default (``QT_QPA_PLATFORM=offscreen``).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXE_SUFFIX = ".exe" if sys.platform.startswith("win") else ""
APP_EXE = ROOT / "dist" / "JanusGUI" / f"JanusGUI{EXE_SUFFIX}"
MINIMAL_DIR = ROOT / "benchmarks" / "minimal_window"
MINIMAL_BUILD = ROOT / "build" / "minimal_window"
MINIMAL_EXE = MINIMAL_BUILD / "dist" / "MinimalWindow" / f"MinimalWindow{EXE_SUFFIX}"
RUN_TIMEOUT_S = 60


def _pyinstaller(spec: Path, distpath: Path, workpath: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        str(spec),
        "--noconfirm",
        "--distpath",
        str(distpath),
        "--workpath",
        str(workpath),
    ]
    print(f"building {spec.relative_to(ROOT)} ...", flush=True)
    completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise SystemExit(f"PyInstaller failed for {spec.name}:\n{completed.stderr[-3000:]}")


def _is_stale(exe: Path, inputs: list[Path]) -> bool:
    return not exe.is_file() or any(p.stat().st_mtime > exe.stat().st_mtime for p in inputs)


def ensure_minimal(rebuild: bool) -> Path:
    """Build the minimal window bundle unless an up-to-date one exists."""
    inputs = [MINIMAL_DIR / "minimal_window.spec", MINIMAL_DIR / "minimal_window.py"]
    if rebuild or _is_stale(MINIMAL_EXE, inputs):
        _pyinstaller(inputs[0], MINIMAL_BUILD / "dist", MINIMAL_BUILD / "work")
    return MINIMAL_EXE


def ensure_app(rebuild: bool) -> Path:
    """Build the app bundle (build.spec) unless one exists in dist/."""
    if rebuild or not APP_EXE.is_file():
        _pyinstaller(ROOT / "build.spec", ROOT / "dist", ROOT / "build" / "pyinstaller")
    return APP_EXE


@dataclass(frozen=True)
class Run:
    """One start: to the first paint and to the exit, each as wall-clock and CPU seconds."""

    paint_wall: float
    paint_cpu: float
    wall: float
    cpu: float


KINDS = {
    "paint_wall": "to the first paint, wall-clock",
    "paint_cpu": "to the first paint, CPU",
    "wall": "to exit, wall-clock",
    "cpu": "to exit, CPU",
}
_FIRST_PAINT = re.compile(rb"^first paint: monotonic ([0-9.]+) cpu ([0-9.]+)$", re.MULTILINE)


def time_once(exe: Path, env: dict[str, str]) -> Run:
    """Start ``exe``; it paints its window once and exits. Wall and CPU time of the process."""
    launched = time.monotonic()  # the clock the executables report their first paint on
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(exe)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        _, stderr = process.communicate(timeout=RUN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        raise SystemExit(f"{exe.name} did not exit within {RUN_TIMEOUT_S} s") from None
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        message = stderr.decode(errors="replace").strip()[-500:]
        raise SystemExit(f"{exe.name} exited with {process.returncode}: {message}")
    painted = _FIRST_PAINT.search(stderr)
    if painted is None:
        raise SystemExit(f"{exe.name} did not report its first paint (rebuild it: --rebuild)")
    return Run(
        float(painted.group(1)) - launched,
        float(painted.group(2)),
        elapsed,
        _cpu_seconds(process.pid),
    )


_cpu_by_pid: dict[int, float] = {}


def _cpu_seconds(pid: int) -> float:
    return _cpu_by_pid.pop(pid, float("nan"))


def _reap_with_usage() -> None:
    """Popen waits with os.waitpid; wait4 also returns the child's resource usage."""
    original = subprocess.Popen._try_wait  # type: ignore[attr-defined]

    def try_wait(self: subprocess.Popen, wait_flags: int) -> tuple[int, int]:
        if not hasattr(os, "wait4"):
            return original(self, wait_flags)
        try:
            pid, status, usage = os.wait4(self.pid, wait_flags)
        except ChildProcessError:
            return self.pid, 0
        if pid:
            _cpu_by_pid[pid] = usage.ru_utime + usage.ru_stime
        return pid, status

    subprocess.Popen._try_wait = try_wait  # type: ignore[attr-defined]


def measure_pairs(
    floor: Path, app: Path, runs: int, env: dict[str, str]
) -> tuple[list[Run], list[Run]]:
    """A warm-up of each, then ``runs`` pairs timed back to back, alternating which goes first."""
    time_once(floor, env)
    time_once(app, env)
    floor_runs, app_runs = [], []
    for run in range(runs):
        if run % 2:
            app_runs.append(time_once(app, env))
            floor_runs.append(time_once(floor, env))
        else:
            floor_runs.append(time_once(floor, env))
            app_runs.append(time_once(app, env))
    return floor_runs, app_runs


def _report(label: str, values: list[float]) -> float:
    median = statistics.median(values)
    runs = ", ".join(f"{t:.3f}" for t in values)
    print(f"  {label:16} median {median:.3f} s  (runs: {runs})")
    return median


def report(floor_runs: list[Run], app_runs: list[Run]) -> dict[str, float]:
    """Print medians and ratios of wall and CPU time; return them."""
    figures: dict[str, float] = {}
    for kind, title in KINDS.items():
        floor = [getattr(r, kind) for r in floor_runs]
        app = [getattr(r, kind) for r in app_runs]
        print(f"{title}:")
        floor_median = _report("minimal window", floor)
        app_median = _report("JanusGUI", app)
        pair_ratio = statistics.median(a / f for a, f in zip(app, floor, strict=True))
        print(
            f"  ratio JanusGUI / minimal window: {app_median / floor_median:.2f} (medians); "
            f"{pair_ratio:.2f} (median of the pairs' ratios)"
        )
        figures.update(
            {
                f"{kind}_floor_s": floor_median,
                f"{kind}_app_s": app_median,
                f"{kind}_ratio": app_median / floor_median,
                f"{kind}_pair_ratio": pair_ratio,
            }
        )
    return figures


def report_sizes(app: Path) -> None:
    """The bundle's size on disk (as ``du`` counts it) and the release archive's, if built."""
    bundle = app.parent
    blocks = sum(p.lstat().st_blocks for p in bundle.rglob("*")) + bundle.lstat().st_blocks
    print(f"bundle on disk: {blocks * 512 / 2**20:.1f} MiB ({blocks * 512 / 1e6:.1f} MB), {bundle}")
    for archive in sorted(bundle.parent.glob(f"{bundle.name}-*.tar.gz")):
        size = archive.stat().st_size
        print(f"release archive: {size / 2**20:.1f} MiB ({size / 1e6:.1f} MB), {archive.name}")


def main(argv: list[str] | None = None) -> int:
    """Build what is missing, time both bundles and print the medians and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="timed pairs of runs")
    parser.add_argument("--rebuild", action="store_true", help="rebuild both bundles first")
    parser.add_argument("--onscreen", action="store_true", help="use the real display")
    args = parser.parse_args(argv)

    env = dict(os.environ, JANUS_GUI_EXIT_AFTER_PAINT="1", JANUS_GUI_FIRST_PAINT_REPORT="1")
    env.pop("JANUS_GUI_STARTUP_TRACE", None)
    if not args.onscreen:
        env["QT_QPA_PLATFORM"] = "offscreen"
    minimal = ensure_minimal(args.rebuild)
    app = ensure_app(args.rebuild)
    _reap_with_usage()
    platform = env.get("QT_QPA_PLATFORM", "default")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"time to first window, {args.runs} paired runs (QT_QPA_PLATFORM={platform}, "
        f"load average {load:.2f})"
    )
    report(*measure_pairs(minimal, app, args.runs, env))
    report_sizes(app)
    return 0


if __name__ == "__main__":
    sys.exit(main())
