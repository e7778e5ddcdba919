"""JSON (and text) forms of results, shared by every sub-command.

The JSON forms of answers are ``core.json_forms`` (the window copies the same); this module
prints them, and holds the forms only the command line gives (a fee result). ``fee --json`` with
its per-lot arrays is written by ``cli.lot_json``.
"""

from __future__ import annotations

import sys
from typing import Any

from janus_gui.core.json_forms import fee_rule_payload, json_text
from janus_gui.core.models import Citation


def emit_json(payload: Any) -> None:
    """Write one JSON document to stdout (only after the whole result is computed)."""
    sys.stdout.write(json_text(payload) + "\n")


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
