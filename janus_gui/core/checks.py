"""Pure sanity checks shared by the database build and the app.

Every check returns a list of ``CheckFailure`` (empty when the data passes) instead of raising,
so the build can compare failures with the allow-listed data notes and the app can show them.
Limits come from ``DOMAIN.md`` §8 (Rule 22c-2 and FINRA Rule 2341).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from janus_gui.core.identifiers import cusip_check_digit, is_valid_cusip, normalize
from janus_gui.core.money import round_dollars

MAX_REDEMPTION_FEE = Decimal("2.00")  # percent of the value redeemed, Rule 22c-2(a)(1)(i)
MIN_REDEMPTION_WINDOW_DAYS = 7  # Rule 22c-2(a)(1)(i)
MAX_ASSET_BASED_DISTRIBUTION_FEE = Decimal("0.75")  # percent a year, FINRA Rule 2341
MAX_SERVICE_FEE = Decimal("0.25")  # percent a year, FINRA Rule 2341
NOT_APPLICABLE = {"N/A", "-", ""}


@dataclass(frozen=True, slots=True)
class CheckFailure:
    """One failed check: what was checked, the printed value and the computed one."""

    check: str
    printed: str
    computed: str
    detail: str = ""

    def describe(self) -> str:
        """One line for logs and error messages."""
        text = f"{self.check}: printed {self.printed}, computed {self.computed}"
        return f"{text} ({self.detail})" if self.detail else text


def percent_value(text: str) -> Decimal | None:
    """``'0.67%'`` -> ``Decimal('0.67')``; ``'N/A'`` -> ``None``.

    Raises:
        ValueError: the text is neither a percentage nor a not-applicable marker.
    """
    cleaned = text.strip()
    if cleaned.upper() in NOT_APPLICABLE:
        return None
    try:
        return Decimal(cleaned.rstrip("%").strip())
    except InvalidOperation:
        raise ValueError(f"not a percentage: {text!r}") from None


def check_cusip(cusip: str) -> list[CheckFailure]:
    """A CUSIP must be nine characters with a correct modulus-10 check digit."""
    value = normalize(cusip)
    if is_valid_cusip(value):
        return []
    expected = cusip_check_digit(value[:8]) if len(value) >= 8 else "?"
    return [CheckFailure("CUSIP check digit", value, f"{value[:8]}{expected}")]


def check_sum(
    label: str, parts: Sequence[Decimal | None], total: Decimal | None
) -> list[CheckFailure]:
    """``sum(parts) == total``, where ``None`` (printed ``-`` or ``N/A``) counts as zero."""
    computed = sum((p for p in parts if p is not None), Decimal(0))
    printed = total if total is not None else Decimal(0)
    if computed == printed:
        return []
    shown = "-" if total is None else str(total)
    return [CheckFailure(label, shown, str(computed))]


def check_fee_row(
    management: str,
    distribution: str,
    other: str,
    total_gross: str,
    waivers: str,
    total_net: str,
) -> list[CheckFailure]:
    """The two sums of a Form N-1A fee-table row, on the printed percentages.

    ``management + distribution + other = total_gross`` and
    ``total_gross - waivers = total_net`` (``N/A`` waivers count as zero).
    """
    parts = [percent_value(v) for v in (management, distribution, other)]
    gross = percent_value(total_gross)
    waived = percent_value(waivers) or Decimal(0)
    net = percent_value(total_net)
    failures = check_sum("management + 12b-1 + other = total", parts, gross)
    expected_net = (gross or Decimal(0)) - waived
    if net != expected_net:
        failures.append(CheckFailure("total - waivers = net", total_net, f"{expected_net}%"))
    return failures


def check_redemption_fee(rate_percent: Decimal, holding_period_days: int) -> list[CheckFailure]:
    """Rule 22c-2 limits: a fee of at most 2% on shares held at least 7 days' window."""
    failures = []
    if not Decimal(0) <= rate_percent <= MAX_REDEMPTION_FEE:
        failures.append(
            CheckFailure("redemption fee <= 2%", f"{rate_percent}%", f"<= {MAX_REDEMPTION_FEE}%")
        )
    if rate_percent > 0 and holding_period_days < MIN_REDEMPTION_WINDOW_DAYS:
        failures.append(
            CheckFailure(
                "redemption-fee window >= 7 days",
                str(holding_period_days),
                f">= {MIN_REDEMPTION_WINDOW_DAYS}",
            )
        )
    return failures


def check_distribution_fee(max_rate_percent: Decimal) -> list[CheckFailure]:
    """FINRA Rule 2341: an asset-based distribution fee of at most 0.75% a year."""
    if Decimal(0) <= max_rate_percent <= MAX_ASSET_BASED_DISTRIBUTION_FEE:
        return []
    return [
        CheckFailure(
            "12b-1 distribution fee <= 0.75%",
            f"{max_rate_percent}%",
            f"<= {MAX_ASSET_BASED_DISTRIBUTION_FEE}%",
        )
    ]


def check_service_fee(rate_percent: Decimal) -> list[CheckFailure]:
    """FINRA Rule 2341: a service fee of at most 0.25% a year."""
    if Decimal(0) <= rate_percent <= MAX_SERVICE_FEE:
        return []
    return [CheckFailure("service fee <= 0.25%", f"{rate_percent}%", f"<= {MAX_SERVICE_FEE}%")]


def example_cost(
    gross_percent: Decimal,
    years: int,
    *,
    amount: Decimal = Decimal(10000),
    annual_return: Decimal = Decimal("0.05"),
) -> Decimal:
    """Cumulative Form N-1A example cost, rounded to whole dollars (half-up).

    Each year costs ``e * (B + B * (1 + r - e)) / 2`` (expenses on the average balance); the next
    year starts from ``B * (1 + r - e)``. This reproduces every figure of the 1999 example.
    """
    rate = gross_percent / 100
    balance, total = amount, Decimal(0)
    for _ in range(years):
        end = balance * (1 + annual_return - rate)
        total += rate * (balance + end) / 2
        balance = end
    return round_dollars(total)


def check_example_cost(gross_percent: Decimal, years: int, printed: int) -> list[CheckFailure]:
    """The printed example cost must recompute from the gross expense ratio."""
    computed = example_cost(gross_percent, years)
    if computed == printed:
        return []
    return [
        CheckFailure(
            f"{years}-year example cost at {gross_percent}%", f"${printed}", f"${computed}"
        )
    ]
