"""Read-only table models and views shared by every panel.

A ``RecordTableModel`` shows a list of rows (usually core dataclasses) through ``Column`` specs;
``SortProxyModel`` sorts on native values (``Decimal``, ``date``) exposed under ``SortRole``;
``CopyableTableView`` copies the selection as tab-separated text with Ctrl+C.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QAction, QGuiApplication, QIcon, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

SortRole = Qt.ItemDataRole.UserRole
RowRole = Qt.ItemDataRole.UserRole + 1

Row = TypeVar("Row")
AnyIndex = QModelIndex | QPersistentModelIndex


def display_text(value: object) -> str:
    """How a native value is shown in a cell."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:,}" if abs(value) >= 1000 else str(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@dataclass(frozen=True)
class Column(Generic[Row]):
    """One column: a title, how to get the value from a row, and optional presentation hooks."""

    title: str
    value: Callable[[Row], Any]
    text: Callable[[Row], str] | None = None
    tooltip: Callable[[Row], str | None] | None = None
    icon: Callable[[Row], QIcon | None] | None = None
    numeric: bool = False
    header_tooltip: str | None = None


class RecordTableModel(QAbstractTableModel, Generic[Row]):
    """A read-only model over a list of rows described by ``Column`` specs."""

    def __init__(self, columns: Sequence[Column[Row]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[Row] = []

    # -- data access -------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Row]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Row]:
        """The rows, in model order."""
        return list(self._rows)

    def row_at(self, row: int) -> Row:
        """The record shown in a model row."""
        return self._rows[row]

    # -- Qt overrides ------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        column = self._columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.header_tooltip
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(self._columns):
            return None
        record = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(record) if column.text else display_text(column.value(record))
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(record) if column.tooltip else None
        if role == Qt.ItemDataRole.DecorationRole:
            return column.icon(record) if column.icon else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == SortRole:
            return column.value(record)
        if role == RowRole:
            return record
        return None


class SortProxyModel(QSortFilterProxyModel):
    """Sorts on ``SortRole`` values in Python; ``None`` sorts first; mixed types by text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)

    def lessThan(self, left: AnyIndex, right: AnyIndex) -> bool:
        a = left.data(SortRole)
        b = right.data(SortRole)
        if a is None or b is None:
            return a is None and b is not None
        try:
            return bool(a < b)
        except TypeError:
            return str(a) < str(b)


class CopyableTableView(QTableView):
    """A table view with Ctrl+C (and a context-menu entry) copying the selection as TSV."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.setSortingEnabled(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        copy = QAction("Copy", self)
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy.triggered.connect(self.copy_selection)
        self.addAction(copy)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # QAbstractItemView's own Ctrl+C copies only the current cell; copy whole rows instead.
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            event.accept()
            return
        super().keyPressEvent(event)

    def selected_text(self) -> str:
        """The selected cells (or the whole table when nothing is selected) as TSV with a header."""
        model = self.model()
        if model is None:
            return ""
        indexes = self.selectionModel().selectedIndexes() if self.selectionModel() else []
        rows = sorted({i.row() for i in indexes}) or list(range(model.rowCount()))
        columns = [c for c in range(model.columnCount()) if not self.isColumnHidden(c)]
        header = [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in columns]
        lines = ["\t".join(header)]
        for row in rows:
            cells = [str(model.index(row, c).data() or "") for c in columns]
            lines.append("\t".join(cell.replace("\t", " ").replace("\n", " ") for cell in cells))
        return "\n".join(lines)

    def copy_selection(self) -> None:
        """Put the selection on the clipboard."""
        QGuiApplication.clipboard().setText(self.selected_text())


def make_table(
    columns: Sequence[Column[Any]], parent: QWidget | None = None
) -> tuple[CopyableTableView, RecordTableModel[Any], SortProxyModel]:
    """A sortable, copyable view over a new ``RecordTableModel``."""
    model: RecordTableModel[Any] = RecordTableModel(columns, parent)
    proxy = SortProxyModel(parent)
    proxy.setSourceModel(model)
    view = CopyableTableView(parent)
    view.setModel(proxy)
    return view, model, proxy
