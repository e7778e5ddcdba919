"""The application icon, loaded from the bundled resources."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QIcon

from janus_gui import paths

logger = logging.getLogger(__name__)

ICON_NAME = "janus-gui"


def icon_dir() -> Path:
    """Folder holding the icon's SVG and PNG renderings."""
    return paths.resource_dir() / "icons"


def app_icon() -> QIcon:
    """The window and taskbar icon: every PNG size, plus the SVG for other sizes.

    PNGs come first so small sizes use the pixel-fitted renderings; the SVG needs Qt's SVG
    icon-engine plugin, which a trimmed bundle might lack, so it is only a fallback.
    """
    folder = icon_dir()
    icon = QIcon()
    for png in sorted(folder.glob(f"{ICON_NAME}-*.png")):
        icon.addFile(str(png))
    svg = folder / f"{ICON_NAME}.svg"
    if icon.isNull() and svg.is_file():
        icon.addFile(str(svg))
    if icon.isNull():
        logger.warning("application icon not found in %s", folder)
    return icon
