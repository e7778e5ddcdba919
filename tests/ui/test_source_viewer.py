"""The source viewer opens the cited document at the cited lines, shown exactly as stored."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from janus_gui.core.models import Citation
from janus_gui.ui.source_viewer import SourceViewer

PLAN = "002_9a3a92caa630b855.txt"
NOTICE = "000_7b4b17f384faf991.txt"
# 002:96-103: the Service II redemption fee paragraph.
FEE = Citation(PLAN, 96, 103, "a 1.00% redemption fee may be imposed")


@pytest.fixture
def viewer(qtbot) -> SourceViewer:
    widget = SourceViewer()
    widget.resize(700, 500)
    qtbot.addWidget(widget)
    widget.set_document_titles({PLAN: "Rule 18f-3 Plan"})
    widget.show()
    return widget


def test_cited_lines_are_highlighted(viewer: SourceViewer):
    viewer.show_citation(FEE)
    assert viewer.highlighted_blocks() == list(range(95, 103))  # lines 96..103, 0-based blocks


def test_first_cited_line_is_the_cursor_line_and_visible(qtbot, viewer: SourceViewer):
    viewer.show_citation(FEE)
    edit = viewer.text_edit
    assert edit.textCursor().blockNumber() == FEE.line_start - 1
    qtbot.waitUntil(lambda: edit.viewport().rect().contains(edit.cursorRect().center()))
    assert edit.document().findBlockByNumber(95).text().startswith("For the Service II Shares")


def test_title_names_the_citation_and_the_document(viewer: SourceViewer):
    viewer.show_citation(FEE)
    assert "002:96-103" in viewer.title_label.text()
    assert "Rule 18f-3 Plan" in viewer.title_label.text()
    assert viewer.windowTitle().startswith("002:96-103")


def test_escaped_dollar_signs_are_shown_as_stored(viewer: SourceViewer):
    # 000:25 is "471021709<TAB>Aspen Overseas<TAB>\$0.09081..." in the file itself.
    viewer.show_citation(Citation(NOTICE, 25, 25, "471021709 Aspen Overseas"))
    line = viewer.text_edit.document().findBlockByNumber(24).text()
    assert line.startswith("471021709\tAspen Overseas\t\\$0.09081")
    assert viewer.highlighted_blocks() == [24]


def test_find_moves_to_the_next_match_and_reports_the_line(qtbot, viewer: SourceViewer):
    viewer.show_citation(FEE)
    qtbot.keyClicks(viewer.find_edit, "Conversion Feature")
    qtbot.keyClick(viewer.find_edit, Qt.Key.Key_Return)
    assert viewer.find_status.text() == "line 121"  # 002:121 "7. Conversion Feature."
    assert viewer.text_edit.textCursor().selectedText() == "Conversion Feature"


def test_find_reports_a_missing_word(qtbot, viewer: SourceViewer):
    viewer.show_citation(FEE)
    qtbot.keyClicks(viewer.find_edit, "zebra crossing")
    qtbot.keyClick(viewer.find_edit, Qt.Key.Key_Return)
    assert viewer.find_status.text() == "not found"


def test_back_to_cited_lines_after_scrolling_away(qtbot, viewer: SourceViewer):
    viewer.show_citation(FEE)
    viewer.text_edit.moveCursor(viewer.text_edit.textCursor().MoveOperation.End)
    qtbot.mouseClick(viewer.cited_button, Qt.MouseButton.LeftButton)
    assert viewer.text_edit.textCursor().blockNumber() == 95


def test_ctrl_f_focuses_the_find_field(qtbot, viewer: SourceViewer):
    viewer.show_citation(FEE)
    viewer.activateWindow()
    viewer.text_edit.setFocus()
    qtbot.keyClick(viewer.text_edit, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(viewer.find_edit.hasFocus)


def test_missing_document_is_reported_in_the_title(viewer: SourceViewer):
    viewer.show_citation(Citation("009_missing.txt", 1, 1, "x"))
    assert "Cannot open the source document" in viewer.title_label.text()
    assert viewer.citation() is None


def test_unwrapped_lines_keep_the_highlight(viewer: SourceViewer):
    viewer.show_citation(FEE)
    viewer.wrap_button.setChecked(False)
    assert viewer.highlighted_blocks() == list(range(95, 103))
    assert viewer.text_edit.textCursor().blockNumber() == 95
