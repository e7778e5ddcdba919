"""Saver processes for the crash-safety test: save a workspace over and over until killed.

Usage: ``python workspace_saver_child.py PATH``. A saver first loads PATH (if present) to learn
the last sequence number, then saves sequence n+1, n+2, ... and prints each number after its save
returns. Every version is self-checking: the quantity, NAV and every lot id carry the sequence
number, and the lot count is a function of it.

Starting a Python process takes a few hundred milliseconds on a busy machine, so the test starts
this script once as a launcher that forks a fresh saver for each round: commands on stdin are
``go`` (fork a saver; answers ``pid N``) and ``reap N`` (wait for it; answers ``reaped N STATUS``).
Savers share the launcher's stdout; each line is one small write, so lines never interleave.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from janus_gui.core import workspace_file
from janus_gui.core.workspace_file import LotText, Workspace

PAD = "x" * 100  # makes each version several kilobytes, so a kill often lands mid-write


def lot_count(seq: int) -> int:
    """Lots in version ``seq`` (varies, so a mix of two versions has the wrong count)."""
    return seq % 37 + 10


def version(seq: int) -> Workspace:
    """The workspace saved as version ``seq``."""
    lots = tuple(
        LotText("2012-01-03", f"{seq}.{i % 1000:03d}", f"{seq}-{i}-{PAD}")
        for i in range(lot_count(seq))
    )
    return Workspace(
        "P13", "Service II", "2012-04-20", quantity=str(seq), nav=f"{seq}.00", lots=lots
    )


def sequence_of(workspace: Workspace) -> int:
    """The version number of a loaded workspace; ``ValueError`` if it is not self-consistent."""
    seq = int(workspace.quantity)
    if workspace != version(seq):
        raise ValueError(f"workspace claiming version {seq} is not that version")
    return seq


def main(path: Path) -> None:
    seq = sequence_of(workspace_file.load(path)) if path.exists() else 0
    while True:
        seq += 1
        workspace_file.save(path, version(seq))
        sys.stdout.write(f"{seq}\n")
        sys.stdout.flush()


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def serve(path: Path) -> None:
    """The launcher loop: fork savers and reap them on request."""
    for command in sys.stdin:
        word, _, argument = command.strip().partition(" ")
        if word == "go":
            pid = os.fork()
            if pid == 0:  # the saver: runs until killed
                try:
                    main(path)
                except BaseException as exc:  # noqa: BLE001 - reported to the test, then exit
                    _say(f"error {type(exc).__name__}: {exc}")
                finally:
                    os._exit(1)
            _say(f"pid {pid}")
        elif word == "reap":
            _, status = os.waitpid(int(argument), 0)
            _say(f"reaped {argument} {status}")
        else:
            return


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
