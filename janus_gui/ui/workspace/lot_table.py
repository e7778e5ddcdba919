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
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QWidget,
)

from janus_gui.core.exemptions import CHOICES, ExemptionReason, parse_exemption
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
NOT_EXEMPT = "not exempt"
# What the reason editor offers; "other" needs a note, typed after the colon.
REASON_ITEMS = (
    NOT_EXEMPT,
    *(f"{r.words}: " if r is ExemptionReason.OTHER else r.words for r in CHOICES),
)


class ExemptionDelegate(QStyledItemDelegate):
    """The Exempt column's editor: a list of reasons; "other: <why>" may be typed."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index) -> QWidget:
        editor = QComboBox(parent)
        editor.setEditable(True)
        editor.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        editor.addItems(REASON_ITEMS)
        editor.setToolTip('Choose why the lot is exempt, or type "other: <why>".')
        line = editor.lineEdit()
        assert line is not None
        line.returnPressed.connect(lambda: self._finish(editor))
        editor.activated.connect(lambda _index: self._finish(editor))
        return editor

    def _finish(self, editor: QComboBox) -> None:
        """Enter or a picked item commits at once (the combo box would keep Enter to itself).

        Enter in the line edit also activates the item, so the second call is ignored.
        """
        if editor.property("finished"):
            return
        editor.setProperty("finished", True)
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index) -> None:
        assert isinstance(editor, QComboBox)
        current = index.data(Qt.ItemDataRole.EditRole) or ""
        found = parse_exemption(current) if current else None
        text = found.text() if found is not None else NOT_EXEMPT
        position = editor.findText(text)
        if position >= 0:
            editor.setCurrentIndex(position)
        else:
            editor.setEditText(text)

    def setModelData(self, editor: QWidget, model, index) -> None:
        assert isinstance(editor, QComboBox)
        text = editor.currentText().strip()
        value = "" if text == NOT_EXEMPT else text
        try:
            parse_exemption(value)
        except ValueError as exc:  # nothing changes; say why next to the cell
            QToolTip.showText(editor.mapToGlobal(editor.rect().bottomLeft()), str(exc), editor)
            return
        model.setData(index, value, Qt.ItemDataRole.EditRole)


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
        self.exemption_delegate = ExemptionDelegate(self)
        self.setItemDelegateForColumn(COL_EXEMPT, self.exemption_delegate)
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
            COL_EXEMPT: metrics.horizontalAdvance("death or disability") + 40,
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
