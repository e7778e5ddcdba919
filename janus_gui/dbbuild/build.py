"""Build ``janus.sqlite`` from ``data/sources/`` (tables parsed by code) and ``data/seed/``.

The build is deterministic: the same inputs give a byte-identical file (rows are inserted in
key order, nothing depends on the clock, the file is vacuumed). Any failed check that is not an
allow-listed, noted inconsistency fails the build.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import sqlite_utils

from janus_gui.core import catalog_format, safe_write
from janus_gui.core.models import Evidence
from janus_gui.dbbuild import parse_001, parse_004, schema
from janus_gui.dbbuild.common import Failure, NameIndex
from janus_gui.dbbuild.errors import BuildError
from janus_gui.dbbuild.parse_000 import parse_000
from janus_gui.dbbuild.seed import Seed, load_seed
from janus_gui.dbbuild.sources import SourceText, load_sources, source_by_doc

logger = logging.getLogger(__name__)

Row = dict[str, object]


def build_database(out_path: Path, data_dir: Path) -> dict:
    """Build the catalog at ``out_path`` from ``data_dir/sources`` and ``data_dir/seed``.

    Returns a summary: row counts per table, ``content_sha256`` and the output path.
    Raises ``BuildError`` on a bad seed row, a failed check or a missing input.
    """
    data_dir = Path(data_dir)
    sources = load_sources(data_dir / "sources")
    seed = load_seed(data_dir / "seed", sources)
    tables = collect_tables(sources, seed)
    meta = _meta(data_dir, seed, tables)
    out_path = Path(out_path)
    # Built beside the target and swapped in only after the checks below pass: a killed or
    # failed build leaves the previous database as it was.
    with safe_write.replacing(out_path) as temp:
        _write(temp, tables, meta)
        content = _check_built(temp)
    summary = {
        "path": str(out_path),
        "tables": {name: len(rows) for name, rows in tables.items()},
        "content_sha256": content,
    }
    logger.info("built %s: %s", out_path, summary["tables"])
    return summary


# -- collecting rows ------------------------------------------------------------------------------
def collect_tables(sources: dict[str, SourceText], seed: Seed) -> dict[str, list[Row]]:
    """Every table's rows, parsed and checked, keyed by table name."""
    names = NameIndex(seed.portfolio_names)
    known_notes = {str(n["note_id"]) for n in seed.data_notes}
    parsed0 = parse_000(source_by_doc(sources, "000"), names)
    if parsed0.failures:
        raise BuildError("; ".join(f.describe() for f in parsed0.failures))
    source1 = source_by_doc(sources, "001")
    parsed1 = parse_001.parse_001(source1, names)
    notes_by_line = _allowed_notes(parsed1.failures, parse_001.ALLOWED, known_notes)
    parse_001.finish_001(parsed1, source1, notes_by_line)
    parsed4 = parse_004.parse_004(source_by_doc(sources, "004"), names)
    _attach_fee_notes(parsed4, known_notes)
    problems = parse_004.example_failures(parsed4)
    if problems:
        raise BuildError("expense example does not recompute: " + "; ".join(problems))
    occurrences = parsed0.occurrences + parsed1.occurrences
    securities = _securities(occurrences)
    tables: dict[str, list[Row]] = {
        "source_document": _documents(seed, sources),
        "portfolio": seed.portfolios,
        "document_scope": seed.document_scopes,
        "portfolio_name": seed.portfolio_names,
        "class_evidence": [
            *seed.class_evidence,
            *_with_class_notes(parsed1.class_evidence, securities),
        ],
        "security": securities,
        "security_occurrence": occurrences,
        "rule": _scoped(seed.rules, seed.document_scopes),
        "event": seed.events,
        "fee_table": _scoped(parsed4.fee_rows, seed.document_scopes),
        "expense_example": _scoped(parsed4.example_rows, seed.document_scopes),
        "distribution": parsed0.distributions + parsed1.distributions,
        "data_note": seed.data_notes,
    }
    _check_every_note_used(tables, known_notes)
    return {name: _project(name, rows) for name, rows in tables.items()}


def _with_class_notes(evidence: list[Row], securities: list[Row]) -> list[Row]:
    """Evidence drawn from a CUSIP's row is no surer than the CUSIP's class (T17), and says so."""
    by_cusip = {str(s["cusip"]): s for s in securities}
    result = []
    for row in evidence:
        security = by_cusip[str(row["cusip"])]
        notes = [*str(row["note_ids"]).split(), *str(security["note_ids"] or "").split()]
        result.append({**row, "note_ids": " ".join(dict.fromkeys(notes))})
    return result


def _scoped(rows: list[Row], scopes: list[Row]) -> list[Row]:
    """Each row with the narrowest document scope that covers its cited line: the dates its
    document speaks for (``docs/schema.md``, "document_scope")."""
    result = []
    for row in rows:
        doc, line = str(row["source_file"])[:3], int(str(row["line_start"]))
        covering = [
            s
            for s in scopes
            if s["doc"] == doc
            and int(str(s["covers_line_start"])) <= line <= int(str(s["covers_line_end"]))
        ]
        if not covering:
            raise BuildError(f"no document scope covers {doc}:{line}")
        scope = min(
            covering,
            key=lambda s: int(str(s["covers_line_end"])) - int(str(s["covers_line_start"])),
        )
        result.append(
            {
                **row,
                "scope_id": scope["scope_id"],
                "documented_from": scope["speaks_from"],
                "documented_to": scope["speaks_to"],
            }
        )
    return result


def _allowed_notes(
    failures: list[Failure], allowed: dict[tuple[int, str], str], known: set[str]
) -> dict[int, set[str]]:
    """Map each failure to its data note; fail on a new failure or a stale allow-list entry."""
    unexpected = [f.describe() for f in failures if f.key not in allowed]
    if unexpected:
        raise BuildError("new inconsistencies in 001 (add a data note): " + "; ".join(unexpected))
    seen = {f.key for f in failures}
    stale = [f"001:{line} {check}" for line, check in allowed if (line, check) not in seen]
    if stale:
        raise BuildError("allow-listed 001 inconsistencies no longer found: " + "; ".join(stale))
    by_line: dict[int, set[str]] = {}
    for failure in failures:
        note = allowed[failure.key]
        if note not in known:
            raise BuildError(f"data note {note} is missing from data/seed/data_notes.csv")
        by_line.setdefault(failure.line, set()).add(note)
    return by_line


def _attach_fee_notes(parsed: parse_004.Parsed004, known: set[str]) -> None:
    notes: dict[str, set[str]] = {}
    for failure in parsed.failures:
        portfolio_id = parsed.failure_portfolios[failure.key]
        note = parse_004.ALLOWED.get((portfolio_id, failure.check))
        if note is None:
            raise BuildError(f"new fee-table inconsistency (add a data note): {failure.describe()}")
        if note not in known:
            raise BuildError(f"data note {note} is missing from data/seed/data_notes.csv")
        notes.setdefault(portfolio_id, set()).add(note)
    stale = [k for k in parse_004.ALLOWED if parse_004.ALLOWED[k] not in notes.get(k[0], set())]
    if stale:
        raise BuildError(f"allow-listed fee-table inconsistencies no longer found: {stale}")
    for row in parsed.fee_rows:
        found = notes.get(str(row["portfolio_id"]), set()) | parse_004.context_notes(row)
        missing = sorted(found - known)
        if missing:
            raise BuildError(f"data notes {missing} are missing from data/seed/data_notes.csv")
        row["note_ids"] = " ".join(sorted(found))


def _check_every_note_used(tables: dict[str, list[Row]], known: set[str]) -> None:
    used = {
        note
        for name in schema.NOTED_TABLES
        for row in tables[name]
        for note in str(row.get("note_ids") or "").split()
    }
    unknown = sorted(used - known)
    if unknown:
        raise BuildError(f"note ids without a data note: {unknown}")
    unused = sorted(known - used)
    if unused:
        raise BuildError(f"data notes attached to no row: {unused}")


def _documents(seed: Seed, sources: dict[str, SourceText]) -> list[Row]:
    rows = []
    for row in seed.source_documents:
        source = sources[str(row["source_file"])]
        rows.append({**row, "sha256": source.sha256})
    docs = {str(r["doc"]) for r in rows}
    missing = sorted({s.doc for s in sources.values()} - docs)
    if missing:
        raise BuildError(f"data/seed/source_documents.csv lacks documents {missing}")
    return rows


def _securities(occurrences: list[Row]) -> list[Row]:
    """One row per CUSIP: first printed occurrence, the printed ticker, the best evidence."""
    by_cusip: dict[str, list[Row]] = {}
    for occ in sorted(occurrences, key=lambda o: (str(o["source_file"]), int(o["line_start"]))):
        by_cusip.setdefault(str(occ["cusip"]), []).append(occ)
    rows = []
    for cusip, occs in sorted(by_cusip.items()):
        if len({(o["portfolio_id"], o["share_class"]) for o in occs}) != 1:
            raise BuildError(f"CUSIP {cusip} is printed for two portfolios or classes")
        tickers = {str(o["ticker_as_printed"]) for o in occs} - {"", "None", "N/A"}
        if len(tickers) > 1:
            raise BuildError(f"CUSIP {cusip} has two tickers: {sorted(tickers)}")
        documented = [o for o in occs if o["evidence"] == Evidence.DOCUMENTED]
        first = occs[0]
        rows.append(
            {
                **{
                    k: first[k]
                    for k in (
                        "cusip",
                        "portfolio_id",
                        "share_class",
                        "name_as_printed",
                        "source_file",
                        "line_start",
                        "line_end",
                        "quote",
                    )
                },
                "ticker": tickers.pop() if tickers else None,
                "evidence": (documented or occs)[0]["evidence"],
                "evidence_reason": "" if documented else occs[0]["evidence_reason"],
                # The notes of the occurrences the evidence rests on (T17 when inferred).
                "note_ids": _joined_notes(documented or occs),
            }
        )
    return rows


def _joined_notes(rows: Iterable[Row]) -> str:
    return " ".join(sorted({n for r in rows for n in str(r.get("note_ids") or "").split()}))


def _project(name: str, rows: Iterable[Row]) -> list[Row]:
    """Keep the table's columns, in order, and sort rows by primary key."""
    table = schema.TABLES_BY_NAME[name]
    projected = []
    for row in rows:
        missing = [c for c in table.columns if c not in row]
        if missing:
            raise BuildError(f"{name}: row lacks {missing}")
        projected.append({c: _cell(row[c]) for c in table.columns})
    return sorted(projected, key=lambda r: tuple(str(r[c]) for c in table.pk))


def _cell(value: object) -> object:
    return None if value is None else value


# -- meta ---------------------------------------------------------------------------------------
def _meta(data_dir: Path, seed: Seed, tables: dict[str, list[Row]]) -> dict[str, str]:
    dates = sorted(str(r["doc_date"]) for r in seed.source_documents if r["doc_date"])
    inputs = sorted(
        [
            *data_dir.joinpath("sources").glob("[0-9][0-9][0-9]_*.txt"),
            *data_dir.joinpath("seed").glob("*.csv"),
        ]
    )
    built_from = {
        p.relative_to(data_dir).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in inputs
    }
    return {
        "schema_version": str(catalog_format.SCHEMA_VERSION),
        "documented_from": dates[0],
        "documented_to": dates[-1],
        "built_from": json.dumps(built_from, sort_keys=True),
    }


def _check_built(path: Path) -> str:
    """Integrity check and hash of the freshly written file; its recorded hash must match."""
    connection = sqlite3.connect(path)
    try:
        status = connection.execute("PRAGMA integrity_check").fetchall()
        if status != [("ok",)]:
            raise BuildError(f"the built database fails its integrity check: {status[:3]}")
        content = catalog_format.content_sha256(connection)
        recorded = connection.execute(
            "SELECT value FROM meta WHERE key = ?", (catalog_format.HASH_KEY,)
        ).fetchone()
    finally:
        connection.close()
    if recorded != (content,):
        raise BuildError("the built database does not match its recorded content hash")
    return content


# -- writing ------------------------------------------------------------------------------------
def _write(out_path: Path, tables: dict[str, list[Row]], meta: dict[str, str]) -> None:
    for stale in (out_path, out_path.with_name(out_path.name + "-journal")):
        stale.unlink(missing_ok=True)
    db = sqlite_utils.Database(out_path, recreate=True)
    db.execute("PRAGMA foreign_keys = ON")
    with db.conn:
        for table in schema.TABLES:
            _create(db, table, tables[table.name])
    db["portfolio_name"].enable_fts(["name"], fts_version="FTS5", create_triggers=False)
    with db.conn:
        problems = db.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise BuildError(f"foreign-key check failed: {problems[:5]}")
        db["meta"].create({"key": str, "value": str}, pk="key")
        db["meta"].insert_all([{"key": k, "value": v} for k, v in sorted(meta.items())], pk="key")
    db.execute(f"PRAGMA user_version = {catalog_format.SCHEMA_VERSION}")  # the hash covers it
    with db.conn:
        content = catalog_format.content_sha256(db.conn)
        db["meta"].insert({"key": catalog_format.HASH_KEY, "value": content})
    db.vacuum()
    db.close()


def _create(db: sqlite_utils.Database, table: schema.Table, rows: list[Row]) -> None:
    db[table.name].create(
        table.types(),
        pk=table.pk[0] if len(table.pk) == 1 else table.pk,
        foreign_keys=list(table.foreign_keys),
        column_order=list(table.columns),
    )
    if rows:
        db[table.name].insert_all(rows, batch_size=500)
    for columns in table.indexes:
        db[table.name].create_index(list(columns))
