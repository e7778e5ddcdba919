"""FIFO redemption fee: golden cases G1-G9 (DOMAIN.md §3), boundaries, errors and invariants.

Every expected value below is worked out by hand from the rule text: 1.00% on shares held 60
days or less, FIFO, fee = rate x NAV x shares subject, rounded once half-up to cents.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from janus_gui.core.errors import LotScheduleError
from janus_gui.core.ledger import LedgerEntry, LedgerType, run_ledger
from janus_gui.core.lots import Lot, LotSchedule
from janus_gui.core.models import Citation, Evidence, FeeRule
from janus_gui.core.redemption import (
    FEE_LABEL,
    RedemptionRequest,
    redeem,
    redeem_lots,
)

D = Decimal
CITE = Citation("002_9a3a92caa630b855.txt", 96, 103, "a 1.00% redemption fee may")
SII = FeeRule(
    applies=True,
    rate=D("0.01"),
    holding_period_days=60,
    lot_order="FIFO",
    base="redemption value",
    recipient="Portfolio",
    reason="1.00% if held 60 days or less",
    rule_id="R-SII-FEE",
    citation=CITE,
    evidence=Evidence.DOCUMENTED,
)
NO_FEE = FeeRule(
    applies=False,
    rate=D("0"),
    holding_period_days=None,
    lot_order="FIFO",
    base="redemption value",
    recipient="",
    reason="Institutional shares carry no redemption fee",
    rule_id=None,
    citation=None,
    evidence=Evidence.DOCUMENTED,
)
NAV = D("10.00")


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def lots(*pairs: tuple[str, str]) -> list[Lot]:
    return [Lot(day(d), D(s), f"L{i}", i) for i, (d, s) in enumerate(pairs, start=1)]


def shares(date: str, count: str, nav: Decimal = NAV) -> RedemptionRequest:
    return RedemptionRequest.of_shares(day(date), nav, D(count))


G_LOTS_1 = lots(("2023-01-01", "100"), ("2023-02-15", "50"))


@pytest.mark.parametrize(
    ("name", "schedule", "request_", "fee", "subject", "days"),
    [
        ("G1", G_LOTS_1, shares("2023-03-02", "120"), "12.00", "120.000", [60, 15]),
        ("G2", G_LOTS_1, shares("2023-03-03", "120"), "2.00", "20.000", [61, 16]),
        ("G3", lots(("2024-01-01", "100")), shares("2024-03-01", "100"), "10.00", "100.000", [60]),
        ("G4", lots(("2024-01-01", "100")), shares("2024-03-02", "100"), "0.00", "0.000", [61]),
        ("G5", lots(("2023-05-10", "100")), shares("2023-05-10", "100"), "10.00", "100.000", [0]),
        (
            "G6",
            lots(("2023-01-01", "100"), ("2023-02-10", "100")),
            shares("2023-03-12", "150"),
            "5.00",
            "50.000",
            [70, 30],
        ),
        (
            "G7",
            lots(("2023-01-01", "100.000")),
            shares("2023-01-31", "33.333"),
            "3.33",
            "33.333",
            [30],
        ),
        (
            "G8",
            lots(("2023-01-01", "10.250"), ("2023-01-01", "10.250")),
            shares("2023-01-20", "20.500"),
            "2.05",
            "20.500",
            [19, 19],
        ),
        (
            "G9",
            lots(("2023-01-01", "10.250")),
            shares("2023-01-20", "10.250"),
            "1.03",
            "10.250",
            [19],
        ),
    ],
)
def test_golden_cases(name, schedule, request_, fee, subject, days) -> None:
    result = redeem_lots(schedule, request_, SII)
    assert result.total_fee == D(fee), name
    assert result.shares_subject_to_fee == D(subject), name
    assert [step.days_held for step in result.lots] == days, name
    assert result.label == FEE_LABEL


def test_g1_walk_and_totals() -> None:
    result = redeem_lots(G_LOTS_1, shares("2023-03-02", "120"), SII)
    first, second = result.lots
    assert (first.lot_id, first.shares_redeemed, first.subject_to_fee) == ("L1", D("100"), True)
    assert (second.lot_id, second.shares_redeemed, second.shares_remaining) == (
        "L2",
        D("20"),
        D("30"),
    )
    assert first.fee == D("10.00") and second.fee == D("2.00")
    assert first.fee_free_from == day("2023-03-03")  # 2023-01-01 + 61 days
    assert result.redemption_value == D("1200.00")
    assert result.net_proceeds == D("1188.00")
    assert [(lot.lot_id, lot.shares) for lot in result.remaining] == [("L2", D("30.000"))]


def test_g7_remainder_by_subtraction() -> None:
    result = redeem_lots(lots(("2023-01-01", "100.000")), shares("2023-01-31", "33.333"), SII)
    assert result.fee_unrounded == D("3.33330000")
    assert [lot.shares for lot in result.remaining] == [D("66.667")]


def test_g8_rounds_once_and_notes_the_per_lot_difference() -> None:
    schedule = lots(("2023-01-01", "10.250"), ("2023-01-01", "10.250"))
    result = redeem_lots(schedule, shares("2023-01-20", "20.500"), SII)
    assert [step.fee for step in result.lots] == [D("1.03"), D("1.03")]
    assert result.total_fee == D("2.05")
    assert any("2.06" in note and "rounded" in note for note in result.notes)


def test_g9_half_up_not_half_even() -> None:
    result = redeem_lots(lots(("2023-01-01", "10.250")), shares("2023-01-20", "10.250"), SII)
    assert result.fee_unrounded == D("1.025")
    assert result.total_fee == D("1.03")


@pytest.mark.parametrize(("redeem_on", "fee"), [("2023-03-01", "10.00"), ("2023-03-02", "0.00")])
def test_60_days_subject_61_days_free(redeem_on: str, fee: str) -> None:
    # 2022-12-31 + 60 days = 2023-03-01.
    result = redeem_lots(lots(("2022-12-31", "100")), shares(redeem_on, "100"), SII)
    assert result.total_fee == D(fee)


def test_leap_day_lot() -> None:
    # Bought on 2024-02-29: 2024-04-29 is day 60, 2024-04-30 day 61.
    held = lots(("2024-02-29", "10"))
    assert redeem_lots(held, shares("2024-04-29", "10"), SII).lots[0].days_held == 60
    assert redeem_lots(held, shares("2024-04-30", "10"), SII).total_fee == D("0.00")
    assert redeem_lots(held, shares("2024-04-30", "10"), SII).lots[0].fee_free_from == day(
        "2024-04-30"
    )


def test_same_day_ties_follow_file_order_not_size() -> None:
    held = [
        Lot(day("2023-01-01"), D("5"), "second", 2),
        Lot(day("2023-01-01"), D("50"), "first", 1),
    ]
    result = redeem_lots(held, shares("2023-01-02", "10"), SII)
    assert [(s.lot_id, s.shares_redeemed) for s in result.lots] == [("first", D("10"))]


def test_partial_lot_across_three_lots() -> None:
    held = lots(("2023-01-01", "1.5"), ("2023-01-02", "2.25"), ("2023-01-03", "3"))
    result = redeem_lots(held, shares("2023-04-01", "4"), SII)
    assert [s.shares_redeemed for s in result.lots] == [D("1.5"), D("2.25"), D("0.25")]
    assert [lot.shares for lot in result.remaining] == [D("2.750")]
    assert result.total_fee == D("0.00")  # all older than 60 days on 2023-04-01


def test_dollar_amount_redemption() -> None:
    # $100.00 at NAV 12.34 = 8.1037... shares -> 8.104; value 8.104 x 12.34 = 100.00336 -> $100.00.
    request = RedemptionRequest.of_amount(day("2023-01-10"), D("12.34"), D("100.00"))
    result = redeem_lots(lots(("2023-01-01", "50")), request, SII)
    assert result.shares_redeemed == D("8.104")
    assert result.redemption_value == D("100.00")
    assert result.total_fee == D("1.00")  # 0.01 x 12.34 x 8.104 = 1.0000336
    assert result.net_proceeds == D("99.00")


def test_amount_with_value_differing_by_a_cent_is_noted() -> None:
    # $10.00 at NAV 3.00 = 3.333 shares, worth $9.999 -> $10.00; at NAV 7.00: 1.429 sh = $10.003.
    request = RedemptionRequest.of_amount(day("2023-01-10"), D("6.00"), D("10.00"))
    result = redeem_lots(lots(("2023-01-01", "50")), request, SII)
    assert result.shares_redeemed == D("1.667")  # 1.6666.. half-up
    assert result.redemption_value == D("10.00")  # 1.667 x 6 = 10.002
    request = RedemptionRequest.of_amount(day("2023-01-10"), D("0.07"), D("0.10"))
    result = redeem_lots(lots(("2023-01-01", "50")), request, SII)
    assert result.shares_redeemed == D("1.429")  # 1.428571 -> 1.429
    assert result.redemption_value == D("0.10")  # 0.10003


def test_redeem_all() -> None:
    held = lots(("2023-01-01", "100"), ("2023-02-15", "50.5"))
    result = redeem_lots(held, RedemptionRequest.of_all(day("2023-03-03"), NAV), SII)
    assert result.shares_redeemed == D("150.500")
    assert result.total_fee == D("5.05")  # only lot 2 (16 days): 0.01 x 10 x 50.5
    assert len(result.remaining) == 0


def test_half_cent_rounds_up() -> None:
    # 0.01 x 10.50 x 0.5 = 0.0525 -> 0.05; 0.01 x 1.00 x 0.5 = 0.005 -> 0.01
    result = redeem_lots(lots(("2023-01-01", "1")), shares("2023-01-02", "0.5", D("1.00")), SII)
    assert result.fee_unrounded == D("0.005")
    assert result.total_fee == D("0.01")


def test_no_fee_rule_means_no_fee_and_says_why() -> None:
    result = redeem_lots(lots(("2023-01-01", "100")), shares("2023-01-02", "100"), NO_FEE)
    assert result.total_fee == D("0.00")
    assert result.shares_subject_to_fee == D("0.000")
    assert result.lots[0].fee_free_from is None
    assert any("Institutional shares carry no redemption fee" in n for n in result.notes)


def test_exempt_lot_is_consumed_in_order_but_charged_nothing() -> None:
    held = [
        Lot(day("2023-01-01"), D("10"), "a", 1, exempt=True),
        Lot(day("2023-01-02"), D("10"), "b", 2),
    ]
    result = redeem_lots(held, shares("2023-01-05", "15"), SII)
    assert [s.lot_id for s in result.lots] == ["a", "b"]
    assert result.shares_subject_to_fee == D("5.000")
    assert result.shares_exempt == D("10.000")
    assert result.total_fee == D("0.50")


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (shares("2023-03-02", "150.001"), "only 150.000 are held"),
        (shares("2022-12-31", "1"), "after the redemption date"),
        (shares("2023-03-02", "1", D("0")), "NAV must be greater than zero"),
        (shares("2023-03-02", "1", D("-1")), "NAV must be greater than zero"),
        (shares("2023-03-02", "0"), "greater than zero"),
    ],
)
def test_errors(request_: RedemptionRequest, message: str) -> None:
    with pytest.raises(LotScheduleError, match=message):
        redeem_lots(G_LOTS_1, request_, SII)


def test_lot_bought_after_redemption_is_named() -> None:
    held = lots(("2023-01-01", "100"), ("2023-03-05", "5"))
    with pytest.raises(LotScheduleError, match="'L2' was purchased on 2023-03-05"):
        redeem_lots(held, shares("2023-03-02", "10"), SII)


def test_untouched_lots_are_not_materialised() -> None:
    # A schedule of text columns: lots after the last one needed are never parsed.
    dates = ["2023-01-01"] * 3
    schedule = LotSchedule(dates, ["1", "2", "not-a-number"], ["a", "b", "c"], [1, 2, 3])
    result = redeem(schedule, shares("2023-01-02", "1.5"), SII)
    assert [s.lot_id for s in result.lots] == ["a", "b"]
    assert len(result.remaining) == 2
    assert result.remaining.shares(0) == D("1.500")


# -- large walks: steps built on demand, sums over slices -----------------------------------------
def two_month_schedule(count: int, exempt: list[bool] | None = None) -> LotSchedule:
    """``count`` lots of 1.000 share: the first half bought 2012-01-01, the rest 2012-04-01."""
    dates = ["2012-01-01"] * (count // 2) + ["2012-04-01"] * (count - count // 2)
    return LotSchedule(
        dates, ["1"] * count, [f"n{i}" for i in range(count)], range(1, count + 1), exempt
    )


def test_a_walk_across_many_slices(monkeypatch: pytest.MonkeyPatch) -> None:
    import janus_gui.core.lots as lots_module

    monkeypatch.setattr(lots_module, "SUM_SLICE", 1_000)
    # 2012-04-20: the 2012-01-01 lots are 110 days old (free), the 2012-04-01 ones 19 (subject).
    result = redeem(two_month_schedule(10_000), shares("2012-04-20", "7500.5"), SII)
    # 7,500 whole lots and half of lot 7,501; lots 5,001-7,501 are subject: 2,500.5 shares
    assert len(result.lots) == 7_501
    assert result.shares_subject_to_fee == D("2500.500")
    assert result.total_fee == D("250.05")  # 0.01 x 10.00 x 2,500.5
    assert result.redemption_value == D("75005.00")
    last = result.lots[-1]
    assert (last.lot_id, last.shares_redeemed, last.shares_remaining) == (
        "n7500",
        D("0.500"),
        D("0.500"),
    )
    assert (last.days_held, last.subject_to_fee, last.fee) == (19, True, D("0.05"))
    first = result.lots[0]
    assert (first.days_held, first.subject_to_fee, first.fee_free_from) == (
        110,
        False,
        day("2012-03-02"),
    )
    assert len(result.remaining) == 2_500
    assert result.remaining.total_shares() == D("2499.500")


def test_exempt_lots_inside_the_window_of_a_long_walk() -> None:
    flags = [False] * 600
    for index in (10, 400, 450, 599):  # lot 10 is outside the window: not counted as exempt
        flags[index] = True
    result = redeem(
        two_month_schedule(600, flags), RedemptionRequest.of_all(day("2012-04-20"), NAV), SII
    )
    # 300 lots inside the window, 3 of them exempt: 297 shares subject, 3 exempt
    assert result.shares_subject_to_fee == D("297.000")
    assert result.shares_exempt == D("3.000")
    assert result.total_fee == D("29.70")
    assert [s.lot_id for s in result.lots if s.exempt] == ["n10", "n400", "n450", "n599"]
    assert [
        s.lot_id for s in result.lots if s.exempt and not s.subject_to_fee and s.within_window
    ] == ["n400", "n450", "n599"]
    assert any("3.000 shares inside the window were marked exempt" in n for n in result.notes)


def test_rounded_portions_note_over_many_lots() -> None:
    count = 300  # more than are read lot by lot
    schedule = LotSchedule(
        ["2012-04-01"] * count, ["10.250"] * count, [""] * count, range(1, count + 1)
    )
    result = redeem(schedule, RedemptionRequest.of_all(day("2012-04-20"), NAV), SII)
    # each lot 0.01 x 10 x 10.25 = 1.025 -> 1.03; 300 x 1.03 = 309.00; once: 307.50
    assert result.total_fee == D("307.50")
    assert result.lots[0].fee == D("1.03")
    assert any("they add up to 309.00" in note and "(307.50)" in note for note in result.notes)


def test_steps_read_like_a_tuple() -> None:
    result = redeem_lots(G_LOTS_1, shares("2023-03-02", "120"), SII)
    steps = result.lots
    assert len(steps) == 2
    assert steps[-1] == steps[1] and steps[0] == tuple(steps)[0]
    assert steps == tuple(steps) and tuple(steps) == steps
    assert steps[0:1] == [steps[0]] and steps[::-1] == [steps[1], steps[0]]
    assert steps != tuple(steps)[:1]
    with pytest.raises(IndexError):
        steps[2]
    # G1 by hand: L1 100 shares held 60 days, L2 20 of 50 held 15 days, both subject
    assert [
        (s.lot_id, s.shares_held, s.shares_redeemed, s.shares_remaining, s.fee) for s in steps
    ] == [
        ("L1", D("100.000"), D("100.000"), D("0.000"), D("10.00")),
        ("L2", D("50.000"), D("20.000"), D("30.000"), D("2.00")),
    ]


# -- ledgers ---------------------------------------------------------------------------------
def entry(line: int, kind: str, date: str, count: str | None, **extra) -> LedgerEntry:
    return LedgerEntry(
        line, line, LedgerType(kind), day(date), D(count) if count else None, **extra
    )


def test_ledger_carries_lots_forward_and_uses_each_dates_rule() -> None:
    ledger = [
        entry(2, "purchase", "2023-01-01", "100", lot_id="A"),
        entry(3, "purchase", "2023-02-15", "50", lot_id="B"),
        entry(4, "redemption", "2023-03-02", "120", nav=D("10.00")),  # G1: $12.00
        entry(5, "redemption", "2023-03-03", "30", nav=D("20.00")),  # B day 16: 0.01x20x30
    ]
    seen_dates: list[dt.date] = []

    def rule_for(on: dt.date) -> FeeRule:
        seen_dates.append(on)
        return SII

    result = run_ledger(ledger, rule_for)
    assert [r.result.total_fee for r in result.redemptions] == [D("12.00"), D("6.00")]
    assert seen_dates == [day("2023-03-02"), day("2023-03-03")]
    assert len(result.remaining) == 0
    assert result.total_fee == D("18.00")


def test_ledger_same_date_keeps_file_order() -> None:
    ledger = [
        entry(2, "purchase", "2023-01-01", "10"),
        entry(3, "redemption", "2023-01-01", "10", nav=NAV),
        entry(4, "purchase", "2023-01-01", "5"),
    ]
    result = run_ledger(ledger, lambda _on: SII)
    assert result.redemptions[0].result.total_fee == D("1.00")
    assert [lot.shares for lot in result.remaining] == [D("5.000")]


def test_ledger_lots_keep_their_purchase_line_and_partial_remainder() -> None:
    ledger = [
        entry(7, "purchase", "2023-01-02", "4", lot_id="late"),  # dated after line 5: second
        entry(5, "purchase", "2023-01-01", "3", lot_id="early"),
        entry(9, "redemption", "2023-01-03", "5", nav=NAV),
    ]
    result = run_ledger(ledger, lambda _on: SII)
    steps = result.redemptions[0].result.lots
    assert [(s.lot_id, s.line, s.shares_redeemed) for s in steps] == [
        ("early", 5, D("3.000")),
        ("late", 7, D("2.000")),
    ]
    assert (result.remaining.lot_id(0), result.remaining.line(0)) == ("late", 7)
    assert result.remaining.shares(0) == D("2.000")
    # totals over redemptions: 5 shares x 10 = 50.00; fee 0.01 x 10 x 5 = 0.50
    assert (result.shares_redeemed, result.redemption_value, result.net_proceeds) == (
        D("5.000"),
        D("50.00"),
        D("49.50"),
    )


def test_ledger_error_names_the_line() -> None:
    ledger = [
        entry(2, "purchase", "2023-01-01", "10"),
        entry(3, "redemption", "2023-01-05", "11", nav=NAV),
    ]
    with pytest.raises(LotScheduleError, match="line 3: cannot redeem"):
        run_ledger(ledger, lambda _on: SII)
    with pytest.raises(LotScheduleError, match="line 2: a NAV is needed"):
        run_ledger([entry(2, "redemption", "2023-01-05", "1")], lambda _on: SII)


# -- properties ------------------------------------------------------------------------------
BASE = dt.date(2023, 1, 1)
lot_strategy = st.lists(
    st.tuples(st.integers(0, 120), st.integers(1, 100_000)), min_size=1, max_size=12
)


def build(raw: list[tuple[int, int]], shift: int = 0) -> list[Lot]:
    return [
        Lot(BASE + dt.timedelta(days=max(0, d - shift)), D(n) / 1000, f"L{i}", i)
        for i, (d, n) in enumerate(raw, start=1)
    ]


def held_total(held: list[Lot]) -> Decimal:
    return sum((lot.shares for lot in held), D(0))


@settings(max_examples=150, deadline=None)
@given(lot_strategy, st.integers(0, 1000), st.integers(1, 50_000))
def test_property_conservation_and_bounds(raw, permille, nav_cents) -> None:
    held = build(raw)
    total = held_total(held)
    count = max(D("0.001"), (total * permille / 1000).quantize(D("0.001")))
    nav = D(nav_cents) / 100
    result = redeem_lots(
        held, RedemptionRequest.of_shares(BASE + dt.timedelta(days=130), nav, count), SII
    )
    remaining = sum((lot.shares for lot in result.remaining), D(0))
    assert result.shares_redeemed + remaining == total  # conservation
    assert sum((s.shares_redeemed for s in result.lots), D(0)) == result.shares_redeemed
    assert result.shares_subject_to_fee + result.shares_free == result.shares_redeemed
    assert result.total_fee <= (D("0.01") * result.redemption_value).quantize(D("0.01")) + D("0.01")
    assert result.total_fee <= D("0.01") * nav * result.shares_redeemed + D("0.005")
    order = [(s.purchase_date, s.seq) for s in result.lots]
    assert order == sorted(order)  # never a younger lot before an older one
    untouched = [(lot.purchase_date, lot.seq) for lot in result.remaining]
    if untouched and order:
        assert order[-1] <= untouched[0]


@settings(max_examples=120, deadline=None)
@given(lot_strategy, st.integers(1, 1000), st.integers(1, 60))
def test_property_earlier_purchases_never_raise_the_fee(raw, permille, shift) -> None:
    later = build(raw)
    earlier = build(raw, shift)
    count = max(D("0.001"), (held_total(later) * permille / 1000).quantize(D("0.001")))
    request = RedemptionRequest.of_shares(BASE + dt.timedelta(days=150), NAV, count)
    fee_earlier = redeem_lots(earlier, request, SII).total_fee
    assert fee_earlier <= redeem_lots(later, request, SII).total_fee


@settings(max_examples=120, deadline=None)
@given(lot_strategy, st.integers(1, 999), st.integers(1, 999))
def test_property_splitting_a_redemption_keeps_shares_subject(raw, first_pm, second_pm) -> None:
    held = build(raw)
    total = held_total(held)
    first = max(D("0.001"), (total * first_pm / 2000).quantize(D("0.001")))
    second = max(D("0.001"), (total * second_pm / 2000).quantize(D("0.001")))
    assume(first + second <= total)
    on = BASE + dt.timedelta(days=130)
    whole = redeem_lots(held, RedemptionRequest.of_shares(on, NAV, first + second), SII)
    part1 = redeem_lots(held, RedemptionRequest.of_shares(on, NAV, first), SII)
    part2 = redeem(part1.remaining, RedemptionRequest.of_shares(on, NAV, second), SII)
    assert part1.shares_subject_to_fee + part2.shares_subject_to_fee == (
        whole.shares_subject_to_fee
    )


# -- the catalog's rule on the 2012 conversion boundary ---------------------------------------
@pytest.mark.parametrize(("on", "fee"), [("2012-04-27", "12.00"), ("2012-04-28", "0.00")])
def test_overseas_service_ii_fee_ends_with_the_conversion(repo, on: str, fee: str) -> None:
    from janus_gui.core.asof import redemption_fee_rule
    from janus_gui.core.models import ShareClass

    overseas = repo.resolve_portfolio("Overseas").portfolio_id
    rule = redemption_fee_rule(repo, overseas, ShareClass.SERVICE_II, day(on))
    held = lots(("2012-03-01", "100"), ("2012-04-01", "50"))
    result = redeem_lots(held, shares(on, "120"), rule)
    # On 2012-04-27 both lots are inside 60 days (57 and 26): 0.01 x 10 x 120 = 12.00.
    assert result.total_fee == D(fee)
    assert rule.applies is (on == "2012-04-27")
    assert rule.citation is not None
