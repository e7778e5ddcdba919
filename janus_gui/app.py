"""Start the window: stdio guard, crash handler, database, QApplication, MainWindow, logging.

Qt and the window modules are imported inside the functions that need them, so that the CLI,
which imports this module, stays fast, and start-up only pays for what the window shows. The log
file (platformdirs, a rotating handler) and the clean-up of half-written files on a signal are
set up right after the first paint, or at once when start-up fails before it.
``JANUS_GUI_STARTUP_TRACE=1`` prints the time of each start-up step to stderr (docs/benchmarks.md).
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from janus_gui import APP_ID, APP_NAME, DESKTOP_ID, __version__, paths, userdirs
from janus_gui.log import configure_logging, log_file_path

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from janus_gui.core.repository import Repository

logger = logging.getLogger(__name__)

# Start-up is measured (benchmarks/run.py, scripts/measure_startup.py on the packaged app) by
# starting the window with this set to 1: it quits right after its first paint.
EXIT_AFTER_PAINT_ENV = "JANUS_GUI_EXIT_AFTER_PAINT"
STARTUP_TRACE_ENV = "JANUS_GUI_STARTUP_TRACE"
# scripts/measure_startup.py: report the moment of the first paint (the benchmark's floor, a
# bare window, reports it the same way), so the time to the first window can be told apart from
# the time the process takes to exit.
FIRST_PAINT_REPORT_ENV = "JANUS_GUI_FIRST_PAINT_REPORT"

_state: dict[str, Any] = {"repo": None, "in_hook": False, "set_up": False}
_TRACE_ORIGIN = time.perf_counter() if os.environ.get(STARTUP_TRACE_ENV) == "1" else None


def trace_startup(step: str) -> None:
    """With ``JANUS_GUI_STARTUP_TRACE=1``, one line: ``startup: <wall> ms, cpu <cpu> ms: <step>``.

    Wall time counts from this module's import; CPU time is the process's since it started.
    """
    if _TRACE_ORIGIN is not None and sys.stderr is not None:
        wall_ms = (time.perf_counter() - _TRACE_ORIGIN) * 1000
        cpu_ms = time.process_time() * 1000
        sys.stderr.write(f"startup: {wall_ms:7.1f} ms, cpu {cpu_ms:7.1f} ms: {step}\n")


def report_first_paint() -> None:
    """``first paint: monotonic <s> cpu <s>``: the system's monotonic clock and this process's
    CPU time, read by the benchmark against its own clock at launch."""
    if sys.stderr is not None:
        sys.stderr.write(
            f"first paint: monotonic {time.monotonic():.6f} cpu {time.process_time():.6f}\n"
        )


def finish_setup() -> None:
    """The log file and the signal clean-up: once, after the first paint or on an early error."""
    if _state["set_up"]:
        return
    _state["set_up"] = True
    configure_logging(userdirs.log_dir())
    from janus_gui.core.safe_write import install_signal_cleanup

    install_signal_cleanup()
    trace_startup("logging and signal clean-up set up")


def guard_stdio() -> None:
    """Point missing standard streams at ``os.devnull`` (windowed frozen builds have none)."""
    for name, mode in (("stdin", "r"), ("stdout", "w"), ("stderr", "w")):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, mode, encoding="utf-8"))  # noqa: SIM115


def database_user_version(path: Path) -> str:
    """``PRAGMA user_version`` of the database file, or why it cannot be read."""
    import sqlite3

    try:
        uri = Path(path).resolve().as_uri() + "?mode=ro"
        with sqlite3.connect(uri, uri=True) as connection:
            return str(connection.execute("PRAGMA user_version").fetchone()[0])
    except (sqlite3.Error, OSError, ValueError) as exc:
        return f"unreadable ({exc})"


def crash_details() -> dict[str, str]:
    """Facts a bug report needs: versions, OS, database and log locations."""
    try:
        import PySide6
        from PySide6.QtCore import qVersion

        qt = f"Qt {qVersion()}, PySide6 {PySide6.__version__}"
    except ImportError:  # pragma: no cover - PySide6 is a hard dependency of the window
        qt = "not available"
    import platform

    database = paths.database_path()
    return {
        "App": f"{APP_NAME} {__version__}",
        "Python": sys.version.split()[0],
        "Qt": qt,
        "OS": platform.platform(),
        "Database": str(database),
        "Database user_version": database_user_version(database),
        "Log file": str(log_file_path() or "not configured"),
    }


def excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Log an unexpected error at CRITICAL and show the crash dialog; the app keeps running."""
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    finish_setup()  # an error before the first paint is logged to the file too
    logger.critical("unexpected error", exc_info=(exc_type, exc, tb))
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None or _state["in_hook"]:
        sys.__excepthook__(exc_type, exc, tb)
        return
    _state["in_hook"] = True
    try:
        import traceback

        from janus_gui.ui.dialogs import CrashDialog

        text = "".join(traceback.format_exception(exc_type, exc, tb))
        summary = f"{exc_type.__name__}: {exc}"
        parent = QApplication.activeWindow()
        CrashDialog(summary, text, crash_details(), parent).exec()
    finally:
        _state["in_hook"] = False


def wants_exit_after_paint() -> bool:
    """Start-up measurements start the app and quit right after the first paint."""
    return os.environ.get(EXIT_AFTER_PAINT_ENV) == "1"


def _application(argv: Sequence[str]) -> QApplication:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *argv])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_ID)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(DESKTOP_ID)  # Wayland matches it to the .desktop file name
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(userdirs.config_dir())
    )
    try:
        from janus_gui.ui.icons import app_icon

        app.setWindowIcon(app_icon())
    except ImportError as exc:
        logger.info("no application icon: %s", exc)
    return app


def open_repository() -> Repository:
    """The bundled catalog; raises ``DataError`` naming the file and the repair."""
    from janus_gui.core.repository import Repository

    path = paths.database_path()
    repo = Repository.open(path, immutable=paths.database_is_bundled(path))
    _state["repo"] = repo
    return repo


def report_database_error(message: str) -> None:
    """Tell the user the database cannot be used and how to repair it."""
    from janus_gui.ui.dialogs import show_error

    show_error(None, f"{APP_NAME}: the rules database cannot be opened", message)


def _after_first_paint(window: QWidget, action: Callable[[], object]) -> None:
    """Run ``action`` from the event loop once ``window`` has painted for the first time."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class _FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)
                QTimer.singleShot(0, action)
            return False

    window.installEventFilter(_FirstPaint(window))


def _quit_after_first_paint(app: QApplication, window: QWidget) -> None:
    def quit_now() -> None:
        _state["quit_after_paint"] = True  # logged once the log file is set up
        app.quit()

    _after_first_paint(window, quit_now)


def main(argv: Sequence[str] | None = None) -> int:
    """Open the window; returns the process exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    trace_startup("app.main")
    guard_stdio()
    sys.excepthook = excepthook
    from janus_gui.core.errors import DataError

    # The database is opened and checked before Qt's widgets load, so no catalog data is shown
    # unchecked (from a checkout its modules also load before PySide6's import hook).
    try:
        repo = open_repository()
    except DataError as exc:
        finish_setup()
        logger.error("cannot open the database: %s", exc)
        _application(arguments)
        report_database_error(str(exc))
        return 1
    trace_startup("database opened and verified")
    app = _application(arguments)
    trace_startup("QApplication created")
    from janus_gui.ui.main_window import MainWindow
    from janus_gui.ui.settings import AppSettings

    trace_startup("window modules imported")
    # The first paint shows the skeleton; the detail panel and the restored selection follow.
    window = MainWindow(repo, AppSettings(), deferred_startup=True)
    trace_startup("window built")
    # Qt calls the filter installed last first: the trace line, then a benchmark's quit, then
    # the set-up, which, like the detail panel, comes after what the first paint needs.
    _after_first_paint(window, finish_setup)
    if wants_exit_after_paint():
        _quit_after_first_paint(app, window)
    _after_first_paint(window, lambda: trace_startup("first paint"))
    if os.environ.get(FIRST_PAINT_REPORT_ENV) == "1":
        _after_first_paint(window, report_first_paint)
    window.show()
    code = app.exec()
    finish_setup()  # a window closed before it painted still leaves its log
    if _state.get("quit_after_paint"):
        logger.info("first paint done; quitting as asked")
    repo.close()
    return int(code)
