"""``python -m janus_gui``: same as the ``janus-gui`` command.

Without arguments the window opens straight away: the command-line parser and the headless
commands are not imported on that path, which keeps start-up short.
"""

import sys

_WINDOW_ONLY = ([], ["--exit-after-paint"])

if __name__ == "__main__":
    if sys.argv[1:] in _WINDOW_ONLY:
        from janus_gui.app import main as app_main

        sys.exit(app_main(sys.argv[1:]))
    import multiprocessing

    multiprocessing.freeze_support()  # batch --jobs workers of a frozen app start here
    from janus_gui.cli import main

    sys.exit(main())
