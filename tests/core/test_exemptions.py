"""Exemptions with a recorded reason: parsing, the FIFO walk, lot files and batch columns.

Golden values are the DOMAIN.md cases (rate 1%, NAV 10.00, 60-day window) worked by hand.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal as D  # noqa: N817

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from janus_gui.core.batch import run_batch_text
from janus_gui.core.exemptions import (
    LABEL,
    NOT_RECORDED,
    Exemption,
    ExemptionReason,
    parse_exemption,
    result_exemptions,
)
from janus_gui.core.lot_file import read_lot_file
from janus_gui.core.lots import Lot, LotSchedule
from janus_gui.core.lots_csv import LotFileError
from janus_gui.core.redemption import RedemptionRequest, redeem
from tests.core.test_batch import catalog
from tests.core.test_redemption import SII

NAV = D("10.00")
DEATH = Exemption(
    ExemptionReason.DEATH_OR_DISABILITY, recorded_by="ana", recorded_on=dt.date(2023, 3, 1)
)


def test_the_label_cites_the_plans_fee_paragraph() -> None:
    # 002:96-103 states the fee and lot order and names no exemption.
    assert LABEL == "recorded by the user — the 2012 plan names no exemptions (002:96-103)"


@pytest.mark.parametrize(
    ("text", "reason", "note"),
    [
        ("dividend_reinvestment", ExemptionReason.DIVIDEND_REINVESTMENT, ""),
        ("Systematic withdrawal", ExemptionReason.SYSTEMATIC_WITHDRAWAL, ""),
        (" death or disability ", ExemptionReason.DEATH_OR_DISABILITY, ""),
        ("plan-level transaction", ExemptionReason.PLAN_LEVEL_TRANSACTION, ""),
        ("other:  court   order ", ExemptionReason.OTHER, "court order"),
    ],
)
def test_reasons_are_read_by_code_or_words(text, reason, note) -> None:
    found = parse_exemption(text, "ana", dt.date(2023, 1, 2))
    assert found is not None and (found.reason, found.note) == (reason, note)
    assert found.recorded() == "recorded by ana on 2023-01-02"
    assert parse_exemption(found.cell()) == Exemption(reason, note)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("other", "needs a note"),
        ("hardship", "not an exemption reason"),
        ("death_or_disability:", "empty note"),
        ("other: " + "x" * 201, "longer than"),
    ],
)
def test_bad_reasons_are_refused(text, message) -> None:
    with pytest.raises(ValueError, match=message):
        parse_exemption(text)


def test_blank_is_no_exemption() -> None:
    assert parse_exemption("  ") is None


def _g1(first_exempt: object) -> tuple:
    # G1: 2023-01-01: 100; 2023-02-15: 50; redeem 120 on 2023-03-02.
    schedule = LotSchedule.from_lots(
        [
            Lot(dt.date(2023, 1, 1), D("100.000"), "a", 1, first_exempt),
            Lot(dt.date(2023, 2, 15), D("50.000"), "b", 2),
        ]
    )
    request = RedemptionRequest.of_shares(dt.date(2023, 3, 2), NAV, D("120"))
    return schedule, redeem(schedule, request, SII)


def test_an_exempt_lot_with_a_reason_leaves_the_fee_of_later_lots_unchanged() -> None:
    _, plain = _g1(False)
    schedule, exempt = _g1(DEATH)
    # Still consumed first (FIFO): lot a gives its 100 shares, lot b the other 20.
    assert [s.shares_redeemed for s in exempt.lots] == [D("100.000"), D("20.000")]
    assert [s.lot_id for s in exempt.lots] == ["a", "b"]
    # Lot a (day 60) would owe $10.00; it is waived. Lot b (day 15) still owes $2.00.
    assert plain.total_fee == D("12.00")
    assert exempt.total_fee == D("2.00")
    assert exempt.lots[1].fee == plain.lots[1].fee == D("2.00")
    assert exempt.shares_exempt == D("100.000")
    found = result_exemptions(schedule, exempt.lots)
    assert found.total == D("100.000")
    assert found.cell() == "death_or_disability=100.000"
    assert LABEL in found.text() and LABEL in " ".join(exempt.notes)


def test_an_exempt_lot_outside_the_window_counts_as_nothing_exempt() -> None:
    # G2's redemption a day later: lot a is at day 61, free anyway.
    schedule = LotSchedule.from_lots([Lot(dt.date(2023, 1, 1), D("100"), "a", 1, DEATH)])
    result = redeem(schedule, RedemptionRequest.of_shares(dt.date(2023, 3, 3), NAV, D("100")), SII)
    assert result.shares_exempt == 0 and result.total_fee == D("0.00")
    assert result_exemptions(schedule, result.lots).by_reason == ()


_lots = st.lists(
    st.tuples(
        st.integers(0, 90),
        st.integers(1, 50_000),
        st.sampled_from([False, True, DEATH, Exemption(ExemptionReason.OTHER, "x")]),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=150, deadline=None)
@given(_lots, st.integers(1, 100))
def test_exemptions_never_change_the_walk_and_never_raise_the_fee(lots, percent) -> None:
    start = dt.date(2023, 1, 1)
    with_flags = [
        Lot(start + dt.timedelta(days=d), D(n) / 1000, f"L{i}", i + 1, flag)
        for i, (d, n, flag) in enumerate(lots)
    ]
    without = [Lot(x.purchase_date, x.shares, x.lot_id, x.seq) for x in with_flags]
    total = sum((x.shares for x in without), D(0))
    target = max(D("0.001"), (total * percent / 100).quantize(D("0.001")))
    request = RedemptionRequest.of_shares(start + dt.timedelta(days=95), NAV, target)
    schedule = LotSchedule.from_lots(with_flags)
    exempt = redeem(schedule, request, SII)
    plain = redeem(LotSchedule.from_lots(without), request, SII)
    assert [(s.lot_id, s.shares_redeemed) for s in exempt.lots] == [
        (s.lot_id, s.shares_redeemed) for s in plain.lots
    ]
    assert exempt.total_fee <= plain.total_fee
    assert exempt.shares_subject_to_fee + exempt.shares_exempt == plain.shares_subject_to_fee
    assert result_exemptions(schedule, exempt.lots).total == exempt.shares_exempt


# -- lot files ---------------------------------------------------------------------------------
LOT_HEADER = (
    "purchase_date,shares,lot_id,exempt,exempt_reason,exempt_recorded_by,exempt_recorded_on\n"
)


def test_a_lot_file_carries_the_reason_and_who_recorded_it() -> None:
    lot_file = read_lot_file(
        io.StringIO(
            LOT_HEADER
            + "2023-01-01,100,a,yes,death_or_disability,ana,2023-03-01\n"
            + "2023-02-15,50,b,,,,\n"
            + "2023-02-16,5,c,yes,,,\n"
        )
    )
    lots = list(lot_file.schedule)
    assert lots[0].exempt == DEATH
    assert lots[1].exempt is False
    assert lots[2].exempt is True and NOT_RECORDED.text() == "reason not recorded"


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("2023-01-01,100,a,no,death_or_disability,,", "exempt"),
        ("2023-01-01,100,a,,bereavement,,", "exempt_reason"),
        ("2023-01-01,100,a,,other,,", "exempt_reason"),
        ("2023-01-01,100,a,,,ana,", "exempt_reason"),
        ("2023-01-01,100,a,,death_or_disability,ana,2023-02-30", "exempt_recorded_on"),
    ],
)
def test_bad_exemption_cells_are_row_errors(row, column) -> None:
    with pytest.raises(LotFileError) as caught:
        read_lot_file(io.StringIO(LOT_HEADER + row + "\n"))
    assert [e.column for e in caught.value.errors] == [column]


# -- batch ---------------------------------------------------------------------------------------
BATCH_HEADER = (
    "account_id,portfolio,share_class,redeem_date,nav,redeem_shares,purchase_date,"
    "shares,lot_id,exempt,exempt_reason\n"
)


def _batch(text: str) -> list[dict[str, str]]:
    out, _ = run_batch_text(BATCH_HEADER + text, catalog)
    return list(csv.DictReader(io.StringIO(out)))


def test_batch_reports_exempt_shares_and_reasons() -> None:
    rows = _batch(
        "A1,Overseas,Service II,2023-03-02,10.00,120,2023-01-01,100,a,,plan-level transaction\n"
        "A1,,,,,,2023-02-15,50,b,,\n"
        "B2,Overseas,Service II,2023-03-02,10.00,120,2023-01-01,100,a,yes,\n"
        "B2,,,,,,2023-02-15,50,b,,\n"
        "C3,Overseas,Service II,2023-03-02,10.00,120,2023-01-01,100,a,,\n"
        "C3,,,,,,2023-02-15,50,b,,\n"
        "D4,Overseas,Service II,2023-03-02,10.00,120,2023-01-01,100,a,,hardship\n"
    )
    a1, b2, c3, d4 = rows
    assert (a1["fee"], a1["exempt_shares"], a1["exempt_reasons"]) == (
        "2.00",
        "100.000",
        "plan_level_transaction=100.000",
    )
    assert (b2["fee"], b2["exempt_shares"], b2["exempt_reasons"]) == (
        "2.00",
        "100.000",
        "not_recorded=100.000",
    )
    assert (c3["fee"], c3["exempt_shares"], c3["exempt_reasons"]) == ("12.00", "0.000", "")
    assert d4["status"] == "error" and "exempt_reason" in d4["error"]
