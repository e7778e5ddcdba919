"""Parser for 004's 1999 Service Shares fee table and expense example.

Both tables are located by their captions, not by line number. Rows whose portfolio name wraps
onto a second line are joined. Values are kept exactly as printed. Each fee row is checked
(management + 12b-1 + other = total; total - waivers = net) and every printed example cost is
recomputed from the gross ratio the app uses; failures must be the allow-listed T1/T2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from janus_gui.core import checks
from janus_gui.core.models import ShareClass
from janus_gui.dbbuild.common import Failure, NameIndex
from janus_gui.dbbuild.errors import BuildError
from janus_gui.dbbuild.sources import SourceText, collapse

SHARE_CLASS = ShareClass.SERVICE  # the prospectus in 004 is the Service Shares prospectus
_PCT = r"(?:\d+\.\d+%|N/A)"
_FEE_ROW = re.compile(rf"^(?P<name>\S.*?)\s+(?P<values>{_PCT}(?:\s+{_PCT}){{5}})$")
_EXAMPLE_ROW = re.compile(r"^(?P<name>\S.*?)\s+\$\s*(?P<one>[\d,]+)\s+\$\s*(?P<three>[\d,]+)$")
FEE_COLUMNS = (
    "management_fee",
    "distribution_fee",
    "other_expenses",
    "total_gross",
    "waivers",
    "total_net",
)
SUM_CHECK = "management + 12b-1 + other = total"
NET_CHECK = "total - waivers = net"

# Known failures of the fee-table checks, by (portfolio, check), with their data notes.
ALLOWED: dict[tuple[str, str], str] = {
    ("P2", SUM_CHECK): "T1",
    ("P2", NET_CHECK): "T1",
    ("P10", NET_CHECK): "T2",
}
# Notes that qualify fee-table rows whose arithmetic holds. T3: management fee less waiver
# is 0.01 above the retail fund's effective rate it is said to be reduced to. T4: the retail
# counterpart of Capital Appreciation is named two ways. T5: the printed waivers of the eight
# fee-capped Portfolios are "contractual" here but "voluntarily agreed" in the SAI.
CONTEXT_NOTES: dict[str, tuple[str, ...]] = {
    "P1": ("T3", "T5"),
    "P3": ("T3", "T4", "T5"),
    "P4": ("T5",),
    "P5": ("T5",),
    "P7": ("T3", "T5"),
    "P8": ("T5",),
}


def context_notes(row: dict[str, object]) -> set[str]:
    """Data notes that qualify a fee-table row without any of its checks failing."""
    return set(CONTEXT_NOTES.get(str(row["portfolio_id"]), ()))


@dataclass
class Parsed004:
    """Fee-table and expense-example rows plus the failures found."""

    fee_rows: list[dict[str, object]] = field(default_factory=list)
    example_rows: list[dict[str, object]] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    failure_portfolios: dict[tuple[int, str], str] = field(default_factory=dict)


def _table_after(source: SourceText, marker: re.Pattern[str], start: int = 1) -> tuple[int, int]:
    """Line numbers of the first row and the ``</TABLE>`` of the table after ``marker``."""
    for number in range(start, len(source.lines) + 1):
        if marker.search(source.line(number)):
            break
    else:
        raise BuildError(f"{source.name}: table marker {marker.pattern!r} not found")
    first = next(
        n for n in range(number, len(source.lines)) if source.line(n).strip().startswith("<S>")
    )
    end = next(n for n in range(first, len(source.lines)) if "</TABLE>" in source.line(n))
    return first + 1, end


def _rows(source: SourceText, first: int, end: int, pattern: re.Pattern[str]):
    """Yield (start line, end line, match), joining a name that wraps onto the next line."""
    pending: tuple[int, str] | None = None
    for number in range(first, end):
        text = collapse(source.line(number))
        if not text:
            continue
        if pending:
            text = f"{pending[1]} {text}"
        match = pattern.match(text)
        if match:
            yield (pending[0] if pending else number), number, match
            pending = None
        elif pending is None:
            pending = (number, text)
        else:
            raise BuildError(f"{source.name}:{number}: cannot read table row {text!r}")
    if pending:
        raise BuildError(f"{source.name}:{pending[0]}: unfinished table row")


def parse_004(source: SourceText, names: NameIndex) -> Parsed004:
    """Parse the fee table and the expense example; run their checks."""
    out = Parsed004()
    first, end = _table_after(source, re.compile(r"Total Annual Fund"))
    header = collapse(" ".join(source.lines[first - 8 : first]))
    if "Management" not in header or "Without Waivers" not in header:
        raise BuildError(f"{source.name}:{first}: fee-table header not recognised")
    for start, stop, match in _rows(source, first, end, _FEE_ROW):
        _fee_row(out, source, names, start, stop, match)
    first, end = _table_after(source, re.compile(r"^\s*EXAMPLE:"), end)
    for start, stop, match in _rows(source, first, end, _EXAMPLE_ROW):
        _example_rows(out, source, names, start, stop, match)
    return out


def _fee_row(
    out: Parsed004,
    source: SourceText,
    names: NameIndex,
    start: int,
    stop: int,
    match: re.Match[str],
) -> None:
    where = f"{source.name}:{start}"
    portfolio_id = names.portfolio_id(match["name"], where)
    values = dict(zip(FEE_COLUMNS, match["values"].split(), strict=True))
    found = checks.check_fee_row(*values.values())
    for failure in found:
        out.failures.append(
            Failure(source.name, start, failure.check, failure.printed, failure.computed)
        )
        out.failure_portfolios[(start, failure.check)] = portfolio_id
    parts = [checks.percent_value(values[c]) or Decimal(0) for c in FEE_COLUMNS[:3]]
    computed_gross = sum(parts, Decimal(0))
    gross_fails = any(f.check == SUM_CHECK for f in found)
    out.fee_rows.append(
        {
            "portfolio_id": portfolio_id,
            "share_class": SHARE_CLASS.value,
            **values,
            # A total that contradicts its own parts is replaced by their sum (see T1);
            # every other figure is used as printed.
            "total_gross_used": f"{computed_gross}%" if gross_fails else values["total_gross"],
            "total_net_used": values["total_net"],
            "source_file": source.name,
            "line_start": start,
            "line_end": stop,
            "quote": match.group(0),
            "note_ids": "",
        }
    )


def _example_rows(
    out: Parsed004,
    source: SourceText,
    names: NameIndex,
    start: int,
    stop: int,
    match: re.Match[str],
) -> None:
    portfolio_id = names.portfolio_id(match["name"], f"{source.name}:{start}")
    for years, printed in ((1, match["one"]), (3, match["three"])):
        out.example_rows.append(
            {
                "portfolio_id": portfolio_id,
                "share_class": SHARE_CLASS.value,
                "years": years,
                "cost_printed": printed.replace(",", ""),
                "source_file": source.name,
                "line_start": start,
                "line_end": stop,
                "quote": match.group(0),
            }
        )


def example_failures(parsed: Parsed004) -> list[str]:
    """Printed example costs that do not recompute from ``total_gross_used``."""
    gross = {
        r["portfolio_id"]: checks.percent_value(str(r["total_gross_used"])) for r in parsed.fee_rows
    }
    problems = []
    for row in parsed.example_rows:
        ratio = gross.get(str(row["portfolio_id"]))
        if ratio is None:
            problems.append(f"004:{row['line_start']}: no fee-table row for {row['portfolio_id']}")
            continue
        for failure in checks.check_example_cost(
            ratio, int(row["years"]), int(str(row["cost_printed"]))
        ):
            problems.append(f"004:{row['line_start']}: {failure.describe()}")
    return problems
