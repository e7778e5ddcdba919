"""LotSchedule totals: summed in slices that let other threads run, with the same result."""

from __future__ import annotations

import datetime as dt
import io
import threading
import time
from collections.abc import Callable
from decimal import Decimal

import pytest

from janus_gui.core import lots as lots_module
from janus_gui.core.lot_file import read_lot_file
from janus_gui.core.lots import Lot, LotSchedule

D = Decimal


def uniform(count: int, shares: str) -> LotSchedule:
    """``count`` lots of ``shares`` each, all bought on one day."""
    return LotSchedule(["2012-01-02"] * count, [shares] * count, [""] * count, range(1, count + 1))


def test_total_over_several_slices() -> None:
    # 10,001 x 1.001 = 10,011.001 (10,001 + 10.001)
    assert uniform(10_001, "1.001").total_shares() == D("10011.001")


def test_total_of_a_partly_redeemed_view() -> None:
    # 5,000 whole lots gone, 0.500 left in the next; 5,000 untouched lots x 1.001 = 5,005
    view = uniform(10_001, "1.001").remaining_after(5_000, D("0.500"))
    assert view.total_shares() == D("5005.500")
    assert str(view.total_shares()) == "5005.500"


def test_total_of_empty_and_single_lot_schedules() -> None:
    assert str(uniform(0, "1").total_shares()) == "0.000"
    assert str(uniform(1, "2.5").total_shares()) == "2.500"
    assert uniform(3, "1").remaining_after(3, None).total_shares() == D("0.000")


def test_total_of_decimal_lots() -> None:
    lots = [
        Lot(dt.date(2012, 1, day), D(shares), "", day)
        for day, shares in ((3, "0.125"), (1, "10"), (2, "0.875"))
    ]
    assert LotSchedule.from_lots(lots).total_shares() == D("11.000")


def test_total_of_a_lazily_read_file_spanning_slices() -> None:
    rows = "".join(f"2012-01-02,2.5,id{i:05d}\n" for i in range(9_000))
    schedule = read_lot_file(io.StringIO("purchase_date,shares,lot_id\n" + rows)).schedule
    assert schedule.total_shares() == D("22500.000")  # 9,000 x 2.5


@pytest.mark.parametrize(
    ("count", "size", "slices"),
    [(10_001, 4_096, 3), (10_001, 1_000, 11), (2, 1_000, 1), (1, 1_000, 1)],
)
def test_the_shares_are_summed_a_slice_at_a_time(
    monkeypatch: pytest.MonkeyPatch, count: int, size: int, slices: int
) -> None:
    """Sums run ``size`` lots at a time, so no single C call spans the whole column."""
    monkeypatch.setattr(lots_module, "SUM_SLICE", size)
    schedule = uniform(count, "1")
    assert schedule.total_shares() == D(count)
    parts = list(schedule.held_slices())
    assert len(parts) == slices
    assert max(map(len, parts)) <= size
    assert sum(map(len, parts)) == count
    assert schedule.held_sum() == D(count)


def worst_gap(work: Callable[[], object]) -> float:
    """Longest time this thread waited for the lock while ``work`` ran on another thread."""
    done = threading.Event()
    thread = threading.Thread(target=lambda: (work(), done.set()))
    worst, last = 0.0, time.perf_counter()
    thread.start()
    while not done.is_set():
        now = time.perf_counter()
        worst, last = max(worst, now - last), now
    thread.join()
    return worst


def test_a_worker_summing_200k_lots_does_not_hold_the_lock_for_the_whole_sum() -> None:
    schedule = uniform(200_000, "3.125")
    shares = ["3.125"] * 200_000
    one_call = min(worst_gap(lambda: sum(map(D, shares), D(0))) for _ in range(3))
    sliced = min(worst_gap(schedule.total_shares) for _ in range(3))
    # best of three of each; the one-call sum keeps the lock for its whole run
    assert sliced * 2 < one_call, (sliced, one_call)
