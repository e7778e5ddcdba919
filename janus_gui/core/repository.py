"""Read-only access to the bundled catalog (stdlib sqlite3). Returns core dataclasses.

The database is opened with ``mode=ro`` (and ``immutable=1`` for the frozen bundle's own
copy), so the app can never change it. Each thread must open its own ``Repository``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sqlite3
import stat
from collections.abc import Iterable
from decimal import Decimal
from functools import cached_property
from pathlib import Path

from janus_gui.core.catalog_format import FTS_TABLE, HASH_KEY, SCHEMA_VERSION, content_sha256
from janus_gui.core.errors import DataError, NotFoundError, SchemaVersionError
from janus_gui.core.models import (
    Citation,
    ClassEvidence,
    ClassEvidenceKind,
    DataNote,
    DatePrecision,
    Distribution,
    Event,
    EventKind,
    Evidence,
    ExpenseExampleRow,
    FeeTableRow,
    NameKind,
    Portfolio,
    PortfolioName,
    Rule,
    RuleKind,
    Security,
    ShareClass,
    SourceDocument,
)

logger = logging.getLogger(__name__)

REPAIR_HINT = "Reinstall the application, or rebuild the database with `janus-gui build-db`."

# A file beside the database that SQLite would read or create: its presence means the file is
# not the one that was built (a journal or WAL could change what is read), so it is refused.
STRAY_SUFFIXES = ("-journal", "-wal", "-shm")
SQLITE_MAGIC = b"SQLite format 3\x00"


def _refuse_unsafe_file(path: Path) -> None:
    """Refuse, before SQLite touches it, a file that is missing, not regular, or not at rest.

    A WAL-mode file or a stray journal would make even a read-only open create or read files
    beside the database; such a file is not the one that was built.
    """
    try:
        info = path.stat()
    except OSError:
        raise DataError(f"The rules database is missing: {path}. {REPAIR_HINT}") from None
    if not stat.S_ISREG(info.st_mode):
        raise DataError(f"The rules database {path} is not a regular file. {REPAIR_HINT}")
    for suffix in STRAY_SUFFIXES:
        stray = path.with_name(path.name + suffix)
        if os.path.lexists(stray):
            raise DataError(
                f"The rules database {path} has a stray file beside it: {stray}. The catalog is "
                f"never written, so that file does not belong to it; remove it. {REPAIR_HINT}"
            )
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise DataError(
            f"The rules database {path} cannot be read ({exc.strerror}). {REPAIR_HINT}"
        ) from None
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise DataError(f"The rules database {path} is not a database file. {REPAIR_HINT}")
    if header[18] != 1 or header[19] != 1:  # 2 = WAL mode, anything else is damage
        raise DataError(
            f"The rules database {path} is in write-ahead-log (WAL) mode or damaged; the "
            f"catalog is built in rollback mode. {REPAIR_HINT}"
        )


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _citation(row: sqlite3.Row) -> Citation:
    return Citation(row["source_file"], int(row["line_start"]), int(row["line_end"]), row["quote"])


def _notes(text: str | None) -> tuple[str, ...]:
    return tuple((text or "").split())


def _row_notes(row: sqlite3.Row) -> tuple[str, ...]:
    """``note_ids`` of a row whose table may not carry the column."""
    # sqlite3.Row supports `in` over values, not names, hence keys().
    return _notes(row["note_ids"]) if "note_ids" in row.keys() else ()  # noqa: SIM118


def _percent(text: str) -> Decimal:
    return Decimal(text.strip().rstrip("%"))


class Repository:
    """Queries over the catalog. Construct with ``Repository.open(path)``."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path

    # -- opening --------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path, *, immutable: bool = False, verify: bool = True) -> Repository:
        """Open ``path`` read-only; raise ``DataError`` naming the file if it is unusable.

        Args:
            path: The catalog database file.
            immutable: Add ``immutable=1`` (only for the frozen bundle's own, unchanging copy).
            verify: Run ``PRAGMA integrity_check`` and compare the recorded content hash.

        Raises:
            DataError: The file is missing, not a database, damaged or altered.
            SchemaVersionError: The file was built for another schema version.
        """
        path = Path(path)
        _refuse_unsafe_file(path)
        uri = path.resolve().as_uri() + "?mode=ro" + ("&immutable=1" if immutable else "")
        try:
            connection = sqlite3.connect(uri, uri=True, check_same_thread=True)
        except sqlite3.Error as exc:
            raise DataError(
                f"The rules database {path} cannot be read ({exc}). {REPAIR_HINT}"
            ) from None
        repo = cls(connection, path)
        try:
            repo._check_version()
            if verify:
                repo.verify()
        except BaseException:
            connection.close()  # never leave a handle on a file the app refused
            raise
        return repo

    def _check_version(self) -> None:
        self._db.row_factory = sqlite3.Row
        version = self._rows("PRAGMA user_version")[0][0]
        if version != SCHEMA_VERSION:
            raise SchemaVersionError(
                f"The rules database {self.path} has schema version {version}, expected "
                f"{SCHEMA_VERSION}. {REPAIR_HINT}"
            )

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def _rows(self, sql: str, params: Iterable[object] = ()) -> list[sqlite3.Row]:
        try:
            return self._db.execute(sql, tuple(params)).fetchall()
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:  # damaged text is damage too
            raise DataError(
                f"The rules database {self.path} cannot be read or is damaged ({exc}). "
                f"{REPAIR_HINT}"
            ) from None

    # -- integrity --------------------------------------------------------------------------
    def compute_content_hash(self) -> str:
        """SHA-256 over the schema and every stored table (``core.catalog_format``)."""
        try:
            return content_sha256(self._db)
        except (sqlite3.DatabaseError, ValueError) as exc:
            raise DataError(
                f"The rules database {self.path} cannot be read or is damaged ({exc}). "
                f"{REPAIR_HINT}"
            ) from None

    def verify(self) -> None:
        """Run ``PRAGMA integrity_check`` and compare the recorded content hash.

        The integrity check compares every index with its table (``quick_check`` does not);
        the hash covers every stored row, including ``meta`` and the full-text index.

        Raises:
            DataError: The file is damaged, has no recorded hash, or its contents differ from
                the hash recorded when it was built.
        """
        status = self._rows("PRAGMA integrity_check(1)")
        if not status or status[0][0] != "ok":
            detail = status[0][0] if status else "no answer"
            raise DataError(
                f"The rules database {self.path} is damaged (integrity check: {detail}). "
                f"{REPAIR_HINT}"
            )
        recorded = self.meta().get(HASH_KEY)
        if not recorded:
            # Without the hash nothing shows the contents are the ones that were built.
            raise DataError(
                f"The rules database {self.path} records no content hash, so its contents "
                f"cannot be checked. {REPAIR_HINT}"
            )
        if recorded != self.compute_content_hash():
            raise DataError(
                f"The rules database {self.path} has been altered since it was built "
                f"(content hash mismatch). {REPAIR_HINT}"
            )

    # -- metadata -------------------------------------------------------------------------
    @cached_property
    def _meta(self) -> dict[str, str]:
        return {r["key"]: r["value"] for r in self._rows("SELECT key, value FROM meta")}

    def meta(self) -> dict[str, str]:
        """Build facts (schema version, documented range, hashes)."""
        return dict(self._meta)

    def documented_range(self) -> tuple[dt.date, dt.date]:
        """Earliest and latest date the sources document."""
        meta = self._meta
        return dt.date.fromisoformat(meta["documented_from"]), dt.date.fromisoformat(
            meta["documented_to"]
        )

    def source_documents(self) -> list[SourceDocument]:
        """The five source documents."""
        return [
            SourceDocument(
                r["doc"], r["source_file"], r["title"], r["doc_date"], r["description"], r["sha256"]
            )
            for r in self._rows("SELECT * FROM source_document ORDER BY doc")
        ]

    # -- portfolios and names --------------------------------------------------------------
    @cached_property
    def _portfolios(self) -> dict[str, Portfolio]:
        names: dict[str, list[PortfolioName]] = {}
        for r in self._rows(
            "SELECT * FROM portfolio_name ORDER BY portfolio_id, documented_from, name_id"
        ):
            names.setdefault(r["portfolio_id"], []).append(self._name(r))
        result = {}
        for r in self._rows("SELECT * FROM portfolio"):
            pid = r["portfolio_id"]
            cited = _citation(r) if r["source_file"] and r["line_start"] else None
            result[pid] = Portfolio(
                pid, r["category"] or "", r["objective"] or "", tuple(names.get(pid, ())), cited
            )
        return dict(sorted(result.items(), key=lambda kv: int(kv[0][1:])))

    @staticmethod
    def _name(r: sqlite3.Row) -> PortfolioName:
        return PortfolioName(
            r["portfolio_id"],
            r["name"],
            NameKind(r["name_kind"]),
            dt.date.fromisoformat(r["documented_from"]),
            dt.date.fromisoformat(r["documented_to"]),
            Evidence(r["evidence"]),
            r["evidence_reason"] or "",
            _citation(r),
            _row_notes(r),
        )

    def portfolios(self) -> list[Portfolio]:
        """Every portfolio lineage, P1 first."""
        return list(self._portfolios.values())

    def portfolio(self, portfolio_id: str) -> Portfolio:
        """One lineage by id; ``NotFoundError`` if unknown."""
        try:
            return self._portfolios[portfolio_id.upper()]
        except KeyError:
            raise NotFoundError(f"no portfolio with id {portfolio_id!r}") from None

    def resolve_portfolio(self, text: str) -> Portfolio:
        """A portfolio by id (``P4``) or any current or former name, case-insensitive."""
        key = " ".join(text.split()).casefold()
        if key.upper() in self._portfolios:
            return self._portfolios[key.upper()]
        exact = {
            p.portfolio_id for p in self.portfolios() for n in p.names if n.name.casefold() == key
        }
        if not exact:
            exact = {
                p.portfolio_id
                for p in self.portfolios()
                for n in p.names
                if n.name.casefold().removesuffix(" portfolio") == key.removesuffix(" portfolio")
            }
        if len(exact) == 1:
            return self._portfolios[exact.pop()]
        if len(exact) > 1:
            raise NotFoundError(
                f"{text!r} names more than one portfolio: {', '.join(sorted(exact))}"
            )
        raise NotFoundError(f"no portfolio is named {text!r}; search with `janus-gui lookup`")

    def name_rows(self) -> list[PortfolioName]:
        """Every portfolio name (for full-text fallbacks)."""
        return [n for p in self.portfolios() for n in p.names]

    def fts_names(self, match: str, limit: int) -> list[tuple[str, str]]:
        """``(portfolio_id, name)`` pairs whose name matches an FTS5 expression (already quoted).

        Unranked, so SQLite stops after ``limit`` hits instead of ranking every match; the
        caller orders the hits (exact names first).
        """
        sql = (
            f"SELECT n.portfolio_id, n.name FROM {FTS_TABLE} f "
            "JOIN portfolio_name n ON n.rowid = f.rowid "
            f"WHERE {FTS_TABLE} MATCH ? LIMIT ?"
        )
        try:
            return [(r[0], r[1]) for r in self._db.execute(sql, (match, limit)).fetchall()]
        except sqlite3.OperationalError as exc:
            logger.warning("full-text query %r failed: %s", match, exc)
            return []

    def portfolio_documents(self, portfolio_id: str) -> frozenset[str]:
        """Documents (``'004'``...) that name the portfolio or list one of its classes."""
        return self._portfolio_documents.get(portfolio_id, frozenset())

    @cached_property
    def _portfolio_documents(self) -> dict[str, frozenset[str]]:
        docs: dict[str, set[str]] = {}
        for portfolio in self.portfolios():
            for name in portfolio.names:
                docs.setdefault(portfolio.portfolio_id, set()).add(name.citation.doc)
        for item in self._class_evidence:
            docs.setdefault(item.portfolio_id, set()).add(item.citation.doc)
        for security in self._securities.values():
            docs.setdefault(security.portfolio_id, set()).add(security.citation.doc)
        return {pid: frozenset(found) for pid, found in docs.items()}

    def document_dates(self) -> dict[str, dt.date | None]:
        """Each document's own date (None when undated)."""
        return {d.doc: _date(d.doc_date or None) for d in self.source_documents()}

    # -- classes and securities -----------------------------------------------------------
    @cached_property
    def _class_evidence(self) -> list[ClassEvidence]:
        return [
            ClassEvidence(
                r["evidence_id"],
                r["portfolio_id"],
                ShareClass(r["share_class"]),
                ClassEvidenceKind(r["kind"]),
                dt.date.fromisoformat(r["date_from"]),
                _date(r["date_to"]),
                r["reason"] or "",
                Evidence(r["evidence"]),
                r["evidence_reason"] or "",
                _citation(r),
                _row_notes(r),
            )
            for r in self._rows(
                "SELECT * FROM class_evidence ORDER BY portfolio_id, share_class, date_from, "
                "evidence_id"
            )
        ]

    @cached_property
    def _class_evidence_by_portfolio(self) -> dict[str, list[ClassEvidence]]:
        grouped: dict[str, list[ClassEvidence]] = {}
        for item in self._class_evidence:
            grouped.setdefault(item.portfolio_id, []).append(item)
        for distribution in self._all_distributions:
            if distribution.record_date is None or distribution.total is None:
                continue  # a year total, or a printed '-': no payment on a record date
            security = self._securities.get(distribution.cusip)
            grouped.setdefault(distribution.portfolio_id, []).append(
                _distribution_evidence(distribution, security)
            )
        return grouped

    def class_evidence(
        self, portfolio_id: str, share_class: ShareClass | None = None
    ) -> list[ClassEvidence]:
        """Evidence of when a portfolio's classes existed, seed rows and distribution record
        dates alike, in date order."""
        found = [
            e
            for e in self._class_evidence_by_portfolio.get(portfolio_id, [])
            if share_class is None or e.share_class == share_class
        ]
        return sorted(found, key=lambda e: (e.date_from, e.evidence_id))

    @cached_property
    def _securities(self) -> dict[str, Security]:
        return {
            r["cusip"]: Security(
                r["cusip"],
                r["portfolio_id"],
                ShareClass(r["share_class"]),
                r["ticker"],
                r["name_as_printed"],
                Evidence(r["evidence"]),
                _citation(r),
                _row_notes(r),
                self._ticker_citation(r["cusip"], r["ticker"]),
            )
            for r in self._rows("SELECT * FROM security ORDER BY cusip")
        }

    @cached_property
    def _ticker_lines(self) -> dict[str, list[tuple[str, Citation]]]:
        """Each CUSIP's lines that print a ticker cell (a ticker or "N/A"), in source order."""
        found: dict[str, list[tuple[str, Citation]]] = {}
        for r in self._rows(
            "SELECT * FROM security_occurrence WHERE COALESCE(ticker_as_printed, '') != '' "
            "ORDER BY source_file, line_start"
        ):
            found.setdefault(r["cusip"], []).append((r["ticker_as_printed"], _citation(r)))
        return found

    def _ticker_citation(self, cusip: str, ticker: str | None) -> Citation | None:
        """The first line printing the ticker (or, without one, the first printing "N/A").

        A CUSIP's own citation is its first printed occurrence, which may be in a table with
        no ticker column (000); a ticker is cited where it is printed (JAIG at 001:19).
        """
        lines = self._ticker_lines.get(cusip, [])
        wanted = [c for printed, c in lines if printed.upper() == (ticker or "N/A").upper()]
        return wanted[0] if wanted else None

    def security(self, cusip: str) -> Security | None:
        """The security with this 9-character CUSIP, if any."""
        return self._securities.get(cusip.upper())

    @cached_property
    def _securities_by_portfolio(self) -> dict[str, list[Security]]:
        grouped: dict[str, list[Security]] = {}
        for security in self._securities.values():
            grouped.setdefault(security.portfolio_id, []).append(security)
        return grouped

    @cached_property
    def _securities_by_ticker(self) -> dict[str, list[Security]]:
        grouped: dict[str, list[Security]] = {}
        for security in self._securities.values():
            if security.ticker:
                grouped.setdefault(security.ticker.upper(), []).append(security)
        return grouped

    def securities(self, portfolio_id: str | None = None) -> list[Security]:
        """Securities of one portfolio, or all."""
        if portfolio_id is None:
            return list(self._securities.values())
        return list(self._securities_by_portfolio.get(portfolio_id, []))

    def securities_by_ticker(self, ticker: str) -> list[Security]:
        """Securities whose printed ticker equals ``ticker`` (case-insensitive)."""
        return list(self._securities_by_ticker.get(ticker.upper(), []))

    def occurrences(self, cusip: str) -> list[Citation]:
        """Every printed occurrence of a CUSIP."""
        return [
            _citation(r)
            for r in self._rows(
                "SELECT * FROM security_occurrence WHERE cusip = ? "
                "ORDER BY source_file, line_start",
                (cusip,),
            )
        ]

    # -- rules, events, notes ---------------------------------------------------------------
    @cached_property
    def _rules(self) -> list[Rule]:
        return [
            Rule(
                r["rule_id"],
                RuleKind(r["kind"]),
                r["portfolio_id"] or None,
                ShareClass(r["share_class"]) if r["share_class"] else None,
                _date(r["effective_from"]),
                DatePrecision(r["from_precision"] or "unknown"),
                _date(r["effective_to"]),
                r["summary"],
                json.loads(r["params"] or "{}"),
                Evidence(r["evidence"]),
                r["evidence_reason"] or "",
                _citation(r),
                _notes(r["note_ids"]),
                _date(r["documented_from"]),
                _date(r["documented_to"]),
            )
            for r in self._rows("SELECT * FROM rule ORDER BY rule_id")
        ]

    def rules(
        self,
        portfolio_id: str | None = None,
        share_class: ShareClass | None = None,
        kind: RuleKind | None = None,
    ) -> list[Rule]:
        """Rules whose scope covers the portfolio and class (any date)."""
        return [
            r
            for r in self._rules
            if (kind is None or r.kind == kind)
            and (r.portfolio_id is None or portfolio_id is None or r.portfolio_id == portfolio_id)
            and (r.share_class is None or share_class is None or r.share_class == share_class)
        ]

    @cached_property
    def _events(self) -> list[Event]:
        return [
            Event(
                r["event_id"],
                dt.date.fromisoformat(r["date"]),
                EventKind(r["kind"]),
                r["portfolio_id"] or None,
                ShareClass(r["share_class"]) if r["share_class"] else None,
                ShareClass(r["to_share_class"]) if r["to_share_class"] else None,
                r["description"],
                Evidence(r["evidence"]),
                r["evidence_reason"] or "",
                _citation(r),
                _row_notes(r),
            )
            for r in self._rows("SELECT * FROM event ORDER BY date, event_id")
        ]

    def events(
        self, portfolio_id: str | None = None, share_class: ShareClass | None = None
    ) -> list[Event]:
        """Events for a portfolio and class, plus trust-wide ones, in date order."""
        return [
            e
            for e in self._events
            if (e.portfolio_id is None or portfolio_id is None or e.portfolio_id == portfolio_id)
            and (
                e.share_class is None
                or share_class is None
                or e.share_class == share_class
                or e.to_share_class == share_class
            )
        ]

    @cached_property
    def _notes(self) -> dict[str, DataNote]:
        return {
            r["note_id"]: DataNote(
                r["note_id"],
                r["title"],
                r["printed"],
                r["computed"],
                r["used"],
                r["explanation"],
                _citation(r),
            )
            for r in self._rows("SELECT * FROM data_note ORDER BY note_id")
        }

    def data_notes(self, note_ids: Iterable[str] | None = None) -> list[DataNote]:
        """Data notes by id (all when ``note_ids`` is None)."""
        if note_ids is None:
            return list(self._notes.values())
        return [self._notes[n] for n in dict.fromkeys(note_ids) if n in self._notes]

    # -- tables -------------------------------------------------------------------------------
    def fee_table(self, portfolio_id: str | None = None) -> list[FeeTableRow]:
        """Rows of the 1999 fee table."""
        sql = "SELECT * FROM fee_table" + (" WHERE portfolio_id = ?" if portfolio_id else "")
        return [
            FeeTableRow(
                r["portfolio_id"],
                ShareClass(r["share_class"]),
                r["management_fee"],
                r["distribution_fee"],
                r["other_expenses"],
                r["total_gross"],
                r["waivers"],
                r["total_net"],
                _percent(r["total_gross_used"]),
                _percent(r["total_net_used"]),
                _citation(r),
                _notes(r["note_ids"]),
                _date(r["documented_from"]),
                _date(r["documented_to"]),
            )
            for r in self._rows(
                sql + " ORDER BY line_start", (portfolio_id,) if portfolio_id else ()
            )
        ]

    def expense_example(self, portfolio_id: str | None = None) -> list[ExpenseExampleRow]:
        """Printed expense-example figures."""
        sql = "SELECT * FROM expense_example" + (" WHERE portfolio_id = ?" if portfolio_id else "")
        return [
            ExpenseExampleRow(
                r["portfolio_id"],
                ShareClass(r["share_class"]),
                int(r["years"]),
                int(str(r["cost_printed"]).replace(",", "")),
                _citation(r),
                _date(r["documented_from"]),
                _date(r["documented_to"]),
            )
            for r in self._rows(
                sql + " ORDER BY line_start, years", (portfolio_id,) if portfolio_id else ()
            )
        ]

    def distributions(
        self, portfolio_id: str | None = None, share_class: ShareClass | None = None
    ) -> list[Distribution]:
        """Per-share distributions as printed, by record date."""
        return [
            d
            for d in self._all_distributions
            if (portfolio_id is None or d.portfolio_id == portfolio_id)
            and (share_class is None or d.share_class == share_class)
        ]

    @cached_property
    def _all_distributions(self) -> list[Distribution]:
        result = []
        # A year's total (no record date) sorts after that year's dated distributions.
        query = "SELECT * FROM distribution ORDER BY COALESCE(record_date, period || '-99'), cusip"
        for r in self._rows(query):
            components = {
                k: (Decimal(v) if v not in (None, "") else None)
                for k, v in json.loads(r["components"] or "{}").items()
            }
            result.append(
                Distribution(
                    r["distribution_id"],
                    r["cusip"],
                    r["portfolio_id"],
                    ShareClass(r["share_class"]),
                    r["period"],
                    _date(r["record_date"]),
                    _date(r["ex_date"]),
                    _date(r["pay_date"]),
                    components,
                    Decimal(r["total"]) if r["total"] not in (None, "") else None,
                    _citation(r),
                    _notes(r["note_ids"]),
                )
            )
        return result


def _paid_text(distribution: Distribution) -> str:
    on = distribution.record_date.isoformat() if distribution.record_date else "?"
    if distribution.total == 0:
        return (
            f"listed for the distribution to holders of record on {on}, with "
            f"{distribution.total:f} per share (CUSIP {distribution.cusip})"
        )
    return f"a distribution was paid to holders of record on {on} (CUSIP {distribution.cusip})"


def _distribution_evidence(distribution: Distribution, security: Security | None) -> ClassEvidence:
    """A distribution paid to a class's CUSIP shows the class existed on its record date (as
    surely as the CUSIP's class is known: the unlabelled 2013 block is inferred, T17)."""
    assert distribution.record_date is not None
    evidence = security.evidence if security else Evidence.DOCUMENTED
    reason = "the CUSIP's class is inferred (T17)" if evidence == Evidence.INFERRED else ""
    notes = tuple(dict.fromkeys((*distribution.note_ids, *(security.note_ids if security else ()))))
    return ClassEvidence(
        f"{distribution.distribution_id}-record",
        distribution.portfolio_id,
        distribution.share_class,
        ClassEvidenceKind.EXISTS,
        distribution.record_date,
        None,
        _paid_text(distribution),
        evidence,
        reason,
        distribution.citation,
        notes,
    )
