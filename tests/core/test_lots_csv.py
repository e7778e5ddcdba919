"""Lot schedule and ledger CSV: formats accepted, every rejection with its line, all-or-nothing."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest

from janus_gui.core.ledger import LedgerType
from janus_gui.core.lot_file import read_lot_file, read_lots
from janus_gui.core.lots import Lot
from janus_gui.core.lots_csv import (
    MAX_ERRORS,
    LotFileError,
    parse_lot_rows,
    read_ledger,
    write_lots,
)

D = Decimal
DATA = Path(__file__).resolve().parent.parent / "data" / "lots"


def read_text(text: str):
    return read_lot_file(io.StringIO(text))


def test_simple_file() -> None:
    lots = read_lots(DATA / "g1.csv")
    assert lots == [
        Lot(dt.date(2023, 1, 1), D("100.000"), "A", 1),
        Lot(dt.date(2023, 2, 15), D("50.000"), "B", 2),
    ]


def test_bom_us_dates_thousands_quoted_newline_blank_row_extra_column() -> None:
    result = read_lot_file(DATA / "bom_us_dates.csv")
    lots = list(result.schedule)
    assert [(lot.purchase_date, lot.shares, lot.lot_id) for lot in lots] == [
        (dt.date(2023, 1, 1), D("1000.500"), "A"),
        (dt.date(2023, 2, 15), D("50.250"), "B"),
    ]
    # record 1 spans lines 2-3, line 4 is blank, record 2 is on line 5
    assert [result.schedule.line(i) for i in range(2)] == [3, 5]
    assert result.notes == ("Ignored columns: Broker note.",)


def test_unsorted_file_is_ordered_by_date_then_file_order() -> None:
    schedule = read_lot_file(DATA / "unsorted.csv").schedule
    assert [(lot.lot_id, lot.seq) for lot in schedule] == [("A", 2), ("A2", 3), ("B", 1)]
    assert [lot.lot_id for lot in read_lots(DATA / "unsorted.csv")] == ["B", "A", "A2"]


def test_every_bad_row_is_reported_with_its_line() -> None:
    with pytest.raises(LotFileError) as caught:
        read_lot_file(DATA / "bad.csv")
    found = [(e.line, e.column) for e in caught.value.errors]
    assert found == [
        (2, "purchase_date"),  # 2013-02-30
        (3, "shares"),  # abc
        (4, "shares"),  # NaN
        (5, "shares"),  # 0
        (6, "shares"),  # -5
        (7, "shares"),  # 1.2345
        (8, "shares"),  # Infinity
        (9, "lot_id"),  # duplicate A
        (10, "purchase_date"),  # missing
    ]
    messages = [e.message for e in caught.value.errors]
    assert "'2013-02-30' is not a calendar date" in messages[0]
    assert "not a number" in messages[1]
    assert "not a finite number" in messages[2]
    assert "greater than zero" in messages[3] and "greater than zero" in messages[4]
    assert "more than 3 decimal places" in messages[5]
    assert "duplicate lot id 'A' (first on line 2)" in messages[7]
    assert "is missing" in messages[8]
    assert str(caught.value).startswith("line 2: purchase_date: '2013-02-30'")
    assert caught.value.line == 2


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("", 1, "empty; a header row is required"),
        ("2023-01-01,5\n", 1, "header row is required"),
        ("date_bought,qty\n2023-01-01,5\n", 1, "header row must name purchase_date, shares"),
        ("purchase_date,shares,date\n", 1, "given twice"),
        ("purchase_date,shares\n2023-01-01,5,9\n", 2, "row has 3 cells"),
        ("purchase_date,shares\n2023-01-01,1e3\n", 2, "not a number"),
        ("purchase_date,shares\n2023-13-01,1\n", 2, "not a calendar date"),
        ("purchase_date,shares\n01/02/23,1\n", 2, "not a date"),
        ("purchase_date,shares\n2023-01-01,0.000\n", 2, "greater than zero"),
    ],
)
def test_rejections(text: str, line: int, fragment: str) -> None:
    with pytest.raises(LotFileError) as caught:
        read_text(text)
    assert caught.value.line == line
    assert fragment in str(caught.value)


def test_zero_shares_in_a_clean_looking_chunk_is_rejected() -> None:
    with pytest.raises(LotFileError, match="line 3: shares: '0.0' must be greater than zero"):
        read_text("purchase_date,shares\n2023-01-01,1\n2023-01-01,0.0\n")


def test_all_or_nothing_stops_after_max_errors() -> None:
    rows = "".join(f"2023-01-01,x{i}\n" for i in range(MAX_ERRORS + 10))
    with pytest.raises(LotFileError) as caught:
        read_text("purchase_date,shares\n" + rows)
    assert len(caught.value.errors) == MAX_ERRORS
    assert caught.value.truncated
    assert f"(and {MAX_ERRORS - 1}+ more errors)" in str(caught.value)


def test_duplicate_id_across_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    import janus_gui.core.lots_csv as module

    monkeypatch.setattr(module, "CHUNK_ROWS", 2)
    text = "purchase_date,shares,lot_id\n2023-01-01,1,a\n2023-01-02,1,b\n2023-01-03,1,a\n"
    with pytest.raises(LotFileError, match="line 4: lot_id: duplicate lot id 'a'"):
        read_text(text)


def test_chunked_reading_keeps_lines_and_order(monkeypatch: pytest.MonkeyPatch) -> None:
    import janus_gui.core.lots_csv as module

    monkeypatch.setattr(module, "CHUNK_ROWS", 2)
    text = "purchase_date,shares\n2023-01-03,1\n2023-01-01,2\n2023-01-02,3.5\n"
    schedule = read_text(text).schedule
    assert [(lot.purchase_date.day, lot.shares, lot.seq) for lot in schedule] == [
        (1, D("2.000"), 2),
        (2, D("3.500"), 3),
        (3, D("1.000"), 1),
    ]
    assert [schedule.line(i) for i in range(3)] == [3, 4, 2]


def test_header_only_gives_an_empty_schedule() -> None:
    assert len(read_text("purchase_date,shares\n").schedule) == 0


def test_not_utf8() -> None:
    with pytest.raises(LotFileError, match="not UTF-8"):
        read_lot_file(
            io.TextIOWrapper(io.BytesIO(b"purchase_date,shares\n\xff\xfe,1\n"), encoding="utf-8")
        )


def test_exempt_column() -> None:
    schedule = read_text("purchase_date,shares,exempt\n2023-01-01,1,yes\n2023-01-02,2,\n").schedule
    assert [lot.exempt for lot in schedule] == [True, False]
    with pytest.raises(LotFileError, match="line 2: exempt: 'maybe' is not yes/no"):
        read_text("purchase_date,shares,exempt\n2023-01-01,1,maybe\n")


def test_parse_rows_for_the_window_returns_errors_per_row() -> None:
    parsed = parse_lot_rows(
        [
            ["2023-01-01", "10", "a"],
            ["", "", ""],
            ["2023-02-30", "1", "b"],
            ["2023-01-05", "2", "a"],
        ]
    )
    assert parsed.lots[0] == Lot(dt.date(2023, 1, 1), D("10.000"), "a", 1)
    assert parsed.lots[1] is None and parsed.lots[2] is None and parsed.lots[3] is None
    assert [(e.line, e.column) for e in parsed.errors] == [(3, "purchase_date"), (4, "lot_id")]
    assert not parsed.ok
    assert parsed.valid_lots() == [parsed.lots[0]]


def test_parse_rows_with_a_pasted_header() -> None:
    parsed = parse_lot_rows([["5", "2023-01-01"]], header=["Shares", "Trade Date"], first_line=2)
    assert parsed.ok
    assert parsed.lots[0] == Lot(dt.date(2023, 1, 1), D("5.000"), "", 1)


def test_write_lots_round_trip_and_neutralises_ids(tmp_path: Path) -> None:
    lots = [
        Lot(dt.date(2023, 1, 1), D("1.5"), "=cmd()", 1),
        Lot(dt.date(2023, 1, 2), D("2"), "b", 2),
    ]
    target = tmp_path / "out.csv"
    assert write_lots(target, lots) == 2
    assert target.read_text(encoding="utf-8").splitlines() == [
        "purchase_date,shares,lot_id",
        "2023-01-01,1.500,'=cmd()",
        "2023-01-02,2.000,b",
    ]
    schedule = read_lot_file(DATA / "g1.csv").schedule
    buffer = io.StringIO()
    write_lots(buffer, schedule)
    assert buffer.getvalue().splitlines()[1:] == ["2023-01-01,100.000,A", "2023-02-15,50.000,B"]


def test_read_ledger() -> None:
    entries = read_ledger(DATA / "ledger.csv")
    assert [(e.kind, e.date.isoformat(), e.shares, e.amount, e.nav) for e in entries] == [
        (LedgerType.PURCHASE, "2023-01-01", D("100.000"), None, None),
        (LedgerType.PURCHASE, "2023-02-15", D("50.000"), None, None),
        (LedgerType.REDEMPTION, "2023-03-02", D("120.000"), None, D("10.00")),
        (LedgerType.REDEMPTION, "2023-03-03", None, D("300.00"), D("20.00")),
    ]
    assert [e.line for e in entries] == [2, 3, 4, 5]


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        ("transfer,2023-01-01,5", "'transfer' is not purchase or redemption"),
        ("purchase,2023-01-01,", "shares: is missing"),
        ("redemption,2023-01-01,5,10", "not both"),
        ("purchase,2023-02-29,5", "not a calendar date"),
    ],
)
def test_ledger_rejections(row: str, fragment: str) -> None:
    with pytest.raises(LotFileError) as caught:
        read_ledger(io.StringIO("type,date,shares,amount\n" + row + "\n"))
    assert caught.value.line == 2
    assert fragment in str(caught.value)


# -- block reading: files far larger than one block behave exactly like small ones -----------
def many_rows(count: int, start: int = 0) -> str:
    base = dt.date(2020, 1, 1)
    return "".join(
        f"{(base + dt.timedelta(days=(i // 3))).isoformat()},{i % 7 + 1}.5,L{i:05d}\n"
        for i in range(start, start + count)
    )


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    import janus_gui.core.lots_csv as module

    monkeypatch.setattr(module, "BLOCK_CHARS", 100)  # about four rows a block
    monkeypatch.setattr(module, "CHUNK_ROWS", 3)


def expected_lots(count: int) -> list[tuple[dt.date, Decimal, str, int]]:
    base = dt.date(2020, 1, 1)
    return [
        (base + dt.timedelta(days=i // 3), D(f"{i % 7 + 1}.5"), f"L{i:05d}", i + 1)
        for i in range(count)
    ]


def as_tuples(schedule) -> list[tuple[dt.date, Decimal, str, int]]:
    return [(lot.purchase_date, lot.shares, lot.lot_id, lot.seq) for lot in schedule]


def test_many_blocks_clean_file(small_blocks) -> None:
    schedule = read_text("purchase_date,shares,lot_id\n" + many_rows(200)).schedule
    assert len(schedule) == 200
    assert as_tuples(schedule) == expected_lots(200)
    assert [schedule.line(i) for i in (0, 57, 199)] == [2, 59, 201]
    assert schedule.last_date() == dt.date(2020, 3, 7)  # 2020-01-01 + 199 // 3 = 66 days
    assert schedule.total_shares() == sum((lot[1] for lot in expected_lots(200)), D(0))


def test_many_blocks_remaining_view_and_text_chunks(small_blocks) -> None:
    schedule = read_text("purchase_date,shares,lot_id\n" + many_rows(50)).schedule
    rest = schedule.remaining_after(10, D("0.250"))
    assert len(rest) == 40
    assert rest.lot(0).shares == D("0.250") and rest.lot(0).lot_id == "L00010"
    chunks = list(rest.text_chunks(size=7))
    assert sum(len(ids) for ids, _, _, _ in chunks) == 40
    ids, dates, shares, seqs = chunks[0]
    assert (ids[0], dates[0], shares[0], seqs[0]) == ("L00010", "2020-01-04", "0.250", 11)
    assert (ids[1], shares[1]) == ("L00011", "5.5")


def test_many_blocks_out_of_order_across_blocks_is_sorted(small_blocks) -> None:
    rows = many_rows(30, start=30) + many_rows(30)  # the second half is older
    schedule = read_text("purchase_date,shares,lot_id\n" + rows).schedule
    assert [lot.lot_id for lot in schedule][:3] == ["L00000", "L00001", "L00002"]
    assert schedule.lot(0).seq == 31  # file order is kept in seq
    assert schedule.line(0) == 32


def test_many_blocks_duplicate_id_across_blocks(small_blocks) -> None:
    rows = many_rows(40) + "2021-01-01,1,L00003\n"
    with pytest.raises(
        LotFileError,
        match="line 42: lot_id: duplicate lot id 'L00003' "
        r"\(first on line 5\)",
    ):
        read_text("purchase_date,shares,lot_id\n" + rows)


def test_many_blocks_bad_row_late_in_the_file(small_blocks) -> None:
    rows = many_rows(60) + "2021-02-30,1,X\n" + many_rows(5, start=60)
    with pytest.raises(LotFileError) as caught:
        read_text("purchase_date,shares,lot_id\n" + rows)
    assert [(e.line, e.column) for e in caught.value.errors] == [(62, "purchase_date")]


def test_many_blocks_quoted_cell_late_in_the_file(small_blocks) -> None:
    rows = (
        many_rows(20)
        + '2021-01-01,"1,000",Q\n'
        + '2021-01-02,2,"multi\nline"\n'
        + "2021-01-03,3,Z\n"
    )
    with pytest.raises(LotFileError, match="line 24: lot_id: .* invisible"):
        read_text("purchase_date,shares,lot_id\n" + rows)  # a line break is no part of an id
    rows = rows.replace('"multi\nline"', 'M,"multi\nline note"')
    schedule = read_text("purchase_date,shares,lot_id,note\n" + rows).schedule
    assert len(schedule) == 23
    assert schedule.lot(20).shares == D("1000.000")
    assert schedule.lot(21).lot_id == "M"
    assert [schedule.line(i) for i in (19, 20, 21, 22)] == [21, 22, 24, 25]


def test_crlf_and_no_final_newline(small_blocks) -> None:
    text = "purchase_date,shares,lot_id\r\n" + many_rows(10).replace("\n", "\r\n")
    schedule = read_text(text + "2020-02-01,4,last").schedule
    assert len(schedule) == 11
    assert schedule.lot(10).lot_id == "last" and schedule.line(10) == 12
