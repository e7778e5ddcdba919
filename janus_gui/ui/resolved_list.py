"""The resolved list: a pasted list of CUSIPs, ISINs, tickers or names, one row per query.

Rows are the same as ``janus-gui lookup --input`` writes (``core.lookup_list``): the table can be
copied (Ctrl+C, or "Copy all") and exported to CSV, and a double-click on a resolved row opens
that portfolio and class in the window.
"""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from janus_gui.core.errors import InputError
from janus_gui.core.lookup_list import (
    ListStatus,
    ResolvedQuery,
    as_record,
    read_queries,
    records_csv,
    resolve_queries,
)
from janus_gui.core.repository import Repository
from janus_gui.core.safe_write import write_text as atomic_write_text
from janus_gui.ui import dialogs
from janus_gui.ui.tables import Column, RowRole, make_table

logger = logging.getLogger(__name__)

MAX_COLUMN_WIDTH = 240

STATUS_WORDS = {
    ListStatus.OK: "resolved",
    ListStatus.AMBIGUOUS: "ambiguous",
    ListStatus.NO_MATCH: "no match",
    ListStatus.INVALID: "invalid",
}


def _field(name: str):  # noqa: ANN202 - a small column accessor factory
    return lambda item: as_record(item)[name]


LIST_COLUMNS: list[Column[ResolvedQuery]] = [
    Column("Line", lambda r: r.line, numeric=True),
    Column("Query", lambda r: r.query),
    Column(
        "Status",
        lambda r: r.status.value,
        text=lambda r: STATUS_WORDS[r.status],
        tooltip=lambda r: r.message or None,
    ),
    Column("Matched on", _field("matched_on")),
    Column(
        "Portfolio",
        _field("portfolio"),
        tooltip=lambda r: f"{r.match.portfolio_id}: {r.match.portfolio}" if r.match else None,
    ),
    Column("Class", _field("share_class")),
    Column("CUSIP", _field("cusip")),
    Column(
        "ISIN (derived)",
        _field("isin"),
        header_tooltip="Derived from the CUSIP (US + CUSIP + check digit); "
        "no source document prints an ISIN.",
    ),
    Column("Ticker", _field("ticker")),
    Column(
        "Message",
        lambda r: r.message or ("; ".join(as_record(r)["candidates"]) or ""),  # type: ignore[arg-type]
        tooltip=lambda r: "\n".join(as_record(r)["candidates"]) or r.message or None,  # type: ignore[arg-type]
    ),
]


class ResolvedListDialog(QDialog):
    """A non-modal window listing how each query of a pasted list resolved."""

    match_chosen = Signal(object)  # SearchMatch of a resolved row (double-click)

    def __init__(self, repo: Repository, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._repo = repo
        self._items: list[ResolvedQuery] = []
        self._as_of: dt.date | None = None
        self.setWindowTitle("Resolved list")
        self.resize(1000, 480)
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.view, self.model, self.proxy = make_table(LIST_COLUMNS, self)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setMaximumSectionSize(MAX_COLUMN_WIDTH)  # long names elide; tooltips keep all
        header.setStretchLastSection(True)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        layout.addWidget(self.view, 1)
        hint = QLabel(
            "Double-click a resolved row to open it. Ctrl+C copies the selected rows; "
            "the same table is what `janus-gui lookup --input FILE` writes."
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("Copy all")
        self.copy_button.setToolTip("Copy every row, with the header, as tab-separated text")
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setToolTip("Save the rows as a CSV file (the lookup --input format)")
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout.addWidget(self.buttons)

    def _connect(self) -> None:
        self.buttons.rejected.connect(self.close)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        self.export_button.clicked.connect(self._on_export_clicked)
        self.view.doubleClicked.connect(self._on_view_double_clicked)

    # -- public API --------------------------------------------------------------------------
    def resolve(self, text: str, as_of: dt.date) -> None:
        """Resolve every line of ``text`` (names as in force on ``as_of``) and show the rows."""
        try:
            queries = read_queries(text)
        except InputError as exc:
            self._items = []
            self.model.set_rows([])
            self.summary.setText(str(exc))
            return
        self._as_of = as_of
        self._items = list(resolve_queries(self._repo, queries, as_of))
        self.model.set_rows(self._items)
        self.summary.setText(self._summary_text())

    def items(self) -> list[ResolvedQuery]:
        """The rows on display, in input order."""
        return list(self._items)

    # -- slots -------------------------------------------------------------------------------
    def _on_copy_clicked(self) -> None:
        self.view.clearSelection()  # nothing selected: the whole table is copied
        self.view.copy_selection()

    def _on_export_clicked(self) -> None:
        path = dialogs.ask_save_path(self, "Export resolved list", "CSV files (*.csv)")
        if not path:
            return
        try:
            atomic_write_text(path, records_csv(self._items))
        except OSError as exc:
            self.summary.setText(f"Could not write {path}: {exc.strerror or exc}")
            return
        self.summary.setText(f"{self._summary_text()} Exported to {path}.")

    def _on_view_double_clicked(self, index: QModelIndex) -> None:
        item = index.data(RowRole)
        if isinstance(item, ResolvedQuery) and item.match is not None:
            self.match_chosen.emit(item.match)

    def _summary_text(self) -> str:
        counts = {status: 0 for status in ListStatus}
        for item in self._items:
            counts[item.status] += 1
        date = f" (names as of {self._as_of})" if self._as_of else ""
        return (
            f"{len(self._items)} queries{date}: {counts[ListStatus.OK]} resolved, "
            f"{counts[ListStatus.AMBIGUOUS]} ambiguous, {counts[ListStatus.NO_MATCH]} no match, "
            f"{counts[ListStatus.INVALID]} invalid."
        )
