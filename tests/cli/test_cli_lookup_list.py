"""`janus-gui lookup --input`: a list of queries in one call, every row and every error path."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest
from helpers.cli import run

from janus_gui.cli import EXIT_SOME_FAILED

# Written by hand from DOMAIN.md §2 and the 2012 notice (000:25, 000:48): Overseas Institutional
# and Service; 471021706 carries a wrong check digit (the right one is 9).
OVERSEAS_INST = "471021709"
OVERSEAS_SERVICE = "471021667"
OVERSEAS_INST_ISIN = "US4710217096"  # worked by hand in tests/core/test_isin.py
HEADER = (
    "line,query,status,matched_on,portfolio_id,portfolio,share_class,cusip,isin,ticker,"
    "candidates,message"
)


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# Each kind of line, and what its row must say.
LINE_KINDS = [
    (OVERSEAS_INST, "ok", "cusip"),
    ("471021 66 7", "ok", "cusip"),
    (OVERSEAS_INST_ISIN, "ok", "isin"),
    ("jaig", "ok", "ticker"),
    ("471021706", "invalid", ""),
    ("US4710217093", "invalid", ""),
    ("Overseas", "ambiguous", ""),
    ("no such portfolio anywhere", "no_match", ""),
    ("", "skipped", ""),
    ("=HYPERLINK(1)", "no_match", ""),
]


def test_a_thousand_line_file_with_bad_lines_gives_one_row_per_query(capsys, tmp_path) -> None:
    lines = [LINE_KINDS[i % len(LINE_KINDS)] for i in range(1000)]
    source = tmp_path / "queries.txt"
    source.write_text("\n".join(text for text, _, _ in lines) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "lookup", "--input", str(source))
    assert code == EXIT_SOME_FAILED == 3
    assert out.splitlines()[0] == HEADER
    got = rows(out)
    expected = [(n, kind) for n, kind in enumerate(lines, start=1) if kind[1] != "skipped"]
    assert len(got) == len(expected) == 900
    for row, (number, (text, status, matched_on)) in zip(got, expected, strict=True):
        assert (row["line"], row["query"].lstrip("'")) == (str(number), text)
        assert row["status"] == status, row
        assert row["matched_on"] == matched_on
        if status == "ok":
            assert row["portfolio_id"] == "P4"
        else:
            assert row["portfolio_id"] == row["cusip"] == ""
    by_query = {row["query"]: row for row in got}
    assert by_query["471021706"]["message"].endswith("check digit should be 9 (471021709)")
    assert "check digit should be 6" in by_query["US4710217093"]["message"]
    assert by_query[OVERSEAS_INST_ISIN]["cusip"] == OVERSEAS_INST
    assert by_query["471021 66 7"]["isin"].startswith("US" + OVERSEAS_SERVICE)
    assert by_query["jaig"]["share_class"] == "Institutional"
    candidates = by_query["Overseas"]["candidates"].split("; ")
    assert [c.split()[-1] for c in candidates] == [OVERSEAS_INST, OVERSEAS_SERVICE]
    assert by_query["'=HYPERLINK(1)"]["status"] == "no_match"  # neutralised for spreadsheets
    assert "900 queries: 400 resolved, 100 ambiguous, 200 no match, 200 invalid" in err


def test_every_query_resolved_exits_0(capsys, tmp_path) -> None:
    source = tmp_path / "cusips.txt"
    source.write_text(f"{OVERSEAS_INST}\r\n{OVERSEAS_SERVICE}\r\n", encoding="utf-8")
    code, out, _ = run(capsys, "lookup", "--input", str(source))
    assert code == 0
    assert [(r["cusip"], r["share_class"]) for r in rows(out)] == [
        (OVERSEAS_INST, "Institutional"),
        (OVERSEAS_SERVICE, "Service"),
    ]


def test_json_lines_one_object_per_query(capsys, tmp_path) -> None:
    source = tmp_path / "q.txt"
    source.write_text(f"{OVERSEAS_INST_ISIN}\nOverseas\n471021706\n", encoding="utf-8")
    code, out, _ = run(capsys, "lookup", "--input", str(source), "--json")
    assert code == 3
    objects = [json.loads(line) for line in out.splitlines()]
    assert [o["status"] for o in objects] == ["ok", "ambiguous", "invalid"]
    assert objects[0]["matched_on"] == "isin" and objects[0]["cusip"] == OVERSEAS_INST
    assert len(objects[1]["candidates"]) == 2 and objects[1]["cusip"] is None
    assert objects[2]["line"] == 3


def test_csv_column_with_bom_quotes_and_blank_cells(capsys, tmp_path) -> None:
    source = tmp_path / "statement.csv"
    source.write_bytes(
        "\ufeffAccount, Security ID ,Units\n"
        f'A1,"{OVERSEAS_INST}",10\n'
        "A2,,5\n"
        f'"A3, joint","{OVERSEAS_SERVICE}",7\n'.encode()
    )
    code, out, _ = run(capsys, "lookup", "--input", str(source), "--column", "security id")
    assert code == 0
    assert [(r["line"], r["cusip"]) for r in rows(out)] == [
        ("2", OVERSEAS_INST),
        ("4", OVERSEAS_SERVICE),
    ]


def test_standard_input(capsys, monkeypatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(f"{OVERSEAS_INST}\n".encode()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    code, out, _ = run(capsys, "lookup", "--input", "-")
    assert code == 0 and rows(out)[0]["cusip"] == OVERSEAS_INST


def test_utf16_file_from_a_spreadsheet_is_read(capsys, tmp_path) -> None:
    source = tmp_path / "q.txt"
    source.write_bytes(f"{OVERSEAS_INST}\n".encode("utf-16"))
    code, out, _ = run(capsys, "lookup", "--input", str(source))
    assert code == 0 and rows(out)[0]["status"] == "ok"


def test_output_file_is_written_and_stdout_stays_empty(capsys, tmp_path) -> None:
    source, target = tmp_path / "q.txt", tmp_path / "out" / "resolved.csv"
    source.write_text(f"{OVERSEAS_INST}\nnothing at all\n", encoding="utf-8")
    code, out, err = run(capsys, "lookup", "--input", str(source), "--output", str(target))
    assert (code, out) == (3, "")
    assert f"written to {target}" in err
    assert [r["status"] for r in rows(target.read_text(encoding="utf-8"))] == ["ok", "no_match"]
    assert [p.name for p in target.parent.iterdir()] == ["resolved.csv"]  # no temporary left


def test_unwritable_output_exits_2_and_writes_nothing(capsys, tmp_path) -> None:
    source, folder = tmp_path / "q.txt", tmp_path / "taken"
    source.write_text(f"{OVERSEAS_INST}\n", encoding="utf-8")
    folder.mkdir()  # a folder where the output file should go: the final rename fails
    code, out, err = run(capsys, "lookup", "--input", str(source), "--output", str(folder))
    assert (code, out) == (2, "")
    assert "cannot write" in err
    assert folder.is_dir() and list(folder.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["q.txt", "taken"]


def _unusable_inputs(tmp_path: Path) -> dict[str, tuple[bytes, tuple[str, ...], str]]:
    return {
        "empty": (b"", (), "holds no query"),
        "blank lines only": (b"\n  \n\t\n", (), "holds no query"),
        "binary": (b"471021709\n\x00\x01\x02", (), "not a text file"),
        "latin-1": ("Fondo Pa\u00eds\n".encode("latin-1"), (), "not UTF-8 text"),
        "no such column": (b"a,b\n1,2\n", ("--column", "cusip"), "no column named 'cusip'"),
        "header only": (b"cusip\n", ("--column", "cusip"), "holds no query"),
        "nul byte": (b'cusip\n"abc\x00\n', ("--column", "cusip"), "not a text file"),
        "huge csv field": (
            b"cusip\n" + b"9" * 200_000 + b"\n",
            ("--column", "cusip"),
            "line 2: not valid CSV",
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "empty",
        "blank lines only",
        "binary",
        "latin-1",
        "no such column",
        "header only",
        "nul byte",
        "huge csv field",
    ],
)
def test_unusable_input_exits_2_with_nothing_on_stdout(capsys, tmp_path, case) -> None:
    data, extra, message = _unusable_inputs(tmp_path)[case]
    source = tmp_path / "input.txt"
    source.write_bytes(data)
    code, out, err = run(capsys, "lookup", "--input", str(source), *extra)
    assert (code, out) == (2, "")
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("lookup",), "give one QUERY"),
        (("lookup", "jaig", "--input", "x.txt"), "give one QUERY"),
        (("lookup", "jaig", "--column", "cusip"), "go with --input"),
        (("lookup", "jaig", "--output", "out.csv"), "go with --input"),
        (("lookup", "--input", "/nonexistent/list.txt"), "/nonexistent/list.txt not found"),
        (("lookup", "--input", "-", "--as-of", "2012-13-01"), "--as-of"),
    ],
)
def test_usage_errors_exit_2(capsys, argv, message) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert message in err


def test_lookup_of_a_single_isin(capsys) -> None:
    code, out, _ = run(capsys, "lookup", OVERSEAS_INST_ISIN, "--json")
    assert code == 0
    (match,) = json.loads(out)["matches"]
    assert (match["matched_on"], match["cusip"], match["isin"]) == (
        "isin",
        OVERSEAS_INST,
        OVERSEAS_INST_ISIN,
    )


def test_lookup_of_an_isin_with_a_wrong_check_digit_names_the_digit(capsys) -> None:
    code, out, err = run(capsys, "lookup", "US4710217093")
    assert (code, out) == (2, "")
    assert "check digit should be 6 (US4710217096)" in err
