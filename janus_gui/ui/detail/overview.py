"""Overview tab: identity, names over time, availability, CUSIPs and tickers."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from janus_gui.core.identifiers import isin_from_cusip
from janus_gui.core.models import (
    Citation,
    ClassEvidence,
    ClassEvidenceKind,
    ClassRules,
    ClassState,
    PortfolioName,
    Security,
)
from janus_gui.core.repository import Repository
from janus_gui.ui.detail.common import (
    GLOSSARY,
    Section,
    evidence_text,
    evidence_tooltip,
    fact_table,
    fit_columns,
    fit_height,
    fmt_date,
    muted,
    rule_row,
    standing_badge,
    tab_layout,
)
from janus_gui.ui.tables import Column, RowRole

EVIDENCE_KIND_TEXT = {
    ClassEvidenceKind.LISTED: "listed by a document",
    ClassEvidenceKind.EXISTS: "existed on",
    ClassEvidenceKind.STARTS: "started",
    ClassEvidenceKind.ENDS: "ended (documented)",
    ClassEvidenceKind.UNLISTED: "left out of a class list",
}


def _span_text(item: ClassEvidence) -> str:
    if item.date_to is None:
        return item.date_from.isoformat()
    return f"{item.date_from.isoformat()} to {item.last_day.isoformat()}"


NAME_COLUMNS = [
    Column("Name", lambda n: n.name),
    Column(
        "Kind",
        lambda n: n.kind.value,
        header_tooltip=(
            "legal: the portfolio's name in a document; label: a short table label; "
            "variant: a one-off form of the name"
        ),
    ),
    Column(
        "Documented from",
        lambda n: n.documented_from,
        text=lambda n: fmt_date(n.documented_from, open_text="unknown"),
        header_tooltip="The first day the source speaks for this name.",
    ),
    Column(
        "to",
        lambda n: n.last_documented,
        text=lambda n: fmt_date(n.last_documented, open_text="open"),
        header_tooltip="The last day the source speaks for this name (inclusive).",
    ),
    Column(
        "Evidence",
        lambda n: str(n.evidence),
        text=lambda n: evidence_text(n.evidence),
        tooltip=lambda n: evidence_tooltip(n.evidence, n.evidence_reason),
    ),
    Column(
        "Source",
        lambda n: n.citation.label(),
        tooltip=lambda n: n.citation.quote,
        header_tooltip="Double-click a row to open the source.",
    ),
]

DERIVED_ISIN_NOTE = (
    "Derived from the CUSIP (US + CUSIP + check digit); no source document prints an ISIN."
)

SECURITY_COLUMNS = [
    Column("Class", lambda s: s.share_class.value),
    Column("CUSIP", lambda s: s.cusip, header_tooltip=GLOSSARY["CUSIP"]),
    Column(
        "ISIN (derived)",
        lambda s: isin_from_cusip(s.cusip),
        tooltip=lambda s: DERIVED_ISIN_NOTE,
        header_tooltip=GLOSSARY["ISIN"] + " " + DERIVED_ISIN_NOTE,
    ),
    Column(
        "Ticker",
        lambda s: s.ticker,
        text=lambda s: s.ticker or "not printed (N/A)",
    ),
    Column(
        "Ticker source",
        lambda s: s.ticker_citation.label() if s.ticker_citation else "",
        text=lambda s: s.ticker_citation.label() if s.ticker_citation else "no ticker column",
        tooltip=lambda s: s.ticker_citation.quote if s.ticker_citation else None,
        header_tooltip="The line that prints the ticker. Double-click to open it.",
    ),
    Column("Name as printed", lambda s: s.name_as_printed),
    Column(
        "Evidence",
        lambda s: str(s.evidence),
        text=lambda s: evidence_text(s.evidence),
    ),
    Column(
        "CUSIP source",
        lambda s: s.citation.label(),
        tooltip=lambda s: s.citation.quote,
        header_tooltip="The first line that prints the CUSIP. Double-click to open it.",
    ),
]
# Double-clicking these columns opens the ticker's line; any other column, the CUSIP's.
TICKER_COLUMNS = {3, 4}


def security_citation(security: Security, column: int) -> Citation | None:
    """The source of the cell double-clicked: the ticker's line or the CUSIP's."""
    if column in TICKER_COLUMNS:
        return security.ticker_citation
    return security.citation


AVAILABILITY_COLUMNS = [
    Column("Evidence of", lambda a: a.kind.value, text=lambda a: EVIDENCE_KIND_TEXT[a.kind]),
    Column("Date(s)", lambda a: a.date_from, text=_span_text),
    Column("Why", lambda a: a.reason),
    Column(
        "Evidence",
        lambda a: str(a.evidence),
        text=lambda a: evidence_text(a.evidence),
        tooltip=lambda a: evidence_tooltip(a.evidence, a.evidence_reason),
    ),
    Column("Source", lambda a: a.citation.label(), tooltip=lambda a: a.citation.quote),
]


class OverviewTab(QWidget):
    """Who the portfolio is on the date, what it was called, and how to identify the class."""

    source_requested = Signal(object)

    def __init__(self, repo: Repository, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._repo = repo
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        layout = tab_layout(self)
        self.identity = Section("Portfolio", self)
        layout.addWidget(self.identity)

        self.names_section = Section("Names over time", self)
        self.names_view, self.names_model, self.names_proxy = fact_table(
            NAME_COLUMNS, lambda n: n.citation, self.source_requested.emit, self
        )
        self.names_section.add_widget(self.names_view)
        layout.addWidget(self.names_section)

        self.ids_section = Section("CUSIPs and tickers", self)
        self.ids_section.title.setToolTip(GLOSSARY["CUSIP"])
        # No row-wide citation: the activation slot picks the ticker's or the CUSIP's by column.
        self.ids_view, self.ids_model, self.ids_proxy = fact_table(
            SECURITY_COLUMNS, lambda _s: None, self.source_requested.emit, self
        )
        self.ids_empty = muted("", self)
        buttons = QWidget(self)
        row = QHBoxLayout(buttons)
        row.setContentsMargins(0, 0, 0, 0)
        self.copy_button = QPushButton("Copy CUSIP", buttons)
        self.copy_button.setToolTip(
            "Copy the selected CUSIP to the clipboard (Ctrl+C in the table copies whole rows)."
        )
        row.addWidget(self.copy_button)
        row.addStretch(1)
        self.ids_section.add_widget(self.ids_view)
        self.ids_view.horizontalHeader().setHighlightSections(False)
        self.ids_section.add_widget(self.ids_empty)
        self.ids_section.add_widget(buttons)
        layout.addWidget(self.ids_section)

        self.availability_section = Section("When the class is documented", self)
        self.availability_view, self.availability_model, self.availability_proxy = fact_table(
            AVAILABILITY_COLUMNS, lambda a: a.citation, self.source_requested.emit, self
        )
        self.availability_section.add_widget(self.availability_view)
        layout.addWidget(self.availability_section)

        # Kept apart from everything above: these rules are not in force on the date shown.
        self.former_section = Section("Rules before this date", self)
        self.former_note = muted("", self.former_section)
        self.former_section.layout().insertWidget(1, self.former_note)  # under the heading
        layout.addWidget(self.former_section)
        layout.addStretch(1)

    def _connect(self) -> None:
        self.identity.citation_clicked.connect(self.source_requested)
        self.former_section.citation_clicked.connect(self.source_requested)
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        self.ids_view.activated.connect(self._on_ids_view_activated)

    # -- filling ---------------------------------------------------------------------------
    def show_rules(self, rules: ClassRules) -> None:
        """Fill the tab for one class on one date."""
        self._fill_identity(rules)
        self._fill_names(list(rules.names))
        self._fill_securities(rules)
        periods = self._repo.class_evidence(rules.portfolio.portfolio_id, rules.share_class)
        self._fill_availability(periods)
        self._fill_former_rules(rules)

    def clear(self) -> None:
        """Show nothing."""
        self.identity.clear()
        self.former_section.clear()
        self.former_section.hide()
        for model in (self.names_model, self.ids_model, self.availability_model):
            model.set_rows([])

    def _fill_identity(self, rules: ClassRules) -> None:
        self.identity.clear()
        portfolio = rules.portfolio
        name = rules.name
        shown = [n for n in rules.names if name is not None and n.name == name.name]
        citation = shown[-1].citation if shown else None
        name_text = name.describe() if name else rules.portfolio_name
        if name is not None:
            name_text += f"  [{standing_badge(name.support)}]"
            if name.labels:
                name_text += f"; printed in a table as {', '.join(name.labels)}"
        self.identity.add_row("Name on this date", name_text, citation)
        self.identity.add_row("Lineage id", portfolio.portfolio_id)
        self.identity.add_row("Category", portfolio.category or "not stated in the sources")
        self.identity.add_row("Objective", portfolio.objective or "not stated in the sources")
        self.identity.add_row("Share class", f"{rules.share_class.value} shares")

    def _fill_names(self, names: list[PortfolioName]) -> None:
        self.names_model.set_rows(names)
        fit_columns(self.names_view)
        fit_height(self.names_view, len(names))

    def _fill_securities(self, rules: ClassRules) -> None:
        """Every class of the portfolio, the class shown first (CUSIPs tell the classes apart)."""
        others = [
            s
            for s in self._repo.securities(rules.portfolio.portfolio_id)
            if s.share_class != rules.share_class
        ]
        securities = list(rules.securities) + others
        self.ids_model.set_rows(securities)
        has_rows = bool(securities)
        self.ids_view.setVisible(has_rows)
        self.copy_button.setVisible(bool(rules.securities))
        self.ids_empty.setVisible(not rules.securities)
        self.ids_empty.setText(
            f"No CUSIP or ticker is printed for {rules.share_class.value} shares of this "
            "portfolio in any source."
            + (" The other classes' identifiers are listed above." if has_rows else "")
        )
        if has_rows:
            fit_columns(self.ids_view)
            fit_height(self.ids_view, len(securities))

    def _fill_former_rules(self, rules: ClassRules) -> None:
        """The rules of the class's last documented day, when none is in force on the date."""
        section = self.former_section
        section.clear()
        section.setVisible(bool(rules.former_rules) and rules.former_as_of is not None)
        if not rules.former_rules or rules.former_as_of is None:
            return
        day = rules.former_as_of.isoformat()
        ended = rules.status.state == ClassState.ENDED
        section.title.setText(
            f"Before the class ended: rules in force on {day}"
            if ended
            else f"Last documented: rules in force on {day}"
        )
        self.former_note.setText(
            f"None of these is in force on {rules.as_of.isoformat()}: "
            + ("the class has ended." if ended else "no source documents the class on that date.")
        )
        for rule in rules.former_rules:
            rule_row(section, rule.kind.value.replace("_", " ").capitalize(), rule, rules)

    def _fill_availability(self, periods: list[ClassEvidence]) -> None:
        self.availability_model.set_rows(periods)
        fit_columns(self.availability_view)
        fit_height(self.availability_view, len(periods))

    # -- slots -------------------------------------------------------------------------------
    def selected_security(self) -> Security | None:
        """The security selected in the table (the first one when none is selected)."""
        rows = self.ids_view.selectionModel().selectedRows() if self.ids_view.model() else []
        if rows:
            return rows[0].data(RowRole)
        return self.ids_model.row_at(0) if self.ids_model.rowCount() else None

    def _on_ids_view_activated(self, index: QModelIndex) -> None:
        citation = security_citation(index.data(RowRole), index.column())
        if citation is not None:
            self.source_requested.emit(citation)

    def _on_copy_button_clicked(self) -> None:
        security = self.selected_security()
        if security is None:
            return
        QGuiApplication.clipboard().setText(security.cusip)
