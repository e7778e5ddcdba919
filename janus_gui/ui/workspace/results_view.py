"""Layout-only views of a computed redemption: summary, per-lot breakdown, method notes."""

from __future__ import annotations

import html
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from janus_gui.core.facts import Fact
from janus_gui.core.models import Citation
from janus_gui.core.redemption import LotRedemption
from janus_gui.core.wording import fee_rule_text
from janus_gui.ui.fact_copy import install_copy
from janus_gui.ui.tables import Column, make_table
from janus_gui.workspace.outcome import FEE_UNDETERMINED, Outcome, plain, rounding_remark

ABBREVIATIONS = {
    "NAV": "Net asset value per share on the redemption date",
    "FIFO": "First in, first out: the shares held longest are redeemed first",
}


def money(value: Decimal | None) -> str:
    """``$1,234.50``."""
    return "" if value is None else f"${value:,.2f}"


def shares_text(value: Decimal | None) -> str:
    """``1,234.500``."""
    return "" if value is None else f"{value:,.3f}"


def abbr(word: str) -> str:
    """An abbreviation with its meaning on hover (rich text)."""
    return f'<span title="{html.escape(ABBREVIATIONS[word])}"><u>{word}</u></span>'


def _subject_text(step: LotRedemption) -> str:
    if step.subject_to_fee:
        return "yes"
    if step.exempt and step.within_window:
        return "no (exempt)"
    return "no"


STEP_COLUMNS: list[Column[LotRedemption]] = [
    Column("#", lambda s: s.seq, numeric=True, header_tooltip="Row in the lot table"),
    Column("Lot id", lambda s: s.lot_id),
    Column("Purchased", lambda s: s.purchase_date),
    Column(
        "Shares taken",
        lambda s: s.shares_redeemed,
        text=lambda s: shares_text(s.shares_redeemed),
        numeric=True,
    ),
    Column(
        "Days held",
        lambda s: s.days_held,
        numeric=True,
        header_tooltip="Calendar days between the purchase and redemption trade dates",
    ),
    Column(
        "Subject",
        lambda s: s.subject_to_fee,
        text=_subject_text,
        header_tooltip="Held for the holding period or less, so the fee may apply",
    ),
    Column(
        "Fee (unrounded)",
        lambda s: s.fee_unrounded,
        text=lambda s: plain(s.fee_unrounded) if s.subject_to_fee else "",
        numeric=True,
        header_tooltip="rate × NAV × shares subject; only the total is rounded",
    ),
    Column(
        "Fee-free from",
        lambda s: s.fee_free_from,
        header_tooltip="First redemption date on which this lot is past the holding period",
    ),
]

FEE_COLUMNS = tuple(
    i for i, c in enumerate(STEP_COLUMNS) if c.title in ("Subject", "Fee (unrounded)")
)


class SummaryView(QScrollArea):
    """Totals, the rule with its citation, notes and the fee-free planner."""

    citation_clicked = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._citations: list[Citation] = []
        self._rule_fact: Fact | None = None  # what "Copy fact with source" on the rule copies
        self._build_ui()

    def _build_ui(self) -> None:
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        layout = QVBoxLayout(body)
        self.headline = QLabel()
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.headline.setFont(font)
        self.headline.setWordWrap(True)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Above the fee and as large: a result that leaves rows out must say so first.
        self.exclusion = QLabel()
        self.exclusion.setObjectName("exclusion_headline")
        self.exclusion.setFont(font)
        self.exclusion.setWordWrap(True)
        self.exclusion.setStyleSheet("color: #b00020;")
        self.exclusion.hide()
        layout.addWidget(self.exclusion)
        layout.addWidget(self.headline)
        self.totals = QFormLayout()
        self.totals.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.total_labels: dict[str, QLabel] = {}
        for key, title in (
            ("value", "Redemption value"),
            ("redeemed", "Shares redeemed"),
            ("subject", "Shares subject to the fee"),
            ("fee", "Fee that may apply (maximum)"),
            ("net", "Net proceeds"),
            ("remaining", "Shares still held afterwards"),
        ):
            value = QLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.total_labels[key] = value
            self.totals.addRow(title + ":", value)
        layout.addLayout(self.totals)
        self.rule = self._rich_label()
        install_copy(self.rule, lambda: self._rule_fact)
        self.notes = self._rich_label()
        self.planner = self._rich_label()
        for title, label in (
            ("Rule applied", self.rule),
            ("Notes", self.notes),
            ("Fee-free planner", self.planner),
        ):
            heading = QLabel(f"<b>{title}</b>")
            layout.addWidget(heading)
            layout.addWidget(label)
        layout.addStretch(1)
        self.setWidget(body)

    def _rich_label(self) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        label.setOpenExternalLinks(False)
        label.linkActivated.connect(self._on_link_activated)
        return label

    def _on_link_activated(self, link: str) -> None:
        if link.startswith("cite:"):
            index = int(link.removeprefix("cite:"))
            if 0 <= index < len(self._citations):
                self.citation_clicked.emit(self._citations[index])

    def _cite(self, citation: Citation | None) -> str:
        if citation is None:
            return ""
        self._citations.append(citation)
        tip = html.escape(f"{citation.source_file}: “{citation.quote}”")
        return f' <a href="cite:{len(self._citations) - 1}" title="{tip}">[{citation.label()}]</a>'

    def clear(self, message: str) -> None:
        """Show a message instead of a result."""
        self._citations = []
        self._rule_fact = None
        self.exclusion.hide()
        self.headline.setText(message)
        for label in self.total_labels.values():
            label.setText("—")
        self.rule.setText("")
        self.notes.setText("")
        self.planner.setText("")

    def show_outcome(self, outcome: Outcome) -> None:
        """Fill every section from a computed outcome."""
        self._citations = []
        rule = outcome.rule
        self._rule_fact = Fact(
            "redemption_fee",
            "Redemption fee",
            fee_rule_text(rule),
            rule.citation,
            rule.support,
            "",
            outcome.result.request.redeem_date,
        )
        result = outcome.result
        excluded = outcome.excluded_rows
        self.exclusion.setText(
            f"{excluded_text(excluded)} — fix the red cells in the lot table; the result below "
            "leaves them out."
        )
        self.exclusion.setVisible(excluded > 0)
        self.headline.setText(headline(outcome))
        labels = self.total_labels
        labels["value"].setText(money(result.redemption_value))
        labels["redeemed"].setText(shares_text(result.shares_redeemed))
        labels["subject"].setText(outcome.fee_figure(result.shares_subject_to_fee, shares_text))
        labels["fee"].setText(
            outcome.fee_figure(result.total_fee, money) + rounding_remark(result.fee_unrounded)
        )
        labels["net"].setText(outcome.fee_figure(result.net_proceeds, money))
        labels["remaining"].setText(shares_text(outcome.shares_remaining))
        citation = outcome.rule.citation
        rule_html = html.escape(outcome.rule_text).replace("\n", "<br>")
        self.rule.setText(rule_html + self._cite(citation))
        self.notes.setText(self._notes_html(outcome))
        self.planner.setText("<br>".join(html.escape(line) for line in outcome.planner_lines))

    def _notes_html(self, outcome: Outcome) -> str:
        items = [
            f"<li>{html.escape(note.text)}{self._cite(note.citation)}</li>"
            for note in outcome.notes
        ]
        return f"<ul style='margin-left:-20px'>{''.join(items)}</ul>" if items else "None."


def excluded_text(count: int) -> str:
    """``1 row excluded`` / ``3 rows excluded``."""
    return f"{count:,} row{'s' * (count != 1)} excluded"


def headline(outcome: Outcome) -> str:
    """The one-line answer."""
    rule = outcome.rule
    fee = money(outcome.result.total_fee)
    if rule.applies:
        return f"Fee that may apply (maximum): {fee}"
    if not rule.documented:
        day = outcome.result.request.redeem_date.isoformat()
        return f"Fee that may apply: {FEE_UNDETERMINED} — no source documents the rule on {day}"
    return f"No redemption fee applies: {fee}"


def method_html(holding_days: int | None, rate_text: str) -> str:
    """ "How this was calculated": the conventions of DOMAIN §3, in plain words."""
    window = holding_days if holding_days is not None else 60
    return (
        "<p>The sources say a fee <i>may be imposed</i> on Service II shares held "
        f"{window} days or less, on their redemption value, with the shares held longest "
        "redeemed first. They do not say how days are counted or how to round; where they are "
        "silent the workspace uses these conventions:</p><ul>"
        "<li><b>Days held</b> = calendar days between the purchase trade date and the "
        "redemption trade date (a lot bought and sold the same day has 0 days).</li>"
        f"<li><b>Subject</b> when days held ≤ {window}; day {window + 1} is free.</li>"
        f"<li><b>Order</b>: {abbr('FIFO')} by purchase date; lots bought the same day are "
        "taken in lot-table row order (the # column), never by size or price.</li>"
        "<li><b>Partial lot</b>: the last lot reached gives only the shares still needed.</li>"
        f"<li><b>Fee</b> = {html.escape(rate_text)} × {abbr('NAV')} × shares subject, summed "
        "without rounding; the <b>total is rounded once</b> to cents, half up.</li>"
        "<li>Lots marked exempt are still redeemed in order but carry no fee.</li>"
        "<li>The result is a maximum: the insurer or plan administers the fee and may not "
        "impose it.</li></ul>"
    )


class MethodView(QScrollArea):
    """The "How this was calculated" tab."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.label = QLabel(method_html(None, "1.00%"))
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.label.setContentsMargins(8, 8, 8, 8)
        self.setWidget(self.label)

    def set_rule(self, holding_days: int | None, rate_text: str, rounding: str) -> None:
        """Refresh for the rule in force, adding this computation's rounding step."""
        extra = f"<p><b>This computation</b>: {html.escape(rounding)}</p>" if rounding else ""
        self.label.setText(method_html(holding_days, rate_text) + extra)


def make_steps_table(parent: QWidget | None = None):  # noqa: ANN201 - returns a tuple of Qt objects
    """The per-lot breakdown table (view, model, proxy)."""
    view, model, proxy = make_table(STEP_COLUMNS, parent)
    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    metrics = view.fontMetrics()
    for column, sample in enumerate(
        (
            "100000",
            "lot id long",
            "2023-02-15",
            "100,000.000",
            "Days held",
            "no (exempt)",
            "Fee (unrounded)",
            "2023-02-15",
        )
    ):
        view.horizontalHeader().resizeSection(column, metrics.horizontalAdvance(sample) + 16)
    return view, model, proxy
