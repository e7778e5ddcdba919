"""The built catalog: contents, keys, full-text index, meta, determinism, app compatibility."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from janus_gui.core.identifiers import is_valid_cusip
from janus_gui.core.models import ShareClass
from janus_gui.core.repository import Repository
from janus_gui.dbbuild.build import build_database

PRINTED_TICKERS = {
    "JAGR",
    "JAAG",
    "JAWG",
    "JAPG",
    "JABL",
    "JMAP",
    "JAMV",
    "JAFX",
    "JGLT",
    "JAIG",
    "JACAX",
}


def test_23_distinct_valid_cusips_42_occurrences(db) -> None:
    cusips = [r[0] for r in db.execute("SELECT cusip FROM security")]
    assert len(cusips) == len(set(cusips)) == 23
    assert all(is_valid_cusip(c) and c.startswith("471021") for c in cusips)
    assert db.execute("SELECT COUNT(*) FROM security_occurrence").fetchone()[0] == 42


def test_eleven_institutional_tickers_and_na_is_never_a_ticker(db) -> None:
    rows = db.execute("SELECT ticker, share_class FROM security WHERE ticker IS NOT NULL")
    pairs = [(r[0], r[1]) for r in rows]
    assert {t for t, _ in pairs} == PRINTED_TICKERS
    assert {c for _, c in pairs} == {"Institutional"}
    assert (
        db.execute("SELECT COUNT(*) FROM security WHERE ticker IN ('N/A', 'NA', '')").fetchone()[0]
        == 0
    )
    assert (
        db.execute(
            "SELECT COUNT(*) FROM security WHERE share_class = 'Service' AND ticker IS NULL"
        ).fetchone()[0]
        == 12
    )


def test_worldwide_and_global_research_share_cusips(db) -> None:
    row = db.execute("SELECT * FROM security WHERE cusip = '471021303'").fetchone()
    assert (row["portfolio_id"], row["ticker"], row["name_as_printed"]) == (
        "P5",
        "JAWG",
        "Aspen Worldwide",
    )
    assert row["evidence"] == "documented"  # 000's "Institutional Class" table
    hits = {
        r[0]
        for q in ('"worldwide"', '"global" "research"')
        for r in db.execute(
            "SELECT n.portfolio_id FROM portfolio_name_fts f "
            "JOIN portfolio_name n ON n.rowid = f.rowid WHERE portfolio_name_fts MATCH ?",
            (q,),
        )
    }
    assert hits == {"P5"}


def test_cusips_printed_only_in_the_first_001_block_are_inferred(db) -> None:
    rows = db.execute(
        "SELECT cusip, evidence FROM security WHERE cusip IN ('471021394', '471021410')"
    ).fetchall()
    assert {(r[0], r[1]) for r in rows} == {("471021394", "inferred"), ("471021410", "inferred")}


def test_t1_and_t2_notes_present_and_attached(db) -> None:
    notes = {r["note_id"]: r for r in db.execute("SELECT * FROM data_note")}
    assert (notes["T1"]["printed"], notes["T1"]["used"]) == ("0.03%", "0.93%")
    assert (notes["T2"]["printed"], notes["T2"]["computed"], notes["T2"]["used"]) == (
        "1.26%",
        "1.25%",
        "1.26%",
    )
    fee = {r["portfolio_id"]: r for r in db.execute("SELECT * FROM fee_table")}
    assert fee["P2"]["note_ids"] == "T1"
    assert fee["P2"]["total_gross_used"] == "0.93%"
    assert fee["P10"]["note_ids"] == "T2"
    assert fee["P10"]["total_net_used"] == "1.26%"
    assert {pid for pid, r in fee.items() if "T1" in r["note_ids"] or "T2" in r["note_ids"]} == {
        "P2",
        "P10",
    }


def test_fee_table_rows_carry_the_soft_notes(db) -> None:
    fee = dict(db.execute("SELECT portfolio_id, note_ids FROM fee_table"))
    # 004:1076-1088. T3: management fee less waiver vs the retail rate of 004:2107-2111 is
    # 0.01 high for Growth (0.66 vs 0.65), Capital Appreciation (0.66 vs 0.65) and Equity
    # Income (0.72 vs 0.71). T4: Capital Appreciation's counterpart. T5: a printed waiver of
    # one of the eight Portfolios whose fee cap the SAI calls voluntary (004:4782-4789).
    assert fee == {
        "P1": "T3 T5",
        "P2": "T1",
        "P3": "T3 T4 T5",
        "P4": "T5",
        "P5": "T5",
        "P6": "",
        "P7": "T3 T5",
        "P8": "T5",
        "P9": "",
        "P10": "T2",
        "P11": "",
    }


NOTED_TABLES = (
    "portfolio_name",
    "class_evidence",
    "security",
    "security_occurrence",
    "rule",
    "event",
    "fee_table",
    "distribution",
)


def _attached(db) -> dict[str, set[str]]:
    where: dict[str, set[str]] = {}
    for table in NOTED_TABLES:
        for (note_ids,) in db.execute(f"SELECT note_ids FROM {table}"):
            for note in note_ids.split():
                where.setdefault(note, set()).add(table)
    return where


def test_every_non_arithmetic_inconsistency_is_a_note_where_it_matters(db) -> None:
    where = _attached(db)
    expected = {
        "T3": {"rule", "fee_table"},
        "T4": {"rule", "fee_table", "portfolio_name"},
        "T5": {"rule", "fee_table"},
        "T6": {"rule", "event"},
        "T10": {"event"},
        "T11": {"rule", "event"},
        "T12": {"rule", "event", "class_evidence"},
        "T14": {"rule"},
        "T15": {"event", "class_evidence"},
        "T17": {"security", "security_occurrence", "class_evidence"},  # December payouts (001:15)
        "T18": {"distribution"},
        "T25": {"rule"},
        "T26": {"event"},
    }
    assert {k: where.get(k) for k in expected} == expected
    notes = {r[0] for r in db.execute("SELECT note_id FROM data_note")}
    assert notes == set(where), "every note is attached and every attached id is a note"


def _notes_of(db, table: str, key: str, value: str) -> set[str]:
    (row,) = db.execute(f"SELECT note_ids FROM {table} WHERE {key} = ?", (value,)).fetchall()
    return set(row[0].split())


def test_contradicting_1999_and_2012_rules_both_carry_t14(db) -> None:
    rules = {r[0] for r in db.execute("SELECT rule_id FROM rule WHERE note_ids LIKE '%T14%'")}
    assert rules == {
        "redemption-fee-1999-service",
        "redemption-fee-1999-institutional",
        "redemption-fee-1999-retirement",
        "conversion-1999-service",
        "conversion-1999-institutional",
        "conversion-1999-retirement",
        "redemption-fee-2012-service-ii",
        "conversion-2012-p4-service-ii",
        "conversion-2012-p13-service-ii",
    }


def test_unlabelled_001_block_marks_only_the_cusips_it_alone_prints(db, repo) -> None:
    noted = dict(db.execute("SELECT cusip, evidence FROM security WHERE note_ids = 'T17'"))
    # Protected Series - Growth (001:13) and Global Allocation - Moderate (001:15) are the
    # only first-block CUSIPs not printed in 000's Institutional Class table.
    assert noted == {"471021394": "inferred", "471021410": "inferred"}
    query = "SELECT occurrence_id FROM security_occurrence WHERE note_ids = 'T17'"
    occurrences = {r[0] for r in db.execute(query)}
    assert occurrences == {f"001:{line}" for line in range(10, 21)}
    # The Institutional class of these two rests on that inference too.
    for pid in ("P16", "P17"):
        evidence = repo.class_evidence(pid, ShareClass.INSTITUTIONAL)
        assert evidence and all("T17" in e.note_ids for e in evidence)
        assert all(e.evidence == "inferred" for e in evidence)


def test_header_label_note_on_every_2013_distribution_only(db) -> None:
    rows = db.execute("SELECT source_file, note_ids FROM distribution").fetchall()
    assert all(("T18" in n.split()) == f.startswith("001_") for f, n in rows)


def test_events_have_precise_kinds(db) -> None:
    kinds = dict(db.execute("SELECT kind, COUNT(*) FROM event GROUP BY kind"))
    assert kinds["portfolio_inception"] == 10
    assert kinds["trust_organized"] == 1
    assert kinds["distribution"] == 2
    started = db.execute("SELECT portfolio_id, share_class FROM event WHERE kind = 'class_started'")
    assert [tuple(r) for r in started] == [(None, "Service")]
    assert _notes_of(db, "event", "event_id", "trust-organized-1993-05-20") == {"T26"}
    assert _notes_of(db, "event", "event_id", "plan-amended-2002-12-10") == {"T10"}


def test_every_m_note_is_attached_to_a_distribution(db) -> None:
    attached = {n for r in db.execute("SELECT note_ids FROM distribution") for n in r[0].split()}
    assert {f"M{i}" for i in range(1, 12)} <= attached


def test_distribution_counts_by_source(db) -> None:
    counts = dict(db.execute("SELECT period, COUNT(*) FROM distribution GROUP BY period"))
    # 000: 19 rows. 001: 11 two-value Institutional rows (10 June/total, Protected
    # December/total), 3 two-value Service rows (June/total) and 9 three-value Service rows.
    assert counts == {"2012-12": 19, "2013-06": 10 + 3 + 9, "2013-12": 1 + 9, "2013": 23}


def test_meta_and_pragmas(db, built: Path) -> None:
    meta = dict(db.execute("SELECT key, value FROM meta"))
    assert meta["schema_version"] == "2"
    assert (meta["documented_from"], meta["documented_to"]) == ("1999-10-26", "2013-12-31")
    inputs = json.loads(meta["built_from"])
    source = built.parents[0]
    assert "sources/000_7b4b17f384faf991.txt" in inputs
    assert "seed/portfolio_names.csv" in inputs
    assert len(meta["content_sha256"]) == 64 and source.exists()
    assert db.execute("PRAGMA user_version").fetchone()[0] == 2
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_input_hashes_are_the_files_sha256(db) -> None:
    inputs = json.loads(dict(db.execute("SELECT key, value FROM meta"))["built_from"])
    data = Path(__file__).resolve().parents[2] / "data"
    for name, digest in inputs.items():
        assert hashlib.sha256((data / name).read_bytes()).hexdigest() == digest


def test_foreign_keys_hold(db) -> None:
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_repository_opens_and_verifies_the_build(built: Path) -> None:
    repo = Repository.open(built)  # checks user_version and the content hash
    try:
        assert repo.portfolio("P5").name_on(__import__("datetime").date(2013, 12, 31)) == (
            "Janus Aspen Series Global Research Portfolio"
        )
        assert [s.cusip for s in repo.securities_by_ticker("jacax")] == ["471021865"]
    finally:
        repo.close()


def test_same_inputs_give_a_byte_identical_file(built: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.sqlite"
    build_database(again, Path(__file__).resolve().parents[2] / "data")
    assert again.read_bytes() == built.read_bytes()
