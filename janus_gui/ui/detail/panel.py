"""The detail pane: everything the catalog knows for one share class on one date, each fact cited.

``DetailPanel.show_class`` resolves the class once through ``core.asof.class_rules`` and hands
the result to the tabs (Overview, Eligibility, Fees & expenses, Redemption fee, Exchanges &
conversions, Distributions, Sources). A banner at the top states the class's status on the date.
"""

from __future__ import annotations

import datetime as dt
import html
import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QStyle,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from janus_gui.core.asof import class_rules
from janus_gui.core.errors import JanusError
from janus_gui.core.facts import Fact, fact_for_citation, shown_facts
from janus_gui.core.json_forms import class_rules_payload, json_text
from janus_gui.core.models import (
    Citation,
    ClassRules,
    ClassState,
    ShareClass,
    Standing,
    Support,
)
from janus_gui.core.repository import Repository
from janus_gui.ui.changes_view import ChangesView
from janus_gui.ui.citation_label import CitationLabel, CitedText
from janus_gui.ui.detail.common import blend, muted, scrolling
from janus_gui.ui.detail.distributions import DistributionsTab
from janus_gui.ui.detail.eligibility import EligibilityTab
from janus_gui.ui.detail.exchanges import ExchangesTab
from janus_gui.ui.detail.fees import FeesTab
from janus_gui.ui.detail.overview import OverviewTab
from janus_gui.ui.detail.redemption import RedemptionTab
from janus_gui.ui.detail.sources import SourcesTab
from janus_gui.ui.fact_copy import copy_text, install_copy, install_row_copy
from janus_gui.ui.tables import CopyableTableView, RowRole

logger = logging.getLogger(__name__)

# Banner tints: the window colour moved towards an accent, so text stays readable in any theme.
_WARNING_ACCENT = QColor(230, 160, 0)
_TINT = 0.22


def banner_text(rules: ClassRules) -> str:
    """The status sentence shown at the top of the panel, with its standing."""
    status = rules.status
    if status.state == ClassState.ENDED and status.converted_into is not None:
        ended_on = status.support.documented_on
        day = ended_on.isoformat() if ended_on else "an unstated date"
        into = status.converted_into.value
        text = f"Converted to {into} shares at the close of business on {day}"
        if not rules.redemption_fee.applies:
            text += " — no redemption fee applies; no rules of this class are in force"
        return text
    if status.standing == Standing.CARRIED:
        return f"{status.text} Facts shown for this date are carried unless marked documented."
    return status.text


class StatusBanner(QFrame):
    """A tinted strip with an icon, the status sentence and its citation."""

    citation_clicked = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(10)
        self.icon = QLabel(self)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont(self.text.font())
        font.setBold(True)
        self.text.setFont(font)
        self.citation = CitationLabel(None, self)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.citation, 0, Qt.AlignmentFlag.AlignTop)
        self.citation.citation_clicked.connect(self.citation_clicked)

    def show_status(self, rules: ClassRules) -> None:
        """State the class's status on the date, tinted by how usable the class is."""
        offered = rules.status.state == ClassState.OFFERED
        self._tint(offered)
        pixmap = (
            QStyle.StandardPixmap.SP_MessageBoxInformation
            if offered
            else QStyle.StandardPixmap.SP_MessageBoxWarning
        )
        size = self.fontMetrics().height() + 4
        self.icon.setPixmap(self.style().standardIcon(pixmap).pixmap(size, size))
        self.text.setText(html.escape(banner_text(rules)))
        self.citation.set_citation(rules.status.citation)
        self.setVisible(True)

    def show_error(self, message: str) -> None:
        """Show an expected failure instead of a status."""
        self._tint(False)
        size = self.fontMetrics().height() + 4
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.icon.setPixmap(icon.pixmap(size, size))
        self.text.setText(html.escape(message))
        self.citation.set_citation(None)
        self.setVisible(True)

    def _tint(self, offered: bool) -> None:
        palette = self.parentWidget().palette() if self.parentWidget() else self.palette()
        window = palette.color(QPalette.ColorRole.Window)
        accent = palette.color(QPalette.ColorRole.Highlight) if offered else _WARNING_ACCENT
        own = self.palette()
        own.setColor(QPalette.ColorRole.Window, blend(window, accent, _TINT))
        self.setPalette(own)


PRINTED = Support(Standing.DOCUMENTED, text="as printed at the source cited")


def _row_text(table: CopyableTableView) -> str:
    """The current row of a table as ``Header: value; ...``."""
    model, row = table.model(), table.currentIndex().row()
    cells = []
    for column in range(model.columnCount()):
        value = model.index(row, column).data()
        if value not in (None, ""):
            header = model.headerData(column, Qt.Orientation.Horizontal)
            cells.append(f"{header}: {value}")
    return "; ".join(cells)


class DetailPanel(QWidget):
    """Tabs of facts for one portfolio, class and date; every fact links to its source."""

    source_requested = Signal(object)
    calculator_requested = Signal(str, object, object)

    TAB_TITLES = (
        "Overview",
        "Eligibility",
        "Fees && expenses",
        "Redemption fee",
        "Exchanges && conversions",
        "Distributions",
        "Sources",
    )

    def __init__(self, repo: Repository, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._repo = repo
        self._rules: ClassRules | None = None
        self._facts: list[Fact] | None = None  # what the copy actions copy, built on first use
        self._stale: set[int] = set()  # tabs not yet filled for the class shown
        self._build_ui()
        self._connect()
        self.clear()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.title = QLabel(self)
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title.setWordWrap(True)
        self.subtitle = muted("", self)
        header = QVBoxLayout()
        header.setContentsMargins(4, 4, 4, 0)
        header.setSpacing(2)
        header.addWidget(self.title)
        subtitle_row = QHBoxLayout()
        subtitle_row.addWidget(self.subtitle, 1)
        self.compare_dates_button = QToolButton(self)
        self.compare_dates_button.setText("Compare dates")
        self.compare_dates_button.setCheckable(True)
        self.compare_dates_button.setToolTip(
            "What changed for this class between the as-of date and another date"
        )
        self.copy_json_button = QToolButton(self)
        self.copy_json_button.setText("Copy as JSON")
        self.copy_json_button.setToolTip(
            "Copy every fact of this class on this date, with its source, as JSON "
            "(the same as janus-gui show --json)"
        )
        subtitle_row.addWidget(self.compare_dates_button)
        subtitle_row.addWidget(self.copy_json_button)
        header.addLayout(subtitle_row)
        layout.addLayout(header)
        self.banner = StatusBanner(self)
        layout.addWidget(self.banner)

        self.overview_tab = OverviewTab(self._repo, self)
        self.eligibility_tab = EligibilityTab(self._repo, self)
        self.fees_tab = FeesTab(self)
        self.redemption_tab = RedemptionTab(self)
        self.exchanges_tab = ExchangesTab(self._repo, self)
        self.distributions_tab = DistributionsTab(self)
        self.sources_tab = SourcesTab(self)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        # Every tab stays in view at laptop widths: titles elide instead of scrolling away.
        self.tabs.setUsesScrollButtons(False)
        self.tabs.setElideMode(Qt.TextElideMode.ElideRight)
        for tab, title in zip(self._tab_widgets(), self.TAB_TITLES, strict=True):
            page = tab if tab is self.sources_tab else scrolling(tab)
            index = self.tabs.addTab(page, title)
            self.tabs.setTabToolTip(index, title)  # the whole title when it is elided
        layout.addWidget(self.tabs, 1)
        self.changes_view = ChangesView(self._repo, self)
        self.changes_view.setVisible(False)
        layout.addWidget(self.changes_view, 1)
        layout.addStretch(0)  # keeps the header at the top while no class is shown

    def _tab_widgets(self) -> list[QWidget]:
        return [
            self.overview_tab,
            self.eligibility_tab,
            self.fees_tab,
            self.redemption_tab,
            self.exchanges_tab,
            self.distributions_tab,
            self.sources_tab,
        ]

    def _connect(self) -> None:
        self.banner.citation_clicked.connect(self.source_requested)
        for tab in self._tab_widgets():
            tab.source_requested.connect(self.source_requested)
        self.redemption_tab.calculator_clicked.connect(self._on_redemption_calculator_clicked)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.compare_dates_button.toggled.connect(self._on_compare_dates_button_toggled)
        self.copy_json_button.clicked.connect(self._on_copy_json_button_clicked)
        install_copy(self.banner.citation, lambda: self.fact_for(self.banner.citation))

    # -- public API --------------------------------------------------------------------------
    def show_class(self, portfolio_id: str, share_class: ShareClass, as_of: dt.date) -> None:
        """Show everything for one class of one portfolio on one date."""
        try:
            rules = class_rules(self._repo, portfolio_id, share_class, as_of)
        except JanusError as exc:
            logger.info("cannot show %s %s on %s: %s", portfolio_id, share_class, as_of, exc)
            self.clear()
            self.banner.show_error(str(exc))
            return
        self._rules = rules
        self._facts = None
        self.title.setText(f"{rules.portfolio_name} — {share_class.value} shares")
        self.subtitle.setText(
            f"As of {as_of.isoformat()} · lineage {rules.portfolio.portfolio_id}"
            + (f" · {rules.portfolio.category}" if rules.portfolio.category else "")
        )
        self.banner.show_status(rules)
        # Only the visible tab is filled now; the others when they are first shown.
        self._stale = set(range(len(self._tab_widgets())))
        self._fill_tab(self.tabs.currentIndex())
        self._show_mode()

    def clear(self) -> None:
        """Show nothing (no class selected)."""
        self._rules = None
        self._stale = set()
        self.title.setText("No share class selected")
        self.subtitle.setText("Search or pick a portfolio and a class to see its rules.")
        self.banner.setVisible(False)
        for tab in self._tab_widgets():
            tab.clear()
        self.tabs.setVisible(False)
        self.changes_view.setVisible(False)
        self.compare_dates_button.setEnabled(False)
        self.copy_json_button.setEnabled(False)

    def fill_all(self) -> None:
        """Fill every tab now (printing, exporting, tests that read hidden tabs)."""
        for index in sorted(self._stale):
            self._fill_tab(index)

    def _fill_tab(self, index: int) -> None:
        if self._rules is None or index not in self._stale:
            return
        self._stale.discard(index)
        tab = self._tab_widgets()[index]
        tab.show_rules(self._rules)
        self._install_copy(tab)

    def current(self) -> ClassRules | None:
        """What is shown, if anything."""
        return self._rules

    def select_tab(self, widget: QWidget) -> None:
        """Bring one of the tabs to the front."""
        for index in range(self.tabs.count()):
            page = self.tabs.widget(index)
            inner = page.widget() if hasattr(page, "widget") else page
            if page is widget or inner is widget:
                self.tabs.setCurrentIndex(index)
                return

    def comparing_dates(self) -> bool:
        """Whether the "Compare dates" mode is on."""
        return self.compare_dates_button.isChecked()

    def fact_for(self, widget: CitationLabel | CitedText) -> Fact | None:
        """The fact a citation link in the panel stands for: its text, source and standing."""
        citation = widget.citation()
        if self._rules is None or citation is None:
            return None
        if self._facts is None:
            self._facts = shown_facts(self._rules)
        text = widget.plain_text() if isinstance(widget, CitedText) else ""
        found = fact_for_citation(self._facts, citation, text)
        if found is not None:
            return found
        # Shown with a source but not one of the class's facts (a data note, a date of a
        # document): copy what is shown, supported as the class's status is.
        return Fact(
            "shown",
            "Fact",
            text or citation.quote,
            citation,
            self._rules.status.support,
            text,
            self._rules.as_of,
        )

    def json_text(self) -> str:
        """The ``show --json`` payload of what is shown ("" when nothing is)."""
        if self._rules is None:
            return ""
        return json_text(class_rules_payload(self._rules))

    def _install_copy(self, tab: QWidget) -> None:
        for widget in (*tab.findChildren(CitationLabel), *tab.findChildren(CitedText)):
            install_copy(widget, lambda w=widget: self.fact_for(w))
        for table in tab.findChildren(CopyableTableView):
            install_row_copy(table, lambda t=table: self._row_fact(t))

    def _row_fact(self, table: CopyableTableView) -> Fact | None:
        """The fact of a table's current row (rows are records that carry a citation)."""
        record = table.currentIndex().data(RowRole)
        citation = getattr(record, "citation", None)
        if self._rules is None or not isinstance(citation, Citation):
            return None
        if self._facts is None:
            self._facts = shown_facts(self._rules)
        text = str(getattr(record, "summary", "") or getattr(record, "name", "") or "")
        found = fact_for_citation(self._facts, citation, text)
        if found is not None and text and (found.text == text or text in found.text):
            return found
        # A row about something else than the class's own facts (another class's CUSIP, a
        # table row): its cells, as printed at the source cited.
        return Fact("row", "Row", _row_text(table), citation, PRINTED, "", self._rules.as_of)

    def _show_mode(self) -> None:
        shown = self._rules is not None
        comparing = shown and self.comparing_dates()
        self.compare_dates_button.setEnabled(shown)
        self.copy_json_button.setEnabled(shown)
        self.tabs.setVisible(shown and not comparing)
        self.changes_view.setVisible(comparing)
        if comparing and self._rules is not None:
            rules = self._rules
            self.changes_view.show_class(
                rules.portfolio.portfolio_id, rules.share_class, rules.as_of
            )

    # -- slots -------------------------------------------------------------------------------
    def _on_tabs_current_changed(self, index: int) -> None:
        self._fill_tab(index)

    def _on_compare_dates_button_toggled(self, _checked: bool) -> None:
        self._show_mode()

    def _on_copy_json_button_clicked(self) -> None:
        text = self.json_text()
        if text:
            copy_text(text)

    def _on_redemption_calculator_clicked(self) -> None:
        rules = self._rules
        if rules is None:
            return
        self.calculator_requested.emit(rules.portfolio.portfolio_id, rules.share_class, rules.as_of)
