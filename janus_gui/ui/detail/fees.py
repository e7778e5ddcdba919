"""Fees & expenses tab: the 1999 fee table as printed, fee rules, the example, a projection."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QWidget,
)

from janus_gui.core.models import ClassRules, DataNote, FeeTableRow, Rule, RuleKind, Standing
from janus_gui.ui.citation_label import CitedText
from janus_gui.ui.detail.common import (
    GLOSSARY,
    NoteIcon,
    Section,
    muted,
    notes_of,
    rule_row,
    standing_badge,
    tab_layout,
    value_label,
    with_standing,
)
from janus_gui.ui.detail.projection import ProjectionBox

# (attribute of FeeTableRow, heading as the 1999 table prints it)
FEE_COLUMNS: list[tuple[str, str]] = [
    ("management_fee", "Management fee"),
    ("distribution_fee", "Distribution (12b-1) fees"),
    ("other_expenses", "Other expenses"),
    ("total_gross", "Total without waivers or reductions"),
    ("waivers", "Total waivers and reductions"),
    ("total_net", "Total with waivers or reductions"),
]

EXAMPLE_TERMS = (
    "As printed in the 1999 prospectus: $10,000 invested, a 5% return each year, operating "
    "expenses without waivers or reductions remaining the same, all shares redeemed at the "
    "end of each period. Contract and separate-account charges are not included."
)


def notes_for_value(printed: str, notes: Sequence[DataNote]) -> list[DataNote]:
    """The data notes whose printed value is this cell's text."""
    return [n for n in notes if n.printed and n.printed.strip() == printed.strip()]


class FeeTableCell(QWidget):
    """One printed value of the fee table; a warning icon and the used value if a note applies."""

    def __init__(self, printed: str, notes: Sequence[DataNote], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.printed = printed
        self.notes = tuple(notes)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.value = value_label(printed, self, wrap=False)
        layout.addWidget(self.value)
        self.icon: NoteIcon | None = None
        if notes:
            self.icon = NoteIcon(notes, self)
            layout.addWidget(self.icon)
            used = ", ".join(n.used for n in notes if n.used and n.used.strip() != printed.strip())
            if used:
                hint = muted(f"used: {used}", self, wrap=False)
                hint.setToolTip(self.icon.toolTip())
                layout.addWidget(hint)
        layout.addStretch(1)


class FeeTableView(QWidget):
    """The printed fee-table row(s) of a class: one value per line, then the line as printed."""

    citation_clicked = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(12, 0, 0, 0)
        self.grid.setHorizontalSpacing(14)
        self.grid.setVerticalSpacing(6)
        self.grid.setColumnStretch(1, 1)
        self.cells: list[dict[str, FeeTableCell]] = []

    def set_rows(self, rows: Sequence[FeeTableRow], notes: Sequence[DataNote]) -> None:
        """Show the rows; values a data note qualifies get a warning icon."""
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget():
                item.widget().hide()
                item.widget().deleteLater()
        self.cells = []
        line = 0
        for row in rows:
            cells, line = self._add_row(line, row, notes)
            self.cells.append(cells)

    def _label(self, text: str) -> QLabel:
        label = muted(text + ":", self, wrap=False)
        label.setToolTip(GLOSSARY["12b-1"] if "12b-1" in text else "")
        return label

    def _add_row(
        self, line: int, row: FeeTableRow, notes: Sequence[DataNote]
    ) -> tuple[dict[str, FeeTableCell], int]:
        row_notes = [n for n in notes if n.note_id in row.note_ids]
        top_right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop
        cells: dict[str, FeeTableCell] = {}
        for attr, title in FEE_COLUMNS:
            printed = getattr(row, attr)
            cell = FeeTableCell(printed, notes_for_value(printed, row_notes), self)
            cells[attr] = cell
            self.grid.addWidget(self._label(title), line, 0, top_right)
            self.grid.addWidget(cell, line, 1)
            line += 1
        unplaced = [n for n in row_notes if not any(n in c.notes for c in cells.values())]
        printed_line = CitedText(row.citation.quote, row.citation, self)
        printed_line.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        printed_line.setWordWrap(False)  # one printed line, shown as one line
        printed_line.citation_clicked.connect(self.citation_clicked)
        tail = QWidget(self)
        tail_line = QHBoxLayout(tail)
        tail_line.setContentsMargins(0, 0, 0, 0)
        tail_line.addWidget(printed_line, 1)
        if unplaced:
            tail_line.addWidget(NoteIcon(unplaced, tail))
        self.grid.addWidget(self._label("As printed"), line, 0, top_right)
        self.grid.addWidget(tail, line, 1)
        return cells, line + 1


class FeesTab(QWidget):
    """Everything the sources say about what the class costs."""

    source_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        layout = tab_layout(self)
        self.table_section = Section("Annual fund operating expenses (1999 fee table)", self)
        self.table_note = muted(
            "Estimates for the Service Shares' first fiscal year, as printed; percentages of "
            "average daily net assets.",
            self,
        )
        self.table_section.add_widget(self.table_note)
        self.fee_table = FeeTableView(self)
        self.fee_table.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.table_section.add_widget(self.fee_table)
        layout.addWidget(self.table_section)

        self.class_fees = Section("12b-1 and administration fees", self)
        self.class_fees.title.setToolTip(GLOSSARY["12b-1"])
        self.management = Section("Management fee", self)
        self.limits = Section("Expense limit", self)
        self.example = Section("Expense example (as printed)", self)
        for section in (self.class_fees, self.management, self.limits, self.example):
            layout.addWidget(section)
        self.projection = ProjectionBox(self)
        layout.addWidget(self.projection)
        layout.addStretch(1)

    def _connect(self) -> None:
        self.fee_table.citation_clicked.connect(self.source_requested)
        for section in (self.class_fees, self.management, self.limits, self.example):
            section.citation_clicked.connect(self.source_requested)

    # -- filling ---------------------------------------------------------------------------
    def show_rules(self, rules: ClassRules) -> None:
        """Fill the tab for one class on one date."""
        self._fill_fee_table(rules)
        self._fill_rules(
            self.class_fees, rules.rules_of(RuleKind.DISTRIBUTION_FEE), "12b-1 fee", rules
        )
        for rule in rules.rules_of(RuleKind.ADMIN_FEE):
            rule_row(self.class_fees, "Administration fee", rule, rules)
        self._fill_management(rules.rules_of(RuleKind.MANAGEMENT_FEE), rules)
        self._fill_limits(rules.rules_of(RuleKind.EXPENSE_LIMIT), rules)
        self._fill_example(rules)
        self.projection.set_fee_rows(rules.fee_table, rules.data_notes)

    def clear(self) -> None:
        """Show nothing."""
        self.fee_table.set_rows([], [])
        for section in (self.class_fees, self.management, self.limits, self.example):
            section.clear()
        self.projection.set_fee_rows((), ())

    def _fill_fee_table(self, rules: ClassRules) -> None:
        self.fee_table.set_rows(rules.fee_table, rules.data_notes)
        has_rows = bool(rules.fee_table)
        self.fee_table.setVisible(has_rows)
        standing = ""
        if has_rows and rules.fee_table_support.standing != Standing.DOCUMENTED:
            standing = f"[{standing_badge(rules.fee_table_support)}] "
        self.table_note.setText(
            f"{standing}Estimates for the Service Shares' first fiscal year (2000), as printed; "
            "percentages of average daily net assets."
            if has_rows
            else f"The 1999 fee table prints no row for {rules.share_class.value} shares of "
            "this portfolio."
        )

    def _fill_rules(
        self, section: Section, found: Sequence[Rule], label: str, rules: ClassRules
    ) -> None:
        section.clear()
        for rule in found:
            rate = rule.params.get("max_rate")
            basis = rule.params.get("basis")
            text = f"up to {rate}" if rate else rule.summary
            if rate and basis:
                text += f" ({basis})"
            section.add_row(
                label,
                with_standing(text, rule, rules),
                rule.citation,
                notes_of(rule, rules.data_notes),
            )
        if not found:
            section.add_widget(muted("No such fee is documented for this class on this date."))

    def _fill_management(self, found: Sequence[Rule], rules: ClassRules) -> None:
        self.management.clear()
        for rule in found:
            schedule = rule.params.get("schedule", "")
            tiers = [t.strip() for t in schedule.split(";") if t.strip()]
            for tier in tiers:
                rate, _, band = tier.partition(" ")
                self.management.add_row(band or "all assets", rate)
            self.management.add_cited(
                with_standing(rule.summary, rule, rules),
                rule.citation,
                notes_of(rule, rules.data_notes),
            )
        if not found:
            self.management.add_widget(
                muted("No management-fee schedule is documented for this portfolio on this date.")
            )

    def _fill_limits(self, found: Sequence[Rule], rules: ClassRules) -> None:
        self.limits.clear()
        for rule in found:
            limit = rule.params.get("limit", "")
            excludes = rule.params.get("excludes", "")
            text = limit or rule.summary
            if excludes:
                text += f" (excludes {excludes})"
            self.limits.add_row("Limit", text)
            self.limits.add_cited(
                with_standing(rule.summary, rule, rules),
                rule.citation,
                notes_of(rule, rules.data_notes),
            )
        if not found:
            self.limits.add_widget(
                muted("No expense limit is documented for this portfolio on this date.")
            )

    def _fill_example(self, rules: ClassRules) -> None:
        self.example.clear()
        for row in sorted(rules.expense_example, key=lambda r: r.years):
            period = "1 year" if row.years == 1 else f"{row.years} years"
            self.example.add_row(period, f"${row.cost_printed:,}", row.citation)
        if rules.expense_example:
            self.example.add_widget(muted(EXAMPLE_TERMS, self))
        else:
            self.example.add_widget(
                muted(f"No expense example is printed for {rules.share_class.value} shares.")
            )
