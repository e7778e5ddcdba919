"""Copy a fact with its source: the fact, its quote, ``file:lines``, standing and as-of date.

"Copy" puts plain text and Markdown on the clipboard together (an editor that reads Markdown
gets it, anything else the plain text); "Copy as Markdown" puts the Markdown as plain text for
editors that do not. Both are in the context menu of every citation link, and Ctrl+C on a
focused citation copies the fact. Painted charts and timelines copy the picture as shown.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QAbstractScrollArea, QLabel, QWidget

from janus_gui.core.facts import Fact, copy_markdown, copy_plain

MARKDOWN_MIME = "text/markdown"
FactSource = Callable[[], Fact | None]


def copy_fact(fact: Fact) -> None:
    """The fact on the clipboard, as plain text and as Markdown."""
    data = QMimeData()
    data.setText(copy_plain(fact))
    data.setData(MARKDOWN_MIME, copy_markdown(fact).encode("utf-8"))
    QGuiApplication.clipboard().setMimeData(data)


def copy_fact_markdown(fact: Fact) -> None:
    """The fact's Markdown as plain text (for editors that paste only plain text)."""
    QGuiApplication.clipboard().setText(copy_markdown(fact))


def copy_text(text: str) -> None:
    """Plain text on the clipboard."""
    QGuiApplication.clipboard().setText(text)


def install_copy(widget: QWidget, source: FactSource) -> None:
    """Give ``widget`` "Copy" (Ctrl+C while it has focus) and "Copy as Markdown" in its context
    menu, copying the fact ``source`` returns (a label's selected text, when there is one, is
    copied as it is)."""
    if widget.property("fact_copy_installed"):
        return
    widget.setProperty("fact_copy_installed", True)
    widget.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    if widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
        widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    plain = QAction("Copy fact with source", widget)
    plain.setShortcut(QKeySequence(QKeySequence.StandardKey.Copy))
    plain.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    plain.triggered.connect(lambda: _copy(widget, source, markdown=False))
    markdown = QAction("Copy fact as Markdown", widget)
    markdown.triggered.connect(lambda: _copy(widget, source, markdown=True))
    widget.addAction(plain)
    widget.addAction(markdown)


def install_row_copy(table: QWidget, source: FactSource) -> None:
    """Give a table "Copy fact with source" and "Copy fact as Markdown" for its current row
    (its own Ctrl+C keeps copying the selected rows as text)."""
    if table.property("fact_copy_installed"):
        return
    table.setProperty("fact_copy_installed", True)
    plain = QAction("Copy fact with source", table)
    plain.triggered.connect(lambda: _copy(table, source, markdown=False))
    markdown = QAction("Copy fact as Markdown", table)
    markdown.triggered.connect(lambda: _copy(table, source, markdown=True))
    table.addAction(plain)
    table.addAction(markdown)


def install_image_copy(widget: QWidget, what: str) -> None:
    """Give a painted chart "Copy <what> as image" in its context menu: the picture as shown
    (a scroll area's visible part), for a report or an e-mail."""
    widget.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    action = QAction(f"Copy {what} as image", widget)
    action.triggered.connect(lambda: copy_image(widget))
    widget.addAction(action)


def copy_image(widget: QWidget) -> None:
    """The widget as shown, on the clipboard as an image."""
    shown = widget.viewport() if isinstance(widget, QAbstractScrollArea) else widget
    QGuiApplication.clipboard().setPixmap(shown.grab())


def _copy(widget: QWidget, source: FactSource, *, markdown: bool) -> None:
    if not markdown and isinstance(widget, QLabel) and widget.hasSelectedText():
        copy_text(widget.selectedText())
        return
    fact = source()
    if fact is None:
        return
    if markdown:
        copy_fact_markdown(fact)
    else:
        copy_fact(fact)
