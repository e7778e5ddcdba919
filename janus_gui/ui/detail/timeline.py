"""A horizontal timeline of dated events with the as-of date marked (drawn with QPainter)."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetrics,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from janus_gui.core.models import Event, EventKind, Evidence
from janus_gui.ui.detail.common import blend
from janus_gui.ui.fact_copy import install_image_copy

KIND_LABELS: dict[str, str] = {
    EventKind.PLAN_ADOPTED: "Plan adopted",
    EventKind.PLAN_AMENDED: "Plan amended",
    EventKind.CLASS_STARTED: "Class starts",
    EventKind.CONVERSION: "Conversion",
    EventKind.RENAME: "Renamed",
    EventKind.DOCUMENT: "Document",
    EventKind.TRUST_ORGANIZED: "Trust organized",
    EventKind.PORTFOLIO_INCEPTION: "Inception",
    EventKind.DISTRIBUTION: "Distribution",
}

MARGIN = 18
RADIUS = 5
LANES = 5
HIT_RADIUS = 9


def event_label(event: Event) -> str:
    """Short label drawn next to a marker."""
    kind = KIND_LABELS.get(event.kind, event.kind.replace("_", " ").capitalize())
    if event.kind == EventKind.CLASS_STARTED and event.share_class:
        kind = f"{event.share_class.value} starts"
    if event.kind == EventKind.CONVERSION and event.to_share_class:
        kind = f"Converted to {event.to_share_class.value}"
    return f"{event.date.isoformat()} {kind}"


def event_tooltip(event: Event) -> str:
    """Hover text: description, evidence and source."""
    parts = [
        f"<b>{html.escape(event.date.isoformat())}</b> — {html.escape(event.description)}",
        f"Evidence: {html.escape(str(event.evidence))}"
        + (f" ({html.escape(event.evidence_reason)})" if event.evidence_reason else ""),
        f"Source {html.escape(event.citation.label())}: “{html.escape(event.citation.quote)}”",
        "Click to open the source.",
    ]
    return "<br>".join(parts)


@dataclass(frozen=True)
class _Placed:
    event: Event
    x: float
    lane: int  # -1: no room for a label (the marker still shows its tooltip)
    left: float  # label rectangle, horizontally
    right: float


class TimelineWidget(QWidget):
    """Events as markers on a date axis; labels stacked in lanes so they do not overlap."""

    event_clicked = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._events: list[Event] = []
        self._as_of: dt.date | None = None
        self._placed: list[_Placed] = []
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(self.sizeHint().height())
        self.setAccessibleName("Timeline of events")
        install_image_copy(self, "timeline")

    def set_events(self, events: Sequence[Event], as_of: dt.date | None) -> None:
        """Show these events and mark ``as_of``."""
        self._events = sorted(events, key=lambda e: (e.date, e.event_id))
        self._as_of = as_of
        self._placed = []
        self.update()

    def events(self) -> list[Event]:
        """The events drawn."""
        return list(self._events)

    def sizeHint(self) -> QSize:
        line = QFontMetrics(self.font()).height()
        # as-of label, label lanes, gap above the axis, year labels
        return QSize(640, MARGIN + (line + 4) * (LANES + 1) + 12 + line + 8 + MARGIN // 2)

    # -- geometry ----------------------------------------------------------------------------
    def _span(self) -> tuple[dt.date, dt.date]:
        days = [e.date for e in self._events] + ([self._as_of] if self._as_of else [])
        first, last = min(days), max(days)
        start = dt.date(first.year, 1, 1)
        end = dt.date(last.year + 1, 1, 1)
        return start, end

    def _x(self, day: dt.date, start: dt.date, end: dt.date) -> float:
        width = self.width() - 2 * MARGIN
        total = (end - start).days or 1
        return MARGIN + width * (day - start).days / total

    def _axis_y(self) -> float:
        return float(self.height() - MARGIN // 2 - QFontMetrics(self.font()).height() - 8)

    def _layout(self) -> list[_Placed]:
        """Put each label right of its marker (left of it near the right edge) in a free lane."""
        start, end = self._span()
        metrics = QFontMetrics(self.font())
        occupied: list[list[tuple[float, float]]] = [[] for _ in range(LANES)]
        placed = []
        for event in self._events:
            x = self._x(event.date, start, end)
            width = metrics.horizontalAdvance(event_label(event)) + 6
            left, right = x + 3, x + 3 + width
            if right > self.width() - 2:
                left, right = x - 3 - width, x - 3
            lane = self._free_lane(occupied, left - 6, right + 6)
            if lane >= 0:
                occupied[lane].append((left - 6, right + 6))
            placed.append(_Placed(event, x, lane, left, right))
        return placed

    @staticmethod
    def _free_lane(occupied: list[list[tuple[float, float]]], left: float, right: float) -> int:
        for lane, spans in enumerate(occupied):
            if all(right <= a or left >= b for a, b in spans):
                return lane
        return -1

    # -- painting ----------------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        if not self._events:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No dated events.")
            return
        start, end = self._span()
        self._placed = self._layout()
        axis_y = self._axis_y()
        self._paint_axis(painter, start, end, axis_y, text)
        self._paint_as_of(painter, start, end, axis_y)
        self._paint_events(painter, axis_y, palette)

    def _paint_axis(
        self, painter: QPainter, start: dt.date, end: dt.date, axis_y: float, text: QColor
    ) -> None:
        painter.setPen(QPen(text, 1))
        painter.drawLine(QPointF(MARGIN, axis_y), QPointF(self.width() - MARGIN, axis_y))
        metrics = QFontMetrics(self.font())
        years = range(start.year, end.year + 1)
        step = max(1, len(years) // max(1, (self.width() - 2 * MARGIN) // 48))
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        for year in years[::step]:
            x = self._x(dt.date(year, 1, 1), start, end)
            painter.drawLine(QPointF(x, axis_y - 3), QPointF(x, axis_y + 3))
            label = str(year)
            w = metrics.horizontalAdvance(label)
            painter.drawText(QPointF(x - w / 2, axis_y + metrics.ascent() + 6), label)

    def _paint_as_of(self, painter: QPainter, start: dt.date, end: dt.date, axis_y: float) -> None:
        if self._as_of is None:
            return
        x = self._x(self._as_of, start, end)
        metrics = QFontMetrics(self.font())
        colour = self.palette().color(QPalette.ColorRole.Link)
        painter.setPen(QPen(colour, 2, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(x, MARGIN - 6 + metrics.height()), QPointF(x, axis_y + 6))
        label = f"as of {self._as_of.isoformat()}"
        w = metrics.horizontalAdvance(label)
        left = min(max(x - w / 2, 0), self.width() - w)
        painter.setPen(colour)
        painter.drawText(QPointF(left, MARGIN - 6 + metrics.ascent()), label)

    def _paint_events(self, painter: QPainter, axis_y: float, palette: QPalette) -> None:
        metrics = QFontMetrics(self.font())
        line = metrics.height()
        accent = palette.color(QPalette.ColorRole.Highlight)
        base = palette.color(QPalette.ColorRole.Base)
        window = palette.color(QPalette.ColorRole.Window)
        text = palette.color(QPalette.ColorRole.WindowText)
        stem = blend(base, text, 0.35)
        labelled = [p for p in self._placed if p.lane >= 0]
        for item in labelled:
            label_y = axis_y - 12 - item.lane * (line + 4)
            painter.setPen(QPen(stem, 1))
            painter.drawLine(QPointF(item.x, axis_y), QPointF(item.x, label_y - line / 2))
        for item in labelled:
            label_y = axis_y - 12 - item.lane * (line + 4)
            rect = QRectF(item.left, label_y - line, item.right - item.left, line)
            painter.fillRect(rect, window)
            painter.setPen(text)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, event_label(item.event))
        for item in self._placed:
            documented = item.event.evidence == Evidence.DOCUMENTED
            painter.setPen(QPen(accent, 2))
            painter.setBrush(QBrush(accent) if documented else QBrush(base))
            painter.drawEllipse(QPointF(item.x, axis_y), RADIUS, RADIUS)

    # -- interaction -------------------------------------------------------------------------
    def event_at(self, x: float, y: float) -> Event | None:
        """The event whose marker is under a point (within a few pixels)."""
        if not self._events:
            return None
        placed = self._placed or self._layout()
        axis_y = self._axis_y()
        near = [p for p in placed if abs(p.x - x) <= HIT_RADIUS]
        if not near or y > axis_y + HIT_RADIUS:
            return None
        return min(near, key=lambda p: abs(p.x - x)).event

    def marker_position(self, event: Event) -> QPointF:
        """Where an event's marker is drawn (for tests and accessibility)."""
        start, end = self._span()
        return QPointF(self._x(event.date, start, end), self._axis_y())

    def event(self, event: QEvent) -> bool:
        if isinstance(event, QHelpEvent):
            hit = self.event_at(event.pos().x(), event.pos().y())
            if hit is not None:
                QToolTip.showText(event.globalPos(), event_tooltip(hit), self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        hit = self.event_at(event.position().x(), event.position().y())
        if hit is not None and event.button() == Qt.MouseButton.LeftButton:
            self.event_clicked.emit(hit)
        super().mouseReleaseEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        hit = self.event_at(event.position().x(), event.position().y())
        cursor = Qt.CursorShape.PointingHandCursor if hit else Qt.CursorShape.ArrowCursor
        self.setCursor(cursor)
        super().mouseMoveEvent(event)
