"""The catalog file's format, shared by the builder and the app: version, tables, content hash.

``SCHEMA_VERSION`` is the file's ``PRAGMA user_version``; the app refuses any other. The tables
are listed in insertion order (foreign keys first); ``dbbuild/schema.py`` gives their columns.

The content hash covers the whole logical database: the schema text, ``user_version``, and every
row of every stored table, including ``meta`` (less its own ``content_sha256`` row) and the
full-text index's shadow tables. Rows are read from each table itself (``NOT INDEXED``: a damaged
index cannot hide or reorder a row) and sorted here, so the order is defined by the values alone
and not by the storage. Values are tagged with their storage type, so ``1`` and ``'1'`` differ.

What the hash cannot see, ``PRAGMA integrity_check`` does: that every index agrees with its
table, and that the file's page structure is sound. The app runs both when it opens the file.
"""

from __future__ import annotations

import hashlib
import sqlite3

SCHEMA_VERSION = 2
META_TABLE = "meta"  # key/value pairs: build facts, versions, the content hash
HASH_KEY = "content_sha256"  # the meta key of the content hash
FTS_TABLE = "portfolio_name_fts"  # full-text index over portfolio names
TABLE_NAMES = (
    "source_document",
    "portfolio",
    "document_scope",
    "portfolio_name",
    "class_evidence",
    "security",
    "security_occurrence",
    "rule",
    "event",
    "fee_table",
    "expense_example",
    "distribution",
    "data_note",
)
_SEPARATOR = b"\x1f"


def _value(value: object) -> bytes:
    if value is None:
        return b"N"
    if isinstance(value, bytes):
        return b"B" + value.hex().encode()
    if isinstance(value, bool | int):
        return b"I" + str(int(value)).encode()
    if isinstance(value, float):
        return b"F" + repr(value).encode()
    return b"T" + str(value).encode("utf-8", "surrogatepass")


def _row(values: tuple[object, ...]) -> bytes:
    return _SEPARATOR.join(_value(v) for v in values)


def stored_tables(connection: sqlite3.Connection) -> list[tuple[str, bool]]:
    """Every table holding rows in the file, by name, and whether it has a rowid.

    Virtual tables store their rows in shadow tables, which are listed instead.
    """
    rows = connection.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name"
    ).fetchall()
    tables = []
    for name, sql in rows:
        text = " ".join(str(sql or "").upper().split())
        if not text.startswith("CREATE VIRTUAL"):
            tables.append((name, not text.endswith("WITHOUT ROWID")))
    return tables


def content_sha256(connection: sqlite3.Connection) -> str:
    """SHA-256 over the schema, ``user_version`` and every stored row (see module docstring).

    Raises:
        sqlite3.DatabaseError: the file cannot be read (damaged pages, undecodable text).
    """
    digest = hashlib.sha256()
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    digest.update(b"user_version\x1f" + str(version).encode())
    schema = connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    for row in sorted(_row(tuple(r)) for r in schema):
        digest.update(b"\x1eschema\x1d" + row)
    for table, has_rowid in stored_tables(connection):
        quoted = '"' + table.replace('"', '""') + '"'
        # The rowid is content too: the full-text index refers to names by it.
        columns = "rowid, *" if has_rowid else "*"
        rows = connection.execute(f"SELECT {columns} FROM {quoted} NOT INDEXED").fetchall()
        if table == META_TABLE:
            key = 1 if has_rowid else 0
            rows = [r for r in rows if r[key] != HASH_KEY]
        digest.update(b"\x1e" + table.encode() + b"\x1d" + str(len(rows)).encode())
        for encoded in sorted(_row(tuple(r)) for r in rows):
            digest.update(b"\x1d" + encoded)
    return digest.hexdigest()
