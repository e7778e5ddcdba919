"""The committed data/janus.sqlite must match a fresh build from data/sources and data/seed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from janus_gui.dbbuild.build import build_database
from janus_gui.dbbuild.schema import TABLES

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "data" / "janus.sqlite"
HINT = "data/janus.sqlite is out of date: run `janus-gui build-db` and commit the result"


def _dump(path: Path) -> dict[str, list[tuple]]:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        dump = {}
        for name in ["meta", *(t.name for t in TABLES)]:
            columns = [r[1] for r in connection.execute(f'PRAGMA table_info("{name}")')]
            order = ", ".join(f'"{c}"' for c in columns)
            dump[name] = [tuple(columns)] + connection.execute(
                f'SELECT {order} FROM "{name}" ORDER BY {order}'
            ).fetchall()
        return dump
    finally:
        connection.close()


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fresh") / "janus.sqlite"
    build_database(out, ROOT / "data")
    return out


def test_committed_database_exists() -> None:
    assert COMMITTED.is_file(), HINT


@pytest.mark.parametrize("table", ["meta", *(t.name for t in TABLES)])
def test_table_matches_a_fresh_build(fresh: Path, table: str) -> None:
    committed, rebuilt = _dump(COMMITTED)[table], _dump(fresh)[table]
    assert committed == rebuilt, f"table {table}: {HINT}"
