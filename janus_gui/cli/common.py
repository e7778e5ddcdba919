"""What every ``janus-gui`` sub-command shares: exit codes, reading options, the catalog."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from janus_gui.core import inputs
from janus_gui.core.errors import InputError, JanusError, NotFoundError
from janus_gui.core.models import ShareClass

if TYPE_CHECKING:
    from janus_gui.core.lots import LotSchedule
    from janus_gui.core.repository import Repository

# Exit codes of every sub-command (README "Command line"); schedulers rely on them.
EXIT_OK = 0  # success: everything asked for was computed
EXIT_NO_MATCH = 1  # lookup found nothing
EXIT_INVALID = 2  # unusable input or usage: nothing written, an existing output untouched
EXIT_PARTIAL = 3  # finished, but some items (accounts, rows, redemptions) failed; see stderr
EXIT_SOME_FAILED = EXIT_PARTIAL  # `lookup --input`: some queries did not resolve

STDIO = "-"  # a file argument of "-" means standard input or standard output


class UsageError(JanusError):
    """Bad command-line usage; reported on stderr with exit code 2."""


def fail(message: str, code: int = EXIT_INVALID) -> NoReturn:
    """Report an error on stderr and exit; nothing is written to stdout."""
    sys.stderr.write(f"janus-gui: error: {message}\n")
    raise SystemExit(code)


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
    from janus_gui.core.lots_csv import read_lot_file

    if path == STDIO:
        result = read_lot_file(stdin_text())
    elif not Path(path).is_file():
        raise InputError(f"lot file not found: {path}")
    else:
        result = read_lot_file(path)
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
