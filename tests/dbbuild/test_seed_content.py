"""Curated seed facts as they land in the catalog (expectations typed from the sources)."""

from __future__ import annotations

from pathlib import Path

import pytest

from janus_gui.dbbuild.build import build_database
from janus_gui.dbbuild.errors import BuildError


def test_service_ii_of_global_technology_and_overseas_ends_at_the_conversion(db) -> None:
    rows = db.execute(
        "SELECT portfolio_id, kind, date_from, date_to, reason FROM class_evidence "
        "WHERE share_class = 'Service II' ORDER BY portfolio_id, kind"
    ).fetchall()
    # 002:121-131: named by the plan as amended 2012-03-15; converted at the close of 2012-04-27.
    assert [tuple(r)[:4] for r in rows] == [
        ("P13", "ends", "2012-04-28", None),
        ("P13", "listed", "2012-03-15", "2012-04-28"),
        ("P4", "ends", "2012-04-28", None),
        ("P4", "listed", "2012-03-15", "2012-04-28"),
    ]
    assert all("2012-04-27" in r["reason"] for r in rows if r["kind"] == "ends")


def test_1999_schedule_a_offers_three_classes_to_eleven_portfolios(db) -> None:
    rows = db.execute(
        "SELECT portfolio_id, share_class FROM class_evidence "
        "WHERE evidence_id LIKE '%-schedule-a' OR evidence_id LIKE '%-S-prospectus'"
    ).fetchall()
    assert len(rows) == 33
    assert {r[0] for r in rows} == {f"P{i}" for i in range(1, 12)}
    service = db.execute(
        "SELECT kind, date_from FROM class_evidence WHERE evidence_id = 'P1-S-start'"
    ).fetchone()
    assert tuple(service) == ("starts", "2000-01-01")  # 004:400 commenced January 1, 2000


def test_name_links_1999_to_2012_are_inferred_with_reasons(db) -> None:
    rows = db.execute(
        "SELECT name, evidence, evidence_reason FROM portfolio_name WHERE name_kind = "
        "'legal' AND documented_from = '1999-09-14' "
        "AND portfolio_id IN ('P1','P2','P3','P4','P5','P6','P9')"
    ).fetchall()
    assert len(rows) == 7
    assert all(r["evidence"] == "inferred" and r["evidence_reason"] for r in rows)


def test_worldwide_to_global_research_is_documented_by_cusips(db) -> None:
    row = db.execute(
        "SELECT evidence, evidence_reason, documented_from FROM portfolio_name "
        "WHERE name = 'Janus Aspen Series Global Research Portfolio'"
    ).fetchone()
    assert row["evidence"] == "documented"
    assert "471021303" in row["evidence_reason"] and "471021642" in row["evidence_reason"]


@pytest.mark.parametrize(
    "name",
    [
        "Aspen Janus",
        "Janus Aspen Series Janus Portfolio",
        "Janus Equity Income Portfolio",
        "Global Technology Portfolio",
        "Overseas Portfolio",
        "Short-Term Bond Portfolio",
    ],
)
def test_printed_forms_are_names_of_their_lineage(db, name: str) -> None:
    assert (
        db.execute("SELECT COUNT(*) FROM portfolio_name WHERE name = ?", (name,)).fetchone()[0] == 1
    )


def test_objectives_are_the_1999_text(db) -> None:
    objective = db.execute("SELECT objective FROM portfolio WHERE portfolio_id = 'P11'").fetchone()
    assert objective[0] == (
        "MONEY MARKET PORTFOLIO seeks maximum current income to the extent consistent with "
        "stability of capital."
    )


def test_a_printed_name_missing_from_the_seed_fails_the_build(
    data_copy: Path, tmp_path: Path
) -> None:
    path = data_copy / "sources" / "001_2f9d95a52f5b31ef.txt"
    text = path.read_text(encoding="utf-8")
    old = "Janus Aspen Series Enterprise Portfolio\t471021 71 7"
    assert text.count(old) == 1
    path.write_text(text.replace(old, old.replace("Enterprise", "Entreprise")), "utf-8")
    with pytest.raises(BuildError, match=r"001_2f9d95a52f5b31ef.txt:45: printed name"):
        build_database(tmp_path / "x.sqlite", data_copy)
