"""Dialogs used by the workspace, each behind a small function or ``ask`` classmethod.

Tests replace these (monkeypatch) with recorders, so no test ever blocks on a modal dialog.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from janus_gui.workspace.reading import ImportPreview

WORKSPACE_FILTER = "Janus workspace (*.janusws);;JSON (*.json);;All files (*)"
CSV_FILTER = "CSV files (*.csv);;Text files (*.txt);;All files (*)"
PDF_FILTER = "PDF files (*.pdf)"
PREVIEW_ROWS = 500  # error rows listed in the preview; the count says how many more


class SaveChoice(Enum):
    """Answer to "save changes?"."""

    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


def ask_open_path(parent: QWidget | None, title: str, folder: str, filters: str) -> str:
    """A file to open, or ``""`` when cancelled."""
    path, _ = QFileDialog.getOpenFileName(parent, title, folder, filters)
    return path


def ask_save_path(parent: QWidget | None, title: str, suggested: str, filters: str) -> str:
    """A file to write, or ``""`` when cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
    return path


def ask_save_changes(parent: QWidget | None) -> SaveChoice:
    """Save, discard or cancel, for a workspace with unsaved changes."""
    buttons = (
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel
    )
    answer = QMessageBox.question(
        parent,
        "Unsaved workspace",
        "The redemption-fee workspace has changes that are not saved. Save them?",
        buttons,
        QMessageBox.StandardButton.Save,
    )
    if answer == QMessageBox.StandardButton.Save:
        return SaveChoice.SAVE
    if answer == QMessageBox.StandardButton.Discard:
        return SaveChoice.DISCARD
    return SaveChoice.CANCEL


class ImportPreviewDialog(QDialog):
    """Shows what a lot file holds (valid rows, errors by line) before it replaces the table."""

    def __init__(self, file_name: str, preview: ImportPreview, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Import lots from {file_name}")
        self._preview = preview
        self._build_ui(file_name)

    def _build_ui(self, file_name: str) -> None:
        layout = QVBoxLayout(self)
        preview = self._preview
        summary = QLabel(self._summary(file_name, preview.total, preview.error_count))
        summary.setWordWrap(True)
        layout.addWidget(summary)
        if preview.error_rows or preview.problems:
            layout.addWidget(self._error_table())
        buttons = QDialogButtonBox()
        replace = buttons.addButton("Replace the lot table", QDialogButtonBox.ButtonRole.AcceptRole)
        replace.setEnabled(preview.total > 0)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 420 if preview.error_rows else 160)

    @staticmethod
    def _summary(file_name: str, total: int, bad: int) -> str:
        if total == 0:
            return f"{file_name} holds no lots that can be imported."
        text = f"{file_name}: {total:,} lot rows, {total - bad:,} valid."
        if bad:
            text += (
                f" {bad:,} rows have errors: they will be shown in red and left out of the "
                "computation until fixed."
            )
        return text + " Importing replaces every row of the current lot table."

    def _error_table(self) -> QTableWidget:
        entries = [(str(p.line), p.message) for p in self._preview.problems]
        for row in self._preview.error_rows[:PREVIEW_ROWS]:
            entries.extend((str(row.line), message) for message in row.errors.values())
        table = QTableWidget(len(entries), 2)
        table.setHorizontalHeaderLabels(["Line", "Problem"])
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for index, (line, message) in enumerate(entries):
            line_item = QTableWidgetItem(line)
            line_item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(index, 0, line_item)
            table.setItem(index, 1, QTableWidgetItem(message))
        table.resizeColumnToContents(0)
        return table

    @classmethod
    def ask(cls, parent: QWidget | None, file_name: str, preview: ImportPreview) -> bool:
        """True when the user chose to replace the lot table."""
        dialog = cls(file_name, preview, parent)
        return dialog.exec() == QDialog.DialogCode.Accepted
