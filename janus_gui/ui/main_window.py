"""The main window: search, portfolio browser, class and as-of selection, detail and workspace.

The window owns the selection (portfolio, share class, as-of date) and hands it to the panels;
the panels own everything they show. The workspace panel and its calculators are imported only when
the workspace is first opened, which keeps start-up short. With ``deferred_startup`` the first paint
shows the skeleton (search, browser, date bar, menus); the detail panel, the source viewer, the
restored selection and the recovery check follow right after it (``finish_startup``).
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QSignalBlocker, Qt, QThreadPool, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QKeySequence,
    QPaintEvent,
    QPalette,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from janus_gui import APP_NAME, paths
from janus_gui.core import asof
from janus_gui.core.errors import JanusError
from janus_gui.core.key_dates import KeyDate, key_dates
from janus_gui.core.models import Citation, ClassRules, SearchMatch, SearchResult, ShareClass
from janus_gui.core.repository import Repository
from janus_gui.ui.browser import PortfolioBrowser
from janus_gui.ui.date_field import DateField
from janus_gui.ui.search_box import SearchBox
from janus_gui.ui.settings import AppSettings

if TYPE_CHECKING:
    from janus_gui.ui.compare_view import CompareView
    from janus_gui.ui.detail.panel import DetailPanel
    from janus_gui.ui.dialogs import AboutDialog
    from janus_gui.ui.record_export import RecordExport
    from janus_gui.ui.resolved_list import ResolvedListDialog
    from janus_gui.ui.source_viewer import SourceViewer
    from janus_gui.ui.workspace.panel import WorkspacePanel

logger = logging.getLogger(__name__)

STATUS_TIMEOUT_MS = 8000
WORKSPACE_TAB_TITLE = "Redemption-fee workspace"
DETAIL_SHORTCUT = "Ctrl+1"
WORKSPACE_SHORTCUT = "Ctrl+2"
COMPARE_SHORTCUT = "Ctrl+3"
CSV_EXPORT_FILTER = "CSV (*.csv)"
PDF_EXPORT_FILTER = "PDF, {paper} paper (*.pdf)"
SOURCE_DOCK_MIN_WIDTH = 520
RECOVERY_CHECK_DELAY_MS = 200
ClassStatusRole = Qt.ItemDataRole.UserRole + 3


# Dates a rules desk asks about most, each named after what happened then (see DOMAIN.md).
def to_qdate(day: dt.date) -> QDate:
    """``datetime.date`` -> ``QDate``."""
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> dt.date:
    """``QDate`` -> ``datetime.date``."""
    return dt.date(day.year(), day.month(), day.day())


def open_url(url: QUrl) -> bool:
    """Open a URL with the desktop (wrapped so tests can record instead)."""
    return QDesktopServices.openUrl(url)


class ClassSelectorModel(QStandardItemModel):
    """Share classes for the selector: offered ones, or documented ones greyed with status."""

    def set_classes(self, entries: list[tuple[ShareClass, str, bool]], disabled_brush: Any) -> None:
        """``entries`` are ``(class, status text, offered)``."""
        self.clear()
        for share_class, status, offered in entries:
            text = share_class.value if offered else f"{share_class.value} (not offered)"
            item = QStandardItem(text)
            # Qt stores a StrEnum as a plain string; keep the value and convert on the way out.
            item.setData(share_class.value, Qt.ItemDataRole.UserRole)
            item.setData(status, ClassStatusRole)
            item.setToolTip(status)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            if not offered:
                item.setForeground(disabled_brush)
            self.appendRow(item)


class SelectionBar(QWidget):
    """Portfolio name, class selector, as-of date with the documented range and key dates."""

    class_changed = Signal(object)  # ShareClass | None
    as_of_changed = Signal(object)  # dt.date

    def __init__(
        self,
        documented: tuple[dt.date, dt.date],
        key_dates: tuple[KeyDate, ...] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._documented = documented
        self._key_dates = key_dates
        self.class_model = ClassSelectorModel(self)
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        row = QHBoxLayout()
        row.addWidget(QLabel("Class:"))
        self.class_combo = QComboBox()
        self.class_combo.setModel(self.class_model)
        self.class_combo.setMinimumContentsLength(18)
        self.class_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.class_combo.setToolTip("Share classes this portfolio offers on the as-of date")
        row.addWidget(self.class_combo)
        row.addSpacing(16)
        row.addWidget(QLabel("As of:"))
        self.date_edit = DateField()
        self.date_edit.setToolTip(
            "Rules, names and classes are shown as in force on this date. Dates outside the "
            "documented range are allowed and answered as not documented."
        )
        row.addWidget(self.date_edit)
        row.addStretch(1)
        outer.addLayout(row)
        dates = QHBoxLayout()
        dates.addWidget(QLabel("Go to:"))
        self.date_buttons: dict[str, QToolButton] = {}
        first, last = self._documented
        shortcuts = [(k.label, k.day, k.why) for k in self._key_dates]
        for label, day, why in (*shortcuts, ("latest", last, "The latest documented date.")):
            button = QToolButton()
            button.setText(label)
            button.setToolTip(f"As of {day.isoformat()}: {why}")
            button.setProperty("as_of", day.isoformat())
            self.date_buttons[label] = button
            dates.addWidget(button)
        dates.addSpacing(8)
        self.range_label = QLabel(f"Documented {first.isoformat()} – {last.isoformat()}")
        self.range_label.setWordWrap(True)  # narrow windows wrap it rather than widen
        self.range_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.range_label.setToolTip(
            "The earliest and latest dates the five sources speak to. Other dates can be "
            "chosen; the answer for them says what is not documented."
        )
        dates.addWidget(self.range_label, 1)
        outer.addLayout(dates)
        self.status_label = QLabel("")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label.hide()
        outer.addWidget(self.status_label)

    def _connect(self) -> None:
        self.class_combo.currentIndexChanged.connect(self._on_class_combo_index_changed)
        self.date_edit.dateChanged.connect(self._on_date_edit_date_changed)
        for button in self.date_buttons.values():
            button.clicked.connect(self._on_date_button_clicked)

    # -- state ---------------------------------------------------------------------------------
    def as_of(self) -> dt.date:
        """The as-of date on display."""
        return self.date_edit.date()

    def set_as_of(self, day: dt.date) -> None:
        """Change the date (emits ``as_of_changed`` when it differs)."""
        self.date_edit.setDate(day)

    def share_class(self) -> ShareClass | None:
        """The class selected, if any."""
        value = self.class_combo.currentData(Qt.ItemDataRole.UserRole)
        return ShareClass(value) if value else None

    def classes(self) -> list[ShareClass]:
        """Classes listed in the selector, in order."""
        return [
            ShareClass(self.class_model.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.class_model.rowCount())
        ]

    def set_classes(
        self, entries: list[tuple[ShareClass, str, bool]], keep: ShareClass | None
    ) -> None:
        """Refill the selector and select ``keep`` if listed, else the first class."""
        with QSignalBlocker(self.class_combo):
            brush = self.palette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
            self.class_model.set_classes(entries, brush)
            listed = [entry[0] for entry in entries]
            self.class_combo.setCurrentIndex(listed.index(keep) if keep in listed else 0)
            self.class_combo.setEnabled(bool(entries))
        self._show_status()

    def _show_status(self) -> None:
        index = self.class_combo.currentIndex()
        item = self.class_model.item(index) if index >= 0 else None
        offered = item is not None and not item.text().endswith("(not offered)")
        self.set_note("" if offered or item is None else str(item.data(ClassStatusRole)))

    def set_note(self, text: str) -> None:
        """A line under the controls (why a class is greyed or was not kept); empty hides it."""
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))

    def _on_class_combo_index_changed(self, _index: int) -> None:
        self._show_status()
        self.class_changed.emit(self.share_class())

    def _on_date_edit_date_changed(self, day: dt.date) -> None:
        self.as_of_changed.emit(day)

    def _on_date_button_clicked(self) -> None:
        button = self.sender()
        if isinstance(button, QToolButton):
            self.set_as_of(dt.date.fromisoformat(str(button.property("as_of"))))


class MainWindow(QMainWindow):
    """The rules desk window. ``repo`` and ``settings`` are passed in so tests can supply them."""

    selection_changed = Signal(str, object, object)  # portfolio_id, ShareClass | None, date

    def __init__(
        self,
        repo: Repository,
        settings: AppSettings,
        parent: QWidget | None = None,
        deferred_startup: bool = False,
    ) -> None:
        """Build the window; with ``deferred_startup`` the first paint comes before the detail
        panel, the source viewer and the restored selection (see ``finish_startup``)."""
        super().__init__(parent)
        self.repo = repo
        self.settings = settings
        self._portfolio_id: str | None = None
        self._documented = repo.documented_range()
        self.workspace: WorkspacePanel | None = None
        self._sheet_export: RecordExport | None = None
        self.detail: DetailPanel | None = None
        self.source_viewer: SourceViewer | None = None
        self.resolved_list: ResolvedListDialog | None = None
        self.compare_view: CompareView | None = None
        self._guide: QWidget | None = None
        self._finish_scheduled = False
        self._finish_timer = QTimer(self)
        self._finish_timer.setSingleShot(True)
        self._finish_timer.setInterval(0)
        self._finish_timer.timeout.connect(self._on_finish_timer_timeout)
        self._build_ui()
        self._build_menus()
        self._connect()
        self._restore_settings()
        if not deferred_startup:
            self.finish_startup()

    def finish_startup(self) -> None:
        """Build what the first paint does not need and restore the last selection.

        Runs by itself right after the first paint of a window built with ``deferred_startup``;
        calling it again does nothing. Anything that needs the detail panel calls it first.
        """
        if self.detail is not None:
            return
        self._finish_scheduled = True
        self._build_detail()
        self._restore_selection()
        # Shortly after the first paint (not before it): offer a workspace that an earlier
        # session left unsaved.
        QTimer.singleShot(RECOVERY_CHECK_DELAY_MS, self._offer_recovery)

    def startup_finished(self) -> bool:
        """Whether the detail panel is built and the last selection restored."""
        return self.detail is not None

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._finish_scheduled:
            # A zero-interval timer fires once the pending events are handled, so the painted
            # frame reaches the screen (and a quit or close asked for meanwhile is honoured)
            # before the rest is built.
            self._finish_scheduled = True
            self._finish_timer.start()

    def _on_finish_timer_timeout(self) -> None:
        if self.isVisible():
            self.finish_startup()
        else:  # closed before it ran: nothing to build for; the next paint schedules it again
            self._finish_scheduled = False

    # -- layout ------------------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.setWindowTitle(APP_NAME)
        central = QWidget(self)
        self.setCentralWidget(central)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        self.search_box = SearchBox(self._run_search, self)
        layout.addWidget(self.search_box)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.browser = PortfolioBrowser()
        self.browser.setMinimumWidth(190)
        self.splitter.addWidget(self.browser)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(6, 0, 0, 0)
        self.selection_bar = SelectionBar(self._documented, key_dates(self.repo))
        right_layout.addWidget(self.selection_bar)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setUsesScrollButtons(False)
        # Stand in for the detail panel until finish_startup builds it, and for the workspace
        # until its tab is first opened (its modules load only then).
        self.tabs.addTab(QWidget(), "Class detail")
        self._workspace_placeholder = QWidget()
        self.tabs.addTab(self._workspace_placeholder, WORKSPACE_TAB_TITLE)
        self.tabs.setTabToolTip(1, f"The redemption-fee calculator ({WORKSPACE_SHORTCUT})")
        right_layout.addWidget(self.tabs, 1)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([250, 1030])  # laptop widths need the room on the right
        layout.addWidget(self.splitter, 1)
        self.source_dock = QDockWidget("Source", self)
        self.source_dock.setObjectName("source_dock")
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.source_dock)
        self.source_dock.hide()
        self.build_label = QLabel(self._build_text())
        self.statusBar().addPermanentWidget(self.build_label)
        self.resize(1280, 800)

    def _build_detail(self) -> None:
        from janus_gui.ui.detail.panel import DetailPanel
        from janus_gui.ui.source_viewer import SourceViewer

        placeholder = self.tabs.widget(0)
        current = self.tabs.currentIndex()
        self.detail = DetailPanel(self.repo)
        with QSignalBlocker(self.tabs):  # no tab is "opened" by the swap
            self.tabs.insertTab(0, self.detail, "Class detail")
            self.tabs.removeTab(1)
            self.tabs.setCurrentIndex(current)
        placeholder.deleteLater()
        self.detail.source_requested.connect(self._on_panel_source_requested)
        self.detail.calculator_requested.connect(self._on_detail_calculator_requested)
        self.source_viewer = SourceViewer(self)
        self.source_viewer.set_document_titles(
            {
                d.source_file: f"{d.title} ({d.doc_date or 'undated'})"
                for d in self.repo.source_documents()
            }
        )
        self.source_dock.setWidget(self.source_viewer)

    def _ensure_workspace(self) -> WorkspacePanel:
        """Create the workspace tab on first use (its modules load only then)."""
        if self.workspace is not None:
            return self.workspace
        self.finish_startup()  # the workspace tab comes after the detail tab
        from janus_gui.ui.workspace.panel import WorkspacePanel

        self.workspace = WorkspacePanel(self.repo)
        self.workspace.source_requested.connect(self._on_panel_source_requested)
        index = self.tabs.indexOf(self._workspace_placeholder)
        with QSignalBlocker(self.tabs):
            current = self.tabs.currentIndex()
            self.tabs.insertTab(index, self.workspace, WORKSPACE_TAB_TITLE)
            self.tabs.setTabToolTip(index, f"The redemption-fee calculator ({WORKSPACE_SHORTCUT})")
            self.tabs.removeTab(index + 1)
            self.tabs.setCurrentIndex(current)
        self._workspace_placeholder.deleteLater()
        return self.workspace

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.open_workspace_action = self._action(
            file_menu, "&Open workspace…", self._on_open_workspace_triggered, QKeySequence.Open
        )
        self.save_workspace_action = self._action(
            file_menu, "&Save workspace…", self._on_save_workspace_triggered, QKeySequence.Save
        )
        file_menu.addSeparator()
        self.import_lots_action = self._action(
            file_menu, "&Import lots (CSV)…", self._on_import_lots_triggered
        )
        self.export_csv_action = self._action(
            file_menu, "Export results as &CSV…", self._on_export_csv_triggered
        )
        self.export_pdf_action = self._action(
            file_menu, "Export fee record as &PDF…", self._on_export_pdf_triggered
        )
        self.print_action = self._action(
            file_menu, "&Print fee record…", self._on_print_triggered, QKeySequence.Print
        )
        file_menu.addSeparator()
        self.export_rule_sheet_action = self._action(
            file_menu, "Export class &rule sheet as PDF…", self._on_export_rule_sheet_triggered
        )
        self.print_rule_sheet_action = self._action(
            file_menu, "Print class rule &sheet…", self._on_print_rule_sheet_triggered
        )
        file_menu.addSeparator()
        self.quit_action = self._action(file_menu, "&Quit", self.close, QKeySequence.Quit)
        view_menu = self.menuBar().addMenu("&View")
        self.find_action = self._action(
            view_menu, "&Find portfolio or CUSIP", self.search_box.focus_field, QKeySequence.Find
        )
        self.find_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.detail_action = self._action(view_menu, "&Class detail", self.show_detail_tab)
        self.detail_action.setShortcut(QKeySequence(DETAIL_SHORTCUT))
        self.workspace_action = self._action(
            view_menu, "Redemption-fee &workspace", self._on_workspace_view_triggered
        )
        self.workspace_action.setShortcut(QKeySequence(WORKSPACE_SHORTCUT))
        self.compare_action = self._action(view_menu, "C&ompare classes…", self.open_compare)
        self.compare_action.setShortcut(QKeySequence(COMPARE_SHORTCUT))
        self.recent_menu = view_menu.addMenu("&Recent searches")
        self.recent_menu.aboutToShow.connect(self._on_recent_menu_about_to_show)
        view_menu.addAction(self.source_dock.toggleViewAction())
        self.latest_action = self._action(
            view_menu, "As of the &latest documented date", self._on_latest_triggered
        )
        help_menu = self.menuBar().addMenu("&Help")
        self.guide_action = self._action(
            help_menu, "&User guide", self._on_guide_triggered, QKeySequence.HelpContents
        )
        self.readme_action = self._action(help_menu, "&Read me", self._on_readme_triggered)
        self.about_action = self._action(help_menu, "&About", self._on_about_triggered)

    def _action(
        self, menu: Any, text: str, slot: Any, shortcut: QKeySequence.StandardKey | None = None
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _connect(self) -> None:
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.search_box.match_chosen.connect(self._on_search_match_chosen)
        self.search_box.results_shown.connect(self._on_search_results_shown)
        self.search_box.list_pasted.connect(self._on_search_list_pasted)
        self.browser.portfolio_selected.connect(self._on_browser_portfolio_selected)
        self.selection_bar.class_changed.connect(self._on_selection_class_changed)
        self.selection_bar.as_of_changed.connect(self._on_selection_as_of_changed)

    # -- selection -------------------------------------------------------------------------------
    def as_of(self) -> dt.date:
        """The as-of date in force."""
        return self.selection_bar.as_of()

    def portfolio_id(self) -> str | None:
        """The selected portfolio."""
        return self._portfolio_id

    def share_class(self) -> ShareClass | None:
        """The selected class."""
        return self.selection_bar.share_class()

    def select(
        self,
        portfolio_id: str,
        share_class: ShareClass | None = None,
        as_of: dt.date | None = None,
    ) -> None:
        """Select a portfolio (and optionally a class and date) and show it."""
        self.finish_startup()
        if as_of is not None and as_of != self.as_of():
            with QSignalBlocker(self.selection_bar):
                self.selection_bar.set_as_of(as_of)
            self._refresh_for_date()
        try:
            portfolio = self.repo.portfolio(portfolio_id)
        except JanusError as exc:
            self.show_status(str(exc))
            return
        self._portfolio_id = portfolio.portfolio_id
        self.browser.select_portfolio(portfolio.portfolio_id)
        self._refresh_classes(share_class or self.share_class())
        self._show_selection()

    def _refresh_for_date(self) -> None:
        day = self.as_of()
        self.browser.set_portfolios(self.repo.portfolios(), day)
        self.search_box.set_as_of(day)

    def _refresh_classes(self, wanted: ShareClass | None) -> None:
        if self._portfolio_id is None:
            self.selection_bar.set_classes([], None)
            return
        day = self.as_of()
        offered = asof.classes_on(self.repo, self._portfolio_id, day)
        if offered:
            entries = [(sc, "", True) for sc in offered]
        else:
            entries = [
                (sc, asof.class_status(self.repo, self._portfolio_id, sc, day).text, False)
                for sc in asof.documented_classes(self.repo, self._portfolio_id)
            ]
        self.selection_bar.set_classes(entries, self._successor(wanted, day, offered))
        if not entries:
            self.selection_bar.set_note("The sources document no share class of this portfolio.")
        chosen = self.selection_bar.share_class()
        if wanted is not None and chosen != wanted:
            status = asof.class_status(self.repo, self._portfolio_id, wanted, day)
            shown = f"; showing {chosen.value} shares" if chosen else ""
            self.selection_bar.set_note(
                f"{wanted.value} shares are not offered on {day.isoformat()}{shown}. {status.text}"
            )

    def _successor(
        self, wanted: ShareClass | None, day: dt.date, offered: list[ShareClass]
    ) -> ShareClass | None:
        """``wanted``, or the class it converted into before ``day`` when that one is offered."""
        if wanted is None or wanted in offered or self._portfolio_id is None:
            return wanted
        successor = asof.converted_into(self.repo, self._portfolio_id, wanted, day)
        return successor if successor in offered else wanted

    def _show_selection(self) -> None:
        if self.detail is None:  # finish_startup shows the selection once the panel exists
            return
        day = self.as_of()
        share_class = self.share_class()
        if self._portfolio_id is None:
            self.setWindowTitle(APP_NAME)
            self.detail.clear()
            return
        name = self.repo.portfolio(self._portfolio_id).name_on(day)
        class_text = share_class.value if share_class else "no class"
        self.setWindowTitle(f"{name} — {class_text} — as of {day.isoformat()} — {APP_NAME}")
        if share_class is None:
            self.detail.clear()
        else:
            self._call_panel(self.detail.show_class, self._portfolio_id, share_class, day)
        self.selection_changed.emit(self._portfolio_id, share_class, day)

    def _call_panel(self, method: Any, *args: Any) -> None:
        try:
            method(*args)
        except JanusError as exc:
            self.show_status(str(exc))

    # -- slots -------------------------------------------------------------------------------
    def _on_search_match_chosen(self, match: SearchMatch) -> None:
        self.settings.add_recent_query(self.search_box.field.text())
        self.select(match.portfolio_id, match.share_class)
        self.show_detail_tab()

    def _on_search_list_pasted(self, text: str) -> None:
        from janus_gui.ui.resolved_list import ResolvedListDialog  # first use only

        if self.resolved_list is None:
            self.resolved_list = ResolvedListDialog(self.repo, self)
            self.resolved_list.match_chosen.connect(self._on_resolved_list_match_chosen)
        self.resolved_list.resolve(text, self.as_of())
        self.resolved_list.show()
        self.resolved_list.raise_()
        self.show_status(self.resolved_list.summary.text())

    def _on_resolved_list_match_chosen(self, match: SearchMatch) -> None:
        self.select(match.portfolio_id, match.share_class)
        self.activateWindow()

    def _on_search_results_shown(self, result: SearchResult) -> None:
        count = len(result.matches)
        self.show_status(f"{count} match{'es' if count != 1 else ''} for “{result.query}”.")

    def _on_browser_portfolio_selected(self, portfolio_id: str) -> None:
        self.select(portfolio_id)
        self.show_detail_tab()

    def _on_selection_class_changed(self, _share_class: object) -> None:
        self._show_selection()

    def _on_selection_as_of_changed(self, _day: object) -> None:
        self._refresh_for_date()
        self._refresh_classes(self.share_class())
        self._show_selection()

    def _on_panel_source_requested(self, citation: Citation) -> None:
        self.show_citation(citation)

    def _on_detail_calculator_requested(
        self, portfolio_id: str, share_class: ShareClass, day: dt.date
    ) -> None:
        self.open_workspace(portfolio_id, share_class, day)

    def _on_recent_menu_about_to_show(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.get("recent_queries")
        if not recent:
            self.recent_menu.addAction("No recent searches").setEnabled(False)
        for query in recent:
            action = self.recent_menu.addAction(query)
            action.setData(query)
            action.triggered.connect(self._on_recent_action_triggered)

    def _on_recent_action_triggered(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.search_box.field.setText(str(action.data()))
            self.search_box.focus_field()
            self.search_box.run_now()

    def _on_workspace_view_triggered(self) -> None:
        self.tabs.setCurrentWidget(self._ensure_workspace())

    def _on_tabs_current_changed(self, index: int) -> None:
        if self.workspace is None and self.tabs.widget(index) is self._workspace_placeholder:
            self.tabs.setCurrentWidget(self._ensure_workspace())

    def _on_guide_triggered(self) -> None:
        from janus_gui.ui.guide import GuideDialog

        if self._guide is None:
            self._guide = GuideDialog(self)
        self._guide.show()
        self._guide.raise_()
        self._guide.activateWindow()

    def _on_latest_triggered(self) -> None:
        self.selection_bar.set_as_of(self._documented[1])

    def _on_readme_triggered(self) -> None:
        readme = paths.readme_path()
        if readme is None:
            self.show_status("No README is installed with this copy of the app.")
            return
        if not open_url(QUrl.fromLocalFile(str(readme))):
            self.show_status(f"Could not open {readme}.")

    def _on_about_triggered(self) -> None:
        self.about_dialog().exec()

    def _on_open_workspace_triggered(self) -> None:
        self._workspace_file_action(
            "Open workspace", "Janus workspace (*.janusws);;All files (*)", "open_workspace_file"
        )

    def _on_save_workspace_triggered(self) -> None:
        self._workspace_file_action(
            "Save workspace", "Janus workspace (*.janusws)", "save_workspace_file", save=True
        )

    def _on_import_lots_triggered(self) -> None:
        self._workspace_file_action(
            "Import lots", "Lot schedule (*.csv);;All files (*)", "import_lots_file"
        )

    def _on_export_csv_triggered(self) -> None:
        workspace = self._ensure_workspace()
        self.tabs.setCurrentWidget(workspace)
        path, _chosen = self._ask_export_path(workspace, "Export CSV", ".csv", [CSV_EXPORT_FILTER])
        if path:
            workspace.export_csv(path)

    def _on_export_pdf_triggered(self) -> None:
        from janus_gui.ui.printed import PaperSize, default_paper

        workspace = self._ensure_workspace()
        self.tabs.setCurrentWidget(workspace)
        first = default_paper()
        papers = [first, *(p for p in PaperSize if p is not first)]
        filters = [PDF_EXPORT_FILTER.format(paper=p.value) for p in papers]
        path, chosen = self._ask_export_path(workspace, "Export fee record", ".pdf", filters)
        if path:
            paper = papers[filters.index(chosen)] if chosen in filters else first
            workspace.start_pdf_export(path, paper)  # on a worker; progress in the workspace

    def _ask_export_path(
        self, workspace: WorkspacePanel, caption: str, suffix: str, filters: list[str]
    ) -> tuple[str, str]:
        """Where to write an export: starts in the last export folder (or Documents) with a
        name made from the portfolio, class and date; remembers the folder chosen."""
        from janus_gui.ui.dialogs import ask_save_path_and_filter, documents_folder

        if workspace.outcome() is None:
            self.show_status("Nothing to export: the workspace has no result yet.")
            return "", ""
        folder = self.settings.get("last_export_folder")
        start = Path(folder) if folder and Path(folder).is_dir() else documents_folder()
        suggested = start / workspace.suggested_file_name(suffix)
        path, chosen = ask_save_path_and_filter(
            self, caption, str(suggested), ";;".join(filters), filters[0]
        )
        if path:
            if not path.lower().endswith(suffix):
                path += suffix
            self.settings.set("last_export_folder", str(Path(path).parent))
        return path, chosen

    def _on_print_triggered(self) -> None:
        from janus_gui.ui import printed
        from janus_gui.ui.dialogs import ask_printer

        workspace = self._ensure_workspace()
        self.tabs.setCurrentWidget(workspace)
        record = workspace.fee_record()
        if record is None:
            self.show_status("Nothing to print: the workspace has no result yet.")
            return
        printer = ask_printer(self, printed.default_paper())
        if printer is None:
            return
        try:
            pages = printed.render(record, printer)
        except OSError as exc:
            self.show_status(f"Could not print: {exc}")
            return
        self.show_status(f"Sent the fee record to the printer ({pages} pages).")

    # -- the class rule sheet -------------------------------------------------------------------
    def _shown_class_rules(self) -> ClassRules | None:
        """The class and date the Class detail shows, or ``None`` (with a status message)."""
        self.finish_startup()
        rules = self.detail.current() if self.detail is not None else None
        if rules is None:
            self.show_status("No class is shown: search for a portfolio and pick a class first.")
        return rules

    def _on_export_rule_sheet_triggered(self) -> None:
        from janus_gui.ui import printed, rule_sheet
        from janus_gui.ui.dialogs import ask_save_path_and_filter, documents_folder

        rules = self._shown_class_rules()
        if rules is None:
            return
        first = printed.default_paper()
        papers = [first, *(p for p in printed.PaperSize if p is not first)]
        filters = [PDF_EXPORT_FILTER.format(paper=p.value) for p in papers]
        folder = self.settings.get("last_export_folder")
        start = Path(folder) if folder and Path(folder).is_dir() else documents_folder()
        path, chosen = ask_save_path_and_filter(
            self,
            "Export class rule sheet",
            str(start / rule_sheet.suggested_name(rules)),
            ";;".join(filters),
            filters[0],
        )
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        self.settings.set("last_export_folder", str(Path(path).parent))
        paper = papers[filters.index(chosen)] if chosen in filters else first
        # the catalog is read here (its connection stays on this thread); the PDF on a worker
        record = rule_sheet.rule_sheet(self.repo, rules)
        self._rule_sheet_export().start(Path(path), lambda: record, paper)

    def _rule_sheet_export(self) -> RecordExport:
        """Writes rule sheets as PDF on a worker; the window keeps painting, the status bar says
        how it went."""
        if self._sheet_export is None:
            from janus_gui.ui.record_export import RecordExport

            self._sheet_export = RecordExport(self, what="the rule sheet")
            self._sheet_export.started.connect(self.show_status)
            self._sheet_export.status.connect(self._on_sheet_export_status)
        return self._sheet_export

    def _on_sheet_export_status(self, text: str, _error: bool) -> None:
        self.show_status(text)

    def _on_print_rule_sheet_triggered(self) -> None:
        from janus_gui.ui import printed, rule_sheet
        from janus_gui.ui.dialogs import ask_printer

        rules = self._shown_class_rules()
        if rules is None:
            return
        printer = ask_printer(self, printed.default_paper())
        if printer is None:
            return
        try:
            pages = printed.render(rule_sheet.rule_sheet(self.repo, rules), printer)
        except OSError as exc:
            self.show_status(f"Could not print: {exc}")
            return
        self.show_status(f"Sent the class rule sheet to the printer ({pages} pages).")

    def _offer_recovery(self) -> None:
        from janus_gui.ui.workspace.autosave import orphaned_autosaves

        if not orphaned_autosaves():
            return
        self.tabs.setCurrentWidget(self._ensure_workspace())
        self.show_status("A workspace from an earlier session was not saved; it can be recovered.")

    # -- actions used by slots and tests ---------------------------------------------------------
    def show_status(self, message: str) -> None:
        """A non-modal message in the status bar."""
        self.statusBar().showMessage(message, STATUS_TIMEOUT_MS)

    def show_detail_tab(self) -> None:
        """Bring the Class detail tab forward (what a picked portfolio or class shows in)."""
        if self.detail is not None:
            self.tabs.setCurrentWidget(self.detail)

    def show_citation(self, citation: Citation) -> None:
        """Open the source viewer at ``citation``."""
        self.finish_startup()
        assert self.source_viewer is not None
        if self.source_dock.isHidden() and not self.source_dock.isFloating():
            width = max(SOURCE_DOCK_MIN_WIDTH, self.width() // 3)
            self.source_dock.show()
            self.resizeDocks([self.source_dock], [width], Qt.Orientation.Horizontal)
        self.source_dock.show()
        self.source_dock.raise_()
        self.source_viewer.show_citation(citation)

    def open_compare(self) -> QWidget:
        """The Compare window, preset to the class shown and the portfolio's other classes."""
        from janus_gui.ui.compare_view import CompareView

        if self.compare_view is None:
            self.compare_view = CompareView(self.repo)
            self.compare_view.setWindowFlag(Qt.WindowType.Window)
            self.compare_view.setParent(self, Qt.WindowType.Window)
            self.compare_view.source_requested.connect(self._on_panel_source_requested)
            self.compare_view.resize(min(self.width(), 1280), min(self.height(), 800))
            pid, chosen = self._portfolio_id, self.share_class()
            if pid is not None:
                others = [c for c in asof.documented_classes(self.repo, pid) if c != chosen]
                pairs = [(pid, c) for c in [chosen, *others][:3] if c is not None]
                self.compare_view.preset(pairs, self.as_of())
        self.compare_view.show()
        self.compare_view.raise_()
        self.compare_view.activateWindow()
        return self.compare_view

    def open_workspace(self, portfolio_id: str, share_class: ShareClass, day: dt.date) -> None:
        """Show the workspace tab preset to a class and redemption date."""
        workspace = self._ensure_workspace()
        self.tabs.setCurrentWidget(workspace)
        self._call_panel(workspace.preset, portfolio_id, share_class, day)

    def about_dialog(self) -> AboutDialog:
        """The About dialog (not yet shown)."""
        from janus_gui.ui.dialogs import AboutDialog

        return AboutDialog(
            self.repo.meta(), self.repo.source_documents(), str(self.repo.path), self
        )

    def _workspace_file_action(
        self, caption: str, filters: str, method: str, save: bool = False
    ) -> None:
        from janus_gui.ui.dialogs import ask_open_path, ask_save_path

        workspace = self._ensure_workspace()
        self.tabs.setCurrentWidget(workspace)
        ask = ask_save_path if save else ask_open_path
        path = ask(self, caption, filters)
        if path:
            self._call_panel(getattr(workspace, method), path)

    def _build_text(self) -> str:
        meta = self.repo.meta()
        first, last = self._documented
        built = meta.get("built_at", "")
        parts = [
            f"Database {html.escape(self.repo.path.name)}",
            f"schema {meta.get('schema_version', '?')}",
            f"documented {first.isoformat()} – {last.isoformat()}",
        ]
        if built:
            parts.append(f"built {built}")
        digest = meta.get("content_sha256", "")
        if digest:
            parts.append(f"content {digest[:12]}")
        return " · ".join(parts)

    # -- persistence -------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        geometry = self.settings.get("window_geometry")
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = self.settings.get("window_state")
        if not state.isEmpty():
            self.restoreState(state)
        splitter = self.settings.get("splitter_state")
        if not splitter.isEmpty():
            self.splitter.restoreState(splitter)
        day = self.settings.get("last_as_of") or self._documented[1]
        with QSignalBlocker(self.selection_bar):
            self.selection_bar.set_as_of(day)
        self._refresh_for_date()

    def _restore_selection(self) -> None:
        portfolio_id = self.settings.get("last_portfolio_id")
        class_text = self.settings.get("last_share_class")
        if portfolio_id:
            self.select(portfolio_id, ShareClass(class_text) if class_text else None)
        else:
            self._refresh_classes(None)
            self._show_selection()

    def save_settings(self) -> None:
        """Write geometry, layout and the selection to the settings (only what changed)."""
        values: dict[str, Any] = {
            "window_geometry": self.saveGeometry(),
            "window_state": self.saveState(),
            "splitter_state": self.splitter.saveState(),
        }
        if self.detail is not None:  # before the selection is restored, keep the stored one
            share_class = self.share_class()
            values["last_portfolio_id"] = self._portfolio_id or ""
            values["last_share_class"] = share_class.value if share_class else ""
            values["last_as_of"] = self.as_of()
        # Rewriting an unchanged file costs a disk write on every close.
        for name, value in values.items():
            if self.settings.get(name) != value:
                self.settings.set(name, value)
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.workspace is not None and not self.workspace.confirm_close():
            event.ignore()
            return
        self.save_settings()
        QThreadPool.globalInstance().waitForDone(5000)
        event.accept()

    def _run_search(self, text: str, day: dt.date) -> SearchResult:
        from janus_gui.core.lookup import search  # loaded at the first search, not at start-up

        return search(self.repo, text, as_of=day)
