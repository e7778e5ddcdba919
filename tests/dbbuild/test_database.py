"""The built catalog: contents, keys, full-text index, meta, determinism, app compatibility."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from janus_gui.core.identifiers import is_valid_cusip
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
    assert {pid for pid, r in fee.items() if r["note_ids"]} == {"P2", "P10"}


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
    assert meta["schema_version"] == "1"
    assert (meta["documented_from"], meta["documented_to"]) == ("1999-10-26", "2013-12-31")
    inputs = json.loads(meta["built_from"])
    source = built.parents[0]
    assert "sources/000_7b4b17f384faf991.txt" in inputs
    assert "seed/portfolio_names.csv" in inputs
    assert len(meta["content_sha256"]) == 64 and source.exists()
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1
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
