"""Where search time goes: the benchmark's query mix under cProfile.

``python -m benchmarks.profile_search [--catalog PATH | --classes N] [--budget S]``

Without ``--catalog`` a synthetic catalog of ``--classes`` share classes is built first (as
``run.py`` does). Prints the functions of ``janus_gui`` by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
from pathlib import Path

from benchmarks.catalog import build_catalog
from benchmarks.run import _query_set, time_queries


def profile(catalog: Path, budget_s: float, top: int) -> None:
    """Time the query mix on ``catalog`` under the profiler and print the heaviest functions."""
    from janus_gui.core.repository import Repository

    repo = Repository.open(catalog, verify=False)
    queries = _query_set(repo, 1_000)
    profiler = cProfile.Profile()
    profiler.enable()
    times = time_queries(repo, queries, budget_s)
    profiler.disable()
    repo.close()
    print(f"{len(times.wall_us)} queries timed", file=sys.stderr)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats("janus_gui", top)


def main() -> int:
    """Parse the options and profile."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, help="an existing catalog file")
    parser.add_argument("--classes", type=int, default=100_000)
    parser.add_argument("--budget", type=float, default=30.0, help="seconds of queries")
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()
    if args.catalog:
        profile(args.catalog, args.budget, args.top)
        return 0
    with tempfile.TemporaryDirectory(prefix="janus-profile-") as folder:
        path = build_catalog(Path(folder) / "catalog.sqlite", args.classes)
        profile(path, args.budget, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
