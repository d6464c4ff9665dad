"""The A–I chart of an assessment, laid out for an SVG drawn on the server: bars, thresholds, marks.

Only geometry: the scores, the thresholds (``overall.thresholds``) and which outcomes
fall below them come from the stored assessment; the template draws them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

WIDTH = 640
HEIGHT = 320
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 28, 52
PLOT_W = WIDTH - LEFT - RIGHT
PLOT_H = HEIGHT - TOP - BOTTOM


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    title: str
    score: float
    x: float
    y: float
    width: float
    height: float
    #: "" (meets the qualifying score), "below" (below it) or "failing" (below the not-qualified line)
    mark: str
    #: for the overall bar: its own two thresholds, drawn across it
    ticks: tuple[tuple[str, float, float], ...] = ()


@dataclass(frozen=True)
class Line:
    name: str
    label: str
    value: float
    y: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: float
    top: int
    bottom: float
    bars: tuple[Bar, ...]
    lines: tuple[Line, ...]
    grid: tuple[tuple[int, float], ...]


def _y(score: float) -> float:
    return round(TOP + (100 - max(0.0, min(score, 100.0))) / 100 * PLOT_H, 1)


def _mark(score: float, qualifies: float | None, fails: float | None) -> str:
    if fails is not None and score < fails:
        return "failing"
    if qualifies is not None and score < qualifies:
        return "below"
    return ""


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def chart(result: Mapping[str, Any]) -> Chart:
    """The chart of an assessment's JSON: one bar per outcome, then the overall score."""
    thresholds = result.get("overall", {}).get("thresholds", {}) or {}
    qualifies = _number(thresholds.get("qualified_outcome"))
    fails = _number(thresholds.get("not_qualified_outcome"))
    overall_qualifies = _number(thresholds.get("qualified_overall"))
    overall_fails = _number(thresholds.get("not_qualified_overall"))
    outcomes = sorted((result.get("outcomes") or {}).items())
    slots = len(outcomes) + 1
    slot = PLOT_W / slots
    width = round(slot * 0.62, 1)
    bars = []
    for index, (oid, outcome) in enumerate(outcomes):
        score = _number(outcome.get("score")) or 0.0
        x = round(LEFT + index * slot + (slot - width) / 2, 1)
        y = _y(score)
        bars.append(
            Bar(
                oid,
                oid,
                str(outcome.get("title", "")),
                score,
                x,
                y,
                width,
                round(TOP + PLOT_H - y, 1),
                _mark(score, qualifies, fails),
            )
        )
    overall = _number(result.get("overall", {}).get("score")) or 0.0
    x = round(LEFT + (slots - 1) * slot + (slot - width) / 2, 1)
    y = _y(overall)
    ticks = tuple(
        (name, value, _y(value))
        for name, value in (("qualifies", overall_qualifies), ("fails", overall_fails))
        if value is not None
    )
    bars.append(
        Bar(
            "overall",
            "All",
            "Overall score",
            overall,
            x,
            y,
            width,
            round(TOP + PLOT_H - y, 1),
            _mark(overall, overall_qualifies, overall_fails),
            ticks,
        )
    )
    lines = []
    if qualifies is not None:
        lines.append(Line("qualifies", f"qualifies at {qualifies:g}", qualifies, _y(qualifies)))
    if fails is not None:
        lines.append(Line("fails", f"not qualified below {fails:g}", fails, _y(fails)))
    grid = tuple((value, _y(value)) for value in (0, 25, 50, 75, 100))
    return Chart(WIDTH, HEIGHT, LEFT, LEFT + (slots - 1) * slot, TOP, TOP + PLOT_H, tuple(bars), tuple(lines), grid)
