"""The redemption-fee workspace file: JSON with ``"format": "janus-gui-workspace"``, version 1.

A workspace keeps the calculator's inputs exactly as typed (text, not parsed values), so a row
that does not parse yet survives a save and an open with its text intact. Example::

    {
      "format": "janus-gui-workspace",
      "version": 1,
      "portfolio_id": "P13",
      "share_class": "Service II",
      "redeem_date": "2012-03-02",
      "mode": "shares",
      "quantity": "120",
      "nav": "10.00",
      "lots": [{"purchase_date": "2012-01-01", "shares": "100", "lot_id": "A"}]
    }

Files are written through ``core.safe_write``, so a crash never leaves half a workspace.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from janus_gui.core import safe_write
from janus_gui.core.errors import InputError
from janus_gui.core.exemptions import Exemption, ExemptionReason, parse_exemption

FORMAT = "janus-gui-workspace"
VERSION = 1
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


def to_dict(workspace: Workspace) -> dict[str, Any]:
    """The JSON object for a workspace (format and version first)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "portfolio_id": workspace.portfolio_id,
        "share_class": workspace.share_class,
        "redeem_date": workspace.redeem_date,
        "mode": workspace.mode.value,
        "quantity": workspace.quantity,
        "nav": workspace.nav,
        "lots": [_lot_dict(lot) for lot in workspace.lots],
    }


def _lot_dict(lot: LotText) -> dict[str, Any]:
    row: dict[str, Any] = {
        "purchase_date": lot.purchase_date,
        "shares": lot.shares,
        "lot_id": lot.lot_id,
    }
    if lot.exempt:
        row["exempt"] = True
    if isinstance(lot.exempt, Exemption) and lot.exempt.reason is not ExemptionReason.NOT_RECORDED:
        row["exempt_reason"] = lot.exempt.cell()
        if lot.exempt.recorded_by:
            row["exempt_recorded_by"] = lot.exempt.recorded_by
        if lot.exempt.recorded_on:
            row["exempt_recorded_on"] = lot.exempt.recorded_on.isoformat()
    return row


def dumps(workspace: Workspace) -> str:
    """The workspace as indented JSON text ending in a newline."""
    return json.dumps(to_dict(workspace), indent=2, ensure_ascii=False) + "\n"


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
        raise InputError("not a Janus workspace file (the \"format\" field is missing or wrong)")
    version = obj.get("version")
    if version != VERSION:
        raise InputError(
            f"workspace file version {version!r} is not supported; this app reads version "
            f"{VERSION}"
        )
    return obj


def from_dict(obj: object) -> Workspace:
    """Validate a parsed JSON object and build the workspace.

    Raises:
        InputError: Wrong format or version, or a field of the wrong type.
    """
    data = _check_header(obj)
    mode_text = _text(data, "mode") or RedeemMode.SHARES.value
    try:
        mode = RedeemMode(mode_text)
    except ValueError:
        choices = ", ".join(m.value for m in RedeemMode)
        raise InputError(f"workspace mode {mode_text!r} is not one of {choices}") from None
    lots = data.get("lots", [])
    if not isinstance(lots, list):
        raise InputError("workspace 'lots' must be a list")
    return Workspace(
        portfolio_id=_text(data, "portfolio_id", optional=True),
        share_class=_text(data, "share_class", optional=True),
        redeem_date=_text(data, "redeem_date", optional=True),
        mode=mode,
        quantity=_text(data, "quantity") or "",
        nav=_text(data, "nav") or "",
        lots=tuple(_lot(item, number) for number, item in enumerate(lots, start=1)),
    )


# Generous: 1,000,000 lots written by this app take about 80 MB.
MAX_WORKSPACE_CHARS = 200_000_000


def loads(text: str) -> Workspace:
    """Parse workspace JSON text.

    Raises:
        InputError: The text is not JSON or not a valid workspace.
    """
    if len(text) > MAX_WORKSPACE_CHARS:
        raise InputError(
            f"the workspace file is larger than {MAX_WORKSPACE_CHARS:,} characters; "
            "import the lots from CSV instead"
        )
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"the workspace file is not valid JSON ({exc.msg}, line {exc.lineno})"
        ) from None
    except (RecursionError, ValueError):  # absurd nesting, or integers past Python's digit limit
        raise InputError("the workspace file is not a valid workspace (malformed JSON)") from None
    return from_dict(obj)


def save(path: Path | str, workspace: Workspace) -> Path:
    """Write the workspace atomically (temporary file, fsync, replace)."""
    return safe_write.write_text(path, dumps(workspace))


def load(path: Path | str) -> Workspace:
    """Read a workspace file.

    Raises:
        InputError: The file cannot be read or is not a valid workspace.
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the workspace file {Path(path).name}: {exc}") from None
    return loads(text)
