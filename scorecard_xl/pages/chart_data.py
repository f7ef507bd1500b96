"""The figures behind a page's charts, as cells of the page, and the rules every chart follows.

A chart draws cells of its own sheet (sheetplan.ChartSeries), so readers can see and check each
figure: a page puts a chart's figures in a row each (a month's figure, a target, a benchmark),
their month labels in a row above, and the chart refers to those rows. A month with no figure is
an empty cell, which every backend draws as a gap in the line, never as a zero.

Every chart also carries the indicator's statistical process control (docs/design.md §5.7), as
Making Data Count draws it: the mean and the process limits of each month's phase as grey lines
(a month outside the SPC window, or of a phase with too few points, an empty cell), and each
special-cause point marked in orange (concern), blue (improvement) or purple (neither way is
better), each in a shape of its own so the marks still read when printed in black and white.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from ..compute import spc
from ..compute.engine import Scorecard
from ..compute.vocabulary import COUNT, PERCENTAGE
from .sheetplan import CellRange, MarkedPoint, SheetPlan, Style

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


# The SPC lines: (name, how many sigmas from the mean, colour, dash, its name in the legend; None:
# not listed). The limits are lighter than the mean and dashed, apart from the benchmarks' mid grey,
# and listed once, as "Process limits", to leave the chart's height to its lines.
SPC_LINES = (("Mean", 0, "595959", "solid", "Mean"), ("Upper limit", 3, "A6A6A6", "dash", "Process limits"),
             ("Lower limit", -3, "A6A6A6", "dash", None))
SPC_LINE_WIDTH = 1.0  # points
# A special-cause point's mark by its variation: (colour, symbol), in the colours of the pages' SPC
# marks (Making Data Count's icons). The series' own marker is a circle.
SPECIAL_CAUSE_MARKS = {spc.CONCERN: ("ED7D31", "diamond"), spc.IMPROVEMENT: ("2F5597", "square"),
                       spc.SPECIAL_CAUSE: ("7030A0", "triangle")}
SPECIAL_CAUSE_SIZE = 8  # points


def _spc_columns(scorecard: Scorecard, months) -> tuple[np.ndarray, np.ndarray]:
    """Each month's column in the SPC window, and whether it lies in it."""
    columns = np.array([scorecard.panel.column(m) for m in months]) - scorecard.spc.first_column
    return columns, (columns >= 0) & (columns < scorecard.spc.mean.shape[1])


def spc_lines(scorecard: Scorecard, row: int, months) -> list[tuple[str, list[float], dict]]:
    """The mean and process limits of indicator ``row`` at each of ``months`` as (label, figures, the
    line's ChartSeries options), NaN where a month has none; none at all with too few points (or no SPC)."""
    if scorecard.spc is None:
        return []
    columns, inside = _spc_columns(scorecard, months)
    lines = []
    for label, sigmas, colour, dash, legend in SPC_LINES:
        level = scorecard.spc.line(sigmas)[row]
        figures = np.where(inside, level[np.clip(columns, 0, len(level) - 1)], np.nan)
        if not np.isnan(figures).all():
            lines.append((label, figures.tolist(), dict(color=colour, dash=dash, name=legend or label,
                                                        in_legend=legend is not None, width=SPC_LINE_WIDTH,
                                                        markers=False)))
    return lines


def special_cause_marks(scorecard: Scorecard, row: int, months) -> tuple[MarkedPoint, ...]:
    """A mark on each of ``months`` whose figure is a special cause, coloured and shaped by whether it
    is an improvement or a concern for the indicator's polarity."""
    if scorecard.spc is None:
        return ()
    columns, inside = _spc_columns(scorecard, months)
    signal = np.where(inside, scorecard.spc.signal[row][np.clip(columns, 0, scorecard.spc.signal.shape[1] - 1)], 0)
    direction = spc.improvement_direction([scorecard.indicators["polarity"].iloc[row]])
    words = spc.variation(signal, direction)
    return tuple(MarkedPoint(int(k), *SPECIAL_CAUSE_MARKS[words[k]], size=SPECIAL_CAUSE_SIZE)
                 for k in np.flatnonzero(signal != 0))
