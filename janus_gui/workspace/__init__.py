"""The redemption-fee workspace without Qt: lot rows as typed, reading pasted text and lot files,
the computed outcome, and workspace files.

The window (``ui.workspace``) shows and edits these; the command line's ``fee --pdf`` computes
its record with ``workspace.outcome`` too, so both print the same figures.
"""
