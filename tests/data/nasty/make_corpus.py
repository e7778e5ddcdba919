"""Write the corpus of hostile lot files used by ``tests/hardening/test_nasty_lots.py``.

Run ``python tests/data/nasty/make_corpus.py`` to (re)generate the files beside this script.
Each case is hand-written: its bytes, the words the error must contain and the 1-based line the
error must name. ``manifest.json`` records them for the tests. Redemption used by the tests:
2012-04-20, 1 share at NAV 10.00 (P13 Service II), so a lot bought later is a "lot after the
redemption date". The 1 GB case is not stored here: the tests build it in a temporary folder.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER = b"purchase_date,shares,lot_id\n"
GOOD_ROW = b"2012-03-20,10,A\n"

# name -> (bytes, words the message must contain (lower case), line the message must name)
BAD: dict[str, tuple[bytes, list[str], int]] = {
    "wrong_header.csv": (b"date_of_purchase,qty,id\n2012-01-03,10,A\n", ["header"], 1),
    "missing_column.csv": (b"purchase_date,lot_id\n2012-01-03,A\n", ["header", "shares"], 1),
    "extra_cells.csv": (HEADER + GOOD_ROW + b"2012-01-04,5,B,surplus,cells\n", ["5 cells"], 3),
    "empty.csv": (b"", ["empty"], 1),
    "blank_lines_only.csv": (b"\n\n  \n", ["empty"], 1),
    "header_only.csv": (HEADER, ["no"], 0),
    "binary_junk.csv": (b"", ["utf-8"], 1),  # bytes filled in below (seeded)
    "utf16_bom.csv": ("purchase_date,shares\n2012-01-03,10\n".encode("utf-16"), ["utf-8"], 1),
    "latin1.csv": (HEADER + "2012-01-03,10,M\xfcller\n".encode("latin-1"), ["utf-8"], 2),
    "semicolons.csv": (b"purchase_date;shares;lot_id\n2012-01-03;10;A\n", ["header"], 1),
    "bom_semicolons.csv": (
        b"\xef\xbb\xbfpurchase_date;shares;lot_id\n2012-01-03;10;A\n",
        ["header"],
        1,
    ),
    "quoted_newline_then_bad_row.csv": (
        HEADER + b'2012-01-03,10,"two\nline id"\n2012-01-04,abc,B\n',
        ["abc", "not a number"],
        4,
    ),
    "excel_serial_date.csv": (HEADER + b"45000,10,A\n", ["45000", "not a date"], 2),
    "thousands_unquoted.csv": (HEADER + b"2012-01-03,1,000.5,A\n", ["4 cells"], 2),
    "feb_30.csv": (HEADER + GOOD_ROW + b"2012-02-30,10,B\n", ["2012-02-30", "calendar"], 3),
    "year_zero.csv": (HEADER + b"0000-01-03,10,A\n", ["0000-01-03"], 2),
    "negative_shares.csv": (HEADER + b"2012-01-03,-5,A\n", ["-5", "greater than zero"], 2),
    "zero_shares.csv": (HEADER + b"2012-01-03,0,A\n", ["greater than zero"], 2),
    "zero_decimal_shares.csv": (HEADER + b"2012-01-03,0.000,A\n", ["greater than zero"], 2),
    "nan_shares.csv": (HEADER + b"2012-01-03,NaN,A\n", ["nan", "finite"], 2),
    "infinity_shares.csv": (HEADER + b"2012-01-03,Infinity,A\n", ["infinity", "finite"], 2),
    "exponent_shares.csv": (HEADER + b"2012-01-03,1e308,A\n", ["1e308", "not a number"], 2),
    "huge_plain_shares.csv": (HEADER + b"2012-01-03,1" + b"0" * 40 + b",A\n", ["shares"], 2),
    "twenty_decimals.csv": (
        HEADER + b"2012-01-03,1.12345678901234567890,A\n",
        ["decimal places"],
        2,
    ),
    "duplicate_lot_id.csv": (
        HEADER + GOOD_ROW + b"2012-01-04,5,A\n",
        ["duplicate", "'a'", "line 2"],
        3,
    ),
    "lot_after_redemption.csv": (
        HEADER + GOOD_ROW + b"2012-06-01,5,B\n",
        ["after the redemption date"],
        3,
    ),
    "nul_in_cell.csv": (HEADER + b"2012-01-03,1\x000,A\n", ["shares"], 2),
    # A 200,000-character lot id: a workspace cannot hold it (fields are capped at 200
    # characters), so the reader must refuse it rather than accept what cannot be saved.
    "huge_field.csv": (HEADER + b"2012-01-03,10," + b"x" * 200_000 + b"\n", ["lot_id"], 2),
}

# Files the reader must accept (documented in core/lots_csv.py), with the shares it must read.
GOOD: dict[str, tuple[bytes, list[str]]] = {
    "utf8_bom.csv": (b"\xef\xbb\xbf" + HEADER + GOOD_ROW, ["10.000"]),
    "thousands_quoted.csv": (HEADER + b'2012-03-20,"1,000.5",A\n', ["1000.500"]),
    "extra_header_column.csv": (
        b"purchase_date,shares,lot_id,broker_note\n2012-03-20,10,A,hello\n",
        ["10.000"],
    ),
    "crlf_us_dates.csv": (b"Purchase Date,Shares\r\n3/20/2012,2.5\r\n", ["2.500"]),
    "formula_lot_id.csv": (HEADER + b'2012-03-20,10,"=HYPERLINK(""http://x"")"\n', ["10.000"]),
}


def _binary_junk() -> bytes:
    rng = random.Random(20121231)
    junk = bytes(rng.randrange(256) for _ in range(2048))
    return b"\xff\xfe\x00" + junk  # an invalid UTF-8 start on line 1, then noise


def main() -> None:
    """Write every case and ``manifest.json``."""
    BAD["binary_junk.csv"] = (_binary_junk(), BAD["binary_junk.csv"][1], 1)
    manifest: dict[str, dict[str, object]] = {"bad": {}, "good": {}}
    for name, (data, words, line) in BAD.items():
        (HERE / name).write_bytes(data)
        manifest["bad"][name] = {"words": words, "line": line}
    for name, (data, shares) in GOOD.items():
        (HERE / name).write_bytes(data)
        manifest["good"][name] = {"shares": shares}
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    (HERE / "manifest.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
