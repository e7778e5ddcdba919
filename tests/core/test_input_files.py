"""Input files: only regular files, a size limit before reading, one snapshot while reading."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from janus_gui.core import input_files
from janus_gui.core.errors import JanusError
from janus_gui.core.input_files import InputFileError, open_input
from janus_gui.core.lot_file import read_lot_file
from janus_gui.core.lots_csv import read_ledger

LIMIT = input_files.MAX_LOT_FILE_BYTES


def _refusal(path: Path | str) -> str:
    with pytest.raises(InputFileError) as caught:
        open_input(path, what="lot file", max_bytes=LIMIT)
    return str(caught.value)


def test_a_folder_is_named(tmp_path: Path) -> None:
    assert _refusal(tmp_path) == f"lot file {tmp_path} is a folder, not a regular file"


def test_a_fifo_is_named_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    assert "is a named pipe (FIFO), not a regular file" in _refusal(fifo)


def test_a_device_is_named() -> None:
    assert _refusal("/dev/zero") == "lot file /dev/zero is a character device, not a regular file"


def test_a_symlink_loop_is_named(tmp_path: Path) -> None:
    loop = tmp_path / "loop.csv"
    loop.symlink_to(loop)
    assert _refusal(loop) == f"lot file {loop} is a symbolic-link loop"


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    assert _refusal(tmp_path / "nope.csv") == f"lot file {tmp_path / 'nope.csv'} not found"


def test_an_unreadable_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("purchase_date,shares\n")

    def denied(*_args: object) -> int:  # what a 0000 file gives (root would read it)
        raise PermissionError(13, "Permission denied", str(secret))

    monkeypatch.setattr(input_files.os, "open", denied)
    assert _refusal(secret) == f"lot file {secret} cannot be read (permission denied)"


def test_a_file_name_with_control_characters_is_echoed_escaped(tmp_path: Path) -> None:
    message = _refusal(tmp_path / "a\x1b[2J\u202e.csv")
    assert "\x1b" not in message and "\u202e" not in message
    assert "a\\x1b[2J\\u202e.csv" in message


def test_a_file_over_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    sparse = tmp_path / "sparse.csv"
    with sparse.open("wb") as handle:
        handle.truncate(2 << 30)  # 2 GB of nothing, on disk in no time
    with pytest.raises(InputFileError, match="2,048.0 MB; the limit is 256 MB"):
        open_input(sparse, what="lot file", max_bytes=LIMIT)
    with pytest.raises(InputFileError, match="the limit is 256 MB"):
        read_lot_file(sparse)


def test_a_file_that_grows_while_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lots.csv"
    path.write_bytes(b"purchase_date,shares\n2012-01-01,1\n")
    with open_input(path, what="lot file", max_bytes=LIMIT) as handle:
        first = handle.read(10)
        with path.open("ab") as writer:
            writer.write(b"2012-01-02,12")
        with pytest.raises(InputFileError, match="changed while it was being read"):
            handle.read()
    assert first == b"purchase_d"


def test_a_file_that_shrinks_while_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lots.csv"
    path.write_bytes(b"purchase_date,shares\n" + b"2012-01-01,1\n" * 10_000)
    with open_input(path, what="lot file", max_bytes=LIMIT) as handle:
        handle.read(10)
        os.truncate(path, 100)
        with pytest.raises(InputFileError, match="changed while it was being read"):
            handle.read()


def test_reading_never_goes_past_the_snapshot(tmp_path: Path) -> None:
    """Bytes appended after the open are never returned, even before the end check."""
    path = tmp_path / "lots.csv"
    path.write_bytes(b"x" * 100)
    with open_input(path, what="lot file", max_bytes=LIMIT) as handle:
        with path.open("ab") as writer:
            writer.write(b"y" * 100)
        assert handle.raw.read(1000) == b"x" * 100  # type: ignore[union-attr]


def test_a_growing_lot_file_gives_the_whole_answer_or_a_refusal(tmp_path: Path) -> None:
    """A writer appends rows in two pieces (``123.`` then ``456``) while the file is read:
    every read is refused or sees only whole rows; never a 123.000-share lot.

    The writer is another process, as in real life: a thread would share the interpreter lock
    with the reader and could be held between its two writes for a whole read.
    """
    path = tmp_path / "growing.csv"
    path.write_bytes(b"purchase_date,shares\n" + b"2012-01-01,1.000\n" * 20_000)
    script = (
        "import sys\n"
        "with open(sys.argv[1], 'ab', buffering=0) as handle:\n"
        "    while True:\n"
        "        handle.write(b'2012-01-02,123.')\n"
        "        handle.write(b'456\\n')\n"
    )
    writer = subprocess.Popen([sys.executable, "-c", script, str(path)])
    outcomes = {"refused": 0, "read": 0}
    try:
        while path.stat().st_size < 400_000:  # the writer is running
            time.sleep(0.01)
        for _ in range(8):
            try:
                schedule = read_lot_file(path).schedule
            except JanusError as exc:
                assert "changed while it was being read" in str(exc)
                outcomes["refused"] += 1
            else:
                shares = {str(lot.shares) for lot in schedule}
                assert shares <= {"1.000", "123.456"}, shares
                outcomes["read"] += 1
    finally:
        writer.kill()
        writer.wait()
    assert outcomes["refused"] >= 1, outcomes


def test_a_ledger_is_opened_the_same_way(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="ledger .* is a folder"):
        read_ledger(tmp_path)


def test_lot_reader_names_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(InputFileError, match="named pipe"):
        read_lot_file(fifo)


def test_too_many_lots_held_in_memory_are_refused_with_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lots out of date order are held cell by cell; past the limit the read stops (3 million
    such lots peaked at 1,153 MB before; the limit keeps `fee` near 340 MB)."""
    from janus_gui.core import lot_file

    monkeypatch.setattr(lot_file, "MAX_HELD_LOTS", 5_000)
    rows = "".join(f"2012-0{1 + i % 9}-01,1.000\n" for i in range(20_000))  # out of order
    path = tmp_path / "unsorted.csv"
    path.write_text("purchase_date,shares\n" + rows)
    with pytest.raises(JanusError, match="more than 5,000 lots that cannot be read as a stream"):
        read_lot_file(path)
    in_order = tmp_path / "sorted.csv"
    in_order.write_text("purchase_date,shares\n" + "2012-01-01,1.000\n" * 20_000)
    assert len(read_lot_file(in_order).schedule) == 20_000  # a stream: no limit


@pytest.mark.parametrize("end", ["\r", "\r\n", "\n"])
@pytest.mark.parametrize("rows", [3, 30_000])
def test_every_line_end_reads_the_same(tmp_path: Path, end: str, rows: int) -> None:
    """CR-only files (old Mac exports) read like LF and CRLF ones, from a path or a stream,
    also when a CRLF pair falls across two read blocks."""
    body = "".join(f"2012-01-{1 + i % 28:02d},{i + 1}.000,L{i:06d}{end}" for i in range(rows))
    text = f"purchase_date,shares,lot_id{end}{body}"
    path = tmp_path / "lots.csv"
    path.write_bytes(text.encode())
    import io

    for source in (path, io.StringIO(text, newline="")):
        schedule = read_lot_file(source).schedule
        assert len(schedule) == rows
        assert sorted(lot.lot_id for lot in schedule)[-1] == f"L{rows - 1:06d}"
        assert {lot.shares for lot in schedule} >= {1}


def test_cr_only_errors_name_the_right_line(tmp_path: Path) -> None:
    path = tmp_path / "lots.csv"
    path.write_bytes(b"purchase_date,shares\r2012-01-01,1\r2012-01-02,abc\r")
    with pytest.raises(JanusError, match="line 3"):
        read_lot_file(path)
    ledger = tmp_path / "ledger.csv"
    ledger.write_bytes(b"type,date,shares\rpurchase,2012-01-01,5\rredemption,2012-02-01,2\r")
    assert len(read_ledger(ledger)) == 2


def test_a_bad_byte_in_a_cr_only_file_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "lots.csv"
    path.write_bytes(b"purchase_date,shares\r2012-01-01,1\r\xff\xfe\r")
    with pytest.raises(JanusError, match="line 3: the file is not UTF-8 text"):
        read_lot_file(path)
