"""Lot-aging timeline: one bar per lot from its purchase to the redemption date.

Drawn with ``QPainter`` on a scroll area that paints only the rows in view, so 10,000 lots
scroll as smoothly as three. Ctrl+wheel zooms the time axis around the mouse; the holding-period
window before the redemption date is shaded; colours come from the palette (dark mode works).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QToolTip, QWidget

from janus_gui.ui.background import dispose
from janus_gui.ui.fact_copy import install_image_copy
from janus_gui.workspace.outcome import LotState, TimelineLot

ROW_HEIGHT = 20
BAR_HEIGHT = 12
GUTTER_WIDTH = 84
HEADER_HEIGHT = 44
RIGHT_PAD_DAYS = 5
MAX_PIXELS_PER_DAY = 60.0
ZOOM_STEP = 1.25


def _blend(a: QColor, b: QColor, weight: float) -> QColor:
    """``weight`` of ``a`` mixed with ``1 - weight`` of ``b``."""
    return QColor(
        round(a.red() * weight + b.red() * (1 - weight)),
        round(a.green() * weight + b.green() * (1 - weight)),
        round(a.blue() * weight + b.blue() * (1 - weight)),
    )


def state_colours(palette: QPalette) -> dict[LotState, QColor]:
    """Bar colours derived from the palette: highlight for subject lots, neutral tones otherwise."""
    text = palette.color(QPalette.ColorRole.Text)
    base = palette.color(QPalette.ColorRole.Base)
    return {
        LotState.SUBJECT: palette.color(QPalette.ColorRole.Highlight),
        LotState.FREE: _blend(text, base, 0.55),
        LotState.KEPT: _blend(text, base, 0.22),
    }


LEGEND = (
    (LotState.SUBJECT, "fee may apply"),
    (LotState.FREE, "redeemed, fee-free"),
    (LotState.KEPT, "not redeemed"),
)


def tick_step(pixels_per_day: float) -> tuple[str, int]:
    """Tick unit and count so that labels sit at least about 70 px apart."""
    for unit, days, counts in (
        ("day", 1, (1, 2, 7, 14)),
        ("month", 30, (1, 3, 6)),
        ("year", 365, (1, 2, 5, 10, 25, 50)),
    ):
        for count in counts:
            if pixels_per_day * days * count >= 70:
                return unit, count
    return "year", 100


def ticks(first: dt.date, last: dt.date, unit: str, count: int) -> list[dt.date]:
    """Tick dates from ``first`` to ``last`` at round positions (1st of month, 1 January)."""
    if unit == "day":
        start = first
        return [start + dt.timedelta(days=i) for i in range(0, (last - first).days + 1, count)]
    result: list[dt.date] = []
    if unit == "month":
        year, month = first.year, first.month
        while dt.date(year, month, 1) <= last:
            if (month - 1) % count == 0 and dt.date(year, month, 1) >= first:
                result.append(dt.date(year, month, 1))
            month += 1
            if month > 12:
                year, month = year + 1, 1
        return result
    for year in range(first.year, last.year + 1):
        if year % count == 0 and dt.date(year, 1, 1) >= first:
            result.append(dt.date(year, 1, 1))
    return result


def tick_label(day: dt.date, unit: str) -> str:
    """Axis label for a tick."""
    if unit == "year":
        return str(day.year)
    if unit == "month":
        return day.strftime("%Y-%m")
    return day.isoformat()


class LotTimeline(QAbstractScrollArea):
    """Scrollable, zoomable lot-aging chart."""

    zoom_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lots: list[TimelineLot] = []
        self._redeem: dt.date | None = None
        self._holding_days: int | None = None
        self._first: dt.date = dt.date.today()
        self._last_day: dt.date = self._first
        self._zoom = 1.0
        self.setMouseTracking(True)
        self.viewport().setMouseTracking(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setToolTip("Ctrl+wheel zooms the time axis; hover a bar for the lot's details.")
        self.setMinimumHeight(HEADER_HEIGHT + 3 * ROW_HEIGHT)
        install_image_copy(self, "timeline")

    # -- data ---------------------------------------------------------------------------------
    def set_lots(
        self,
        lots: Sequence[TimelineLot],
        redeem_date: dt.date | None,
        holding_period_days: int | None,
        *,
        sorted_by_date: bool = False,
    ) -> None:
        """Replace the bars; ``sorted_by_date`` skips a scan of every lot for the date range."""
        old = self._lots
        self._lots = list(lots)
        dispose(old)  # 100,000 bars take 50-90 ms to free: not on the GUI thread
        del old
        self._redeem = redeem_date
        self._holding_days = holding_period_days
        starts: list[dt.date] = []
        ends: list[dt.date] = []
        if self._lots:
            if sorted_by_date:
                starts.append(self._lots[0].purchase)
                ends.append(self._lots[-1].purchase)
            else:
                purchases = [lot.purchase for lot in self._lots]
                starts.append(min(purchases))
                ends.append(max(purchases))
        if self._redeem:
            ends.append(self._redeem)
            if self._holding_days:
                starts.append(self._redeem - dt.timedelta(days=self._holding_days))
        self._first = min(starts) - dt.timedelta(days=2) if starts else dt.date.today()
        end = max(ends) if ends else self._first
        self._last_day = end + dt.timedelta(days=RIGHT_PAD_DAYS)
        self._update_scrollbars()
        self.viewport().update()

    def lot_count(self) -> int:
        """Number of bars."""
        return len(self._lots)

    def zoom(self) -> float:
        """Current zoom factor (1.0 = the whole date range fits the width)."""
        return self._zoom

    def set_zoom(self, factor: float, anchor_x: int | None = None) -> None:
        """Zoom the time axis, keeping the date under ``anchor_x`` in place."""
        fit = self._fit_pixels_per_day()
        factor = max(1.0, min(factor, max(1.0, MAX_PIXELS_PER_DAY / fit)))
        if factor == self._zoom:
            return
        anchor = anchor_x if anchor_x is not None else self._chart_width() // 2
        day_at_anchor = (self.horizontalScrollBar().value() + anchor) / self._pixels_per_day()
        self._zoom = factor
        self._update_scrollbars()
        self.horizontalScrollBar().setValue(round(day_at_anchor * self._pixels_per_day() - anchor))
        self.viewport().update()
        self.zoom_changed.emit(self._zoom)

    # -- geometry -----------------------------------------------------------------------------
    def _last(self) -> dt.date:
        return self._last_day

    def _span_days(self) -> int:
        return max(1, (self._last() - self._first).days)

    def _chart_width(self) -> int:
        return max(10, self.viewport().width() - GUTTER_WIDTH)

    def _fit_pixels_per_day(self) -> float:
        return self._chart_width() / self._span_days()

    def _pixels_per_day(self) -> float:
        return self._fit_pixels_per_day() * self._zoom

    def _x_of(self, day: dt.date) -> int:
        offset = (day - self._first).days * self._pixels_per_day()
        return GUTTER_WIDTH + round(offset) - self.horizontalScrollBar().value()

    def _update_scrollbars(self) -> None:
        content_w = round(self._span_days() * self._pixels_per_day())
        self.horizontalScrollBar().setRange(0, max(0, content_w - self._chart_width()))
        self.horizontalScrollBar().setPageStep(self._chart_width())
        rows_h = len(self._lots) * ROW_HEIGHT
        visible_h = max(0, self.viewport().height() - HEADER_HEIGHT)
        self.verticalScrollBar().setRange(0, max(0, rows_h - visible_h))
        self.verticalScrollBar().setPageStep(visible_h)
        self.verticalScrollBar().setSingleStep(ROW_HEIGHT)

    def visible_rows(self) -> range:
        """Indexes of the lots currently in view (the only ones painted)."""
        top = self.verticalScrollBar().value()
        height = max(0, self.viewport().height() - HEADER_HEIGHT)
        first = top // ROW_HEIGHT
        last = min(len(self._lots), (top + height) // ROW_HEIGHT + 1)
        return range(first, max(first, last))

    def row_at(self, y: int) -> int | None:
        """The lot index under a viewport y coordinate, if any."""
        if y < HEADER_HEIGHT:
            return None
        row = (y - HEADER_HEIGHT + self.verticalScrollBar().value()) // ROW_HEIGHT
        return row if 0 <= row < len(self._lots) else None

    def sizeHint(self) -> QSize:
        return QSize(640, HEADER_HEIGHT + ROW_HEIGHT * min(max(3, len(self._lots)), 12) + 4)

    # -- events -------------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_scrollbars()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            step = ZOOM_STEP if event.angleDelta().y() > 0 else 1 / ZOOM_STEP
            self.set_zoom(self._zoom * step, round(event.position().x()) - GUTTER_WIDTH)
            event.accept()
            return
        super().wheelEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.set_zoom(1.0)
        super().mouseDoubleClickEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(event.pos()) or self.toolTip()
            QToolTip.showText(event.globalPos(), text, self.viewport())
            return True
        return super().viewportEvent(event)

    def tooltip_at(self, point: QPoint) -> str | None:
        """The hover text for a viewport point (the lot's details), if a bar is there."""
        row = self.row_at(point.y())
        return self._lots[row].tooltip if row is not None else None

    # -- painting -----------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        try:
            palette = self.palette()
            painter.fillRect(self.viewport().rect(), palette.color(QPalette.ColorRole.Base))
            if not self._lots:
                self._paint_empty(painter, palette)
                return
            painter.setClipRect(
                QRect(GUTTER_WIDTH, HEADER_HEIGHT, self._chart_width(), self.viewport().height())
            )
            self._paint_window(painter, palette)
            self._paint_rows(painter, palette)
            self._paint_redeem_line(painter, palette)
            painter.setClipping(False)
            self._paint_gutter(painter, palette)
            self._paint_header(painter, palette)
        finally:
            painter.end()

    def _paint_empty(self, painter: QPainter, palette: QPalette) -> None:
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(
            self.viewport().rect(),
            Qt.AlignmentFlag.AlignCenter,
            "No valid lots yet: the timeline shows one bar per lot once the table has some.",
        )

    def _paint_window(self, painter: QPainter, palette: QPalette) -> None:
        if not (self._redeem and self._holding_days):
            return
        start = self._x_of(self._redeem - dt.timedelta(days=self._holding_days))
        end = self._x_of(self._redeem)
        shade = QColor(palette.color(QPalette.ColorRole.Highlight))
        shade.setAlpha(38)
        painter.fillRect(QRect(start, HEADER_HEIGHT, end - start, self.viewport().height()), shade)

    def _row_top(self, row: int) -> int:
        return HEADER_HEIGHT + row * ROW_HEIGHT - self.verticalScrollBar().value()

    def _paint_rows(self, painter: QPainter, palette: QPalette) -> None:
        colours = state_colours(palette)
        end_day = self._redeem or self._last()
        end_x = self._x_of(end_day)
        outline = QPen(palette.color(QPalette.ColorRole.Mid))
        for row in self.visible_rows():
            lot = self._lots[row]
            top = self._row_top(row) + (ROW_HEIGHT - BAR_HEIGHT) // 2
            start_x = self._x_of(lot.purchase)
            width = max(3, end_x - start_x)
            painter.fillRect(QRect(start_x, top, width, BAR_HEIGHT), colours[lot.state])
            if lot.state == LotState.KEPT:
                painter.setPen(outline)
                painter.drawRect(QRect(start_x, top, width - 1, BAR_HEIGHT - 1))

    def _paint_redeem_line(self, painter: QPainter, palette: QPalette) -> None:
        if not self._redeem:
            return
        x = self._x_of(self._redeem)
        pen = QPen(palette.color(QPalette.ColorRole.Text), 2)
        painter.setPen(pen)
        painter.drawLine(x, HEADER_HEIGHT, x, self.viewport().height())

    def _paint_gutter(self, painter: QPainter, palette: QPalette) -> None:
        height = self.viewport().height()
        painter.fillRect(
            QRect(0, HEADER_HEIGHT, GUTTER_WIDTH, height),
            palette.color(QPalette.ColorRole.AlternateBase),
        )
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        metrics = QFontMetrics(painter.font())
        for row in self.visible_rows():
            rect = QRect(6, self._row_top(row), GUTTER_WIDTH - 10, ROW_HEIGHT)
            if rect.bottom() < HEADER_HEIGHT:
                continue
            text = metrics.elidedText(
                self._lots[row].label, Qt.TextElideMode.ElideRight, rect.width()
            )
            painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)

    def _paint_header(self, painter: QPainter, palette: QPalette) -> None:
        width = self.viewport().width()
        painter.fillRect(
            QRect(0, 0, width, HEADER_HEIGHT), palette.color(QPalette.ColorRole.Window)
        )
        text_colour = palette.color(QPalette.ColorRole.WindowText)
        painter.setPen(text_colour)
        metrics = QFontMetrics(painter.font())
        self._paint_legend(painter, palette, metrics)
        self._paint_ticks(painter, metrics, text_colour)
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(0, HEADER_HEIGHT - 1, width, HEADER_HEIGHT - 1)
        painter.setPen(text_colour)
        painter.drawText(
            QRect(6, 22, GUTTER_WIDTH - 8, 20),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            "Lot",
        )

    def _legend_items(self) -> list[tuple[str, QColor, str]]:
        palette = self.palette()
        colours = state_colours(palette)
        items = [("box", colours[s], text) for s, text in LEGEND]
        if self._redeem and self._holding_days:
            shade = QColor(palette.color(QPalette.ColorRole.Highlight))
            shade.setAlpha(60)
            items.append(("box", shade, f"{self._holding_days}-day window"))
        if self._redeem:
            text = palette.color(QPalette.ColorRole.Text)
            items.append(("line", text, f"redemption {self._redeem.isoformat()}"))
        return items

    def _paint_legend(self, painter: QPainter, palette: QPalette, metrics: QFontMetrics) -> None:
        x = 6
        for kind, colour, text in self._legend_items():
            if kind == "line":
                painter.fillRect(QRect(x + 5, 3, 2, 16), colour)
            else:
                painter.fillRect(QRect(x, 5, 12, 12), colour)
            painter.setPen(palette.color(QPalette.ColorRole.WindowText))
            painter.drawText(x + 16, 16, text)
            x += 16 + metrics.horizontalAdvance(text) + 14

    def _paint_ticks(self, painter: QPainter, metrics: QFontMetrics, colour: QColor) -> None:
        unit, count = tick_step(self._pixels_per_day())
        painter.save()
        painter.setClipRect(QRect(GUTTER_WIDTH, 0, self._chart_width(), HEADER_HEIGHT))
        grid = QColor(colour)
        grid.setAlpha(90)
        for day in ticks(self._first, self._last(), unit, count):
            x = self._x_of(day)
            painter.setPen(grid)
            painter.drawLine(x, HEADER_HEIGHT - 6, x, HEADER_HEIGHT - 1)
            label = tick_label(day, unit)
            if x + 3 + metrics.horizontalAdvance(label) <= self.viewport().width():
                painter.setPen(colour)
                painter.drawText(x + 3, HEADER_HEIGHT - 8, label)
        painter.restore()
