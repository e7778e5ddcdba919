"""Which Debian/Ubuntu packages Qt still needs on this machine, for the platform that will be used.

Usage: ``.venv/bin/python scripts/qt_probe.py [--linked-only] [offscreen|xcb|wayland]``
(default: the platform Qt would pick: ``QT_QPA_PLATFORM``, else wayland under
``WAYLAND_DISPLAY``, else xcb). Prints the missing packages, one per line (nothing when all is
there), and exits 0. Two checks, because either alone misses some: ``ldd`` on Qt's libraries and
the platform plugin, and starting Qt once and reading its error, which names what the plugin
opens at run time (``libxcb-cursor0``). ``--linked-only`` runs the ldd check alone.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

# Debian/Ubuntu package for each shared library Qt or its platform plugins may need.
LIB_PACKAGE = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libGLX.so.0": "libglx0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libgobject-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-util.so.1": "libxcb-util1",
    "libSM.so.6": "libsm6",
    "libICE.so.6": "libice6",
    "libXext.so.6": "libxext6",
    "libXrender.so.1": "libxrender1",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
    "libgssapi_krb5.so.2": "libgssapi-krb5-2",
    "libpng16.so.16": "libpng16-16",
    "libz.so.1": "zlib1g",
    "libharfbuzz.so.0": "libharfbuzz0b",
}

# Files checked with ldd for each platform, relative to PySide6's Qt folder.
PLATFORM_FILES = {
    "offscreen": ["plugins/platforms/libqoffscreen.so"],
    "xcb": ["plugins/platforms/libqxcb.so", "lib/libQt6XcbQpa.so.6"],
    "wayland": ["plugins/platforms/libqwayland*.so", "lib/libQt6WaylandClient.so.6"],
}
CORE_FILES = ["lib/libQt6Core.so.6", "lib/libQt6Gui.so.6", "lib/libQt6Widgets.so.6"]

_NOT_FOUND = re.compile(r"^\s*(\S+) => not found", re.MULTILINE)
# Qt >= 6.5: "xcb-cursor0 or libxcb-cursor0 is needed to load the Qt xcb platform plugin."
_NEEDED = re.compile(r"(?:^|\s)(lib[\w.+-]+) is needed to load")
# Older Qt: "Cannot load library ...: (libxcb-cursor.so.0: cannot open shared object file ...)"
_CANNOT_OPEN = re.compile(r"(lib[\w.+-]+\.so(?:\.\d+)*): cannot open shared object file")


def chosen_platform(environ: dict[str, str]) -> str:
    """The platform Qt will use: QT_QPA_PLATFORM, else wayland or xcb by the session."""
    explicit = environ.get("QT_QPA_PLATFORM", "").split(":")[0].strip()
    if explicit:
        return "wayland" if explicit.startswith("wayland") else explicit
    return "wayland" if environ.get("WAYLAND_DISPLAY") else "xcb"


def packages_from_ldd(output: str) -> set[str]:
    """Packages for the ``=> not found`` lines of ldd output (unknown libraries by name)."""
    return {LIB_PACKAGE.get(lib, lib) for lib in _NOT_FOUND.findall(output)}


def packages_from_qt_error(stderr: str) -> set[str]:
    """Packages named, or implied by a library name, in Qt's start-up error."""
    found = set(_NEEDED.findall(stderr))
    found |= {LIB_PACKAGE.get(lib, lib) for lib in _CANNOT_OPEN.findall(stderr)}
    return found


def _qt_dir() -> Path:
    import PySide6

    return Path(PySide6.__file__).parent / "Qt"


def _ldd(files: list[Path]) -> str:
    existing = [str(f) for f in files if f.is_file()]
    if not existing:
        return ""
    done = subprocess.run(["ldd", *existing], capture_output=True, text=True, check=False)
    return done.stdout


def _start_qt(platform: str) -> str:
    code = "from PySide6.QtWidgets import QApplication; QApplication([])"
    env = {**os.environ, "QT_QPA_PLATFORM": platform}
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return done.stderr


def missing_packages(platform: str) -> set[str]:
    """Every package Qt needs for ``platform`` that this machine lacks."""
    qt = _qt_dir()
    files = [qt / name for name in CORE_FILES]
    for pattern in PLATFORM_FILES.get(platform, []):
        files.extend(sorted(qt.glob(pattern)))
    # ldd sees link-time needs; starting Qt shows what the plugin opens at run time.
    return packages_from_ldd(_ldd(files)) | packages_from_qt_error(_start_qt(platform))


def linked_packages(platform: str) -> set[str]:
    """Packages missing for the libraries Qt and the platform plugin link to (``ldd`` only).

    Without a display, Qt's start-up error for xcb names ``libxcb-cursor0`` whatever is
    missing, so a build machine (which needs the libraries, not a display) asks ldd alone.
    """
    qt = _qt_dir()
    files = [qt / name for name in CORE_FILES]
    for pattern in PLATFORM_FILES.get(platform, []):
        files.extend(sorted(qt.glob(pattern)))
    return packages_from_ldd(_ldd(files))


def main(argv: list[str]) -> int:
    linked_only = "--linked-only" in argv
    argv = [arg for arg in argv if arg != "--linked-only"]
    platform = argv[0] if argv else chosen_platform(dict(os.environ))
    found = linked_packages(platform) if linked_only else missing_packages(platform)
    for package in sorted(found):
        print(package)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
