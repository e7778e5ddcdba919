"""Parser for 000: the December 2012 final per-share distribution (Institutional and Service).

Each data row is ``CUSIP, Portfolio, five amounts``; the class comes from the table the row sits
in ("Institutional Class" / "Service Class" label), the column meaning from the header labels,
the record and payable dates from the sentence above the tables. Both labelled sums are checked.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal

from janus_gui.core import checks
from janus_gui.core.models import Evidence, ShareClass
from janus_gui.dbbuild.common import Failure, NameIndex, clean_label, money_tokens
from janus_gui.dbbuild.errors import BuildError
from janus_gui.dbbuild.sources import SourceText, collapse

PERIOD = "2012-12"
DECIMALS = 5
_CUSIP = re.compile(r"^[0-9A-Z]{8}[0-9]$")
_PAID = re.compile(
    r"paid on (?P<pay>[A-Z][a-z]+ \d{1,2}, \d{4}) to shareholders of record on "
    r"(?P<record>[A-Z][a-z]+ \d{1,2}, \d{4})"
)
# Header label -> component key, longest label first so "Total Dividends & Distributions"
# is not taken for "Total Dividends".
_LABELS = (
    ("Total Dividends & Distributions", "total"),
    ("Total Dividends", "total_dividends"),
    ("Investment Income", "investment_income"),
    ("Short-Term Capital Gain", "short_term_capital_gain"),
    ("Capital Gain Distributions", "capital_gain_distributions"),
)
_CLASS_LABELS = {
    "Institutional Class": ShareClass.INSTITUTIONAL,
    "Service Class": ShareClass.SERVICE,
}


@dataclass
class Parsed000:
    """What 000 yields: occurrences, one distribution per CUSIP, and failed checks."""

    occurrences: list[dict[str, object]] = field(default_factory=list)
    distributions: list[dict[str, object]] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)


def _iso(text: str) -> str:
    return dt.datetime.strptime(text, "%B %d, %Y").date().isoformat()


def _dates(source: SourceText) -> tuple[str, str]:
    for line in source.lines:
        match = _PAID.search(line)
        if match:
            return _iso(match["record"]), _iso(match["pay"])
    raise BuildError(f"{source.name}: no 'paid on ... of record on ...' sentence")


def _label_key(label: str) -> str | None:
    text = clean_label(label)
    for printed, key in _LABELS:
        if text.startswith(printed):
            return key
    return None


def _merge_header(columns: dict[int, str], cells: list[str]) -> None:
    for index, cell in enumerate(cells):
        key = _label_key(cell)
        if key:
            columns[index] = key


def _class_label(cells: list[str]) -> ShareClass | None:
    found = {_CLASS_LABELS[c.strip()] for c in cells if c.strip() in _CLASS_LABELS}
    if len(found) > 1:
        raise BuildError("a 000 header names two classes")
    return found.pop() if found else None


def parse_000(source: SourceText, names: NameIndex) -> Parsed000:
    """Parse 000 and check every row's two labelled sums."""
    record, pay = _dates(source)
    out = Parsed000()
    columns: dict[int, str] = {}
    share_class: ShareClass | None = None
    for number, line in enumerate(source.lines, start=1):
        cells = line.split("\t")
        first = cells[0].strip()
        if first == "CUSIP":
            columns, share_class = {}, None
        if not _CUSIP.match(first):
            _merge_header(columns, cells)
            share_class = _class_label(cells) or share_class
            continue
        where = f"{source.name}:{number}"
        if share_class is None:
            raise BuildError(f"{where}: CUSIP row outside a labelled class table")
        _parse_row(out, source, number, cells, columns, share_class, names, (record, pay), where)
    return out


def _amounts(cells: list[str], columns: dict[int, str], where: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for index, key in columns.items():
        tokens = money_tokens(cells[index]) if index < len(cells) else ()
        if len(tokens) != 1 or tokens[0] is None:
            raise BuildError(f"{where}: expected one amount under {key!r}, got {tokens}")
        amount = tokens[0]
        if len(amount.split(".")[1]) != DECIMALS:
            raise BuildError(f"{where}: {amount} is not printed with {DECIMALS} decimals")
        values[key] = amount
    missing = {k for _, k in _LABELS} - set(values)
    if missing:
        raise BuildError(f"{where}: columns not found in the header: {sorted(missing)}")
    return values


def _parse_row(
    out: Parsed000,
    source: SourceText,
    number: int,
    cells: list[str],
    columns: dict[int, str],
    share_class: ShareClass,
    names: NameIndex,
    dates: tuple[str, str],
    where: str,
) -> None:
    cusip, printed_name = cells[0].strip(), cells[1].strip()
    for failure in checks.check_cusip(cusip):
        raise BuildError(f"{where}: {failure.describe()}")
    portfolio_id = names.portfolio_id(printed_name, where)
    values = _amounts(cells, columns, where)
    quote = collapse(f"{cusip} {printed_name}")
    citation = {"source_file": source.name, "line_start": number, "line_end": number}
    out.occurrences.append(
        {
            "occurrence_id": f"{source.doc}:{number}",
            "cusip": cusip,
            "portfolio_id": portfolio_id,
            "name_as_printed": printed_name,
            "ticker_as_printed": None,
            "share_class": share_class.value,
            "evidence": Evidence.DOCUMENTED.value,
            "evidence_reason": "",
            **citation,
            "quote": quote,
            "note_ids": "",
        }
    )
    components = {k: values[k] for _, k in _LABELS if k != "total"}
    out.distributions.append(
        {
            "distribution_id": f"{cusip}-{PERIOD}",
            "cusip": cusip,
            "portfolio_id": portfolio_id,
            "share_class": share_class.value,
            "period": PERIOD,
            "record_date": dates[0],
            "ex_date": None,
            "pay_date": dates[1],
            "components": json.dumps(components, sort_keys=True),
            "total": values["total"],
            **citation,
            "quote": collapse(source.line(number)),
            "note_ids": "",
        }
    )
    out.failures.extend(_sum_failures(source.name, number, values))


def _sum_failures(source_file: str, number: int, values: dict[str, str]) -> list[Failure]:
    amount = {k: Decimal(v) for k, v in values.items()}
    found = checks.check_sum(
        "Investment Income + Short-Term Capital Gain = Total Dividends",
        [amount["investment_income"], amount["short_term_capital_gain"]],
        amount["total_dividends"],
    ) + checks.check_sum(
        "Total Dividends + Capital Gain Distributions = Total",
        [amount["total_dividends"], amount["capital_gain_distributions"]],
        amount["total"],
    )
    return [Failure(source_file, number, f.check, f.printed, f.computed) for f in found]
