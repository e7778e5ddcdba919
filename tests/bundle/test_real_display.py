"""The bundle on a real X server (Xvfb, Qt's xcb platform): open, screenshot, search, close.

The self-test renders offscreen, which never loads the xcb plugin nor the libraries it needs
(``libxcb-cursor0``, ``libxcb-icccm4``, ...). Here the bundle is started as a user starts it, on
an X display; a library the machine lacks fails the test with the package to install.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

SCREEN = (1280, 1024)


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    """A private Xvfb server; its display name (``:N``, a number the server picked)."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.fail("Xvfb is not installed: sudo apt-get install -y xvfb (.ci/run installs it)")
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        [
            xvfb,
            "-displayfd",
            str(write_end),
            "-screen",
            "0",
            f"{SCREEN[0]}x{SCREEN[1]}x24",
            "-nolisten",
            "tcp",
            "-noreset",
        ],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        number = pipe.readline().strip()  # written once the server accepts connections
    if not number:
        server.kill()
        pytest.fail(f"Xvfb did not start: {server.communicate()[1].decode(errors='replace')}")
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def _user_env(home: Path, display: str) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "LANG": "C.UTF-8",
    }
    for name in ("config", "data", "state", "cache"):
        env[f"XDG_{name.upper()}_HOME"] = str(home / name)
    return env


def test_every_library_the_bundle_needs_on_x11_is_on_this_machine(
    bundle: Path, bundle_libs: ModuleType
) -> None:
    missing = bundle_libs.missing_packages(bundle, optional=False)
    assert not missing, (
        f"the bundle cannot start on X11 here; missing packages: {' '.join(missing)} "
        f"(sudo apt-get install -y {' '.join(missing)})"
    )


def test_the_bundle_opens_searches_and_closes_on_an_x_display(
    bundle: Path, bundle_libs: ModuleType, display: str, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    screenshot = tmp_path / "window.png"
    done = subprocess.run(
        [str(bundle / "JanusGUI"), "--display-check", str(screenshot)],
        env=_user_env(home, display),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        missing = bundle_libs.missing_packages(bundle, optional=False)
        hint = f"; missing packages: {' '.join(missing)}" if missing else ""
        pytest.fail(f"exit {done.returncode}{hint}\n{done.stdout}{done.stderr}")
    assert done.stdout.startswith("display check: passed on xcb: "), done.stdout
    assert "471021709 -> Janus Aspen Series Overseas Portfolio — Institutional" in done.stdout
    width, height = _png_size(screenshot)
    assert 640 <= width <= SCREEN[0] and 480 <= height <= SCREEN[1]
    # Closing cleanly: no Qt warning or error on the way (a missing plugin, a failed grab ...).
    assert "qt." not in done.stderr and "QXcb" not in done.stderr, done.stderr
