"""`compare` and `changes` give the numbers and sources `show`, `costs` and `fee` give for the
same inputs (the same core functions, read through each command's own output)."""

from __future__ import annotations

import json

import pytest

from janus_gui.cli import main


def _json(capsys, *argv: str) -> dict:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


CASES = [
    ("Overseas", "Service", "Overseas", "Service II", "2012-04-20"),
    ("International Growth", "Service", "Equity Income", "Service", "2000-06-30"),
    ("Overseas", "Service II", "Overseas", "Service", "2012-04-28"),
    ("P1", "Institutional", "P1", "Service", "2012-12-06"),
]


@pytest.mark.parametrize(("p1", "c1", "p2", "c2", "day"), CASES)
def test_compare_cells_match_show(capsys, p1, c1, p2, c2, day) -> None:
    compared = _json(capsys, "compare", f"{p1}/{c1}", f"{p2}/{c2}", "--as-of", day, "--json")
    rows = {r["key"]: r for r in compared["rows"]}
    for index, (portfolio, share_class) in enumerate(((p1, c1), (p2, c2))):
        shown = _json(capsys, "show", portfolio, share_class, "--as-of", day, "--json")
        status = rows["status"]["cells"][index]["facts"][0]
        assert status["text"] == shown["status"]["text"]
        assert status["standing"] == shown["status"]["standing"]
        assert status["citation"] == shown["status"]["citation"]
        fee = rows["redemption_fee"]["cells"][index]["facts"][0]
        assert fee["citation"] == shown["redemption_fee"]["citation"]
        assert fee["standing"] == shown["redemption_fee"]["standing"]
        shown_rules = {r["rule_id"]: r for r in shown["rules"]}
        for key in ("eligibility", "distribution_fee", "expense_limit", "exchange_rule"):
            for fact in rows[key]["cells"][index]["facts"]:
                match = [r for r in shown_rules.values() if r["summary"] == fact["text"]]
                assert match and match[0]["citation"] == fact["citation"]
                assert match[0]["standing"] == fact["standing"]
        gross = rows["fee_table_gross"]["cells"][index]["facts"]
        assert [f["citation"] for f in gross] == [f["citation"] for f in shown["fee_table"]]


@pytest.mark.parametrize(("p1", "c1", "p2", "c2", "day"), CASES)
def test_compare_costs_match_costs(capsys, p1, c1, p2, c2, day) -> None:
    terms = ("--as-of", day, "--amount", "25000", "--return-rate", "7", "--years", "1,3,5,10,20")
    compared = _json(capsys, "compare", f"{p1}/{c1}", f"{p2}/{c2}", *terms, "--json")
    for column, (portfolio, share_class) in zip(
        compared["costs"]["columns"], ((p1, c1), (p2, c2)), strict=True
    ):
        code = (
            main(
                ["costs", "--portfolio", portfolio, "--share-class", share_class, *terms, "--json"]
            )
            if column["costs"] is not None
            else None
        )
        if column["costs"] is None:
            continue
        assert code == 0
        costs = json.loads(capsys.readouterr().out)
        assert column["costs"] == costs["costs"]
        assert column["expense_ratio_percent"] == costs["expense_ratio_percent"]
        assert column["citation"] == costs["source"]["citation"]


def test_compare_fee_rule_matches_fee(capsys, tmp_path) -> None:
    lots = tmp_path / "lots.csv"
    lots.write_text("purchase_date,shares,lot_id\n2012-03-01,100,A\n2012-04-01,50,B\n")
    compared = _json(
        capsys,
        "compare",
        "Overseas/Service",
        "Overseas/Service II",
        "--as-of",
        "2012-04-20",
        "--json",
    )
    fee_row = next(r for r in compared["rows"] if r["key"] == "redemption_fee")
    for cell, share_class in zip(fee_row["cells"], ("Service", "Service II"), strict=True):
        fee = _json(
            capsys,
            "fee",
            "--lots",
            str(lots),
            "--portfolio",
            "Overseas",
            "--share-class",
            share_class,
            "--redeem-date",
            "2012-04-20",
            "--shares",
            "120",
            "--nav",
            "10.00",
            "--json",
        )
        assert cell["facts"][0]["citation"] == fee["rule"]["citation"]
        assert cell["facts"][0]["standing"] == fee["rule"]["standing"]
    # Service II: 1.00% on lots held 60 days or less (002:96-103): both lots are subject.
    assert fee["total_fee"] == "12.00"


def test_changes_values_match_show_on_each_date(capsys) -> None:
    changes = _json(
        capsys,
        "changes",
        "Overseas",
        "Service II",
        "--from",
        "2012-04-20",
        "--to",
        "2012-04-28",
        "--json",
    )
    fee = next(c for c in changes["changes"] if c["topic"] == "Redemption fee")
    for side, day in (("before", "2012-04-20"), ("after", "2012-04-28")):
        shown = _json(capsys, "show", "Overseas", "Service II", "--as-of", day, "--json")
        assert fee[side]["citation"] == shown["redemption_fee"]["citation"]
        assert fee[side]["standing"] == shown["redemption_fee"]["standing"]
        status = next(c for c in changes["changes"] if c["topic"] == "Class status")
        assert status[side]["text"] == shown["status"]["text"]
