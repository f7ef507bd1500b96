"""The line chart of an indicator page: its last 13 months (or the months the Scorecard shows, if more),
with its SPC mean and process limits, its special-cause points marked (chart_data.py), and its
target and benchmarks as level lines.

The chart draws cells of the page (chart_data.py): each block's figures sit in rows right of the
print area, beside the block, one row a line and side by side, so every backend (the live writer
too) can draw them from one rectangle; a month without a figure is an empty cell, a gap in the line.
"""

from __future__ import annotations

import math

import numpy as np

from ..compute.engine import Scorecard
from ..compute.months import month_label
from .chart_data import SPC_LINES, axis_minimum, figure_row, spc_lines, special_cause_marks
from .scorecard import HEADER, REF, figure_style, number_format
from .sheetplan import Chart, ChartSeries, SheetPlan

CHART_MONTHS = 13  # the same month last year is on the chart
FIGURE, TARGET, SN, ENGLAND = "1F3864", "00863D", "7F7F7F", "C55A11"  # line colours
DATA_COLUMN = 12  # column M: the charts' figures, right of the print area (A:K)
DATA_WIDTH = 8


def chart_months(scorecard: Scorecard) -> list[int]:
    """The months a chart draws: the last 13 to the reporting month, or as many as the Scorecard shows."""
    count = max(CHART_MONTHS, scorecard.settings.months_shown)
    return list(range(scorecard.reporting_month - count + 1, scorecard.reporting_month + 1))


def target_lines(info) -> list[tuple[str, float]]:
    """The level lines of its target: the Target typed, else the green boundaries of its tolerances
    (one for 95%+, both ends of 14-20 or +/-5 of 158.8)."""
    if _known(info["target"]):
        return [("Target", float(info["target"]))]
    low, high = info["green_low"], info["green_high"]
    green = info["green_text"] or "green"
    if _known(low) and _known(high):
        return [(f"Green {green}, low end", float(low)), (f"Green {green}, high end", float(high))]
    return [(f"Target Green {green}", float(edge)) for edge in (low, high) if _known(edge)]


def benchmark_lines(info) -> list[tuple[str, float, str]]:
    """Statistical neighbours' and England's averages, where published: (name, figure, colour)."""
    return [(name, float(info[key]), colour) for key, name, colour in
            (("sn", "SN average", SN), ("england", "England", ENGLAND)) if _known(info[key])]


def _known(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def indicator_chart(plan: SheetPlan, scorecard: Scorecard, ref: str, data_row: int, anchor: tuple[int, int],
                    size: tuple[int, int], limits: bool = True) -> None:
    """The chart of ``ref`` over ``anchor`` (row, column), ``size`` (width, height) in pixels, its
    figures in rows from ``data_row`` right of the print area. ``limits``: whether its SPC mean,
    limits and special-cause marks are drawn (not where a month they rest on shows as c, as the
    mean of the months would give it away)."""
    info, panel = scorecard.indicator_rows[ref], scorecard.panel
    months = chart_months(scorecard)
    i = scorecard.indicators.index.get_loc(ref)
    figures = [float(panel.values[i, panel.column(m)]) if 0 <= panel.column(m) < panel.month_count else np.nan
               for m in months]
    fmt = number_format(info["unit"], info["decimals"])
    style = figure_style(fmt)
    first, last = DATA_COLUMN + 1, DATA_COLUMN + len(months)
    plan.put(data_row, DATA_COLUMN, ref, HEADER)
    for k, m in enumerate(months):
        plan.put(data_row, first + k, month_label(m), HEADER)
    categories = (data_row, first, data_row, last)
    lines = spc_lines(scorecard, i, months) if limits else []
    marked = special_cause_marks(scorecard, i, months) if limits else ()
    rows = [("Figure", figures, dict(color=FIGURE, width=2.25, marked=marked))]
    rows += lines
    rows += [(name, [figure] * len(months), dict(color=TARGET, dash="dash", width=1.5, markers=False))
             for name, figure in target_lines(info)]
    rows += [(name, [figure] * len(months), dict(color=colour, dash="dash", width=1.5, markers=False))
             for name, figure, colour in benchmark_lines(info)]
    series = []
    for k, (label, values, line) in enumerate(rows, start=1):
        plan.put(data_row + k, DATA_COLUMN, label, REF)
        series.append(ChartSeries(figure_row(plan, data_row + k, first, values, style), categories,
                                  **{"name": label} | line))
    for c in range(DATA_COLUMN, last + 1):
        plan.column_widths.setdefault(c, DATA_WIDTH if c > DATA_COLUMN else 16)
    # The process limits are left out of where the axis starts: a lower limit below zero for a count
    # is no figure anyone could see, and the axis stops at zero as the figures' own do.
    every = [f for _, values, *_ in rows[:1] + rows[1 + len(lines):] for f in values]
    plan.charts.append(Chart(f"{ref} {info['indicator']}", tuple(series), fmt, anchor=anchor, width=size[0],
                             height=size[1], offset=(4, 4), axis_min=axis_minimum(info["unit"], every),
                             legend="bottom" if len(series) > 1 else None))


def chart_rows(info) -> int:
    """Rows a chart's figures take right of the print area: the months, the figures and each line
    (the SPC lines counted whether or not there are enough points for them)."""
    return 2 + len(SPC_LINES) + len(target_lines(info)) + len(benchmark_lines(info))
