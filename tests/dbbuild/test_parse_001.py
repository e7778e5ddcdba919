"""001: the 2013 tax table read by meaning; expectations typed from the source text."""

from __future__ import annotations

import json

import pytest

from janus_gui.dbbuild import parse_001


@pytest.fixture(scope="module")
def parsed(source, names):
    result = parse_001.parse_001(source("001"), names)
    notes: dict[int, set[str]] = {}
    for failure in result.failures:
        notes.setdefault(failure.line, set()).add(parse_001.ALLOWED[failure.key])
    parse_001.finish_001(result, source("001"), notes)
    return result


def _occurrence(parsed, cusip):
    [row] = [o for o in parsed.occurrences if o["cusip"] == cusip]
    return row


def _dist(parsed, cusip, period):
    [row] = [d for d in parsed.distributions if d["cusip"] == cusip and d["period"] == period]
    return row


def test_jagr_is_institutional_by_inference_on_line_10(parsed) -> None:
    row = _occurrence(parsed, "471021105")
    assert row["ticker_as_printed"] == "JAGR"
    assert row["share_class"] == "Institutional"
    assert row["evidence"] == "inferred"
    assert "no class label" in row["evidence_reason"]
    assert row["line_start"] == 10
    assert row["name_as_printed"] == "Janus Aspen Series Janus Portfolio"
    assert row["portfolio_id"] == "P1"


def test_cusips_are_normalised_from_the_621_form(parsed) -> None:
    cusips = [o["cusip"] for o in parsed.occurrences]
    assert len(cusips) == 23
    assert "471021865" in cusips  # printed "471021 86 5"
    assert all(len(c) == 9 and " " not in c for c in cusips)


def test_service_block_is_labelled_and_prints_no_tickers(parsed) -> None:
    service = [o for o in parsed.occurrences if o["share_class"] == "Service"]
    assert len(service) == 12
    assert {o["ticker_as_printed"] for o in service} == {"N/A"}
    assert {o["evidence"] for o in service} == {"documented"}


def test_institutional_janus_reads_june_and_total(parsed) -> None:
    # 001:10: \$ 0.17522000 \$ 0.23725000 in the distribution cell
    june = _dist(parsed, "471021105", "2013-06")
    year = _dist(parsed, "471021105", "2013")
    assert june["total"] == "0.17522000"
    assert (june["record_date"], june["ex_date"], june["pay_date"]) == (
        "2013-06-25",
        "2013-06-26",
        "2013-06-26",
    )
    assert year["total"] == "0.23725000"
    assert year["record_date"] is None
    assert json.loads(june["components"])["income_dividends"] == "0.17522000"


def test_protected_institutional_pair_is_december_and_total(parsed) -> None:
    # The Service row (001:35) shows no June payout, so the first block's pair is (Dec, total).
    december = _dist(parsed, "471021394", "2013-12")
    assert december["total"] == "0.56520000"
    assert (december["record_date"], december["pay_date"]) == ("2013-12-12", "2013-12-13")
    assert not [
        d for d in parsed.distributions if d["cusip"] == "471021394" and d["period"] == "2013-06"
    ]


def test_service_forty_three_periods_despite_merged_cells(parsed) -> None:
    # 001:39 \$0.24470000 \$0.02024000 \$0.26494000
    assert _dist(parsed, "471021618", "2013-06")["total"] == "0.24470000"
    assert _dist(parsed, "471021618", "2013-12")["total"] == "0.02024000"
    assert _dist(parsed, "471021618", "2013")["total"] == "0.26494000"
    december = json.loads(_dist(parsed, "471021618", "2013-12")["components"])
    assert december["income_dividends"] == "0.02024000"
    assert december["ordinary_dividends"] == "0.02024000"


def test_global_allocation_service_components_found_by_meaning(parsed) -> None:
    # 001:36: income 0.00049/0.15038/0.15087, STCG 0.00154/0.05164/0.05318,
    # foreign tax -/0.00406232/0.00406232, ordinary 0.00203/0.20608232/0.20811232,
    # capital gain -/0.01697/0.01602, Box 6 -/0.00406232/0.00406232
    december = json.loads(_dist(parsed, "471021428", "2013-12")["components"])
    assert december == {
        "income_dividends": "0.15038000",
        "short_term_capital_gain": "0.05164000",
        "foreign_tax_paid": "0.00406232",
        "ordinary_dividends": "0.20608232",
        "capital_gain": "0.01697",
        "box6_foreign_tax_paid": "0.00406232",
    }


def test_balanced_service_capital_gain_is_june_only(parsed) -> None:
    # 001:44 capital-gain cell "\$ 1.46672 \$ -": June and December, total omitted (M8)
    assert json.loads(_dist(parsed, "471021691", "2013-06")["components"])["capital_gain"] == (
        "1.46672"
    )
    assert json.loads(_dist(parsed, "471021691", "2013")["components"])["capital_gain"] is None


def test_perkins_service_capital_gain_printed_in_the_total_slot(parsed) -> None:
    # 001:37 "\$ - \$ 0.34781" in a two-value row
    assert json.loads(_dist(parsed, "471021451", "2013")["components"])["capital_gain"] == (
        "0.34781"
    )
    assert json.loads(_dist(parsed, "471021451", "2013-06")["components"])["capital_gain"] is None


def test_global_technology_printed_dashes_only(parsed) -> None:
    rows = [d for d in parsed.distributions if d["cusip"] in {"471021568", "471021550"}]
    assert rows and all(d["total"] is None for d in rows)


# Notes expected per source line, typed from source-facts §8.7 (M12: the implied long-term gains
# of 001:15 and 001:36 worked out by hand, 0.35505 - 0.19264 - 0.05184 = 0.11057 against
# 0.31007 - 0.15087 - 0.05318 = 0.10602).
EXPECTED_NOTES = {
    9: {"M11"},
    33: {"M11"},
    32: {"M5"},
    13: {"M9"},
    14: {"M1"},
    15: {"M1", "M2", "M10", "M12"},
    16: {"M1"},
    17: {"M1"},
    35: {"M9"},
    36: {"M3", "M6", "M10", "M12"},
    37: {"M6", "M7"},
    39: {"M6"},
    40: {"M6"},
    41: {"M4", "M6"},
    42: {"M6"},
    43: {"M6", "M8"},
    44: {"M6", "M8"},
    45: {"M6"},
}


def test_every_failed_sum_is_the_known_mismatch_of_its_line(source, names) -> None:
    result = parse_001.parse_001(source("001"), names)
    found: dict[int, set[str]] = {}
    for failure in result.failures:
        found.setdefault(failure.line, set()).add(parse_001.ALLOWED[failure.key])
    assert found == EXPECTED_NOTES


def test_m2_global_allocation_ordinary_printed_and_computed(source, names) -> None:
    result = parse_001.parse_001(source("001"), names)
    [m2] = [f for f in result.failures if f.key == (15, "(14+15+16) 2013")]
    assert (m2.printed, m2.computed) == ("0.00406232", "0.24448000")


def test_notes_attached_to_distribution_rows(parsed) -> None:
    def notes(cusip):
        return {
            n for d in parsed.distributions if d["cusip"] == cusip for n in d["note_ids"].split()
        }

    assert {"M1", "A2", "M11"} <= notes("471021402")  # Balanced, Institutional
    assert {"M2", "M10"} <= notes("471021410")
    assert {"M3", "M6", "M10", "M5"} <= notes("471021428")
    assert "M4" in notes("471021667")
    assert "M7" in notes("471021451")
    assert "M8" in notes("471021683") and "M8" in notes("471021691")
    assert "M9" in notes("471021394") and "M9" in notes("471021386")
    assert "A1" in notes("471021378")
    assert "M5" not in notes("471021105")  # the typo is in the Service header only


def test_m12_implied_long_term_gains_of_global_allocation_differ(source, names) -> None:
    result = parse_001.parse_001(source("001"), names)
    m12 = {
        (f.line, f.printed, f.computed)
        for f in result.failures
        if parse_001.ALLOWED[f.key] == "M12"
    }
    assert m12 == {(15, "0.11057000", "0.10602000"), (36, "0.11057000", "0.10602000")}
