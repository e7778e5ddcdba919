"""The comparison of classes as a printed record (PDF or printer), through ``ui.printed``.

The same code serves the window's Compare view and ``janus-gui compare --pdf``. Every cell
carries its standing and source; rows whose substance differs are marked.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping
from pathlib import Path

from janus_gui import APP_NAME, __version__
from janus_gui.core.compare import Comparison
from janus_gui.core.wording import standing_label
from janus_gui.ui import printed

DIFFERS_STYLE = "background-color:#fff4d6"


def _cell_html(text: str, standing: str, sources: str) -> str:
    cite = f"<br><span style='color:#444444'>[{html.escape(sources)}]</span>" if sources else ""
    return f"{html.escape(text)}<br><i style='color:#444444'>{html.escape(standing)}</i>{cite}"


def _rows_html(comparison: Comparison) -> str:
    titles = [comparison.title(i) for i in range(len(comparison.classes))]
    head = "<th align='left' width='16%'>Topic</th>" + "".join(
        f"<th align='left'>{html.escape(t)}</th>" for t in titles
    )
    body = []
    for row in comparison.rows:
        style = f" style='{DIFFERS_STYLE}'" if row.differs else ""
        marker = "<br><b>differs</b>" if row.differs else ""
        cells = "".join(
            f"<td valign='top'>{_cell_html(c.text, standing_label(c.support), c.citations())}</td>"
            for c in row.cells
        )
        body.append(
            f"<tr{style}><td valign='top'><b>{html.escape(row.topic)}</b>{marker}</td>{cells}</tr>"
        )
    body.append(_costs_row(comparison))
    return (
        "<table border='1' cellspacing='0' cellpadding='3' width='100%' "
        "style='border-collapse:collapse; border-color:#999999; border-style:solid'>"
        f"<thead><tr style='background-color:#eeeeee'>{head}</tr></thead>{''.join(body)}</table>"
    )


def _costs_row(comparison: Comparison) -> str:
    cells = []
    for index, column in enumerate(comparison.costs):
        if column.projection is None:
            cells.append(f"<td valign='top'>{html.escape(column.reason)}</td>")
            continue
        lines = [f"at {column.ratio_percent}% ({standing_label(column.support)})"]
        for years in comparison.years:
            diff = comparison.cost_difference(index, years) if index else None
            more = f" ({'+' if diff >= 0 else '−'}${abs(diff):,})" if diff is not None else ""
            lines.append(f"{years} yr: ${column.projection.costs[years]:,}{more}")
        source = column.fact.citation.label() if column.fact and column.fact.citation else ""
        cells.append(
            "<td valign='top'>"
            + "<br>".join(html.escape(x) for x in lines)
            + (f"<br>[{html.escape(source)}]" if source else "")
            + "</td>"
        )
    assumptions = (
        f"${comparison.amount:,}, {comparison.return_percent}% a year, {comparison.basis} ratio"
    )
    return (
        f"<tr><td valign='top'><b>Cost projection</b><br>{html.escape(assumptions)}</td>"
        f"{''.join(cells)}</tr>"
    )


def _exchanges_html(comparison: Comparison) -> str:
    items = []
    for check in comparison.exchanges:
        cite = f" [{check.citation.label()}]" if check.citation else ""
        items.append(
            f"<li>{html.escape(check.source.share_class.value)} ({check.source.portfolio_id}) → "
            f"{html.escape(check.target.share_class.value)} ({check.target.portfolio_id}): "
            f"{html.escape(check.reason + cite)}</li>"
        )
    return f"<ul>{''.join(items)}</ul>"


def comparison_html(comparison: Comparison, meta: Mapping[str, str]) -> str:
    """The body of the comparison record as HTML for ``QTextDocument``."""
    facts = [("App version", f"{APP_NAME} {__version__}")]
    if meta.get("content_sha256"):
        facts.append(("Database content SHA-256", meta["content_sha256"]))
    return (
        "<html><body style='font-size:9.5pt'>"
        "<p style='font-size:16pt; font-weight:bold'>Share classes compared</p>"
        f"<p>On {comparison.as_of.isoformat()}. Rows marked “differs” differ in substance; "
        "each cell gives its standing (documented, carried or not documented) and its source "
        "lines.</p>"
        f"{_rows_html(comparison)}"
        f"<h3>Exchanges between the classes</h3>{_exchanges_html(comparison)}"
        "<p>Cost projection: the method that reproduces the printed 1999 expense example; "
        "only the 1- and 3-year figures of the $10,000 / 5% example are printed in the "
        "sources.</p>"
        f"<h3>Record</h3>{printed.pairs_table(facts)}"
        "</body></html>"
    )


def comparison_record(comparison: Comparison, meta: Mapping[str, str]) -> printed.PagedRecord:
    """The comparison as a paged record with header and footer."""
    titles = " · ".join(comparison.title(i) for i in range(len(comparison.classes)))
    generated = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return printed.PagedRecord(
        title=f"Share classes compared on {comparison.as_of.isoformat()}",
        header=f"Compared on {comparison.as_of.isoformat()} · {titles}",
        footer_lines=(
            f"{APP_NAME} {__version__} · generated {generated}",
            f"Database content SHA-256 {meta.get('content_sha256', 'unknown')}",
        ),
        body_html=comparison_html(comparison, meta),
    )


def write_pdf(
    path: Path | str,
    comparison: Comparison,
    meta: Mapping[str, str],
    paper: printed.PaperSize | None = None,
) -> Path:
    """Write the comparison as PDF (atomically)."""
    return printed.write_pdf(path, comparison_record(comparison, meta), paper)
