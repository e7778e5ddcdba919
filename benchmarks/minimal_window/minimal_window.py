"""The smallest PySide6 window, packaged like the app, as a start-up time baseline.

With ``JANUS_GUI_EXIT_AFTER_PAINT=1`` it quits as soon as its window has been painted once, the
same contract the app's main window honours, so ``scripts/measure_startup.py`` can time both.
"""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


class _QuitAfterFirstPaint(QObject):
    """Quits the application after the watched widget's first paint event.

    With ``JANUS_GUI_FIRST_PAINT_REPORT=1`` it first prints the moment, as the app does
    (``first paint: monotonic <s> cpu <s>``).
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            if os.environ.get("JANUS_GUI_FIRST_PAINT_REPORT") == "1":
                QTimer.singleShot(0, _report_first_paint)
            QTimer.singleShot(0, QApplication.quit)
        return False


def _report_first_paint() -> None:
    sys.stderr.write(
        f"first paint: monotonic {time.monotonic():.6f} cpu {time.process_time():.6f}\n"
    )


def main() -> int:
    """Show one window; quit after its first paint when asked to."""
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.setWindowTitle("Minimal window")
    window.setCentralWidget(QLabel("Hello"))
    window.resize(640, 400)
    watcher = _QuitAfterFirstPaint()
    if os.environ.get("JANUS_GUI_EXIT_AFTER_PAINT") == "1":
        window.centralWidget().installEventFilter(watcher)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
