"""The shared table model, proxy and copyable view."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from janus_gui.ui.tables import Column, RowRole, SortRole, make_table


@dataclass(frozen=True)
class _Item:
    name: str
    amount: Decimal | None
    day: dt.date


COLUMNS = [
    Column("Name", lambda r: r.name),
    Column("Amount", lambda r: r.amount, numeric=True),
    Column("Date", lambda r: r.day),
]
ROWS = [
    _Item("b", Decimal("10.5"), dt.date(2012, 4, 27)),
    _Item("a", None, dt.date(1999, 10, 26)),
    _Item("c", Decimal("2"), dt.date(2013, 12, 6)),
]


def test_model_passes_qtmodeltester(qtmodeltester, qtbot) -> None:
    view, model, proxy = make_table(COLUMNS)
    qtbot.addWidget(view)
    model.set_rows(ROWS)
    qtmodeltester.check(model)
    qtmodeltester.check(proxy)


def test_values_roles_and_numeric_sort(qtbot) -> None:
    view, model, proxy = make_table(COLUMNS)
    qtbot.addWidget(view)
    model.set_rows(ROWS)
    assert model.index(0, 2).data() == "2012-04-27"
    assert model.index(0, 1).data(SortRole) == Decimal("10.5")
    assert model.index(1, 0).data(RowRole) is ROWS[1]
    proxy.sort(1, Qt.SortOrder.AscendingOrder)
    # None first, then 2 before 10.5 (numeric, not text order)
    assert [proxy.index(r, 0).data() for r in range(3)] == ["a", "c", "b"]


def test_ctrl_c_copies_selected_rows_as_tsv(qtbot) -> None:
    view, model, _proxy = make_table(COLUMNS)
    qtbot.addWidget(view)
    model.set_rows(ROWS)
    view.show()
    view.selectRow(0)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "Name\tAmount\tDate\nb\t10.5\t2012-04-27"
