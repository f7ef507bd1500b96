"""How a page prints (docs/design.md §6): rows as tall as their text, readable type, the title once.

Neither Excel nor LibreOffice measures the rows of a file it did not write, so a page sets each
row's height for the wrapped text it holds (``fit_row_heights``), after whatever people typed has
been put back. A page prints one page wide on the paper the Settings choose while that keeps its
text at about 8 pt or more; when it would not, it prints at that size over more pages wide, with
its Ref and Indicator columns on each (``page_setup``).
"""

from __future__ import annotations

import math

from .sheetplan import CellRange, PrintSetup, RichText, SheetPlan

PAPER_SIZES = {"A4": 9, "A3": 8}  # Excel's paperSize codes
PAPER_POINTS = {"A4": (595.3, 841.9), "A3": (841.9, 1190.6)}  # short and long side
MARGINS = (0.25, 0.25, 0.5, 0.5)  # inches: left, right, top, bottom (the header and footer sit in the last two)
BODY_POINTS = 11  # the workbook's default font, which the pages' text uses
SMALLEST_POINTS = 8  # printed text is not shrunk below this
SMALLEST_SCALE = math.ceil(100 * SMALLEST_POINTS / BODY_POINTS)  # percent
DEFAULT_WIDTH = 8.43  # Excel's default column width, in characters
LINE_HEIGHT = 12.75  # points per line of 10-11 pt text
ROW_PADDING = 3
TALLEST_ROW = 409  # points: Excel's largest row height
# Characters of ordinary text a column holds per unit of its width (the width of a digit), as the
# widest font a page may be printed in sets them (DejaVu Sans, LibreOffice's stand-in for Calibri
# where Calibri and Carlito are not installed); Calibri fits about a fifth more. Erring wide only
# makes a row a little taller; erring narrow would cut its last line off on paper.
CHARACTERS_PER_UNIT, BOLD_CHARACTERS_PER_UNIT = 1.0, 0.9


def column_pixels(width: float) -> int:
    """A column's width in pixels as Excel sizes it (Calibri 11: 7 px a character and 5 px of padding)."""
    return int(width * 7 + 5)


def merged_width(widths) -> float:
    """The width, in characters, of cells merged across columns of these widths (with the padding
    between them, which a merged cell's text runs over)."""
    return (sum(column_pixels(width) for width in widths) - 5) / 7


def wrapped_lines(text: str, width: float) -> int:
    """Lines a wrapped cell needs at ``width`` characters: word wrap, roughly as Excel does it."""
    lines = 0
    for paragraph in str(text).split("\n"):
        line, count = 0, 1
        for word in paragraph.split():
            if line and line + 1 + len(word) > width:
                count, line = count + 1, len(word)
            else:
                line += len(word) + (1 if line else 0)
            while line > width:  # a word longer than the line breaks where the cell ends
                count, line = count + 1, line - int(width)
        lines += count
    return max(lines, 1)


def text_height(text: str, width: float, bold: bool = False, font_size: float | None = None) -> float:
    """Points a row needs to show ``text`` wrapped in a cell ``width`` characters wide."""
    scale = (font_size or BODY_POINTS) / BODY_POINTS
    characters = width * (BOLD_CHARACTERS_PER_UNIT if bold else CHARACTERS_PER_UNIT) / scale
    return min(LINE_HEIGHT * scale * wrapped_lines(text, max(characters, 1)) + ROW_PADDING, TALLEST_ROW)


def _cell_widths(plan: SheetPlan) -> dict[tuple[int, int], float | None]:
    """The width of each merged cell's first cell across its columns; None where a merge spans rows
    (its rows share its text, so no one row's height is set by it)."""
    widths = {}
    for top, left, bottom, right in plan.merges:
        widths[(top, left)] = None if bottom > top else \
            merged_width(plan.column_widths.get(c, DEFAULT_WIDTH) for c in range(left, right + 1))
    return widths


def fit_row_heights(plan: SheetPlan) -> None:
    """Make each row at least as tall as the wrapped text in it needs (a plain string or rich
    text; a number never wraps). Heights a layout set larger (a chart's rows) stay as they are."""
    merged = _cell_widths(plan)
    needed: dict[int, float] = {}
    for (row, column), cell in plan.cells.items():
        style = plan.styles.get(cell.style) if cell.style else None
        text = cell.value.text if isinstance(cell.value, RichText) else cell.value
        if style is None or not style.wrap or not isinstance(text, str) or not text:
            continue
        width = merged.get((row, column), plan.column_widths.get(column, DEFAULT_WIDTH))
        if width is None:
            continue
        needed[row] = max(needed.get(row, 0), text_height(text, width, style.bold, style.font_size))
    for row, height in needed.items():
        plan.row_heights[row] = max(plan.row_heights.get(row, 0), height)


def printed_width(plan: SheetPlan, area: CellRange) -> float:
    """Points the columns of ``area`` take on paper at 100%."""
    return 0.75 * sum(column_pixels(plan.column_widths.get(c, DEFAULT_WIDTH)) for c in range(area[1], area[3] + 1))


def page_size(paper: str, landscape: bool = True, margins=MARGINS) -> tuple[float, float]:
    """The width and height in points that a page of ``paper`` prints within its margins."""
    short, long = PAPER_POINTS[paper]
    width, height = (long, short) if landscape else (short, long)
    left, right, top, bottom = margins
    return width - 72 * (left + right), height - 72 * (top + bottom)


def one_page_scale(plan: SheetPlan, area: CellRange, paper: str, landscape: bool = True) -> float:
    """The scale (1 = 100%) at which ``area`` fits one page wide; never above 1."""
    return min(1.0, page_size(paper, landscape)[0] / max(printed_width(plan, area), 1.0))


def printed_scale(setup: PrintSetup, plan: SheetPlan, paper: str) -> float:
    """The scale a page prints at with ``setup`` (for placing its page breaks)."""
    if setup.fit_width:
        return one_page_scale(plan, setup.area or plan.owned_area(), paper, setup.landscape)
    return setup.scale / 100


def page_setup(plan: SheetPlan, paper: str, area: CellRange, *, landscape: bool = True,
               repeat_rows: tuple[int, int] | None = None, repeat_columns: tuple[int, int] | None = None,
               header: str = "", footer: str = "&CPage &P of &N", page_breaks: tuple[int, ...] = ()) -> PrintSetup:
    """The print setup of ``area``: one page wide when that keeps text at SMALLEST_POINTS or more,
    else at that size over as many pages wide as it takes, ``repeat_columns`` on each."""
    common = dict(landscape=landscape, repeat_rows=repeat_rows, header=header, footer=footer,
                  paper_size=PAPER_SIZES[paper], margins=MARGINS, area=area, page_breaks=page_breaks)
    if one_page_scale(plan, area, paper, landscape) * 100 >= SMALLEST_SCALE:
        return PrintSetup(fit_width=1, fit_height=0, **common)
    return PrintSetup(fit_width=0, fit_height=0, scale=SMALLEST_SCALE, repeat_columns=repeat_columns, **common)
