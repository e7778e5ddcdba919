"""``python -m janus_gui``: same as the ``janus-gui`` command.

Without arguments the window opens straight away: the command-line parser and the headless
commands are not imported on that path, which keeps start-up short.
"""

import sys

if __name__ == "__main__":
    if not sys.argv[1:]:
        from janus_gui.app import main as app_main

        sys.exit(app_main([]))
    import multiprocessing

    multiprocessing.freeze_support()  # batch --jobs workers of a frozen app start here
    from janus_gui.cli import main

    sys.exit(main())
