"""The one place that knows where bundled data and resources live.

Three layouts are supported:

* a source checkout: ``<repo>/data`` and ``<repo>/resources`` beside the package;
* an installed wheel: ``janus_gui/_data`` and ``janus_gui/_resources`` inside the package;
* a PyInstaller bundle: ``<_MEIPASS>/data`` and ``<_MEIPASS>/resources``.

``JANUS_GUI_DB`` overrides the database path (tests, development).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DB_FILENAME = "janus.sqlite"
DB_ENV_VAR = "JANUS_GUI_DB"


def is_frozen() -> bool:
    """True inside a PyInstaller bundle."""
    return bool(getattr(sys, "frozen", False)) and hasattr(sys, "_MEIPASS")


def layout() -> str:
    """Which layout the running code comes from: ``frozen``, ``checkout`` or ``installed``."""
    if is_frozen():
        return "frozen"
    if (PACKAGE_DIR.parent / "pyproject.toml").is_file() and (PACKAGE_DIR.parent / "data").is_dir():
        return "checkout"
    return "installed"


def _root_dirs() -> tuple[Path, Path]:
    kind = layout()
    if kind == "frozen":
        base = Path(sys._MEIPASS)  # type: ignore[attr-defined]
        return base / "data", base / "resources"
    if kind == "checkout":
        return PACKAGE_DIR.parent / "data", PACKAGE_DIR.parent / "resources"
    return PACKAGE_DIR / "_data", PACKAGE_DIR / "_resources"


def data_dir() -> Path:
    """Folder holding ``janus.sqlite`` and ``sources/``."""
    return _root_dirs()[0]


def resource_dir() -> Path:
    """Folder holding icons, the desktop entry and other static resources."""
    return _root_dirs()[1]


def sources_dir() -> Path:
    """Folder holding the five source documents."""
    return data_dir() / "sources"


def database_path() -> Path:
    """The bundled database, unless ``JANUS_GUI_DB`` names another file."""
    override = os.environ.get(DB_ENV_VAR)
    if override:
        return Path(override).expanduser().resolve()
    return data_dir() / DB_FILENAME


def database_is_bundled(path: Path) -> bool:
    """True when ``path`` is the frozen bundle's own copy (safe to open with ``immutable=1``)."""
    return is_frozen() and path.resolve() == (data_dir() / DB_FILENAME).resolve()


def readme_path() -> Path | None:
    """The README shipped with the app, if any."""
    for candidate in (resource_dir() / "README.md", PACKAGE_DIR.parent / "README.md"):
        if candidate.is_file():
            return candidate
    return None


GUIDE_FILENAME = "user-guide.md"


def user_guide_path() -> Path:
    """The user guide shown by Help ▸ User guide (``resources/guide/user-guide.md``)."""
    return resource_dir() / "guide" / GUIDE_FILENAME
