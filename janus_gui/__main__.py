"""``python -m janus_gui``: same as the ``janus-gui`` command."""

import sys

from janus_gui.cli import main

if __name__ == "__main__":
    sys.exit(main())
