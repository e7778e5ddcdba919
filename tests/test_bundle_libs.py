"""scripts/bundle_libs.py: a library the loader cannot find is named by the package to install."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("bundle_libs", ROOT / "scripts" / "bundle_libs.py")
assert spec and spec.loader
bundle_libs = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bundle_libs)

# ldd output as printed on a desktop without libxcb-icccm4 and libxcb-keysyms1 (Debian 12).
LDD_OUTPUT = """\
/opt/JanusGUI/_internal/PySide6/Qt/lib/libQt6XcbQpa.so.6:
\tlinux-vdso.so.1 (0x00007ffd5a3f1000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f1b2c000000)
/opt/JanusGUI/_internal/PySide6/Qt/plugins/platforms/libqxcb.so:
\tlibxcb-icccm.so.4 => not found
\tlibcups.so.2 => not found
\tlibsomething-new.so.7 => not found
"""


def test_not_found_libraries_are_named_by_their_package_once_each() -> None:
    assert bundle_libs.packages_from_ldd(LDD_OUTPUT) == [
        "libcups2",
        "libsomething-new.so.7",
        "libxcb-icccm4",
        "libxcb-keysyms1",
    ]


def test_parts_of_the_c_library_belong_to_libc6() -> None:
    assert bundle_libs.package_of("libm.so.6") == "libc6"
    assert bundle_libs.package_of("libxcb-cursor.so.0") == "libxcb-cursor0"


def test_a_missing_bundle_folder_is_a_usage_error(tmp_path: Path, capsys) -> None:
    assert bundle_libs.main(["list", str(tmp_path / "absent")]) == 2
    assert "build it with: bash scripts/build_app.sh" in capsys.readouterr().err
