"""Eligibility tab: who may buy the class, what it is for, and a "Which class fits?" helper."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QStyle,
    QWidget,
)

from janus_gui.core.asof import classes_on, rules_in_force
from janus_gui.core.eligibility import Buyer, ClassFit, Needs, Verdict, class_fits
from janus_gui.core.errors import JanusError
from janus_gui.core.models import ClassRules, RuleKind
from janus_gui.core.repository import Repository
from janus_gui.ui.detail.common import (
    GLOSSARY,
    Section,
    fact_table,
    fit_columns,
    fit_height,
    muted,
    rule_row,
    tab_layout,
)
from janus_gui.ui.tables import Column

# Rule kinds shown elsewhere (fees, redemption, exchanges); the rest are listed here.
_SHOWN_ELSEWHERE = {
    RuleKind.ELIGIBILITY,
    RuleKind.PURPOSE,
    RuleKind.DISTRIBUTION_FEE,
    RuleKind.ADMIN_FEE,
    RuleKind.REDEMPTION_FEE,
    RuleKind.EXCHANGE,
    RuleKind.CONVERSION,
    RuleKind.MANAGEMENT_FEE,
    RuleKind.EXPENSE_LIMIT,
}

_VERDICT_TEXT = {
    Verdict.FITS: "Fits",
    Verdict.DOES_NOT_FIT: "Does not fit",
    Verdict.NOT_DOCUMENTED: "Not documented",
}


def _verdict_icon(verdict: Verdict) -> QIcon:
    pixmap = {
        Verdict.FITS: QStyle.StandardPixmap.SP_DialogApplyButton,
        Verdict.DOES_NOT_FIT: QStyle.StandardPixmap.SP_DialogCancelButton,
        Verdict.NOT_DOCUMENTED: QStyle.StandardPixmap.SP_MessageBoxQuestion,
    }[verdict]
    return QApplication.style().standardIcon(pixmap)


FIT_COLUMNS = [
    Column("Class", lambda f: f.share_class.value),
    Column("Answer", lambda f: _VERDICT_TEXT[f.verdict], icon=lambda f: _verdict_icon(f.verdict)),
    Column(
        "Source",
        lambda f: f.citation.label() if f.citation else "",
        tooltip=lambda f: f.citation.quote if f.citation else None,
        header_tooltip="Double-click a row to open the rule in its source.",
    ),
    Column("Why", lambda f: f.reason, tooltip=lambda f: f.reason),
]

_BUYERS = [
    ("An insurance company separate account", Buyer.SEPARATE_ACCOUNT),
    ("A qualified plan", Buyer.QUALIFIED_PLAN),
    ("Neither (for example an individual investing directly)", Buyer.OTHER),
]


class EligibilityTab(QWidget):
    """Plain-words eligibility with citations, and the class-fit helper."""

    source_requested = Signal(object)

    def __init__(self, repo: Repository, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._repo = repo
        self._target: tuple[str, dt.date] | None = None
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        layout = tab_layout(self)
        self.who = Section("Who may buy", self)
        self.purpose = Section("What the class is for", self)
        self.other = Section("Buying, pricing and redeeming", self)
        for section in (self.who, self.purpose):
            layout.addWidget(section)
        self.helper = Section("Which class fits?", self)
        self.helper.add_widget(
            muted(
                "Answer the questions the sources distinguish on; the answer lists every class "
                "the portfolio offers on this date.",
                self,
            )
        )
        questions = QWidget(self)
        form = QFormLayout(questions)
        form.setContentsMargins(0, 0, 0, 0)
        self.buyer_combo = QComboBox(questions)
        for text, buyer in _BUYERS:
            self.buyer_combo.addItem(text, buyer)
        self.fee_check = QCheckBox(
            "Needs a fee paid out of Portfolio assets for distribution or administration (12b-1)",
            questions,
        )
        self.fee_check.setToolTip(GLOSSARY["12b-1"])
        self.redemption_check = QCheckBox(
            "Will administer a redemption fee on short-term redemptions", questions
        )
        form.addRow("Who holds the shares:", self.buyer_combo)
        form.addRow("Fees:", self.fee_check)
        form.addRow("Redemption fee:", self.redemption_check)
        self.helper.add_widget(questions)
        self.fit_view, self.fit_model, self.fit_proxy = fact_table(
            FIT_COLUMNS, lambda f: f.citation, self.source_requested.emit, self
        )
        self.fit_view.setSortingEnabled(False)
        self.fit_view.setWordWrap(True)
        self.helper.add_widget(self.fit_view)
        self.fit_message = muted("", self)
        self.helper.add_widget(self.fit_message)
        layout.addWidget(self.helper)
        layout.addWidget(self.other)
        layout.addStretch(1)

    def _connect(self) -> None:
        for section in (self.who, self.purpose, self.other):
            section.citation_clicked.connect(self.source_requested)
        self.buyer_combo.currentIndexChanged.connect(self._on_question_changed)
        self.fee_check.toggled.connect(self._on_question_changed)
        self.redemption_check.toggled.connect(self._on_question_changed)

    # -- filling ---------------------------------------------------------------------------
    def show_rules(self, rules: ClassRules) -> None:
        """Fill the tab for one class on one date."""
        self._fill_section(self.who, rules, [RuleKind.ELIGIBILITY], "Rule")
        self._fill_section(self.purpose, rules, [RuleKind.PURPOSE], "Purpose")
        other_kinds = [k for k in RuleKind if k not in _SHOWN_ELSEWHERE]
        self._fill_section(self.other, rules, other_kinds, None)
        self._target = (rules.portfolio.portfolio_id, rules.as_of)
        self._refresh_fits()

    def clear(self) -> None:
        """Show nothing."""
        for section in (self.who, self.purpose, self.other):
            section.clear()
        self._target = None
        self.fit_model.set_rows([])
        self.fit_message.setText("")

    def _fill_section(
        self, section: Section, rules: ClassRules, kinds: list[RuleKind], label: str | None
    ) -> None:
        section.clear()
        found = [r for r in rules.rules if r.kind in kinds]
        for rule in found:
            rule_label = label or rule.kind.value.replace("_", " ").capitalize()
            rule_row(section, rule_label, rule, rules)
        if not found:
            what = section.title.text().lower()
            section.add_widget(
                muted(f"The sources state nothing on {what} for this class on this date.", self)
            )

    # -- the helper ------------------------------------------------------------------------
    def needs(self) -> Needs:
        """The answers currently given."""
        return Needs(
            buyer=self.buyer_combo.currentData(),
            fee_from_assets=self.fee_check.isChecked(),
            administers_redemption_fee=self.redemption_check.isChecked(),
        )

    def fits(self) -> list[ClassFit]:
        """The rows of the answer table."""
        return self.fit_model.rows()

    def _on_question_changed(self, *_args: object) -> None:
        self._refresh_fits()

    def _refresh_fits(self) -> None:
        if self._target is None:
            return
        portfolio_id, as_of = self._target
        try:
            offered = classes_on(self._repo, portfolio_id, as_of)
            eligibility = {
                sc: rules_in_force(self._repo, portfolio_id, sc, as_of, RuleKind.ELIGIBILITY)
                for sc in offered
            }
        except JanusError as exc:
            self.fit_model.set_rows([])
            self.fit_message.setText(str(exc))
            self.fit_message.setVisible(True)
            return
        fits = class_fits(self.needs(), eligibility)
        self.fit_model.set_rows(fits)
        fit_columns(self.fit_view, maximum=200)
        fit_height(self.fit_view, len(fits))
        self.fit_view.setVisible(bool(fits))
        self.fit_message.setText(
            "" if fits else "The portfolio offers no documented class on this date."
        )
        self.fit_message.setVisible(not fits)
