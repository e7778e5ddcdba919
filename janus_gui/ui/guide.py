"""Help ▸ User guide: the bundled guide (Markdown) in a text browser inside the app.

The guide is read through ``paths.user_guide_path``, so it is found the same way in a checkout,
an installed wheel and the bundle, and no external program is needed to show it.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from janus_gui import APP_NAME, paths

logger = logging.getLogger(__name__)


def guide_markdown() -> str:
    """The guide's text, or a short explanation when this copy of the app has none."""
    path = paths.user_guide_path()
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        logger.warning("user guide not readable at %s: %s", path, exc)
        return f"# User guide\n\nThe user guide is missing from this copy of {APP_NAME}."


class GuideDialog(QDialog):
    """A non-modal window with the guide; links to the web open outside, anchors inside."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME} — user guide")
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setMarkdown(guide_markdown())
        layout.addWidget(self.browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.resize(760, 640)
