"""Workspace files as the table sees them: the rows of an opened file, the file of the rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from janus_gui.core.workspace_file import LotText, Workspace
from janus_gui.workspace.rows import LotRow, row_from_text

PROGRESS_ROWS = 1000  # rows parsed between two progress reports


@dataclass(frozen=True, slots=True)
class OpenedWorkspace:
    """A workspace file read for the window: its inputs, the table's rows, how many are invalid."""

    inputs: Workspace  # portfolio, class, date, mode, quantity and NAV as typed; no lots
    rows: list[LotRow]
    invalid: int


def opened(
    workspace: Workspace, lots: Sequence[LotText], progress: Callable[[int], None] | None = None
) -> OpenedWorkspace:
    """Parse the saved rows of ``workspace`` (``lots``) as the table parses typed cells.

    ``progress(rows_done)`` is told after every ``PROGRESS_ROWS`` rows.
    """
    rows: list[LotRow] = []
    for number, lot in enumerate(lots, start=1):
        rows.append(row_from_text(lot))
        if progress is not None and number % PROGRESS_ROWS == 0:
            progress(number)
    invalid = sum(1 for r in rows if not r.valid)
    return OpenedWorkspace(replace(workspace, lots=()), rows, invalid)


def to_workspace(rows: Sequence[LotRow], inputs: Workspace) -> Workspace:
    """The workspace to save: ``inputs`` with ``rows`` as typed, in table (``#``) order."""
    return replace(inputs, lots=tuple(r.as_text() for r in rows))
