"""Pure-Python core shared by the window and the command line. Never imports Qt."""
