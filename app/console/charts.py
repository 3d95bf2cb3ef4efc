"""Server-side SVG charts: stacked bars computed here, drawn by the `_charts.html` macro.

No JavaScript library: the geometry is a few lines of arithmetic, and the numbers the bars
stand for are the same rows the page's tables and CSV downloads show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

PALETTE = ("#1b6ec2", "#f9a825", "#c62828", "#2e7d32", "#6a1b9a", "#00838f", "#ef6c00", "#5d4037", "#546e7a")
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 250, 48, 78, 10
MAX_BAR = 48


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    color: str
    title: str


@dataclass
class Chart:
    """What the SVG macro draws: bars, x labels, y ticks and the legend."""

    bars: list[Bar] = field(default_factory=list)
    labels: list[tuple[float, str]] = field(default_factory=list)
    ticks: list[tuple[float, int]] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom: int = HEIGHT - BOTTOM


def nice_max(value: float) -> int:
    """A round axis top at or above `value`, in four whole steps (4, 8, 20, 40, 1.000...)."""
    step, scale = 1, 1
    while True:
        for factor in (1, 2, 2.5, 5) if scale >= 10 else (1, 2, 5):
            step = int(factor * scale)
            if step * 4 >= value:
                return step * 4
        scale *= 10


def stacked(
    categories: list[str],
    series: list[str],
    values: dict[tuple[str, str], float],
    labels: dict[str, str] | None = None,
    every: int = 1,
    top: float | None = None,
    grouped: bool = False,
) -> Chart:
    """Bars per category, stacked by series (side by side when `grouped`); `every` labels
    only every n-th category; `top` is the least the axis shows (e.g. 1,000 handsets)."""
    chart = Chart(legend=[((labels or {}).get(s, s), PALETTE[i % len(PALETTE)]) for i, s in enumerate(series)])
    if not categories:
        return chart
    totals = [
        max((values.get((c, s), 0) for s in series), default=0)
        if grouped
        else sum(values.get((c, s), 0) for s in series)
        for c in categories
    ]
    peak = nice_max(max(top or 0, *totals))
    plot_h = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT - 4) / len(categories)
    bar_w = min(MAX_BAR, max(1.0, slot * 0.75))
    each_w = bar_w / len(series) if grouped else bar_w
    for i, category in enumerate(categories):
        x = LEFT + i * slot + (slot - bar_w) / 2
        y = float(HEIGHT - BOTTOM)
        for j, name in enumerate(series):
            value = values.get((category, name), 0)
            if not value:
                continue
            h = value / peak * plot_h
            y = HEIGHT - BOTTOM - h if grouped else y - h
            x_bar = x + j * each_w if grouped else x
            title = f"{category} · {(labels or {}).get(name, name)}: {value:g}"
            chart.bars.append(
                Bar(round(x_bar, 1), round(y, 1), round(each_w, 1), round(h, 1), PALETTE[j % len(PALETTE)], title)
            )
        if i % every == 0:
            chart.labels.append((round(x + bar_w / 2, 1), axis_label(category)))
    chart.ticks = [(round(HEIGHT - BOTTOM - plot_h * k / 4, 1), int(peak * k / 4)) for k in range(5)]
    return chart


def axis_label(category: str) -> str:
    """Labels that fit under a bar: 29-11 for a day (YYYY-MM-DD), 14.00 for an hour (YYYY-MM-DD HH)."""
    if re.fullmatch(r"\d{4}-\d\d-\d\d", category):
        return f"{category[8:10]}-{category[5:7]}"
    if re.fullmatch(r"\d{4}-\d\d-\d\d \d\d", category):
        return f"{category[11:13]}.00"
    return category


def pivot(rows: list[tuple[Any, ...]]) -> tuple[list[str], list[str], dict[tuple[str, str], float]]:
    """(category, series, value) rows as sorted categories, series in first-seen order, and values."""
    categories = sorted({str(r[0]) for r in rows})
    series = list(dict.fromkeys(str(r[1]) for r in rows))
    return categories, series, {(str(r[0]), str(r[1])): float(r[2]) for r in rows}
