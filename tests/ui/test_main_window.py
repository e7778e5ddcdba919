"""The main window: class selector by date, wiring of the panels, menus, persistence, closing.

Dates and classes come from the sources: the 2012 plan (002:121-124) converts the Service II
Shares of Overseas Portfolio into Service Shares "On April 27, 2012 at the close of business",
so Service II is offered on 2012-04-20 and not on 2012-05-01.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl

from janus_gui.core.models import Citation, ShareClass
from janus_gui.ui import dialogs as dialogs_module
from janus_gui.ui import main_window as main_window_module
from janus_gui.ui.dialogs import AboutDialog
from janus_gui.ui.settings import AppSettings

BEFORE_CONVERSION = dt.date(2012, 4, 20)
AFTER_CONVERSION = dt.date(2012, 5, 1)
FEE_CITATION = Citation(
    "002_9a3a92caa630b855.txt", 96, 103, "a 1.00% redemption fee may be imposed"
)


def test_service_ii_is_listed_before_the_conversion_only(main_window):
    main_window.select("P4", ShareClass.SERVICE_II, BEFORE_CONVERSION)
    assert ShareClass.SERVICE_II in main_window.selection_bar.classes()
    assert main_window.share_class() == ShareClass.SERVICE_II
    main_window.selection_bar.set_as_of(AFTER_CONVERSION)
    assert ShareClass.SERVICE_II not in main_window.selection_bar.classes()
    assert main_window.selection_bar.classes()[:2] == [ShareClass.INSTITUTIONAL, ShareClass.SERVICE]


def test_leaving_service_ii_follows_the_conversion_to_service(main_window):
    main_window.select("P4", ShareClass.SERVICE_II, BEFORE_CONVERSION)
    main_window.selection_bar.set_as_of(AFTER_CONVERSION)
    assert main_window.share_class() == ShareClass.SERVICE
    note = main_window.selection_bar.status_label.text()
    assert "Service II shares are not offered on 2012-05-01" in note


def test_quick_date_button_sets_the_day_after_the_conversion(qtbot, main_window):
    main_window.select("P4", ShareClass.SERVICE_II, BEFORE_CONVERSION)
    button = main_window.selection_bar.date_buttons["2012-04-28"]
    qtbot.mouseClick(button, main_window_module.Qt.MouseButton.LeftButton)
    assert main_window.as_of() == dt.date(2012, 4, 28)
    assert ShareClass.SERVICE_II not in main_window.selection_bar.classes()


def test_quick_date_buttons_are_the_catalogs_key_dates(main_window, repo):
    from janus_gui.core.key_dates import key_dates

    buttons = main_window.selection_bar.date_buttons
    assert list(buttons) == [*(k.label for k in key_dates(repo)), "latest"]
    filing = buttons["1999 filing"]
    assert filing.toolTip() == "As of 1999-10-26: The 1999 filing (004) was filed on 1999-10-26."


def test_default_date_is_the_latest_documented_day(main_window, repo):
    assert main_window.as_of() == repo.documented_range()[1]
    first, last = repo.documented_range()
    assert first.isoformat() in main_window.selection_bar.range_label.text()
    assert last.isoformat() in main_window.selection_bar.range_label.text()


def test_class_without_any_offer_on_the_date_is_greyed_with_its_status(main_window):
    # Aspen INTECH U.S. Low Volatility appears only in the 2012 notice (000), Service only.
    main_window.select("P15", None, dt.date(1999, 10, 26))
    bar = main_window.selection_bar
    assert bar.classes() == [ShareClass.SERVICE]
    assert bar.class_combo.currentText() == "Service (not offered)"
    assert bar.status_label.isVisibleTo(main_window)
    assert bar.status_label.text().startswith("Not documented")


def test_date_outside_the_documented_range_is_allowed(main_window):
    main_window.select("P4", None, dt.date(2020, 1, 1))
    assert main_window.as_of() == dt.date(2020, 1, 1)


def test_class_selector_model_passes_the_model_tester(qtmodeltester, main_window):
    main_window.select("P4", ShareClass.SERVICE_II, BEFORE_CONVERSION)
    qtmodeltester.check(main_window.selection_bar.class_model)


def test_search_pick_selects_portfolio_class_and_title(qtbot, main_window):
    box = main_window.search_box
    qtbot.keyClicks(box.field, "JAIG")
    qtbot.waitUntil(box.popup_visible)
    qtbot.keyClick(box.field, main_window_module.Qt.Key.Key_Return)
    assert main_window.portfolio_id() == "P4"
    assert main_window.share_class() == ShareClass.INSTITUTIONAL
    assert main_window.browser.current_portfolio_id() == "P4"
    title = main_window.windowTitle()
    assert "Janus Aspen Series Overseas Portfolio" in title and "Institutional" in title


def test_ctrl_f_focuses_the_search_field(qtbot, main_window):
    main_window.activateWindow()
    main_window.find_action.trigger()
    qtbot.waitUntil(main_window.search_box.field.hasFocus)


def test_source_request_opens_the_viewer_at_the_cited_line(qtbot, main_window):
    main_window.detail.source_requested.emit(FEE_CITATION)
    assert main_window.source_dock.isVisible()
    assert main_window.source_viewer.citation() == FEE_CITATION
    assert main_window.source_viewer.highlighted_blocks()[0] == 95


def test_calculator_request_opens_the_preset_workspace(main_window):
    main_window.detail.calculator_requested.emit("P4", ShareClass.SERVICE_II, BEFORE_CONVERSION)
    workspace = main_window.workspace
    assert workspace is not None
    assert main_window.tabs.currentWidget() is workspace
    assert workspace.inputs.portfolio_id() == "P4"
    assert workspace.inputs.share_class_value() == ShareClass.SERVICE_II
    assert workspace.inputs.date() == BEFORE_CONVERSION


def test_status_bar_names_the_database_build(main_window, repo):
    text = main_window.build_label.text()
    assert "janus.sqlite" in text
    assert f"schema {repo.meta()['schema_version']}" in text


def test_readme_opens_with_the_desktop(main_window, monkeypatch):
    opened: list[QUrl] = []
    monkeypatch.setattr(main_window_module, "open_url", lambda url: opened.append(url) or True)
    main_window.readme_action.trigger()
    readme = main_window_module.paths.readme_path()
    assert readme is not None
    assert [Path(u.toLocalFile()) for u in opened] == [readme]


def test_about_lists_the_five_sources_and_the_build(qtbot, main_window, monkeypatch, repo):
    shown: list[AboutDialog] = []
    monkeypatch.setattr(AboutDialog, "exec", lambda self: shown.append(self) or 0)
    main_window.about_action.trigger()
    assert len(shown) == 1
    dialog = shown[0]
    qtbot.addWidget(dialog)
    docs = [d.doc for d in dialog.sources_model.rows()]
    assert docs == ["000", "001", "002", "003", "004"]
    assert "1999-10-26" in dialog.build_label.text()  # 004 is dated 1999-10-26, documented from
    assert repo.meta()["content_sha256"][:16] in dialog.build_label.text()


def test_about_sources_model_passes_the_model_tester(qtbot, qtmodeltester, main_window):
    dialog = main_window.about_dialog()
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.sources_model)


def test_settings_survive_a_restart(qtbot, make_window, settings_file):
    first = make_window(AppSettings(main_window_module_settings(settings_file)))
    first.show()
    first.resize(760, 590)  # fits the 800 x 800 offscreen screen, so Qt keeps it
    first.select("P4", ShareClass.SERVICE_II, BEFORE_CONVERSION)
    first.splitter.setSizes([250, 498])
    sizes = first.splitter.sizes()
    assert first.close()

    second = make_window(AppSettings(main_window_module_settings(settings_file)))
    second.show()
    assert second.portfolio_id() == "P4"
    assert second.share_class() == ShareClass.SERVICE_II
    assert second.as_of() == BEFORE_CONVERSION
    assert (second.width(), second.height()) == (760, 590)
    assert second.splitter.sizes() == sizes


def main_window_module_settings(path: Path):
    from PySide6.QtCore import QSettings

    return QSettings(str(path), QSettings.Format.IniFormat)


def test_close_is_refused_when_the_workspace_says_no(main_window, monkeypatch):
    workspace = main_window._ensure_workspace()
    monkeypatch.setattr(workspace, "confirm_close", lambda: False)
    assert not main_window.close()
    assert main_window.isVisible()
    monkeypatch.setattr(workspace, "confirm_close", lambda: True)
    assert main_window.close()


def test_browser_pick_shows_the_name_in_force(qtbot, main_window):
    main_window.select("P4", None, dt.date(1999, 12, 31))
    assert "International Growth Portfolio" in main_window.windowTitle()
    main_window.selection_bar.set_as_of(dt.date(2013, 12, 31))
    assert "Janus Aspen Series Overseas Portfolio" in main_window.windowTitle()


@pytest.mark.parametrize("action", ["open_workspace_action", "import_lots_action"])
def test_cancelled_file_dialogs_change_nothing(main_window, monkeypatch, action: str):
    # The window imports the file dialogs when a file action runs, so patch them at the source.
    monkeypatch.setattr(dialogs_module, "ask_open_path", lambda *args: "")
    getattr(main_window, action).trigger()
    assert main_window.workspace is not None
    assert not main_window.workspace.has_unsaved_changes()


def test_recent_searches_menu_reruns_a_picked_query(qtbot, main_window):
    box = main_window.search_box
    qtbot.keyClicks(box.field, "JAIG")
    qtbot.waitUntil(box.popup_visible)
    qtbot.keyClick(box.field, main_window_module.Qt.Key.Key_Return)
    box.field.clear()
    main_window.recent_menu.aboutToShow.emit()
    actions = main_window.recent_menu.actions()
    assert [a.text() for a in actions] == ["JAIG"]
    actions[0].trigger()
    assert box.field.text() == "JAIG"
    assert box.matches()[0].ticker == "JAIG"


def test_unsaved_workspace_of_an_earlier_session_is_offered(
    qtbot, make_window, app_settings, monkeypatch, tmp_path
):
    from janus_gui.ui.workspace import autosave

    left_over = tmp_path / "autosave.janusws"
    monkeypatch.setattr(autosave, "orphaned_autosaves", lambda: [left_over])
    window = make_window(app_settings)
    window.show()
    qtbot.waitUntil(lambda: window.workspace is not None)
    assert window.tabs.currentWidget() is window.workspace
    assert "can be recovered" in window.statusBar().currentMessage()


def test_no_workspace_is_created_without_a_left_over_autosave(qtbot, main_window):
    from PySide6.QtCore import QTimer

    fired: list[bool] = []
    QTimer.singleShot(main_window_module.RECOVERY_CHECK_DELAY_MS + 50, lambda: fired.append(True))
    qtbot.waitUntil(lambda: bool(fired))
    assert main_window.workspace is None


# -- deferred start-up: the skeleton paints first, the rest follows right after ------------------
def _saved_selection(settings_file: Path) -> AppSettings:
    settings = AppSettings(main_window_module_settings(settings_file))
    settings.set("last_portfolio_id", "P4")
    settings.set("last_share_class", ShareClass.SERVICE_II.value)
    settings.set("last_as_of", BEFORE_CONVERSION)
    settings.sync()
    return settings


def test_deferred_window_paints_its_skeleton_before_the_detail_panel(
    qtbot, repo, no_save_prompt, settings_file
):
    window = main_window_module.MainWindow(
        repo, _saved_selection(settings_file), deferred_startup=True
    )
    qtbot.addWidget(window)
    assert not window.startup_finished()
    assert window.detail is None
    assert window.portfolio_id() is None
    assert window.as_of() == BEFORE_CONVERSION  # the date bar is part of the skeleton
    assert window.tabs.tabText(0) == "Class detail"
    window.show()
    qtbot.waitUntil(window.startup_finished, timeout=5000)
    assert window.tabs.widget(0) is window.detail
    assert window.portfolio_id() == "P4"
    assert window.share_class() == ShareClass.SERVICE_II
    assert "— Service II — as of 2012-04-20 —" in window.windowTitle()


def test_finish_startup_restores_the_selection_at_once_and_only_once(
    qtbot, repo, no_save_prompt, settings_file
):
    window = main_window_module.MainWindow(
        repo, _saved_selection(settings_file), deferred_startup=True
    )
    qtbot.addWidget(window)
    window.finish_startup()
    detail = window.detail
    assert detail is not None
    assert window.portfolio_id() == "P4"
    window.select("P4", ShareClass.SERVICE, AFTER_CONVERSION)
    window.finish_startup()
    assert window.detail is detail
    assert window.share_class() == ShareClass.SERVICE


def test_closing_before_the_deferred_start_keeps_the_saved_selection(
    qtbot, repo, no_save_prompt, settings_file
):
    window = main_window_module.MainWindow(
        repo, _saved_selection(settings_file), deferred_startup=True
    )
    qtbot.addWidget(window)
    window.save_settings()
    reread = AppSettings(main_window_module_settings(settings_file))
    assert reread.get("last_portfolio_id") == "P4"
    assert reread.get("last_share_class") == ShareClass.SERVICE_II.value


def test_a_citation_asked_for_before_the_deferred_start_opens_the_viewer(
    qtbot, repo, no_save_prompt, settings_file
):
    window = main_window_module.MainWindow(
        repo, _saved_selection(settings_file), deferred_startup=True
    )
    qtbot.addWidget(window)
    window.show_citation(FEE_CITATION)
    assert window.source_viewer is not None
    assert window.source_dock.widget() is window.source_viewer
    assert window.detail is not None


def test_a_window_closed_right_after_its_first_paint_builds_the_rest_only_when_shown_again(
    qtbot, qapp, repo, no_save_prompt, settings_file
):
    from PySide6.QtCore import QEvent, QObject, QTimer

    window = main_window_module.MainWindow(
        repo, _saved_selection(settings_file), deferred_startup=True
    )
    qtbot.addWidget(window)

    class CloseOnFirstPaint(QObject):  # what the benchmark quit does, on the window only
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)
                QTimer.singleShot(0, window.close)
            return False

    closer = CloseOnFirstPaint(window)
    window.installEventFilter(closer)
    window.show()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    qapp.processEvents()
    assert not window.startup_finished()
    window.show()
    qtbot.waitUntil(window.startup_finished, timeout=5000)
    assert window.portfolio_id() == "P4"


class _RecordingSettings(AppSettings):
    """Settings that note which names were written."""

    def __init__(self, store) -> None:
        super().__init__(store)
        self.written: list[str] = []

    def set(self, name: str, value: object) -> None:
        self.written.append(name)
        super().set(name, value)


def test_closing_writes_only_the_settings_that_changed(make_window, settings_file):
    first = make_window(AppSettings(main_window_module_settings(settings_file)))
    first.show()
    first.select("P4", ShareClass.SERVICE_II, BEFORE_CONVERSION)
    assert first.close()
    settings = _RecordingSettings(main_window_module_settings(settings_file))
    second = make_window(settings)
    second.show()
    second.splitter.setSizes([200, 500])
    assert second.close()
    assert "splitter_state" in settings.written
    assert not {"last_portfolio_id", "last_share_class", "last_as_of"} & set(settings.written)
