"""One set of input rules (core.inputs) and exact money at the input limits.

Expected values are written from the rules in docs/calculations.md; the property tests compare
the fee with an independent computation in ``fractions.Fraction``.
"""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from janus_gui.core import inputs
from janus_gui.core.errors import InputError
from janus_gui.core.inputs import AMOUNT, NAV, SHARES, InputValueError, parse_date, parse_number
from janus_gui.core.lots import Lot
from janus_gui.core.money import round_cents
from janus_gui.core.redemption import RedemptionRequest, redeem_lots
from tests.helpers.golden_rule import SERVICE_II_RULE

D = Decimal


# -- numbers ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "rule", "expected"),
    [
        ("10.50", NAV, D("10.50")),
        ("1,000.5", SHARES, D("1000.5")),
        ("1,234,567.125", SHARES, D("1234567.125")),
        (" 12 ", SHARES, D("12")),
        (".5", SHARES, D("0.5")),
        ("7.", SHARES, D("7")),
        ("1.2500", SHARES, D("1.25")),  # zeros past the third decimal are not digits lost
        ("862276736713.184300", NAV, D("862276736713.1843")),
        ("999999999999.999", SHARES, D("999999999999.999")),
        ("000000000000001", SHARES, D("1")),  # leading zeros are not digits before the point
    ],
)
def test_accepted_numbers(text: str, rule: inputs.NumberRule, expected: Decimal) -> None:
    assert parse_number(text, rule) == expected


@pytest.mark.parametrize(
    ("text", "rule", "reason"),
    [
        ("10,50", NAV, "is not a number"),  # was read as 1050
        ("1,5", SHARES, "is not a number"),  # was read as 15
        ("1,2,3", NAV, "is not a number"),  # was read as 123
        ("1,0000", SHARES, "is not a number"),
        ("1_000", NAV, "is not a number"),
        ("\u0661\u0660", NAV, "is not a number"),  # Arabic-Indic 10
        ("\uff11", SHARES, "is not a number"),  # full-width 1
        ("1e3", SHARES, "is not a number"),
        ("NaN", NAV, "not a finite number"),
        ("-Infinity", NAV, "not a finite number"),
        ("1 000", SHARES, "is not a number"),
        ("1..2", SHARES, "is not a number"),
        (".", SHARES, "is not a number"),
        ("", SHARES, "is missing"),
        ("-5", SHARES, "greater than zero"),
        ("+5", SHARES, "without a sign"),
        ("0", NAV, "greater than zero"),
        ("0.000", SHARES, "greater than zero"),
        ("1.0001", SHARES, "more than 3 decimal places"),
        ("1.000000000000000000000000000000000000001", SHARES, "more than 3 decimal places"),
        ("0.4999999999999999999999999999999", NAV, "more than 6 decimal places"),
        ("10.1234567", NAV, "more than 6 decimal places"),
        ("1.005", AMOUNT, "more than 2 decimal places"),
        ("1000000000000", SHARES, "too large"),
    ],
)
def test_refused_numbers(text: str, rule: inputs.NumberRule, reason: str) -> None:
    with pytest.raises(InputValueError, match=reason) as raised:
        parse_number(text, rule)
    assert isinstance(raised.value, InputError) and isinstance(raised.value, ValueError)


def test_signed_rule_takes_a_sign() -> None:
    assert parse_number("-1.5", inputs.RATE) == D("-1.5")
    assert parse_number("+0", inputs.RATE) == D("0")


# -- dates ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2012-04-20", dt.date(2012, 4, 20)),
        ("4/20/2012", dt.date(2012, 4, 20)),
        ("04/02/2012", dt.date(2012, 4, 2)),
        (" 2012-04-20 ", dt.date(2012, 4, 20)),
    ],
)
def test_accepted_dates(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("4/2_0/2012", "not a date"),
        ("2012-W16-5", "not a date"),
        ("20120420", "not a date"),
        ("2012-4-20", "not a date"),
        ("\u0662\u0660\u0661\u0662-04-20", "not a date"),
        ("4/20/12", "not a date"),
        ("2013-02-30", "not a calendar date"),
        ("13/1/2012", "not a calendar date"),
        ("", "is missing"),
    ],
)
def test_refused_dates(text: str, reason: str) -> None:
    with pytest.raises(InputValueError, match=reason):
        parse_date(text)


# -- the same rules on every surface ---------------------------------------------------------------
SURFACE_CASES = ["10,50", "1,2,3", "1_000", "\u0661\u0660", "1.0001", "1e3", "-1", "1,000.5", "2.5"]


@pytest.mark.parametrize("text", SURFACE_CASES)
def test_lot_reader_window_and_cli_agree_on_shares(text: str) -> None:
    from janus_gui.core.inputs import parse_field as _decimal
    from janus_gui.core.lots_csv import parse_shares_cell
    from janus_gui.core.redemption import RedeemMode
    from janus_gui.workspace.outcome import make_request

    outcomes = []
    for parse in (
        lambda: parse_shares_cell(text),
        lambda: make_request(dt.date(2012, 4, 20), RedeemMode.SHARES, text, "10").shares,
        lambda: _decimal(text, "--shares", SHARES),
        lambda: parse_number(text, SHARES),
    ):
        try:
            outcomes.append(D(parse()).normalize())
        except ValueError as exc:
            outcomes.append(str(exc).split("'", 1)[-1])  # the reason after the field name
        except InputError as exc:
            outcomes.append(str(exc).split("'", 1)[-1])
    assert len(set(outcomes)) == 1, outcomes


# -- exact money ------------------------------------------------------------------------
RULE = SERVICE_II_RULE  # 1% on shares held 60 days or less
BOUGHT, REDEEMED = dt.date(2012, 3, 1), dt.date(2012, 4, 20)
LIMIT = 10**inputs.MAX_INTEGER_DIGITS


def _half_up_cents(value: Fraction) -> Fraction:
    cents = value * 100
    whole = cents.numerator // cents.denominator
    if cents - whole >= Fraction(1, 2):
        whole += 1
    return Fraction(whole, 100)


def _decimal_at(places: int, top: int) -> st.SearchStrategy[Decimal]:
    unit = 10**places
    return st.integers(min_value=1, max_value=top * unit - 1).map(lambda n: D(n).scaleb(-places))


def _extremes(places: int) -> st.SearchStrategy[Decimal]:
    """Values at the limits: the largest, near-largest and smallest accepted numbers."""
    unit = 10**places
    return st.sampled_from([LIMIT * unit - 1, LIMIT * unit - 7, 1, unit + 1]).map(
        lambda n: D(n).scaleb(-places)
    )


@settings(max_examples=400, deadline=None)
@given(
    shares=st.one_of(_decimal_at(3, LIMIT), _extremes(3)),
    nav=st.one_of(_decimal_at(6, LIMIT), _extremes(6)),
    rate=st.sampled_from([D("0.01"), D("0.02"), D("0.0075"), D("0.005")]),
)
def test_fee_is_exact_at_the_input_limits(shares: Decimal, nav: Decimal, rate: Decimal) -> None:
    from dataclasses import replace

    result = redeem_lots(
        [Lot(BOUGHT, shares, "a", 0)],
        RedemptionRequest.of_shares(REDEEMED, nav, shares),
        replace(RULE, rate=rate),
    )
    exact = Fraction(rate) * Fraction(nav) * Fraction(shares)
    assert Fraction(result.fee_unrounded) == exact
    assert Fraction(result.total_fee) == _half_up_cents(exact)


def test_issue_reproducer_is_exact() -> None:
    shares, nav = D("217647172681.682"), D("862276736713.1843")
    result = redeem_lots(
        [Lot(BOUGHT, shares, "a", 0)], RedemptionRequest.of_shares(REDEEMED, nav, shares), RULE
    )
    assert str(result.total_fee).endswith(".16")
    assert result.total_fee == round_cents(D("0.01") * nav * shares)


def test_worker_threads_get_the_exact_precision() -> None:
    import decimal

    from janus_gui.core.money import PRECISION

    seen: list[int] = []
    worker = threading.Thread(target=lambda: seen.append(decimal.getcontext().prec))
    worker.start()
    worker.join()
    assert seen == [PRECISION] and decimal.getcontext().prec >= PRECISION


# -- the dollar sign, and the request every surface builds -----------------------------------------
@pytest.mark.parametrize(
    ("text", "rule", "accepted"),
    [
        ("$1,200.50", AMOUNT, True),
        ("$ 12", AMOUNT, True),
        ("$10", NAV, False),
        ("$3", SHARES, False),
        ("12$", AMOUNT, False),
        ("$$12", AMOUNT, False),
        ("$", AMOUNT, False),
    ],
)
def test_only_dollar_amounts_take_a_dollar_sign(text: str, rule, accepted: bool) -> None:
    if accepted:
        assert parse_number(text, rule) == Decimal(text.lstrip("$ ").replace(",", ""))
    else:
        with pytest.raises(InputValueError):
            parse_number(text, rule)


FIELDS = inputs.RequestFields(nav="the NAV", shares="the shares", amount="the amount")


def test_redemption_request_from_text() -> None:
    from janus_gui.core.redemption import RedeemMode

    on = dt.date(2012, 4, 20)
    shares = inputs.redemption_request(on, RedeemMode.SHARES, "1,000.5", "10.25", fields=FIELDS)
    assert (shares.shares, shares.nav, shares.mode) == (
        Decimal("1000.500"),
        Decimal("10.25"),
        RedeemMode.SHARES,
    )
    amount = inputs.redemption_request(on, RedeemMode.AMOUNT, "$250.00", "10", fields=FIELDS)
    assert (amount.amount, amount.shares) == (Decimal("250.00"), None)
    every = inputs.redemption_request(on, RedeemMode.ALL, "ignored", "10", fields=FIELDS)
    assert (every.mode, every.shares, every.amount) == (RedeemMode.ALL, None, None)


@pytest.mark.parametrize(
    ("mode", "quantity", "nav", "message"),
    [
        ("shares", "5", "1e1", "the NAV: '1e1' is not a number"),
        ("shares", "5", "$10", "the NAV: '$10' is not a number"),
        ("shares", "", "10", "the shares is missing"),
        ("shares", "1.0001", "10", "the shares: '1.0001' has more than 3 decimal places"),
        ("amount", "10.001", "10", "the amount: '10.001' has more than 2 decimal places"),
        ("all", "", "0", "the NAV: '0' must be greater than zero"),
    ],
)
def test_redemption_request_names_the_field(
    mode: str, quantity: str, nav: str, message: str
) -> None:
    from janus_gui.core.redemption import RedeemMode

    with pytest.raises(InputValueError) as caught:
        inputs.redemption_request(
            dt.date(2012, 4, 20), RedeemMode(mode), quantity, nav, fields=FIELDS
        )
    assert str(caught.value).startswith(message)
