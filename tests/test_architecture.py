"""Layering rules that keep the core usable without Qt and the app free of the builder."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "janus_gui"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _modules(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


QT_FREE = ("core", "workspace")  # the layers the command line and the window both stand on


def test_core_imports_no_qt_no_builder_no_platformdirs() -> None:
    forbidden = ("PySide6", "shiboken6", "sqlite_utils", "platformdirs", "janus_gui.ui")
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for folder in QT_FREE
        for path in _modules(PACKAGE / folder)
        for name in _imports(path)
        if name.startswith(forbidden)
    ]
    assert offenders == []


def test_core_never_hands_the_interpreter_lock_to_another_thread() -> None:
    """Responsiveness is the window's concern: the core has no sleeps or switch-interval tricks."""
    # One wait is about the file, not the lock: a last row without a line end gets a moment
    # for a writer still copying the file to show itself (core/input_files.py).
    settle = {("janus_gui/core/input_files.py", "sleep(")}
    offenders = [
        f"{path.relative_to(ROOT)}: {word}"
        for folder in QT_FREE
        for path in _modules(PACKAGE / folder)
        for word in ("sleep(", "setswitchinterval(", "yield_interpreter_lock")
        if word in path.read_text(encoding="utf-8")
        and (str(path.relative_to(ROOT)), word) not in settle
    ]
    assert offenders == []


def test_signals_are_blocked_only_through_qsignalblocker() -> None:
    """A manual blockSignals(True)/(False) pair stays blocked when the code between raises."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in _modules(PACKAGE)
        if ".blockSignals(" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_core_loads_without_qt_in_a_fresh_interpreter() -> None:
    modules = [
        f"janus_gui.{folder}.{p.stem}"
        for folder in QT_FREE
        for p in _modules(PACKAGE / folder)
        if p.stem != "__init__"
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "import janus_gui.cli.catalog, janus_gui.cli.fees, janus_gui.cli.tools\n"
        "import janus_gui.cli.compare\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'sqlite_utils'))]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "", f"Qt or the builder was imported: {out.stdout}"


def test_core_works_when_qt_cannot_be_imported(tmp_path: Path) -> None:
    blocker = tmp_path / "PySide6"
    blocker.mkdir()
    (blocker / "__init__.py").write_text("raise ImportError('Qt is not installed here')\n")
    code = (
        "from janus_gui.core.identifiers import classify\n"
        "from janus_gui.core import lookup, asof, repository\n"
        "print(classify('471021 70 9').value)\n"
    )
    env_path = f"{tmp_path}:{ROOT}"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"},
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "471021709"


def test_app_and_cli_never_import_the_builder_at_module_level() -> None:
    offenders = []
    for path in _modules(PACKAGE):
        if "dbbuild" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:  # module level only: build-db imports the builder lazily
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "janus_gui.dbbuild"
            ):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_ui_holds_no_sql() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in _modules(PACKAGE / "ui")
        if "sqlite3" in _imports(path)
    ]
    assert offenders == []


def test_only_paths_module_reads_frozen_state() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in _modules(PACKAGE)
        if path.name != "paths.py" and "_MEIPASS" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_the_window_never_imports_the_command_line() -> None:
    """Both stand on the core: the JSON forms the window copies live in ``core.json_forms``."""
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in _modules(PACKAGE / "ui")
        for name in _imports(path)
        if name.startswith("janus_gui.cli")
    ]
    assert offenders == []


def test_the_command_line_reaches_qt_only_inside_its_pdf_options() -> None:
    """``--pdf`` draws with Qt's printing code (``ui.printed``); nothing else of ``cli`` loads it,
    which ``test_core_loads_without_qt_in_a_fresh_interpreter`` checks by running it."""
    offenders = []
    for path in _modules(PACKAGE / "cli"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:  # module level only
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                ("janus_gui.ui", "PySide6")
            ):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
