"""The detail pane: one class on one date, every fact with its source.

Expected values are written from the source text: the 2012 Rule 18f-3 plan (002:96-103 for the
Service II fee, 002:121-131 for the conversion) and the 1999 fee table and example (004:1077,
004:1130), with the projection checked by hand against DOMAIN.md §6.
"""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from janus_gui.core.eligibility import Buyer, Verdict
from janus_gui.core.models import Citation, ShareClass
from janus_gui.ui.citation_label import CitationLabel, CitedText
from janus_gui.ui.detail.common import NotesDialog
from janus_gui.ui.detail.panel import DetailPanel
from janus_gui.ui.detail.sources import COL_FACT, COL_SOURCE
from janus_gui.ui.tables import RowRole

BEFORE_CONVERSION = dt.date(2012, 4, 20)
AFTER_CONVERSION = dt.date(2012, 5, 1)
FIRST_FILING = dt.date(1999, 12, 31)


@pytest.fixture
def overseas(repo) -> str:
    return repo.resolve_portfolio("Overseas Portfolio").portfolio_id


@pytest.fixture
def aggressive_growth(repo) -> str:
    return repo.resolve_portfolio("Aggressive Growth Portfolio").portfolio_id


@pytest.fixture
def panel(qtbot, repo) -> DetailPanel:
    widget = DetailPanel(repo)
    qtbot.addWidget(widget)
    widget.resize(1100, 750)
    widget.show()
    return widget


def _texts(widget) -> list[str]:
    """Visible text of every label under ``widget`` (rich text reduced to its words)."""
    texts = []
    for label in widget.findChildren(CitedText):
        texts.append(label.plain_text())
    from PySide6.QtWidgets import QLabel

    for label in widget.findChildren(QLabel):
        if not isinstance(label, CitedText | CitationLabel):
            texts.append(label.text())
    return texts


def _citation_labels(widget) -> list[str]:
    labels = [c.citation().label() for c in widget.findChildren(CitationLabel) if c.citation()]
    labels += [c.citation().label() for c in widget.findChildren(CitedText) if c.citation()]
    return labels


# -- redemption fee ---------------------------------------------------------------------------
def test_service_ii_fee_before_the_conversion(panel, overseas) -> None:
    panel.show_class(overseas, ShareClass.SERVICE_II, BEFORE_CONVERSION)
    panel.select_tab(panel.redemption_tab)
    tab = panel.redemption_tab
    assert tab.headline.text() == "Fee that may apply (maximum): 1.00%"
    texts = " | ".join(_texts(tab))
    assert "held 60 days or less" in texts
    assert "FIFO" in texts
    assert "redemption value" in texts
    assert any(label.startswith("002:96") for label in _citation_labels(tab))
    assert tab.headline_citation.citation().line_start == 96


def test_service_ii_converted_after_2012_04_27(panel, overseas) -> None:
    panel.show_class(overseas, ShareClass.SERVICE_II, AFTER_CONVERSION)
    panel.select_tab(panel.redemption_tab)
    banner = panel.banner.text.text()
    assert "Converted to Service shares at the close of business on 2012-04-27" in banner
    assert "no redemption fee applies" in banner
    assert panel.banner.citation.citation().label().startswith("002:12")
    assert panel.redemption_tab.headline.text() == "No redemption fee applies on 2012-05-01"
    assert not panel.redemption_tab.terms.isVisibleTo(panel)


def test_calculator_button_emits_the_class_and_date(qtbot, panel, overseas) -> None:
    panel.show_class(overseas, ShareClass.SERVICE_II, BEFORE_CONVERSION)
    panel.select_tab(panel.redemption_tab)
    with qtbot.waitSignal(panel.calculator_requested, timeout=5000) as blocker:
        qtbot.mouseClick(panel.redemption_tab.calculator_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [overseas, ShareClass.SERVICE_II, BEFORE_CONVERSION]


# -- fees ------------------------------------------------------------------------------------
def test_t1_warning_next_to_the_printed_aggressive_growth_total(
    panel, repo, aggressive_growth
) -> None:
    panel.show_class(aggressive_growth, ShareClass.SERVICE, FIRST_FILING)
    panel.select_tab(panel.fees_tab)
    cells = panel.fees_tab.fee_table.cells
    assert len(cells) == 1
    total = cells[0]["total_gross"]
    assert total.value.text() == "0.03%"
    assert total.icon is not None
    (t1,) = repo.data_notes(["T1"])
    assert html.escape(t1.title) in total.icon.toolTip()  # the title on hover, short
    full = NotesDialog(total.icon.notes)  # a click on the icon opens the full text
    text = full.browser.toPlainText()
    assert " ".join(t1.explanation.split()) in " ".join(text.split())
    # 004:1077: 0.67% + 0.25% + 0.01% = 0.93%, printed as 0.03%
    assert "Printed: 0.03%" in text
    assert "Value used: 0.93%" in text
    # the other printed values carry no warning
    assert cells[0]["management_fee"].icon is None
    assert cells[0]["total_net"].value.text() == "0.93%"


def test_t2_warning_next_to_the_printed_high_yield_net(panel, repo) -> None:
    high_yield = repo.resolve_portfolio("High-Yield Portfolio").portfolio_id
    panel.show_class(high_yield, ShareClass.SERVICE, FIRST_FILING)
    panel.select_tab(panel.fees_tab)
    row = panel.fees_tab.fee_table.cells[0]
    # 004:1087 prints 5.33% - 4.08% = 1.26% (it is 1.25%)
    assert row["total_net"].value.text() == "1.26%"
    assert "T2" in row["total_net"].icon.toolTip()
    assert row["total_gross"].icon is None


def test_printed_expense_example_is_shown_with_its_source(panel, aggressive_growth) -> None:
    panel.show_class(aggressive_growth, ShareClass.SERVICE, FIRST_FILING)
    panel.select_tab(panel.fees_tab)
    example = [w for w in panel.fees_tab.example.findChildren(CitedText)]
    assert [w.plain_text() for w in example] == ["$95", "$296"]
    assert {w.citation().label() for w in example} == {"004:1130"}


def test_projection_reproduces_the_printed_figures_and_follows_the_amount(
    qtbot, panel, aggressive_growth
) -> None:
    panel.show_class(aggressive_growth, ShareClass.SERVICE, FIRST_FILING)
    panel.select_tab(panel.fees_tab)
    box = panel.fees_tab.projection
    assert box.current_ratio() == Decimal("0.93")  # the value used (T1), not the printed 0.03%
    box.years_spin.setValue(3)
    # 0.93%: year 1 = 0.0093 x (10,000 + 10,407) / 2 = 94.89 -> $95;
    # year 2 = 0.0093 x (10,407 + 10,830.56) / 2 = 98.76, so 193.65 -> $194;
    # year 3 = 0.0093 x (10,830.56 + 11,271.37) / 2 = 102.77, so 296.42 -> $296 (004:1130)
    assert [(r.year, str(r.cumulative)) for r in box.rows()] == [
        (1, "95"),
        (2, "194"),
        (3, "296"),
    ]
    box.amount_edit.clear()
    qtbot.keyClicks(box.amount_edit, "20,000")
    # twice the amount: 189.79 -> $190 after one year, 592.84 -> $593 after three
    qtbot.waitUntil(lambda: str(box.rows()[-1].cumulative) == "593", timeout=5000)
    assert str(box.rows()[0].cumulative) == "190"
    assert "projection" in box.result.text()


def test_projection_reports_bad_input_without_rows(qtbot, panel, aggressive_growth) -> None:
    panel.show_class(aggressive_growth, ShareClass.SERVICE, FIRST_FILING)
    panel.select_tab(panel.fees_tab)
    box = panel.fees_tab.projection
    box.amount_edit.setText("0")
    assert box.rows() == []
    assert "amount" in box.result.text()


def test_projection_reads_numbers_by_the_input_rules(qtbot, panel, aggressive_growth) -> None:
    panel.show_class(aggressive_growth, ShareClass.SERVICE, FIRST_FILING)
    panel.select_tab(panel.fees_tab)
    box = panel.fees_tab.projection
    box.amount_edit.setText("-10,000")  # the same refusal as `janus-gui costs --amount -10000`
    assert box.rows() == []
    assert box.result.text() == "amount: '-10,000' must be greater than zero"
    box.amount_edit.setText("$10,000")  # a dollar amount may start with $
    box.return_edit.setText("1e1")
    assert box.rows() == []
    assert box.result.text().startswith("annual return: '1e1' is not a number")
    box.return_edit.setText("5%")
    assert box.rows() and "projection" in box.result.text()


# -- sources ---------------------------------------------------------------------------------
def test_double_clicking_a_source_row_emits_its_citation(qtbot, panel, overseas) -> None:
    panel.show_class(overseas, ShareClass.SERVICE_II, BEFORE_CONVERSION)
    panel.tabs.setCurrentIndex(panel.TAB_TITLES.index("Sources"))
    view = panel.sources_tab.view
    proxy = view.model()
    row = next(
        r
        for r in range(proxy.rowCount())
        if proxy.index(r, 0).data(RowRole).citation.label().startswith("002:96")
    )
    expected: Citation = proxy.index(row, 0).data(RowRole).citation
    view.scrollTo(proxy.index(row, COL_FACT))
    rect = view.visualRect(proxy.index(row, COL_FACT))
    with qtbot.waitSignal(panel.source_requested, timeout=5000) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [expected]


def test_enter_on_a_source_row_emits_its_citation(qtbot, panel, overseas) -> None:
    panel.show_class(overseas, ShareClass.SERVICE_II, BEFORE_CONVERSION)
    panel.tabs.setCurrentIndex(panel.TAB_TITLES.index("Sources"))
    view = panel.sources_tab.view
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, COL_FACT))
    expected = view.model().index(0, COL_FACT).data(RowRole).citation
    with qtbot.waitSignal(panel.source_requested, timeout=5000) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert blocker.args == [expected]


def test_sources_list_data_notes_with_a_warning_icon(panel, aggressive_growth) -> None:
    panel.show_class(aggressive_growth, ShareClass.SERVICE, FIRST_FILING)
    panel.select_tab(panel.sources_tab)
    model = panel.sources_tab.model
    notes = [r for r in range(model.rowCount()) if model.row_at(r).kind == "Data note"]
    assert notes
    t1 = next(r for r in notes if model.row_at(r).fact.startswith("T1:"))
    assert model.index(t1, COL_FACT).data(Qt.ItemDataRole.DecorationRole) is not None
    assert "0.93%" in model.index(t1, COL_FACT).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(t1, COL_SOURCE).data() == "004:1077"


def test_sources_filter_keeps_matching_rows(qtbot, panel, overseas) -> None:
    panel.show_class(overseas, ShareClass.SERVICE_II, BEFORE_CONVERSION)
    panel.select_tab(panel.sources_tab)
    tab = panel.sources_tab
    total = tab.proxy.rowCount()
    qtbot.keyClicks(tab.filter_edit, "redemption fee")
    shown = [tab.proxy.index(r, 0).data(RowRole) for r in range(tab.proxy.rowCount())]
    assert 0 < len(shown) < total
    assert any(f.citation.label().startswith("002:96") for f in shown)


def test_banner_citation_click_requests_the_source(qtbot, panel, overseas) -> None:
    panel.show_class(overseas, ShareClass.SERVICE_II, AFTER_CONVERSION)
    with qtbot.waitSignal(panel.source_requested, timeout=5000) as blocker:
        panel.banner.citation.activate()
    assert blocker.args[0].source_file.startswith("002_")


# -- overview, eligibility, exchanges, distributions -----------------------------------------
def test_copy_button_copies_the_cusip(qtbot, panel, overseas, repo) -> None:
    latest = repo.documented_range()[1]
    panel.show_class(overseas, ShareClass.INSTITUTIONAL, latest)
    tab = panel.overview_tab
    cusips = [(s.share_class, s.cusip) for s in tab.ids_model.rows()]
    # the class shown comes first: 000:25 and 001:19 (Institutional), then 000:48 (Service)
    assert cusips == [
        (ShareClass.INSTITUTIONAL, "471021709"),
        (ShareClass.SERVICE, "471021667"),
    ]
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(tab.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "471021709"


def test_isin_is_shown_beside_each_cusip_and_labelled_derived(panel, overseas, repo) -> None:
    panel.show_class(overseas, ShareClass.INSTITUTIONAL, repo.documented_range()[1])
    model = panel.overview_tab.ids_model
    headers = [
        model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        for c in range(model.columnCount())
    ]
    cusip_col, isin_col = headers.index("CUSIP"), headers.index("ISIN (derived)")
    assert isin_col == cusip_col + 1
    shown = {
        model.index(r, cusip_col).data(): model.index(r, isin_col).data()
        for r in range(model.rowCount())
    }
    # US + CUSIP + Luhn digit, worked by hand in tests/core/test_isin.py
    assert shown["471021709"] == "US4710217096"
    header_tip = model.headerData(isin_col, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    cell_tip = model.index(0, isin_col).data(Qt.ItemDataRole.ToolTipRole)
    for tip in (header_tip, cell_tip):
        assert "Derived from the CUSIP" in tip and "no source document prints an ISIN" in tip


def test_class_fit_helper_names_service_ii_for_a_fee_administering_plan(panel, overseas) -> None:
    panel.show_class(overseas, ShareClass.SERVICE_II, BEFORE_CONVERSION)
    panel.select_tab(panel.eligibility_tab)
    tab = panel.eligibility_tab
    tab.buyer_combo.setCurrentIndex(tab.buyer_combo.findData(Buyer.QUALIFIED_PLAN))
    tab.fee_check.setChecked(True)
    tab.redemption_check.setChecked(True)
    fits = {f.share_class: f for f in tab.fits()}
    assert fits[ShareClass.SERVICE_II].verdict == Verdict.FITS
    assert fits[ShareClass.SERVICE_II].citation.label().startswith("002:2")
    assert fits[ShareClass.INSTITUTIONAL].verdict == Verdict.DOES_NOT_FIT
    tab.redemption_check.setChecked(False)
    fits = {f.share_class: f for f in tab.fits()}
    assert fits[ShareClass.SERVICE_II].verdict == Verdict.DOES_NOT_FIT


def test_exchange_checker_offers_same_class_targets_first(panel, repo, overseas) -> None:
    panel.show_class(overseas, ShareClass.SERVICE_II, BEFORE_CONVERSION)
    panel.select_tab(panel.exchanges_tab)
    tab = panel.exchanges_tab
    # 002:121-124 names the only other Service II portfolio: Global Technology
    global_technology = repo.resolve_portfolio("Global Technology Portfolio").portfolio_id
    assert tab.target_combo.currentData() == global_technology
    # 002:117-120: same class of another Portfolio
    assert tab.answer_label.plain_text().startswith("Allowed")
    assert tab.answer_label.citation().label() == "002:117-120"
    growth = repo.resolve_portfolio("Growth Portfolio").portfolio_id
    assert not tab.check(growth).allowed
    assert any(
        e.kind == "conversion" and e.date == dt.date(2012, 4, 27) for e in tab.timeline.events()
    )


def test_timeline_click_on_a_marker_requests_its_source(qtbot, panel, overseas) -> None:
    panel.show_class(overseas, ShareClass.SERVICE_II, BEFORE_CONVERSION)
    panel.tabs.setCurrentIndex(panel.TAB_TITLES.index("Exchanges && conversions"))
    timeline = panel.exchanges_tab.timeline
    conversion = next(e for e in timeline.events() if e.kind == "conversion")
    point = timeline.marker_position(conversion).toPoint()
    with qtbot.waitSignal(panel.source_requested, timeout=5000) as blocker:
        qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args[0].label().startswith("002:12")


def test_the_events_timeline_copies_as_an_image(qtbot, qapp, panel, overseas) -> None:
    panel.show_class(overseas, ShareClass.SERVICE_II, BEFORE_CONVERSION)
    panel.tabs.setCurrentIndex(panel.TAB_TITLES.index("Exchanges && conversions"))
    timeline = panel.exchanges_tab.timeline
    qapp.clipboard().clear()
    (action,) = [a for a in timeline.actions() if a.text() == "Copy timeline as image"]
    action.trigger()
    image = qapp.clipboard().image()
    assert (image.width(), image.height()) == (timeline.width(), timeline.height())
    assert (
        len(
            {
                image.pixel(x, y)
                for x in range(0, image.width(), 5)
                for y in range(0, image.height(), 3)
            }
        )
        > 3
    )


def test_distributions_of_overseas_institutional(panel, overseas, repo) -> None:
    latest = repo.documented_range()[1]
    panel.show_class(overseas, ShareClass.INSTITUTIONAL, latest)
    panel.select_tab(panel.distributions_tab)
    tab = panel.distributions_tab
    rows = {d.period: d for d in tab.model.rows()}
    # 000:7 and 000:25: record 12/6/2012, $0.09081
    assert rows["2012-12"].record_date == dt.date(2012, 12, 6)
    assert str(rows["2012-12"].total) == "0.09081"
    # 001:19: record 6/25/2013, $1.07469000 in June; $1.24600000 for the year
    assert rows["2013-06"].record_date == dt.date(2013, 6, 25)
    assert str(rows["2013-06"].total) == "1.07469000"
    assert str(rows["2013"].total) == "1.24600000"
    # the year total is not charted on top of its payments
    bars = tab.chart.bars()
    assert [b.label.split("\n")[0] for b in bars] == ["2012-12", "2013-06"]
    # 2012-12 stacks investment income only (short-term gain and capital gain are 0.00000)
    assert [(s.name, str(s.value)) for s in bars[0].segments] == [("Investment income", "0.09081")]
    assert bars[0].caption == "$0.09081"


def test_distribution_data_notes_are_flagged_in_table_and_chart(panel, overseas, repo) -> None:
    latest = repo.documented_range()[1]
    panel.show_class(overseas, ShareClass.SERVICE, latest)
    panel.select_tab(panel.distributions_tab)
    tab = panel.distributions_tab
    # 001:41 prints the Overseas Service foreign-tax total as 1.21603568 (note M4)
    flagged = [d for d in tab.model.rows() if "M4" in d.note_ids]
    assert flagged
    notes_column = next(
        c
        for c in range(tab.model.columnCount())
        if tab.model.headerData(c, Qt.Orientation.Horizontal) == "Notes"
    )
    row = tab.model.rows().index(flagged[0])
    assert tab.model.index(row, notes_column).data(Qt.ItemDataRole.DecorationRole) is not None
    assert "M4" in tab.model.index(row, notes_column).data(Qt.ItemDataRole.ToolTipRole)
    (m4,) = repo.data_notes(["M4"])
    assert m4.title in tab.model.index(row, notes_column).data()
    assert "1.21603568" in NotesDialog([m4]).browser.toPlainText()  # the full text, on click
    assert any("M4" in bar.flag_tooltip for bar in tab.chart.bars())


def test_hidden_tabs_are_filled_when_first_shown(panel, overseas) -> None:
    panel.show_class(overseas, ShareClass.SERVICE_II, BEFORE_CONVERSION)
    assert panel.sources_tab.model.rowCount() == 0
    panel.select_tab(panel.sources_tab)
    assert panel.sources_tab.model.rowCount() > 0
    # a new class refreshes the visible tab at once
    panel.show_class(overseas, ShareClass.SERVICE_II, AFTER_CONVERSION)
    status = next(f for f in panel.sources_tab.facts() if f.kind == "Status")
    expected = "Converted to Service Shares at the close of business on 2012-04-27"
    assert status.fact.startswith(expected)


def test_clear_and_errors_show_no_traceback(panel) -> None:
    panel.show_class("P999", ShareClass.SERVICE, FIRST_FILING)
    assert "P999" in panel.banner.text.text()
    assert panel.current() is None
    panel.clear()
    assert not panel.banner.isVisibleTo(panel)


def test_every_model_passes_qtmodeltester(
    qtmodeltester, panel, overseas, repo, aggressive_growth
) -> None:
    latest = repo.documented_range()[1]
    panel.show_class(overseas, ShareClass.INSTITUTIONAL, latest)
    panel.fill_all()
    models = [
        panel.overview_tab.names_model,
        panel.overview_tab.ids_model,
        panel.overview_tab.availability_model,
        panel.eligibility_tab.fit_model,
        panel.exchanges_tab.events_model,
        panel.distributions_tab.model,
        panel.distributions_tab.proxy,
        panel.sources_tab.model,
        panel.sources_tab.proxy,
    ]
    panel.show_class(aggressive_growth, ShareClass.SERVICE, FIRST_FILING)
    panel.fill_all()
    models.append(panel.fees_tab.projection.model)
    for model in models:
        assert model.rowCount() > 0, model
        qtmodeltester.check(model)
    QApplication.processEvents()


# -- standings --------------------------------------------------------------------------------
def test_fees_tab_marks_1999_terms_as_carried_on_a_2012_date(panel, overseas) -> None:
    """004:4773-4781 (1999 SAI) speaks for 1999-2000; on 2012-04-20 it is carried, and says so."""
    panel.show_class(overseas, ShareClass.SERVICE_II, BEFORE_CONVERSION)
    panel.select_tab(panel.fees_tab)
    management = [t for t in _texts(panel.fees_tab) if "management fee, calculated daily" in t]
    assert management and all(
        t.startswith("[carried: last documented 2000-04-30") for t in management
    )
    twelve_b1 = [t for t in _texts(panel.fees_tab) if t.startswith("up to 0.25%")]
    assert twelve_b1, "the 2012 plan's 12b-1 fee is documented on the date, with no badge"


def test_ended_class_banner_says_no_rules_are_in_force(panel, overseas) -> None:
    panel.show_class(overseas, ShareClass.SERVICE_II, AFTER_CONVERSION)
    text = panel.banner.text.text()
    assert "Converted to Service shares at the close of business on 2012-04-27" in text
    assert "no rules of this class are in force" in text


def test_ended_class_lists_its_former_rules_apart(panel, overseas) -> None:
    """After 2012-04-27 Overseas Service II has no rules in force (002:128-131); the overview
    lists the rules of its last day, 2012-04-27, under their own heading, the 1% fee among them."""
    panel.show_class(overseas, ShareClass.SERVICE_II, AFTER_CONVERSION)
    panel.select_tab(panel.overview_tab)
    section = panel.overview_tab.former_section
    assert section.isVisibleTo(panel)
    assert section.title.text() == "Before the class ended: rules in force on 2012-04-27"
    texts = " | ".join(_texts(section))
    assert "None of these is in force on 2012-05-01: the class has ended." in texts
    assert "002:96-103" in _citation_labels(section)


def test_offered_class_has_no_former_rules_section(panel, overseas) -> None:
    panel.show_class(overseas, ShareClass.SERVICE_II, BEFORE_CONVERSION)
    panel.select_tab(panel.overview_tab)
    assert not panel.overview_tab.former_section.isVisibleTo(panel)


def test_ticker_cells_open_the_line_that_prints_the_ticker(qtbot, panel, overseas, repo) -> None:
    panel.show_class(overseas, ShareClass.INSTITUTIONAL, repo.documented_range()[1])
    panel.select_tab(panel.overview_tab)
    tab = panel.overview_tab
    view, model = tab.ids_view, tab.ids_model
    headers = [
        model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        for c in range(model.columnCount())
    ]
    ticker_source = headers.index("Ticker source")
    assert view.model().index(0, ticker_source).data() == "001:19"
    assert view.model().index(0, headers.index("CUSIP source")).data() == "000:25"
    for column, expected in (
        (headers.index("Ticker"), "001:19"),
        (ticker_source, "001:19"),
        (headers.index("CUSIP"), "000:25"),
    ):
        index = view.model().index(0, column)
        view.scrollTo(index)
        rect = view.visualRect(index)
        with qtbot.waitSignal(panel.source_requested, timeout=5000) as blocker:
            qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert blocker.args[0].label() == expected


def test_sources_list_the_ticker_at_its_own_line(panel, overseas, repo) -> None:
    panel.show_class(overseas, ShareClass.INSTITUTIONAL, repo.documented_range()[1])
    panel.select_tab(panel.sources_tab)
    model = panel.sources_tab.model
    rows = [model.row_at(r) for r in range(model.rowCount())]
    ticker = next(f for f in rows if f.kind == "Ticker")
    assert ticker.fact.startswith("JAIG") and ticker.citation.label() == "001:19"
    assert "JAIG" in ticker.citation.quote.split()
    cusip = next(f for f in rows if f.kind == "CUSIP")
    assert cusip.fact == "471021709" and cusip.citation.label() == "000:25"
