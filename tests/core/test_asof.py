"""Rules depend on the date: 1999 filing, the 2012 plan, and the 2012-04-27 conversion."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from janus_gui.core.asof import class_rules, class_status, classes_on, redemption_fee_rule
from janus_gui.core.models import ClassState, ShareClass, Standing

OVERSEAS, GLOBAL_TECH = "P4", "P13"
SII = ShareClass.SERVICE_II


def test_service_ii_fee_before_conversion(repo) -> None:
    for day in (dt.date(2012, 4, 20), dt.date(2012, 4, 27)):
        for portfolio_id in (OVERSEAS, GLOBAL_TECH):
            fee = redemption_fee_rule(repo, portfolio_id, SII, day)
            assert fee.applies
            assert fee.rate == Decimal("0.01")
            assert fee.holding_period_days == 60
            assert fee.lot_order == "FIFO"
            assert fee.citation is not None and fee.citation.doc == "002"
            assert fee.citation.line_start <= 97 <= fee.citation.line_end


def test_service_ii_converted_after_close_of_2012_04_27(repo) -> None:
    for portfolio_id in (OVERSEAS, GLOBAL_TECH):
        status = class_status(repo, portfolio_id, SII, dt.date(2012, 4, 28))
        assert status.state == ClassState.ENDED
        assert status.standing == Standing.DOCUMENTED
        assert status.converted_into == ShareClass.SERVICE
        assert "2012-04-27" in status.text
        fee = redemption_fee_rule(repo, portfolio_id, SII, dt.date(2012, 5, 1))
        assert not fee.applies
        assert "2012-04-27" in fee.reason


def test_class_selector_classes_change_across_the_conversion(repo) -> None:
    assert SII in classes_on(repo, OVERSEAS, dt.date(2012, 4, 20))
    assert SII not in classes_on(repo, OVERSEAS, dt.date(2012, 5, 1))
    assert ShareClass.SERVICE in classes_on(repo, OVERSEAS, dt.date(2012, 5, 1))


def test_service_shares_start_on_2000_01_01(repo) -> None:
    assert class_status(repo, OVERSEAS, ShareClass.SERVICE, dt.date(1999, 12, 31)).state == (
        ClassState.NOT_OFFERED
    )
    assert ShareClass.SERVICE in classes_on(repo, OVERSEAS, dt.date(2000, 1, 1))


def test_1999_no_redemption_fee_is_documented(repo) -> None:
    fee = redemption_fee_rule(repo, OVERSEAS, ShareClass.SERVICE, dt.date(2000, 6, 30))
    assert not fee.applies and fee.documented
    assert fee.citation is not None and fee.citation.doc == "004"


def test_institutional_never_has_a_fee(repo) -> None:
    for day in (dt.date(1999, 12, 31), dt.date(2012, 4, 20), dt.date(2013, 12, 31)):
        assert not redemption_fee_rule(repo, OVERSEAS, ShareClass.INSTITUTIONAL, day).applies


def test_retirement_is_a_1999_class(repo) -> None:
    assert ShareClass.RETIREMENT in classes_on(repo, "P1", dt.date(1999, 12, 31))
    assert ShareClass.RETIREMENT not in classes_on(repo, "P1", dt.date(2013, 12, 31))


def test_dates_after_the_sources_are_carried_with_their_date(repo) -> None:
    far = dt.date(2030, 1, 1)
    status = class_status(repo, OVERSEAS, ShareClass.INSTITUTIONAL, far)
    assert status.state == ClassState.OFFERED
    assert status.standing == Standing.CARRIED
    # 001:19 prints record dates 6/25/2013 and 12/6/2013; its total 1.24600 exceeds the June
    # payout 1.07469, so a December distribution was paid: the class is last seen 2013-12-06
    assert status.support.documented_on == dt.date(2013, 12, 6)
    fee = redemption_fee_rule(repo, OVERSEAS, ShareClass.INSTITUTIONAL, far)
    assert fee.standing == Standing.CARRIED and not fee.applies


def test_class_rules_carry_citations_everywhere(repo) -> None:
    rules = class_rules(repo, OVERSEAS, SII, dt.date(2012, 4, 20))
    assert rules.status.state == ClassState.OFFERED
    assert rules.rules, "rules in force"
    for rule in rules.rules:
        assert rule.citation.quote and rule.citation.line_start >= 1
    assert any(e.date == dt.date(2012, 4, 27) for e in rules.events)


def test_aggressive_growth_fee_row_carries_t1(repo) -> None:
    rules = class_rules(repo, "P2", ShareClass.SERVICE, dt.date(1999, 12, 31))
    (row,) = rules.fee_table
    assert row.total_gross == "0.03%"
    assert row.total_gross_used == Decimal("0.93")
    assert "T1" in row.note_ids
    assert "T1" in {n.note_id for n in rules.data_notes}


def test_a_printed_dash_is_no_evidence_of_a_june_payout(repo) -> None:
    # Protected Series - Growth Service (001:35) prints "- / 0.56520 / 0.56520": nothing in June,
    # so the class is first documented on the December record date 12/12/2013.
    status = class_status(repo, "P16", ShareClass.SERVICE, dt.date(2013, 6, 30))
    assert status.state == ClassState.UNKNOWN
    assert status.support.until == dt.date(2013, 12, 12)


def test_a_later_omission_stops_carrying_a_class(repo) -> None:
    # Retirement: last documented with the 1999 filing; the plan as amended through 2012-03-15
    # lists only Institutional, Service and Service II (002:13-18), and no source says when
    # Retirement ended, so 2005 is unknown rather than carried.
    status = class_status(repo, "P1", ShareClass.RETIREMENT, dt.date(2005, 6, 1))
    assert status.state == ClassState.UNKNOWN
    assert status.standing == Standing.NOT_DOCUMENTED
    assert "002:14" in status.text
