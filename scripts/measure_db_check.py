"""Start-up cost of the catalog check: median milliseconds of each candidate over 30 runs.

Usage: ``.venv/bin/python scripts/measure_db_check.py [path/to/janus.sqlite]``
"""

from __future__ import annotations

import hashlib
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from janus_gui import paths
from janus_gui.core.catalog_format import content_sha256

RUNS = 30


def _median_ms(step: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else paths.database_path()
    uri = path.resolve().as_uri() + "?mode=ro"

    def pragma(sql: str) -> Callable[[], object]:
        def run() -> object:
            connection = sqlite3.connect(uri, uri=True)
            try:
                return connection.execute(sql).fetchall()
            finally:
                connection.close()

        return run

    def content_hash() -> object:
        connection = sqlite3.connect(uri, uri=True)
        try:
            return content_sha256(connection)
        finally:
            connection.close()

    candidates = {
        "open only": pragma("PRAGMA user_version"),
        "quick_check": pragma("PRAGMA quick_check"),
        "integrity_check": pragma("PRAGMA integrity_check(1)"),
        "whole-file sha256": lambda: hashlib.sha256(path.read_bytes()).hexdigest(),
        "content hash": content_hash,
    }
    print(f"{path} ({path.stat().st_size // 1024} KB), median of {RUNS} runs")
    for name, step in candidates.items():
        print(f"  {name:18} {_median_ms(step):7.2f} ms")


if __name__ == "__main__":
    main()
