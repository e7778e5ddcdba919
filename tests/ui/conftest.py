"""GUI fixtures: settings in a per-test file, a main window over the bundled catalog."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings  # imported early so the root conftest redirects QSettings

from janus_gui.ui.settings import AppSettings


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    """Where this test's settings live."""
    return tmp_path / "settings.ini"


@pytest.fixture
def app_settings(settings_file: Path) -> AppSettings:
    """Settings stored in a file of this test only."""
    return AppSettings(QSettings(str(settings_file), QSettings.Format.IniFormat))


@pytest.fixture
def no_save_prompt(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Closing a window with an edited workspace answers "discard" instead of blocking."""
    from janus_gui.ui.workspace import dialogs

    asked: list[str] = []

    def discard(_parent: object) -> dialogs.SaveChoice:
        asked.append("save changes?")
        return dialogs.SaveChoice.DISCARD

    monkeypatch.setattr(dialogs, "ask_save_changes", discard)
    return asked


@pytest.fixture
def make_window(qtbot, repo, no_save_prompt):
    """Build a MainWindow (any number, e.g. to test a restart) over the bundled catalog."""
    from janus_gui.ui.main_window import MainWindow

    def build(settings: AppSettings) -> MainWindow:
        window = MainWindow(repo, settings)
        qtbot.addWidget(window)
        return window

    return build


@pytest.fixture
def main_window(make_window, app_settings: AppSettings):
    """A shown main window with fresh settings."""
    window = make_window(app_settings)
    window.show()
    return window
