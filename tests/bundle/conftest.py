"""Tests of the built bundle (dist/JanusGUI) and its release archive, as users receive them.

They need the output of ``bash scripts/build_app.sh``. ``bash scripts/dev.sh test`` runs them
right after that build, with ``JANUS_GUI_BUNDLE`` naming the folder; a plain ``pytest`` collects
them only when a built bundle is there (``JANUS_GUI_BUNDLE`` set and missing is an error).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUNDLE_ENV = "JANUS_GUI_BUNDLE"
DEFAULT_BUNDLE = ROOT / "dist" / "JanusGUI"


def _bundle_dir() -> Path:
    return Path(os.environ.get(BUNDLE_ENV) or DEFAULT_BUNDLE)


# Without a build (and without the variable) these tests are not collected at all.
if BUNDLE_ENV not in os.environ and not (DEFAULT_BUNDLE / "JanusGUI").is_file():
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture(scope="session")
def bundle() -> Path:
    """The built onedir bundle (its folder, holding the ``JanusGUI`` executable)."""
    folder = _bundle_dir()
    if not (folder / "JanusGUI").is_file():
        pytest.fail(f"{folder}/JanusGUI does not exist: build it with bash scripts/build_app.sh")
    return folder


@pytest.fixture(scope="session")
def bundle_libs() -> ModuleType:
    """scripts/bundle_libs.py, loaded as a module."""
    spec = importlib.util.spec_from_file_location(
        "bundle_libs", ROOT / "scripts" / "bundle_libs.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
