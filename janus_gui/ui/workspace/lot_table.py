"""The lot table view: sortable, copyable; pastes and deletes rows; accepts a dropped CSV."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QKeySequence,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QWidget

from janus_gui.ui.tables import CopyableTableView
from janus_gui.ui.workspace.lot_model import (
    COL_DATE,
    COL_EXEMPT,
    COL_LOT_ID,
    COL_SEQ,
    COL_SHARES,
    LotTableModel,
)

DROP_SUFFIXES = (".csv", ".txt", ".tsv")


def dropped_file(mime: QMimeData) -> str | None:
    """The local lot file carried by a drag, if there is exactly one."""
    if not mime.hasUrls():
        return None
    files = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]
    if len(files) != 1 or not files[0].lower().endswith(DROP_SUFFIXES):
        return None
    return files[0]


class LotTableView(CopyableTableView):
    """Editable lot table. Paste and delete go to the panel through signals."""

    paste_requested = Signal()
    delete_requested = Signal()
    file_dropped = Signal(str)

    def __init__(self, model: LotTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The model sorts itself (LotTableModel.sort): a proxy would call into Python for every
        # row on each reset, which stalls the window with 100,000 lots.
        self.lot_model = model
        self.setModel(model)
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDropIndicatorShown(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self._size_columns()
        self._add_actions()

    def _size_columns(self) -> None:
        header = self.horizontalHeader()
        metrics = self.fontMetrics()
        widths = {
            COL_SEQ: metrics.horizontalAdvance("10000") + 16,
            COL_DATE: metrics.horizontalAdvance("2023-02-15") + 24,
            COL_SHARES: metrics.horizontalAdvance("100,000.000") + 24,
            COL_LOT_ID: metrics.horizontalAdvance("lot id") + 24,
            COL_EXEMPT: metrics.horizontalAdvance("Exempt") + 24,
        }
        for column, width in widths.items():
            header.resizeSection(column, width)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)

    def _add_actions(self) -> None:
        paste = QAction("Paste rows", self)
        paste.setShortcut(QKeySequence.StandardKey.Paste)
        paste.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        paste.triggered.connect(self.paste_requested.emit)
        delete = QAction("Delete rows", self)
        delete.setShortcut(QKeySequence.StandardKey.Delete)
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self.delete_requested.emit)
        self.addAction(paste)
        self.addAction(delete)

    def selected_source_rows(self) -> list[int]:
        """Model rows of the selection (the view may be sorted)."""
        selection = self.selectionModel()
        if selection is None:
            return []
        rows = {i.row() for i in selection.selectedRows()}
        if not rows and self.currentIndex().isValid():
            rows.add(self.currentIndex().row())
        return sorted(rows)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.state() != QAbstractItemView.State.EditingState:
            if event.matches(QKeySequence.StandardKey.Paste):
                self.paste_requested.emit()
                event.accept()
                return
            if event.matches(QKeySequence.StandardKey.Delete):
                self.delete_requested.emit()
                event.accept()
                return
        super().keyPressEvent(event)

    # -- drag and drop of a lot file ------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_file(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if dropped_file(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = dropped_file(event.mimeData())
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.file_dropped.emit(path)
