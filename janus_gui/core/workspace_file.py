"""The redemption-fee workspace file: a JSON header line, then the lots as lot-CSV text.

A workspace keeps the calculator's inputs exactly as typed (text, not parsed values), so a row
that does not parse yet survives a save and an open with its text intact. Version 2, written
since lots moved to CSV text, looks like this (lines end in CR LF, as in any CSV file)::

    {"format": "janus-gui-workspace", "version": 2, "portfolio_id": "P13", ...}
    purchase_date,shares,lot_id,exempt,exempt_reason,exempt_recorded_by,exempt_recorded_on
    2012-01-01,100,A,,,,
    2012-02-15,50.000,B,yes,,,

Everything after the first line is a lot file the command line reads as it is (``fee --lots``).
Version 1 files, one JSON object with a ``lots`` array of objects, still open.

Files are written through ``core.safe_write``, so a crash never leaves half a workspace.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from janus_gui.core import safe_write
from janus_gui.core.errors import InputError
from janus_gui.core.exemptions import Exemption, ExemptionReason, parse_exemption
from janus_gui.core.lots_csv import EXEMPTION_COLUMNS, parse_exempt_cell

FORMAT = "janus-gui-workspace"
VERSION = 2  # written; version 1 files are read too
READ_VERSIONS = (1, 2)
LOT_HEADER = ("purchase_date", "shares", "lot_id", "exempt", *EXEMPTION_COLUMNS)
PROGRESS_ROWS = 1000  # lots read or written between two progress reports
ProgressFn = Callable[[int, int], None]
SUFFIX = ".janusws"
_TEXT_LIMIT = 200  # longest text accepted in any single field of a file


class RedeemMode(StrEnum):
    """What the redemption request names: a share count, a dollar amount, or the whole holding."""

    SHARES = "shares"
    AMOUNT = "amount"
    ALL = "all"


@dataclass(frozen=True, slots=True)
class LotText:
    """One lot-schedule row as typed: purchase date, shares, optional lot id, exempt flag."""

    purchase_date: str
    shares: str
    lot_id: str = ""
    exempt: Any = False  # False, True (no reason recorded) or an Exemption


@dataclass(frozen=True, slots=True)
class Workspace:
    """Everything the redemption-fee workspace needs to be restored."""

    portfolio_id: str | None = None
    share_class: str | None = None
    redeem_date: str | None = None
    mode: RedeemMode = RedeemMode.SHARES
    quantity: str = ""
    nav: str = ""
    lots: tuple[LotText, ...] = field(default_factory=tuple)


def _header_dict(workspace: Workspace) -> dict[str, Any]:
    """The header line's JSON object (format and version first)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "portfolio_id": workspace.portfolio_id,
        "share_class": workspace.share_class,
        "redeem_date": workspace.redeem_date,
        "mode": workspace.mode.value,
        "quantity": workspace.quantity,
        "nav": workspace.nav,
    }


def _lot_cells(lot: LotText) -> tuple[str, ...]:
    """One lot-CSV row: the cells as typed, the exemption and its recorded reason."""
    reason = by = on = ""
    if isinstance(lot.exempt, Exemption) and lot.exempt.reason is not ExemptionReason.NOT_RECORDED:
        reason, by = lot.exempt.cell(), lot.exempt.recorded_by
        on = lot.exempt.recorded_on.isoformat() if lot.exempt.recorded_on else ""
    return (lot.purchase_date, lot.shares, lot.lot_id, "yes" if lot.exempt else "", reason, by, on)


def dumps(workspace: Workspace, progress: ProgressFn | None = None) -> str:
    """The workspace as file text: the JSON header line, then the lot-CSV text.

    ``progress(done, total)`` (lots) is told after every ``PROGRESS_ROWS`` lots and at the end.
    """
    out = io.StringIO()
    out.write(json.dumps(_header_dict(workspace), ensure_ascii=False) + "\r\n")
    writer = csv.writer(out, lineterminator="\r\n")  # CR LF: a lone CR in a cell gets quoted
    writer.writerow(LOT_HEADER)
    lots = workspace.lots
    for begin in range(0, len(lots), PROGRESS_ROWS):
        writer.writerows(map(_lot_cells, lots[begin : begin + PROGRESS_ROWS]))
        if progress is not None:
            progress(min(begin + PROGRESS_ROWS, len(lots)), len(lots))
    if progress is not None and not lots:
        progress(0, 0)
    return out.getvalue()


def _text(obj: dict[str, Any], key: str, *, optional: bool = False) -> str | None:
    value = obj.get(key)
    if value is None:
        if optional:
            return None
        value = ""
    if not isinstance(value, str):
        raise InputError(f"workspace field {key!r} must be text, not {type(value).__name__}")
    if len(value) > _TEXT_LIMIT:
        raise InputError(f"workspace field {key!r} is longer than {_TEXT_LIMIT} characters")
    return value


def _lot(item: object, number: int) -> LotText:
    if not isinstance(item, dict):
        raise InputError(f"lot {number} of the workspace is not an object")
    exempt = item.get("exempt", False)
    if not isinstance(exempt, bool):
        raise InputError(f"lot {number}: 'exempt' must be true or false")
    reason = _text(item, "exempt_reason", optional=True)
    if reason is not None and exempt:
        exempt = _exemption(item, reason, number)
    return LotText(
        purchase_date=_text(item, "purchase_date") or "",
        shares=_text(item, "shares") or "",
        lot_id=_text(item, "lot_id") or "",
        exempt=exempt,
    )


def _exemption(item: dict[str, Any], reason: str, number: int) -> Any:
    on_text = _text(item, "exempt_recorded_on", optional=True)
    try:
        on = dt.date.fromisoformat(on_text) if on_text else None
        found = parse_exemption(reason, _text(item, "exempt_recorded_by") or "", on)
    except ValueError as exc:
        raise InputError(f"lot {number}: exemption: {exc}") from None
    return found or True


def _check_header(obj: object) -> dict[str, Any]:
    if not isinstance(obj, dict) or obj.get("format") != FORMAT:
        raise InputError('not a Janus workspace file (the "format" field is missing or wrong)')
    version = obj.get("version")
    if type(version) is not int or version not in READ_VERSIONS:
        readable = " and ".join(map(str, READ_VERSIONS))
        raise InputError(
            f"workspace file version {version!r} is not supported; this app reads versions "
            f"{readable}"
        )
    return obj


def _inputs(data: dict[str, Any]) -> Workspace:
    """The calculator's inputs of a checked header (no lots yet)."""
    mode_text = _text(data, "mode") or RedeemMode.SHARES.value
    try:
        mode = RedeemMode(mode_text)
    except ValueError:
        choices = ", ".join(m.value for m in RedeemMode)
        raise InputError(f"workspace mode {mode_text!r} is not one of {choices}") from None
    return Workspace(
        portfolio_id=_text(data, "portfolio_id", optional=True),
        share_class=_text(data, "share_class", optional=True),
        redeem_date=_text(data, "redeem_date", optional=True),
        mode=mode,
        quantity=_text(data, "quantity") or "",
        nav=_text(data, "nav") or "",
    )


def from_dict(obj: object) -> Workspace:
    """Validate a version 1 workspace (one JSON object, lots in an array) and build it.

    Raises:
        InputError: Wrong format or version, or a field of the wrong type.
    """
    data = _check_header(obj)
    if data["version"] != 1:
        raise InputError(f"a version {data['version']} workspace keeps its lots as CSV text")
    lots = data.get("lots", [])
    if not isinstance(lots, list):
        raise InputError("workspace 'lots' must be a list")
    return replace(
        _inputs(data),
        lots=tuple(_lot(item, number) for number, item in enumerate(lots, start=1)),
    )


# Generous: 1,000,000 lots written by this app take about 40 MB.
MAX_WORKSPACE_CHARS = 200_000_000


def _header_line(line: str) -> dict[str, Any] | None:
    """The JSON header of a version 2 file, or ``None`` when ``line`` is not one."""
    text = line.strip()
    if not (text.startswith("{") and text.endswith("}")):
        return None
    try:
        obj = json.loads(text)
    except (RecursionError, ValueError):
        return None
    if isinstance(obj, dict) and type(obj.get("version")) is int and obj["version"] == 2:
        return obj
    return None  # a version 1 file written on one line, or no workspace: read as a whole


def _csv_lots(body: str, progress: ProgressFn | None) -> tuple[LotText, ...]:
    """The lot-CSV part of a version 2 file, every row as typed."""
    stream = io.StringIO(body, newline="")
    rows = csv.reader(stream, strict=True)  # an unclosed quote is an error, not text
    names = next(rows, None)
    if names is None:
        return ()
    columns = {name.strip(): index for index, name in enumerate(names)}
    missing = [name for name in ("purchase_date", "shares") if name not in columns]
    if missing:
        raise InputError(f"the workspace's lot header must name {', '.join(missing)}")
    lots: list[LotText] = []
    for number, row in enumerate((r for r in rows if r), start=1):
        if len(row) > len(names):
            raise InputError(f"lot {number} of the workspace has more cells than its header")
        cells = {name: row[i] if i < len(row) else "" for name, i in columns.items()}
        try:
            exempt = parse_exempt_cell(cells.get("exempt", ""))
        except ValueError as exc:
            raise InputError(f"lot {number}: exempt {exc}") from None
        item = {**cells, "exempt": exempt}
        item.update({name: cells.get(name) or None for name in EXEMPTION_COLUMNS})
        lots.append(_lot(item, number))
        if progress is not None and number % PROGRESS_ROWS == 0:
            progress(stream.tell(), len(body))
    return tuple(lots)


def loads(text: str, progress: ProgressFn | None = None) -> Workspace:
    """Parse workspace file text (version 2, or version 1 JSON).

    ``progress(done, total)`` (characters) is told after every ``PROGRESS_ROWS`` lots.

    Raises:
        InputError: The text is not a valid workspace.
    """
    if len(text) > MAX_WORKSPACE_CHARS:
        raise InputError(
            f"the workspace file is larger than {MAX_WORKSPACE_CHARS:,} characters; "
            "import the lots from CSV instead"
        )
    first, _, body = text.partition("\n")
    header = _header_line(first)
    if header is not None:
        if "lots" in header:
            raise InputError("a version 2 workspace keeps its lots after the header line")
        try:
            return replace(_inputs(_check_header(header)), lots=_csv_lots(body, progress))
        except csv.Error as exc:
            raise InputError(f"the workspace's lots are not valid CSV ({exc})") from None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"the workspace file is not valid JSON ({exc.msg}, line {exc.lineno})"
        ) from None
    except (RecursionError, ValueError):  # absurd nesting, or integers past Python's digit limit
        raise InputError("the workspace file is not a valid workspace (malformed JSON)") from None
    return from_dict(obj)


def save(path: Path | str, workspace: Workspace, progress: ProgressFn | None = None) -> Path:
    """Write the workspace atomically (temporary file, fsync, replace); ``progress`` as for
    ``dumps``."""
    return safe_write.write_text(path, dumps(workspace, progress))


def load(path: Path | str, progress: ProgressFn | None = None) -> Workspace:
    """Read a workspace file (``progress`` as for ``loads``).

    Raises:
        InputError: The file cannot be read or is not a valid workspace.
    """
    try:
        # newline="": a CR inside a quoted lot cell is text, not a line end to translate
        with open(path, encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the workspace file {Path(path).name}: {exc}") from None
    return loads(text, progress)
