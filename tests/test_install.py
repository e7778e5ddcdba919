"""A wheel as a user installs it: no build warnings, runtime dependencies only, two commands,
the data shipped on purpose, and `build-db` that never writes into the installed package."""

from __future__ import annotations

import email
import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILD_WARNING = re.compile(r"Warning|would be ignored|deprecated", re.IGNORECASE)


@dataclass
class Installed:
    wheel: Path
    build_log: str
    target: Path


def _copy_project(dest: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    dest.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, dest / name)
    for name in ("janus_gui", "data", "resources"):
        shutil.copytree(ROOT / name, dest / name, ignore=ignore)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("wheel")
    project, wheels, target = base / "project", base / "wheels", base / "target"
    _copy_project(project)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    # Byte-compiling switched off in the environment makes distutils say so; a user's is on.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    built = subprocess.run(
        [*pip, "wheel", "-v", str(project), "--no-deps", "-w", str(wheels)],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
        env=env,
    )
    (wheel,) = wheels.glob("janus_gui-*.whl")
    subprocess.run(
        [*pip, "install", "-q", "--no-deps", "--target", str(target), str(wheel)], check=True
    )
    return Installed(wheel, built.stdout + built.stderr, target)


def _backend_lines(log: str) -> list[str]:
    # pip's own notes about the local package index are not the build's.
    return [line for line in log.splitlines() if "Location 'file://" not in line]


@pytest.mark.slow
def test_building_the_wheel_prints_no_warning(installed: Installed) -> None:
    warnings = [line for line in _backend_lines(installed.build_log) if BUILD_WARNING.search(line)]
    assert warnings == []


@pytest.mark.slow
def test_wheel_metadata_runtime_only_with_extras_and_spdx_license(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = email.message_from_bytes(archive.read(name))
        entry_points = archive.read(name.replace("METADATA", "entry_points.txt")).decode()
    requires = metadata.get_all("Requires-Dist") or []
    runtime = sorted(re.split(r"[<>=!;\s]", r)[0] for r in requires if "extra" not in r)
    assert runtime == ["PySide6-Essentials", "platformdirs"]
    assert any(r.startswith("sqlite-utils") and 'extra == "build"' in r for r in requires)
    assert any(r.startswith("pytest") and 'extra == "test"' in r for r in requires)
    assert metadata["License-Expression"] == "LicenseRef-Proprietary"
    assert "[console_scripts]\njanus-gui = janus_gui.cli:main" in entry_points
    assert "[gui_scripts]\njanus-gui-app = janus_gui.app:main" in entry_points


@pytest.mark.slow
def test_every_data_and_resource_file_is_shipped(installed: Installed) -> None:
    package = installed.target / "janus_gui"
    for folder, shipped in (("data", "_data"), ("resources", "_resources")):
        tracked = {p.relative_to(ROOT / folder) for p in (ROOT / folder).rglob("*") if p.is_file()}
        got = {
            p.relative_to(package / shipped)
            for p in (package / shipped).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        }
        assert tracked == got


def _installed_cli(installed: Installed, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "JANUS_GUI_DB"}
    env["PYTHONPATH"] = str(installed.target)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, janus_gui.cli as c; sys.exit(c.main(sys.argv[1:]))",
            *args,
        ],
        env=env,
        cwd=installed.target.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _snapshot(folder: Path) -> dict[Path, tuple[int, int]]:
    return {
        p: (p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.mark.slow
def test_build_db_on_an_installed_wheel_never_writes_into_the_package(
    installed: Installed, tmp_path: Path
) -> None:
    package = installed.target / "janus_gui"
    before = _snapshot(package / "_data")
    refused = _installed_cli(installed, "build-db")
    assert refused.returncode == 2 and refused.stdout == ""
    assert "give --out FILE" in refused.stderr
    inside = _installed_cli(installed, "build-db", "--out", str(package / "_data" / "x.sqlite"))
    assert inside.returncode == 2 and "inside the installed package" in inside.stderr
    own = tmp_path / "catalog.sqlite"
    built = _installed_cli(installed, "build-db", "--out", str(own))
    assert built.returncode == 0, built.stderr
    assert _snapshot(package / "_data") == before
    found = _installed_cli(installed, "lookup", "471021709", "--db", str(own))
    assert found.returncode == 0 and "Overseas" in found.stdout
