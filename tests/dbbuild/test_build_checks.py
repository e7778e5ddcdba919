"""A new inconsistency or a bad seed row fails the build, naming where it is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from janus_gui.dbbuild.__main__ import main
from janus_gui.dbbuild.build import build_database
from janus_gui.dbbuild.errors import BuildError

SOURCE_000 = "000_7b4b17f384faf991.txt"
SOURCE_001 = "001_2f9d95a52f5b31ef.txt"
SOURCE_004 = "004_546a7a10363b684d.txt"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _append(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def test_new_001_mismatch_fails_the_build(data_copy: Path, tmp_path: Path) -> None:
    # Janus Institutional June income 0.17522000 -> 0.17523000 (line 10, column 14 only)
    path = data_copy / "sources" / SOURCE_001
    line = path.read_text(encoding="utf-8").split("\n")[9]
    cells = line.split("\t")
    cells[13] = cells[13].replace("0.17522000", "0.17523000")
    _edit(path, line, "\t".join(cells))
    with pytest.raises(BuildError, match=r"001:10 \(14\+15\+16\) 2013-06"):
        build_database(tmp_path / "x.sqlite", data_copy)


def test_fixed_known_mismatch_fails_as_a_stale_note(data_copy: Path, tmp_path: Path) -> None:
    # Correct M2 (line 15, ordinary dividends total 0.00406232 -> 0.24448000)
    old, new = "\\$ 0.00475000 \\$ 0.00406232", "\\$ 0.00475000 \\$ 0.24448000"
    _edit(data_copy / "sources" / SOURCE_001, old, new)
    _edit(data_copy / "seed" / "data_notes.csv", old, "Global Allocation Portfolio - Moderate")
    with pytest.raises(BuildError, match="no longer found"):
        build_database(tmp_path / "x.sqlite", data_copy)


def test_new_000_mismatch_fails_the_build(data_copy: Path, tmp_path: Path) -> None:
    old = "471021105\tAspen Janus\t\\$0.06184\t\\$0.00000\t\\$0.06184"
    _edit(
        data_copy / "sources" / SOURCE_000,
        old,
        old.replace("\\$0.06184\t\\$0.00000\t\\$0.06184", "\\$0.06184\t\\$0.00000\t\\$0.06185"),
    )
    with pytest.raises(BuildError, match="000:20"):
        build_database(tmp_path / "x.sqlite", data_copy)


def test_new_fee_table_mismatch_fails_the_build(data_copy: Path, tmp_path: Path) -> None:
    path = data_copy / "sources" / SOURCE_004
    text = path.read_text(encoding="utf-8")
    old = "0.93%             0.01%             0.92%"
    assert text.count(old) == 1
    path.write_text(
        text.replace(old, "0.93%             0.01%             0.91%"), encoding="utf-8"
    )
    with pytest.raises(BuildError, match="new fee-table inconsistency"):
        build_database(tmp_path / "x.sqlite", data_copy)


@pytest.mark.parametrize(
    ("file", "bad", "message"),
    [
        (
            "portfolio_names.csv",
            "P99-X,P99,Nowhere Portfolio,legal,2013-12-31,2014-01-01,documented,,"
            "001_2f9d95a52f5b31ef.txt,10,10,Janus Aspen Series Janus Portfolio",
            "unknown portfolio id 'P99'",
        ),
        (
            "class_evidence.csv",
            "X1,P1,Service III,exists,2012-01-01,,why,documented,,000_7b4b17f384faf991.txt,20,20,"
            "471021105 Aspen Janus,",
            "share_class 'Service III'",
        ),
        (
            "class_evidence.csv",
            "X1,P1,Service,exists,12/07/2012,,why,documented,,000_7b4b17f384faf991.txt,20,20,"
            "471021105 Aspen Janus,",
            "not an ISO date",
        ),
        (
            "class_evidence.csv",
            "X1,P1,Service,exists,2012-12-07,,why,flagged,,000_7b4b17f384faf991.txt,20,20,"
            "471021105 Aspen Janus,",
            "evidence 'flagged'",
        ),
        (
            "class_evidence.csv",
            "X1,P1,Service,exists,2012-12-07,,why,documented,,000_7b4b17f384faf991.txt,21,21,"
            "471021105 Aspen Janus,",
            "does not occur",
        ),
    ],
)
def test_bad_seed_row_fails_with_file_and_line(
    data_copy: Path, tmp_path: Path, file: str, bad: str, message: str
) -> None:
    path = data_copy / "seed" / file
    line_number = len(path.read_text(encoding="utf-8").splitlines()) + 1
    _append(path, bad)
    with pytest.raises(BuildError, match=rf"{file}:{line_number}: .*{message}"):
        build_database(tmp_path / "x.sqlite", data_copy)


def _drop_notes(path: Path, note_ids: set[str]) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if line.split(",", 1)[0] not in note_ids]
    assert len(lines) - len(kept) == len(note_ids)
    path.write_text("".join(kept), encoding="utf-8")


EVENT_ROW = (
    "E1,1993-09-13,{kind},{portfolio},{share_class},,Growth Portfolio inception,documented,,"
    "004_546a7a10363b684d.txt,5948,5948,Growth Portfolio - Service Shares 9/13/93,{notes}"
)


@pytest.mark.parametrize(
    ("kind", "portfolio", "share_class", "message"),
    [
        ("portfolio_inception", "", "", "portfolio_inception event needs a portfolio_id"),
        ("portfolio_inception", "P1", "Service", "portfolio_inception event needs a portfolio_id"),
        ("class_started", "P1", "", "class_started event needs the share_class"),
        ("launch", "P1", "", "kind 'launch' is not one of"),
    ],
)
def test_event_kind_needs_its_portfolio_or_class(
    data_copy: Path, tmp_path: Path, kind: str, portfolio: str, share_class: str, message: str
) -> None:
    path = data_copy / "seed" / "events.csv"
    line_number = len(path.read_text(encoding="utf-8").splitlines()) + 1
    row = EVENT_ROW.format(kind=kind, portfolio=portfolio, share_class=share_class, notes="")
    _append(path, row)
    with pytest.raises(BuildError, match=rf"events.csv:{line_number}: .*{message}"):
        build_database(tmp_path / "x.sqlite", data_copy)


def test_a_portfolio_inception_with_a_portfolio_builds(data_copy: Path, tmp_path: Path) -> None:
    row = EVENT_ROW.format(kind="portfolio_inception", portfolio="P1", share_class="", notes="T15")
    _append(data_copy / "seed" / "events.csv", row)
    assert build_database(tmp_path / "x.sqlite", data_copy)["tables"]["event"] == 31


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        (
            "events.csv",
            'Trust Instrument dated May 19, 1993",T26',
            'Trust Instrument dated May 19, 1993",T99',
        ),
        (
            "portfolio_names.csv",
            ",Capital Appreciation Portfolio,T4",
            ",Capital Appreciation Portfolio,T99",
        ),
        (
            "class_evidence.csv",
            "Service Shares of the applicable Portfolio,T12",
            "Service Shares of the applicable Portfolio,T99",
        ),
        ("rules.csv", "N/A(1),T4", "N/A(1),T4 T99"),
    ],
)
def test_an_unknown_note_id_on_any_seed_row_fails(
    data_copy: Path, tmp_path: Path, file: str, old: str, new: str
) -> None:
    path = data_copy / "seed" / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(BuildError, match=rf"data/seed/{file}: .*unknown note id 'T99'"):
        build_database(tmp_path / "x.sqlite", data_copy)


def test_a_note_listed_twice_on_a_row_fails(data_copy: Path, tmp_path: Path) -> None:
    _edit(data_copy / "seed" / "rules.csv", "N/A(1),T4", "N/A(1),T4 T4")
    with pytest.raises(BuildError, match="expense-limit-1999-p3: a note id is listed twice"):
        build_database(tmp_path / "x.sqlite", data_copy)


RULE_HEADER = (
    "rule_id,kind,portfolio_id,share_class,effective_from,from_precision,effective_to,summary,"
    "params,evidence,evidence_reason,source_file,line_start,line_end,quote,note_ids"
)
RULE_FEE = (
    'R1,redemption_fee,,Service II,,unknown,,fee,"{{""rate"": ""{rate}"", '
    '""holding_period_days"": ""60""}}",documented,,002_9a3a92caa630b855.txt,96,97,'
    "a 1.00% redemption fee may be imposed,"
)


def test_rules_file_is_optional_and_loaded_when_present(data_copy: Path, tmp_path: Path) -> None:
    for name in ("rules.csv", "events.csv"):
        (data_copy / "seed" / name).unlink(missing_ok=True)
    # Notes that only rules and events carry are then attached to nothing, which fails.
    only_rules_and_events = ["T10", "T11", "T14", "T25", "T26", "T6"]
    with pytest.raises(BuildError, match=re.escape(f"attached to no row: {only_rules_and_events}")):
        build_database(tmp_path / "a.sqlite", data_copy)
    _drop_notes(data_copy / "seed" / "data_notes.csv", set(only_rules_and_events))
    assert build_database(tmp_path / "a.sqlite", data_copy)["tables"]["rule"] == 0
    (data_copy / "seed" / "rules.csv").write_text(
        RULE_HEADER + "\n" + RULE_FEE.format(rate="1.00%") + "\n", encoding="utf-8"
    )
    assert build_database(tmp_path / "b.sqlite", data_copy)["tables"]["rule"] == 1


def test_rule_breaking_rule_22c2_fails(data_copy: Path, tmp_path: Path) -> None:
    (data_copy / "seed" / "rules.csv").write_text(
        RULE_HEADER + "\n" + RULE_FEE.format(rate="3.00%") + "\n", encoding="utf-8"
    )
    with pytest.raises(BuildError, match=r"rules.csv:2: sanity check failed: redemption fee"):
        build_database(tmp_path / "x.sqlite", data_copy)


def test_unknown_rule_kind_fails(data_copy: Path, tmp_path: Path) -> None:
    row = RULE_FEE.format(rate="1.00%").replace("redemption_fee", "load_fee", 1)
    (data_copy / "seed" / "rules.csv").write_text(RULE_HEADER + "\n" + row + "\n", encoding="utf-8")
    with pytest.raises(BuildError, match=r"rules.csv:2: kind 'load_fee'"):
        build_database(tmp_path / "x.sqlite", data_copy)


def test_command_line_reports_errors_and_exit_codes(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cli.sqlite"
    assert main(["--out", str(out), "--data", str(data_copy)]) == 0
    assert out.is_file() and "built" in capsys.readouterr().out
    _append(
        data_copy / "seed" / "portfolios.csv",
        "P1,dup,,004_546a7a10363b684d.txt,193,193,Growth Portfolio,documented,",
    )
    assert main(["--out", str(out), "--data", str(data_copy)]) == 1
    assert "duplicate portfolio_id 'P1'" in capsys.readouterr().err
