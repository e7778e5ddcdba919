"""Dates you can trust: each answer says how the sources support it on the date asked.

Expectations are written from the source text:
- 004:6018-6021: audited statements for Institutional and Retirement Shares for the period ended
  1998-12-31 and a semiannual report for the period ended 1999-06-30;
- 004:399-400: Service Shares commenced operations on 2000-01-01;
- 002:14: the plan as amended through 2012-03-15 covers Institutional, Service, Service II;
- 002:121-131: Service II of Global Technology (P13) and Overseas (P4) convert into Service at the
  close of business on 2012-04-27; the rest is terminated and the redemption fee removed;
- 001:36: Global Allocation - Moderate (P17) Service, record dates 2013-06-25 and 2013-12-26;
- 001:13: Protected Series - Growth (P16), December record date 2013-12-12.
"""

from __future__ import annotations

import datetime as dt

import pytest

from janus_gui.core.asof import class_rules, class_status, redemption_fee_rule
from janus_gui.core.exchange import Holding, check_exchange
from janus_gui.core.models import ClassState, ShareClass, Standing

INST, SERVICE, SII, RET = (
    ShareClass.INSTITUTIONAL,
    ShareClass.SERVICE,
    ShareClass.SERVICE_II,
    ShareClass.RETIREMENT,
)
D = dt.date


@pytest.mark.parametrize("pid", [f"P{i}" for i in range(1, 12)])
@pytest.mark.parametrize("share_class", [INST, RET])
def test_audited_1998_statements_mean_the_class_existed(repo, pid, share_class) -> None:
    assert class_status(repo, pid, share_class, D(1998, 12, 31)).standing == Standing.DOCUMENTED
    between = class_status(repo, pid, share_class, D(1999, 6, 1))
    assert between.state == ClassState.OFFERED  # never "not yet offered"
    assert between.standing == Standing.CARRIED
    assert between.support.documented_on == D(1998, 12, 31)
    assert between.support.until == D(1999, 6, 30)


def test_before_the_first_evidence_is_unknown_not_a_no(repo) -> None:
    status = class_status(repo, "P1", INST, D(1997, 6, 1))
    assert status.state == ClassState.UNKNOWN
    assert status.standing == Standing.NOT_DOCUMENTED


def test_a_stated_start_is_a_documented_no(repo) -> None:
    status = class_status(repo, "P1", SERVICE, D(1999, 12, 31))
    assert status.state == ClassState.NOT_OFFERED
    assert status.standing == Standing.DOCUMENTED
    assert "2000-01-01" in status.text


def test_conversion_target_exists_at_the_conversion(repo) -> None:
    status = class_status(repo, "P13", SERVICE, D(2012, 4, 28))
    assert status.state == ClassState.OFFERED
    assert status.support.documented_on == D(2012, 4, 27)
    check = check_exchange(repo, Holding("P4", SERVICE), Holding("P13", SERVICE), D(2012, 4, 28))
    assert check.allowed is True
    assert check.standing == Standing.CARRIED


@pytest.mark.parametrize(
    ("pid", "share_class", "day", "record"),
    [
        ("P17", SERVICE, D(2013, 6, 30), D(2013, 6, 25)),
        ("P16", INST, D(2013, 12, 20), D(2013, 12, 12)),
    ],
)
def test_a_distribution_means_the_class_existed_on_its_record_date(
    repo, pid, share_class, day, record
) -> None:
    assert class_status(repo, pid, share_class, record).standing == Standing.DOCUMENTED
    status = class_status(repo, pid, share_class, day)
    assert status.state == ClassState.OFFERED
    assert status.support.documented_on == record


@pytest.mark.parametrize("pid", ["P4", "P13"])
def test_an_ended_class_has_no_rules_in_force(repo, pid) -> None:
    rules = class_rules(repo, pid, SII, D(2012, 4, 28))
    assert rules.status.state == ClassState.ENDED
    assert rules.rules == ()
    assert any(r.kind.value == "redemption_fee" for r in rules.former_rules)
    assert rules.former_as_of == D(2012, 4, 27)
    fee = redemption_fee_rule(repo, pid, SII, D(2012, 4, 28))
    assert not fee.applies and fee.standing == Standing.DOCUMENTED  # 002:130-131 removes it


def test_retirement_after_the_2012_plan_is_not_documented_and_has_no_rules(repo) -> None:
    # The plan that leaves Retirement out (002:13-18) also stops it being carried before 2012:
    # when it ended is not stated, so 2012-03-14 is as unknown as 2012-12-31.
    before = class_status(repo, "P1", RET, D(2012, 3, 14))
    assert before.state == ClassState.UNKNOWN and before.standing == Standing.NOT_DOCUMENTED
    rules = class_rules(repo, "P1", RET, D(2012, 12, 31))
    assert rules.status.state == ClassState.UNKNOWN
    assert rules.status.standing == Standing.NOT_DOCUMENTED
    assert rules.rules == ()
    assert "2012-03-14" not in rules.status.text  # no source states that boundary


def test_silence_is_never_a_zero_fee(repo) -> None:
    fee = redemption_fee_rule(repo, "P4", SII, D(2012, 3, 10))
    assert fee.standing == Standing.NOT_DOCUMENTED
    assert not fee.documented
    assert "2012-03-15" in fee.reason  # the nearest documented date


def test_silence_is_never_a_no_for_an_exchange(repo) -> None:
    check = check_exchange(repo, Holding("P4", SII), Holding("P13", SII), D(2012, 3, 10))
    assert check.allowed is None
    assert check.standing == Standing.NOT_DOCUMENTED


def test_1999_rules_in_2012_are_carried_with_their_date(repo) -> None:
    rules = class_rules(repo, "P4", SERVICE, D(2012, 12, 31))
    management = [r for r in rules.rules if r.kind.value == "management_fee"]
    assert management
    support = management[0].support(rules.as_of)
    assert support.standing == Standing.CARRIED
    assert support.documented_on == D(2000, 4, 30)
    assert rules.fee_table_support.standing == Standing.CARRIED


def test_1999_equity_income_in_2012_is_carried_not_documented(repo) -> None:
    status = class_status(repo, "P7", SERVICE, D(2012, 12, 31))
    assert status.state == ClassState.OFFERED
    assert status.standing == Standing.CARRIED


def test_names_show_a_rename_window_not_a_point_date(repo) -> None:
    name = repo.portfolio("P5").name_support(D(2013, 6, 30))
    assert name.name == "Worldwide Growth Portfolio"
    assert name.renamed_to == "Janus Aspen Series Global Research Portfolio"
    assert name.support.standing == Standing.CARRIED
    assert "renamed" in name.describe()
    # the 2012 notice's short label is never the legal name
    label_day = repo.portfolio("P4").name_support(D(2012, 12, 6))
    assert label_day.name == "Overseas Portfolio" and "Aspen Overseas" in label_day.labels
    assert repo.portfolio("P7").name_support(D(1999, 12, 31)).name == "Equity Income Portfolio"
