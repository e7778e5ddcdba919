"""Up to three portfolio × class pairs side by side on one date.

Each row is one topic (status, eligibility, fees, the redemption-fee rule, ...); each cell holds
the facts of one class for that topic, with their citations and standings, or says that the
sources state nothing. A row differs when the substance of its cells differs. The exchange
between each pair and a cost projection under the same assumptions (the ``costs`` method, on each
class's 1999 fee-table total) close the comparison.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations

from janus_gui.core.asof import class_rules
from janus_gui.core.errors import InputError
from janus_gui.core.exchange import ExchangeCheck, Holding, check_exchange
from janus_gui.core.expenses import (
    DEFAULT_YEARS,
    EXAMPLE_AMOUNT,
    EXAMPLE_RETURN,
    Projection,
    project_costs,
)
from janus_gui.core.facts import Fact, class_facts
from janus_gui.core.models import ClassRules, ClassState, ShareClass, Standing, Support
from janus_gui.core.repository import Repository

MAX_CLASSES = 3

# (row key, topic, fact keys or key prefixes that fill it)
ROWS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("status", "Status", ("status",)),
    ("name", "Portfolio name", ("name",)),
    ("identifier", "CUSIP and ticker", ("identifier:",)),
    ("eligibility", "Eligibility", ("rule:eligibility:",)),
    ("distribution_fee", "12b-1 distribution fee", ("rule:distribution_fee:",)),
    ("other_class_fees", "Other class fees and charges", ("rule:admin_fee:", "rule:sales_charge:")),
    ("fee_table_gross", "Total expenses, gross (1999 fee table)", ("fee_table:gross",)),
    ("fee_table_net", "Total expenses, net of waivers (1999 fee table)", ("fee_table:net",)),
    ("expense_limit", "Expense limit", ("rule:expense_limit:",)),
    ("redemption_fee", "Redemption fee", ("redemption_fee",)),
    ("exchange_rule", "Exchange privilege", ("rule:exchange:",)),
    ("conversion", "Conversion", ("rule:conversion:",)),
)


@dataclass(frozen=True, slots=True)
class Cell:
    """One class's facts for one topic; ``missing`` says why there are none."""

    facts: tuple[Fact, ...]
    missing: str = ""

    @property
    def text(self) -> str:
        """The cell in words."""
        return " ".join(f.text for f in self.facts) if self.facts else self.missing

    @property
    def value(self) -> tuple[str, ...]:
        """What comparisons look at."""
        return tuple(f.value for f in self.facts)

    @property
    def support(self) -> Support:
        """The weakest standing of the cell's facts (not documented when it has none)."""
        if not self.facts:
            return Support(Standing.NOT_DOCUMENTED)
        return max((f.support for f in self.facts), key=lambda s: list(Standing).index(s.standing))

    def citations(self) -> str:
        """``002:96-103; 004:1080-1081``."""
        return "; ".join(f.citation.label() for f in self.facts if f.citation is not None)


@dataclass(frozen=True, slots=True)
class Row:
    """One topic across the classes compared."""

    key: str
    topic: str
    cells: tuple[Cell, ...]

    @property
    def differs(self) -> bool:
        """True when the cells' substance is not the same in every class."""
        return len({cell.value for cell in self.cells}) > 1


@dataclass(frozen=True, slots=True)
class CostColumn:
    """The cost projection of one class (``None`` when its fee table is not documented)."""

    ratio_percent: Decimal | None
    projection: Projection | None
    support: Support
    reason: str
    fact: Fact | None  # the fee-table total the projection uses


@dataclass(frozen=True, slots=True)
class Comparison:
    """The classes side by side on ``as_of``."""

    as_of: dt.date
    holdings: tuple[Holding, ...]
    classes: tuple[ClassRules, ...]
    rows: tuple[Row, ...]
    exchanges: tuple[ExchangeCheck, ...]  # from each class into each later one, and back
    costs: tuple[CostColumn, ...]
    amount: Decimal
    return_percent: Decimal
    years: tuple[int, ...]
    basis: str  # "gross" or "net"

    def cost_difference(self, column: int, years: int) -> Decimal | None:
        """Dollars more (or less) than the first class at ``years`` (``None`` when unknown)."""
        first, other = self.costs[0].projection, self.costs[column].projection
        if first is None or other is None:
            return None
        return other.costs[years] - first.costs[years]

    def title(self, index: int) -> str:
        """``Overseas Portfolio / Service II``."""
        rules = self.classes[index]
        return f"{rules.portfolio_name} / {rules.share_class.value}"


def parse_pair(repo: Repository, text: str) -> Holding:
    """A ``PORTFOLIO/CLASS`` argument (``P4/Service II``, ``Overseas/Service``) resolved.

    Raises:
        InputError: when the text has no slash or an empty side.
    """
    portfolio_text, slash, class_text = text.rpartition("/")
    if not slash or not portfolio_text.strip() or not class_text.strip():
        raise InputError(f'each class must look like "PORTFOLIO/CLASS", got {text!r}')
    portfolio = repo.resolve_portfolio(portfolio_text)
    return Holding(portfolio.portfolio_id, ShareClass.parse(class_text), portfolio_text.strip())


def compare_classes(
    repo: Repository,
    holdings: Sequence[Holding],
    as_of: dt.date,
    *,
    amount: Decimal = EXAMPLE_AMOUNT,
    return_percent: Decimal = EXAMPLE_RETURN,
    years: Sequence[int] = DEFAULT_YEARS,
    net: bool = False,
) -> Comparison:
    """Two or three classes side by side on ``as_of``.

    Raises:
        InputError: for fewer than two or more than three classes, the same class twice, or
            projection inputs ``project_costs`` refuses.
    """
    if not 2 <= len(holdings) <= MAX_CLASSES:
        raise InputError(f"compare takes two or three classes, got {len(holdings)}")
    keys = [(h.portfolio_id, h.share_class) for h in holdings]
    if len(set(keys)) != len(keys):
        raise InputError("the same portfolio and class is given twice")
    project_costs(Decimal(1), amount=amount, return_percent=return_percent, years=years)
    classes = tuple(class_rules(repo, h.portfolio_id, h.share_class, as_of) for h in holdings)
    facts = [class_facts(rules) for rules in classes]
    rows = tuple(
        Row(
            key,
            topic,
            tuple(
                _cell(rules, found, prefixes) for rules, found in zip(classes, facts, strict=True)
            ),
        )
        for key, topic, prefixes in ROWS
    )
    exchanges = tuple(
        check_exchange(repo, holdings[a], holdings[b], as_of)
        for first, second in combinations(range(len(holdings)), 2)
        for a, b in ((first, second), (second, first))
    )
    costs = tuple(_cost(found, amount, return_percent, years, net) for found in facts)
    return Comparison(
        as_of,
        tuple(holdings),
        classes,
        rows,
        exchanges,
        costs,
        amount,
        return_percent,
        tuple(sorted(set(years))),
        "net" if net else "gross",
    )


def _cell(rules: ClassRules, facts: list[Fact], prefixes: tuple[str, ...]) -> Cell:
    chosen = tuple(
        f
        for f in facts
        if any(f.key == p or (p.endswith(":") and f.key.startswith(p)) for p in prefixes)
    )
    if chosen:
        return Cell(chosen)
    return Cell((), _missing(rules))


def _missing(rules: ClassRules) -> str:
    if rules.status.state != ClassState.OFFERED:
        return f"Nothing in force: {rules.status.text}"
    return (
        f"The sources state nothing on this for {rules.share_class.value} shares on "
        f"{rules.as_of.isoformat()}."
    )


def _cost(
    facts: list[Fact], amount: Decimal, return_percent: Decimal, years: Sequence[int], net: bool
) -> CostColumn:
    key = "fee_table:net" if net else "fee_table:gross"
    fact = next((f for f in facts if f.key == key), None)
    if fact is None or fact.standing == Standing.NOT_DOCUMENTED:
        return CostColumn(
            None,
            None,
            Support(Standing.NOT_DOCUMENTED),
            "No projection: the sources print no fee table for this class on this date.",
            fact,
        )
    ratio = Decimal(fact.value)
    projection = project_costs(ratio, amount=amount, return_percent=return_percent, years=years)
    return CostColumn(ratio, projection, fact.support, "", fact)
