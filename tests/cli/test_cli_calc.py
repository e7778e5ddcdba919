"""The calculator commands through ``janus-gui``: JSON worked out by hand, every error path."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from janus_gui import cli

D = Decimal
LOTS = Path(__file__).resolve().parent.parent / "data" / "lots"
SII_2012 = str(LOTS / "sii_2012.csv")  # 2012-03-01: 100 (A); 2012-04-01: 50 (B)
OVERSEAS_SII = ["--portfolio", "Overseas", "--share-class", "Service II"]


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert cli.main([*argv, "--json"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    return json.loads(captured.out)


def run_text(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert cli.main(list(argv)) == 0
    return capsys.readouterr().out


def fails(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as caught:
        cli.main(list(argv))
    assert caught.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "error:" in captured.err
    return captured.err


# -- fee ---------------------------------------------------------------------------------------
FEE = ["fee", "--lots", SII_2012, *OVERSEAS_SII, "--redeem-date", "2012-04-27", "--nav", "10.00"]


def test_fee_json_by_hand(capsys) -> None:
    data = run_json(capsys, *FEE, "--shares", "120")
    # A: 57 days, B: 26 days, both within 60: 0.01 x 10.00 x 120 = 12.00
    assert data["total_fee"] == "12.00"
    assert D(data["fee_rate"]) == D("0.01")
    assert data["holding_period_days"] == 60
    assert data["shares_redeemed"] == "120.000"
    assert data["shares_subject_to_fee"] == "120.000"
    assert data["redemption_value"] == "1200.00"
    assert data["net_proceeds"] == "1188.00"
    assert data["label"] == "fee that may apply (maximum)"
    assert [
        (
            lot["lot_id"],
            lot["purchase_date"],
            lot["shares_redeemed"],
            lot["days_held"],
            lot["subject_to_fee"],
            lot["fee"],
            lot["fee_free_from"],
        )
        for lot in data["lots"]
    ] == [
        ("A", "2012-03-01", "100.000", 57, True, "10.00", "2012-05-01"),
        ("B", "2012-04-01", "20.000", 26, True, "2.00", "2012-06-01"),
    ]
    assert data["remaining_lots"] == [
        {"lot_id": "B", "purchase_date": "2012-04-01", "shares": "30.000", "seq": 2}
    ]
    assert data["rule"]["citation"]["label"] == "002:96-103"
    assert data["rule"]["applies"] is True


def test_fee_after_the_conversion_is_zero_with_the_reason(capsys) -> None:
    argv = [a if a != "2012-04-27" else "2012-04-28" for a in FEE]
    data = run_json(capsys, *argv, "--all")
    assert data["total_fee"] == "0.00"
    assert data["holding_period_days"] is None
    assert data["shares_redeemed"] == "150.000"
    assert data["remaining_lots"] == []
    assert "Converted" in data["rule"]["reason"]


def test_fee_by_amount_and_summary(capsys) -> None:
    data = run_json(capsys, *FEE, "--amount", "102.50", "--remaining", "summary")
    assert data["shares_redeemed"] == "10.250"  # 102.50 / 10.00
    assert data["total_fee"] == "1.03"  # 0.01 x 10 x 10.25 = 1.025, half-up
    assert data["remaining_lots"] is None
    assert data["remaining_lot_count"] == 2


def test_fee_by_cusip(capsys) -> None:
    data = run_json(
        capsys,
        "fee",
        "--lots",
        SII_2012,
        "--cusip",
        "471021 10 5",
        "--redeem-date",
        "2012-04-27",
        "--nav",
        "10",
        "--shares",
        "1",
    )
    assert (data["portfolio_id"], data["share_class"], data["cusip"]) == (
        "P1",
        "Institutional",
        "471021105",
    )
    assert data["total_fee"] == "0.00"


def test_fee_amount_may_carry_a_dollar_sign(capsys) -> None:
    # $1,000.00 at NAV 10.00 is 100 shares, all of lot A (57 days): 0.01 x 10.00 x 100
    data = run_json(capsys, *FEE, "--amount", "$1,000.00")
    assert (data["shares_redeemed"], data["total_fee"]) == ("100.000", "10.00")


def test_fee_text(capsys) -> None:
    out = run_text(capsys, *FEE, "--shares", "120")
    assert "Fee that may apply (max): $12.00" in out
    assert "[002:96-103]" in out


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--lots", "missing.csv"], "lot file missing.csv not found"),
        (["--lots", str(LOTS / "bad.csv")], "line 2"),
        (["--redeem-date", "2012-02-30"], "--redeem-date: '2012-02-30' is not a calendar date"),
        (["--nav", "ten"], "--nav: 'ten' is not a number"),
        (["--nav", "0"], "must be greater than zero"),
        (["--nav", "-1"], "must be greater than zero"),
        (["--nav", "NaN"], "--nav: 'NaN' is not a finite number"),
        (["--nav", "1e1"], "--nav: '1e1' is not a number"),
        (["--nav", "$10"], "--nav: '$10' is not a number"),
        (["--redeem-date", "20120427"], "--redeem-date: '20120427' is not a date"),
        (["--shares", "abc"], "is not a number"),
        (["--shares", "151"], "only 150.000 are held"),
        (["--redeem-date", "2012-03-31"], "after the redemption date"),
        (["--portfolio", "Nowhere"], "no portfolio is named 'Nowhere'"),
        (["--share-class", "Gold"], "unknown share class 'Gold'"),
        (["--db", "/nonexistent/janus.sqlite"], "database is missing"),
    ],
)
def test_fee_errors(capsys, argv: list[str], fragment: str) -> None:
    base = dict(zip(FEE[1::2], FEE[2::2], strict=True))
    base["--shares"] = "120"
    base.update(dict(zip(argv[::2], argv[1::2], strict=True)))
    err = fails(capsys, "fee", *[x for pair in base.items() for x in pair])
    assert fragment in err


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--cusip", "471021106"], "check digit should be 5"),
        (["--cusip", "037833100"], "not in the catalog"),
        (["--cusip", "Overseas"], "is not a CUSIP"),
        (["--share-class", "Service"], "give --cusip, or --portfolio and --share-class"),
        (["--portfolio", "Overseas"], "give --cusip, or --portfolio and --share-class"),
    ],
)
def test_fee_selector_errors(capsys, argv: list[str], fragment: str) -> None:
    common = [
        "fee",
        "--lots",
        SII_2012,
        "--redeem-date",
        "2012-04-27",
        "--nav",
        "10",
        "--shares",
        "1",
    ]
    assert fragment in fails(capsys, *common, *argv)


def test_fee_usage_errors(capsys) -> None:
    assert "not allowed with argument" in fails(capsys, *FEE, "--shares", "1", "--amount", "5")
    assert "give --shares, --amount or --all" in fails(capsys, *FEE)
    assert "--nav is required with --lots" in fails(capsys, *FEE[:-2], "--shares", "1")
    no_date = [a for a in FEE if a not in ("--redeem-date", "2012-04-27")]
    assert "--redeem-date is required with --lots" in fails(capsys, *no_date, "--shares", "1")
    assert "one of the arguments --lots --ledger is required" in fails(
        capsys, "fee", *OVERSEAS_SII, "--redeem-date", "2012-04-27", "--nav", "10", "--all"
    )
    assert "--amount: 'lots' is not a number" in fails(capsys, *FEE, "--amount", "lots")


# -- fee --ledger ------------------------------------------------------------------------------
# Overseas Service II, 2012. Same-date rows keep file order (C before, D after the line-4
# redemption); B (line 7) is dated before the line-6 redemption, so date order applies it first.
LEDGER_2012 = """type,date,shares,nav,lot_id
purchase,2012-03-01,100,,A
purchase,2012-04-20,10,,C
redemption,2012-04-20,105,12.50,
purchase,2012-04-20,7,,D
redemption,2012-05-01,all,,
purchase,2012-04-25,25,,B
"""


def write_ledger(tmp_path: Path, text: str = LEDGER_2012) -> str:
    path = tmp_path / "ledger.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def ledger_walk(entry: dict) -> list[tuple]:
    return [
        (
            lot["lot_id"],
            lot["line"],
            lot["shares_redeemed"],
            lot["days_held"],
            lot["subject_to_fee"],
            lot["fee"],
        )
        for lot in entry["lots"]
    ]


def test_fee_ledger_json_by_hand(capsys, tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path)
    data = run_json(capsys, "fee", "--ledger", ledger, *OVERSEAS_SII, "--nav", "11.00")
    assert (data["portfolio_id"], data["share_class"]) == ("P4", "Service II")
    first, second = data["redemptions"]
    # Line 4, 2012-04-20 at the row's NAV 12.50: A held 50 days (31 in March + 19), C bought the
    # same day (0 days, subject). 0.01 x 12.50 x 105 = 13.125 -> 13.13 half-up.
    assert (first["line"], first["redeem_date"], first["nav"]) == (4, "2012-04-20", "12.50")
    assert ledger_walk(first) == [
        ("A", 2, "100.000", 50, True, "12.50"),
        ("C", 3, "5.000", 0, True, "0.63"),
    ]
    assert first["total_fee"] == "13.13"
    assert first["redemption_value"] == "1312.50"
    assert first["net_proceeds"] == "1299.37"
    assert first["remaining_lot_count"] == 1  # C's other 5 shares
    assert first["rule"]["citation"]["label"] == "002:96-103"
    # Line 6, 2012-05-01 at --nav 11.00, after the close of 2012-04-27: Service II converted, no
    # fee even for B (6 days) and C, D (11 days). 37 shares x 11.00 = 407.00.
    assert (second["line"], second["mode"], second["nav"]) == (6, "all", "11.00")
    assert ledger_walk(second) == [
        ("C", 3, "5.000", 11, False, "0.00"),
        ("D", 5, "7.000", 11, False, "0.00"),
        ("B", 7, "25.000", 6, False, "0.00"),
    ]
    assert second["total_fee"] == "0.00"
    assert second["redemption_value"] == "407.00"
    assert second["holding_period_days"] is None
    assert second["rule"]["applies"] is False
    assert "Converted" in second["rule"]["reason"]
    assert "Converted" in second["notes"][0]
    assert data["totals"] == {
        "redemptions": 2,
        "fee_status": "documented",
        "shares_redeemed": "142.000",
        "shares_subject_to_fee": "105.000",
        "redemption_value": "1719.50",
        "total_fee": "13.13",
        "net_proceeds": "1706.37",
        "shares_remaining": "0.000",
    }
    assert data["remaining_lot_count"] == 0
    assert data["remaining_lots"] == []


def test_fee_ledger_has_the_keys_of_fee_plus_the_line(capsys, tmp_path: Path) -> None:
    single = run_json(capsys, *FEE, "--shares", "1")
    data = run_json(capsys, "fee", "--ledger", write_ledger(tmp_path), *OVERSEAS_SII, "--nav", "11")
    assert all(set(entry) == {"line", *single} for entry in data["redemptions"])


def test_fee_ledger_carries_the_remaining_lots_to_the_end(capsys, tmp_path: Path) -> None:
    text = "\n".join(LEDGER_2012.splitlines()[:5]) + "\n"  # up to D, no second redemption
    data = run_json(capsys, "fee", "--ledger", write_ledger(tmp_path, text), *OVERSEAS_SII)
    assert [entry["line"] for entry in data["redemptions"]] == [4]
    # seq is the row's order in the ledger: A 1, C 2, the redemption 3, D 4
    assert data["remaining_lots"] == [
        {"lot_id": "C", "purchase_date": "2012-04-20", "shares": "5.000", "seq": 2},
        {"lot_id": "D", "purchase_date": "2012-04-20", "shares": "7.000", "seq": 4},
    ]
    assert data["totals"]["shares_remaining"] == "12.000"
    assert data["totals"]["total_fee"] == "13.13"


def test_fee_ledger_without_redemptions_lists_the_lots(capsys, tmp_path: Path) -> None:
    text = "type,date,shares\npurchase,2012-03-01,100\n"
    data = run_json(capsys, "fee", "--ledger", write_ledger(tmp_path, text), *OVERSEAS_SII)
    assert data["redemptions"] == []
    assert data["totals"]["total_fee"] == "0.00"
    assert data["remaining_lot_count"] == 1
    assert data["notes"] == ["The ledger has no redemptions."]


def test_fee_ledger_text(capsys, tmp_path: Path) -> None:
    out = run_text(
        capsys, "fee", "--ledger", write_ledger(tmp_path), *OVERSEAS_SII, "--nav", "11.00"
    )
    assert out.index("-- Ledger line 4 --") < out.index("-- Ledger line 6 --")
    assert "Fee that may apply (max): $13.13" in out
    assert "Rule: No redemption fee applies: the class has ended. Converted" in out
    assert "Fees that may apply (max): $13.13" in out
    assert "Net proceeds:              $1706.37" in out
    assert "Lots remaining:            0 (0.000 shares)" in out


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--lots", SII_2012], "argument --lots: not allowed with argument --ledger"),
        (
            ["--redeem-date", "2012-04-20"],
            "--ledger gives the date and size of each redemption; remove --redeem-date",
        ),
        (["--shares", "1"], "remove --shares"),
        (["--amount", "5"], "remove --amount"),
        (["--all"], "remove --all"),
        (["--redeem-date", "2012-04-20", "--all"], "remove --redeem-date, --all"),
        (["--nav", "0"], "must be greater than zero"),
        (["--nav", "ten"], "--nav: 'ten' is not a number"),
        (["--portfolio", "Nowhere"], "no portfolio is named 'Nowhere'"),
    ],
)
def test_fee_ledger_usage_errors(capsys, tmp_path: Path, argv: list[str], fragment: str) -> None:
    ledger = write_ledger(tmp_path)
    err = fails(capsys, "fee", "--ledger", ledger, *OVERSEAS_SII, *argv)
    assert fragment in err


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (
            "type,date,shares\ngift,2012-03-01,10\n",
            "line 2: type: 'gift' is not purchase or redemption",
        ),
        ("type,date,shares\npurchase,2012-02-30,10\n", "line 2: date:"),
        ("", "header row is required"),
        ("date,shares\n2012-03-01,10\n", "type"),
    ],
)
def test_fee_ledger_errors(capsys, tmp_path: Path, text: str, fragment: str) -> None:
    err = fails(capsys, "fee", "--ledger", write_ledger(tmp_path, text), *OVERSEAS_SII)
    assert fragment in err


@pytest.mark.parametrize(
    ("text", "message", "computed"),
    [
        (LEDGER_2012, "line 6: a NAV is needed for this redemption (nav column or --nav)", 1),
        (
            "type,date,shares,nav\npurchase,2012-03-01,10,\nredemption,2012-04-20,11,10\n",
            "line 3: cannot redeem 11.000 shares: only 10.000 are held on 2012-04-20",
            0,
        ),
        (
            "type,date,shares,nav\nredemption,2012-04-20,1,10\npurchase,2012-04-20,10,\n"
            "redemption,2012-04-20,4,10\n",
            "line 2: cannot redeem 1.000 shares: only 0.000 are held on 2012-04-20",
            1,
        ),
    ],
)
def test_fee_ledger_with_a_failed_redemption_exits_3(
    capsys, tmp_path: Path, text: str, message: str, computed: int
) -> None:
    """A redemption that cannot be made is reported and skipped; the others are computed."""
    ledger = write_ledger(tmp_path, text)
    assert cli.main(["fee", "--ledger", ledger, *OVERSEAS_SII, "--json"]) == 3
    captured = capsys.readouterr()
    assert f"janus-gui: {message}" in captured.err
    assert f"{computed + 1} redemptions: {computed} computed, 1 failed" in captured.err
    data = json.loads(captured.out)
    line = int(message.split(":")[0].removeprefix("line "))
    assert data["failed_redemptions"] == [{"line": line, "error": message.split(": ", 1)[1]}]
    assert len(data["redemptions"]) == computed
    assert any("not applied" in note for note in data["notes"])
    assert cli.main(["fee", "--ledger", ledger, *OVERSEAS_SII]) == 3
    assert f"-- Ledger line {line}: not applied --" in capsys.readouterr().out


def test_fee_ledger_missing_file_and_selector(capsys, tmp_path: Path) -> None:
    missing = str(tmp_path / "absent.csv")
    assert f"ledger {missing} not found" in fails(capsys, "fee", "--ledger", missing, *OVERSEAS_SII)
    assert "give --cusip, or --portfolio and --share-class" in fails(
        capsys, "fee", "--ledger", write_ledger(tmp_path), "--nav", "11"
    )


# -- fee-free ----------------------------------------------------------------------------------
def test_fee_free_json_by_hand(capsys) -> None:
    data = run_json(capsys, "fee-free", "--lots", SII_2012, *OVERSEAS_SII, "--date", "2012-04-27")
    assert data["shares_held"] == "150.000"
    assert data["fee_free_shares"] == "0.000"
    assert data["next_date"] == "2012-05-01"  # 2012-03-01 + 61 days
    assert data["fee_free_shares_on_next_date"] == "100.000"
    assert data["rule"]["citation"]["label"] == "002:96-103"
    text = run_text(capsys, "fee-free", "--lots", SII_2012, *OVERSEAS_SII, "--date", "2012-04-27")
    assert "From 2012-05-01: 100.000 shares fee-free" in text


def test_fee_free_where_the_rule_is_not_documented_gives_no_figure(capsys, tmp_path) -> None:
    # Overseas Service II is first documented on 2012-03-15 (002:10, 002:123-124): on 2012-03-14
    # no source says whether any share is fee-free, so no count is given (never "all of them").
    lots = tmp_path / "lots.csv"
    lots.write_text("lot_id,purchase_date,shares\nA,2012-03-01,100\n", encoding="utf-8")
    argv = ("fee-free", "--lots", str(lots), *OVERSEAS_SII, "--date", "2012-03-14")
    data = run_json(capsys, *argv)
    assert data["fee_status"] == "not_documented"
    assert (data["fee_free_shares"], data["fee_free_lots"]) == (None, None)
    assert data["shares_held"] == "100.000"
    text = run_text(capsys, *argv)
    assert "Redeemable fee-free:   cannot be determined" in text
    assert "No redemption fee applies" not in text


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--lots", "nope.csv", "--date", "2012-04-27"], "lot file nope.csv not found"),
        (
            ["--lots", SII_2012, "--date", "27/04/2012"],
            "--date: '27/04/2012' is not a calendar date",
        ),
        (["--lots", SII_2012, "--date", "2012-03-15"], "after the redemption date"),
    ],
)
def test_fee_free_errors(capsys, argv: list[str], fragment: str) -> None:
    assert fragment in fails(capsys, "fee-free", *OVERSEAS_SII, *argv)


# -- exchange ----------------------------------------------------------------------------------
def test_exchange_json(capsys) -> None:
    data = run_json(
        capsys,
        "exchange",
        "--from",
        "Growth/Service",
        "--to",
        "Balanced/Service",
        "--date",
        "2000-06-01",
    )
    assert data["allowed"] is True
    assert data["citation"]["label"] == "004:10263-10266"
    refused = run_json(
        capsys,
        "exchange",
        "--from",
        "Overseas/Service",
        "--to",
        "Balanced/Institutional",
        "--date",
        "2012-06-01",
    )
    assert refused["allowed"] is False
    assert "same class" in refused["reason"]
    text = run_text(
        capsys,
        "exchange",
        "--from",
        "Overseas/Service II",
        "--to",
        "Global Technology/Service II",
        "--date",
        "2012-04-27",
    )
    assert text.startswith("Allowed") and "Assumption" in text


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--from", "Overseas", "--to", "Balanced/Service"], 'must look like "PORTFOLIO/CLASS"'),
        (["--from", "Nowhere/Service", "--to", "Balanced/Service"], "no portfolio is named"),
        (["--from", "Overseas/Gold", "--to", "Balanced/Service"], "unknown share class"),
    ],
)
def test_exchange_errors(capsys, argv: list[str], fragment: str) -> None:
    assert fragment in fails(capsys, "exchange", *argv, "--date", "2012-06-01")
    assert "--date: 'soon' is not a date (use YYYY-MM-DD or M/D/YYYY)" in fails(
        capsys,
        "exchange",
        "--from",
        "Overseas/Service",
        "--to",
        "Balanced/Service",
        "--date",
        "soon",
    )


# -- convert -----------------------------------------------------------------------------------
def test_convert(capsys) -> None:
    data = run_json(
        capsys, "convert", "--shares", "1000", "--from-nav", "10.00", "--to-nav", "10.05"
    )
    assert data["shares"] == "995.025"
    assert data["residual"] == "0.00125"
    assert data["fee"] == "0.00"
    assert "995.025 shares" in run_text(
        capsys, "convert", "--shares", "1000", "--from-nav", "10.00", "--to-nav", "10.05"
    )


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--shares", "x", "--from-nav", "1", "--to-nav", "1"], "is not a number"),
        (
            ["--shares", "1", "--from-nav", "0", "--to-nav", "1"],
            "--from-nav: '0' must be greater than zero",
        ),
        (["--shares", "-1", "--from-nav", "1", "--to-nav", "1"], "greater than zero"),
        (["--shares", "1", "--from-nav", "1"], "--to-nav"),
    ],
)
def test_convert_errors(capsys, argv: list[str], fragment: str) -> None:
    assert fragment in fails(capsys, "convert", *argv)


# -- costs -------------------------------------------------------------------------------------
def test_costs_from_a_ratio(capsys) -> None:
    data = run_json(capsys, "costs", "--expense-ratio", "0.93", "--years", "1,3")
    assert data["costs"] == {"1": "95", "3": "296"}


def test_costs_from_the_catalog(capsys) -> None:
    data = run_json(
        capsys,
        "costs",
        "--portfolio",
        "Aggressive Growth",
        "--share-class",
        "Service",
        "--years",
        "1,3",
    )
    assert data["costs"] == {"1": "95", "3": "296"}
    assert data["source"]["printed"] == "0.03%"
    assert data["source"]["printed_example"] == {"1": 95, "3": 296}
    assert "T1" in data["source"]["note_ids"]
    # Growth net 0.92%: 93.88 + 97.71 + 101.69 = 293.28 -> $293 (year 1: $94)
    net = run_json(
        capsys,
        "costs",
        "--portfolio",
        "Growth",
        "--share-class",
        "Service",
        "--net",
        "--years",
        "1,3",
    )
    assert net["costs"] == {"1": "94", "3": "293"}
    assert "$296" in run_text(capsys, "costs", "--expense-ratio", "0.93", "--years", "3")


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        ([], "give --expense-ratio, or --portfolio and --share-class"),
        (["--expense-ratio", "0.93", "--years", "1,x"], "--years must be whole numbers"),
        (["--expense-ratio", "0.93", "--years", "0"], "years must be whole numbers from 1"),
        (["--expense-ratio", "150"], "expense ratio"),
        (["--expense-ratio", "abc"], "--expense-ratio: 'abc' is not a number"),
        (["--expense-ratio", "1", "--amount", "-5"], "--amount: '-5' must be greater than zero"),
        (["--portfolio", "Growth", "--share-class", "Institutional"], "no fee table"),
        (["--portfolio", "Growth", "--share-class", "Service", "--as-of", "x"], "--as-of"),
    ],
)
def test_costs_errors(capsys, argv: list[str], fragment: str) -> None:
    assert fragment in fails(capsys, "costs", *argv)


def test_fee_remaining_lots_of_a_many_block_file(capsys, tmp_path: Path, monkeypatch) -> None:
    import janus_gui.cli.fees as calc
    import janus_gui.core.lot_file as module

    monkeypatch.setattr(module, "BLOCK_CHARS", 100)
    rows = [(f"2012-01-{day:02d}", f"{day}.5", f"id{day:02d}") for day in range(1, 29)]
    lots = tmp_path / "lots.csv"
    lots.write_text(
        "purchase_date,shares,lot_id\n" + "".join(f"{d},{s},{i}\n" for d, s, i in rows),
        encoding="utf-8",
    )
    argv = [
        "fee",
        "--lots",
        str(lots),
        *OVERSEAS_SII,
        "--redeem-date",
        "2012-04-27",
        "--nav",
        "10",
        "--shares",
        "3",
    ]
    data = run_json(capsys, *argv)
    # 1.5 from id01, then 1.5 of id02's 2.5: 1.000 remains in id02
    assert data["remaining_lots"][0] == {
        "lot_id": "id02",
        "purchase_date": "2012-01-02",
        "shares": "1.000",
        "seq": 2,
    }
    assert data["remaining_lots"][1:] == [
        {"lot_id": i, "purchase_date": d, "shares": f"{s}00", "seq": n}
        for n, (d, s, i) in enumerate(rows[2:], start=3)
    ]
    monkeypatch.setattr(calc, "AUTO_FULL_LIMIT", 5)
    data = run_json(capsys, *argv)
    assert data["remaining_lots"] is None
    assert data["remaining_lot_count"] == 27
    assert any("--remaining full" in note for note in data["notes"])
    assert len(run_json(capsys, *argv, "--remaining", "full")["remaining_lots"]) == 27


def test_fee_remaining_lots_escape_ids_and_pad_shares(capsys, tmp_path: Path) -> None:
    lots = tmp_path / "lots.csv"
    lots.write_text(
        'purchase_date,shares,lot_id\n2012-01-01,1,first\n2012-01-02,2.5,"say ""hi"" \\\\"\n',
        encoding="utf-8",
    )
    data = run_json(
        capsys,
        "fee",
        "--lots",
        str(lots),
        *OVERSEAS_SII,
        "--redeem-date",
        "2012-04-27",
        "--nav",
        "10",
        "--shares",
        "0.5",
    )
    assert data["remaining_lots"] == [
        {"lot_id": "first", "purchase_date": "2012-01-01", "shares": "0.500", "seq": 1},
        {"lot_id": 'say "hi" \\\\', "purchase_date": "2012-01-02", "shares": "2.500", "seq": 2},
    ]


def test_streamed_walk_is_the_json_of_each_step(capsys, tmp_path: Path) -> None:
    """The column-wise writer gives the same text as json.dumps per step, ids escaped."""
    import datetime as dt

    from janus_gui.cli.lot_json import lot_step_chunks
    from janus_gui.core.lots import Lot, LotSchedule
    from janus_gui.core.redemption import RedemptionRequest, redeem
    from tests.core.test_redemption import SII

    ids = ["plain", 'say "hi"', "back\\slash", "tab\there", "é", "", "\x7f", "z"]
    # a lot a week from 2012-02-01 (79 days before 2012-04-20); the seventh is marked exempt
    held = [
        Lot(dt.date(2012, 2, 1) + dt.timedelta(days=7 * i), Decimal("1.5"), ids[i], i + 1, i == 6)
        for i in range(len(ids))
    ]
    result = redeem(
        LotSchedule.from_lots(held),
        RedemptionRequest.of_shares(dt.date(2012, 4, 20), D("10.00"), D("10.25")),
        SII,
    )
    fast = "".join(lot_step_chunks(result.lots, size=3))
    slow = "".join(lot_step_chunks(list(result.lots), size=3))
    assert fast == slow
    items = json.loads("[" + fast + "]")
    assert [item["lot_id"] for item in items] == [lot.lot_id for lot in result.lots]
    # 10.25 shares: six whole lots of 1.5 and 1.25 of the seventh, 0.25 of it left
    assert len(items) == 7
    assert (items[-1]["shares_redeemed"], items[-1]["shares_remaining"]) == ("1.250", "0.250")
    assert items[-1]["line"] is None and items[-1]["exempt"] is True
    assert (items[-1]["days_held"], items[-1]["subject_to_fee"], items[-1]["fee"]) == (
        37,
        False,
        "0.00",
    )
    # 79, 72 and 65 days: free; 58 days (2012-02-22): 0.01 x 10 x 1.5 = 0.15
    assert [(i["days_held"], i["fee"]) for i in items[:4]] == [
        (79, "0.00"),
        (72, "0.00"),
        (65, "0.00"),
        (58, "0.15"),
    ]
    assert items[3]["fee_free_from"] == "2012-04-23"  # 2012-02-22 + 61 days
