"""Redemption-fee tab: the rule in force on the date (or why there is none) and its source."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from janus_gui.core.models import ClassRules, FeeRule, RuleKind, Standing
from janus_gui.core.wording import rate_text
from janus_gui.ui.citation_label import CitationLabel
from janus_gui.ui.detail.common import (
    GLOSSARY,
    Section,
    evidence_text,
    muted,
    rule_row,
    standing_badge,
    tab_layout,
)

# Day counting is a convention of this app (the sources are silent), shown as such.
DAY_COUNT_NOTE = (
    "Days held are counted as calendar days between the purchase and redemption trade dates "
    "(a convention: the sources do not say how days are counted)."
)


class RedemptionTab(QWidget):
    """Shows the redemption-fee rule for the class on the date, and opens the calculator."""

    source_requested = Signal(object)
    calculator_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        layout = tab_layout(self)
        self.headline = QLabel(self)
        font = QFont(self.headline.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.headline.setFont(font)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.headline_citation = CitationLabel(None, self)
        top = QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(self.headline)
        top.addWidget(self.headline_citation, 0, Qt.AlignmentFlag.AlignBaseline)
        top.addStretch(1)
        layout.addLayout(top)
        self.reason = muted("", self)
        self.reason.setTextInteractionFlags(self.reason.textInteractionFlags())
        layout.addWidget(self.reason)
        self.terms = Section("Terms of the fee", self)
        layout.addWidget(self.terms)
        self.stated = Section("What the sources say for this class on this date", self)
        layout.addWidget(self.stated)
        buttons = QHBoxLayout()
        self.calculator_button = QPushButton("Open calculator…", self)
        self.calculator_button.setToolTip(
            "Work out the fee that may apply to a redemption from a schedule of lots."
        )
        buttons.addWidget(self.calculator_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def _connect(self) -> None:
        self.headline_citation.citation_clicked.connect(self.source_requested)
        self.terms.citation_clicked.connect(self.source_requested)
        self.stated.citation_clicked.connect(self.source_requested)
        self.calculator_button.clicked.connect(self.calculator_clicked)

    # -- filling ---------------------------------------------------------------------------
    def show_rules(self, rules: ClassRules) -> None:
        """Fill the tab for one class on one date."""
        fee = rules.redemption_fee
        self.headline_citation.set_citation(fee.citation)
        self.terms.clear()
        if fee.applies:
            self._show_fee(fee)
        else:
            self._show_absence(fee, rules)
        self._show_stated(rules)

    def clear(self) -> None:
        """Show nothing."""
        self.headline.setText("")
        self.reason.setText("")
        self.headline_citation.set_citation(None)
        self.terms.clear()
        self.terms.setVisible(False)
        self.stated.clear()
        self.stated.setVisible(False)

    def _show_fee(self, fee: FeeRule) -> None:
        self.headline.setText(f"Fee that may apply (maximum): {rate_text(fee.rate)}")
        self.reason.setText(
            "The source says the fee “may be imposed”, so every figure is the most that may "
            "be charged, not what was charged."
        )
        self.terms.setVisible(True)
        self.terms.add_row("Rule", fee.reason, fee.citation)
        self.terms.add_row("Rate", rate_text(fee.rate))
        days = fee.holding_period_days
        holding = self.terms.add_row("Holding period", f"held {days} days or less")
        holding.setToolTip(DAY_COUNT_NOTE)
        order = self.terms.add_row(
            "Lot order", f"{fee.lot_order}: the shares held the longest are redeemed first"
        )
        order.setToolTip(GLOSSARY.get(fee.lot_order, ""))
        self.terms.add_row("Assessed on", fee.base)
        self.terms.add_row("Paid to", fee.recipient or "not stated")
        self.terms.add_row("Evidence", evidence_text(fee.evidence))
        self.terms.add_widget(muted(DAY_COUNT_NOTE, self))

    def _show_stated(self, rules: ClassRules) -> None:
        """Redemption-fee rules in force that the headline does not already show."""
        self.stated.clear()
        shown = rules.redemption_fee.rule_id
        found = [r for r in rules.rules_of(RuleKind.REDEMPTION_FEE) if r.rule_id != shown]
        for rule in found:
            rule_row(self.stated, "Rule", rule, rules)
        self.stated.setVisible(bool(found))

    def _show_absence(self, fee: FeeRule, rules: ClassRules) -> None:
        on = rules.as_of.isoformat()
        if fee.documented:
            self.headline.setText(f"No redemption fee applies on {on}")
        else:
            self.headline.setText(f"The redemption fee cannot be determined for {on}")
        reason = fee.reason
        if fee.standing == Standing.CARRIED:
            reason = f"[{standing_badge(fee.support)}] {reason}"
        self.reason.setText(reason)
        self.terms.setVisible(False)
