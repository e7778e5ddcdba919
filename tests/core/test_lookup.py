"""Search over the bundled catalog: every identifier form, every name, hostile text."""

from __future__ import annotations

import contextlib
import datetime as dt
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from janus_gui.core.errors import IdentifierError
from janus_gui.core.identifiers import format_cusip_spaced
from janus_gui.core.lookup import fts_expression, search
from janus_gui.core.models import ShareClass

# Copied by hand from the sources (000, 001; source-facts §3.1): CUSIP -> lineage, class, ticker.
INST, SERV = ShareClass.INSTITUTIONAL, ShareClass.SERVICE
SECURITIES = {
    "471021105": ("P1", INST, "JAGR"),
    "471021204": ("P2", INST, "JAAG"),
    "471021303": ("P5", INST, "JAWG"),
    "471021394": ("P16", INST, "JAPG"),
    "471021402": ("P6", INST, "JABL"),
    "471021410": ("P17", INST, "JMAP"),
    "471021436": ("P14", INST, "JAMV"),
    "471021501": ("P9", INST, "JAFX"),
    "471021568": ("P13", INST, "JGLT"),
    "471021709": ("P4", INST, "JAIG"),
    "471021865": ("P3", INST, "JACAX"),
    "471021378": ("P15", SERV, None),
    "471021386": ("P16", SERV, None),
    "471021428": ("P17", SERV, None),
    "471021451": ("P14", SERV, None),
    "471021550": ("P13", SERV, None),
    "471021618": ("P3", SERV, None),
    "471021642": ("P5", SERV, None),
    "471021667": ("P4", SERV, None),
    "471021675": ("P1", SERV, None),
    "471021683": ("P9", SERV, None),
    "471021691": ("P6", SERV, None),
    "471021717": ("P2", SERV, None),
}


def _forms(cusip: str) -> list[str]:
    spaced, dashed = format_cusip_spaced(cusip), f" {cusip[:6]}-{cusip[6:]} "
    return [cusip, spaced, cusip[:8], cusip.lower(), dashed]


@pytest.mark.parametrize("cusip", sorted(SECURITIES))
def test_every_cusip_in_every_form(repo, cusip: str) -> None:
    portfolio_id, share_class, ticker = SECURITIES[cusip]
    for text in _forms(cusip):
        result = search(repo, text)
        first = result.matches[0]
        assert (first.portfolio_id, first.share_class, first.cusip) == (
            portfolio_id,
            share_class,
            cusip,
        ), text
        assert first.matched_on == "cusip"
        assert first.ticker == ticker


@pytest.mark.parametrize("cusip", sorted(c for c, (_p, _s, ticker) in SECURITIES.items() if ticker))
def test_every_ticker_any_case(repo, cusip: str) -> None:
    portfolio_id, share_class, ticker = SECURITIES[cusip]
    for text in (ticker, ticker.lower(), f"  {ticker.title()} "):
        first = search(repo, text).matches[0]
        assert (first.portfolio_id, first.share_class, first.matched_on) == (
            portfolio_id,
            share_class,
            "ticker",
        )


def test_na_is_never_a_ticker(repo) -> None:
    for text in ("N/A", "n/a", "NA", "-", ""):
        assert search(repo, text).matches == ()


def test_every_name_finds_its_portfolio(repo) -> None:
    for portfolio in repo.portfolios():
        for name in portfolio.names:
            ids = {m.portfolio_id for m in search(repo, name.name).matches}
            assert portfolio.portfolio_id in ids, name.name


@pytest.mark.parametrize(
    "text",
    [
        "471021709",
        "471021 70 9",
        "47102170",
        "JAIG",
        "jaig",
        "International Growth",
        "overseas",
        "OVERSEAS",
        "Aspen Overseas",
    ],
)
def test_overseas_by_every_route(repo, text: str) -> None:
    assert search(repo, text).matches[0].portfolio_id == "P4"


def test_worldwide_and_global_research_find_the_same_cusips(repo) -> None:
    for text in ("Worldwide", "Global Research"):
        cusips = {m.cusip for m in search(repo, text).matches}
        assert {"471021303", "471021642"} <= cusips, text


def test_name_shown_is_the_one_in_force_on_the_date(repo) -> None:
    early = search(repo, "471021709", as_of=dt.date(1999, 12, 31)).matches[0]
    late = search(repo, "471021709", as_of=dt.date(2013, 12, 31)).matches[0]
    assert "International Growth" in early.portfolio
    assert "Overseas" in late.portfolio


def test_wrong_check_digit_names_expected_digit(repo) -> None:
    with pytest.raises(IdentifierError, match="should be 9"):
        search(repo, "471021706")


def test_exact_identifier_ranks_before_name_matches(repo) -> None:
    matches = search(repo, "forty").matches
    assert matches[0].portfolio_id == "P3"


def test_fts_expression_quotes_every_token() -> None:
    assert fts_expression('a "b" NEAR(c') == '"a" "b" "NEAR" "c"*'
    assert fts_expression("***") == ""


HOSTILE = [
    '"',
    "*",
    "-",
    "AND",
    "OR NOT",
    "NEAR(",
    "a AND b",
    "'; DROP TABLE rule; --",
    "\x00\x01\x1b[31m",
    "x" * 10_000,
    "名前",
    "🙂",
    "()",
    ":",
    "^",
    "{}",
    "\\",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_never_raises(repo, text: str) -> None:
    search(repo, text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_any_unicode_never_raises_a_database_error(repo, text: str) -> None:
    with contextlib.suppress(IdentifierError):
        search(repo, text)


def test_search_is_well_under_a_millisecond(repo) -> None:
    queries = ["471021709", "47102170", "JAIG", "overseas", "International Growth", "janus", "g"]
    for q in queries:
        search(repo, q)
    timings = []
    for _ in range(30):
        for q in queries:
            start = time.perf_counter()
            search(repo, q)
            timings.append(time.perf_counter() - start)
    timings.sort()
    median = timings[len(timings) // 2]
    assert median < 0.001, f"median search {median * 1e6:.0f} µs"
