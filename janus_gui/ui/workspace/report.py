"""Exports of a computed redemption: CSV (formula-safe) and a PDF report.

The CSV goes through ``core.lots_csv.write_rows`` so every cell that could start a spreadsheet
formula is neutralised by ``core.csv_safety``. The PDF is a ``QTextDocument`` printed with
``QPdfWriter``: inputs, the per-lot walk, totals, the rule with its citation, the database build
facts and the time of computation.
"""

from __future__ import annotations

import html
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from janus_gui import __version__
from janus_gui.core import safe_write
from janus_gui.core.lots_csv import write_rows
from janus_gui.ui.workspace.engine import Outcome, fixed, plain, rate_text
from janus_gui.ui.workspace.results_view import headline, method_html, money, shares_text

STEP_HEADER = (
    "row",
    "lot_id",
    "purchase_date",
    "shares_held",
    "shares_redeemed",
    "days_held",
    "subject_to_fee",
    "exempt",
    "fee_unrounded",
    "fee_free_from",
)


@dataclass(frozen=True, slots=True)
class ReportContext:
    """What the outcome alone does not say: which portfolio and class, and the inputs as typed."""

    portfolio: str
    share_class: str
    mode: str
    quantity: str
    excluded_rows: int


def csv_text(outcome: Outcome, context: ReportContext) -> str:
    """The per-lot walk and the totals as CSV (one table; totals as labelled rows below)."""
    result = outcome.result
    buffer = io.StringIO(newline="")
    rows: list[tuple[object, ...]] = [
        (
            step.seq,
            step.lot_id,
            step.purchase_date,
            fixed(step.shares_held),
            fixed(step.shares_redeemed),
            step.days_held,
            "yes" if step.subject_to_fee else "no",
            "yes" if step.exempt else "no",
            plain(step.fee_unrounded) if step.subject_to_fee else "",
            step.fee_free_from,
        )
        for step in result.lots
    ]
    rows.append(())
    rows.extend(
        (label, value)
        for label, value in (
            ("portfolio", context.portfolio),
            ("share_class", context.share_class),
            ("redeem_date", result.request.redeem_date),
            ("nav", fixed(result.request.nav)),
            ("shares_redeemed", fixed(result.shares_redeemed)),
            ("redemption_value", fixed(result.redemption_value)),
            ("shares_subject_to_fee", fixed(result.shares_subject_to_fee)),
            ("fee_unrounded", plain(result.fee_unrounded)),
            ("fee_that_may_apply", fixed(result.total_fee)),
            ("net_proceeds", fixed(result.net_proceeds)),
            ("rule", outcome.rule_text.replace("\\n", " ")),
            ("citation", outcome.rule.citation.label() if outcome.rule.citation else ""),
            ("computed_at", outcome.computed_at.isoformat()),
        )
    )
    write_rows(buffer, STEP_HEADER, rows)
    return buffer.getvalue()


def write_csv(path: Path | str, outcome: Outcome, context: ReportContext) -> Path:
    """Write the CSV export atomically."""
    return safe_write.write_text(path, csv_text(outcome, context))


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]], numeric: set[int]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = []
    for row in rows:
        cells = "".join(
            f"<td align='{'right' if i in numeric else 'left'}'>{html.escape(c)}</td>"
            for i, c in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    return (
        "<table border='1' cellspacing='0' cellpadding='3' width='100%'>"
        f"<tr>{head}</tr>{''.join(body)}</table>"
    )


def _kv(pairs: list[tuple[str, str]]) -> str:
    rows = "".join(
        f"<tr><td><b>{html.escape(k)}</b></td><td>{html.escape(v)}</td></tr>" for k, v in pairs
    )
    return f"<table cellspacing='0' cellpadding='2'>{rows}</table>"


MAX_PDF_STEPS = 2000  # longer walks are summarised; the CSV export has every row


def report_html(outcome: Outcome, context: ReportContext, meta: Mapping[str, str]) -> str:
    """The PDF report as HTML for ``QTextDocument``."""
    result = outcome.result
    request = result.request
    rule = outcome.rule
    steps = [
        (
            str(s.seq),
            s.lot_id,
            s.purchase_date.isoformat(),
            shares_text(s.shares_redeemed),
            str(s.days_held),
            "yes" if s.subject_to_fee else ("no (exempt)" if s.exempt else "no"),
            plain(s.fee_unrounded) if s.subject_to_fee else "",
            s.fee_free_from.isoformat() if s.fee_free_from else "",
        )
        for s in result.lots[:MAX_PDF_STEPS]
    ]
    more = len(result.lots) - len(steps)
    citation = rule.citation
    cite = (
        f"{citation.source_file}, lines {citation.line_start}-{citation.line_end} "
        f"[{citation.label()}]: “{citation.quote}”"
        if citation
        else "no source states a rule for this case"
    )
    inputs = [
        ("Portfolio", context.portfolio),
        ("Share class", context.share_class),
        ("Redemption date", request.redeem_date.isoformat()),
        ("Redeem", f"{context.mode} {context.quantity}".strip()),
        ("NAV", fixed(request.nav)),
        ("Lot-table rows left out (errors)", str(context.excluded_rows)),
    ]
    totals = [
        ("Redemption value", money(result.redemption_value)),
        ("Shares redeemed", shares_text(result.shares_redeemed)),
        ("Shares subject to the fee", shares_text(result.shares_subject_to_fee)),
        ("Fee that may apply (maximum)", money(result.total_fee)),
        ("Unrounded fee", plain(result.fee_unrounded)),
        ("Net proceeds", money(result.net_proceeds)),
    ]
    build = [
        (k, meta[k])
        for k in ("schema_version", "documented_from", "documented_to", "content_sha256")
        if k in meta
    ]
    build.append(("App version", __version__))
    build.append(("Computed at (UTC)", outcome.computed_at.isoformat()))
    notes = "".join(f"<li>{html.escape(n.text)}</li>" for n in outcome.notes)
    rule_html = html.escape(outcome.rule_text).replace("\n", "<br>")
    planner = "<br>".join(html.escape(line) for line in outcome.planner_lines)
    more_text = f"<p>{more:,} further lots are in the CSV export.</p>" if more else ""
    return (
        "<html><body style='font-size:9pt'>"
        "<h2>Redemption-fee report</h2>"
        f"<p><b>{html.escape(headline(outcome))}</b></p>"
        f"<h3>Inputs</h3>{_kv(inputs)}"
        f"<h3>Totals</h3>{_kv(totals)}"
        f"<h3>Rule applied</h3><p>{rule_html}</p>"
        f"<p><i>Source:</i> {html.escape(cite)}</p>"
        f"<h3>Per-lot walk ({rule.lot_order})</h3>"
        + _table(
            (
                "#",
                "Lot id",
                "Purchased",
                "Shares taken",
                "Days held",
                "Subject",
                "Fee portion (unrounded)",
                "Fee-free from",
            ),
            steps,
            {0, 3, 4, 6},
        )
        + more_text
        + f"<h3>Notes</h3><ul>{notes}</ul>"
        f"<h3>Fee-free planner</h3><p>{planner}</p>"
        f"<h3>How this was calculated</h3>"
        f"{method_html(rule.holding_period_days, rate_text(rule))}"
        f"<p>{html.escape(outcome.rounding_text())}</p>"
        f"<h3>Database</h3>{_kv(build)}"
        "</body></html>"
    )


def write_pdf(
    path: Path | str, outcome: Outcome, context: ReportContext, meta: Mapping[str, str]
) -> Path:
    """Print the report to a PDF file (A4, written atomically)."""
    target = Path(path)
    temp = target.with_name(f".{target.name}.render")
    writer = QPdfWriter(str(temp))
    writer.setTitle("Redemption-fee report")
    writer.setCreator(f"Janus Aspen Rules Desk {__version__}")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    document = QTextDocument()
    document.setHtml(report_html(outcome, context, meta))
    layout = writer.pageLayout().paintRectPixels(writer.resolution())
    document.setPageSize(QSizeF(layout.width(), layout.height()))
    document.print_(writer)
    del writer  # finishes the file
    try:
        data = temp.read_bytes()
    finally:
        temp.unlink(missing_ok=True)
    return safe_write.write_bytes(target, data)
