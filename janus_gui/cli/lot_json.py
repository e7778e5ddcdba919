"""``fee --json`` for schedules of any size: the per-lot arrays written as text.

A million lots as a million dicts passed to ``json.dumps`` take seconds and gigabytes; here the
arrays are written column by column with the fixed text between the fields, and ids are escaped
only in chunks where some id needs it. The text is the same as ``json.dumps`` of each item
(``tests/cli/test_cli_calc.py`` compares the two). Everything else of the document is built the
ordinary way (``cli.output``).
"""

from __future__ import annotations

import json
import operator
import sys
from collections.abc import Iterator
from itertools import chain, repeat
from typing import Any

from janus_gui.core.json_forms import to_jsonable
from janus_gui.core.lots import LotSchedule

_DIGITS_TO_9 = str.maketrans("012345678", "999999999")


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
