"""``janus-gui --self-test``: prove that an installed or packaged app works, headless.

Five checks, each against values worked out by hand from the source documents:

* database: the bundled catalog opens read-only and its content hash verifies;
* lookup: CUSIP ``471021709`` and ticker ``JAIG`` both find Overseas, Institutional shares
  (000:25 and 001:19 print them);
* fee: the Service II redemption fee for Overseas on 2012-04-20 (002:96-103: 1.00%, 60 days or
  less, longest held first) on lots 2012-02-20: 100 and 2012-04-05: 50, redeeming 120 at NAV
  10.00: the first lot is held 60 days (2012 is a leap year: 9 + 31 + 20 days) and the second 15,
  so all 120 shares are subject and the fee is 1% x 10.00 x 120 = $12.00;
* costs: the 1999 expense example for Growth Portfolio, Service Shares (0.93% gross, 004:1076)
  projects to $95 after one year and $296 after three (printed at 004:1129);
* pdf: the fee record of that redemption is written to a PDF file on Letter paper, as
  *File ▸ Export results as PDF* writes it, and read back: 612 x 792 points, with the headline,
  the fee of $12.00 and the rule's citation in its text;
* sheet: the class rule sheet of Overseas, Service II shares on 2012-04-20 is written to a PDF
  file on A4, as *File ▸ Export class rule sheet as PDF* writes it, and read back: 595 x 842
  points, naming the class and date and the 1.00% fee on shares held 60 days or less (002:96-103);
* print: the fee record is printed through ``QPrinter`` (QtPrintSupport) to a PDF file on A4,
  as *File ▸ Print* prints it, and read back the same way (595 x 842 points);
* window: the main window is built and painted on the offscreen platform.

The PDFs are read with ``janus_gui.pdf_text`` (the bundle has no PDF library).

Prints one summary line and returns 0 when every check passes, 1 otherwise (the failed checks are
named, with the reason on stderr).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

LOOKUP_CUSIP = "471021709"
LOOKUP_TICKER = "JAIG"
LOOKUP_PORTFOLIO_WORD = "Overseas"

FEE_DATE = dt.date(2012, 4, 20)
FEE_LOTS = ((dt.date(2012, 2, 20), Decimal("100")), (dt.date(2012, 4, 5), Decimal("50")))
FEE_SHARES = Decimal("120")
FEE_NAV = Decimal("10.00")
FEE_EXPECTED = Decimal("12.00")

# Page sizes in points (ISO 216 and ANSI letter), and words every fee record must show.
LETTER_POINTS = (612.0, 792.0)
A4_POINTS = (595.0, 842.0)
RECORD_WORDS = ("Redemption-fee record", "Fee that may apply (maximum)", "$12.00", "[002:96-103]")
SHEET_WORDS = (
    "Class rule sheet",
    "Overseas Portfolio — Service II shares, as of 2012-04-20",
    "Redemption fee: 1.00% on shares held 60 days or less",
    "002:96-103",
)

COSTS_PORTFOLIO = "Growth Portfolio"
COSTS_GROSS_PERCENT = Decimal("0.93")
COSTS_EXPECTED = {1: Decimal("95"), 3: Decimal("296")}


class SelfTestError(Exception):
    """A self-test check found a wrong or missing result."""


@dataclass
class _Context:
    """State shared between checks (the open repository, the Overseas portfolio id)."""

    repo: Any = None
    overseas_id: str | None = None
    notes: list[str] = field(default_factory=list)


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise SelfTestError(message)


# -- checks -------------------------------------------------------------------------------------
def _check_database(ctx: _Context) -> str:
    from janus_gui import paths
    from janus_gui.core.repository import Repository

    path = paths.database_path()
    ctx.repo = Repository.open(path, immutable=paths.database_is_bundled(path), verify=True)
    return "ok"


def _require_repo(ctx: _Context) -> Any:
    if ctx.repo is None:
        raise SelfTestError("database unavailable")
    return ctx.repo


def _institutional_overseas(result: Any, matched_on: str) -> Any:
    from janus_gui.core.models import ShareClass

    for match in result.matches:
        if (
            match.matched_on == matched_on
            and match.share_class == ShareClass.INSTITUTIONAL
            and LOOKUP_PORTFOLIO_WORD in match.portfolio
        ):
            return match
    found = [f"{m.portfolio} {m.share_class}" for m in result.matches] or ["nothing"]
    raise SelfTestError(f"{result.query!r} found {', '.join(found)}, not Overseas Institutional")


def _check_lookup(ctx: _Context) -> str:
    from janus_gui.core.lookup import search

    repo = _require_repo(ctx)
    by_cusip = _institutional_overseas(search(repo, LOOKUP_CUSIP), "cusip")
    by_ticker = _institutional_overseas(search(repo, LOOKUP_TICKER), "ticker")
    _expect(
        by_cusip.portfolio_id == by_ticker.portfolio_id,
        f"CUSIP and ticker found different portfolios ({by_cusip.portfolio_id}, "
        f"{by_ticker.portfolio_id})",
    )
    ctx.overseas_id = by_cusip.portfolio_id
    return "ok"


def _check_fee(ctx: _Context) -> str:
    from janus_gui.core.asof import redemption_fee_rule
    from janus_gui.core.models import ShareClass

    repo = _require_repo(ctx)
    if ctx.overseas_id is None:
        raise SelfTestError("Overseas not found by the lookup check")
    rule = redemption_fee_rule(repo, ctx.overseas_id, ShareClass.SERVICE_II, FEE_DATE)
    _expect(rule.applies, f"no Service II fee rule on {FEE_DATE}: {rule.reason}")
    _expect(rule.rate == Decimal("0.01"), f"fee rate {rule.rate}, expected 0.01")
    _expect(rule.holding_period_days == 60, f"window {rule.holding_period_days}, expected 60")
    fee = _redemption_fee(rule)
    _expect(fee == FEE_EXPECTED, f"fee {fee}, expected {FEE_EXPECTED}")
    return "ok"


def _redemption_fee(rule: Any) -> Decimal:
    """The fee from the engine in ``core.redemption`` for the golden lots."""
    from janus_gui.core.lots import Lot
    from janus_gui.core.redemption import RedemptionRequest, redeem_lots

    lots = [
        Lot(purchase_date=day, shares=shares, lot_id=f"lot {seq}", seq=seq)
        for seq, (day, shares) in enumerate(FEE_LOTS, start=1)
    ]
    request = RedemptionRequest.of_shares(FEE_DATE, FEE_NAV, FEE_SHARES)
    result = redeem_lots(lots, request, rule)
    walk = [(step.days_held, step.shares_redeemed, step.subject_to_fee) for step in result.lots]
    expected = [(60, Decimal("100"), True), (15, Decimal("20"), True)]
    _expect(walk == expected, f"FIFO walk {walk}, expected {expected}")
    return result.total_fee


def _check_costs(ctx: _Context) -> str:
    repo = _require_repo(ctx)
    portfolio = repo.resolve_portfolio(COSTS_PORTFOLIO)
    rows = [r for r in repo.fee_table(portfolio.portfolio_id) if r.share_class.value == "Service"]
    _expect(len(rows) == 1, f"{len(rows)} Service fee-table rows for {COSTS_PORTFOLIO}")
    gross = rows[0].total_gross_used
    _expect(gross == COSTS_GROSS_PERCENT, f"gross ratio {gross}%, expected {COSTS_GROSS_PERCENT}%")
    for years, expected in COSTS_EXPECTED.items():
        cost = _projected_cost(gross, years)
        _expect(cost == expected, f"{years}-year cost ${cost}, expected ${expected}")
    return "ok"


def _projected_cost(gross_percent: Decimal, years: int) -> Decimal:
    """Cumulative cost of $10,000 at 5% a year from the engine in ``core.expenses``."""
    from janus_gui.core.expenses import project_costs

    projection = project_costs(
        gross_percent, amount=Decimal("10000"), return_percent=Decimal("5"), years=[years]
    )
    return projection.costs[years]


def _application() -> Any:
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "janus-gui"])


def _fee_record(ctx: _Context) -> Any:
    """The workspace's fee record of the golden redemption (the window's own code)."""
    from janus_gui.core.asof import redemption_fee_rule
    from janus_gui.core.lots import Lot, LotSchedule
    from janus_gui.core.models import ShareClass
    from janus_gui.core.redemption import RedemptionRequest
    from janus_gui.ui.workspace import report
    from janus_gui.workspace.outcome import LotColumns, compute

    repo = _require_repo(ctx)
    if ctx.overseas_id is None:
        raise SelfTestError("Overseas not found by the lookup check")
    rule = redemption_fee_rule(repo, ctx.overseas_id, ShareClass.SERVICE_II, FEE_DATE)
    schedule = LotSchedule.from_lots(
        Lot(purchase_date=day, shares=shares, lot_id=f"lot {seq}", seq=seq)
        for seq, (day, shares) in enumerate(FEE_LOTS, start=1)
    )
    request = RedemptionRequest.of_shares(FEE_DATE, FEE_NAV, FEE_SHARES)
    outcome = compute(LotColumns.from_schedule(schedule), request, rule, 0)
    context = report.ReportContext(
        portfolio=f"{repo.portfolio(ctx.overseas_id).name_on(FEE_DATE)} ({ctx.overseas_id})",
        share_class=ShareClass.SERVICE_II.value,
        mode="Shares",
        quantity=str(FEE_SHARES),
        excluded_rows=0,
    )
    return report.fee_record(outcome, context, repo.meta())


def _expect_record_pdf(
    path: Path, size: tuple[float, float], words: tuple[str, ...] | None = None
) -> str:
    """The PDF at ``path`` has pages of ``size`` points and ``words`` (the fee record's by
    default) in its text."""
    from janus_gui.pdf_text import read_pdf

    facts = read_pdf(path.read_bytes())
    wrong = [
        page
        for page in facts.page_sizes
        if any(abs(a - b) > 1 for a, b in zip(page, size, strict=True))
    ]
    _expect(not wrong, f"{path.name}: page size {wrong[0] if wrong else ''}, expected {size}")
    text = " ".join(facts.text.split())
    missing = [word for word in (words or RECORD_WORDS) if word not in text]
    _expect(not missing, f"{path.name}: the text lacks {', '.join(map(repr, missing))}")
    return f"{len(facts.page_sizes)} pages"


def _check_pdf(ctx: _Context) -> str:
    from janus_gui.ui import printed

    _application()
    record = _fee_record(ctx)
    with tempfile.TemporaryDirectory(prefix="janus-self-test-") as folder:
        path = printed.write_pdf(Path(folder) / "fee-record.pdf", record, printed.PaperSize.LETTER)
        _expect_record_pdf(path, LETTER_POINTS)
    return "ok"


def _check_sheet(ctx: _Context) -> str:
    from janus_gui.core.asof import class_rules
    from janus_gui.core.models import ShareClass
    from janus_gui.ui import printed, rule_sheet

    repo = _require_repo(ctx)
    if ctx.overseas_id is None:
        raise SelfTestError("Overseas not found by the lookup check")
    _application()
    rules = class_rules(repo, ctx.overseas_id, ShareClass.SERVICE_II, FEE_DATE)
    with tempfile.TemporaryDirectory(prefix="janus-self-test-") as folder:
        path = rule_sheet.write_pdf(
            Path(folder) / "rule-sheet.pdf", repo, rules, printed.PaperSize.A4
        )
        _expect_record_pdf(path, A4_POINTS, SHEET_WORDS)
    return "ok"


def _check_print(ctx: _Context) -> str:
    from PySide6.QtPrintSupport import QPrinter

    from janus_gui.ui import printed

    _application()
    record = _fee_record(ctx)
    with tempfile.TemporaryDirectory(prefix="janus-self-test-") as folder:
        path = Path(folder) / "printed.pdf"
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        printer.setPageSize(printed.PaperSize.A4.page_size())
        printed.render(record, printer)
        del printer  # the PDF file is complete once the printer is gone
        _expect(path.is_file(), "the printer wrote no file")
        _expect_record_pdf(path, A4_POINTS)
    return "ok"


def _check_window(ctx: _Context) -> str:
    from PySide6.QtCore import QSettings

    from janus_gui import APP_NAME
    from janus_gui.ui.icons import app_icon
    from janus_gui.ui.main_window import MainWindow
    from janus_gui.ui.settings import AppSettings

    repo = _require_repo(ctx)
    app = _application()
    _expect(not app_icon().isNull(), "the application icon did not load")
    # Throw-away settings: the self-test neither reads nor changes the user's.
    with tempfile.TemporaryDirectory(prefix="janus-self-test-") as folder:
        store = QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
        # Built as the app builds it, then finished at once so the whole window is rendered.
        window = MainWindow(repo, AppSettings(store), deferred_startup=True)
        try:
            window.finish_startup()
            _expect(window.startup_finished(), "the detail panel was not built")
            _expect(window.windowTitle().startswith(APP_NAME), "unexpected window title")
            image = window.grab()
            _expect(not image.isNull() and image.width() > 0, "the main window rendered nothing")
        finally:
            window.close()
            window.deleteLater()
            app.processEvents()
            store.sync()
    return "ok"


CHECKS: tuple[tuple[str, Callable[[_Context], str]], ...] = (
    ("database", _check_database),
    ("lookup", _check_lookup),
    ("fee", _check_fee),
    ("costs", _check_costs),
    ("pdf", _check_pdf),
    ("sheet", _check_sheet),
    ("print", _check_print),
    ("window", _check_window),
)


# -- runner -------------------------------------------------------------------------------------
def _run_check(name: str, check: Callable[[_Context], str], ctx: _Context) -> tuple[str, bool]:
    try:
        return check(ctx), True
    except Exception as exc:  # every failure, expected or not, is reported by check name
        logger.debug("self-test check %s failed", name, exc_info=True)
        sys.stderr.write(f"self-test: {name} FAILED: {type(exc).__name__}: {exc}\n")
        return "FAILED", False


def run_self_test() -> int:
    """Run every check headless; print one summary line; 0 when all pass, else 1."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.perf_counter()
    ctx = _Context()
    outcomes = [(name, *_run_check(name, check, ctx)) for name, check in CHECKS]
    if ctx.repo is not None:
        ctx.repo.close()
    passed = sum(ok for _, _, ok in outcomes)
    details = ", ".join(f"{name} {status}" for name, status, _ in outcomes)
    elapsed = time.perf_counter() - started
    # The summary line is the command's output (this module is the --self-test command).
    print(f"self-test: {passed}/{len(outcomes)} checks passed ({details}) in {elapsed:.2f} s")
    sys.stdout.flush()
    return 0 if passed == len(outcomes) else 1
