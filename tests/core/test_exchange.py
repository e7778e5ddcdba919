"""Exchange checker against the catalog: same class only, both classes offered, cited."""

from __future__ import annotations

import datetime as dt

from janus_gui.core.exchange import REDEMPTION_ASSUMPTION, Holding, check_exchange
from janus_gui.core.models import ShareClass

SII = ShareClass.SERVICE_II
SERVICE = ShareClass.SERVICE


def holding(repo, name: str, share_class: ShareClass) -> Holding:
    return Holding(repo.resolve_portfolio(name).portfolio_id, share_class, name)


def test_same_class_of_another_portfolio_is_allowed_and_cited(repo) -> None:
    check = check_exchange(
        repo,
        holding(repo, "Growth", SERVICE),
        holding(repo, "Balanced", SERVICE),
        dt.date(2000, 6, 1),
    )
    assert check.allowed
    assert check.citation is not None and check.citation.label() == "004:10263-10266"
    assert REDEMPTION_ASSUMPTION not in check.notes


def test_cross_class_is_refused(repo) -> None:
    check = check_exchange(
        repo,
        holding(repo, "Overseas", SERVICE),
        holding(repo, "Balanced", ShareClass.INSTITUTIONAL),
        dt.date(2012, 6, 1),
    )
    assert not check.allowed
    assert "same class" in check.reason
    assert check.citation is not None and check.citation.label() == "002:117-120"


def test_same_portfolio_is_not_an_exchange(repo) -> None:
    overseas = holding(repo, "Overseas", SERVICE)
    check = check_exchange(repo, overseas, overseas, dt.date(2012, 6, 1))
    assert not check.allowed and "another Portfolio" in check.reason


def test_service_ii_on_the_conversion_day_is_allowed_with_the_redemption_assumption(repo) -> None:
    check = check_exchange(
        repo,
        holding(repo, "Overseas", SII),
        holding(repo, "Global Technology", SII),
        dt.date(2012, 4, 27),
    )
    assert check.allowed
    assert REDEMPTION_ASSUMPTION in check.notes
    assert check.redemption_fee is not None and check.redemption_fee.applies


def test_service_ii_after_the_conversion_is_refused(repo) -> None:
    check = check_exchange(
        repo,
        holding(repo, "Overseas", SII),
        holding(repo, "Global Technology", SII),
        dt.date(2012, 4, 28),
    )
    assert not check.allowed
    assert "not offered on 2012-04-28" in check.reason
    assert "Converted" in check.reason


def test_class_not_yet_offered_is_refused(repo) -> None:
    check = check_exchange(
        repo,
        holding(repo, "Growth", SERVICE),
        holding(repo, "Balanced", SERVICE),
        dt.date(1999, 6, 1),
    )
    assert not check.allowed
    assert "not offered on 1999-06-01" in check.reason
