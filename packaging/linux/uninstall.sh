#!/usr/bin/env bash
# Remove Janus Aspen Rules Desk installed by install.sh for the current user.
#   ~/.local/opt/io.github.janus_gui/uninstall.sh [--purge] [--quiet]
# Removes every file listed in installed-files.txt, then the folders install.sh created if they
# are empty, then the app folder. Settings, logs and saved workspaces stay unless --purge is given.
set -euo pipefail
APP_ID=io.github.janus_gui
USER_DIR_NAME=janus_gui
PREFIX="$HOME/.local/opt/$APP_ID"
MANIFEST="$PREFIX/installed-files.txt"
purge=0 quiet=0
for arg in "$@"; do
  case "$arg" in
    --purge) purge=1 ;;
    --quiet) quiet=1 ;;
    *) echo "usage: uninstall.sh [--purge] [--quiet]" >&2; exit 2 ;;
  esac
done
[ -f "$MANIFEST" ] || { echo "uninstall.sh: nothing installed in $PREFIX" >&2; exit 1; }

mapfile -t entries < "$MANIFEST"
for entry in "${entries[@]}"; do
  if [ "${entry%%$'\t'*}" = file ]; then rm -f -- "${entry#*$'\t'}"; fi
done
rm -rf -- "$PREFIX"
# The folders install.sh created, deepest first, where nothing else has been put in them since.
for entry in "${entries[@]}"; do
  if [ "${entry%%$'\t'*}" = dir ] && [ -d "${entry#*$'\t'}" ]; then
    rmdir -- "${entry#*$'\t'}" 2>/dev/null || true
  fi
done
if [ "$purge" = 1 ]; then
  for base in "${XDG_CONFIG_HOME:-$HOME/.config}" "${XDG_DATA_HOME:-$HOME/.local/share}" \
              "${XDG_STATE_HOME:-$HOME/.local/state}" "${XDG_CACHE_HOME:-$HOME/.cache}"; do
    rm -rf -- "${base:?}/$USER_DIR_NAME"
  done
fi
[ "$quiet" = 1 ] || echo "removed Janus Aspen Rules Desk ($APP_ID) from $HOME"
