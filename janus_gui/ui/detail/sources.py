"""Sources tab: every fact shown for the class, with its citation label and quote, in one table."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from janus_gui.core.models import Citation, ClassRules, DataNote, Evidence
from janus_gui.ui.detail.common import (
    Section,
    evidence_text,
    fact_table,
    fit_columns,
    muted,
    note_tooltip,
    tab_layout,
    warning_icon,
)
from janus_gui.ui.tables import Column


@dataclass(frozen=True, slots=True)
class SourceFact:
    """One fact shown somewhere in the panel, reduced to what the Sources table lists."""

    kind: str
    fact: str
    citation: Citation
    evidence: str
    notes: tuple[DataNote, ...] = ()


def _notes(rules: ClassRules, ids: tuple[str, ...]) -> tuple[DataNote, ...]:
    return tuple(n for n in rules.data_notes if n.note_id in ids)


def collect_facts(rules: ClassRules) -> list[SourceFact]:
    """Every cited fact of a ``ClassRules``, in the order the tabs show them."""
    facts: list[SourceFact] = []
    if rules.status.citation is not None:
        facts.append(
            SourceFact("Status", rules.status.text, rules.status.citation, Evidence.DOCUMENTED)
        )
    for n in rules.names:
        span = f"{n.kind.value}, documented {n.documented_from} to {n.last_documented}"
        facts.append(SourceFact("Name", f"{n.name} ({span})", n.citation, n.evidence))
    for s in rules.securities:
        facts.append(SourceFact("CUSIP", s.cusip, s.citation, s.evidence))
        if s.ticker_citation is not None:  # cited where it is printed, not at the CUSIP's line
            ticker = s.ticker or "not printed (N/A)"
            facts.append(
                SourceFact("Ticker", f"{ticker} (CUSIP {s.cusip})", s.ticker_citation, s.evidence)
            )
    for r in rules.rules:
        kind = r.kind.value.replace("_", " ").capitalize()
        facts.append(SourceFact(kind, r.summary, r.citation, r.evidence, _notes(rules, r.note_ids)))
    for row in rules.fee_table:
        text = (
            f"Fee table: management {row.management_fee}, 12b-1 {row.distribution_fee}, other "
            f"{row.other_expenses}, total {row.total_gross}, waivers {row.waivers}, "
            f"net {row.total_net}"
        )
        facts.append(
            SourceFact(
                "Fee table", text, row.citation, Evidence.DOCUMENTED, _notes(rules, row.note_ids)
            )
        )
    for ex in rules.expense_example:
        facts.append(
            SourceFact(
                "Expense example",
                f"{ex.years} yr: ${ex.cost_printed:,}",
                ex.citation,
                Evidence.DOCUMENTED,
            )
        )
    for e in rules.events:
        facts.append(SourceFact("Event", f"{e.date} {e.description}", e.citation, e.evidence))
    for d in rules.distributions:
        total = f"${d.total}" if d.total is not None else "no total printed"
        facts.append(
            SourceFact(
                "Distribution",
                f"{d.period} {d.cusip}: {total}",
                d.citation,
                Evidence.DOCUMENTED,
                _notes(rules, d.note_ids),
            )
        )
    for note in rules.data_notes:
        facts.append(
            SourceFact(
                "Data note",
                f"{note.note_id}: {note.title}",
                note.citation,
                Evidence.DOCUMENTED,
                (note,),
            )
        )
    return facts


SOURCE_COLUMNS = [
    Column("Kind", lambda f: f.kind),
    Column(
        "Source",
        lambda f: (f.citation.source_file, f.citation.line_start),
        text=lambda f: f.citation.label(),
        tooltip=lambda f: f.citation.source_file,
        header_tooltip="Double-click a row (or press Enter) to open the source at these lines.",
    ),
    Column("Evidence", lambda f: str(f.evidence), text=lambda f: evidence_text(f.evidence)),
    Column(
        "Fact",
        lambda f: f.fact,
        tooltip=lambda f: note_tooltip(f.notes) if f.notes else f.fact,
        icon=lambda f: warning_icon() if f.notes else None,
    ),
    Column("Quote", lambda f: f.citation.quote, tooltip=lambda f: f.citation.quote),
]
COL_SOURCE = 1
COL_FACT = 3


class SourcesTab(QWidget):
    """One table of every fact with its citation; activating a row opens the source."""

    source_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build_ui()

    def _build_ui(self) -> None:
        layout = tab_layout(self)
        section = Section("Every fact on this page, with its source", self)
        self.hint = muted(
            "Double-click a row or press Enter to open the document at the cited lines. "
            "Rows with a warning icon are data notes: inconsistencies inside a source, shown "
            "as printed and never silently corrected.",
            self,
        )
        section.add_widget(self.hint)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter facts (any column)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setMaximumWidth(360)
        section.add_widget(self.filter_edit)
        self.view, self.model, self.proxy = fact_table(
            SOURCE_COLUMNS, lambda f: f.citation, self.source_requested.emit, self
        )
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter_edit.textChanged.connect(self._on_filter_edit_text_changed)
        section.add_widget(self.view)
        layout.addWidget(section, 1)

    def _on_filter_edit_text_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())

    def show_rules(self, rules: ClassRules) -> None:
        """List every fact of the class on the date."""
        self.model.set_rows(collect_facts(rules))
        fit_columns(self.view, maximum=380)

    def clear(self) -> None:
        """Show nothing."""
        self.model.set_rows([])

    def facts(self) -> list[SourceFact]:
        """The rows, in model order."""
        return self.model.rows()
