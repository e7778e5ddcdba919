"""Resolve a list of identifiers or names in one go (``janus-gui lookup --input``, pasted lists).

Each query goes through the same ``lookup.search`` as a single query. A query resolves when
exactly one portfolio and class matches at the best rank (an identifier match outranks name
matches); otherwise it is ``ambiguous`` (with its candidates), ``no_match`` or ``invalid`` (for
example a CUSIP or ISIN with a wrong check digit, with the expected digit in the message).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from janus_gui.core.csv_safety import safe_row
from janus_gui.core.errors import IdentifierError, InputError
from janus_gui.core.identifiers import isin_from_cusip
from janus_gui.core.lookup import search
from janus_gui.core.models import SearchMatch
from janus_gui.core.repository import Repository

MAX_QUERIES = 1_000_000
MAX_CANDIDATES = 10

# Columns of the CSV form, in order (the JSON-lines form uses the same keys).
RECORD_FIELDS = (
    "line",
    "query",
    "status",
    "matched_on",
    "portfolio_id",
    "portfolio",
    "share_class",
    "cusip",
    "isin",
    "ticker",
    "candidates",
    "message",
)


class ListStatus(StrEnum):
    """How one query of a list resolved."""

    OK = "ok"
    AMBIGUOUS = "ambiguous"
    NO_MATCH = "no_match"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class ResolvedQuery:
    """One query of a list and what it resolved to.

    ``match`` is set only for ``OK``; ``candidates`` holds the best-ranked matches of an
    ambiguous query (at most ``MAX_CANDIDATES``); ``message`` explains anything not ``OK``.
    """

    line: int
    query: str
    status: ListStatus
    match: SearchMatch | None
    candidates: tuple[SearchMatch, ...]
    message: str


def read_queries(text: str, column: str | None = None) -> list[tuple[int, str]]:
    """The queries in ``text`` as ``(line number, query)``; blank lines and cells are skipped.

    Args:
        text: One query per line, or, with ``column``, CSV text with a header row.
        column: Header of the CSV column holding the queries (matched ignoring case).

    Returns:
        The queries in input order, with their 1-based line numbers.

    Raises:
        InputError: The input holds no query, more than ``MAX_QUERIES``, is not valid CSV, or
            has no column named ``column``.
    """
    queries = _csv_queries(text, column) if column is not None else _line_queries(text)
    if not queries:
        raise InputError("the input holds no query (one CUSIP, ISIN, ticker or name per line)")
    return queries


def _line_queries(text: str) -> list[tuple[int, str]]:
    queries: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        query = line.strip()
        if query:
            _add(queries, number, query)
    return queries


def _csv_queries(text: str, column: str) -> list[tuple[int, str]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next((row for row in reader if any(cell.strip() for cell in row)), None)
        if header is None:
            return []
        names = [cell.strip().casefold() for cell in header]
        if column.strip().casefold() not in names:
            shown = ", ".join(repr(cell.strip()) for cell in header if cell.strip())
            raise InputError(f"no column named {column!r} in the header (columns: {shown})")
        position = names.index(column.strip().casefold())
        queries: list[tuple[int, str]] = []
        for row in reader:
            query = row[position].strip() if position < len(row) else ""
            if query:
                _add(queries, reader.line_num, query)
    except csv.Error as exc:
        raise InputError(f"line {reader.line_num}: not valid CSV ({exc})") from None
    return queries


def _add(queries: list[tuple[int, str]], number: int, query: str) -> None:
    if len(queries) >= MAX_QUERIES:
        raise InputError(f"more than {MAX_QUERIES:,} queries; split the input")
    queries.append((number, query))


def resolve_queries(
    repo: Repository, queries: Iterable[tuple[int, str]], as_of: dt.date | None = None
) -> Iterator[ResolvedQuery]:
    """Resolve every query in order; a bad query gives an ``INVALID`` row, never an exception."""
    for number, query in queries:
        yield resolve_one(repo, number, query, as_of)


def resolve_one(
    repo: Repository, number: int, query: str, as_of: dt.date | None = None
) -> ResolvedQuery:
    """Resolve one query of a list (see the module docstring for the statuses)."""
    try:
        result = search(repo, query, as_of=as_of)
    except IdentifierError as exc:
        return ResolvedQuery(number, query, ListStatus.INVALID, None, (), str(exc))
    if not result.matches:
        note = f"{result.message} " if result.message else ""
        return ResolvedQuery(number, query, ListStatus.NO_MATCH, None, (), f"{note}No match.")
    best_rank = result.matches[0].rank
    best = tuple(m for m in result.matches if m.rank == best_rank)
    if len(best) == 1:
        return ResolvedQuery(number, query, ListStatus.OK, best[0], (), result.message)
    return ResolvedQuery(
        number,
        query,
        ListStatus.AMBIGUOUS,
        None,
        best[:MAX_CANDIDATES],
        f"{len(best)} portfolios or classes match; give a CUSIP or the class to choose one.",
    )


def candidate_text(match: SearchMatch) -> str:
    """``P4 Overseas Portfolio / Service 471021667``: one candidate in a few words."""
    share_class = match.share_class.value if match.share_class else "no class"
    cusip = f" {match.cusip}" if match.cusip else ""
    return f"{match.portfolio_id} {match.portfolio} / {share_class}{cusip}"


def as_record(item: ResolvedQuery) -> dict[str, object]:
    """The row written for one query (CSV and JSON lines); the ISIN is derived from the CUSIP."""
    match = item.match
    return {
        "line": item.line,
        "query": item.query,
        "status": item.status.value,
        "matched_on": match.matched_on if match else None,
        "portfolio_id": match.portfolio_id if match else None,
        "portfolio": match.portfolio if match else None,
        "share_class": match.share_class.value if match and match.share_class else None,
        "cusip": match.cusip if match else None,
        "isin": isin_from_cusip(match.cusip) if match and match.cusip else None,
        "ticker": match.ticker if match else None,
        "candidates": [candidate_text(c) for c in item.candidates],
        "message": item.message or None,
    }


def records_csv(items: Iterable[ResolvedQuery]) -> str:
    """The CSV form: a header row, then one row per query, safe to open in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(RECORD_FIELDS)
    for item in items:
        record = as_record(item)
        record["candidates"] = "; ".join(record["candidates"])  # type: ignore[arg-type]
        writer.writerow(safe_row(record[field] for field in RECORD_FIELDS))
    return buffer.getvalue()


def records_json_lines(items: Iterable[ResolvedQuery]) -> str:
    """The JSON-lines form: one JSON object per query, one per line."""
    return "".join(json.dumps(as_record(item), ensure_ascii=False) + "\n" for item in items)
