"""Relative-NAV conversion: 3-dp half-up shares, value residual, lots carried with their dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from janus_gui.core.conversion import convert_lots, convert_shares
from janus_gui.core.errors import InputError
from janus_gui.core.lots import Lot

D = Decimal


def test_domain_example() -> None:
    # 1,000.000 x 10.00 / 10.05 = 995.0248756... -> 995.025
    result = convert_shares(D("1000"), D("10.00"), D("10.05"))
    assert result.shares_out == D("995.025")
    assert result.value_in == D("10000.00")
    assert result.value_out == D("10000.00")  # 995.025 x 10.05 = 10000.00125
    assert result.residual == D("0.00125")
    assert result.fee == D("0.00")


def test_half_up_at_the_third_decimal() -> None:
    # 1 x 1.0005 / 1 = 1.0005 -> 1.001 (half-even would give 1.000)
    assert convert_shares(D("1"), D("1.0005"), D("1")).shares_out == D("1.001")


@pytest.mark.parametrize(
    ("shares", "nav_from", "nav_to"), [("0", "1", "1"), ("1", "0", "1"), ("1", "1", "-2")]
)
def test_invalid_inputs(shares: str, nav_from: str, nav_to: str) -> None:
    with pytest.raises(InputError):
        convert_shares(D(shares), D(nav_from), D(nav_to))


def test_lots_keep_dates_and_seq_and_are_tagged() -> None:
    on = dt.date(2012, 4, 27)
    lots = [
        Lot(dt.date(2012, 3, 1), D("0.001"), "a", 1),
        Lot(dt.date(2012, 3, 1), D("0.001"), "b", 2),
        Lot(dt.date(2012, 4, 1), D("10"), "c", 3),
    ]
    result = convert_lots(lots, D("10.00"), D("20.00"), from_class="Service II", on=on)
    # 0.001 x 0.5 = 0.0005 -> 0.001 each; 10 x 0.5 = 5.000
    assert [(lot.lot_id, lot.seq, lot.purchase_date.day, lot.shares) for lot in result.lots] == [
        ("a", 1, 1, D("0.001")),
        ("b", 2, 1, D("0.001")),
        ("c", 3, 1, D("5.000")),
    ]
    assert all(lot.converted_from == "Service II" and lot.converted_on == on for lot in result.lots)
    assert result.shares_out == D("5.002")
    assert result.shares_out_as_one == D("5.001")  # 10.002 x 0.5
    assert any("5.002" in note and "5.001" in note for note in result.notes)
