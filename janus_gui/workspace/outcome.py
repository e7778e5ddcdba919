"""A redemption computed for the workspace: the core's FIFO walk and everything shown about it.

``compute`` is safe on a worker thread: it reads immutable rows and builds an immutable
``Outcome`` (summary, notes, planner sentences, timeline bars, the first per-lot rows), so the
window only displays it. The command line's ``fee --pdf`` uses the same ``Outcome``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from janus_gui.core import inputs, wording
from janus_gui.core.exemptions import (
    NOT_RECORDED,
    Exemption,
    ExemptShares,
    result_exemptions,
    schedule_exemption,
)
from janus_gui.core.lots import LotSchedule
from janus_gui.core.models import Citation, FeeRule
from janus_gui.core.planner import plan_fee_free
from janus_gui.core.redemption import (
    LotRedemption,
    RedeemMode,
    RedemptionRequest,
    RedemptionResult,
    redeem,
)
from janus_gui.workspace.rows import LotRow


class LotState(StrEnum):
    """What the redemption does to a lot."""

    SUBJECT = "subject"  # (partly) redeemed within the holding period: the fee may apply
    FREE = "free"  # (partly) redeemed after the holding period
    KEPT = "kept"  # not reached by the FIFO walk


@dataclass(frozen=True, slots=True)
class TimelineLot:
    """One timeline bar: the label in the gutter, the purchase date, the state and hover text."""

    label: str
    purchase: dt.date
    shares: Decimal
    state: LotState
    tooltip: str


@dataclass(frozen=True, slots=True)
class LotColumns:
    """Valid lot-table rows as columns in table order; ``seqs`` are the 1-based row numbers."""

    dates: list[dt.date]
    shares: list[Decimal]
    ids: list[str]
    exempt: list[bool]
    seqs: list[int]

    def __len__(self) -> int:
        return len(self.dates)

    @classmethod
    def from_rows(cls, rows: Sequence[LotRow], seqs: Sequence[int]) -> LotColumns:
        """Columns of the valid rows (safe on a worker: rows are immutable)."""
        valid = [(q, r) for q, r in zip(seqs, rows, strict=True) if r.valid]
        return cls(
            [r.purchase_date for _q, r in valid],  # type: ignore[misc]
            [r.shares for _q, r in valid],  # type: ignore[misc]
            [r.lot_id for _q, r in valid],
            [r.exempt for _q, r in valid],
            [q for q, _r in valid],
        )

    @classmethod
    def from_schedule(cls, schedule: LotSchedule) -> LotColumns:
        """Columns of a schedule read from a lot file (the command line's ``fee --pdf``)."""
        count = range(len(schedule))
        return cls(
            [schedule.date(i) for i in count],
            [schedule.shares(i) for i in count],
            [schedule.lot_id(i) for i in count],
            [schedule.exempt_value(i) for i in count],
            [schedule.seq(i) for i in count],
        )

    def schedule(self) -> LotSchedule:
        """The FIFO schedule: by purchase date, ties in table order (the ``#`` column)."""
        dates = self.dates
        if all(a <= b for a, b in zip(dates, dates[1:], strict=False)):
            order: Sequence[int] = range(len(dates))  # already FIFO: files usually are
        else:  # one C-level sort (holds the interpreter lock briefly)
            order = sorted(range(len(dates)), key=dates.__getitem__)
        exempt = [self.exempt[i] for i in order]
        return LotSchedule(
            [self.dates[i] for i in order],
            [self.shares[i] for i in order],
            [self.ids[i] for i in order],
            [self.seqs[i] for i in order],
            exempt if any(exempt) else None,
        )


@dataclass(frozen=True, slots=True)
class Note:
    """A line under "Notes", with the citation behind it when there is one."""

    text: str
    citation: Citation | None = None


STEP_ROWS_SHOWN = 5000  # per-lot breakdown rows shown; the CSV export has them all


FEE_UNDETERMINED = "cannot be determined"  # never $0.00: silence is not a zero fee


@dataclass(frozen=True, slots=True)
class Outcome:
    """A computed redemption and everything the workspace shows about it.

    ``shown_steps`` (the first ``STEP_ROWS_SHOWN`` lots of the walk) is built with the rest on
    the worker: materialising thousands of steps on the GUI thread would freeze the window.
    """

    result: RedemptionResult
    rule_text: str
    notes: tuple[Note, ...]
    planner_lines: tuple[str, ...]
    timeline: tuple[TimelineLot, ...]
    computed_at: dt.datetime
    shares_remaining: Decimal
    shown_steps: tuple[LotRedemption, ...] = ()
    excluded_rows: int = 0  # lot-table rows with errors, left out of this result
    exemptions: ExemptShares | None = None  # exempt shares by recorded reason
    exemption_by_seq: dict[int, Exemption] = field(default_factory=dict)  # every exempt lot

    def exemption_text(self, seq: int) -> str:
        """The recorded reason of the lot in table row ``seq`` ("" when not exempt)."""
        found = self.exemption_by_seq.get(seq)
        return found.text() if found is not None else ""

    @property
    def rule(self) -> FeeRule:
        """The fee rule the result was computed with."""
        return self.result.rule

    @property
    def fee_known(self) -> bool:
        """False when no source documents the fee rule on the date: then no amount is shown."""
        return self.rule.documented

    def fee_figure(self, value: Decimal, render: Callable[[Decimal], str]) -> str:
        """A fee-dependent figure, or "cannot be determined" when the rule is not documented."""
        return render(value) if self.fee_known else FEE_UNDETERMINED

    def rounding_text(self) -> str:
        """The single rounding step, in words."""
        r = self.result
        if not self.fee_known:
            return f"No fee was computed: {FEE_UNDETERMINED} on {r.request.redeem_date}."
        return (
            f"{fixed(r.shares_subject_to_fee)} shares subject × {rate_text(r.rule)} × NAV "
            f"{fixed(r.request.nav)} = {plain(r.fee_unrounded)} unrounded; rounded once, "
            f"half up, to ${fixed(r.total_fee)}."
        )


WINDOW_FIELDS = inputs.RequestFields(
    nav="the NAV", shares="the shares to redeem", amount="the dollar amount"
)


def make_request(
    redeem_date: dt.date, mode: RedeemMode, quantity_text: str, nav_text: str
) -> RedemptionRequest:
    """Build the engine's request from the input fields (``InputError`` when one is invalid)."""
    return inputs.redemption_request(
        redeem_date, mode, quantity_text, nav_text, fields=WINDOW_FIELDS
    )


def plain(value: Decimal) -> str:
    """An unrounded amount in plain notation without trailing zeros: ``0``, ``3.3333``.

    ``str(Decimal)`` switches to scientific notation for small exponents (``0E-7``).
    """
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def fixed(value: Decimal) -> str:
    """A quantized amount in plain notation, its places kept: ``10.00``, ``0.000``."""
    return format(value, "f")


def rounding_remark(unrounded: Decimal) -> str:
    """`` (rounded once from …)`` after a fee, or nothing when no rounding took place."""
    if unrounded == unrounded.quantize(Decimal("0.01")):
        return ""
    return f" (rounded once from {plain(unrounded)})"


def rate_text(rule: FeeRule) -> str:
    """``1.00%``."""
    return wording.rate_text(rule.rate)


def describe_rule(rule: FeeRule) -> str:
    """The rule applied: its parameters in one line, then the catalog's summary."""
    return wording.rule_sentence(rule)


def _timeline(result: RedemptionResult) -> list[TimelineLot]:
    holding = result.rule.holding_period_days
    bars: list[TimelineLot] = []
    for step in result.lots:
        state = LotState.SUBJECT if step.subject_to_fee else LotState.FREE
        tip = (
            f"Row {step.seq}{' · ' + step.lot_id if step.lot_id else ''}\n"
            f"Bought {step.purchase_date.isoformat()}, held {step.days_held} days\n"
            f"Redeemed {fixed(step.shares_redeemed)} of {fixed(step.shares_held)} shares"
            + ("; fee may apply" if step.subject_to_fee else "; fee-free")
            + (" (exempt)" if step.exempt else "")
        )
        if step.fee_free_from and step.within_window:
            tip += f"\nFee-free from {step.fee_free_from.isoformat()}"
        bars.append(
            TimelineLot(
                _label(step.seq, step.lot_id), step.purchase_date, step.shares_redeemed, state, tip
            )
        )
    remaining = result.remaining
    start = 1 if result.lots and result.lots[-1].shares_remaining > 0 else 0
    for index in range(start, len(remaining)):
        day, seq, lot_id = remaining.date(index), remaining.seq(index), remaining.lot_id(index)
        tip = f"Row {seq}{' · ' + lot_id if lot_id else ''}\nBought {day.isoformat()}; not redeemed"
        if holding is not None and result.rule.applies:
            free = day + dt.timedelta(days=holding + 1)
            tip += f"\nFee-free from {free.isoformat()}"
        bars.append(TimelineLot(_label(seq, lot_id), day, Decimal(0), LotState.KEPT, tip))
    return bars


def _label(seq: int, lot_id: str) -> str:
    return f"{seq} · {lot_id}" if lot_id else str(seq)


def planner_lines(schedule: LotSchedule, rule: FeeRule, redeem_date: dt.date) -> list[str]:
    """Shares redeemable on the date without a fee, and the next date more become fee-free."""
    if not rule.documented:
        return [
            f"Which shares are fee-free on {redeem_date.isoformat()} {FEE_UNDETERMINED}: no "
            "source documents the redemption-fee rule on that date."
        ]
    return wording.fee_free_sentences(plan_fee_free(schedule, redeem_date, rule), redeem_date, rule)


def compute(
    columns: LotColumns, request: RedemptionRequest, rule: FeeRule, excluded: int
) -> Outcome:
    """Run the core engine and prepare everything the workspace shows (safe on a worker)."""
    schedule = columns.schedule()
    result = redeem(schedule, request, rule)
    notes = [Note(text) for text in result.notes if text != rule.reason]  # shown as the rule
    exemptions = result_exemptions(schedule, result.lots) if result.shares_exempt else None
    if exemptions is not None:
        notes.append(Note(exemptions.text()))
    if excluded:
        notes.insert(
            0,
            Note(
                f"{excluded} lot-table row{'s' * (excluded > 1)} with errors "
                "left out of this computation."
            ),
        )
    return Outcome(
        result=result,
        rule_text=describe_rule(rule),
        notes=tuple(notes),
        planner_lines=tuple(planner_lines(schedule, rule, request.redeem_date)),
        timeline=tuple(_timeline(result)),
        computed_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
        shares_remaining=result.remaining.total_shares(),
        shown_steps=tuple(result.lots[:STEP_ROWS_SHOWN]),
        excluded_rows=excluded,
        exemptions=exemptions,
        exemption_by_seq={
            schedule.seq(i): schedule_exemption(schedule, i) or NOT_RECORDED
            for i in schedule.exempt_indexes()
        },
    )
