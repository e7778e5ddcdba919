"""Batch fees: one output row per account, rows in any order, error rows, the same-date rule."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from janus_gui.core.batch import (
    OUTPUT_COLUMNS,
    BatchCatalog,
    compute_account,
    run_batch,
)
from janus_gui.core.batch import run_batch_text as batch_text
from janus_gui.core.errors import InputError
from janus_gui.core.lots_csv import LotFileError
from janus_gui.core.models import FeeRule, ShareClass
from tests.core.test_redemption import NO_FEE, SII

DATA = Path(__file__).resolve().parent.parent / "data" / "lots"
HEADER = (
    "account_id,portfolio,share_class,cusip,redeem_date,nav,redeem_shares,redeem_amount,"
    "purchase_date,shares,lot_id\n"
)


def resolve(cusip: str, portfolio: str, share_class: str) -> tuple[str, ShareClass]:
    if portfolio == "Nowhere":
        raise InputError("no portfolio is named 'Nowhere'")
    return "P4", ShareClass.parse(share_class or "Service II")


def rule_for(_pid: str, share_class: ShareClass, _on: dt.date) -> FeeRule:
    return SII if share_class == ShareClass.SERVICE_II else NO_FEE


def catalog() -> BatchCatalog:
    return BatchCatalog(resolve, rule_for)


def run_text(text: str, **options) -> tuple[list[dict[str, str]], object]:
    out, summary = batch_text(text, catalog, **options)
    return list(csv.DictReader(io.StringIO(out))), summary


def run(text: str, **options) -> list[dict[str, str]]:
    return run_text(HEADER + text, **options)[0]


def test_accounts_computed_with_hand_values() -> None:
    rows = run(
        "A1,Overseas,Service II,,2023-03-02,10.00,120,,2023-01-01,100,a\n"
        "A1,,,,,,,,2023-02-15,50,b\n"
        "B2,Overseas,Service II,,2023-03-03,10.00,all,,2023-02-15,50,x\n"
        "C3,Overseas,Service II,,2023-01-20,10.00,,102.50,2023-01-01,20,y\n"
    )
    assert [r["account_id"] for r in rows] == ["A1", "B2", "C3"]
    assert rows[0]["fee"] == "12.00" and rows[0]["lots_remaining"] == "1"  # G1
    assert rows[1]["fee"] == "5.00" and rows[1]["shares_redeemed"] == "50.000"  # 16 days
    # $102.50 / 10 = 10.250 shares, 19 days: 0.01 x 10 x 10.25 = 1.025 -> 1.03 (G9)
    assert rows[2]["fee"] == "1.03" and rows[2]["net_proceeds"] == "101.47"
    assert all(r["status"] == "ok" for r in rows)
    assert [r["same_date_order"] for r in rows] == ["date", "date", "date"]


def test_bad_accounts_get_error_rows_and_never_stop_the_others() -> None:
    rows = run(
        "A1,Overseas,Service II,,2023-03-02,10.00,500,,2023-01-01,100,a\n"
        "B2,Nowhere,Service,,2023-03-02,10.00,1,,2023-01-01,100,b\n"
        "C3,Overseas,Service,,2023-02-30,10.00,1,,2023-01-01,100,c\n"
        "D4,Overseas,Service,,2023-03-02,10.00,1,5,2023-01-01,100,d\n"
        "E5,Overseas,Service,,2023-03-02,10.00,1,,2023-01-01,abc,e\n"
        "F6,Overseas,Service,,2023-03-02,10.00,1,,2023-01-01,1,f\n"
        "F6,Balanced,Service,,,,,,2023-01-02,1,g\n"
        ",Overseas,Service,,2023-03-02,10.00,1,,2023-01-01,1,h\n"
        "A1,Overseas,Service,,2023-03-02,10.00,1,,2023-01-01,1,z\n"
        "G7,Overseas,Service,,2023-03-02,10.00,1,,2023-01-01,1,ok\n"
    )
    # A1 reappears on line 10: its rows are grouped, and its two rows disagree on the class
    assert [r["account_id"] for r in rows] == ["A1", "B2", "C3", "D4", "E5", "F6", "", "G7"]
    status = {r["account_id"]: (r["status"], r["error"]) for r in rows}
    assert status["A1"] == (
        "error",
        "line 10: share_class 'Service' differs from line 2 ('Service II')",
    )
    assert "line 3: no portfolio is named 'Nowhere'" in status["B2"][1]
    assert "line 4: redeem_date '2023-02-30' is not a calendar date" in status["C3"][1]
    assert "exactly one of redeem_shares or redeem_amount" in status["D4"][1]
    assert "line 6" in status["E5"][1] and "not a number" in status["E5"][1]
    assert status["F6"][1] == "line 8: portfolio 'Balanced' differs from line 7 ('Overseas')"
    assert status[""] == ("error", "line 9: account_id is missing")
    assert status["G7"] == ("ok", "") and rows[-1]["fee"] == "0.00"


def test_rows_of_an_account_may_be_anywhere() -> None:
    grouped = (
        "A1,Overseas,Service II,,2023-03-02,10.00,120,,2023-01-01,100,a\n"
        "A1,,,,,,,,2023-02-15,50,b\n"
        "B2,Overseas,Service II,,2023-03-03,10.00,all,,2023-02-15,50,x\n"
    )
    scattered = (
        "A1,,,,,,,,2023-02-15,50,b\n"
        "B2,Overseas,Service II,,2023-03-03,10.00,all,,2023-02-15,50,x\n"
        "A1,Overseas,Service II,,2023-03-02,10.00,120,,2023-01-01,100,a\n"
    )
    first, first_summary = run_text(HEADER + grouped)
    second, second_summary = run_text(HEADER + scattered)
    assert first == second
    assert not first_summary.grouped and second_summary.grouped
    assert (second_summary.accounts, second_summary.rows, second_summary.ok) == (2, 3, 2)


def test_output_follows_first_appearance_of_each_account() -> None:
    rows = run(
        "Z9,Overseas,Service,,2023-03-02,10.00,1,,2023-01-01,1,a\n"
        "A1,Overseas,Service,,2023-03-02,10.00,1,,2023-01-01,1,b\n"
        "Z9,,,,,,,,2023-01-02,1,c\n"
        "M5,Overseas,Service,,2023-03-02,10.00,1,,2023-01-01,1,d\n"
        "A1,,,,,,,,2023-01-03,1,e\n"
    )
    assert [r["account_id"] for r in rows] == ["Z9", "A1", "M5"]


SEQ_HEADER = (
    "account_id,portfolio,share_class,redeem_date,nav,redeem_shares,purchase_date,shares,seq\n"
)


def test_same_date_lots_follow_seq_else_input_order() -> None:
    # Two lots on 2023-01-01 (outside the 60-day window) and one on 2023-02-15 (inside).
    # Redeeming 30 shares takes 30 of the first same-date lot: which one decides what is left.
    by_seq = (
        "S1,Overseas,Service II,2023-03-02,10.00,30,2023-01-01,20,2\n"
        "S1,,,,,,2023-01-01,40,1\n"
        "S1,,,,,,2023-02-15,10,3\n"
    )
    rows, _ = run_text(SEQ_HEADER + by_seq)
    # seq 1 (40 shares) first: 30 taken from it, 10 left; 3 lots remain
    assert (rows[0]["lots_redeemed"], rows[0]["lots_remaining"]) == ("1", "3")
    assert rows[0]["same_date_order"] == "seq"
    no_seq = by_seq.replace(",2\n", ",\n").replace(",1\n", ",\n").replace(",3\n", ",\n")
    rows, _ = run_text(SEQ_HEADER + no_seq)
    # input order: the 20-share lot first, then 10 of the 40-share lot
    assert (rows[0]["lots_redeemed"], rows[0]["lots_remaining"]) == ("2", "2")
    assert rows[0]["same_date_order"] == "input order"


@pytest.mark.parametrize(
    ("seqs", "message"),
    [
        (("1", "", "3"), "line 3: seq is missing; give seq for every lot of the account"),
        (("1", "1", "3"), "line 3: seq 1 is given twice (first on line 2)"),
        (("1", "x", "3"), "line 3: seq 'x' is not a whole number"),
    ],
)
def test_seq_errors(seqs: tuple[str, str, str], message: str) -> None:
    rows, _ = run_text(
        SEQ_HEADER
        + f"S1,Overseas,Service II,2023-03-02,10.00,30,2023-01-01,20,{seqs[0]}\n"
        + f"S1,,,,,,2023-01-01,40,{seqs[1]}\n"
        + f"S1,,,,,,2023-02-15,10,{seqs[2]}\n"
    )
    assert rows[0]["status"] == "error"
    assert rows[0]["error"].startswith(message)


def _extract(accounts: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    rows = []
    for number in range(accounts):
        lots = rng.randint(1, 6)
        for lot in range(lots):
            head = ",,,,"
            if lot == 0:
                redeem = rng.choice(["all", "1.5", "0.750", "2"])
                head = f"Overseas,Service II,2023-03-02,10.00,{redeem}"
            day = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(3) * 30)
            shares = f"{rng.randint(1_000, 99_999) / 1000:.3f}"
            rows.append(f"X{number},{head},{day},{shares},{lot + 1}\n")
    return rows


def test_a_shuffled_extract_gives_the_same_rows_as_the_sorted_one() -> None:
    rows = _extract(300, seed=7)
    shuffled = rows[:]
    random.Random(1).shuffle(shuffled)
    first, _ = run_text(SEQ_HEADER + "".join(rows))
    second, summary = run_text(SEQ_HEADER + "".join(shuffled))
    assert summary.grouped and len(first) == 300
    assert sorted(first, key=lambda r: r["account_id"]) == sorted(
        second, key=lambda r: r["account_id"]
    )
    assert {r["same_date_order"] for r in first} == {"seq"}
    assert {r["status"] for r in first} == {"ok"}


def test_grouping_spills_to_a_temporary_database_and_removes_it(tmp_path: Path) -> None:
    rows = _extract(200, seed=3)
    random.Random(2).shuffle(rows)
    text = SEQ_HEADER + "".join(rows)
    in_memory, summary = run_text(text, temp_dir=tmp_path)
    assert summary.grouped and not summary.spilled
    spilled, summary = run_text(text, temp_dir=tmp_path, memory_bytes=1)
    assert summary.spilled
    assert spilled == in_memory
    assert list(tmp_path.iterdir()) == []


def test_header_is_required() -> None:
    with pytest.raises(LotFileError, match="header row must name account_id"):
        batch_text("a,b\n", catalog)
    with pytest.raises(LotFileError, match="empty"):
        batch_text("", catalog)


def test_input_that_is_not_utf8_is_refused() -> None:
    source = io.TextIOWrapper(
        io.BytesIO(HEADER.encode() + b"A1,\xff\n"), encoding="utf-8", newline=""
    )
    with pytest.raises(InputError, match="not UTF-8"):
        run_batch(source, io.BytesIO(), catalog)


def test_output_cells_are_neutralised() -> None:
    rows = run("=cmd(),Overseas,Service,,2023-03-02,10.00,1,,2023-01-01,1,a\n")
    assert rows[0]["account_id"] == "'=cmd()"


def test_files_against_the_catalog(repo) -> None:
    text = (DATA / "batch.csv").read_text(encoding="utf-8")
    rows, summary = batch_text(text, lambda: BatchCatalog.of(repo))
    table = list(csv.DictReader(io.StringIO(rows)))
    # A1 appears again on line 9 with a different redeem_shares: one error row for A1
    assert (summary.accounts, summary.ok, summary.failed) == (7, 2, 5)
    assert list(table[0]) == list(OUTPUT_COLUMNS)
    assert table[0]["account_id"] == "A1" and "redeem_shares '1' differs" in table[0]["error"]
    assert table[1]["account_id"] == "B2" and table[1]["fee"] == "0.00"  # Service: no fee
    assert Decimal(table[-1]["shares_redeemed"]) == Decimal("5.555")  # $55.55 at 10.00


# -- compute_account, and the fast path against it ---------------------------------------------
def test_compute_account_returns_the_output_row_as_text() -> None:
    row = compute_account(
        "A1",
        [
            {
                "account_id": "A1",
                "portfolio": "Overseas",
                "share_class": "Service II",
                "redeem_date": "2023-03-02",
                "nav": "10.00",
                "redeem_shares": "120",
                "purchase_date": "2023-01-01",
                "shares": "100",
                "lot_id": "a",
            },
            {"account_id": "A1", "purchase_date": "2023-02-15", "shares": "50", "lot_id": "b"},
        ],
        catalog(),
    )
    assert list(row) == list(OUTPUT_COLUMNS)
    assert row["status"] == "ok" and row["fee"] == "12.00" and row["lots_remaining"] == "1"
    assert row["redeem_date"] == "2023-03-02" and row["same_date_order"] == "date"


def test_compute_account_reports_row_numbers_or_given_lines() -> None:
    rows = [
        {
            "purchase_date": "2023-01-01",
            "shares": "1",
            "redeem_date": "2023-03-02",
            "nav": "0",
            "redeem_shares": "1",
            "portfolio": "P4",
            "share_class": "Service",
        }
    ]
    assert compute_account("A", rows, catalog())["error"] == (
        "line 1: nav '0' must be greater than zero"
    )
    assert compute_account("A", [{**rows[0], "line": 42}], catalog())["error"].startswith(
        "line 42:"
    )
    assert compute_account("A", [], catalog())["error"] == "the account has no rows"


def _mostly(good: list[str], bad: list[str]) -> st.SearchStrategy[str]:
    """Good values about nine times in ten, so most accounts reach the fast path."""
    return st.one_of(*[st.just(value) for value in good * 12], *[st.just(v) for v in bad])


_dates = _mostly(
    ["2023-01-01", "2023-01-02", "2023-02-15", "2023-03-01", "1/3/2023"],
    ["2023-03-05", "2023-02-30"],
)
_shares = _mostly(
    ["1.000", "10.000", "12.345", "100.000", "5", "0.5"],
    ["0.000", "0", "7.1234", "abc", "99999999999999.999"],
)
_lot = st.tuples(
    _dates,
    _shares,
    _mostly(["", "", "no", "yes"], ["maybe"]),
    _mostly(["", "unique", "unique"], ["twice", "a" * 201]),
)
_account = st.tuples(
    _mostly(["Service II", "Service"], ["Institutional"]),
    _mostly(["2023-03-02", "2023-04-30"], ["3/2/2023", "2023-13-01"]),
    _mostly(["10.00", "9.5"], ["0", "x"]),
    _mostly(["all", "5", "12.345", "2.5"], ["1000000", "0", ""]),
    _mostly(["", "", ""], ["33.33", "0.001"]),
    st.lists(_lot, min_size=1, max_size=6),
    st.booleans(),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_account, min_size=1, max_size=6),
    st.randoms(use_true_random=False),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)
def test_the_batch_rows_equal_compute_account(accounts, rng, every_seq, shuffled, spread) -> None:
    """Whatever path the batch takes for an account, its row is compute_account's row; in an
    extract sorted by account (each account's cells on its first row) or in any order, and
    with an account's cells on one row or ``spread`` over two (the amount on its second row)."""
    header = (
        "account_id,portfolio,share_class,redeem_date,nav,redeem_shares,redeem_amount,"
        "purchase_date,shares,exempt,lot_id,seq"
    )
    lines: list[tuple[str, dict[str, str]]] = []
    for number, (cls, on, nav, shares, amount, lots, with_seq) in enumerate(accounts):
        with_seq = with_seq or every_seq
        seqs = list(range(len(lots), 0, -1))
        for index, (bought, held, exempt, lot_id) in enumerate(lots):
            first = index == 0
            cells = {
                "account_id": f"A{number}",
                "portfolio": "Overseas" if first else "",
                "share_class": cls if first else "",
                "redeem_date": on if first else "",
                "nav": nav if first else "",
                "redeem_shares": shares if first else "",
                "redeem_amount": amount if index == (1 if spread and len(lots) > 1 else 0) else "",
                "purchase_date": bought,
                "shares": held,
                "exempt": exempt,
                "lot_id": f"L{index}" if lot_id == "unique" else lot_id,
                "seq": str(seqs[index]) if with_seq else "",
            }
            lines.append((f"A{number}", cells))
    if shuffled:
        rng.shuffle(lines)
    text = header + "\n" + "".join(",".join(c.values()) + "\n" for _, c in lines)
    out, _ = batch_text(text, catalog)
    got = {r["account_id"]: r for r in csv.DictReader(io.StringIO(out))}
    for number in range(len(accounts)):
        account = f"A{number}"
        rows = [
            {**cells, "line": line}
            for line, (owner, cells) in enumerate(lines, start=2)
            if owner == account
        ]
        assert got[account] == compute_account(account, rows, catalog()), account


def test_seq_given_for_some_accounts_only_orders_those_accounts_by_seq() -> None:
    rows, _ = run_text(
        "account_id,portfolio,share_class,redeem_date,nav,redeem_shares,purchase_date,shares,"
        "seq\n"
        "A0,Overseas,Service II,2023-03-02,10.00,5,2023-01-01,10.000,1\n"
        "A1,Overseas,Service II,2023-03-02,10.00,5,2023-01-01,10.000,\n"
        "A2,Overseas,Service II,2023-03-02,10.00,5,2023-01-01,10.000,x\n"
        "A3,Overseas,Service II,2023-03-02,10.00,5,2023-01-01,10.000,\n"
    )
    assert [(r["status"], r["same_date_order"]) for r in rows] == [
        ("ok", "seq"),
        ("ok", "date"),
        ("error", ""),
        ("ok", "date"),
    ]
    assert "'x' is not a whole number" in rows[2]["error"]


SPREAD_HEADER = (
    "account_id,portfolio,share_class,redeem_date,nav,redeem_shares,redeem_amount,"
    "purchase_date,shares\n"
)


@pytest.mark.parametrize(
    ("second_row", "expected"),
    [
        # the NAV given on the second row only: the account is computed with it
        (",,,,10.00,,,2023-01-02,10.000", ("ok", "")),
        # an amount on the second row beside the shares on the first: refused, not ignored
        (",,,,,,33.33,2023-01-02,10.000", ("error", "exactly one of")),
        # the shares given again on a later row, differently: refused
        (",,,,,7,,2023-01-02,10.000", ("error", "")),
    ],
)
def test_cells_on_a_later_row_count_as_much_as_those_on_the_first(
    second_row: str, expected: tuple[str, str]
) -> None:
    first = "A0,Overseas,Service II,2023-03-02,{nav},5,,2023-01-01,10.000\n"
    nav = "" if second_row.startswith(",,,,10.00") else "10.00"
    text = SPREAD_HEADER + first.format(nav=nav) + "A0" + second_row + "\n"
    rows, _ = run_text(text)
    status, words = expected
    assert rows[0]["status"] == status
    assert words in rows[0]["error"]
    lines = [
        {**dict(zip(SPREAD_HEADER.strip().split(","), line.split(","), strict=True)), "line": n}
        for n, line in enumerate(text.splitlines()[1:], start=2)
    ]
    assert rows[0] == compute_account("A0", lines, catalog())


def test_blank_rows_are_skipped_and_lines_still_count() -> None:
    rows, summary = run_text(
        HEADER
        + "\n"
        + ",,,,,,,,,,\n"
        + "A1,Overseas,Service II,,2023-03-02,10.00,120,,2023-01-01,100,a\n"
        + "  ,  ,,,,,,,,,\n"
        + "A1,,,,,,,,2023-02-15,50,b\n"
        + "B2,Overseas,Service II,,2023-03-03,10.00,all,,2023-02-30,50,x\n"
    )
    assert (summary.accounts, summary.rows) == (2, 3)
    assert rows[0]["fee"] == "12.00"
    assert rows[1]["error"] == "line 7: purchase_date: '2023-02-30' is not a calendar date"
