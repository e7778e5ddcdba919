"""The start-up floor: the smallest PySide6 window, quitting after its first paint.

It honours ``JANUS_GUI_EXIT_AFTER_PAINT=1`` exactly as ``janus_gui.app`` does (an event filter on
the main window that quits on its first ``Paint`` event), so both are timed the same way.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


class _QuitAfterFirstPaint(QObject):
    """Quits the application once the watched window has been painted."""

    def __init__(self, app: QApplication) -> None:
        super().__init__()
        self._app = app

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._app.quit)
        return False


def main() -> int:
    """Show one window with a label; quit after its first paint when asked to."""
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.setWindowTitle("Start-up floor")
    window.setCentralWidget(QLabel("Start-up floor"))
    window.resize(640, 400)
    watcher = _QuitAfterFirstPaint(app)
    if os.environ.get("JANUS_GUI_EXIT_AFTER_PAINT") == "1":
        window.installEventFilter(watcher)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
