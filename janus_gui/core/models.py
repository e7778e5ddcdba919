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
    NOT_OFFERED = "not_offered"  # a source states the class had not started
    ENDED = "ended"  # a source states the class ended (converted or terminated)
    UNKNOWN = "unknown"  # the sources cannot say


class Standing(StrEnum):
    """How the sources support a fact on a date (``docs/calculations.md``, "Standing")."""

    DOCUMENTED = "documented"  # a source speaks for that date
    CARRIED = "carried"  # last documented earlier and contradicted by nothing; may have changed
    NOT_DOCUMENTED = "not_documented"  # nothing speaks for that date or before it

    def weaker(self, other: Standing) -> Standing:
        """The weaker of two standings (an answer is only as supported as its weakest input)."""
        order = list(Standing)
        return max(self, other, key=order.index)


class NameKind(StrEnum):
    """What a stored portfolio name is."""

    LEGAL = "legal"  # the portfolio's name in a document that names it
    LABEL = "label"  # a short label in a table (e.g. "Aspen Overseas"); searchable, never the name
    VARIANT = "variant"  # a one-off form of a legal name; searchable


class ClassEvidenceKind(StrEnum):
    """One piece of evidence about when a class existed."""

    LISTED = "listed"  # a document that speaks for [date_from, date_to) lists the class
    EXISTS = "exists"  # the class existed on date_from (statements, a conversion into it)
    STARTS = "starts"  # a source states the class began on date_from
    ENDS = "ends"  # a source states the class is gone from date_from
    UNLISTED = "unlisted"  # a document listing the classes omits it from date_from


@dataclass(frozen=True, slots=True)
class Support:
    """How one fact is supported on one date: its standing and the dates it rests on."""

    standing: Standing
    documented_on: dt.date | None = None  # the day the support rests on (last documented day)
    until: dt.date | None = None  # for bracketed facts: the next day a source speaks for it
    text: str = ""

    @staticmethod
    def of_span(
        documented_from: dt.date | None, documented_to: dt.date | None, on: dt.date
    ) -> Support:
        """Standing of a fact whose source speaks for ``[documented_from, documented_to)``.

        Callers test first that the fact is in force on ``on``; this only says how well.
        """
        if documented_from is None or documented_to is None:
            return Support(Standing.NOT_DOCUMENTED, text="from an undated document")
        if on < documented_from:
            return Support(
                Standing.NOT_DOCUMENTED,
                until=documented_from,
                text=f"first documented {documented_from.isoformat()}",
            )
        last = documented_to - dt.timedelta(days=1)
        if on <= last:
            return Support(Standing.DOCUMENTED, documented_on=on)
        return Support(
            Standing.CARRIED,
            documented_on=last,
            text=f"last documented {last.isoformat()}; may have changed since",
        )


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
    """One name of a portfolio lineage and the dates its source speaks for it."""

    portfolio_id: str
    name: str
    kind: NameKind
    documented_from: dt.date
    documented_to: dt.date  # exclusive
    evidence: Evidence
    evidence_reason: str
    citation: Citation
    note_ids: tuple[str, ...] = ()

    def documented(self, on: dt.date) -> bool:
        """True when the name's source speaks for ``on``."""
        return self.documented_from <= on < self.documented_to

    @property
    def last_documented(self) -> dt.date:
        """The last day the source speaks for."""
        return self.documented_to - dt.timedelta(days=1)


TRUST_PREFIX = "Janus Aspen Series "


def same_name(a: str, b: str) -> bool:
    """Two printed forms of one name ("Overseas Portfolio" and "Janus Aspen Series Overseas
    Portfolio"): equal once the trust's name in front is set aside."""
    return a.removeprefix(TRUST_PREFIX).casefold() == b.removeprefix(TRUST_PREFIX).casefold()


@dataclass(frozen=True, slots=True)
class NameOnDate:
    """The legal name shown for a date, how it is supported, and a rename window if any."""

    name: str
    support: Support
    renamed_to: str | None = None  # the next documented name, when it differs
    labels: tuple[str, ...] = ()  # short labels documented on the date

    def display(self) -> str:
        """One line: the name, or both names across an undated rename."""
        if self.renamed_to:
            return f"{self.name} / {self.renamed_to}"
        return self.name

    def describe(self) -> str:
        """The name with its standing in words."""
        if self.renamed_to and self.support.documented_on and self.support.until:
            return (
                f"{self.name}, renamed {self.renamed_to} between "
                f"{self.support.documented_on.isoformat()} and {self.support.until.isoformat()}"
            )
        if self.support.standing == Standing.DOCUMENTED:
            return self.name
        return f"{self.name} ({self.support.text})"


@dataclass(frozen=True, slots=True)
class Portfolio:
    """A portfolio lineage (stable id such as ``P4``) with all its names."""

    portfolio_id: str
    category: str
    objective: str
    names: tuple[PortfolioName, ...]
    citation: Citation | None = None  # where the category and objective are stated

    def name_on(self, on: dt.date) -> str:
        """The legal name shown for ``on`` (both names across an undated rename)."""
        return self.name_support(on).display()

    def name_support(self, on: dt.date) -> NameOnDate:
        """The legal name a source documents for ``on``; else the last earlier one (carried,
        with the next different name as a rename window); else the first one (not yet
        documented). Labels and variants never stand as the name."""
        legal = sorted(
            (n for n in self.names if n.kind == NameKind.LEGAL),
            key=lambda n: (n.documented_from, n.documented_to),
        )
        labels = tuple(n.name for n in self.names if n.kind == NameKind.LABEL and n.documented(on))
        if not legal:
            return NameOnDate(self.portfolio_id, Support(Standing.NOT_DOCUMENTED), None, labels)
        documented = [n for n in legal if n.documented(on)]
        if documented:
            return NameOnDate(documented[-1].name, Support(Standing.DOCUMENTED, on), None, labels)
        before = [n for n in legal if n.documented_to <= on]
        after = [n for n in legal if n.documented_from > on]
        if not before:
            first = after[0]
            support = Support.of_span(first.documented_from, first.documented_to, on)
            return NameOnDate(first.name, support, None, labels)
        last = max(before, key=lambda n: n.documented_to)
        nxt = after[0] if after else None
        if nxt is None or same_name(last.name, nxt.name):
            support = Support(
                Standing.CARRIED,
                last.last_documented,
                nxt.documented_from if nxt else None,
                f"last documented {last.last_documented.isoformat()}",
            )
            return NameOnDate(last.name, support, None, labels)
        support = Support(
            Standing.CARRIED,
            last.last_documented,
            nxt.documented_from,
            f"renamed between {last.last_documented.isoformat()} and "
            f"{nxt.documented_from.isoformat()}",
        )
        return NameOnDate(last.name, support, nxt.name, labels)


@dataclass(frozen=True, slots=True)
class Security:
    """A CUSIP (and ticker, when printed) for one portfolio and class."""

    cusip: str
    portfolio_id: str
    share_class: ShareClass
    ticker: str | None
    name_as_printed: str
    evidence: Evidence
    citation: Citation  # the CUSIP's first printed occurrence
    note_ids: tuple[str, ...] = ()
    # The line that prints the ticker cell (the ticker, or "N/A"); None when no source has one.
    ticker_citation: Citation | None = None


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
    ticker_citation: Citation | None = None  # the line that prints the ticker


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
    effective_to: dt.date | None  # exclusive; only where a source states an end
    summary: str
    params: dict[str, str]
    evidence: Evidence
    evidence_reason: str
    citation: Citation
    note_ids: tuple[str, ...] = ()
    documented_from: dt.date | None = None  # the span its document speaks for (None: undated)
    documented_to: dt.date | None = None  # exclusive

    def in_force(self, on: dt.date) -> bool:
        """True when nothing the sources state puts ``on`` before the rule's start or after
        its stated end (an undated rule is in force on no date the sources can name)."""
        if self.documented_from is None and self.effective_from is None:
            return False
        return period_covers(self.effective_from, self.effective_to, on)

    def support(self, on: dt.date) -> Support:
        """How the sources support the rule on ``on`` (call for rules in force)."""
        start = self.effective_from or self.documented_from
        if self.documented_from and start and start < self.documented_from:
            # The document states the rule applied from an earlier date.
            return Support.of_span(start, self.documented_to, on)
        return Support.of_span(self.documented_from, self.documented_to, on)


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
    support: Support = Support(Standing.DOCUMENTED)

    @property
    def standing(self) -> Standing:
        """How the sources support the rule on its date."""
        return self.support.standing

    @property
    def documented(self) -> bool:
        """False when the sources cannot decide the fee (then no amount may be shown)."""
        return self.support.standing != Standing.NOT_DOCUMENTED


class EventKind(StrEnum):
    """Kinds of dated event in the catalog (the ``kind`` column of ``data/seed/events.csv``)."""

    TRUST_ORGANIZED = "trust_organized"
    PORTFOLIO_INCEPTION = "portfolio_inception"
    PLAN_ADOPTED = "plan_adopted"
    PLAN_AMENDED = "plan_amended"
    CLASS_STARTED = "class_started"
    CONVERSION = "conversion"
    RENAME = "rename"
    DISTRIBUTION = "distribution"
    DOCUMENT = "document"


@dataclass(frozen=True, slots=True)
class Event:
    """A dated event (plan adoption or amendment, class start, conversion, rename)."""

    event_id: str
    date: dt.date
    kind: EventKind
    portfolio_id: str | None
    share_class: ShareClass | None
    to_share_class: ShareClass | None
    description: str
    evidence: Evidence
    evidence_reason: str
    citation: Citation
    note_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ClassEvidence:
    """One piece of evidence about when a portfolio's class existed."""

    evidence_id: str
    portfolio_id: str
    share_class: ShareClass
    kind: ClassEvidenceKind
    date_from: dt.date
    date_to: dt.date | None  # exclusive; only for LISTED
    reason: str
    evidence: Evidence
    evidence_reason: str
    citation: Citation
    note_ids: tuple[str, ...] = ()

    @property
    def last_day(self) -> dt.date:
        """The last day this evidence speaks for."""
        if self.date_to is None:
            return self.date_from
        return self.date_to - dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class ClassStatus:
    """Status of a class on a date, in words, with the evidence behind it."""

    state: ClassState
    text: str
    citation: Citation | None
    support: Support = Support(Standing.DOCUMENTED)
    converted_into: ShareClass | None = None  # for a class that ended by conversion

    @property
    def standing(self) -> Standing:
        """How the sources support the status."""
        return self.support.standing


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
    documented_from: dt.date | None = None
    documented_to: dt.date | None = None  # exclusive

    def support(self, on: dt.date) -> Support:
        """How the sources support this row on ``on``."""
        return Support.of_span(self.documented_from, self.documented_to, on)


@dataclass(frozen=True, slots=True)
class ExpenseExampleRow:
    """A printed expense-example figure ($10,000, 5%, redeemed at period end)."""

    portfolio_id: str
    share_class: ShareClass
    years: int
    cost_printed: int
    citation: Citation
    documented_from: dt.date | None = None
    documented_to: dt.date | None = None  # exclusive


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
    rules: tuple[Rule, ...]  # every rule in force on as_of (empty unless the class is offered)
    redemption_fee: FeeRule
    events: tuple[Event, ...]
    distributions: tuple[Distribution, ...]
    fee_table: tuple[FeeTableRow, ...]
    expense_example: tuple[ExpenseExampleRow, ...]
    data_notes: tuple[DataNote, ...]
    not_documented: tuple[str, ...] = field(default_factory=tuple)
    name: NameOnDate | None = None
    former_rules: tuple[Rule, ...] = ()  # rules in force before the class ended or went unknown
    former_as_of: dt.date | None = None  # the day former_rules were in force
    fee_table_support: Support = Support(Standing.NOT_DOCUMENTED)
    undated_rules: tuple[Rule, ...] = ()  # rules from undated documents: placed on no date

    def rules_of(self, kind: RuleKind) -> tuple[Rule, ...]:
        """Rules of one kind."""
        return tuple(r for r in self.rules if r.kind == kind)
