"""The Summary's charts: a line chart of the last 12 months of each "to do better" indicator.

Each chart is a plan element (sheetplan.Chart) whose figures are cells of the plan itself, in a
small table right of the print area, so any backend can draw it from what the sheet holds
(chart_data.py): a missing month is a gap, counts and percentages are drawn from zero, and the
title is the indicator's whole name.
"""

from __future__ import annotations

from ..compute.engine import Scorecard
from ..compute.measures import column
from ..compute.months import month_label
from .board_text import HEADING, LAST, NONE_LINE, SUPPRESSED, WIDTHS, wrapped_line
from .chart_data import axis_minimum, figure_row
from .scorecard import HEADER, REF, figure_style, number_format
from .sheetplan import Chart, ChartSeries, SheetPlan

CHART_SLOTS = ((0, 1), (2, LAST))  # two charts a row, each over whole columns (any font lines up)
CHART_GAP = 6  # pixels left of each chart
CHART_DATA_COLUMN, CHART_HEADER_ROW, CHART_MONTHS = LAST + 2, 3, 12  # the charts' figures, right of the print area
CHART_HEIGHT, BAND_ROWS, BANDS_A_PAGE = 190, 10, 3  # pixels; rows a band of two charts takes; bands a printed page


def chart_title(ref: str, name: str) -> str:
    """The Ref and the indicator's whole name: a long one wraps over lines in the chart, never cut."""
    return f"{ref} {name}"


def chart_width(first: int, last: int) -> int:
    """Pixels from the gap to the right edge of column ``last``, as Excel sizes columns."""
    return sum(int(w * 7 + 5) for w in WIDTHS[first:last + 1]) - CHART_GAP


def chart_section(plan: SheetPlan, row: int, scorecard: Scorecard, flagged: list[str], hidden,
                  breaks: list[int]) -> int:
    """A chart per flagged indicator from ``row``, two a row, three rows a page (new pages' first
    rows added to ``breaks``); returns the next free row. ``hidden(i, month)``: is that figure c."""
    info, panel, month = scorecard.indicators, scorecard.panel, scorecard.reporting_month
    plan.put(row, 0, f"Things to do better: the last 12 months to {month_label(month)}", HEADING)
    row += 1
    months = range(month - CHART_MONTHS + 1, month + 1)
    # A chart cannot leave a point out unnoticed, so one with any suppressed month is not drawn; the
    # KPI table shows its months as c.
    dropped = [ref for ref in flagged if any(hidden(info.index.get_loc(ref), m) for m in months)]
    if dropped:
        row = wrapped_line(plan, row, f"No chart for {', '.join(dropped)}: a month in the last 12 is a small "
                                      f"number ({SUPPRESSED}).", NONE_LINE)
    plan.put(CHART_HEADER_ROW - 1, CHART_DATA_COLUMN, "Chart data (the figures behind the charts)", HEADING)
    for k, label in enumerate(["Ref"] + [month_label(m) for m in months]):
        plan.put(CHART_HEADER_ROW, CHART_DATA_COLUMN + k, label, HEADER)
        plan.column_widths[CHART_DATA_COLUMN + k] = 12 if k == 0 else 8
    first_figure, last_figure = CHART_DATA_COLUMN + 1, CHART_DATA_COLUMN + CHART_MONTHS
    plotted = 0
    for ref in (ref for ref in flagged if ref not in dropped):
        i = info.index.get_loc(ref)
        data_row, fmt = CHART_HEADER_ROW + 1 + plotted, number_format(info.at[ref, "unit"], info.at[ref, "decimals"])
        plan.put(data_row, CHART_DATA_COLUMN, ref, REF)
        figures = [float(column(panel.values, panel.column(m))[i]) for m in months]
        values = figure_row(plan, data_row, first_figure, figures, figure_style(fmt))
        band, slot = divmod(plotted, len(CHART_SLOTS))
        if slot == 0 and band and band % BANDS_A_PAGE == 0:
            breaks.append(row + band * BAND_ROWS)
        first, last = CHART_SLOTS[slot]
        series = ChartSeries(values=values, categories=(CHART_HEADER_ROW, first_figure, CHART_HEADER_ROW, last_figure))
        plan.charts.append(Chart(chart_title(ref, info.at[ref, "indicator"]), (series,), fmt,
                                 anchor=(row + band * BAND_ROWS, first), width=chart_width(first, last),
                                 height=CHART_HEIGHT, offset=(CHART_GAP, 4),
                                 axis_min=axis_minimum(info.at[ref, "unit"], figures)))
        plotted += 1
    bands = -(-plotted // len(CHART_SLOTS))
    for r in range(row, row + bands * BAND_ROWS):
        plan.put(r, 0, None)  # reserve the rows the charts float over
    return row + bands * BAND_ROWS + 1
