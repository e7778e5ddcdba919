"""Janus Aspen Series share-class rules desk."""

__version__ = "0.1.0"
APP_NAME = "Janus Aspen Rules Desk"
APP_ID = "janus_gui"
