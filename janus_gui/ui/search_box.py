"""Type-ahead search by CUSIP, ticker or any current or former portfolio name.

Results update as the user types: ``textChanged`` restarts a single-shot timer, and when it fires
the query runs with a fresh token; a result whose token is no longer the latest is dropped, so a
slow answer to an old query can never replace the answer to the current one. Results appear in a
list under the field (Up/Down to move, Enter to pick, Escape to close). Input errors such as a
CUSIP with a wrong check digit are shown inline next to the field, never in a dialog. A pasted
list (more than one line) is handed over whole through ``list_pasted``.

The list opens only in answer to typing in the field (or an explicit ``run_now``). It closes on
Escape and on a click anywhere outside it, wherever the focus is; on choosing a result; and when
the as-of date changes by other means (the results are refreshed for the new date, unseen).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from janus_gui.core.errors import IdentifierError
from janus_gui.core.models import SearchMatch, SearchResult
from janus_gui.ui.tables import Column, CopyableTableView, RecordTableModel

logger = logging.getLogger(__name__)

DEBOUNCE_MS = 150
MAX_VISIBLE_ROWS = 8

SearchFunction = Callable[[str, dt.date], SearchResult]

_MATCH_WORDS = {"cusip": "CUSIP", "isin": "ISIN", "ticker": "ticker", "name": "name"}


def is_list(text: str) -> bool:
    """True for text of more than one non-blank line: a pasted list, not one query."""
    return sum(1 for line in text.splitlines() if line.strip()) > 1


def matched_text(match: SearchMatch) -> str:
    """What the query matched, in words: ``ticker JAIG``, ``name Overseas Portfolio``."""
    return f"{_MATCH_WORDS.get(match.matched_on, match.matched_on)} {match.matched_text}"


RESULT_COLUMNS: list[Column[SearchMatch]] = [
    Column("Portfolio", lambda m: m.portfolio, tooltip=lambda m: f"{m.portfolio_id}"),
    Column("Class", lambda m: m.share_class.value if m.share_class else "—"),
    Column(
        "CUSIP",
        lambda m: m.cusip or "—",
        header_tooltip="CUSIP: the 9-character security identifier (6 issuer, 2 issue, 1 check)",
    ),
    Column("Ticker", lambda m: m.ticker or "—"),
    Column("Matched", matched_text),
]


class _ResultsPopup(QFrame):
    """The results list shown over the window, just under the search field."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        self.model: RecordTableModel[SearchMatch] = RecordTableModel(RESULT_COLUMNS, self)
        self.view = CopyableTableView(self)
        self.view.setModel(self.model)
        self.view.setSortingEnabled(False)  # keep the ranked order
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing stays in the field
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.view)
        self.hide()


class SearchBox(QWidget):
    """A search field with a results list; emits the picked ``SearchMatch``."""

    match_chosen = Signal(object)  # SearchMatch
    results_shown = Signal(object)  # SearchResult (tests and the status line listen)
    list_pasted = Signal(str)  # text of more than one line: a list to resolve row by row

    def __init__(self, search: SearchFunction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._search = search
        self._as_of: dt.date = dt.date.today()
        self._token = 0
        self._wants_popup = False  # set by typing or run_now; a refresh for a new date is quiet
        self._watching_app = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._build_ui()
        self._connect()

    # -- layout ------------------------------------------------------------------------------
    def _build_ui(self) -> None:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.field = QLineEdit()
        self.field.setPlaceholderText(
            "CUSIP (471021709), ISIN, ticker (JAIG) or any portfolio name; or paste a list"
        )
        self.field.setClearButtonEnabled(True)
        self.field.setToolTip(
            "CUSIP: 9 characters, or 8 without the check digit, spaces allowed.\n"
            "ISIN: US + CUSIP + check digit (US4710217096).\n"
            "Ticker: as printed in the 2013 tax table.\nName: any name the portfolio has had.\n"
            "Paste several lines to resolve a whole list at once."
        )
        self.field.setMinimumWidth(380)
        self.field.setMaximumWidth(640)  # the rest of the row is for the inline message
        layout.addWidget(self.field, 3)
        self.message_icon = QLabel()  # its pixmap is made for the first warning
        self.message_icon.hide()
        layout.addWidget(self.message_icon)
        self.message_label = QLabel("")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message_label, 2)
        self._popup: _ResultsPopup | None = None  # built for the first results (see ``popup``)

    def _connect(self) -> None:
        self.field.textChanged.connect(self._on_field_text_changed)
        self.field.textEdited.connect(self._on_field_text_edited)
        self.field.installEventFilter(self)
        self._timer.timeout.connect(self._on_timer_timeout)

    def _popup_host(self) -> QWidget:
        host = self.window()
        return host if host is not self else self

    @property
    def popup(self) -> _ResultsPopup:
        """The results list, built the first time results are shown or asked for.

        A table view is among the costlier widgets to build first, and no first paint shows it.
        """
        if self._popup is None:
            self._popup = _ResultsPopup(self._popup_host())
            self._popup.view.clicked.connect(self._on_results_clicked)
        return self._popup

    @property
    def results_model(self) -> RecordTableModel[SearchMatch]:
        """The rows of the results list."""
        return self.popup.model

    @property
    def results_view(self) -> CopyableTableView:
        """The table of the results list."""
        return self.popup.view

    # -- public API --------------------------------------------------------------------------
    def set_as_of(self, as_of: dt.date) -> None:
        """Names in results are the names in force on ``as_of``.

        The date changed elsewhere, so the list closes; its rows are refreshed for the new date
        and show again only when the user types in the field or presses Down.
        """
        self._as_of = as_of
        self.hide_results()
        if self.field.text().strip():
            self._timer.stop()
            self._run(show=False)

    def focus_field(self) -> None:
        """Ctrl+F: focus the field and select its text."""
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def run_now(self) -> None:
        """Run the pending (or current) query immediately and show the results."""
        self._timer.stop()
        self._run(show=True)

    def matches(self) -> list[SearchMatch]:
        """The matches on display."""
        return self.results_model.rows() if self._popup is not None else []

    def message(self) -> str:
        """The inline message on display (empty when none)."""
        return self.message_label.text()

    def popup_visible(self) -> bool:
        """True while the results list is shown."""
        return self._popup is not None and self._popup.isVisible()

    def hide_results(self) -> None:
        """Close the results list."""
        if self._popup is not None:
            self._popup.hide()
        self._watch_app(False)

    def _watch_app(self, on: bool) -> None:
        """While the list is open, watch every key and click (Escape, clicks outside)."""
        app = QApplication.instance()
        if app is None or on == self._watching_app:
            return
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
        self._watching_app = on

    # -- querying ----------------------------------------------------------------------------
    def _on_field_text_changed(self, text: str) -> None:
        self._token += 1  # anything in flight is now stale
        if is_list(text):
            self._hand_over_list(text)
            return
        self._timer.start()

    def _hand_over_list(self, text: str) -> None:
        """A pasted list is resolved as a whole (in its own window), not searched as one query."""
        self._timer.stop()
        self.hide_results()
        with QSignalBlocker(self.field):
            self.field.clear()
        if self._popup is not None:
            self._popup.model.set_rows([])
        count = sum(1 for line in text.splitlines() if line.strip())
        self._show_message(f"Pasted a list of {count} queries: see the resolved list.")
        self.list_pasted.emit(text)

    def _on_field_text_edited(self, _text: str) -> None:
        self._wants_popup = True

    def _on_timer_timeout(self) -> None:
        self._run(show=self._wants_popup)

    def _run(self, *, show: bool) -> None:
        self._wants_popup = show
        self._token += 1
        token = self._token
        text = self.field.text()
        if not text.strip():
            self._show_message("")
            self._apply(token, None)
            return
        try:
            result = self._search(text, self._as_of)
        except IdentifierError as exc:
            self._show_message(str(exc), warning=True)
            self._apply(token, None)
            return
        self._apply(token, result)

    def _apply(self, token: int, result: SearchResult | None) -> None:
        """Show ``result`` unless a newer query has started since it was asked for."""
        if token != self._token:
            logger.debug("dropping stale search result %s (latest %s)", token, self._token)
            return
        matches = list(result.matches) if result else []
        self.results_model.set_rows(matches)
        if result is not None:
            if matches:
                self._show_message(result.message)
            else:
                note = f"{result.message} " if result.message else ""
                self._show_message(f"{note}No portfolio or class matches “{result.query}”.")
            self.results_shown.emit(result)
        if matches:
            self.results_view.selectRow(0)
        if matches and self._wants_popup:
            self._show_popup()
        else:
            self.hide_results()

    def _show_message(self, text: str, *, warning: bool = False) -> None:
        self.message_label.setText(text)
        if warning and self.message_icon.pixmap().isNull():
            # Imported here: loading QStyle (its enums) costs the first paint about 6 ms.
            from PySide6.QtWidgets import QStyle

            icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
            size = self.field.sizeHint().height() - 6
            self.message_icon.setPixmap(icon.pixmap(size, size))
        self.message_icon.setVisible(warning)

    def _show_popup(self) -> None:
        host = self.popup.parentWidget()
        if host is None:
            return
        origin = self.field.mapTo(host, QPoint(0, self.field.height()))
        self.results_view.resizeColumnsToContents()
        header = self.results_view.horizontalHeader()
        content = header.length() + 2 * self.popup.frameWidth() + 4
        width = max(self.field.width(), content)
        if host.width() > 200:
            width = min(width, host.width() - origin.x() - 4)
        rows = min(len(self.matches()), MAX_VISIBLE_ROWS)
        row_height = self.results_view.verticalHeader().defaultSectionSize()
        height = header.sizeHint().height() + rows * row_height + 6
        self.popup.setGeometry(origin.x(), origin.y() + 2, width, height)
        self.popup.show()
        self.popup.raise_()
        self._watch_app(True)

    # -- keys ------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._watching_app and watched is not self.field and self._closes_popup(event):
            return event.type() == QEvent.Type.KeyPress  # Escape is used up; a click goes on
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            return self._handle_key(event)  # type: ignore[arg-type]
        if watched is self.field and event.type() == QEvent.Type.FocusOut:
            # With the box as context the call is dropped if the box is deleted first
            # (the field loses focus while a closing window tears it down).
            QTimer.singleShot(0, self, self._hide_if_unfocused)
        return super().eventFilter(watched, event)

    def _closes_popup(self, event: QEvent) -> bool:
        """Escape anywhere, or a press outside the list and the field, closes the list."""
        if not self.popup_visible():
            self._watch_app(False)
            return False
        kind = event.type()
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() != Qt.Key.Key_Escape:
                return False
        elif kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            point = event.globalPosition().toPoint()
            for inside in (self.popup, self.field):
                if inside.rect().contains(inside.mapFromGlobal(point)):
                    return False
        else:
            return False
        self.hide_results()
        return True

    def _handle_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            if self._timer.isActive():
                self.run_now()
            self._move_current(1 if key == Qt.Key.Key_Down else -1)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self._timer.isActive() or not self.popup_visible():
                self.run_now()
            self._choose_current()
            return True
        if key == Qt.Key.Key_Escape and self.popup_visible():
            self.hide_results()
            return True
        return False

    def _move_current(self, step: int) -> None:
        count = self.results_model.rowCount()
        if not count:
            return
        if not self.popup_visible():
            self._wants_popup = True
            self._show_popup()
        row = self.results_view.currentIndex().row()
        new_row = 0 if row < 0 else max(0, min(count - 1, row + step))
        self.results_view.selectRow(new_row)

    def _choose_current(self) -> None:
        index = self.results_view.currentIndex()
        if not index.isValid() or not self.results_model.rowCount():
            return
        self._choose(index.row())

    def _choose(self, row: int) -> None:
        match = self.results_model.row_at(row)
        self.hide_results()
        self._wants_popup = False
        self.match_chosen.emit(match)

    def _on_results_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self._choose(index.row())

    def _hide_if_unfocused(self) -> None:
        if not self.field.hasFocus():
            self.hide_results()
