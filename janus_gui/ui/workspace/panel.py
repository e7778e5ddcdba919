"""The redemption-fee workspace: lot table in, FIFO walk, fee, planner and timeline out.

Inputs recompute the result after a short pause (debounced); large tables are computed on a
worker and stale results are dropped by a token. Lot files import on a worker with a progress
bar and a Cancel button, and a preview of errors by line comes before the table is replaced.
The file behind the workspace (save, open, recover, autosave) is its ``WorkspaceDocument``, the
fee-record PDF its ``RecordExport``; the rows and results are the Qt-free ``janus_gui.workspace``;
this module lays them out and wires them together. The workspace's own commands are ``QAction``s
(``lot_actions``), shown on its tool buttons and available to menus.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStyle,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from janus_gui.core import asof
from janus_gui.core.errors import InputError, JanusError
from janus_gui.core.models import FeeRule, ShareClass
from janus_gui.core.repository import Repository
from janus_gui.core.safe_text import escaped
from janus_gui.core.workspace_file import RedeemMode, Workspace
from janus_gui.ui import printed
from janus_gui.ui.background import Task, TaskRunner, dispose, release_in_slices
from janus_gui.ui.printed import PagedRecord, PaperSize
from janus_gui.ui.record_export import RecordExport
from janus_gui.ui.workspace import dialogs, report
from janus_gui.ui.workspace.autosave import AUTOSAVE_INTERVAL_MS, orphaned_autosaves
from janus_gui.ui.workspace.dialogs import ImportPreviewDialog
from janus_gui.ui.workspace.document import WorkspaceDocument
from janus_gui.ui.workspace.inputs import InputsBar
from janus_gui.ui.workspace.lot_model import LotTableModel
from janus_gui.ui.workspace.lot_table import LotTableView
from janus_gui.ui.workspace.results_view import (
    FEE_COLUMNS,
    MethodView,
    SummaryView,
    make_steps_table,
)
from janus_gui.ui.workspace.timeline import LotTimeline
from janus_gui.workspace import files, reading
from janus_gui.workspace.files import OpenedWorkspace
from janus_gui.workspace.outcome import (
    STEP_ROWS_SHOWN,
    LotColumns,
    Outcome,
    compute,
    make_request,
    rate_text,
)
from janus_gui.workspace.reading import ImportedLots
from janus_gui.workspace.rows import row_from_parsed

logger = logging.getLogger(__name__)

DEBOUNCE_MS = 250
SYNC_LIMIT = 2000  # lot rows computed on the GUI thread; more go to a worker
MAX_STEP_ROWS = STEP_ROWS_SHOWN  # per-lot breakdown rows shown; the CSV has them all
FeeRuleFor = Callable[[Repository, str, ShareClass, dt.date], FeeRule]


def _import_job(
    path: Path, progress: Callable[[int, int], None], cancelled: Callable[[], bool]
) -> ImportedLots:
    """Runs on a worker: read a lot file for the preview and the table."""
    imported = reading.read_lot_csv(path, progress, cancelled)
    lots = reading.table_rows(imported)
    release_in_slices(imported.rows)  # freed here, not on the GUI thread
    return lots


@dataclass(frozen=True, slots=True)
class WorkspaceActions:
    """The workspace's own commands, for its tool buttons and any menu or toolbar."""

    add_lot: QAction
    delete_lots: QAction
    paste_lots: QAction
    import_lots: QAction


class WorkspacePanel(QWidget):
    """Redemption-fee workspace (see the module docstring)."""

    source_requested = Signal(object)  # Citation
    result_computed = Signal(object)  # Outcome
    computation_failed = Signal(str)
    import_finished = Signal(int)  # rows now in the table
    import_cancelled = Signal()
    autosaved = Signal(str)
    unsaved_changed = Signal(bool)
    workspace_saved = Signal(str)  # the path written
    workspace_loaded = Signal(str)  # the file opened or the autosave recovered
    file_failed = Signal(str)  # why a save, open or recovery did not happen
    file_task_ended = Signal()
    record_exported = Signal(str)  # the PDF written
    record_export_failed = Signal(str)  # why no PDF was written
    record_export_cancelled = Signal()

    def __init__(
        self,
        repo: Repository,
        parent: QWidget | None = None,
        *,
        fee_rule_for: FeeRuleFor | None = None,
        autosave_interval_ms: int = AUTOSAVE_INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self._repo = repo
        self._fee_rule_for = fee_rule_for or asof.redemption_fee_rule
        self._preset_quietly = False  # inputs set by ``preset`` on an empty table
        self._token = 0
        self._outcome: Outcome | None = None
        self._import_task: Task | None = None
        self._export = RecordExport(self, what="the fee record")
        self._runner = TaskRunner(self)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self.model = LotTableModel(self)
        self.document = WorkspaceDocument(
            self._snapshot,
            self._apply_workspace,
            self,
            other_task_running=lambda: self._import_task is not None,
            busy=self._busy,
            autosave_interval_ms=autosave_interval_ms,
        )
        self.lot_actions = self._build_actions()
        self._build_ui()
        self._connect()
        self.document.start()
        self._schedule_recompute()

    # -- layout -------------------------------------------------------------------------------
    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self._build_banner())
        self.inputs = InputsBar(self._repo)
        layout.addWidget(self.inputs)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._build_lot_side())
        splitter.addWidget(self._build_result_side())
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([430, 570])
        layout.addWidget(splitter, 1)
        layout.addLayout(self._build_status_row())

    def _build_banner(self) -> QFrame:
        self.banner = QFrame()
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.banner.setAutoFillBackground(True)
        self.banner.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        row = QHBoxLayout(self.banner)
        icon = QLabel()
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation).pixmap(20)
        )
        self.banner_text = QLabel(
            "A workspace autosaved before the app last closed unexpectedly can be recovered."
        )
        self.banner_text.setWordWrap(True)
        self.recover_button = QPushButton("Recover")
        self.discard_recovery_button = QPushButton("Discard")
        row.addWidget(icon)
        row.addWidget(self.banner_text, 1)
        row.addWidget(self.recover_button)
        row.addWidget(self.discard_recovery_button)
        self.banner.setVisible(False)
        return self.banner

    def _action(self, text: str, tip: str, pixmap: QStyle.StandardPixmap) -> QAction:
        action = QAction(self.style().standardIcon(pixmap), text, self)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        return action

    def _build_actions(self) -> WorkspaceActions:
        """The workspace's commands (their keys are the lot table's: Del and Ctrl+V there)."""
        pix = QStyle.StandardPixmap
        actions = WorkspaceActions(
            add_lot=self._action("Add", "Add an empty lot row", pix.SP_FileIcon),
            delete_lots=self._action("Delete", "Delete the selected rows (Del)", pix.SP_TrashIcon),
            paste_lots=self._action(
                "Paste",
                "Paste rows copied from a spreadsheet or text (Ctrl+V): purchase date, "
                "shares, lot id; tab- or comma-separated, header optional",
                pix.SP_DialogApplyButton,
            ),
            import_lots=self._action(
                "Import CSV…",
                "Replace the table with a lot file (you can also drop a .csv file on the table)",
                pix.SP_DialogOpenButton,
            ),
        )
        actions.add_lot.triggered.connect(self._on_add_lot_triggered)
        actions.delete_lots.triggered.connect(self._on_delete_lots_triggered)
        actions.paste_lots.triggered.connect(self._on_paste_lots_triggered)
        actions.import_lots.triggered.connect(self._on_import_lots_triggered)
        return actions

    @staticmethod
    def _tool(action: QAction) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        return button

    def _build_lot_side(self) -> QWidget:
        side = QWidget()
        layout = QVBoxLayout(side)
        layout.setContentsMargins(0, 0, 0, 0)
        tools = QHBoxLayout()
        self.add_button = self._tool(self.lot_actions.add_lot)
        self.delete_button = self._tool(self.lot_actions.delete_lots)
        self.paste_button = self._tool(self.lot_actions.paste_lots)
        self.import_button = self._tool(self.lot_actions.import_lots)
        for button in (self.add_button, self.delete_button, self.paste_button, self.import_button):
            tools.addWidget(button)
        tools.addStretch(1)
        self.lot_count_label = QLabel()
        tools.addWidget(self.lot_count_label)
        layout.addLayout(tools)
        self.table = LotTableView(self.model)
        layout.addWidget(self.table, 1)
        self.excluded_row = QWidget()
        excluded = QHBoxLayout(self.excluded_row)
        excluded.setContentsMargins(0, 0, 0, 0)
        warning = QLabel()
        warning.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(16)
        )
        self.excluded_label = QLabel()
        excluded.addWidget(warning)
        excluded.addWidget(self.excluded_label, 1)
        self.excluded_row.setToolTip(
            "Rows with a cell that does not parse are left out of the computation. "
            "Hover a red cell for the reason."
        )
        self.excluded_row.setVisible(False)
        layout.addWidget(self.excluded_row)
        return side

    def _build_result_side(self) -> QWidget:
        self.tabs = QTabWidget()
        self.tabs.setUsesScrollButtons(False)  # every tab in view at laptop widths
        self.tabs.setElideMode(Qt.TextElideMode.ElideRight)
        self.summary = SummaryView()
        self.steps_view, self.steps_model, self.steps_proxy = make_steps_table()
        steps_page = QWidget()
        steps_layout = QVBoxLayout(steps_page)
        steps_layout.setContentsMargins(0, 0, 0, 0)
        self.steps_note = QLabel()
        self.steps_note.setVisible(False)
        steps_layout.addWidget(self.steps_note)
        steps_layout.addWidget(self.steps_view, 1)
        self.timeline = LotTimeline()
        self.method = MethodView()
        self.tabs.addTab(self.summary, "Result")
        self.tabs.addTab(steps_page, "Per lot")
        self.tabs.addTab(self.timeline, "Timeline")
        self.tabs.addTab(self.method, "How calculated")
        return self.tabs

    def _build_status_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setMaximumWidth(220)
        self.progress.setVisible(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setVisible(False)
        row.addWidget(self.status, 1)
        row.addWidget(self.progress)
        row.addWidget(self.cancel_button)
        return row

    def _connect(self) -> None:
        self.inputs.changed.connect(self._on_inputs_changed)
        self.model.rows_changed.connect(self._on_model_rows_changed)
        self._debounce.timeout.connect(self._on_debounce_timeout)
        self.table.paste_requested.connect(self.lot_actions.paste_lots.trigger)
        self.table.delete_requested.connect(self.lot_actions.delete_lots.trigger)
        self.table.file_dropped.connect(self.import_lots_file)
        self.summary.citation_clicked.connect(self.source_requested.emit)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.recover_button.clicked.connect(self._on_recover_button_clicked)
        self.discard_recovery_button.clicked.connect(self._on_discard_recovery_button_clicked)
        document = self.document
        document.autosaved.connect(self.autosaved.emit)
        document.unsaved_changed.connect(self.unsaved_changed.emit)
        document.saved.connect(self.workspace_saved.emit)
        document.loaded.connect(self.workspace_loaded.emit)
        document.failed.connect(self.file_failed.emit)
        document.status.connect(self._on_status_reported)
        document.task_started.connect(self._on_document_task_started)
        document.task_progress.connect(self._on_import_progress)
        document.task_ended.connect(self._on_document_task_ended)
        document.recovery_available.connect(self.banner.setVisible)
        export = self._export
        export.started.connect(self._on_export_started)
        export.progress.connect(self._on_export_progress)
        export.ended.connect(self._on_export_ended)
        export.status.connect(self._on_status_reported)
        export.exported.connect(self.record_exported.emit)
        export.failed.connect(self.record_export_failed.emit)
        export.cancelled.connect(self.record_export_cancelled.emit)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    # -- public API ---------------------------------------------------------------------------
    def preset(self, portfolio_id: str, share_class: ShareClass, redeem_date: dt.date) -> None:
        """Select a portfolio, class and redemption date (from the detail pane).

        Presetting a workspace with no lots is not a change: opening the calculator from the
        detail pane must not make quitting ask to save an empty workspace. With lots in the
        table it is one, since the same lots now give another result than the one saved.
        """
        self._preset_quietly = self.model.rowCount() == 0
        try:
            self.inputs.set_values(portfolio_id, share_class, redeem_date)
        finally:
            self._preset_quietly = False

    def has_unsaved_changes(self) -> bool:
        """True when something changed since the last save or open."""
        return self.document.has_unsaved_changes()

    def current_file(self) -> Path | None:
        """The workspace file last saved or opened."""
        return self.document.path()

    def outcome(self) -> Outcome | None:
        """The latest computed result, if the inputs gave one."""
        return self._outcome

    def confirm_close(self) -> bool:
        """Ask to save unsaved changes; True when it is fine to close."""
        return self.document.confirm_close()

    def shutdown(self) -> None:
        """Clean exit: stop the running work, stop autosaving and remove the autosave file."""
        self._debounce.stop()
        if self._import_task is not None:
            self._import_task.cancel()
        self._export.cancel()
        self.document.shutdown()

    def recovery_available(self) -> bool:
        """True when an autosave from an unclean exit exists."""
        return bool(orphaned_autosaves())

    def recover(self) -> bool:
        """Start loading the newest orphaned autosave on a worker; False if none or busy.

        ``workspace_loaded`` follows; the recovered work counts as unsaved.
        """
        return self.document.recover()

    def discard_recovery(self) -> None:
        """Delete orphaned autosaves without loading them."""
        self.document.discard_recovery()

    def open_workspace_file(self, path: str | Path) -> bool:
        """Start reading a saved workspace on a worker; False when another file task runs.

        ``workspace_loaded`` follows once everything is replaced, or ``file_failed`` (the
        reason also goes to the status line).
        """
        return self.document.open(path)

    def save_workspace_file(
        self, path: str | Path, *, on_done: Callable[[bool], None] | None = None
    ) -> bool:
        """Start writing the workspace atomically on a worker; False when it cannot start.

        ``workspace_saved`` or ``file_failed`` follows (errors also in the status line), then
        ``on_done(succeeded)``. The unsaved flag is cleared only once the file is written, and
        only if nothing changed meanwhile.
        """
        return self.document.save(path, on_done=on_done)

    def import_lots_file(self, path: str | Path) -> None:
        """Read a lot CSV on a worker, preview its errors, then (if accepted) replace the table."""
        if self._import_task is not None:
            self._set_status("An import is already running.", error=True)
            return
        if self.document.task_running():
            self._set_status("Wait until the running save or open has finished.", error=True)
            return
        target = Path(path)
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self._set_status(f"Reading {target.name}…")

        self._import_task = self._runner.start(
            lambda progress, cancelled: _import_job(target, progress, cancelled),
            lambda value: self._on_import_read(target, value),
            self._on_import_failed,
            self._on_import_progress,
            heavy=True,
        )

    def export_csv(self, path: str | Path) -> bool:
        """Write the per-lot walk and totals as formula-safe CSV."""
        if self._outcome is None:
            self._set_status("Nothing to export: there is no result yet.", error=True)
            return False
        try:
            report.write_csv(path, self._outcome, self._report_context(), self._repo.meta())
        except OSError as exc:
            self._set_status(f"Could not write {Path(path).name}: {exc}", error=True)
            return False
        self._set_status(f"Exported the result to {Path(path).name}.")
        return True

    def start_pdf_export(self, path: str | Path, paper: PaperSize | None = None) -> bool:
        """Write the fee record as PDF on a worker (Letter or A4; by default from the locale).

        The window stays responsive; the progress bar and Cancel show meanwhile. Then
        ``record_exported``, ``record_export_failed`` or ``record_export_cancelled``. The file
        is written whole once rendering ends, so a cancelled or failed export leaves no file.
        """
        if self._outcome is None:
            self._set_status("Nothing to export: there is no result yet.", error=True)
            return False
        outcome, context, meta = self._outcome, self._report_context(), self._repo.meta()
        return self._export.start(
            Path(path),
            lambda: report.fee_record(outcome, context, meta),
            paper or printed.default_paper(),
        )

    def cancel_pdf_export(self) -> None:
        """Stop the running PDF export at once: the rendering process ends, nothing is written."""
        self._export.cancel()

    def export_pdf(self, path: str | Path, paper: PaperSize | None = None) -> bool:
        """Write the fee record as PDF and wait (the window keeps painting); True if written."""
        return self._export.wait(lambda: self.start_pdf_export(path, paper))

    def fee_record(self) -> PagedRecord | None:
        """The printable record of the result on display, if there is one."""
        if self._outcome is None:
            return None
        return report.fee_record(self._outcome, self._report_context(), self._repo.meta())

    def suggested_file_name(self, suffix: str) -> str:
        """``Overseas-ServiceII-2012-04-20-fee.pdf`` for the inputs on display."""
        return report.suggested_name(
            self.inputs.portfolio.currentText(),
            self.inputs.share_class.currentText(),
            self.inputs.date(),
            suffix,
        )

    def recompute_now(self) -> None:
        """Compute at once instead of after the debounce pause."""
        self._debounce.stop()
        self._recompute()

    def workspace(self) -> Workspace:
        """The inputs and lot rows as typed, rows in ``#`` order (the FIFO tie-break)."""
        return files.to_workspace(self.model.snapshot()[0], self._inputs())

    # -- workspace state ----------------------------------------------------------------------
    def _inputs(self) -> Workspace:
        share_class = self.inputs.share_class_value()
        return Workspace(
            portfolio_id=self.inputs.portfolio_id(),
            share_class=share_class.value if share_class else None,
            redeem_date=self.inputs.date().isoformat(),
            mode=self.inputs.mode_value(),
            quantity=self.inputs.quantity.text(),
            nav=self.inputs.nav.text(),
        )

    def _snapshot(self) -> Callable[[], Workspace]:
        """Copied on the GUI thread (rows are immutable); the file's text is built on a worker."""
        rows, inputs = self.model.snapshot()[0], self._inputs()
        return lambda: files.to_workspace(rows, inputs)

    def _apply_workspace(self, opened: OpenedWorkspace) -> None:
        workspace = opened.inputs
        redeem = None
        if workspace.redeem_date:
            try:
                redeem = dt.date.fromisoformat(workspace.redeem_date)
            except ValueError:
                self._set_status(f"Ignored the bad date {workspace.redeem_date!r}.", error=True)
        self.inputs.set_values(
            workspace.portfolio_id,
            self._class_or_none(workspace.share_class),
            redeem,
            workspace.mode,
            workspace.quantity,
            workspace.nav,
        )
        self.model.set_rows(opened.rows, invalid=opened.invalid)

    @staticmethod
    def _class_or_none(text: str | None) -> ShareClass | None:
        try:
            return ShareClass.parse(text) if text else None
        except JanusError:
            return None

    def _report_context(self) -> report.ReportContext:
        mode = self.inputs.mode_value()
        return report.ReportContext(
            portfolio=self.inputs.portfolio.currentText(),
            share_class=self.inputs.share_class.currentText(),
            mode=self.inputs.mode.currentText(),
            quantity="" if mode == RedeemMode.ALL else self.inputs.quantity.text(),
            excluded_rows=(
                self._outcome.excluded_rows if self._outcome else self.model.invalid_count()
            ),
        )

    def _busy(self) -> bool:
        """True while an import or a large computation runs (autosave waits)."""
        return self._import_task is not None or self._runner.running() > 0

    def _on_status_reported(self, text: str, error: bool) -> None:
        self._set_status(text, error=error)

    def _on_document_task_started(self, text: str) -> None:
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self._set_status(text)

    def _on_document_task_ended(self) -> None:
        self.progress.setVisible(False)
        self.file_task_ended.emit()

    # -- computing ----------------------------------------------------------------------------
    def _schedule_recompute(self) -> None:
        self._debounce.start()

    def _fee_rule(self, redeem_date: dt.date) -> FeeRule:
        pid, share_class = self.inputs.portfolio_id(), self.inputs.share_class_value()
        if pid is None or share_class is None:
            raise InputError("choose a portfolio and a share class")
        return self._fee_rule_for(self._repo, pid, share_class, redeem_date)

    def _recompute(self) -> None:
        self._token += 1
        token = self._token
        rows, seqs = self.model.snapshot()
        excluded = self.model.invalid_count()
        try:
            request = make_request(
                self.inputs.date(),
                self.inputs.mode_value(),
                self.inputs.quantity.text(),
                self.inputs.nav.text(),
            )
            rule = self._fee_rule(request.redeem_date)
            if len(rows) - excluded <= 0:
                raise InputError("the lot table has no valid rows yet")
            if len(rows) <= SYNC_LIMIT:
                columns = LotColumns.from_rows(rows, seqs)
                self._on_outcome(token, compute(columns, request, rule, excluded))
                return
        except JanusError as exc:
            self._on_compute_failed(token, str(exc))
            return
        self._set_status(f"Computing {len(rows) - excluded:,} lots…")
        self._runner.start(
            lambda _p, _c: compute(LotColumns.from_rows(rows, seqs), request, rule, excluded),
            lambda outcome: self._on_outcome(token, outcome),
            lambda message: self._on_compute_failed(token, message),
            heavy=True,
        )

    def _on_outcome(self, token: int, outcome: object) -> None:
        if token != self._token or not isinstance(outcome, Outcome):
            return  # a newer computation is on its way
        self._show_outcome(outcome)
        self.result_computed.emit(outcome)

    def _show_outcome(self, outcome: Outcome) -> None:
        previous, self._outcome = self._outcome, outcome
        self.summary.show_outcome(outcome)
        walked = len(outcome.result.lots)
        self.steps_model.set_rows(outcome.shown_steps)
        for column in FEE_COLUMNS:  # no yes/no or amount where no source documents the rule
            self.steps_view.setColumnHidden(column, not outcome.fee_known)
        self.steps_note.setVisible(walked > MAX_STEP_ROWS or not outcome.fee_known)
        self.steps_note.setText(
            f"Showing the first {MAX_STEP_ROWS:,} of {walked:,} lots in the walk; "
            "File ▸ Export CSV lists every lot."
            if outcome.fee_known
            else "No source documents the redemption-fee rule on this date, so whether each "
            "lot is subject to a fee cannot be determined; the columns for it are hidden."
        )
        rule = outcome.rule
        self.timeline.set_lots(
            outcome.timeline,
            outcome.result.request.redeem_date,
            rule.holding_period_days if rule.applies else None,
            sorted_by_date=True,  # FIFO order
        )
        self.method.set_rule(rule.holding_period_days, rate_text(rule), outcome.rounding_text())
        self._set_status(
            f"Result updated at {outcome.computed_at:%H:%M:%S} UTC from "
            f"{len(outcome.timeline):,} valid lots."
        )
        dispose(previous)  # the widgets now hold the new result only

    def _on_compute_failed(self, token: int, message: str) -> None:
        if token != self._token:
            return
        previous, self._outcome = self._outcome, None
        self.summary.clear(message[:1].upper() + message[1:])
        self.steps_model.set_rows([])
        self.steps_note.setVisible(False)
        self.timeline.set_lots([], None, None)
        dispose(previous)
        self.computation_failed.emit(message)

    # -- slots --------------------------------------------------------------------------------
    def _on_inputs_changed(self) -> None:
        if not self._preset_quietly:
            self.document.mark_changed()
        self._schedule_recompute()

    def _on_model_rows_changed(self) -> None:
        self.document.mark_changed()
        self._update_counts()
        self._schedule_recompute()

    def _update_counts(self) -> None:
        total, bad = self.model.rowCount(), self.model.invalid_count()
        self.lot_count_label.setText(f"{total:,} row{'s' * (total != 1)}")
        self.excluded_row.setVisible(bad > 0)
        self.excluded_label.setText(
            f"{bad:,} row{'s' * (bad != 1)} excluded — see red cells" if bad else ""
        )

    def _on_add_lot_triggered(self) -> None:
        row = self.model.add_empty_row()
        index = self.model.index(row, 1)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        self.table.edit(index)

    def _on_delete_lots_triggered(self) -> None:
        rows = self.table.selected_source_rows()
        if rows:
            self.model.remove_row_numbers(rows)
            self._set_status(f"Deleted {len(rows):,} row{'s' * (len(rows) != 1)}.")

    def paste_text(self, text: str) -> int:
        """Append rows parsed from pasted text; returns how many were added."""
        rows = [row_from_parsed(r) for r in reading.parse_pasted_text(text)]
        self.model.append_rows(rows)
        bad = sum(1 for r in rows if not r.valid)
        message = f"Pasted {len(rows):,} row{'s' * (len(rows) != 1)}"
        self._set_status(message + (f"; {bad:,} with errors." if bad else "."), error=bad > 0)
        return len(rows)

    def _on_paste_lots_triggered(self) -> None:
        text = QGuiApplication.clipboard().text()
        if not text.strip():
            self._set_status("The clipboard holds no text to paste.", error=True)
            return
        self.paste_text(text)

    def _on_import_lots_triggered(self) -> None:
        path = dialogs.ask_open_path(self, "Import lots", "", dialogs.CSV_FILTER)
        if path:
            self.import_lots_file(path)

    # -- PDF export on the worker ----------------------------------------------------------------
    def _on_export_started(self, text: str) -> None:
        self.progress.setRange(0, 0)  # busy until the first page is painted
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self._set_status(text)

    def _on_export_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, 1000)
        self.progress.setValue(round(1000 * done / max(1, total)))

    def _on_export_ended(self) -> None:
        self.progress.setRange(0, 1000)
        if self._import_task is None and not self.document.task_running():
            self.progress.setVisible(False)
            self.cancel_button.setVisible(False)

    def _on_import_progress(self, done: int, total: int) -> None:
        self.progress.setValue(round(1000 * done / max(1, total)))

    def _end_import(self) -> None:
        self._import_task = None
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)

    def _on_import_read(self, target: Path, imported: ImportedLots) -> None:
        self._end_import()
        preview, rows = imported.preview, imported.rows
        if preview.cancelled:
            self._set_status("Import cancelled; the lot table is unchanged.")
            self.import_cancelled.emit()
            return
        if not rows or not ImportPreviewDialog.ask(self, target.name, preview):
            reason = preview.problems[0] if preview.problems else None
            text = f"{target.name}: {reason}" if reason else "Import cancelled."
            self._set_status(text + " The lot table is unchanged.", error=reason is not None)
            self.import_cancelled.emit()
            return
        self.model.set_rows(rows, invalid=imported.invalid)
        self._set_status(f"Imported {len(rows):,} rows from {target.name}.")
        self.import_finished.emit(len(rows))

    def _on_import_failed(self, message: str) -> None:
        self._end_import()
        self._set_status(f"Import failed: {message}. The lot table is unchanged.", error=True)
        self.import_cancelled.emit()

    def _on_cancel_button_clicked(self) -> None:
        if self._export.running():
            self._export.cancel()
        if self._import_task is not None:
            self._import_task.cancel()
            self._set_status("Cancelling the import…")

    def _on_recover_button_clicked(self) -> None:
        self.document.recover()

    def _on_discard_recovery_button_clicked(self) -> None:
        self.document.discard_recovery()

    def _on_debounce_timeout(self) -> None:
        self._recompute()

    def _set_status(self, text: str, *, error: bool = False) -> None:
        text = escaped(text, keep_newlines=True)  # file names and cells: shown, never obeyed
        self.status.setText(text)
        self.status.setProperty("error", error)
        self.status.setToolTip(text)
