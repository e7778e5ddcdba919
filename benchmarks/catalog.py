"""A synthetic catalog of many share classes, written by the project's own database builder.

The real tables come from ``dbbuild.build.collect_tables`` (sources + seed); synthetic rows are
added in the same shape as seed rows (portfolios, historical names, availability periods,
securities with valid CUSIP check digits and their printed occurrences), and the file is written
by ``dbbuild.build._write``: the same table creation, indexes, FTS5 index, meta rows, content
hash and ``user_version`` as ``janus-gui build-db``.
"""

from __future__ import annotations

import random
from pathlib import Path

from janus_gui import paths
from janus_gui.core.identifiers import cusip_check_digit
from janus_gui.dbbuild import build, schema
from janus_gui.dbbuild.seed import load_seed
from janus_gui.dbbuild.sources import load_sources

Row = dict[str, object]

_WORDS_TEXT = (
    "Aggressive Alpha America American Asia Balanced Blue Bond Capital Century Chip Classic "
    "Commodity Conservative Core Corporate Credit Developed Discovery Diversified Dividend "
    "Dynamic Emerging Energy Enhanced Enterprise Equity Euro Europe Financial Flexible Focus "
    "Fortress Frontier Fundamental Global Gold Government Growth Health Heritage High Horizon "
    "Income Index Inflation Infrastructure Innovation Institutional Intermediate International "
    "Japan Large Latin Leaders Legacy Limited Long Managed Market Markets Mid Moderate Momentum "
    "Money Multi Municipal Natural Negotiated Opportunity Pacific Premier Prime Protected "
    "Quality Real Research Reserve Resources Retirement Select Short Small Sovereign Special "
    "Strategic Sustainable Target Tax Technology Total Treasury Trend Ultra Unconstrained "
    "Utilities Value Venture Vista Worldwide Yield"
)
WORDS = tuple(_WORDS_TEXT.split())
CATEGORIES = ("Growth", "Growth and income", "Fixed-income", "International", "Money market")
SYNTHETIC = {
    "source_file": "004_546a7a10363b684d.txt",
    "line_start": 1,
    "line_end": 1,
    "quote": "synthetic",
    "evidence": "inferred",
    "evidence_reason": "synthetic benchmark row",
}
RENAMED_SHARE = 0.3  # share of portfolios renamed at the end of 2012, as Worldwide was


def build_catalog(out_path: Path, share_classes: int, seed: int = 100_000) -> Path:
    """Write a catalog with the real rows plus ``share_classes`` synthetic securities.

    Each synthetic portfolio has an Institutional class (with a ticker) and a Service class, so
    ``share_classes // 2`` portfolios are added.
    """
    data_dir = paths.data_dir()
    sources = load_sources(data_dir / "sources")
    seed_rows = load_seed(data_dir / "seed", sources)
    tables = build.collect_tables(sources, seed_rows)
    first_number = 1 + max(int(str(r["portfolio_id"])[1:]) for r in tables["portfolio"])
    extra = synthetic_rows(share_classes // 2, first_number, random.Random(seed))
    for name, rows in extra.items():
        tables[name] = build._project(name, [*tables[name], *_complete(name, rows)])
    meta = build._meta(data_dir, seed_rows, tables)
    build._write(out_path, tables, meta)
    return out_path


def _complete(name: str, rows: list[Row]) -> list[Row]:
    """Give columns the synthetic rows do not set (``note_ids`` and the like) the empty value."""
    columns = schema.TABLES_BY_NAME[name].columns
    return [{**{c: "" for c in columns if c not in row}, **row} for row in rows]


def synthetic_rows(portfolios: int, first_number: int, rng: random.Random) -> dict[str, list[Row]]:
    """Seed-like rows for ``portfolios`` portfolios numbered from ``first_number``."""
    tables: dict[str, list[Row]] = {
        "portfolio": [],
        "portfolio_name": [],
        "class_evidence": [],
        "security": [],
        "security_occurrence": [],
    }
    cusips = _unique(rng, 2 * portfolios, _cusip)
    tickers = _unique(rng, portfolios, _ticker)
    for k in range(portfolios):
        pid = f"P{first_number + k}"
        tables["portfolio"].append(
            {"portfolio_id": pid, "category": rng.choice(CATEGORIES), "objective": "", **SYNTHETIC}
        )
        names = _names(rng, pid)
        tables["portfolio_name"].extend(names)
        printed = str(names[-1]["name"])
        for share_class, cusip, ticker in (
            ("Institutional", cusips[2 * k], tickers[k]),
            ("Service", cusips[2 * k + 1], None),
        ):
            tables["class_evidence"].append(_evidence(pid, share_class))
            tables["security"].append(
                {
                    "cusip": cusip,
                    "portfolio_id": pid,
                    "share_class": share_class,
                    "ticker": ticker,
                    "name_as_printed": printed,
                    **SYNTHETIC,
                }
            )
            tables["security_occurrence"].append(
                {
                    "occurrence_id": f"syn:{cusip}",
                    "cusip": cusip,
                    "name_as_printed": printed,
                    "ticker_as_printed": ticker or "N/A",
                    "share_class": share_class,
                    **SYNTHETIC,
                }
            )
    return tables


def _names(rng: random.Random, pid: str) -> list[Row]:
    """One name, or a 1999 name and the 2012 name that replaced it."""
    words = rng.sample(WORDS, rng.choice((1, 2, 2, 3)))
    current = f"Aspen {' '.join(words)}"
    if rng.random() >= RENAMED_SHARE:
        return [_name(pid, "2012", current, "legal", "2012-12-06", "2014-01-01")]
    old = f"{' '.join(rng.sample(WORDS, 2))} Portfolio"
    return [
        _name(pid, "1999", old, "legal", "1999-09-14", "2000-05-01"),
        _name(pid, "2012", current, "legal", "2012-12-06", "2014-01-01"),
    ]


def _name(pid: str, suffix: str, name: str, kind: str, start: str, end: str) -> Row:
    return {
        "name_id": f"{pid}-{suffix}",
        "portfolio_id": pid,
        "name": name,
        "name_kind": kind,
        "documented_from": start,
        "documented_to": end,
        **SYNTHETIC,
    }


def _evidence(pid: str, share_class: str) -> Row:
    return {
        "evidence_id": f"{pid}-{share_class[0]}",
        "portfolio_id": pid,
        "share_class": share_class,
        "kind": "listed",
        "date_from": "1999-09-14",
        "date_to": "2000-05-01",
        "reason": "synthetic listing",
        **SYNTHETIC,
    }


def _cusip(rng: random.Random) -> str:
    # issuer numbers from 500000 up never collide with the real issuer 471021
    first8 = f"{rng.randrange(500_000, 1_000_000)}{rng.randrange(10, 100)}"
    return first8 + cusip_check_digit(first8)


def _ticker(rng: random.Random) -> str:
    # five letters ending in X, like mutual-fund tickers; the real ones have four letters
    return "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4)) + "X"


def _unique(rng: random.Random, count: int, make: object) -> list[str]:
    seen: dict[str, None] = {}
    while len(seen) < count:
        seen.setdefault(make(rng))  # type: ignore[operator]
    return list(seen)
