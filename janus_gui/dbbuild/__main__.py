"""``python -m janus_gui.dbbuild --out data/janus.sqlite`` (also ``janus-gui build-db``)."""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from pathlib import Path

from janus_gui import paths
from janus_gui.core.errors import JanusError
from janus_gui.dbbuild.build import build_database
from janus_gui.dbbuild.errors import BuildError


def main(argv: list[str] | None = None) -> int:
    """Build the catalog; exit 0 on success, 1 on a build error (printed to stderr)."""
    parser = argparse.ArgumentParser(
        prog="janus-gui build-db",
        description="Build the catalog database from data/sources and data/seed.",
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="output file (default: the bundled database)"
    )
    parser.add_argument("--data", type=Path, default=None, help="folder holding sources/ and seed/")
    args = parser.parse_args(argv)
    data_dir = (args.data or paths.data_dir()).resolve()
    # Made absolute, not resolved: a symbolic link as --out is refused, never followed.
    out = Path(os.path.abspath(args.out or data_dir / paths.DB_FILENAME))
    try:
        summary = build_database(out, data_dir)
    except (BuildError, JanusError) as exc:
        print(f"build-db: {exc}", file=sys.stderr)
        return 1
    except (OSError, sqlite3.Error) as exc:  # disk full, read-only folder: the old file is kept
        message = f"cannot write {out}: {exc}; the previous file is unchanged"
        print(f"build-db: {message}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{name} {count}" for name, count in summary["tables"].items())
    print(f"built {summary['path']}: {counts}")
    print(f"content sha256 {summary['content_sha256']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
