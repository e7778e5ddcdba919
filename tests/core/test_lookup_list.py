"""Resolving lists of queries: reading the list, and the status each query gets."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from janus_gui.core.errors import InputError
from janus_gui.core.lookup_list import (
    MAX_CANDIDATES,
    ListStatus,
    as_record,
    read_queries,
    resolve_one,
    resolve_queries,
)


def test_lines_keep_their_numbers_and_skip_blanks() -> None:
    text = "471021709\r\n\n  jaig  \n\t\nOverseas Portfolio"
    assert read_queries(text) == [(1, "471021709"), (3, "jaig"), (5, "Overseas Portfolio")]


def test_csv_column_by_header_ignoring_case_and_spaces() -> None:
    text = '\n\nacct,CUSIP \nA,471021709\nB,\n"C\nD",471021667\n'
    assert read_queries(text, column="cusip") == [(4, "471021709"), (7, "471021667")]


def test_short_csv_rows_are_skipped_not_an_error() -> None:
    assert read_queries("a,cusip\nx\ny,471021709\n", column="cusip") == [(3, "471021709")]


@pytest.mark.parametrize(("text", "column"), [("", None), (" \n\n", None), ("cusip\n", "cusip")])
def test_no_query_is_unusable(text: str, column: str | None) -> None:
    with pytest.raises(InputError, match="no query"):
        read_queries(text, column)


def test_too_many_queries_is_unusable(monkeypatch) -> None:
    monkeypatch.setattr("janus_gui.core.lookup_list.MAX_QUERIES", 3)
    assert len(read_queries("a\nb\nc")) == 3
    with pytest.raises(InputError, match="more than 3 queries"):
        read_queries("a\nb\nc\nd")


@given(st.lists(st.text(alphabet="ab \t", max_size=4), max_size=20))
def test_every_non_blank_line_is_one_query(lines: list[str]) -> None:
    text = "\n".join(lines)
    expected = [(n, line.strip()) for n, line in enumerate(lines, 1) if line.strip()]
    if expected:
        assert read_queries(text) == expected
    else:
        with pytest.raises(InputError):
            read_queries(text)


def test_statuses(repo) -> None:
    got = {q: resolve_one(repo, 1, q) for q in ("471021709", "Overseas", "471021706", "qqqq zz")}
    assert got["471021709"].status == ListStatus.OK
    assert got["471021709"].match is not None and got["471021709"].match.cusip == "471021709"
    assert got["Overseas"].status == ListStatus.AMBIGUOUS
    assert {c.share_class.value for c in got["Overseas"].candidates} == {"Institutional", "Service"}
    assert got["471021706"].status == ListStatus.INVALID
    assert "should be 9" in got["471021706"].message
    assert got["qqqq zz"].status == ListStatus.NO_MATCH


def test_a_ticker_match_outranks_name_matches(repo) -> None:
    item = resolve_one(repo, 1, "JAIG")
    assert item.status == ListStatus.OK and item.match is not None
    assert item.match.matched_on == "ticker"


def test_candidates_are_capped(repo) -> None:
    item = resolve_one(repo, 1, "portfolio")
    assert item.status == ListStatus.AMBIGUOUS
    assert 0 < len(item.candidates) <= MAX_CANDIDATES


def test_records_carry_the_derived_isin_only_for_a_match(repo) -> None:
    ok, bad = resolve_queries(repo, [(1, "471021709"), (2, "471021706")])
    assert as_record(ok)["isin"] == "US4710217096"
    assert as_record(bad)["isin"] is None and as_record(bad)["status"] == "invalid"
