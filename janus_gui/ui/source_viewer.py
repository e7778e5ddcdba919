"""Read-only viewer of a source document that highlights the cited lines.

The text is shown exactly as stored (including the ``\\$`` sequences some sources contain), with
line numbers in a gutter so a citation such as ``002:96-103`` can be checked by eye.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QShortcut,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from janus_gui import paths
from janus_gui.core.models import Citation

logger = logging.getLogger(__name__)

GUTTER_PADDING = 6


class _LineNumberArea(QWidget):
    """The gutter; painting is delegated to the editor, which knows the visible blocks."""

    def __init__(self, editor: SourceTextEdit) -> None:
        super().__init__(editor)
        self._editor = editor

    def sizeHint(self) -> QSize:
        return QSize(self._editor.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._editor.paint_gutter(event)


class SourceTextEdit(QPlainTextEdit):
    """A read-only plain-text view with a line-number gutter."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self._gutter = _LineNumberArea(self)
        self.blockCountChanged.connect(self._on_document_block_count_changed)
        self.updateRequest.connect(self._on_viewport_update_requested)
        self._on_document_block_count_changed(0)

    def gutter_width(self) -> int:
        digits = len(str(max(1, self.blockCount())))
        return GUTTER_PADDING * 2 + self.fontMetrics().horizontalAdvance("9") * digits

    def _on_document_block_count_changed(self, _count: int) -> None:
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)

    def _on_viewport_update_requested(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        area = self.contentsRect()
        self._gutter.setGeometry(QRect(area.left(), area.top(), self.gutter_width(), area.height()))

    def paint_gutter(self, event: QPaintEvent) -> None:
        """Draw the numbers of the visible lines only (documents run to 10,000+ lines)."""
        painter = QPainter(self._gutter)
        palette = self.palette()
        painter.fillRect(event.rect(), palette.alternateBase())
        painter.setPen(palette.placeholderText().color())
        block = self.firstVisibleBlock()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        height = self.fontMetrics().height()
        width = self._gutter.width() - GUTTER_PADDING
        while block.isValid() and top <= event.rect().bottom():
            bottom = top + round(self.blockBoundingRect(block).height())
            if block.isVisible() and bottom >= event.rect().top():
                painter.drawText(
                    0,
                    top,
                    width,
                    height,
                    Qt.AlignmentFlag.AlignRight,
                    str(block.blockNumber() + 1),
                )
            block = block.next()
            top = bottom
        painter.end()


class SourceViewer(QWidget):
    """Opens a cited document, highlights the cited lines and scrolls them into view."""

    document_shown = Signal(str)  # the source file name

    def __init__(self, parent: QWidget | None = None, *, sources_dir: Path | None = None) -> None:
        super().__init__(parent)
        self._sources_dir = sources_dir or paths.sources_dir()
        self._titles: dict[str, str] = {}
        self._current_file: str | None = None
        self._citation: Citation | None = None
        self._build_ui()
        self._connect()

    # -- layout ------------------------------------------------------------------------------
    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.title_label = QLabel("No source open. Click a citation such as 002:96-103.")
        self.title_label.setWordWrap(True)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.title_label)
        find_row = QHBoxLayout()
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText("Find in document (Ctrl+F)")
        self.find_edit.setClearButtonEnabled(True)
        self.previous_button = QToolButton()
        self.previous_button.setArrowType(Qt.ArrowType.UpArrow)
        self.previous_button.setToolTip("Previous match")
        self.next_button = QToolButton()
        self.next_button.setArrowType(Qt.ArrowType.DownArrow)
        self.next_button.setToolTip("Next match (Enter)")
        self.cited_button = QToolButton()
        self.cited_button.setText("Cited lines")
        self.cited_button.setToolTip("Scroll back to the cited lines")
        self.wrap_button = QToolButton()
        self.wrap_button.setText("Wrap")
        self.wrap_button.setCheckable(True)
        self.wrap_button.setChecked(True)
        self.wrap_button.setToolTip("Wrap long lines (the 2013 tax table has very long rows)")
        self.find_status = QLabel("")
        find_row.addWidget(self.find_edit, 1)
        find_row.addWidget(self.previous_button)
        find_row.addWidget(self.next_button)
        find_row.addWidget(self.find_status)
        find_row.addWidget(self.cited_button)
        find_row.addWidget(self.wrap_button)
        layout.addLayout(find_row)
        self.text_edit = SourceTextEdit(self)
        layout.addWidget(self.text_edit, 1)
        self._find_shortcut = QShortcut(QKeySequence.StandardKey.Find, self)
        self._find_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _connect(self) -> None:
        self.find_edit.returnPressed.connect(self._on_find_next_requested)
        self.next_button.clicked.connect(self._on_find_next_requested)
        self.previous_button.clicked.connect(self._on_find_previous_requested)
        self.cited_button.clicked.connect(self._on_cited_button_clicked)
        self.wrap_button.toggled.connect(self._on_wrap_button_toggled)
        self._find_shortcut.activated.connect(self._on_find_shortcut_activated)

    # -- public API --------------------------------------------------------------------------
    def set_document_titles(self, titles: Mapping[str, str]) -> None:
        """Titles by source file name, shown above the text."""
        self._titles = dict(titles)

    def citation(self) -> Citation | None:
        """The citation shown last."""
        return self._citation

    def show_citation(self, citation: Citation) -> None:
        """Open the cited document, highlight ``line_start..line_end`` and centre the first."""
        if not self._load(citation.source_file):
            return
        self._citation = citation
        self._highlight(citation.line_start, citation.line_end)
        self._scroll_to_line(citation.line_start)
        # Wrapped lines are laid out once the viewer has its final width (a dock that has
        # just been shown has not); centre again when that layout has happened.
        QTimer.singleShot(0, self._on_layout_settled)
        title = self._titles.get(citation.source_file, citation.source_file)
        self.title_label.setText(f"<b>{citation.label()}</b> — {title}")
        self.title_label.setToolTip(f"{citation.source_file}\n“{citation.quote}”")
        self.setWindowTitle(f"{citation.label()} — {title}")
        self.document_shown.emit(citation.source_file)

    def highlighted_blocks(self) -> list[int]:
        """0-based block numbers currently highlighted (block n is line n + 1)."""
        return [s.cursor.blockNumber() for s in self.text_edit.extraSelections()]

    def current_file(self) -> str | None:
        """The source file on display."""
        return self._current_file

    # -- internals ---------------------------------------------------------------------------
    def _load(self, source_file: str) -> bool:
        if source_file == self._current_file:
            return True
        path = self._sources_dir / Path(source_file).name
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            logger.warning("cannot open source %s: %s", path, exc)
            self.title_label.setText(f"Cannot open the source document {path}: {exc.strerror}")
            return False
        self.text_edit.setPlainText(text)
        self._current_file = source_file
        return True

    def _highlight(self, first: int, last: int) -> None:
        colour = QColor(self.palette().highlight().color())
        colour.setAlpha(70)
        document = self.text_edit.document()
        selections = []
        for number in range(max(first, 1) - 1, min(last, document.blockCount())):
            selection = QTextEdit.ExtraSelection()
            selection.format.setBackground(colour)
            selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
            cursor = QTextCursor(document.findBlockByNumber(number))
            # Select the whole block so every wrapped line of it is tinted, not just the first.
            cursor.movePosition(
                QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor
            )
            selection.cursor = cursor
            selections.append(selection)
        self.text_edit.setExtraSelections(selections)

    def _scroll_to_line(self, line: int) -> None:
        block = self.text_edit.document().findBlockByNumber(max(line, 1) - 1)
        self.text_edit.setTextCursor(QTextCursor(block))
        self.text_edit.centerCursor()

    def _find(self, backward: bool) -> None:
        needle = self.find_edit.text()
        if not needle:
            self.find_status.setText("")
            return
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        found = self.text_edit.find(needle, flags)
        if not found:  # wrap around once
            cursor = self.text_edit.textCursor()
            cursor.movePosition(
                QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start
            )
            self.text_edit.setTextCursor(cursor)
            found = self.text_edit.find(needle, flags)
        if found:
            line = self.text_edit.textCursor().blockNumber() + 1
            self.find_status.setText(f"line {line}")
        else:
            self.find_status.setText("not found")

    def _on_find_next_requested(self) -> None:
        self._find(backward=False)

    def _on_find_previous_requested(self) -> None:
        self._find(backward=True)

    def _on_layout_settled(self) -> None:
        if self._citation:
            self._scroll_to_line(self._citation.line_start)

    def _on_cited_button_clicked(self) -> None:
        if self._citation:
            self._scroll_to_line(self._citation.line_start)

    def _on_wrap_button_toggled(self, wrap: bool) -> None:
        modes = QPlainTextEdit.LineWrapMode
        mode = modes.WidgetWidth if wrap else modes.NoWrap
        self.text_edit.setLineWrapMode(mode)
        if self._citation:
            self._scroll_to_line(self._citation.line_start)

    def _on_find_shortcut_activated(self) -> None:
        self.find_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_edit.selectAll()
