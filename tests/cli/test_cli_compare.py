"""`janus-gui compare` and `janus-gui changes`: golden output, JSON, exports, every error path."""

from __future__ import annotations

import json

import pytest
from helpers.cli import run


# -- changes ------------------------------------------------------------------------------------
def test_changes_text_lists_the_conversion_and_the_removal_of_the_fee(capsys) -> None:
    code, out, err = run(
        capsys, "changes", "Overseas", "Service II", "--from", "2012-04-20", "--to", "2012-04-28"
    )
    assert code == 0 and err == ""
    assert "2012-04-27 close: Service II converted to Service (002:121-131)" in out
    lines = out.splitlines()
    at = lines.index("  Redemption fee (value changed)")
    before, after = lines[at + 1], lines[at + 2]
    assert before.startswith("    2012-04-20 [documented]: 1.00% on shares held 60 days")
    assert before.endswith("[002:96-103]")
    assert after.startswith("    2012-04-28 [documented]: No redemption fee applies: the class")
    assert "12 facts changed; 1 unchanged (not listed)." in out


def test_changes_json_has_both_values_citations_and_standings(capsys) -> None:
    code, out, _ = run(
        capsys, "changes", "P4", "sii", "--from", "4/20/2012", "--to", "2012-04-28", "--json"
    )
    assert code == 0
    payload = json.loads(out)
    assert (payload["from"], payload["to"], payload["share_class"]) == (
        "2012-04-20",
        "2012-04-28",
        "Service II",
    )
    fee = next(c for c in payload["changes"] if c["topic"] == "Redemption fee")
    assert fee["before"]["citation"]["label"] == "002:96-103"
    assert fee["before"]["standing"] == "documented" and fee["after"]["standing"] == "documented"
    assert fee["after"]["citation"]["label"] == "002:128-131"
    assert fee["explained_by"]["line"] == (
        "2012-04-27 close: Service II converted to Service (002:121-131)"
    )
    assert payload["unchanged"] == 1 and payload["changed"] == len(payload["changes"])
    assert [e["date"] for e in payload["events"]] == ["2012-04-27"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["changes", "P4", "Service II", "--from", "2012-04-28", "--to", "2012-04-20"],
            "must be after",
        ),
        (
            ["changes", "P4", "Service II", "--from", "2012-04-20", "--to", "2012-04-20"],
            "must be after",
        ),
        (["changes", "P4", "Service II", "--from", "2012-13-01", "--to", "2012-04-20"], "--from"),
        (["changes", "P4", "Service II", "--from", "2012-04-20", "--to", "soon"], "--to"),
        (
            ["changes", "P4", "Class Z", "--from", "2012-04-20", "--to", "2012-04-28"],
            "unknown share class",
        ),
        (
            ["changes", "Nowhere Fund", "Service", "--from", "2012-04-20", "--to", "2012-04-28"],
            "Nowhere",
        ),
        (["changes", "P4", "Service", "--to", "2012-04-28"], "--from"),
    ],
)
def test_changes_errors_exit_2_with_nothing_on_stdout(capsys, argv, message) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err


# -- compare ------------------------------------------------------------------------------------
def _row(payload, key):
    return next(r for r in payload["rows"] if r["key"] == key)


def test_compare_service_and_service_ii_the_fee_row_differs_and_cites_the_plan(capsys) -> None:
    code, out, err = run(
        capsys,
        "compare",
        "Overseas/Service",
        "Overseas/Service II",
        "--as-of",
        "2012-04-20",
        "--json",
    )
    assert code == 0 and err == ""
    payload = json.loads(out)
    fee = _row(payload, "redemption_fee")
    assert fee["differs"] is True
    service, service_ii = fee["cells"]
    assert service_ii["facts"][0]["citation"]["label"] == "002:96-103"
    assert service_ii["text"].startswith("1.00% on shares held 60 days or less")
    assert service["text"].startswith("No redemption fee")
    # 12b-1: both up to 0.25% to JDLLC (002:57-61 and 002:75-82): the same substance.
    twelve_b1 = _row(payload, "distribution_fee")
    assert twelve_b1["differs"] is False
    assert [c["facts"][0]["citation"]["label"] for c in twelve_b1["cells"]] == [
        "002:57-61",
        "002:75-82",
    ]
    # Service II has no 1999 fee table: the cell says so and no projection is made.
    gross = _row(payload, "fee_table_gross")
    assert gross["cells"][1]["facts"] == [] and "state nothing" in gross["cells"][1]["text"]
    assert payload["costs"]["columns"][1]["costs"] is None
    # An exchange between different classes is refused (002:117-120), both ways.
    assert [x["allowed"] for x in payload["exchanges"]] == [False, False]
    assert {x["citation"]["label"] for x in payload["exchanges"]} == {"002:117-120"}


def test_compare_text_marks_the_rows_that_differ(capsys) -> None:
    code, out, _ = run(capsys, "compare", "P4/Service", "P4/Service II", "--as-of", "2012-04-20")
    assert code == 0
    assert "Redemption fee  (differs)" in out
    assert "12b-1 distribution fee\n" in out  # same substance: not marked
    assert "[002:96-103]" in out


def test_compare_costs_give_the_difference_in_dollars(capsys) -> None:
    # The 1999 example (004:1132, 004:1135): International Growth Service $108 / $337 and
    # Equity Income Service $151 / $468 over 1 / 3 years on $10,000 at 5%.
    code, out, _ = run(
        capsys,
        "compare",
        "International Growth/Service",
        "Equity Income/Service",
        "--as-of",
        "2000-06-30",
        "--years",
        "1,3",
        "--json",
    )
    assert code == 0
    first, second = json.loads(out)["costs"]["columns"]
    assert first["costs"] == {"1": "108", "3": "337"}
    assert second["costs"] == {"1": "151", "3": "468"}
    assert second["difference_from_first"] == {"1": "43", "3": "131"}
    assert first["difference_from_first"] is None
    assert (first["expense_ratio_percent"], second["expense_ratio_percent"]) == ("1.06", "1.48")
    assert first["citation"]["label"] == "004:1080-1081"


def test_compare_three_classes_checks_every_pair_both_ways(capsys) -> None:
    code, out, _ = run(
        capsys,
        "compare",
        "Overseas/Service",
        "Balanced/Service",
        "Overseas/Institutional",
        "--as-of",
        "2012-12-31",
        "--json",
    )
    assert code == 0
    payload = json.loads(out)
    assert len(payload["classes"]) == 3 and len(payload["exchanges"]) == 6
    overseas_to_balanced = payload["exchanges"][0]
    assert overseas_to_balanced["allowed"] is True


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["compare", "P4/Service", "--as-of", "2012-04-20"], "two or three"),
        (
            [
                "compare",
                "P4/Service",
                "P4/Service II",
                "P1/Service",
                "P2/Service",
                "--as-of",
                "2012-04-20",
            ],
            "two or three",
        ),
        (["compare", "P4/Service", "P4/Service", "--as-of", "2012-04-20"], "twice"),
        (["compare", "P4 Service", "P4/Service II", "--as-of", "2012-04-20"], "PORTFOLIO/CLASS"),
        (["compare", "P4/Service", "P4/Gold", "--as-of", "2012-04-20"], "unknown share class"),
        (["compare", "P4/Service", "P4/Service II"], "--as-of"),
        (["compare", "P4/Service", "P4/Service II", "--as-of", "2012-02-30"], "--as-of"),
        (
            ["compare", "P4/Service", "P4/Service II", "--as-of", "2012-04-20", "--amount", "-5"],
            "--amount",
        ),
        (
            ["compare", "P4/Service", "P4/Service II", "--as-of", "2012-04-20", "--years", "x"],
            "--years",
        ),
        (
            ["compare", "P4/Service", "P4/Service II", "--as-of", "2012-04-20", "--years", "0"],
            "years",
        ),
    ],
)
def test_compare_errors_exit_2_with_nothing_on_stdout(capsys, argv, message) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err


def test_compare_to_an_unwritable_csv_exits_2_and_prints_nothing(capsys, tmp_path) -> None:
    target = tmp_path / "missing-folder" / "x" / "c.csv"
    (tmp_path / "missing-folder").write_text("a file, not a folder")
    code, out, err = run(
        capsys,
        "compare",
        "P4/Service",
        "P4/Service II",
        "--as-of",
        "2012-04-20",
        "--csv",
        str(target),
    )
    assert code == 2 and out == "" and "Traceback" not in err
