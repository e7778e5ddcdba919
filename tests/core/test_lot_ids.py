"""Lot ids: ``A`` and ``A\\f`` (and other invisible variants) are never merged or split
silently; every reader refuses the invisible character with the same message."""

from __future__ import annotations

import io

import pytest

from janus_gui.core import inputs
from janus_gui.core.lot_file import read_lot_file
from janus_gui.core.lots_csv import LotFileError, parse_lot_rows
from tests.core.test_batch import run

INVISIBLE = [
    "\f",
    "\v",
    "\x1b",
    "\x00",
    "\x85",
    "\u00a0",
    "\u200b",
    "\u202e",
    "\u2028",
    "\ufeff",
    "\udcff",
]


@pytest.mark.parametrize("char", INVISIBLE)
def test_the_rule_refuses_invisible_characters(char: str) -> None:
    for text in (f"A{char}", f"{char}A", f"A{char}B"):
        with pytest.raises(ValueError, match="invisible or control character"):
            inputs.parse_lot_id(text)


@pytest.mark.parametrize("text", ["A", " A ", "\tA\t", "lot 7", "Lot-é-1", "株-1"])
def test_the_rule_keeps_visible_ids(text: str) -> None:
    assert inputs.parse_lot_id(text) == text.strip(" \t")


def _file(rows: str) -> io.StringIO:
    return io.StringIO("purchase_date,shares,lot_id\n" + rows, newline="")


@pytest.mark.parametrize("char", ["\f", "\v", "\x1b", "\u202e", "\u00a0"])
@pytest.mark.parametrize("quoted", [False, True])
def test_lot_file_refuses_a_variant_id(char: str, quoted: bool) -> None:
    cell = f'"A{char}"' if quoted else f"A{char}"
    with pytest.raises(LotFileError) as caught:
        read_lot_file(_file(f"2012-01-01,1.000,A\n2012-01-02,2.000,{cell}\n"))
    message = str(caught.value)
    assert "line 3" in message and "invisible or control character" in message
    assert char not in message


def test_many_rows_take_the_fast_paths_and_still_refuse() -> None:
    rows = "".join(f"2012-01-01,1.000,L{i:06d}\n" for i in range(20_000))
    with pytest.raises(LotFileError, match="line 20002.*invisible"):
        read_lot_file(_file(rows + "2012-01-02,1.000,L\f\n"))
    with pytest.raises(LotFileError, match="line 2.*invisible"):
        read_lot_file(_file("2012-01-01,1.000,\fL\n" + rows))


def test_window_row_parser_gives_the_same_message() -> None:
    parsed = parse_lot_rows([["2012-01-01", "1", "A\f"]], first_line=2)
    (error,) = parsed.errors
    assert error.column == "lot_id"
    with pytest.raises(ValueError) as caught:
        inputs.parse_lot_id("A\f")
    assert error.message == str(caught.value)


def test_batch_gives_the_account_an_error_row() -> None:
    rows = run(
        "A1,Overseas,Service II,,2023-03-02,10,5,,2023-01-01,100,a\n"
        "A1,,,,,,,,2023-01-02,100,a\f\n"
        "A2,Overseas,Service II,,2023-03-02,10,5,,2023-01-01,100,a\n"
    )
    assert rows[0]["status"] == "error"
    assert "line 3" in rows[0]["error"] and "invisible or control character" in rows[0]["error"]
    assert rows[1]["status"] == "ok"
