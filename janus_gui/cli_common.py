"""Helpers shared by every ``janus-gui`` sub-command: I/O conventions, dates, JSON."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import sys
from collections.abc import Mapping
from dataclasses import asdict, is_dataclass
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, NoReturn, TextIO

from janus_gui.core import inputs
from janus_gui.core.errors import JanusError
from janus_gui.core.models import Citation, FeeRule, Standing, Support
from janus_gui.core.safe_text import escaped

# Exit codes of every sub-command (README "Command line"); schedulers rely on them.
EXIT_OK = 0  # success: everything asked for was computed
EXIT_NO_MATCH = 1  # lookup found nothing
EXIT_INVALID = 2  # unusable input or usage: nothing written, an existing output untouched
EXIT_PARTIAL = 3  # finished, but some items (accounts, rows, redemptions) failed; see stderr
EXIT_INTERNAL = 4  # an unexpected error (a bug): one line on stderr naming the log file

STDIO = "-"  # a file argument of "-" means standard input or standard output


class UsageError(JanusError):
    """Bad command-line usage; reported on stderr with exit code 2."""


def parse_date(text: str, *, what: str = "date") -> dt.date:
    """Accept ISO ``YYYY-MM-DD`` and the sources' ``M/D/YYYY`` (``core.inputs`` rules)."""
    try:
        return inputs.parse_date(text)
    except ValueError as exc:
        raise inputs.with_field(what, exc) from None


def to_jsonable(value: Any) -> Any:
    """Decimals become strings (``"8.00"``), dates ISO strings, enums their values."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if is_dataclass(value) and not isinstance(value, type):
        return {k: to_jsonable(v) for k, v in asdict(value).items()}
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value


def citation_payload(citation: Citation | None) -> dict[str, object] | None:
    """A citation as JSON: file, line range, ``002:96-103`` label and quote."""
    if citation is None:
        return None
    return {
        "source_file": citation.source_file,
        "lines": [citation.line_start, citation.line_end],
        "label": citation.label(),
        "quote": citation.quote,
    }


def support_payload(support: Support) -> dict[str, object]:
    """How a fact is supported on the answer's date, as JSON keys."""
    return {
        "standing": support.standing.value,
        "documented_on": support.documented_on,
        "next_documented": support.until,
        "standing_text": support.text,
    }


def standing_label(support: Support) -> str:
    """A short text-output label: "documented", "carried from 2000-04-30", "not documented"."""
    if support.standing == Standing.CARRIED and support.documented_on:
        return f"carried from {support.documented_on.isoformat()}"
    return support.standing.value.replace("_", " ")


def fee_rule_payload(rule: FeeRule) -> dict[str, object]:
    """The redemption-fee rule for a class on a date, with its standing and citation.

    ``fee_status`` is ``documented``, ``carried`` or ``not_documented``; when it is
    ``not_documented`` no fee amount may be shown (the sources cannot decide it).
    """
    return {
        "applies": rule.applies if rule.documented else None,
        "fee_status": rule.standing.value,
        **support_payload(rule.support),
        "rate": rule.rate if rule.documented else None,
        "holding_period_days": rule.holding_period_days,
        "lot_order": rule.lot_order if rule.applies else None,
        "base": rule.base if rule.applies else None,
        "recipient": rule.recipient or None,
        "reason": rule.reason,
        "rule_id": rule.rule_id,
        "evidence": rule.evidence.value,
        "citation": citation_payload(rule.citation),
    }


def emit_json(payload: Any) -> None:
    """Write one JSON document to stdout (only after the whole result is computed)."""
    sys.stdout.write(json.dumps(to_jsonable(payload), indent=2, ensure_ascii=False) + "\n")


def fail(message: str, code: int = EXIT_INVALID) -> NoReturn:
    """Report an error on stderr and exit; nothing is written to stdout."""
    raise SystemExit(_print_error(message, code))


def _print_error(message: str, code: int) -> int:
    # User text (file names, cells, arguments) is echoed escaped: never interpreted by the
    # terminal, and a lone surrogate from an undecodable argument cannot fail the write.
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
    return _print_error(
        f"unexpected internal error ({summary}); this is a bug, please report it; {details}",
        EXIT_INTERNAL,
    )


def database_location(db_path: str | None = None) -> tuple[Path, bool]:
    """The catalog file (bundled, ``--db`` or ``JANUS_GUI_DB``) and whether it is immutable."""
    from janus_gui import paths

    path = Path(db_path).expanduser() if db_path else paths.database_path()
    return path, paths.database_is_bundled(path)


def open_repository(db_path: str | None = None):
    """Open the catalog read-only (bundled, or the file named by ``--db`` / ``JANUS_GUI_DB``)."""
    from janus_gui.core.repository import Repository

    path, immutable = database_location(db_path)
    return Repository.open(path, immutable=immutable)


def stdin_text() -> TextIO:
    """Standard input as UTF-8 text (a byte-order mark is skipped), newlines untranslated."""
    return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", newline="")
