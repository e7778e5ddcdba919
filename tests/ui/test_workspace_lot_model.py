"""The editable lot table model: core parsing, invalid cells kept and marked, row operations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtCore import Qt

from janus_gui.ui.tables import SortRole
from janus_gui.ui.workspace.lot_model import ErrorRole, LotTableModel
from janus_gui.workspace.rows import (
    COL_DATE,
    COL_EXEMPT,
    COL_LOT_ID,
    COL_SEQ,
    COL_SHARES,
    parse_row,
)


def _model(qapp) -> LotTableModel:
    model = LotTableModel()
    model.set_rows(
        [
            parse_row("2023-01-01", "100", "A"),
            parse_row("1/31/2023", "1,000.5", "B"),
            parse_row("2023-02-30", "12.3456", "C"),
        ]
    )
    return model


def test_model_passes_qtmodeltester(qtmodeltester, qapp) -> None:
    model = _model(qapp)
    qtmodeltester.check(model)
    model.add_empty_row()
    model.remove_row_numbers([0])
    qtmodeltester.check(model)


def test_valid_cells_are_parsed_by_the_core(qapp) -> None:
    model = _model(qapp)
    row = model.row_at(1)
    assert row.purchase_date == dt.date(2023, 1, 31)
    assert row.shares == Decimal("1000.500")
    assert model.index(1, COL_DATE).data() == "2023-01-31"
    assert model.index(1, COL_SHARES).data(SortRole) == Decimal("1000.500")
    assert model.index(1, COL_SEQ).data() == "2"


def test_invalid_cells_keep_their_text_and_explain_why(qapp) -> None:
    model = _model(qapp)
    assert model.invalid_count() == 1
    date_cell = model.index(2, COL_DATE)
    shares_cell = model.index(2, COL_SHARES)
    assert date_cell.data() == "2023-02-30"
    assert "not a calendar date" in date_cell.data(ErrorRole)
    assert "more than 3 decimal places" in shares_cell.data(ErrorRole)
    assert date_cell.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert date_cell.data(Qt.ItemDataRole.DecorationRole) is not None
    assert "left out of the computation" in date_cell.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, COL_DATE).data(Qt.ItemDataRole.BackgroundRole) is None


def test_set_data_returns_false_on_invalid_input_but_keeps_the_row(qapp) -> None:
    model = _model(qapp)
    assert model.setData(model.index(0, COL_SHARES), "-5") is False
    assert model.index(0, COL_SHARES).data() == "-5"
    assert model.invalid_count() == 2
    assert [seq for seq, _row in model.valid_rows()] == [2]
    assert model.setData(model.index(0, COL_SHARES), "7.25") is True
    assert model.row_at(0).shares == Decimal("7.250")
    assert model.invalid_count() == 1


def test_fixing_both_cells_makes_the_row_valid(qtbot, qapp) -> None:
    model = _model(qapp)
    with qtbot.waitSignal(model.rows_changed):
        assert model.setData(model.index(2, COL_DATE), "2023-02-28")
    assert model.setData(model.index(2, COL_SHARES), "12.345")
    assert model.invalid_count() == 0
    assert [seq for seq, _row in model.valid_rows()] == [1, 2, 3]


def test_exempt_checkbox_and_lot_id_edit(qapp) -> None:
    model = _model(qapp)
    flags = model.flags(model.index(0, COL_EXEMPT))
    assert flags & Qt.ItemFlag.ItemIsUserCheckable
    assert not model.flags(model.index(0, COL_SEQ)) & Qt.ItemFlag.ItemIsEditable
    cell = model.index(0, COL_EXEMPT)
    assert model.setData(cell, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert model.row_at(0).exempt is True
    assert cell.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert model.setData(model.index(0, COL_LOT_ID), " Z9 ")
    assert model.row_at(0).lot_id == "Z9"


def test_deleting_rows_keeps_each_rows_number_and_new_rows_come_last(qapp) -> None:
    model = _model(qapp)
    model.remove_row_numbers([0, 0, 2])
    assert model.rowCount() == 1
    assert model.index(0, COL_SEQ).data() == "2"
    assert model.row_at(0).lot_id == "B"
    assert model.invalid_count() == 0
    model.add_empty_row()
    assert model.index(1, COL_SEQ).data() == "3"
    assert model.invalid_count() == 1


def test_rows_as_text_keep_what_was_typed(qapp) -> None:
    model = _model(qapp)
    texts = model.as_text()
    assert [(t.purchase_date, t.shares, t.lot_id) for t in texts] == [
        ("2023-01-01", "100", "A"),
        ("1/31/2023", "1,000.5", "B"),
        ("2023-02-30", "12.3456", "C"),
    ]


def test_snapshot_is_in_number_order_after_sorting_and_again_after_sorting_back(qapp) -> None:
    model = _model(qapp)  # rows A (#1), B (#2), C (#3); C has an invalid date
    model.sort(COL_LOT_ID, Qt.SortOrder.DescendingOrder)
    assert [model.row_at(i).lot_id for i in range(3)] == ["C", "B", "A"]
    rows, seqs = model.snapshot()
    assert [r.lot_id for r in rows] == ["A", "B", "C"] and seqs == [1, 2, 3]
    model.remove_row_numbers([1])  # B
    model.append_rows([parse_row("2023-03-01", "5", "D")])
    rows, seqs = model.snapshot()
    assert [r.lot_id for r in rows] == ["A", "C", "D"] and seqs == [1, 3, 4]
    model.sort(COL_SEQ)
    assert [model.row_at(i).lot_id for i in range(3)] == ["A", "C", "D"]
    assert model.snapshot()[1] == [1, 3, 4]


def test_a_refused_lot_id_is_shown_escaped_and_edited_raw(qtmodeltester, qapp) -> None:
    """A bidi override in a lot id (refused by the input rules) cannot reorder the table."""
    model = _model(qapp)
    index = model.index(0, COL_LOT_ID)
    assert model.setData(index, "abc\u202egpj.exe")
    assert index.data(Qt.ItemDataRole.DisplayRole) == "abc\\u202egpj.exe"
    assert index.data(Qt.ItemDataRole.EditRole) == "abc\u202egpj.exe"
    assert "invisible or control character" in index.data(ErrorRole)
    qtmodeltester.check(model)
