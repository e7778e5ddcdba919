"""Start the window: stdio guard, logging, crash handler, QApplication, database, MainWindow.

Qt and the window modules are imported inside the functions that need them, so that the CLI,
which imports this module, stays fast, and start-up only pays for what the window shows.
"""

from __future__ import annotations

import logging
import os
import platform
import sys
import traceback
from collections.abc import Sequence
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

_state: dict[str, Any] = {"repo": None, "in_hook": False}


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


def excepthook(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    """Log an unexpected error at CRITICAL and show the crash dialog; the app keeps running."""
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    logger.critical("unexpected error", exc_info=(exc_type, exc, tb))
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None or _state["in_hook"]:
        sys.__excepthook__(exc_type, exc, tb)
        return
    _state["in_hook"] = True
    try:
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


def _quit_after_first_paint(app: QApplication, window: QWidget) -> None:
    from PySide6.QtCore import QEvent, QObject, QTimer

    class _FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)
                logger.info("first paint done; quitting as asked")
                QTimer.singleShot(0, app.quit)
            return False

    window.installEventFilter(_FirstPaint(window))


def main(argv: Sequence[str] | None = None) -> int:
    """Open the window; returns the process exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    guard_stdio()
    configure_logging(userdirs.log_dir())
    sys.excepthook = excepthook
    from janus_gui.core.errors import DataError
    from janus_gui.core.safe_write import install_signal_cleanup

    install_signal_cleanup()

    # The database is opened and checked before Qt loads: the core's modules then load without
    # the import hook PySide6 puts on every later import, and no catalog data is shown unchecked.
    try:
        repo = open_repository()
    except DataError as exc:
        logger.error("cannot open the database: %s", exc)
        _application(arguments)
        report_database_error(str(exc))
        return 1
    app = _application(arguments)
    from janus_gui.ui.main_window import MainWindow
    from janus_gui.ui.settings import AppSettings

    # The first paint shows the skeleton; the detail panel and the restored selection follow.
    window = MainWindow(repo, AppSettings(), deferred_startup=True)
    if wants_exit_after_paint():
        _quit_after_first_paint(app, window)
    window.show()
    code = app.exec()
    repo.close()
    return int(code)
