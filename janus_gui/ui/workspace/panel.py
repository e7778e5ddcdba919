"""The redemption-fee workspace: lot table in, FIFO walk, fee, planner and timeline out.

Inputs recompute the result after a short pause (debounced); large tables are computed on a
worker and stale results are dropped by a token. Lot files import on a worker with a progress
bar and a Cancel button, and a preview of errors by line comes before the table is replaced.
The workspace autosaves after changes and offers recovery after an unclean exit. Saving,
opening and recovering a workspace file also run on a worker, with the progress bar showing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QPalette
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

from janus_gui.core import asof, safe_write, workspace_file
from janus_gui.core.errors import InputError, JanusError
from janus_gui.core.models import FeeRule, ShareClass
from janus_gui.core.repository import Repository
from janus_gui.core.safe_text import escaped
from janus_gui.core.workspace_file import RedeemMode, Workspace
from janus_gui.ui import printed
from janus_gui.ui.pdf_process import render_pdf_bytes
from janus_gui.ui.printed import PagedRecord, PaperSize
from janus_gui.ui.workspace import dialogs, engine, report
from janus_gui.ui.workspace.autosave import (
    AUTOSAVE_INTERVAL_MS,
    Autosaver,
    load_in_slices,
    orphaned_autosaves,
    release_in_slices,
    write_in_slices,
)
from janus_gui.ui.workspace.dialogs import ImportPreviewDialog, SaveChoice
from janus_gui.ui.workspace.inputs import InputsBar
from janus_gui.ui.workspace.lot_model import LotRow, LotTableModel, row_from_parsed, row_from_text
from janus_gui.ui.workspace.lot_table import LotTableView
from janus_gui.ui.workspace.results_view import (
    FEE_COLUMNS,
    MethodView,
    SummaryView,
    make_steps_table,
)
from janus_gui.ui.workspace.timeline import LotTimeline
from janus_gui.ui.workspace.workers import Task, TaskRunner, dispose

logger = logging.getLogger(__name__)

DEBOUNCE_MS = 250
SYNC_LIMIT = 2000  # lot rows computed on the GUI thread; more go to a worker
MAX_STEP_ROWS = engine.STEP_ROWS_SHOWN  # per-lot breakdown rows shown; the CSV has them all
FeeRuleFor = Callable[[Repository, str, ShareClass, dt.date], FeeRule]
SHUTDOWN_WAIT_MS = 30_000  # a save still running at exit is finished, not cut off


def _read_workspace(path: Path, progress: Callable[[int, int], None]) -> object:
    """Runs on a worker: the file's header, its rows parsed for the table, and the bad-row count.

    Reading is the first half of the progress bar, parsing the rows the second.
    """
    workspace = load_in_slices(path, lambda done, total: progress(done, 2 * total))
    lots = list(workspace.lots)
    header = dataclasses.replace(workspace, lots=())
    del workspace
    rows: list[LotRow] = []
    for number, lot in enumerate(lots, start=1):
        rows.append(row_from_text(lot))
        if number % 1000 == 0:
            progress(len(lots) + number, 2 * len(lots))
    release_in_slices(lots)  # freed here in slices, not in one piece
    return header, rows, sum(1 for r in rows if not r.valid)


def _write_workspace(
    path: Path, build: Callable[[], Workspace], progress: Callable[[int, int], None]
) -> Path:
    """Runs on a worker: serialise in slices, write atomically, free the text rows in slices."""
    workspace = build()
    lots = list(workspace.lots)
    written = write_in_slices(path, workspace, progress)
    del workspace
    release_in_slices(lots)
    return written


def _workspace_from(rows: list[LotRow], header: Workspace) -> Workspace:
    """Runs on the autosave worker: rows to text."""
    lots = tuple(
        workspace_file.LotText(r.date_text, r.shares_text, r.lot_id, r.exempt) for r in rows
    )
    return Workspace(
        header.portfolio_id,
        header.share_class,
        header.redeem_date,
        header.mode,
        header.quantity,
        header.nav,
        lots,
    )


class WorkspacePanel(QWidget):
    """Redemption-fee workspace (see the module docstring)."""

    source_requested = Signal(object)  # Citation
    result_computed = Signal(object)  # engine.Outcome
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
        self._file_path: Path | None = None
        self._dirty = False
        self._edits = 0  # changes so far; a save clears the unsaved flag only if none came since
        self._file_task: Task | None = None
        self._preset_quietly = False  # inputs set by ``preset`` on an empty table
        self._token = 0
        self._outcome: engine.Outcome | None = None
        self._import_task: Task | None = None
        self._export_task: Task | None = None
        self._runner = TaskRunner(self)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self.model = LotTableModel(self)
        self._autosaver = Autosaver(
            self._autosave_snapshot, autosave_interval_ms, self, busy=self._busy
        )
        self._build_ui()
        self._connect()
        self._autosaver.start()
        self._show_recovery_banner(bool(orphaned_autosaves()))
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

    def _tool(self, text: str, tip: str, pixmap: QStyle.StandardPixmap) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setIcon(self.style().standardIcon(pixmap))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        return button

    def _build_lot_side(self) -> QWidget:
        side = QWidget()
        layout = QVBoxLayout(side)
        layout.setContentsMargins(0, 0, 0, 0)
        tools = QHBoxLayout()
        pix = QStyle.StandardPixmap
        self.add_button = self._tool("Add", "Add an empty lot row", pix.SP_FileIcon)
        self.delete_button = self._tool(
            "Delete", "Delete the selected rows (Del)", pix.SP_TrashIcon
        )
        self.paste_button = self._tool(
            "Paste",
            "Paste rows copied from a spreadsheet or text (Ctrl+V): purchase date, "
            "shares, lot id; tab- or comma-separated, header optional",
            pix.SP_DialogApplyButton,
        )
        self.import_button = self._tool(
            "Import CSV…",
            "Replace the table with a lot file (you can also drop a .csv file on the table)",
            pix.SP_DialogOpenButton,
        )
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
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.delete_button.clicked.connect(self._on_table_delete_requested)
        self.paste_button.clicked.connect(self._on_table_paste_requested)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.table.paste_requested.connect(self._on_table_paste_requested)
        self.table.delete_requested.connect(self._on_table_delete_requested)
        self.table.file_dropped.connect(self.import_lots_file)
        self.summary.citation_clicked.connect(self.source_requested.emit)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.recover_button.clicked.connect(self._on_recover_button_clicked)
        self.discard_recovery_button.clicked.connect(self._on_discard_recovery_button_clicked)
        self._autosaver.autosaved.connect(self.autosaved.emit)
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
        return self._dirty

    def current_file(self) -> Path | None:
        """The workspace file last saved or opened."""
        return self._file_path

    def outcome(self) -> engine.Outcome | None:
        """The latest computed result, if the inputs gave one."""
        return self._outcome

    def confirm_close(self) -> bool:
        """Ask to save unsaved changes; True when it is fine to close."""
        self._wait_for_file_task()  # a save in flight may leave nothing to ask about
        if not self._dirty:
            return True
        choice = dialogs.ask_save_changes(self)
        if choice == SaveChoice.CANCEL:
            return False
        if choice == SaveChoice.DISCARD:
            return True
        path = self._file_path or self._ask_workspace_path()
        if path is None:
            return False
        return self._save_and_wait(path)

    def _wait_for_file_task(self) -> None:
        """Run the event loop (the window keeps painting) until a running save or open ends."""
        if self._file_task is None:
            return
        loop = QEventLoop(self)
        self.file_task_ended.connect(loop.quit)
        try:
            if self._file_task is not None:
                loop.exec()
        finally:
            self.file_task_ended.disconnect(loop.quit)

    def _save_and_wait(self, path: Path) -> bool:
        """Save on the worker while the window keeps painting; True when the file was written."""
        finished: list[bool] = []
        loop = QEventLoop(self)

        def done(ok: bool) -> None:
            finished.append(ok)
            loop.quit()

        if not self.save_workspace_file(path, on_done=done):
            return False
        if not finished:
            loop.exec()
        return finished[0]

    def shutdown(self) -> None:
        """Clean exit: stop autosaving and remove the autosave file."""
        self._debounce.stop()
        if self._import_task is not None:
            self._import_task.cancel()
        if self._export_task is not None:
            self._export_task.cancel()
        if self._file_task is not None:
            QThreadPool.globalInstance().waitForDone(SHUTDOWN_WAIT_MS)
        self._autosaver.shutdown()

    def recovery_available(self) -> bool:
        """True when an autosave from an unclean exit exists."""
        return bool(orphaned_autosaves())

    def recover(self) -> bool:
        """Start loading the newest orphaned autosave on a worker; False if none or busy.

        ``workspace_loaded`` follows; the recovered work counts as unsaved.
        """
        found = orphaned_autosaves()
        if not found:
            self._show_recovery_banner(False)
            return False
        return self._start_reading(
            found[0], "the autosave", lambda value: self._on_recovered(found, value)
        )

    def discard_recovery(self) -> None:
        """Delete orphaned autosaves without loading them."""
        for path in orphaned_autosaves():
            path.unlink(missing_ok=True)
        self._show_recovery_banner(False)

    def open_workspace_file(self, path: str | Path) -> bool:
        """Start reading a saved workspace on a worker; False when another file task runs.

        ``workspace_loaded`` follows once everything is replaced, or ``file_failed`` (the
        reason also goes to the status line).
        """
        target = Path(path)
        return self._start_reading(
            target, target.name, lambda value: self._on_opened(target, value)
        )

    def save_workspace_file(
        self, path: str | Path, *, on_done: Callable[[bool], None] | None = None
    ) -> bool:
        """Start writing the workspace atomically on a worker; False when it cannot start.

        ``workspace_saved`` or ``file_failed`` follows (errors also in the status line), then
        ``on_done(succeeded)``. The unsaved flag is cleared only once the file is written, and
        only if nothing changed meanwhile.
        """
        if not self._may_start_file_task():
            return False
        target = Path(path)
        build, edits = self._autosave_snapshot(), self._edits
        self._begin_file_task(f"Saving {target.name}…")
        self._file_task = self._runner.start(
            lambda progress, _cancelled: _write_workspace(target, build, progress),
            lambda _written: self._on_saved(target, edits, on_done),
            lambda message: self._on_save_failed(target, message, on_done),
            self._on_import_progress,
            heavy=True,
        )
        return True

    def import_lots_file(self, path: str | Path) -> None:
        """Read a lot CSV on a worker, preview its errors, then (if accepted) replace the table."""
        if self._import_task is not None:
            self._set_status("An import is already running.", error=True)
            return
        if not self._may_start_file_task():
            return
        target = Path(path)
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self._set_status(f"Reading {target.name}…")

        def job(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> object:
            imported = engine.read_lot_csv(target, progress, cancelled)
            rows = [] if imported.cancelled else [row_from_parsed(r) for r in imported.rows]
            preview = engine.preview_of(imported)
            engine.release(imported.rows)  # freed here, not on the GUI thread
            return preview, rows, sum(1 for r in rows if not r.valid)

        self._import_task = self._runner.start(
            job,
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
        The record is rendered in a child process (``ui.pdf_process``).
        """
        if self._outcome is None:
            self._set_status("Nothing to export: there is no result yet.", error=True)
            return False
        if self._export_task is not None:
            self._set_status("A PDF export is already running.", error=True)
            return False
        target = Path(path)
        outcome, context, meta = self._outcome, self._report_context(), self._repo.meta()
        chosen = paper or printed.default_paper()

        def job(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> object:
            record = report.fee_record(outcome, context, meta)
            data = render_pdf_bytes(record, chosen, progress, cancelled)
            if data is None or cancelled():
                return None
            return safe_write.write_bytes(target, data)

        self.progress.setRange(0, 0)  # busy until the first page is painted
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self._set_status(f"Writing the fee record to {target.name}…")
        task = self._runner.start(
            job,
            lambda written: self._on_export_done(task, target, written),
            lambda message: self._on_export_failed(task, target, message),
            lambda done, total: self._on_export_progress(task, done, total),
            heavy=True,
        )
        self._export_task = task
        return True

    def cancel_pdf_export(self) -> None:
        """Stop the running PDF export at once: the rendering process ends, nothing is written."""
        task = self._export_task
        if task is None:
            return
        task.cancel()
        self._end_export()
        self._set_status("PDF export cancelled; no file was written.")
        self.record_export_cancelled.emit()

    def export_pdf(self, path: str | Path, paper: PaperSize | None = None) -> bool:
        """Write the fee record as PDF and wait (the window keeps painting); True if written."""
        ended: list[bool] = []
        loop = QEventLoop(self)

        def done(ok: bool) -> None:
            ended.append(ok)
            loop.quit()

        signals = (
            (self.record_exported, lambda _path: done(True)),
            (self.record_export_failed, lambda _message: done(False)),
            (self.record_export_cancelled, lambda: done(False)),
        )
        for signal, slot in signals:
            signal.connect(slot)
        try:
            if not self.start_pdf_export(path, paper):
                return False
            if not ended:
                loop.exec()
        finally:
            for signal, slot in signals:
                signal.disconnect(slot)
        return ended[0]

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
        return _workspace_from(self.model.snapshot()[0], self._header())

    # -- workspace state ----------------------------------------------------------------------
    def _header(self) -> Workspace:
        share_class = self.inputs.share_class_value()
        return Workspace(
            portfolio_id=self.inputs.portfolio_id(),
            share_class=share_class.value if share_class else None,
            redeem_date=self.inputs.date().isoformat(),
            mode=self.inputs.mode_value(),
            quantity=self.inputs.quantity.text(),
            nav=self.inputs.nav.text(),
        )

    def _autosave_snapshot(self) -> Callable[[], Workspace]:
        rows, header = self.model.snapshot()[0], self._header()
        return lambda: _workspace_from(rows, header)

    def _apply_workspace(self, workspace: Workspace, rows: list[LotRow], invalid: int) -> None:
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
        self.model.set_rows(rows, invalid=invalid)

    @staticmethod
    def _class_or_none(text: str | None) -> ShareClass | None:
        try:
            return ShareClass.parse(text) if text else None
        except JanusError:
            return None

    def _set_dirty(self, dirty: bool) -> None:
        changed = dirty != self._dirty
        self._dirty = dirty
        if dirty:
            self._edits += 1
            self._autosaver.mark_dirty()
        if changed:
            self.unsaved_changed.emit(dirty)

    def _show_recovery_banner(self, visible: bool) -> None:
        self.banner.setVisible(visible)

    def _ask_workspace_path(self) -> Path | None:
        path = dialogs.ask_save_path(
            self,
            "Save workspace",
            "redemption" + workspace_file.SUFFIX,
            dialogs.WORKSPACE_FILTER,
        )
        return Path(path) if path else None

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
        """True while an import, a file task or a large computation runs (autosave waits)."""
        return self._import_task is not None or self._runner.running() > 0

    # -- workspace files on the worker ------------------------------------------------------------
    def _may_start_file_task(self) -> bool:
        if self._file_task is None and self._import_task is None:
            return True
        self._set_status("Wait until the running import, save or open has finished.", error=True)
        return False

    def _begin_file_task(self, text: str) -> None:
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self._set_status(text)

    def _end_file_task(self) -> None:
        self._file_task = None
        self.progress.setVisible(False)
        self.file_task_ended.emit()

    def _start_reading(self, path: Path, name: str, on_read: Callable[[object], None]) -> bool:
        if not self._may_start_file_task():
            return False
        self._begin_file_task(f"Opening {name}…")
        self._file_task = self._runner.start(
            lambda progress, _cancelled: _read_workspace(path, progress),
            on_read,
            lambda message: self._on_read_failed(name, message),
            self._on_import_progress,
            heavy=True,
        )
        return True

    def _on_saved(self, path: Path, edits: int, on_done: Callable[[bool], None] | None) -> None:
        self._end_file_task()
        self._file_path = path
        if self._edits == edits:  # a change made while saving is not in the file
            self._set_dirty(False)
        self._set_status(f"Saved {path.name}.")
        self.workspace_saved.emit(str(path))
        if on_done is not None:
            on_done(True)

    def _on_save_failed(
        self, path: Path, message: str, on_done: Callable[[bool], None] | None
    ) -> None:
        self._end_file_task()
        self._fail(f"Could not save {path.name}: {message}")
        if on_done is not None:
            on_done(False)

    def _on_read_failed(self, name: str, message: str) -> None:
        self._end_file_task()
        self._fail(f"Could not open {name}: {message}")

    def _fail(self, text: str) -> None:
        self._set_status(text, error=True)
        self.file_failed.emit(text)

    def _on_opened(self, path: Path, value: object) -> None:
        self._end_file_task()
        header, rows, invalid = value  # type: ignore[misc]
        self._apply_workspace(header, rows, invalid)
        self._file_path = path
        self._set_dirty(False)
        self._set_status(f"Opened {path.name}.")
        self.workspace_loaded.emit(str(path))

    def _on_recovered(self, found: list[Path], value: object) -> None:
        self._end_file_task()
        header, rows, invalid = value  # type: ignore[misc]
        self._apply_workspace(header, rows, invalid)
        for path in found:
            path.unlink(missing_ok=True)
        self._file_path = None
        self._set_dirty(True)
        self._show_recovery_banner(False)
        self._set_status(f"Recovered {self.model.rowCount():,} lot rows from the autosave.")
        self.workspace_loaded.emit(str(found[0]))

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
            request = engine.make_request(
                self.inputs.date(),
                self.inputs.mode_value(),
                self.inputs.quantity.text(),
                self.inputs.nav.text(),
            )
            rule = self._fee_rule(request.redeem_date)
            if len(rows) - excluded <= 0:
                raise InputError("the lot table has no valid rows yet")
            if len(rows) <= SYNC_LIMIT:
                columns = engine.LotColumns.from_rows(rows, seqs)
                self._on_outcome(token, engine.compute(columns, request, rule, excluded))
                return
        except JanusError as exc:
            self._on_compute_failed(token, str(exc))
            return
        self._set_status(f"Computing {len(rows) - excluded:,} lots…")
        self._runner.start(
            lambda _p, _c: engine.compute(
                engine.LotColumns.from_rows(rows, seqs), request, rule, excluded
            ),
            lambda outcome: self._on_outcome(token, outcome),
            lambda message: self._on_compute_failed(token, message),
            heavy=True,
        )

    def _on_outcome(self, token: int, outcome: object) -> None:
        if token != self._token or not isinstance(outcome, engine.Outcome):
            return  # a newer computation is on its way
        self._show_outcome(outcome)
        self.result_computed.emit(outcome)

    def _show_outcome(self, outcome: engine.Outcome) -> None:
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
        self.method.set_rule(
            rule.holding_period_days, engine.rate_text(rule), outcome.rounding_text()
        )
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
            self._set_dirty(True)
        self._schedule_recompute()

    def _on_model_rows_changed(self) -> None:
        self._set_dirty(True)
        self._update_counts()
        self._schedule_recompute()

    def _update_counts(self) -> None:
        total, bad = self.model.rowCount(), self.model.invalid_count()
        self.lot_count_label.setText(f"{total:,} row{'s' * (total != 1)}")
        self.excluded_row.setVisible(bad > 0)
        self.excluded_label.setText(
            f"{bad:,} row{'s' * (bad != 1)} excluded — see red cells" if bad else ""
        )

    def _on_add_button_clicked(self) -> None:
        row = self.model.add_empty_row()
        index = self.model.index(row, 1)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        self.table.edit(index)

    def _on_table_delete_requested(self) -> None:
        rows = self.table.selected_source_rows()
        if rows:
            self.model.remove_row_numbers(rows)
            self._set_status(f"Deleted {len(rows):,} row{'s' * (len(rows) != 1)}.")

    def paste_text(self, text: str) -> int:
        """Append rows parsed from pasted text; returns how many were added."""
        rows = [row_from_parsed(r) for r in engine.parse_pasted_text(text)]
        self.model.append_rows(rows)
        bad = sum(1 for r in rows if not r.valid)
        message = f"Pasted {len(rows):,} row{'s' * (len(rows) != 1)}"
        self._set_status(message + (f"; {bad:,} with errors." if bad else "."), error=bad > 0)
        return len(rows)

    def _on_table_paste_requested(self) -> None:
        text = QGuiApplication.clipboard().text()
        if not text.strip():
            self._set_status("The clipboard holds no text to paste.", error=True)
            return
        self.paste_text(text)

    def _on_import_button_clicked(self) -> None:
        path = dialogs.ask_open_path(self, "Import lots", "", dialogs.CSV_FILTER)
        if path:
            self.import_lots_file(path)

    # -- PDF export on the worker ----------------------------------------------------------------
    def _end_export(self) -> None:
        self._export_task = None
        self.progress.setRange(0, 1000)
        if self._import_task is None and self._file_task is None:
            self.progress.setVisible(False)
            self.cancel_button.setVisible(False)

    def _on_export_progress(self, task: Task, done: int, total: int) -> None:
        if task is self._export_task:
            self.progress.setRange(0, 1000)
            self.progress.setValue(round(1000 * done / max(1, total)))

    def _on_export_done(self, task: Task, target: Path, written: object) -> None:
        if task is not self._export_task:  # cancelled: the user was told already
            if written is not None:
                self._set_status(
                    f"{target.name} was written before the cancel took effect.", error=True
                )
            return
        self._end_export()
        if written is None:
            self._set_status("PDF export cancelled; no file was written.")
            self.record_export_cancelled.emit()
            return
        self._set_status(f"Wrote the fee record to {target.name}.")
        self.record_exported.emit(str(written))

    def _on_export_failed(self, task: Task, target: Path, message: str) -> None:
        if task is not self._export_task:
            return
        self._end_export()
        self._set_status(f"Could not write {target.name}: {message}", error=True)
        self.record_export_failed.emit(message)

    def _on_import_progress(self, done: int, total: int) -> None:
        self.progress.setValue(round(1000 * done / max(1, total)))

    def _end_import(self) -> None:
        self._import_task = None
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)

    def _on_import_read(self, target: Path, value: object) -> None:
        self._end_import()
        preview, rows, invalid = value  # type: ignore[misc]
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
        self.model.set_rows(rows, invalid=invalid)
        self._set_status(f"Imported {len(rows):,} rows from {target.name}.")
        self.import_finished.emit(len(rows))

    def _on_import_failed(self, message: str) -> None:
        self._end_import()
        self._set_status(f"Import failed: {message}. The lot table is unchanged.", error=True)
        self.import_cancelled.emit()

    def _on_cancel_button_clicked(self) -> None:
        if self._export_task is not None:
            self.cancel_pdf_export()
        if self._import_task is not None:
            self._import_task.cancel()
            self._set_status("Cancelling the import…")

    def _on_recover_button_clicked(self) -> None:
        self.recover()

    def _on_discard_recovery_button_clicked(self) -> None:
        self.discard_recovery()

    def _on_debounce_timeout(self) -> None:
        self._recompute()

    def _set_status(self, text: str, *, error: bool = False) -> None:
        text = escaped(text, keep_newlines=True)  # file names and cells: shown, never obeyed
        self.status.setText(text)
        self.status.setProperty("error", error)
        self.status.setToolTip(text)
