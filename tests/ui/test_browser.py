"""Portfolio browser: grouped by category, named as on the as-of date, former names as children.

Names of lineage P4 from the sources: International Growth Portfolio (1999 prospectus, 004),
Overseas Portfolio (2012 plan, 002), Aspen Overseas (2012 notice, 000:25), Janus Aspen Series
Overseas Portfolio (2013 tax table, 001:19).
"""

from __future__ import annotations

import datetime as dt

import pytest

from janus_gui.ui.browser import PortfolioBrowser, PortfolioIdRole


@pytest.fixture
def browser(qtbot, repo) -> PortfolioBrowser:
    widget = PortfolioBrowser()
    qtbot.addWidget(widget)
    widget.set_portfolios(repo.portfolios(), dt.date(2013, 12, 31))
    widget.show()
    return widget


def _row_text(browser: PortfolioBrowser, portfolio_id: str) -> str:
    return browser.model.portfolio_index(portfolio_id).data()


def _children(browser: PortfolioBrowser, portfolio_id: str) -> list[str]:
    index = browser.model.portfolio_index(portfolio_id)
    item = browser.model.itemFromIndex(index)
    return [item.child(row).text() for row in range(item.rowCount())]


def test_name_in_force_on_the_date(browser: PortfolioBrowser, repo):
    assert _row_text(browser, "P4") == "Janus Aspen Series Overseas Portfolio"
    browser.set_portfolios(repo.portfolios(), dt.date(1999, 12, 31))
    assert _row_text(browser, "P4") == "International Growth Portfolio"


def test_other_names_are_children_with_their_periods(browser: PortfolioBrowser):
    children = _children(browser, "P4")
    assert len(children) == 3
    assert children[0].startswith(
        "International Growth Portfolio  (former, legal, documented 1999-09-14"
    )
    assert any(c.startswith("Aspen Overseas  (former,") for c in children)


def test_portfolios_are_grouped_by_category(browser: PortfolioBrowser):
    index = browser.model.portfolio_index("P4")
    assert index.parent().data() == "Growth (global growth)"


def test_picking_a_former_name_selects_its_lineage(qtbot, browser: PortfolioBrowser):
    parent = browser.proxy.mapFromSource(browser.model.portfolio_index("P4"))
    former = browser.proxy.index(0, 0, parent)
    with qtbot.waitSignal(browser.portfolio_selected, timeout=5000) as blocker:
        browser.tree.setCurrentIndex(former)
    assert blocker.args == ["P4"]


def test_select_portfolio_is_quiet(qtbot, browser: PortfolioBrowser):
    with qtbot.assertNotEmitted(browser.portfolio_selected):
        browser.select_portfolio("P4")
    assert browser.current_portfolio_id() == "P4"


def test_selection_is_kept_when_the_date_changes(browser: PortfolioBrowser, repo):
    browser.select_portfolio("P4")
    browser.set_portfolios(repo.portfolios(), dt.date(2012, 4, 20))
    assert browser.current_portfolio_id() == "P4"
    assert browser.tree.currentIndex().data() == "Overseas Portfolio"


def test_filter_keeps_a_portfolio_when_a_former_name_matches(browser: PortfolioBrowser):
    browser.filter_edit.setText("International Growth")
    groups = [browser.proxy.index(r, 0) for r in range(browser.proxy.rowCount())]
    shown = {
        browser.proxy.index(r, 0, g).data(PortfolioIdRole)
        for g in groups
        for r in range(browser.proxy.rowCount(g))
    }
    assert shown == {"P4"}


def test_model_passes_the_model_tester(qtmodeltester, browser: PortfolioBrowser):
    qtmodeltester.check(browser.model)
    qtmodeltester.check(browser.proxy)
