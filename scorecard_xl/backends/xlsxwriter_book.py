"""Render SheetPlans into a brand-new workbook with XlsxWriter.

Used where no user package must be preserved: the email-ready copy and the demo's PDF. Renders
every element of a plan: cells, merges, sizes, print setup and charts.
"""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from ..pages.sheetplan import CellRange, Chart, ChartSeries, RichRun, RichText, SheetPlan, Style
from .record import chart_name

_ALIGN = {"left": "left", "center": "center", "right": "right"}
_VALIGN = {"top": "top", "center": "vcenter", "bottom": "bottom"}


def style_properties(style: Style) -> dict:
    """A Style as XlsxWriter format properties."""
    props: dict = {}
    if style.bold:
        props["bold"] = True
    if style.italic:
        props["italic"] = True
    if style.font_size:
        props["font_size"] = style.font_size
    if style.font_color:
        props["font_color"] = "#" + style.font_color
    if style.fill:
        props["bg_color"] = "#" + style.fill
        props["pattern"] = 1
    if style.num_format:
        props["num_format"] = style.num_format
    if style.horizontal:
        props["align"] = _ALIGN[style.horizontal]
    if style.vertical:
        props["valign"] = _VALIGN[style.vertical]
    if style.wrap:
        props["text_wrap"] = True
    if style.border:
        props["border"] = 1
        if style.border_color:
            props["border_color"] = "#" + style.border_color
    if style.indent:
        props["indent"] = style.indent
    return props


def _run_properties(run: RichRun) -> dict:
    font = dict(run.font)
    return {k: v for k, v in (("bold", font.get("bold")), ("italic", font.get("italic")),
                              ("underline", 1 if font.get("underline") else None),
                              ("font_strikeout", font.get("strike")), ("font_size", font.get("size")),
                              ("font_name", font.get("name")),
                              ("font_color", "#" + font["color"] if font.get("color") else None)) if v}


def write_rich_text(book, sheet, row: int, column: int, text: RichText, base: dict, cell_format) -> None:
    """Rich text keeps its runs. XlsxWriter needs two or more non-empty runs for that, so one
    formatted run becomes a plain string in the run's font, and the text is never dropped."""
    runs = [run for run in text.runs if run.text]
    if len(runs) == 1 and _run_properties(runs[0]):
        sheet.write_string(row, column, runs[0].text, book.add_format({**base, **_run_properties(runs[0])}))
        return
    fragments = []
    for run in runs:
        if _run_properties(run):
            fragments.append(book.add_format(_run_properties(run)))
        fragments.append(run.text)
    if len(runs) < 2 or all(isinstance(f, str) for f in fragments) or \
            sheet.write_rich_string(row, column, *fragments, cell_format) != 0:
        sheet.write_string(row, column, text.text, cell_format)


def write_plan(book: xlsxwriter.Workbook, plan: SheetPlan, formats: dict[str, object]) -> None:
    sheet = book.add_worksheet(plan.name[:31])
    fmt, properties = {}, {}
    for name, style in plan.styles.items():
        properties[name] = style_properties(style)
        key = (name, tuple(sorted(properties[name].items())))
        if key not in formats:
            formats[key] = book.add_format(properties[name])
        fmt[name] = formats[key]
    for column, width in plan.column_widths.items():
        sheet.set_column(column, column, width)
    for row, height in plan.row_heights.items():
        sheet.set_row(row, height)
    merged = set()
    for first_row, first_col, last_row, last_col in plan.merges:
        cell = plan.cells.get((first_row, first_col))
        value = cell.value if cell else None
        sheet.merge_range(first_row, first_col, last_row, last_col,
                          value.text if isinstance(value, RichText) else ("" if value is None else value),
                          fmt.get(cell.style) if cell else None)
        merged.update((r, c) for r in range(first_row, last_row + 1) for c in range(first_col, last_col + 1))
    for (row, column), cell in sorted(plan.cells.items()):
        if (row, column) in merged:
            continue
        cell_format = fmt.get(cell.style) if cell.style else None
        value = cell.value
        if value is None:
            sheet.write_blank(row, column, None, cell_format)
        elif isinstance(value, RichText):
            write_rich_text(book, sheet, row, column, value, properties.get(cell.style, {}), cell_format)
        elif isinstance(value, bool):
            sheet.write_boolean(row, column, value, cell_format)
        elif isinstance(value, (int, float)):
            sheet.write_number(row, column, value, cell_format)
        else:
            sheet.write_string(row, column, str(value), cell_format)  # never a formula
    if plan.freeze:
        sheet.freeze_panes(*plan.freeze)
    if not plan.show_gridlines:
        sheet.hide_gridlines(2)
    if plan.tab_color:
        sheet.set_tab_color("#" + plan.tab_color)
    if plan.zoom:
        sheet.set_zoom(plan.zoom)
    if plan.active:
        sheet.activate()
    setup = plan.print_setup
    if setup:
        if setup.landscape:
            sheet.set_landscape()
        sheet.set_paper(setup.paper_size)
        if setup.scale != 100:
            sheet.set_print_scale(setup.scale)
        if setup.fit_width or setup.fit_height:
            sheet.fit_to_pages(setup.fit_width, setup.fit_height)
        if setup.repeat_rows:
            sheet.repeat_rows(*setup.repeat_rows)
        if setup.repeat_columns:
            sheet.repeat_columns(*setup.repeat_columns)
        left, right, top, bottom = setup.margins
        sheet.set_margins(left=left, right=right, top=top, bottom=bottom)
        if setup.header:
            sheet.set_header(setup.header)
        if setup.footer:
            sheet.set_footer(setup.footer)
        sheet.print_area(*plan.print_area())
        if setup.page_breaks:
            sheet.set_h_pagebreaks(list(setup.page_breaks))
    for number, chart in enumerate(plan.charts, start=1):
        add_chart(book, sheet, chart, number)


MARKER_SIZE = 5  # points: the round marker at each figure of a series that has markers


def _cells(sheet_name: str, area: CellRange) -> list:
    return [sheet_name, *area]


def add_chart(book, sheet, spec: Chart, number: int = 1) -> None:
    """``spec`` as a native Excel line chart over ``sheet``; its figures are cells of the same sheet.
    ``number`` names it among the tool's charts on the sheet (record.chart_name)."""
    chart = book.add_chart({"type": "line", "name": chart_name(number)})
    say_what_excel_assumes(chart)
    for series in spec.series:
        add_series(chart, sheet.name, series)
    literal_title(chart, spec.title, {"size": 10, "bold": True})
    unlisted = [k for k, series in enumerate(spec.series) if not series.in_legend]
    chart.set_legend({"position": spec.legend} | ({"delete_series": unlisted} if unlisted else {})
                     if spec.legend else {"none": True})
    ticks = {"major_tick_mark": "outside", "minor_tick_mark": "none"}  # as Excel's defaults, written out
    chart.set_y_axis({"num_format": spec.num_format, "num_font": {"size": 8}, "min": spec.axis_min,
                      "max": spec.axis_max, "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}} | ticks)
    chart.set_x_axis({"num_font": {"size": 8, "rotation": -45}} | ticks)
    chart.show_blanks_as("gap")  # an empty cell is a missing month: a gap in the line, never a zero
    chart.set_size({"width": spec.width, "height": spec.height})
    x_offset, y_offset = spec.offset
    sheet.insert_chart(*spec.anchor, chart, {"x_offset": x_offset, "y_offset": y_offset, "description": spec.title})


def add_series(chart, sheet_name: str, series: ChartSeries) -> None:
    if series.kind != "line":
        raise ValueError(f"a chart series of kind {series.kind!r} cannot be drawn; only 'line'")
    colour = "#" + series.color
    line = {"color": colour, "width": series.width} | ({"dash_type": "dash"} if series.dash == "dash" else {})
    marker = {"type": "circle", "size": MARKER_SIZE, "fill": {"color": colour}, "border": {"color": colour}} \
        if series.markers else {"type": "none"}
    chart.add_series({"categories": _cells(sheet_name, series.categories), "values": _cells(sheet_name, series.values),
                      "line": line, "marker": marker})
    added = chart.series[-1]
    # The name is set on the series itself: XlsxWriter's ``name`` option takes text shaped like a
    # reference (Sheet1!A1) or a formula for one, and a series name is literal text (docs/design.md §7).
    added["name"], added["name_formula"], added["name_id"] = (series.name or None), None, None
    if series.marked:
        mark_points(chart, added, series.marked)


def mark_points(chart, series: dict, marked) -> None:
    """Each marked point's own marker: symbol, size and colours (CT_DPt's c:marker). XlsxWriter's
    ``points`` option colours a point's marker but keeps the series' symbol and size, so its own
    marker writer (the one the series uses) writes the point's marker instead."""
    points = [None] * (max(point.index for point in marked) + 1)
    for point in marked:
        points[point.index] = {"marker": chart._get_marker_properties(
            {"type": point.symbol, "size": point.size, "fill": {"color": "#" + point.color},
             "border": {"color": "#" + point.color}})}
    series["points"] = points

    def write_point(index, point):
        chart._xml_start_tag("c:dPt")
        chart._write_idx(index)
        chart._write_marker(point["marker"])
        chart._xml_end_tag("c:dPt")

    chart._write_d_pt_point = write_point


def say_what_excel_assumes(chart) -> None:
    """Write out the settings XlsxWriter leaves out where they are Excel's defaults: a line is not
    smoothed (<c:smooth val="0"/>) and an empty cell is a gap (<c:dispBlanksAs val="gap"/>). The
    schema's defaults for missing ones are the opposite, and a reader that follows it (LibreOffice,
    for a workbook last saved by a recent Excel, as a spliced one is) draws curves and zeros."""
    chart._write_c_smooth = lambda smooth: chart._xml_empty_tag("c:smooth", [("val", 1 if smooth else 0)])
    chart._write_disp_blanks_as = lambda: chart._xml_empty_tag("c:dispBlanksAs", [("val", chart.show_blanks)])


def literal_title(chart, text: str, font: dict) -> None:
    """The chart title as literal text. XlsxWriter's ``name`` option takes any text shaped like a cell
    reference (``Sheet1!A1``, ``+cmd|' /C calc'!A0``) for a formula and offers no way to say otherwise,
    so the font is set through it and the text on the title itself, which is written as rich text."""
    chart.set_title({"name_font": font})
    chart.title.name = text


def new_book(target) -> xlsxwriter.Workbook:
    """A workbook that writes every string as text: never a formula, a link or a number. It is put
    together in memory (a few report pages), not through a temporary file for each of its parts."""
    return xlsxwriter.Workbook(target, {"strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False, "in_memory": True})


def write_new_workbook(path: str | Path, plans: list[SheetPlan], properties: dict | None = None) -> Path:
    """A new .xlsx holding exactly ``plans``, values only (no formulas, no macros)."""
    book = new_book(str(path))
    if properties is not None:
        book.set_properties(properties)
    formats: dict = {}
    for plan in plans:
        write_plan(book, plan, formats)
    book.close()
    return Path(path)
