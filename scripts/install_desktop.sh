#!/usr/bin/env bash
# Add the packaged app (dist/JanusGUI, from scripts/build_app.sh) to the desktop's application
# menu for the current user, or take it out again. Nothing outside the user's XDG folders is touched.
#   bash scripts/install_desktop.sh install [BUNDLE_DIR]    (default: dist/JanusGUI)
#   bash scripts/install_desktop.sh uninstall
# Installs $XDG_DATA_HOME/applications/io.github.janus_gui.desktop (Exec = the bundle's binary),
# $XDG_DATA_HOME/metainfo/io.github.janus_gui.metainfo.xml and the icons under
# $XDG_DATA_HOME/icons/hicolor/. The app sets the same id as its desktop file name, so Wayland
# compositors match the window to this entry.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
APP_ID=io.github.janus_gui
BINARY=JanusGUI
DATA_HOME=${XDG_DATA_HOME:-$HOME/.local/share}
DESKTOP_FILE="$DATA_HOME/applications/$APP_ID.desktop"
METAINFO_FILE="$DATA_HOME/metainfo/$APP_ID.metainfo.xml"
ICON_SIZES="16 24 32 48 64 128 256 512"

refresh_caches() {
  # Optional helpers: menus pick the entry up without them, only later.
  if command -v update-desktop-database >/dev/null; then
    update-desktop-database -q "$DATA_HOME/applications" || true
  fi
  if command -v gtk-update-icon-cache >/dev/null && [ -f "$DATA_HOME/icons/hicolor/index.theme" ]; then
    gtk-update-icon-cache -q -t "$DATA_HOME/icons/hicolor" || true
  fi
}

install_entry() {
  local bundle exe size
  bundle=$(cd "${1:-$ROOT/dist/$BINARY}" 2>/dev/null && pwd) || {
    echo "error: bundle folder ${1:-dist/$BINARY} not found; build it with: bash scripts/build_app.sh" >&2
    exit 2
  }
  exe="$bundle/$BINARY"
  [ -x "$exe" ] || { echo "error: $exe is not an executable bundle binary" >&2; exit 2; }
  case "$exe" in *[[:space:]\"\'\\\`\$]*)
    echo "error: move the bundle to a folder whose path has no spaces or quotes: $bundle" >&2
    exit 2 ;;
  esac
  mkdir -p "$DATA_HOME/applications" "$DATA_HOME/metainfo"
  # The packaged entry runs the wheel's janus-gui-app; the bundle runs its own binary.
  sed -e "s|^Exec=.*|Exec=$exe|" -e "s|^TryExec=.*|TryExec=$exe|" \
      "resources/$APP_ID.desktop" > "$DESKTOP_FILE.tmp"
  mv "$DESKTOP_FILE.tmp" "$DESKTOP_FILE"
  cp "resources/$APP_ID.metainfo.xml" "$METAINFO_FILE"
  for size in $ICON_SIZES; do
    mkdir -p "$DATA_HOME/icons/hicolor/${size}x${size}/apps"
    cp "resources/icons/janus-gui-$size.png" "$DATA_HOME/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
  done
  mkdir -p "$DATA_HOME/icons/hicolor/scalable/apps"
  cp resources/icons/janus-gui.svg "$DATA_HOME/icons/hicolor/scalable/apps/$APP_ID.svg"
  refresh_caches
  echo "installed $DESKTOP_FILE (runs $exe)"
}

uninstall_entry() {
  local size
  rm -f "$DESKTOP_FILE" "$METAINFO_FILE" "$DATA_HOME/icons/hicolor/scalable/apps/$APP_ID.svg"
  for size in $ICON_SIZES; do
    rm -f "$DATA_HOME/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
  done
  refresh_caches
  echo "removed $APP_ID from $DATA_HOME"
}

case "${1:-}" in
  install) install_entry "${2:-}" ;;
  uninstall) uninstall_entry ;;
  *) echo "usage: bash scripts/install_desktop.sh install [BUNDLE_DIR] | uninstall" >&2; exit 2 ;;
esac
