"""The figures behind a page's charts, as cells of the page, and the rules every chart follows.

A chart draws cells of its own sheet (sheetplan.ChartSeries), so readers can see and check each
figure: a page puts a chart's figures in a row each (a month's figure, a target, a benchmark),
their month labels in a row above, and the chart refers to those rows. A month with no figure is
an empty cell, which every backend draws as a gap in the line, never as a zero.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from ..compute.vocabulary import COUNT, PERCENTAGE
from .sheetplan import CellRange, SheetPlan, Style

# Units whose value axis starts at zero: a count or a share drawn from 105 exaggerates a change.
FROM_ZERO = (COUNT, PERCENTAGE)


def axis_minimum(unit: str, figures: Iterable[float | None]) -> float | None:
    """Where the value axis starts: 0 for counts and percentages unless a figure is below zero,
    otherwise None (the chart program fits the axis to the figures)."""
    known = [f for f in figures if f is not None and not math.isnan(f)]
    return 0.0 if unit in FROM_ZERO and all(f >= 0 for f in known) else None


def figure_row(plan: SheetPlan, row: int, column: int, figures: Iterable[float | None],
               style: Style | str | None = None) -> CellRange:
    """``figures`` across ``row`` from ``column``, a missing one (None or NaN) an empty cell;
    returns where they are, for a ChartSeries' values."""
    first = column
    for column, figure in enumerate(figures, start=column):
        missing = figure is None or (isinstance(figure, float) and math.isnan(figure))
        plan.put(row, column, None if missing else float(figure), style)
    return (row, first, row, column)


def constant_row(plan: SheetPlan, row: int, column: int, figure: float, count: int,
                 style: Style | str | None = None) -> CellRange:
    """A target or benchmark drawn as a level line: the same figure in ``count`` cells."""
    return figure_row(plan, row, column, [figure] * count, style)
