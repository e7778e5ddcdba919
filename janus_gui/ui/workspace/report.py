"""Exports of a computed redemption: a CSV and the printed fee record (PDF or printer).

Both list every lot (each step of the walk and every lot still held), the rule with its
citation, the notes (the exclusion of rows with errors first), the app version, the database
content hash and the time of computation. The CSV goes through ``core.lots_csv.write_rows`` so
every cell that could start a spreadsheet formula is neutralised by ``core.csv_safety``; the
record is rendered by ``ui.printed``, the same code for the window's PDF export, File ▸ Print
and ``janus-gui fee --pdf``.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from janus_gui import APP_NAME, __version__
from janus_gui.core import safe_write
from janus_gui.core.exemptions import LABEL as EXEMPTION_LABEL
from janus_gui.core.lots_csv import write_rows
from janus_gui.core.redemption import LotRedemption
from janus_gui.ui import printed
from janus_gui.ui.detail.common import standing_badge
from janus_gui.ui.workspace.results_view import (
    excluded_text,
    headline,
    method_html,
    money,
    shares_text,
)
from janus_gui.workspace.outcome import Outcome, fixed, plain, rate_text

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
    "shares_remaining",
    "exempt_reason",
)


@dataclass(frozen=True, slots=True)
class ReportContext:
    """What the outcome alone does not say: which portfolio and class, and the inputs as typed."""

    portfolio: str
    share_class: str
    mode: str
    quantity: str
    excluded_rows: int


def build_facts(outcome: Outcome, meta: Mapping[str, str]) -> list[tuple[str, str]]:
    """App version, database facts and the time of computation, labelled."""
    facts = printed.catalog_facts(meta)
    facts.append(("Computed at (UTC)", outcome.computed_at.isoformat()))
    return facts


def _untouched_start(outcome: Outcome) -> int:
    """Index of the first remaining lot the walk did not reach (a partial lot is in both)."""
    lots = outcome.result.lots
    return 1 if len(lots) and lots[-1].shares_remaining > 0 else 0


def _fee_free_from(outcome: Outcome, day: dt.date) -> dt.date | None:
    rule = outcome.rule
    if not rule.applies or rule.holding_period_days is None:
        return None
    return day + dt.timedelta(days=rule.holding_period_days + 1)


def csv_rows(outcome: Outcome) -> Iterator[tuple[object, ...]]:
    """Every lot: the steps of the walk, then the lots the walk did not reach."""
    for step in outcome.result.lots:
        yield (
            step.seq,
            step.lot_id,
            step.purchase_date,
            fixed(step.shares_held),
            fixed(step.shares_redeemed),
            step.days_held,
            _yes_no(outcome, step.subject_to_fee),
            "yes" if step.exempt else "no",
            plain(step.fee_unrounded) if step.subject_to_fee and outcome.fee_known else "",
            step.fee_free_from,
            fixed(step.shares_remaining),
            outcome.exemption_text(step.seq),
        )
    remaining = outcome.result.remaining
    redeemed_on = outcome.result.request.redeem_date
    for index in range(_untouched_start(outcome), len(remaining)):
        day, held = remaining.date(index), fixed(remaining.shares(index))
        yield (
            remaining.seq(index),
            remaining.lot_id(index),
            day,
            held,
            "0.000",
            (redeemed_on - day).days,
            "no" if outcome.fee_known else "unknown",
            "yes" if remaining.exempt(index) else "no",
            "",
            _fee_free_from(outcome, day),
            held,
            outcome.exemption_text(remaining.seq(index)),
        )


def csv_text(
    outcome: Outcome, context: ReportContext, meta: Mapping[str, str] | None = None
) -> str:
    """Every lot as one table; the inputs, totals, rule, notes and facts as labelled rows."""
    result = outcome.result
    buffer = io.StringIO(newline="")
    rows: list[tuple[object, ...]] = list(csv_rows(outcome))
    rows.append(())
    labelled: list[tuple[str, object]] = [
        ("portfolio", context.portfolio),
        ("share_class", context.share_class),
        ("redeem_date", result.request.redeem_date),
        ("redeem", f"{context.mode} {context.quantity}".strip()),
        ("nav", fixed(result.request.nav)),
        ("rows_excluded", context.excluded_rows),
        ("shares_redeemed", fixed(result.shares_redeemed)),
        ("redemption_value", fixed(result.redemption_value)),
        ("shares_subject_to_fee", outcome.fee_figure(result.shares_subject_to_fee, fixed)),
        ("fee_unrounded", outcome.fee_figure(result.fee_unrounded, plain)),
        ("fee_that_may_apply", outcome.fee_figure(result.total_fee, fixed)),
        ("fee_status", outcome.rule.standing.value),
        ("net_proceeds", outcome.fee_figure(result.net_proceeds, fixed)),
        ("shares_remaining", fixed(outcome.shares_remaining)),
        ("rule", outcome.rule_text.replace("\n", " ")),
        ("citation", outcome.rule.citation.label() if outcome.rule.citation else ""),
        ("citation_quote", outcome.rule.citation.quote if outcome.rule.citation else ""),
    ]
    if outcome.exemption_by_seq:
        labelled.append(("exemptions", EXEMPTION_LABEL))
        if outcome.exemptions is not None:
            labelled.append(("exempt_shares", fixed(outcome.exemptions.total)))
            labelled.append(("exempt_reasons", outcome.exemptions.cell()))
    labelled.extend(("note", note.text) for note in outcome.notes)
    labelled.extend(
        ("app_version", __version__) if label == "App version" else (_key(label), value)
        for label, value in build_facts(outcome, meta or {})
    )
    rows.extend(labelled)
    write_rows(buffer, STEP_HEADER, rows)
    return buffer.getvalue()


def _key(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")


def write_csv(
    path: Path | str,
    outcome: Outcome,
    context: ReportContext,
    meta: Mapping[str, str] | None = None,
) -> Path:
    """Write the CSV export atomically."""
    return safe_write.write_text(path, csv_text(outcome, context, meta))


# -- the printed record -------------------------------------------------------------------------
def _yes_no(outcome: Outcome, subject: bool) -> str:
    if not outcome.fee_known:
        return "unknown"
    return "yes" if subject else "no"


def _subject(outcome: Outcome, step: LotRedemption) -> str:
    if not outcome.fee_known:
        return "unknown"
    if step.subject_to_fee:
        return "yes"
    if step.exempt and step.within_window:
        reason = outcome.exemption_text(step.seq)
        return f"no (exempt: {reason})" if reason else "no (exempt)"
    return "no"


def _walk_rows(outcome: Outcome) -> Iterator[tuple[str, ...]]:
    for s in outcome.result.lots:
        yield (
            str(s.seq),
            s.lot_id,
            s.purchase_date.isoformat(),
            shares_text(s.shares_held),
            shares_text(s.shares_redeemed),
            str(s.days_held),
            _subject(outcome, s),
            plain(s.fee_unrounded) if s.subject_to_fee and outcome.fee_known else "",
            s.fee_free_from.isoformat() if s.fee_free_from else "",
        )


def _held_rows(outcome: Outcome) -> Iterator[tuple[str, ...]]:
    remaining = outcome.result.remaining
    redeemed_on = outcome.result.request.redeem_date
    for index in range(len(remaining)):
        day = remaining.date(index)
        free = _fee_free_from(outcome, day)
        yield (
            str(remaining.seq(index)),
            remaining.lot_id(index),
            day.isoformat(),
            shares_text(remaining.shares(index)),
            str((redeemed_on - day).days),
            free.isoformat() if free and free > redeemed_on else "",
        )


def _citation_text(outcome: Outcome) -> str:
    citation = outcome.rule.citation
    if citation is None:
        return "No source states a rule for this case."
    return (
        f"{citation.source_file}, lines {citation.line_start}–{citation.line_end} "
        f"[{citation.label()}]: “{citation.quote}”"
    )


def _note_text(outcome: Outcome) -> str:
    items = []
    for note in outcome.notes:
        cite = f" [{note.citation.label()}]" if note.citation else ""
        items.append(f"<li>{html.escape(note.text + cite)}</li>")
    return f"<ul>{''.join(items)}</ul>" if items else "<p>None.</p>"


def _exemptions_html(outcome: Outcome) -> str:
    """The exempt lots with the reasons the user recorded, labelled as the user's."""
    if not outcome.exemption_by_seq:
        return ""
    rows = (
        (str(seq), exemption.text(), exemption.recorded() or "not recorded")
        for seq, exemption in sorted(outcome.exemption_by_seq.items())
    )
    total = outcome.exemptions.text() if outcome.exemptions is not None else ""
    return (
        f"<h3>Exemptions ({html.escape(EXEMPTION_LABEL)})</h3>"
        + (f"<p>{html.escape(total)}</p>" if total else "")
        + "".join(printed.table_parts(("#", "Reason", "Recorded"), rows, {0}))
    )


def report_html(outcome: Outcome, context: ReportContext, meta: Mapping[str, str]) -> str:
    """The body of the fee record as HTML for ``QTextDocument`` (sizes in points)."""
    result = outcome.result
    request = result.request
    rule = outcome.rule
    inputs = [
        ("Portfolio", context.portfolio),
        ("Share class", context.share_class),
        ("Redemption date", request.redeem_date.isoformat()),
        ("Redeem", f"{context.mode} {context.quantity}".strip()),
        ("NAV", fixed(request.nav)),
        ("Lot-table rows excluded (errors)", str(context.excluded_rows)),
    ]
    fee = outcome.fee_figure
    totals = [
        ("Redemption value", money(result.redemption_value)),
        ("Shares redeemed", shares_text(result.shares_redeemed)),
        ("Shares subject to the fee", fee(result.shares_subject_to_fee, shares_text)),
        ("Fee that may apply (maximum)", fee(result.total_fee, money)),
        ("Unrounded fee", fee(result.fee_unrounded, plain)),
        ("Fee rule standing", standing_badge(outcome.rule.support)),
        ("Net proceeds", fee(result.net_proceeds, money)),
        ("Shares still held afterwards", shares_text(outcome.shares_remaining)),
    ]
    exclusion = (
        f"<p style='font-size:13pt; font-weight:bold; color:#b00020'>"
        f"{excluded_text(context.excluded_rows)} — lot-table rows with errors are left out "
        "of this result.</p>"
        if context.excluded_rows
        else ""
    )
    walk = printed.table_parts(
        (
            "#",
            "Lot id",
            "Purchased",
            "Shares held",
            "Shares taken",
            "Days held",
            "Subject",
            "Fee portion (unrounded)",
            "Fee-free from",
        ),
        _walk_rows(outcome),
        {0, 3, 4, 5, 7},
    )
    held = printed.table_parts(
        ("#", "Lot id", "Purchased", "Shares still held", "Days held", "Fee-free from"),
        _held_rows(outcome),
        {0, 3, 4},
    )
    held_count = len(result.remaining)
    rule_html = html.escape(outcome.rule_text).replace("\n", "<br>")
    planner = "<br>".join(html.escape(line) for line in outcome.planner_lines)
    return "".join(
        [
            "<p style='font-size:16pt; font-weight:bold'>Redemption-fee record</p>"
            f"{exclusion}"
            f"<p style='font-size:13pt; font-weight:bold'>{html.escape(headline(outcome))}</p>"
            f"<h3>Inputs</h3>{printed.pairs_table(inputs)}"
            f"<h3>Totals</h3>{printed.pairs_table(totals)}"
            f"<h3>Rule applied</h3><p>{rule_html}</p>"
            f"<p><i>Source:</i> {html.escape(_citation_text(outcome))}</p>"
            f"<h3>Lots redeemed ({html.escape(rule.lot_order or 'FIFO')}), "
            f"{len(result.lots):,}</h3>",
            *walk,
            f"<h3>Lots still held after the redemption, {held_count:,}</h3>",
            *(held if held_count else ["<p>None: every share was redeemed.</p>"]),
            _exemptions_html(outcome),
            f"<h3>Notes</h3>{_note_text(outcome)}"
            f"<h3>Fee-free planner</h3><p>{planner}</p>"
            "<h3>How this was calculated</h3>"
            f"{method_html(rule.holding_period_days, rate_text(rule))}"
            f"<p>{html.escape(outcome.rounding_text())}</p>"
            f"<h3>Record</h3>{printed.pairs_table(build_facts(outcome, meta))}",
        ]
    )


def fee_record(
    outcome: Outcome, context: ReportContext, meta: Mapping[str, str]
) -> printed.PagedRecord:
    """The fee record: body, a header naming the case, a footer with version, hash and time."""
    day = outcome.result.request.redeem_date.isoformat()
    digest = meta.get("content_sha256", "unknown")
    generated = outcome.computed_at.strftime("%Y-%m-%d %H:%M:%S UTC")
    return printed.PagedRecord(
        title=f"Redemption-fee record: {context.portfolio}, {context.share_class}, {day}",
        header=f"Redemption-fee record · {context.portfolio} · {context.share_class} · "
        f"redemption on {day}",
        footer_lines=(
            f"{APP_NAME} {__version__} · generated {generated}",
            f"Database content SHA-256 {digest}",
        ),
        body_html=report_html(outcome, context, meta),
    )


def write_pdf(
    path: Path | str,
    outcome: Outcome,
    context: ReportContext,
    meta: Mapping[str, str],
    paper: printed.PaperSize | None = None,
) -> Path:
    """Write the fee record as PDF (atomically); Letter or A4, by default from the locale."""
    return printed.write_pdf(path, fee_record(outcome, context, meta), paper)


def short_portfolio_name(name: str) -> str:
    """``Janus Aspen Series Overseas Portfolio (P4)`` -> ``Overseas``."""
    text = re.sub(r"\([^)]*\)", " ", name)
    text = re.sub(r"\b(Janus|Aspen|Series|Portfolio)\b", " ", text, flags=re.IGNORECASE)
    words = re.findall(r"[A-Za-z0-9]+", text)
    return "".join(w[:1].upper() + w[1:] for w in words) or "Portfolio"


def suggested_name(portfolio: str, share_class: str, day: dt.date, suffix: str) -> str:
    """``Overseas-ServiceII-2012-04-20-fee.pdf``."""
    class_part = re.sub(r"[^A-Za-z0-9]+", "", share_class) or "Class"
    return f"{short_portfolio_name(portfolio)}-{class_part}-{day.isoformat()}-fee{suffix}"
