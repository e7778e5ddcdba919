"""Distributions tab: per-share distributions as printed, in a table and a stacked bar chart."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QWidget

from janus_gui.core.models import ClassRules, DataNote, Distribution
from janus_gui.ui.charts import Bar, BarSegment, StackedBarChart
from janus_gui.ui.detail.common import (
    Section,
    fact_table,
    fit_columns,
    fit_height,
    fmt_date,
    muted,
    note_titles,
    note_titles_tooltip,
    show_notes,
    tab_layout,
    warning_icon,
)
from janus_gui.ui.tables import Column, RowRole

# Components that add up to the per-share distribution (000:17-18; 001:8-9). Subtotals (total
# or ordinary dividends) and tax information (foreign tax paid) are listed in the table but not
# stacked in the chart, so a bar is as tall as the amount paid.
PAID_COMPONENTS = (
    "investment_income",
    "income_dividends",
    "short_term_capital_gain",
    "capital_gain_distributions",
    "capital_gain",
)
TITLES = {
    "investment_income": "Investment income",
    "income_dividends": "Income dividends",
    "short_term_capital_gain": "Short-term capital gain",
    "capital_gain_distributions": "Capital gain distributions",
    "capital_gain": "Capital gain",
    "total_dividends": "Total dividends",
    "ordinary_dividends": "Ordinary dividends",
    "foreign_tax_paid": "Foreign tax paid",
    "box6_foreign_tax_paid": "Foreign tax paid (box 6)",
}


def component_title(key: str) -> str:
    """A column or legend title for a component key."""
    return TITLES.get(key, key.replace("_", " ").strip().capitalize())


def ordered_keys(rows: Sequence[Distribution]) -> list[str]:
    """Component keys of all rows: amounts paid first, then subtotals and tax information."""
    keys = list(dict.fromkeys(k for d in rows for k in d.components))
    paid = [k for k in PAID_COMPONENTS if k in keys]
    return paid + [k for k in keys if k not in paid]


def amount_text(value: Decimal | None) -> str:
    """A per-share amount as printed; ``-`` (none) where the source prints a dash."""
    return "–" if value is None else f"${value}"


def distribution_columns(
    keys: Sequence[str], notes: dict[str, DataNote]
) -> list[Column[Distribution]]:
    """Dates, the printed total, data notes and the source, then one column per component."""

    def notes_of(d: Distribution) -> list[DataNote]:
        return [notes[n] for n in d.note_ids if n in notes]

    columns: list[Column[Distribution]] = [
        Column("Period", lambda d: d.period),
        Column("Record date", lambda d: d.record_date, text=lambda d: fmt_date(d.record_date)),
        Column("Ex date", lambda d: d.ex_date, text=lambda d: fmt_date(d.ex_date)),
        Column("Payable", lambda d: d.pay_date, text=lambda d: fmt_date(d.pay_date)),
    ]
    columns += [
        Column("Total", lambda d: d.total, text=lambda d: amount_text(d.total), numeric=True),
        Column(
            "Notes",
            lambda d: note_titles(notes_of(d)),
            icon=lambda d: warning_icon() if notes_of(d) else None,
            tooltip=lambda d: note_titles_tooltip(notes_of(d)) or None,
            header_tooltip="Data notes: inconsistencies in the printed figures. Click a note "
            "to read it in full.",
        ),
        Column("Source", lambda d: d.citation.label(), tooltip=lambda d: d.citation.quote),
    ]
    for key in keys:
        columns.append(
            Column(
                component_title(key),
                lambda d, k=key: d.components.get(k),
                text=lambda d, k=key: amount_text(d.components.get(k)) if k in d.components else "",
                numeric=True,
            )
        )
    return columns


def distribution_bar(distribution: Distribution, notes: dict[str, DataNote]) -> Bar:
    """A chart bar: the amounts paid, stacked; flagged when a data note applies."""
    paid = [k for k in PAID_COMPONENTS if k in distribution.components]
    keys = paid or list(distribution.components)
    segments = tuple(
        BarSegment(component_title(k), value)
        for k in keys
        if (value := distribution.components[k]) is not None and value > 0
    )
    date = distribution.record_date or distribution.pay_date
    label = distribution.period + (f"\nrecord {date.isoformat()}" if date else "")
    flagged = [notes[n] for n in distribution.note_ids if n in notes]
    total = f"Total as printed: {amount_text(distribution.total)} per share"
    caption = amount_text(distribution.total) if distribution.total is not None else ""
    return Bar(label, segments, total, note_titles_tooltip(flagged), distribution, caption)


def display_order(distribution: Distribution) -> tuple[str, bool, str]:
    """Payments in date order, each year's total row after that year's payments."""
    day = distribution.record_date or distribution.pay_date
    year_total = day is None
    return distribution.period[:4], year_total, day.isoformat() if day else distribution.period


def charted(rows: Sequence[Distribution]) -> list[Distribution]:
    """Payments only: a year's total row (no record date) would repeat its payments."""
    return [d for d in rows if d.record_date is not None or d.pay_date is not None]


class DistributionsTab(QWidget):
    """Per-share distributions for the class, with their components and data notes."""

    source_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._keys: list[str] = []
        self._notes: dict[str, DataNote] = {}
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        layout = tab_layout(self)
        self.section = Section("Per-share distributions", self)
        self.caption = muted("", self)
        self.section.add_widget(self.caption)
        self.chart = StackedBarChart(self)
        self.section.add_widget(self.chart)
        self._new_table([])
        layout.addWidget(self.section)
        layout.addStretch(1)

    def _connect(self) -> None:
        self.chart.bar_clicked.connect(self._on_chart_bar_clicked)

    def _new_table(self, keys: list[str]) -> None:
        """Column sets differ between sources, so the table is rebuilt when they change."""
        old = getattr(self, "view", None)
        self.view, self.model, self.proxy = fact_table(
            distribution_columns(keys, self._notes),
            lambda d: d.citation,
            self.source_requested.emit,
            self,
        )
        self.view.clicked.connect(self._on_view_clicked)
        if old is not None:
            self.section.body.replaceWidget(old, self.view)
            old.hide()
            old.deleteLater()
        else:
            self.section.add_widget(self.view)
        self._keys = keys

    # -- filling ---------------------------------------------------------------------------
    def show_rules(self, rules: ClassRules) -> None:
        """Fill the tab for one class on one date (every printed distribution is shown)."""
        rows = sorted(rules.distributions, key=display_order)
        self._notes = {n.note_id: n for n in rules.data_notes}
        self._new_table(ordered_keys(rows))
        self.model.set_rows(rows)
        fit_columns(self.view, maximum=160)
        fit_height(self.view, len(rows))
        self.view.setVisible(bool(rows))
        bars = [distribution_bar(d, self._notes) for d in charted(rows)]
        self.chart.setVisible(bool(bars))
        self.chart.set_bars(bars, axis_title="$ per share")
        if rows:
            later = [d for d in charted(rows) if (d.record_date or d.pay_date) > rules.as_of]
            after = (
                f" {len(later)} of the payments shown are after {rules.as_of.isoformat()}."
                if later
                else ""
            )
            self.caption.setText(
                "Amounts per share exactly as printed; a dash means the source prints none. "
                "The chart stacks the amounts paid (not subtotals or foreign tax) for each "
                "payment; year totals appear in the table only. Hover a bar for its components; "
                "double-click a row to open its source." + after
            )
        else:
            self.caption.setText(
                f"No per-share distribution is printed for {rules.share_class.value} shares of "
                "this portfolio (absence from the tables does not mean none was paid)."
            )

    def clear(self) -> None:
        """Show nothing."""
        self.model.set_rows([])
        self.chart.set_bars([])
        self.caption.setText("")

    def _on_view_clicked(self, index: QModelIndex) -> None:
        if self.model.headerData(index.column(), Qt.Orientation.Horizontal) != "Notes":
            return
        row = index.data(RowRole)
        notes = [self._notes[n] for n in getattr(row, "note_ids", ()) if n in self._notes]
        if notes:
            show_notes(self, notes)

    def _on_chart_bar_clicked(self, index: int) -> None:
        payload = self.chart.bars()[index].payload
        if isinstance(payload, Distribution):
            self.source_requested.emit(payload.citation)
