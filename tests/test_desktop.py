"""Desktop integration: one reverse-DNS id everywhere, Exec matching the install, valid AppStream
metadata, and the user-folder install of the packaged app."""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import janus_gui

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"
DESKTOP_ID = janus_gui.DESKTOP_ID
METAINFO = RESOURCES / f"{DESKTOP_ID}.metainfo.xml"
INSTALL_SCRIPT = ROOT / "scripts" / "install_desktop.sh"


def _entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_one_reverse_dns_id_for_window_desktop_file_appstream_and_bundle(qapp) -> None:
    assert re.fullmatch(r"[a-z][a-z0-9]*(\.[A-Za-z0-9_]+){2,}", DESKTOP_ID)
    assert [p.name for p in RESOURCES.glob("*.desktop")] == [f"{DESKTOP_ID}.desktop"]
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == DESKTOP_ID
    assert root.findtext("launchable") == f"{DESKTOP_ID}.desktop"
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    assert f'BUNDLE_ID = "{DESKTOP_ID}"' in spec
    from janus_gui import app

    before = qapp.desktopFileName()
    try:
        app._application([])
        assert qapp.desktopFileName() == DESKTOP_ID
    finally:
        qapp.setDesktopFileName(before)


def test_packaged_entry_runs_the_windowed_gui_script() -> None:
    entry = _entry(RESOURCES / f"{DESKTOP_ID}.desktop")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    gui_scripts = project["gui-scripts"]
    assert entry["Exec"] == entry["TryExec"] == "janus-gui-app"
    assert gui_scripts["janus-gui-app"] == "janus_gui.app:main"
    assert entry["Icon"] == DESKTOP_ID


def _appstream_problems(root: ET.Element) -> list[str]:
    """The rules `appstreamcli validate` applies that matter here, for machines without it."""
    problems = []
    developer = root.find("developer")
    if developer is None or not developer.get("id") or not developer.findtext("name"):
        problems.append("developer with an id and a name")
    homepage = [u for u in root.findall("url") if u.get("type") == "homepage"]
    if not homepage or not (homepage[0].text or "").startswith("https://"):
        problems.append("an https homepage url")
    if len(root.findall("description/p")) < 1:
        problems.append("a description paragraph")
    shots = root.findall("screenshots/screenshot")
    if not shots or shots[0].get("type") != "default":
        problems.append("a default screenshot")
    for shot in shots:
        image = shot.find("image")
        if image is None or not (image.text or "").startswith("https://"):
            problems.append("a screenshot image at an https address")
        if not shot.findtext("caption"):
            problems.append("a screenshot caption")
    releases = root.findall("releases/release")
    if not releases or releases[0].get("version") != janus_gui.__version__:
        problems.append("the current version as the newest release")
    for release in releases:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", release.get("date") or ""):
            problems.append(f"an ISO date on release {release.get('version')}")
    summary = root.findtext("summary") or ""
    if not 0 < len(summary) <= 100 or summary.endswith("."):
        problems.append("a summary of at most 100 characters without a final stop")
    return problems


def test_appstream_metadata_is_valid() -> None:
    root = ET.parse(METAINFO).getroot()
    assert _appstream_problems(root) == []
    image = root.find("screenshots/screenshot/image")
    assert image is not None and (image.text or "").endswith("/docs/images/main-window.png")
    assert (ROOT / "docs" / "images" / "main-window.png").is_file()
    tool = shutil.which("appstreamcli")
    if tool:  # the reference validator, where the machine has it (apt: appstream)
        done = subprocess.run(
            [tool, "validate", "--no-net", str(METAINFO)], capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout + done.stderr


def test_appstream_rules_catch_missing_fields() -> None:
    bare = ET.fromstring("<component><id>x</id><summary>s</summary></component>")
    problems = _appstream_problems(bare)
    assert "developer with an id and a name" in problems
    assert "a default screenshot" in problems
    assert "the current version as the newest release" in problems


def _fake_bundle(folder: Path) -> Path:
    folder.mkdir(parents=True)
    binary = folder / "JanusGUI"
    binary.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    binary.chmod(0o755)
    return folder


def _script(*args: str, data_home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_DATA_HOME": str(data_home), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        ["bash", str(INSTALL_SCRIPT), *args], env=env, capture_output=True, text=True, timeout=60
    )


def test_install_desktop_puts_the_bundle_in_the_menu_and_uninstall_takes_it_out(
    tmp_path: Path,
) -> None:
    bundle = _fake_bundle(tmp_path / "apps" / "JanusGUI")
    share = tmp_path / "share"
    done = _script("install", str(bundle), data_home=share)
    assert done.returncode == 0, done.stderr
    entry = _entry(share / "applications" / f"{DESKTOP_ID}.desktop")
    assert entry["Exec"] == entry["TryExec"] == str(bundle / "JanusGUI")
    assert entry["Icon"] == DESKTOP_ID
    assert (share / "metainfo" / f"{DESKTOP_ID}.metainfo.xml").is_file()
    for size in (16, 48, 256, 512):
        icon = share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{DESKTOP_ID}.png"
        assert icon.is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{DESKTOP_ID}.svg").is_file()

    done = _script("uninstall", data_home=share)
    assert done.returncode == 0, done.stderr
    left = [p for p in share.rglob("*") if p.is_file() and DESKTOP_ID in p.name]
    assert left == []


def test_install_desktop_without_a_bundle_is_a_clear_error(tmp_path: Path) -> None:
    share = tmp_path / "share"
    done = _script("install", str(tmp_path / "missing"), data_home=share)
    assert done.returncode == 2
    assert "build it with: bash scripts/build_app.sh" in done.stderr
    assert not share.exists()
    done = _script("frobnicate", data_home=share)
    assert done.returncode == 2 and "usage:" in done.stderr
