"""The Board summary's charts: the last 12 months of every listed indicator, in reference 004's order
(going well, ones to watch, things to do better), each with its SPC mean and process limits and its
special-cause points marked (chart_data.py), its target and benchmarks as level lines where they are
known, and the indicator's commentary under it.

Each chart is a plan element (sheetplan.Chart) whose figures are cells of the plan itself, in a table
right of the page, so any backend can draw it from what the sheet holds (chart_data.py): a missing
month is a gap, counts and percentages are drawn from zero, the title is the indicator's whole name.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..compute.engine import Scorecard
from ..compute.measures import column
from ..compute.months import month_label
from .board_text import HEADING, LAST, NONE_LINE, SUPPRESSED, TYPED_WIDTHS, WIDTHS, wrapped_line
from .chart_data import axis_minimum, constant_row, figure_row, spc_lines, \
    special_cause_marks
from .printing import column_pixels, merged_width, text_height
from .scorecard import HEADER, REF, figure_style, number_format, target_text
from .sheetplan import Chart, ChartSeries, SheetPlan, Style

CHART_SLOTS = ((0, 4), (5, LAST))  # two charts a row of about equal width, each over whole columns (any font lines up)
CHART_GAP = 6  # pixels left of each chart
CHART_DATA_COLUMN = LAST + len(TYPED_WIDTHS) + 2  # the charts' figures, right of the page
CHART_HEADER_ROW, CHART_MONTHS = 3, 12
CHART_HEIGHT, CHART_ROWS, CHART_ROW_POINTS = 190, 10, 15  # pixels; the rows a chart floats over, each 15 pt
HEADING_POINTS = 20  # a heading's row
COMMENT = Style("summary.chart.commentary", wrap=True, vertical="top", font_color="262626")
# The level lines: (the key of the indicator's column, the line's name, colour, dash).
LEVELS = (("target", "Target", "00863D", "dash"), ("sn", "SN", "7F7F7F", "dash"), ("england", "England", "C55A11", "dash"))


@dataclass
class ChartGroup:
    """One list's charts: its heading and the Refs listed in it, in the list's order."""

    heading: str
    refs: list[str]


def chart_title(ref: str, name: str) -> str:
    """The Ref and the indicator's whole name: a long one wraps over lines in the chart, never cut."""
    return f"{ref} {name}"


def chart_width(first: int, last: int) -> int:
    """Pixels from the gap to the right edge of column ``last``, as Excel sizes columns."""
    return sum(column_pixels(w) for w in WIDTHS[first:last + 1]) - CHART_GAP


def slot_width(slot: tuple[int, int]) -> float:
    return merged_width(WIDTHS[slot[0]:slot[1] + 1])


class _ChartData:
    """The table of the charts' figures, right of the page: a row a line, the months above."""

    def __init__(self, plan: SheetPlan, months: range):
        self.plan, self.row = plan, CHART_HEADER_ROW + 1
        self.first, self.last = CHART_DATA_COLUMN + 1, CHART_DATA_COLUMN + len(months)
        plan.put(CHART_HEADER_ROW - 1, CHART_DATA_COLUMN, "Chart data (the figures behind the charts)", HEADING)
        for k, label in enumerate(["Line"] + [month_label(m) for m in months]):
            plan.put(CHART_HEADER_ROW, CHART_DATA_COLUMN + k, label, HEADER)
            plan.column_widths[CHART_DATA_COLUMN + k] = 14 if k == 0 else 8

    @property
    def categories(self):
        return (CHART_HEADER_ROW, self.first, CHART_HEADER_ROW, self.last)

    def line(self, label: str, figures, fmt: str, constant: float | None = None):
        self.plan.put(self.row, CHART_DATA_COLUMN, label, REF)
        style = figure_style(fmt)
        values = constant_row(self.plan, self.row, self.first, constant, self.last - self.first + 1, style) \
            if constant is not None else figure_row(self.plan, self.row, self.first, figures, style)
        self.row += 1
        return values


def _chart(data: _ChartData, scorecard: Scorecard, ref: str, months: range, anchor: tuple[int, int],
           width: int, limits: bool) -> Chart:
    """``limits``: whether the SPC lines and marks are drawn."""
    info, panel = scorecard.indicator_rows[ref], scorecard.panel
    i = scorecard.indicators.index.get_loc(ref)
    fmt = number_format(info["unit"], info["decimals"])
    figures = [float(column(panel.values, panel.column(m))[i]) for m in months]
    marked = special_cause_marks(scorecard, i, months) if limits else ()
    series = [ChartSeries(data.line(ref, figures, fmt), data.categories, name=ref, marked=marked)]
    for label, values, line in spc_lines(scorecard, i, months) if limits else []:
        series.append(ChartSeries(data.line(f"{ref} {label}", values, fmt), data.categories, **line))
    levels = []
    for key, name, colour, dash in LEVELS:
        level = target_text(info) if key == "target" else info[key]
        if isinstance(level, float) and not np.isnan(level):
            levels.append(level)
            series.append(ChartSeries(data.line(f"{ref} {name}", None, fmt, level), data.categories, color=colour,
                                      name=name, dash=dash, width=1.25, markers=False))
    return Chart(chart_title(ref, info["indicator"]), tuple(series), fmt, anchor=anchor, width=width,
                 height=CHART_HEIGHT, offset=(CHART_GAP, 4), axis_min=axis_minimum(info["unit"], figures + levels),
                 legend="bottom" if len(series) > 1 else None)


def chart_section(plan: SheetPlan, row: int, scorecard: Scorecard, groups: list[ChartGroup], hidden,
                  commentary: dict[str, str], page_points: float, spc_shown: np.ndarray) -> tuple[int, list[int]]:
    """A chart per listed indicator from ``row``, two a row, list by list, each with its commentary
    below it; returns the next free row and the rows that start a printed page (none of a chart is
    split over two, each page holding ``page_points`` of the sheet's height). ``hidden(i, month)``:
    whether that figure shows as c (a chart with one is not drawn, and a line says so). ``spc_shown``:
    per indicator, whether its SPC lines and marks are drawn (none of the months they rest on shows as c)."""
    info, month = scorecard.indicators, scorecard.reporting_month
    months = range(month - CHART_MONTHS + 1, month + 1)
    data = _ChartData(plan, months)
    plan.put(row, 0, f"Charts: the last {CHART_MONTHS} months to {month_label(month)}", HEADING)
    row, used, breaks = row + 1, HEADING_POINTS, []

    def room(needed: float, at: int) -> None:
        """Start a printed page at row ``at`` unless ``needed`` points fit on this one."""
        nonlocal used
        if used and used + needed > page_points:
            breaks.append(at)
            used = 0.0
        used += needed

    for group in groups:
        if not group.refs:
            continue
        # A chart cannot leave a point out unnoticed, so one with any suppressed month is not drawn;
        # the KPI table shows its months as c.
        dropped = [ref for ref in group.refs if any(hidden(info.index.get_loc(ref), m) for m in months)]
        drawn = [ref for ref in group.refs if ref not in dropped]
        limits = {ref: bool(spc_shown[info.index.get_loc(ref)]) for ref in drawn}
        pairs = [drawn[k:k + 2] for k in range(0, len(drawn), 2)]
        bands = [CHART_ROWS * CHART_ROW_POINTS + _commentary_height(pair, commentary) for pair in pairs]
        room(HEADING_POINTS + (bands[0] if bands else 0.0), row)  # a list's heading goes with its first charts
        plan.put(row, 0, group.heading, HEADING)
        row += 1
        if dropped:
            row = wrapped_line(plan, row, f"No chart for {', '.join(dropped)}: a month in the last 12 is a small "
                                          f"number ({SUPPRESSED}).", NONE_LINE)
        for k, (pair, band) in enumerate(zip(pairs, bands)):
            if k:
                room(band, row)
            row = _band(plan, row, data, scorecard, pair, months, commentary, limits)
    return row + 1, breaks


def _commentary_height(pair: list[str], commentary: dict[str, str]) -> float:
    return max([text_height(commentary[ref], slot_width(slot)) for ref, slot in zip(pair, CHART_SLOTS)
                if commentary.get(ref)] + [0.0])


def _band(plan: SheetPlan, row: int, data: _ChartData, scorecard: Scorecard, pair: list[str], months,
          commentary: dict[str, str], limits: dict[str, bool]) -> int:
    """Two charts side by side over CHART_ROWS rows, each indicator's commentary in the row below."""
    for r in range(row, row + CHART_ROWS):
        plan.put(r, 0, None)  # reserve the rows the charts float over, at a height the charts fit
        plan.row_heights[r] = CHART_ROW_POINTS
    below = row + CHART_ROWS
    for ref, (first, last) in zip(pair, CHART_SLOTS):
        plan.charts.append(_chart(data, scorecard, ref, months, (row, first), chart_width(first, last), limits[ref]))
        if commentary.get(ref):
            plan.put(below, first, commentary[ref], COMMENT)
            plan.merges.append((below, first, below, last))
    return below + 1
