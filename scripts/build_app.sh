#!/usr/bin/env bash
# Build the packaged app (PyInstaller onedir, build.spec) into dist/JanusGUI, run its self-test
# headless, write the release archive dist/JanusGUI-<version>-linux-<arch>.tar.gz (the app, the
# user guide, install.sh/uninstall.sh, REQUIREMENTS.txt) with dist/SHA256SUMS, and print the
# bundle size on disk and the archive's size.
#   bash scripts/build_app.sh            (JANUS_ONEFILE=1 for a one-file build instead)
# Exits non-zero if the build, the self-test or the archive fails.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PYTHON="$ROOT/.venv/bin/python"
APP=JanusGUI
SELF_TEST_TIMEOUT=120

if [ ! -x "$PYTHON" ]; then
  echo "error: $PYTHON not found; run: bash scripts/dev.sh test (it creates .venv)" >&2
  exit 2
fi
if [ ! -f data/janus.sqlite ]; then
  echo "error: data/janus.sqlite is missing; build it first: .venv/bin/janus-gui build-db" >&2
  exit 2
fi

# Every build carries the X11 helper libraries Qt's xcb plugin links to (libxcb-cursor0, ...):
# PyInstaller bundles them only when this machine has them, so a build without them would
# expect them from every user's machine instead.
if [ "$(uname -s)" = Linux ]; then
  mapfile -t xcb_missing < <("$PYTHON" scripts/qt_probe.py --linked-only xcb)
  if [ ${#xcb_missing[@]} -gt 0 ]; then
    echo "error: install the libraries the bundle carries for X11 first: sudo apt-get install -y ${xcb_missing[*]}" >&2
    exit 2
  fi
fi

mkdir -p build
# Two builds in the same working tree would overwrite each other's dist/ and build/.
if command -v flock >/dev/null; then
  exec 9>build/.build_app.lock
  flock 9
fi
# macOS has no `timeout` unless coreutils is installed.
with_timeout() { if command -v timeout >/dev/null; then timeout "$@"; else shift; "$@"; fi; }

version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' janus_gui/__init__.py)
started=$(date +%s)
echo "building $APP $version with PyInstaller ..."
if ! "$PYTHON" -m PyInstaller build.spec --noconfirm --clean --log-level WARN \
     --distpath dist --workpath build/pyinstaller > build/pyinstaller.log 2>&1; then
  tail -n 40 build/pyinstaller.log >&2
  echo "error: PyInstaller failed (full log: build/pyinstaller.log)" >&2
  exit 1
fi
grep '^build.spec:' build/pyinstaller.log || true
echo "built in $(( $(date +%s) - started )) s"

if [ "${JANUS_ONEFILE:-}" = 1 ]; then
  exe="dist/$APP"
else
  exe="dist/$APP/$APP"
fi
[ -x "$exe" ] || { echo "error: $exe was not produced" >&2; exit 1; }

echo "running $exe --self-test (headless) ..."
# The bundle's own database is what ships: ignore any development override.
(
  unset JANUS_GUI_DB
  export QT_QPA_PLATFORM=offscreen
  with_timeout "$SELF_TEST_TIMEOUT" "$exe" --self-test
)

if [ "${JANUS_ONEFILE:-}" = 1 ]; then
  echo "bundle size (one file): $(du -sh "$exe" | cut -f1)"
  exit 0
fi
case "$(uname -s)" in
  Linux) platform=linux ;;
  Darwin) platform=macos ;;
  *) platform=$(uname -s | tr '[:upper:]' '[:lower:]') ;;
esac
release="$APP-$version-$platform-$(uname -m)"
archive="dist/$release.tar.gz"
rm -f dist/"$APP"-*.tar.gz dist/SHA256SUMS
if [ "$platform" = linux ]; then
  # The release as users receive it: the app, the user guide, install.sh/uninstall.sh and what
  # the machine needs, in one folder named like the archive.
  extras=build/release-extras
  rm -rf "$extras" && mkdir -p "$extras"
  cp resources/guide/user-guide.md "$extras/USER-GUIDE.md"
  cp packaging/linux/install.sh packaging/linux/uninstall.sh "$extras/"
  chmod 755 "$extras/install.sh" "$extras/uninstall.sh"
  python3 scripts/bundle_libs.py requirements "dist/$APP" "$version" > "$extras/REQUIREMENTS.txt"
  # flags=rh: rename members and hard-link targets, never the targets of the bundle's symlinks.
  tar -czf "$archive" --owner=0 --group=0 --numeric-owner --sort=name \
      --transform="flags=rh;s,^,$release/," \
      -C dist "$APP" -C "$ROOT/$extras" USER-GUIDE.md REQUIREMENTS.txt install.sh uninstall.sh
else
  tar -C dist -czf "$archive" "$APP"
fi
(cd dist && sha256sum "$release.tar.gz" > SHA256SUMS)
echo "bundle size on disk: $(du -sh "dist/$APP" | cut -f1) (dist/$APP)"
echo "bundle size as .tar.gz: $(du -h "$archive" | cut -f1) ($archive, checksum in dist/SHA256SUMS)"
