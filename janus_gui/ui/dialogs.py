"""Dialogs of the main window: About, the crash report, and wrapped message boxes.

Message boxes go through the small functions here (``show_error``, ``ask_yes_no``) so tests can
monkeypatch one place instead of Qt's static methods.
"""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from janus_gui import APP_NAME, __version__
from janus_gui.core.models import SourceDocument
from janus_gui.ui.printed import PaperSize
from janus_gui.ui.tables import Column, make_table

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

logger = logging.getLogger(__name__)


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    """A modal error box (start-up failures only; slots use the status line)."""
    QMessageBox.critical(parent, title, message)


def ask_open_path(parent: QWidget | None, caption: str, filters: str) -> str:
    """A file to open, or ``""`` when cancelled."""
    path, _selected = QFileDialog.getOpenFileName(parent, caption, "", filters)
    return path


def ask_save_path(parent: QWidget | None, caption: str, filters: str) -> str:
    """A file to write, or ``""`` when cancelled."""
    path, _selected = QFileDialog.getSaveFileName(parent, caption, "", filters)
    return path


def ask_save_path_and_filter(
    parent: QWidget | None, caption: str, suggested: str, filters: str, selected: str
) -> tuple[str, str]:
    """A file to write and the filter chosen (e.g. the paper size), or ``("", "")``."""
    path, chosen = QFileDialog.getSaveFileName(parent, caption, suggested, filters, selected)
    return (path, chosen) if path else ("", "")


def documents_folder() -> Path:
    """The user's documents folder (home when the platform names none)."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(location) if location else Path.home()


def ask_printer(parent: QWidget | None, paper: PaperSize) -> QPrinter | None:
    """A printer set up in the print dialog (paper preset from the locale), or ``None``."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(paper.page_size())
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print fee record")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return printer


def format_details(details: Mapping[str, str]) -> str:
    """``key: value`` lines, in the given order."""
    return "\n".join(f"{key}: {value}" for key, value in details.items())


class CrashDialog(QDialog):
    """Shown when an unexpected error reaches ``sys.excepthook``; the app keeps running."""

    def __init__(
        self,
        summary: str,
        traceback_text: str,
        details: Mapping[str, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._report = f"{format_details(details)}\n\n{traceback_text}".rstrip() + "\n"
        self._summary = summary
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        self.setWindowTitle(f"{APP_NAME}: unexpected error")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "<b>Something went wrong that the app did not expect.</b><br>"
            f"{html.escape(self._summary)}<br><br>"
            "The app is still running, but the last action may not have finished. "
            "The details below are also in the log file; please include them in a report."
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(intro)
        self.details_view = QPlainTextEdit(self._report)
        self.details_view.setReadOnly(True)
        self.details_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details_view.setMinimumSize(560, 220)
        layout.addWidget(self.details_view)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("Copy details")
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout.addWidget(self.buttons)

    def _connect(self) -> None:
        self.copy_button.clicked.connect(self._on_copy_clicked)
        self.buttons.rejected.connect(self.reject)

    def report(self) -> str:
        """The full text copied by "Copy details"."""
        return self._report

    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self._report)
        self.copy_button.setText("Copied")


_SOURCE_COLUMNS: list[Column[SourceDocument]] = [
    Column("Doc", lambda d: d.doc),
    Column("Date", lambda d: d.doc_date or "undated"),
    Column("Title", lambda d: d.title, tooltip=lambda d: d.description),
    Column("File", lambda d: d.source_file),
]

_META_LABELS = {
    "schema_version": "Schema version",
    "documented_from": "Documented from",
    "documented_to": "Documented to",
    "built_at": "Built at",
    "built_from": "Built from (SHA-256 of the inputs)",
    "content_sha256": "Content SHA-256",
}


def _short(value: str) -> str:
    """A build fact fit for one line; the full value stays in the tooltip."""
    try:
        parsed = json.loads(value) if value.startswith("{") else None
    except ValueError:
        parsed = None
    if isinstance(parsed, dict):
        return f"{len(parsed)} input files (hover for their hashes)"
    return value[:16] + "…" if len(value) > 40 else value


class AboutDialog(QDialog):
    """Version, database build facts and the list of source documents."""

    def __init__(
        self,
        meta: Mapping[str, str],
        documents: Sequence[SourceDocument],
        database_path: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._meta = dict(meta)
        self._documents = list(documents)
        self._database_path = database_path
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        self.setWindowTitle(f"About {APP_NAME}")
        layout = QVBoxLayout(self)
        header = QLabel(
            f"<h3>{html.escape(APP_NAME)} {html.escape(__version__)}</h3>"
            "<p>Share-class rules of the Janus Aspen Series, answered from five source documents "
            "only. Every value carries its citation.</p>"
        )
        header.setWordWrap(True)
        layout.addWidget(header)
        self.build_label = QLabel(self._build_facts_html())
        self.build_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.build_label.setWordWrap(True)
        layout.addWidget(self.build_label)
        layout.addWidget(QLabel("<b>Source documents</b>"))
        self.sources_view, self.sources_model, _proxy = make_table(_SOURCE_COLUMNS, self)
        self.sources_model.set_rows(self._documents)
        self.sources_view.resizeColumnsToContents()
        header = self.sources_view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.sources_view.setMinimumHeight(170)
        layout.addWidget(self.sources_view)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout.addWidget(self.buttons)
        self.resize(1000, 470)

    def _connect(self) -> None:
        self.buttons.rejected.connect(self.reject)

    def _build_facts_html(self) -> str:
        rows = [f"<tr><td>Database</td><td>{html.escape(self._database_path)}</td></tr>"]
        for key, label in _META_LABELS.items():
            if key in self._meta:
                value = self._meta[key]
                shown = _short(value)
                rows.append(
                    f"<tr><td>{label}</td><td title='{html.escape(value)}'>"
                    f"{html.escape(shown)}</td></tr>"
                )
        return "<table cellspacing='2'>" + "".join(rows) + "</table>"
