"""004: the 1999 fee table and expense example, as printed, with T1 and T2."""

from __future__ import annotations

import pytest

from janus_gui.dbbuild import parse_004


@pytest.fixture(scope="module")
def parsed(source, names):
    return parse_004.parse_004(source("004"), names)


def _fee(parsed, pid):
    [row] = [r for r in parsed.fee_rows if r["portfolio_id"] == pid]
    return row


def test_eleven_service_rows(parsed) -> None:
    assert len(parsed.fee_rows) == 11
    assert {r["share_class"] for r in parsed.fee_rows} == {"Service"}


def test_wrapped_name_rows_span_two_lines(parsed) -> None:
    # 004:1078-1079 "Capital Appreciation" / "Portfolio 0.73% 0.25% 0.04% 1.02% 0.07% 0.95%"
    row = _fee(parsed, "P3")
    assert (row["line_start"], row["line_end"]) == (1078, 1079)
    assert (row["management_fee"], row["total_gross"], row["total_net"]) == (
        "0.73%",
        "1.02%",
        "0.95%",
    )


def test_t1_aggressive_growth_stored_as_printed_used_as_093(parsed) -> None:
    row = _fee(parsed, "P2")  # 004:1077
    assert row["total_gross"] == "0.03%"
    assert row["waivers"] == "N/A"
    assert row["total_gross_used"] == "0.93%"
    assert row["total_net_used"] == "0.93%"


def test_t2_high_yield_net_used_as_printed(parsed) -> None:
    row = _fee(parsed, "P10")  # 004:1087
    assert (row["total_gross"], row["waivers"], row["total_net"]) == ("5.33%", "4.08%", "1.26%")
    assert row["total_net_used"] == "1.26%"


def test_only_t1_and_t2_fail_the_sums(parsed) -> None:
    found = {(parsed.failure_portfolios[f.key], f.check) for f in parsed.failures}
    assert found == {
        ("P2", parse_004.SUM_CHECK),
        ("P2", parse_004.NET_CHECK),
        ("P10", parse_004.NET_CHECK),
    }


def test_expense_example_as_printed(parsed) -> None:
    costs = {(r["portfolio_id"], r["years"]): r["cost_printed"] for r in parsed.example_rows}
    assert len(costs) == 22
    assert costs[("P10", 1)] == "532"
    assert costs[("P10", 3)] == "1591"  # printed "$1,591" at 004:1138
    assert costs[("P2", 1)] == "95"
    assert costs[("P11", 3)] == "211"


def test_every_example_figure_recomputes_from_the_used_gross_ratio(parsed) -> None:
    assert parse_004.example_failures(parsed) == []
