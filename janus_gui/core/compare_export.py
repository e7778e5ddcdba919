"""The comparison of classes as CSV: one row per topic and class, with standing and source.

Every cell goes through ``core.csv_safety`` and the file through ``core.safe_write``.
"""

from __future__ import annotations

import io
from pathlib import Path

from janus_gui.core.compare import Comparison
from janus_gui.core.lots_csv import write_rows
from janus_gui.core.safe_write import write_text
from janus_gui.core.wording import standing_label

HEADER = ("as_of", "topic", "differs", "portfolio", "share_class", "text", "standing", "sources")


def csv_rows(comparison: Comparison) -> list[tuple[object, ...]]:
    """One row per topic and class, then the exchanges and the cost projection."""
    rows: list[tuple[object, ...]] = []
    day = comparison.as_of
    for row in comparison.rows:
        for rules, cell in zip(comparison.classes, row.cells, strict=True):
            rows.append(
                (
                    day,
                    row.topic,
                    "yes" if row.differs else "no",
                    rules.portfolio_name,
                    rules.share_class.value,
                    cell.text,
                    standing_label(cell.support),
                    cell.citations(),
                )
            )
    for check in comparison.exchanges:
        source = comparison.classes[comparison.holdings.index(check.source)]
        topic = f"Exchange into {check.target.share_class.value} ({check.target.portfolio_id})"
        rows.append(
            (
                day,
                topic,
                "",
                source.portfolio_name,
                source.share_class.value,
                check.reason,
                check.standing.value.replace("_", " "),
                check.citation.label() if check.citation else "",
            )
        )
    for index, (rules, column) in enumerate(zip(comparison.classes, comparison.costs, strict=True)):
        for years in comparison.years:
            topic = f"Cost over {years} years (${comparison.amount}, {comparison.return_percent}%)"
            if column.projection is None:
                text = column.reason
            else:
                text = f"${column.projection.costs[years]} at {column.ratio_percent}%"
                diff = comparison.cost_difference(index, years) if index else None
                if diff is not None:
                    text += f" ({'+' if diff >= 0 else '-'}${abs(diff)} against the first class)"
            rows.append(
                (
                    day,
                    topic,
                    "",
                    rules.portfolio_name,
                    rules.share_class.value,
                    text,
                    standing_label(column.support),
                    column.fact.citation.label() if column.fact and column.fact.citation else "",
                )
            )
    return rows


def csv_text(comparison: Comparison) -> str:
    """The comparison as CSV text."""
    buffer = io.StringIO(newline="")
    write_rows(buffer, HEADER, csv_rows(comparison))
    return buffer.getvalue()


def write_csv(path: Path | str, comparison: Comparison) -> Path:
    """Write the comparison as CSV to ``path`` (replaced in one step)."""
    return write_text(path, csv_text(comparison))
