"""Data notes read by title, with the full text a click away (no screen-high tooltips).

Growth Portfolio (P1) Institutional shares: the distribution tables print rows the catalog
annotates with data notes (000/001 tables; see the data_note rows of the catalog).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from janus_gui.core.asof import class_rules
from janus_gui.core.models import ShareClass
from janus_gui.ui.detail import common
from janus_gui.ui.detail.distributions import DistributionsTab

ON = dt.date(2013, 12, 31)


def _tab(qtbot, repo) -> tuple[DistributionsTab, object]:
    rules = class_rules(repo, "P1", ShareClass.INSTITUTIONAL, ON)
    tab = DistributionsTab()
    qtbot.addWidget(tab)
    tab.resize(1200, 800)
    tab.show()
    tab.show_rules(rules)
    return tab, rules


def _notes_column(tab: DistributionsTab) -> int:
    model = tab.model
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return titles.index("Notes")


def test_notes_cell_shows_titles_not_codes(qtbot, repo):
    tab, rules = _tab(qtbot, repo)
    column = _notes_column(tab)
    by_id = {n.note_id: n for n in rules.data_notes}
    row = next(r for r in range(tab.proxy.rowCount()) if tab.proxy.index(r, column).data())
    record = tab.proxy.index(row, column).data(common.RowRole)
    expected = "; ".join(by_id[n].title for n in record.note_ids if n in by_id)
    assert tab.proxy.index(row, column).data() == expected
    tip = tab.proxy.index(row, column).data(Qt.ItemDataRole.ToolTipRole)
    assert "Click to read them in full" in tip
    for note_id in record.note_ids:  # titles only: the long explanations are not in the tip
        if note_id in by_id and by_id[note_id].explanation:
            assert by_id[note_id].explanation not in tip


def test_click_on_a_note_opens_its_full_text(qtbot, repo, monkeypatch):
    shown: list[list[str]] = []
    monkeypatch.setattr(
        "janus_gui.ui.detail.distributions.show_notes",
        lambda _parent, notes: shown.append([n.note_id for n in notes]),
    )
    tab, _rules = _tab(qtbot, repo)
    column = _notes_column(tab)
    row = next(r for r in range(tab.proxy.rowCount()) if tab.proxy.index(r, column).data())
    view = tab.view
    rect = view.visualRect(tab.proxy.index(row, column))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    record = tab.proxy.index(row, column).data(common.RowRole)
    assert shown == [[n for n in record.note_ids if n in {x.note_id for x in _rules.data_notes}]]


def test_notes_dialog_holds_the_explanation_and_source(qtbot, repo):
    rules = class_rules(repo, "P1", ShareClass.INSTITUTIONAL, ON)
    note = rules.data_notes[0]
    dialog = common.NotesDialog([note])
    qtbot.addWidget(dialog)
    text = dialog.browser.toPlainText()
    assert note.title in text
    assert note.citation.label() in text
