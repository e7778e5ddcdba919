"""Building blocks shared by the detail tabs: headings, forms, note icons, glossary tooltips."""

from __future__ import annotations

import contextlib
import datetime as dt
import html
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QMouseEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from janus_gui.core.models import (
    Citation,
    ClassRules,
    DataNote,
    Evidence,
    Rule,
    Standing,
)
from janus_gui.core.wording import standing_badge  # noqa: F401 - re-exported for the tabs
from janus_gui.ui.citation_label import CitationLabel, CitedText
from janus_gui.ui.tables import CopyableTableView, RecordTableModel, RowRole, SortProxyModel

# Plain-words explanations for abbreviations shown anywhere in the panel.
GLOSSARY: dict[str, str] = {
    "12b-1": "12b-1 fee: a fee paid out of a Portfolio's assets for distribution and "
    "shareholder services, under a plan adopted pursuant to Rule 12b-1 of the Investment "
    "Company Act of 1940.",
    "NAV": "NAV: net asset value per share, the price at which shares are bought and redeemed.",
    "FIFO": "FIFO: first in, first out. The shares held the longest are treated as "
    "redeemed first when deciding whether the redemption fee applies.",
    "CUSIP": "CUSIP: the nine-character identifier of a security (six-character issuer, "
    "two-character issue, one check digit).",
    "ISIN": "ISIN: the twelve-character international identifier; for a US security it is "
    "US, the CUSIP, and one check digit.",
}


def glossary_tooltip(text: str) -> str:
    """Explanations of every abbreviation that occurs in ``text`` (empty when none)."""
    return "<br>".join(html.escape(v) for k, v in GLOSSARY.items() if k in text)


def fmt_date(day: dt.date | None, *, open_text: str = "—") -> str:
    """ISO date, or a dash for an open or unknown end."""
    return day.isoformat() if day else open_text


def evidence_text(evidence: Evidence | str) -> str:
    """``Documented`` / ``Inferred``."""
    return str(evidence).capitalize()


def evidence_tooltip(evidence: Evidence | str, reason: str) -> str:
    """Why a fact has its evidence level."""
    if str(evidence) == Evidence.DOCUMENTED:
        return "Documented: a source states this."
    return f"Inferred: no source states this outright. {reason}".strip()


def warning_icon() -> QIcon:
    """The standard warning icon used for every data note."""
    from PySide6.QtWidgets import QApplication

    return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)


def note_tooltip(notes: Sequence[DataNote]) -> str:
    """Hover text explaining one or more data notes, with printed and used values."""
    parts = []
    for note in notes:
        lines = [f"<b>{html.escape(note.note_id)}: {html.escape(note.title)}</b>"]
        if note.printed:
            lines.append(f"Printed: {html.escape(note.printed)}")
        if note.computed:
            lines.append(f"Computed from its parts: {html.escape(note.computed)}")
        if note.used:
            lines.append(f"Value used: {html.escape(note.used)}")
        lines.append(html.escape(note.explanation))
        lines.append(f"Source: {html.escape(note.citation.label())}")
        parts.append("<br>".join(lines))
    return "<hr>".join(parts)


def note_titles(notes: Sequence[DataNote]) -> str:
    """The notes by title, for a cell: ``Total differs from its parts; Column drift``."""
    return "; ".join(note.title for note in notes)


def note_titles_tooltip(notes: Sequence[DataNote]) -> str:
    """A short hover text: one title a line, and how to read the rest."""
    if not notes:
        return ""
    titles = "<br>".join(
        f"• {html.escape(note.note_id)}: {html.escape(note.title)}" for note in notes
    )
    return f"<b>Data notes</b><br>{titles}<br><i>Click to read them in full.</i>"


class NotesDialog(QDialog):
    """The full text of data notes: printed, computed and used values, why, and the source."""

    def __init__(self, notes: Sequence[DataNote], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Data notes")
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setHtml(note_tooltip(notes))
        layout.addWidget(self.browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.resize(560, 360)


def show_notes(parent: QWidget | None, notes: Sequence[DataNote]) -> QDialog:
    """Open the full text of ``notes`` in a window beside the app (not modal)."""
    dialog = NotesDialog(notes, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


class NoteIcon(QLabel):
    """A small warning icon naming the data notes behind a value; a click shows them in full."""

    def __init__(self, notes: Sequence[DataNote], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.notes = tuple(notes)
        size = self.fontMetrics().height()
        self.setPixmap(warning_icon().pixmap(size, size))
        self.setToolTip(note_titles_tooltip(self.notes))
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName("Data note: " + ", ".join(n.note_id for n in self.notes))
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.notes:
            show_notes(self, self.notes)
            event.accept()
            return
        super().mousePressEvent(event)


def heading(text: str, parent: QWidget | None = None, *, level: int = 1) -> QLabel:
    """A section heading (level 1) or sub-heading (level 2)."""
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * (1.2 if level == 1 else 1.0))
    label.setFont(font)
    label.setAccessibleName(text)
    return label


def muted(text: str, parent: QWidget | None = None, *, wrap: bool = True) -> QLabel:
    """Secondary text (explanations, hints) in the palette's placeholder colour."""
    label = QLabel(text, parent)
    label.setWordWrap(wrap)
    palette = label.palette()
    palette.setColor(
        QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.PlaceholderText)
    )
    label.setPalette(palette)
    return label


def value_label(text: str, parent: QWidget | None = None, *, wrap: bool = True) -> QLabel:
    """A selectable value; abbreviations get a glossary tooltip."""
    label = QLabel(text, parent)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    tip = glossary_tooltip(text)
    if tip:
        label.setToolTip(tip)
    return label


def blend(base: QColor, accent: QColor, amount: float) -> QColor:
    """``base`` moved ``amount`` (0..1) towards ``accent``: tints for light and dark themes."""
    return QColor(
        round(base.red() + (accent.red() - base.red()) * amount),
        round(base.green() + (accent.green() - base.green()) * amount),
        round(base.blue() + (accent.blue() - base.blue()) * amount),
    )


class Section(QWidget):
    """A heading over a form of label/value rows; each row may carry notes and a citation."""

    citation_clicked = Signal(object)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.title = heading(title, self)
        layout.addWidget(self.title)
        # A grid rather than a QFormLayout: it gives wrapped values their full height.
        self.form = QGridLayout()
        self.form.setHorizontalSpacing(14)
        self.form.setVerticalSpacing(6)
        self.form.setContentsMargins(12, 0, 0, 0)
        self.form.setColumnStretch(1, 1)
        self._row_count = 0
        layout.addLayout(self.form)
        self.body = QVBoxLayout()
        self.body.setContentsMargins(12, 0, 0, 0)
        self.body.setSpacing(6)
        layout.addLayout(self.body)

    def clear(self) -> None:
        """Remove every row and body widget."""
        while self.form.count():
            item = self.form.takeAt(0)
            if item.widget():
                item.widget().hide()
                item.widget().deleteLater()
        self._row_count = 0
        while self.body.count():
            item = self.body.takeAt(0)
            if item.widget():
                item.widget().hide()
                item.widget().deleteLater()

    def add_row(
        self,
        label: str,
        value: str | QWidget,
        citation: Citation | None = None,
        notes: Sequence[DataNote] = (),
    ) -> QLabel | QWidget:
        """Add ``label: value [citation] [warning]``; returns the value widget."""
        if isinstance(value, str):
            widget: QWidget = CitedText(value, citation, self)
            tip = glossary_tooltip(value)
            if tip:
                widget.setToolTip(tip)
            widget.citation_clicked.connect(self.citation_clicked)
            citation = None
        else:
            widget = value
        row = QWidget(self)
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(8)
        line.addWidget(widget, 1 if isinstance(value, str) else 0)
        if citation is not None:
            link = CitationLabel(citation, row)
            link.citation_clicked.connect(self.citation_clicked)
            line.addWidget(link, 0, Qt.AlignmentFlag.AlignTop)
        if notes:
            line.addWidget(NoteIcon(notes, row), 0, Qt.AlignmentFlag.AlignTop)
        if not isinstance(value, str) or notes:
            line.addStretch(1)
        name = QLabel(label + ":", self)
        name.setToolTip(glossary_tooltip(label))
        palette = name.palette()
        palette.setColor(
            QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.PlaceholderText)
        )
        name.setPalette(palette)
        top_right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop
        self.form.addWidget(name, self._row_count, 0, top_right)
        self.form.addWidget(row, self._row_count, 1)
        self._row_count += 1
        return widget

    def add_widget(self, widget: QWidget) -> None:
        """Add a free-standing widget under the form (tables, notes, buttons)."""
        self.body.addWidget(widget)

    def add_cited(
        self, text: str, citation: Citation | None, notes: Sequence[DataNote] = ()
    ) -> CitedText:
        """Add a paragraph followed by its citation link (and a warning icon for data notes)."""
        widget = CitedText(text, citation, self)
        widget.citation_clicked.connect(self.citation_clicked)
        if not notes:
            self.body.addWidget(widget)
            return widget
        row = QWidget(self)
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(widget, 1)
        line.addWidget(NoteIcon(notes, row), 0, Qt.AlignmentFlag.AlignTop)
        self.body.addWidget(row)
        return widget


def notes_of(item: Any, notes: Sequence[DataNote]) -> list[DataNote]:
    """The data notes an item (rule, fee row, distribution) names in ``note_ids``."""
    ids = getattr(item, "note_ids", ())
    return [n for n in notes if n.note_id in ids]


def with_standing(text: str, rule: Rule, rules: ClassRules) -> str:
    """``text`` with the rule's standing in front when a source does not speak for the date."""
    from janus_gui.core.asof import rule_support

    support = rule_support(rules, rule)
    if support.standing == Standing.DOCUMENTED:
        return text
    return f"[{standing_badge(support)}] {text}"


def rule_row(section: Section, label: str, rule: Rule, rules: ClassRules) -> QWidget:
    """A rule's plain-words summary with its standing, citation, data notes and evidence hint.

    A rule that is not documented for the date (carried from an earlier document) says so in
    front of its text, so it never reads as a current statement.
    """
    text = with_standing(rule.summary, rule, rules)
    if rule.evidence == Evidence.INFERRED:
        text += " (inferred)"
    widget = section.add_row(label, text, rule.citation, notes_of(rule, rules.data_notes))
    if rule.evidence == Evidence.INFERRED:
        widget.setToolTip(evidence_tooltip(rule.evidence, rule.evidence_reason))
    return widget


def scrolling(content: QWidget) -> QScrollArea:
    """Wrap a tab's content so that it scrolls at small window sizes."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(content)
    return area


def tab_layout(widget: QWidget) -> QVBoxLayout:
    """The standard margins and spacing of a tab's content."""
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(16, 14, 16, 14)
    layout.setSpacing(18)
    return layout


def fact_table(
    columns: Sequence[Any],
    citation_of: Callable[[Any], Citation | None],
    on_citation: Callable[[Citation], None],
    parent: QWidget | None = None,
) -> tuple[CopyableTableView, RecordTableModel[Any], SortProxyModel]:
    """A sortable, copyable table whose rows open their source on double-click or Enter."""
    model: RecordTableModel[Any] = RecordTableModel(columns, parent)
    proxy = SortProxyModel(parent)
    proxy.setSourceModel(model)
    view = CopyableTableView(parent)
    view.setModel(proxy)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    # sizing columns from a sample of rows keeps a class change fast on long tables
    view.horizontalHeader().setResizeContentsPrecision(40)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    view.verticalHeader().setMinimumSectionSize(view.fontMetrics().height() + 10)
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # source order until the user sorts

    def _on_view_activated(index: QModelIndex) -> None:
        citation = citation_of(index.data(RowRole))
        if citation is not None:
            on_citation(citation)

    view.activated.connect(_on_view_activated)
    return view, model, proxy


def fit_columns(view: CopyableTableView, maximum: int = 420) -> None:
    """Size columns to their contents, capped so one long quote cannot push others away."""
    header = view.horizontalHeader()
    view.resizeColumnsToContents()
    for column in range(header.count() - 1):
        if header.sectionSize(column) > maximum:
            header.resizeSection(column, maximum)
    # resizing to contents fixes the last section's width; let it fill the view again
    header.setStretchLastSection(False)
    header.setStretchLastSection(True)


class _HeightKeeper(QObject):
    """Re-fits a short table to its rows when its width changes (wrapping, scroll bars)."""

    def __init__(self, view: CopyableTableView) -> None:
        super().__init__(view)
        self.view = view
        self.rows = 0
        self.max_rows = 12
        self._pending = False
        self._viewport = view.viewport()
        self._viewport.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._viewport and event.type() == QEvent.Type.Resize and not self._pending:
            # The header re-stretches its last section after this event; measure afterwards.
            self._pending = True
            QTimer.singleShot(0, self, self._on_timer_timeout)
        return False

    def _on_timer_timeout(self) -> None:
        self._pending = False
        with contextlib.suppress(RuntimeError):  # the view may be being destroyed
            self.apply()

    def apply(self) -> None:
        view = self.view
        if view.wordWrap():
            view.resizeRowsToContents()
        shown = min(self.rows, self.max_rows)
        rows_height = (
            sum(view.rowHeight(r) for r in range(shown))
            if shown
            else (view.verticalHeader().defaultSectionSize())
        )
        header = view.horizontalHeader()
        scroll = header.length() > view.viewport().width() + 1
        height = (
            header.sizeHint().height()
            + rows_height
            + 2 * view.frameWidth()
            + (view.horizontalScrollBar().sizeHint().height() if scroll else 0)
        )
        view.setMinimumHeight(height)
        view.setMaximumHeight(height if self.rows <= self.max_rows else 16777215)


def fit_height(view: CopyableTableView, rows: int, *, max_rows: int = 12) -> None:
    """Make a short table exactly as tall as its rows (no empty area below them)."""
    keeper = view.findChild(_HeightKeeper) or _HeightKeeper(view)
    keeper.rows = rows
    keeper.max_rows = max_rows
    keeper.apply()
