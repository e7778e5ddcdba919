"""The window never surprises: typed dates mean what they say, the search list gets out of the
way, and a picked result shows in the Class detail tab.

Overseas Portfolio (P4) was named International Growth Portfolio in 1999 (DOMAIN.md §1), so
"international growth" finds it.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, Qt

from janus_gui.core.models import ShareClass


def _type_date(qtbot, field, text: str) -> None:
    field.edit.setFocus()
    qtbot.keyClick(field.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field.edit, text)
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)


def test_as_of_takes_a_typed_date(qtbot, main_window):
    bar = main_window.selection_bar
    with qtbot.waitSignal(bar.as_of_changed):
        _type_date(qtbot, bar.date_edit, "1999-12-31")
    assert main_window.as_of() == dt.date(1999, 12, 31)
    _type_date(qtbot, bar.date_edit, "6/30/2013")
    assert main_window.as_of() == dt.date(2013, 6, 30)


def test_as_of_refuses_a_bad_date_and_keeps_the_one_in_force(qtbot, main_window):
    before = main_window.as_of()
    bar = main_window.selection_bar
    with qtbot.assertNotEmitted(bar.as_of_changed):
        _type_date(qtbot, bar.date_edit, "2013-06-31")
    assert main_window.as_of() == before
    assert "not a calendar date" in bar.date_edit.error()


def test_redeem_on_takes_typed_and_pasted_dates(qtbot, main_window):
    from PySide6.QtGui import QGuiApplication

    main_window.open_workspace("P4", ShareClass.SERVICE_II, dt.date(2012, 4, 20))
    field = main_window.workspace.inputs.redeem_date
    _type_date(qtbot, field, "4/27/2012")
    assert main_window.workspace.inputs.date() == dt.date(2012, 4, 27)
    QGuiApplication.clipboard().setText("2012-04-26")
    field.edit.setFocus()
    field.edit.selectAll()
    qtbot.keyClick(field.edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert main_window.workspace.inputs.date() == dt.date(2012, 4, 26)


def _search_and_pick(qtbot, main_window, text: str) -> None:
    box = main_window.search_box
    box.field.setFocus()
    qtbot.keyClicks(box.field, text)
    qtbot.waitUntil(box.popup_visible)
    qtbot.keyClick(box.field, Qt.Key.Key_Return)


def test_search_list_stays_closed_when_the_date_changes(qtbot, main_window):
    box = main_window.search_box
    _search_and_pick(qtbot, main_window, "international growth")
    assert main_window.portfolio_id() == "P4"
    assert not box.popup_visible()
    main_window.selection_bar.date_buttons["2012-04-28"].click()
    _type_date(qtbot, main_window.selection_bar.date_edit, "2013-06-30")
    assert main_window.as_of() == dt.date(2013, 6, 30)
    assert not box.popup_visible()
    assert box.matches()  # refreshed for the new date, unseen


def test_search_list_closes_on_escape_with_the_focus_elsewhere(qtbot, main_window):
    box = main_window.search_box
    box.field.setFocus()
    qtbot.keyClicks(box.field, "international growth")
    qtbot.waitUntil(box.popup_visible)
    main_window.selection_bar.date_edit.edit.setFocus()  # focus moved by other means
    box.popup.show()
    qtbot.keyClick(main_window.selection_bar.date_edit.edit, Qt.Key.Key_Escape)
    assert not box.popup_visible()


def test_search_list_closes_on_a_click_outside(qtbot, main_window):
    box = main_window.search_box
    box.field.setFocus()
    qtbot.keyClicks(box.field, "international growth")
    qtbot.waitUntil(box.popup_visible)
    target = main_window.browser
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=QPoint(5, target.height() - 5))
    assert not box.popup_visible()


def test_click_inside_the_list_picks_instead_of_closing(qtbot, main_window):
    box = main_window.search_box
    box.field.setFocus()
    qtbot.keyClicks(box.field, "JAIG")
    qtbot.waitUntil(box.popup_visible)
    view = box.results_view
    rect = view.visualRect(box.results_model.index(0, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert main_window.portfolio_id() == "P4"
    assert not box.popup_visible()


def test_picking_a_result_brings_the_class_detail_tab_forward(qtbot, main_window):
    main_window.open_workspace("P4", ShareClass.SERVICE_II, dt.date(2012, 4, 20))
    assert main_window.tabs.currentWidget() is main_window.workspace
    _search_and_pick(qtbot, main_window, "JAIG")
    assert main_window.tabs.currentWidget() is main_window.detail
    assert main_window.share_class() == ShareClass.INSTITUTIONAL


def test_user_guide_opens_inside_the_app(qtbot, main_window, monkeypatch):
    from janus_gui.ui import main_window as main_window_module

    opened: list[object] = []
    monkeypatch.setattr(main_window_module, "open_url", lambda url: opened.append(url) or True)
    main_window.guide_action.trigger()
    guide = main_window._guide
    qtbot.waitUntil(guide.isVisible)
    text = guide.browser.toPlainText()
    for section in (
        "Find a portfolio",
        "Dates and",
        "redemption-fee workspace",
        "Exports",
        "Data notes",
    ):
        assert section in text
    assert opened == []  # no external program involved


def test_workspace_is_one_click_or_one_shortcut_away(qtbot, main_window):
    assert main_window.workspace is None  # not built until asked for
    titles = [main_window.tabs.tabText(i) for i in range(main_window.tabs.count())]
    assert titles == ["Class detail", "Redemption-fee workspace"]
    main_window.tabs.tabBar().setCurrentIndex(1)  # what a click on the tab does
    assert main_window.workspace is not None
    assert main_window.tabs.currentWidget() is main_window.workspace
    assert main_window.workspace_action.shortcut().toString() == "Ctrl+2"
    main_window.detail_action.trigger()
    assert main_window.tabs.currentWidget() is main_window.detail
    main_window.workspace_action.trigger()
    assert main_window.tabs.currentWidget() is main_window.workspace
