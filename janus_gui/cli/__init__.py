"""The ``janus-gui`` command: no sub-command opens the window; sub-commands run headless.

Each group of sub-commands lives in its own module and registers itself with ``add_commands``:
``catalog`` (lookup, show, build-db), ``fees`` (fee, fee-free), ``tools`` (exchange, convert,
costs, batch), ``compare`` (compare, changes). ``run_command`` is the one place where an error
becomes an exit code.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from janus_gui import __version__
from janus_gui.cli.common import (
    EXIT_INVALID,
    EXIT_NO_MATCH,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_SOME_FAILED,
    UsageError,
    fail,
    report_internal_error,
)
from janus_gui.core.errors import JanusError

__all__ = [
    "EXIT_INVALID",
    "EXIT_NO_MATCH",
    "EXIT_OK",
    "EXIT_PARTIAL",
    "EXIT_SOME_FAILED",
    "UsageError",
    "build_parser",
    "main",
    "run_command",
]

EXIT_INTERRUPTED = 130  # Ctrl+C, as a shell reports it


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors on stderr with exit code 2 and no traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        fail(message, EXIT_INVALID)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, every sub-command registered by its module."""
    from janus_gui.cli import catalog, compare, fees, tools
    from janus_gui.cli.help import attach_examples

    parser = _Parser(
        prog="janus-gui",
        description="Janus Aspen Series share-class rules desk. Without a sub-command, opens the "
        "window.",
    )
    parser.add_argument("--version", action="version", version=f"janus-gui {__version__}")
    parser.add_argument(
        "--self-test", action="store_true", help="check the database, engine and window; exit 0/1"
    )
    parser.add_argument(
        "--display-check",
        metavar="PNG",
        type=Path,
        help="open the window on the display in use, save a screenshot to PNG, search a CUSIP "
        "and close; exit 0/1 (for checking a machine or an install)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in (catalog, fees, tools, compare):
        module.add_commands(sub)
    attach_examples(parser, sub)
    return parser


def run_command(handler: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run a sub-command; every expected failure becomes exit 2 with nothing on stdout.

    The cyclic garbage collector is paused while a command runs: a large lot file creates
    millions of objects that hold no cycles, and repeated collections would triple the time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return int(handler(args))
    except JanusError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. `janus-gui show ... | head`: the reader left; not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:
        fail(f"cannot read or write {exc.filename or 'a file'}: {exc.strerror or exc}")
    except ArithmeticError:  # a number beyond what the calculators accept
        fail("a number is out of range for this calculation")
    except Exception as exc:  # noqa: BLE001 - the last resort: a bug, never a traceback
        return report_internal_error(exc)
    finally:
        if enabled:
            gc.enable()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``janus-gui`` and ``python -m janus_gui``."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments:
        from janus_gui.app import main as app_main

        return app_main(arguments)
    args = build_parser().parse_args(arguments)
    from janus_gui.core.safe_write import install_signal_cleanup

    install_signal_cleanup()  # SIGTERM/SIGHUP mid-write leave no temporary file behind
    if args.self_test:
        from janus_gui.selftest import run_self_test

        return run_self_test()
    if args.display_check:
        from janus_gui.display_check import run_display_check

        return run_display_check(args.display_check)
    if not getattr(args, "func", None):
        fail("choose a command; see `janus-gui --help`")
    return run_command(args.func, args)
