"""Parser for 001: the 2013 year-end tax table (tab-separated, multi-valued, drifting columns).

001 is never read by column position alone. Each data row is read by meaning:

* the CUSIP (6-2-1 form), ticker and the three date cells anchor the row; every later cell that
  holds ``\\$`` amounts is a *value cell* of 2 or 3 slots (June, December, total);
* the first value cell is the distribution per share; the prior/next/current-year cells follow
  (in the Service block the next and current year are often merged into one cell);
* ordinary dividends is the first later cell equal to the slot-wise sum of the cells before it
  (the labelled sum 14+15+16); those cells are income, short-term gain and foreign tax paid;
* after it, a cell whose values are the foreign tax paid is Box 6; any other non-empty cell is
  the capital gain (Box 2a), whose slots are matched to periods by the distribution sum.

Every labelled sum is checked; a failure must be allow-listed with its data note (M1-M12),
otherwise the build fails.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations

from janus_gui.core import checks
from janus_gui.core.models import Evidence, ShareClass
from janus_gui.dbbuild.common import Failure, NameIndex, has_money, money_tokens
from janus_gui.dbbuild.errors import BuildError
from janus_gui.dbbuild.sources import SourceText, collapse

Cell = tuple[str | None, ...]

_CUSIP_621 = re.compile(r"^([0-9A-Z]{6})\s+([0-9A-Z]{2})\s+([0-9])$")
_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_REPORT_YEAR = re.compile(r"\b(\d{4}) YEAR-END TAX REPORTING")
_FORMULA = re.compile(r"\((\d+)\+(\d+)\+(\d+)\)")
_YEAR_LABEL = re.compile(r"(\d{4}) \((Prior|Next|Current) Year\)")
INSTITUTIONAL_REASON = (
    "The first block of the 2013 tax table has no class label; 9 of its 11 CUSIPs are the "
    "Institutional Class CUSIPs of 000."
)
NO_TICKER = "N/A"
COMPONENTS = ("income_dividends", "short_term_capital_gain", "foreign_tax_paid")
# Readings the table leaves open, noted rather than guessed silently.
AMBIGUOUS_READINGS = {"471021378": "A1"}
INSTITUTIONAL_READING_NOTE = "A2"
# T17: the first block carries no class label; its Institutional class is inferred.
UNLABELLED_BLOCK_NOTE = "T17"
# T18: header labels that point at the wrong columns; they qualify how every row is read.
HEADER_LABEL_NOTE = "T18"

# Every known failed check of 001, by (line, check), with the data note that explains it.
# A failure missing here fails the build; an entry that no longer fails fails it too.
ALLOWED: dict[tuple[int, str], str] = {
    (9, "year labels"): "M11",
    (33, "year labels"): "M11",
    (32, "distribution formula"): "M5",
    **{
        (line, f"(14+15+22+26+28+30) {p}"): "M1"
        for line in (14, 15, 16, 17)
        for p in ("2013-06", "2013")
    },
    (15, "(14+15+16) 2013"): "M2",
    (36, "June + December = total: capital_gain"): "M3",
    **{(36, f"(14+15+22+26+28+30) {p}"): "M3" for p in ("2013-06", "2013-12", "2013")},
    (41, "June + December = total: foreign_tax_paid"): "M4",
    (41, "(14+15+16) 2013"): "M4",
    (41, "Box 6 = foreign tax paid 2013"): "M4",
    **{(line, "(11+12+13)"): "M6" for line in (36, 37, 39, 40, 41, 42, 43, 44, 45)},
    (37, "(14+15+22+26+28+30) 2013-06"): "M7",
    (43, "(14+15+22+26+28+30) 2013"): "M8",
    (44, "(14+15+22+26+28+30) 2013"): "M8",
    (13, "income vs capital gain across classes 2013-12"): "M9",
    (35, "income vs capital gain across classes 2013-12"): "M9",
    (13, "income vs capital gain across classes 2013"): "M9",
    (35, "income vs capital gain across classes 2013"): "M9",
    **{
        (line, f"implied long-term gain across classes {p}"): "M9"
        for line in (13, 35)
        for p in ("2013-12", "2013")
    },
    (15, "implied long-term gain across classes 2013"): "M12",
    (36, "implied long-term gain across classes 2013"): "M12",
    (15, "short-term gain across classes 2013"): "M10",
    (36, "short-term gain across classes 2013"): "M10",
}


@dataclass
class Block:
    """One table block: its class (labelled or inferred) and header line."""

    share_class: ShareClass
    evidence: Evidence
    reason: str
    header_line: int
    rows: list[Row001] = field(default_factory=list)


@dataclass
class Row001:
    """One CUSIP row, its cells located by meaning."""

    line: int
    block: Block
    name: str
    cusip: str
    ticker: str | None
    portfolio_id: str
    record: tuple[str, str]
    ex: tuple[str, str]
    pay: tuple[str, str]
    distribution: Cell
    prior: Cell = ()
    year_cells: Cell = ()  # next + current as printed (merged or not)
    merged: bool = False
    income: Cell = ()
    stcg: Cell = ()
    foreign_tax: Cell = ()
    ordinary: Cell = ()
    ordinary_exact: bool = True
    capital_gain: Cell = ()
    box6: Cell = ()
    periods: tuple[str, ...] = ()
    capital_gain_periods: tuple[str, ...] = ()

    @property
    def slots(self) -> int:
        """How many values each cell of this row holds (2 or 3)."""
        return len(self.distribution)


@dataclass
class Parsed001:
    """What 001 yields."""

    report_year: int
    blocks: list[Block] = field(default_factory=list)
    occurrences: list[dict[str, object]] = field(default_factory=list)
    distributions: list[dict[str, object]] = field(default_factory=list)
    class_evidence: list[dict[str, object]] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)


# -- small helpers -------------------------------------------------------------------------------
def _amount(value: str | None) -> Decimal:
    return Decimal(value) if value else Decimal(0)


def _is_dash(cell: Cell) -> bool:
    return all(v is None for v in cell)


def _vector(cell: Cell, slots: int) -> list[Decimal] | None:
    """Slot values as Decimals (a dash cell is zero in any width); None when widths differ."""
    if _is_dash(cell):
        return [Decimal(0)] * slots
    if len(cell) != slots:
        return None
    return [_amount(v) for v in cell]


def _sum(cells: Sequence[Cell], slots: int) -> list[Decimal] | None:
    total = [Decimal(0)] * slots
    for cell in cells:
        vector = _vector(cell, slots)
        if vector is None:
            return None
        total = [a + b for a, b in zip(total, vector, strict=True)]
    return total


def _iso(month: str, day: str, year: str) -> str:
    return dt.date(int(year), int(month), int(day)).isoformat()


def _two_dates(cell: str, where: str) -> tuple[str, str]:
    found = [_iso(*m) for m in _DATE.findall(cell)]
    if len(found) != 2:
        raise BuildError(f"{where}: expected a June and a December date in {cell!r}")
    return found[0], found[1]


def _period_labels(year: int) -> dict[str, str]:
    return {"june": f"{year}-06", "december": f"{year}-12", "year": str(year)}


# -- structure -----------------------------------------------------------------------------------
def _report_year(source: SourceText) -> int:
    for line in source.lines:
        match = _REPORT_YEAR.search(line)
        if match:
            return int(match[1])
    raise BuildError(f"{source.name}: no 'YEAR-END TAX REPORTING' heading")


def _new_block(cells: list[str], number: int) -> Block:
    if "Service Shares" in cells[0]:
        return Block(ShareClass.SERVICE, Evidence.DOCUMENTED, "", number)
    return Block(ShareClass.INSTITUTIONAL, Evidence.INFERRED, INSTITUTIONAL_REASON, number)


def _header_failures(source: SourceText, number: int, cells: list[str], year: int) -> list[Failure]:
    failures = []
    for index, cell in enumerate(cells):
        if "Distribution Per Share" not in cell:
            continue
        match = _FORMULA.search(cell)
        expected = tuple(str(index + 1 + k) for k in (1, 2, 3))
        if match is None or match.groups() != expected:
            printed = match[0] if match else "(none)"
            failures.append(
                Failure(
                    source.name,
                    number,
                    "distribution formula",
                    printed,
                    "(" + "+".join(expected) + ")",
                )
            )
    for offset in (0, 1):
        text = collapse(source.line(number + offset))
        labels = {kind: int(y) for y, kind in _YEAR_LABEL.findall(text)}
        if not labels:
            continue
        wanted = {"Prior": year - 1, "Next": year + 1, "Current": year}
        if any(labels.get(k, v) != v for k, v in wanted.items()):
            failures.append(
                Failure(
                    source.name,
                    number + offset,
                    "year labels",
                    " / ".join(f"{labels[k]} ({k} Year)" for k in labels),
                    " / ".join(f"{wanted[k]} ({k} Year)" for k in labels),
                )
            )
    return failures


def _locate_dates(cells: list[str], where: str) -> int:
    """Index of the first of the three date cells (record, ex-dividend, payable)."""
    for index in range(3, len(cells) - 2):
        if all(_DATE.search(cells[index + k]) for k in range(3)):
            return index
    raise BuildError(f"{where}: record, ex-dividend and payable dates not found")


def _parse_row(
    source: SourceText, number: int, cells: list[str], block: Block, names: NameIndex
) -> Row001:
    where = f"{source.name}:{number}"
    match = _CUSIP_621.match(cells[1].strip())
    assert match is not None
    cusip = "".join(match.groups())
    for failure in checks.check_cusip(cusip):
        raise BuildError(f"{where}: {failure.describe()}")
    ticker = cells[2].strip()
    dates_at = _locate_dates(cells, where)
    values = [money_tokens(c) for c in cells[dates_at + 3 :] if has_money(c)]
    if len(values) < 8:
        raise BuildError(f"{where}: too few value cells ({len(values)})")
    row = Row001(
        line=number,
        block=block,
        name=cells[0].strip(),
        cusip=cusip,
        ticker=None if ticker.upper() == NO_TICKER else ticker,
        portfolio_id=names.portfolio_id(cells[0].strip(), where),
        record=_two_dates(cells[dates_at], where),
        ex=_two_dates(cells[dates_at + 1], where),
        pay=_two_dates(cells[dates_at + 2], where),
        distribution=values[0],
    )
    if row.slots not in (2, 3):
        raise BuildError(f"{where}: distribution cell has {row.slots} values")
    if ticker and ticker.upper() != NO_TICKER and not re.fullmatch(r"[A-Z]{1,5}", ticker):
        raise BuildError(f"{where}: {ticker!r} is not a ticker")
    _locate_cells(row, values, where)
    return row


def _locate_cells(row: Row001, values: list[Cell], where: str) -> None:
    row.prior = values[1]
    if _is_dash(values[2]):  # next year and current year in separate cells
        row.year_cells, rest = values[2] + values[3], values[4:]
        row.merged = False
    else:  # one tab missing: next year and current year share one cell
        row.year_cells, rest = values[2], values[3:]
        row.merged = True
    k, exact = _find_ordinary(rest, row.slots, where)
    between = rest[:k]
    padded = [*between, (), (), ()]  # cells 14, 15 and 16, in the order of the label
    row.income, row.stcg, row.foreign_tax = padded[0], padded[1], padded[2]
    if any(not _is_dash(c) for c in between[3:]):
        raise BuildError(f"{where}: unexpected amounts before ordinary dividends")
    row.ordinary, row.ordinary_exact = rest[k], exact
    _locate_after_ordinary(row, rest[k + 1 :], where)


def _find_ordinary(rest: list[Cell], slots: int, where: str) -> tuple[int, bool]:
    """Index of the ordinary-dividends cell in ``rest`` and whether its sum holds exactly."""
    best: tuple[int, int] | None = None  # (matching slots, index)
    for k in range(1, min(len(rest), 6)):
        candidate, between = rest[k], rest[:k]
        if _is_dash(candidate) or all(_is_dash(c) for c in between):
            continue
        wanted, got = _vector(candidate, slots), _sum(between, slots)
        if wanted is None or got is None:
            continue
        matches = sum(a == b for a, b in zip(wanted, got, strict=True))
        if matches == slots:
            return k, True
        if matches >= slots - 1 and (best is None or matches > best[0]):
            best = (matches, k)
    if best is not None:
        return best[1], False
    if all(_is_dash(c) for c in rest[:6]):
        return 3, True  # nothing printed: income, short-term gain, foreign tax, ordinary
    raise BuildError(f"{where}: no cell equals income + short-term gain + foreign tax")


def _locate_after_ordinary(row: Row001, after: list[Cell], where: str) -> None:
    foreign = {v for v in row.foreign_tax if v}
    for cell in after:
        if _is_dash(cell):
            continue
        if foreign and {v for v in cell if v} <= foreign:
            if row.box6:
                raise BuildError(f"{where}: two Box 6 foreign-tax cells")
            row.box6 = cell
        elif row.capital_gain:
            raise BuildError(f"{where}: more than one capital-gain cell")
        else:
            row.capital_gain = cell


# -- periods -------------------------------------------------------------------------------------
def _assign_periods(rows: list[Row001], labels: dict[str, str]) -> None:
    june, december, year = labels["june"], labels["december"], labels["year"]
    service = {r.portfolio_id: r for r in rows if r.block.share_class == ShareClass.SERVICE}
    for row in rows:
        if row.slots == 3:
            row.periods = (june, december, year)
            continue
        sibling = service.get(row.portfolio_id)
        june_empty = (
            sibling is not None
            and sibling.slots == 3
            and sibling.distribution[0] is None
            and sibling.distribution[1] is not None
        )
        if row.block.share_class == ShareClass.INSTITUTIONAL and june_empty:
            row.periods = (december, year)  # the other class paid nothing in June
        else:
            row.periods = (june, year)
    for row in rows:
        row.capital_gain_periods = _capital_gain_periods(row)


def _capital_gain_periods(row: Row001) -> tuple[str, ...]:
    width = len(row.capital_gain)
    if width == 0 or width == row.slots:
        return row.periods[:width]
    best: tuple[int, tuple[str, ...]] | None = None
    for periods in combinations(row.periods, width):
        passed = sum(
            _distribution_check(row, p, dict(zip(periods, row.capital_gain, strict=True))) is None
            for p in row.periods
        )
        if best is None or passed > best[0]:
            best = (passed, periods)
    assert best is not None
    return best[1]


# -- checks --------------------------------------------------------------------------------------
def _slot(row: Row001, cell: Cell, period: str) -> str | None:
    if _is_dash(cell):
        return None
    return cell[row.periods.index(period)] if len(cell) == row.slots else None


def _distribution_check(
    row: Row001, period: str, capital_gain: dict[str, str | None]
) -> checks.CheckFailure | None:
    parts = [
        _amount(_slot(row, row.income, period)),
        _amount(_slot(row, row.stcg, period)),
        _amount(capital_gain.get(period)),
    ]
    total = _slot(row, row.distribution, period)
    found = checks.check_sum(
        f"(14+15+22+26+28+30) {period}", parts, Decimal(total) if total else None
    )
    return found[0] if found else None


def _row_failures(row: Row001, source_file: str) -> list[Failure]:
    failures: list[checks.CheckFailure] = []
    failures += _year_sum_failures(row)
    failures += _internal_failures(row)
    capital_gain = dict(zip(row.capital_gain_periods, row.capital_gain, strict=True))
    for period in row.periods:
        ordinary = _slot(row, row.ordinary, period)
        failures += checks.check_sum(
            f"(14+15+16) {period}",
            [_amount(_slot(row, c, period)) for c in (row.income, row.stcg, row.foreign_tax)],
            Decimal(ordinary) if ordinary else None,
        )
        found = _distribution_check(row, period, capital_gain)
        failures += [found] if found else []
        if row.box6:
            box6 = _slot(row, row.box6, period)
            failures += checks.check_sum(
                f"Box 6 = foreign tax paid {period}",
                [_amount(_slot(row, row.foreign_tax, period))],
                Decimal(box6) if box6 else None,
            )
    return [Failure(source_file, row.line, f.check, f.printed, f.computed) for f in failures]


def _year_sum_failures(row: Row001) -> list[checks.CheckFailure]:
    """(11+12+13): prior + next + current year equals the distribution, slot by slot."""
    wanted = _vector(row.distribution, row.slots)
    width = len(row.year_cells) if row.merged else 2 * row.slots
    cells = (
        [row.prior, row.year_cells]
        if row.merged
        else [row.prior, row.year_cells[: row.slots], row.year_cells[row.slots : width]]
    )
    got = _sum(cells, row.slots)
    if got is not None and got == wanted:
        return []
    printed = " / ".join(v or "-" for v in row.distribution)
    computed = "different slot count" if got is None else " / ".join(str(v) for v in got)
    return [checks.CheckFailure("(11+12+13)", printed, computed)]


def _internal_failures(row: Row001) -> list[checks.CheckFailure]:
    """In three-value cells, June + December = total."""
    failures = []
    cells = {
        "distribution": row.distribution,
        "income_dividends": row.income,
        "short_term_capital_gain": row.stcg,
        "foreign_tax_paid": row.foreign_tax,
        "ordinary_dividends": row.ordinary,
        "capital_gain": row.capital_gain,
        "box6_foreign_tax_paid": row.box6,
    }
    for name, cell in cells.items():
        if len(cell) == 3 and not _is_dash(cell):
            failures += checks.check_sum(
                f"June + December = total: {name}",
                [_amount(cell[0]), _amount(cell[1])],
                Decimal(cell[2]) if cell[2] else None,
            )
    return failures


def _cross_class_failures(rows: list[Row001], source_file: str) -> list[Failure]:
    """Per-share gains are the same in every class; their character must match too."""
    by_portfolio: dict[str, dict[ShareClass, Row001]] = {}
    for row in rows:
        by_portfolio.setdefault(row.portfolio_id, {})[row.block.share_class] = row
    failures = []
    for pair in by_portfolio.values():
        if len(pair) != 2:
            continue
        inst, svc = pair[ShareClass.INSTITUTIONAL], pair[ShareClass.SERVICE]
        for period in (p for p in inst.periods if p in svc.periods):
            failures += _compare_classes(inst, svc, period, source_file)
    return failures


def _implied_long_term_gain(row: Row001, period: str) -> Decimal:
    """Distribution less income and short-term gain: the long-term gain the sums imply.

    Read from the sums, not from the capital-gain cells, which the first block leaves empty (M1).
    """
    distribution = _amount(_slot(row, row.distribution, period))
    return (
        distribution
        - _amount(_slot(row, row.income, period))
        - _amount(_slot(row, row.stcg, period))
    )


def _compare_classes(inst: Row001, svc: Row001, period: str, source_file: str) -> list[Failure]:
    found = []
    a, b = _amount(_slot(inst, inst.stcg, period)), _amount(_slot(svc, svc.stcg, period))
    if a != b:
        found.append((f"short-term gain across classes {period}", str(a), str(b)))
    implied = [_implied_long_term_gain(row, period) for row in (inst, svc)]
    if implied[0] != implied[1]:
        found.append(
            (f"implied long-term gain across classes {period}", *(f"{v:f}" for v in implied))
        )
    kinds = []
    for row in (inst, svc):
        gains = dict(zip(row.capital_gain_periods, row.capital_gain, strict=True))
        income = _amount(_slot(row, row.income, period))
        gain = _amount(gains.get(period))
        kinds.append("income" if income and not gain else "gain" if gain and not income else "")
    if set(kinds) == {"income", "gain"}:
        found.append((f"income vs capital gain across classes {period}", kinds[0], kinds[1]))
    return [
        Failure(source_file, row.line, check, printed, computed)
        for check, printed, computed in found
        for row in (inst, svc)
    ]


# -- output --------------------------------------------------------------------------------------
def parse_001(source: SourceText, names: NameIndex) -> Parsed001:
    """Parse 001, run every check and return rows plus the failures found."""
    year = _report_year(source)
    out = Parsed001(report_year=year)
    block: Block | None = None
    for number, line in enumerate(source.lines, start=1):
        cells = line.split("\t")
        if cells[0].startswith("Security Description"):
            block = _new_block(cells, number)
            out.blocks.append(block)
            out.failures += _header_failures(source, number, cells, year)
        elif len(cells) > 3 and _CUSIP_621.match(cells[1].strip()):
            if block is None:
                raise BuildError(f"{source.name}:{number}: CUSIP row before any header")
            block.rows.append(_parse_row(source, number, cells, block, names))
    rows = [r for b in out.blocks for r in b.rows]
    _assign_periods(rows, _period_labels(year))
    for row in rows:
        out.failures += _row_failures(row, source.name)
    out.failures += _cross_class_failures(rows, source.name)
    return out


def finish_001(parsed: Parsed001, source: SourceText, notes_by_line: dict[int, set[str]]) -> None:
    """Build occurrence and distribution rows, with the notes found for each line."""
    header_notes = {
        b.header_line: notes_by_line.get(b.header_line, set())
        | notes_by_line.get(b.header_line + 1, set())
        for b in parsed.blocks
    }
    for block in parsed.blocks:
        for row in block.rows:
            notes = set(notes_by_line.get(row.line, set())) | header_notes[block.header_line]
            notes.add(HEADER_LABEL_NOTE)
            if row.cusip in AMBIGUOUS_READINGS:
                notes.add(AMBIGUOUS_READINGS[row.cusip])
            if block.share_class == ShareClass.INSTITUTIONAL:
                notes.add(INSTITUTIONAL_READING_NOTE)
            class_notes = {UNLABELLED_BLOCK_NOTE} if block.evidence == Evidence.INFERRED else set()
            parsed.occurrences.append(_occurrence(row, source, class_notes))
            parsed.distributions += _distributions(row, source, parsed.report_year, notes)
            parsed.class_evidence += _december_payout(row, source, parsed.report_year)


def _quote(row: Row001, source: SourceText) -> str:
    cells = source.line(row.line).split("\t")
    return collapse(" ".join(cells[:3]))


def _occurrence(row: Row001, source: SourceText, notes: set[str]) -> dict[str, object]:
    cells = source.line(row.line).split("\t")
    return {
        "occurrence_id": f"{source.doc}:{row.line}",
        "cusip": row.cusip,
        "portfolio_id": row.portfolio_id,
        "name_as_printed": row.name,
        "ticker_as_printed": cells[2].strip(),
        "share_class": row.block.share_class.value,
        "evidence": row.block.evidence.value,
        "evidence_reason": row.block.reason,
        "source_file": source.name,
        "line_start": row.line,
        "line_end": row.line,
        "quote": _quote(row, source),
        "note_ids": " ".join(sorted(notes, key=_note_order)),
    }


def _distributions(
    row: Row001, source: SourceText, year: int, notes: set[str]
) -> list[dict[str, object]]:
    labels = _period_labels(year)
    gains = dict(zip(row.capital_gain_periods, row.capital_gain, strict=True))
    out = []
    for period in row.periods:
        index = {labels["june"]: 0, labels["december"]: 1}.get(period)
        components = {
            "income_dividends": _slot(row, row.income, period),
            "short_term_capital_gain": _slot(row, row.stcg, period),
            "foreign_tax_paid": _slot(row, row.foreign_tax, period),
            "ordinary_dividends": _slot(row, row.ordinary, period),
            "capital_gain": gains.get(period),
        }
        if row.box6:
            components["box6_foreign_tax_paid"] = _slot(row, row.box6, period)
        out.append(
            {
                "distribution_id": f"{row.cusip}-{period}",
                "cusip": row.cusip,
                "portfolio_id": row.portfolio_id,
                "share_class": row.block.share_class.value,
                "period": period,
                "record_date": row.record[index] if index is not None else None,
                "ex_date": row.ex[index] if index is not None else None,
                "pay_date": row.pay[index] if index is not None else None,
                "components": json.dumps(components, sort_keys=True),
                "total": _slot(row, row.distribution, period),
                "source_file": source.name,
                "line_start": row.line,
                "line_end": row.line,
                "quote": _quote(row, source),
                "note_ids": " ".join(sorted(notes, key=_note_order)),
            }
        )
    return out


def _december_payout(row: Row001, source: SourceText, year: int) -> list[dict[str, object]]:
    """Evidence that the class existed on the December record date printed on a row read as
    (June, total): a total above the June payout means a December distribution was paid."""
    labels = _period_labels(year)
    if labels["december"] in row.periods or labels["june"] not in row.periods:
        return []
    june = _amount(_slot(row, row.distribution, labels["june"]))
    total = _amount(_slot(row, row.distribution, labels["year"]))
    if total <= june:
        return []
    reading = AMBIGUOUS_READINGS.get(row.cusip, INSTITUTIONAL_READING_NOTE)
    return [
        {
            "evidence_id": f"{row.cusip}-{labels['december']}-record",
            "cusip": row.cusip,  # not a column: lets the builder add the CUSIP's class note
            "portfolio_id": row.portfolio_id,
            "share_class": row.block.share_class.value,
            "kind": "exists",
            "date_from": row.record[1],
            "date_to": None,
            "reason": (
                f"the {year} total ({total:f}) exceeds the June payout ({june:f}), so a "
                f"December distribution was paid to holders of record on {row.record[1]} "
                f"(CUSIP {row.cusip})"
            ),
            "evidence": Evidence.INFERRED.value,
            "evidence_reason": (
                f"the row's two values are read as (June, {year} total) ({reading}); the "
                "December amount is not printed"
            ),
            "source_file": source.name,
            "line_start": row.line,
            "line_end": row.line,
            "quote": _quote(row, source),
            "note_ids": reading,
        }
    ]


def _note_order(note_id: str) -> tuple[str, int]:
    digits = "".join(ch for ch in note_id if ch.isdigit())
    return (note_id.rstrip("0123456789"), int(digits or 0))
