#!/usr/bin/env bash
# Install Janus Aspen Rules Desk for the current user; no root needed, nothing outside $HOME.
#   ./install.sh          (run from the unpacked release folder; run it again to update)
# Puts the app in ~/.local/opt/io.github.janus_gui, a `janus-gui` launcher in ~/.local/bin, the
# menu entry, AppStream file and icons under $XDG_DATA_HOME (~/.local/share). Every file and
# folder it creates is listed in ~/.local/opt/io.github.janus_gui/installed-files.txt, which
# uninstall.sh (also copied there) removes again.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
APP_ID=io.github.janus_gui
BINARY=JanusGUI
PREFIX="$HOME/.local/opt/$APP_ID"
BIN_DIR="$HOME/.local/bin"
LAUNCHER="$BIN_DIR/janus-gui"
DATA_HOME=${XDG_DATA_HOME:-$HOME/.local/share}
MANIFEST="$PREFIX/installed-files.txt"
ICON_SIZES="16 24 32 48 64 128 256 512"

fail() { echo "install.sh: error: $*" >&2; exit 2; }

[ -x "$HERE/$BINARY/$BINARY" ] || fail "$HERE/$BINARY/$BINARY not found; run install.sh from the unpacked release folder"
case "$HOME" in ''|/) fail "HOME is not set to a user's home folder" ;; esac
if [ -f "$PREFIX/uninstall.sh" ]; then
  echo "replacing the installed copy in $PREFIX"
  bash "$PREFIX/uninstall.sh" --quiet
fi

created_dirs=()
make_dir() {
  # mkdir -p, remembering each folder created (uninstall.sh removes them again if empty)
  local dir=$1 missing=()
  while [ ! -d "$dir" ]; do missing=("$dir" "${missing[@]}"); dir=$(dirname "$dir"); done
  for dir in "${missing[@]}"; do mkdir "$dir"; created_dirs+=("$dir"); done
}
files=()
put() {  # put SOURCE DEST [MODE]
  make_dir "$(dirname "$2")"
  cp "$1" "$2.tmp.$$" && chmod "${3:-644}" "$2.tmp.$$" && mv -f "$2.tmp.$$" "$2"
  files+=("$2")
}

make_dir "$PREFIX"
cp -a "$HERE/$BINARY" "$PREFIX/$BINARY"
for name in uninstall.sh REQUIREMENTS.txt USER-GUIDE.md; do
  cp "$HERE/$name" "$PREFIX/$name"
done
chmod 755 "$PREFIX/uninstall.sh"
EXE="$PREFIX/$BINARY/$BINARY"
RESOURCES="$PREFIX/$BINARY/_internal/resources"

launcher=$(mktemp)
printf '#!/bin/sh\n# Janus Aspen Rules Desk (installed by install.sh; removed by uninstall.sh)\nexec "%s" "$@"\n' "$EXE" > "$launcher"
put "$launcher" "$LAUNCHER" 755
rm -f "$launcher"

# The menu entry runs the installed binary (the packaged entry names the wheel's command).
entry=$(mktemp)
sed -e "s|^Exec=.*|Exec=\"$EXE\"|" -e "s|^TryExec=.*|TryExec=$EXE|" \
    "$RESOURCES/$APP_ID.desktop" > "$entry"
put "$entry" "$DATA_HOME/applications/$APP_ID.desktop"
rm -f "$entry"
put "$RESOURCES/$APP_ID.metainfo.xml" "$DATA_HOME/metainfo/$APP_ID.metainfo.xml"
for size in $ICON_SIZES; do
  put "$RESOURCES/icons/janus-gui-$size.png" "$DATA_HOME/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
done
put "$RESOURCES/icons/janus-gui.svg" "$DATA_HOME/icons/hicolor/scalable/apps/$APP_ID.svg"

{
  printf 'file\t%s\n' "${files[@]}"
  for (( i=${#created_dirs[@]}-1; i>=0; i-- )); do printf 'dir\t%s\n' "${created_dirs[$i]}"; done
} > "$MANIFEST"

echo "installed Janus Aspen Rules Desk in $PREFIX"
echo "  start it from the application menu, or run: janus-gui"

# Libraries the machine lacks (REQUIREMENTS.txt maps each to its package).
missing=$(find "$PREFIX/$BINARY" -name '*.so*' -type f -exec ldd {} + 2>/dev/null \
          | sed -n 's/^[[:space:]]*\([^[:space:]]*\) => not found.*/\1/p' | sort -u)
if [ -n "$missing" ]; then
  packages=$(for lib in $missing; do
    awk -v lib="$lib" '$1 == lib { print $2; found=1 } END { if (!found) print lib }' \
        "$PREFIX/REQUIREMENTS.txt"
  done | sort -u | tr '\n' ' ')
  echo "warning: this machine lacks libraries the app needs: $(echo $missing)" >&2
  echo "  install them with: sudo apt-get install -y $packages(see REQUIREMENTS.txt)" >&2
fi
case ":$PATH:" in
  *":$BIN_DIR:"*) ;;
  *) echo "note: $BIN_DIR is not on your PATH; add it (e.g. in ~/.profile) to run janus-gui by name" ;;
esac
