"""Editable lot schedule: purchase date, shares, lot id and exempt flag, one row per lot.

Every edit is parsed by the core's input rules (``janus_gui.workspace.rows``). Invalid text is
kept, so the user sees what was typed: the cell turns red, shows a warning icon and explains the
problem on hover, and the row is left out of the computation. The row order is the FIFO
tie-break (``seq``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QWidget

from janus_gui.core.exemptions import (
    LABEL,
    ExemptionReason,
    exemption_of,
)
from janus_gui.core.safe_text import escaped
from janus_gui.core.workspace_file import LotText
from janus_gui.ui.background import dispose
from janus_gui.ui.tables import RowRole, SortRole
from janus_gui.workspace.rows import (
    COL_DATE,
    COL_EXEMPT,
    COL_LOT_ID,
    COL_SEQ,
    COL_SHARES,
    COLUMN_TITLES,
    LotRow,
    parse_row,
    recorded_exemption,
    with_cell,
    with_lot_id,
)

AnyIndex = QModelIndex | QPersistentModelIndex

COLUMN_TOOLTIPS = (
    "Row order: lots bought on the same day are redeemed in this order (FIFO tie-break). "
    "Numbers stay with their rows when others are deleted.",
    "Trade date of the purchase: YYYY-MM-DD or M/D/YYYY (2023-01-31 or 1/31/2023).",
    "Shares bought, up to three decimal places.",
    "Optional label for the lot.",
    "Exemption recorded by the user, with its reason (press F2 or double-click to choose one): "
    "the lot is still redeemed in FIFO order but no fee is charged on it. The 2012 plan names "
    "no exemptions (002:96-103).",
)
ErrorRole = Qt.ItemDataRole.UserRole + 2


def _exemption_data(row: LotRow, role: int) -> str | None:
    """The Exempt column's text: the recorded reason; its editor value; its tooltip."""
    exemption = exemption_of(row.exempt)
    if exemption is None:
        return "" if role == Qt.ItemDataRole.EditRole else None
    if role == Qt.ItemDataRole.EditRole:
        return "" if exemption.reason is ExemptionReason.NOT_RECORDED else exemption.cell()
    if role == Qt.ItemDataRole.DisplayRole:
        return exemption.text()
    recorded = exemption.recorded()
    return f"Exempt: {exemption.text()}{'; ' + recorded if recorded else ''}.\n{LABEL}."


def invalid_brush(palette: QPalette) -> QBrush:
    """A red tint that keeps text readable on light and dark palettes."""
    base = palette.color(QPalette.ColorRole.Base)
    red = QColor(220, 40, 40)
    weight = 0.45 if base.lightness() < 128 else 0.28
    return QBrush(
        QColor(
            round(red.red() * weight + base.red() * (1 - weight)),
            round(red.green() * weight + base.green() * (1 - weight)),
            round(red.blue() * weight + base.blue() * (1 - weight)),
        )
    )


class LotTableModel(QAbstractTableModel):
    """The lot schedule. ``rows_changed`` fires after any edit, insert, delete or reset."""

    rows_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[LotRow] = []
        self._seqs: list[int] = []  # FIFO tie-break numbers, increasing in row order
        # True while rows are in ``#`` order: kept up to date by every change, so a snapshot
        # of 100,000 rows never scans them on the GUI thread to find out
        self._in_seq_order = True
        self._invalid_count = 0
        self._warning_icon = QApplication.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxWarning
        )

    # -- access -------------------------------------------------------------------------------
    def rows(self) -> list[LotRow]:
        """Rows in schedule order (the FIFO tie-break order)."""
        return list(self._rows)

    def row_at(self, row: int) -> LotRow:
        """One row."""
        return self._rows[row]

    def invalid_count(self) -> int:
        """Rows left out of the computation because a cell does not parse."""
        return self._invalid_count

    def snapshot(self) -> tuple[list[LotRow], list[int]]:
        """Rows and their numbers in ``#`` order, copied (rows are immutable) for a worker."""
        if self._in_seq_order:
            return list(self._rows), list(self._seqs)
        order = sorted(range(len(self._rows)), key=self._seqs.__getitem__)
        return [self._rows[i] for i in order], [self._seqs[i] for i in order]

    def _sorted_by_seq(self) -> bool:
        seqs = self._seqs
        return all(a < b for a, b in zip(seqs, seqs[1:], strict=False))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Reorder the rows for display; each row keeps its ``#`` (the FIFO tie-break)."""
        if not 0 <= column < len(COLUMN_TITLES) or not self._rows:
            return
        self.layoutAboutToBeChanged.emit()
        keyed = [self._sort_key(q, r, column) for q, r in zip(self._seqs, self._rows, strict=True)]
        new_order = sorted(
            range(len(keyed)),
            key=keyed.__getitem__,
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        new_row_of = {old: new for new, old in enumerate(new_order)}
        self._rows = [self._rows[i] for i in new_order]
        self._seqs = [self._seqs[i] for i in new_order]
        self._in_seq_order = self._sorted_by_seq()
        old_indexes = self.persistentIndexList()
        new_indexes = [
            self.index(new_row_of[i.row()], i.column()) if i.isValid() else i for i in old_indexes
        ]
        self.changePersistentIndexList(old_indexes, new_indexes)
        self.layoutChanged.emit()

    def _sort_key(self, seq: int, row: LotRow, column: int) -> tuple[Any, ...]:
        value = self._sort_value(seq, row, column)
        # invalid cells (None) first, then values; ties keep # order
        return (value is not None, value if value is not None else 0, seq)

    def seq_at(self, row: int) -> int:
        """The ``#`` of a row: its place in the schedule; kept when other rows are deleted."""
        return self._seqs[row]

    def valid_rows(self) -> list[tuple[int, LotRow]]:
        """``(seq, row)`` for rows that take part in the computation, in row order."""
        return [(q, r) for q, r in zip(self._seqs, self._rows, strict=True) if r.valid]

    def as_text(self) -> tuple[LotText, ...]:
        """Rows as typed, in ``#`` order (the FIFO tie-break survives a save and an open)."""
        rows, _seqs = self.snapshot()
        return tuple(r.as_text() for r in rows)

    # -- bulk changes -------------------------------------------------------------------------
    def set_rows(self, rows: Iterable[LotRow], *, invalid: int | None = None) -> None:
        """Replace every row (``invalid``: the count of invalid rows, when already known)."""
        self.beginResetModel()
        old = (self._rows, self._seqs)
        self._rows = list(rows)
        self._seqs = list(range(1, len(self._rows) + 1))
        self._in_seq_order = True
        dispose(old)  # freeing 100,000 rows here would freeze the window
        del old
        if invalid is None:
            self._recount()
        else:
            self._invalid_count = invalid
        self.endResetModel()
        self.rows_changed.emit()

    def append_rows(self, rows: Sequence[LotRow]) -> None:
        """Add rows at the end."""
        if not rows:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        # after the highest number, which is the last row's only while rows are in # order
        if not self._seqs:
            start = 1
        else:
            start = (self._seqs[-1] if self._in_seq_order else max(self._seqs)) + 1
        self._rows.extend(rows)
        self._seqs.extend(range(start, start + len(rows)))
        self._invalid_count += sum(1 for r in rows if not r.valid)
        self.endInsertRows()
        self.rows_changed.emit()

    def add_empty_row(self) -> int:
        """Append a blank row (invalid until filled in) and return its index."""
        self.append_rows([parse_row("", "")])
        return len(self._rows) - 1

    def remove_row_numbers(self, rows: Iterable[int]) -> None:
        """Delete the given model rows (any order, duplicates ignored)."""
        for row in sorted(set(rows), reverse=True):
            if 0 <= row < len(self._rows):
                self.beginRemoveRows(QModelIndex(), row, row)
                self._invalid_count -= not self._rows[row].valid
                del self._rows[row]
                del self._seqs[row]
                self.endRemoveRows()
        self.rows_changed.emit()

    def _recount(self) -> None:
        self._invalid_count = sum(1 for r in self._rows if not r.valid)

    # -- Qt overrides -------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMN_TITLES)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMN_TITLES):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMN_TITLES[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return COLUMN_TOOLTIPS[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == COL_EXEMPT:
            return base | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEditable
        if index.column() in (COL_DATE, COL_SHARES, COL_LOT_ID):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if column == COL_EXEMPT and role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.EditRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            text = _exemption_data(row, role)
            if not text or role == Qt.ItemDataRole.EditRole:
                return text
            # A typed note is shown escaped, like every other cell (the editor keeps it raw).
            return escaped(text, keep_newlines=True)
        if role == Qt.ItemDataRole.EditRole:
            return self._text(self._seqs[index.row()], row, column)
        if role == Qt.ItemDataRole.DisplayRole:
            # Shown escaped: a bidi override or control character in a refused cell can
            # neither reorder the table's text nor hide itself (the editor keeps the raw text).
            text = self._text(self._seqs[index.row()], row, column)
            return escaped(text) if text is not None else None
        if role == SortRole:
            return self._sort_value(self._seqs[index.row()], row, column)
        if role == RowRole:
            return row
        return self._decoration(row, column, role)

    def _text(self, seq: int, row: LotRow, column: int) -> str | None:
        if column == COL_SEQ:
            return str(seq)
        if column == COL_DATE:
            return row.purchase_date.isoformat() if row.purchase_date else row.date_text
        if column == COL_SHARES:
            return f"{row.shares:,f}" if row.shares is not None else row.shares_text
        if column == COL_LOT_ID:
            return row.lot_id
        return None

    def _sort_value(self, seq: int, row: LotRow, column: int) -> Any:
        if column == COL_SEQ:
            return seq
        if column == COL_DATE:
            return row.purchase_date
        if column == COL_SHARES:
            return row.shares
        if column == COL_LOT_ID:
            return row.lot_id
        return row.exempt

    def _decoration(self, row: LotRow, column: int, role: int) -> Any:
        problem = row.errors.get(column)
        if role == ErrorRole:
            return problem
        if role == Qt.ItemDataRole.CheckStateRole and column == COL_EXEMPT:
            return Qt.CheckState.Checked if row.exempt else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (COL_SEQ, COL_SHARES):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if problem is None:
            if role == Qt.ItemDataRole.ToolTipRole and column == COL_SEQ and row.errors:
                return "Excluded from the computation:\n" + row.error_text()
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return invalid_brush(QGuiApplication.palette())
        if role == Qt.ItemDataRole.DecorationRole:
            return self._warning_icon
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{problem}\nThis row is left out of the computation until it is fixed."
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Parse through the core; invalid text is kept and marked, and ``False`` is returned."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return False
        number, column = index.row(), index.column()
        row = self._rows[number]
        if column == COL_EXEMPT and role == Qt.ItemDataRole.CheckStateRole:
            checked = Qt.CheckState(value) == Qt.CheckState.Checked
            if bool(row.exempt) == checked:
                return True  # keep a recorded reason when the box is ticked again
            return self._store(number, replace(row, exempt=checked), index, index)
        if column == COL_EXEMPT and role == Qt.ItemDataRole.EditRole:
            try:
                exemption = recorded_exemption("" if value is None else str(value))
            except ValueError:
                return False  # bad input changes nothing
            return self._store(number, replace(row, exempt=exemption or False), index, index)
        if role != Qt.ItemDataRole.EditRole or column not in (COL_DATE, COL_SHARES, COL_LOT_ID):
            return False
        text = "" if value is None else str(value).strip()
        if column == COL_LOT_ID:
            return self._store(number, with_lot_id(row, text), index, index)
        updated = with_cell(row, column, text)
        self._store(number, updated, self.index(number, 0), self.index(number, COL_EXEMPT))
        return column not in updated.errors

    def _store(self, number: int, row: LotRow, first: QModelIndex, last: QModelIndex) -> bool:
        self._invalid_count += (not row.valid) - (not self._rows[number].valid)
        self._rows[number] = row
        self.dataChanged.emit(first, last)
        self.rows_changed.emit()
        return True
