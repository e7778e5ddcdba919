"""Build step: parse the source tables, load the curated seed, check, write ``janus.sqlite``.

Never imported by the app or the command line at module level (``janus-gui build-db`` imports
it lazily); it needs sqlite-utils, which the bundle leaves out.
"""
