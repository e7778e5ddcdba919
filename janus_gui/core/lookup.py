"""Search by CUSIP (9 or 8 characters, any spacing), US ISIN, ticker, or any current or former name.

The whole query is classified first (``identifiers.classify``); identifier-shaped input goes to
exact indexed lookups, and only then to a full-text match over every historical name, with each
token quoted so that user text can never be read as FTS5 syntax.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from janus_gui.core.asof import classes_on, documented_classes
from janus_gui.core.errors import NotFoundError
from janus_gui.core.identifiers import CUSIP_COUNTRY, IdentifierKind, classify, normalize
from janus_gui.core.models import Portfolio, SearchMatch, SearchResult, Security, ShareClass
from janus_gui.core.repository import Repository

MAX_QUERY_CHARS = 200
MAX_TOKENS = 8
_WORD = re.compile(r"\w+", re.UNICODE)
_CUSIP_PREFIX = re.compile(r"^[0-9A-Z*@#]{4,8}$")

RANK_IDENTIFIER = 0
RANK_EXACT_NAME = 1
RANK_NAME = 2
RANK_PREFIX = 3


def clean_query(text: str) -> str:
    """Drop control characters and excess length; keep everything else as typed."""
    text = text[: MAX_QUERY_CHARS * 4]  # cut first: a pasted novel is not inspected char by char
    visible = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    return " ".join(visible.split())[:MAX_QUERY_CHARS]


def fts_expression(text: str) -> str:
    """Quote every word token; the last one matches as a prefix. Empty for no tokens."""
    tokens = _WORD.findall(text)[:MAX_TOKENS]
    if not tokens:
        return ""
    quoted = ['"' + token.replace('"', '""') + '"' for token in tokens]
    quoted[-1] += "*"
    return " ".join(quoted)


class _Collector:
    """Accumulates matches, keeping the best rank per (portfolio, class)."""

    def __init__(self, repo: Repository, as_of: dt.date) -> None:
        self.repo = repo
        self.as_of = as_of
        self.found: dict[tuple[str, ShareClass | None], SearchMatch] = {}

    def add_security(self, security: Security, matched_on: str, text: str, rank: int) -> None:
        self._put(
            SearchMatch(
                portfolio_id=security.portfolio_id,
                portfolio=self.repo.portfolio(security.portfolio_id).name_on(self.as_of),
                share_class=security.share_class,
                cusip=security.cusip,
                ticker=security.ticker,
                matched_on=matched_on,
                matched_text=text,
                rank=rank,
                ticker_citation=security.ticker_citation,
            )
        )

    def add_portfolio(self, portfolio_id: str, matched_name: str, rank: int) -> None:
        classes = classes_on(self.repo, portfolio_id, self.as_of) or documented_classes(
            self.repo, portfolio_id
        )
        by_class = {s.share_class: s for s in self.repo.securities(portfolio_id)}
        name = self.repo.portfolio(portfolio_id).name_on(self.as_of)
        # A portfolio named only in passing (no class documented) is still found, without a class.
        choices: list[ShareClass | None] = [*classes] if classes else [None]
        for share_class in choices:
            security = by_class.get(share_class) if share_class else None
            self._put(
                SearchMatch(
                    portfolio_id=portfolio_id,
                    portfolio=name,
                    share_class=share_class,
                    cusip=security.cusip if security else None,
                    ticker=security.ticker if security else None,
                    matched_on="name",
                    matched_text=matched_name,
                    rank=rank,
                    ticker_citation=security.ticker_citation if security else None,
                )
            )

    def _put(self, match: SearchMatch) -> None:
        key = (match.portfolio_id, match.share_class)
        current = self.found.get(key)
        if current is None or match.rank < current.rank:
            self.found[key] = match

    def result(self, query: str, kind: str, normalized: str, message: str) -> SearchResult:
        class_order = list(ShareClass)
        ordered = sorted(
            self.found.values(),
            key=lambda m: (
                m.rank,
                int(m.portfolio_id[1:]),
                class_order.index(m.share_class) if m.share_class else 0,
            ),
        )
        return SearchResult(query, kind, normalized, tuple(ordered), message)


def _search_names(collector: _Collector, text: str, limit: int) -> None:
    expression = fts_expression(text)
    if not expression:
        return
    wanted = " ".join(_WORD.findall(text)).casefold()
    best: dict[str, tuple[int, str]] = {}  # one entry per portfolio, however many names match
    for portfolio_id, name in collector.repo.fts_names(expression, limit * 4):
        exact = " ".join(_WORD.findall(name)).casefold() == wanted
        rank = RANK_EXACT_NAME if exact else RANK_NAME
        if portfolio_id not in best or rank < best[portfolio_id][0]:
            best[portfolio_id] = (rank, name)
    for portfolio_id, (rank, name) in best.items():
        collector.add_portfolio(portfolio_id, name, rank)


def _search_cusip_prefix(collector: _Collector, prefix: str) -> None:
    for security in collector.repo.securities():
        if security.cusip.startswith(prefix):
            collector.add_security(security, "cusip", security.cusip, RANK_PREFIX)


def _search_isin(collector: _Collector, isin: str) -> str:
    """A US ISIN resolves through the CUSIP it carries; other countries are not in the catalog."""
    if isin[:2] != CUSIP_COUNTRY:
        return f"{isin} is a {isin[:2]} ISIN; only US ISINs (US + CUSIP) can be in this catalog."
    security = collector.repo.security(isin[2:11])
    if security:
        collector.add_security(security, "isin", isin, RANK_IDENTIFIER)
    return f"ISIN {isin}: looked up its CUSIP {isin[2:11]}."


def search(
    repo: Repository, text: str, as_of: dt.date | None = None, limit: int = 50
) -> SearchResult:
    """Find portfolios and classes; ``IdentifierError`` for a CUSIP with a wrong check digit."""
    query = clean_query(text)
    on = as_of or repo.documented_range()[1]
    collector = _Collector(repo, on)
    classified = classify(query)
    message = ""
    kind = classified.kind
    if kind == IdentifierKind.NONE:
        return collector.result(text, kind.value, "", "Type a CUSIP, ticker or portfolio name.")
    if kind in (IdentifierKind.CUSIP, IdentifierKind.CUSIP8, IdentifierKind.SHORT_NUMBER):
        security = repo.security(classified.value)
        if kind == IdentifierKind.CUSIP8:
            message = (
                f"8-character CUSIP: check digit {classified.value[-1]} computed, "
                f"looked up {classified.value}."
            )
        elif kind == IdentifierKind.SHORT_NUMBER:
            message = f"Looks like a CUSIP that lost its leading zeros; tried {classified.value}."
        if security:
            collector.add_security(security, "cusip", security.cusip, RANK_IDENTIFIER)
    elif kind == IdentifierKind.ISIN:
        message = _search_isin(collector, classified.value)
    elif kind == IdentifierKind.TICKER:
        for security in repo.securities_by_ticker(classified.value):
            collector.add_security(security, "ticker", security.ticker or "", RANK_IDENTIFIER)
        _search_names(collector, query, limit)
    else:
        _search_names(collector, query, limit)
    compact = normalize(query)
    prefix_search = kind != IdentifierKind.ISIN and any(ch.isdigit() for ch in compact)
    if not collector.found and prefix_search and _CUSIP_PREFIX.match(compact):
        _search_cusip_prefix(collector, compact)
    result = collector.result(text, kind.value, classified.value, message)
    if len(result.matches) > limit:
        result = SearchResult(
            result.query, result.kind, result.normalized, result.matches[:limit], message
        )
    return result


@dataclass(frozen=True, slots=True)
class Resolved:
    """A typed portfolio reference: the portfolio, and its class if the text fixes one."""

    portfolio: Portfolio
    share_class: ShareClass | None
    how: str  # "id or name" | "cusip" | "isin" | "ticker" | "name search"


def resolve(repo: Repository, text: str, as_of: dt.date | None = None) -> Resolved:
    """Resolve what a user typed for a portfolio with the same search as ``lookup``.

    An id or an exact current or former name wins outright; otherwise the best-ranked matches of
    ``search`` must name one portfolio (a CUSIP, ISIN or ticker also fixes the class). Anything
    else is a ``NotFoundError`` that lists the candidates, so nothing is picked silently.
    """
    try:
        return Resolved(repo.resolve_portfolio(text), None, "id or name")
    except NotFoundError as exact_error:
        if "more than one" in str(exact_error):
            raise
    result = search(repo, text, as_of)
    if not result.matches:
        raise NotFoundError(
            f"nothing in the catalog matches {clean_query(text)!r}; search with `janus-gui lookup`"
        )
    best_rank = result.matches[0].rank
    best = [m for m in result.matches if m.rank == best_rank]
    portfolio_ids = sorted({m.portfolio_id for m in best}, key=lambda pid: int(pid[1:]))
    if len(portfolio_ids) > 1:
        names = {m.portfolio_id: m.portfolio for m in best}
        listed = "; ".join(f"{pid} {names[pid]}" for pid in portfolio_ids)
        raise NotFoundError(
            f"{clean_query(text)!r} matches {len(portfolio_ids)} portfolios: {listed}. "
            "Type more of the name, or the id (e.g. "
            f"{portfolio_ids[0]})"
        )
    classes = {m.share_class for m in best}
    share_class = classes.pop() if len(classes) == 1 and best[0].matched_on != "name" else None
    how = best[0].matched_on if best[0].matched_on != "name" else "name search"
    return Resolved(repo.portfolio(portfolio_ids[0]), share_class, how)
