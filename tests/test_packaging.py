"""Packaging: build.spec, bundled resources, icons, desktop metadata, the three layouts, self-test.

Expected values are written from the file-format specifications (ICO, ICNS, PNG, desktop entry,
AppStream) and from ``janus_gui/paths.py``'s documented layouts, not from the code under test.
"""

from __future__ import annotations

import configparser
import glob
import importlib.util
import os
import re
import shutil
import sqlite3
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest

import janus_gui
from janus_gui import paths

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build.spec"
ICONS = ROOT / "resources" / "icons"
SOURCE_NAMES = sorted(p.name for p in (ROOT / "data" / "sources").iterdir())
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _png_dimensions(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (PNG spec: signature, length, 'IHDR', w, h)."""
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def _fake_png(width: int, height: int) -> bytes:
    """Just enough of a PNG for container writers: signature and an IHDR chunk."""
    ihdr = struct.pack(">II", width, height) + bytes([8, 6, 0, 0, 0])
    return PNG_SIGNATURE + struct.pack(">I", 13) + b"IHDR" + ihdr + b"\0\0\0\0"


# -- build.spec, executed with PyInstaller's spec globals replaced by recorders -----------------
class _SpecRun(SimpleNamespace):
    """What build.spec handed to Analysis, EXE, COLLECT and BUNDLE."""


def _run_spec(spec_root: Path, monkeypatch: pytest.MonkeyPatch, *, onefile: bool = False):
    if onefile:
        monkeypatch.setenv("JANUS_ONEFILE", "1")
    else:
        monkeypatch.delenv("JANUS_ONEFILE", raising=False)
    run = _SpecRun(analysis=None, exe=None, collect=None, bundle=None)

    def analysis(scripts, **kwargs):
        run.analysis = SimpleNamespace(scripts=scripts, **kwargs)
        return SimpleNamespace(binaries=[], datas=[], pure=[], scripts=["main"])

    def record(name):
        def recorder(*args, **kwargs):
            setattr(run, name, SimpleNamespace(args=args, **kwargs))
            return name

        return recorder

    namespace = {
        "__name__": "__main__",
        "SPECPATH": str(spec_root),
        "Analysis": analysis,
        "PYZ": lambda *args, **kwargs: "pyz",
        "EXE": record("exe"),
        "COLLECT": record("collect"),
        "BUNDLE": record("bundle"),
    }
    code = compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec")
    exec(code, namespace)  # noqa: S102 (the spec is our own file; this is how PyInstaller runs it)
    run.namespace = namespace
    return run


@pytest.fixture
def spec_run(monkeypatch: pytest.MonkeyPatch) -> _SpecRun:
    return _run_spec(ROOT, monkeypatch)


def test_build_spec_compiles() -> None:
    compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec")


def test_every_datas_source_in_build_spec_exists(spec_run: _SpecRun) -> None:
    datas = spec_run.analysis.datas
    assert datas, "build.spec bundles no data"
    for source, _dest in datas:
        assert glob.glob(source), f"build.spec names {source}, which does not exist"


def test_bundle_layout_mirrors_paths_module(spec_run: _SpecRun) -> None:
    by_dest: dict[str, list[Path]] = {}
    for source, dest in spec_run.analysis.datas:
        by_dest.setdefault(dest, []).extend(Path(p) for p in glob.glob(source))
    assert ROOT / "data" / "janus.sqlite" in by_dest["data"]
    assert sorted(p.name for p in by_dest["data/sources"]) == SOURCE_NAMES
    assert len(SOURCE_NAMES) == 5
    assert ROOT / "resources" in by_dest["resources"]


def test_build_spec_entry_point_and_version(spec_run: _SpecRun) -> None:
    assert [Path(s) for s in spec_run.analysis.scripts] == [ROOT / "janus_gui" / "__main__.py"]
    assert spec_run.namespace["VERSION"] == janus_gui.__version__


def test_build_spec_excludes_builder_and_other_bindings(spec_run: _SpecRun) -> None:
    excludes = set(spec_run.analysis.excludes)
    wanted = {"tkinter", "sqlite_utils", "click", "janus_gui.dbbuild", "PyQt5", "PyQt6"}
    assert wanted <= excludes
    assert {"PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtNetwork"} <= excludes
    hidden = spec_run.analysis.hiddenimports
    assert "janus_gui.selftest" in hidden
    assert not [name for name in hidden if name.startswith("janus_gui.dbbuild")]


def test_build_spec_is_onedir_by_default(spec_run: _SpecRun) -> None:
    assert spec_run.exe.name == "JanusGUI"
    assert spec_run.exe.exclude_binaries is True
    assert spec_run.collect is not None and spec_run.collect.name == "JanusGUI"
    if sys.platform.startswith("linux"):
        assert spec_run.exe.console is True
        assert spec_run.bundle is None


def test_build_spec_onefile_on_request(monkeypatch: pytest.MonkeyPatch) -> None:
    run = _run_spec(ROOT, monkeypatch, onefile=True)
    assert run.collect is None
    assert "exclude_binaries" not in vars(run.exe)
    assert run.exe.name == "JanusGUI"


def test_build_spec_fails_early_without_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "janus_gui").mkdir()
    (tmp_path / "janus_gui" / "__init__.py").write_text('__version__ = "9.9.9"\n')
    with pytest.raises(SystemExit, match=r"janus\.sqlite is missing"):
        _run_spec(tmp_path, monkeypatch)


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/lib/libQt6Core.so.6", True),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", True),
        ("PySide6/Qt/lib/libQt6Svg.so.6", True),
        ("PySide6/Qt/lib/libQt6Quick.so.6", False),
        ("PySide6/Qt/lib/libQt6Qml.so.6", False),
        ("PySide6/Qt/lib/libQt6Network.so.6", False),
        ("PySide6/Qt/lib/libQt6Pdf.so.6", False),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", True),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
        ("PySide6/Qt/plugins/imageformats/libqtiff.so", False),
        ("PySide6/Qt/plugins/iconengines/libqsvgicon.so", True),
        ("PySide6/Qt/plugins/sqldrivers/libqsqlite.so", False),
        ("PySide6/Qt/plugins/qmltooling/libqmldbg_tcp.so", False),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
        ("PySide6/Qt/qml/QtQuick/Controls/qmldir", False),
        ("PySide6\\Qt6Core.dll", True),
        ("PySide6\\Qt6Quick.dll", False),
        ("PySide6\\plugins\\platforms\\qwindows.dll", True),
        ("PySide6\\plugins\\platforms\\qdirect2d.dll", False),
        ("PySide6\\opengl32sw.dll", False),
        ("PySide6\\d3dcompiler_47.dll", False),
        ("PySide6\\plugins\\styles\\qmodernwindowsstyle.dll", True),
        ("PySide6/Qt/lib/QtCore.framework/Versions/A/QtCore", True),
        ("PySide6/Qt/lib/QtQuick.framework/Versions/A/QtQuick", False),
        ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", True),
        ("libpython3.11.so.1.0", True),
        ("data/janus.sqlite", True),
        ("resources/icons/janus-gui.svg", True),
    ],
)
def test_qt_trimming_keeps_only_what_the_app_loads(
    spec_run: _SpecRun, dest: str, kept: bool
) -> None:
    assert spec_run.namespace["_qt_file_is_wanted"](dest) is kept


@pytest.mark.parametrize("app_translates", [True, False])
def test_qt_translations_are_kept_only_when_the_app_loads_them(
    spec_run: _SpecRun, app_translates: bool
) -> None:
    spec_run.namespace["KEEP_QT_TRANSLATIONS"] = app_translates
    wanted = spec_run.namespace["_qt_file_is_wanted"]
    assert wanted("PySide6/Qt/translations/qtbase_de.qm") is app_translates
    assert wanted("PySide6/Qt/translations/qtdeclarative_de.qm") is False
    assert wanted("PySide6/Qt/translations/assistant_de.qm") is False


def test_qt_translations_follow_the_apps_use_of_qtranslator(spec_run: _SpecRun) -> None:
    uses_translator = any(
        "QTranslator" in p.read_text(encoding="utf-8") for p in (ROOT / "janus_gui").rglob("*.py")
    )
    assert spec_run.namespace["KEEP_QT_TRANSLATIONS"] is uses_translator


def test_qt_trimming_drops_links_to_dropped_files(spec_run: _SpecRun) -> None:
    without_dangling = spec_run.namespace["_without_dangling_links"]
    entries = [
        ("PySide6/Qt/lib/libQt6Core.so.6", "/x/libQt6Core.so.6", "BINARY"),
        ("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),
        ("libQt6Quick.so.6", "PySide6/Qt/lib/libQt6Quick.so.6", "SYMLINK"),
    ]
    assert [e[0] for e in without_dangling(entries)] == [
        "PySide6/Qt/lib/libQt6Core.so.6",
        "libQt6Core.so.6",
    ]


def test_libraries_only_needed_by_dropped_plugins_are_dropped(spec_run: _SpecRun) -> None:
    import PySide6

    qt = Path(PySide6.__file__).parent
    binding = ("PySide6/QtCore.abi3.so", str(qt / "QtCore.abi3.so"), "EXTENSION")
    core = ("PySide6/Qt/lib/libQt6Core.so.6", str(qt / "Qt/lib/libQt6Core.so.6"), "BINARY")
    svg = ("PySide6/Qt/lib/libQt6Svg.so.6", str(qt / "Qt/lib/libQt6Svg.so.6"), "BINARY")
    plugin = (
        "PySide6/Qt/plugins/imageformats/libqsvg.so",
        str(qt / "Qt/plugins/imageformats/libqsvg.so"),
        "BINARY",
    )
    drop_orphans = spec_run.namespace["_drop_orphaned_libraries"]
    # With the SVG plugin gone, nothing kept links to libQt6Svg; QtCore's binding still needs Core.
    kept = drop_orphans([binding, core, svg, plugin], [binding, core, svg])
    assert [e[0] for e in kept] == [binding[0], core[0]]
    # With the plugin kept, the SVG library stays.
    kept = drop_orphans([binding, core, svg, plugin], [binding, core, svg, plugin])
    assert [e[0] for e in kept] == [binding[0], core[0], svg[0], plugin[0]]


# -- paths.py in the three layouts -------------------------------------------------------------
def test_paths_in_a_checkout() -> None:
    assert paths.layout() == "checkout"
    assert paths.data_dir() == ROOT / "data"
    assert paths.resource_dir() == ROOT / "resources"
    assert paths.database_path() == ROOT / "data" / "janus.sqlite"
    assert sorted(p.name for p in paths.sources_dir().iterdir()) == SOURCE_NAMES
    assert (paths.resource_dir() / "icons" / "janus-gui.svg").is_file()
    assert paths.user_guide_path() == ROOT / "resources" / "guide" / "user-guide.md"
    assert paths.user_guide_path().is_file()


@pytest.fixture
def frozen_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary folder laid out like dist/JanusGUI/_internal, set as sys._MEIPASS."""
    bundle = tmp_path / "_internal"
    (bundle / "data").mkdir(parents=True)
    (bundle / "data" / "janus.sqlite").write_bytes(b"bundled copy")
    shutil.copytree(ROOT / "data" / "sources", bundle / "data" / "sources")
    shutil.copytree(ROOT / "resources", bundle / "resources")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    return bundle


def test_paths_in_a_frozen_bundle(frozen_bundle: Path) -> None:
    assert paths.is_frozen()
    assert paths.layout() == "frozen"
    assert paths.data_dir() == frozen_bundle / "data"
    assert paths.resource_dir() == frozen_bundle / "resources"
    assert paths.database_path() == frozen_bundle / "data" / "janus.sqlite"
    assert paths.database_is_bundled(paths.database_path())
    assert sorted(p.name for p in paths.sources_dir().iterdir()) == SOURCE_NAMES
    assert paths.user_guide_path() == frozen_bundle / "resources" / "guide" / "user-guide.md"
    assert paths.user_guide_path().is_file()


def test_frozen_database_override_is_not_treated_as_bundled(
    frozen_bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other.sqlite"
    other.write_bytes(b"")
    monkeypatch.setenv("JANUS_GUI_DB", str(other))
    assert paths.database_path() == other
    assert not paths.database_is_bundled(other)


def test_app_icon_loads_from_the_frozen_bundle(frozen_bundle: Path, qapp) -> None:
    from PySide6.QtCore import QSize

    from janus_gui.ui import icons

    assert icons.icon_dir() == frozen_bundle / "resources" / "icons"
    icon = icons.app_icon()
    assert not icon.isNull()
    sizes = set(icon.availableSizes())
    assert {QSize(16, 16), QSize(32, 32), QSize(256, 256), QSize(512, 512)} <= sizes


def _copy_project(dest: Path) -> None:
    """The files a wheel is built from, without caches (the checkout itself stays untouched)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    dest.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, dest / name)
    for name in ("janus_gui", "data", "resources"):
        shutil.copytree(ROOT / name, dest / name, ignore=ignore)


@pytest.mark.slow
def test_paths_in_an_installed_wheel(tmp_path: Path) -> None:
    project, wheels, target = tmp_path / "project", tmp_path / "wheels", tmp_path / "target"
    _copy_project(project)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", str(project), "--no-deps", "-w", str(wheels)], check=True)
    (wheel,) = wheels.glob("janus_gui-*.whl")
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True)

    probe = (
        "import janus_gui, janus_gui.paths as p;"
        "print(janus_gui.__file__); print(p.layout()); print(p.data_dir());"
        "print(p.resource_dir()); print(p.database_path())"
    )
    env = {k: v for k, v in os.environ.items() if k != "JANUS_GUI_DB"}
    env["PYTHONPATH"] = str(target)
    out = subprocess.run(
        [sys.executable, "-c", probe],
        env=env,
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    package_file, layout, data_dir, resource_dir, database = out
    package = target / "janus_gui"
    assert Path(package_file) == package / "__init__.py"
    assert layout == "installed"
    assert Path(data_dir) == package / "_data"
    assert Path(resource_dir) == package / "_resources"
    assert Path(database) == package / "_data" / "janus.sqlite"
    assert Path(database).is_file()
    assert sorted(p.name for p in (package / "_data" / "sources").iterdir()) == SOURCE_NAMES
    assert (package / "_resources" / "icons" / "janus-gui.svg").is_file()
    assert (package / "_resources" / f"{janus_gui.DESKTOP_ID}.desktop").is_file()
    assert (package / "_resources" / "guide" / "user-guide.md").is_file()
    shipped = {p.relative_to(package) for p in package.rglob("*.py")}
    source = {p.relative_to(ROOT / "janus_gui") for p in (ROOT / "janus_gui").rglob("*.py")}
    assert not source - shipped, f"modules missing from the wheel: {sorted(source - shipped)}"


# -- icons ---------------------------------------------------------------------------------------
def _load_make_icons() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_icons", ROOT / "scripts" / "make_icons.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def make_icons() -> ModuleType:
    return _load_make_icons()


def test_ico_writer_header_parses_back(make_icons: ModuleType) -> None:
    images = [_fake_png(16, 16), _fake_png(48, 48), _fake_png(256, 256)]
    data = make_icons.build_ico(images)
    # ICONDIR: reserved 0, type 1 (icon), count.
    assert struct.unpack_from("<HHH", data, 0) == (0, 1, 3)
    offsets = []
    for index, (size, image) in enumerate(zip((16, 48, 256), images, strict=True)):
        width, height, colors, reserved, planes, bits, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * index
        )
        stored = 0 if size == 256 else size  # the format stores 256 as 0
        assert (width, height, colors, reserved, planes, bits) == (stored, stored, 0, 0, 1, 32)
        assert data[offset : offset + length] == image
        offsets.append(offset)
    assert offsets[0] == 6 + 16 * 3
    assert make_icons.read_ico(data) == [
        (16, 16, images[0]),
        (48, 48, images[1]),
        (256, 256, images[2]),
    ]


def test_ico_writer_refuses_images_over_256_px(make_icons: ModuleType) -> None:
    with pytest.raises(ValueError, match="256"):
        make_icons.build_ico([_fake_png(512, 512)])


def test_icns_writer_header_parses_back(make_icons: ModuleType) -> None:
    small, large = _fake_png(16, 16), _fake_png(32, 32)
    data = make_icons.build_icns([("icp4", small), ("ic11", large)])
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data)
    assert data[8:12] == b"icp4"
    assert struct.unpack(">I", data[12:16])[0] == 8 + len(small)
    assert data[16 : 16 + len(small)] == small
    second = 16 + len(small)
    assert data[second : second + 4] == b"ic11"
    assert make_icons.read_icns(data) == [("icp4", small), ("ic11", large)]


def test_icns_writer_refuses_bad_type_codes(make_icons: ModuleType) -> None:
    with pytest.raises(ValueError, match="four characters"):
        make_icons.build_icns([("ic7", _fake_png(16, 16))])


def test_committed_pngs_have_their_named_sizes() -> None:
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        data = (ICONS / f"janus-gui-{size}.png").read_bytes()
        assert _png_dimensions(data) == (size, size)


def test_committed_ico_holds_every_windows_size(make_icons: ModuleType) -> None:
    entries = make_icons.read_ico((ICONS / "janus-gui.ico").read_bytes())
    assert sorted(width for width, _, _ in entries) == [16, 24, 32, 48, 64, 128, 256]
    for width, height, image in entries:
        assert _png_dimensions(image) == (width, height)


def test_committed_icns_types_match_their_pixel_sizes(make_icons: ModuleType) -> None:
    # Apple's ICNS PNG element types and the pixel size each must hold.
    expected = {
        "icp4": 16,
        "icp5": 32,
        "icp6": 64,
        "ic07": 128,
        "ic08": 256,
        "ic09": 512,
        "ic11": 32,
        "ic12": 64,
        "ic13": 256,
        "ic14": 512,
    }
    elements = dict(make_icons.read_icns((ICONS / "janus-gui.icns").read_bytes()))
    assert set(elements) == set(expected)
    for kind, size in expected.items():
        assert _png_dimensions(elements[kind]) == (size, size), kind


def test_svg_renders_a_tile_with_transparent_corners(make_icons: ModuleType, qapp) -> None:
    from PySide6.QtGui import QImage

    (png,) = make_icons.render_pngs(ICONS / "janus-gui.svg", [64]).values()
    image = QImage.fromData(png)
    assert (image.width(), image.height()) == (64, 64)
    # The SVG draws on a 256-unit grid; at 64 px one pixel is 4 units.
    assert image.pixelColor(0, 0).alpha() == 0  # outside the rounded tile (16..240)
    tile = image.pixelColor(8, 32)  # left part of the tile, beside the J
    assert tile.alpha() == 255 and tile.blue() > 2 * tile.red()
    shaft = image.pixelColor(34, 28)  # white part of the J's shaft (x 128..160, y 64..160)
    assert min(shaft.red(), shaft.green(), shaft.blue()) >= 240


# -- desktop entry and AppStream metadata --------------------------------------------------------
DESKTOP_KEYS = {  # keys recognised by the Desktop Entry Specification 1.5
    "Type",
    "Version",
    "Name",
    "GenericName",
    "NoDisplay",
    "Comment",
    "Icon",
    "Hidden",
    "OnlyShowIn",
    "NotShowIn",
    "DBusActivatable",
    "TryExec",
    "Exec",
    "Path",
    "Terminal",
    "Actions",
    "MimeType",
    "Categories",
    "Implements",
    "Keywords",
    "StartupNotify",
    "StartupWMClass",
    "URL",
    "PrefersNonDefaultGPU",
    "SingleMainWindow",
}


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(ROOT / "resources" / f"{janus_gui.DESKTOP_ID}.desktop", encoding="utf-8")
    assert parser.sections() == ["Desktop Entry"]
    return parser["Desktop Entry"]


def test_desktop_entry_keys() -> None:
    entry = _desktop_entry()
    assert set(entry) <= DESKTOP_KEYS, f"unknown keys: {set(entry) - DESKTOP_KEYS}"
    assert entry["Type"] == "Application"
    assert entry["Name"] == janus_gui.APP_NAME
    assert entry["Exec"].split()[0] == "janus-gui-app"  # the [project.gui-scripts] command
    assert entry["Terminal"] == "false"
    assert entry["Categories"].endswith(";")
    assert "Office" in entry["Categories"].split(";")
    assert entry["Keywords"].endswith(";")
    assert entry["Icon"] == janus_gui.DESKTOP_ID  # installed under that name by install_desktop.sh


def test_appstream_metainfo_structure() -> None:
    path = ROOT / "resources" / "io.github.janus_gui.metainfo.xml"
    root = ET.parse(path).getroot()
    assert root.tag == "component"
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == "io.github.janus_gui"
    assert path.name == f"{root.findtext('id')}.metainfo.xml"
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("project_license")
    assert root.findtext("name") == janus_gui.APP_NAME
    summary = root.findtext("summary") or ""
    assert 0 < len(summary) <= 100 and not summary.endswith(".")
    assert root.findall("description/p"), "the description needs at least one paragraph"
    launchable = root.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id"
    assert (ROOT / "resources" / (launchable.text or "")).is_file()
    assert [b.text for b in root.findall("provides/binary")] == ["janus-gui", "janus-gui-app"]
    releases = root.findall("releases/release")
    assert releases and releases[0].get("version") == janus_gui.__version__
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", releases[0].get("date") or "")


# -- self-test -----------------------------------------------------------------------------------
SUMMARY = re.compile(
    r"^self-test: 8/8 checks passed \(database ok, lookup ok, fee ok, costs ok, pdf ok, sheet ok, "
    r"print ok, window ok\) in \d+\.\d\d s$"
)


def _self_test(env_changes: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "JANUS_GUI_DB"}
    env.update(QT_QPA_PLATFORM="offscreen", **env_changes)
    return subprocess.run(
        [sys.executable, "-m", "janus_gui", "--self-test"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_self_test_passes_on_the_bundled_database() -> None:
    result = _self_test({})
    assert result.returncode == 0, result.stdout + result.stderr
    assert SUMMARY.match(result.stdout.strip()), result.stdout


def test_self_test_names_a_missing_database(tmp_path: Path) -> None:
    result = _self_test({"JANUS_GUI_DB": str(tmp_path / "absent.sqlite")})
    assert result.returncode == 1
    assert "database FAILED" in result.stdout
    assert "self-test: database FAILED" in result.stderr
    assert "missing" in result.stderr


def test_self_test_detects_an_altered_database(tmp_path: Path) -> None:
    altered = tmp_path / "altered.sqlite"
    shutil.copy2(ROOT / "data" / "janus.sqlite", altered)
    with sqlite3.connect(altered) as db:
        changed = db.execute("UPDATE security SET ticker = 'JAXX' WHERE ticker = 'JAIG'").rowcount
    assert changed == 1
    result = _self_test({"JANUS_GUI_DB": str(altered)})
    assert result.returncode == 1
    assert "database FAILED" in result.stdout
    assert "altered" in result.stderr


def test_self_test_summary_names_each_failed_check(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from janus_gui import selftest

    def broken(ctx) -> str:
        raise selftest.SelfTestError("fee 2.00, expected 12.00")

    checks = (("database", lambda ctx: "ok"), ("fee", broken), ("window", lambda ctx: "ok"))
    monkeypatch.setattr(selftest, "CHECKS", checks)
    assert selftest.run_self_test() == 1
    out, err = capsys.readouterr()
    assert re.match(
        r"^self-test: 2/3 checks passed \(database ok, fee FAILED, window ok\) in \d+\.\d\d s$",
        out.strip(),
    )
    assert "self-test: fee FAILED: SelfTestError: fee 2.00, expected 12.00" in err


def test_self_test_returns_zero_when_every_check_passes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from janus_gui import selftest

    monkeypatch.setattr(selftest, "CHECKS", (("database", lambda ctx: "ok"),))
    assert selftest.run_self_test() == 0
    assert capsys.readouterr().out.startswith("self-test: 1/1 checks passed (database ok) in ")


def _record_checks(selftest):
    return tuple(
        c for c in selftest.CHECKS if c[0] in ("database", "lookup", "pdf", "sheet", "print")
    )


@pytest.mark.usefixtures("qapp")
def test_self_test_pdf_and_print_fail_when_the_record_lacks_a_word(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from janus_gui import selftest

    monkeypatch.setattr(selftest, "CHECKS", _record_checks(selftest))
    monkeypatch.setattr(selftest, "RECORD_WORDS", ("$12.00", "Fee that may apply: $13.00"))
    monkeypatch.setattr(selftest, "SHEET_WORDS", ("Class rule sheet", "Redemption fee: 2.00%"))
    assert selftest.run_self_test() == 1
    out, err = capsys.readouterr()
    assert "(database ok, lookup ok, pdf FAILED, sheet FAILED, print FAILED)" in out
    assert "self-test: sheet FAILED: SelfTestError: rule-sheet.pdf: the text lacks " in err
    assert "'Redemption fee: 2.00%'" in err and "'Class rule sheet'" not in err
    assert "self-test: pdf FAILED: SelfTestError: fee-record.pdf: the text lacks " in err
    assert "self-test: print FAILED: SelfTestError: printed.pdf: the text lacks " in err
    assert "'Fee that may apply: $13.00'" in err and "'$12.00'" not in err


@pytest.mark.usefixtures("qapp")
def test_self_test_pdf_and_print_fail_on_the_wrong_page_size(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from janus_gui import selftest

    monkeypatch.setattr(selftest, "CHECKS", _record_checks(selftest))
    # Swapped: the export is Letter and the printout A4, so each now expects the other.
    monkeypatch.setattr(selftest, "LETTER_POINTS", (595.0, 842.0))
    monkeypatch.setattr(selftest, "A4_POINTS", (612.0, 792.0))
    assert selftest.run_self_test() == 1
    err = capsys.readouterr().err
    assert "fee-record.pdf: page size (612.0, 792.0), expected (595.0, 842.0)" in err
    assert "rule-sheet.pdf: page size (595.0, 842.0), expected (612.0, 792.0)" in err
    assert "printed.pdf: page size (595.0, 842.0), expected (612.0, 792.0)" in err
