"""JSON (and text) forms of results, shared by every sub-command.

Decimals are written as strings (``"8.00"``), dates as ISO strings. ``fee_rule_payload`` is the
one JSON form of a redemption-fee rule. The per-lot arrays of ``fee --json`` are written as text
column by column (``lot_step_chunks``, ``remaining_lot_chunks``), which keeps a million lots
cheap; the text is the same as ``json.dumps`` of each item.
"""

from __future__ import annotations

import datetime as dt
import json
import operator
import sys
from collections.abc import Iterator, Mapping
from dataclasses import asdict, is_dataclass
from decimal import Decimal
from enum import Enum
from itertools import chain, repeat
from typing import Any

from janus_gui.core.lots import LotSchedule
from janus_gui.core.models import Citation, FeeRule, Support
from janus_gui.core.wording import standing_label  # noqa: F401 - part of the output API

_DIGITS_TO_9 = str.maketrans("012345678", "999999999")


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


def remaining_lot_chunks(schedule: LotSchedule) -> Iterator[str]:
    """The remaining lots as JSON array items (one per line), in text chunks.

    Formatted column-wise by interleaving the columns with the fixed parts of each line, which
    keeps a million lots cheap; ids are escaped only in chunks where some id needs it.
    """
    from janus_gui.core.lots import _shares_text

    parts = (',\n    {"lot_id": "', '", "purchase_date": "', '", "shares": "', '", "seq": ', "}")
    first = True
    for ids, dates, shares, seqs in schedule.text_chunks():
        joined_ids = "".join(ids)
        if not joined_ids.isprintable() or '"' in joined_ids or "\\" in joined_ids:
            ids = [json.dumps(i, ensure_ascii=False)[1:-1] for i in ids]
        nines = "\n".join(shares).translate(_DIGITS_TO_9) + "\n"
        if nines.count(".999\n") != len(shares):  # some share is not written with 3 decimals
            shares = list(map(_shares_text, shares))
        columns = zip(
            repeat(parts[0]),
            ids,
            repeat(parts[1]),
            dates,
            repeat(parts[2]),
            shares,
            repeat(parts[3]),
            map(str, seqs),
            repeat(parts[4]),
        )
        text = "".join(chain.from_iterable(columns))
        yield text[2:] if first else text
        first = False


def lot_step_chunks(steps: Any, indent: str = "    ", size: int = 2048) -> Iterator[str]:
    """The per-lot walk as JSON array items, one compact object per line, in text chunks.

    Steps that offer ``rows`` (``LotSteps``) are formatted from plain tuples with one template,
    which is many times cheaper than building and encoding a dict per lot; ids are escaped only
    in chunks where some id needs it. The text is the same as ``json.dumps`` of ``_step_json``.
    """
    if not hasattr(steps, "rows"):
        for begin in range(0, len(steps), size):
            items = [
                indent + json.dumps(_step_json(step), ensure_ascii=False)
                for step in steps[begin : begin + size]
            ]
            yield ("" if begin == 0 else ",\n") + ",\n".join(items)
        return
    iso: dict[Any, str] = {None: "null"}
    flag = {True: "true", False: "false"}

    def quoted_dates(values: list[Any]) -> list[str]:
        for value in set(values).difference(iso):
            iso[value] = f'"{value.isoformat()}"'
        return list(map(iso.__getitem__, values))

    first = True
    for columns in steps.column_chunks(size):
        (
            ids,
            seqs,
            bought,
            held,
            taken,
            left,
            days,
            _within,
            exempt,
            subject,
            unrounded,
            fees,
            free_from,
            lines,
        ) = columns
        joined = "".join(ids)
        if joined.isprintable() and '"' not in joined and "\\" not in joined:
            quoted_ids = ['"' + i + '"' for i in ids]
        else:
            quoted_ids = [json.dumps(i, ensure_ascii=False) for i in ids]
        held_text = list(map(str, held))
        taken_text = held_text if taken is held else list(map(str, taken))
        fields = (
            quoted_ids,
            map(str, seqs),
            _texts(lines),
            quoted_dates(bought),
            held_text,
            taken_text,
            _texts(left),
            map(str, days),
            map(flag.__getitem__, subject),
            map(flag.__getitem__, exempt),
            _texts(unrounded),
            _texts(fees),
            quoted_dates(free_from),
        )
        columns = _interleave((f",\n{indent}{_STEP_PARTS[0]}", *_STEP_PARTS[1:]), fields)
        text = "".join(chain.from_iterable(zip(*columns, strict=False)))
        yield text[2:] if first else text
        first = False


def _texts(values: list[Any]) -> list[str]:
    """JSON text of each number (``null`` for ``None``), cheaply when one object repeats.

    Whole lots leave the same zero object and lots outside the window the same zero fee, so a
    chunk is usually one repeated value, perhaps followed by a different last one.
    """

    def text(value: Any) -> str:
        return "null" if value is None else str(value)

    head, first = values[:-1], values[0]
    if all(map(operator.is_, head, repeat(first))):
        return [text(first)] * len(head) + [text(values[-1])]
    if None in values:
        return list(map(text, values))
    return list(map(str, values))


# The fixed text around each field of a step, as json.dumps(_step_json(step)) writes it.
_STEP_PARTS = (
    '{"lot_id": ',
    ', "seq": ',
    ', "line": ',
    ', "purchase_date": ',
    ', "shares_held": "',
    '", "shares_redeemed": "',
    '", "shares_remaining": "',
    '", "days_held": ',
    ', "subject_to_fee": ',
    ', "exempt": ',
    ', "fee_unrounded": "',
    '", "fee": "',
    '", "fee_free_from": ',
    "}",
)


def _interleave(parts: tuple[str, ...], fields: tuple[Any, ...]) -> list[Any]:
    """Columns to zip: each fixed part repeated, followed by its field's column."""
    columns: list[Any] = []
    for part, field in zip(parts, fields, strict=False):
        columns += [repeat(part), field]
    return [*columns, repeat(parts[-1])]


def _step_json(step: Any) -> dict[str, object]:
    return {
        "lot_id": step.lot_id,
        "seq": step.seq,
        "line": step.line,
        "purchase_date": step.purchase_date.isoformat(),
        "shares_held": str(step.shares_held),
        "shares_redeemed": str(step.shares_redeemed),
        "shares_remaining": str(step.shares_remaining),
        "days_held": step.days_held,
        "subject_to_fee": step.subject_to_fee,
        "exempt": step.exempt,
        "fee_unrounded": str(step.fee_unrounded),
        "fee": str(step.fee),
        "fee_free_from": step.fee_free_from.isoformat() if step.fee_free_from else None,
    }


def write_fee_json(payload: dict[str, object], steps: Any, remaining: LotSchedule | None) -> None:
    """One JSON document; the lot arrays are streamed as text instead of built as objects."""
    streams: dict[str, Iterator[str] | None] = {
        "lots": lot_step_chunks(steps) if steps else None,
        "remaining_lots": remaining_lot_chunks(remaining) if remaining else None,
    }
    marked = {**payload}
    for key, chunks in streams.items():
        if chunks is not None:
            marked[key] = f"\x00{key}\x00"
        elif not marked.get(key) and (remaining is not None or key == "lots"):
            marked[key] = []
    text = json.dumps(to_jsonable(marked), indent=2, ensure_ascii=False)
    out = sys.stdout
    for key, chunks in streams.items():
        if chunks is None:
            continue
        head, text = text.split(json.dumps(f"\x00{key}\x00"), 1)
        out.write(head + "[\n")
        for chunk in chunks:
            out.write(chunk)
        out.write("\n  ]")
    out.write(text + "\n")
