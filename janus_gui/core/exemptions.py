"""Why a lot is exempt from the redemption fee: a reason the user records, never a rule.

The 2012 plan (002:96-103) states the Service II fee and names no exemption; prospectuses of the
era list categories such as dividend reinvestment, systematic withdrawal plans, death or
disability, and plan-level transactions. Whether one applies is the administrator's decision, so
an exemption is recorded with one of those reasons (or "other" and a note), who recorded it and
when, and is labelled everywhere with ``LABEL``. An exempt lot is still consumed in FIFO order;
only its fee is waived.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from janus_gui.core.lots import LotSchedule
from janus_gui.core.money import quantize_shares

LABEL = "recorded by the user — the 2012 plan names no exemptions (002:96-103)"
MAX_NOTE_CHARS = 200


class ExemptionReason(StrEnum):
    """The reasons a lot may be recorded as exempt."""

    DIVIDEND_REINVESTMENT = "dividend_reinvestment"
    SYSTEMATIC_WITHDRAWAL = "systematic_withdrawal"
    DEATH_OR_DISABILITY = "death_or_disability"
    PLAN_LEVEL_TRANSACTION = "plan_level_transaction"
    OTHER = "other"
    NOT_RECORDED = "not_recorded"  # a lot marked exempt with no reason (older files)

    @property
    def words(self) -> str:
        """``death or disability``."""
        return REASON_WORDS[self]


REASON_WORDS = {
    ExemptionReason.DIVIDEND_REINVESTMENT: "dividend reinvestment",
    ExemptionReason.SYSTEMATIC_WITHDRAWAL: "systematic withdrawal",
    ExemptionReason.DEATH_OR_DISABILITY: "death or disability",
    ExemptionReason.PLAN_LEVEL_TRANSACTION: "plan-level transaction",
    ExemptionReason.OTHER: "other",
    ExemptionReason.NOT_RECORDED: "reason not recorded",
}
# The reasons a user may choose (NOT_RECORDED only describes older data).
CHOICES = tuple(r for r in ExemptionReason if r is not ExemptionReason.NOT_RECORDED)


@dataclass(frozen=True, slots=True)
class Exemption:
    """An exemption recorded for one lot (always truthy: an exempt flag)."""

    reason: ExemptionReason
    note: str = ""  # free text; required for OTHER
    recorded_by: str = ""
    recorded_on: dt.date | None = None

    def __bool__(self) -> bool:
        return True

    def text(self) -> str:
        """``other: court order`` or ``death or disability``."""
        if self.note:
            return f"{self.reason.words}: {self.note}"
        return self.reason.words

    def cell(self) -> str:
        """The ``exempt_reason`` cell: ``death_or_disability`` or ``other: court order``."""
        return f"{self.reason.value}: {self.note}" if self.note else self.reason.value

    def recorded(self) -> str:
        """``recorded by ana on 2012-04-20``, or empty."""
        parts = []
        if self.recorded_by:
            parts.append(f"by {self.recorded_by}")
        if self.recorded_on:
            parts.append(f"on {self.recorded_on.isoformat()}")
        return f"recorded {' '.join(parts)}" if parts else ""


NOT_RECORDED = Exemption(ExemptionReason.NOT_RECORDED)


def _reason_of(text: str) -> ExemptionReason:
    key = "_".join(text.strip().lower().replace("-", " ").split())
    for reason in ExemptionReason:
        if key in (reason.value, "_".join(reason.words.replace("-", " ").split())):
            return reason
    names = ", ".join(r.value for r in CHOICES)
    raise ValueError(f"{text.strip()!r} is not an exemption reason; use one of {names}")


def parse_exemption(
    text: str, recorded_by: str = "", recorded_on: dt.date | None = None
) -> Exemption | None:
    """An ``exempt_reason`` cell: blank (``None``), a reason, or ``other: note``.

    Raises:
        ValueError: for an unknown reason, ``other`` without a note, or a note that is too long.
    """
    value = text.strip()
    if not value:
        return None
    head, colon, note = value.partition(":")
    reason = _reason_of(head)
    note = " ".join(note.split())
    if reason is ExemptionReason.OTHER and not note:
        raise ValueError('"other" needs a note saying why, as "other: <why>"')
    if len(note) > MAX_NOTE_CHARS:
        raise ValueError(f"the note is longer than {MAX_NOTE_CHARS} characters")
    if colon and not note:
        raise ValueError(f"{value!r} has an empty note after the colon")
    return Exemption(reason, note, recorded_by.strip(), recorded_on)


def exemption_of(flag: object) -> Exemption | None:
    """The exemption stored for a lot (an ``Exemption``, ``True`` from a bare flag, or none)."""
    if isinstance(flag, Exemption):
        return flag
    return NOT_RECORDED if flag else None


@dataclass(frozen=True, slots=True)
class ExemptShares:
    """Shares inside the fee window that were not charged, by recorded reason."""

    total: Decimal
    by_reason: tuple[tuple[Exemption, Decimal], ...]

    def cell(self) -> str:
        """``death_or_disability=40.000; other: court order=10.000`` (batch and CSV output)."""
        return "; ".join(f"{e.cell()}={shares}" for e, shares in self.by_reason)

    def payload(self) -> dict[str, object]:
        """The exempt shares as JSON-ready values, with the label."""
        return {
            "shares": self.total,
            "label": LABEL,
            "by_reason": [
                {
                    "reason": e.reason.value,
                    "note": e.note or None,
                    "recorded_by": e.recorded_by or None,
                    "recorded_on": e.recorded_on,
                    "shares": shares,
                }
                for e, shares in self.by_reason
            ],
        }

    def text(self) -> str:
        """``40.000 shares (death or disability)`` in words, with the label."""
        if not self.by_reason:
            return ""
        parts = ", ".join(f"{shares} shares ({e.text()})" for e, shares in self.by_reason)
        return f"Exempt: {parts}; {LABEL}."


def schedule_exemption(schedule: LotSchedule, index: int) -> Exemption | None:
    """The exemption recorded for the ``index``-th lot of ``schedule``, if any."""
    return exemption_of(schedule.exempt_value(index))


def result_exemptions(schedule: LotSchedule, steps: Sequence[Any]) -> ExemptShares:
    """Exempt shares by reason for the steps of a ``RedemptionResult`` over ``schedule`` (the
    lots before the redemption): only lots inside the fee window count, as in the result's
    ``shares_exempt``."""
    totals: dict[Exemption, Decimal] = {}
    for index in schedule.exempt_indexes(0, len(steps)):
        step = steps[index]
        if not step.within_window:
            continue
        exemption = schedule_exemption(schedule, index) or NOT_RECORDED
        totals[exemption] = totals.get(exemption, Decimal("0.000")) + step.shares_redeemed
    by_reason = tuple((e, quantize_shares(s)) for e, s in totals.items())
    return ExemptShares(
        quantize_shares(sum((s for _, s in by_reason), Decimal("0.000"))), by_reason
    )
