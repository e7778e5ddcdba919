"""Load and validate the curated seed files in ``data/seed/`` (one fact per row).

Every row is checked on load: known portfolio id, one of the four share classes, ISO dates,
known evidence level and kinds, a citation whose quote occurs in the cited lines. A bad row
fails the build with ``file:line``.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from janus_gui.core import checks
from janus_gui.core.models import (
    ClassEvidenceKind,
    DatePrecision,
    EventKind,
    Evidence,
    NameKind,
    RuleKind,
    ShareClass,
)
from janus_gui.dbbuild import schema
from janus_gui.dbbuild.errors import BuildError
from janus_gui.dbbuild.sources import SourceText

Row = dict[str, object]

EVENT_KINDS = frozenset(kind.value for kind in EventKind)
SHARE_CLASSES = frozenset(c.value for c in ShareClass)
EVIDENCE_LEVELS = frozenset(e.value for e in Evidence)
PRECISIONS = frozenset(p.value for p in DatePrecision)
NAME_KINDS = frozenset(k.value for k in NameKind)
CLASS_EVIDENCE_KINDS = frozenset(k.value for k in ClassEvidenceKind)
RULE_KINDS = frozenset(k.value for k in RuleKind)
CITATION_COLUMNS = ("source_file", "line_start", "line_end", "quote")


@dataclass(frozen=True)
class SeedSpec:
    """What one seed file holds and how its columns are checked."""

    file: str
    key: str
    columns: tuple[str, ...]
    dates: tuple[str, ...] = ()
    portfolio: str | None = None  # column holding a portfolio id
    portfolio_optional: bool = False
    classes: tuple[str, ...] = ()  # columns holding a share class
    classes_optional: bool = False
    optional_file: bool = False


SOURCE_DOCUMENTS = SeedSpec(
    "source_documents.csv",
    "doc",
    (
        "doc",
        "source_file",
        "title",
        "doc_date",
        "description",
        "line_start",
        "line_end",
        "quote",
        "evidence",
        "evidence_reason",
    ),
    dates=("doc_date",),
)
PORTFOLIOS = SeedSpec(
    "portfolios.csv",
    "portfolio_id",
    schema.PORTFOLIO.columns,
)
PORTFOLIO_NAMES = SeedSpec(
    "portfolio_names.csv",
    "name_id",
    schema.PORTFOLIO_NAME.columns,
    dates=("documented_from", "documented_to"),
    portfolio="portfolio_id",
)
DOCUMENT_SCOPES = SeedSpec(
    "document_scopes.csv",
    "scope_id",
    schema.DOCUMENT_SCOPE.columns,
    dates=("speaks_from", "speaks_to"),
)
CLASS_EVIDENCE = SeedSpec(
    "class_evidence.csv",
    "evidence_id",
    schema.CLASS_EVIDENCE.columns,
    dates=("date_from", "date_to"),
    portfolio="portfolio_id",
    classes=("share_class",),
)
DATA_NOTES = SeedSpec(
    "data_notes.csv",
    "note_id",
    schema.DATA_NOTE.columns,
)
RULES = SeedSpec(
    "rules.csv",
    "rule_id",
    tuple(c for c in schema.RULE.columns if c not in schema.SCOPED),
    dates=("effective_from", "effective_to"),
    portfolio="portfolio_id",
    portfolio_optional=True,
    classes=("share_class",),
    classes_optional=True,
    optional_file=True,
)
EVENTS = SeedSpec(
    "events.csv",
    "event_id",
    schema.EVENT.columns,
    dates=("date",),
    portfolio="portfolio_id",
    portfolio_optional=True,
    classes=("share_class", "to_share_class"),
    classes_optional=True,
    optional_file=True,
)


@dataclass(frozen=True)
class Seed:
    """Every validated seed row, by file."""

    source_documents: list[Row]
    portfolios: list[Row]
    portfolio_names: list[Row]
    document_scopes: list[Row]
    class_evidence: list[Row]
    data_notes: list[Row]
    rules: list[Row]
    events: list[Row]


class _RowContext:
    """Collects the checks of one row and raises with ``file:line``."""

    def __init__(self, spec: SeedSpec, line: int) -> None:
        self.where = f"data/seed/{spec.file}:{line}"

    def fail(self, message: str) -> None:
        raise BuildError(f"{self.where}: {message}")


def _read_csv(path: Path, spec: SeedSpec) -> list[tuple[int, dict[str, str]]]:
    if not path.is_file():
        if spec.optional_file:
            return []
        raise BuildError(f"data/seed/{spec.file} is missing")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = tuple(reader.fieldnames or ())
        missing = [c for c in spec.columns if c not in header]
        if missing:
            raise BuildError(f"data/seed/{spec.file}:1: missing columns {', '.join(missing)}")
        rows = []
        for raw in reader:
            if not any((v or "").strip() for v in raw.values()):
                continue  # blank line
            if None in raw:
                raise BuildError(f"data/seed/{spec.file}:{reader.line_num}: too many cells")
            rows.append((reader.line_num, {c: (raw[c] or "").strip() for c in spec.columns}))
        return rows


def _check_date(ctx: _RowContext, column: str, value: str) -> str | None:
    if not value:
        return None
    try:
        if dt.date.fromisoformat(value).isoformat() != value:
            raise ValueError
    except ValueError:
        ctx.fail(f"{column} {value!r} is not an ISO date (YYYY-MM-DD)")
    return value


def _check_citation(
    ctx: _RowContext, row: dict[str, str], sources: dict[str, SourceText]
) -> tuple[int, int]:
    source = sources.get(row["source_file"])
    if source is None:
        ctx.fail(f"unknown source_file {row['source_file']!r}")
    try:
        start, end = int(row["line_start"]), int(row["line_end"])
    except ValueError:
        ctx.fail("line_start and line_end must be whole numbers")
    if start > end:
        ctx.fail(f"line_start {start} is after line_end {end}")
    try:
        source.require_quote(start, end, row["quote"], ctx.where)
    except BuildError as exc:
        raise BuildError(str(exc)) from None
    return start, end


def _validate_row(
    spec: SeedSpec,
    line: int,
    row: dict[str, str],
    sources: dict[str, SourceText],
    portfolio_ids: set[str],
) -> Row:
    ctx = _RowContext(spec, line)
    out: Row = dict(row)
    if not row[spec.key]:
        ctx.fail(f"{spec.key} is empty")
    for column in spec.dates:
        out[column] = _check_date(ctx, column, row[column])
    if spec.portfolio:
        pid = row[spec.portfolio]
        if not pid and spec.portfolio_optional:
            out[spec.portfolio] = None
        elif pid not in portfolio_ids:
            ctx.fail(f"unknown portfolio id {pid!r}")
    for column in spec.classes:
        value = row[column]
        if not value and spec.classes_optional:
            out[column] = None
        elif value not in SHARE_CLASSES:
            ctx.fail(f"{column} {value!r} is not one of {', '.join(sorted(SHARE_CLASSES))}")
    if "evidence" in row and row["evidence"] not in EVIDENCE_LEVELS:
        ctx.fail(f"evidence {row['evidence']!r} is not documented or inferred")
    if row.get("evidence") == Evidence.INFERRED and not row.get("evidence_reason"):
        ctx.fail("an inferred fact needs an evidence_reason")
    for column in ("from_precision",):
        if column in row and row[column] not in PRECISIONS:
            ctx.fail(f"{column} {row[column]!r} is not one of {', '.join(sorted(PRECISIONS))}")
    if "line_start" in row:
        out["line_start"], out["line_end"] = _check_citation(ctx, row, sources)
    _check_period(ctx, spec, out)
    return out


def _check_period(ctx: _RowContext, spec: SeedSpec, row: Row) -> None:
    if len(spec.dates) == 2:
        start, end = (row[c] for c in spec.dates)
        if start and end and str(start) >= str(end):
            ctx.fail(f"{spec.dates[0]} {start} is not before {spec.dates[1]} {end}")


def _check_rule(ctx: _RowContext, row: Row) -> None:
    if row["kind"] not in RULE_KINDS:
        ctx.fail(f"kind {row['kind']!r} is not a RuleKind")
    try:
        params = json.loads(str(row["params"]) or "{}")
    except json.JSONDecodeError as exc:
        ctx.fail(f"params is not JSON ({exc.msg})")
    if not isinstance(params, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in params.items()
    ):
        ctx.fail("params must be a JSON object of text values")
    row["params"] = json.dumps(params, ensure_ascii=False, sort_keys=True)
    for failure in _rule_limit_failures(ctx, str(row["kind"]), params):
        ctx.fail(f"sanity check failed: {failure.describe()}")


def _percent(ctx: _RowContext, text: str, what: str) -> Decimal:
    try:
        return Decimal(text.strip().rstrip("%"))
    except InvalidOperation:
        ctx.fail(f"{what} {text!r} is not a percentage")
    raise AssertionError  # unreachable: fail() raises


def _rule_limit_failures(
    ctx: _RowContext, kind: str, params: dict[str, str]
) -> list[checks.CheckFailure]:
    if kind == RuleKind.REDEMPTION_FEE and "rate" in params:
        rate = _percent(ctx, params["rate"], "rate")
        days_text = params.get("holding_period_days", "")
        if rate > 0 and not days_text.isdigit():
            ctx.fail("a redemption fee needs holding_period_days")
        return checks.check_redemption_fee(rate, int(days_text or 0))
    if kind == RuleKind.DISTRIBUTION_FEE and "max_rate" in params:
        return checks.check_distribution_fee(_percent(ctx, params["max_rate"], "max_rate"))
    return []


def _check_event(ctx: _RowContext, row: Row) -> None:
    if row["kind"] not in EVENT_KINDS:
        ctx.fail(f"kind {row['kind']!r} is not one of {', '.join(sorted(EVENT_KINDS))}")
    if not row["date"]:
        ctx.fail("an event needs a date")
    if row["kind"] == "portfolio_inception" and (not row["portfolio_id"] or row["share_class"]):
        ctx.fail("a portfolio_inception event needs a portfolio_id and no share_class")
    if row["kind"] == "class_started" and not row["share_class"]:
        ctx.fail("a class_started event needs the share_class that started")


def _check_name(ctx: _RowContext, row: Row) -> None:
    if row["name_kind"] not in NAME_KINDS:
        ctx.fail(f"name_kind {row['name_kind']!r} is not one of {', '.join(sorted(NAME_KINDS))}")
    if not row["documented_from"] or not row["documented_to"]:
        ctx.fail("a name needs the dates its source speaks for (documented_from, documented_to)")


def _check_class_evidence(ctx: _RowContext, row: Row) -> None:
    kind = row["kind"]
    if kind not in CLASS_EVIDENCE_KINDS:
        ctx.fail(f"kind {kind!r} is not one of {', '.join(sorted(CLASS_EVIDENCE_KINDS))}")
    if not row["date_from"]:
        ctx.fail("class evidence needs date_from")
    if (kind == "listed") != bool(row["date_to"]):
        ctx.fail("date_to is required for 'listed' evidence and only there")


def _check_scope(ctx: _RowContext, row: Row) -> None:
    try:
        start, end = int(str(row["covers_line_start"])), int(str(row["covers_line_end"]))
    except ValueError:
        ctx.fail("covers_line_start and covers_line_end must be whole numbers")
    if not 1 <= start <= end:
        ctx.fail("the covered line range is empty")
    row["covers_line_start"], row["covers_line_end"] = start, end
    if str(row["source_file"])[:3] != row["doc"]:
        ctx.fail("the scope's citation must come from its own document")
    if bool(row["speaks_from"]) != bool(row["speaks_to"]):
        ctx.fail("speaks_from and speaks_to are both given or both empty (undated)")


def _load(
    folder: Path,
    spec: SeedSpec,
    sources: dict[str, SourceText],
    portfolio_ids: set[str],
    extra: Callable[[_RowContext, Row], None] | None = None,
) -> list[Row]:
    rows: list[Row] = []
    seen: set[str] = set()
    for line, raw in _read_csv(folder / spec.file, spec):
        row = _validate_row(spec, line, raw, sources, portfolio_ids)
        ctx = _RowContext(spec, line)
        if raw[spec.key] in seen:
            ctx.fail(f"duplicate {spec.key} {raw[spec.key]!r}")
        seen.add(raw[spec.key])
        if extra:
            extra(ctx, row)
        rows.append(row)
    return rows


def _check_note_ids(spec: SeedSpec, rows: Iterable[Row], known: set[str]) -> None:
    """Every ``note_ids`` entry names a data note, at most once, in canonical spacing."""
    for row in rows:
        ids = str(row.get("note_ids") or "").split()
        where = f"data/seed/{spec.file}: {row[spec.key]}"
        for note_id in ids:
            if note_id not in known:
                raise BuildError(f"{where}: unknown note id {note_id!r}")
        if len(set(ids)) != len(ids):
            raise BuildError(f"{where}: a note id is listed twice")
        row["note_ids"] = " ".join(ids)


def load_seed(folder: Path, sources: dict[str, SourceText]) -> Seed:
    """Read and validate every seed file; raise ``BuildError`` on the first bad row."""
    portfolio_rows = _load(folder, PORTFOLIOS, sources, set())
    portfolio_ids = {str(r["portfolio_id"]) for r in portfolio_rows}
    documents = _load(folder, SOURCE_DOCUMENTS, sources, portfolio_ids)
    for row in documents:
        if (
            sources.get(str(row["source_file"])) is None
            or str(row["source_file"])[:3] != row["doc"]
        ):
            raise BuildError(f"data/seed/source_documents.csv: bad doc row {row['doc']}")
    notes = _load(folder, DATA_NOTES, sources, portfolio_ids)
    known = {str(n["note_id"]) for n in notes}
    noted = {
        spec: _load(folder, spec, sources, portfolio_ids, extra)
        for spec, extra in (
            (RULES, _check_rule),
            (EVENTS, _check_event),
            (PORTFOLIO_NAMES, _check_name),
            (CLASS_EVIDENCE, _check_class_evidence),
        )
    }
    for spec, rows in noted.items():
        _check_note_ids(spec, rows, known)
    return Seed(
        source_documents=documents,
        portfolios=portfolio_rows,
        portfolio_names=noted[PORTFOLIO_NAMES],
        document_scopes=_load(folder, DOCUMENT_SCOPES, sources, portfolio_ids, _check_scope),
        class_evidence=noted[CLASS_EVIDENCE],
        data_notes=notes,
        rules=noted[RULES],
        events=noted[EVENTS],
    )
