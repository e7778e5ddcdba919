"""What every ``janus-gui`` sub-command shares: exit codes, reading options, the catalog."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from janus_gui.core import inputs
from janus_gui.core.errors import InputError, JanusError, NotFoundError
from janus_gui.core.models import ShareClass
from janus_gui.core.safe_text import escaped

if TYPE_CHECKING:
    from janus_gui.core.lots import LotSchedule
    from janus_gui.core.repository import Repository

# Exit codes of every sub-command (README "Command line"); schedulers rely on them.
EXIT_OK = 0  # success: everything asked for was computed
EXIT_NO_MATCH = 1  # lookup found nothing
EXIT_INVALID = 2  # unusable input or usage: nothing written, an existing output untouched
EXIT_PARTIAL = 3  # finished, but some items (accounts, rows, redemptions) failed; see stderr
EXIT_SOME_FAILED = EXIT_PARTIAL  # `lookup --input`: some queries did not resolve
EXIT_INTERNAL = 4  # an unexpected error (a bug): one line on stderr naming the log file

STDIO = "-"  # a file argument of "-" means standard input or standard output


class UsageError(JanusError):
    """Bad command-line usage; reported on stderr with exit code 2."""


def fail(message: str, code: int = EXIT_INVALID) -> NoReturn:
    """Report an error on stderr and exit; nothing is written to stdout."""
    raise SystemExit(print_error(message, code))


def print_error(message: str, code: int) -> int:
    """Write ``janus-gui: error: …`` on stderr; returns ``code``.

    User text (file names, cells, arguments) is echoed escaped: never interpreted by the
    terminal, and a lone surrogate from an undecodable argument cannot fail the write.
    """
    sys.stderr.write(f"janus-gui: error: {escaped(message, keep_newlines=True)}\n")
    return code


def report_internal_error(exc: BaseException) -> int:
    """The last resort for an exception no command expected: the traceback goes to the log
    file, the user gets one line naming it, and the exit code is ``EXIT_INTERNAL``."""
    from janus_gui.log import log_exception

    where = log_exception(exc, "unexpected error in a janus-gui command")
    summary = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if len(summary) > 200:
        summary = summary[:200] + "..."
    details = f"details in {where}" if where else "the log file could not be written"
    with contextlib.suppress(OSError, ValueError):  # stdout gone: the message still goes out
        sys.stdout.flush()
    return print_error(
        f"unexpected internal error ({summary}); this is a bug, please report it; {details}",
        EXIT_INTERNAL,
    )


# -- option values (every number and date through core.inputs) --------------------------------
def parse_date(text: str, *, what: str = "date") -> dt.date:
    """Accept ISO ``YYYY-MM-DD`` and the sources' ``M/D/YYYY`` (``core.inputs`` rules)."""
    try:
        return inputs.parse_date(text)
    except ValueError as exc:
        raise inputs.with_field(what, exc) from None


def add_db(parser: argparse.ArgumentParser) -> None:
    """The ``--db`` option of every command that reads the catalog."""
    parser.add_argument("--db", help="catalog database (default: the bundled one)")


def add_class_selector(parser: argparse.ArgumentParser) -> None:
    """``--cusip``, or ``--portfolio`` with ``--share-class``."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--cusip", help="CUSIP of the portfolio and class (e.g. 471021709)")
    group.add_argument("--portfolio", help="portfolio id (P4) or any current or former name")
    parser.add_argument(
        "--share-class",
        help="with --portfolio: Institutional, Service, Service II or Retirement",
    )


def resolve_class(repo: Repository, args: argparse.Namespace) -> tuple[str, ShareClass, str | None]:
    """(portfolio_id, class, cusip) from ``--cusip`` or ``--portfolio`` + ``--share-class``."""
    from janus_gui.core.identifiers import IdentifierKind, classify

    if args.cusip:
        found = classify(args.cusip)
        if found.kind not in (IdentifierKind.CUSIP, IdentifierKind.CUSIP8):
            raise InputError(f"--cusip {args.cusip!r} is not a CUSIP")
        security = repo.security(found.value)
        if security is None:
            raise NotFoundError(f"CUSIP {found.value} is not in the catalog")
        return security.portfolio_id, security.share_class, security.cusip
    if not args.portfolio or not args.share_class:
        raise UsageError("give --cusip, or --portfolio and --share-class")
    portfolio = repo.resolve_portfolio(args.portfolio)
    return portfolio.portfolio_id, ShareClass.parse(args.share_class), None


# -- files and the catalog ---------------------------------------------------------------------
def stdin_text() -> TextIO:
    """Standard input as UTF-8 text (a byte-order mark is skipped), newlines untranslated."""
    return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", newline="")


def read_schedule(path: str) -> tuple[LotSchedule, tuple[str, ...]]:
    """The lot schedule of ``--lots`` (``-``: standard input) and the reader's notes."""
    from janus_gui.core.lot_file import read_lot_file

    # A path is opened by the core: a folder, FIFO or device is refused and named.
    result = read_lot_file(stdin_text() if path == STDIO else path)
    return result.schedule, result.notes


def database_location(db_path: str | None = None) -> tuple[Path, bool]:
    """The catalog file (bundled, ``--db`` or ``JANUS_GUI_DB``) and whether it is immutable."""
    from janus_gui import paths

    path = Path(db_path).expanduser() if db_path else paths.database_path()
    return path, paths.database_is_bundled(path)


def open_repository(db_path: str | None = None) -> Repository:
    """Open the catalog read-only (bundled, or the file named by ``--db`` / ``JANUS_GUI_DB``)."""
    from janus_gui.core.repository import Repository

    path, immutable = database_location(db_path)
    return Repository.open(path, immutable=immutable)
