"""JSON (and text) forms of results, shared by every sub-command.

Decimals are written as strings (``"8.00"``), dates as ISO strings. ``fee_rule_payload`` is the
one JSON form of a redemption-fee rule. ``fee --json`` with its per-lot arrays is written by
``cli.lot_json``.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Mapping
from dataclasses import asdict, is_dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from janus_gui.core.models import Citation, FeeRule, Support
from janus_gui.core.wording import standing_label  # noqa: F401 - part of the output API


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


def cite(citation: Citation | None, gap: str = " ") -> str:
    """`` [002:96-103]`` after a line of text, or nothing when there is no citation."""
    return f"{gap}[{citation.label()}]" if citation is not None else ""


# -- fee results ---------------------------------------------------------------------------------
def fee_payload(
    result: Any, context: dict[str, object], *, with_lots: bool = True
) -> dict[str, object]:
    """The JSON form of a redemption result (``remaining_lots`` is filled in by the caller).

    ``with_lots=False`` leaves ``lots`` empty for a caller that streams the walk itself.
    """
    rule = result.rule
    known = rule.documented  # silence is never $0: no amount when the rule is not documented
    exemptions = context.get("exemptions")
    exempt_payload = exemptions.payload() if exemptions is not None else None  # type: ignore[attr-defined]
    return {
        **context,
        "exemptions": exempt_payload,
        "redeem_date": result.request.redeem_date,
        "nav": result.request.nav,
        "mode": result.request.mode.value,
        "label": result.label,
        "fee_status": rule.standing.value,
        "total_fee": result.total_fee if known else None,
        "fee_unrounded": result.fee_unrounded if known else None,
        "fee_rate": result.fee_rate if known else None,
        "holding_period_days": rule.holding_period_days if rule.applies else None,
        "shares_redeemed": result.shares_redeemed,
        "shares_subject_to_fee": result.shares_subject_to_fee if known else None,
        "shares_free": result.shares_free if known else None,
        "shares_exempt": result.shares_exempt,
        "redemption_value": result.redemption_value,
        "net_proceeds": result.net_proceeds if known else None,
        "lots": [
            {
                "lot_id": step.lot_id,
                "seq": step.seq,
                "line": step.line,
                "purchase_date": step.purchase_date,
                "shares_held": step.shares_held,
                "shares_redeemed": step.shares_redeemed,
                "shares_remaining": step.shares_remaining,
                "days_held": step.days_held,
                "subject_to_fee": step.subject_to_fee if known else None,
                "exempt": step.exempt,
                "fee_unrounded": step.fee_unrounded if known else None,
                "fee": step.fee if known else None,
                "fee_free_from": step.fee_free_from if known else None,
            }
            for step in (result.lots if with_lots else ())
        ],
        "remaining_lot_count": len(result.remaining),
        "remaining_lots": None,
        "notes": list(result.notes),
        "rule": fee_rule_payload(rule),
    }
