"""Janus Aspen Series share-class rules desk."""

__version__ = "0.1.0"
APP_NAME = "Janus Aspen Rules Desk"
APP_ID = "janus_gui"  # settings and user folders (unchanged, so existing settings are kept)
# Reverse-DNS id of the desktop app: setDesktopFileName, the .desktop file name, the AppStream id,
# and the icon name installed by scripts/install_desktop.sh.
DESKTOP_ID = "io.github.janus_gui"
