"""Bar charts drawn on the server as SVG: readable without JavaScript, printable, with a text
summary and the data table beside them (the charts' text alternative)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.insights.catalogue import BY_KEY
from apps.insights.selectors import Point

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 52, 8, 14, 40  # room for the axis labels


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    point: Point


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    summary: str
    bars: list[Bar]
    ticks: list[tuple[float, int]]  # (y, value) of the horizontal grid lines
    first_label: str
    last_label: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom: float = HEIGHT - BOTTOM
    right: int = WIDTH - RIGHT

    @property
    def points(self) -> list[Point]:
        return [bar.point for bar in self.bars]


def _nice_max(value: float) -> int:
    """The top of the axis: 1, 2 or 5 times a power of ten, at least ``value``."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def bar_chart(key: str, points: list[Point], bucket: str) -> Chart:
    label = str(BY_KEY[key].label)
    title = {
        "day": _("%(figure)s per day"),
        "week": _("%(figure)s per week"),
        "month": _("%(figure)s per month"),
    }[bucket] % {"figure": label}
    shown = [p.figure.value for p in points if not p.figure.suppressed and p.figure.value]
    top = _nice_max(max(shown, default=1))
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = inner_w / max(len(points), 1)
    bars = []
    for index, point in enumerate(points):
        value = 0 if point.figure.suppressed else float(point.figure.value or 0)
        height = inner_h * value / top
        bars.append(
            Bar(
                x=round(LEFT + index * slot + slot * 0.1, 2),
                y=round(TOP + inner_h - height, 2),
                width=round(max(slot * 0.8, 1), 2),
                height=round(height, 2),
                point=point,
            )
        )
    fractions = (0, 0.5, 1) if top >= 2 else (0, 1)
    ticks = [(round(TOP + inner_h - inner_h * f, 2), round(top * f)) for f in fractions]
    if not points:
        summary = _("No data for this period.")
    elif shown:
        best = max(
            (p for p in points if not p.figure.suppressed),
            key=lambda p: float(p.figure.value or 0),
        )
        hidden = sum(1 for p in points if p.figure.suppressed)
        summary = _("%(count)d bars from %(first)s to %(last)s; highest: %(value)s (%(when)s).") % {
            "count": len(points),
            "first": points[0].label,
            "last": points[-1].label,
            "value": best.figure.display,
            "when": best.label,
        }
        if hidden:
            summary += " " + ngettext(
                "%(hidden)d bar computed over fewer than 5 people is not drawn.",
                "%(hidden)d bars computed over fewer than 5 people are not drawn.",
                hidden,
            ) % {"hidden": hidden}
    else:
        summary = _("Nothing to show over this period (zero, or fewer than 5 people).")
    return Chart(
        key=key,
        title=title,
        summary=summary,
        bars=bars,
        ticks=ticks,
        first_label=points[0].label if points else "",
        last_label=points[-1].label if points else "",
    )
