#!/usr/bin/env bash
# One entry point for people and CI. Each command does all of its own set-up:
#   bash scripts/dev.sh run [ARGS]   create .venv, install the app (runtime dependencies only), check
#                                    the system libraries of the Qt platform in use, start the app
#   bash scripts/dev.sh test         same set-up, then lint, type check (mypy --strict on the core),
#                                    the whole test suite (headless), the packaged-app build with
#                                    its --self-test and release archive, and the tests of the
#                                    built bundle (tests/bundle: on an X display under Xvfb, and
#                                    installed from the archive)
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

venv_package() {
  # The Debian/Ubuntu package providing `venv` for this exact Python (python3.11-venv, ...).
  "$1" -c 'import sys; print(f"python{sys.version_info[0]}.{sys.version_info[1]}-venv")'
}

as_root_install() {
  # Print what is about to be installed, then install it with apt's own output and errors.
  echo "installing with apt-get: $*" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
}

can_install() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }

create_venv() {
  local python package
  python=$(pick_python)
  package=$(venv_package "$python")
  if "$python" -m venv "$VENV"; then return 0; fi
  rm -rf "$VENV"  # a half-made .venv would block every later attempt
  if can_install; then
    as_root_install "$package"
    if "$python" -m venv "$VENV"; then return 0; fi
    rm -rf "$VENV"
  fi
  echo "error: cannot create a virtual environment with $python; run: sudo apt-get install -y $package" >&2
  exit 2
}

ensure_venv() {
  # $1: the extras to install ("" = runtime dependencies only, for `run`)
  local extras=$1 stamp wanted
  if [ -d "$VENV" ] && ! "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
    echo "removing an incomplete .venv" >&2
    rm -rf "$VENV"
  fi
  [ -x "$VENV/bin/python" ] || create_venv
  stamp="$VENV/.installed"
  wanted="$(sha256sum pyproject.toml | cut -d' ' -f1) ${extras:-runtime}"
  # A venv with every extra (editable, for development) also serves `run`; a runtime-only one
  # is a plain install of the checkout, redone when any of its files changed since.
  if [ -f "$stamp" ] && [ "$(cut -d' ' -f1 "$stamp")" = "${wanted%% *}" ]; then
    if [ "$(cut -d' ' -f2 "$stamp")" != runtime ]; then
      [ -z "$extras" ] || [ "$(cat "$stamp")" = "$wanted" ] && return 0
    elif [ -z "$extras" ] && [ -z "$(find janus_gui data resources -newer "$stamp" -print -quit)" ]; then
      return 0
    fi
  fi
  "$VENV/bin/python" -m pip install -q --upgrade pip
  if [ -n "$extras" ]; then
    "$VENV/bin/python" -m pip install -q -e ".[$extras]"
  else
    # Not editable: setuptools prints notes on every editable install; a user needs none.
    "$VENV/bin/python" -m pip install -q .
  fi
  echo "$wanted" > "$stamp"
}

ensure_packages() {
  # $1: what needs them; the rest: a command printing the missing packages, one per line
  local what=$1 pkgs
  shift
  mapfile -t pkgs < <("$@")
  [ ${#pkgs[@]} -gt 0 ] || return 0
  echo "$what needs system packages that are missing: ${pkgs[*]}" >&2
  if can_install; then
    as_root_install "${pkgs[@]}"
    mapfile -t pkgs < <("$@")
    [ ${#pkgs[@]} -eq 0 ] && return 0
    echo "error: $what still lacks packages: ${pkgs[*]}" >&2
    exit 2
  fi
  echo "run: sudo apt-get install -y ${pkgs[*]}" >&2
  exit 2
}

ensure_qt_libs() {
  # $1: the Qt platform that will be used (offscreen, xcb or wayland; "" = as Qt would choose)
  ensure_packages Qt "$VENV/bin/python" scripts/qt_probe.py ${1:+"$1"}
}

cmd=${1:-}
shift || true
case "$cmd" in
  run)
    ensure_venv ""
    ensure_qt_libs "${QT_QPA_PLATFORM:-}"
    exec "$VENV/bin/janus-gui" "$@"
    ;;
  test)
    ensure_venv "test,package,build"
    ensure_qt_libs offscreen
    export QT_QPA_PLATFORM=offscreen
    "$VENV/bin/ruff" check janus_gui tests scripts benchmarks
    "$VENV/bin/ruff" format --check janus_gui tests scripts benchmarks
    "$VENV/bin/mypy"  # strict on janus_gui/core and janus_gui/workspace ([tool.mypy])
    "$VENV/bin/python" -m pytest -q -p no:cacheprovider --ignore=tests/bundle "$@"
    if [ -f scripts/build_app.sh ]; then
      # The bundle carries the X11 libraries of Qt's xcb plugin: the build machine needs them.
      ensure_packages "The bundle's build" "$VENV/bin/python" scripts/qt_probe.py --linked-only xcb
      bash scripts/build_app.sh
      # The built bundle as users receive it: on an X display (Xvfb), and its release archive
      # installed into an empty home folder and removed again.
      ensure_packages "The bundle" python3 scripts/bundle_libs.py missing-required dist/JanusGUI
      JANUS_GUI_BUNDLE="$ROOT/dist/JanusGUI" "$VENV/bin/python" -m pytest -q -p no:cacheprovider \
        tests/bundle
    fi
    ;;
  bench)
    ensure_venv "test,package,build"
    ensure_qt_libs offscreen
    exec "$VENV/bin/python" benchmarks/run.py "$@"
    ;;
  *)
    echo "usage: bash scripts/dev.sh run|test|bench [ARGS]" >&2
    exit 2
    ;;
esac
