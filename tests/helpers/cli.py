"""Running ``janus-gui`` sub-commands in-process, the way a shell would see them."""

from __future__ import annotations

import pytest

from janus_gui.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``(exit code, stdout, stderr)`` of one command; argparse and ``fail()`` exit by raising."""
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
