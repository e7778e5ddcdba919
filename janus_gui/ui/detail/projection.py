"""Cost projection: any amount, return and horizon with the printed example's method.

The arithmetic lives in ``janus_gui.core.expenses``; this widget only gathers inputs and shows
the result, always labelled as a projection (never as a printed figure).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from janus_gui.core import inputs
from janus_gui.core.errors import JanusError
from janus_gui.core.expenses import project_costs
from janus_gui.core.models import DataNote, FeeTableRow
from janus_gui.ui.detail.common import (
    Section,
    fact_table,
    fit_height,
    muted,
    value_label,
)
from janus_gui.ui.tables import Column

logger = logging.getLogger(__name__)

MAX_YEARS = 50


@dataclass(frozen=True, slots=True)
class ProjectionRow:
    """One year of a projection, as shown."""

    year: int
    cost: Decimal  # that year's expenses, unrounded
    cumulative: Decimal  # whole dollars


def _money(value: Decimal, places: str = "0.01") -> str:
    return f"${value.quantize(Decimal(places)):,}"


PROJECTION_COLUMNS = [
    Column("Year", lambda r: r.year, numeric=True),
    Column("Expenses that year", lambda r: r.cost, text=lambda r: _money(r.cost), numeric=True),
    Column(
        "Cumulative cost",
        lambda r: r.cumulative,
        text=lambda r: _money(r.cumulative, "1"),
        numeric=True,
        header_tooltip="Rounded to whole dollars, as the printed example is.",
    ),
]


def project(
    amount: Decimal, return_percent: Decimal, ratio_percent: Decimal, years: int
) -> list[ProjectionRow]:
    """Year-by-year projection from the core engine (every horizon from 1 to ``years``)."""
    result = project_costs(
        ratio_percent, amount=amount, return_percent=return_percent, years=range(1, years + 1)
    )
    return [
        ProjectionRow(year, cost, result.costs[year])
        for year, cost in enumerate(result.yearly_costs, start=1)
    ]


class ProjectionBox(Section):
    """Inputs (amount, return, years, expense ratio) and a year-by-year projection table."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Cost projection", parent)
        self._ratios: list[tuple[str, Decimal]] = []
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        self.add_widget(
            muted(
                "A projection computed with the method of the printed example; not a printed "
                "figure. Contract charges are not included.",
                self,
            )
        )
        inputs = QWidget(self)
        form = QFormLayout(inputs)
        form.setContentsMargins(0, 0, 0, 0)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        number = QRegularExpressionValidator(r"^\s*\$?\s*[0-9][0-9,]*(\.[0-9]*)?\s*$", self)
        self.amount_edit = QLineEdit("10,000", inputs)
        self.amount_edit.setValidator(number)
        self.return_edit = QLineEdit("5.00", inputs)
        self.return_edit.setValidator(
            QRegularExpressionValidator(r"^\s*-?[0-9]*(\.[0-9]*)?\s*%?\s*$", self)
        )
        self.years_spin = QSpinBox(inputs)
        self.years_spin.setRange(1, MAX_YEARS)
        self.years_spin.setValue(3)
        self.ratio_combo = QComboBox(inputs)
        for edit in (self.amount_edit, self.return_edit):
            edit.setMaximumWidth(160)
        self.years_spin.setMaximumWidth(160)
        form.addRow("Amount invested ($):", self.amount_edit)
        form.addRow("Annual return (%):", self.return_edit)
        form.addRow("Years:", self.years_spin)
        form.addRow("Expense ratio:", self.ratio_combo)
        self.ratio_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.result = value_label("", self)
        form.addRow("", self.result)
        self.view, self.model, self.proxy = fact_table(
            PROJECTION_COLUMNS, lambda _r: None, lambda _c: None, self
        )
        self.view.setSortingEnabled(False)
        self.view.horizontalHeader().setStretchLastSection(False)
        self.view.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        side_by_side = QWidget(self)
        row = QHBoxLayout(side_by_side)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(24)
        row.addWidget(inputs, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.view, 0, Qt.AlignmentFlag.AlignTop)
        row.addStretch(1)
        self.add_widget(side_by_side)

    def _connect(self) -> None:
        self.amount_edit.textChanged.connect(self._on_input_changed)
        self.return_edit.textChanged.connect(self._on_input_changed)
        self.years_spin.valueChanged.connect(self._on_input_changed)
        self.ratio_combo.currentIndexChanged.connect(self._on_input_changed)

    def set_fee_rows(self, rows: Sequence[FeeTableRow], notes: Sequence[DataNote]) -> None:
        """Offer the gross and net ratios of the class's fee-table rows (the values used)."""
        with QSignalBlocker(self.ratio_combo):
            self.ratio_combo.clear()
            self._ratios = []
            for row in rows:
                row_notes = [n for n in notes if n.note_id in row.note_ids]
                for label, printed, used in (
                    ("Without waivers", row.total_gross, row.total_gross_used),
                    ("With waivers", row.total_net, row.total_net_used),
                ):
                    flagged = any(n.printed.strip() == printed.strip() for n in row_notes)
                    mark = f" (printed {printed}; see data note)" if flagged else ""
                    self._ratios.append((f"{label}: {used}%{mark}", used))
            for text, _ratio in self._ratios:
                self.ratio_combo.addItem(text)
        self.setVisible(bool(rows))
        self._recompute()

    def current_ratio(self) -> Decimal | None:
        """The expense ratio chosen, in percent."""
        index = self.ratio_combo.currentIndex()
        return self._ratios[index][1] if 0 <= index < len(self._ratios) else None

    def rows(self) -> list[ProjectionRow]:
        """The projection shown."""
        return self.model.rows()

    def _on_input_changed(self, *_args: object) -> None:
        self._recompute()

    def _recompute(self) -> None:
        ratio = self.current_ratio()
        if ratio is None:
            self._show([], "")
            return
        try:
            amount = inputs.parse_field(self.amount_edit.text(), "amount", inputs.AMOUNT)
            annual_text = self.return_edit.text().strip().rstrip("%")
            annual = inputs.parse_field(annual_text, "annual return", inputs.RATE)
            rows = project(amount, annual, ratio, self.years_spin.value())
        except JanusError as exc:
            self._show([], str(exc))
            return
        last = rows[-1] if rows else None
        summary = (
            f"Projected cost over {last.year} year{'s' if last.year != 1 else ''}: "
            f"{_money(last.cumulative, '1')} (projection, not a printed figure)"
            if last
            else ""
        )
        self._show(rows, summary)

    def _show(self, rows: list[ProjectionRow], message: str) -> None:
        self.model.set_rows(rows)
        self.view.setVisible(bool(rows))
        if rows:
            self.view.resizeColumnsToContents()
            fit_height(self.view, len(rows), max_rows=10)
        self.result.setText(message)
