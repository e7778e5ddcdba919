"""Small clickable source references ("002:96-103") that ask for the cited lines to be shown.

Every fact in the window carries a ``Citation``; these labels are how a user gets from a value to
the sentence in the source document that states it.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QWidget

from janus_gui.core.models import Citation

_LINK = "cite"


def citation_tooltip(citation: Citation) -> str:
    """Hover text: the file, the lines and the verbatim quote."""
    lines = (
        f"line {citation.line_start}"
        if citation.line_start == citation.line_end
        else f"lines {citation.line_start}–{citation.line_end}"
    )
    quote = html.escape(citation.quote)
    return (
        f"<b>{html.escape(citation.source_file)}</b>, {lines}<br>"
        f"<i>“{quote}”</i><br>Click to open the source at these lines."
    )


class CitationLabel(QLabel):
    """A link-styled label showing ``citation.label()``; clicking it emits ``citation_clicked``."""

    citation_clicked = Signal(object)

    def __init__(self, citation: Citation | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._citation: Citation | None = None
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.setOpenExternalLinks(False)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF() * 0.9, 7.0))
        self.setFont(font)
        self.linkActivated.connect(self._on_link_activated)
        self.set_citation(citation)

    def citation(self) -> Citation | None:
        """The citation shown, if any."""
        return self._citation

    def set_citation(self, citation: Citation | None) -> None:
        """Show another citation (``None`` hides the label)."""
        self._citation = citation
        if citation is None:
            self.setText("")
            self.setToolTip("")
            self.setVisible(False)
            return
        self.setText(f'<a href="{_LINK}">{html.escape(citation.label())}</a>')
        self.setToolTip(citation_tooltip(citation))
        self.setAccessibleName(f"Source {citation.label()}")
        self.setVisible(True)

    def activate(self) -> None:
        """Act as if the link were clicked (keyboard users, tests)."""
        self._on_link_activated(_LINK)

    def _on_link_activated(self, _link: str) -> None:
        if self._citation is not None:
            self.citation_clicked.emit(self._citation)


class CitedText(QLabel):
    """Selectable text followed by its citation link, wrapping as one paragraph.

    Keeping the link inside the text keeps it next to the words it supports, however the
    text wraps.
    """

    citation_clicked = Signal(object)

    def __init__(
        self, text: str = "", citation: Citation | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._plain = ""
        self._citation: Citation | None = None
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.setOpenExternalLinks(False)
        self.linkActivated.connect(self._on_link_activated)
        self.linkHovered.connect(self._on_link_hovered)
        self.set_content(text, citation)

    def plain_text(self) -> str:
        """The text without the citation."""
        return self._plain

    def citation(self) -> Citation | None:
        """The citation shown, if any."""
        return self._citation

    def set_content(self, text: str, citation: Citation | None) -> None:
        """Show ``text`` and, after it, a link to ``citation``."""
        self._plain = text
        self._citation = citation
        body = html.escape(text)
        if citation is not None:
            body += (
                f'&nbsp;&nbsp;<a href="{_LINK}"><small>{html.escape(citation.label())}</small></a>'
            )
        self.setText(body)

    def activate(self) -> None:
        """Act as if the citation link were clicked."""
        self._on_link_activated(_LINK)

    def _on_link_activated(self, _link: str) -> None:
        if self._citation is not None:
            self.citation_clicked.emit(self._citation)

    def _on_link_hovered(self, link: str) -> None:
        from PySide6.QtGui import QCursor
        from PySide6.QtWidgets import QToolTip

        if link and self._citation is not None:
            QToolTip.showText(QCursor.pos(), citation_tooltip(self._citation), self)
        else:
            QToolTip.hideText()
