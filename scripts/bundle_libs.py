"""The system libraries the packaged app (dist/JanusGUI) expects on a Linux machine.

Usage: ``python3 scripts/bundle_libs.py COMMAND [BUNDLE_DIR]`` (default ``dist/JanusGUI``):

``list``          one line per library: soname, Debian/Ubuntu package, what needs it
``missing``       the packages this machine lacks for the bundle (``ldd``), one per line
``missing-required``  the same, without the optional ones (printing, Wayland)
``requirements``  the text of the release's REQUIREMENTS.txt

A library is "expected from the system" when a file of the bundle (the executable, a Qt library
or plugin, a Python extension) links to it directly (``DT_NEEDED``, read with ``readelf -d``) and
the bundle does not carry it. The C library's own parts are stated as the glibc baseline instead:
the highest ``GLIBC_x.y`` symbol version any file of the bundle asks for. Standard library only,
so it runs without the project's virtual environment.
"""

from __future__ import annotations

import platform
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from qt_probe import LIB_PACKAGE  # noqa: E402 (a sibling script, not a package)

# Libraries that are part of the C library (package libc6): stated by the glibc baseline.
GLIBC_PARTS = {
    "libc.so.6",
    "libm.so.6",
    "libdl.so.2",
    "libpthread.so.0",
    "librt.so.1",
    "libutil.so.1",
    "libresolv.so.2",
    "ld-linux-x86-64.so.2",
    "ld-linux-aarch64.so.1",
}
# Packages for libraries qt_probe does not list (Qt's own needs are there).
EXTRA_PACKAGES = {"libcups.so.2": "libcups2"}
# Optional libraries: the bundle starts without them, with the feature named here missing.
OPTIONAL = {
    "libcups.so.2": "printing to a printer (without it, Print writes PDF files only)",
    "libwayland-client.so.0": "the Wayland platform (X11 sessions use xcb)",
    "libwayland-cursor.so.0": "the Wayland platform (X11 sessions use xcb)",
}
_NEEDED = re.compile(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]")
_GLIBC_VERSION = re.compile(r"\bGLIBC_(\d+(?:\.\d+)+)\b")
_NOT_FOUND = re.compile(r"^\s*(\S+) => not found", re.MULTILINE)


def package_of(soname: str) -> str:
    """The Debian/Ubuntu package that provides ``soname`` (the soname itself if unknown)."""
    if soname in GLIBC_PARTS:
        return "libc6"
    return EXTRA_PACKAGES.get(soname) or LIB_PACKAGE.get(soname, soname)


def elf_files(bundle: Path) -> list[Path]:
    """Every ELF file of the bundle (executable and shared objects), symlinks not followed."""
    files = []
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    files.append(path)
    return files


def _readelf(*args: str) -> str:
    done = subprocess.run(["readelf", *args], capture_output=True, text=True, check=False)
    return done.stdout


def system_libraries(bundle: Path) -> dict[str, list[str]]:
    """Soname -> bundle files (relative) that link to it, for libraries the bundle lacks."""
    files = elf_files(bundle)
    carried = {path.name for path in bundle.rglob("*.so*")}
    users: dict[str, list[str]] = {}
    for path in files:
        for soname in _NEEDED.findall(_readelf("-d", str(path))):
            if soname not in carried and soname not in GLIBC_PARTS:
                users.setdefault(soname, []).append(str(path.relative_to(bundle)))
    return dict(sorted(users.items()))


def glibc_baseline(bundle: Path) -> str:
    """The highest GLIBC symbol version any file of the bundle needs (e.g. ``2.34``)."""
    versions = set()
    for path in elf_files(bundle):
        versions.update(_GLIBC_VERSION.findall(_readelf("--version-info", "-W", str(path))))
    if not versions:
        return "unknown"
    return max(versions, key=lambda v: tuple(int(part) for part in v.split(".")))


def packages_from_ldd(output: str) -> list[str]:
    """Packages for the ``=> not found`` lines of ``ldd`` output, sorted, each once."""
    return sorted({package_of(soname) for soname in _NOT_FOUND.findall(output)})


def missing_packages(bundle: Path, *, optional: bool = True) -> list[str]:
    """Packages this machine lacks for any file of the bundle (what the loader will miss).

    With ``optional=False``, only the packages the app cannot start without on X11.
    """
    files = [str(path) for path in elf_files(bundle)]
    done = subprocess.run(["ldd", *files], capture_output=True, text=True, check=False)
    packages = packages_from_ldd(done.stdout)
    if not optional:
        skipped = {package_of(soname) for soname in OPTIONAL}
        packages = [package for package in packages if package not in skipped]
    return packages


def _needed_for(users: list[str]) -> str:
    """What needs a library: the Qt libraries and plugin folders that link to it."""
    names = sorted(
        {
            Path(user).parent.name + " plugins" if "/plugins/" in user else Path(user).name
            for user in users
        }
    )
    qt_first = sorted(names, key=lambda name: (not name.startswith("libQt6"), name))
    shown = ", ".join(qt_first[:3])
    return shown if len(names) <= 3 else f"{shown} and {len(names) - 3} more"


def describe(bundle: Path) -> list[tuple[str, str, str]]:
    """(soname, package, what needs it) for every system library."""
    return [
        (soname, package_of(soname), OPTIONAL.get(soname, "required: " + _needed_for(users)))
        for soname, users in system_libraries(bundle).items()
    ]


def requirements_text(bundle: Path, version: str) -> str:
    """REQUIREMENTS.txt of the release archive."""
    rows = describe(bundle)
    required = sorted({package for soname, package, _ in rows if soname not in OPTIONAL})
    optional = sorted({package for soname, package, _ in rows if soname in OPTIONAL})
    libc = platform.libc_ver()
    lines = [
        f"Janus Aspen Rules Desk {version} for Linux {platform.machine()}: what the machine needs",
        "",
        f"C library: glibc {glibc_baseline(bundle)} or newer (the highest symbol version the "
        "app's files use;",
        f"  built on {_build_system()} with {libc[0]} {libc[1]}).",
        "",
        "System packages (Debian/Ubuntu names), required:",
        f"  {' '.join(required)}",
        "Optional:",
        *(f"  {package}: {OPTIONAL[soname]}" for soname, package, _ in rows if soname in OPTIONAL),
        "",
        "Install them with:",
        f"  sudo apt-get install -y {' '.join(required + optional)}",
        "",
        "Every library, with what needs it:",
        *(f"  {soname:<26} {package:<20} {needed}" for soname, package, needed in rows),
        "",
        "Everything else (Python, Qt, ICU, fonts configuration, image codecs) is inside the app.",
        "install.sh checks these libraries and names any missing package.",
    ]
    return "\n".join(lines) + "\n"


def _build_system() -> str:
    try:
        text = Path("/etc/os-release").read_text(encoding="utf-8")
    except OSError:
        return platform.system()
    match = re.search(r'^PRETTY_NAME="?([^"\n]+)"?', text, re.MULTILINE)
    return match.group(1) if match else platform.system()


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("list", "missing", "missing-required", "requirements"):
        print(
            "usage: bundle_libs.py list|missing|missing-required|requirements [BUNDLE_DIR] "
            "[VERSION]",
            file=sys.stderr,
        )
        return 2
    bundle = Path(argv[1] if len(argv) > 1 else "dist/JanusGUI")
    if not bundle.is_dir():
        print(
            f"error: {bundle} is not a folder; build it with: bash scripts/build_app.sh",
            file=sys.stderr,
        )
        return 2
    if argv[0] == "list":
        for soname, package, needed in describe(bundle):
            print(f"{soname}\t{package}\t{needed}")
    elif argv[0].startswith("missing"):
        for package in missing_packages(bundle, optional=argv[0] == "missing"):
            print(package)
    else:
        sys.stdout.write(requirements_text(bundle, argv[2] if len(argv) > 2 else "?"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
