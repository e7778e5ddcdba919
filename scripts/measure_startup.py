"""Time to first window of the packaged app against a minimal packaged PySide6 window.

Usage: ``.venv/bin/python scripts/measure_startup.py [--runs 5] [--rebuild] [--onscreen]``

Both executables are onedir PyInstaller bundles. Each run starts the executable with
``JANUS_GUI_EXIT_AFTER_PAINT=1`` (the window quits itself right after its first paint) and
measures the wall-clock time from process start to process exit. One untimed warm-up run per
executable fills the file cache first; the median of the timed runs is reported, with the ratio.
Headless by default (``QT_QPA_PLATFORM=offscreen``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
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
        sys.executable, "-m", "PyInstaller", str(spec), "--noconfirm",
        "--distpath", str(distpath), "--workpath", str(workpath),
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


def time_once(exe: Path, env: dict[str, str]) -> float:
    """Seconds from process start until the window has painted once and the process exited."""
    started = time.perf_counter()
    completed = subprocess.run(
        [str(exe)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        timeout=RUN_TIMEOUT_S, check=False,
    )
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        message = completed.stderr.decode(errors="replace").strip()[-500:]
        raise SystemExit(f"{exe.name} exited with {completed.returncode}: {message}")
    return elapsed


def measure(exe: Path, runs: int, env: dict[str, str]) -> list[float]:
    """One untimed warm-up, then ``runs`` timed runs."""
    time_once(exe, env)
    return [time_once(exe, env) for _ in range(runs)]


def _report(label: str, times: list[float]) -> float:
    median = statistics.median(times)
    runs = ", ".join(f"{t:.3f}" for t in times)
    print(f"{label:16} median {median:.3f} s  (runs: {runs})")
    return median


def main(argv: list[str] | None = None) -> int:
    """Build what is missing, time both bundles and print the medians and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per executable")
    parser.add_argument("--rebuild", action="store_true", help="rebuild both bundles first")
    parser.add_argument("--onscreen", action="store_true", help="use the real display")
    args = parser.parse_args(argv)

    env = dict(os.environ, JANUS_GUI_EXIT_AFTER_PAINT="1")
    if not args.onscreen:
        env["QT_QPA_PLATFORM"] = "offscreen"
    minimal = ensure_minimal(args.rebuild)
    app = ensure_app(args.rebuild)
    platform = env.get("QT_QPA_PLATFORM", "default")
    print(f"time to first window, median of {args.runs} runs (QT_QPA_PLATFORM={platform})")
    minimal_median = _report("minimal window", measure(minimal, args.runs, env))
    app_median = _report("JanusGUI", measure(app, args.runs, env))
    print(f"ratio JanusGUI / minimal window: {app_median / minimal_median:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
