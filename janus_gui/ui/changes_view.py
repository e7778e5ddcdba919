"""The class detail's "Compare dates" mode: every fact that differs between two dates.

One row per changed fact, under the dated event that explains it, with both values, both
standings and both citations; unchanged facts are counted. The events between the two dates are
listed below. Built on ``core.changes.changes_between`` (the same as ``janus-gui changes``).
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSignalBlocker,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from janus_gui.core.changes import Change, ChangeReport, changes_between
from janus_gui.core.errors import JanusError
from janus_gui.core.facts import Fact, copy_markdown, copy_plain
from janus_gui.core.models import ShareClass
from janus_gui.core.repository import Repository
from janus_gui.core.wording import standing_label
from janus_gui.ui.citation_label import citation_tooltip
from janus_gui.ui.date_field import DateField
from janus_gui.ui.fact_copy import copy_text
from janus_gui.ui.tables import CopyableTableView, RowRole

AnyIndex = QModelIndex | QPersistentModelIndex
COL_WHY, COL_TOPIC, COL_ASPECT, COL_BEFORE, COL_AFTER = range(5)


def fact_cell(fact: Fact) -> str:
    """A fact in a cell: its text, then its standing and source on a line of their own."""
    cite = f" · {fact.citation.label()}" if fact.citation else ""
    return f"{fact.text}\n[{standing_label(fact.support)}{cite}]"


def change_plain(change: Change) -> str:
    """A change as plain text: what explains it, then both facts with their sources."""
    why = change.explained_by.line() if change.explained_by else "not explained by a dated event"
    return (
        f"{change.topic} ({change.aspect.value} changed) — {why}\n\n"
        f"{copy_plain(change.before)}\n\n{copy_plain(change.after)}"
    )


def change_markdown(change: Change) -> str:
    """A change as Markdown."""
    why = change.explained_by.line() if change.explained_by else "not explained by a dated event"
    return (
        f"### {change.topic} ({change.aspect.value} changed)\n\n_{why}_\n\n"
        f"{copy_markdown(change.before)}\n\n{copy_markdown(change.after)}"
    )


class ChangesTableModel(QAbstractTableModel):
    """The changed facts of a ``ChangeReport``, one per row."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._report: ChangeReport | None = None

    def set_report(self, report: ChangeReport | None) -> None:
        """Show another report (``None`` empties the table)."""
        self.beginResetModel()
        self._report = report
        self.endResetModel()

    def change_at(self, row: int) -> Change:
        """The change shown in a row."""
        assert self._report is not None
        return self._report.changes[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self._report is None:
            return 0
        return len(self._report.changes)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 5

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        report = self._report
        first = report.date_from.isoformat() if report else "first date"
        second = report.date_to.isoformat() if report else "second date"
        titles = ("Explained by", "Fact", "What changed", f"On {first}", f"On {second}")
        return titles[section] if 0 <= section < len(titles) else None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._report is None:
            return None
        if not 0 <= index.row() < len(self._report.changes):
            return None
        change = self._report.changes[index.row()]
        column = index.column()
        if role == RowRole:
            return change
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(change, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (COL_BEFORE, COL_AFTER):
            fact = change.before if column == COL_BEFORE else change.after
            return citation_tooltip(fact.citation) if fact.citation else "No source states it."
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_WHY and change.explained_by:
            cited = change.explained_by.citation
            return citation_tooltip(cited) if cited else None
        return None

    @staticmethod
    def _text(change: Change, column: int) -> str:
        if column == COL_WHY:
            return change.explained_by.line() if change.explained_by else "—"
        if column == COL_TOPIC:
            return change.topic
        if column == COL_ASPECT:
            return change.aspect.value
        return fact_cell(change.before if column == COL_BEFORE else change.after)


class ChangesView(QWidget):
    """A second date, the summary, the changed facts and the events between the dates."""

    other_date_changed = Signal(object)  # dt.date

    def __init__(self, repo: Repository, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._repo = repo
        self._target: tuple[str, ShareClass, dt.date] | None = None
        self.report: ChangeReport | None = None
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        row = QHBoxLayout()
        row.addWidget(QLabel("Compare with:"))
        self.other_date = DateField()
        self.other_date.setToolTip("The other date: facts on both dates are compared")
        row.addWidget(self.other_date)
        row.addStretch(1)
        layout.addLayout(row)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont(self.summary.font())
        font.setBold(True)
        self.summary.setFont(font)
        layout.addWidget(self.summary)
        self.model = ChangesTableModel(self)
        self.table = CopyableTableView(self)
        self.table.setSortingEnabled(False)
        self.table.setWordWrap(True)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_WHY, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_BEFORE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_AFTER, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(COL_WHY, 160)
        self.table.setColumnWidth(COL_TOPIC, 120)
        header.setSectionResizeMode(COL_ASPECT, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.copy_change_action = QAction("Copy change with sources", self.table)
        self.copy_change_markdown_action = QAction("Copy change as Markdown", self.table)
        self.copy_json_action = QAction("Copy all changes as JSON", self.table)
        for action in (
            self.copy_change_action,
            self.copy_change_markdown_action,
            self.copy_json_action,
        ):
            self.table.addAction(action)
        layout.addWidget(self.table, 1)
        self.events = QLabel()
        self.events.setWordWrap(True)
        self.events.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.events.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        events_area = QScrollArea(self)
        events_area.setWidget(self.events)
        events_area.setWidgetResizable(True)
        events_area.setFrameShape(QScrollArea.Shape.NoFrame)
        events_area.setMaximumHeight(self.fontMetrics().lineSpacing() * 6)
        layout.addWidget(events_area)

    def _connect(self) -> None:
        self.other_date.dateChanged.connect(self._on_other_date_date_changed)
        self.copy_change_action.triggered.connect(lambda: self._copy_change(markdown=False))
        self.copy_change_markdown_action.triggered.connect(lambda: self._copy_change(markdown=True))
        self.copy_json_action.triggered.connect(self._on_copy_json_triggered)

    # -- public API --------------------------------------------------------------------------
    def show_class(
        self,
        portfolio_id: str,
        share_class: ShareClass,
        as_of: dt.date,
        other: dt.date | None = None,
    ) -> None:
        """Compare the class on ``as_of`` with the other date (kept, or ``other``)."""
        self._target = (portfolio_id, share_class, as_of)
        if other is not None:
            with QSignalBlocker(self.other_date):
                self.other_date.setDate(other)
        self.refresh()

    def refresh(self) -> None:
        """Recompute for the class shown and the two dates (the earlier one first)."""
        if self._target is None:
            return
        portfolio_id, share_class, as_of = self._target
        other = self.other_date.date()
        first, second = sorted((as_of, other))
        try:
            report = changes_between(self._repo, portfolio_id, share_class, first, second)
        except JanusError as exc:
            self.report = None
            self.model.set_report(None)
            self.summary.setText(f"Choose another date to compare with: {exc}.")
            self.events.setText("")
            return
        self.report = report
        self.model.set_report(report)
        self.summary.setText(
            f"{report.share_class.value} shares of {report.portfolio_name} from "
            f"{first.isoformat()} to {second.isoformat()}: {len(report.changes)} facts changed; "
            f"{report.unchanged} unchanged (not listed)."
        )
        self.events.setText(self._events_html(report))

    @staticmethod
    def _events_html(report: ChangeReport) -> str:
        if not report.events:
            return "<i>No dated event in the sources falls between the two dates.</i>"
        items = "".join(
            f"<li>{e.date.isoformat()}: {html.escape(e.description)} "
            f"[{html.escape(e.citation.label())}]</li>"
            for e in report.events
        )
        return (
            f"<b>Events after {report.date_from.isoformat()} through "
            f"{report.date_to.isoformat()}</b><ul>{items}</ul>"
        )

    def current_change(self) -> Change | None:
        """The change of the current row, if any."""
        index = self.table.currentIndex()
        return self.model.change_at(index.row()) if index.isValid() else None

    # -- slots -------------------------------------------------------------------------------
    def _on_other_date_date_changed(self, day: dt.date) -> None:
        self.refresh()
        self.other_date_changed.emit(day)

    def _copy_change(self, *, markdown: bool) -> None:
        change = self.current_change()
        if change is not None:
            copy_text(change_markdown(change) if markdown else change_plain(change))

    def _on_copy_json_triggered(self) -> None:
        if self.report is None:
            return
        from janus_gui.core.json_forms import changes_payload, json_text

        copy_text(json_text(changes_payload(self.report)))
