"""The workspace JSON format: round trip, text kept as typed, clear errors on bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from janus_gui.core.errors import InputError
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


def test_header_and_field_names_are_the_documented_ones() -> None:
    obj = json.loads(dumps(SAMPLE))
    assert obj["format"] == "janus-gui-workspace"
    assert obj["version"] == 1
    assert obj["lots"][0] == {"purchase_date": "2012-01-01", "shares": "100", "lot_id": "A"}
    assert obj["lots"][1]["exempt"] is True
    assert obj["nav"] == "10.00"  # text as typed, not a float


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
        ('{"format": "janus-gui-workspace", "version": 2}', "version 2 is not supported"),
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
