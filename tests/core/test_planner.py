"""Fee-free planner: the leading run of lots past the window, and when more become free."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from janus_gui.core.errors import LotScheduleError
from janus_gui.core.lots import Lot, LotSchedule
from janus_gui.core.planner import plan_fee_free
from tests.core.test_redemption import NO_FEE, SII

D = Decimal


def schedule(*lots: tuple[str, str, bool]) -> LotSchedule:
    return LotSchedule.from_lots(
        Lot(dt.date.fromisoformat(d), D(s), f"L{i}", i, exempt=e)
        for i, (d, s, e) in enumerate(lots, start=1)
    )


HELD = schedule(
    ("2023-01-01", "100", False),  # free from 2023-03-03 (day 61)
    ("2023-02-10", "40", False),  # free from 2023-04-12
    ("2023-01-05", "7", False),  # older than lot 2, so second in FIFO order
)


def test_leading_run_and_next_date() -> None:
    plan = plan_fee_free(HELD, dt.date(2023, 3, 10), SII)
    # 2023-01-01 (68 days) and 2023-01-05 (64 days) are past 60 days; 2023-02-10 is 28 days.
    assert plan.shares_held == D("147.000")
    assert plan.fee_free_shares == D("107.000")
    assert plan.fee_free_lots == 2
    assert plan.next_date == dt.date(2023, 4, 12)  # 2023-02-10 + 61 days
    assert plan.fee_free_shares_on_next_date == D("147.000")


def test_day_60_is_not_yet_free() -> None:
    plan = plan_fee_free(HELD, dt.date(2023, 3, 2), SII)  # lot 1 is on day 60
    assert plan.fee_free_shares == D("0.000")
    assert plan.next_date == dt.date(2023, 3, 3)
    assert plan.fee_free_shares_on_next_date == D("100.000")


def test_every_lot_past_the_window_leaves_no_next_date() -> None:
    plan = plan_fee_free(HELD, dt.date(2023, 4, 12), SII)
    assert plan.fee_free_shares == D("147.000")
    assert plan.next_date is None


def test_exempt_lot_extends_the_run() -> None:
    held = schedule(
        ("2023-01-01", "10", False), ("2023-03-01", "5", True), ("2023-03-02", "1", False)
    )
    plan = plan_fee_free(held, dt.date(2023, 3, 5), SII)
    assert plan.fee_free_shares == D("15.000")
    assert plan.next_date == dt.date(2023, 5, 2)  # 2023-03-02 + 61 days


def test_no_fee_rule_means_everything_is_free() -> None:
    plan = plan_fee_free(HELD, dt.date(2023, 2, 10), NO_FEE)
    assert plan.fee_free_shares == D("147.000")
    assert plan.next_date is None
    assert "Institutional shares carry no redemption fee" in plan.notes[0]


def test_lot_after_the_date_is_an_error() -> None:
    with pytest.raises(LotScheduleError, match="after the redemption date"):
        plan_fee_free(HELD, dt.date(2023, 2, 1), SII)
