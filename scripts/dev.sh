#!/usr/bin/env bash
# One entry point for people and CI. Each command does all of its own set-up:
#   bash scripts/dev.sh run [ARGS]   create .venv, install, check Qt's system libraries, start the app
#   bash scripts/dev.sh test         same set-up, then lint, the whole test suite (headless), and the
#                                    packaged-app build with its --self-test
#   bash scripts/dev.sh bench [ARGS] same set-up, then benchmarks/run.py
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV="$ROOT/.venv"

pick_python() {
  for candidate in "${PYTHON:-}" python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  echo "error: Python 3.11 or newer is required (set PYTHON=/path/to/python3.11)" >&2
  exit 2
}

ensure_venv() {
  local python stamp wanted
  if [ ! -x "$VENV/bin/python" ]; then
    python=$(pick_python)
    if ! "$python" -m venv "$VENV" 2>/dev/null; then
      if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
        "$python" -m venv "$VENV"
      else
        echo "error: cannot create a virtual environment; run: sudo apt-get install python3-venv" >&2
        exit 2
      fi
    fi
  fi
  stamp="$VENV/.installed"
  wanted=$(cat pyproject.toml | sha256sum | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -e ".[test,package]"
    echo "$wanted" > "$stamp"
  fi
}

# Debian/Ubuntu package for each shared library Qt may need.
declare -A LIB_PACKAGE=(
  [libEGL.so.1]=libegl1 [libGL.so.1]=libgl1 [libOpenGL.so.0]=libopengl0 [libGLX.so.0]=libglx0
  [libxkbcommon.so.0]=libxkbcommon0 [libxkbcommon-x11.so.0]=libxkbcommon-x11-0
  [libfontconfig.so.1]=libfontconfig1 [libfreetype.so.6]=libfreetype6
  [libglib-2.0.so.0]=libglib2.0-0 [libgthread-2.0.so.0]=libglib2.0-0 [libgobject-2.0.so.0]=libglib2.0-0
  [libdbus-1.so.3]=libdbus-1-3 [libX11.so.6]=libx11-6 [libX11-xcb.so.1]=libx11-xcb1
  [libxcb.so.1]=libxcb1 [libxcb-cursor.so.0]=libxcb-cursor0 [libxcb-icccm.so.4]=libxcb-icccm4
  [libxcb-image.so.0]=libxcb-image0 [libxcb-keysyms.so.1]=libxcb-keysyms1
  [libxcb-randr.so.0]=libxcb-randr0 [libxcb-render-util.so.0]=libxcb-render-util0
  [libxcb-shape.so.0]=libxcb-shape0 [libxcb-xinerama.so.0]=libxcb-xinerama0
  [libxcb-xkb.so.1]=libxcb-xkb1 [libxcb-sync.so.1]=libxcb-sync1 [libxcb-xfixes.so.0]=libxcb-xfixes0
  [libxcb-shm.so.0]=libxcb-shm0 [libxcb-render.so.0]=libxcb-render0 [libxcb-util.so.1]=libxcb-util1
  [libSM.so.6]=libsm6 [libICE.so.6]=libice6 [libXext.so.6]=libxext6 [libXrender.so.1]=libxrender1
  [libwayland-client.so.0]=libwayland-client0 [libwayland-cursor.so.0]=libwayland-cursor0
  [libwayland-egl.so.1]=libwayland-egl1 [libgssapi_krb5.so.2]=libgssapi-krb5-2
  [libpng16.so.16]=libpng16-16 [libz.so.1]=zlib1g [libharfbuzz.so.0]=libharfbuzz0b
)

ensure_qt_libs() {
  # $1: "headless" (offscreen platform only) or "desktop" (also the X11 platform plugin)
  local qt libs missing pkgs lib
  qt=$("$VENV/bin/python" -c 'import pathlib, PySide6; print(pathlib.Path(PySide6.__file__).parent / "Qt")')
  libs=("$qt"/lib/libQt6Core.so.6 "$qt"/lib/libQt6Gui.so.6 "$qt"/lib/libQt6Widgets.so.6
        "$qt"/plugins/platforms/libqoffscreen.so)
  [ "$1" = desktop ] && libs+=("$qt"/plugins/platforms/libqxcb.so)
  missing=$(for f in "${libs[@]}"; do [ -f "$f" ] && ldd "$f" 2>/dev/null; done |
            awk '/not found/ {print $1}' | sort -u)
  [ -n "$missing" ] || return 0
  pkgs=()
  for lib in $missing; do pkgs+=("${LIB_PACKAGE[$lib]:-}"); done
  mapfile -t pkgs < <(printf '%s\n' "${pkgs[@]}" | grep -v '^$' | sort -u)
  echo "Qt needs system libraries that are missing: $(echo $missing)" >&2
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && [ ${#pkgs[@]} -gt 0 ]; then
    echo "installing: ${pkgs[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >/dev/null
  else
    echo "run: sudo apt-get install -y ${pkgs[*]}" >&2
    exit 2
  fi
}

cmd=${1:-}
shift || true
case "$cmd" in
  run)
    ensure_venv
    ensure_qt_libs desktop
    exec "$VENV/bin/janus-gui" "$@"
    ;;
  test)
    ensure_venv
    ensure_qt_libs headless
    export QT_QPA_PLATFORM=offscreen
    "$VENV/bin/ruff" check janus_gui tests scripts benchmarks
    "$VENV/bin/python" -m pytest -q -p no:cacheprovider "$@"
    if [ -f scripts/build_app.sh ]; then bash scripts/build_app.sh; fi
    ;;
  bench)
    ensure_venv
    ensure_qt_libs headless
    exec "$VENV/bin/python" benchmarks/run.py "$@"
    ;;
  *)
    echo "usage: bash scripts/dev.sh run|test|bench [ARGS]" >&2
    exit 2
    ;;
esac
