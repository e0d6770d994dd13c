"""Charts for the stats widget, drawn on the server as inline SVG geometry: horizontal bars
(sales by regency) and a line (sales by month). Values withheld for privacy are gaps, never
zeros. The templates only place what is computed here."""

from __future__ import annotations

import math
from dataclasses import dataclass

WIDTH = 320
BAR_ROW = 36
BAR_SPACE = 200
LINE_HEIGHT = 150
PLOT_TOP = 12
PLOT_BOTTOM = 118
PLOT_LEFT = 10
PLOT_RIGHT = WIDTH - 10
# A month label ("Sep 26") is ~36 units wide at the widget's font size: at most six fit along
# the plot without touching, so longer ranges label every second (or third...) month.
MAX_TICKS = 6


@dataclass(frozen=True)
class Bar:
    label: str
    text: str  # the value as people read it, or why it is withheld
    label_y: int
    bar_y: int
    width: int  # 0 for a withheld value
    text_x: int


@dataclass(frozen=True)
class BarChart:
    height: int
    bars: list[Bar]


@dataclass(frozen=True)
class Point:
    x: int
    y: int
    label: str
    text: str


@dataclass(frozen=True)
class LineChart:
    height: int
    segments: list[str]  # "x,y x,y ..." for each run of shown months
    points: list[Point]  # shown months
    ticks: list[Point]  # month labels along the bottom
    top_text: str


def bar_chart(rows: list[tuple[str, int | None, str]]) -> BarChart:
    """``rows`` of (label, value or None when withheld, value text)."""
    top = max((value for _, value, _ in rows if value), default=0)
    bars = []
    for index, (label, value, text) in enumerate(rows):
        y = index * BAR_ROW
        width = round(BAR_SPACE * value / top) if value and top else 0
        bars.append(Bar(label, text, y + 12, y + 17, max(width, 2) if value else 0, width + 6))
    return BarChart(height=max(len(rows) * BAR_ROW, BAR_ROW), bars=bars)


def line_chart(months: list[tuple[str, int | None, str]], top_text: str) -> LineChart:
    """``months`` of (short label, value or None when withheld, value text), oldest first."""
    top = max((value for _, value, _ in months if value), default=0)
    step = (PLOT_RIGHT - PLOT_LEFT) / max(len(months) - 1, 1)
    segments: list[str] = []
    run: list[str] = []
    points: list[Point] = []
    ticks: list[Point] = []
    every = max(1, math.ceil(len(months) / MAX_TICKS))
    for index, (label, value, text) in enumerate(months):
        x = round(PLOT_LEFT + index * step)
        if index % every == 0:
            ticks.append(Point(x, LINE_HEIGHT - 14, label, text))
        if value is None:
            if len(run) > 1:
                segments.append(" ".join(run))
            run = []
            continue
        ratio = value / top if top else 0
        y = round(PLOT_BOTTOM - ratio * (PLOT_BOTTOM - PLOT_TOP))
        run.append(f"{x},{y}")
        points.append(Point(x, y, label, text))
    if len(run) > 1:
        segments.append(" ".join(run))
    return LineChart(LINE_HEIGHT, segments, points, ticks, top_text)
