"""Helpers shared by the hardening tests (imported by name; not a conftest)."""

from __future__ import annotations

import traceback
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NASTY = ROOT / "tests" / "data" / "nasty"


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run ``janus_gui.cli.main`` in-process; any exception other than SystemExit fails the test.

    Returns:
        (exit code, stdout, stderr).
    """
    from janus_gui import cli

    capsys.readouterr()
    try:
        code = cli.main(argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    except BaseException as exc:  # a user would have seen a traceback
        out, err = capsys.readouterr()
        detail = "".join(traceback.format_exception(exc))
        pytest.fail(f"janus-gui {argv!r} raised instead of exiting cleanly:\n{detail}")
    out, err = capsys.readouterr()
    return int(code), out, err
