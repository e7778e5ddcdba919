"""A small stacked bar chart drawn with QPainter: axis labels, palette colours, tooltips.

Values stay ``Decimal``; they become pixel fractions only when drawn.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QApplication, QSizePolicy, QStyle, QToolTip, QWidget

from janus_gui.ui.fact_copy import install_image_copy

LEFT_AXIS_GAP = 8
TOP_GAP = 10
SWATCH = 10


@dataclass(frozen=True, slots=True)
class BarSegment:
    """One stacked component of a bar."""

    name: str
    value: Decimal


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: a label under it, stacked segments, and an optional data-note flag."""

    label: str
    segments: tuple[BarSegment, ...]
    tooltip: str = ""
    flag_tooltip: str = ""  # non-empty: a data note qualifies this bar
    payload: object = field(default=None, compare=False)
    caption: str = ""  # drawn above the bar (e.g. the printed total)

    @property
    def total(self) -> Decimal:
        """Sum of the positive segments (what the bar's height shows)."""
        return sum((s.value for s in self.segments if s.value > 0), Decimal(0))


def nice_step(top: Decimal, ticks: int = 4) -> Decimal:
    """A 1-2-5 step so that about ``ticks`` steps cover ``top``."""
    if top <= 0:
        return Decimal(1)
    raw = top / ticks
    magnitude = Decimal(1).scaleb(raw.adjusted())
    for factor in (Decimal(1), Decimal(2), Decimal(5), Decimal(10)):
        if magnitude * factor >= raw:
            return magnitude * factor
    return magnitude * 10


def series_colours(palette: QPalette, count: int) -> list[QColor]:
    """Distinct colours derived from the palette's highlight (so they follow the theme)."""
    base = palette.color(QPalette.ColorRole.Highlight)
    hue = base.hsvHue() if base.hsvHue() >= 0 else 210
    saturation = max(base.hsvSaturation(), 110)
    value = base.value()
    colours = []
    for index in range(count):
        colours.append(QColor.fromHsv((hue + index * 67) % 360, saturation, value))
    return colours


class StackedBarChart(QWidget):
    """Bars of stacked components with a value axis, category labels and a legend."""

    bar_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bars: list[Bar] = []
        self._series: list[str] = []
        self._axis_title = ""
        self._empty_text = "Nothing to chart."
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(220)
        self.setAccessibleName("Bar chart")
        install_image_copy(self, "chart")

    # -- data ----------------------------------------------------------------------------------
    def set_bars(self, bars: Sequence[Bar], *, axis_title: str = "", empty_text: str = "") -> None:
        """Show these bars; series are the segment names in first-seen order."""
        self._bars = list(bars)
        self._series = list(dict.fromkeys(s.name for b in self._bars for s in b.segments))
        self._axis_title = axis_title
        if empty_text:
            self._empty_text = empty_text
        self.update()

    def bars(self) -> list[Bar]:
        """The bars shown."""
        return list(self._bars)

    def series(self) -> list[str]:
        """Segment names, in legend order."""
        return list(self._series)

    def sizeHint(self) -> QSize:
        return QSize(520, 240)

    # -- geometry ----------------------------------------------------------------------------
    def _top(self) -> tuple[Decimal, Decimal]:
        top = max((b.total for b in self._bars), default=Decimal(0))
        step = nice_step(top)
        ticks = (top / step).to_integral_value(rounding="ROUND_CEILING") if top > 0 else 1
        return step * max(ticks, 1), step

    def _label_text(self, value: Decimal, step: Decimal) -> str:
        places = max(0, -step.normalize().as_tuple().exponent)
        return f"{value:.{places}f}"

    def _plot_rect(self) -> QRectF:
        metrics = QFontMetrics(self.font())
        top_value, step = self._top()
        label_width = metrics.horizontalAdvance(self._label_text(top_value, step))
        left = label_width + LEFT_AXIS_GAP + (metrics.height() + 4 if self._axis_title else 4)
        legend = 2 * metrics.height() + 10  # legend, then room for captions above the bars
        bottom = 2 * metrics.height() + 10
        return QRectF(left, TOP_GAP + legend, self.width() - left - 12, 0).adjusted(
            0, 0, 0, self.height() - TOP_GAP - legend - bottom
        )

    def bar_rect(self, index: int) -> QRectF:
        """The full-height slot of a bar (its hit area)."""
        plot = self._plot_rect()
        slot = plot.width() / max(len(self._bars), 1)
        width = min(slot * 0.55, 72.0)
        left = plot.left() + slot * index + (slot - width) / 2
        return QRectF(left, plot.top(), width, plot.height())

    def _segment_rects(self, index: int) -> list[tuple[BarSegment, QRectF]]:
        top_value, _step = self._top()
        slot = self.bar_rect(index)
        bottom = slot.bottom()
        rects = []
        for segment in self._bars[index].segments:
            if segment.value <= 0:
                continue
            height = slot.height() * float(segment.value / top_value)
            rect = QRectF(slot.left(), bottom - height, slot.width(), height)
            rects.append((segment, rect))
            bottom -= height
        return rects

    def bar_at(self, point: QPointF) -> int | None:
        """The index of the bar whose slot contains ``point``."""
        for index in range(len(self._bars)):
            if self.bar_rect(index).adjusted(-4, -20, 4, 0).contains(point):
                return index
        return None

    # -- painting ----------------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        if not self._bars:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._empty_text)
            return
        self._paint_grid(painter, palette)
        colours = dict(zip(self._series, series_colours(palette, len(self._series)), strict=True))
        for index in range(len(self._bars)):
            self._paint_bar(painter, palette, index, colours)
        self._paint_legend(painter, palette, colours)

    def _paint_grid(self, painter: QPainter, palette: QPalette) -> None:
        metrics = QFontMetrics(self.font())
        plot = self._plot_rect()
        top_value, step = self._top()
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        grid = palette.color(QPalette.ColorRole.Mid)
        value = Decimal(0)
        while value <= top_value:
            y = plot.bottom() - plot.height() * float(value / top_value)
            painter.setPen(QPen(grid, 1, Qt.PenStyle.DotLine if value else Qt.PenStyle.SolidLine))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            text = self._label_text(value, step)
            painter.setPen(muted)
            painter.drawText(
                QRectF(0, y - metrics.height() / 2, plot.left() - LEFT_AXIS_GAP, metrics.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
            value += step
        if self._axis_title:
            painter.save()
            painter.translate(metrics.height() / 2 + 2, plot.center().y())
            painter.rotate(-90)
            painter.drawText(
                QRectF(-plot.height() / 2, -metrics.height() / 2, plot.height(), metrics.height()),
                Qt.AlignmentFlag.AlignCenter,
                self._axis_title,
            )
            painter.restore()

    def _paint_bar(
        self, painter: QPainter, palette: QPalette, index: int, colours: dict[str, QColor]
    ) -> None:
        metrics = QFontMetrics(self.font())
        bar = self._bars[index]
        slot = self.bar_rect(index)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Base), 1))
        for segment, rect in self._segment_rects(index):
            painter.setBrush(colours[segment.name])
            painter.drawRect(rect)
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        lines = bar.label.split("\n")
        centre = slot.center().x()
        for row, line in enumerate(lines[:2]):
            text = metrics.elidedText(line, Qt.TextElideMode.ElideRight, int(slot.width() * 1.8))
            width = metrics.horizontalAdvance(text)
            y = slot.bottom() + 6 + metrics.ascent() + row * metrics.height()
            painter.drawText(QPointF(centre - width / 2, y), text)
        rects = self._segment_rects(index)
        top = rects[-1][1].top() if rects else slot.bottom()
        caption_width = metrics.horizontalAdvance(bar.caption) if bar.caption else 0
        if bar.caption:
            painter.drawText(QPointF(centre - caption_width / 2, top - 4), bar.caption)
        if bar.flag_tooltip:
            size = metrics.height()
            icon = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
            left = centre + caption_width / 2 + 3 if bar.caption else centre - size / 2
            y = top - size - 1 if bar.caption else top - size - 2
            icon.paint(painter, int(left), int(y), size, size)

    def _paint_legend(
        self, painter: QPainter, palette: QPalette, colours: dict[str, QColor]
    ) -> None:
        metrics = QFontMetrics(self.font())
        x = self._plot_rect().left()
        y = TOP_GAP
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        for name in self._series:
            painter.setBrush(colours[name])
            painter.drawRect(QRectF(x, y + (metrics.height() - SWATCH) / 2, SWATCH, SWATCH))
            painter.drawText(QPointF(x + SWATCH + 5, y + metrics.ascent()), name)
            x += SWATCH + 5 + metrics.horizontalAdvance(name) + 18

    # -- interaction -------------------------------------------------------------------------
    def tooltip_for(self, index: int) -> str:
        """Hover text for a bar: its label, each component, the total, and any data note."""
        bar = self._bars[index]
        rows = [f"<b>{html.escape(bar.label.replace(chr(10), ' '))}</b>"]
        rows += [f"{html.escape(s.name)}: {s.value}" for s in bar.segments]
        if bar.tooltip:
            rows.append(bar.tooltip)
        if bar.flag_tooltip:
            rows.append(bar.flag_tooltip)
        return "<br>".join(rows)

    def event(self, event: QEvent) -> bool:
        if isinstance(event, QHelpEvent):
            index = self.bar_at(QPointF(event.pos()))
            if index is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), self.tooltip_for(index), self)
            return True
        return super().event(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        index = self.bar_at(event.position())
        if index is not None and event.button() == Qt.MouseButton.LeftButton:
            self.bar_clicked.emit(index)
        super().mouseReleaseEvent(event)
