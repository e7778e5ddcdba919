"""The workspace file: a JSON header line and lot-CSV text; round trip, text kept as typed,
version 1 files still open, clear errors on bad files."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from janus_gui.core import lot_file
from janus_gui.core.errors import InputError
from janus_gui.core.exemptions import ExemptionReason, parse_exemption
from janus_gui.core.workspace_file import (
    LotText,
    RedeemMode,
    Workspace,
    dumps,
    load,
    loads,
    save,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "workspace"

SAMPLE = Workspace(
    portfolio_id="P13",
    share_class="Service II",
    redeem_date="2012-03-02",
    mode=RedeemMode.SHARES,
    quantity="120",
    nav="10.00",
    lots=(
        LotText("2012-01-01", "100", "A"),
        LotText("2012-02-15", "50.000", "B", exempt=True),
        LotText("not a date", "12x", ""),  # invalid text survives
    ),
)


def test_round_trip_through_a_file(tmp_path: Path) -> None:
    path = save(tmp_path / "w.janusws", SAMPLE)
    assert load(path) == SAMPLE


def test_header_line_and_field_names_are_the_documented_ones() -> None:
    header, lots = dumps(SAMPLE).split("\r\n", 1)
    obj = json.loads(header)
    assert obj["format"] == "janus-gui-workspace"
    assert obj["version"] == 2
    assert obj["nav"] == "10.00"  # text as typed, not a float
    assert "lots" not in obj
    assert lots.splitlines()[:3] == [
        "purchase_date,shares,lot_id,exempt,exempt_reason,exempt_recorded_by,exempt_recorded_on",
        "2012-01-01,100,A,,,,",
        "2012-02-15,50.000,B,yes,,,",
    ]


def test_the_lots_part_is_a_lot_file_the_command_line_reads() -> None:
    valid = Workspace(lots=SAMPLE.lots[:2])
    body = dumps(valid).split("\r\n", 1)[1]
    read = lot_file.read_lot_file(io.StringIO(body, newline=""))
    assert [
        (str(lot.purchase_date), str(lot.shares), lot.lot_id, bool(lot.exempt))
        for lot in read.schedule
    ] == [
        ("2012-01-01", "100.000", "A", False),
        ("2012-02-15", "50.000", "B", True),
    ]


def test_recorded_exemptions_and_awkward_text_survive_a_round_trip() -> None:
    reason = parse_exemption("death_or_disability", "j.doe", None)
    assert reason is not None and reason.reason is ExemptionReason.DEATH_OR_DISABILITY
    workspace = Workspace(
        lots=(
            LotText("2012-01-01", "1", "with, comma", exempt=reason),
            LotText('say "yes"', "2\r", "line\nbreak"),
            LotText("", "", ""),  # an empty row added in the table is a row too
        )
    )
    assert loads(dumps(workspace)) == workspace


def test_version_1_files_still_open_and_save_as_version_2(tmp_path: Path) -> None:
    version_1 = {
        "format": "janus-gui-workspace",
        "version": 1,
        "portfolio_id": "P13",
        "share_class": "Service II",
        "redeem_date": "2012-03-02",
        "mode": "shares",
        "quantity": "120",
        "nav": "10.00",
        "lots": [
            {"purchase_date": "2012-01-01", "shares": "100", "lot_id": "A"},
            {"purchase_date": "2012-02-15", "shares": "50.000", "lot_id": "B", "exempt": True},
            {"purchase_date": "not a date", "shares": "12x", "lot_id": ""},
        ],
    }
    path = tmp_path / "old.janusws"
    path.write_text(json.dumps(version_1, indent=2), encoding="utf-8")
    assert load(path) == SAMPLE
    assert json.loads(dumps(load(path)).split("\r\n", 1)[0])["version"] == 2


def test_reads_the_committed_example_file() -> None:
    workspace = load(DATA / "g1.janusws")
    assert workspace.redeem_date == "2023-03-02"
    assert workspace.quantity == "120"
    assert [lot.shares for lot in workspace.lots] == ["100", "50"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not valid JSON"),
        ('{"format": "other", "version": 1}', "not a Janus workspace"),
        ('{"format": "janus-gui-workspace", "version": 3}', "version 3 is not supported"),
        ('{"format": "janus-gui-workspace", "version": 2, "lots": []}', "after the header"),
        ('{"format": "janus-gui-workspace", "version": 2}\r\nshares\r\n1\r\n', "purchase_date"),
        (
            '{"format": "janus-gui-workspace", "version": 2}\r\npurchase_date,shares\r\n'
            "2012-01-01,1,x\r\n",
            "more cells",
        ),
        (
            '{"format": "janus-gui-workspace", "version": 2}\r\npurchase_date,shares,exempt\r\n'
            "2012-01-01,1,maybe\r\n",
            "lot 1: exempt",
        ),
        (
            '{"format": "janus-gui-workspace", "version": 2}\r\npurchase_date,shares\r\n'
            '"2012-01-01,1\r\n',
            "not valid CSV",
        ),
        ('{"format": "janus-gui-workspace", "version": 1, "mode": "most"}', "not one of"),
        ('{"format": "janus-gui-workspace", "version": 1, "nav": 10.5}', "must be text"),
        ('{"format": "janus-gui-workspace", "version": 1, "lots": {}}', "must be a list"),
        ('{"format": "janus-gui-workspace", "version": 1, "lots": [3]}', "lot 1"),
    ],
)
def test_bad_files_raise_input_error(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        loads(text)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        load(tmp_path / "nope.janusws")


def test_defaults_for_a_minimal_file() -> None:
    workspace = loads('{"format": "janus-gui-workspace", "version": 1}')
    assert workspace == Workspace()
