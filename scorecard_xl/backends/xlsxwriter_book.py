"""Render SheetPlans into a brand-new workbook with XlsxWriter.

Used where no user package must be preserved: the email-ready copy and the demo's PDF. Renders
every element of a plan: cells, merges, sizes, print setup and charts.
"""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from ..pages.sheetplan import CellRange, Chart, RichRun, RichText, SheetPlan, Style

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
    setup = plan.print_setup
    if setup:
        if setup.landscape:
            sheet.set_landscape()
        sheet.set_paper(setup.paper_size)
        sheet.fit_to_pages(setup.fit_width, setup.fit_height)
        if setup.repeat_rows:
            sheet.repeat_rows(*setup.repeat_rows)
        left, right, top, bottom = setup.margins
        sheet.set_margins(left=left, right=right, top=top, bottom=bottom)
        if setup.header:
            sheet.set_header(setup.header)
        if setup.footer:
            sheet.set_footer(setup.footer)
        sheet.print_area(*plan.print_area())
        if setup.page_breaks:
            sheet.set_h_pagebreaks(list(setup.page_breaks))
    for chart in plan.charts:
        add_chart(book, sheet, chart)


LINE_WIDTH, MARKER_SIZE = 2, 5  # points: a line series is drawn this wide, with round markers this big


def _cells(sheet, area: CellRange) -> list:
    return [sheet.name, *area]


def add_chart(book, sheet, spec: Chart) -> None:
    """``spec`` as a native Excel chart over ``sheet``; its figures are cells of the same sheet."""
    chart = book.add_chart({"type": "line"})
    for series in spec.series:
        if series.kind != "line":
            raise ValueError(f"a chart series of kind {series.kind!r} cannot be drawn; only 'line'")
        colour = {"color": "#" + series.color}
        chart.add_series({"categories": _cells(sheet, series.categories), "values": _cells(sheet, series.values),
                          "line": {**colour, "width": LINE_WIDTH},
                          "marker": {"type": "circle", "size": MARKER_SIZE, "fill": colour, "border": colour}})
    literal_title(chart, spec.title, {"size": 10, "bold": True})
    chart.set_legend({"none": True})
    chart.set_y_axis({"num_format": spec.num_format, "num_font": {"size": 8},
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_x_axis({"num_font": {"size": 8, "rotation": -45}})
    chart.show_blanks_as("gap")
    chart.set_size({"width": spec.width, "height": spec.height})
    x_offset, y_offset = spec.offset
    sheet.insert_chart(*spec.anchor, chart, {"x_offset": x_offset, "y_offset": y_offset})


def literal_title(chart, text: str, font: dict) -> None:
    """The chart title as literal text. XlsxWriter's ``name`` option takes any text shaped like a cell
    reference (``Sheet1!A1``, ``+cmd|' /C calc'!A0``) for a formula and offers no way to say otherwise,
    so the font is set through it and the text on the title itself, which is written as rich text."""
    chart.set_title({"name_font": font})
    chart.title.name = text


def write_new_workbook(path: str | Path, plans: list[SheetPlan], properties: dict | None = None) -> Path:
    """A new .xlsx holding exactly ``plans``, values only (no formulas, no macros)."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                           "strings_to_numbers": False})
    if properties is not None:
        book.set_properties(properties)
    formats: dict = {}
    for plan in plans:
        write_plan(book, plan, formats)
    book.close()
    return Path(path)
