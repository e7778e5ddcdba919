"""Table names, columns, keys and indexes of the catalog (see ``docs/schema.md``).

Column order here is the order in the database. Every value is TEXT except line numbers and
``expense_example.years`` (INTEGER); numbers from the sources stay text exactly as printed.
"""

from __future__ import annotations

from dataclasses import dataclass

from janus_gui.core.catalog_format import TABLE_NAMES

CITATION = ("source_file", "line_start", "line_end", "quote")
EVIDENCE = ("evidence", "evidence_reason")
INTEGER_COLUMNS = frozenset(
    {"line_start", "line_end", "years", "covers_line_start", "covers_line_end"}
)


@dataclass(frozen=True)
class Table:
    """One table: columns in order, primary key, foreign keys and indexes."""

    name: str
    columns: tuple[str, ...]
    pk: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (column, other table, other column)
    indexes: tuple[tuple[str, ...], ...] = ()

    def types(self) -> dict[str, type]:
        """sqlite-utils column types."""
        return {c: (int if c in INTEGER_COLUMNS else str) for c in self.columns}


META = "meta"
SOURCE_DOCUMENT = Table(
    "source_document",
    ("doc", "source_file", "title", "doc_date", "description", "sha256", *CITATION[1:], *EVIDENCE),
    ("doc",),
)
PORTFOLIO = Table(
    "portfolio",
    ("portfolio_id", "category", "objective", *CITATION, *EVIDENCE),
    ("portfolio_id",),
)
PORTFOLIO_NAME = Table(
    "portfolio_name",
    (
        "name_id",
        "portfolio_id",
        "name",
        "name_kind",
        "documented_from",
        "documented_to",
        *EVIDENCE,
        *CITATION,
        "note_ids",
    ),
    ("name_id",),
    (("portfolio_id", "portfolio", "portfolio_id"),),
    (("portfolio_id",), ("name",)),
)
DOCUMENT_SCOPE = Table(
    "document_scope",
    (
        "scope_id",
        "doc",
        "covers_line_start",
        "covers_line_end",
        "speaks_from",
        "speaks_to",
        "description",
        *EVIDENCE,
        *CITATION,
    ),
    ("scope_id",),
)
CLASS_EVIDENCE = Table(
    "class_evidence",
    (
        "evidence_id",
        "portfolio_id",
        "share_class",
        "kind",
        "date_from",
        "date_to",
        "reason",
        *EVIDENCE,
        *CITATION,
        "note_ids",
    ),
    ("evidence_id",),
    (("portfolio_id", "portfolio", "portfolio_id"),),
    (("portfolio_id", "share_class"),),
)
# Where a row's document speaks for it: filled by the builder from ``document_scope``.
SCOPED = ("scope_id", "documented_from", "documented_to")
SECURITY = Table(
    "security",
    (
        "cusip",
        "portfolio_id",
        "share_class",
        "ticker",
        "name_as_printed",
        *EVIDENCE,
        *CITATION,
        "note_ids",
    ),
    ("cusip",),
    (("portfolio_id", "portfolio", "portfolio_id"),),
    (("ticker",), ("portfolio_id", "share_class")),
)
SECURITY_OCCURRENCE = Table(
    "security_occurrence",
    (
        "occurrence_id",
        "cusip",
        "name_as_printed",
        "ticker_as_printed",
        "share_class",
        *EVIDENCE,
        *CITATION,
        "note_ids",
    ),
    ("occurrence_id",),
    (("cusip", "security", "cusip"),),
    (("cusip",),),
)
RULE = Table(
    "rule",
    (
        "rule_id",
        "kind",
        "portfolio_id",
        "share_class",
        "effective_from",
        "from_precision",
        "effective_to",
        *SCOPED,
        "summary",
        "params",
        *EVIDENCE,
        *CITATION,
        "note_ids",
    ),
    ("rule_id",),
    (("portfolio_id", "portfolio", "portfolio_id"),),
    (("portfolio_id", "share_class"), ("kind",)),
)
EVENT = Table(
    "event",
    (
        "event_id",
        "date",
        "kind",
        "portfolio_id",
        "share_class",
        "to_share_class",
        "description",
        *EVIDENCE,
        *CITATION,
        "note_ids",
    ),
    ("event_id",),
    (("portfolio_id", "portfolio", "portfolio_id"),),
    (("portfolio_id", "share_class"), ("date",)),
)
FEE_TABLE = Table(
    "fee_table",
    (
        "portfolio_id",
        "share_class",
        "management_fee",
        "distribution_fee",
        "other_expenses",
        "total_gross",
        "waivers",
        "total_net",
        "total_gross_used",
        "total_net_used",
        *SCOPED,
        *CITATION,
        "note_ids",
    ),
    ("portfolio_id", "share_class"),
    (("portfolio_id", "portfolio", "portfolio_id"),),
)
EXPENSE_EXAMPLE = Table(
    "expense_example",
    ("portfolio_id", "share_class", "years", "cost_printed", *SCOPED, *CITATION),
    ("portfolio_id", "share_class", "years"),
    (("portfolio_id", "portfolio", "portfolio_id"),),
)
DISTRIBUTION = Table(
    "distribution",
    (
        "distribution_id",
        "cusip",
        "portfolio_id",
        "share_class",
        "period",
        "record_date",
        "ex_date",
        "pay_date",
        "components",
        "total",
        *CITATION,
        "note_ids",
    ),
    ("distribution_id",),
    (("cusip", "security", "cusip"), ("portfolio_id", "portfolio", "portfolio_id")),
    (("cusip",), ("portfolio_id", "share_class")),
)
DATA_NOTE = Table(
    "data_note",
    ("note_id", "title", "printed", "computed", "used", "explanation", *EVIDENCE, *CITATION),
    ("note_id",),
)

# Insertion order respects foreign keys; the content hash uses this order too.
TABLES = (
    SOURCE_DOCUMENT,
    PORTFOLIO,
    DOCUMENT_SCOPE,
    PORTFOLIO_NAME,
    CLASS_EVIDENCE,
    SECURITY,
    SECURITY_OCCURRENCE,
    RULE,
    EVENT,
    FEE_TABLE,
    EXPENSE_EXAMPLE,
    DISTRIBUTION,
    DATA_NOTE,
)
TABLES_BY_NAME = {t.name: t for t in TABLES}
if tuple(TABLES_BY_NAME) != TABLE_NAMES:  # one list of tables for the builder and the app
    raise RuntimeError("dbbuild.schema.TABLES and core.catalog_format.TABLE_NAMES differ")
# Tables whose rows name the data notes that qualify them.
NOTED_TABLES = tuple(t.name for t in TABLES if "note_ids" in t.columns)
