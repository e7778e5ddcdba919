"""`janus-gui lookup` and `janus-gui show`: output, exit codes, every error path."""

from __future__ import annotations

import json
import sys

import pytest
from helpers.cli import run

from janus_gui.core.asof import documented_classes


def test_lookup_json_shape(capsys) -> None:
    code, out, err = run(capsys, "lookup", "471021 70 9", "--json")
    assert code == 0 and err == ""
    payload = json.loads(out)
    first = payload["matches"][0]
    assert first == {
        **first,
        "portfolio_id": "P4",
        "share_class": "Institutional",
        "cusip": "471021709",
        "ticker": "JAIG",
        "matched_on": "cusip",
    }
    assert "Overseas" in first["portfolio"]


def test_lookup_text_output(capsys) -> None:
    code, out, _ = run(capsys, "lookup", "jaig")
    assert code == 0
    assert "471021709" in out and "JAIG" in out


def test_lookup_no_match_exits_1(capsys) -> None:
    code, out, _ = run(capsys, "lookup", "zzzz qqqq", "--json")
    assert code == 1
    assert json.loads(out)["matches"] == []


def test_lookup_bad_check_digit_exits_2_naming_the_digit(capsys) -> None:
    code, out, err = run(capsys, "lookup", "471021706", "--json")
    assert (code, out) == (2, "")
    assert "check digit should be 9" in err


@pytest.mark.parametrize(
    "argv",
    [
        ("lookup",),
        ("lookup", "x", "--as-of", "2013-02-30"),
        ("lookup", "x", "--as-of", "yesterday"),
        ("show", "Overseas"),
        ("show", "Nonexistent Portfolio", "Service"),
        ("show", "Overseas", "Gold"),
        ("show", "Overseas", "Service", "--as-of", "12/32/2012"),
        ("lookup", "x", "--db", "/nonexistent/janus.sqlite"),
        ("no-such-command",),
    ],
)
def test_invalid_input_exits_2_with_stderr_only(capsys, argv) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert "error" in err
    assert "Traceback" not in err


def test_damaged_database_is_a_clear_error(capsys, tmp_path, db_path) -> None:
    damaged = tmp_path / "janus.sqlite"
    damaged.write_bytes(db_path.read_bytes()[:4096])
    code, out, err = run(capsys, "lookup", "JAIG", "--db", str(damaged))
    assert (code, out) == (2, "")
    assert str(damaged) in err and "build-db" in err


def test_show_overseas_service_ii_before_and_after_conversion(capsys) -> None:
    code, out, _ = run(capsys, "show", "overseas", "service ii", "--as-of", "2012-04-20", "--json")
    assert code == 0
    before = json.loads(out)
    assert before["redemption_fee"]["applies"] is True
    assert before["redemption_fee"]["rate"] == "0.01"
    assert before["redemption_fee"]["holding_period_days"] == 60
    assert before["redemption_fee"]["citation"]["label"].startswith("002:")
    code, out, _ = run(capsys, "show", "P4", "Service II", "--as-of", "2012-05-01", "--json")
    after = json.loads(out)
    assert after["status"]["state"] == "ended"
    assert after["status"]["standing"] == "documented"
    assert after["status"]["converted_into"] == "Service"
    assert after["rules"] == [] and after["former_rules"], "an ended class has no rules in force"
    assert after["redemption_fee"]["applies"] is False


def test_show_answers_for_every_documented_class(capsys, repo) -> None:
    for portfolio in repo.portfolios():
        for share_class in documented_classes(repo, portfolio.portfolio_id):
            code, out, err = run(
                capsys, "show", portfolio.portfolio_id, share_class.value, "--json"
            )
            assert code == 0, err
            payload = json.loads(out)
            assert payload["portfolio_id"] == portfolio.portfolio_id
            cited = [r["citation"] for r in payload["rules"]] + [
                n["citation"] for n in payload["names"]
            ]
            assert cited and all(c and c["quote"] for c in cited)


def test_show_text_mentions_the_rule_and_its_line(capsys) -> None:
    code, out, _ = run(capsys, "show", "Overseas", "Service II", "--as-of", "2012-04-20")
    assert code == 0
    assert "1.00%" in out and "60 days" in out and "[002:" in out


def test_build_db_writes_a_database_that_opens(capsys, tmp_path) -> None:
    out_path = tmp_path / "rebuilt.sqlite"
    code, _out, err = run(capsys, "build-db", "--out", str(out_path))
    assert code == 0, err
    code, out, _ = run(capsys, "lookup", "JAIG", "--json", "--db", str(out_path))
    assert code == 0 and json.loads(out)["matches"][0]["cusip"] == "471021709"


def test_build_db_without_the_builder_is_a_clear_error(capsys, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "janus_gui.dbbuild.__main__", None)  # as in the bundle
    code, out, err = run(capsys, "build-db")
    assert (code, out) == (2, "")
    assert "not available in the packaged app" in err


def test_build_db_in_the_packaged_app_is_a_clear_error(capsys, monkeypatch) -> None:
    monkeypatch.setattr("janus_gui.paths.layout", lambda: "frozen")
    code, out, err = run(capsys, "build-db", "--out", "x.sqlite")
    assert (code, out) == (2, "")
    assert "not available in the packaged app" in err


def test_build_db_without_sqlite_utils_names_the_extra(capsys, monkeypatch, tmp_path) -> None:
    for name in [m for m in sys.modules if m.startswith("janus_gui.dbbuild")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "sqlite_utils", None)  # not installed
    code, out, err = run(capsys, "build-db", "--out", str(tmp_path / "x.sqlite"))
    assert (code, out) == (2, "")
    assert "pip install 'janus-gui[build]'" in err
    assert not (tmp_path / "x.sqlite").exists()


def test_build_db_on_an_installed_copy_needs_out(capsys, monkeypatch) -> None:
    monkeypatch.setattr("janus_gui.paths.layout", lambda: "installed")
    code, out, err = run(capsys, "build-db")
    assert (code, out) == (2, "")
    assert "does not replace the installed catalog; give --out FILE" in err


def test_build_db_on_an_installed_copy_refuses_the_package_folder(capsys, monkeypatch) -> None:
    from janus_gui import paths

    monkeypatch.setattr("janus_gui.paths.layout", lambda: "installed")
    target = paths.PACKAGE_DIR / "_data" / "janus.sqlite"
    code, out, err = run(capsys, "build-db", "--output", str(target))
    assert (code, out) == (2, "")
    assert "inside the installed package" in err
    assert not target.exists()


# -- tickers are cited where they are printed ---------------------------------------------------
def _printed_line(label: str) -> str:
    from tests.helpers.citation_check import SOURCES_DIR, cited_text

    doc, line = label.split(":")
    source = next(SOURCES_DIR.glob(f"{doc}_*.txt"))
    return cited_text(source, int(line), int(line))


def test_show_cites_the_ticker_at_the_line_that_prints_it(capsys) -> None:
    code, out, _err = run(capsys, "show", "P4", "Institutional", "--as-of", "2013-12-31")
    assert code == 0
    line = next(x for x in out.splitlines() if x.strip().startswith("CUSIP 471021709"))
    assert line.split() == ["CUSIP", "471021709", "[000:25]", "ticker", "JAIG", "[001:19]"]
    assert "JAIG" in _printed_line("001:19").split()
    assert "JAIG" not in _printed_line("000:25").split()


def test_show_json_gives_the_ticker_its_own_citation(capsys) -> None:
    code, out, _err = run(capsys, "show", "P4", "Institutional", "--as-of", "2013-12-31", "--json")
    assert code == 0
    (security,) = json.loads(out)["securities"]
    assert security["ticker_citation"]["label"] == "001:19"
    assert "JAIG" in _printed_line(security["ticker_citation"]["label"]).split()
    assert security["citation"]["label"] == "000:25"


def test_lookup_by_ticker_cites_the_ticker_line(capsys) -> None:
    code, out, _err = run(capsys, "lookup", "JAIG")
    assert code == 0
    assert out.splitlines()[1].endswith("ticker (JAIG)  [001:19]")
    code, out, _err = run(capsys, "lookup", "JAIG", "--json")
    label = json.loads(out)["matches"][0]["ticker_citation"]["label"]
    assert "JAIG" in _printed_line(label).split()
