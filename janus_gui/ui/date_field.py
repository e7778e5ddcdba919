"""The one date field of the window: type, paste or pick a date; never a silently different one.

The text is read by ``core.inputs.parse_user_date`` (``YYYY-MM-DD`` or ``M/D/YYYY``). A
complete date is applied as soon as it is typed or pasted; anything else is checked on Enter or
when the field loses focus. A date that does not parse, or lies outside the range offered, shows
an inline message under the field and the previous valid date stays in force (and on display).
Escape puts the date in force back into the field. The button opens a calendar.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from janus_gui.core.errors import InputError
from janus_gui.core.inputs import EARLIEST, LATEST, looks_complete, parse_user_date

DATE_HINT = "YYYY-MM-DD or M/D/YYYY"


def _as_date(value: dt.date | QDate) -> dt.date:
    if isinstance(value, QDate):
        return dt.date(value.year(), value.month(), value.day())
    return value


class DateField(QWidget):
    """A date typed as text, with a calendar button and an inline message for bad input."""

    dateChanged = Signal(object)  # dt.date; the name mirrors QDateEdit's  # noqa: N815
    input_rejected = Signal(str)  # the message shown

    def __init__(self, day: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._earliest, self._latest = EARLIEST, LATEST
        self._date = day or dt.date.today()
        self._build_ui()
        self._connect()
        self._show_date()

    def _build_ui(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(1)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(DATE_HINT)
        width = self.edit.fontMetrics().horizontalAdvance("0000-00-00__") + 16
        self.edit.setMinimumWidth(width)
        self.edit.setMaximumWidth(width + 40)
        self.edit.setToolTip(f"Type or paste a date: {DATE_HINT}")
        self.calendar_button = QToolButton()
        self.calendar_button.setIcon(
            self.style().standardIcon(QStyle.StandardPixmap.SP_FileDialogDetailedView)
        )
        self.calendar_button.setToolTip("Pick the date on a calendar")
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.calendar_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        menu = QMenu(self.calendar_button)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        self.calendar_menu = menu
        self.calendar_button.setMenu(menu)
        row.addWidget(self.edit)
        row.addWidget(self.calendar_button)
        outer.addLayout(row)
        self.message = QLabel()
        self.message.setObjectName("date_field_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.message.hide()
        outer.addWidget(self.message)
        self.setFocusProxy(self.edit)

    def _connect(self) -> None:
        self.edit.textEdited.connect(self._on_edit_text_edited)
        self.edit.editingFinished.connect(self._on_edit_editing_finished)
        self.edit.installEventFilter(self)
        self.calendar.clicked.connect(self._on_calendar_clicked)
        self.calendar_menu.aboutToShow.connect(self._on_calendar_menu_about_to_show)

    # -- QDateEdit-like API --------------------------------------------------------------------
    def date(self) -> dt.date:
        """The date in force (the last valid one)."""
        return self._date

    def setDate(self, day: dt.date | QDate) -> None:  # noqa: N802 - mirrors QDateEdit
        """Set the date (clamped to the range); emits ``dateChanged`` when it differs."""
        value = min(max(_as_date(day), self._earliest), self._latest)
        self._set_message("")
        self._apply(value)

    def setDateRange(self, earliest: dt.date | QDate, latest: dt.date | QDate) -> None:  # noqa: N802
        """Dates outside ``earliest`` – ``latest`` are refused with a message."""
        self._earliest, self._latest = _as_date(earliest), _as_date(latest)
        self.calendar.setDateRange(self._earliest, self._latest)

    def setToolTip(self, text: str) -> None:  # noqa: N802 - Qt override
        """The tip goes on the text box, with the accepted forms."""
        self.edit.setToolTip(f"{text}\nType or paste a date: {DATE_HINT}.")

    def error(self) -> str:
        """The inline message on display (empty when the last entry was fine)."""
        return self.message.text() if not self.message.isHidden() else ""

    # -- behaviour -----------------------------------------------------------------------------
    def _apply(self, day: dt.date) -> None:
        changed = day != self._date
        self._date = day
        self._show_date()
        if changed:
            self.dateChanged.emit(day)

    def _show_date(self) -> None:
        self.edit.setText(self._date.isoformat())

    def _set_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.edit.setProperty("error", bool(text))
        self.edit.style().unpolish(self.edit)
        self.edit.style().polish(self.edit)

    def commit(self) -> bool:
        """Read the text now; True when it held a valid date (now in force)."""
        text = self.edit.text()
        try:
            day = parse_user_date(text, earliest=self._earliest, latest=self._latest)
        except InputError as exc:
            kept = self._date.isoformat()
            message = f"{exc} Still {kept}."
            self._show_date()
            self._set_message(message)
            self.input_rejected.emit(message)
            return False
        self._set_message("")
        self._apply(day)
        return True

    def _on_edit_text_edited(self, text: str) -> None:
        if looks_complete(text):
            try:
                day = parse_user_date(text, earliest=self._earliest, latest=self._latest)
            except InputError:
                return  # said on Enter or when the field is left, not while typing
            self._set_message("")
            if day != self._date:
                cursor = self.edit.cursorPosition()
                self._apply(day)
                self.edit.setCursorPosition(min(cursor, len(self.edit.text())))

    def _on_edit_editing_finished(self) -> None:
        if self.edit.text() != self._date.isoformat():
            self.commit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and isinstance(event, QKeyEvent):
            escape = event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape
            if escape and self.edit.text() != self._date.isoformat():
                self._show_date()
                self._set_message("")
                return True
        return super().eventFilter(watched, event)

    def _on_calendar_menu_about_to_show(self) -> None:
        self.calendar.setSelectedDate(self._date)

    def _on_calendar_clicked(self, day: QDate) -> None:
        self.calendar_menu.hide()
        self.setDate(day)
