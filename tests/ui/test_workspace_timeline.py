"""The lot-aging timeline: palette colours, only visible rows painted, zoom, hover text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QPalette, QWheelEvent

from janus_gui.ui.workspace.timeline import (
    HEADER_HEIGHT,
    ROW_HEIGHT,
    LotTimeline,
    state_colours,
    tick_step,
    ticks,
)
from janus_gui.workspace.outcome import LotState, TimelineLot

REDEEM = dt.date(2023, 3, 2)


def _lots(count: int) -> list[TimelineLot]:
    start = dt.date(2020, 1, 1)
    return [
        TimelineLot(
            f"{i + 1}",
            start + dt.timedelta(days=i // 10),
            Decimal("1.000"),
            LotState.SUBJECT if i % 2 else LotState.FREE,
            f"lot {i + 1}",
        )
        for i in range(count)
    ]


def _timeline(qtbot, count: int) -> LotTimeline:
    widget = LotTimeline()
    qtbot.addWidget(widget)
    widget.resize(800, HEADER_HEIGHT + 10 * ROW_HEIGHT)
    widget.set_lots(_lots(count), REDEEM, 60)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_subject_lots_use_the_palette_highlight_and_follow_dark_palettes(qapp) -> None:
    light = QPalette()
    light.setColor(QPalette.ColorRole.Highlight, QColor("#3070c0"))
    light.setColor(QPalette.ColorRole.Text, QColor("black"))
    light.setColor(QPalette.ColorRole.Base, QColor("white"))
    dark = QPalette(light)
    dark.setColor(QPalette.ColorRole.Text, QColor("white"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#202020"))
    colours = state_colours(light)
    assert colours[LotState.SUBJECT] == QColor("#3070c0")
    assert len({c.name() for c in colours.values()}) == 3  # three distinct states
    assert state_colours(dark)[LotState.FREE] != colours[LotState.FREE]
    assert state_colours(dark)[LotState.KEPT].lightness() < 128  # dark bars on a dark base


def test_only_visible_rows_are_painted_for_10000_lots(qtbot) -> None:
    widget = _timeline(qtbot, 10_000)
    assert widget.lot_count() == 10_000
    assert len(widget.visible_rows()) <= 11
    widget.verticalScrollBar().setValue(ROW_HEIGHT * 5000)
    rows = widget.visible_rows()
    assert rows.start == 5000 and len(rows) <= 11
    assert not widget.grab().isNull()


def test_hover_text_names_the_lot_under_the_mouse(qtbot) -> None:
    widget = _timeline(qtbot, 3)
    assert widget.tooltip_at(QPoint(300, HEADER_HEIGHT + ROW_HEIGHT + 3)) == "lot 2"
    assert widget.tooltip_at(QPoint(300, 5)) is None  # the header
    assert widget.tooltip_at(QPoint(300, HEADER_HEIGHT + 5 * ROW_HEIGHT)) is None


def test_ctrl_wheel_zooms_and_double_click_fits(qtbot) -> None:
    widget = _timeline(qtbot, 30)
    assert widget.zoom() == 1.0
    assert widget.horizontalScrollBar().maximum() == 0
    event = QWheelEvent(
        QPointF(400, 100),
        QPointF(widget.mapToGlobal(QPoint(400, 100))),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    with qtbot.waitSignal(widget.zoom_changed):
        widget.wheelEvent(event)
    assert widget.zoom() == 1.25
    assert widget.horizontalScrollBar().maximum() > 0
    widget.set_zoom(0.1)  # never narrower than the whole range
    assert widget.zoom() == 1.0


def test_empty_timeline_explains_itself(qtbot) -> None:
    widget = LotTimeline()
    qtbot.addWidget(widget)
    widget.set_lots([], None, None)
    widget.resize(600, 200)
    assert widget.lot_count() == 0
    assert not widget.grab().isNull()


def test_tick_units_follow_the_zoom() -> None:
    assert tick_step(0.05) == ("year", 5)  # 18.25 px a year; 2 years = 36.5 px, 5 = 91 px
    assert tick_step(1.0) == ("month", 3)
    assert tick_step(20.0) == ("day", 7)
    assert ticks(dt.date(2023, 1, 15), dt.date(2023, 7, 1), "month", 3) == [
        dt.date(2023, 4, 1),
        dt.date(2023, 7, 1),
    ]
    assert ticks(dt.date(2019, 6, 1), dt.date(2024, 1, 1), "year", 2) == [
        dt.date(2020, 1, 1),
        dt.date(2022, 1, 1),
        dt.date(2024, 1, 1),
    ]


def test_the_timeline_copies_what_is_shown_as_an_image(qtbot, qapp) -> None:
    timeline = _timeline(qtbot, 30)
    qapp.clipboard().clear()
    (action,) = [a for a in timeline.actions() if a.text() == "Copy timeline as image"]
    action.trigger()
    image = qapp.clipboard().image()
    viewport = timeline.viewport()
    assert (image.width(), image.height()) == (viewport.width(), viewport.height())
    colours = {image.pixel(x, y) for x in range(0, image.width(), 5) for y in range(0, 120, 3)}
    assert len(colours) > 3  # bars and the date axis, not a blank viewport
