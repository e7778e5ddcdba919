"""Measured speed, memory and scaling, each beside a floor measured in the same run.

Usage (from the checkout, with the project's virtualenv)::

    .venv/bin/python benchmarks/run.py [--json] [--quick]
    bash scripts/dev.sh bench [--json] [--quick]

Inputs are generated deterministically (fixed seeds) into a temporary folder. Without ``--json``
a table of figures, floors, goals and pass/fail is printed; with it, one JSON object. ``--quick``
uses small sizes (a few seconds; the test suite runs it so the benchmark never rots). Progress
goes to stderr. See ``docs/benchmarks.md`` for how each figure is measured.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `benchmarks` and `janus_gui` importable
    sys.path.insert(0, str(ROOT))

from benchmarks import inputs  # noqa: E402
from benchmarks.catalog import build_catalog  # noqa: E402
from benchmarks.measure import (  # noqa: E402
    ChildRun,
    median,
    percentile,
    python_executable,
    run_child,
)

# Goals: (key, limit); every goal is "measured value <= limit"...
GOALS: dict[str, float] = {
    "startup_ratio": 2.0,
    "search_p99_us": 1_000,
    "search_100k_p99_us": 10_000,
    "fee_ratio": 5.0,  # a guard: a million lots in one account is not a real workload
    "fee_scaling": 12,
    "batch_ratio": 4.0,
    "batch_unsorted_ratio": 8.0,
    "batch_peak_rss_mb": 200,
    "batch_unsorted_peak_rss_mb": 200,
    "gui_idle_rss_mb": 150,
    "ui_max_stall_ms": 100,
}
# ...except these, where the measured value must be at least the limit.
GOALS_AT_LEAST: dict[str, float] = {
    "batch_jobs_speedup": 1.6,
}


@dataclass(frozen=True)
class Sizes:
    """How big each input is and how often each timing is repeated."""

    startup_runs: int
    queries: int
    catalog_classes: int
    catalog_search_budget_s: float  # stop timing 100k-catalog queries after this much
    fee_lots: int
    fee_small_lots: int
    fee_repeats: int
    batch_accounts: int
    batch_repeats: int
    import_lots: int


FULL = Sizes(
    startup_runs=5,
    queries=1_000,
    catalog_classes=100_000,
    catalog_search_budget_s=60.0,
    fee_lots=1_000_000,
    fee_small_lots=100_000,
    fee_repeats=3,
    batch_accounts=100_000,
    batch_repeats=3,
    import_lots=100_000,
)
QUICK = Sizes(
    startup_runs=2,
    queries=1_000,
    catalog_classes=1_000,
    catalog_search_budget_s=2.0,
    fee_lots=1_000,
    fee_small_lots=100,
    fee_repeats=1,
    batch_accounts=200,
    batch_repeats=1,
    import_lots=1_000,
)


def log(message: str) -> None:
    """Progress on stderr (stdout carries only the report)."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def child_env(user_dir: Path) -> dict[str, str]:
    """Environment of every measured child: headless Qt, throw-away user folders, bundled DB."""
    env = dict(os.environ)
    env.pop("JANUS_GUI_DB", None)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        JANUS_GUI_USER_DIR=str(user_dir),
        PYTHONPATH=str(ROOT),
    )
    return env


# -- start-up ---------------------------------------------------------------------------------
def measure_startup(sizes: Sizes, env: dict[str, str]) -> dict[str, float]:
    """Median wall time from spawn to exit of the app and of the floor window, interleaved."""
    python = python_executable()
    paint_env = {**env, "JANUS_GUI_EXIT_AFTER_PAINT": "1"}
    app = [python, "-m", "janus_gui"]
    floor = [python, str(ROOT / "benchmarks" / "floor_window.py")]
    run_child(app, paint_env)  # warm-up: byte-code and file caches, not counted
    run_child(floor, paint_env)
    app_times, floor_times = [], []
    for _ in range(sizes.startup_runs):
        app_times.append(run_child(app, paint_env).seconds)
        floor_times.append(run_child(floor, paint_env).seconds)
    startup, startup_floor = median(app_times), median(floor_times)
    return {
        "startup_s": startup,
        "startup_floor_s": startup_floor,
        "startup_ratio": startup / startup_floor,
    }


# -- search -------------------------------------------------------------------------------------
def _query_set(repo: object, count: int) -> list[str]:
    securities = repo.securities()  # type: ignore[attr-defined]
    names = [n.name for n in repo.name_rows()]  # type: ignore[attr-defined]
    cusips = [s.cusip for s in securities]
    tickers = [s.ticker for s in securities if s.ticker]
    return inputs.make_queries(cusips, tickers, names, count)


@dataclass(frozen=True)
class QueryTimes:
    """Per-query times in microseconds, sorted: wall clock and this thread's CPU time."""

    wall_us: list[float]
    cpu_us: list[float]
    refused: int

    def figures(self, prefix: str) -> dict[str, float]:
        """p50/p99/max of both clocks, named ``<prefix>_p99_us`` and so on."""
        return {
            f"{prefix}_p50_us": percentile(self.wall_us, 0.50),
            f"{prefix}_p99_us": percentile(self.wall_us, 0.99),
            f"{prefix}_max_us": self.wall_us[-1],
            f"{prefix}_p99_cpu_us": percentile(self.cpu_us, 0.99),
            f"{prefix}_queries": len(self.wall_us),
            f"{prefix}_refused": self.refused,
        }


def time_queries(repo: object, queries: list[str], budget_s: float | None = None) -> QueryTimes:
    """Time every ``search()`` call; queries that raise ``IdentifierError`` count too.

    CPU time (``time.thread_time``) is kept beside wall time because on a loaded machine a
    single preemption adds milliseconds to one query's wall time. With ``budget_s``, timing
    stops once that much wall time has been spent (the queries are in a random order, so the
    ones timed are a fair sample of the mix).
    """
    from janus_gui.core.errors import IdentifierError
    from janus_gui.core.lookup import search

    wall: list[float] = []
    cpu: list[float] = []
    refused = 0
    for query in queries:
        start, start_cpu = time.perf_counter(), time.thread_time()
        try:
            search(repo, query)  # type: ignore[arg-type]
        except IdentifierError:
            refused += 1
        cpu.append((time.thread_time() - start_cpu) * 1e6)
        wall.append((time.perf_counter() - start) * 1e6)
        if budget_s is not None and sum(wall) > budget_s * 1e6:
            break
    return QueryTimes(sorted(wall), sorted(cpu), refused)


def measure_search(sizes: Sizes) -> dict[str, float]:
    """p50/p99 of ``core.lookup.search`` on the bundled database."""
    from janus_gui import paths
    from janus_gui.core.lookup import search
    from janus_gui.core.repository import Repository

    repo = Repository.open(paths.database_path())
    try:
        queries = _query_set(repo, sizes.queries)
        search(repo, "Growth")  # warm-up: the repository loads its tables on first use
        times = time_queries(repo, queries)
    finally:
        repo.close()
    return times.figures("search")


def measure_catalog_search(sizes: Sizes, work: Path) -> dict[str, float]:
    """Build the synthetic catalog, open it as the app does, and time the same query mix."""
    from janus_gui.core.repository import Repository

    path = work / "catalog.sqlite"
    start = time.perf_counter()
    build_catalog(path, sizes.catalog_classes)
    built = time.perf_counter() - start
    start = time.perf_counter()
    repo = Repository.open(path)  # verifies the content hash, as at start-up
    opened = time.perf_counter() - start
    try:
        start = time.perf_counter()
        queries = _query_set(repo, sizes.queries)  # also loads the cached tables
        loaded = time.perf_counter() - start
        times = time_queries(repo, queries, sizes.catalog_search_budget_s)
    finally:
        repo.close()
    return {
        **times.figures("search_100k"),
        "catalog_100k_classes": sizes.catalog_classes,
        "catalog_100k_build_s": built,
        "catalog_100k_open_s": opened,
        "catalog_100k_load_s": loaded,
    }


# -- fee on a large lot file ---------------------------------------------------------------------
# The headline figure redeems a large block (25,000 shares: the oldest lots in FIFO order) out
# of a long lot history; "--all" redeems every lot and so writes a per-lot record for each of the
# 1,000,000 lots (about 300 MB of JSON), reported beside it as fee_all_*.
PARTIAL_REDEMPTION = ["--shares", "25000"]


def _fee_command(lots: Path, redemption: list[str]) -> list[str]:
    return [
        python_executable(), "-m", "janus_gui", "fee", "--lots", str(lots),
        "--portfolio", inputs.FEE_PORTFOLIO, "--share-class", inputs.FEE_CLASS,
        "--redeem-date", inputs.FEE_REDEEM_DATE.isoformat(), "--nav", inputs.NAV, *redemption,
        "--json",
    ]  # fmt: skip


def _fee_run(
    lots: Path, out: Path, env: dict[str, str], redemption: list[str] = PARTIAL_REDEMPTION
) -> ChildRun:
    run = run_child(_fee_command(lots, redemption), env, stdout_path=out)
    with open(out, encoding="utf-8") as result:
        head = result.read(4096)
    if '"total_fee"' not in head:
        raise RuntimeError(f"janus-gui fee wrote no result to {out}")
    out.unlink()
    return run


CSV_FLOOR_SCRIPT = (
    "import collections, csv, sys\n"
    "with open(sys.argv[1], encoding='utf-8', newline='') as handle:\n"
    "    collections.deque(csv.reader(handle), maxlen=0)\n"
)


def _best_of(repeats: int, func: Callable[[], float]) -> float:
    return median([func() for _ in range(repeats)])


def measure_fee(sizes: Sizes, work: Path, env: dict[str, str]) -> dict[str, float]:
    """``janus-gui fee`` as a subprocess on the big and the small file, and the csv floor."""
    big = inputs.write_lot_file(work / "lots_big.csv", sizes.fee_lots)
    small = inputs.write_lot_file(work / "lots_small.csv", sizes.fee_small_lots)
    out = work / "fee.json"
    big_runs = [_fee_run(big, out, env) for _ in range(sizes.fee_repeats)]
    small_runs = [_fee_run(small, out, env) for _ in range(sizes.fee_repeats)]
    all_runs = [_fee_run(big, out, env, ["--all"]) for _ in range(sizes.fee_repeats)]

    def read_once() -> float:
        # Measured the same way as the fee command: a fresh interpreter, start to exit.
        return run_child([python_executable(), "-c", CSV_FLOOR_SCRIPT, str(big)], env).seconds

    csv_read = _best_of(sizes.fee_repeats, read_once)
    fee_big = median([r.seconds for r in big_runs])
    fee_small = median([r.seconds for r in small_runs])
    return {
        "fee_1m_lots_s": fee_big,
        "csv_read_1m_lots_s": csv_read,
        "fee_ratio": fee_big / csv_read,
        "fee_100k_lots_s": fee_small,
        "fee_scaling": fee_big / fee_small,
        "fee_1m_lots_cpu_s": median([r.cpu_seconds for r in big_runs]),
        "fee_100k_lots_cpu_s": median([r.cpu_seconds for r in small_runs]),
        "fee_scaling_cpu": median([r.cpu_seconds for r in big_runs])
        / median([r.cpu_seconds for r in small_runs]),
        "fee_1m_peak_rss_mb": max(r.peak_rss_mb for r in big_runs),
        "fee_all_1m_lots_s": median([r.seconds for r in all_runs]),
        "fee_all_ratio": median([r.seconds for r in all_runs]) / csv_read,
        "fee_all_1m_peak_rss_mb": max(r.peak_rss_mb for r in all_runs),
    }


# -- batch --------------------------------------------------------------------------------------
def _batch_run(source: Path, output: Path, env: dict[str, str], *options: str) -> ChildRun:
    command = [
        python_executable(), "-m", "janus_gui", "batch",
        "--input", str(source), "--output", str(output), *options,
    ]  # fmt: skip
    return run_child(command, env)


def _by_account(path: Path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as handle:
        return sorted(handle)


def measure_batch(sizes: Sizes, work: Path, env: dict[str, str]) -> dict[str, float]:
    """``janus-gui batch`` as a subprocess: sorted, shuffled and on two workers.

    Each beside a ``csv`` read of the same sorted file in a fresh interpreter; medians of
    ``batch_repeats`` runs. Outputs are checked: two workers write the same bytes as one,
    and the shuffled input gives the same rows (in first-appearance order).
    """
    source = inputs.write_batch_file(work / "accounts.csv", sizes.batch_accounts)
    shuffled = inputs.write_batch_file(work / "shuffled.csv", sizes.batch_accounts, shuffled=True)
    out_one, out_two, out_shuffled = (work / f"fees_{n}.csv" for n in ("1", "2", "shuffled"))
    repeats = sizes.batch_repeats
    one = [_batch_run(source, out_one, env, "--jobs", "1") for _ in range(repeats)]
    two = [_batch_run(source, out_two, env, "--jobs", "2") for _ in range(repeats)]
    mixed = [_batch_run(shuffled, out_shuffled, env, "--jobs", "1") for _ in range(repeats)]
    spill = _batch_run(shuffled, out_shuffled, env, "--jobs", "1", "--memory-mb", "8")
    with open(out_one, encoding="utf-8", newline="") as handle:
        rows = sum(1 for _ in handle) - 1
    if rows != sizes.batch_accounts:
        raise RuntimeError(f"batch wrote {rows} rows for {sizes.batch_accounts} accounts")
    if out_one.read_bytes() != out_two.read_bytes():
        raise RuntimeError("batch --jobs 2 wrote other bytes than --jobs 1")
    if _by_account(out_one) != _by_account(out_shuffled):
        raise RuntimeError("batch gave other rows for the shuffled input")

    def read_once() -> float:
        return run_child([python_executable(), "-c", CSV_FLOOR_SCRIPT, str(source)], env).seconds

    csv_read = _best_of(repeats, read_once)
    seconds_one = median([r.seconds for r in one])
    seconds_two = median([r.seconds for r in two])
    seconds_mixed = median([r.seconds for r in mixed])
    cpu_one = median([r.cpu_seconds for r in one])
    return {
        "batch_100k_accounts_s": seconds_one,
        "batch_100k_accounts_cpu_s": cpu_one,
        "csv_read_batch_s": csv_read,
        "batch_ratio": seconds_one / csv_read,
        "batch_accounts_per_cpu_s": sizes.batch_accounts / cpu_one,
        "batch_peak_rss_mb": max(r.peak_rss_mb for r in one),
        "batch_unsorted_s": seconds_mixed,
        "batch_unsorted_cpu_s": median([r.cpu_seconds for r in mixed]),
        "batch_unsorted_ratio": seconds_mixed / csv_read,
        "batch_unsorted_peak_rss_mb": max(r.peak_rss_mb for r in mixed),
        "batch_spill_s": spill.seconds,
        "batch_spill_ratio": spill.seconds / csv_read,
        "batch_spill_peak_rss_mb": spill.peak_rss_mb,
        "batch_jobs2_s": seconds_two,
        "batch_jobs_speedup": seconds_one / seconds_two,
    }


# -- window -------------------------------------------------------------------------------------
def _probe(args: list[str], env: dict[str, str]) -> dict[str, float]:
    run = run_child([python_executable(), "-m", "benchmarks.gui_probe", *args], env)
    return json.loads(run.stdout.strip().splitlines()[-1])


def measure_window(sizes: Sizes, work: Path, env: dict[str, str]) -> dict[str, float]:
    """Idle memory of the app's window; the workspace import and the longest UI stall."""
    idle = _probe(["idle"], env)
    lots = inputs.write_lot_file(work / "lots_import.csv", sizes.import_lots)
    imported = _probe(["import", str(lots)], env)
    if imported["rows"] != sizes.import_lots:
        raise RuntimeError(f"the workspace imported {imported['rows']} of {sizes.import_lots}")
    return {
        "gui_idle_rss_mb": idle["rss_kib"] / 1024,
        "import_100k_lots_s": imported["import_s"],
        "import_100k_to_result_s": imported["to_result_s"],
        "ui_max_stall_ms": imported["max_stall_ms"],
        "ui_stalls_over_100ms": imported["stalls_over_100ms"],
        "ui_max_stall_phase": imported["max_stall_phase"],
    }


# -- report -------------------------------------------------------------------------------------
def machine() -> dict[str, object]:
    """Where the figures were measured."""
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    model = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": model,
        "python": platform.python_version(),
        "qt": qVersion(),
        "pyside6": pyside_version,
        "os": platform.platform(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


ROWS = (
    # (label, key, floor key or None, unit)
    ("Start-up to first paint", "startup_s", "startup_floor_s", "s"),
    ("  start-up ÷ floor", "startup_ratio", None, "×"),
    ("Search p50 (bundled)", "search_p50_us", None, "µs"),
    ("Search p99 (bundled)", "search_p99_us", None, "µs"),
    ("  CPU time p99", "search_p99_cpu_us", None, "µs"),
    ("Search p99 (synthetic catalog)", "search_100k_p99_us", None, "µs"),
    ("  CPU time p99", "search_100k_p99_cpu_us", None, "µs"),
    ("fee, big lot file", "fee_1m_lots_s", "csv_read_1m_lots_s", "s"),
    ("  fee ÷ csv read", "fee_ratio", None, "×"),
    ("fee, small lot file", "fee_100k_lots_s", None, "s"),
    ("  big ÷ small (10× the lots)", "fee_scaling", None, "×"),
    ("fee --all, big lot file", "fee_all_1m_lots_s", None, "s"),
    ("  --all ÷ csv read", "fee_all_ratio", None, "×"),
    ("batch, sorted, one process", "batch_100k_accounts_s", "csv_read_batch_s", "s"),
    ("  batch ÷ csv read", "batch_ratio", None, "×"),
    ("  peak RSS", "batch_peak_rss_mb", None, "MB"),
    ("batch, shuffled", "batch_unsorted_s", "csv_read_batch_s", "s"),
    ("  shuffled ÷ csv read", "batch_unsorted_ratio", None, "×"),
    ("  peak RSS", "batch_unsorted_peak_rss_mb", None, "MB"),
    ("batch, shuffled, 8 MB in memory", "batch_spill_s", None, "s"),
    ("  spilled ÷ csv read", "batch_spill_ratio", None, "×"),
    ("batch --jobs 2", "batch_jobs2_s", None, "s"),
    ("  --jobs 1 ÷ --jobs 2", "batch_jobs_speedup", None, "×"),
    ("Window idle RSS", "gui_idle_rss_mb", None, "MB"),
    ("Workspace import", "import_100k_lots_s", None, "s"),
    ("  longest UI stall meanwhile", "ui_max_stall_ms", None, "ms"),
)


def verdicts(figures: dict[str, float]) -> dict[str, bool]:
    """Pass/fail of every goal."""
    passed = {key: figures[key] <= limit for key, limit in GOALS.items() if key in figures}
    passed.update(
        {key: figures[key] >= limit for key, limit in GOALS_AT_LEAST.items() if key in figures}
    )
    return passed


def goal_text(key: str, unit: str) -> str:
    """``≤ 4 ×`` or ``≥ 1.6 ×``; empty when the figure has no goal."""
    if key in GOALS:
        return f"≤ {_number(GOALS[key])} {unit}"
    if key in GOALS_AT_LEAST:
        return f"≥ {_number(GOALS_AT_LEAST[key])} {unit}"
    return ""


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def table(report: dict[str, object]) -> str:
    """The readable report: figure, floor, goal, pass/fail."""
    figures: dict[str, float] = report["figures"]  # type: ignore[assignment]
    passed: dict[str, bool] = report["passed"]  # type: ignore[assignment]
    lines = [
        f"Benchmarks ({report['mode']}) — {report['machine']['cpu']}, "  # type: ignore[index]
        f"{report['machine']['nproc']} CPUs, sizes {report['sizes']}",  # type: ignore[index]
        f"{'Figure':32} {'Measured':>12} {'Floor':>12} {'Goal':>12}  Result",
    ]
    for label, key, floor_key, unit in ROWS:
        if key not in figures:
            continue
        floor = f"{_number(figures[floor_key])} {unit}" if floor_key else ""
        goal = goal_text(key, unit)
        verdict = ("pass" if passed[key] else "FAIL") if key in passed else ""
        measured = f"{_number(figures[key])} {unit}"
        lines.append(f"{label:32} {measured:>12} {floor:>12} {goal:>12}  {verdict}")
    return "\n".join(lines)


def run(sizes: Sizes, mode: str, only: list[str] | None = None) -> dict[str, object]:
    """Every measurement (or those whose step name contains a word of ``only``)."""
    figures: dict[str, float] = {}
    # Measured processes load bytecode as an installed copy does (pip compiles on install),
    # even where PYTHONDONTWRITEBYTECODE would have every run compile the modules again.
    compileall.compile_dir(ROOT / "janus_gui", quiet=1)
    with tempfile.TemporaryDirectory(prefix="janus-bench-") as folder:
        work = Path(folder)
        env = child_env(work / "user")
        steps: list[tuple[str, Callable[[], dict[str, float]]]] = [
            ("start-up", lambda: measure_startup(sizes, env)),
            ("search (bundled database)", lambda: measure_search(sizes)),
            ("search (synthetic catalog)", lambda: measure_catalog_search(sizes, work)),
            ("fee on big lot files", lambda: measure_fee(sizes, work, env)),
            ("batch", lambda: measure_batch(sizes, work, env)),
            ("window memory and import", lambda: measure_window(sizes, work, env)),
        ]
        for name, step in steps:
            if only and not any(word in name for word in only):
                continue
            log(f"measuring {name}…")
            figures.update(step())
    return {
        "mode": mode,
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "sizes": asdict(sizes),
        "machine": machine(),
        "goals": {**GOALS, **GOALS_AT_LEAST},
        "figures": figures,
        "passed": verdicts(figures),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--quick", action="store_true", help="small sizes (a few seconds)")
    parser.add_argument(
        "--only",
        action="append",
        metavar="STEP",
        help="run only the steps whose name contains this (e.g. batch)",
    )
    args = parser.parse_args(argv)
    mode = "quick" if args.quick else "full"
    report = run(QUICK if args.quick else FULL, mode, args.only)
    if args.json:
        # figures at the top level, so `report["startup_s"]` works; context alongside
        print(json.dumps({**report["figures"], **report}, indent=2))  # type: ignore[dict-item]
    else:
        print(table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
