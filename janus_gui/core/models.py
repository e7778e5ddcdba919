"""Frozen dataclasses shared by the core, the CLI and the window.

Every fact the app shows carries a ``Citation`` and an ``Evidence`` level.
Money, rates, NAVs and share counts are ``Decimal``; dates are ``datetime.date``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from janus_gui.core.errors import InputError


def period_covers(start: dt.date | None, end: dt.date | None, on: dt.date) -> bool:
    """Half-open period test ``start <= on < end``; ``None`` is an open end."""
    return (start is None or start <= on) and (end is None or on < end)


class ShareClass(StrEnum):
    """The four share classes named in the sources."""

    INSTITUTIONAL = "Institutional"
    SERVICE = "Service"
    SERVICE_II = "Service II"
    RETIREMENT = "Retirement"

    @classmethod
    def parse(cls, text: str) -> ShareClass:
        """Case-insensitive; accepts 'service ii', 'service-ii', 'SII', 'Institutional Shares'."""
        key = " ".join(text.replace("-", " ").replace("_", " ").split()).lower()
        key = key.removesuffix(" shares").removesuffix(" class")
        aliases = {
            "institutional": cls.INSTITUTIONAL,
            "inst": cls.INSTITUTIONAL,
            "service": cls.SERVICE,
            "service ii": cls.SERVICE_II,
            "service 2": cls.SERVICE_II,
            "serviceii": cls.SERVICE_II,
            "service2": cls.SERVICE_II,
            "sii": cls.SERVICE_II,
            "retirement": cls.RETIREMENT,
        }
        try:
            return aliases[key]
        except KeyError:
            names = ", ".join(c.value for c in cls)
            raise InputError(f"unknown share class {text!r}; use one of {names}") from None


class Evidence(StrEnum):
    """How a fact is known."""

    DOCUMENTED = "documented"
    INFERRED = "inferred"


class DatePrecision(StrEnum):
    """How exact an effective date is."""

    EXACT = "exact"
    IN_FORCE_BY = "in_force_by"  # the earliest document showing it; the true start may be earlier
    UNKNOWN = "unknown"


class RuleKind(StrEnum):
    """Kinds of prose rule kept in the catalog."""

    ELIGIBILITY = "eligibility"
    PURPOSE = "purpose"
    DISTRIBUTION_FEE = "distribution_fee"  # 12b-1
    ADMIN_FEE = "admin_fee"
    SALES_CHARGE = "sales_charge"
    REDEMPTION_FEE = "redemption_fee"
    EXCHANGE = "exchange"
    CONVERSION = "conversion"
    MANAGEMENT_FEE = "management_fee"
    EXPENSE_LIMIT = "expense_limit"
    PRICING = "pricing"
    REDEMPTION = "redemption"
    DISTRIBUTION_POLICY = "distribution_policy"
    CLASS_EXPENSES = "class_expenses"
    OTHER = "other"


class ClassState(StrEnum):
    """Status of a portfolio's share class on a date."""

    OFFERED = "offered"
    NOT_YET = "not_yet_offered"
    CONVERTED = "converted"
    ENDED = "ended"
    NOT_DOCUMENTED = "not_documented"


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a fact comes from: source file, 1-based inclusive line range, short verbatim quote."""

    source_file: str
    line_start: int
    line_end: int
    quote: str

    @property
    def doc(self) -> str:
        """Short document id: the three-digit prefix of the file name (``'002'``)."""
        return self.source_file[:3]

    def label(self) -> str:
        """``002:96-103`` style reference."""
        lines = (
            str(self.line_start)
            if self.line_start == self.line_end
            else f"{self.line_start}-{self.line_end}"
        )
        return f"{self.doc}:{lines}"


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """One of the five source documents."""

    doc: str
    source_file: str
    title: str
    doc_date: str
    description: str
    sha256: str


@dataclass(frozen=True, slots=True)
class DataNote:
    """A visible note about an inconsistency inside a source (never silently fixed)."""

    note_id: str
    title: str
    printed: str
    computed: str
    used: str
    explanation: str
    citation: Citation


@dataclass(frozen=True, slots=True)
class PortfolioName:
    """One name of a portfolio lineage, with the period it is known to be in use."""

    portfolio_id: str
    name: str
    effective_from: dt.date | None
    effective_to: dt.date | None  # exclusive
    evidence: Evidence
    evidence_reason: str
    citation: Citation
    note_ids: tuple[str, ...] = ()

    def in_force(self, on: dt.date) -> bool:
        """True when ``effective_from <= on < effective_to`` (open ends allowed)."""
        return period_covers(self.effective_from, self.effective_to, on)


@dataclass(frozen=True, slots=True)
class Portfolio:
    """A portfolio lineage (stable id such as ``P4``) with all its names."""

    portfolio_id: str
    category: str
    objective: str
    names: tuple[PortfolioName, ...]
    citation: Citation | None = None  # where the category and objective are stated

    def name_on(self, on: dt.date) -> str:
        """The name in force on ``on``, else the nearest earlier name, else the first name."""
        in_force = [n for n in self.names if n.in_force(on)]
        if in_force:
            return in_force[-1].name
        earlier = [n for n in self.names if n.effective_from and n.effective_from <= on]
        if earlier:
            return max(earlier, key=lambda n: n.effective_from or dt.date.min).name
        return self.names[0].name if self.names else self.portfolio_id


@dataclass(frozen=True, slots=True)
class Security:
    """A CUSIP (and ticker, when printed) for one portfolio and class."""

    cusip: str
    portfolio_id: str
    share_class: ShareClass
    ticker: str | None
    name_as_printed: str
    evidence: Evidence
    citation: Citation
    note_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchMatch:
    """One search hit: a portfolio and class, with the field the query matched on."""

    portfolio_id: str
    portfolio: str  # name in force on the as-of date
    share_class: ShareClass | None  # None for a name match that names no class
    cusip: str | None
    ticker: str | None
    matched_on: str  # "cusip" | "isin" | "ticker" | "name"
    matched_text: str
    rank: int


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The outcome of ``search``: how the query was read and its matches, best first."""

    query: str
    kind: str
    normalized: str
    matches: tuple[SearchMatch, ...]
    message: str = ""


@dataclass(frozen=True, slots=True)
class Rule:
    """A prose rule with its scope, effective period, parameters and citation.

    ``portfolio_id`` / ``share_class`` of ``None`` mean "every portfolio" / "every class".
    ``params`` keeps parameter values as printed text (parse with ``Decimal`` where needed).
    """

    rule_id: str
    kind: RuleKind
    portfolio_id: str | None
    share_class: ShareClass | None
    effective_from: dt.date | None
    from_precision: DatePrecision
    effective_to: dt.date | None  # exclusive
    summary: str
    params: dict[str, str]
    evidence: Evidence
    evidence_reason: str
    citation: Citation
    note_ids: tuple[str, ...] = ()

    def in_force(self, on: dt.date) -> bool:
        """True when the rule's documented period covers ``on``."""
        return period_covers(self.effective_from, self.effective_to, on)


@dataclass(frozen=True, slots=True)
class FeeRule:
    """The redemption-fee rule in force for a class on a date (``rate`` 0 means none applies)."""

    applies: bool
    rate: Decimal
    holding_period_days: int | None
    lot_order: str  # "FIFO"
    base: str  # "redemption value"
    recipient: str
    reason: str  # plain-words explanation, e.g. why no fee applies
    rule_id: str | None
    citation: Citation | None
    evidence: Evidence
    documented: bool = True  # False: the sources are silent for this class on this date


@dataclass(frozen=True, slots=True)
class Event:
    """A dated event (plan adoption or amendment, class start, conversion, rename)."""

    event_id: str
    date: dt.date
    kind: str
    portfolio_id: str | None
    share_class: ShareClass | None
    to_share_class: ShareClass | None
    description: str
    evidence: Evidence
    evidence_reason: str
    citation: Citation
    note_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ClassAvailability:
    """A period in which a portfolio is documented to offer a class."""

    portfolio_id: str
    share_class: ShareClass
    available_from: dt.date | None
    from_precision: DatePrecision
    available_to: dt.date | None  # exclusive
    end_reason: str
    evidence: Evidence
    evidence_reason: str
    citation: Citation
    note_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ClassStatus:
    """Status of a class on a date, in words, with the evidence behind it."""

    state: ClassState
    text: str
    citation: Citation | None


@dataclass(frozen=True, slots=True)
class Distribution:
    """A per-share distribution as printed; components map name -> amount (None = printed '-')."""

    distribution_id: str
    cusip: str
    portfolio_id: str
    share_class: ShareClass
    period: str
    record_date: dt.date | None
    ex_date: dt.date | None
    pay_date: dt.date | None
    components: dict[str, Decimal | None]
    total: Decimal | None
    citation: Citation
    note_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FeeTableRow:
    """A row of the 1999 fee table, as printed, plus the values the app uses (see data notes)."""

    portfolio_id: str
    share_class: ShareClass
    management_fee: str
    distribution_fee: str
    other_expenses: str
    total_gross: str
    waivers: str
    total_net: str
    total_gross_used: Decimal
    total_net_used: Decimal
    citation: Citation
    note_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ExpenseExampleRow:
    """A printed expense-example figure ($10,000, 5%, redeemed at period end)."""

    portfolio_id: str
    share_class: ShareClass
    years: int
    cost_printed: int
    citation: Citation


@dataclass(frozen=True, slots=True)
class ClassRules:
    """Everything the catalog knows for one portfolio and class on one date."""

    portfolio: Portfolio
    share_class: ShareClass
    as_of: dt.date
    portfolio_name: str
    status: ClassStatus
    securities: tuple[Security, ...]
    names: tuple[PortfolioName, ...]
    rules: tuple[Rule, ...]  # every rule in force on as_of for this portfolio and class
    redemption_fee: FeeRule
    events: tuple[Event, ...]
    distributions: tuple[Distribution, ...]
    fee_table: tuple[FeeTableRow, ...]
    expense_example: tuple[ExpenseExampleRow, ...]
    data_notes: tuple[DataNote, ...]
    not_documented: tuple[str, ...] = field(default_factory=tuple)

    def rules_of(self, kind: RuleKind) -> tuple[Rule, ...]:
        """Rules of one kind."""
        return tuple(r for r in self.rules if r.kind == kind)
