"""The stacked bar chart: scale, hit testing, tooltips, colours and painting."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPalette

from janus_gui.ui.charts import Bar, BarSegment, StackedBarChart, nice_step, series_colours

# Overseas Institutional, as printed: 000:25 (December 2012) and 001:19 (June 2013).
DECEMBER_2012 = Bar(
    "2012-12\nrecord 2012-12-06",
    (BarSegment("Investment income", Decimal("0.09081")),),
    "Total as printed: $0.09081 per share",
)
JUNE_2013 = Bar(
    "2013-06\nrecord 2013-06-25",
    (
        BarSegment("Income dividends", Decimal("1.00000")),
        BarSegment("Short-term capital gain", Decimal("0.07469")),
    ),
    flag_tooltip="<b>M11</b>: stale year labels",
)


@pytest.fixture
def chart(qtbot) -> StackedBarChart:
    widget = StackedBarChart()
    qtbot.addWidget(widget)
    widget.resize(480, 260)
    widget.set_bars([DECEMBER_2012, JUNE_2013], axis_title="$ per share")
    widget.show()
    return widget


@pytest.mark.parametrize(
    ("top", "step"),
    [
        (Decimal("1.07469"), Decimal("0.5")),  # 1.07469 / 4 = 0.27 -> next 1-2-5 step is 0.5
        (Decimal("8"), Decimal("2")),
        (Decimal("0.09081"), Decimal("0.05")),
        (Decimal("0"), Decimal("1")),
    ],
)
def test_nice_step(top: Decimal, step: Decimal) -> None:
    assert nice_step(top) == step


def test_bar_total_sums_segments_in_decimal() -> None:
    assert JUNE_2013.total == Decimal("1.07469")
    assert isinstance(JUNE_2013.total, Decimal)


def test_series_follow_first_seen_order(chart: StackedBarChart) -> None:
    assert chart.series() == ["Investment income", "Income dividends", "Short-term capital gain"]


def test_taller_bar_is_drawn_taller(chart: StackedBarChart) -> None:
    low = chart._segment_rects(0)
    high = chart._segment_rects(1)
    assert sum(r.height() for _s, r in high) > 10 * sum(r.height() for _s, r in low)
    # stacked: the second segment sits on top of the first
    assert high[1][1].bottom() == pytest.approx(high[0][1].top())


def test_hit_testing_and_click_signal(qtbot, chart: StackedBarChart) -> None:
    centre = chart.bar_rect(1).center()
    assert chart.bar_at(centre) == 1
    assert chart.bar_at(QPointF(1, 1)) is None
    with qtbot.waitSignal(chart.bar_clicked, timeout=5000) as blocker:
        qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=centre.toPoint())
    assert blocker.args == [1]


def test_tooltip_lists_components_total_and_data_note(chart: StackedBarChart) -> None:
    first = chart.tooltip_for(0)
    assert "Investment income: 0.09081" in first
    assert "Total as printed: $0.09081 per share" in first
    second = chart.tooltip_for(1)
    assert "Short-term capital gain: 0.07469" in second
    assert "M11" in second


def test_series_colours_are_distinct_and_follow_the_palette() -> None:
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Highlight, QColor(40, 100, 200))
    colours = series_colours(palette, 3)
    assert len({c.name() for c in colours}) == 3
    assert colours[0].hsvHue() == QColor(40, 100, 200).hsvHue()


def test_painted_bar_uses_its_series_colour(chart: StackedBarChart) -> None:
    image = chart.grab().toImage()
    segment = chart._segment_rects(1)[0][1]
    pixel = image.pixelColor(segment.center().toPoint())
    expected = series_colours(chart.palette(), 3)[1]  # "Income dividends"
    assert (pixel.red(), pixel.green(), pixel.blue()) == (
        expected.red(),
        expected.green(),
        expected.blue(),
    )


def test_empty_chart_paints_its_message(qtbot) -> None:
    widget = StackedBarChart()
    qtbot.addWidget(widget)
    widget.resize(300, 200)
    widget.set_bars([], empty_text="No distributions printed.")
    assert widget.bars() == []
    assert not widget.grab().toImage().isNull()
    assert widget.bar_at(QPointF(150, 100)) is None


def _copy_action(widget, text: str):
    assert widget.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    (action,) = [a for a in widget.actions() if a.text() == text]
    return action


def _colours(image) -> set[int]:
    return {
        image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)
    }


def test_the_chart_copies_as_an_image(chart, qapp) -> None:
    qapp.clipboard().clear()
    _copy_action(chart, "Copy chart as image").trigger()
    image = qapp.clipboard().image()
    assert not image.isNull()
    assert (image.width(), image.height()) == (chart.width(), chart.height())
    assert len(_colours(image)) > 3  # bars, axis and text, not a blank rectangle
