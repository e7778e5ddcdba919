"""scripts/qt_probe.py: which system packages Qt needs for the platform actually used."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _probe() -> ModuleType:
    spec = importlib.util.spec_from_file_location("qt_probe", ROOT / "scripts" / "qt_probe.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


probe = _probe()


@pytest.mark.parametrize(
    ("environ", "platform"),
    [
        ({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}, "offscreen"),
        ({"QT_QPA_PLATFORM": "wayland-egl"}, "wayland"),
        ({"QT_QPA_PLATFORM": "xcb:wayland"}, "xcb"),
        ({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, "wayland"),
        ({"DISPLAY": ":0"}, "xcb"),
        ({}, "xcb"),
    ],
)
def test_platform_is_the_one_qt_will_use(environ, platform) -> None:
    assert probe.chosen_platform(environ) == platform


def test_ldd_not_found_lines_become_packages() -> None:
    output = (
        "\tlibxcb-icccm.so.4 => not found\n"
        "\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f)\n"
        "\tlibxcb-keysyms.so.1 => not found\n"
        "\tlibunknown.so.7 => not found\n"
    )
    expected = {"libxcb-icccm4", "libxcb-keysyms1", "libunknown.so.7"}
    assert probe.packages_from_ldd(output) == expected


def test_qt_start_up_errors_name_the_run_time_packages() -> None:
    qt_67 = (
        "qt.qpa.plugin: From 6.5.0, xcb-cursor0 or libxcb-cursor0 is needed to load the Qt xcb "
        'platform plugin.\nqt.qpa.plugin: Could not load the Qt platform plugin "xcb"\n'
    )
    older = (
        "Cannot load library /x/libqxcb.so: (libxcb-cursor.so.0: cannot open shared object file: "
        "No such file or directory)"
    )
    no_display = "qt.qpa.xcb: could not connect to display \nAborted"
    assert probe.packages_from_qt_error(qt_67) == {"libxcb-cursor0"}
    assert probe.packages_from_qt_error(older) == {"libxcb-cursor0"}
    assert probe.packages_from_qt_error(no_display) == set()


def test_offscreen_needs_nothing_more_on_the_test_machine() -> None:
    # The suite itself runs offscreen, so the probe must find nothing missing for it.
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "qt_probe.py"), "offscreen"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout == ""


def test_dev_sh_names_the_venv_package_of_the_python_in_use() -> None:
    function = subprocess.run(
        ["sed", "-n", "/^venv_package()/,/^}/p", str(ROOT / "scripts" / "dev.sh")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    done = subprocess.run(
        ["bash", "-c", f"{function}\nvenv_package {sys.executable}"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == f"python{sys.version_info[0]}.{sys.version_info[1]}-venv"


def test_dev_sh_run_installs_runtime_only_and_test_the_extras() -> None:
    script = (ROOT / "scripts" / "dev.sh").read_text(encoding="utf-8")
    assert 'ensure_venv ""' in script.split("  run)")[1].split(";;")[0]
    assert 'ensure_venv "test,package,build"' in script.split("  test)")[1].split(";;")[0]
    assert ">/dev/null" not in script.split("as_root_install() {")[1].split("}")[0]
