"""The release archive as a user receives it: checksum, contents, install, run, uninstall.

``scripts/build_app.sh`` writes ``dist/JanusGUI-<version>-linux-<arch>.tar.gz`` and
``dist/SHA256SUMS``. The archive is unpacked into an empty folder, ``install.sh`` runs as the
user with an empty home folder, the installed launcher runs the app's ``--self-test``, and
``uninstall.sh`` must leave the home folder as empty as it was.
"""

from __future__ import annotations

import configparser
import hashlib
import os
import platform
import re
import subprocess
import tarfile
from pathlib import Path
from types import ModuleType

import pytest

import janus_gui

ROOT = Path(__file__).resolve().parents[2]
APP_ID = "io.github.janus_gui"  # resources/io.github.janus_gui.desktop, janus_gui.DESKTOP_ID
RELEASE = f"JanusGUI-{janus_gui.__version__}-linux-{platform.machine()}"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


@pytest.fixture(scope="module")
def archive(bundle: Path) -> Path:
    path = bundle.parent / f"{RELEASE}.tar.gz"
    assert path.is_file(), f"{path} was not written by scripts/build_app.sh"
    return path


@pytest.fixture(scope="module")
def unpacked(archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("unpacked")
    subprocess.run(["tar", "-xzf", str(archive), "-C", str(folder)], check=True)
    return folder / RELEASE


def _user_env(home: Path) -> dict[str, str]:
    """A user with an empty home folder and no XDG variables set (the defaults apply)."""
    return {
        "HOME": str(home),
        "PATH": f"{home}/.local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
    }


def _tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_sha256sums_names_the_archive_with_its_digest(archive: Path) -> None:
    sums = (archive.parent / "SHA256SUMS").read_text(encoding="utf-8")
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    assert sums == f"{digest}  {archive.name}\n"


def test_the_archive_holds_one_folder_with_the_app_guide_scripts_and_requirements(
    archive: Path,
) -> None:
    with tarfile.open(archive) as tar:
        members = tar.getmembers()
    names = {m.name for m in members}
    assert {n.split("/")[0] for n in names} == {RELEASE}
    top = {n.split("/")[1] for n in names if n.count("/") >= 1}
    assert top == {"JanusGUI", "USER-GUIDE.md", "REQUIREMENTS.txt", "install.sh", "uninstall.sh"}
    assert f"{RELEASE}/JanusGUI/JanusGUI" in names
    modes = {m.name.split("/", 1)[1]: m.mode for m in members if m.name.count("/") == 1}
    assert modes["install.sh"] & 0o111 and modes["uninstall.sh"] & 0o111
    assert all(m.uid == 0 and m.gid == 0 for m in members)  # no build user's ids


def test_the_user_guide_is_the_users_not_the_developer_readme(unpacked: Path) -> None:
    guide = (unpacked / "USER-GUIDE.md").read_text(encoding="utf-8")
    assert guide == (ROOT / "resources" / "guide" / "user-guide.md").read_text(encoding="utf-8")
    assert "# For developers" not in guide


def test_requirements_state_the_glibc_baseline_and_every_package(
    unpacked: Path, bundle: Path, bundle_libs: ModuleType
) -> None:
    text = (unpacked / "REQUIREMENTS.txt").read_text(encoding="utf-8")
    baseline = re.search(r"glibc (\d+\.\d+) or newer", text)
    assert baseline and baseline.group(1) == bundle_libs.glibc_baseline(bundle)
    install_line = re.search(r"sudo apt-get install -y (.+)", text)
    assert install_line
    expected = {package for _, package, _ in bundle_libs.describe(bundle)}
    assert set(install_line.group(1).split()) == expected


def _documented_libraries() -> list[tuple[str, str]]:
    text = (ROOT / "docs" / "packaging.md").read_text(encoding="utf-8")
    table = text.split("<!-- system-libraries: start -->")[1].split("<!-- system-libraries: end")[0]
    return re.findall(r"^\| `([^`]+)` \| `([^`]+)` \|", table, re.MULTILINE)


def test_docs_list_exactly_the_system_libraries_the_bundle_links_to(
    bundle: Path, bundle_libs: ModuleType
) -> None:
    linked = [(soname, package) for soname, package, _ in bundle_libs.describe(bundle)]
    assert _documented_libraries() == linked


def test_install_run_and_uninstall_leave_an_empty_home_empty(
    unpacked: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = _user_env(home)
    done = subprocess.run(
        ["bash", str(unpacked / "install.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "warning" not in done.stderr, done.stderr  # no library missing on this machine
    prefix = home / ".local" / "opt" / APP_ID
    exe = prefix / "JanusGUI" / "JanusGUI"
    assert exe.is_file() and os.access(exe, os.X_OK)
    share = home / ".local" / "share"
    entry = configparser.ConfigParser(interpolation=None)
    entry.read(share / "applications" / f"{APP_ID}.desktop", encoding="utf-8")
    assert entry["Desktop Entry"]["Exec"] == f'"{exe}"'
    assert entry["Desktop Entry"]["TryExec"] == str(exe)
    assert entry["Desktop Entry"]["Icon"] == APP_ID
    assert (share / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    for size in ICON_SIZES:
        assert (share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()

    # The launcher is found on PATH, as a user types it.
    run = subprocess.run(
        ["janus-gui", "--self-test"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.startswith("self-test: 8/8 checks passed"), run.stdout

    gone = subprocess.run(
        ["bash", str(prefix / "uninstall.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert gone.returncode == 0, gone.stdout + gone.stderr
    assert _tree(home) == []


def test_install_twice_updates_in_place_and_keeps_other_files(
    unpacked: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    (home / ".local" / "bin").mkdir(parents=True)
    mine = home / ".local" / "bin" / "my-tool"
    mine.write_text("#!/bin/sh\n", encoding="utf-8")
    env = _user_env(home)
    for _ in range(2):
        subprocess.run(
            ["bash", str(unpacked / "install.sh")],
            env=env,
            capture_output=True,
            timeout=300,
            check=True,
        )
    prefix = home / ".local" / "opt" / APP_ID
    manifest = (prefix / "installed-files.txt").read_text(encoding="utf-8")
    assert f"file\t{home}/.local/bin/janus-gui\n" in manifest
    assert f"dir\t{home}/.local/bin\n" not in manifest  # it was there before
    subprocess.run(
        ["bash", str(prefix / "uninstall.sh")],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert _tree(home) == [".local", ".local/bin", ".local/bin/my-tool"]


def test_install_names_the_package_of_a_library_the_machine_lacks(
    unpacked: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    fake_bin = tmp_path / "fake-bin"
    fake_bin.mkdir()
    # An ldd that reports libdbus-1.so.3 missing, as on a machine without libdbus-1-3.
    (fake_bin / "ldd").write_text(
        "#!/bin/sh\nfor f; do echo \"$f:\"; echo '\tlibdbus-1.so.3 => not found'; done\n",
        encoding="utf-8",
    )
    (fake_bin / "ldd").chmod(0o755)
    env = _user_env(home)
    env["PATH"] = f"{fake_bin}:{env['PATH']}"
    done = subprocess.run(
        ["bash", str(unpacked / "install.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert "lacks libraries the app needs: libdbus-1.so.3" in done.stderr
    assert "sudo apt-get install -y libdbus-1-3 (see REQUIREMENTS.txt)" in done.stderr
    (home / ".config" / "janus_gui").mkdir(parents=True)
    prefix = home / ".local" / "opt" / APP_ID
    subprocess.run(
        ["bash", str(prefix / "uninstall.sh"), "--purge"],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert _tree(home) == [".config"]
