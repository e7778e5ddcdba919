"""The date field as a person uses it: select all and type, Backspace, Tab in, paste, Escape.

Every field of the window that takes a date is this widget (As-of, Redeem on); lot-table date
cells read through the same core rule.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from janus_gui.ui.date_field import DateField

START = dt.date(2012, 4, 20)


@pytest.fixture
def field(qtbot) -> DateField:
    host = QWidget()
    layout = QVBoxLayout(host)
    widget = DateField(START)
    other = QLineEdit()  # somewhere to Tab to
    layout.addWidget(widget)
    layout.addWidget(other)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    widget.other = other
    widget.host = host
    return widget


def _select_all_and_type(qtbot, field: DateField, text: str) -> None:
    field.edit.setFocus()
    qtbot.keyClick(field.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field.edit, text)


def test_select_all_and_type_an_iso_date(qtbot, field: DateField) -> None:
    with qtbot.waitSignal(field.dateChanged) as blocker:
        _select_all_and_type(qtbot, field, "1999-12-31")
    assert blocker.args == [dt.date(1999, 12, 31)]
    assert field.date() == dt.date(1999, 12, 31)
    assert field.error() == ""


def test_tab_in_and_type_gives_that_date_not_another(qtbot, field: DateField) -> None:
    field.other.setFocus()
    qtbot.keyClick(field.other, Qt.Key.Key_Backtab)  # back into the date field: all selected
    assert field.edit.hasFocus()
    qtbot.keyClicks(field.edit, "2013-06-30")
    qtbot.keyClick(field.edit, Qt.Key.Key_Tab)
    assert field.date() == dt.date(2013, 6, 30)
    assert field.edit.text() == "2013-06-30"


def test_us_form_is_applied_on_enter_and_shown_as_iso(qtbot, field: DateField) -> None:
    _select_all_and_type(qtbot, field, "6/30/2013")
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)
    assert field.date() == dt.date(2013, 6, 30)
    assert field.edit.text() == "2013-06-30"


def test_backspace_and_digits_edit_the_day(qtbot, field: DateField) -> None:
    field.edit.setFocus()
    field.edit.end(False)
    qtbot.keyClick(field.edit, Qt.Key.Key_Backspace)
    qtbot.keyClick(field.edit, Qt.Key.Key_Backspace)
    with qtbot.waitSignal(field.dateChanged):
        qtbot.keyClicks(field.edit, "27")
    assert field.date() == dt.date(2012, 4, 27)


def test_paste_applies_a_pasted_cell(qtbot, field: DateField) -> None:
    QGuiApplication.clipboard().setText("  4/28/2012\n")
    field.edit.setFocus()
    field.edit.selectAll()
    with qtbot.waitSignal(field.dateChanged):
        qtbot.keyClick(field.edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert field.date() == dt.date(2012, 4, 28)


def test_bad_date_keeps_the_previous_one_and_says_so(qtbot, field: DateField) -> None:
    with qtbot.assertNotEmitted(field.dateChanged):
        _select_all_and_type(qtbot, field, "2013-02-30")
        qtbot.keyClick(field.edit, Qt.Key.Key_Return)
    assert field.date() == START
    assert field.edit.text() == START.isoformat()
    assert "not a calendar date" in field.error()
    assert "Still 2012-04-20" in field.error()
    assert field.message.isVisible()
    # the next good date clears the message
    _select_all_and_type(qtbot, field, "2012-05-01")
    assert field.date() == dt.date(2012, 5, 1)
    assert field.error() == "" and not field.message.isVisible()


def test_leaving_the_field_with_nonsense_is_refused_too(qtbot, field: DateField) -> None:
    with qtbot.assertNotEmitted(field.dateChanged):
        _select_all_and_type(qtbot, field, "soon")
        qtbot.keyClick(field.edit, Qt.Key.Key_Tab)
    assert field.date() == START
    assert "not a date" in field.error()


def test_out_of_range_is_refused(qtbot, field: DateField) -> None:
    field.setDateRange(dt.date(1900, 1, 1), dt.date(2100, 12, 31))
    _select_all_and_type(qtbot, field, "1850-01-01")
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)
    assert field.date() == START
    assert "outside the dates offered" in field.error()


def test_escape_puts_the_date_in_force_back(qtbot, field: DateField) -> None:
    _select_all_and_type(qtbot, field, "2013-0")
    qtbot.keyClick(field.edit, Qt.Key.Key_Escape)
    assert field.edit.text() == START.isoformat()
    assert field.date() == START


def test_calendar_click_sets_the_date(qtbot, field: DateField) -> None:
    with qtbot.waitSignal(field.dateChanged):
        field.calendar.clicked.emit(dt.date(2012, 4, 28))
    assert field.date() == dt.date(2012, 4, 28)


# A popup menu asks the offscreen platform for the keyboard, which it cannot grab.
@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")
def test_the_calendar_is_built_when_its_menu_first_opens(qtbot, field: DateField) -> None:
    from PySide6.QtWidgets import QCalendarWidget, QWidgetAction

    field.setDateRange(dt.date(1999, 10, 26), dt.date(2013, 12, 31))
    assert field.calendar_menu.actions() == []  # nothing built for the first paint
    qtbot.mouseClick(field.calendar_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(field.calendar_menu.isVisible)
    below = field.calendar_button.mapToGlobal(field.calendar_button.rect().bottomLeft())
    assert field.calendar_menu.pos() == below
    (action,) = field.calendar_menu.actions()
    assert isinstance(action, QWidgetAction)
    calendar = action.defaultWidget()
    assert isinstance(calendar, QCalendarWidget) and calendar is field.calendar
    assert calendar.selectedDate().toPython() == field.date()
    assert calendar.minimumDate().toPython() == dt.date(1999, 10, 26)
    assert calendar.maximumDate().toPython() == dt.date(2013, 12, 31)
    qtbot.keyClick(field.calendar_menu, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not field.calendar_menu.isVisible())
    qtbot.mouseClick(field.calendar_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(field.calendar_menu.isVisible)
    assert len(field.calendar_menu.actions()) == 1  # built once
    field.calendar_menu.hide()
