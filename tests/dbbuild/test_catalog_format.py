"""The builder and the app read the catalog's format from one module."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from janus_gui.core import catalog_format
from janus_gui.dbbuild import build, schema


def test_builder_and_app_share_the_format() -> None:
    assert tuple(t.name for t in schema.TABLES) == catalog_format.TABLE_NAMES
    assert build.catalog_format is catalog_format


def test_bundled_catalog_has_exactly_the_listed_tables(db_path: Path) -> None:
    with sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True) as db:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        recorded = db.execute(
            f"SELECT value FROM {catalog_format.META_TABLE} WHERE key = ?",
            (catalog_format.HASH_KEY,),
        ).fetchone()[0]
        computed = catalog_format.content_sha256(db)
    assert version == catalog_format.SCHEMA_VERSION
    shadow = {n for n in names if n.startswith(catalog_format.FTS_TABLE)}
    assert catalog_format.FTS_TABLE in shadow
    assert names - shadow == {catalog_format.META_TABLE, *catalog_format.TABLE_NAMES}
    assert recorded == computed
