"""Every curated fact in data/seed/ is proved by its quote; key rules carry the text's values.

The generic checks run on every seed CSV that has ``source_file``, ``line_start``, ``line_end`` and
``quote`` columns, whoever writes it. Expected values in the specific tests are typed from the rule
text in ``data/sources/002_9a3a92caa630b855.txt`` (lines 96-103 and 121-131).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from janus_gui.core.models import RuleKind, ShareClass
from tests.helpers.citation_check import (
    SEED_DIR,
    SOURCES_DIR,
    cited_seed_files,
    line_range_is_valid,
    quote_in_lines,
    read_seed_rows,
    source_lines,
)

PLAN_2012 = "002_9a3a92caa630b855.txt"
RULE_COLUMNS = [
    "rule_id",
    "kind",
    "portfolio_id",
    "share_class",
    "effective_from",
    "from_precision",
    "effective_to",
    "summary",
    "params",
    "evidence",
    "evidence_reason",
    "source_file",
    "line_start",
    "line_end",
    "quote",
    "note_ids",
]
EVENT_COLUMNS = [
    "event_id",
    "date",
    "kind",
    "portfolio_id",
    "share_class",
    "to_share_class",
    "description",
    "evidence",
    "evidence_reason",
    "source_file",
    "line_start",
    "line_end",
    "quote",
    "note_ids",
]
CITED_FILES = cited_seed_files()


def _row_label(path: Path, line: int, row: dict[str, str]) -> str:
    """``rules.csv line 12 (rule_id=...)``: the file, the row's line and its key column."""
    key_column = next(iter(row))
    return f"{path.name} line {line} ({key_column}={row.get(key_column, '')!r})"


def _citation_problem(row: dict[str, str]) -> str | None:
    """Why a row's citation does not hold, or None when it does."""
    source = SOURCES_DIR / (row.get("source_file") or "")
    if not row.get("source_file") or not source.is_file():
        return f"source_file {row.get('source_file')!r} is not in data/sources/"
    try:
        start, end = int(row["line_start"]), int(row["line_end"])
    except (TypeError, ValueError):
        return f"line range {row.get('line_start')!r}-{row.get('line_end')!r} is not numeric"
    if not line_range_is_valid(source, start, end):
        total = len(source_lines(source))
        return f"line range {start}-{end} is outside 1-{total} of {source.name}"
    if not quote_in_lines(source, start, end, row.get("quote") or ""):
        return f"expected quote {row.get('quote')!r} not found in {source.name}:{start}-{end}"
    return None


def _evidence_problem(row: dict[str, str]) -> str | None:
    if "evidence" not in row:
        return None
    if row["evidence"] not in ("documented", "inferred"):
        return f"evidence {row['evidence']!r} is not documented|inferred"
    if row["evidence"] == "inferred" and not (row.get("evidence_reason") or "").strip():
        return "inferred row has an empty evidence_reason"
    return None


def test_the_seed_folder_has_cited_files() -> None:
    names = {path.name for path in CITED_FILES}
    assert {"rules.csv", "events.csv"} <= names, f"cited seed files found: {sorted(names)}"


@pytest.mark.parametrize("path", CITED_FILES, ids=lambda p: p.name)
def test_every_quote_occurs_in_its_cited_lines(path: Path) -> None:
    rows = read_seed_rows(path)
    assert rows, f"{path.name} has no rows"
    problems = [
        f"{_row_label(path, line, row)}: {problem}"
        for line, row in rows
        if (problem := _citation_problem(row))
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", CITED_FILES, ids=lambda p: p.name)
def test_every_row_has_a_valid_evidence_level(path: Path) -> None:
    problems = [
        f"{_row_label(path, line, row)}: {problem}"
        for line, row in read_seed_rows(path)
        if (problem := _evidence_problem(row))
    ]
    assert not problems, "\n".join(problems)


def test_quote_check_collapses_whitespace_and_respects_the_range(tmp_path: Path) -> None:
    source = tmp_path / "999_sample.txt"
    source.write_text("alpha  beta\n\tgamma\n-4-\ndelta epsilon\n", encoding="utf-8")
    assert quote_in_lines(source, 1, 2, "alpha beta gamma")
    assert quote_in_lines(source, 2, 4, "gamma -4- delta")
    assert not quote_in_lines(source, 1, 1, "alpha beta gamma"), "quote runs past line_end"
    assert not quote_in_lines(source, 2, 4, "alpha"), "quote sits before line_start"
    assert not quote_in_lines(source, 4, 5, "delta"), "the file has 4 lines, not 5"
    assert not quote_in_lines(source, 3, 2, "-4-"), "start after end"
    assert not quote_in_lines(source, 1, 4, "   "), "an empty quote proves nothing"
    assert not quote_in_lines(tmp_path / "missing.txt", 1, 1, "alpha")


def _seed(name: str) -> list[dict[str, str]]:
    return [row for _, row in read_seed_rows(SEED_DIR / name)]


def _header(name: str) -> list[str]:
    with (SEED_DIR / name).open(encoding="utf-8-sig", newline="") as handle:
        return handle.readline().strip().split(",")


def test_rules_and_events_have_the_contract_columns() -> None:
    assert _header("rules.csv") == RULE_COLUMNS
    assert _header("events.csv") == EVENT_COLUMNS


def test_service_ii_redemption_fee_is_one_percent_for_60_days() -> None:
    fee_rows = [r for r in _seed("rules.csv") if r["kind"] == "redemption_fee"]
    (sii,) = [r for r in fee_rows if r["share_class"] == "Service II"]
    params = json.loads(sii["params"])
    # 002:96-98: "a 1.00% redemption fee may be imposed ... held for 60 days or less ...
    # assessed on the Service II Shares' redemption value and paid to the respective Portfolio"
    assert params["rate"] == "1.00%"
    assert params["holding_period_days"] == "60"
    assert params["lot_order"] == "FIFO"  # 002:102 "the shares held the longest ... first"
    assert params["base"] == "redemption value"
    assert params["recipient"] == "Portfolio"
    assert sii["source_file"] == PLAN_2012
    assert (int(sii["line_start"]), int(sii["line_end"])) == (96, 103)
    assert (sii["effective_from"], sii["from_precision"]) == ("2012-03-15", "in_force_by")


def test_no_other_redemption_fee_row_charges_anything() -> None:
    others = [
        r
        for r in _seed("rules.csv")
        if r["kind"] == "redemption_fee" and r["share_class"] != "Service II"
    ]
    assert {r["share_class"] for r in others} == {"Institutional", "Service", "Retirement"}
    charging = [
        r["rule_id"]
        for r in others
        if Decimal(json.loads(r["params"])["rate"].rstrip("%")) != Decimal(0)
    ]
    assert not charging, f"only Service II has a redemption fee; these charge one: {charging}"


def test_conversion_of_2012_04_27_exists_for_overseas_and_global_technology() -> None:
    conversions = [
        r for r in _seed("events.csv") if r["kind"] == "conversion" and r["date"] == "2012-04-27"
    ]
    # 002:121-124: Service II Shares of Global Technology Portfolio (P13) and Overseas
    # Portfolio (P4) "shall convert to Service Shares of the applicable Portfolio".
    assert sorted(r["portfolio_id"] for r in conversions) == ["P13", "P4"]
    for row in conversions:
        assert (row["share_class"], row["to_share_class"]) == ("Service II", "Service")
        assert row["source_file"] == PLAN_2012
        assert int(row["line_start"]) <= 121 <= int(row["line_end"])


def test_rules_and_events_use_known_kinds_classes_and_portfolios() -> None:
    classes = {c.value for c in ShareClass} | {""}
    portfolios = {f"P{n}" for n in range(1, 18)} | {""}
    event_kinds = {
        "trust_organized",
        "portfolio_inception",
        "plan_adopted",
        "plan_amended",
        "class_started",
        "conversion",
        "rename",
        "distribution",
        "document",
    }
    problems = [
        f"rules.csv {r['rule_id']}: kind {r['kind']!r}, class {r['share_class']!r}, "
        f"portfolio {r['portfolio_id']!r}"
        for r in _seed("rules.csv")
        if r["kind"] not in {k.value for k in RuleKind}
        or r["share_class"] not in classes
        or r["portfolio_id"] not in portfolios
    ] + [
        f"events.csv {e['event_id']}: kind {e['kind']!r}, classes "
        f"{e['share_class']!r}->{e['to_share_class']!r}, portfolio {e['portfolio_id']!r}"
        for e in _seed("events.csv")
        if e["kind"] not in event_kinds
        or {e["share_class"], e["to_share_class"]} - classes
        or e["portfolio_id"] not in portfolios
    ]
    assert not problems, "\n".join(problems)


def test_every_note_id_in_the_seed_names_a_data_note() -> None:
    known = {row["note_id"] for row in _seed("data_notes.csv")}
    problems = [
        f"{path.name} line {line}: unknown note id {note_id!r}"
        for path in CITED_FILES
        for line, row in read_seed_rows(path)
        for note_id in (row.get("note_ids") or "").split()
        if note_id not in known
    ]
    assert not problems, "\n".join(problems)


def test_portfolio_inceptions_carry_the_sai_dates_and_their_portfolio() -> None:
    inceptions = {
        r["portfolio_id"]: r["date"]
        for r in _seed("events.csv")
        if r["kind"] == "portfolio_inception"
    }
    # 004:5948-5957, "Portfolio Inception Date" column of the SAI performance table.
    assert inceptions == {
        "P1": "1993-09-13",
        "P2": "1993-09-13",
        "P3": "1997-05-01",
        "P4": "1994-05-02",
        "P5": "1993-09-13",
        "P6": "1993-09-13",
        "P7": "1997-05-01",
        "P8": "1998-05-01",
        "P9": "1993-09-13",
        "P10": "1996-05-01",
    }
    started = [r for r in _seed("events.csv") if r["kind"] == "class_started"]
    assert all(r["share_class"] for r in started), "a class start names its class"


def test_trust_and_distribution_dates_have_their_own_kinds() -> None:
    kinds = {r["event_id"]: (r["kind"], r["date"]) for r in _seed("events.csv")}
    # 004:5792-5793 "organized as a Delaware business trust on May 20, 1993"; the Trust
    # Instrument of 004:8176 ("dated May 19, 1993") stays a document (data note T26).
    assert kinds["trust-organized-1993-05-20"] == ("trust_organized", "1993-05-20")
    assert kinds["trust-instrument-1993-05-19"] == ("document", "1993-05-19")
    # 000:7 "paid on December 7, 2012 to shareholders of record on December 6, 2012"
    distribution_dates = sorted(d for k, d in kinds.values() if k == "distribution")
    assert distribution_dates == ["2012-12-06", "2012-12-07"]
