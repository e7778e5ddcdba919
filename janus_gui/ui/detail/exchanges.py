"""Exchanges & conversions tab: the exchange rule, a checker, conversions and a timeline."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from janus_gui.core.asof import class_status
from janus_gui.core.errors import JanusError
from janus_gui.core.exchange import ExchangeCheck, Holding, check_exchange
from janus_gui.core.models import ClassRules, ClassState, Event, EventKind, RuleKind
from janus_gui.core.repository import Repository
from janus_gui.ui.citation_label import CitedText
from janus_gui.ui.detail.common import (
    Section,
    evidence_text,
    evidence_tooltip,
    fact_table,
    fit_columns,
    fit_height,
    muted,
    rule_row,
    tab_layout,
)
from janus_gui.ui.detail.timeline import KIND_LABELS, TimelineWidget
from janus_gui.ui.tables import Column

EVENT_COLUMNS = [
    Column("Date", lambda e: e.date),
    Column("Event", lambda e: KIND_LABELS.get(e.kind, e.kind)),
    Column(
        "Source",
        lambda e: e.citation.label(),
        tooltip=lambda e: e.citation.quote,
        header_tooltip="Double-click a row to open the source.",
    ),
    Column(
        "Evidence",
        lambda e: str(e.evidence),
        text=lambda e: evidence_text(e.evidence),
        tooltip=lambda e: evidence_tooltip(e.evidence, e.evidence_reason),
    ),
    Column("Description", lambda e: e.description, tooltip=lambda e: e.description),
]


class ExchangesTab(QWidget):
    """Exchange privilege, the checker, conversion rules, and a timeline of events."""

    source_requested = Signal(object)

    def __init__(self, repo: Repository, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._repo = repo
        self._rules: ClassRules | None = None
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        layout = tab_layout(self)
        self.exchange = Section("Exchange privilege", self)
        layout.addWidget(self.exchange)

        self.checker = Section("Check an exchange", self)
        row = QWidget(self)
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(QLabel("Exchange into:", row))
        self.target_combo = QComboBox(row)
        self.target_combo.setMinimumContentsLength(32)
        self.target_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        line.addWidget(self.target_combo, 1)
        line.addStretch(0)
        self.checker.add_widget(row)
        self.answer_label = CitedText("", None, self)
        self.checker.add_widget(self.answer_label)
        self.answer_notes = muted("", self)
        self.checker.add_widget(self.answer_notes)
        layout.addWidget(self.checker)

        self.conversion = Section("Conversion", self)
        layout.addWidget(self.conversion)

        self.timeline_section = Section("Timeline", self)
        self.timeline = TimelineWidget(self)
        self.timeline_section.add_widget(self.timeline)
        self.events_view, self.events_model, self.events_proxy = fact_table(
            EVENT_COLUMNS, lambda e: e.citation, self.source_requested.emit, self
        )
        self.timeline_section.add_widget(self.events_view)
        layout.addWidget(self.timeline_section)
        layout.addStretch(1)

    def _connect(self) -> None:
        self.exchange.citation_clicked.connect(self.source_requested)
        self.conversion.citation_clicked.connect(self.source_requested)
        self.answer_label.citation_clicked.connect(self.source_requested)
        self.target_combo.currentIndexChanged.connect(self._on_target_combo_changed)
        self.timeline.event_clicked.connect(self._on_timeline_event_clicked)

    # -- filling ---------------------------------------------------------------------------
    def show_rules(self, rules: ClassRules) -> None:
        """Fill the tab for one class on one date."""
        self._rules = rules
        self._fill_exchange(rules)
        self._fill_targets(rules)
        self._fill_conversion(rules)
        events = list(rules.events)
        self.timeline.set_events(events, rules.as_of)
        self.events_model.set_rows(events)
        fit_columns(self.events_view)
        fit_height(self.events_view, len(events), max_rows=14)
        self._on_target_combo_changed()

    def clear(self) -> None:
        """Show nothing."""
        self._rules = None
        self.exchange.clear()
        self.conversion.clear()
        self.target_combo.clear()
        self.timeline.set_events([], None)
        self.events_model.set_rows([])
        self.answer_label.set_content("", None)
        self.answer_notes.setText("")

    def _fill_exchange(self, rules: ClassRules) -> None:
        self.exchange.clear()
        found = rules.rules_of(RuleKind.EXCHANGE)
        for rule in found:
            rule_row(self.exchange, "Rule", rule, rules)
            if rule.params.get("same_class_only") == "true":
                self.exchange.add_row("Into", f"{rules.share_class.value} shares only")
            if rule.params.get("fee"):
                self.exchange.add_row("Exchange fee", rule.params["fee"])
        if not found:
            self.exchange.add_widget(
                muted("No exchange rule is documented for this class on this date.", self)
            )

    def _fill_targets(self, rules: ClassRules) -> None:
        """Portfolios offering the same class on the date first, then the rest."""
        with QSignalBlocker(self.target_combo):
            self.target_combo.clear()
            others = [
                p for p in self._repo.portfolios() if p.portfolio_id != rules.portfolio.portfolio_id
            ]
            offering = [
                p
                for p in others
                if class_status(self._repo, p.portfolio_id, rules.share_class, rules.as_of).state
                == ClassState.OFFERED
            ]
            rest = [p for p in others if p not in offering]
            for portfolio in offering:
                self.target_combo.addItem(portfolio.name_on(rules.as_of), portfolio.portfolio_id)
            if offering and rest:
                self.target_combo.insertSeparator(self.target_combo.count())
            for portfolio in rest:
                absent = f"(no {rules.share_class.value} shares then)"
                name = f"{portfolio.name_on(rules.as_of)} {absent}"
                self.target_combo.addItem(name, portfolio.portfolio_id)

    def _fill_conversion(self, rules: ClassRules) -> None:
        self.conversion.clear()
        found = rules.rules_of(RuleKind.CONVERSION)
        for rule in found:
            rule_row(self.conversion, "Feature", rule, rules)
            basis = rule.params.get("basis")
            if basis:
                self.conversion.add_row("Basis", basis)
        conversions = [e for e in rules.events if e.kind == EventKind.CONVERSION]
        for event in conversions:
            self.conversion.add_row(event.date.isoformat(), event.description, event.citation)
        if not found and not conversions:
            self.conversion.add_widget(
                muted("No conversion feature is documented for this class.", self)
            )

    # -- slots -------------------------------------------------------------------------------
    def _on_target_combo_changed(self, *_args: object) -> None:
        rules = self._rules
        target = self.target_combo.currentData()
        self.answer_notes.setText("")
        self.answer_notes.setVisible(False)
        if rules is None or target is None:
            self.answer_label.set_content("", None)
            return
        try:
            check = self.check(target)
        except JanusError as exc:
            self.answer_label.set_content(str(exc), None)
            return
        self.answer_label.set_content(check.reason, check.citation)
        self.answer_notes.setText(" ".join(check.notes))
        self.answer_notes.setVisible(bool(check.notes))

    def check(self, target_id: str) -> ExchangeCheck:
        """Check an exchange from the class shown into the same class of ``target_id``."""
        if self._rules is None:
            raise JanusError("no class is shown")
        rules = self._rules
        source = Holding(rules.portfolio.portfolio_id, rules.share_class, rules.portfolio_name)
        target = Holding(target_id, rules.share_class)
        return check_exchange(self._repo, source, target, rules.as_of)

    def _on_timeline_event_clicked(self, event: Event) -> None:
        self.source_requested.emit(event.citation)
