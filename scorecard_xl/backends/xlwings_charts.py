"""A plan's charts in an open workbook, through xlwings' chart calls (desktop Excel and the remote engine).

xlwings adds a chart over a cell, gives it one rectangle of source data whose rows (or columns)
are its lines, its category labels, a title, the value axis's ends and number format, and a
legend, on every engine. Each line's own name, colour, dash, width and marked points are out of
its reach on the remote engine (xlwings Lite and Server reach a chart's series only by awaiting
them, and a refresh does not await), and partly so on the desktop, so the live writer leaves
every line as Excel draws it by default and says so (protocol.FEATURES' "chart_series"). Without
the lines' names a legend would read "Series1", so it is left off. Excel shows an empty cell of
a new line chart as a gap.

The tool's charts carry its chart names (record.CHART_NAME), as in the file the splice writes, so
a refresh deletes those and no one else's.
"""

from __future__ import annotations

from ..addressing import cell_name, one_based
from ..pages.sheetplan import CellRange, Chart, SheetPlan
from .record import chart_name, is_tool_chart

POINTS_A_PIXEL = 0.75


def write_charts(xl_sheet, plan: SheetPlan) -> list[str]:
    """The plan's charts on ``xl_sheet`` in place of the tool's earlier ones there; returns a
    note for each chart whose lines xlwings cannot take as one rectangle of cells."""
    for name in [chart.name for chart in xl_sheet.charts if is_tool_chart(chart.name)]:
        xl_sheet.charts[name].delete()
    notes = []
    for number, spec in enumerate(plan.charts, start=1):
        source = source_data(spec)
        if source is None:
            notes.append(f"The {plan.name} sheet's chart {spec.title!r} was left out: xlwings draws a chart "
                         "from one block of cells, and its lines' figures are not side by side.")
            continue
        area, plot_by = source
        chart = xl_sheet.charts.add(
            width=spec.width * POINTS_A_PIXEL, height=spec.height * POINTS_A_PIXEL, name=chart_name(number),
            chart_type="line_markers" if any(series.markers for series in spec.series) else "line",
            anchor=xl_sheet.range(cell_name(*spec.anchor)), source=xl_sheet.range(*one_based(area)), plot_by=plot_by)
        chart.set_x_axis_values(xl_sheet.range(*one_based(spec.series[0].categories)))
        chart.title = spec.title
        axis = {"number_format": spec.num_format}
        axis |= {"minimum_scale": spec.axis_min} if spec.axis_min is not None else {}
        axis |= {"maximum_scale": spec.axis_max} if spec.axis_max is not None else {}
        chart.value_axis.set(**axis)
        chart.legend.visible = False
    return notes


def source_data(spec: Chart) -> tuple[CellRange, str] | None:
    """The one rectangle holding every line's figures, in order, and whether its lines are its
    rows or its columns; None when they are not side by side."""
    ranges = [series.values for series in spec.series]
    if not ranges:
        return None
    first, last = ranges[0], ranges[-1]
    if all(r[0] == r[2] and r[1:4:2] == first[1:4:2] for r in ranges) and \
            [r[0] for r in ranges] == list(range(first[0], first[0] + len(ranges))):
        return (first[0], first[1], last[0], first[3]), "rows"
    if all(r[1] == r[3] and r[0:3:2] == first[0:3:2] for r in ranges) and \
            [r[1] for r in ranges] == list(range(first[1], first[1] + len(ranges))):
        return (first[0], first[1], first[2], last[1]), "columns"
    return None
