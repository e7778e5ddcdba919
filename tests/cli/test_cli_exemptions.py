"""`janus-gui fee` with exempt lots that carry a recorded reason (G1 of DOMAIN.md, 002:96-103)."""

from __future__ import annotations

import json

from janus_gui.core.exemptions import LABEL
from tests.helpers.cli import run

OVERSEAS_SII = ("--portfolio", "Overseas", "--share-class", "Service II")
LOTS = (
    "purchase_date,shares,lot_id,exempt_reason,exempt_recorded_by,exempt_recorded_on\n"
    "2012-03-01,100,A,systematic withdrawal,ana,2012-04-19\n"
    "2012-04-01,50,B,,,\n"
)


def _fee(capsys, tmp_path, *extra: str) -> tuple[int, str, str]:
    lots = tmp_path / "lots.csv"
    lots.write_text(LOTS, encoding="utf-8")
    return run(
        capsys, "fee", "--lots", str(lots), *OVERSEAS_SII, "--redeem-date", "2012-04-20",
        "--shares", "120", "--nav", "10.00", *extra,
    )  # fmt: skip


def test_fee_json_carries_the_reason_and_the_label(capsys, tmp_path) -> None:
    code, out, _ = _fee(capsys, tmp_path, "--json")
    assert code == 0
    payload = json.loads(out)
    # Lot A (day 50) is exempt, still taken first; lot B gives 20 shares at 1% x $10 = $2.00.
    assert payload["total_fee"] == "2.00" and payload["shares_exempt"] == "100.000"
    assert [lot["lot_id"] for lot in payload["lots"]] == ["A", "B"]
    assert payload["exemptions"] == {
        "shares": "100.000",
        "label": LABEL,
        "by_reason": [
            {
                "reason": "systematic_withdrawal",
                "note": None,
                "recorded_by": "ana",
                "recorded_on": "2012-04-19",
                "shares": "100.000",
            }
        ],
    }


def test_fee_text_names_the_reason(capsys, tmp_path) -> None:
    code, out, _ = _fee(capsys, tmp_path)
    assert code == 0
    assert f"Exempt: 100.000 shares (systematic withdrawal); {LABEL}." in out


def test_an_unknown_reason_is_refused_with_its_line(capsys, tmp_path) -> None:
    lots = tmp_path / "bad.csv"
    lots.write_text(LOTS.replace("systematic withdrawal", "bereavement"), encoding="utf-8")
    code, out, err = run(
        capsys, "fee", "--lots", str(lots), "--portfolio", "P4", "--share-class", "Service II",
        "--redeem-date", "2012-04-20", "--shares", "1", "--nav", "10",
    )  # fmt: skip
    assert code == 2 and out == ""
    assert "line 2" in err and "exempt_reason" in err and "bereavement" in err


def test_a_ledger_purchase_may_carry_a_reason(capsys, tmp_path) -> None:
    # G1 moved into the 2012 plan's time: the first purchase (day 60 on 2012-04-20) is exempt
    # for death or disability; the 20 shares of the second (day 15) owe 1% x $10 = $2.00.
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(
        "type,date,shares,nav,lot_id,exempt_reason\n"
        "purchase,2012-02-20,100,,a,death_or_disability\n"
        "purchase,2012-04-05,50,,b,\n"
        "redemption,2012-04-20,120,10.00,,\n",
        encoding="utf-8",
    )
    code, out, _ = run(
        capsys, "fee", "--ledger", str(ledger), "--portfolio", "P4", "--share-class",
        "Service II", "--json",
    )  # fmt: skip
    assert code == 0
    payload = json.loads(out)
    (redemption,) = payload["redemptions"]
    assert redemption["shares_exempt"] == "100.000"
    assert redemption["total_fee"] == "2.00"


LEDGER = (
    "type,date,shares,nav,lot_id,exempt,exempt_reason,exempt_recorded_by,exempt_recorded_on\n"
    "purchase,2012-03-01,100,,A,yes,systematic withdrawal,ana,2012-04-19\n"
    "purchase,2012-04-01,50,,B,,,,\n"
    "redemption,2012-04-20,120,10.00,,,,,\n"
    "redemption,2012-04-25,10,10.00,,,,,\n"
)


def _ledger(capsys, tmp_path, *extra: str) -> tuple[int, str]:
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    code, out, _ = run(capsys, "fee", "--ledger", str(ledger), *OVERSEAS_SII, *extra)
    return code, out


def test_each_ledger_redemption_carries_its_exemption_reasons(capsys, tmp_path) -> None:
    code, out = _ledger(capsys, tmp_path, "--json")
    assert code == 0
    first, second = json.loads(out)["redemptions"]
    # Line 4 takes lot A (exempt, day 50) whole and 20 of lot B: $2.00 on B only.
    assert (first["line"], first["total_fee"], first["shares_exempt"]) == (4, "2.00", "100.000")
    assert first["exemptions"]["by_reason"] == [
        {
            "reason": "systematic_withdrawal",
            "note": None,
            "recorded_by": "ana",
            "recorded_on": "2012-04-19",
            "shares": "100.000",
        }
    ]
    # Line 5 takes 10 more of lot B, which is not exempt: no exemption to report.
    assert (second["line"], second["total_fee"], second["exemptions"]) == (5, "1.00", None)


def test_ledger_text_names_the_reason_under_its_redemption(capsys, tmp_path) -> None:
    code, out = _ledger(capsys, tmp_path)
    assert code == 0
    first, second = out.split("-- Ledger line 5 --")
    assert f"Exempt: 100.000 shares (systematic withdrawal); {LABEL}." in first
    assert "Exempt:" not in second
