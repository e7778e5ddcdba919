"""A ticker is cited at the line that prints it, not at the CUSIP's first line.

From the sources: 001:19 prints "Janus Aspen Series Overseas Portfolio 471021 70 9 JAIG"; the
same CUSIP's first printed line, 000:25 ("471021709 Aspen Overseas ..."), is in the 2012
distribution table, which has no ticker column. 001:41 prints Overseas Service shares'
CUSIP 471021 66 7 with "N/A" in the ticker column.
"""

from __future__ import annotations

from janus_gui.core.lookup import search
from tests.helpers.citation_check import SOURCES_DIR, cited_text


def _line(citation) -> str:
    return cited_text(SOURCES_DIR / citation.source_file, citation.line_start, citation.line_end)


def test_jaig_is_cited_at_001_19(repo) -> None:
    security = repo.security("471021709")
    assert security.ticker == "JAIG"
    assert security.citation.label() == "000:25"  # the CUSIP's first line: no ticker there
    assert "JAIG" not in _line(security.citation)
    assert security.ticker_citation.label() == "001:19"
    assert "JAIG" in _line(security.ticker_citation).split()


def test_every_ticker_citation_prints_the_ticker(repo) -> None:
    with_ticker = [s for s in repo.securities() if s.ticker]
    assert len(with_ticker) == 11  # 001:10-20, one ticker per line
    for security in with_ticker:
        words = _line(security.ticker_citation).split()
        assert security.ticker in words, (security.cusip, security.ticker_citation.label())
        assert security.ticker in security.ticker_citation.quote.split()


def test_a_class_printed_with_na_is_cited_at_its_na_line(repo) -> None:
    security = repo.security("471021667")
    assert security.ticker is None
    assert security.ticker_citation.label() == "001:41"
    assert _line(security.ticker_citation).split()[-1] != ""  # the line exists
    assert "N/A" in _line(security.ticker_citation).split()


def test_a_cusip_only_in_a_table_without_tickers_has_no_ticker_citation(repo) -> None:
    for security in repo.securities():
        if security.ticker_citation is None:
            assert security.ticker is None
            assert all(o.doc != "001" for o in repo.occurrences(security.cusip))


def test_a_ticker_search_carries_the_ticker_line(repo) -> None:
    match = search(repo, "jaig").matches[0]
    assert match.ticker_citation.label() == "001:19"
