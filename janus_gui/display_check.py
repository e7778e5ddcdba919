"""``janus-gui --display-check SCREENSHOT.png``: the window on a real display, driven by keys.

The self-test renders offscreen; this runs on the platform the machine gives Qt (``xcb`` under
X11 or Xvfb), so the window-system plugin and the libraries it opens at run time are exercised:
open the main window, wait until the display shows it, type the CUSIP ``471021709`` into the
search field with key events and press Enter, wait until Overseas Portfolio, Institutional shares
is shown, take a screenshot from the display (not a re-rendering), and close the window.
Settings go to a throw-away file. Prints one line and exits 0, or 1 naming the step that failed.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

CUSIP = "471021709"
EXPECTED_TITLE = "Overseas Portfolio — Institutional"
STEP_TIMEOUT_S = 20.0
MIN_SCREENSHOT_COLOURS = 8  # a blank or single-colour capture has one or two


class DisplayCheckError(Exception):
    """A step of the display check did not happen."""


def _wait_until(app: Any, condition: Callable[[], bool], what: str) -> None:
    """Process events until ``condition`` holds; a step that never completes fails by name."""
    from PySide6.QtCore import QEventLoop

    deadline = time.monotonic() + STEP_TIMEOUT_S
    while not condition():
        if time.monotonic() > deadline:
            raise DisplayCheckError(f"{what}: not done after {STEP_TIMEOUT_S:.0f} s")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def _type(app: Any, widget: Any, text: str) -> None:
    """Key presses and releases, one character at a time, as a keyboard sends them."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent

    for char in text:
        key = Qt.Key(ord(char.upper()))
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            app.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char))


def _press_enter(app: Any, widget: Any) -> None:
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent

    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        app.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier))


def _screenshot(window: Any) -> Any:
    """The window as the display shows it (grabbed from the screen, not re-rendered)."""
    screen = window.screen()
    if screen is None:
        raise DisplayCheckError("the window is on no screen")
    return screen.grabWindow(window.winId()).toImage()


def _colours(image: Any) -> int:
    """Distinct colours on a coarse grid (enough to tell a drawn window from a blank one)."""
    step_x, step_y = max(1, image.width() // 64), max(1, image.height() // 64)
    return len(
        {
            image.pixel(x, y)
            for x in range(0, image.width(), step_x)
            for y in range(0, image.height(), step_y)
        }
    )


def _png_bytes(image: Any) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise DisplayCheckError("the screenshot could not be encoded as PNG")
    return bytes(data.data())


def _drive(app: Any, window: Any, screenshot: Path) -> str:
    from janus_gui.core.safe_write import write_bytes

    window.show()
    _wait_until(
        app,
        lambda: window.windowHandle() is not None and window.windowHandle().isExposed(),
        "the window appearing on the display",
    )
    _wait_until(app, window.startup_finished, "the detail panel being built")
    field = window.search_box.field
    window.activateWindow()
    field.setFocus()
    _type(app, field, CUSIP)
    _wait_until(app, lambda: bool(window.search_box.matches()), f"results for {CUSIP}")
    _press_enter(app, field)
    _wait_until(
        app,
        lambda: EXPECTED_TITLE in window.windowTitle(),
        f"{EXPECTED_TITLE} shown for {CUSIP} (the title is {window.windowTitle()!r})",
    )
    title = window.windowTitle()
    app.processEvents()  # paint the class shown before grabbing the display
    image = _screenshot(window)
    colours = _colours(image)
    if image.isNull() or colours < MIN_SCREENSHOT_COLOURS:
        raise DisplayCheckError(f"the screenshot shows no window ({colours} colours)")
    write_bytes(screenshot, _png_bytes(image))
    if not window.close():
        raise DisplayCheckError("the window refused to close")
    _wait_until(app, lambda: not window.isVisible(), "the window closing")
    return (
        f"{image.width()}x{image.height()} screenshot ({colours} colours) saved to "
        f"{screenshot}; {CUSIP} -> {title}"
    )


def run_display_check(screenshot: Path) -> int:
    """Run the check on the platform Qt was given; 0 when every step happened, else 1."""
    from PySide6.QtCore import QSettings

    from janus_gui.app import _application, open_repository
    from janus_gui.ui.main_window import MainWindow
    from janus_gui.ui.settings import AppSettings

    try:
        repo = open_repository()
        app = _application([])
        with tempfile.TemporaryDirectory(prefix="janus-display-check-") as folder:
            store = QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
            window = MainWindow(repo, AppSettings(store), deferred_startup=True)
            try:
                summary = _drive(app, window, screenshot)
            finally:
                window.deleteLater()
                app.processEvents()
                store.sync()
        repo.close()
    except Exception as exc:  # every failure is reported as the check's, by step
        sys.stderr.write(f"display check FAILED: {type(exc).__name__}: {exc}\n")
        return 1
    print(f"display check: passed on {app.platformName()}: {summary}")
    return 0
