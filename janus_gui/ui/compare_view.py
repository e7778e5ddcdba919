"""The Compare window: two or three portfolio × class pairs side by side on one date.

Rows are topics (status, eligibility, fees, the redemption-fee rule, ...), then the exchanges
between the classes and the cost projection under the same assumptions; a row whose substance
differs is tinted and marked. Each cell shows its standing and source; its tooltip quotes the
source. "Copy" on a cell copies its facts with their sources (plain text and Markdown); the
comparison can be saved as CSV or PDF. Built on ``core.compare.compare_classes`` (the same as
``janus-gui compare``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSignalBlocker,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QBrush, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from janus_gui.core import inputs
from janus_gui.core.compare import MAX_CLASSES, Comparison, compare_classes
from janus_gui.core.errors import JanusError
from janus_gui.core.exchange import Holding
from janus_gui.core.expenses import DEFAULT_YEARS, EXAMPLE_AMOUNT, EXAMPLE_RETURN
from janus_gui.core.facts import Fact, copy_markdown, copy_plain
from janus_gui.core.models import ShareClass
from janus_gui.core.repository import Repository
from janus_gui.core.wording import standing_label
from janus_gui.ui.citation_label import citation_tooltip
from janus_gui.ui.date_field import DateField
from janus_gui.ui.detail.common import blend
from janus_gui.ui.fact_copy import MARKDOWN_MIME, copy_text
from janus_gui.ui.tables import CopyableTableView

AnyIndex = QModelIndex | QPersistentModelIndex
NO_CLASS = "(none)"
DIFFERS_MARK = "≠ "


@dataclass(frozen=True, slots=True)
class ShownCell:
    """What one cell of the comparison shows, and the facts it copies."""

    text: str
    standing: str
    sources: str
    facts: tuple[Fact, ...] = ()
    tooltip: str = ""


@dataclass(frozen=True, slots=True)
class ShownRow:
    """One row of the table: a topic and a cell per class."""

    topic: str
    differs: bool
    cells: tuple[ShownCell, ...]


def shown_rows(comparison: Comparison) -> list[ShownRow]:
    """The comparison as table rows: topics, then exchanges, then the cost projection."""
    rows = [
        ShownRow(
            row.topic,
            row.differs,
            tuple(
                ShownCell(
                    cell.text,
                    standing_label(cell.support),
                    cell.citations(),
                    cell.facts,
                    "<hr>".join(citation_tooltip(f.citation) for f in cell.facts if f.citation),
                )
                for cell in row.cells
            ),
        )
        for row in comparison.rows
    ]
    count = len(comparison.classes)
    for check in comparison.exchanges:
        source = comparison.holdings.index(check.source)
        target = comparison.holdings.index(check.target)
        cells = [ShownCell("", "", "") for _ in range(count)]
        cells[source] = ShownCell(
            check.reason,
            check.standing.value.replace("_", " "),
            check.citation.label() if check.citation else "",
            tooltip=citation_tooltip(check.citation) if check.citation else "",
        )
        rows.append(ShownRow(f"Exchange into {comparison.title(target)}", False, tuple(cells)))
    for years in comparison.years:
        cells = []
        for index, column in enumerate(comparison.costs):
            if column.projection is None:
                cells.append(ShownCell(column.reason, "not documented", ""))
                continue
            text = f"${column.projection.costs[years]:,} at {column.ratio_percent}%"
            diff = comparison.cost_difference(index, years) if index else None
            if diff is not None:
                text += f" ({'+' if diff >= 0 else '−'}${abs(diff):,} against the first class)"
            fact = column.fact
            cells.append(
                ShownCell(
                    text,
                    standing_label(column.support),
                    fact.citation.label() if fact and fact.citation else "",
                    (fact,) if fact else (),
                    citation_tooltip(fact.citation) if fact and fact.citation else "",
                )
            )
        values = {c.text.split(" (")[0] for c in cells}
        topic = (
            f"Cost over {years} year{'s' * (years > 1)} (${comparison.amount:,}, "
            f"{comparison.return_percent}% a year)"
        )
        rows.append(ShownRow(topic, len(values) > 1, tuple(cells)))
    return rows


class CompareTableModel(QAbstractTableModel):
    """Topics down, classes across; a differing row is tinted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._titles: list[str] = []
        self._rows: list[ShownRow] = []

    def set_comparison(self, comparison: Comparison | None) -> None:
        """Show another comparison (``None`` empties the table)."""
        self.beginResetModel()
        if comparison is None:
            self._titles, self._rows = [], []
        else:
            self._titles = [comparison.title(i) for i in range(len(comparison.classes))]
            self._rows = shown_rows(comparison)
        self.endResetModel()

    def row_at(self, row: int) -> ShownRow:
        """The row shown at ``row``."""
        return self._rows[row]

    def cell_at(self, index: AnyIndex) -> ShownCell | None:
        """The class cell at ``index`` (``None`` for the topic column)."""
        if not index.isValid() or index.column() == 0:
            return None
        return self._rows[index.row()].cells[index.column() - 1]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or not self._titles else len(self._titles) + 1

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == 0:
            return "Topic"
        return self._titles[section - 1] if 0 < section <= len(self._titles) else None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if index.column() == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                return (DIFFERS_MARK if row.differs else "") + row.topic
            if role == Qt.ItemDataRole.ToolTipRole and row.differs:
                return "The classes differ on this."
            return self._tint(row, role)
        cell = row.cells[index.column() - 1]
        if role == Qt.ItemDataRole.DisplayRole:
            if not cell.text:
                return ""
            source = f" · {cell.sources}" if cell.sources else ""
            return f"{cell.text}\n[{cell.standing}{source}]"
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell.tooltip or None
        return self._tint(row, role)

    @staticmethod
    def _tint(row: ShownRow, role: int) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and row.differs:
            palette = QGuiApplication.palette()
            return QBrush(
                blend(
                    palette.color(QPalette.ColorRole.Base),
                    palette.color(QPalette.ColorRole.Highlight),
                    0.15,
                )
            )
        return None


class CompareTableView(CopyableTableView):
    """Ctrl+C and "Copy" copy the current cell's facts with their sources (one cell selected),
    or the selected cells as TSV (several)."""

    copy_fact_requested = Signal()

    def copy_selection(self) -> None:
        selection = self.selectionModel()
        if selection is not None and len(selection.selectedIndexes()) > 1:
            super().copy_selection()
            return
        self.copy_fact_requested.emit()


class ClassPicker(QWidget):
    """A portfolio and a class; the third picker may be left empty."""

    changed = Signal()

    def __init__(
        self, repo: Repository, number: int, optional: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.portfolio = QComboBox(self)
        self.portfolio.setAccessibleName(f"Portfolio {number}")
        if optional:
            self.portfolio.addItem(NO_CLASS, None)
        for portfolio in repo.portfolios():
            name = portfolio.name_on(repo.documented_range()[1])
            self.portfolio.addItem(f"{name} ({portfolio.portfolio_id})", portfolio.portfolio_id)
        self.share_class = QComboBox(self)
        self.share_class.setAccessibleName(f"Class {number}")
        for share_class in ShareClass:
            self.share_class.addItem(share_class.value, share_class.value)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.portfolio, 3)
        layout.addWidget(self.share_class, 1)
        self.portfolio.currentIndexChanged.connect(self.changed)
        self.share_class.currentIndexChanged.connect(self.changed)

    def holding(self) -> Holding | None:
        """The pair chosen, or ``None`` for an empty third picker."""
        portfolio_id = self.portfolio.currentData()
        if portfolio_id is None:
            return None
        return Holding(portfolio_id, ShareClass(self.share_class.currentData()))

    def set_holding(self, portfolio_id: str | None, share_class: ShareClass | None) -> None:
        """Choose a pair (``None``: the empty choice, where there is one)."""
        with QSignalBlocker(self.portfolio), QSignalBlocker(self.share_class):
            self.portfolio.setCurrentIndex(max(self.portfolio.findData(portfolio_id), 0))
            if share_class is not None:
                self.share_class.setCurrentIndex(self.share_class.findData(share_class.value))


class CompareView(QWidget):
    """Pickers, the date and the projection inputs, the comparison table and its exports."""

    compared = Signal(object)  # Comparison
    source_requested = Signal(object)

    def __init__(self, repo: Repository, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Compare share classes")
        self._repo = repo
        self.comparison: Comparison | None = None
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        grid = QGridLayout()
        self.pickers = [
            ClassPicker(self._repo, n + 1, n == MAX_CLASSES - 1, self) for n in range(MAX_CLASSES)
        ]
        for number, picker in enumerate(self.pickers):
            grid.addWidget(QLabel(f"Class {number + 1}:"), number, 0)
            grid.addWidget(picker, number, 1)
        self.as_of = DateField(self._repo.documented_range()[1], self)
        self.amount = QLineEdit(str(EXAMPLE_AMOUNT), self)
        self.amount.setAccessibleName("Amount invested")
        self.return_rate = QLineEdit(str(EXAMPLE_RETURN), self)
        self.return_rate.setAccessibleName("Return a year, percent")
        self.years = QLineEdit(",".join(str(y) for y in DEFAULT_YEARS), self)
        self.years.setAccessibleName("Years")
        options = QHBoxLayout()
        for label, widget in (
            ("As of:", self.as_of),
            ("Amount $:", self.amount),
            ("Return %:", self.return_rate),
            ("Years:", self.years),
        ):
            options.addWidget(QLabel(label))
            options.addWidget(widget)
        options.addStretch(1)
        grid.addLayout(options, MAX_CLASSES, 1)
        layout.addLayout(grid)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        self.model = CompareTableModel(self)
        self.table = CompareTableView(self)
        self.table.setSortingEnabled(False)
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(CopyableTableView.SelectionBehavior.SelectItems)
        self.table.setModel(self.model)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.copy_cell_action = QAction("Copy fact with source", self.table)
        self.copy_markdown_action = QAction("Copy fact as Markdown", self.table)
        self.open_source_action = QAction("Open source", self.table)
        for action in (self.copy_cell_action, self.copy_markdown_action, self.open_source_action):
            self.table.addAction(action)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.export_csv_button = QPushButton("Export CSV…", self)
        self.export_pdf_button = QPushButton("Export PDF…", self)
        buttons.addWidget(self.export_csv_button)
        buttons.addWidget(self.export_pdf_button)
        layout.addLayout(buttons)

    def _connect(self) -> None:
        for picker in self.pickers:
            picker.changed.connect(self.refresh)
        self.as_of.dateChanged.connect(self.refresh)
        for field in (self.amount, self.return_rate, self.years):
            field.editingFinished.connect(self.refresh)
        self.copy_cell_action.triggered.connect(lambda: self.copy_current(markdown=False))
        self.table.copy_fact_requested.connect(lambda: self.copy_current(markdown=False))
        self.copy_markdown_action.triggered.connect(lambda: self.copy_current(markdown=True))
        self.open_source_action.triggered.connect(self._on_open_source_triggered)
        self.export_csv_button.clicked.connect(self._on_export_csv_button_clicked)
        self.export_pdf_button.clicked.connect(self._on_export_pdf_button_clicked)

    # -- public API --------------------------------------------------------------------------
    def preset(self, holdings: list[tuple[str, ShareClass]], as_of: dt.date) -> None:
        """Choose the pairs and the date, then compare."""
        for picker, chosen in zip(
            self.pickers, [*holdings, *[(None, None)] * MAX_CLASSES], strict=False
        ):
            picker.set_holding(*chosen)
        with QSignalBlocker(self.as_of):
            self.as_of.setDate(as_of)
        self.refresh()

    def refresh(self, *_args: object) -> None:
        """Compare the pairs chosen; a problem is stated above the table and nothing changes."""
        holdings = [h for h in (p.holding() for p in self.pickers) if h is not None]
        try:
            amount = inputs.parse_number(
                self.amount.text().replace("$", "").replace(",", ""), inputs.AMOUNT
            )
            rate = inputs.parse_number(self.return_rate.text().rstrip("%"), inputs.RATE)
            years = [int(y) for y in re.split(r"[,\s]+", self.years.text().strip()) if y]
            comparison = compare_classes(
                self._repo,
                holdings,
                self.as_of.date(),
                amount=amount,
                return_percent=rate,
                years=years,
            )
        except (JanusError, ValueError, ArithmeticError) as exc:
            self.message.setText(f"Cannot compare: {exc}")
            return
        self.comparison = comparison
        self.model.set_comparison(comparison)
        differing = sum(1 for row in comparison.rows if row.differs)
        self.message.setText(
            f"On {comparison.as_of.isoformat()}: {differing} of {len(comparison.rows)} topics "
            "differ (marked ≠). Each cell gives its standing and source; hover for the quote."
        )
        self._size_columns()
        self.compared.emit(comparison)

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(0, max(160, self.width() // 6))
        for column in range(1, self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)

    def copy_current(self, *, markdown: bool) -> None:
        """Copy the facts of the current cell (the whole row's when the topic is current)."""
        index = self.table.currentIndex()
        if not index.isValid():
            return
        row = self.model.row_at(index.row())
        cell = self.model.cell_at(index)
        cells = [cell] if cell is not None else list(row.cells)
        facts = [f for c in cells for f in c.facts]
        if not facts:
            texts = [
                f"{row.topic}: {c.text} [{c.standing}; {c.sources or 'no source'}]"
                for c in cells
                if c.text
            ]
            copy_text("\n".join(texts))
            return
        plain = "\n\n".join(copy_plain(f) for f in facts)
        marked = "\n\n".join(copy_markdown(f) for f in facts)
        if markdown:
            copy_text(marked)
            return
        from PySide6.QtCore import QMimeData

        data = QMimeData()
        data.setText(plain)
        data.setData(MARKDOWN_MIME, marked.encode("utf-8"))
        QGuiApplication.clipboard().setMimeData(data)

    def export_csv(self, path: str) -> bool:
        """Write the comparison as CSV; ``False`` (and a message) when it cannot be written."""
        from janus_gui.core.compare_export import write_csv

        return self._export(lambda: write_csv(path, self.comparison))  # type: ignore[arg-type]

    def export_pdf(self, path: str) -> bool:
        """Write the comparison as a printed record (PDF)."""
        from janus_gui.ui import printed
        from janus_gui.ui.compare_report import write_pdf

        comparison, meta = self.comparison, self._repo.meta()
        return self._export(
            lambda: write_pdf(path, comparison, meta, printed.default_paper())  # type: ignore[arg-type]
        )

    def _export(self, write: Any) -> bool:
        if self.comparison is None:
            self.message.setText("Nothing to export: choose two or three classes first.")
            return False
        try:
            written = write()
        except (OSError, JanusError) as exc:
            reason = getattr(exc, "strerror", None) or exc
            self.message.setText(f"Could not write the file: {reason}")
            return False
        self.message.setText(f"Saved the comparison to {written}.")
        return True

    def suggested_name(self, suffix: str) -> str:
        """``compare-2012-04-20.csv``."""
        return f"compare-{self.as_of.date().isoformat()}{suffix}"

    # -- slots -------------------------------------------------------------------------------
    def _on_open_source_triggered(self) -> None:
        cell = self.model.cell_at(self.table.currentIndex())
        if cell is not None and cell.facts and cell.facts[0].citation is not None:
            self.source_requested.emit(cell.facts[0].citation)

    def _on_export_csv_button_clicked(self) -> None:
        path = self._ask_path("Export comparison as CSV", ".csv", "CSV (*.csv)")
        if path:
            self.export_csv(path)

    def _on_export_pdf_button_clicked(self) -> None:
        path = self._ask_path("Export comparison as PDF", ".pdf", "PDF (*.pdf)")
        if path:
            self.export_pdf(path)

    def _ask_path(self, caption: str, suffix: str, filters: str) -> str:
        from janus_gui.ui.dialogs import ask_save_path_and_filter, documents_folder

        suggested = str(documents_folder() / self.suggested_name(suffix))
        path, _chosen = ask_save_path_and_filter(self, caption, suggested, filters, filters)
        if path and not path.lower().endswith(suffix):
            path += suffix
        return path
